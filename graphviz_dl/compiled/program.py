"""``CompiledGraph``: one traced graph, evaluated for whole arrays of leaf values.

The scalar graph is what a person steps through; a loss surface needs the same
graph at 100,000 parameter points and training needs it for every sample.
Compiling traces the graph once; each call then replays it with arrays in
place of numbers, level by level, one numpy call per group of like nodes,
in chunks of the batch small enough to stay in the CPU cache.

Inputs broadcast like numpy arrays: a ``(400, 1)`` grid of x and a ``(1, 400)``
grid of y give a ``(400, 400)`` surface. Every other leaf is a constant with
the value it had when compiled (:meth:`CompiledGraph.refresh_constants`
re-reads them); ``overrides`` replaces some for one call, with a number or
with an array that then broadcasts like an input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..engine import Value
from ..numfmt import format_number
from .plan import Plan

if TYPE_CHECKING:
    from .summed import SummedGradient
from .tiers import forward_in_tiers
from .trace import Trace

CHUNK_FLOATS = 1 << 21
"""Floats of working arrays per chunk (16 MiB), enough to keep numpy busy and
little enough to stay near the cache."""
MAX_CHUNK_FLOATS = 1 << 22
"""Most floats per chunk (32 MiB), for graphs of many small groups."""
CALL_ELEMENTS = 1 << 15
"""Elements one numpy call should see at least, on average, where memory allows:
below that, Python's cost per call dominates."""
MIN_CHUNK = 1024

ArrayLike = float | Sequence[float] | np.ndarray


class GraphInputError(ValueError):
    """A request that does not fit the graph: an unknown leaf, clashing shapes."""


def compile_graph(root: Value, inputs: Sequence[Value] = ()) -> CompiledGraph:
    """Trace ``root``'s graph once, with ``inputs`` (leaves) taking arrays per call."""
    return CompiledGraph(root, inputs)


def _name(v: Value) -> str:
    if v.label:
        return repr(v.label)
    kind = "constant" if v.op is None else f"{v.op.name} node"
    return f"an unlabelled {kind} ({format_number(v.data)})"


