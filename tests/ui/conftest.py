"""UI test set-up: a throwaway settings location, and a ready main window.

Tests must never read or write a real person's settings, so every QSettings
format is pointed at a temporary folder before any window exists.
"""

from __future__ import annotations

import os
import threading

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(scope="session", autouse=True)
def private_settings(tmp_path_factory, qapp):
    """Every QSettings (native or INI, user or system scope) lives in a temp folder."""
    folder = tmp_path_factory.mktemp("settings")
    qapp.setOrganizationName("graphviz-dl-tests")
    qapp.setApplicationName("graphviz-dl-tests")
    os.environ["GRAPHVIZ_DL_DRAFTS"] = str(folder / "drafts")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def finish_background_jobs(qapp):
    """No test leaves a job in the shared thread pool running into the next one."""
    yield
    from PySide6.QtCore import QThreadPool

    from ui.common.jobs import wait_all

    wait_all()
    QThreadPool.globalInstance().waitForDone(10000)


@pytest.fixture
def clean_settings(private_settings):
    """Start a test with no remembered geometry, recent files or lab state."""
    for settings in _every_settings_file():
        settings.clear()
        settings.sync()
    yield
    for settings in _every_settings_file():
        settings.clear()


def _every_settings_file() -> list[QSettings]:
    """The app's settings and each lab's own file (a lab that remembered a
    surface in one test must not start with it in the next)."""
    from ui.common.settings import lab_settings
    from ui.optimizer_lab.lab import SETTINGS_APP as OPTIMIZERS
    from ui.training_lab.lab import SETTINGS_APP as TRAINING

    return [QSettings(), lab_settings(OPTIMIZERS), lab_settings(TRAINING)]


@pytest.fixture
def make_window(qtbot, clean_settings):
    """A factory: a main window at the app's default size, shown offscreen,
    nothing loaded (a test may open several, as a person reopening the app)."""
    import pyqtgraph

    from ui.main_window import MainWindow

    def make():
        pyqtgraph.setConfigOptions(imageAxisOrder="row-major")
        win = MainWindow()
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.show()
        qtbot.waitExposed(win)
        return win

    return make


@pytest.fixture
def window(make_window):
    """The main window at the app's default size, shown offscreen, nothing loaded."""
    return make_window()


class Driver:
    """Drives the explorer as a person would: clicks, keys, typed text."""

    def __init__(self, qtbot, window) -> None:
        self.qtbot = qtbot
        self.window = window

    def card(self, name: str):
        """The card of the node called ``name`` (asserting the name is exact)."""
        model = self.window.model
        node_id = model.find(name)
        assert node_id is not None and model.name(node_id) == name, name
        return self.window.graph_view.cards[node_id]

    def click(self, object_name: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QToolButton

        button = self.window.findChild(QToolButton, object_name)
        assert button is not None, object_name
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def load_example(self, name: str = "chain-rule") -> None:
        """Click the example in the gallery list."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QListWidget

        gallery = self.window.findChild(QListWidget, "exampleGallery")
        item = self.window.gallery.item_for(name)
        assert item is not None, f"the gallery has {name}"
        gallery.scrollToItem(item)
        rect = gallery.visualItemRect(item)
        self.qtbot.mouseClick(
            gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
        assert self.window.model.program is not None

    def double_click_card(self, name: str) -> None:
        from PySide6.QtCore import Qt

        view = self.window.graph_view
        point = view.mapFromScene(self.card(name).scenePos())
        self.qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    def click_card(self, name: str) -> None:
        from PySide6.QtCore import Qt

        view = self.window.graph_view
        point = view.mapFromScene(self.card(name).scenePos())
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    def type_leaf_value(self, name: str, text: str) -> None:
        """Double-click the leaf, type ``text`` and press Enter."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QLineEdit

        self.double_click_card(name)
        editor = self.window.graph_view.findChild(QLineEdit, "leafEditor")
        assert editor is not None and editor.isVisible()
        editor.selectAll()
        self.qtbot.keyClicks(editor, text)
        self.qtbot.keyClick(editor, Qt.Key.Key_Return)

    def action(self, object_name: str):
        from PySide6.QtGui import QAction

        found = self.window.findChild(QAction, object_name)
        assert found is not None, object_name
        return found


@pytest.fixture
def explorer(qtbot, window) -> Driver:
    return Driver(qtbot, window)


@pytest.fixture
def lab_settings(tmp_path):
    """A factory: the optimizer lab's settings in this test's folder (every call
    opens the same ``lab.ini``, as reopening the lab would)."""

    def make() -> QSettings:
        return QSettings(str(tmp_path / "lab.ini"), QSettings.Format.IniFormat)

    return make


@pytest.fixture
def open_lab(qtbot, lab_settings):
    """A factory: an optimizer lab on this test's settings, shown offscreen."""
    import pyqtgraph as pg

    from ui.optimizer_lab.lab import OptimizerLab

    def open_(width: int = 1000, height: int = 650) -> OptimizerLab:
        pg.setConfigOptions(imageAxisOrder="row-major")
        widget = OptimizerLab(settings=lab_settings())
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return open_


@pytest.fixture
def lab(open_lab):
    """The optimizer lab at 1000×650 (a test module may override it)."""
    return open_lab()


@pytest.fixture
def race(lab):
    """``race(surface, racers, start=None)``: put (kind, hyper) racers on a
    surface in ``lab``, all enabled, and return the lab's model."""
    from graphviz_dl.labs.optimizer import LabState, make_configs
    from graphviz_dl.surfaces import get_surface

    def put(surface_name: str, racers, start=None):
        surface = get_surface(surface_name)
        state = LabState(surface, start or surface.start, make_configs(racers))
        lab.model.restore(state)
        return lab.model

    return put


class GatedBowl:
    """A bowl's definition whose grid waits at its first evaluation until let go:
    a grid job that is under way for as long as a test needs."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def value_and_grad(self, x, y):
        return x * x + y * y, (2 * x, 2 * y)

    def evaluate(self, X, Y):
        self.entered.set()
        self.release.wait(10)
        return X * X + Y * Y


@pytest.fixture
def gated_surface():
    """``(gate, surface)``: a bowl on [−1, 1]² drawn through a :class:`GatedBowl`
    (released when the test ends, whatever happened)."""
    from graphviz_dl.surfaces import Surface

    gate = GatedBowl()
    surface = Surface(
        name="gated",
        title="Gated bowl",
        formula="x² + y²",
        domain=((-1.0, 1.0), (-1.0, 1.0)),
        minima=((0.0, 0.0),),
        start=(0.5, 0.5),
        log_scale=False,
        definition=gate,
    )
    yield gate, surface
    gate.release.set()


@pytest.fixture
def training_lab(qtbot, tmp_path):
    """The training lab at 1280×800, shown offscreen, on this test's settings
    file; its jobs are stopped afterwards."""
    import pyqtgraph as pg

    from ui.training_lab.lab import TrainingLab

    pg.setConfigOptions(imageAxisOrder="row-major")
    settings = QSettings(str(tmp_path / "training.ini"), QSettings.Format.IniFormat)
    widget = TrainingLab(settings=settings)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.model.shutdown()
