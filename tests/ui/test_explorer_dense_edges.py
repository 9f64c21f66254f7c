"""A dense graph's edges, drawn by one item, as a person sees them.

On a dense graph every edge is drawn by one
:class:`~ui.explorer.dense_edges.DenseEdges` that strokes only the part of
each curve inside the repainted area. These tests look at the pixels along the
fan of a node used many times (``w`` in every line of a chain): its curves are
where ``w``'s edges run, the step's lit edge is drawn over them, and piece by
piece the item draws what separate edges would.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform
from PySide6.QtWidgets import QApplication, QGraphicsScene, QStyleOptionGraphicsItem

from ui.explorer.dense_edges import DenseEdges
from ui.explorer.edge_items import arrow_head, edge_path
from ui.explorer.edge_layout import edge_ends
from ui.explorer.node_items import OpBubble, ValueCard
from ui.explorer.palette import LOD_TEXT, PALETTE, level_of_detail

# x0, w, then 299 lines of 4 nodes: ~1,200 nodes, and w is used 299 times.
CHAIN = "\n".join(
    ["x0 = 0.5", "w = 1.01"]
    + [f"x{i} = tanh(x{i - 1} * w + 0.1)" for i in range(1, 300)]
)
BACKGROUND = QColor("#f8fafc")
EDGE = PALETTE.edge.darker(130)
"""A dense graph's edges are drawn a little darker (``edge_layout``)."""


def pixels(image: QImage) -> np.ndarray:
    """An image's pixels as an ``(height, width, 3)`` array of RGB."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4
    )
    return rows[:, : image.width(), 2::-1].astype(int)  # BGRA in memory


def near_colour(image: np.ndarray, color: QColor, tolerance: int = 40) -> np.ndarray:
    """Where a pixel, or one of its eight neighbours, is ``color``."""
    target = np.array([color.red(), color.green(), color.blue()])
    hit = np.abs(image - target).sum(axis=2) <= tolerance
    grown = hit.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            grown |= np.roll(np.roll(hit, dy, axis=0), dx, axis=1)
    return grown


def curve_points(view, segment) -> np.ndarray:
    """Viewport pixels along an edge's curve (as ``edge_path`` bends it),
    one per pixel column the curve crosses in view, rows of ``(x, y)``."""
    start, end = segment
    sx, sy, ex, ey = start.x(), start.y(), end.x(), end.y()
    dx = max(24.0, (ex - sx) * 0.5)
    xs = np.array([sx, sx + dx, ex - dx, ex])
    ys = np.array([sy, sy, ey, ey])

    def bezier(controls: np.ndarray, t: np.ndarray) -> np.ndarray:
        weights = np.stack(
            ((1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3)
        )
        return controls @ weights

    grid = np.linspace(0.0, 1.0, 20001)
    at = view.viewportTransform()
    left = (0 - at.dx()) / at.m11()
    right = (view.viewport().width() - at.dx()) / at.m11()
    columns = np.arange(max(left, sx), min(right, ex), 1.0 / at.m11())
    t = np.interp(columns, bezier(xs, grid), grid)  # x rises along the curve
    points = np.column_stack(
        (bezier(xs, t) * at.m11() + at.dx(), bezier(ys, t) * at.m22() + at.dy())
    )
    return np.round(points).astype(int).reshape(-1, 2)


def covered(view) -> np.ndarray:
    """The viewport pixels under a card or a pill (and a 2-pixel rim)."""
    size = view.viewport().size()
    mask = np.zeros((size.height(), size.width()), dtype=bool)
    for item in view.items(view.viewport().rect()):
        if isinstance(item, (ValueCard, OpBubble)) and item.isVisible():
            box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            top, left = max(0, box.top() - 2), max(0, box.left() - 2)
            mask[top : box.bottom() + 3, left : box.right() + 3] = True
    return mask


def uses_of_w(window):
    """The id of ``w`` and, for each node that uses it, (node id, operand, count)."""
    program = window.model.program
    index = program.index
    w = window.model.find("w")
    where = index.position_of(w)
    uses = []
    for i, parents in enumerate(index.parents):
        for k, p in enumerate(parents):
            if p == where:
                uses.append((index.ids[i], k, len(parents)))
    return w, uses


def step_to_a_use_of(model, node_id: str, start: int) -> None:
    """Step forward from ``start`` until the current step computes from ``node_id``."""
    model.set_position(start)
    while not (
        model.current_step().phase == "forward"
        and node_id in model.current_step().inputs
    ):
        model.step_forward()


@pytest.fixture
def chain(window, qtbot):
    window.editor.setPlainText(CHAIN)
    assert window.build_program()
    # ~1,200 nodes are prepared in the background: wait until they are shown.
    qtbot.waitUntil(
        lambda: window.model.program is not None and not window.loader.busy,
        timeout=20000,
    )
    QApplication.processEvents()
    return window


def test_stepping_to_a_shared_weights_use_shows_its_fan_and_the_lit_edge(chain):
    view, model = chain.graph_view, chain.model
    items = [item for item in view.scene().items() if isinstance(item, DenseEdges)]
    assert len(items) == 1, "one item draws every edge of this dense graph"
    edges = items[0]
    w, uses = uses_of_w(chain)
    assert len(uses) == 299
    index = model.program.index
    operand_edges = sum(len(parents) for parents in index.parents)
    output_edges = sum(node.op is not None for node in index.nodes)
    assert edges.edge_count() == operand_edges + output_edges

    step_to_a_use_of(model, w, model.length // 3)
    view.zoom_by(1.0 / view.scale_factor())  # reading size
    lit_node = model.current_step().node
    view.centerOn(view.centres[f"{lit_node}:op"])
    QApplication.processEvents()
    seen = pixels(view.viewport().grab().toImage())
    height, width = seen.shape[:2]

    hidden = covered(view)

    def inside(points: np.ndarray) -> np.ndarray:
        """Points in the viewport that no card or pill covers."""
        x, y = points[:, 0], points[:, 1]
        keep = (x >= 2) & (x < width - 2) & (y >= 2) & (y < height - 2)
        points = points[keep]
        return points[~hidden[points[:, 1], points[:, 0]]]

    geometry = view.geometry_
    lit = next(u for u in uses if u[0] == lit_node)
    lit_points = inside(curve_points(view, geometry.operand_segment(w, *lit)))
    assert len(lit_points) > 40, "the lit edge into the step's pill is in view"
    amber = near_colour(seen, PALETTE.forward)
    on_lit = amber[lit_points[:, 1], lit_points[:, 0]].mean()
    assert on_lit > 0.9, f"the step's edge from w is lit along its curve ({on_lit})"

    # w's other edges: every visible stretch of curve is drawn, clear of the lit one.
    lit_band = near_colour(seen, PALETTE.forward, tolerance=120)
    fan_points = []
    for node_id, operand, count in uses:
        if node_id == lit_node:
            continue
        segment = geometry.operand_segment(w, node_id, operand, count)
        points = inside(curve_points(view, segment))
        if len(points):
            fan_points.append(points[~lit_band[points[:, 1], points[:, 0]]])
    fan_points = np.concatenate(fan_points)
    assert len(fan_points) > 200, "w's edges cross the view"
    drawn = near_colour(seen, EDGE)[fan_points[:, 1], fan_points[:, 0]]
    assert drawn.mean() > 0.97, (
        f"w's edges are drawn along their curves ({drawn.mean()})"
    )

    edges.setVisible(False)  # what is left without the item: w's edges are gone
    QApplication.processEvents()
    bare = pixels(view.viewport().grab().toImage())
    still = near_colour(bare, EDGE)[fan_points[:, 1], fan_points[:, 0]]
    assert still.mean() < 0.5, "those pixels were the item's"


def w_edge_ends(window) -> np.ndarray:
    """The ends of ``w``'s edges, worked out as the view places every edge."""
    view = window.graph_view
    index = window.model.program.index
    centres = view.centres
    value_xy = centres.xy(index.ids)
    op_xy = centres.xy([f"{node_id}:op" for node_id in index.ids])
    widths = np.array(
        [view.geometry_.pill_widths.get(node_id, 0.0) for node_id in index.ids]
    )
    ends, _op_of, source = edge_ends(index, value_xy, op_xy, widths, sources=True)
    return ends[source == index.position_of(window.model.find("w"))]


