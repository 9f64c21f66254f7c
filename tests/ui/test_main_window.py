"""The main window around the explorer: menus, files, exports, settings, big graphs."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QDockWidget,
    QGraphicsView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSlider,
    QToolButton,
    QWidget,
)

from ui.main_window import MainWindow

BIG_PROGRAM = "\n".join(
    ["x0 = 0.5"] + [f"x{i} = tanh(x{i - 1} * 1.1 + 0.1)" for i in range(1, 41)]
)


def test_every_named_part_is_there_for_tests_and_accessibility_tools(window):
    for cls, name in (
        (QGraphicsView, "graphView"),
        (QWidget, "nodeInspector"),
        (QLabel, "stepExplanation"),
        (QPlainTextEdit, "programEditor"),
        (QListWidget, "exampleGallery"),
        (QLineEdit, "nodeSearch"),
        (QSlider, "stepSlider"),
        (QSlider, "speed"),
    ):
        assert window.findChild(cls, name) is not None, name
    for name in ("stepFirst", "stepPrev", "stepNext", "stepLast", "playPause"):
        button = window.findChild(QToolButton, name)
        assert button is not None and button.accessibleName(), name
    assert window.objectName() == "MainWindow"
    titles = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert titles[:3] == ["File", "Edit", "View"] and titles[-1] == "Help"


def test_file_menu_saves_opens_and_remembers_recent_programs(
    qtbot, window, explorer, tmp_path
):
    explorer.load_example()
    path = tmp_path / "chain.txt"
    assert window.save_program(path)
    assert path.read_text(encoding="utf-8") == window.editor.toPlainText()
    window.editor.setPlainText("z = 1.0\nw = z * 3\n")
    explorer.action("buildProgram").trigger()
    assert window.model.find("w") is not None
    assert window.open_program(path)
    assert window.model.find("t1") is not None
    assert str(path.resolve()) in QSettings().value("recentFiles")
    recent = [action.text() for action in window.recent_menu.actions()]
    assert recent == ["chain.txt"]
    assert "chain.txt" in window.windowTitle()
    assert not window.open_program(tmp_path / "missing.txt")
    assert "missing.txt" in window.statusBar().currentMessage()


def test_export_dot_png_and_svg(window, explorer, tmp_path):
    explorer.load_example()
    window.model.set_position(6)
    assert window.export(tmp_path / "g.dot")
    assert (
        (tmp_path / "g.dot").read_text(encoding="utf-8").lstrip().startswith("digraph")
    )
    assert window.export(tmp_path / "g.png")
    image = QImage(str(tmp_path / "g.png"))
    assert not image.isNull() and image.width() > 400 and image.height() > 200
    assert window.export(tmp_path / "g.svg")
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "t1" in svg


def test_geometry_and_dock_layout_are_remembered(qtbot, clean_settings):
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(760, 560)  # within the offscreen screen (800×600)
    first.show()
    qtbot.waitExposed(first)
    first.docks["gallery"].hide()
    size = first.size()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == size
    assert not second.docks["gallery"].isVisible()


def test_screenshot_windows_never_touch_settings(qtbot, clean_settings):
    shot = MainWindow(remember=False)
    qtbot.addWidget(shot)
    shot.show()
    shot.close()
    assert QSettings().allKeys() == []


def test_presenter_mode_hides_side_panels_and_enlarges_the_text(
    qtbot, window, explorer
):
    explorer.load_example()
    normal_size = window.step_panel.explanation.font().pointSizeF()
    explorer.action("presenterMode").trigger()
    assert window.presenting
    visible = {key for key, dock in window.docks.items() if dock.isVisible()}
    assert visible == {"steps"}
    assert window.step_panel.explanation.font().pointSizeF() >= 1.5 * normal_size
    explorer.action("presenterMode").trigger()
    assert not window.presenting
    assert all(dock.isVisible() for dock in window.findChildren(QDockWidget))
    assert window.step_panel.explanation.font().pointSizeF() == normal_size


def test_zoom_actions_and_fit(window, explorer):
    explorer.load_example()
    view = window.graph_view
    fitted = view.scale_factor()
    explorer.action("zoomInAction").trigger()
    assert view.scale_factor() > fitted * 1.2
    explorer.action("zoomOutAction").trigger()
    explorer.action("zoomOutAction").trigger()
    assert view.scale_factor() < fitted
    explorer.action("zoomFitAction").trigger()
    assert abs(view.scale_factor() - fitted) < 1e-9


def test_big_programs_are_prepared_in_a_worker(qtbot, window):
    window.loader.threshold = 20  # BIG_PROGRAM has 40+ nodes
    window.editor.setPlainText(BIG_PROGRAM)
    with qtbot.waitSignal(window.loader.loaded, timeout=10000):
        assert window.build_program()
        assert window.loader.busy
        assert window.graph_panel.progress.isVisibleTo(window)
    qtbot.waitUntil(lambda: not window.loader.busy)
    assert window.model.find("x40") is not None
    assert not window.graph_panel.progress.isVisibleTo(window)


def test_a_late_result_is_dropped_when_the_person_moved_on(qtbot, window):
    window.loader.threshold = 20
    window.editor.setPlainText(BIG_PROGRAM)
    window.build_program()
    window.editor.setPlainText("only = 2.0\nthis = only * only\n")
    window.build_program()  # small: shown at once, the big one is now stale
    assert window.model.find("this") is not None
    assert not window.loader.busy
    qtbot.waitUntil(
        lambda: window.loader.pending == 0, timeout=10000
    )  # delivered, dropped
    assert window.model.find("x40") is None
    assert window.undo_stack.count() == 1


def test_other_labs_are_tabs_and_take_the_docks_and_keys_away(qtbot, window, explorer):
    explorer.load_example()
    other = QWidget()
    other.setObjectName("scratchLab")
    index = window.add_lab(other, "Scratch")
    assert window.tabs.tabText(index) == "Scratch"
    assert window.select_lab("scratchLab")
    assert not any(dock.isVisible() for dock in window.docks.values())
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.model.position == 0
    assert window.select_lab("explorer")
    assert all(dock.isVisible() for dock in window.docks.values())
    window.graph_view.setFocus()
    qtbot.keyClick(window.graph_view, Qt.Key.Key_Right)
    assert window.model.position == 1
    assert not window.select_lab("nonexistent")


def test_the_docks_come_back_after_a_session_that_ended_on_a_lab_tab(
    qtbot, clean_settings
):
    first = MainWindow(load_labs=False)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    other = QWidget()
    other.setObjectName("scratchLab")
    first.add_lab(other, "Scratch")
    first.select_lab("scratchLab")
    assert not any(dock.isVisible() for dock in first.docks.values())
    first.close()
    second = MainWindow(load_labs=False)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert all(dock.isVisible() for dock in second.docks.values())


def test_a_screenshot_window_gives_every_lab_scratch_settings(qtbot, clean_settings):
    QSettings().setValue("recentFiles", ["/somewhere/kept.txt"])
    shot = MainWindow(remember=False)
    qtbot.addWidget(shot)
    for name in ("explorer", "optimizers", "training"):
        settings = shot.lab(name)._settings
        assert settings.fileName().endswith(f"{name}.ini"), name
        assert settings.fileName().startswith(shot._scratch.path()), name
    assert shot.lab("explorer").files.recent_files() == []
    shot.close()
    assert QSettings().allKeys() == ["recentFiles"]


def test_closing_stops_every_tab_and_every_job(qtbot, window):
    stopped = []

    class Lab(QWidget):
        def shutdown(self) -> None:
            stopped.append(self.objectName())

    lab = Lab()
    lab.setObjectName("quietLab")
    window.add_lab(lab, "Quiet")
    window.editor.setPlainText(BIG_PROGRAM)
    window.loader.threshold = 20
    window.build_program()
    runner = window.loader.runner
    window.close()
    assert stopped == ["quietLab"]
    assert not runner.busy and runner.wait(0)  # cancelled and joined
    assert runner.submit(lambda job: None) is None  # shut down: takes no more


def test_a_labs_menus_act_only_while_its_tab_is_shown(qtbot, window, explorer):
    explorer.load_example()
    names = ("exportDot", "openProgram", "checkGradients")
    actions = [explorer.action(name) for name in names]
    assert all(action.isEnabled() for action in actions)
    window.select_lab("optimizers")
    assert not any(action.isEnabled() or action.isVisible() for action in actions)
    assert explorer.action("quit").isEnabled() and explorer.action("about").isEnabled()
    assert explorer.action("presenterMode").isEnabled()  # the window's: every tab
    window.select_lab("explorer")
    assert all(action.isEnabled() for action in actions)
    menus = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert menus == ["File", "Edit", "View", "Step", "Help"]


def test_a_big_load_shows_progress_and_can_be_stopped(qtbot, window, explorer):
    explorer.load_example()
    shown = window.model.program
    window.loader.threshold = 20
    window.editor.setPlainText(BIG_PROGRAM)
    assert window.build_program()
    stop = window.findChild(QToolButton, "cancelLoad")
    assert stop.isVisibleTo(window) and window.graph_panel.progress.isVisibleTo(window)
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert not window.loader.busy and not stop.isVisibleTo(window)
    qtbot.waitUntil(lambda: window.loader.pending == 0, timeout=10000)
    assert window.model.program is shown  # the stopped load never arrives
    assert window.statusBar().currentMessage() == "Stopped"


def test_a_gradient_check_names_values_that_are_not_finite(qtbot, window, explorer):
    window.editor.setPlainText("x = 0.0\ny = log(x)\n")
    assert window.build_program()
    explorer.action("checkGradients").trigger()
    message = window.statusBar().currentMessage()
    assert message.startswith("✗") and "not finite" in message and "x" in message


def test_after_the_app_closes_later_event_loops_still_run(
    tmp_path, qtbot, clean_settings
):
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.app import main

    assert (
        main(["--example", "chain-rule", "--screenshot", str(tmp_path / "x.png")]) == 0
    )
    loop = QEventLoop()
    QTimer.singleShot(20, loop.quit)
    assert loop.exec() == 0  # no Quit left behind by the closed window


def test_closing_while_presenting_ends_the_app(tmp_path, qtbot, clean_settings):
    """The explorer puts its view back (turning the event loop) while the window
    closes in presenter mode; the app must still end, not run on unseen."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QApplication

    from ui.app import main

    stuck = []

    def close_again() -> None:  # only while main() still runs: the app ran on
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                stuck.append(True)
                # A Close event for the hidden window ends the loop.
                QApplication.sendEvent(widget, QCloseEvent())

    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(close_again)
    safety.start(8000)
    shot = tmp_path / "presenting.png"
    code = main(["--presenter", "--screenshot", str(shot)])
    safety.stop()
    assert code == 0
    assert not stuck, "the app ran on after its window closed"
    assert shot.exists()


