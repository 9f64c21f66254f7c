"""``SummedGradient``: a training loop's gradient, summed over the batch.

The leaves to differentiate by (a model's parameters) and the reverse plan
are fixed when it is made, so a call only runs the kernels. A training step's
batch fits one chunk, and then the step runs as a few straight lines instead
of the general chunked run of :meth:`CompiledGraph._run`: a step is a few
dozen small numpy calls, so the Python around them is a good part of its time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine import Value
from .plan import ReversePlan
from .program import CompiledGraph, _chunk


class SummedGradient:
    """The output and the gradient summed over the batch, w.r.t. leaves fixed
    once (a model's parameters), for one call per training step.

    The leaves are resolved and the plan found when it is made, so a call does
    no more than run: pass one 1-D float64 array per input, all of one length
    (nothing else is checked); the constants come from the program's
    ``leaf_values``, which the caller may update in place between calls.
    """

    def __init__(self, program: CompiledGraph, wrt: Sequence[Value | str]) -> None:
        self.program = program
        self.wrt = tuple(program._leaf_id(v, "a leaf to differentiate by") for v in wrt)
        self.plan = plan = program._plan(program._input_ids)
        # Its own reverse plan: one chunk sums the shared adjoints from zeros.
        reverse = ReversePlan(plan, self.wrt, fresh_shared=True)
        # An output that varies over the batch and a batch that fits one chunk
        # take the short way (:meth:`_in_one_chunk`).
        self._direct = plan.root_row >= 0
        self._reverse = reverse
        self._most = _chunk(plan, 2)
        # A model's parameters, all shared and numbered in order: the shared
        # adjoints are the gradient as they stand (no gathering, no copy).
        src, n_shared = reverse.sources, len(plan.schedule.shared)
        everything = slice(0, n_shared)
        self._gradient_is_shared = (
            not len(src.rows)
            and len(self.wrt) == n_shared
            and isinstance(src.slots, slice)
            and isinstance(src.shared_j, slice)
            and (src.slots, src.shared_j) == (everything, everything)
        )
        self._scalar_steps = bool(plan.shared.steps)

    def __call__(
        self, columns: Sequence[np.ndarray], cotangent: float | np.ndarray = 1.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per-element outputs ``[n]`` and summed gradients ``[len(wrt)]``;
        ``cotangent`` weighs each element (``1/n`` for a mean)."""
        program = self.program
        if self._direct and columns and len(columns[0]) <= self._most:
            with np.errstate(all="ignore"):
                return self._in_one_chunk(columns, cotangent)
        shape = (len(columns[0]),) if columns else ()
        return program._evaluate(
            self.plan,
            program.leaf_values,
            columns,
            shape,
            self.wrt,
            "reverse",
            cotangent,
            True,
        )

    def _in_one_chunk(
        self, columns: Sequence[np.ndarray], cotangent: float | np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """What :meth:`CompiledGraph._run` does for a batch that fits one chunk,
        without its general bookkeeping (shapes, modes, chunk loops): a training
        step is a few dozen small numpy calls, so the Python around them counts."""
        plan, rp = self.plan, self._reverse
        n_rows, width = plan.schedule.n_rows, len(columns[0])
        S, slopes = plan.shared.values(self.program.leaf_values)
        V = np.empty((n_rows, width))
        for r, column in enumerate(columns):
            V[r] = column
        for kernel in plan.kernels:
            kernel.forward(V, S)
        root = plan.root_row
        out = V[root]  # a row of this call's own array: no copy needed
        G = np.zeros((n_rows, width))
        G[root] = cotangent
        GS = np.zeros(len(plan.schedule.shared))
        for kernel, positions in rp.steps:
            kernel.backward(V, S, G, GS, positions, True)
        if self._scalar_steps and rp.needs_shared:
            plan.shared.backward(GS, slopes, rp.shared_wanted)
        if self._gradient_is_shared:
            return out, GS
        grads = np.zeros(len(self.wrt))
        src = rp.sources
        if len(src.rows):
            grads[src.batched_j] += G[src.rows].sum(axis=1)
        if rp.needs_shared:
            grads[src.shared_j] = GS[src.slots]
        return out, grads
