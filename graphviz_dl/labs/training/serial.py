"""How the training model hands work to a thread, and a stand-in without one.

The model only needs a serial queue of jobs: ``submit(work, done, failed,
supersede=False)`` runs ``work(job)`` after what is queued and later calls
``done(result)`` (or ``failed(error)``) where the model lives; ``cancel()``
drops what is queued and tells what runs to stop; ``wait()`` blocks until
nothing runs. The app's :class:`ui.common.jobs.JobRunner` with one thread is
exactly that. :class:`SerialQueue` is the same contract run by hand, in the
caller's thread: for scripts and for tests of the model without Qt.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any, Protocol


class JobHandle(Protocol):
    def cancelled(self) -> bool: ...

    def progress(self, fraction: float) -> None: ...


class Runner(Protocol):
    """What the model needs from a job runner (``JobRunner`` fits it)."""

    def submit(
        self,
        work: Callable[[Any], Any],
        done: Callable[[Any], None] = ...,
        failed: Callable[[BaseException], None] | None = None,
        *,
        supersede: bool = True,
    ) -> object: ...

    def cancel(self) -> bool: ...

    def wait(self, timeout_ms: int = ...) -> bool: ...

    @property
    def busy(self) -> bool: ...


class _Job:
    __slots__ = ("_cancelled",)

    def __init__(self) -> None:
        self._cancelled = False

    def cancelled(self) -> bool:
        return self._cancelled

    def progress(self, fraction: float) -> None:
        """Nobody watches a job run by hand."""


class SerialQueue:
    """A job queue run in the caller's thread by :meth:`run_next` or :meth:`wait`."""

    def __init__(self) -> None:
        self._queue: deque = deque()

    def submit(
        self,
        work: Callable[[Any], Any],
        done: Callable[[Any], None] = lambda _result: None,
        failed: Callable[[BaseException], None] | None = None,
        *,
        supersede: bool = True,
    ) -> _Job:
        if supersede:
            self.cancel()
        job = _Job()
        self._queue.append((job, work, done, failed))
        return job

    def cancel(self) -> bool:
        had = bool(self._queue)
        for job, *_ in self._queue:
            job._cancelled = True
        self._queue.clear()
        return had

    @property
    def busy(self) -> bool:
        return bool(self._queue)

    @property
    def pending(self) -> int:
        return len(self._queue)

    def run_next(self) -> bool:
        """Run the oldest job and its callback; False when there was none."""
        if not self._queue:
            return False
        job, work, done, failed = self._queue.popleft()
        try:
            result = work(job)
        except Exception as error:
            if failed is None:
                raise
            failed(error)
        else:
            done(result)
        return True

    def wait(self, timeout_ms: int = 0, limit: int = 10_000) -> bool:
        """Run queued jobs (and the jobs their callbacks queue) until none is
        left, at most ``limit`` of them; True when the queue is empty."""
        for _ in range(limit):
            if not self.run_next():
                return True
        return not self._queue
