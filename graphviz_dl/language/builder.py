"""Statements: assignments, labels, loops, imports and ``o.backward()``; and
which names the finished program reports.

Names and the output (see the package notes): a name first assigned at the
top level (outside loops) is an *entry* of the result, holding the Value it
has when the program ends; loop variables and names first assigned inside a
loop are the loop's working names and are not. The output is the Value of the
last ``o.backward()``, or else the entry assigned last.
"""

from __future__ import annotations

import ast

from ..engine import Value
from .blocks import with_group
from .calls import Calls
from .errors import MAX_STATEMENTS, ExpressionError
from .evaluate import SEQUENCES
from .messages import statement_message
from .source import Source


class Built(dict):
    """A program's named Values, the output last (a plain ``dict`` of them),
    and where its values first stop being numbers."""

    not_numbers: dict[Value, tuple[int, int]]
    """Each node that is the first ±inf or nan on its path → (line, column)
    of the operation that made it, as typed."""


class Builder(Calls):
    """Runs the whitelisted statements of a program and collects its names."""

    def __init__(self, source: Source) -> None:
        super().__init__(source)
        self.loop_depth = 0
        self.entries: dict[str, int] = {}
        """Entry name → when it was last bound (a running count)."""
        self.assigned_on: dict[str, int] = {}
        self.holder: dict[Value, str] = {}
        """Each Value an entry holds → that entry's name."""
        self.bindings = 0
        self.output: tuple[str, Value] | None = None
        self._target_names: dict[ast.expr, list[ast.Name]] = {}
        """Each assignment or loop target → its names, found once per statement
        (a loop runs its body's statements many times)."""

    def build(self, tree: ast.Module) -> Built:
        body = tree.body
        if not body:
            raise ExpressionError(
                "the program has no assignments: write one per line, like x = 2.0"
            )
        if len(body) > MAX_STATEMENTS:
            raise self.error(
                body[MAX_STATEMENTS],
                f"the program has too many statements ({len(body):,}; "
                f"the limit is {MAX_STATEMENTS:,})",
            )
        self.tree = tree
        try:
            for statement in body:
                self.statement_line = statement.lineno
                self.statement(statement)
        except RecursionError:
            raise ExpressionError(
                "this is nested too deeply: split it into several assignments",
                self.statement_line,
                1,
            ) from None
        return self.result()

    def forget_tree(self) -> None:
        """Let the syntax tree go (it is only kept for messages while building)."""
        self.tree = None
        self._target_names.clear()
        self._named_calls.clear()

    # --- statements ------------------------------------------------------------------------
    def statement(self, statement: ast.stmt) -> None:
        self.steps += 1  # self.step(statement), written out: a loop's every turn
        if self.steps > self.limit:
            self.past_limit(statement)
        if type(statement) is ast.Assign:
            self.assign(statement)
        elif isinstance(statement, ast.AugAssign):
            self.augment(statement)
        elif isinstance(statement, ast.For):
            self.loop(statement)
        elif isinstance(statement, ast.With):
            with_group(self, statement)
        elif isinstance(statement, ast.Expr) and _is_call(statement.value):
            self.call_statement(statement.value)  # type: ignore[arg-type]
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                bound = alias.asname or alias.name.partition(".")[0]
                self.imported[bound] = alias.name
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if alias.name != "Value" and alias.name != "*":
                    module = statement.module or "."
                    self.imported[alias.asname or alias.name] = module
        elif not isinstance(statement, ast.Pass):
            raise self.error(statement, statement_message(statement))

    def assign(self, statement: ast.Assign) -> None:
        if len(statement.targets) != 1:
            raise self.error(
                statement.targets[1],
                "assign one name at a time: 'a = b = …' is not allowed",
            )
        target = statement.targets[0]
        if isinstance(target, ast.Attribute):
            self.set_attribute(target, statement.value)
            return
        if isinstance(target, ast.Subscript):
            raise self.error(
                target,
                "changing a list item is not allowed: build the list you need, "
                "like xs = [a, b] or a comprehension",
            )
        for name in self.names_in(target):
            self.check_name(name)
            self.check_fresh(name)
        value = self.expression(statement.value)
        self.unpack(
            target, value, lambda name, item: self.bind(name, item, statement.value)
        )

    def bind(
        self, target: ast.Name, value: object, source: ast.expr, fresh: bool = True
    ) -> None:
        """Give a name a value (``fresh``: with '=', not '+='). An entry given a
        number at the top level holds a leaf of that number."""
        name = target.id
        top = not self.loop_depth
        if fresh:
            self.check_fresh(target)
        if name not in self.entries and not (top and fresh):
            self.globals[name] = value
            return
        if top and isinstance(value, float):
            value = self.compute(source, 1, lambda: Value(float(value)))
        if isinstance(value, Value):
            other = self.holder.get(value)
            if other is not None and other != name:
                text = ast.get_source_segment("\n".join(self.source.lines), source)
                raise self.error(
                    source,
                    f"'{name} = {text}' only gives '{other}' a second name: "
                    f"use '{other}' itself",
                )
        if name not in self.entries:
            self.assigned_on[name] = self.statement_line
        old = self.globals.get(name)
        if isinstance(old, Value) and self.holder.get(old) == name:
            del self.holder[old]
        if isinstance(value, Value):
            self.holder[value] = name
        self.bindings += 1
        self.entries[name] = self.bindings
        self.globals[name] = value

    def check_fresh(self, target: ast.Name) -> None:
        """Outside loops '=' gives a name its value once: a second one would
        leave two nodes with one name."""
        name = target.id
        if self.loop_depth or self.lookup(name) is None:
            return
        line = self.assigned_on.get(name)
        where = f"on line {line}" if line else "by a loop"
        raise self.error(
            target,
            f"'{name}' is already assigned {where}: each name is assigned once "
            f"(pick a new name, like '{name}2', or add to it with '{name} += …')",
        )

    def augment(self, statement: ast.AugAssign) -> None:
        target = statement.target
        if not isinstance(target, ast.Name):
            raise self.error(target, "only a plain name can stand left of '+='")
        current = self.name(target)
        increment = self.operand(statement.value)
        if isinstance(current, SEQUENCES):
            raise self.error(target, f"'{target.id}' is a list: '+=' adds numbers")
        kind = type(statement.op)
        if kind not in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow):
            raise self.error(
                statement, "only += -= *= /= **= are allowed, and they build a new node"
            )
        total = self.combine(statement, kind, current, increment)
        self.bind(target, total, statement.value, fresh=False)

    def set_attribute(self, target: ast.Attribute, value: ast.expr) -> None:
        if target.attr != "label":
            raise self.error(
                target,
                f"setting .{target.attr} is not needed: the explorer computes every "
                "value and gradient (only .label can be set)"
                if target.attr in ("data", "grad")
                else "only a label can be set, like e.label = 'e'",
            )
        node = self.operand(target.value)
        if not isinstance(node, Value):
            raise self.error(target.value, "only a Value has a label")
        node.label = self.label_text(value)

    def loop(self, statement: ast.For) -> None:
        if statement.orelse:
            raise self.error(
                statement.orelse[0], "'else' after a loop is not allowed: delete it"
            )
        iterable = self.expression(statement.iter)
        for name in self.names_in(statement.target):
            if name.id in self.entries:
                line = self.assigned_on[name.id]
                raise self.error(
                    name,
                    f"'{name.id}' already names a value (line {line}): pick another "
                    "loop name",
                )
        self.loop_depth += 1
        try:
            for item in self.items(statement.iter, iterable):
                self.unpack(
                    statement.target,
                    item,
                    lambda t, v: self.globals.__setitem__(t.id, v),
                )
                for inner in statement.body:
                    self.statement(inner)
        finally:
            self.loop_depth -= 1

    def names_in(self, target: ast.expr) -> list[ast.Name]:
        """The names a target binds (``a`` or ``a, (b, c)``), walked once per node."""
        if isinstance(target, ast.Name):
            return [target]
        names = self._target_names.get(target)
        if names is None:
            names = [node for node in ast.walk(target) if isinstance(node, ast.Name)]
            self._target_names[target] = names
        return names

    def call_statement(self, call: ast.Call) -> None:
        """``o.backward()`` names the output; ``draw_dot(o)`` is accepted."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "backward":
            if call.args or call.keywords:
                raise self.error(call, "backward takes nothing: write o.backward()")
            root = self.operand(func.value)
            if not isinstance(root, Value):
                raise self.error(func.value, "only a Value has a backward pass")
            name = func.value.id if isinstance(func.value, ast.Name) else "output"
            self.output = (name, root)
            return
        if isinstance(func, ast.Name) and func.id == "draw_dot" and len(call.args) == 1:
            self.operand(call.args[0])
            return
        if isinstance(func, ast.Name) and func.id in ("print", "display"):
            raise self.error(
                call,
                "nothing is printed: the explorer shows every value (delete the line)",
            )
        raise self.error(
            call, "this line computes a value but does not name it: write 'name = …'"
        )

    # --- the result ---------------------------------------------------------------------------
    def result(self) -> Built:
        """Entries in order of first assignment, the output last, labels filled in."""
        values = Built()
        values.not_numbers = self.not_numbers
        taken: set[Value] = set()
        for name in self.entries:
            value = self.globals.get(name)
            if isinstance(value, Value) and value not in taken:
                values[name] = value
                taken.add(value)
        if self.output is not None:
            name, root = self.output
            owner = next((n for n, v in values.items() if v is root), None)
            if owner is None:
                owner = name if name not in values else "output"
                values[owner] = root
            values[owner] = values.pop(owner)
        elif values:
            last = max(values, key=self.entries.__getitem__)
            values[last] = values.pop(last)
        if not values:
            raise ExpressionError(
                "the program has no assignments: write one per line, like x = 2.0"
                if not self.globals
                else "the program names no value: end with one, like o = x.tanh()"
            )
        for name, value in values.items():
            if not value.label:
                value.label = name
        return values


def _is_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call)
