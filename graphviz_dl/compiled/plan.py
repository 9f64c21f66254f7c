"""Plans: everything precomputed for one kind of call, so a call only runs kernels.

A :class:`Plan` fixes which leaves vary over the batch (the inputs, plus any
constant given an array of values); it holds the schedule, one kernel per
group and the shared part. Differentiating adds, per set of leaves:

* a :class:`ReversePlan`: the groups to run backward and, in each, the operand
  positions whose adjoints are wanted (the others lead to no chosen leaf);
* a :class:`TangentPlan`: the groups that carry a tangent in forward mode and,
  per operand position, the tangent row of each member (or the zero row).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .kernels import OpKernel, kernel_for
from .shared import SharedPart
from .trace import Schedule, Trace

TangentOperand = tuple[int, np.ndarray | slice, np.ndarray | None]
"""(operand position, tangent row of each member, direction mask or None)."""


class Plan:
    """Schedule, kernels and shared part for one set of batched leaves."""

    def __init__(self, trace: Trace, batched_leaves: Sequence[int]) -> None:
        self.trace = trace
        self.schedule = Schedule(trace, list(batched_leaves))
        self.kernels: list[OpKernel] = [kernel_for(g) for g in self.schedule.groups]
        self.shared = SharedPart(trace, self.schedule)
        # Classes: which batched leaves a row depends on (see tiers.py).
        row_klass = self.schedule.row_klass
        self.classes: list[int] = sorted(set(row_klass))
        rows_of: dict[int, list[int]] = {}
        for row, klass in enumerate(row_klass):
            rows_of.setdefault(klass, []).append(row)
        self.class_rows = {k: np.array(rows_of[k], dtype=np.intp) for k in self.classes}
        self.class_kernels: dict[int, list[OpKernel]] = {}
        for kernel in self.kernels:
            self.class_kernels.setdefault(kernel.group.klass, []).append(kernel)
        self.tier_cache: dict[tuple[int, ...], tuple] = {}
        root = trace.root
        self.root_row = self.schedule.row[root]
        self.root_slot = self.schedule.slot[root]
        self._reverse: dict[tuple[int, ...], ReversePlan] = {}
        self._tangent: dict[tuple[int, ...], TangentPlan] = {}
        self._last_reverse: tuple[tuple[int, ...] | None, ReversePlan | None] = (
            None,
            None,
        )

    def reverse(self, wrt: tuple[int, ...]) -> ReversePlan:
        if wrt is self._last_reverse[0]:  # a training loop's same tuple: no hashing
            return self._last_reverse[1]
        plan = self._reverse.get(wrt)
        if plan is None:
            plan = self._reverse[wrt] = ReversePlan(self, wrt)
        self._last_reverse = (wrt, plan)
        return plan

    def tangent(self, wrt: tuple[int, ...]) -> TangentPlan:
        plan = self._tangent.get(wrt)
        if plan is None:
            plan = self._tangent[wrt] = TangentPlan(self, wrt)
        return plan


class Places:
    """Where each chosen leaf lives, as index arrays: the j-th leaf is in row
    ``rows[k]`` of the batched array when ``batched_j[k] == j``, else in slot
    ``slots[k]`` of the shared vector when ``shared_j[k] == j``."""

    def __init__(self, plan: Plan, wrt: tuple[int, ...]) -> None:
        row, slot = plan.schedule.row, plan.schedule.slot
        batched = [j for j, i in enumerate(wrt) if row[i] >= 0]
        shared = [j for j, i in enumerate(wrt) if row[i] < 0]
        self.batched_j = np.array(batched, dtype=np.intp)
        self.rows = np.array([row[wrt[j]] for j in batched], dtype=np.intp)
        self.shared_j = _compact(shared)
        self.slots = _compact([slot[wrt[j]] for j in shared])

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(slot, j) of each shared leaf as two index arrays, for pairwise use."""
        return _expanded(self.slots), _expanded(self.shared_j)


def _expanded(indices: np.ndarray | slice) -> np.ndarray:
    if isinstance(indices, slice):
        return np.arange(indices.start, indices.stop, dtype=np.intp)
    return indices


