"""Where a folded graph's units go in the scene, and its edges' ends.

The core's :class:`~graphviz_dl.folding.FoldedGraph` gives each unit (a node,
or a folded group) a column and a row on the same grid as
:func:`~graphviz_dl.layout.layered_layout`: a node's op pill one column before
its card, a group's box over both. So :class:`~ui.explorer.graph_geometry.
SceneGeometry` places them unchanged, and edges run unit to unit.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF

from graphviz_dl.graph_index import op_node_id
from ui.explorer.graph_geometry import SceneGeometry, Segment
from ui.explorer.group_items import GROUP_W, group_key
from ui.explorer.node_items import pill_width
from ui.explorer.palette import CARD_W, OP_H


def unit_keys(folded, index) -> list[str]:
    """The scene key of each unit: a node's id, or a group's :func:`group_key`."""
    ids = index.ids
    return [
        ids[unit] if isinstance(unit, int) else group_key(unit) for unit in folded.units
    ]


def folded_geometry(folded, layout, index) -> tuple[SceneGeometry, list[str]]:
    """The scene geometry of a folded graph and its units' keys.

    The core lays a group out as a computed unit: its box stands in the card's
    column and its op slot (as wide as a plain pill) one column before, so the
    box's left half never covers another column's pills.
    """
    keys = unit_keys(folded, index)
    widths: dict[str, float] = {}
    nodes = index.nodes
    for unit, key in zip(folded.units, keys, strict=True):
        if not isinstance(unit, int):
            widths[key] = OP_H
        elif nodes[unit].op is not None:
            widths[key] = pill_width(nodes[unit].op.label)
    return SceneGeometry(layout.positions, widths), keys


def unit_right(geometry: SceneGeometry, key: str) -> QPointF:
    """Where edges leave a unit: its card's (or box's) right side."""
    return geometry.centres[key] + QPointF(CARD_W / 2, 0.0)


def unit_left(geometry: SceneGeometry, key: str, group: bool) -> QPointF:
    """Where edges enter a unit: its pill's left side, or its box's."""
    if group:
        return geometry.centres[key] + QPointF(CARD_W / 2 - GROUP_W, 0.0)
    width = geometry.pill_widths.get(key, OP_H)
    return geometry.centres[op_node_id(key)] + QPointF(-width / 2, 0.0)


def unit_segments(
    folded, geometry: SceneGeometry, keys: list[str]
) -> tuple[list[Segment], list[tuple[Segment, int]]]:
    """Every drawn edge (unit to unit, and each node's pill into its card),
    and the ends of each edge that merges several, with how many."""
    is_group = [not isinstance(unit, int) for unit in folded.units]
    segments: list[Segment] = []
    counts: list[tuple[Segment, int]] = []
    for source, target, count in folded.edges:
        start = unit_right(geometry, keys[source])
        end = unit_left(geometry, keys[target], is_group[target])
        segments.append((start, end))
        if count > 1:
            counts.append(((start, end), count))
    for unit, key in zip(folded.units, keys, strict=True):
        if isinstance(unit, int) and key in geometry.pill_widths:
            segments.append(geometry.output_segment(key))
    return segments, counts
