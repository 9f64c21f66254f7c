"""One kernel per group: run a whole group of nodes as one numpy call.

Arrays, for a chunk of ``B`` batch elements:

* ``V[rows, B]`` the batched values, ``S[slots]`` the shared values;
* ``G[rows, B]`` the adjoints (∂output/∂node) of batched nodes; ``GS`` those
  of shared nodes, ``[slots, B]`` per element or ``[slots]`` summed over the
  batch (shared nodes have one value, so their slopes are shared too, and
  summing their adjoints early is exact);
* ``TV[rows + 1, K, B]`` and ``TS[slots + 1, K]`` the tangents of forward mode,
  one per leaf we differentiate by; the extra last row is all zeros and stands
  for every operand that carries no tangent.

Unary and binary ops call the op table's ``np_forward`` and ``np_local`` on the
stacked operands. The two variadic ops are sums, so they get stacked forms:
``sum`` adds its stacked terms in one call; ``linear`` is one matrix product
when every neuron of the group reads the same inputs with shared weights (a
dense layer), else one multiply-add per operand pair over the whole group.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np

from .scatter import RowAdder
from .trace import Group, Operand


def _fetch(o: Operand, V: np.ndarray, S: np.ndarray) -> np.ndarray:
    """The operand's values: ``[m, B]`` if batched, ``[m, 1]`` if shared."""
    if o.batched:
        return V[o.span] if o.span is not None else V[o.rows]
    return S[o.rows][:, None]


def deliver(
    o: Operand, c: np.ndarray, G: np.ndarray, GS: np.ndarray | None, summed: bool
) -> None:
    """Add the contributions ``c`` (``[m, B]``) to the adjoints of the operands."""
    if o.batched:
        o.adder.add(G, c)
    elif summed:
        o.adder.add(GS, np.add.reduce(c, axis=-1))
    else:
        o.adder.add(GS, c)


def _expand(local) -> np.ndarray:
    """A local slope ``[m, B]`` made ready to scale tangents ``[m, K, B]``."""
    local = np.asarray(local)
    return local[:, None, :] if local.ndim == 2 else local


def _unwrapped(function):
    """The op table's numpy function without its ``errstate`` guard, when it
    says what it wraps (``__wrapped__``): a compiled run sets ``errstate`` once
    for the whole call instead of once per group."""
    if isinstance(function, partial):
        inner = _unwrapped(function.func)
        if inner is function.func:
            return function
        return partial(inner, *function.args, **function.keywords)
    return getattr(function, "__wrapped__", function)


class OpKernel:
    """A group of unary or binary nodes (or a variadic group in mixed form)."""

    def __init__(self, group: Group) -> None:
        self.group = group
        self.op = group.op
        self.out = group.out
        self.operands = group.operands
        self.np_forward = _unwrapped(group.op.np_forward)
        self.np_local = _unwrapped(group.op.np_local)
        self._where = tuple(
            (o.batched, o.span if o.span is not None else o.rows) for o in self.operands
        )

    def args(self, V: np.ndarray, S: np.ndarray) -> list[np.ndarray]:
        return [V[i] if batched else S[i][:, None] for batched, i in self._where]

    def local(self, args: Sequence[np.ndarray], out: np.ndarray) -> tuple:
        return self.np_local(*args, out)

    def forward(self, V: np.ndarray, S: np.ndarray) -> None:
        args = [V[i] if batched else S[i][:, None] for batched, i in self._where]
        V[self.out] = self.np_forward(*args)

    def prepare(self, positions: Sequence[int], alone: frozenset[int] = frozenset()):
        """What :meth:`backward` needs to know about the wanted operand positions,
        worked out once per reverse plan. ``alone``: the positions whose batched
        rows receive nothing else in the whole backward pass, so a kernel may
        write their adjoints instead of adding to zeros (one numpy call less)."""
        return tuple((k, self.operands[k]) for k in positions)

    def backward(
        self,
        V: np.ndarray,
        S: np.ndarray,
        G: np.ndarray,
        GS: np.ndarray | None,
        prepared,
        summed: bool,
    ) -> None:
        """Add ``∂out/∂operand · adjoint(out)`` to the adjoints of the operands
        at the positions given to :meth:`prepare`."""
        out = self.out
        g = G[out]
        args = [V[i] if batched else S[i][:, None] for batched, i in self._where]
        local = self.np_local(*args, V[out])
        for k, o in prepared:
            if o.span is not None and o.batched:  # the common case, inline
                G[o.span] += g * local[k]
            else:
                deliver(o, g * local[k], G, GS, summed)

    def tangent(
        self,
        V: np.ndarray,
        S: np.ndarray,
        TV: np.ndarray,
        TS: np.ndarray,
        positions: Sequence[tuple[int, np.ndarray, np.ndarray | None]],
    ) -> None:
        """``t_out = Σ_k ∂out/∂operand_k · t_k`` over the operands that carry one."""
        local = self.local(self.args(V, S), V[self.out])
        total = TV[self.out]  # [m, K, B], written in place
        first = True
        for k, trows, mask in positions:
            t = TV[trows] if self.operands[k].batched else TS[trows][:, :, None]
            slope = _expand(local[k])
            if mask is not None:
                term = np.where(mask[:, :, None], slope * t, 0.0)
                if first:
                    total[...] = term
                else:
                    total += term
            elif first:
                np.multiply(slope, t, out=total)
            else:
                total += slope * t
            first = False
        if first:
            total[...] = 0.0


