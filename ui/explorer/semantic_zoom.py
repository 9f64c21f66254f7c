"""Semantic zoom: at every zoom, text is legible or deliberately left out.

A card's fonts are sized in scene pixels, so on screen they are that size
times the zoom. Rather than shrink text into grey smudges, each zoom draws
what it can draw at :data:`MIN_TEXT_PX` or more:

* ``"shapes"`` (far out): plain boxes and pills coloured by state, no text;
  a folded group's name is the exception, drawn at a fixed screen size with
  :func:`screen_font` (the hook the group boxes use);
* ``"labels"`` (middle): a card's name and value, in its two largest fonts;
* ``"full"``: name, value and gradient with their captions;
* ``"close"``: as full, plus each operation's local derivatives under its card.

:func:`zoom_level` is the one rule every item follows.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

from graphviz_dl.numfmt import format_number
from ui.explorer.palette import PALETTE, Fonts

MIN_TEXT_PX = 7.0
"""No text is drawn smaller than this many pixels on screen."""
LABEL_FONT_PX = 16.0
"""The smallest font of the labels level (a card's value)."""
FULL_FONT_PX = 13.0
"""The smallest font of the full card (captions, long numbers, check marks)."""
CLOSE_LOD = 1.1
"""From this zoom on, cards also show their operation's local derivatives."""
LEVELS = ("shapes", "labels", "full", "close")


def zoom_level(lod: float) -> str:
    """What a card draws at zoom ``lod`` (screen pixels per scene pixel)."""
    if lod >= CLOSE_LOD:
        return "close"
    if FULL_FONT_PX * lod >= MIN_TEXT_PX:
        return "full"
    if LABEL_FONT_PX * lod >= MIN_TEXT_PX:
        return "labels"
    return "shapes"


def screen_font(base: QFont, pixels: float, lod: float) -> QFont:
    """``base`` sized to be ``pixels`` tall on screen at zoom ``lod``: for the
    few words that must stay readable however far out (a group box's name)."""
    font = QFont(base)
    font.setPixelSize(max(1, round(pixels / max(lod, 1e-6))))
    return font


def paint_labels(card, painter: QPainter, rect: QRectF) -> None:
    """The middle level: a card's name over its value, large, no captions."""
    fonts = Fonts.get()
    dim = not card.known
    top = QRectF(rect.left() + 11, rect.top() + 4, rect.width() - 18, 30)
    painter.setFont(fonts.name)
    painter.setPen(PALETTE.text_dim if dim else PALETTE.text)
    painter.drawText(
        top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, card.name
    )
    painter.setFont(fonts.number)
    bottom = QRectF(rect.left() + 11, rect.top() + 36, rect.width() - 18, 30)
    painter.drawText(
        bottom,
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        card.value_text(),
    )


def local_text(index, position: int, name) -> str:
    """ "∂/∂a −3 · ∂/∂b 2": the node's local derivative for each operand."""
    node = index.nodes[position]
    parents = index.parents[position]
    if not parents:
        return ""
    parts = []
    for parent, local in zip(parents, node.local_grads):
        parts.append(f"∂/∂{name(parent)} {format_number(local)}")
    return " · ".join(dict.fromkeys(parts))


def paint_locals(card, painter: QPainter, rect: QRectF) -> None:
    """The close level: the local derivatives under a computed card."""
    text = getattr(card, "local_text", "")
    if not text or not card.known or card.check is not None:
        return
    fonts = Fonts.get()
    box = QRectF(rect.left() - 4, rect.bottom() + 2, rect.width() + 8, 20)
    metrics = QFontMetricsF(fonts.small)
    text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width())
    painter.setFont(fonts.small)
    painter.setPen(PALETTE.text_soft)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


class LocalDerivatives:
    """Gives each card, as it is made, its local-derivative line (read at the
    close level; a card with none, a leaf, shows nothing there)."""

    def __init__(self, view) -> None:
        self.view = view
        view.item_hooks.append(self._item_made)

    def _item_made(self, node_id: str, item) -> None:
        if not hasattr(item, "value_text"):  # a pill: nothing to add
            return
        program = self.view.model.program
        index = program.index
        ids, name = index.ids, program.walk.name
        item.local_text = local_text(
            index, index.position_of(node_id), lambda p: name(ids[p])
        )
