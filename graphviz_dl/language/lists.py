"""Lists: literals, indexing, loops' items, comprehensions and unpacking.

Lists hold what expressions evaluate to (Values, numbers, counters, lists);
every item a loop or comprehension takes is a counted turn.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from ..expr_functions import FUNCTIONS, NUMBER_NAMES
from .evaluate import BUILTIN_NAMES, SEQUENCES, Counter, Evaluator


class Lists(Evaluator):
    """The list half of evaluation."""

    def sequence(self, node: ast.List | ast.Tuple) -> list | tuple:
        items = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                raise self.error(element, "'*' unpacking is not allowed")
            items.append(self.expression(element))
        return items if isinstance(node, ast.List) else tuple(items)

    def subscript(self, node: ast.Subscript) -> object:
        if isinstance(node.slice, ast.Slice):
            raise self.error(
                node.slice,
                "slices (a[i:j]) are not allowed: index one item, like xs[0]",
            )
        items = self.expression(node.value)
        if not isinstance(items, SEQUENCES):
            raise self.error(
                node.value, "only a list can be indexed, like xs[0] with xs = [a, b]"
            )
        index = self.whole_number(node.slice, "an index")
        if not -len(items) <= index < len(items):
            raise self.error(
                node.slice,
                f"index {index} is out of range for a list of {len(items)} "
                f"(use 0 to {len(items) - 1}, or -1 for the last)",
            )
        item = items[index]
        return Counter(item) if isinstance(items, range) else item

    def whole_number(self, node: ast.expr, what: str) -> int:
        value = self.folded(node)
        if isinstance(value, Counter):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise self.error(
            node, f"{what} must be a whole number, like 3 or i from range(n)"
        )

    def items(self, node: ast.expr, value: object) -> Iterator[object]:
        """The items of a list to loop over, each one a counted turn."""
        if not isinstance(value, SEQUENCES):
            raise self.error(
                node,
                "a loop goes over a list, range(n), zip(xs, ys) or enumerate(xs)",
            )
        counting = isinstance(value, range)
        for item in value:
            self.turn(node)
            yield Counter(item) if counting else item

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp) -> list:
        """``[e for a in xs for b in ys]``: evaluated at once, in a scope of its own."""
        for generator in node.generators:
            if generator.ifs:
                raise self.error(
                    generator.ifs[0],
                    "'if' in a comprehension is not allowed: loop over exactly "
                    "the items you need",
                )
            if generator.is_async:
                raise self.error(generator, "'async for' is not allowed")
        results: list[object] = []
        self.scopes.append({})
        try:
            self._generate(node, 0, results)
        finally:
            self.scopes.pop()
        return results

    def _generate(self, node: ast.ListComp | ast.GeneratorExp, level: int, out) -> None:
        if level == len(node.generators):
            out.append(self.expression(node.elt))
            return
        generator = node.generators[level]
        iterable = self.expression(generator.iter)
        scope = self.scopes[-1]

        def bind(target: ast.Name, value: object) -> None:
            scope[target.id] = value

        for item in self.items(generator.iter, iterable):
            self.unpack(generator.target, item, bind)
            self._generate(node, level + 1, out)

    def unpack(
        self, target: ast.expr, value: object, bind: Callable[[ast.Name, object], None]
    ) -> None:
        """Bind ``a`` or ``a, (b, c)`` to a value, as Python unpacks it."""
        if isinstance(target, ast.Name):
            self.check_name(target)
            bind(target, value)
            return
        if not isinstance(target, (ast.Tuple, ast.List)):
            raise self.error(
                target, "only names can stand here, like 'for w, x in zip(ws, xs)'"
            )
        names = target.elts
        if any(isinstance(name, ast.Starred) for name in names):
            raise self.error(target, "'*' unpacking is not allowed")
        if not isinstance(value, (list, tuple)) or len(value) != len(names):
            got = len(value) if isinstance(value, (list, tuple)) else 1
            raise self.error(
                target,
                f"{len(names)} names but {got} value{'s' * (got != 1)} to unpack",
            )
        for name, item in zip(names, value):
            self.unpack(name, item, bind)

    def check_name(self, target: ast.Name) -> None:
        """Names a program may not bind: functions, number names, dunders."""
        name = target.id
        if name in self.bindable:
            return
        if name.startswith("__"):
            raise self.error(
                target, f"names starting with '__' are not allowed ({name})"
            )
        if name in FUNCTIONS or name in BUILTIN_NAMES:
            raise self.error(
                target,
                f"'{name}' is a function, so it cannot be assigned: pick another name",
            )
        if name in NUMBER_NAMES:
            raise self.error(target, f"'{name}' is a number, so it cannot be assigned")
        self.bindable.add(name)
