"""Presenter mode (F5): the graph itself large, following the step, for a projector.

Only the graph and the step panel stay; the step text grows, and so does the
graph: the view zooms so a card's text is large from the back of a room, the
node being computed is centred at every step and drawn larger still (focus),
and its neighbours stay on screen at reading size (context). Leaving puts the
dock layout and the fitted view back.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from ui.explorer.palette import ROW_H

PRESENTER_MIN_SCALE = 1.4
"""The graph's zoom in presenter mode, at least: a card's name ≥ 23 px."""
PRESENTER_MAX_SCALE = 2.4
ROWS_SHOWN = 3.6
"""About how many rows of cards the graph's height shows: the node and its
neighbours above and below."""
ENLARGE = 1.35
"""The graph is drawn at least this much larger than outside presenter mode."""
FOCUS_SCALE = 1.15
"""The node being computed is drawn this much larger than its neighbours."""


def presenter_scale(viewport_height: int) -> float:
    """The presenter zoom for a view this tall (a projector's 1080 p: larger)."""
    scale = viewport_height / (ROWS_SHOWN * ROW_H)
    return max(PRESENTER_MIN_SCALE, min(PRESENTER_MAX_SCALE, scale))


class Presenter(QObject):
    """Switches an :class:`~ui.explorer.lab.ExplorerLab` in and out of
    presenter mode, putting its dock layout back afterwards."""

    def __init__(self, lab) -> None:
        super().__init__(lab)
        self.lab = lab
        self.on = False
        self._saved_state: QByteArray | None = None
        self._focus = None  # the enlarged card
        self._saved_view = (1.0, None, True, True)
        lab.model.positionChanged.connect(self._follow)
        lab.model.programChanged.connect(self._new_graph)

    def set(self, on: bool) -> bool:
        """Enter or leave presenter mode; True if that changed anything."""
        on = bool(on)
        if on == self.on:
            return False
        self.on = on
        lab = self.lab
        view = lab.graph_view
        if on:
            self._saved_state = lab.saveState()
            self._saved_view = (
                view.scale_factor(),
                view.mapToScene(view.viewport().rect().center()),
                view._auto_fit,
                view._fit_readable,
            )
            for key, dock in lab.docks.items():
                dock.setVisible(key == "steps")
            # A laptop's 800 rows cannot hold three lines of double-size text.
            lab.step_panel.set_font_scale(2.0 if lab.height() >= 950 else 1.7)
            font = QFont(QApplication.font())
            font.setPointSizeF(font.pointSizeF() * 1.4)
            lab.graph_panel.setFont(font)
            steps_height = max(260, round(0.36 * lab.height()))
            lab.resizeDocks(
                [lab.docks["steps"]], [steps_height], Qt.Orientation.Vertical
            )
            lab.graph_panel.minimap.set_enabled(False)  # the room needs the graph
            self.zoom()
        else:
            lab.step_panel.set_font_scale(1.0)
            lab.graph_panel.setFont(QApplication.font())
            if self._saved_state is not None:
                lab.restoreState(self._saved_state)
            self._set_focus(None)
            minimap = lab.actions_by_name.get("minimap")
            lab.graph_panel.minimap.set_enabled(minimap is None or minimap.isChecked())
            self._restore_view()
        return True

    def _restore_view(self) -> None:
        """The view as it was before presenter mode: fitted as it was, or at
        the zoom and place the person had chosen."""
        view = self.lab.graph_view
        QApplication.processEvents()  # the docks back, before measuring
        scale, centre, auto_fit, readable = self._saved_view
        if auto_fit:
            view.fit(readable=readable)
            return
        view.zoom_by(scale / view.scale_factor())
        view.centerOn(centre)

    def zoom(self) -> None:
        """The presenter zoom, centred on the current step's node."""
        view = self.lab.graph_view
        QApplication.processEvents()  # the docks' new sizes, before measuring
        normal = view.scale_factor()
        # At least a third larger than the normal view (a small graph on a big
        # screen is already fitted large).
        larger = min(PRESENTER_MAX_SCALE, ENLARGE * normal)
        scale = max(presenter_scale(view.viewport().height()), larger)
        view.zoom_by(scale / normal)
        self._follow()

    def _new_graph(self) -> None:
        self._focus = None  # the old scene's items are gone
        if self.on:
            self.zoom()

    def _follow(self, *_args) -> None:
        """Centre the node the step computes (or the output) and enlarge it."""
        if not self.on:
            return
        model, view = self.lab.model, self.lab.graph_view
        if model.program is None:
            return
        step = model.current_step()
        node_id = step.node if step is not None else model.program.index.root_id
        if step is None and model.position == 0:
            node_id = model.program.index.ids[0]
        card = view.cards.get(node_id)
        self._set_focus(card)
        view._auto_fit = False
        view.centerOn(view.centres[node_id])

    def _set_focus(self, card) -> None:
        old = self._focus
        if old is card:
            return
        if old is not None:
            try:
                old.setScale(1.0)
                old.setZValue(0)
            except RuntimeError:  # gone with its scene
                pass
        self._focus = card
        if card is not None:
            card.setScale(FOCUS_SCALE)
            card.setZValue(2)
