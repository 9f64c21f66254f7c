"""Adding many contributions into rows of an array, when rows may repeat.

Backpropagation sends each node's gradient to its parents; in a group, two
members may share a parent (``x·w1`` and ``x·w2`` both feed ``x``), so their
contributions must add up, not overwrite each other. ``np.add.at`` does that
but slowly; here the repeated rows are summed by a sparse 0/1 matrix product
prepared when the program is compiled (a segment sum), then added once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy.sparse costs ~0.15 s to import: only when compiling
    from scipy.sparse import csr_matrix


class RowAdder:
    """``target[rows[k]] += c[k]`` for every k, for one fixed array of rows.

    ``rows`` may have any shape; ``c`` has that shape followed by the shape of
    a target row (or something that broadcasts to it).
    """

    def __init__(self, rows: np.ndarray) -> None:
        flat = np.asarray(rows, dtype=np.intp).ravel()
        self.ndim = np.ndim(rows)
        self.size = flat.size
        self.rows = flat
        self.span: slice | None = None
        self.sum: csr_matrix | None = None
        if flat.size and (flat == np.arange(flat[0], flat[0] + flat.size)).all():
            self.span = slice(int(flat[0]), int(flat[0]) + flat.size)
        elif np.unique(flat).size != flat.size:
            from scipy.sparse import csr_matrix

            self.rows, which = np.unique(flat, return_inverse=True)
            ones = np.ones(flat.size)
            self.sum = csr_matrix(
                (ones, (which, np.arange(flat.size))), shape=(self.rows.size, flat.size)
            )

    def add(self, target: np.ndarray, c: np.ndarray) -> None:
        """``c`` has the rows' shape in front, then (a broadcast of) a target row."""
        if self.ndim != 1:
            c = c.reshape(self.size, *c.shape[self.ndim :])
        if self.span is not None:
            target[self.span] += c
        elif self.sum is None:
            target[self.rows] += c
        else:
            target[self.rows] += self.sum @ c
