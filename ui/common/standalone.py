"""One lab alone in a window, or rendered to a PNG: the labs' ``python -m`` runners.

The optimizer lab and the training lab (and their benchmarks) start the same
way: pyqtgraph set up for row-major images, one QApplication, and, for a
screenshot or a measurement, settings in a scratch folder, so a picture
starts from the defaults and never reads or changes a person's last session.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TypeVar

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSettings, QTemporaryDir
from PySide6.QtWidgets import QApplication, QWidget

from ui.common import jobs

Lab = TypeVar("Lab", bound=QWidget)

WINDOW_SIZE = (1280, 800)


def start_app(**pg_options: object) -> QApplication:
    """The QApplication (made if needed), with pyqtgraph drawing row-major images."""
    pg.setConfigOptions(imageAxisOrder="row-major", **pg_options)
    return QApplication.instance() or QApplication(sys.argv[:1])


def scratch_settings(scratch: QTemporaryDir, name: str = "lab.ini") -> QSettings:
    """INI settings inside ``scratch`` (which must outlive them)."""
    return QSettings(scratch.filePath(name), QSettings.Format.IniFormat)


def open_lab(
    make: Callable[[QSettings | None], Lab],
    settings: QSettings | None,
    title: str | None = None,
) -> Lab:
    """The lab at the screenshot size (not shown yet)."""
    lab = make(settings)
    lab.resize(*WINDOW_SIZE)
    if title is not None:
        lab.setWindowTitle(title)
    return lab


def add_screenshot_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--screenshot", metavar="PNG", help="save a 1280×800 picture and exit"
    )


def run_standalone(
    make: Callable[[QSettings | None], Lab],
    title: str,
    screenshot: str | None,
    *,
    prepare: Callable[[Lab], None] = lambda lab: None,
    after_show: Callable[[Lab], None] = lambda lab: None,
    before_grab: Callable[[Lab], None] = lambda lab: None,
) -> int:
    """Open the lab ``make(settings)`` makes; save ``screenshot`` and return, or
    run the event loop until the window closes.

    ``prepare`` runs before the window is shown, ``after_show`` just after it,
    ``before_grab`` once pending events are processed, before the picture.
    """
    if screenshot:  # a picture needs no screen (and there may be none)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = start_app(antialias=True)
    scratch = QTemporaryDir()
    # a screenshot starts from the defaults, never from this machine's last session
    settings = scratch_settings(scratch) if screenshot else None
    lab = open_lab(make, settings, title)
    prepare(lab)
    lab.show()
    after_show(lab)
    if screenshot:
        app.processEvents()
        before_grab(lab)
        saved = lab.grab().save(screenshot)
        close_lab(app, lab)
        if not saved:
            print(f"could not write {screenshot}", file=sys.stderr)
            return 1
        return 0
    code = app.exec()
    close_lab(app, lab)
    return code


def close_lab(app: QApplication, lab: QWidget) -> None:
    """Stop the lab's timers and jobs and delete its widgets now, while Qt and
    Python are both whole: left to interpreter shutdown, plots are destroyed
    in no particular order and a pyqtgraph axis can be called after its C++
    side is gone (a crash at exit)."""
    shutdown = getattr(lab, "shutdown", None)
    if callable(shutdown):
        shutdown()
    lab.close()
    lab.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    jobs.shutdown_all()
