"""Where things go in the explorer's scene: layout units to pixels, edge ends.

The core's layout gives columns and rows; here value columns become wide
enough for a card, op columns for their pill, and each edge gets its two
ends (a card's right side into a pill's left side, or a pill into its card).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF

from graphviz_dl.graph_index import op_node_id
from ui.explorer.palette import CARD_H, CARD_W, OP_GAP, OP_H, ROW_H, VALUE_GAP

Segment = tuple[QPointF, QPointF]


class Centres(Mapping[str, QPointF]):
    """Scene centres by key, kept as numbers; a ``QPointF`` is made when read.

    A 10,000-node graph has some 25,000 centres and a view reads a few dozen.
    """

    def __init__(self, keys: list[str], xs: np.ndarray, ys: np.ndarray) -> None:
        self._where = {key: i for i, key in enumerate(keys)}
        self.xs, self.ys = xs, ys
        self._x, self._y = xs.tolist(), ys.tolist()

    def __getitem__(self, key: str) -> QPointF:
        i = self._where[key]
        return QPointF(self._x[i], self._y[i])

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def xy(self, keys: Sequence[str]) -> np.ndarray:
        """The ``(x, y)`` of each key as rows (0, 0 for a key not placed)."""
        rows = np.array([self._where.get(key, -1) for key in keys], dtype=np.intp)
        xy = np.column_stack((self.xs[rows], self.ys[rows])).reshape(-1, 2)
        xy[rows < 0] = 0.0
        return xy


class SceneGeometry:
    """Scene positions of every node of one layout, and of its edges' ends."""

    def __init__(
        self,
        positions: dict[str, tuple[float, float]],
        pill_widths: dict[str, float],
    ) -> None:
        """``positions`` from the core's layout; ``pill_widths[node_id]`` the
        width of the pill of the op that computes ``node_id``."""
        self.pill_widths = pill_widths
        self.centres = self._place(positions)

    def _place(self, positions: dict[str, tuple[float, float]]) -> Centres:
        """Layout units to scene pixels: value columns are wide, op columns narrow."""
        keys = list(positions)
        xy = np.array([positions[key] for key in keys], dtype=float).reshape(-1, 2)
        rounded = np.array([round(x, 6) for x in xy[:, 0].tolist()], dtype=float)
        columns, column_of = np.unique(rounded, return_inverse=True)
        column_of = column_of.reshape(-1)
        has_values = np.zeros(len(columns), dtype=bool)
        is_value = np.array([not key.endswith(":op") for key in keys], dtype=bool)
        np.logical_or.at(has_values, column_of, is_value)
        widths = np.where(has_values, CARD_W, OP_H).astype(float)
        if self.pill_widths:
            where = {key: i for i, key in enumerate(keys)}
            ops = [where[op_node_id(node_id)] for node_id in self.pill_widths]
            pills = np.array(list(self.pill_widths.values()), dtype=float)
            np.maximum.at(widths, column_of[ops], pills)
        pixel = np.zeros(len(columns))
        if len(columns):
            # Column j sits half its width plus a gap right of column j - 1.
            both = has_values[1:] & has_values[:-1]
            gaps = np.where(both, VALUE_GAP, OP_GAP)
            steps = widths[:-1] / 2 + gaps + widths[1:] / 2
            pixel = np.cumsum(np.concatenate(([widths[0] / 2], steps)))
        return Centres(keys, pixel[column_of], xy[:, 1] * ROW_H)

    def bounds(self) -> QRectF:
        """The scene's extent from the node centres (cheaper than asking items)."""
        if not len(self.centres):
            return QRectF()
        xs, ys = self.centres.xs, self.centres.ys
        left, top = float(xs.min()), float(ys.min())
        right, bottom = float(xs.max()), float(ys.max())
        margin = 40.0
        return QRectF(
            left - CARD_W / 2 - margin,
            top - CARD_H / 2 - margin,
            right - left + CARD_W + 2 * margin,
            bottom - top + CARD_H + 2 * margin + 24,
        )

    def operand_segment(
        self, parent_id: str, node_id: str, operand: int, count: int
    ) -> Segment:
        """From a parent card's right side into the op pill's left side."""
        start = self.centres[parent_id] + QPointF(CARD_W / 2, 0.0)
        spread = min(9.0, (OP_H - 8) / max(1, count - 1)) if count > 1 else 0.0
        offset = (operand - (count - 1) / 2) * spread
        width = self.pill_widths[node_id]
        end = self.centres[op_node_id(node_id)] + QPointF(-width / 2, offset)
        return start, end

    def output_segment(self, node_id: str) -> Segment:
        """From the op pill's right side into the card it computes."""
        width = self.pill_widths[node_id]
        start = self.centres[op_node_id(node_id)] + QPointF(width / 2, 0.0)
        end = self.centres[node_id] + QPointF(-CARD_W / 2, 0.0)
        return start, end
