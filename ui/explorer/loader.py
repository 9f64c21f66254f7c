"""Preparing programs for the explorer: small ones at once, big ones as a job.

A big program's building, walkthrough and layout take seconds, so they are
worked out by the explorer's :class:`~ui.common.jobs.JobRunner` while the
window stays responsive, with progress, a Stop button, and only the latest
request ever delivered (a load the person moved on from is cancelled and its
late result dropped). A short program is built at once, so its errors come
back before :meth:`ProgramLoader.load_source` returns; a long text, or one
whose loops take more than a moment, is built in the job and its error comes
back through ``refused``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from graphviz_dl.engine import Value
from graphviz_dl.expr import ExpressionError, OverBudget, parse
from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.labs.explorer.folds import choose_folds
from graphviz_dl.labs.explorer.program import (
    output_of,
    prepare_program,
    prepare_values,
)
from ui.common.jobs import JobRunner

LARGE_GRAPH = 300
"""Above this many value nodes a program is prepared in the background."""
QUICK_CHARS = 20_000
"""A program text longer than this is built in the background (Python's own
parse of it alone takes a noticeable moment)."""
QUICK_STEPS = 10_000
"""Building steps tried on the GUI thread (a few milliseconds) before the
program is built in the background instead."""


class ProgramLoader(QObject):
    """Turns program text or built Values into a ready :class:`Program`."""

    loaded = Signal(object)
    """A :class:`~graphviz_dl.labs.explorer.program.Program` ready to show."""
    refused = Signal(object)
    """The :class:`~graphviz_dl.expr.ExpressionError` of a program built in
    the background (a short program's error is raised by ``load_source``)."""
    failed = Signal(str)
    busyChanged = Signal(bool)
    progressed = Signal(float)

    def __init__(self, parent: QObject | None = None, threshold: int = LARGE_GRAPH):
        super().__init__(parent)
        self.threshold = threshold
        self.fold_budget: tuple[int, int] | None = None
        """(unit columns, rows) the view holds: a big grouped graph's folds
        are chosen and laid out in the loading job."""
        self.runner = JobRunner(self)
        self.runner.busyChanged.connect(self.busyChanged)
        self.runner.progressed.connect(self.progressed)

    @property
    def busy(self) -> bool:
        """Whether the latest request is still being prepared."""
        return self.runner.busy

    @property
    def pending(self) -> int:
        """Jobs whose result has not come back yet (cancelled ones included)."""
        return self.runner.pending

    def load_source(self, source: str) -> None:
        """Build a short program now (its :class:`ExpressionError` is raised
        here, at once) and prepare the rest; build a long one in the job."""
        if len(source) <= QUICK_CHARS:
            try:
                values = parse(source, budget=QUICK_STEPS)
            except OverBudget:
                pass  # a long loop: built in the job below
            else:
                self.load_values(values, source)
                return

        budget = self.fold_budget

        def work(job):
            program = prepare_program(
                source, progress=job.progress, cancelled=job.cancelled
            )
            return _with_folds(program, budget)

        self.runner.submit(work, self.loaded.emit, self._on_failed)

    def load_values(self, values: dict[str, Value], source: str | None = None) -> None:
        """Prepare ``values`` (the last is the output); a small graph is
        delivered before this returns, a big one later through ``loaded``."""
        self.runner.cancel()
        index = GraphIndex(output_of(values))
        if len(index) <= self.threshold:
            self.loaded.emit(prepare_values(values, source, index=index))
            return

        budget = self.fold_budget

        def work(job):
            program = prepare_values(
                values,
                source,
                progress=job.progress,
                cancelled=job.cancelled,
                index=index,
            )
            return _with_folds(program, budget)

        self.runner.submit(work, self.loaded.emit, self._on_failed)

    def cancel(self) -> bool:
        """Forget any load under way (its result will be dropped); True if
        there was one."""
        return self.runner.cancel()

    def shutdown(self) -> None:
        """Cancel and join the load under way, and take no more."""
        self.runner.shutdown()

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, ExpressionError):
            self.refused.emit(error)
            return
        self.failed.emit(f"{type(error).__name__}: {error}")


def _with_folds(program, budget: tuple[int, int] | None):
    """A grouped graph opens folded: its folds are chosen and laid out in the job."""
    if budget is not None:
        program.folds = choose_folds(program, budget)
    return program
