"""The explorer's colours, sizes and fonts, shared by every drawn item.

Forward is amber, backward is violet; a gradient's sign is blue or red and
its size is the strength of the colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

CARD_W = 138.0
CARD_H = 70.0
OP_H = 40.0
ROW_H = 104.0
VALUE_GAP = 44.0
OP_GAP = 30.0
LOD_TEXT = 0.38
"""Below this zoom, cards are drawn as plain boxes (no text): fast and uncluttered."""

# Roles a node can play in the current step.
FORWARD_TARGET = "forward-target"
FORWARD_INPUT = "forward-input"
BACKWARD_TARGET = "backward-target"
BACKWARD_SOURCE = "backward-source"


@dataclass(frozen=True)
class Palette:
    """The explorer's colours; forward is amber, backward is violet."""

    card = QColor("#ffffff")
    card_dim = QColor("#eef1f5")
    border = QColor("#94a3b8")
    leaf_stripe = QColor("#0d9488")
    text = QColor("#0f172a")
    text_dim = QColor("#9aa5b4")
    text_soft = QColor("#475569")
    forward = QColor("#f59e0b")
    backward = QColor("#7c3aed")
    selected = QColor("#0ea5e9")
    positive = QColor("#2563eb")
    negative = QColor("#dc2626")
    bad = QColor("#a21caf")
    box_known = QColor("#94a3b8")
    box_unknown = QColor("#dde3ea")
    op_fill = QColor("#e2e8f0")
    op_fill_dim = QColor("#f1f5f9")
    edge = QColor("#a3adbb")
    ok = QColor("#15803d")
    fail = QColor("#b91c1c")
    kink = QColor("#b45309")  # a gradient check at a point with no derivative
    non_finite = QColor("#a21caf")  # a value downstream of the first nan or inf
    axis = QColor("#0f766e")  # a leaf chosen as an axis of the loss surface


PALETTE = Palette()


def grad_color(grad: float, scale: float, arrived: bool = True) -> QColor | None:
    """Blue for a positive gradient, red for a negative one, stronger when larger.

    ``scale`` is the largest finite |gradient| in the graph; None means no
    gradient has arrived yet, purple marks inf/nan gradients.
    """
    if not arrived:
        return None
    if not math.isfinite(grad):
        color = QColor(PALETTE.bad)
        color.setAlphaF(0.35)
        return color
    if grad == 0.0:
        return QColor("#e5e7eb")
    share = min(1.0, abs(grad) / scale) if scale > 0 else 1.0
    color = QColor(PALETTE.positive if grad > 0 else PALETTE.negative)
    color.setAlphaF(0.14 + 0.56 * math.sqrt(share))
    return color


class Fonts:
    """Fonts sized in scene pixels, made once (a QGuiApplication must exist)."""

    _made = False

    @classmethod
    def get(cls) -> type[Fonts]:
        if not cls._made:
            cls.name = QFont()
            cls.name.setPixelSize(17)
            cls.name.setBold(True)
            cls.number = QFont()
            cls.number.setPixelSize(16)
            cls.number_metrics = QFontMetricsF(cls.number)
            cls.number_small = QFont()
            cls.number_small.setPixelSize(13)
            cls.small = QFont()
            cls.small.setPixelSize(13)
            cls.small_metrics = QFontMetricsF(cls.small)
            cls.op = QFont()
            cls.op.setPixelSize(17)
            cls.op.setBold(True)
            cls.op_metrics = QFontMetricsF(cls.op)
            cls._made = True
        return cls


def level_of_detail(painter: QPainter, option: QStyleOptionGraphicsItem) -> float:
    return option.levelOfDetailFromTransform(painter.worldTransform())
