"""Stepping through a walkthrough with some groups folded.

The walkthrough stays the one list of steps; a folded view only moves over it
differently: all forward steps of a folded group are one move, and so are all
the backward steps that pass its gradient on (whose upstream node is inside
it). Members of a group are contiguous, so each such move is one run of steps,
and every position the cursor lands on is a position of the plain walkthrough:
the numbers shown after a folded move are exactly the unfolded walk's there.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .folding import outermost
from .group_tree import GroupSpan, contents
from .numfmt import format_number
from .walkthrough import BACKWARD, FORWARD, Walkthrough, _d

SHOWN = 3
"""Output values written out in a folded forward move's sentence."""


class FoldedCursor:
    """Moves over ``walk`` with ``folded`` groups taken one phase at a time."""

    def __init__(self, walk: Walkthrough, folded: Iterable[GroupSpan]) -> None:
        self.walk = walk
        self.folded = outermost(folded)
        owner = _owners(walk, self.folded)  # per step: 2·span (+1 backward), or −1
        self._owner = owner
        ends = np.flatnonzero((owner[1:] != owner[:-1]) | (owner[:-1] < 0)) + 1
        self.stops: list[int] = [0, *ends.tolist(), len(owner)]
        self._stop_set = set(self.stops)

    def next(self, pos: int) -> int:
        """The position after the next move (the end if none is left)."""
        k = np.searchsorted(self.stops, pos, side="right")
        return self.stops[min(int(k), len(self.stops) - 1)]

    def prev(self, pos: int) -> int:
        """The position before the previous move (0 at the start)."""
        k = np.searchsorted(self.stops, pos, side="left") - 1
        return self.stops[max(int(k), 0)]

    def move_at(self, pos: int) -> GroupSpan | None:
        """The folded group whose move ended at ``pos``, if that move was one."""
        if pos <= 0 or pos not in self._stop_set or pos > len(self._owner):
            return None
        owner = int(self._owner[pos - 1])
        return None if owner < 0 else self.folded[owner // 2]

    def describe(self, pos: int) -> str:
        """What the move ending at ``pos`` did, in a sentence with its numbers."""
        if pos <= 0:
            return ""
        pos = min(pos, len(self._owner))
        span = self.move_at(pos)
        if span is None:
            return self.walk.steps[pos - 1].text
        if self.walk.steps[pos - 1].phase == FORWARD:
            return self._forward(span)
        return self._backward(span, pos)

    def _forward(self, span: GroupSpan) -> str:
        """``layer 2 forward: 16 neurons, 528 nodes; outputs 0.41, −0.07, … (16)``."""
        nodes = self.walk.nodes
        values = [format_number(nodes[p].data) for p in span.outputs]
        shown = ", ".join(values[:SHOWN])
        if len(values) > SHOWN:
            shown += f", … ({len(values)})"
        noun = "output" if len(values) == 1 else "outputs"
        return f"{span.name} forward: {_contents(span)}; {noun} {shown}"

    def _backward(self, span: GroupSpan, pos: int) -> str:
        """``layer 2 backward: gradient reaches its 16 inputs; largest |∂L/∂h| = 0.83``."""
        inputs = span.inputs
        head = f"{span.name} backward: {_contents(span)}; "
        if not inputs:
            return head + "no input outside it to pass the gradient to"
        grads = self.walk.grads(pos)[list(inputs)]
        finite = np.where(np.isnan(grads), -1.0, np.abs(grads))
        k = int(np.argmax(finite))
        r = _d(self.walk.name(self.walk.graph.root_id))
        name = self.walk.name(self.walk.graph.ids[inputs[k]])
        noun = "input" if len(inputs) == 1 else f"{len(inputs)} inputs"
        return (
            head + f"gradient reaches its {noun}; largest "
            f"|∂{r}/∂{_d(name)}| = {format_number(abs(grads[k]))}"
        )


def _contents(span: GroupSpan) -> str:
    """``16 neurons, 528 nodes``."""
    return ", ".join(contents(span))


def _owners(walk: Walkthrough, folded: list[GroupSpan]) -> np.ndarray:
    """Per step: ``2·k`` for a forward step inside folded span ``k``, ``2·k + 1``
    for a backward step whose upstream node is inside it, −1 otherwise."""
    n = len(walk.nodes)
    span_of = np.full(n, -1, dtype=np.int64)
    for k, span in enumerate(folded):
        span_of[span.start : span.stop] = k
    computed = np.flatnonzero(walk._forward_step >= 0)  # forward steps, in order
    upstream = walk.backward_sources  # per backward step, from the root down
    forward_owner = np.where(span_of[computed] >= 0, 2 * span_of[computed], -1)
    back = span_of[upstream]
    backward_owner = np.where(back >= 0, 2 * back + 1, -1)
    owner = np.concatenate([forward_owner, [-1], backward_owner])
    assert len(owner) == len(walk.steps)
    assert walk.steps[len(computed)].phase != BACKWARD
    return owner
