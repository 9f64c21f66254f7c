"""Every edge's two ends for a whole graph at once, and the items that draw them.

Working out 16,000 edge ends one ``QPointF`` at a time took longer than
everything else the scene needed; here they are a few array operations, and
the edge items receive plain numbers (their curves are made when painted).
"""

from __future__ import annotations

import numpy as np

from ui.explorer.dense_edges import DenseEdges
from ui.explorer.edge_items import EdgeGroup
from ui.explorer.palette import CARD_W, OP_H, PALETTE


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


def edge_items(
    index, value_xy: np.ndarray, op_xy: np.ndarray, widths: np.ndarray, dense: bool
) -> list[EdgeGroup]:
    """The graph's edges as items: one per op node (its operands and output),
    or on a dense graph one :class:`DenseEdges` for them all."""
    ends, op_of = edge_ends(index, value_xy, op_xy, widths)
    if not len(ends):
        return []
    if dense:
        edges = DenseEdges(ends, PALETTE.edge.darker(130))
        edges.setZValue(-2)
        return [edges]
    items: list[EdgeGroup] = []
    # Stable: each op's operand edges, then its output edge.
    order = np.argsort(op_of, kind="stable")
    cuts = np.flatnonzero(np.diff(op_of[order])) + 1
    for chunk in np.split(ends[order], cuts):
        group = EdgeGroup(color=PALETTE.edge)
        group.set_ends(chunk, PALETTE.edge)
        group.setZValue(-2)
        items.append(group)
    return items
