"""Ending the app's process at once, once its window has closed and all is written.

After the window closes the labs have stopped, every job is joined and the
settings are written; what the interpreter still does on a normal exit (tear
down every module, collect the big graphs, let Qt destroy what is left, walk
every object for pyqtgraph's exit workaround) takes 0.3-0.9 s on a quiet
machine and several seconds on a loaded one, and nothing in it is for the
person. So the app's entry point, and only it (never a function a test or a
notebook calls in-process), ends with :func:`leave`: it checks that nothing is
left running or unwritten, does what a destructor would still have done
(write pending settings, flush open files, remove temporary folders) and
calls ``os._exit``. Whenever anything is in doubt, the interpreter exits as
usual instead.
"""

from __future__ import annotations

import gc
import io
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

from PySide6.QtCore import QSettings, QTemporaryDir

SAY_EXIT_ENV = "GRAPHVIZ_DL_SAY_EXIT"
"""When set, :func:`leave` says on stderr how the process leaves, and why not
at once (the reliability bench counts the reasons)."""
_state = {"closed": False, "joined": False}
_FILES = (io.TextIOWrapper, io.BufferedWriter, io.BufferedRandom)
_WATCHERS = ("coverage", "pydevd", "debugpy")
"""Modules whose presence means a tool collects results at exit."""


def window_closed(joined: bool) -> None:
    """The window is closed and deleted; ``joined``: every job and thread
    pool stopped within its time (see :func:`ui.common.jobs.shutdown_all`)."""
    _state["closed"] = True
    _state["joined"] = bool(joined)


def why_not_now() -> str | None:
    """Why the process must exit the usual way, or None when it may leave at
    once; writes and flushes what is pending on the way (see module doc)."""
    if not _state["closed"]:
        return "the window was not closed"
    if not _state["joined"]:
        return "a background job did not stop in time"
    watcher = _watcher()
    if watcher:
        return f"{watcher} is watching and writes its results at exit"
    running = [
        thread.name
        for thread in threading.enumerate()
        if thread is not threading.main_thread()
        and not thread.daemon
        and not isinstance(thread, threading._DummyThread)
    ]
    if running:
        return f"a thread is still running ({', '.join(running)})"
    return _finish_writes()


def leave(code: int, said: Callable[[str | None], None] | None = None) -> NoReturn:
    """End the process with ``code``: at once if :func:`why_not_now` allows,
    else through the interpreter's usual exit. ``said(reason)`` hears the
    reason first (None: leaving at once), for the reliability bench."""
    reason = why_not_now()
    if said is not None:
        said(reason)
    if os.environ.get(SAY_EXIT_ENV):
        way = "at once" if reason is None else f"the usual way: {reason}"
        print(f"graphviz-dl: exit {way}", file=sys.stderr, flush=True)
    if reason is not None:
        sys.exit(code)
    logging.shutdown()  # what its exit hook would do: flush and close log files
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass  # no stream, or nobody reading it: nothing to keep
    os._exit(code)


def _watcher() -> str | None:
    """A tracer, profiler, debugger or coverage tool that wants a normal exit."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return "a tracer or profiler"
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+
    if monitoring is not None and any(
        monitoring.get_tool(tool) is not None for tool in range(6)
    ):
        return "a monitoring tool"
    return next((name for name in _WATCHERS if name in sys.modules), None)


def _finish_writes() -> str | None:
    """Sync every live QSettings (None, or which one could not be written),
    flush every open file, then remove the scratch folders, as their
    destructors would have."""
    settings, files, folders = [], [], []
    for item in gc.get_objects():
        kind = type(item)
        if kind is QSettings:
            settings.append(item)
        elif kind in _FILES:
            files.append(item)
        elif kind is QTemporaryDir:
            folders.append(item)
    for store in settings:
        try:
            store.sync()
            status = store.status()
        except RuntimeError:  # its Qt side is gone, and written with it
            continue
        if status != QSettings.Status.NoError:
            return f"{store.fileName()} could not be written ({status.name})"
    for handle in files:
        try:
            if not handle.closed and handle.writable():
                handle.flush()
        except (OSError, ValueError):
            return f"{getattr(handle, 'name', 'a file')} could not be flushed"
    for folder in folders:
        if folder.autoRemove():
            folder.remove()
    return None
