"""``Surface``: a 2-D objective that gives gradients through the engine and grids
through numpy, from one definition.

A built-in surface is a function ``f(x, y, m)`` written with operators and the
tiny math namespace ``m`` (``m.exp``, ``m.cos``, ``m.pi``, …). Called with two
``Value`` leaves and :data:`VALUE_MATH`, it builds an engine graph (gradients
by ``backward()``); called with numpy arrays and :data:`NUMPY_MATH`, the same
text evaluates a whole grid at once, through the op table's numpy forwards.
No formula is written twice, and no Python loop runs over grid points.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from .. import ops
from ..engine import Value, recompute, topological_order

Domain = tuple[tuple[float, float], tuple[float, float]]
Point = tuple[float, float]


class _Math:
    """The functions a surface formula may call, for one kind of number."""

    pi = math.pi
    e = math.e

    def __init__(self, name: str, unary: Callable, binary: Callable, total: Callable):
        self.name = name
        self._unary = unary
        self._binary = binary
        self._total = total

    def exp(self, a):
        return self._unary("exp", a)

    def log(self, a):
        return self._unary("log", a)

    def sqrt(self, a):
        return self._unary("sqrt", a)

    def sin(self, a):
        return self._unary("sin", a)

    def cos(self, a):
        return self._unary("cos", a)

    def tanh(self, a):
        return self._unary("tanh", a)

    def sigmoid(self, a):
        return self._unary("sigmoid", a)

    def abs(self, a):
        return self._unary("abs", a)

    def relu(self, a):
        return self._unary("relu", a)

    def max(self, a, b):
        return self._binary("max", a, b)

    def min(self, a, b):
        return self._binary("min", a, b)

    def sum(self, terms: Iterable):
        """One sum of many terms (a single ``sum`` node in the engine)."""
        return self._total(list(terms))

    def mean(self, terms: Iterable):
        terms = list(terms)
        return self._total(terms) / len(terms)


def _value_unary(name: str, a):
    return getattr(a if isinstance(a, Value) else Value(a), name)()


def _value_binary(name: str, a, b):
    return getattr(a if isinstance(a, Value) else Value(a), name)(b)


def _numpy_unary(name: str, a):
    return ops.OPS[name].np_forward(a)


def _numpy_binary(name: str, a, b):
    return ops.OPS[name].np_forward(a, b)


def _numpy_sum(terms: list):
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


VALUE_MATH = _Math("value", _value_unary, _value_binary, Value.sum)
"""Math for ``Value`` operands: every call builds an engine node."""
NUMPY_MATH = _Math("numpy", _numpy_unary, _numpy_binary, _numpy_sum)
"""Math for numpy arrays: the op table's vectorized forwards."""

Formula = Callable[[object, object, _Math], object]
"""``f(x, y, m)``: a surface written once for both kinds of number."""


class Definition(Protocol):
    """How a surface computes: through the engine at a point, through numpy on grids."""

    def value_and_grad(self, x: float, y: float) -> tuple[float, Point]: ...

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray: ...


class FormulaDefinition:
    """A :data:`Formula` run through the engine or through numpy.

    The engine graph is built once per thread and re-run at each new point
    (``recompute`` then ``backward``): the same numbers as a fresh build, at
    about half the cost, and threads never share a graph.
    """

    def __init__(self, function: Formula, axes: tuple[str, str] = ("x", "y")) -> None:
        self.function = function
        self.axes = axes
        self._local = threading.local()

    def value_and_grad(self, x: float, y: float) -> tuple[float, Point]:
        graph = getattr(self._local, "graph", None)
        if graph is None:
            graph = self._local.graph = self._build()
        xv, yv, out, order, leaves = graph
        if out is None:
            return float(self.function(x, y, VALUE_MATH)), (0.0, 0.0)
        xv.data = x
        yv.data = y
        recompute(out, order)
        for leaf in leaves:
            leaf.grad = 0.0
        out.backward()
        return out.data, (xv.grad, yv.grad)

    def _build(self):
        xv, yv = Value(0.0, self.axes[0]), Value(0.0, self.axes[1])
        out = self.function(xv, yv, VALUE_MATH)
        if not isinstance(out, Value):
            return xv, yv, None, [], []
        order = topological_order(out)
        return xv, yv, out, order, [node for node in order if node.op is None]

    def graph(self, x: float, y: float) -> Value:
        """A fresh engine graph at ``(x, y)`` (leaves labelled with the axis names)."""
        out = self.function(Value(x, self.axes[0]), Value(y, self.axes[1]), VALUE_MATH)
        return out if isinstance(out, Value) else Value(out)

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        return self.function(X, Y, NUMPY_MATH)


@dataclass(frozen=True)
class SurfaceParameter:
    """A knob that reshapes a surface (the elongated bowl's condition number)."""

    name: str
    default: float
    low: float
    high: float
    log: bool


