"""Check backpropagation against finite differences, leaf by leaf.

The numeric slope needs nothing but forward passes, so agreement is strong
evidence that every local derivative and the chain rule are right; a kink
(``relu`` at exactly 0) shows up as an honest mismatch, not an error.

A fixed step misleads at both ends of the number line: at ``x = 1e8`` a step
of ``1e-6`` is below the spacing of the floats near ``x`` and the difference
is mostly rounding; a tiny weight multiplied by a huge input swings the
output across its whole range within the step. So the first step is scaled
to the input (``cbrt(eps) · max(1, |x|)``, the step that balances rounding
against curvature), and where two successive steps disagree the step shrinks
tenfold until the estimate settles. The tolerance counts the rounding the
chosen step cannot avoid, and a check whose numbers are not finite says so
instead of "disagrees".
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from .engine import Value, recompute
from .graph_index import GraphIndex, display_name
from .numfmt import format_number

STEP = sys.float_info.epsilon ** (1 / 3)
"""The first relative step: about 6e-6."""
SHRINKS = 10
"""How many times the step may shrink tenfold looking for a settled estimate."""
ROUNDING = 4 * sys.float_info.epsilon
"""The relative rounding error counted in one forward pass's output."""
SWAMPED = 0.5
"""Rounding noise above this share of the slopes compared decides nothing."""


@dataclass(frozen=True)
class GradCheck:
    """One leaf's gradient from backward (``analytic``) and from nudging it."""

    node: str
    name: str
    analytic: float
    numeric: float
    ok: bool
    step: float = math.nan
    """The step of the finite difference that was compared."""
    noise: float = 0.0
    """How far rounding alone can move that finite difference."""

    @property
    def finite(self) -> bool:
        """Whether both numbers are finite (else there is nothing to compare)."""
        return math.isfinite(self.analytic) and math.isfinite(self.numeric)

    def reason(self) -> str:
        """Why the check failed, in words ("" when it passed)."""
        if self.ok:
            return ""
        a, n = format_number(self.analytic), format_number(self.numeric)
        if not math.isfinite(self.analytic) and not math.isfinite(self.numeric):
            return f"backward gives {a} and the finite difference {n}: not finite here"
        if not math.isfinite(self.analytic):
            return f"backward gives {a}, the finite difference {n}"
        if not math.isfinite(self.numeric):
            return (
                f"the finite difference is {n}: the output is not finite next to "
                f"this input (backward gives {a})"
            )
        if self.noise > SWAMPED * max(abs(self.analytic), abs(self.numeric)):
            return (
                f"backward gives {a}; rounding swamps the finite difference ({n}) "
                "at this scale"
            )
        return f"backward gives {a}, the finite difference {n}"


def agree(analytic: float, numeric: float, noise: float, rtol: float, atol: float):
    """Whether a gradient and its finite difference agree: within the
    tolerance, or within the rounding the step allows while that rounding is
    small beside the numbers compared."""
    if not (math.isfinite(analytic) and math.isfinite(numeric)):
        return False
    gap = abs(analytic - numeric)
    tolerance = atol + rtol * abs(numeric)
    if gap <= tolerance:
        return True
    swamped = noise > SWAMPED * max(abs(analytic), abs(numeric))
    return not swamped and gap <= tolerance + noise


