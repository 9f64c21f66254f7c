"""In a child process: the app started as ``ui.app.main`` starts it, watched.

The child runs the real entry point (its settings, its event loop, its
orderly shutdown), with a hook that gets the window once it is shown. The
watchers record what a person would never see in a terminal they do not
have: Python exceptions (in slots, in threads), Qt's warnings and criticals,
how late the GUI thread answers a 10 ms timer, and the process's memory.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

STARTED = time.monotonic()
"""When the child began (its start-up is timed from here)."""
TICK_MS = 10
IGNORED = ("This plugin does not support propagateSizeHints",)
"""Qt messages that only say the offscreen platform has no window manager."""
STALL_MS = 100


def say(tag: str, **fields) -> None:
    """One line for the parent: a tag and JSON fields, flushed at once."""
    sys.stdout.write(f"{tag} {json.dumps(fields)}\n")
    sys.stdout.flush()


class Watch:
    """Counts Python exceptions and Qt criticals, keeping the first few texts."""

    KEEP = 5

    def __init__(self) -> None:
        self.exceptions: list[str] = []
        self.qt_warnings: list[str] = []
        self.qt_criticals: list[str] = []
        self._count = {"exceptions": 0, "qt_warnings": 0, "qt_criticals": 0}

    def install(self) -> None:
        """Take over ``sys.excepthook``, ``threading.excepthook`` and Qt's log."""
        previous = sys.excepthook

        def on_exception(kind, value, trace) -> None:
            self._note("exceptions", f"{kind.__name__}: {value}")
            previous(kind, value, trace)

        sys.excepthook = on_exception
        threading.excepthook = lambda args: on_exception(
            args.exc_type, args.exc_value, args.exc_traceback
        )
        qInstallMessageHandler(self._on_qt_message)

    def _on_qt_message(self, kind, _context, text: str) -> None:
        name = getattr(kind, "name", str(kind))
        bucket = "qt_warnings" if name in ("QtWarningMsg",) else None
        if name in ("QtCriticalMsg", "QtFatalMsg"):
            bucket = "qt_criticals"
        if bucket is not None and not text.startswith(IGNORED):
            self._note(bucket, text)
        sys.stderr.write(f"qt: {text}\n")

    def _note(self, bucket: str, text: str) -> None:
        self._count[bucket] += 1
        kept = getattr(self, bucket)
        if len(kept) < self.KEEP:
            kept.append(text[:300])

    def summary(self) -> dict:
        return {**self._count, "first": self.exceptions + self.qt_criticals}


class StallMeter(QObject):
    """A 10 ms timer on the GUI thread: every tick later than 100 ms is a stall."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stalls = 0
        self.worst = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.stalls, self.worst = 0, 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        late = now - self._last - TICK_MS / 1000
        self._last = now
        self.worst = max(self.worst, late)
        if late > STALL_MS / 1000:
            self.stalls += 1


def rss_bytes() -> int:
    """The process's resident memory now (Linux), 0 where it cannot be read."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def run_app(argv: list[str], on_shown: Callable[[object], None]) -> int:
    """Run ``ui.app.main(argv)``; ``on_shown(window)`` once the window is up."""
    app = QApplication.instance() or QApplication([sys.argv[0]])

    def find() -> None:
        shown = [
            w
            for w in app.topLevelWidgets()
            if w.objectName() == "MainWindow" and w.isVisible()
        ]
        if shown:
            on_shown(shown[0])
        else:
            QTimer.singleShot(5, find)

    QTimer.singleShot(0, find)
    from ui.app import main

    return main(argv)


def labs_and_messages(window) -> tuple[int, list[str]]:
    """How many labs the window has, and every status line a person reads
    (the status bar, the settings notice beside it, each lab's own line)."""
    messages = [window.statusBar().currentMessage()]
    notice = getattr(window, "settings_notice", None)
    if notice is not None:
        messages.append(notice.text())
    labs = 0
    for name in ("explorer", "optimizers", "training"):
        lab = window.lab(name)
        if lab is None:
            continue
        labs += 1
        status = getattr(lab, "status", None)
        if status is not None and hasattr(status, "text"):
            messages.append(status.text())
    return labs, messages