def render_alone(paint, scale: float, centre: QPointF, tiles: int = 1) -> np.ndarray:
    """What ``paint(painter, option)`` draws alone in a 640×400 image at
    ``scale`` centred on ``centre``, in ``tiles``×``tiles`` pieces, each told
    only its piece is exposed (as a step's small repaint tells an item)."""
    width, height = 640, 400
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    to_image = QTransform.fromTranslate(
        width / 2 - centre.x() * scale, height / 2 - centre.y() * scale
    ).scale(scale, scale)
    to_scene, _ = to_image.inverted()
    painter = QPainter(image)
    xs = np.linspace(0, width, tiles + 1).astype(int).tolist()
    ys = np.linspace(0, height, tiles + 1).astype(int).tolist()
    for top, bottom in itertools.pairwise(ys):
        for left, right in itertools.pairwise(xs):
            tile = QRect(left, top, right - left, bottom - top)
            painter.save()
            painter.setClipRect(tile)
            painter.setTransform(to_image)
            option = QStyleOptionGraphicsItem()
            option.exposedRect = to_scene.mapRect(QRectF(tile))
            paint(painter, option)
            painter.restore()
    painter.end()
    return pixels(image)


def one_by_one(ends: np.ndarray):
    """The reference: each edge stroked on its own, one pixel wide, its arrow
    head filled on its own when close enough to read."""
    pen = QPen(EDGE, 1.0)
    pen.setCosmetic(True)

    def paint(painter: QPainter, option) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for sx, sy, ex, ey in ends.tolist():
            painter.drawPath(edge_path(QPointF(sx, sy), QPointF(ex, ey)))
        if level_of_detail(painter, option) < LOD_TEXT:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(EDGE)
        for _sx, _sy, ex, ey in ends.tolist():
            painter.drawPolygon(arrow_head(QPointF(ex, ey)))

    return paint