def test_a_damaged_settings_file_is_named_and_cleared(qtbot, clean_settings):
    import random
    from pathlib import Path

    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    path = QSettings().fileName()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        rng = random.Random(0)  # binary bytes, not a settings file
        handle.write(bytes(rng.randrange(256) for _ in range(20_000)))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.load_example("chain-rule")  # replaces the status bar's message
    window.select_lab("optimizers")  # and so does a tab switch
    notice = window.settings_notice.text()
    assert Path(path).name in notice and "not a settings file" in notice
    assert path in window.settings_notice.toolTip()


def test_a_settings_file_with_nothing_qt_can_read_is_named_too(qtbot, clean_settings):
    from pathlib import Path

    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    path = QSettings().fileName()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(b"\x00\x01garbage\xff[[[")  # Qt reads no key from it
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert "nothing in it could be read" in window.settings_notice.text()


def test_a_bad_window_geometry_is_named_by_field_and_the_default_used(
    qtbot, clean_settings
):
    from PySide6.QtCore import QByteArray, QSettings

    from ui.main_window import MainWindow

    QSettings().setValue("window/geometry", QByteArray(b"\x01\x02garbage"))
    QSettings().setValue("recentFiles", [f"/nowhere/f{i}.txt" for i in range(50)])
    QSettings().sync()
    window = MainWindow(load_labs=False)
    qtbot.addWidget(window)
    window.show()
    assert "'window/geometry'" in window.settings_notice.text()
    assert "'recentFiles'" in window.settings_notice.toolTip()
    assert (window.width(), window.height()) == (1280, 800)
    assert len(window.lab("explorer").files.recent_files()) == 8
