"""What a person typed, kept on disk while they type, so a crash or a kill loses nothing.

The app writes the program text to a draft file every few seconds while it
changes (atomically: the draft is always a whole text). Quitting normally
removes the draft. A draft that is still there when the app starts again was
left by a run that did not end normally (a crash, a kill, a power cut); the
app offers it back.

Several windows or processes may run at once: each has its own draft file,
named by its process id, and only drafts whose process is gone are offered.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_write_text

SUFFIX = ".draft.txt"


@dataclass(frozen=True)
class Draft:
    """A left-over draft: its text, its file and when it was last written."""

    text: str
    path: Path
    modified: float


class DraftStore:
    """The drafts folder, and this process's own draft in it."""

    def __init__(self, folder: str | os.PathLike, pid: int | None = None) -> None:
        self.folder = Path(folder)
        self.pid = os.getpid() if pid is None else pid
        self._last: str | None = None

    @property
    def path(self) -> Path:
        return self.folder / f"{self.pid}{SUFFIX}"

    def save(self, text: str) -> bool:
        """Keep ``text`` as this process's draft (only when it changed);
        returns whether it wrote. An empty text removes the draft."""
        if text == self._last:
            return False
        self._last = text
        if not text.strip():
            self.discard()
            return True
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, text)
        return True

    def discard(self) -> None:
        """Quitting normally, or the text was saved: the draft is not needed."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def left_over(self) -> list[Draft]:
        """Drafts of earlier runs that did not end normally, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            owner = path.name[: -len(SUFFIX)]
            if not owner.isdigit() or int(owner) == self.pid or _alive(int(owner)):
                continue
            try:
                text = path.read_text(encoding="utf-8")
                modified = path.stat().st_mtime
            except (OSError, UnicodeDecodeError):
                continue
            found.append(Draft(text, path, modified))
        return sorted(found, key=lambda draft: draft.modified, reverse=True)

    def forget(self, draft: Draft) -> None:
        """The person took the draft back, or declined it."""
        with contextlib.suppress(FileNotFoundError):
            draft.path.unlink()


def _alive(pid: int) -> bool:
    """Whether a process with this id runs now (its draft is its own business)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
