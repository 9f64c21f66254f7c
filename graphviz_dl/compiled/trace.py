"""A Value graph traced once into plain index arrays, then cut into levels.

Tracing walks the graph a single time and numbers every node in topological
order; nothing after that touches a ``Value``. A :class:`Schedule` then splits
the nodes in two kinds, given which leaves vary across the batch:

* **batched** nodes depend on a varying leaf: each holds one number per batch
  element, a row of a ``[rows × batch]`` array;
* **shared** nodes depend on constants only: one number each, computed once.

Batched nodes are grouped by (level, op, arity, which operands are batched,
which batched leaves they depend on), so a whole group runs as one numpy call
on stacked rows: a node's level is one more
than its deepest batched parent, hence every group needs only groups of lower
levels. Each group's outputs get consecutive rows, so results are written
(and read back by the next group) as slices instead of scattered indices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..engine import Value, topological_order
from ..ops import Op
from .scatter import RowAdder


class Trace:
    """The graph as numbers: node ``i`` is the i-th in topological order."""

    def __init__(self, root: Value) -> None:
        self.nodes: list[Value] = topological_order(root)
        self.index: dict[Value, int] = {n: i for i, n in enumerate(self.nodes)}
        self.ops: list[Op | None] = [n.op for n in self.nodes]
        self.parents: list[tuple[int, ...]] = [
            tuple(self.index[p] for p in n.parents) for n in self.nodes
        ]
        self.root = len(self.nodes) - 1
        self.leaves = [i for i, op in enumerate(self.ops) if op is None]

    def depends_on(self, sources: Iterable[int]) -> list[bool]:
        """For each node: does it depend on (or is it) one of ``sources``?"""
        hit = [False] * len(self.nodes)
        for i in sources:
            hit[i] = True
        for i, parents in enumerate(self.parents):
            if not hit[i] and any(hit[p] for p in parents):
                hit[i] = True
        return hit


@dataclass(frozen=True, eq=False)
class Operand:
    """One operand position of a group: where each member finds that operand.

    ``rows`` index the batched array when ``batched`` else the shared vector;
    ``span`` is the same rows as a slice when they are consecutive, and
    ``adder`` adds gradients into those rows (summing the repeated ones).
    """

    batched: bool
    rows: np.ndarray
    span: slice | None
    adder: RowAdder


@dataclass(frozen=True, eq=False)
class Group:
    """Nodes that run together: same level, same op, same operand kinds."""

    op: Op
    level: int
    members: np.ndarray  # node indices, in row order
    out: slice  # their rows in the batched array
    operands: tuple[Operand, ...]
    klass: int  # the batched leaves they depend on, as bits


def _operand(batched: bool, rows: list[int]) -> Operand:
    array = np.asarray(rows, dtype=np.intp)
    span = None
    if batched and len(rows) and rows == list(range(rows[0], rows[0] + len(rows))):
        span = slice(rows[0], rows[0] + len(rows))
    return Operand(batched, array, span, RowAdder(array))


class Schedule:
    """Rows, levels and groups for one choice of varying (batched) leaves.

    ``row[i]`` is node i's row in the batched array (or -1) and ``slot[i]`` its
    place in the shared vector (or -1). Batched leaves take the first rows, in
    the order given.
    """

    def __init__(self, trace: Trace, batched_leaves: list[int]) -> None:
        n = len(trace.nodes)
        batched = trace.depends_on(batched_leaves)
        level = [0] * n
        # Which batched leaves a node depends on, as bits: its value varies
        # only along those leaves' axes (see ``Plan.tiers``).
        klass = [0] * n
        for k, i in enumerate(batched_leaves):
            klass[i] |= 1 << k
        keyed: dict[tuple, list[int]] = {}
        for i in range(n):
            op = trace.ops[i]
            if op is None or not batched[i]:
                continue
            parents = trace.parents[i]
            kinds = tuple(batched[p] for p in parents)
            level[i] = 1 + max(level[p] for p, b in zip(parents, kinds) if b)
            for p in parents:
                klass[i] |= klass[p]
            key = (level[i], id(op), len(parents), kinds, klass[i])
            keyed.setdefault(key, []).append(i)

        self.batched = batched
        self.level = level
        self.klass = klass
        self.row = [-1] * n
        for r, i in enumerate(batched_leaves):
            self.row[i] = r
        self.batched_leaves = list(batched_leaves)

        # Rows: the leaves, then class by class (a class before the classes
        # containing it), level by level inside a class; so each class's rows
        # are one range, and each group's rows follow its parents'.
        rows = len(batched_leaves)
        by_class = sorted(keyed, key=lambda k: (k[4].bit_count(), k[4], k[0]))
        self.class_span: dict[int, slice] = {}
        for key in by_class:
            members = keyed[key]
            members.sort(key=lambda i: (self._batched_rows(trace, i), i))
            first = self.class_span.get(key[4], slice(rows, rows)).start
            for i in members:
                self.row[i] = rows
                rows += 1
            self.class_span[key[4]] = slice(first, rows)
        self.n_rows = rows
        ordered = [(key[0], keyed[key]) for key in sorted(keyed, key=lambda k: k[0])]
        self._number_shared(trace, [m for _, m in ordered])
        self.groups: list[Group] = [
            self._group(trace, level, members) for level, members in ordered
        ]
        # Python ints, not int64: a graph may have more than 63 batched inputs.
        self.row_klass: list[int] = [0] * rows
        for i in range(n):
            if self.row[i] >= 0:
                self.row_klass[self.row[i]] = klass[i]

    def _number_shared(self, trace: Trace, groups: list[list[int]]) -> None:
        """Slots for shared nodes in the order groups read them.

        A neuron's weights and bias then sit side by side, neuron after neuron,
        so a dense layer's weight matrix is a plain view of the shared vector
        (no gathering) and its gradients are added in place.
        """
        n = len(trace.nodes)
        self.slot = [-1] * n
        self.shared: list[int] = []  # node of each slot

        def take(i: int) -> None:
            if not self.batched[i] and self.slot[i] < 0:
                self.slot[i] = len(self.shared)
                self.shared.append(i)

        for members in groups:
            for i in members:
                for p in trace.parents[i]:
                    take(p)
        for i in range(n):
            take(i)

    def _batched_rows(self, trace: Trace, i: int) -> tuple[int, ...]:
        return tuple(self.row[p] for p in trace.parents[i] if self.batched[p])

    def _group(self, trace: Trace, level: int, members: list[int]) -> Group:
        first = trace.parents[members[0]]
        operands = []
        for k, parent in enumerate(first):
            is_batched = self.batched[parent]
            where = self.row if is_batched else self.slot
            operands.append(
                _operand(is_batched, [where[trace.parents[i][k]] for i in members])
            )
        start = self.row[members[0]]
        return Group(
            op=trace.ops[members[0]],
            level=level,
            members=np.asarray(members, dtype=np.intp),
            out=slice(start, start + len(members)),
            operands=tuple(operands),
            klass=self.klass[members[0]],
        )

    @property
    def levels(self) -> int:
        """How many levels the batched nodes span (the depth of the replay)."""
        return max((g.level for g in self.groups), default=0)
