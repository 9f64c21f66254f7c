"""Check ∂root/∂node for EVERY node of a graph, not only its inputs.

Backward gives each node's gradient; a central difference gives it again
with nothing but forward passes: nudge the node's value, run forward over
the nodes downstream of it only (the rest cannot change), read the root.
Checking inner nodes too points at the op whose local derivative is wrong,
not just at an input far below it.

The step follows :mod:`graphviz_dl.gradcheck`: ``cbrt(eps)·max(1, |x|)``,
shrunk tenfold while successive estimates disagree, and a tolerance that
counts the rounding the step cannot avoid (so no false ✗ at ``x = 1e8``)
plus a tiny absolute floor (so a wrong gradient of ``1e-9`` is not hidden).

At a point where the output has no derivative (relu or |x| at 0, a tie in
max or min) the slopes from the left and from the right differ however small
the step: that is a *kink*, a verdict of its own with the rule the engine
follows, never reported as a wrong gradient.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .engine import Value, recompute
from .gradcheck import ROUNDING, STEP, agree, not_finite_part, settle
from .graph_index import GraphIndex
from .numfmt import format_number

OK, WRONG, KINK, NOT_FINITE = "ok", "wrong", "kink", "not finite"
MARKS = {OK: "✓", WRONG: "✗", KINK: "kink", NOT_FINITE: "✗"}


@dataclass(frozen=True)
class NodeCheck:
    """One node's gradient from backward (``analytic``) and from nudging it."""

    node: str
    name: str
    analytic: float
    numeric: float
    verdict: str
    explanation: str = ""
    """For a kink, which op and what the engine does there; for a ✗, why."""
    step: float = math.nan
    left: float = math.nan
    """The one-sided slope from below at the smallest step tried twice."""
    right: float = math.nan

    @property
    def ok(self) -> bool:
        return self.verdict == OK

    @property
    def finite(self) -> bool:
        return math.isfinite(self.analytic) and math.isfinite(self.numeric)

    @property
    def mark(self) -> str:
        """What a card shows: ✓, ✗ or "kink"."""
        return MARKS[self.verdict]

    def reason(self) -> str:
        """The verdict in words ("" when the gradient matched)."""
        return self.explanation


def kink_of(node: Value, name: str = "") -> str | None:
    """Why ``node``'s op has no derivative at its current inputs, and which
    one-sided derivative the engine uses there (PyTorch's rule); None when
    the op is differentiable here."""
    op = node.op
    if op is None:
        return None
    xs = [p.data for p in node.parents]
    where = f" ({name})" if name else ""
    if op.name == "relu" and xs[0] == 0.0:
        return (
            f"relu at 0{where}: the derivative jumps from 0 to 1; "
            "the engine uses 0, like PyTorch"
        )
    if op.name == "abs" and xs[0] == 0.0:
        return (
            f"|x| at 0{where}: the derivative jumps from −1 to 1; "
            "the engine uses 0, like PyTorch"
        )
    if op.name == "leaky_relu" and xs[0] == 0.0:
        slope = format_number(node.local_grads[0])
        return (
            f"leaky relu at 0{where}: the derivative jumps from {slope} to 1; "
            f"the engine uses {slope}, like PyTorch"
        )
    if op.name in ("max", "min") and xs[0] == xs[1]:
        tie = format_number(xs[0])
        return (
            f"{op.name} of a tie ({tie} = {tie}){where}: each input's derivative "
            "jumps between 0 and 1; the engine gives each 0.5, like PyTorch"
        )
    return None


def descendants(index: GraphIndex, position: int) -> list[int]:
    """The positions of every node downstream of ``position``, in order."""
    children = index.children
    seen = set(children[position])
    stack = list(seen)
    while stack:
        for c in children[stack.pop()]:
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return sorted(seen)


def check_every_node(
    graph: Value | GraphIndex,
    rtol: float = 1e-5,
    atol: float = 1e-13,
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    name_of: Callable[[int], str] | None = None,
) -> list[NodeCheck]:
    """Every node's ∂root/∂node from backward against a central difference,
    in topological order (see the module's notes). The graph is assumed
    current and is left exactly as found: data, local derivatives, grads.
    Returns the checks done so far if ``cancelled()`` turns true;
    ``name_of(position)`` names nodes in the texts (the walkthrough's names)."""
    index = GraphIndex.of(graph)
    name_of = name_of or index.name
    root, order = index.root, index.nodes
    saved = [node.grad for node in order]
    results: list[NodeCheck] = []
    try:
        for i in index.leaves:
            order[i].grad = 0.0
        root.backward()
        analytic = [node.grad for node in order]
        for i, node in enumerate(order):
            if cancelled is not None and cancelled():
                break
            tail_positions = descendants(index, i)
            tail = [order[k] for k in tail_positions]
            probe = _Probe(root, node, tail)
            results.append(
                _verdict(
                    index, i, analytic[i], probe, tail_positions, rtol, atol, name_of
                )
            )
            if progress is not None and i % 64 == 0:
                progress(i / len(order))
        return results
    finally:
        recompute(root, order)
        for node, grad in zip(order, saved):
            node.grad = grad


