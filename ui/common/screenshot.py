"""``--screenshot``: a widget painted as shown, saved as a PNG that is whole or absent."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from graphviz_dl.atomic import atomic_path


def save_screenshot(widget: QWidget, path: str, program: str = "graphviz-dl") -> int:
    """Paint ``widget`` as shown and save it as a PNG; 0 on success. A failed
    write says why (on stderr) and leaves any older file at ``path`` as it was:
    no empty or half-written picture."""
    QApplication.processEvents()
    image = widget.grab()
    try:
        with atomic_path(path) as temporary:
            if not image.save(str(temporary), "PNG"):
                raise OSError("the PNG encoder could not write the image")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"{program}: could not write {path}: {reason}", file=sys.stderr)
        return 1
    return 0
