"""Moving the optimizer lab's remembered values in and out of QSettings.

What the values mean, and whether they are valid, is decided in the core
(:mod:`graphviz_dl.labs.optimizer.settings`); here they are only carried.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from graphviz_dl.labs.optimizer import settings as lab_settings_schema


def read_raw(store: QSettings) -> dict[str, object]:
    """Every value the schema knows, as stored (missing ones left out)."""
    keys = [setting.key for setting in lab_settings_schema.SCHEMA]
    return {key: store.value(key) for key in keys if store.contains(key)}


def write_raw(store: QSettings, raw: dict[str, object]) -> None:
    """Store ``raw``; a None value removes its key. Writes the file at once."""
    for key, value in raw.items():
        if value is None:
            store.remove(key)
        else:
            store.setValue(key, value)
    store.sync()


def source_name(store: QSettings) -> str:
    """The file a problem message names."""
    return store.fileName() or "the optimizer lab's settings"
