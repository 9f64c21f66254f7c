"""The main window: the labs side by side as equal tabs.

The window knows no lab's insides. It hosts each lab widget as a tab, adds
the menus the lab contributes (enabled only while its tab is shown), puts its
``undo_stack`` in the window's undo group (Edit ▸ Undo acts on the tab
shown), shows its status messages, routes requests between labs, remembers
its own geometry, and on close stops every lab and every background job.

A lab is a QWidget with an objectName; everything else is optional:
``undo_stack`` (QUndoStack), ``menu_actions()`` ({menu title: [QAction,
QMenu or None for a separator]}), ``shortcuts()`` ([(keys, what)]),
``statusMessage`` (Signal(str, int)), ``titleChanged`` (Signal(str)),
``set_presenting(on)`` (what presenter mode, F5, means for it),
``save_settings()`` and ``shutdown()``; its constructor takes
``settings=`` (scratch settings when the window must not remember).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings, Qt, QTemporaryDir
from PySide6.QtGui import QActionGroup, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QWidget

from graphviz_dl.drafts import DraftStore
from graphviz_dl.surfaces import Surface
from ui.common.help_dialogs import show_about, show_shortcuts
from ui.common.jobs import shutdown_all
from ui.common.sessions import SessionActions
from ui.common.settings import app_settings_problems
from ui.common.settings_notice import SettingsNotice
from ui.explorer.actions import make_action
from ui.explorer.lab import ExplorerLab
from ui.explorer.typing_keeper import confirm_unbuilt_text, draft_folder

APP_TITLE = "graphviz-dl"
LABS = {
    "explorer": "explorerLab",
    "optimizers": "optimizerLab",
    "training": "trainingLab",
}
STANDARD_MENUS = ("&File", "&Edit", "&View")
EXPLORER_PARTS = (
    "model",
    "loader",
    "graph_panel",
    "graph_view",
    "editor",
    "gallery",
    "step_panel",
    "inspector",
    "docks",
    "recent_menu",
    "undo_stack",
    "path",
    "actions_by_name",
    "build_program",
    "load_source",
    "load_example",
    "open_program",
    "save_program",
    "export",
    "set_leaf_value",
    "check_gradients",
)
"""What callers (the app, tests, benchmarks) read of the explorer through the
window: ``window.model`` is ``window.lab("explorer").model``."""


class MainWindow(QMainWindow):
    """The app's window. ``remember=False`` leaves every setting alone (screenshots)."""

    def __init__(
        self,
        remember: bool = True,
        load_labs: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(APP_TITLE)
        # The app ends its event loop itself once this window is closed
        # (ui/app.py); Qt's own quit on the last window would post a Quit event
        # that outlives the loop and makes every later event loop return at once.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.remember = remember
        self._scratch = None if remember else QTemporaryDir()
        self.undo_group = QUndoGroup(self)
        self._lab_actions: dict[QWidget, QActionGroup] = {}
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("labTabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.statusBar().setObjectName("statusBar")
        self._make_menus()
        self.sessions = SessionActions(self)
        self.sessions.message.connect(self.show_message)
        # a damaged settings file is named and repaired, not obeyed; the notice
        # stays (a status message is replaced within a second of start-up)
        self.settings_notice = SettingsNotice(self)
        self.statusBar().addPermanentWidget(self.settings_notice)
        damaged = app_settings_problems(QSettings()) if remember else []
        self.settings_notice.show_problems(damaged)
        drafts = DraftStore(draft_folder()) if remember else None
        self.explorer = ExplorerLab(
            self, settings=self.lab_settings("explorer"), drafts=drafts
        )
        self.add_lab(self.explorer, "Graph explorer")
        self.explorer.openSurfaceRequested.connect(
            lambda request: self.open_surface(*request)
        )
        self.statusBar().showMessage("Pick an example on the left, or write a program.")
        self.explorer.typing.announce()
        self.confirm_close = False
        """Ask before closing over unbuilt typed text (the app sets it; tests
        and screenshots do not)."""
        self.tabs.currentChanged.connect(self._tab_changed)
        if load_labs:
            self.add_known_labs()
        self.resize(1280, 800)
        if remember:
            self._restore_geometry()

    def __getattr__(self, name: str):
        if name in EXPLORER_PARTS:
            return getattr(self.lab("explorer"), name)
        raise AttributeError(name)

    # --- settings ------------------------------------------------------------------------
    def lab_settings(self, name: str) -> QSettings | None:
        """The settings a lab gets: None (its own) normally, a scratch file when
        the window must not remember (screenshots); the explorer's own are the
        app's."""
        if self._scratch is not None:
            path = self._scratch.filePath(f"{name}.ini")
            return QSettings(path, QSettings.Format.IniFormat)
        return QSettings() if name == "explorer" else None

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def save_settings(self) -> None:
        """Each lab's settings, and (if remembering) the window's geometry.

        The geometry is set first: the explorer's settings are the same file,
        so its one write carries both (a kill between two writes left a file
        holding half of one save and half of another)."""
        window = QSettings() if self.remember else None
        if window is not None:
            window.setValue("window/geometry", self.saveGeometry())
        for lab in self._labs():
            if hasattr(lab, "save_settings"):
                lab.save_settings()
        if window is not None:
            window.sync()

    # --- menus -------------------------------------------------------------------------
    def _make_menus(self) -> None:
        bar = self.menuBar()
        self.menus = {title: bar.addMenu(title) for title in STANDARD_MENUS}
        key = QKeySequence.StandardKey
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undo")
        self.undo_action.setShortcut(QKeySequence(key.Undo))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcuts(key.Redo)  # Ctrl+Y, Ctrl+Shift+Z, …
        self.addActions([self.undo_action, self.redo_action])
        self.menus["&Edit"].addActions([self.undo_action, self.redo_action])
        self.quit_action = make_action(self, "quit", "&Quit", self.close, key.Quit)
        self.presenter_action = make_action(
            self,
            "presenterMode",
            "&Presenter mode",
            self.set_presenter_mode,
            "F5",
            "Large text on every tab, for a projector (F5 again to leave)",
        )
        self.presenter_action.setCheckable(True)
        self.menus["&View"].addAction(self.presenter_action)
        self.menus["&View"].addSeparator()
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(
            make_action(
                self, "showShortcuts", "&Keyboard shortcuts", self.show_shortcuts, "F1"
            )
        )
        self.help_menu.addAction(make_action(self, "about", "&About", self.show_about))

    @staticmethod
    def _owned_key(action, owned) -> bool:
        """True if ``action`` has a key one of the window's ``owned`` actions has."""
        taken = {key.toString() for own in owned for key in own.shortcuts()}
        return any(key.toString() in taken for key in action.shortcuts())

    def _add_lab_menus(self, lab: QWidget) -> None:
        """Put what ``lab`` contributes in the menus; File ends with Quit."""
        if not hasattr(lab, "menu_actions"):
            return
        group = QActionGroup(self)
        group.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
        file_menu = self.menus["&File"]
        file_menu.removeAction(self.quit_action)
        for title, items in lab.menu_actions().items():
            menu = self.menus.get(title)
            if menu is None:
                menu = QMenu(title, self)
                self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
                self.menus[title] = menu
            elif not menu.isEmpty():
                menu.addSeparator()
            for item in items:
                if item is None:
                    menu.addSeparator()
                    continue
                if not isinstance(item, QMenu) and self._owned_key(
                    item, [self.presenter_action]
                ):
                    continue  # the window's own F5 stands for it
                action = menu.addMenu(item) if isinstance(item, QMenu) else item
                if not isinstance(item, QMenu):
                    menu.addAction(item)
                group.addAction(action)
        file_menu.addSeparator()
        for action in (self.sessions.open_action, self.sessions.save_action):
            file_menu.removeAction(action)
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self._lab_actions[lab] = group

    # --- labs (tabs) -----------------------------------------------------------------------
    def add_lab(self, widget: QWidget, title: str) -> int:
        """Add a lab as a tab; returns its tab index.

        A lab's ``undo_stack`` joins the window's undo group: Edit ▸ Undo and
        its keys act on whichever tab is shown. The lab's own Undo/Redo keys
        would clash with the window's, so they are left to the window.
        """
        stack = getattr(widget, "undo_stack", None)
        if isinstance(stack, QUndoStack):
            self.undo_group.addStack(stack)
        owned = [self.presenter_action]
        if isinstance(stack, QUndoStack):
            owned += [self.undo_action, self.redo_action]
        for action in widget.actions():
            if self._owned_key(action, owned):
                action.setShortcuts([])
        self._add_lab_menus(widget)
        message = getattr(widget, "statusMessage", None)
        if message is not None:
            message.connect(self.show_message)
        title_changed = getattr(widget, "titleChanged", None)
        if title_changed is not None:
            title_changed.connect(self._update_title)
        index = self.tabs.addTab(widget, title)
        self._activate(self.tabs.currentWidget())
        if self.presenting and hasattr(widget, "set_presenting"):
            widget.set_presenting(True)
        return index

    def add_known_labs(self) -> None:
        """Add the optimizer and training labs when they are part of the app (once)."""
        if self.lab("optimizers") is None:
            self._add_lab_from(
                "ui.optimizer_lab.lab", "OptimizerLab", "optimizers", "Optimizer lab"
            )
        if self.lab("training") is None and self._add_lab_from(
            "ui.training_lab.lab", "TrainingLab", "training", "Training lab"
        ):
            self._connect_training_lab(self.lab("training"))

    def _add_lab_from(self, module: str, name: str, key: str, title: str) -> bool:
        if importlib.util.find_spec(module) is None:
            return False
        try:
            lab_class = getattr(importlib.import_module(module), name)
        except ImportError as exc:  # a lab whose parts are missing: say so, keep going
            print(f"graphviz-dl: {title.lower()} unavailable ({exc})", file=sys.stderr)
            return False
        self.add_lab(lab_class(self, settings=self.lab_settings(key)), title)
        return True

    def _connect_training_lab(self, lab: QWidget) -> None:
        """A training sample opens in the explorer, a loss plane in the optimizer lab."""

        def open_graph(values) -> None:
            self.tabs.setCurrentWidget(self.explorer)
            self.explorer.load_values(values, "Open a training sample")

        lab.openGraphRequested.connect(open_graph)
        lab.openSurfaceRequested.connect(lambda request: self.open_surface(*request))

    def lab(self, name: str) -> QWidget | None:
        """The tab widget for ``explorer``, ``optimizers`` or ``training``
        (or any lab by objectName); None if absent."""
        object_name = LABS.get(name, name)
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget.objectName() == object_name:
                return widget
        return None

    def _labs(self) -> list[QWidget]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def select_lab(self, name: str) -> bool:
        widget = self.lab(name)
        if widget is None:
            return False
        self.tabs.setCurrentWidget(widget)
        return True

    def _tab_changed(self, index: int) -> None:
        """Only the shown lab's menus and keys act; Undo follows the tab."""
        self.statusBar().clearMessage()
        self._activate(self.tabs.widget(index))

    def _activate(self, current: QWidget | None) -> None:
        """A lab's menu entries show only on its tab (a menu left empty hides)."""
        for lab, group in self._lab_actions.items():
            group.setEnabled(lab is current)
            group.setVisible(lab is current)
        for menu in self.menus.values():
            entries = [a for a in menu.actions() if not a.isSeparator()]
            menu.menuAction().setVisible(any(a.isVisible() for a in entries))
        stack = getattr(current, "undo_stack", None)
        self.undo_group.setActiveStack(stack if isinstance(stack, QUndoStack) else None)

    # --- presenter mode -----------------------------------------------------------------
    def set_presenter_mode(self, on: bool) -> None:
        """Presenter mode on every tab: each lab's ``set_presenting`` says
        what it means there (large text, fewer panels)."""
        on = bool(on)
        self.presenter_action.setChecked(on)
        for lab in self._labs():
            present = getattr(lab, "set_presenting", None)
            if present is not None:
                present(on)
        self.show_message("Presenter mode: F5 to leave" if on else "Presenter mode off")

    @property
    def presenting(self) -> bool:
        return self.presenter_action.isChecked()

    # --- between labs --------------------------------------------------------------------
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
        """The optimizer lab on the explorer's graph over two of its leaves
        (see :meth:`ExplorerLab.loss_surface`)."""
        surface = self.explorer.loss_surface(
            first, second, random_directions=random_directions
        )
        return surface is not None and self.open_surface(surface, surface.start)

    # --- window ------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        """Stop every lab, remember settings, then cancel and join every job."""
        if self.confirm_close and not confirm_unbuilt_text(self, self.explorer):
            event.ignore()
            return
        for lab in self._labs():
            if hasattr(lab, "shutdown"):
                lab.shutdown()
        self.save_settings()
        shutdown_all()
        super().closeEvent(event)

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def _update_title(self, name: str = "") -> None:
        self.setWindowTitle(f"{name} — {APP_TITLE}" if name else APP_TITLE)

    def show_shortcuts(self) -> None:
        shortcuts = [
            lab.shortcuts() for lab in self._labs() if hasattr(lab, "shortcuts")
        ]
        show_shortcuts(self, [row for rows in shortcuts for row in rows])

    def show_about(self) -> None:
        show_about(self, APP_TITLE)
