"""Where each lab remembers its state between sessions: an INI file per lab."""

from __future__ import annotations

from PySide6.QtCore import QSettings

SETTINGS_ORG = "graphviz-dl"


def lab_settings(app: str) -> QSettings:
    """The settings of the lab ``app`` (e.g. "optimizer-lab") in the user's profile.

    Tests redirect it with ``QSettings.setPath(IniFormat, UserScope, folder)``.
    """
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, SETTINGS_ORG, app
    )
