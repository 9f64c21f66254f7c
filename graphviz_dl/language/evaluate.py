"""Expressions: numbers, names, arithmetic, lists, indexing and comprehensions.

Nothing here hands text to Python: each whitelisted kind of syntax node has
its own small method, and everything else is a located message. What an
expression evaluates to is one of

* a :class:`~graphviz_dl.engine.Value` (a node of the graph),
* a ``float`` (a number written out, not yet a node: it becomes an
  unlabelled constant leaf where an op uses it, as in the engine),
* a :class:`Counter` (a whole number from ``range``, ``len`` or
  ``enumerate``, which indexes lists and counts loops),
* a ``list``/``tuple`` of those, or a ``range``.

Every evaluation is a step and every node built is counted against the
limits in :mod:`.errors`, so any accepted program finishes in bounded time.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

from .. import ops
from ..engine import Value, apply
from ..expr_functions import FUNCTIONS, NUMBER_NAMES
from .errors import (
    CHECK_EVERY,
    MAX_DEPTH,
    MAX_NODES,
    MAX_STEPS,
    MAX_TURNS,
    BuildStopped,
    ExpressionError,
    OverBudget,
)
from .messages import (
    FORBIDDEN_EXPRESSIONS,
    FORBIDDEN_OPERATORS,
    RUN_YOUR_FILE,
    unknown_name,
)
from .source import Source

ARITHMETIC = {ast.Add: ops.ADD, ast.Sub: ops.SUB, ast.Mult: ops.MUL, ast.Div: ops.DIV}
_LARGEST_COUNTER = 2**53
"""A counter past this is just a float: whole-number arithmetic stays cheap."""
NOT_NUMBERS_KEPT = 1000
"""How many places where values stop being numbers are noted (the first one
is the one shown; a loop may make thousands)."""
_isfinite = math.isfinite


class Counter(int):
    """A whole number that counts (from ``range``, ``len``, ``enumerate``)."""


SEQUENCES = (list, tuple, range)


class Evaluator:
    """The expression half of the builder: scopes, counting, and evaluation."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.globals: dict[str, object] = {}
        self.scopes: list[dict[str, object]] = []
        self.imported: dict[str, str] = {}
        self.tree: ast.Module | None = None
        self.statement_line = 1
        self.depth = 0
        self.steps = 0
        self.turns = 0
        self.nodes = 0
        self.folding = 0
        self._named_calls: set[ast.Call] = set()
        """Calls of a name whose fixed parts were checked (loops repeat them)."""
        self.bindable: set[str] = set()
        """Names already checked as bindable (loops bind the same ones each turn)."""
        self.not_numbers: dict[Value, tuple[int, int]] = {}
        """Each node that is the first ±inf or nan on its path → where its
        operation is written (line, column as typed)."""
        self.cancelled: Callable[[], bool] | None = None
        self.budget = MAX_STEPS
        self.limit = MAX_STEPS
        """The step count at which :meth:`past_limit` looks again."""
        self._kinds: dict[type, Callable[[ast.AST], object]] = {
            ast.Constant: self.number,
            ast.Name: self.name,
            ast.BinOp: self.binary,
            ast.UnaryOp: self.unary,
            ast.Call: self.call,
            ast.List: self.sequence,
            ast.Tuple: self.sequence,
            ast.Subscript: self.subscript,
            ast.ListComp: self.comprehension,
            ast.GeneratorExp: self.comprehension,
            ast.Attribute: self.attribute,
            ast.Lambda: self.lambda_,
        }

    def error(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(message, *self.source.position(node))

    # --- bounds ------------------------------------------------------------------------
    def watch(
        self, cancelled: Callable[[], bool] | None = None, budget: int | None = None
    ) -> None:
        """Stop with :class:`BuildStopped` once ``cancelled()`` (looked at every
        :data:`CHECK_EVERY` steps), or with :class:`OverBudget` past ``budget``
        steps: a caller on the GUI thread tries briefly, then moves to a job."""
        self.cancelled = cancelled
        self.budget = MAX_STEPS if budget is None else min(budget, MAX_STEPS)
        self.limit = self._next_limit()

    def _next_limit(self) -> int:
        if self.cancelled is None:
            return self.budget
        return min(self.budget, self.steps + CHECK_EVERY)

    def step(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > self.limit:
            self.past_limit(node)

    def past_limit(self, node: ast.AST) -> None:
        """The step count passed :attr:`limit`: the cap, the budget, or time
        to ask whether the caller still wants the result."""
        if self.steps > MAX_STEPS:
            raise self.error(
                node,
                f"this program takes more than {MAX_STEPS:,} steps to build (a loop "
                "runs its body once per turn): use fewer turns or a shorter body",
            )
        if self.steps > self.budget:
            raise OverBudget(f"more than {self.budget:,} steps")
        if self.cancelled is not None and self.cancelled():
            raise BuildStopped("cancelled")
        self.limit = self._next_limit()

    def turn(self, node: ast.AST) -> None:
        self.turns += 1
        if self.turns > MAX_TURNS:
            raise self.error(
                node,
                f"the loops of this program turn more than {MAX_TURNS:,} times in "
                "all (nested loops multiply): use fewer turns",
            )
        self.step(node)

    def built(self, node: ast.AST, count: int) -> None:
        self.nodes += count
        if self.nodes > MAX_NODES:
            raise self.error(
                node,
                f"this program builds more than {MAX_NODES:,} nodes, more than the "
                "explorer can show: use fewer loop turns or shorter lists",
            )

    def compute(
        self, node: ast.AST, count: int, make: Callable[..., Value], *args: object
    ) -> Value:
        """``make(*args)``, which builds ``count`` nodes; an op that raises
        becomes a message, not a crash."""
        self.built(node, count)
        try:
            out = make(*args)
        except (ArithmeticError, ValueError, TypeError) as error:
            raise self.cannot_compute(node, error) from None
        if not _isfinite(out.data):
            self.not_a_number(node, out)
        return out

    def not_a_number(self, node: ast.AST, out: Value) -> None:
        """Note where ``out`` (±inf or nan) was built, if it is the first that
        is not a number on its path: its inputs (or the constants made for
        the numbers written beside it) all are. The rest are left unnoted."""
        if len(self.not_numbers) >= NOT_NUMBERS_KEPT:
            return
        where = None
        for parent in out.parents:
            if _isfinite(parent.data):
                continue
            if parent.op is not None or parent in self.not_numbers:
                return  # it only carries on one made earlier
            where = where or self.operation_position(node)
            self.not_numbers[parent] = where  # a constant written as inf
        if where is None:
            self.not_numbers[out] = self.operation_position(node)

    def operation_position(self, node: ast.AST) -> tuple[int, int]:
        """Where the operation a node builds is written: a binary operator's
        own symbol, otherwise the start of the expression."""
        if isinstance(node, ast.BinOp):
            return self.source.operator_position(node)
        return self.source.position(node)

    def cannot_compute(self, node: ast.AST, error: Exception) -> ExpressionError:
        return self.error(node, f"this cannot be computed: {error}")

    def apply(self, node: ast.AST, op: ops.Op, *operands: object) -> Value:
        """``op`` on Values and numbers: one node, plus a leaf per number.

        :meth:`compute` written out: this runs once per node built."""
        count = 1
        for operand in operands:
            if not isinstance(operand, Value):
                count += 1
        self.built(node, count)
        try:
            out = apply(op, *operands)
        except (ArithmeticError, ValueError, TypeError) as error:
            raise self.cannot_compute(node, error) from None
        if not _isfinite(out.data):
            self.not_a_number(node, out)
        return out

    # --- expressions ---------------------------------------------------------------------
    def expression(self, node: ast.expr) -> object:
        # the step is counted inline: this runs up to MAX_STEPS times
        self.steps += 1
        if self.steps > self.limit:
            self.past_limit(node)
        kind = self._kinds.get(type(node))
        if kind is None:
            what = FORBIDDEN_EXPRESSIONS.get(type(node), f"{type(node).__name__} is")
            raise self.error(
                node,
                f"{what} not allowed: a program has numbers, names, + - * / **, "
                "calls, lists, indexing and comprehensions",
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(
                node,
                f"this expression is nested too deeply (more than {MAX_DEPTH} "
                "levels): split it into several assignments",
            )
        value = kind(node)
        self.depth -= 1
        return value

    def operand(self, node: ast.expr) -> Value | float:
        """An expression that must be one number or Value (not a list)."""
        value = self.expression(node)
        if isinstance(value, SEQUENCES):
            raise self.error(
                node,
                "a list is not a number: pick one item, like xs[0], or add them up "
                "with sum(xs)",
            )
        return value  # type: ignore[return-value]

    def number(self, node: ast.Constant) -> float:
        value = node.value
        if type(value) is float:  # the common case, first: a loop asks each turn
            return value
        if isinstance(value, bool) or value is None:
            raise self.error(node, f"{value} is not a number here")
        if isinstance(value, int):
            try:
                return float(value)
            except OverflowError:
                return math.inf if value > 0 else -math.inf
        if isinstance(value, float):
            return value
        if isinstance(value, complex):
            raise self.error(node, "complex numbers (like 2j) are not allowed")
        if isinstance(value, (str, bytes)):
            raise self.error(
                node, "text in quotes is only for labels, like Value(2.0, label='a')"
            )
        raise self.error(node, f"'{value!r}' is not allowed here")

    def lookup(self, name: str) -> object | None:
        if not self.scopes:
            return self.globals.get(name)
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return self.globals.get(name)

    def name(self, node: ast.Name) -> object:
        name = node.id
        if name in NUMBER_NAMES:
            return NUMBER_NAMES[name]
        value = self.lookup(name)
        if value is not None:
            return value
        if name in FUNCTIONS:
            usage = FUNCTIONS[name].usage
            raise self.error(node, f"'{name}' is a function: call it, like {usage}")
        if name in BUILTIN_NAMES:
            usage = BUILTIN_USAGE[name]
            raise self.error(node, f"'{name}' must be called, like {usage}")
        line = self.assigned_line(name)
        if line is not None and name not in self.imported:
            where = "this line" if line == self.statement_line else f"line {line}"
            raise self.error(
                node,
                f"'{name}' is used before it has a value (it is assigned on {where})",
            )
        known = [*self.globals, *(n for scope in self.scopes for n in scope)]
        raise self.error(node, unknown_name(name, known, self.imported))

    def assigned_line(self, name: str) -> int | None:
        """The first line that assigns ``name`` (looked up only for a message)."""
        if self.tree is None:
            return None
        lines = [
            node.lineno
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Store)
            and node.id == name
        ]
        return min(lines, default=None)

    def unary(self, node: ast.UnaryOp) -> object:
        if type(node.op) is ast.USub:  # the common case, first
            operand = self.operand(node.operand)
            if type(operand) is float:
                return -operand
            if isinstance(operand, Counter):
                return Counter(-operand)
            if not isinstance(operand, Value):
                return -operand
            return self.apply(node, ops.NEG, operand)
        if isinstance(node.op, ast.Not):
            raise self.error(
                node, "'not' is not allowed: there are no true/false values"
            )
        if isinstance(node.op, ast.Invert):
            raise self.error(node, "'~' is not allowed")
        operand = self.operand(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(operand, Counter):
            return Counter(-operand)
        if not isinstance(operand, Value):
            return -operand
        return self.apply(node, ops.NEG, operand)

    def binary(self, node: ast.BinOp) -> object:
        kind = type(node.op)
        if kind in FORBIDDEN_OPERATORS:
            raise ExpressionError(
                FORBIDDEN_OPERATORS[kind], *self.source.operator_position(node)
            )
        left = self.operand(node.left)
        right = self.operand(node.right)
        return self.combine(node, kind, left, right)

    def combine(
        self, node: ast.AST, kind: type, left: Value | float, right: Value | float
    ) -> object:
        """``left op right``: numbers with a counter (or inside ``Value(…)``) fold."""
        numbers = not isinstance(left, Value) and not isinstance(right, Value)
        if numbers and (
            self.folding or isinstance(left, Counter) or isinstance(right, Counter)
        ):
            return _fold(kind, left, right)
        if kind is ast.Pow:
            if not isinstance(right, Value):
                op = ops.POW_CONST.bind(right)
                return self.apply(node, op, left)
            if not isinstance(left, Value):
                return self.apply(node, ops.RPOW.bind(left), right)
            return self.apply(node, ops.POW, left, right)
        return self.apply(node, ARITHMETIC[kind], left, right)

    def folded(self, node: ast.expr) -> object:
        """An expression in which arithmetic on numbers is worked out."""
        self.folding += 1
        try:
            return self.expression(node)
        finally:
            self.folding -= 1

    def lambda_(self, node: ast.Lambda) -> object:
        raise self.error(node, f"lambda is not allowed: {RUN_YOUR_FILE}")

    def attribute(self, node: ast.Attribute) -> object:
        raise self.error(node, attribute_message(node.attr))

    # the lists mixin supplies these; the calls mixin supplies call()
    def sequence(self, node: ast.List | ast.Tuple) -> object:  # pragma: no cover
        raise NotImplementedError

    def subscript(self, node: ast.Subscript) -> object:  # pragma: no cover
        raise NotImplementedError

    def comprehension(self, node: ast.expr) -> object:  # pragma: no cover
        raise NotImplementedError

    def call(self, node: ast.Call) -> object:  # pragma: no cover - overridden
        raise NotImplementedError


BUILTIN_NAMES = frozenset({"Value", "range", "zip", "enumerate", "len"})
"""Python's names the language understands besides the op functions."""
BUILTIN_USAGE = {
    "Value": "Value(2.0, label='a')",
    "range": "range(3)",
    "zip": "zip(ws, xs)",
    "enumerate": "enumerate(xs)",
    "len": "len(xs)",
}


def attribute_message(attr: str) -> str:
    """Why ``x.attr`` cannot be read, and what to write instead."""
    if attr.startswith("_"):
        return f"names starting with '_' are not allowed ({attr})"
    if attr in ("data", "grad"):
        return (
            f"reading .{attr} is not needed: the explorer shows every node's "
            "value and gradient"
        )
    return (
        f"attribute access (a.{attr}) is not allowed: a Value's methods are "
        "called, like x.tanh() or x.max(y)"
    )


def _fold(kind: type, left: float, right: float) -> float:
    """Arithmetic on two known numbers, with the op table's IEEE answers."""
    if kind is ast.Pow:
        out = ops.POW.forward(float(left), float(right))
    else:
        out = ARITHMETIC[kind].forward(float(left), float(right))
    whole = isinstance(left, (Counter, int)) or float(left).is_integer()
    whole = whole and (isinstance(right, int) or float(right).is_integer())
    if (
        kind in (ast.Add, ast.Sub, ast.Mult)
        and whole
        and (isinstance(left, Counter) or isinstance(right, Counter))
        and abs(out) <= _LARGEST_COUNTER
    ):
        return Counter(int(out))
    return out
