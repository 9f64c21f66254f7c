"""The training lab's timeline: showing a snapshot of the run, going on
from it, and keeping finished runs to compare (a mixin of
:class:`.model.TrainingModel`)."""

from __future__ import annotations

from ...training import RunRecord
from .frames import render_frame
from .runs import MAX_KEPT, run_label


class Timeline:
    """Rewind to a snapshot, continue from it, keep runs."""

    def view_snapshot(self, index: int | None) -> None:
        """Show snapshot ``index`` (None or past the last: the live run)."""
        snapshots = self._trainer.snapshots
        if index is not None and not 0 <= index < len(snapshots):
            index = None
        if index == self._view:
            return
        if index is not None:
            self.set_playing(False)
        self._view = index
        params = None if index is None else snapshots[index].weights
        self._frame = render_frame(
            self._trainer, self._generation, self._options, params, index
        )
        self.viewChanged.emit()
        self.frameShown.emit()

    def continue_from_view(self) -> None:
        """Rewind the run to the snapshot shown (later steps are forgotten)."""
        self._leave_view()

    def _leave_view(self) -> None:
        index = self._view
        if index is None:
            return
        self._view = None
        snapshot = self._trainer.snapshots[index]
        self._submit(lambda t, _job: t.restore(index))
        self.viewChanged.emit()
        if snapshot.config is not None and snapshot.config != self._config:
            self._config = snapshot.config  # the settings in effect back then
            self.configChanged.emit()

    def keep_run(self, label: str = "") -> RunRecord:
        """Keep this run's curves to compare later runs with."""
        record = self._trainer.keep(
            label or run_label(self._trainer.config, self._spec.title)
        )
        self._kept.append(record)
        del self._kept[:-MAX_KEPT]
        self.keptChanged.emit()
        return record

    def _keep_finished_run(self) -> None:
        """Keep the run that a new one replaces, when it trained at all."""
        if self._trainer.step > 0:
            self.keep_run()

    def clear_kept(self) -> None:
        if self._kept:
            self._kept.clear()
            self.keptChanged.emit()
