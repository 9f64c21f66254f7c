"""Where each lab remembers its state between sessions, and when it writes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

SETTINGS_ORG = "graphviz-dl"
SAVE_DELAY_MS = 400


def lab_settings(app: str) -> QSettings:
    """The settings of the lab ``app`` (e.g. "optimizer-lab") in the user's profile.

    Tests redirect it with ``QSettings.setPath(IniFormat, UserScope, folder)``.
    """
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, SETTINGS_ORG, app
    )


def unreadable(settings: QSettings) -> str | None:
    """What is wrong with a settings file that this app cannot have written
    (garbage text, binary bytes), or None. Such a file is cleared: the lab
    starts from its defaults, says so with this message, and rewrites it."""
    settings.sync()  # read the file as it is now, not a copy cached earlier
    if settings.status() == QSettings.Status.FormatError:
        why = "is not a settings file (it cannot be read)"
    elif any(not (key.isascii() and key.isprintable()) for key in settings.allKeys()):
        why = "is not a settings file (it holds bytes that are not text)"
    else:
        return None
    settings.clear()
    return f"{settings.fileName()}: {why}; starting from the defaults"


class SettingsSaver(QObject):
    """Calls ``save`` once edits settle (a write costs tens of milliseconds, too
    much for every slider tick), when the app quits, and on :meth:`flush`."""

    def __init__(
        self, save: Callable[[], None], changes: Iterable, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        for signal in changes:
            signal.connect(self.later)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.save_now)

    def later(self, *_args) -> None:
        """Something changed: save once things have been quiet for a moment."""
        self._timer.start()

    def save_now(self) -> None:
        self._timer.stop()
        self._save()

    def flush(self) -> None:
        """Save now if a save is waiting (e.g. the lab goes out of sight)."""
        if self._timer.isActive():
            self.save_now()