class ReluKernel(OpKernel):
    """``relu`` written in place: ``max(a, 0)`` into the group's rows, and the
    adjoint passed where the input is positive, ``g · (a > 0)``: the same
    numbers as the op table's slope ``where(a > 0, 1, 0)`` times ``g``,
    without building the slope."""

    def forward(self, V: np.ndarray, S: np.ndarray) -> None:
        _, rows = self._where[0]  # the operand of a batched unary node is batched
        np.maximum(V[rows], 0.0, out=V[self.out])

    def prepare(self, positions: Sequence[int], alone: frozenset[int] = frozenset()):
        o = self.operands[0]
        write = 0 in alone and o.span is not None
        return tuple((k, o, write) for k in positions)

    def backward(self, V, S, G, GS, prepared, summed) -> None:
        if not prepared:
            return
        (_, o, write), rows = prepared[0], self._where[0][1]
        if write:
            np.multiply(G[self.out], V[rows] > 0.0, out=G[o.span])
            return
        contribution = G[self.out] * (V[rows] > 0.0)
        if o.span is not None:
            G[o.span] += contribution
        else:
            deliver(o, contribution, G, GS, summed)


class SquareKernel(OpKernel):
    """``x ** 2`` as ``x · x`` (correctly rounded, as a square must be), and
    its adjoint ``g · 2x``: the op table's slope ``2 · x¹`` without the power."""

    def forward(self, V: np.ndarray, S: np.ndarray) -> None:
        _, rows = self._where[0]
        a = V[rows]
        np.multiply(a, a, out=V[self.out])

    def prepare(self, positions: Sequence[int], alone: frozenset[int] = frozenset()):
        o = self.operands[0]
        write = 0 in alone and o.span is not None
        return tuple((k, o, write) for k in positions)

    def backward(self, V, S, G, GS, prepared, summed) -> None:
        for _, o, write in prepared:
            slope = 2.0 * V[self._where[0][1]]
            if write:
                np.multiply(G[self.out], slope, out=G[o.span])
            elif o.span is not None:
                G[o.span] += G[self.out] * slope
            else:
                deliver(o, G[self.out] * slope, G, GS, summed)


class AddSubKernel(OpKernel):
    """``a + b`` and ``a − b``: the slopes are ±1, so the adjoint itself (or
    its negative) is passed on, with no slopes built and no products."""

    def __init__(self, group: Group) -> None:
        super().__init__(group)
        self.ufunc = np.add if group.op.name == "add" else np.subtract
        self.signs = (False, group.op.name == "sub")

    def forward(self, V: np.ndarray, S: np.ndarray) -> None:
        (a_batched, a), (b_batched, b) = self._where
        self.ufunc(
            V[a] if a_batched else S[a][:, None],
            V[b] if b_batched else S[b][:, None],
            out=V[self.out],
        )

    def backward(self, V, S, G, GS, prepared, summed) -> None:
        g = G[self.out]
        for k, o in prepared:
            c = -g if self.signs[k] else g
            if o.span is not None and o.batched:
                G[o.span] += c
            else:
                deliver(o, c, G, GS, summed)


