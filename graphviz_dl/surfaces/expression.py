"""Surfaces typed by a person in the expression language.

Three forms are accepted:

* ``f(x, y) = x^2 + 3*y^2`` — a function of x and y (any name before the
  parentheses);
* ``x^2 + 3*y^2`` — just an expression in x and y;
* a whole program whose last assignment is the output and whose leaves
  ``x`` and ``y`` are the variables (their values become the start point).

x and y need no value of their own in the first two forms. The graph is
parsed once; a gradient re-runs it through the engine at the new point, and a
grid replays it through the op table's numpy forwards, node by node, on
whole arrays. Errors are :class:`~graphviz_dl.expr.ExpressionError` with the
line and column of the text as typed.
"""

from __future__ import annotations

import re
import threading

import numpy as np

from ..engine import Value, recompute, topological_order
from ..expr import ExpressionError, parse
from .core import Point, Surface

_HEAD = re.compile(r"^(\s*)([A-Za-z_]\w*)(\s*\(\s*x\s*,\s*y\s*\))(\s*=)")
_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_]\w*\s*=(?!=)")
_ALIAS = re.compile(r"^(\s*[A-Za-z_]\w*\s*=\s*)([xy])(\s*(?:#.*)?)$")
START_SEARCH = 41
"""Points per side searched for a finite start when the suggested one is not."""


class GraphDefinition:
    """A parsed program as a surface: engine at a point, numpy replay on grids."""

    def __init__(self, root: Value, x: Value | None, y: Value | None) -> None:
        self.root = root
        self.x = x
        self.y = y
        self.order = topological_order(root)
        self.leaves = [node for node in self.order if node.op is None]
        self._lock = threading.Lock()  # the graph is reused: one point at a time

    def value_and_grad(self, x: float, y: float) -> tuple[float, Point]:
        with self._lock:
            if self.x is not None:
                self.x.data = x
            if self.y is not None:
                self.y.data = y
            recompute(self.root, self.order)
            for leaf in self.leaves:
                leaf.grad = 0.0
            self.root.backward()
            gx = self.x.grad if self.x is not None else 0.0
            gy = self.y.grad if self.y is not None else 0.0
            return self.root.data, (gx, gy)

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        values: dict[Value, object] = {}
        for node in self.order:
            if node is self.x:
                values[node] = X
            elif node is self.y:
                values[node] = Y
            elif node.op is None:
                values[node] = node.data
            else:
                values[node] = node.op.np_forward(*(values[p] for p in node.parents))
        return values[self.root]


