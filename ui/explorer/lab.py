"""The graph explorer as a lab: the graph in the middle, its helpers docked
around it, its actions and menus, its files — one widget a window hosts as a
tab (or that runs alone, ``python -m ui.explorer``).

The state lives in the core's :class:`~graphviz_dl.labs.explorer.model.ExplorerModel`;
every view here takes that model and listens to it. What the lab offers its
host window (see ``ui/main_window.py``): ``undo_stack``, ``menu_actions()``,
``shortcuts()``, ``save_settings()``, ``shutdown()``, and the signals
``statusMessage``, ``titleChanged`` and ``openSurfaceRequested``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QWidget

from graphviz_dl.drafts import DraftStore
from graphviz_dl.engine import Value
from graphviz_dl.expr import ExpressionError
from graphviz_dl.gallery import get_example
from graphviz_dl.labs.explorer.model import ExplorerModel
from graphviz_dl.labs.explorer.program import Program
from graphviz_dl.surfaces import Surface, graph_surface
from ui.common.jobs import JobRunner
from ui.explorer.actions import SHORTCUTS, explorer_actions, explorer_menus
from ui.explorer.docks import make_docks, program_box, size_docks
from ui.explorer.export import GraphExporter
from ui.explorer.files import ProgramFiles
from ui.explorer.fold_controller import FoldController
from ui.explorer.fusion_toggle import FusionToggle
from ui.explorer.gallery_panel import GalleryPanel
from ui.explorer.graph_panel import GraphPanel
from ui.explorer.loader import ProgramLoader
from ui.explorer.node_inspector import NodeInspector
from ui.explorer.presenter import Presenter
from ui.explorer.program_editor import ProgramEditor
from ui.explorer.step_panel import StepPanel
from ui.explorer.typing_keeper import TypingKeeper
from ui.explorer.undo_commands import BuildProgramCommand, EditLeafCommand

STATE_KEY = "explorer/state"
CHECK_AT_ONCE = 150
"""Up to this many nodes the gradient check runs at once (well under 100 ms)."""


class ExplorerLab(QMainWindow):
    """The explorer: graph, examples, program, steps and inspector."""

    statusMessage = Signal(str, int)
    """(text, timeout in ms; 0 keeps it) for the window's status bar."""
    titleChanged = Signal(str)
    """The open program's file name ("" for none), for the window's title."""
    openSurfaceRequested = Signal(object)
    """(Surface, (x0, y0), None): show this loss surface in the optimizer lab."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        drafts: DraftStore | None = None,
    ) -> None:
        super().__init__(parent)
        if parent is not None:  # a tab: a QMainWindow starts as a window
            self.setWindowFlags(Qt.WindowType.Widget)
        self.setObjectName("explorerLab")
        self._settings = settings if settings is not None else QSettings()
        self.model = ExplorerModel()
        self.loader = ProgramLoader(self)
        self.checker = JobRunner(self)
        self.exporter = GraphExporter(self)
        self.undo_stack = QUndoStack(self)
        self._pending_title = "Build program"
        self.refusal: str | None = None
        """Why the last program was refused, "Line 3, column 7: …" (or None)."""
        self._docks_sized = False
        self.graph_panel = GraphPanel(self.model, self)
        self.graph_view = self.graph_panel.view
        self.setCentralWidget(self.graph_panel)
        self.editor = ProgramEditor(self)
        self.gallery = GalleryPanel(self)
        self.step_panel = StepPanel(self.model, self)
        self.inspector = NodeInspector(self.model, self)
        program = program_box(self.editor, self.build_program)
        self.docks = make_docks(
            self, self.gallery, program, self.step_panel, self.inspector
        )
        self.files = ProgramFiles(self, self._settings)
        self.recent_menu = self.files.recent_menu
        self.presenter = Presenter(self)
        self.typing = TypingKeeper(self, drafts)
        self.folds = FoldController(self)
        self.fusion = FusionToggle(self)
        self.fusion.message.connect(self.statusMessage)
        self.actions_by_name = explorer_actions(self)
        self._add_undo_actions()
        self._connect()
        self._restore_state()

    def _add_undo_actions(self) -> None:
        """Undo and Redo for the lab alone (a host window brings its own)."""
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.StandardKey.Redo)
        self.addActions([undo, redo])

    def _connect(self) -> None:
        loader, panel, view = self.loader, self.graph_panel, self.graph_view
        loader.loaded.connect(self._on_loaded)
        loader.failed.connect(self._on_load_failed)
        loader.refused.connect(self._on_refused)
        loader.busyChanged.connect(panel.set_busy)
        loader.progressed.connect(panel.set_progress)
        self.checker.busyChanged.connect(
            lambda busy: panel.set_busy(busy, "checking gradients…")
        )
        self.checker.progressed.connect(panel.set_progress)
        self.exporter.busyChanged.connect(lambda busy: panel.set_busy(busy, "writing…"))
        self.exporter.progressed.connect(panel.set_progress)
        self.exporter.message.connect(self.statusMessage)
        panel.cancelRequested.connect(self.cancel_work)
        self.gallery.exampleChosen.connect(self.load_example)
        view.leafValueEntered.connect(self.set_leaf_value)
        view.surfaceRequested.connect(self.request_loss_surface)
        self.inspector.leafValueEntered.connect(self.set_leaf_value)
        for source in (view, self.inspector):
            source.message.connect(self.show_message)
        self.files.message.connect(self.statusMessage)
        self.typing.message.connect(self.statusMessage)
        self.files.pathChanged.connect(self._update_title)
        self.model.sourceChanged.connect(self.editor.set_program_text)
        self.model.positionChanged.connect(lambda *_: self.show_message("", 0))

    # --- what a host window reads -----------------------------------------------------
    def menu_actions(self) -> dict[str, list]:
        """Per menu title, the actions (or submenus; None: a separator) to add."""
        return explorer_menus(self)

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) for Help ▸ Keyboard shortcuts."""
        return list(SHORTCUTS)

    @property
    def path(self) -> Path | None:
        """The program file last opened or saved."""
        return self.files.path

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        self.statusMessage.emit(text, timeout_ms)

    def _update_title(self) -> None:
        self.titleChanged.emit(self.path.name if self.path is not None else "")

    # --- programs ------------------------------------------------------------------------
    def build_program(self) -> bool:
        """Build the editor's program; on an error mark it and keep the old graph."""
        return self.load_source(self.editor.toPlainText(), "Build program")

    def load_source(self, source: str, title: str = "Build program") -> bool:
        """Build ``source`` (a big one in the background job); False when it
        is refused at once, the reason then in :attr:`refusal`."""
        self._pending_title = title
        self.refusal = None
        try:
            self.loader.load_source(source)
        except ExpressionError as exc:
            self._on_refused(exc)
        except ValueError as exc:
            self.refusal = str(exc)
            self.show_message(self.refusal, 0)
        return self.refusal is None

    def load_values(self, values: dict[str, Value], title: str) -> None:
        """Show a graph built elsewhere (e.g. a training sample's)."""
        self._pending_title = title
        self.loader.load_values(values)

    def load_example(self, name: str) -> bool:
        """Put an example's program in the editor and build it."""
        try:
            example = get_example(name)
        except (KeyError, ValueError):
            self.show_message(f"There is no example called {name!r}", 0)
            return False
        self.gallery.select(name)
        kept = self.editor.has_unbuilt_edits()
        self.editor.set_program_text(example.source)
        ok = self.load_source(example.source, f"Load example “{example.title}”")
        if ok:
            note = " (your typed program is kept: Edit ▸ Back to my typed program)"
            self.show_message(
                f"{example.title} — press → to take the first step"
                + (note if kept else ""),
                0 if kept else 6000,
            )
        return ok

    def _on_loaded(self, program: Program) -> None:
        self.undo_stack.push(
            BuildProgramCommand(self.model, program, self._pending_title)
        )
        self.editor.clear_error()
        problem = program.first_non_finite()
        if problem:  # honest numbers: say where the first one stops being one
            self.show_message(f"⚠ Not a number from here on: {problem}", 0)
            return
        self.show_message(
            f"{program.size} nodes, {len(program.walk)} steps — press → to step"
        )

    def _on_refused(self, error: ExpressionError) -> None:
        """A program that cannot be built: mark the spot, say what is wrong."""
        self.editor.mark_error(error.line, error.col - 1)
        self.refusal = f"Line {error.line}, column {error.col}: {error.message}"
        self.show_message(self.refusal, 0)

    def _on_load_failed(self, message: str) -> None:
        self.show_message(f"Could not build the graph: {message}", 0)

    def cancel_work(self) -> None:
        """The Stop button: drop the load or export under way."""
        stopped = self.loader.cancel() | self.exporter.cancel() | self.checker.cancel()
        if stopped:
            self.show_message("Stopped", 0)

    def set_leaf_value(self, node_id: str, value: float) -> None:
        """A typed input value, as an undoable command."""
        if not self.model.is_leaf(node_id):
            return
        self.undo_stack.push(EditLeafCommand(self.model, node_id, value))
        self.show_message(
            f"{self.model.name(node_id)} changed: forward and backward passes recomputed"
        )

    def check_gradients(self) -> None:
        """Check every node's gradient: at once for a small graph, else on a
        copy of the graph in the background, with progress."""
        program = self.model.program
        if program is None:
            self.show_message("Nothing to check: build a program first")
            return
        if program.size <= CHECK_AT_ONCE:
            self.model.check_gradients()
            self.show_message(self.model.check_summary(), 0)
            return
        task = self.model.check_task()

        def done(results) -> None:
            if self.model.program is program:
                self.model.set_grad_checks(results)
                self.show_message(self.model.check_summary(), 0)

        self.checker.submit(lambda job: task(job.progress, job.cancelled), done)

    # --- files ----------------------------------------------------------------------------
    def open_program(self, path: str | Path) -> bool:
        return self.files.open_program(path)

    def save_program(self, path: str | Path) -> bool:
        return self.files.save_program(path)

    def export(self, path: str | Path) -> bool:
        """Write the graph as DOT, PNG or SVG, chosen by the file's suffix."""
        return self.exporter.export(self.model.program, self.graph_view.scene(), path)

    # --- the loss surface ---------------------------------------------------------------
    def loss_surface(
        self,
        first: str | None = None,
        second: str | None = None,
        *,
        random_directions: bool = False,
    ) -> Surface | None:
        """The graph's output over two leaves (by node id; default: the two
        chosen with Ctrl+click), every other input kept at its value; or, with
        ``random_directions``, over two filter-normalized random directions
        through every named input. None, with a message, if there is none."""
        program, model = self.model.program, self.model
        if program is None:
            self.show_message("Nothing to draw: build a program first", 0)
            return None
        try:
            if random_directions:
                return graph_surface(program.root, random_directions=True)
            if first is None or second is None:
                chosen = self.graph_view.surface_leaves()
                if len(chosen) < 2:
                    self.show_message(
                        "Choose two inputs first: Ctrl+click two leaves of the "
                        "graph, or right-click one",
                        0,
                    )
                    return None
                first, second = chosen
            self.graph_view.set_surface_leaves([first, second])
            return graph_surface(
                program.root,
                model.node(first),
                model.node(second),
                names=(model.name(first), model.name(second)),
            )
        except ValueError as exc:
            self.show_message(f"No loss surface: {exc}", 0)
            return None

    def request_loss_surface(
        self,
        first: str | None = None,
        second: str | None = None,
        *,
        random_directions: bool = False,
    ) -> bool:
        """Ask the host to show :meth:`loss_surface` in the optimizer lab."""
        surface = self.loss_surface(first, second, random_directions=random_directions)
        if surface is None:
            return False
        self.openSurfaceRequested.emit((surface, surface.start, None))
        return True

    # --- presenter mode, settings, closing ------------------------------------------------
    def set_presenter_mode(self, on: bool) -> None:
        """Large text and only the graph and the step panel, for a projector."""
        on = bool(on)
        action = self.actions_by_name["present"]
        if action.isChecked() != on:
            action.setChecked(on)
        if self.presenter.set(on):
            self.show_message(
                "Presenter mode: F5 to leave" if on else "Presenter mode off"
            )

    def set_presenting(self, on: bool) -> None:
        """The lab protocol's presenter switch (the window's F5)."""
        self.set_presenter_mode(on)

    @property
    def presenting(self) -> bool:
        return self.presenter.on

    def _restore_state(self) -> None:
        state = self._settings.value(STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self._docks_sized = self.restoreState(state)

    def showEvent(self, event) -> None:
        """The docks' first sizes need the lab's own size: set on first show."""
        super().showEvent(event)
        if not self._docks_sized:
            self._docks_sized = True
            size_docks(self, self.docks)

    def save_settings(self) -> None:
        """Remember the docks' layout (as it is outside presenter mode)."""
        if self.presenting:
            self.set_presenter_mode(False)
        self._settings.setValue(STATE_KEY, self.saveState())
        self._settings.sync()

    def hideEvent(self, event) -> None:
        """Out of sight (another tab): stop playing."""
        self.step_panel.set_playing(False)
        super().hideEvent(event)

    def shutdown(self) -> None:
        """Stop playing and cancel (and join) any load or export under way.
        Unbuilt typed text stays in its draft, to be offered at the next start."""
        self.step_panel.set_playing(False)
        if self.editor.has_unbuilt_edits():
            self.typing.save_draft()
        else:
            self.typing.finish()
        self.loader.shutdown()
        self.exporter.shutdown()
        self.folds.shutdown()
        self.fusion.shutdown()
        self.checker.shutdown()