def _compact(indices: list[int]) -> np.ndarray | slice:
    """Indices as a slice when they run consecutively (a view, not a gather)."""
    if indices and indices == list(range(indices[0], indices[0] + len(indices))):
        return slice(indices[0], indices[0] + len(indices))
    return np.array(indices, dtype=np.intp)


class ReversePlan:
    """Which groups and operand positions reverse mode visits, latest first."""

    steps: list[tuple[OpKernel, object]]  # kernel, what it prepared for backward
    shared_wanted: list[bool]
    needs_shared: bool
    sources: Places  # where each chosen leaf's adjoint ends up

    def __init__(
        self, plan: Plan, wrt: tuple[int, ...], fresh_shared: bool = False
    ) -> None:
        """``fresh_shared``: the run sums the shared adjoints over the batch in
        one go from zeros (one chunk), so a kernel that alone adds into some
        shared slots may write them instead."""
        trace = plan.trace
        relevant = trace.depends_on(wrt)
        wanted = []
        writers: dict[int, set[int]] = {}  # batched row → kernels adding into it
        shared_writers: dict[int, set[int]] = {}  # likewise for shared slots
        for kernel in reversed(plan.kernels):
            members = kernel.group.members
            if not any(relevant[i] for i in members):
                continue
            positions = [
                k
                for k in range(len(kernel.operands))
                if any(relevant[trace.parents[i][k]] for i in members)
            ]
            wanted.append((kernel, positions))
            for k in positions:
                operand = kernel.operands[k]
                into = writers if operand.batched else shared_writers
                for row in operand.rows.tolist():
                    into.setdefault(row, set()).add(id(kernel))
        slot = plan.schedule.slot
        for i in plan.shared.nodes:  # the scalar pass adds into these too
            for parent in trace.parents[i]:
                shared_writers.setdefault(slot[parent], set()).add(-1)
        steps = []
        for kernel, positions in wanted:
            alone = []
            for k in positions:
                operand = kernel.operands[k]
                if not (operand.batched or fresh_shared):
                    continue
                into = writers if operand.batched else shared_writers
                if all(into[row] == {id(kernel)} for row in operand.rows.tolist()):
                    alone.append(k)
            steps.append((kernel, kernel.prepare(positions, frozenset(alone))))
        shared_wanted = [relevant[i] for i in plan.shared.nodes]
        self.steps = steps
        self.shared_wanted = shared_wanted
        self.needs_shared = any(relevant[i] for i in plan.schedule.shared)
        self.sources = Places(plan, wrt)


class TangentPlan:
    """Which groups forward mode visits, and where each operand's tangent is.

    A tangent entry is zero by structure when the operand does not depend on
    that direction's leaf; such entries are masked out rather than multiplied
    (``0 · inf`` would be nan where backpropagation has no such term at all).
    """

    def __init__(self, plan: Plan, wrt: tuple[int, ...]) -> None:
        trace, schedule = plan.trace, plan.schedule
        directions = np.array(
            [trace.depends_on([leaf]) for leaf in wrt], dtype=bool
        ).T.reshape(len(trace.nodes), len(wrt))
        carries = directions.any(axis=1)
        zero_row, zero_slot = schedule.n_rows, len(schedule.shared)
        self.steps: list[tuple[OpKernel, list[TangentOperand]]] = []
        for kernel in plan.kernels:
            members = kernel.group.members
            if not carries[members].any():
                continue
            positions = []
            for k, operand in enumerate(kernel.operands):
                parents = np.array([trace.parents[i][k] for i in members])
                if not carries[parents].any():
                    continue
                where = schedule.row if operand.batched else schedule.slot
                zero = zero_row if operand.batched else zero_slot
                trows = [where[p] if carries[p] else zero for p in parents]
                mask = directions[parents]
                positions.append((k, _compact(trows), None if mask.all() else mask))
            self.steps.append((kernel, positions))
        shared_dirs = np.zeros((zero_slot + 1, len(wrt)), dtype=bool)
        shared_dirs[:zero_slot] = directions[schedule.shared]
        self.shared_directions = shared_dirs
        self.shared_carries = [bool(carries[i]) for i in plan.shared.nodes]
        self.seeds = Places(plan, wrt)
        self.carries_root = bool(carries[trace.root])