class CompiledGraph:
    """A graph compiled for arrays: :meth:`forward` and :meth:`value_and_grad`.

    ``leaves`` lists every leaf in topological order and ``leaf_values`` holds
    their numbers (inputs' entries unused): constants are read from there.
    """

    def __init__(self, root: Value, inputs: Sequence[Value] = ()) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"compile a Value, not {type(root).__name__}")
        self._trace = trace = Trace(root)
        self.root = root
        self.inputs: tuple[Value, ...] = tuple(inputs)
        self._input_ids = tuple(self._leaf_id(v, "an input") for v in self.inputs)
        if len(set(self._input_ids)) != len(self._input_ids):
            twice = next(v for v in self.inputs if self.inputs.count(v) > 1)
            raise GraphInputError(f"{_name(twice)} is listed twice among the inputs")
        self.leaves: tuple[Value, ...] = tuple(trace.nodes[i] for i in trace.leaves)
        self._leaf_pos = {i: k for k, i in enumerate(trace.leaves)}
        self.leaf_values = np.array([v.data for v in self.leaves], dtype=np.float64)
        self._plans: dict[tuple[int, ...], Plan] = {}
        self._last_wrt: tuple[tuple, tuple[int, ...]] = ((), ())
        self._plan(self._input_ids)

    # --- what was compiled ---------------------------------------------------------
    @property
    def constants(self) -> tuple[Value, ...]:
        """The leaves that are not inputs, in topological order."""
        inputs = set(self._input_ids)
        return tuple(
            self._trace.nodes[i] for i in self._trace.leaves if i not in inputs
        )

    def leaf_index(self, leaf: Value | str) -> int:
        """Where ``leaf`` sits in :attr:`leaves` and :attr:`leaf_values`."""
        return self._leaf_pos[self._leaf_id(leaf, "a leaf")]

    def refresh_constants(self) -> None:
        """Read the constants' ``data`` again (after a person edited a leaf)."""
        self.leaf_values = np.array([v.data for v in self.leaves], dtype=np.float64)

    def summary(self) -> dict[str, int]:
        """Sizes of the default program: nodes, levels, groups (numpy calls)."""
        plan = self._plan(self._input_ids)
        schedule = plan.schedule
        return {
            "nodes": len(self._trace.nodes),
            "leaves": len(self._trace.leaves),
            "batched_nodes": schedule.n_rows,
            "shared_nodes": len(schedule.shared),
            "levels": schedule.levels,
            "groups": len(schedule.groups),
        }

    # --- calls --------------------------------------------------------------------
    def forward(
        self,
        *arrays: ArrayLike,
        overrides: Mapping[Value | str, ArrayLike] | None = None,
    ) -> np.ndarray:
        """The output for every element of the broadcast inputs (their shape)."""
        plan, leaf_values, batched, shape = self._prepare(arrays, overrides)
        out, _ = self._evaluate(plan, leaf_values, batched, shape)
        return out.reshape(shape)

    __call__ = forward

    def value_and_grad(
        self,
        *arrays: ArrayLike,
        wrt: Sequence[Value | str] | None = None,
        overrides: Mapping[Value | str, ArrayLike] | None = None,
        cotangent: ArrayLike | None = None,
        sum_over_batch: bool = False,
        mode: str = "reverse",
        stacked: bool = False,
    ) -> tuple[np.ndarray, list[np.ndarray] | np.ndarray]:
        """The output and its gradient w.r.t. each leaf of ``wrt`` (default: inputs).

        Gradients have the batch shape, or are summed over the batch when
        ``sum_over_batch`` (what a shared weight needs: its gradient for the
        whole batch). ``cotangent`` weighs each element's output first, e.g.
        ``1/n`` for a mean. ``mode`` is ``"reverse"`` (backpropagation: any
        number of leaves in one pass) or ``"forward"`` (tangents carried
        along: cheap for one or two leaves over a big grid). ``stacked``
        returns one array ``[len(wrt), *shape]`` instead of a list.
        """
        if mode not in ("reverse", "forward"):
            raise ValueError(f"mode is 'reverse' or 'forward', not {mode!r}")
        plan, leaf_values, batched, shape = self._prepare(arrays, overrides)
        wrt_ids = self._wrt_ids(wrt)
        seed = self._cotangent(cotangent, shape)
        out, grads = self._evaluate(
            plan, leaf_values, batched, shape, wrt_ids, mode, seed, sum_over_batch
        )
        out = out.reshape(shape)
        grad_shape = () if sum_over_batch else shape
        if stacked:
            return out, grads.reshape((len(wrt_ids), *grad_shape))
        return out, [grads[j, ...].reshape(grad_shape) for j in range(len(wrt_ids))]

    def summed_gradient(self, wrt: Sequence[Value | str]) -> SummedGradient:
        """The batch-summed gradient w.r.t. fixed leaves, ready for a training loop."""
        from .summed import SummedGradient

        return SummedGradient(self, wrt)

    # --- checking what a caller passed ------------------------------------------------
    def _wrt_ids(self, wrt: Sequence[Value | str] | None) -> tuple[int, ...]:
        """Node indices of the leaves to differentiate by (the last list is kept,
        as a training loop asks for the same hundreds of parameters each step)."""
        if wrt is None:
            return self._input_ids
        targets = tuple(wrt)
        key = tuple(v if isinstance(v, str) else id(v) for v in targets)
        if key == self._last_wrt[0]:
            return self._last_wrt[1]
        ids = tuple(self._leaf_id(v, "a leaf to differentiate by") for v in targets)
        # Every id in the key is of a Value of this graph, kept alive by the
        # trace, so no other object can come to have it.
        self._last_wrt = (key, ids)
        return ids

    def _leaf_id(self, leaf: Value | str, role: str) -> int:
        trace = self._trace
        if isinstance(leaf, str):
            found = [i for i in trace.leaves if trace.nodes[i].label == leaf]
            if not found:
                raise GraphInputError(f"no leaf of this graph is labelled {leaf!r}")
            if len(found) > 1:
                raise GraphInputError(
                    f"{len(found)} leaves are labelled {leaf!r}; pass the Value itself"
                )
            return found[0]
        if not isinstance(leaf, Value):
            raise TypeError(
                f"{role} must be a Value or a leaf's label, not {type(leaf).__name__}"
            )
        i = trace.index.get(leaf)
        if i is None:
            raise GraphInputError(
                f"{_name(leaf)} is not in this graph (the output does not depend on it)"
            )
        if trace.ops[i] is not None:
            raise GraphInputError(
                f"{_name(leaf)} is computed by {leaf.op.name}; {role} must be a leaf "
                "(a Value made by hand, not the result of an op)"
            )
        return i

    @staticmethod
    def _as_array(values: ArrayLike, what: str) -> np.ndarray:
        try:
            array = np.asarray(values)
        except (TypeError, ValueError) as error:
            raise GraphInputError(
                f"{what}: not an array of numbers ({error})"
            ) from None
        if array.dtype.kind not in "biuf":
            raise GraphInputError(
                f"{what} must be real numbers, not an array of {array.dtype}"
            )
        return array.astype(np.float64, copy=False)

    def _prepare(self, arrays, overrides):
        if len(arrays) != len(self.inputs):
            names = ", ".join(_name(v) for v in self.inputs) or "none"
            raise GraphInputError(
                f"this program takes {len(self.inputs)} array(s), one per input "
                f"({names}); got {len(arrays)}"
            )
        batched = [
            (i, self._as_array(a, f"the values of {_name(v)}"))
            for i, v, a in zip(self._input_ids, self.inputs, arrays)
        ]
        leaf_values = self.leaf_values
        if overrides:
            leaf_values = leaf_values.copy()
            extra = []
            for key, values in overrides.items():
                i = self._leaf_id(key, "an override")
                node = self._trace.nodes[i]
                if i in self._input_ids:
                    raise GraphInputError(
                        f"{_name(node)} is an input: pass its values positionally"
                    )
                array = self._as_array(values, f"the override of {_name(node)}")
                if array.ndim == 0:
                    leaf_values[self._leaf_pos[i]] = array
                else:
                    extra.append((i, array))
            batched += sorted(extra, key=lambda pair: pair[0])
        try:
            shape = np.broadcast_shapes(*(a.shape for _, a in batched))
        except ValueError:
            listed = ", ".join(
                f"{_name(self._trace.nodes[i])} {a.shape}" for i, a in batched
            )
            raise GraphInputError(
                f"the input shapes do not broadcast together: {listed}"
            ) from None
        plan = self._plan(tuple(i for i, _ in batched))
        return plan, leaf_values, [a for _, a in batched], shape

    def _cotangent(self, cotangent, shape) -> np.ndarray | float | None:
        if cotangent is None:
            return None
        seed = self._as_array(cotangent, "the cotangent")
        try:
            fits = np.broadcast_shapes(seed.shape, shape) == shape
        except ValueError:
            fits = False
        if not fits:
            raise GraphInputError(
                f"the cotangent's shape {seed.shape} does not broadcast to the "
                f"output's shape {shape}"
            )
        if seed.ndim == 0:
            return float(seed)
        return np.broadcast_to(seed, shape).reshape(-1)

    def _plan(self, batched_ids: tuple[int, ...]) -> Plan:
        plan = self._plans.get(batched_ids)
        if plan is None:
            plan = self._plans[batched_ids] = Plan(self._trace, batched_ids)
        return plan

    # --- running ------------------------------------------------------------------------
    def _evaluate(
        self,
        plan: Plan,
        leaf_values: np.ndarray,
        arrays: Sequence[np.ndarray],
        shape: tuple[int, ...],
        wrt: tuple[int, ...] = (),
        mode: str | None = None,
        seed: np.ndarray | float | None = None,
        summed: bool = False,
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Run the plan in chunks: output ``[B]`` and gradients ``[K, B]`` (or ``[K]``).

        ``seed`` is the cotangent: None (ones), one number, or ``[B]``.
        """
        with np.errstate(all="ignore"):
            return self._run(plan, leaf_values, arrays, shape, wrt, mode, seed, summed)

    def _run(self, plan, leaf_values, arrays, shape, wrt, mode, seed, summed):
        size = math.prod(shape)
        if mode is None and size > 1:
            S, _ = plan.shared.values(leaf_values)
            out = forward_in_tiers(plan, S, arrays, shape, _chunk(plan, 1))
            if out is not None:
                return out, None
        flats = [
            a.reshape(-1) if a.shape == shape else np.broadcast_to(a, shape).reshape(-1)
            for a in arrays
        ]
        S, slopes = plan.shared.values(leaf_values)
        out = np.empty(size)
        k = len(wrt)
        run = None if mode is None else _Run(plan, S, slopes, wrt, mode, summed)
        grads = None if mode is None else np.zeros((k,) if summed else (k, size))
        chunk = _chunk(plan, 1 + (k if mode == "forward" else 1))
        for start in range(0, size, chunk):
            stop = min(size, start + chunk)
            V = np.empty((plan.schedule.n_rows, stop - start))
            for r, flat in enumerate(flats):
                V[r] = flat[start:stop]
            for kernel in plan.kernels:
                kernel.forward(V, S)
            out[start:stop] = (
                V[plan.root_row] if plan.root_row >= 0 else S[plan.root_slot]
            )
            if run is not None:
                part = seed[start:stop] if isinstance(seed, np.ndarray) else seed
                run.chunk(V, part, grads, start, stop)
        if run is not None:
            run.finish(grads)
        return out, grads


def _chunk(plan: Plan, copies: int) -> int:
    """Batch elements per chunk, for ``copies`` arrays of all the batched rows.

    As much as :data:`CHUNK_FLOATS` allows; more when the groups are small (a
    graph with little to group runs many small numpy calls), up to
    :data:`MAX_CHUNK_FLOATS`.
    """
    rows = max(plan.schedule.n_rows, 1)
    groups = max(len(plan.kernels), 1)
    by_memory = CHUNK_FLOATS // (rows * copies)
    by_calls = CALL_ELEMENTS * groups // rows
    most = MAX_CHUNK_FLOATS // (rows * copies)
    return max(MIN_CHUNK, min(max(by_memory, by_calls), most))


def _count(indices: np.ndarray | slice) -> int:
    return indices.stop - indices.start if isinstance(indices, slice) else indices.size


class _Run:
    """The differentiating half of one call, chunk by chunk."""

    def __init__(self, plan, S, slopes, wrt, mode, summed) -> None:
        self.plan, self.S, self.slopes, self.summed = plan, S, slopes, summed
        self.k = len(wrt)
        n_shared = len(plan.schedule.shared)
        if mode == "reverse":
            self.reverse = plan.reverse(wrt)
            self.tangent = None
            self.GS = np.zeros(n_shared) if summed else None
        else:
            self.reverse = None
            self.tangent = plan.tangent(wrt)
            TS = np.zeros((n_shared + 1, self.k))
            seeds = self.tangent.seeds
            TS[seeds.pairs()] = 1.0
            plan.shared.tangent(
                TS, slopes, self.tangent.shared_carries, self.tangent.shared_directions
            )
            self.TS = TS

    def chunk(self, V, seed, grads, start, stop) -> None:
        if self.reverse is not None:
            self._reverse_chunk(V, seed, grads, start, stop)
        else:
            self._tangent_chunk(V, seed, grads, start, stop)

    def _reverse_chunk(self, V, seed, grads, start, stop) -> None:
        plan, rp, summed = self.plan, self.reverse, self.summed
        width = stop - start
        G = np.zeros((plan.schedule.n_rows, width))
        GS = self.GS
        if rp.needs_shared and not summed:
            GS = np.zeros((len(plan.schedule.shared), width))
        one = 1.0 if seed is None else seed
        if plan.root_row >= 0:
            G[plan.root_row] = one
        elif rp.needs_shared and summed:
            GS[plan.root_slot] += np.sum(np.broadcast_to(one, (width,)))
        elif rp.needs_shared:
            GS[plan.root_slot] = one
        for kernel, positions in rp.steps:
            kernel.backward(V, self.S, G, GS, positions, summed)
        if not summed and rp.needs_shared:
            plan.shared.backward(GS, self.slopes, rp.shared_wanted)
        src = rp.sources
        if len(src.rows):
            if summed:
                grads[src.batched_j] += G[src.rows].sum(axis=1)
            else:
                grads[src.batched_j, start:stop] = G[src.rows]
        if not summed and _count(src.slots):
            grads[src.shared_j, start:stop] = GS[src.slots]

    def _tangent_chunk(self, V, seed, grads, start, stop) -> None:
        plan, tp = self.plan, self.tangent
        n_rows = plan.schedule.n_rows
        TV = np.empty((n_rows + 1, self.k, stop - start))
        TV[n_rows] = 0.0
        seeds = tp.seeds
        TV[seeds.rows] = 0.0
        TV[seeds.rows, seeds.batched_j] = 1.0
        for kernel, positions in tp.steps:
            kernel.tangent(V, self.S, TV, self.TS, positions)
        if not tp.carries_root:
            return
        if plan.root_row >= 0:
            t = TV[plan.root_row]
        else:
            t = np.broadcast_to(
                self.TS[plan.root_slot][:, None], (self.k, stop - start)
            )
        if seed is not None:
            t = t * seed
        if self.summed:
            grads += t.sum(axis=-1)
        else:
            grads[:, start:stop] = t

    def finish(self, grads) -> None:
        """Summed reverse mode: pass the shared adjoints down once, at the end."""
        rp = self.reverse
        if rp is None or not self.summed or not rp.needs_shared:
            return
        self.plan.shared.backward(self.GS, self.slopes, rp.shared_wanted)
        grads[rp.sources.shared_j] = self.GS[rp.sources.slots]
