"""The shared part of a graph: nodes that depend on constants only.

They hold one number each whatever the batch, so they are computed once per
call with the scalar op table (exactly as the engine does) instead of per
element. Their values feed the batched groups as ``[m, 1]`` columns that numpy
broadcasts; their slopes are plain numbers too, so gradients that reach them
are passed on to the constant leaves by a short scalar loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .trace import Schedule, Trace


class SharedPart:
    """Scalar forward, reverse and tangent passes over the shared nodes."""

    def __init__(self, trace: Trace, schedule: Schedule) -> None:
        slot = schedule.slot
        self.size = len(schedule.shared)
        self.leaf_slots = np.array(
            [slot[i] for i in trace.leaves if slot[i] >= 0], dtype=np.intp
        )
        # where each shared leaf sits in the list of all leaves
        self.leaf_positions = np.array(
            [k for k, i in enumerate(trace.leaves) if slot[i] >= 0], dtype=np.intp
        )
        computed = sorted(i for i in schedule.shared if trace.ops[i] is not None)
        self.nodes = computed
        self.steps = [
            (slot[i], trace.ops[i], tuple(slot[p] for p in trace.parents[i]))
            for i in computed
        ]
        self._cache: tuple[bytes | None, tuple] = (None, ())

    def values(
        self, leaf_values: np.ndarray
    ) -> tuple[np.ndarray, list[tuple[float, ...]]]:
        """Shared values ``S`` and each computed node's local slopes.

        ``leaf_values`` holds every leaf's number in trace order; the result for
        the last one asked is kept, as a surface redrawn with the same
        constants asks again and again.
        """
        key = leaf_values.tobytes()
        cached_key, cached = self._cache
        if key == cached_key:
            return cached
        shared = np.zeros(self.size)
        shared[self.leaf_slots] = leaf_values[self.leaf_positions]
        slopes = []
        if self.steps:
            values = shared.tolist()
            for s, op, parents in self.steps:
                xs = [values[p] for p in parents]
                out = op.forward(*xs)
                values[s] = out
                slopes.append(op.local(*xs, out))
            shared = np.array(values, dtype=np.float64)
        result = (shared, slopes)
        self._cache = (key, result)  # one assignment: safe to read from threads
        return result

    def backward(
        self,
        GS: np.ndarray,
        slopes: list[tuple[float, ...]],
        wanted: Sequence[bool],
    ) -> None:
        """Pass shared adjoints down to the shared leaves (``wanted``: by step)."""
        for (s, _op, parents), local, want in zip(
            reversed(self.steps), reversed(slopes), reversed(wanted)
        ):
            if not want:
                continue
            g = GS[s]
            for p, d in zip(parents, local):
                GS[p] += d * g

    def tangent(
        self,
        TS: np.ndarray,
        slopes: list[tuple[float, ...]],
        carries: Sequence[bool],
        directions: np.ndarray,
    ) -> None:
        """Fill the tangents of the shared nodes that depend on a seeded leaf.

        ``directions[slot, j]``: does that node depend on the j-th seeded leaf?
        Entries that cannot be reached are skipped, never multiplied.
        """
        for (s, _op, parents), local, carry in zip(self.steps, slopes, carries):
            if carry:
                total = TS[-1].copy()
                for p, d in zip(parents, local):
                    reach = directions[p]
                    total[reach] += d * TS[p][reach]
                TS[s] = total