def _verdict(index, i, slope, probe, tail_positions, rtol, atol, name_of) -> NodeCheck:
    """Probe node ``i`` and decide: ✓, ✗, kink or not finite."""
    node_id, name = index.ids[i], name_of(i)
    numeric, step, noise, left, right, kinked = probe.run(rtol, atol)
    common = {"step": step, "left": left, "right": right}
    if kinked:
        why = next(
            (
                text
                for k in tail_positions
                if (text := kink_of(index.nodes[k], name_of(k)))
            ),
            None,
        ) or (
            f"the slope from the left ({format_number(left)}) and from the right "
            f"({format_number(right)}) differ: no derivative here; backward "
            f"uses {format_number(slope)}"
        )
        return NodeCheck(node_id, name, slope, numeric, KINK, why, **common)
    if not (math.isfinite(slope) and math.isfinite(numeric)):
        why = (
            f"backward gives {format_number(slope)} and the finite difference "
            f"{format_number(numeric)}: not finite here"
        )
        return NodeCheck(node_id, name, slope, numeric, NOT_FINITE, why, **common)
    if agree(slope, numeric, noise, rtol, atol):
        return NodeCheck(node_id, name, slope, numeric, OK, **common)
    why = (
        f"backward gives {format_number(slope)}, the finite difference "
        f"{format_number(numeric)}"
    )
    return NodeCheck(node_id, name, slope, numeric, WRONG, why, **common)


class _Probe:
    """Central and one-sided differences of ``root`` over one node."""

    def __init__(self, root: Value, node: Value, tail: list[Value]) -> None:
        self.root, self.node, self.tail = root, node, tail
        self.base = root.data

    def run(self, rtol: float, atol: float):
        """(slope, step, noise, left, right, kinked): the central slope at the
        larger of the first two successive steps that agree; ``kinked`` when
        the one-sided slopes differ at two steps alike (a jump in the
        derivative does not shrink with the step, curvature does)."""
        original = self.node.data
        try:
            step = STEP * max(1.0, abs(original))
            first, second = self.at(step), self.at(step / 10)
            kinked = _kinked(first, second, rtol, atol)
            best = settle(self.at, step, rtol, first, second)
            return (*best[:3], second[3], second[4], kinked)
        finally:
            self.node.data = original
            recompute(self.root, self.tail)

    def at(self, step: float) -> tuple[float, float, float, float, float, float]:
        """(central, step taken, noise, left, right, one-sided noise) at ``step``."""
        node, root, tail = self.node, self.root, self.tail
        original = node.data
        node.data = high = original + step
        recompute(root, tail)
        above = root.data
        node.data = low = original - step
        recompute(root, tail)
        below = root.data
        node.data = original
        up, down = high - original, original - low
        if not (up and down):
            return math.nan, 0.0, math.inf, math.nan, math.nan, math.inf
        scale = max(abs(above), abs(below), abs(self.base))
        noise = ROUNDING * scale / (up + down) if math.isfinite(scale) else math.inf
        left = (self.base - below) / down
        right = (above - self.base) / up
        return (above - below) / (up + down), up + down, noise, left, right, 2 * noise


def _kinked(first, second, rtol: float, atol: float) -> bool:
    """Whether the one-sided slopes disagree at both steps by about as much."""
    gaps = []
    for estimate in (first, second):
        left, right, noise = estimate[3], estimate[4], estimate[5]
        if not (math.isfinite(left) and math.isfinite(right)):
            return False
        gap = abs(right - left)
        if gap <= rtol * max(abs(left), abs(right)) + 2 * noise + atol:
            return False
        gaps.append(gap)
    return gaps[1] > 0.5 * gaps[0]


def summarize_nodes(results: list[NodeCheck]) -> str:
    """One sentence on a whole-graph check: ✓ when nothing disagrees (kinks
    named), else ✗ naming what disagreed or could not be checked and why."""
    if not results:
        return "Nothing to check: build a program first"
    n = len(results)
    ok = sum(r.ok for r in results)
    wrong = [r for r in results if r.verdict == WRONG]
    infinite = [r for r in results if r.verdict == NOT_FINITE]
    kinks = [r for r in results if r.verdict == KINK]
    parts = []
    if wrong:
        names = ", ".join(r.name for r in wrong[:5])
        more = f" and {len(wrong) - 5} more" if len(wrong) > 5 else ""
        parts.append(f"{len(wrong)} of {n} gradients disagree: {names}{more}")
    if infinite:
        parts.append(not_finite_part(infinite, n))
    if kinks:
        causes = list(dict.fromkeys(r.explanation for r in kinks))
        others = len(causes) - 1
        parts.append(
            f"{len(kinks)} at a kink, not wrong: {causes[0]}"
            + (
                f" (and {others} other kink{'s' if others > 1 else ''})"
                if others
                else ""
            )
        )
    if wrong or infinite:
        return "✗ " + "; ".join(parts)
    head = f"✓ all {n}" if ok == n else f"✓ {ok} of {n}"
    return "; ".join([f"{head} node gradients match their finite differences", *parts])
