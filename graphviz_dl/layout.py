"""A left-to-right layered drawing of a Value graph, for the graph explorer.

Sugiyama's recipe, kept small: columns from the topological structure, long
edges given channels of placeholder points that keep room for them, barycentre
sweeps to reduce crossings, then rows pulled toward their neighbours without
ever overlapping.
Node keys are those of :func:`graphviz_dl.graph.to_networkx`; units are one
column and one row.

Every edge joins an even column (values, channel points) to an odd one (ops,
channel points). Big graphs use that: all odd columns are reordered at once
from the even ones and the other way round, each half-sweep a few numpy calls
however many columns there are. Small graphs are swept column by column, which
finds a few more crossings to remove.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .cancel import CancelCheck, stop_if
from .engine import Value
from .gc_pause import cycle_collector_paused
from .graph_index import GraphIndex, op_node_id

_HEAVY = 4.0
"""How strongly an op node and its value, and the links of a channel, pull each
other into one row: straight lines read as "this makes that"."""

_CHANNEL_BUDGET = 2.0
"""Bend points allowed per drawn node; beyond it the longest edges go straight."""

_SEQUENTIAL_LIMIT = 8000
"""Up to this many nodes plus edges, columns are swept one after another (the
classic order, which finds fewer crossings); beyond it, half the columns at once."""

_ROW_PASSES = 12
"""Rounds of pulling rows toward their neighbours (each round: odd, then even)."""


@dataclass
class Layout:
    """Where every node of the graph goes.

    ``positions[key] = (x, y)`` with ``x`` the column (0 at the left) and ``y``
    the row (0 first); both lie in ``[0, width] × [0, height]``. ``layers`` gives
    each key its column as an integer. Edges are drawn straight; a value whose
    edges skip columns keeps a channel of free slots open beside them while
    the columns are ordered and spaced.
    """

    positions: dict[str, tuple[float, float]]
    layers: dict[str, int]
    width: float
    height: float


def layered_layout(
    graph: Value | GraphIndex, sweeps: int = 4, cancelled: CancelCheck | None = None
) -> Layout:
    """Lay a root's graph (or its index) out left to right; deterministic.

    An op node sits one column before the value it computes; a computed value
    sits one column after its last-placed operand; a leaf sits just left of its
    earliest consumer, so weights and constants do not trail long edges from
    column 0. ``sweeps`` rounds of barycentre ordering reduce crossings
    (``sweeps=0`` keeps the topological order, useful for comparison).
    Raises :class:`~graphviz_dl.cancel.Cancelled` soon after ``cancelled()``
    turns true (it is looked at between the stages and sweeps).
    """
    index = GraphIndex.of(graph)
    computed = [node.op is not None for node in index.nodes]
    return layout_units(index.ids, computed, index.parents, sweeps, cancelled)


def layout_units(
    keys: Sequence[str],
    computed: Sequence[bool],
    parents: Sequence[Sequence[int]],
    sweeps: int = 4,
    cancelled: CancelCheck | None = None,
) -> Layout:
    """:func:`layered_layout` of any DAG given in topological order: per unit its
    key, whether it is computed (then an op node ``key + ":op"`` sits one column
    before it) and its parents' positions. A folded graph's units are laid out
    through this, a group's box taking the place of an op node and its value."""
    with cycle_collector_paused():  # cost linear in nodes, not worse
        return _layout_units(keys, computed, parents, sweeps, cancelled)


def _layout_units(
    keys: Sequence[str],
    computed: Sequence[bool],
    parents: Sequence[Sequence[int]],
    sweeps: int,
    cancelled: CancelCheck | None,
) -> Layout:
    g = _Graph(keys, computed, parents)
    stop_if(cancelled)
    channels = g.add_channels(int(_CHANNEL_BUDGET * len(g.keys)) + 16)
    stop_if(cancelled)
    column = np.asarray(g.column, dtype=np.int64)
    src, dst, heavy = g.edges()
    columns = g.initial_columns(computed, channels)
    stop_if(cancelled)
    if len(column) + len(src) <= _SEQUENTIAL_LIMIT:
        rank = _sequential_sweeps(columns, g.preds, g.succs, sweeps, len(column))
    else:
        rank = _initial_ranks(columns, len(column))
        ordering = _Ordering(column, src, dst)
        for _ in range(sweeps):
            stop_if(cancelled)
            for parity in (1, 0):
                rank = ordering.sweep(rank, parity, towards_left=True)
            for parity in (1, 0):
                rank = ordering.sweep(rank, parity, towards_left=False)
    stop_if(cancelled)
    y = _assign_rows(column, src, dst, heavy, rank)
    y -= y.min()
    keys, cols, rows = g.keys, g.column, y.tolist()
    return Layout(
        positions={k: (float(cols[i]), rows[i]) for i, k in enumerate(keys)},
        layers={k: cols[i] for i, k in enumerate(keys)},
        width=float(column.max()),
        height=float(y.max()),
    )


