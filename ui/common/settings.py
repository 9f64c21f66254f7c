"""Where each lab remembers its state between sessions, and when it writes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

SETTINGS_ORG = "graphviz-dl"
SAVE_DELAY_MS = 400
GEOMETRY_KEY = "window/geometry"
"""The window's size and place, in the app's own settings file."""
DOCKS_KEY = "explorer/state"
"""The explorer's dock layout (the explorer's settings are the app's file)."""
RECENT_KEY = "recentFiles"
MAX_RECENT = 8
MAX_PATH_CHARS = 4096
"""Longer "file names" in the recent list are not file names (Linux's limit)."""


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
    elif not settings.allKeys() and _has_content(settings.fileName()):
        why = "is not a settings file (nothing in it could be read)"
    else:
        return None
    settings.clear()
    return f"{settings.fileName()}: {why}; starting from the defaults"


def _has_content(path: str) -> bool:
    """Whether ``path`` holds anything but blanks, comments and section
    headers (where Qt found no setting, such a file is not one it wrote)."""
    try:
        text = Path(path).read_bytes()[:65536].decode("utf-8", "replace")
    except OSError:
        return False
    lines = (line.strip() for line in text.splitlines())
    return any(line and not line.startswith((";", "#", "[")) for line in lines)


def app_settings_problems(settings: QSettings) -> list[str]:
    """What is wrong with the app's own settings file (the window's size and
    place, the explorer's docks, its recent files), one message per field,
    naming the file and the field. A damaged file is cleared and a bad value
    removed or trimmed, so the defaults apply and the next save rewrites it."""
    damaged = unreadable(settings)
    if damaged:
        return [damaged]
    problems = []
    for key, check in ((GEOMETRY_KEY, _geometry), (DOCKS_KEY, _docks)):
        if settings.contains(key) and not check(settings.value(key)):
            settings.remove(key)
            what = "size and place" if key == GEOMETRY_KEY else "dock layout"
            problems.append(
                f"{settings.fileName()}: field {key!r} is not a window {what} "
                f"this app saved; using the default {what}"
            )
    if settings.contains(RECENT_KEY):
        problem = _repair_recent(settings)
        if problem:
            problems.append(f"{settings.fileName()}: field {RECENT_KEY!r} {problem}")
    return problems


def _geometry(value: object) -> bool:
    """Whether Qt takes ``value`` as a window's size and place (tried on a
    scratch widget: the real window must not be half-restored)."""
    ok = isinstance(value, QByteArray) and QWidget().restoreGeometry(value)
    return bool(ok)


def _docks(value: object) -> bool:
    """Whether Qt takes ``value`` as a main window's dock layout (docks it
    does not know are skipped, so a scratch window answers for the lab's)."""
    ok = isinstance(value, QByteArray) and QMainWindow().restoreState(value)
    return bool(ok)


def recent_entries(value: object) -> list[str]:
    """The file names of a stored recent list (text, at most a path long)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return [
        v
        for v in value
        if isinstance(v, str) and 0 < len(v) <= MAX_PATH_CHARS and "\0" not in v
    ]


def _repair_recent(settings: QSettings) -> str | None:
    """Keep the first :data:`MAX_RECENT` real file names; what was wrong, or None."""
    value = settings.value(RECENT_KEY)
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        settings.remove(RECENT_KEY)
        return "is not a list of files; starting with none"
    kept = recent_entries(items)
    if len(kept) == len(items) and len(kept) <= MAX_RECENT:
        return None
    settings.setValue(RECENT_KEY, kept[:MAX_RECENT])
    dropped = len(items) - len(kept)
    why = f"holds {len(items):,} entries"
    if dropped:
        why += f", {dropped:,} of them not file names"
    return f"{why}; keeping the first {min(len(kept), MAX_RECENT)} file names"


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