def _program(text: str) -> tuple[str, list[str], int, int]:
    """The text as a program: (program, names defined on top, line shifted, shift).

    Only whole lines are added above the text, and a bare expression gets
    ``f = `` in front (4 columns), so error positions map straight back.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meaningful = [
        i
        for i, line in enumerate(lines)
        if line.strip() and not line.strip().startswith("#")
    ]
    shifted_line, shift = 0, 0
    if meaningful:
        first = meaningful[0]
        head = _HEAD.match(lines[first])
        if head:
            indent, name, params, equals = head.groups()
            lines[first] = (
                indent + name + " " * len(params) + equals + lines[first][head.end() :]
            )
        elif len(meaningful) == 1 and not _ASSIGNMENT.match(lines[first]):
            lines[first] = "f = " + lines[first]
            shifted_line, shift = first + 1, 4
    if meaningful:  # "f = x": the language keeps aliases out; a surface may be one
        last = meaningful[-1]
        lines[last] = _ALIAS.sub(r"\1\2 + 0.0\3", lines[last])
    program = "\n".join(lines)
    added = [
        name
        for name in ("x", "y")
        if not re.search(rf"^\s*{name}\s*=(?!=)", program, re.MULTILINE)
    ]
    return (
        "\n".join([*(f"{name} = 0.0" for name in added), program]),
        added,
        shifted_line,
        shift,
    )


def _assigned_on(text: str, name: str) -> int:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if re.match(rf"^\s*{name}\s*=(?!=)", line):
            return number
    return 1


def surface_from_expression(
    text: str,
    *,
    domain: tuple[tuple[float, float], tuple[float, float]] | None = None,
    name: str = "custom",
) -> Surface:
    """A surface from typed text (see the module docstring for the three forms).

    Raises :class:`ExpressionError` with the line and column in ``text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"a surface is typed as text, not {type(text).__name__}")
    program, added, shifted_line, shift = _program(text)
    try:
        values = parse(program)
    except ExpressionError as error:
        line = max(1, error.line - len(added))
        col = (
            error.col - shift
            if line == shifted_line and error.col > shift
            else error.col
        )
        raise ExpressionError(error.message, line, col) from None
    root = list(values.values())[-1]
    variables = {}
    for axis in ("x", "y"):
        leaf = values.get(axis)
        if leaf is not None and leaf.op is not None:
            raise ExpressionError(
                f"'{axis}' is a variable of the surface, so give it a number "
                f"(like {axis} = 1.0), not a formula",
                _assigned_on(text, axis),
                1,
            )
        variables[axis] = leaf
    if root is variables["x"] or root is variables["y"]:
        root = root + 0.0  # a surface needs an output node to replay
    start = [variables["x"].data, variables["y"].data]
    if domain is None:
        reach = max(3.0, 1.5 * max(abs(start[0]), abs(start[1])))
        domain = ((-reach, reach), (-reach, reach))
    (x0, x1), (y0, y1) = domain
    if "x" in added:
        start[0] = x0 + (x1 - x0) / 5
    if "y" in added:
        start[1] = y1 - (y1 - y0) / 5
    definition = GraphDefinition(root, *variables.values())
    surface = Surface(
        name=name,
        title="Your function",
        formula=_formula_text(text),
        domain=(tuple(map(float, domain[0])), tuple(map(float, domain[1]))),
        minima=(),
        start=(float(start[0]), float(start[1])),
        log_scale=False,
        definition=definition,
        description="Typed in the expression language.",
    )
    if added:  # a start we chose must be somewhere the race can begin
        surface = _finite_start(surface)
    return surface.with_changes(log_scale=_wants_log_scale(surface))


def _finite(surface: Surface, x: float, y: float) -> bool:
    try:
        value, grad = surface.value_and_grad(x, y)
    except (ArithmeticError, ValueError):
        return False
    return bool(np.isfinite(value) and np.all(np.isfinite(grad)))


def _finite_start(surface: Surface) -> Surface:
    """``surface`` starting at the grid point nearest its suggested start where
    f and ∇f are finite (``log(x)`` is nan at x < 0), saying so; unchanged
    when the suggested start is fine or no point is."""
    sx, sy = surface.start
    if _finite(surface, sx, sy):
        return surface
    (x0, x1), (y0, y1) = surface.domain
    X, Y = np.meshgrid(
        np.linspace(x0, x1, START_SEARCH), np.linspace(y0, y1, START_SEARCH)
    )
    order = np.argsort(((X - sx) ** 2 + (Y - sy) ** 2).ravel(), kind="stable")
    for k in order:
        x, y = round(float(X.flat[k]), 12), round(float(Y.flat[k]), 12)
        if _finite(surface, x, y):
            note = (
                f"Typed in the expression language. The race starts at "
                f"({x:.3g}, {y:.3g}): f is not finite at ({sx:.3g}, {sy:.3g})."
            )
            return surface.with_changes(start=(x, y), description=note)
    return surface


def _formula_text(text: str) -> str:
    lines = [
        line.strip()
        for line in text.strip().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    return lines[-1] if lines else text.strip()


def _wants_log_scale(surface: Surface) -> bool:
    """Colours on a log scale when the values are ≥ 0 and span many decades."""
    _, _, z = surface.grid(41, 41)
    z = z[np.isfinite(z)]
    if z.size == 0 or z.min() < 0.0:
        return False
    low = max(float(np.percentile(z, 5)) - float(z.min()), 1e-12)
    return float(z.max() - z.min()) > 1e3 * low