class SumKernel(OpKernel):
    """``Σ terms``: batched terms stacked and summed in one call."""

    def __init__(self, group: Group) -> None:
        super().__init__(group)
        self.batched = np.stack([o.rows for o in self.operands if o.batched])
        shared = [o.rows for o in self.operands if not o.batched]
        self.shared = np.stack(shared) if shared else None

    def local(self, args: Sequence[np.ndarray], out: np.ndarray) -> tuple:
        return (1.0,) * len(self.operands)

    def forward(self, V: np.ndarray, S: np.ndarray) -> None:
        total = V[self.batched].sum(axis=0)
        if self.shared is not None:
            total += S[self.shared].sum(axis=0)[:, None]
        V[self.out] = total

    def backward(self, V, S, G, GS, prepared, summed) -> None:
        g = G[self.out]
        for _k, o in prepared:
            deliver(o, g, G, GS, summed)


class LinearKernel(OpKernel):
    """``b + Σ wᵢxᵢ`` for a group of neurons with operands (w1, x1, …, wn, xn, b).

    Pairs of two shared numbers add up to one number per neuron, computed once
    per call. When every other pair is a shared weight times a batched input
    and all neurons read the same inputs (a dense layer), the group is one
    matrix product ``Wᵀ @ X`` (its weights a plain view of the shared vector
    when they lie neuron by neuron). Otherwise each pair position is one
    multiply-add over the whole group.
    """

    def __init__(self, group: Group) -> None:
        super().__init__(group)
        operands = self.operands
        self.bias = operands[-1]
        pairs = [
            (operands[2 * p], operands[2 * p + 1]) for p in range(len(operands) // 2)
        ]
        constant = [(w, x) for w, x in pairs if not (w.batched or x.batched)]
        self.pairs = [(w, x) for w, x in pairs if w.batched or x.batched]
        self.positions = [
            (2 * p, 2 * p + 1)
            for p, (w, x) in enumerate(pairs)
            if w.batched or x.batched
        ]
        self.constant = None
        if constant:
            self.constant_adders = (
                RowAdder(np.stack([w.rows for w, _ in constant])),
                RowAdder(np.stack([x.rows for _, x in constant])),
            )
            self.constant = (
                np.stack([w.rows for w, _ in constant]),  # [n, m] slots
                np.stack([x.rows for _, x in constant]),
                [
                    k
                    for p, (w, x) in enumerate(pairs)
                    if not (w.batched or x.batched)
                    for k in (2 * p, 2 * p + 1)
                ],
            )
        self.dense = self._dense()
        self.block = self._block() if self.dense is not None else None

    def _dense(self) -> slice | np.ndarray | None:
        """The input rows every neuron reads, if the group is a dense layer."""
        if not self.pairs or self.constant is not None:
            return None
        if any(w.batched or not x.batched for w, x in self.pairs):
            return None
        self.W = np.stack([w.rows for w, _ in self.pairs])  # [n, m] slots
        X = np.stack([x.rows for _, x in self.pairs])
        column = X[:, 0]
        if not (X == column[:, None]).all() or np.unique(column).size != column.size:
            return None
        self.w_adder = RowAdder(self.W)
        first = int(column[0])
        if (column == np.arange(first, first + column.size)).all():
            return slice(first, first + column.size)
        return column

    def _block(self) -> tuple[slice, int, int] | None:
        """The weights and biases as one ``[m, n + 1]`` block of the shared vector
        (neuron by neuron: its weights, then its bias), if they lie that way."""
        if self.bias.batched:
            return None
        n, m = self.W.shape
        base = int(self.W[0, 0])
        starts = base + (n + 1) * np.arange(m)
        if (self.W == starts[None, :] + np.arange(n)[:, None]).all() and (
            self.bias.rows == starts + n
        ).all():
            return slice(base, base + m * (n + 1)), m, n + 1
        return None

    def local(self, args: Sequence[np.ndarray], out: np.ndarray) -> tuple:
        return (*(args[k ^ 1] for k in range(len(args) - 1)), 1.0)

    def forward(self, V: np.ndarray, S: np.ndarray) -> None:
        out = V[self.out]
        if self.block is not None:
            span, m, width = self.block
            block = S[span].reshape(m, width)
            np.matmul(block[:, :-1], V[self.dense], out=out)
            out += block[:, -1:]
            return
        if self.dense is not None:
            np.matmul(S[self.W].T, V[self.dense], out=out)
        elif self.pairs:
            (w, x), *rest = self.pairs
            np.multiply(_fetch(w, V, S), _fetch(x, V, S), out=out)
            for w, x in rest:
                out += _fetch(w, V, S) * _fetch(x, V, S)
        else:
            out[...] = 0.0
        fixed = 0.0 if self.bias.batched else S[self.bias.rows]
        if self.constant is not None:
            W, X, _ = self.constant
            fixed = fixed + np.einsum("nm,nm->m", S[W], S[X])
        if self.bias.batched:
            out += _fetch(self.bias, V, S)
        if not isinstance(fixed, float):
            out += fixed[:, None]

    def prepare(self, positions: Sequence[int], alone: frozenset[int] = frozenset()):
        wanted = set(positions)
        pairs = [
            (w, x, kw in wanted, kx in wanted)
            for (w, x), (kw, kx) in zip(self.pairs, self.positions)
            if kw in wanted or kx in wanted
        ]
        want_constant = self.constant is not None and any(
            k in wanted for k in self.constant[2]
        )
        want_w = any(want for _, _, want, _ in pairs)
        want_x = any(want for _, _, _, want in pairs)
        # A dense layer's inputs written by this group alone: write, not add.
        write_x = (
            want_x
            and self.block is not None
            and isinstance(self.dense, slice)
            and {kx for _, kx in self.positions} <= alone
        )
        want_bias = len(self.operands) - 1 in wanted
        # Its weights' and bias's summed adjoints, written by this group alone
        # and from zeros (see ReversePlan's fresh_shared): write, not add.
        block = self.block is not None
        write_w = block and want_w and {kw for kw, _ in self.positions} <= alone
        write_b = block and want_bias and len(self.operands) - 1 in alone
        writes = (write_x, write_w, write_b)
        return want_bias, pairs, want_constant, want_w, want_x, writes

    def backward(self, V, S, G, GS, prepared, summed) -> None:
        g = G[self.out]
        want_bias, pairs, want_constant, want_w, want_x, writes = prepared
        if self.block is not None:
            return self._block_backward(
                V, S, G, GS, g, want_w, want_x, want_bias, summed, writes
            )
        if want_bias:
            deliver(self.bias, g, G, GS, summed)
        if self.dense is not None:
            return self._dense_backward(V, S, G, GS, g, want_w, want_x, summed)
        for w, x, to_w, to_x in pairs:
            if to_w:
                deliver(w, g * _fetch(x, V, S), G, GS, summed)
            if to_x:
                deliver(x, g * _fetch(w, V, S), G, GS, summed)
        if want_constant:  # both sides; an unwanted slot's sum is never read
            W, X, _ = self.constant
            if summed:
                c = g.sum(axis=-1)[None, :] * S[X]
            else:
                c = g[None, :, :] * S[X][:, :, None]
            self.constant_adders[0].add(GS, c)
            c = g.sum(axis=-1)[None, :] * S[W] if summed else g[None] * S[W][..., None]
            self.constant_adders[1].add(GS, c)

    def _block_backward(
        self, V, S, G, GS, g, want_w, want_x, want_b, summed, writes
    ) -> None:
        span, m, width = self.block
        write_x, write_w, write_b = writes
        if write_x:
            np.matmul(S[span].reshape(m, width)[:, :-1].T, g, out=G[self.dense])
        elif want_x:
            G[self.dense] += S[span].reshape(m, width)[:, :-1].T @ g
        if not (want_w or want_b):
            return
        if summed:
            grads = GS[span].reshape(m, width)
            if write_w:
                np.matmul(g, V[self.dense].T, out=grads[:, :-1])
            elif want_w:
                grads[:, :-1] += g @ V[self.dense].T
            if write_b:
                np.add.reduce(g, axis=-1, out=grads[:, -1])
            elif want_b:
                grads[:, -1] += np.add.reduce(g, axis=-1)
        else:
            grads = GS[span].reshape(m, width, -1)
            if want_w:
                grads[:, :-1] += g[:, None, :] * V[self.dense][None, :, :]
            if want_b:
                grads[:, -1] += g

    def _dense_backward(self, V, S, G, GS, g, want_w, want_x, summed) -> None:
        weights = S[self.W]  # [n, m]
        if want_x:
            G[self.dense] += weights @ g
        if want_w:
            x = V[self.dense]  # [n, B]
            dw = x @ g.T if summed else x[:, None, :] * g[None, :, :]
            self.w_adder.add(GS, dw)


def kernel_for(group: Group) -> OpKernel:
    """The fastest kernel that computes this group exactly."""
    name = group.op.name
    if name == "linear" and len(group.operands) > 1:
        return LinearKernel(group)
    if name == "sum" and any(o.batched for o in group.operands):
        return SumKernel(group)
    if name == "relu":
        return ReluKernel(group)
    if name == "pow_const" and group.op.param == 2.0:
        return SquareKernel(group)
    if name in ("add", "sub") and len(group.operands) == 2:
        return AddSubKernel(group)
    return OpKernel(group)
