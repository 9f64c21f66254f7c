"""The explorer's files: open and save programs, remember recent ones, ask
where to export.

Programs are saved through :mod:`graphviz_dl.atomic`: a save that fails (a
full disk, a folder that vanished) keeps the old file and says why.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from graphviz_dl.atomic import atomic_write_text
from ui.common.settings import MAX_RECENT, RECENT_KEY, recent_entries

PROGRAM_FILTER = "Programs (*.txt *.gdl *.py);;All files (*)"
EXPORT_FILTERS = {
    "dot": "Graphviz DOT (*.dot *.gv)",
    "png": "PNG image (*.png)",
    "svg": "SVG drawing (*.svg)",
}


class ProgramFiles(QObject):
    """The current program file, the recent list, and the file dialogs.

    ``lab`` is the :class:`~ui.explorer.lab.ExplorerLab`: its editor holds the
    text, ``load_source`` builds it and ``export`` writes pictures.
    """

    message = Signal(str, int)
    pathChanged = Signal()

    def __init__(self, lab: QWidget, settings: QSettings) -> None:
        super().__init__(lab)
        self.lab = lab
        self.settings = settings
        self.path: Path | None = None
        self.recent_menu = QMenu("Open &recent", lab)
        self.recent_menu.setObjectName("recentMenu")
        self._update_recent_menu()

    # --- programs ------------------------------------------------------------------
    def open_program(self, path: str | Path) -> bool:
        path = Path(path)
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.message.emit(f"Could not open {path.name}: {_not_utf8(exc)}", 0)
            return False
        except OSError as exc:
            self.message.emit(f"Could not open {path.name}: {_reason(exc)}", 0)
            return False
        self.lab.editor.set_program_text(source)
        self._set_path(path)
        return self.lab.load_source(source, f"Open {path.name}")

    def save_program(self, path: str | Path) -> bool:
        path = Path(path)
        try:
            atomic_write_text(path, self.lab.editor.toPlainText())
        except OSError as exc:
            self.message.emit(f"Could not save {path.name}: {_reason(exc)}", 0)
            return False
        self._set_path(path)
        self.lab.editor.mark_given()
        self.message.emit(f"Saved {path.name}", 6000)
        return True

    def _set_path(self, path: Path) -> None:
        self.path = path
        self._remember_recent(path)
        self.pathChanged.emit()

    # --- dialogs -----------------------------------------------------------------------
    def open_program_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.lab, "Open program", self._start_dir(), PROGRAM_FILTER
        )
        if path:
            self.open_program(path)

    def save_program_dialog(self) -> None:
        if self.path is None:
            self.save_program_as_dialog()
        else:
            self.save_program(self.path)

    def save_program_as_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.lab, "Save program", self._start_dir(), PROGRAM_FILTER
        )
        if path:
            self.save_program(path)

    def export_dialog(self, kind: str) -> None:
        stem = self.path.stem if self.path is not None else "graph"
        start = str(Path(self._start_dir()) / f"{stem}.{kind}")
        path, _ = QFileDialog.getSaveFileName(
            self.lab, f"Export {kind.upper()}", start, EXPORT_FILTERS[kind]
        )
        if path:
            if not Path(path).suffix:
                path += f".{kind}"
            self.lab.export(path)

    def _start_dir(self) -> str:
        return str(self.path.parent) if self.path is not None else str(Path.home())

    # --- recent files ------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """The remembered files, newest first (a damaged list is repaired
        with a message when the window starts: here it is only read)."""
        return recent_entries(self.settings.value(RECENT_KEY, []))[:MAX_RECENT]

    def _remember_recent(self, path: Path) -> None:
        entry = str(path.resolve())
        recent = [entry] + [p for p in self.recent_files() if p != entry]
        self.settings.setValue(RECENT_KEY, recent[:MAX_RECENT])
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for entry in recent:
            action = self.recent_menu.addAction(Path(entry).name)
            action.setToolTip(entry)
            action.triggered.connect(
                lambda _checked=False, p=entry: self.open_program(p)
            )
        self.recent_menu.setEnabled(bool(recent))


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _not_utf8(exc: UnicodeDecodeError) -> str:
    """Where the first byte that is not UTF-8 text is, as line and column."""
    data = exc.object
    start = data.rfind(b"\n", 0, exc.start) + 1
    line = data.count(b"\n", 0, exc.start) + 1
    column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
    return (
        f"line {line}, column {column}: byte 0x{data[exc.start]:02x} is not UTF-8 "
        "text (save the file as UTF-8)"
    )