@dataclass(frozen=True, eq=False)
class Surface:
    """A 2-D objective: its formula, where to look at it, and where its minima are.

    ``value_and_grad`` goes through the engine (the gradient an optimizer
    sees); ``evaluate`` and ``grid`` go through numpy, vectorized. Both use
    the same definition, so a grid point equals the engine's value there.
    """

    name: str
    title: str
    formula: str
    domain: Domain
    minima: tuple[Point, ...]
    start: Point
    log_scale: bool
    definition: Definition = field(repr=False)
    axes: tuple[str, str] = ("x", "y")
    description: str = ""
    parameter: SurfaceParameter | None = None
    parameter_value: float | None = None
    data: dict[str, np.ndarray] | None = field(default=None, repr=False)
    _rebuild: Callable[[float], Surface] | None = field(default=None, repr=False)

    # --- one point, through the engine --------------------------------------------
    def value(self, x: float, y: float) -> float:
        """f(x, y) as a float (numpy scalar arithmetic: inf/nan, never an error)."""
        return float(self.evaluate(np.float64(x), np.float64(y)))

    def value_and_grad(self, x: float, y: float) -> tuple[float, Point]:
        """f and (∂f/∂x, ∂f/∂y) at one point, by backpropagation through the engine."""
        value, (gx, gy) = self.definition.value_and_grad(float(x), float(y))
        return float(value), (float(gx), float(gy))

    def hessian(self, x: float, y: float) -> np.ndarray:
        """The 2×2 Hessian at (x, y): central differences of the engine's gradients.

        Symmetrized; nan where the gradient is not finite nearby.
        """
        x, y = float(x), float(y)
        hx = 1e-5 * max(1.0, abs(x))
        hy = 1e-5 * max(1.0, abs(y))
        _, gxp = self.value_and_grad(x + hx, y)
        _, gxm = self.value_and_grad(x - hx, y)
        _, gyp = self.value_and_grad(x, y + hy)
        _, gym = self.value_and_grad(x, y - hy)
        with np.errstate(all="ignore"):
            h = np.array(
                [
                    [(gxp[0] - gxm[0]) / (2 * hx), (gxp[1] - gxm[1]) / (2 * hx)],
                    [(gyp[0] - gym[0]) / (2 * hy), (gyp[1] - gym[1]) / (2 * hy)],
                ]
            )
            return (h + h.T) / 2

    # --- many points, through numpy -------------------------------------------------
    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """f on arrays that broadcast together (a grid, a line, a single point)."""
        X = np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=np.float64)
        with np.errstate(all="ignore"):
            Z = np.asarray(self.definition.evaluate(X, Y), dtype=np.float64)
        shape = np.broadcast_shapes(X.shape, Y.shape)
        if Z.shape != shape:
            Z = np.broadcast_to(Z, shape).copy()
        return Z

    def grid(
        self, nx: int, ny: int, domain: Domain | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``xs`` (nx,), ``ys`` (ny,) and ``Z`` (ny, nx): ``Z[i, j] = f(xs[j], ys[i])``.

        Row-major, as an image is drawn: rows are y, columns are x.
        """
        (x0, x1), (y0, y1) = self.domain if domain is None else domain
        xs = np.linspace(float(x0), float(x1), int(nx))
        ys = np.linspace(float(y0), float(y1), int(ny))
        return xs, ys, self.evaluate(xs[np.newaxis, :], ys[:, np.newaxis])

    # --- facts ------------------------------------------------------------------------
    def min_value(self) -> float | None:
        """The lowest value over the known minima (None when none is known)."""
        if not self.minima:
            return None
        return min(self.value_and_grad(x, y)[0] for x, y in self.minima)

    def with_parameter(self, value: float) -> Surface:
        """The same surface with its :attr:`parameter` set to ``value``."""
        if self.parameter is None or self._rebuild is None:
            raise ValueError(f"the {self.title} surface has no parameter to change")
        return self._rebuild(value)

    def with_changes(self, **changes) -> Surface:
        """A copy with some fields changed (a new start point, a wider domain)."""
        return replace(self, **changes)


def formula_surface(
    name: str,
    title: str,
    formula: str,
    function: Formula,
    *,
    domain: Domain,
    minima: Sequence[Point],
    start: Point,
    log_scale: bool,
    axes: tuple[str, str] = ("x", "y"),
    description: str = "",
    **extra,
) -> Surface:
    """A :class:`Surface` from one :data:`Formula`."""
    return Surface(
        name=name,
        title=title,
        formula=formula,
        domain=(
            (float(domain[0][0]), float(domain[0][1])),
            (float(domain[1][0]), float(domain[1][1])),
        ),
        minima=tuple((float(x), float(y)) for x, y in minima),
        start=(float(start[0]), float(start[1])),
        log_scale=log_scale,
        definition=FormulaDefinition(function, axes),
        axes=axes,
        description=description,
        **extra,
    )
