"""The loss surface of your own graph: its output over two of its leaves.

A person builds a graph in the explorer, picks two leaves (say the weights
``t1`` and ``t2``) and asks what the output looks like as those two move while
every other leaf keeps its current value. :func:`graph_surface` compiles the
graph once (:func:`~graphviz_dl.compiled.compile_graph`, the two leaves as
inputs) and hands back an ordinary :class:`~.core.Surface`: the picture is one
vectorized call over the whole grid, and a race's gradient at a point comes
from the *same* program by backpropagation, so the paths follow exactly the
function that is drawn. The graph itself is never changed: the other leaves'
values are read once, when the surface is made.

With ``random_directions=True`` the two axes are not leaves but directions
through all the parameters at once, as Li et al. (2018) slice a network's
loss: ``f(θ₀ + α·d₁ + β·d₂)`` with d₁, d₂ random and filter-normalized
(:mod:`.directions`). Every parameter ``θᵢ`` of a copy of the graph becomes
the node ``θ₀ᵢ + d₁ᵢ·α + d₂ᵢ·β``, so α and β are again just two leaves of one
compiled program. A filter is the weights one ``linear`` node (a neuron)
multiplies its inputs by; its bias gets no component; any other parameter
is a filter of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..compiled import CompiledGraph, compile_graph
from ..engine import Value, apply, topological_order
from ..numfmt import format_number
from . import directions
from .core import Domain, Point, Surface
from .expression import _wants_log_scale

SHOWN_CONSTANTS = 4
"""How many of the fixed leaves the formula line names."""


class CompiledDefinition:
    """A surface's two ways of computing, both through one compiled program.

    ``program`` takes the two axes as its inputs; the grid is
    :meth:`CompiledGraph.forward` over arrays, a point's gradient
    :meth:`CompiledGraph.value_and_grad` (reverse mode) at one element.
    """

    def __init__(self, program: CompiledGraph) -> None:
        if len(program.inputs) != 2:
            raise ValueError("a surface's program takes exactly two inputs")
        self.program = program

    def value_and_grad(self, x: float, y: float) -> tuple[float, Point]:
        value, (gx, gy) = self.program.value_and_grad(x, y)
        return float(value), (float(gx), float(gy))

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        return self.program.forward(X, Y)


def graph_surface(
    root: Value,
    x: Value | None = None,
    y: Value | None = None,
    *,
    random_directions: bool = False,
    parameters: Sequence[Value] | None = None,
    seed: int = 0,
    span: float = 1.0,
    domain: Domain | None = None,
    names: tuple[str, str] | None = None,
) -> Surface:
    """``root``'s graph as a surface over the leaves ``x`` and ``y`` (start: their
    current values), or, with ``random_directions``, over (α, β) along two
    filter-normalized random directions through ``parameters`` (default: every
    labelled leaf; start: (0, 0), domain: [−span, span]²).

    ``names`` name the axes (default: the leaves' labels). Raises
    :class:`~graphviz_dl.compiled.GraphInputError` (a ``ValueError``) for a
    leaf that is not in the graph, is computed, or is chosen twice, and
    ``ValueError`` for a start that is not a finite number.
    """
    if not isinstance(root, Value):
        raise TypeError(f"a graph surface needs a Value, not {type(root).__name__}")
    if random_directions:
        if x is not None or y is not None:
            raise ValueError(
                "random directions move every parameter: do not choose two leaves too"
            )
        return _random_slice(root, parameters, seed, span, domain, names)
    if x is None or y is None:
        raise ValueError("choose two leaves of the graph for the two axes")
    return _leaf_pair(root, x, y, domain, names)


# --- two leaves -----------------------------------------------------------------------
def _leaf_pair(
    root: Value,
    x: Value,
    y: Value,
    domain: Domain | None,
    names: tuple[str, str] | None,
) -> Surface:
    program = compile_graph(root, [x, y])
    axes = names or (x.label or "x", y.label or "y")
    start = (float(x.data), float(y.data))
    for axis, value in zip(axes, start):
        if not math.isfinite(value):
            raise ValueError(
                f"{axis} is {format_number(value)}: give it a number before "
                "drawing the surface around it"
            )
    if domain is None:
        domain = tuple(_around(v) for v in start)
    output = root.label or "f"
    fixed = [leaf for leaf in program.constants if leaf.label]
    shown = ", ".join(
        f"{leaf.label} = {format_number(leaf.data)}" for leaf in fixed[:SHOWN_CONSTANTS]
    )
    if len(fixed) > SHOWN_CONSTANTS:
        shown += f" and {len(fixed) - SHOWN_CONSTANTS} more"
    formula = f"{output}({axes[0]}, {axes[1]})"
    if shown:
        formula += f" with {shown}"
    return _surface(
        name="graph",
        title="Your graph",
        formula=formula,
        domain=domain,
        start=start,
        program=program,
        axes=axes,
        description=(
            f"Your graph's output {output} as {axes[0]} and {axes[1]} move, every "
            "other input kept at its current value; the ring is where the graph "
            "is now. Gradients come from the same compiled program as the picture."
        ),
    )


def _around(value: float) -> tuple[float, float]:
    """An axis centred on the current value, wide enough to see its neighbourhood."""
    reach = max(2.0, 2.0 * abs(value))
    return (value - reach, value + reach)


# --- two random directions --------------------------------------------------------------
def _random_slice(
    root: Value,
    parameters: Sequence[Value] | None,
    seed: int,
    span: float,
    domain: Domain | None,
    names: tuple[str, str] | None,
) -> Surface:
    order = topological_order(root)
    if parameters is None:
        params = [node for node in order if node.op is None and node.label]
    else:
        params = list(dict.fromkeys(parameters))
        in_graph = set(order)
        for leaf in params:
            if leaf not in in_graph or leaf.op is not None:
                what = repr(leaf.label) if leaf.label else "an unlabelled value"
                raise ValueError(f"{what} is not a leaf of this graph")
    if not params:
        raise ValueError(
            "the graph has no labelled leaves to move: name its parameters "
            "(w = 0.5) or pass them"
        )
    center = np.array([p.data for p in params], dtype=np.float64)
    if not np.all(np.isfinite(center)):
        bad = next(p for p, c in zip(params, center) if not math.isfinite(c))
        raise ValueError(
            f"{bad.label or 'a parameter'} is {format_number(bad.data)}: give it a "
            "number first"
        )
    d1, d2 = directions.random_directions(center, linear_filters(root, params), seed)
    if not (np.any(d1) and np.any(d2)):
        raise ValueError(
            "every parameter is 0, so filter-normalized directions are 0 too: "
            "give some parameters a value first"
        )
    axes = names or ("α", "β")
    alpha, beta = Value(0.0, axes[0]), Value(0.0, axes[1])
    moved = {}
    for p, c, a, b in zip(params, center, d1, d2):
        if a != 0.0 or b != 0.0:
            node = Value.linear([float(a), float(b)], [alpha, beta], float(c))
            node.label = p.label
            moved[p] = node
    program = compile_graph(_substituted(order, moved), [alpha, beta])
    span = float(span)
    if domain is None:
        domain = ((-span, span), (-span, span))
    output = root.label or "f"
    surface = _surface(
        name="graph-random-slice",
        title="Your graph along two random directions",
        formula=f"{output}(θ₀ + {axes[0]}·d₁ + {axes[1]}·d₂)",
        domain=domain,
        start=(0.0, 0.0),
        program=program,
        axes=axes,
        description=(
            f"Your graph's output {output} on a plane through its current values "
            f"of {len(params)} parameters, along two random directions "
            f"(seed {seed}) normalized filter by filter as in Li et al. 2018: "
            f"{axes[0]} = 1 is a step as large as the parameters themselves."
        ),
    )
    return surface


def linear_filters(root: Value, parameters: Sequence[Value]) -> list[list[int]]:
    """The filters of ``parameters`` (indices into it) in ``root``'s graph.

    The weights one ``linear`` node multiplies by form one filter; a bias of
    a ``linear`` node belongs to none (it does not move); every other
    parameter is a filter of its own.
    """
    index = {p: i for i, p in enumerate(parameters)}
    filters: list[list[int]] = []
    placed: set[int] = set()
    biases: set[int] = set()
    for node in topological_order(root):
        if node.op is None or node.op.name != "linear":
            continue
        operands = node.parents
        weights = [
            index[w] for w in operands[:-1:2] if w in index and index[w] not in placed
        ]
        if weights:
            filters.append(weights)
            placed.update(weights)
        bias = index.get(operands[-1])
        if bias is not None:
            biases.add(bias)
    filters += [[i] for i in range(len(parameters)) if i not in placed | biases]
    return filters


def _substituted(order: list[Value], moved: dict[Value, Value]) -> Value:
    """A copy of the graph (in topological ``order``) with some leaves replaced;
    unmoved leaves are shared with the original, which is left as it was."""
    new: dict[Value, Value] = {}
    for node in order:
        if node.op is None:
            new[node] = moved.get(node, node)
        else:
            copy = apply(node.op, *(new[p] for p in node.parents))
            copy.label = node.label
            new[node] = copy
    return new[order[-1]]


# --- the surface ------------------------------------------------------------------------
def _surface(
    *,
    name: str,
    title: str,
    formula: str,
    domain: Domain,
    start: Point,
    program: CompiledGraph,
    axes: tuple[str, str],
    description: str,
) -> Surface:
    surface = Surface(
        name=name,
        title=title,
        formula=formula,
        domain=(
            (float(domain[0][0]), float(domain[0][1])),
            (float(domain[1][0]), float(domain[1][1])),
        ),
        minima=(),
        start=(float(start[0]), float(start[1])),
        log_scale=False,
        definition=CompiledDefinition(program),
        axes=(str(axes[0]), str(axes[1])),
        description=description,
    )
    return surface.with_changes(log_scale=_wants_log_scale(surface))
