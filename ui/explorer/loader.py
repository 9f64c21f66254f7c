"""Preparing programs for the explorer: small ones at once, big ones as a job.

A big program's walkthrough and layout take seconds, so they are worked out
by the explorer's :class:`~ui.common.jobs.JobRunner` while the window stays
responsive, with progress, a Stop button, and only the latest request ever
delivered (a load the person moved on from is cancelled and its late result
dropped).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from graphviz_dl.engine import Value
from graphviz_dl.expr import parse
from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.labs.explorer.folds import choose_folds
from graphviz_dl.labs.explorer.program import output_of, prepare_values
from ui.common.jobs import JobRunner

LARGE_GRAPH = 300
"""Above this many value nodes a program is prepared in the background."""


class ProgramLoader(QObject):
    """Turns program text or built Values into a ready :class:`Program`."""

    loaded = Signal(object)
    """A :class:`~graphviz_dl.labs.explorer.program.Program` ready to show."""
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
        """Parse now (so errors come back at once) and prepare the rest."""
        self.load_values(parse(source), source)

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
            if budget is not None:  # a grouped graph opens folded: lay that out here
                program.folds = choose_folds(program, budget)
            return program

        self.runner.submit(work, self.loaded.emit, self._on_failed)

    def cancel(self) -> bool:
        """Forget any load under way (its result will be dropped); True if
        there was one."""
        return self.runner.cancel()

    def shutdown(self) -> None:
        """Cancel and join the load under way, and take no more."""
        self.runner.shutdown()

    def _on_failed(self, error: BaseException) -> None:
        self.failed.emit(f"{type(error).__name__}: {error}")
