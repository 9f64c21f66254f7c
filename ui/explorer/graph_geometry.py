"""Where things go in the explorer's scene: layout units to pixels, edge ends.

The core's layout gives columns and rows; here value columns become wide
enough for a card, op columns for their pill, and each edge gets its two
ends (a card's right side into a pill's left side, or a pill into its card).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from graphviz_dl.graph_index import op_node_id
from ui.explorer.palette import CARD_H, CARD_W, OP_GAP, OP_H, ROW_H, VALUE_GAP

Segment = tuple[QPointF, QPointF]


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
        self.centres: dict[str, QPointF] = {}
        self._place(positions)

    def _place(self, positions: dict[str, tuple[float, float]]) -> None:
        """Layout units to scene pixels: value columns are wide, op columns narrow."""
        columns: dict[float, bool] = {}
        for key, (x, _y) in positions.items():
            column = round(float(x), 6)
            columns[column] = columns.get(column, False) or not key.endswith(":op")
        widths = {
            column: CARD_W if has_values else OP_H
            for column, has_values in columns.items()
        }
        for node_id, width in self.pill_widths.items():
            column = round(float(positions[op_node_id(node_id)][0]), 6)
            widths[column] = max(widths[column], width)
        pixel: dict[float, float] = {}
        cursor = 0.0
        previous: float | None = None
        for column in sorted(columns):
            if previous is None:
                cursor = widths[column] / 2
            else:
                gap = VALUE_GAP if columns[column] and columns[previous] else OP_GAP
                cursor += widths[previous] / 2 + gap + widths[column] / 2
            pixel[column] = cursor
            previous = column
        for key, (x, y) in positions.items():
            self.centres[key] = QPointF(pixel[round(float(x), 6)], float(y) * ROW_H)

    def bounds(self) -> QRectF:
        """The scene's extent from the node centres (cheaper than asking items)."""
        if not self.centres:
            return QRectF()
        xs = [p.x() for p in self.centres.values()]
        ys = [p.y() for p in self.centres.values()]
        margin = 40.0
        return QRectF(
            min(xs) - CARD_W / 2 - margin,
            min(ys) - CARD_H / 2 - margin,
            max(xs) - min(xs) + CARD_W + 2 * margin,
            max(ys) - min(ys) + CARD_H + 2 * margin + 24,
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
