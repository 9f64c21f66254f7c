"""Every edge's two ends for a whole graph at once, and their batching into items.

Working out 16,000 edge ends one ``QPointF`` at a time took longer than
everything else the scene needed; here they are a few array operations, and
the edge items receive plain numbers (their curves are made when painted).
"""

from __future__ import annotations

import numpy as np

from ui.explorer.edge_fan import EdgeFan
from ui.explorer.edge_items import EdgeGroup
from ui.explorer.palette import CARD_W, OP_H, PALETTE

FAN = 16
"""On a dense graph, a node used this many times has its edges drawn by one
:class:`EdgeFan` (a shared weight's long edges cross the whole view)."""


def edge_ends(
    index,
    value_xy: np.ndarray,
    op_xy: np.ndarray,
    widths: np.ndarray,
    sources: bool = False,
):
    """``(ends, op_of)``: each edge's ``(x0, y0, x1, y1)`` and the op it meets
    (with ``sources``, also the node each starts from, -1 from a pill).

    The same ends as :meth:`SceneGeometry.operand_segment` (a parent card's
    right side into the pill's left side, operands spread apart) and
    :meth:`SceneGeometry.output_segment` (the pill into its card).
    """
    ops = [i for i, node in enumerate(index.nodes) if node.op is not None]
    child, parent, operand, count = [], [], [], []
    for i in ops:
        parents = index.parents[i]
        for k, p in enumerate(parents):
            child.append(i)
            parent.append(p)
            operand.append(k)
            count.append(len(parents))
    child_a = np.asarray(child, dtype=np.intp)
    parent_a = np.asarray(parent, dtype=np.intp)
    operand_a = np.asarray(operand, dtype=float)
    count_a = np.asarray(count, dtype=float)
    spread = np.where(
        count_a > 1, np.minimum(9.0, (OP_H - 8) / np.maximum(1.0, count_a - 1)), 0.0
    )
    offset = (operand_a - (count_a - 1) / 2) * spread
    into = np.column_stack(
        (
            value_xy[parent_a, 0] + CARD_W / 2,
            value_xy[parent_a, 1],
            op_xy[child_a, 0] - widths[child_a] / 2,
            op_xy[child_a, 1] + offset,
        )
    )
    ops_a = np.asarray(ops, dtype=np.intp)
    out = np.column_stack(
        (
            op_xy[ops_a, 0] + widths[ops_a] / 2,
            op_xy[ops_a, 1],
            value_xy[ops_a, 0] - CARD_W / 2,
            value_xy[ops_a, 1],
        )
    )
    ends = np.concatenate((into, out)).reshape(-1, 4)
    op_of = np.concatenate((child_a, ops_a))
    if sources:
        return ends, op_of, np.concatenate((parent_a, np.full(len(ops_a), -1)))
    return ends, op_of


def edge_groups(
    index, value_xy: np.ndarray, op_xy: np.ndarray, widths: np.ndarray, batch: int
) -> list[EdgeGroup]:
    """The graph's edges as items: one per op node (its operands and output),
    or on a dense graph one per ``batch`` neighbouring op nodes, and one per
    node used :data:`FAN` times or more (its fan of edges)."""
    dense = batch > 1
    color = PALETTE.edge.darker(130) if dense else PALETTE.edge
    ends, op_of, source = edge_ends(index, value_xy, op_xy, widths, sources=True)
    if not len(ends):
        return []
    items: list[EdgeGroup] = []
    if dense:
        uses = np.bincount(source[source >= 0], minlength=len(index))
        fanned = (source >= 0) & (uses[np.maximum(source, 0)] >= FAN)
        for node in np.unique(source[fanned]).tolist():
            fan = EdgeFan(ends[source == node], color)
            fan.setZValue(-2)
            items.append(fan)
        ends, op_of = ends[~fanned], op_of[~fanned]
    ops = np.unique(op_of)  # index order
    if dense:  # neighbours on screen share an item
        ops = ops[np.lexsort((op_xy[ops, 1], op_xy[ops, 0]))]
    rank = np.empty(len(index), dtype=np.intp)
    rank[ops] = np.arange(len(ops))
    # Stable: within a group, each op's operand edges then its output edge.
    order = np.argsort(rank[op_of] // batch, kind="stable")
    group_of = (rank[op_of] // batch)[order]
    cuts = np.flatnonzero(np.diff(group_of)) + 1
    for chunk in np.split(ends[order], cuts):
        if not len(chunk):
            continue
        group = EdgeGroup(color=color, hairline=dense)
        group.set_ends(chunk, color)
        group.setZValue(-2)
        items.append(group)
    return items