@pytest.mark.parametrize("scale", [1.0, 0.35])
def test_dense_edges_draw_piece_by_piece_what_single_edges_would(chain, scale):
    view = chain.graph_view
    _w, uses = uses_of_w(chain)
    ends = w_edge_ends(chain)
    assert len(ends) == len(uses)
    centre = view.centres[f"{uses[len(uses) // 2][0]}:op"]

    expected = render_alone(one_by_one(ends), scale, centre)
    background = np.array([BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue()])
    edge_pixels = (np.abs(expected - background).sum(axis=2) > 30).sum()
    assert edge_pixels > 2000, "many of w's edges cross this view"
    item = DenseEdges(ends, EDGE)
    for tiles in (1, 5, 7):
        drawn = render_alone(item.paint, scale, centre, tiles)
        differ = np.abs(drawn - expected).sum(axis=2) > 30
        assert differ.sum() <= 12, (
            f"{tiles}×{tiles} pieces at zoom {scale}: {differ.sum()} pixels differ"
        )


@pytest.mark.parametrize("scale", [1.0, 0.25])
def test_steep_edges_across_the_view_are_drawn_where_single_edges_would(qapp, scale):
    """An MLP's weights seen from afar: long S-curves between far rows, many of
    whose boxes cross the view while the curves pass beside it.

    A curve tens of thousands of pixels long is flattened more coarsely than
    the piece of it in view, so the two may differ by a pixel sideways: every
    pixel of each must lie within a pixel of the other's.
    """
    rng = np.random.default_rng(7)
    count = 400
    ends = np.column_stack(
        (
            rng.uniform(0, 300, count),
            rng.uniform(-30000, 30000, count),
            rng.uniform(700, 4000, count),
            rng.uniform(-30000, 30000, count),
        )
    )
    ends[:20, 1] = rng.uniform(-150, 150, 20)  # some nearly level, in view
    ends[:20, 3] = ends[:20, 1] + rng.uniform(-200, 200, 20)
    ends[:5, 3] = ends[:5, 1]  # and some level
    ends[20:30, 2] = ends[20:30, 0] + rng.uniform(5, 40, 10)  # some short
    centre = QPointF(900.0, 0.0)
    expected = render_alone(one_by_one(ends), scale, centre)
    background = np.array([BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue()])
    expected_ink = np.abs(expected - background).sum(axis=2) > 30
    assert expected_ink.sum() > 20000, "many curves cross this view"
    item = DenseEdges(ends, EDGE)
    for tiles in (1, 5, 7):
        drawn = render_alone(item.paint, scale, centre, tiles)
        ink = np.abs(drawn - background).sum(axis=2) > 30
        missing = (~near_colour(drawn, EDGE))[expected_ink].sum()
        stray = (~near_colour(expected, EDGE))[ink].sum()
        assert missing <= 12 and stray <= 12, (
            f"{tiles}×{tiles} pieces at zoom {scale}: {missing} pixels missing, "
            f"{stray} astray"
        )


def test_dimmed_dense_edges_keep_their_place_and_take_the_dimmed_colour(chain):
    """A trace dims the edges to 0.15: drawn opaque in the colour a translucent
    pen would leave on the background (Qt strokes translucent lines far more
    slowly), on the same pixels, and the painter's opacity is given back."""
    view = chain.graph_view
    ends = w_edge_ends(chain)
    centre = view.centres[f"{uses_of_w(chain)[1][len(ends) // 2][0]}:op"]
    item = DenseEdges(ends, EDGE)
    scene = QGraphicsScene()  # whose background the dimmed colour is mixed with
    scene.setBackgroundBrush(BACKGROUND)
    scene.addItem(item)
    after = []

    def dimmed(painter: QPainter, option) -> None:
        painter.setOpacity(0.15)
        item.paint(painter, option)
        after.append(painter.opacity())

    bright = render_alone(item.paint, 0.35, centre)
    dim = render_alone(dimmed, 0.35, centre)
    background = np.array([BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue()])
    ink = np.abs(bright - background).sum(axis=2) > 30
    assert ink.sum() > 2000
    edge = np.array([EDGE.red(), EDGE.green(), EDGE.blue()])
    want = 0.15 * edge + 0.85 * background
    assert np.abs(dim[ink] - want).max() <= 2, "the dimmed colour on every edge pixel"
    assert (np.abs(dim[~ink] - background).sum(axis=1) == 0).all(), "nothing else"
    assert after == [0.15], "the painter's opacity is as it was"
