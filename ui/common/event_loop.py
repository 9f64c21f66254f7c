"""The app's one event loop: run until the window closes, then shut down in order.

Closing the window ends the loop, whatever else is still open or pending; the
window is then deleted while Python is fully alive, after every background job
has been cancelled and joined (see :mod:`ui.common.jobs`), and the process is
told (:mod:`ui.common.quick_exit`) that nothing is left running.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    QThreadPool,
    QTimer,
)

from ui.common import quick_exit


def run_until_closed(window, owns_app: bool) -> None:
    """Run the event loop until ``window`` is really closed.

    When this process made the QApplication, that is ``app.exec()`` (so the
    application's own quit hooks run). When someone else owns it (a notebook's
    ``%gui qt``, a test, a caller's app) a local loop serves instead, and the
    owner's application carries on untouched after the window closes.
    """
    loop = None if owns_app else QEventLoop()
    ender = _EndWhenClosed(window, loop)
    if loop is None:
        QCoreApplication.instance().exec()
    else:
        loop.exec()
    ender.deleteLater()


class _EndWhenClosed(QObject):
    """Ends the loop once the window is really closed, whatever else is still
    open or pending: the app never runs on without its window."""

    def __init__(self, window, loop: QEventLoop | None) -> None:
        super().__init__(window)
        self._window = window
        self._loop = loop
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        # Hide too: a close whose handlers turn the event loop (a lab putting
        # its view back before saving it) runs this check while the window is
        # still shown; the window hides only once its close is accepted.
        if event.type() in (QEvent.Type.Close, QEvent.Type.Hide):
            QTimer.singleShot(0, self, self._end_if_closed)
        return False

    def _end_if_closed(self) -> None:
        if self._window.isVisible():
            return
        if self._loop is None:
            QCoreApplication.instance().quit()
        else:
            self._loop.quit()


def close_window(window) -> None:
    """Shut down in order while Python is fully alive: close the window (the
    labs stop their work and write their settings), join every background
    job, then delete the window and every plot in it, so nothing is left for
    interpreter shutdown to destroy in arbitrary order."""
    import shiboken6

    from ui.common.jobs import shutdown_all

    if shiboken6.isValid(window):
        window.close()
    joined = shutdown_all()
    joined = QThreadPool.globalInstance().waitForDone() and joined
    if shiboken6.isValid(window):
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QCoreApplication.processEvents()
    quick_exit.window_closed(joined)
