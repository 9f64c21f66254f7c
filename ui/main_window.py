"""The main window: the graph explorer in the middle, its helpers docked around it.

Menus, the undo stack, the status bar and remembered settings live here; every
view gets the shared :class:`~ui.explorer.explorer_model.ExplorerModel` and talks to it,
never to another view.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSettings, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QFont,
    QImage,
    QKeySequence,
    QPainter,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.dot import to_dot
from graphviz_dl.expr import ExpressionError
from graphviz_dl.gallery import get_example
from graphviz_dl.surfaces import Surface, graph_surface

from ui.explorer.explorer_model import ExplorerModel, Program, ProgramLoader
from ui.explorer.gallery_panel import GalleryPanel
from ui.explorer.graph_view import GraphPanel
from ui.explorer.node_inspector import NodeInspector
from ui.explorer.program_editor import ProgramEditor
from ui.explorer.step_panel import StepPanel
from ui.explorer.undo_commands import BuildProgramCommand, EditLeafCommand

APP_TITLE = "graphviz-dl"
MAX_RECENT = 8
PROGRAM_FILTER = "Programs (*.txt *.gdl *.py);;All files (*)"
SHORTCUTS = [
    ("→ / ←", "next / previous step"),
    ("Home / End", "first / last step"),
    ("Space", "play / pause"),
    ("Ctrl+Return", "build the program"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo"),
    ("Ctrl++ / Ctrl+− / Ctrl+0", "zoom in / out / fit"),
    ("Ctrl+F", "find a node by name"),
    ("Ctrl+G", "check gradients with finite differences"),
    ("Ctrl+click two inputs, Ctrl+L", "the loss surface over those two inputs"),
    ("F5", "presenter mode (large text, no side panels)"),
    ("double-click an input", "type a new value"),
]
LABS = {
    "explorer": "graphPanel",
    "optimizers": "optimizerLab",
    "training": "trainingLab",
}


class MainWindow(QMainWindow):
    """The app's window. ``remember=False`` leaves QSettings alone (screenshots)."""

    def __init__(
        self,
        remember: bool = True,
        load_labs: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(APP_TITLE)
        self.remember = remember
        self.model = ExplorerModel(self)
        self.loader = ProgramLoader(self)
        self.undo_stack = QUndoStack(self)
        # Edit ▸ Undo acts on the current tab's stack: the explorer's or a lab's
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.undo_stack)
        self.undo_group.setActiveStack(self.undo_stack)
        self.path: Path | None = None
        self._pending_title = "Build program"
        self._presenting = False
        self._saved_state: QByteArray | None = None
        self._hidden_for_lab: list[QDockWidget] = []

        self.graph_panel = GraphPanel(self.model, self)
        self.graph_view = self.graph_panel.view
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("labTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.graph_panel, "Graph explorer")
        self.setCentralWidget(self.tabs)

        self.editor = ProgramEditor(self)
        self.gallery = GalleryPanel(self)
        self.step_panel = StepPanel(self.model, self)
        self.inspector = NodeInspector(self.model, self)
        self._make_docks()
        self._make_actions()
        self._make_menus()
        self.statusBar().setObjectName("statusBar")
        self.statusBar().showMessage("Pick an example on the left, or write a program.")

        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_load_failed)
        self.loader.busyChanged.connect(self.graph_panel.set_busy)
        self.gallery.exampleChosen.connect(self.load_example)
        self.graph_view.leafValueEntered.connect(self.set_leaf_value)
        self.graph_view.surfaceRequested.connect(self.show_loss_surface)
        self.inspector.leafValueEntered.connect(self.set_leaf_value)
        for source in (self.graph_view, self.inspector):
            source.message.connect(self.show_message)
        self.model.sourceChanged.connect(self.editor.set_program_text)
        self.model.programChanged.connect(self._update_title)
        self.model.positionChanged.connect(lambda *_: self.statusBar().clearMessage())
        self.tabs.currentChanged.connect(self._tab_changed)
        self.undo_stack.cleanChanged.connect(self._update_title)

        if load_labs:
            self.add_known_labs()
        self.resize(1280, 800)
        if remember:
            self._restore_settings()

    # --- construction --------------------------------------------------------------------
    def _make_docks(self) -> None:
        editor_box = QWidget(self)
        editor_box.setObjectName("programBox")
        box = QVBoxLayout(editor_box)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.editor, 1)
        build = QPushButton("Build  (Ctrl+Return)", editor_box)
        build.setObjectName("buildButton")
        build.setToolTip("Build the graph from this program")
        build.clicked.connect(self.build_program)
        box.addWidget(build)
        self.docks: dict[str, QDockWidget] = {}
        for key, title, widget, area in (
            ("gallery", "Examples", self.gallery, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("program", "Program", editor_box, Qt.DockWidgetArea.LeftDockWidgetArea),
            (
                "steps",
                "Step by step",
                self.step_panel,
                Qt.DockWidgetArea.BottomDockWidgetArea,
            ),
            (
                "inspector",
                "Node",
                _scrolled(self.inspector),
                Qt.DockWidgetArea.BottomDockWidgetArea,
            ),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"{key}Dock")
            dock.setWidget(widget)
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetClosable
                | QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            )
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.splitDockWidget(
            self.docks["steps"], self.docks["inspector"], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.docks["gallery"], self.docks["program"]],
            [270, 270],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks(
            [self.docks["gallery"], self.docks["program"]],
            [330, 250],
            Qt.Orientation.Vertical,
        )
        self.resizeDocks(
            [self.docks["steps"], self.docks["inspector"]],
            [700, 420],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks([self.docks["steps"]], [190], Qt.Orientation.Vertical)

    def _action(
        self, name: str, text: str, slot, shortcut=None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.actions_by_name = {
            "open": self._action(
                "openProgram", "&Open program…", self.open_program_dialog, key.Open
            ),
            "save": self._action(
                "saveProgram", "&Save program", self.save_program_dialog, key.Save
            ),
            "saveAs": self._action(
                "saveProgramAs",
                "Save program &as…",
                self.save_program_as_dialog,
                key.SaveAs,
            ),
            "dot": self._action(
                "exportDot", "Export &DOT…", lambda: self._export_dialog("dot")
            ),
            "png": self._action(
                "exportPng", "Export &PNG…", lambda: self._export_dialog("png")
            ),
            "svg": self._action(
                "exportSvg", "Export S&VG…", lambda: self._export_dialog("svg")
            ),
            "quit": self._action("quit", "&Quit", self.close, key.Quit),
            "build": self._action(
                "buildProgram",
                "&Build program",
                self.build_program,
                "Ctrl+Return",
                "Build the graph from the program text",
            ),
            "check": self._action(
                "checkGradients",
                "&Check gradients",
                self.check_gradients,
                "Ctrl+G",
                "Compare every input's gradient with a finite difference",
            ),
            "zoomIn": self._action(
                "zoomInAction", "Zoom &in", self.graph_view.zoom_in, key.ZoomIn
            ),
            "zoomOut": self._action(
                "zoomOutAction", "Zoom &out", self.graph_view.zoom_out, key.ZoomOut
            ),
            "fit": self._action(
                "zoomFitAction", "&Fit graph", self.graph_view.fit, "Ctrl+0"
            ),
            "present": self._action(
                "presenterMode", "&Presenter mode", self.set_presenter_mode, "F5"
            ),
            "find": self._action(
                "findNode", "&Find node…", self.graph_panel.focus_search, key.Find
            ),
            "shortcuts": self._action(
                "showShortcuts", "&Keyboard shortcuts", self.show_shortcuts, "F1"
            ),
            "about": self._action("about", "&About", self.show_about),
            "surface": self._action(
                "showLossSurface",
                "Show &loss surface",
                lambda: self.show_loss_surface(),
                "Ctrl+L",
                "The optimizer lab on the graph's output over two inputs "
                "(Ctrl+click them, or right-click one)",
            ),
            "randomSurface": self._action(
                "showRandomSliceSurface",
                "Loss surface along two &random directions",
                lambda: self.show_loss_surface(random_directions=True),
                tip="The output on a plane through every named input at once "
                "(filter-normalized directions, as Li et al. 2018)",
            ),
        }
        self.actions_by_name["present"].setCheckable(True)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undo")
        self.undo_action.setShortcut(QKeySequence(key.Undo))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcuts(key.Redo)  # Ctrl+Y, Ctrl+Shift+Z, …
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
        for action in self.step_panel.step_actions():
            self.addAction(action)
        # Keys that mean something else in another lab work here only on this tab.
        self._explorer_actions = [
            *self.step_panel.step_actions(),
            *(self.actions_by_name[k] for k in ("build", "check", "find", "present")),
            *(self.actions_by_name[k] for k in ("zoomIn", "zoomOut", "fit")),
            *(self.actions_by_name[k] for k in ("surface", "randomSurface")),
        ]

    def _make_menus(self) -> None:
        a = self.actions_by_name
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(a["open"])
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addAction(a["save"])
        file_menu.addAction(a["saveAs"])
        file_menu.addSeparator()
        for name in ("dot", "png", "svg"):
            file_menu.addAction(a[name])
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])
        edit = bar.addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        edit.addAction(a["build"])
        edit.addAction(a["find"])
        view = bar.addMenu("&View")
        for name in ("zoomIn", "zoomOut", "fit"):
            view.addAction(a[name])
        view.addSeparator()
        view.addAction(a["present"])
        view.addSeparator()
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        step = bar.addMenu("&Step")
        for action in self.step_panel.step_actions():
            step.addAction(action)
        step.addSeparator()
        step.addAction(a["check"])
        step.addAction(a["surface"])
        step.addAction(a["randomSurface"])
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(a["shortcuts"])
        help_menu.addAction(a["about"])
        self._update_recent_menu()

    def add_known_labs(self) -> None:
        """Add the optimizer lab tab when its module is part of the app (once)."""
        if self.lab("optimizers") is not None:
            return
        if importlib.util.find_spec("ui.optimizer_lab.lab") is None:
            return
        try:
            from ui.optimizer_lab.lab import OptimizerLab
        except ImportError as exc:  # a lab whose parts are missing: say so, keep going
            print(f"graphviz-dl: optimizer lab unavailable ({exc})", file=sys.stderr)
            return
        self.add_lab(OptimizerLab(self), "Optimizer lab")
        self._connect_training_lab()

    def _connect_training_lab(self) -> None:
        """Add the training lab; its points open in the explorer, its loss
        planes in the optimizer lab."""
        if self.lab("training") is not None:
            return
        try:
            from ui.training_lab.lab import TrainingLab
        except ImportError as exc:
            print(f"graphviz-dl: training lab unavailable ({exc})", file=sys.stderr)
            return
        settings = None
        if not self.remember:  # a screenshot: never the person's settings
            from PySide6.QtCore import QTemporaryDir

            self._training_scratch = QTemporaryDir()
            path = self._training_scratch.filePath("training.ini")
            settings = QSettings(path, QSettings.Format.IniFormat)
        lab = TrainingLab(self, settings=settings)
        self.add_lab(lab, "Training lab")

        def open_graph(values) -> None:
            self.tabs.setCurrentWidget(self.graph_panel)
            self._pending_title = "Open a training sample"
            self.loader.load_values(values)

        lab.openGraphRequested.connect(open_graph)
        lab.openSurfaceRequested.connect(lambda request: self.open_surface(*request))

    # --- labs (tabs) -----------------------------------------------------------------------
    def add_lab(self, widget: QWidget, title: str) -> int:
        """Add a lab as a tab of the central area; returns its tab index.

        A lab's ``undo_stack`` joins the window's undo group: Edit ▸ Undo and
        its keys act on whichever tab is shown. The lab's own Undo/Redo keys
        would clash with the window's, so they are left to the window.
        """
        stack = getattr(widget, "undo_stack", None)
        if isinstance(stack, QUndoStack):
            self.undo_group.addStack(stack)
            taken = {
                key.toString()
                for action in (self.undo_action, self.redo_action)
                for key in action.shortcuts()
            }
            for action in widget.actions():
                if any(key.toString() in taken for key in action.shortcuts()):
                    action.setShortcuts([])
        return self.tabs.addTab(widget, title)

    def open_surface(
        self,
        surface: Surface,
        start: tuple[float, float],
        path: Sequence[tuple[float, float]] | None = None,
    ) -> bool:
        """Show ``surface`` in the optimizer lab, racing from ``start``; ``path``
        ([T, 2], optional) is a training run projected on it, drawn over it."""
        optimizers = self.lab("optimizers")
        if optimizers is None:
            self.show_message("The optimizer lab is not part of this window", 0)
            return False
        self.tabs.setCurrentWidget(optimizers)
        optimizers.show_surface(surface, start, path)
        return True

    def show_loss_surface(
        self,
        first: str | None = None,
        second: str | None = None,
        *,
        random_directions: bool = False,
    ) -> bool:
        """Open the optimizer lab on the graph's output over two leaves (by node
        id; default: the two chosen with Ctrl+click), every other input kept
        at its value; or, with ``random_directions``, over two filter-normalized
        random directions through every named input."""
        program = self.model.program
        if program is None:
            self.show_message("Nothing to draw: build a program first", 0)
            return False
        model = self.model
        try:
            if random_directions:
                surface = graph_surface(program.root, random_directions=True)
            else:
                if first is None or second is None:
                    chosen = self.graph_view.surface_leaves()
                    if len(chosen) < 2:
                        self.show_message(
                            "Choose two inputs first: Ctrl+click two leaves of the "
                            "graph, or right-click one",
                            0,
                        )
                        return False
                    first, second = chosen
                self.graph_view.set_surface_leaves([first, second])
                surface = graph_surface(
                    program.root,
                    model.node(first),
                    model.node(second),
                    names=(model.name(first), model.name(second)),
                )
        except ValueError as exc:
            self.show_message(f"No loss surface: {exc}", 0)
            return False
        return self.open_surface(surface, surface.start)

    def lab(self, name: str) -> QWidget | None:
        """The tab widget for ``explorer`` or ``optimizers`` (None if absent)."""
        object_name = LABS.get(name, name)
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget.objectName() == object_name:
                return widget
        return None

    def select_lab(self, name: str) -> bool:
        widget = self.lab(name)
        if widget is None:
            return False
        self.tabs.setCurrentWidget(widget)
        return True

    def _tab_changed(self, index: int) -> None:
        """The explorer's docks belong to the explorer: hide them on other tabs."""
        on_explorer = self.tabs.widget(index) is self.graph_panel
        self.statusBar().clearMessage()
        for action in self._explorer_actions:
            action.setEnabled(on_explorer)
        widget = self.tabs.widget(index)
        stack = self.undo_stack if on_explorer else getattr(widget, "undo_stack", None)
        self.undo_group.setActiveStack(stack if isinstance(stack, QUndoStack) else None)
        if not on_explorer:
            self.step_panel.set_playing(False)
        if on_explorer:
            for dock in self._hidden_for_lab:
                dock.show()
            self._hidden_for_lab = []
        else:
            for dock in self.docks.values():
                if dock.isVisible():
                    self._hidden_for_lab.append(dock)
                    dock.hide()

    # --- programs ---------------------------------------------------------------------------
    def build_program(self) -> bool:
        """Build the editor's program; on an error mark it and keep the old graph."""
        return self.load_source(self.editor.toPlainText(), "Build program")

    def load_source(self, source: str, title: str = "Build program") -> bool:
        self._pending_title = title
        try:
            self.loader.load_source(source)
        except ExpressionError as exc:
            self.editor.mark_error(exc.line, exc.col - 1)
            self.show_message(f"Line {exc.line}, column {exc.col}: {exc.message}", 0)
            return False
        except ValueError as exc:
            self.show_message(str(exc), 0)
            return False
        return True

    def load_example(self, name: str) -> bool:
        """Put an example's program in the editor and build it."""
        try:
            example = get_example(name)
        except (KeyError, ValueError):
            self.show_message(f"There is no example called {name!r}", 0)
            return False
        self.gallery.select(name)
        self.editor.set_program_text(example.source)
        ok = self.load_source(example.source, f"Load example “{example.title}”")
        if ok:
            self.show_message(f"{example.title} — press → to take the first step")
        return ok

    def _on_loaded(self, program: Program) -> None:
        self.undo_stack.push(
            BuildProgramCommand(self.model, program, self._pending_title)
        )
        self.editor.clear_error()
        self.show_message(
            f"{program.size} nodes, {len(program.walk)} steps — press → to step"
        )

    def _on_load_failed(self, message: str) -> None:
        self.show_message(f"Could not build the graph: {message}", 0)

    def set_leaf_value(self, node_id: str, value: float) -> None:
        """A typed input value, as an undoable command."""
        if not self.model.is_leaf(node_id):
            return
        self.undo_stack.push(EditLeafCommand(self.model, node_id, value))
        self.show_message(
            f"{self.model.name(node_id)} changed: forward and backward passes recomputed"
        )

    def check_gradients(self) -> None:
        results = self.model.check_gradients()
        if not results:
            self.show_message("Nothing to check: build a program first")
            return
        bad = [r for r in results if not r.ok]
        if bad:
            names = ", ".join(r.name for r in bad)
            self.show_message(
                f"✗ {len(bad)} of {len(results)} gradients disagree: {names}", 0
            )
        else:
            self.show_message(
                f"✓ all {len(results)} input gradients match their finite differences",
                0,
            )

    # --- files ----------------------------------------------------------------------------------
    def open_program(self, path: str | Path) -> bool:
        path = Path(path)
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.show_message(f"Could not open {path.name}: {exc}", 0)
            return False
        self.editor.set_program_text(source)
        self.path = path
        self._remember_recent(path)
        ok = self.load_source(source, f"Open {path.name}")
        self._update_title()
        return ok

    def save_program(self, path: str | Path) -> bool:
        path = Path(path)
        try:
            path.write_text(self.editor.toPlainText(), encoding="utf-8")
        except OSError as exc:
            self.show_message(f"Could not save {path.name}: {exc}", 0)
            return False
        self.path = path
        self._remember_recent(path)
        self._update_title()
        self.show_message(f"Saved {path.name}")
        return True

    def export(self, path: str | Path) -> bool:
        """Write the graph as DOT, PNG or SVG, chosen by the file's suffix."""
        path = Path(path)
        program = self.model.program
        if program is None:
            self.show_message("Nothing to export: build a program first", 0)
            return False
        suffix = path.suffix.lower()
        try:
            if suffix in (".dot", ".gv"):
                path.write_text(to_dot(program.root), encoding="utf-8")
            elif suffix == ".svg":
                self._export_svg(path)
            else:
                if not self._render_image().save(str(path)):
                    raise OSError("the image could not be written")
        except OSError as exc:
            self.show_message(f"Could not export {path.name}: {exc}", 0)
            return False
        self.show_message(f"Exported {path.name}")
        return True

    def _render_image(self, zoom: float = 2.0) -> QImage:
        scene = self.graph_view.scene()
        rect = scene.sceneRect()
        image = QImage(
            QSize(max(1, int(rect.width() * zoom)), max(1, int(rect.height() * zoom))),
            QImage.Format.Format_ARGB32,
        )
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        scene.render(painter, QRectF(image.rect()), rect)
        painter.end()
        return image

    def _export_svg(self, path: Path) -> None:
        from PySide6.QtSvg import QSvgGenerator

        scene = self.graph_view.scene()
        rect = scene.sceneRect()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(rect.size().toSize())
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle("Computational graph")
        painter = QPainter(generator)
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
        if not path.exists():
            raise OSError("the SVG could not be written")

    def open_program_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open program", self._start_dir(), PROGRAM_FILTER
        )
        if path:
            self.open_program(path)

    def save_program_dialog(self) -> None:
        if self.path is None:
            self.save_program_as_dialog()
        else:
            self.save_program(self.path)

    def save_program_as_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save program", self._start_dir(), PROGRAM_FILTER
        )
        if path:
            self.save_program(path)

    def _export_dialog(self, kind: str) -> None:
        filters = {
            "dot": "Graphviz DOT (*.dot *.gv)",
            "png": "PNG image (*.png)",
            "svg": "SVG drawing (*.svg)",
        }
        stem = self.path.stem if self.path is not None else "graph"
        start = str(Path(self._start_dir()) / f"{stem}.{kind}")
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export {kind.upper()}", start, filters[kind]
        )
        if path:
            if not Path(path).suffix:
                path += f".{kind}"
            self.export(path)

    def _start_dir(self) -> str:
        return str(self.path.parent) if self.path is not None else str(Path.home())

    # --- recent files and settings ------------------------------------------------------------
    def recent_files(self) -> list[str]:
        if not self.remember:
            return []
        value = QSettings().value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: Path) -> None:
        if not self.remember:
            return
        entry = str(path.resolve())
        recent = [entry] + [p for p in self.recent_files() if p != entry]
        QSettings().setValue("recentFiles", recent[:MAX_RECENT])
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for entry in recent:
            action = self.recent_menu.addAction(Path(entry).name)
            action.setToolTip(entry)
            action.triggered.connect(
                lambda _checked=False, p=entry: self.open_program(p)
            )
        self.recent_menu.setEnabled(bool(recent))

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_settings(self) -> None:
        if not self.remember:
            return
        if self._presenting:
            self.set_presenter_mode(False)
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def closeEvent(self, event) -> None:
        self.step_panel.set_playing(False)
        self.loader.cancel()
        optimizers = self.lab("optimizers")
        if optimizers is not None:
            optimizers.surface_view.stop_grid_work()
        self.save_settings()
        super().closeEvent(event)

    # --- view ------------------------------------------------------------------------------------
    def set_presenter_mode(self, on: bool) -> None:
        """Large text and only the graph and the step panel, for a projector."""
        on = bool(on)
        action = self.actions_by_name["present"]
        if action.isChecked() != on:
            action.setChecked(on)
        if on == self._presenting:
            return
        self._presenting = on
        if on:
            self._saved_state = self.saveState()
            for key, dock in self.docks.items():
                dock.setVisible(key == "steps")
            self.step_panel.set_font_scale(2.0)
            font = QFont(QApplication.font())
            font.setPointSizeF(font.pointSizeF() * 1.4)
            self.graph_panel.setFont(font)
            self.resizeDocks([self.docks["steps"]], [260], Qt.Orientation.Vertical)
        else:
            self.step_panel.set_font_scale(1.0)
            self.graph_panel.setFont(QApplication.font())
            if self._saved_state is not None:
                self.restoreState(self._saved_state)
        self.graph_view.fit()
        self.show_message("Presenter mode: F5 to leave" if on else "Presenter mode off")

    @property
    def presenting(self) -> bool:
        return self._presenting

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def _update_title(self, *_args) -> None:
        name = self.path.name if self.path is not None else None
        self.setWindowTitle(f"{name} — {APP_TITLE}" if name else APP_TITLE)

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{k}</b></td><td>&nbsp;{v}</td></tr>" for k, v in SHORTCUTS
        )
        box = QMessageBox(self)
        box.setObjectName("shortcutsDialog")
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table>{rows}</table>")
        box.open()

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setWindowTitle(f"About {APP_TITLE}")
        box.setText(
            f"<b>{APP_TITLE}</b><p>See how neural networks learn: step through "
            "backpropagation node by node, and race optimizers across loss surfaces.</p>"
        )
        box.open()


def _scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area, so a small dock never clips it."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
