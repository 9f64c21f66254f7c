"""Calls: ``Value(…)``, the op functions, ``x.tanh()``-style methods, and the
few Python built-ins a lecture's loops use (``range zip enumerate len sum``).

Methods come from the op table like the functions do: every op of one or two
operands that is not written with an operator is a method, so ``x.gelu()``,
``x.leaky_relu(0.1)`` and ``x.max(y)`` need no code of their own here.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from ..engine import Value
from ..expr_functions import FUNCTIONS, METHODS, Function
from .errors import MAX_LABEL, MAX_TURNS
from .evaluate import BUILTIN_NAMES, SEQUENCES, Counter, attribute_message
from .lists import Lists
from .messages import RUN_YOUR_FILE, unknown_function

_VALUE_USAGE = "Value(2.0) or Value(2.0, label='a')"


class Calls(Lists):
    """Evaluation of every kind of call."""

    def call(self, node: ast.Call) -> object:
        if node not in self._named_calls:  # a loop's calls are looked at once
            if isinstance(node.func, ast.Attribute):
                return self.method(node, node.func)
            self.check_named_call(node)
        name = node.func.id  # type: ignore[attr-defined]
        if self.lookup(name) is not None:
            raise self.error(node.func, f"'{name}' is a value, not a function")
        if name == "Value":
            return self.value_leaf(node)
        if name in BUILTIN_NAMES:
            return self.builtin(node, name)
        function = FUNCTIONS.get(name)
        if function is None:
            raise self.error(node.func, unknown_function(name, self.imported))
        self.refuse_keywords(node, function.usage)
        if name == "sum" and 1 <= len(node.args) <= 2:
            first = self.expression(node.args[0])
            if isinstance(first, SEQUENCES):
                return self.python_sum(node, first)
            args = [first, *(self.operand(a) for a in node.args[1:])]
        else:
            args = [self.operand(argument) for argument in node.args]
        return self.call_function(node, function, args)

    def check_named_call(self, node: ast.Call) -> None:
        """What never changes about a call of a name, looked at once per call
        written (:attr:`_named_calls`): what is called, and no ``*``."""
        if isinstance(node.func, ast.Lambda):
            self.lambda_(node.func)  # refuses it, with its message
        if not isinstance(node.func, ast.Name):
            raise self.error(
                node.func, "only a function name can be called, like tanh(x)"
            )
        name = node.func.id
        if name.startswith("__"):
            raise self.error(
                node.func, f"names starting with '__' are not allowed ({name})"
            )
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                raise self.error(argument, "'*' unpacking is not allowed")
        self._named_calls.add(node)

    def refuse_keywords(self, node: ast.Call, usage: str) -> None:
        for keyword in node.keywords:
            raise self.error(
                keyword,
                "'**' unpacking is not allowed"
                if keyword.arg is None
                else f"keyword arguments like '{keyword.arg}=…' are not allowed: "
                f"pass values in order, like {usage}",
            )

    def call_function(
        self, node: ast.Call, function: Function, args: Sequence[object]
    ) -> Value:
        count = len(args)
        if count < function.min_args or (
            function.max_args is not None and count > function.max_args
        ):
            raise self.error(
                node,
                f"{function.name} takes {function.arity_text()} ({function.usage}), "
                f"but got {count}",
            )
        problem = function.check(args) if function.check else None
        if problem:
            raise self.error(node, problem)
        count = 1
        for argument in args:
            if not isinstance(argument, Value):
                count += 1
        return self.compute(node, count, function.build, args)

    # --- Value(…) ----------------------------------------------------------------------
    def value_leaf(self, node: ast.Call) -> Value:
        """``Value(2.0)``, ``Value(2.0, label='a')``, ``Value(data=2.0)``: a leaf."""
        data_node: ast.expr | None = node.args[0] if node.args else None
        label = ""
        if len(node.args) > 1:
            raise self.error(
                node.args[1], f"Value takes a number and a label, like {_VALUE_USAGE}"
            )
        for keyword in node.keywords:
            if keyword.arg == "data" and data_node is None:
                data_node = keyword.value
            elif keyword.arg == "label":
                label = self.label_text(keyword.value)
            else:
                raise self.error(
                    keyword, f"Value takes a number and a label, like {_VALUE_USAGE}"
                )
        if data_node is None:
            raise self.error(node, f"Value needs its number, like {_VALUE_USAGE}")
        data = self.folded(data_node)
        if isinstance(data, SEQUENCES):
            raise self.error(data_node, "Value holds one number, not a list")
        if isinstance(data, Value):
            raise self.error(
                data_node,
                "Value(…) makes a new leaf from a number written out; this is "
                "already a Value: use it as it is",
            )
        return self.compute(node, 1, lambda: Value(float(data), label=label))

    def label_text(self, node: ast.expr) -> str:
        """A label: text in quotes, written out."""
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            raise self.error(node, "a label is text in quotes, like label='a'")
        if len(node.value) > MAX_LABEL:
            raise self.error(
                node, f"a label has at most {MAX_LABEL} characters: shorten it"
            )
        return node.value

    # --- Python's built-ins ---------------------------------------------------------------
    def builtin(self, node: ast.Call, name: str) -> object:
        if node.keywords:
            self.refuse_keywords(node, f"{name}(…)")
        evaluate = self.folded if name == "range" else self.expression
        args = [evaluate(argument) for argument in node.args]
        if name == "range":
            return self.range_of(node, args)
        if name == "len":
            if len(args) != 1 or not isinstance(args[0], SEQUENCES):
                raise self.error(node, "len takes one list, like len(xs)")
            return Counter(len(args[0]))
        lists = [
            self.listed(argument, value) for argument, value in zip(node.args, args)
        ]
        if name == "zip":
            if not lists:
                raise self.error(node, "zip takes lists, like zip(ws, xs)")
            length = min(len(items) for items in lists)
            self.built_items(node, length)
            # only the items taken: a range is cut to them, as counters
            columns = [_counted(items, length) for items in lists]
            return list(zip(*columns))
        if len(lists) != 1:
            raise self.error(node, "enumerate takes one list, like enumerate(xs)")
        items = lists[0]
        self.built_items(node, len(items))
        return list(zip(map(Counter, range(len(items))), _counted(items, len(items))))

    def listed(self, node: ast.expr, value: object) -> Sequence[object]:
        """A list or range to zip or enumerate, as it is: only the items
        taken are made (and counted), so ``zip(xs, range(10**5))`` costs len(xs)."""
        if not isinstance(value, SEQUENCES):
            raise self.error(node, "this is not a list: zip and enumerate take lists")
        return value

    def built_items(self, node: ast.AST, count: int) -> None:
        """``count`` steps at once (each item made is a step)."""
        if count > 0:
            self.steps += count - 1
            self.step(node)  # looks at the limits once for all of them

    def range_of(self, node: ast.Call, args: list[object]) -> range:
        if not 1 <= len(args) <= 3:
            raise self.error(node, "range takes 1 to 3 whole numbers, like range(3)")
        bounds = []
        for argument, value in zip(node.args, args):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int):
                raise self.error(
                    argument, "range takes whole numbers written out, like range(3)"
                )
            bounds.append(value)
        if len(bounds) == 3 and bounds[2] == 0:
            raise self.error(node.args[2], "range's step cannot be 0")
        try:
            turns = len(range(*bounds))
        except OverflowError:  # more turns than a machine word counts
            turns = None
        if turns is None or turns > MAX_TURNS:
            count = "countless" if turns is None else f"{turns:,}"
            raise self.error(
                node,
                f"this range has {count} turns; a program's loops turn at most "
                f"{MAX_TURNS:,} times in all: use a smaller range",
            )
        return range(*bounds)

    def python_sum(self, node: ast.Call, items: Sequence[object]) -> object:
        """Python's ``sum(xs, start)``: ``start + x1 + x2 …``, one + at a time,
        exactly the nodes ``sum`` builds on micrograd's Values (start is 0)."""
        total: object = 0.0
        if len(node.args) == 2:
            total = self.operand(node.args[1])
        for item in self.items(node.args[0], items):
            if isinstance(item, SEQUENCES):
                raise self.error(node.args[0], "sum adds numbers, not lists")
            total = self.combine(node, ast.Add, total, item)  # type: ignore[arg-type]
        return total

    # --- methods ----------------------------------------------------------------------------
    def method(self, node: ast.Call, func: ast.Attribute) -> object:
        name = func.attr
        receiver_node = func.value
        if isinstance(receiver_node, ast.Name) and receiver_node.id in self.imported:
            module = receiver_node.id
            hint = (
                f"write {name}(x), not {module}.{name}(x)"
                if name in FUNCTIONS
                else RUN_YOUR_FILE
            )
            raise self.error(
                func, f"'{module}' is imported but never run by the language: {hint}"
            )
        if name == "backward":
            raise self.error(
                func, "o.backward() is a line of its own, not part of an expression"
            )
        if name not in METHODS:
            raise self.error(func, _method_message(name))
        receiver = self.operand(receiver_node)
        if not isinstance(receiver, Value):
            raise self.error(
                receiver_node,
                f"a number has no methods: write {name}(…) of it, or make it a "
                f"Value first, like Value(2.0).{name}()",
            )
        function = FUNCTIONS[name]
        self.refuse_keywords(node, METHODS[name])
        args = [receiver, *(self.operand(argument) for argument in node.args)]
        count = len(args)
        if count < function.min_args or (
            function.max_args is not None and count > function.max_args
        ):
            raise self.error(
                node,
                f"{name} is called like {METHODS[name]}, but got {count - 1} "
                f"argument{'s' * (count != 2)}",
            )
        return self.call_function(node, function, args)


def _counted(items: Sequence[object], length: int) -> Sequence[object]:
    """The first ``length`` items of a list, or of a range as counters."""
    if isinstance(items, range):
        return [Counter(item) for item in items[:length]]
    return items


def _method_message(name: str) -> str:
    if name in ("zero_grad", "_backward"):
        return "the explorer runs the backward pass itself: delete this call"
    if name.startswith("_") or name in ("data", "grad", "label"):
        return attribute_message(name)
    return f"Values have no method '{name}': the methods are " + ", ".join(
        METHODS.values()
    )