class _Graph:
    """The drawing's nodes as integers: values ``0..n-1`` (topological order),
    then op nodes, then channel points; with neighbour lists and columns."""

    def __init__(
        self,
        keys: Sequence[str],
        computed: Sequence[bool],
        parents_of: Sequence[Sequence[int]],
    ) -> None:
        n = len(keys)
        self.keys = list(keys)
        self.preds: list[list[int]] = [[] for _ in range(n)]
        self.succs: list[list[int]] = [[] for _ in range(n)]
        self.heavy: list[list[int]] = [[] for _ in range(n)]  # heavy preds only
        self.column = [0] * n
        column, preds, succs, heavy = self.column, self.preds, self.succs, self.heavy
        for i in range(n):
            if not computed[i]:
                continue
            op = len(self.keys)
            self.keys.append(op_node_id(self.keys[i]))
            parents = list(parents_of[i])
            preds.append(parents)
            succs.append([i])
            heavy.append([])
            heavy[i].append(op)
            preds[i].append(op)
            for p in parents:
                succs[p].append(op)
            op_column = max((column[p] for p in parents), default=0) + 1
            column.append(op_column)
            column[i] = op_column + 1
        for i in range(n):
            if not computed[i] and succs[i]:
                column[i] = min(column[s] for s in succs[i]) - 1

    def add_channels(self, budget: int) -> dict[int, list[int]]:
        """Give values whose edges skip columns a chain of points, shortest first.

        Each point occupies a slot in its column, so ordering and spacing keep
        nodes off the edge; consumers take their edge from the point just left
        of them. Returns each such value's chain, one point per column.
        """
        column, preds, succs, heavy = self.column, self.preds, self.succs, self.heavy
        wanted = []
        for u in range(len(self.keys)):
            far = max((column[v] for v in succs[u]), default=0)
            if far - column[u] > 1:
                wanted.append((far - column[u] - 1, u, far))
        wanted.sort()
        channels: dict[int, list[int]] = {}
        for length, u, far in wanted:
            if length > budget:
                break
            budget -= length
            first = len(column)
            chain = list(range(first, first + length))
            channels[u] = chain
            column.extend(range(column[u] + 1, far))
            before = [u, *chain[:-1]]
            preds.extend([b] for b in before)
            heavy.extend([b] for b in before)
            succs.extend([d] for d in chain[1:])
            succs.append([])
            far_ones = sorted({v for v in succs[u] if column[v] - column[u] > 1})
            kept = [v for v in succs[u] if column[v] - column[u] == 1]
            for v in far_ones:
                point = chain[column[v] - column[u] - 2]
                uses = preds[v].count(u)
                preds[v] = [point if p == u else p for p in preds[v]]
                succs[point].extend([v] * uses)
            succs[u] = [*kept, chain[0]]
        return channels

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every edge once, left to right: source, target, and whether it is heavy."""
        src = [p for preds in self.preds for p in preds]
        dst = [v for v, preds in enumerate(self.preds) for _ in preds]
        heavy = [
            p in self.heavy[v] for v, preds in enumerate(self.preds) for p in preds
        ]
        return (
            np.asarray(src, dtype=np.int64),
            np.asarray(dst, dtype=np.int64),
            np.asarray(heavy, dtype=bool),
        )

    def initial_columns(self, computed, channels) -> list[list[int]]:
        """Each column in topological order: an op node just before its value,
        a value's channel points as soon as the value is placed."""
        column = self.column
        columns: list[list[int]] = [[] for _ in range(max(column) + 1)]
        op = len(computed)
        for i, is_computed in enumerate(computed):
            if is_computed:
                columns[column[op]].append(op)
                op += 1
            columns[column[i]].append(i)
            for point in channels.get(i, ()):
                columns[column[point]].append(point)
        return columns


def _initial_ranks(columns: list[list[int]], count: int) -> np.ndarray:
    """Each node's place in its column, centred on 0."""
    rank = [0.0] * count
    for nodes in columns:
        half = (len(nodes) - 1) / 2.0
        for r, v in enumerate(nodes):
            rank[v] = r - half
    return np.asarray(rank, dtype=np.float64)


def _sequential_sweeps(
    columns: list[list[int]],
    preds: list[list[int]],
    succs: list[list[int]],
    sweeps: int,
    count: int,
) -> np.ndarray:
    """Barycentre sweeps column by column: left to right by predecessors, then
    right to left by successors."""
    rank = _initial_ranks(columns, count).tolist()
    for _ in range(sweeps):
        for nodes in columns[1:]:
            _reorder(nodes, preds, rank)
        for nodes in reversed(columns[:-1]):
            _reorder(nodes, succs, rank)
    return np.asarray(rank, dtype=np.float64)


