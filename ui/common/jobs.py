"""The one way the app runs work off the GUI thread.

A :class:`JobRunner` owns a small thread pool (one thread by default, so its
jobs run one after another in the order given). A job is a plain function
``work(job)`` that may call ``job.progress(fraction)`` and should return soon
after ``job.cancelled()`` turns true (``job.check()`` raises
:class:`JobCancelled` for it). Its result comes back to the GUI thread through
the ``done`` callback; an exception through ``failed``.

Every job carries the runner's generation. Submitting with ``supersede=True``
(the default) cancels what is under way: a person who zoomed again, picked
another example or reset a run is never shown a late result of the old
request. :func:`shutdown_all` cancels and joins every runner's jobs; the app
calls it when its window closes, before any Qt object is destroyed, so no
thread is left touching Python or Qt while the interpreter shuts down.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

JOIN_TIMEOUT_MS = 10_000
"""How long closing the app waits for a job to notice it was cancelled."""


class JobCancelled(Exception):
    """Raised by :meth:`Job.check` once the job is no longer wanted."""


class Job:
    """What a work function gets: its generation, progress and cancellation."""

    __slots__ = ("__weakref__", "_cancel", "_relay", "generation")

    def __init__(self, generation: int, relay: _Relay) -> None:
        self.generation = generation
        self._cancel = threading.Event()
        self._relay = relay

    def cancelled(self) -> bool:
        """True once the person (or a newer job) no longer wants this one."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`JobCancelled` if the job was cancelled."""
        if self._cancel.is_set():
            raise JobCancelled

    def progress(self, fraction: float) -> None:
        """Report how much is done (0…1); safe from any thread."""
        if self._cancel.is_set():
            return
        try:
            self._relay.progressed.emit(self, float(fraction))
        except RuntimeError:  # the runner is gone: nobody wants the rest
            self._cancel.set()

    def cancel(self) -> None:
        self._cancel.set()


class _Relay(QObject):
    """Lives in the GUI thread; workers emit through it (queued to the GUI)."""

    finished = Signal(object, object, object)  # job, result, error
    progressed = Signal(object, float)


class _Task(QRunnable):
    def __init__(self, job: Job, work: Callable[[Job], Any]) -> None:
        super().__init__()
        self._job = job
        self._work = work

    def run(self) -> None:  # a worker thread
        job = self._job
        result: Any = None
        error: BaseException | None = None
        if job.cancelled():
            error = JobCancelled()
        else:
            try:
                result = self._work(job)
            except JobCancelled as exc:
                error = exc
            except Exception as exc:  # noqa: BLE001 - handed to `failed`
                error = exc
        self._work = None  # drop references held by the closure in this thread
        try:
            job._relay.finished.emit(job, result, error)
        except RuntimeError:
            pass  # the runner was destroyed: there is nobody to tell


_RUNNERS: weakref.WeakSet[JobRunner] = weakref.WeakSet()


class JobRunner(QObject):
    """Runs jobs in its own threads and hands results back to the GUI thread."""

    busyChanged = Signal(bool)
    progressed = Signal(float)
    """Progress (0…1) of the newest job."""

    def __init__(self, parent: QObject | None = None, *, threads: int = 1) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._relay.progressed.connect(self._on_progress)
        self._generation = 0
        self._pending: dict[Job, tuple[Callable, Callable | None]] = {}
        self._busy = False
        self._closed = False
        _RUNNERS.add(self)

    # --- asking ------------------------------------------------------------------
    def submit(
        self,
        work: Callable[[Job], Any],
        done: Callable[[Any], None] = lambda _result: None,
        failed: Callable[[BaseException], None] | None = None,
        *,
        supersede: bool = True,
    ) -> Job | None:
        """Run ``work(job)`` in a worker; ``done(result)`` or ``failed(error)``
        follow in the GUI thread, unless the job was cancelled or superseded
        by then. Returns None once the runner has shut down."""
        if self._closed:
            return None
        if supersede:
            self.cancel()
        job = Job(self._generation, self._relay)
        self._pending[job] = (done, failed)
        self._pool.start(_Task(job, work))
        self._set_busy(True)
        return job

    def cancel(self) -> bool:
        """Cancel every job queued or running (their results will be dropped);
        returns whether there was any."""
        self._generation += 1
        self._pool.clear()
        had = bool(self._pending)
        for job in self._pending:
            job.cancel()
        self._set_busy(False)
        return had

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def busy(self) -> bool:
        """Whether a job of the current generation is queued or running."""
        return self._busy

    @property
    def pending(self) -> int:
        """Jobs whose thread has not reported back yet (cancelled ones included)."""
        return len(self._pending)

    def wait(self, timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
        """Block until the threads are idle (results are delivered later, by
        the event loop); True when they are."""
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self, timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
        """Cancel everything, join the threads, and take no more jobs."""
        self._closed = True
        self.cancel()
        return self._pool.waitForDone(timeout_ms)

    # --- results (GUI thread) ---------------------------------------------------------
    @Slot(object, object, object)
    def _on_finished(self, job: Job, result: Any, error: BaseException | None) -> None:
        callbacks = self._pending.pop(job, None)
        current = not job.cancelled() and job.generation == self._generation
        try:
            if callbacks is None or not current or isinstance(error, JobCancelled):
                return
            done, failed = callbacks
            if error is None:
                done(result)
            elif failed is not None:
                failed(error)
            else:
                raise error
        finally:
            # Idle only once the result is delivered: whoever waits for "not
            # busy" (a screenshot, a test) then sees it in place.
            if not any(j.generation == self._generation for j in self._pending):
                self._set_busy(False)

    @Slot(object, float)
    def _on_progress(self, job: Job, fraction: float) -> None:
        if job.generation == self._generation and not job.cancelled():
            self.progressed.emit(fraction)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)


def shutdown_all(timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
    """Cancel and join every runner's jobs (on quit); True if all stopped."""
    stopped = True
    for runner in list(_RUNNERS):
        try:
            stopped = runner.shutdown(timeout_ms) and stopped
        except RuntimeError:
            pass  # its Qt side is already gone, and its threads with it
    return stopped


def wait_all(timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
    """Wait until no runner has a thread working (tests, between cases)."""
    idle = True
    for runner in list(_RUNNERS):
        try:
            idle = runner.wait(timeout_ms) and idle
        except RuntimeError:
            pass
    return idle