def check_gradients(
    graph: Value | GraphIndex,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> list[GradCheck]:
    """For every leaf of a root's graph (or its index), in topological order,
    backward's ∂root/∂leaf against a central difference whose step suits the
    leaf (see the module's notes).

    ``ok`` is :func:`agree`: ``|analytic − numeric| ≤ atol + rtol·|numeric|``,
    plus the rounding the step cannot avoid while that is small. The graph
    is assumed current (as built, or after ``recompute``) and is left exactly
    as found: data, local derivatives and every ``grad``.
    """
    index = GraphIndex.of(graph)
    root, order, ids = index.root, index.nodes, index.id_of
    saved_grads = [node.grad for node in order]
    # Where each leaf is first used: nodes before it cannot depend on the leaf,
    # so a nudge only needs the forward pass from there on.
    first_use = {order[i]: users[0] for i, users in enumerate(index.children) if users}
    leaves = [order[i] for i in index.leaves]
    try:
        for leaf in leaves:
            leaf.grad = 0.0
        root.backward()
        analytic = [leaf.grad for leaf in leaves]
        results = []
        for leaf, slope in zip(leaves, analytic):
            tail = order[first_use.get(leaf, len(order) - 1) :]
            slopes = _Slopes(root, leaf, tail)
            numeric, step, noise = slopes.settled(rtol)
            ok = agree(slope, numeric, noise, rtol, atol)
            name = display_name(leaf, ids)
            results.append(GradCheck(ids[leaf], name, slope, numeric, ok, step, noise))
        return results
    finally:
        recompute(root, order)
        for node, grad in zip(order, saved_grads):
            node.grad = grad


def settle(at, step: float, rtol: float, previous=None, current=None):
    """``at(step)`` (a tuple starting slope, step taken, noise) at the larger
    of the first two successive steps that agree (less rounding, and within
    ``rtol`` of the smaller), shrinking the step tenfold; else where they came
    closest. A non-finite first estimate is returned as is. ``previous`` and
    ``current``, the estimates at ``step`` and ``step / 10``, may be given."""
    if previous is None:
        previous = at(step)
    if not math.isfinite(previous[0]):
        return previous
    best, best_gap = previous, math.inf
    for _ in range(SHRINKS):
        step /= 10
        if current is None:
            current = at(step)
        if not math.isfinite(current[0]) or current[1] == 0.0:
            break
        gap = abs(current[0] - previous[0])
        if gap <= rtol * abs(current[0]) + current[2] + previous[2]:
            return previous
        if gap < best_gap:
            best, best_gap = previous, gap
        previous, current = current, None
    return best


class _Slopes:
    """Central differences of ``root`` over one leaf, at shrinking steps."""

    def __init__(self, root: Value, leaf: Value, tail: list[Value]) -> None:
        self.root, self.leaf, self.tail = root, leaf, tail

    def settled(self, rtol: float) -> tuple[float, float, float]:
        """(slope, step, noise): see :func:`settle`."""
        return settle(self.at, STEP * max(1.0, abs(self.leaf.data)), rtol)

    def at(self, step: float) -> tuple[float, float, float]:
        """(slope, the step really taken, its rounding noise) at ``step``."""
        leaf, root, tail = self.leaf, self.root, self.tail
        original = leaf.data
        try:
            leaf.data = high = original + step
            recompute(root, tail)
            above = root.data
            leaf.data = low = original - step
            recompute(root, tail)
            below = root.data
        finally:
            leaf.data = original
            recompute(root, tail)  # the next leaf's pass may start before this tail
        taken = high - low  # x ± step rounded: the step the function really saw
        if not taken:
            return math.nan, 0.0, math.inf
        slope = (above - below) / taken
        scale = max(abs(above), abs(below))
        noise = ROUNDING * scale / taken if math.isfinite(scale) else math.inf
        return slope, taken, noise


def summarize(results: list[GradCheck]) -> str:
    """One sentence on a gradient check, naming what failed and why."""
    if not results:
        return "Nothing to check: build a program first"
    if all(r.ok for r in results):
        return f"✓ all {len(results)} input gradients match their finite differences"
    disagree = [r for r in results if not r.ok and r.finite]
    infinite = [r for r in results if not r.ok and not r.finite]
    parts = []
    if disagree:
        names = ", ".join(r.name for r in disagree)
        parts.append(f"{len(disagree)} of {len(results)} gradients disagree: {names}")
    if infinite:
        parts.append(not_finite_part(infinite, len(results)))
    return "✗ " + "; ".join(parts)


def not_finite_part(infinite: list, total: int) -> str:
    """ "2 of 9 cannot be checked, not finite: x: why (and 1 more)"."""
    first = infinite[0]
    more = f" (and {len(infinite) - 1} more)" if len(infinite) > 1 else ""
    return (
        f"{len(infinite)} of {total} cannot be checked, not finite: "
        f"{first.name}: {first.reason()}{more}"
    )
