"""A graph with some groups folded: each folded group is one unit.

The explorer draws a big network as a few boxes ("layer 2 · 16 neurons · 528
nodes") and opens them on request. Because :class:`GraphIndex` keeps every
group contiguous, folding is cheap: a folded group is one run of positions, the
units are the unfolded positions and the folded runs in order, and the edges
between units are the node edges that cross a box's border, counted once per
pair of units (skip connections across boxes stay visible).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .graph_index import GraphIndex
from .group_tree import GroupSpan, GroupTree
from .layout import Layout, layout_units

LEVELS = ("none", "layers", "neurons", "top")
"""How far to fold: nothing, every layer, every neuron, the top-level groups."""


class FoldCancelled(Exception):
    """The person (or a newer request) cancelled the layout before it was done."""


def fold_level(tree: GroupTree, level: str) -> frozenset[GroupSpan]:
    """The spans to fold for ``level`` (see :data:`LEVELS`).

    Graphs whose groups have no layer or neuron kind (a person's own functions)
    fold "layers" one level below the top, and "neurons" at the innermost groups.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown fold level {level!r}; choose one of: {LEVELS}")
    if level == "none":
        return frozenset()
    if level == "top":
        return frozenset(tree.roots)
    kind = level[:-1]  # "layer" or "neuron"
    chosen = tree.of_kind(kind)
    if not chosen and level == "layers":
        chosen = tree.at_depth(1) or tree.at_depth(0)
    elif not chosen:
        chosen = [s for s in tree.spans if not s.children]
    return frozenset(outermost(chosen))


def outermost(spans: Iterable[GroupSpan]) -> list[GroupSpan]:
    """The spans that no other given span holds, in order (folding a span hides
    everything inside it)."""
    chosen = set(spans)
    kept = []
    for span in sorted(chosen, key=lambda s: (s.start, s.depth)):
        outer = span.parent
        while outer is not None and outer not in chosen:
            outer = outer.parent
        if outer is None:
            kept.append(span)
    return kept


class FoldedGraph:
    """``index``'s graph with the given spans folded: units, edges, a layout.

    ``units[u]`` is a node position or a folded :class:`GroupSpan`, in order
    (every edge goes from an earlier unit to a later one). ``edges`` are
    ``(from unit, to unit, node edges)``, one per pair of units, sorted.
    """

    def __init__(self, index: GraphIndex, folded: Iterable[GroupSpan]) -> None:
        self.index = index
        self.folded = outermost(folded)
        n = len(index.nodes)
        unit = np.empty(n, dtype=np.int64)
        self.units: list[int | GroupSpan] = []
        position = 0
        for span in [*self.folded, None]:
            stop = n if span is None else span.start
            count = len(self.units)
            unit[position:stop] = np.arange(count, count + stop - position)
            self.units.extend(range(position, stop))
            if span is not None:
                unit[span.start : span.stop] = len(self.units)
                self.units.append(span)
                position = span.stop
        self._unit = unit
        self.edges = self._edges()

    def unit_of(self, position: int) -> int:
        """The unit that shows node ``position`` (its folded group's, if any)."""
        return int(self._unit[position])

    def key(self, u: int) -> str:
        """A unit's key in :meth:`layout`: the node id, or ``"g<start>"`` for a box."""
        item = self.units[u]
        if isinstance(item, GroupSpan):
            return f"g{item.start}"
        return self.index.ids[item]

    def _edges(self) -> list[tuple[int, int, int]]:
        parents = self.index.parents
        lengths = np.fromiter(map(len, parents), dtype=np.int64, count=len(parents))
        src = np.fromiter(
            (p for ps in parents for p in ps), dtype=np.int64, count=int(lengths.sum())
        )
        dst = np.repeat(np.arange(len(parents), dtype=np.int64), lengths)
        a, b = self._unit[src], self._unit[dst]
        crossing = a != b
        pairs = a[crossing] * len(self.units) + b[crossing]
        keys, counts = np.unique(pairs, return_counts=True)
        size = len(self.units)
        return [
            (int(k // size), int(k % size), int(c))
            for k, c in zip(keys.tolist(), counts.tolist())
        ]

    def parents(self) -> list[list[int]]:
        """Per unit, the units it reads from: a node's operands' units in operand
        order (so nothing folded lays out exactly as the plain graph), a box's
        each once."""
        found: list[list[int]] = [[] for _ in self.units]
        for a, b, _ in self.edges:
            if isinstance(self.units[b], GroupSpan):
                found[b].append(a)
        unit, operands = self._unit, self.index.parents
        for u, item in enumerate(self.units):
            if not isinstance(item, GroupSpan):
                found[u] = unit[list(operands[item])].tolist()
        return found

    def layout(
        self,
        progress: Callable[[float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Layout:
        """Positions of the units, as :func:`graphviz_dl.layout.layered_layout`
        gives them: a node unit at its id (and its op at ``id + ":op"``), a
        folded box at ``"g<start>"`` with ``"g<start>:op"`` one column left,
        the box spanning the two."""
        nodes = self.index.nodes
        computed = [
            isinstance(item, GroupSpan) or nodes[item].op is not None
            for item in self.units
        ]
        keys = [self.key(u) for u in range(len(self.units))]
        if cancelled is not None and cancelled():
            raise FoldCancelled("the layout was cancelled")
        if progress is not None:
            progress(0.1)
        result = layout_units(keys, computed, self.parents())
        if progress is not None:
            progress(1.0)
        return result
