"""The folded drawing's extra items: unit-to-unit edges with their counts, and
a dashed frame with a ▾ tab (click: fold it again) around each open group."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem

from ui.explorer.dense_edges import DenseEdges
from ui.explorer.edge_items import EdgeGroup
from ui.explorer.fold_geometry import unit_segments
from ui.explorer.graph_items import DENSE_GRAPH
from ui.explorer.group_items import GROUP_H, GROUP_W, CountBadge, GroupFrame
from ui.explorer.palette import CARD_W, PALETTE

MAX_FRAMES = 40
"""Open groups framed at most (innermost first)."""
FRAME_PAD = 14.0


def unit_edge_items(folded, geometry, keys: list[str]) -> list[QGraphicsItem]:
    """One item for every edge, and a "×n" by an edge that merges n node edges."""
    segments, counts = unit_segments(folded, geometry, keys)
    if len(folded.units) > DENSE_GRAPH:
        edges = DenseEdges(np.zeros((0, 4)), PALETTE.edge)
        edges.set_edges(segments, PALETTE.edge)
    else:
        edges = EdgeGroup(segments)
    edges.setZValue(-2)
    items: list[QGraphicsItem] = [edges]
    for (start, end), count in counts:
        badge = CountBadge(count)
        # The curve's middle; between two close boxes, just under their text.
        short = end.x() - start.x() < badge.rect.width() + 16
        badge.setPos((start + end) / 2 + QPointF(0.0, 38.0 if short else 4.0))
        items.append(badge)
    return items


def group_frames(model, folded, geometry, keys: list[str]) -> list[GroupFrame]:
    """A frame around each open group's units (none for a folded or hidden one)."""
    tree = model.group_tree
    xy = geometry.centres.xy(keys)
    ranges = np.array(
        [(u, u + 1) if isinstance(u, int) else (u.start, u.stop) for u in folded.units],
        dtype=np.int64,
    ).reshape(-1, 2)
    open_spans = [span for span in tree.spans if _is_open(span, model.folded)]
    open_spans.sort(key=lambda span: -span.depth)
    frames: dict = {}
    for span in open_spans[:MAX_FRAMES]:
        inside = (ranges[:, 0] >= span.start) & (ranges[:, 1] <= span.stop)
        if not inside.any():
            continue
        (left, top), (right, bottom) = xy[inside].min(0), xy[inside].max(0)
        pad = FRAME_PAD
        rect = QRectF(
            left + CARD_W / 2 - GROUP_W - pad,
            top - GROUP_H / 2 - pad,
            right - left + GROUP_W + 2 * pad,
            bottom - top + GROUP_H + 2 * pad,
        )
        # Enclose the open groups inside, tabs and all, so that nested frames
        # never share an edge and each tab folds its own group.
        for child in span.children:
            if child in frames:
                inner = frames[child]
                outer = inner.rect.united(inner.tab_rect())
                rect = rect.united(outer.adjusted(-pad, -pad, pad, pad))
        frames[span] = GroupFrame(span, rect)
    return list(frames.values())


def _is_open(span, folded) -> bool:
    """Neither folded itself nor inside a folded group."""
    while span is not None:
        if span in folded:
            return False
        span = span.parent
    return True
