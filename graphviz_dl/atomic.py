"""Writing a file so that a crash, a kill or a full disk never destroys it.

Everything the app saves (programs, sessions, exports, CSV, DOT) is written to
a temporary file in the same folder and renamed over the target only once it
is complete and flushed: the target is always either the old file or the new
one, never a truncated mix.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(
    path: str | os.PathLike, *, allow_empty: bool = False
) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for a writer that wants a file
    name (an image encoder, an SVG generator); on leaving the block the file is
    flushed and renamed over ``path``. If the block raises, or wrote nothing
    (unless ``allow_empty``), the temporary file is removed, ``path`` keeps its
    old content, and :class:`OSError` says why."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    _remove_stale_parts(folder, target.name)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        size = temporary.stat().st_size if temporary.exists() else -1
        if size < 0 or (size == 0 and not allow_empty):
            raise OSError(f"nothing was written to {target.name}")
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        _keep_mode(target, temporary)
        os.replace(temporary, target)
        _sync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`)."""
    with atomic_path(path, allow_empty=True) as temporary, open(temporary, "wb") as out:
        out.write(data)
        out.flush()


def atomic_write_text(
    path: str | os.PathLike, text: str, encoding: str = "utf-8"
) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_path`)."""
    atomic_write_bytes(path, text.encode(encoding))


STALE_SECONDS = 3600
"""A temporary file this old was left by a write that was killed: removed."""


def _remove_stale_parts(folder: Path, name: str) -> None:
    """Temporary files of earlier writes of ``name`` that were killed midway
    (a write in progress elsewhere is younger than :data:`STALE_SECONDS`)."""
    try:
        parts = list(folder.glob(f".{glob.escape(name)}.*.part"))
    except OSError:
        return
    now = time.time()
    for part in parts:
        with contextlib.suppress(OSError):
            if now - part.stat().st_mtime > STALE_SECONDS:
                part.unlink()


def _keep_mode(target: Path, temporary: Path) -> None:
    """A file replaced keeps its permissions; a new one gets the usual ones."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
