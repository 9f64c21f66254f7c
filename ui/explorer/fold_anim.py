"""Sliding the cards to their new places after a fold or unfold.

Before the view rebuilds, :meth:`FoldAnimator.snapshot` keeps where every unit
was (and which node positions it covered); afterwards each card, pill and box
starts where its old self — or the box it came out of, or the members it
gathers — stood, and slides to its new place in a quarter of a second. The
edges come back when the cards have arrived.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEasingCurve, QPointF, QVariantAnimation

from ui.explorer.group_items import group_key
from ui.explorer.palette import CARD_H, CARD_W

DURATION_MS = 260
MAX_ANIMATED = 600
"""More items than this jump to their places (a slide would stutter)."""


@dataclass
class Snapshot:
    """Where each unit stood: keys, centres (rows of x, y), node ranges."""

    keys: list[str]
    xy: np.ndarray
    ranges: np.ndarray  # rows of (start, stop) node positions covered

    def centre(self, start: int, stop: int) -> np.ndarray | None:
        """Where the positions start..stop-1 stood: the unit holding them, or
        the middle of the units inside them."""
        if not len(self.keys):
            return None
        starts, stops = self.ranges[:, 0], self.ranges[:, 1]
        holding = np.flatnonzero((starts <= start) & (stops >= stop))
        if len(holding):
            return self.xy[holding[-1]]
        inside = (starts >= start) & (stops <= stop)
        if inside.any():
            return self.xy[inside].mean(axis=0)
        return None


class FoldAnimator:
    """Snapshots a :class:`~ui.explorer.fold_view.FoldingGraphView` and
    slides its items from the old places to the new."""

    def __init__(self, view) -> None:
        self.view = view
        self._moves: list[tuple[object, QPointF, QPointF]] = []
        self._animation = QVariantAnimation(view)
        self._animation.setDuration(DURATION_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._animation.valueChanged.connect(self._tick)
        self._animation.finished.connect(self._done)

    @property
    def running(self) -> bool:
        return bool(self._moves)

    @staticmethod
    def _range(key: str, boxes: dict) -> tuple[int, int]:
        span = boxes.get(key)
        if span is not None:
            return span.start, span.stop
        position = int(key[1:])  # a node's id is "n<position>" (graph_index.node_id)
        return position, position + 1

    def snapshot(self) -> Snapshot | None:
        """Where every unit of the drawing stands now (a slide under way ends)."""
        self._finish()
        geometry = self.view.geometry_
        if geometry is None:
            return None
        keys = [key for key in geometry.centres if not key.endswith(":op")]
        boxes = {group_key(span): span for span in self.view.boxes}
        ranges = np.array([self._range(key, boxes) for key in keys], dtype=np.int64)
        return Snapshot(keys, geometry.centres.xy(keys), ranges.reshape(-1, 2))

    def shift(
        self, before: Snapshot | None, span, now: Snapshot | None = None
    ) -> QPointF:
        """How far ``span``'s drawing moved in the scene (zero if unknown)."""
        now = self.snapshot() if now is None else now
        if before is None or now is None or span is None:
            return QPointF()
        old = before.centre(span.start, span.stop)
        new = now.centre(span.start, span.stop)
        if old is None or new is None:
            return QPointF()
        return QPointF(*(new - old))

    def start(self, before: Snapshot | None, anchor, delta: QPointF) -> None:
        """Slide the items in sight from where they were to where they are."""
        view = self.view
        if before is None or view.geometry_ is None:
            return
        seen = view.mapToScene(view.viewport().rect()).boundingRect()
        seen.adjust(-CARD_W, -CARD_H, CARD_W, CARD_H)
        view.cards.make_in(seen)
        view.bubbles.make_in(seen)
        moves = []
        items = [*view.cards.made().items(), *view.bubbles.made().items()]
        items += [(span, box) for span, box in view.boxes.items()]
        if len(items) > MAX_ANIMATED:
            return
        for key, item in items:
            if isinstance(key, str):
                start, stop = self._range(key, {})
            else:
                start, stop = key.start, key.stop
            old = before.centre(start, stop)
            if old is None:
                continue
            end = item.pos()
            card = view.centres.get(key) if isinstance(key, str) else None
            offset = end - card if card is not None else QPointF()
            begin = QPointF(*old) + delta + offset
            if begin != end:
                moves.append((item, begin, end))
        if not moves:
            return
        self._moves = moves
        self._show_edges(False)
        self._tick(0.0)
        self._animation.start()

    def _tick(self, t) -> None:
        t = float(t)
        for item, begin, end in self._moves:
            item.setPos(begin + (end - begin) * t)

    def _done(self) -> None:
        self._tick(1.0)
        self._moves = []
        self._show_edges(True)

    def cancel(self) -> None:
        """The items are being thrown away: stop without touching them."""
        self._animation.stop()
        self._moves = []

    def _finish(self) -> None:
        if self._moves:
            self._animation.stop()
            self._done()

    def _show_edges(self, on: bool) -> None:
        view = self.view
        visible = on and not view.showing_overview()
        for item in view._edge_items:
            item.setVisible(visible)
        view._highlight.setVisible(visible)