def _reorder(nodes: list[int], neighbours: list[list[int]], rank: list[float]) -> None:
    """Sort one column by the mean rank of each node's neighbours on one side."""
    if len(nodes) < 2:
        return
    at = rank.__getitem__
    keyed = [
        (sum(map(at, nb)) / len(nb) if (nb := neighbours[v]) else rank[v], r, v)
        for r, v in enumerate(nodes)
    ]
    keyed.sort()
    nodes[:] = [v for _, _, v in keyed]
    half = (len(nodes) - 1) / 2.0
    for r, v in enumerate(nodes):
        rank[v] = r - half


class _Ordering:
    """Barycentre reordering of all the columns of one parity at once."""

    def __init__(self, column: np.ndarray, src: np.ndarray, dst: np.ndarray) -> None:
        self.column = column
        self.size = np.bincount(column)
        parity = column % 2
        self.members = [np.flatnonzero(parity == q) for q in (0, 1)]
        self.links = {}
        for towards_left in (True, False):
            node, other = (dst, src) if towards_left else (src, dst)
            for q in (0, 1):
                pick = parity[node] == q
                count = np.bincount(node[pick], minlength=len(column))
                self.links[towards_left, q] = (node[pick], other[pick], count)

    def sweep(self, rank: np.ndarray, parity: int, towards_left: bool) -> np.ndarray:
        """Sort each column of ``parity`` by its nodes' mean neighbour rank on one
        side (nodes without such neighbours keep their rank); ties keep order."""
        node, other, count = self.links[towards_left, parity]
        total = np.bincount(node, weights=rank[other], minlength=len(rank))
        centre = np.where(count > 0, total / np.maximum(count, 1), rank)
        members = self.members[parity]
        cols = self.column[members]
        placed = members[np.lexsort((rank[members], centre[members], cols))]
        cols = self.column[placed]
        first = np.searchsorted(cols, cols)  # where each node's column begins
        rank = rank.copy()
        rank[placed] = np.arange(len(placed)) - first - (self.size[cols] - 1) / 2.0
        return rank


def _assign_rows(
    column: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    heavy: np.ndarray,
    rank: np.ndarray,
) -> np.ndarray:
    """Rows near the weighted mean of each node's neighbours, column order kept,
    nodes of a column at least one row apart. Heavy links count ``_HEAVY``."""
    n = len(column)
    node = np.concatenate([src, dst])
    other = np.concatenate([dst, src])
    weight = np.tile(np.where(heavy, _HEAVY, 1.0), 2)
    weight_sum = np.bincount(node, weights=weight, minlength=n)
    parity = column % 2
    halves = []
    for q in (1, 0):
        members = np.flatnonzero(parity == q)
        members = members[np.lexsort((rank[members], column[members]))]
        pick = parity[node] == q
        fit = _SpacedFit(column[members])
        halves.append((members, fit, node[pick], other[pick], weight[pick]))
    y = rank.copy()
    for _ in range(_ROW_PASSES):
        for members, fit, node_q, other_q, weight_q in halves:
            total = np.bincount(node_q, weights=weight_q * y[other_q], minlength=n)
            wanted = np.where(weight_sum > 0, total / np.maximum(weight_sum, 1.0), y)
            y[members] = fit(wanted[members])
    return y


class _SpacedFit:
    """Rows close to the wanted ones, in the given order, at least 1 apart.

    With ``z_i = y_i − i`` (``i`` the place in the column) the constraint is
    "z never decreases". The running maximum from the top and the running
    minimum from the bottom are both such sequences, one above and one below
    the wish; their mean is too, and it sits evenly between them. All columns
    are done at once by lifting each column above the ones before it.
    """

    def __init__(self, columns: np.ndarray) -> None:
        starts = np.flatnonzero(np.r_[True, columns[1:] != columns[:-1]])
        lengths = np.diff(np.r_[starts, len(columns)])
        group = np.repeat(np.arange(len(starts)), lengths)
        self.place = np.arange(len(columns)) - starts[group]
        self.group = group.astype(np.float64)

    def __call__(self, wanted: np.ndarray) -> np.ndarray:
        if not len(wanted):
            return wanted
        z = wanted - self.place
        lift = (z.max() - z.min() + 1.0) * self.group
        above = np.maximum.accumulate(z + lift) - lift
        below = -(np.maximum.accumulate((-z - lift)[::-1])[::-1] + lift)
        return (above + below) / 2.0 + self.place
