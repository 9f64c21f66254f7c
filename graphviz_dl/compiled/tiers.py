"""Forward passes on grids: each node computed only at the points where it varies.

On a 400×400 surface over x (a column, ``(400, 1)``) and y (a row,
``(1, 400)``), a node that depends on x alone takes 400 values, not 160,000.
numpy's broadcasting gives that for free when every node keeps its own shape;
the compiled program keeps the same saving with its stacked rows: nodes are
grouped by which inputs they depend on (their *class*), small classes are
computed first on their own small batches, and the rows that full-size groups
read are copied into each chunk of the full grid by broadcasting.

Only values are shared this way. The gradient of each grid point is its own,
so gradients always run at full size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .plan import Plan

MAX_TIER_FLOATS = 1 << 22
"""Largest working array (floats) for a class computed in one piece (32 MiB)."""


def _padded(shape: tuple[int, ...], ndim: int) -> tuple[int, ...]:
    return (1,) * (ndim - len(shape)) + tuple(shape)


def _spread(source: tuple[int, ...], target: tuple[int, ...]) -> np.ndarray:
    """For each element of ``target`` (flattened), the element of ``source`` it
    broadcasts from."""
    size = math.prod(source)
    return np.broadcast_to(np.arange(size).reshape(source), target).reshape(-1)


def forward_in_tiers(
    plan: Plan,
    S: np.ndarray,
    arrays: Sequence[np.ndarray],
    shape: tuple[int, ...],
    chunk: int,
) -> np.ndarray | None:
    """The output for every element, or None when every class is full size.

    ``chunk`` is how many elements of the full batch to work on at a time.
    """
    size = math.prod(shape)
    ndim = len(shape)
    schedule = plan.schedule
    leaf_shapes = [_padded(a.shape, ndim) for a in arrays]

    def class_shape(klass: int) -> tuple[int, ...]:
        bits = [k for k in range(len(arrays)) if klass >> k & 1]
        return np.broadcast_shapes(*(leaf_shapes[k] for k in bits))

    shapes = {klass: class_shape(klass) for klass in plan.classes}
    small = sorted(
        (k for k, s in shapes.items() if math.prod(s) < size),
        key=lambda k: (math.prod(shapes[k]), k.bit_count()),
    )
    small = [
        k for k in small if math.prod(shapes[k]) * schedule.n_rows <= MAX_TIER_FLOATS
    ]
    if not small:
        return None

    # 1. Small classes, smallest first, each on its own batch.
    computed: dict[int, np.ndarray] = {}
    for klass in small:
        target = shapes[klass]
        V = np.empty((schedule.n_rows, math.prod(target)))
        for k, array in enumerate(arrays):
            if klass == 1 << k:
                V[k] = np.broadcast_to(array.reshape(leaf_shapes[k]), target).reshape(
                    -1
                )
        for lower, values in computed.items():
            if lower & ~klass == 0:
                rows = plan.class_rows[lower]
                V[rows] = values[rows][:, _spread(shapes[lower], target)]
        for kernel in plan.class_kernels.get(klass, ()):
            kernel.forward(V, S)
        computed[klass] = V

    # 2. Everything else at full size, in chunks of whole slices along the
    # first axis, so a small class's rows reach the chunk by broadcasting.
    small_set = set(small)
    cached = plan.tier_cache.get(tuple(small))
    if cached is None:
        full_kernels = [k for k in plan.kernels if k.group.klass not in small_set]
        runs = _runs_read(full_kernels, schedule.row_klass, small_set)
        cached = plan.tier_cache[tuple(small)] = (full_kernels, runs)
    full_kernels, runs = cached
    # The output depends on every batched leaf, so it is always full size.
    root_row = plan.root_row
    blocks = [  # (rows of V, their values [n, *class shape])
        (rows, computed[klass][rows].reshape(-1, *shapes[klass]))
        for klass, rows in runs
    ]
    full_leaves = [k for k in range(len(arrays)) if (1 << k) not in small_set]
    flats = {k: np.broadcast_to(arrays[k], shape).reshape(-1) for k in full_leaves}
    out = np.empty(size)
    step = math.prod(shape[1:])
    per_chunk = max(1, chunk // step)  # slices along the first axis
    for first in range(0, shape[0], per_chunk):
        last = min(shape[0], first + per_chunk)
        start, stop = first * step, last * step
        V = np.empty((schedule.n_rows, stop - start))
        for k, flat in flats.items():
            V[k] = flat[start:stop]
        for rows, values in blocks:
            part = values[:, first:last] if values.shape[1] > 1 else values
            target = V[rows].reshape(-1, last - first, *shape[1:])
            np.copyto(target, part)
        for kernel in full_kernels:
            kernel.forward(V, S)
        out[start:stop] = V[root_row]
    return out


def _runs_read(
    kernels, row_klass: list[int], small: set[int]
) -> list[tuple[int, slice]]:
    """Runs of consecutive rows of small classes that full-size groups read:
    ``[(class, rows)]``, spread to each chunk by broadcasting."""
    read = sorted(
        {
            row
            for kernel in kernels
            for operand in kernel.operands
            if operand.batched
            for row in operand.rows.tolist()
            if row_klass[row] in small
        }
    )
    runs: list[tuple[int, slice]] = []
    for row in read:
        klass = row_klass[row]
        if runs and runs[-1][0] == klass and runs[-1][1].stop == row:
            runs[-1] = (klass, slice(runs[-1][1].start, row + 1))
        else:
            runs.append((klass, slice(row, row + 1)))
    return runs
