"""Folding and unfolding for the explorer lab: the View menu's actions, the
graph's context menu, and requests from the view, turned into model changes.

A small graph refolds at once; a big one (where laying the folded graph out
could take more than a tenth of a second) is laid out by a background job
with progress in the graph panel, and only the latest request is applied.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from graphviz_dl.folding import FoldedGraph, fold_level
from ui.common.jobs import JobRunner
from ui.explorer.actions import make_action

BIG_GRAPH = 12_000
"""From this many nodes a refold is laid out in a background job."""


class FoldController(QObject):
    """Owns the folding actions and the job that lays out a big refold."""

    def __init__(self, lab) -> None:
        super().__init__(lab)
        self.lab = lab
        self.model = lab.model
        self.view = lab.graph_view
        self.runner = JobRunner(self)
        panel = lab.graph_panel
        self.runner.busyChanged.connect(lambda busy: panel.set_busy(busy, "folding…"))
        self.runner.progressed.connect(panel.set_progress)
        self.view.foldRequested.connect(self.request)
        self.view.stepIntoRequested.connect(self.step_into)
        self.view.fold_menu = self.context_menu
        self.actions = self._make_actions(lab)
        self.model.programChanged.connect(self._update_actions)
        lab.loader.fold_budget = self.model.fold_budget
        self.view.budgetChanged.connect(
            lambda budget: setattr(lab.loader, "fold_budget", budget)
        )
        self._update_actions()

    def _make_actions(self, lab) -> dict[str, QAction]:
        def act(name, text, slot, tip, shortcut=None) -> QAction:
            return make_action(lab, name, text, slot, shortcut, tip)

        return {
            "unfoldAll": act(
                "unfoldAll",
                "&Unfold all",
                lambda: self.fold_to("none"),
                "Draw every node of the graph",
            ),
            "foldLayers": act(
                "foldLayers",
                "Fold to &layers",
                lambda: self.fold_to("layers"),
                "One box per layer (click a box to open it)",
            ),
            "foldNeurons": act(
                "foldNeurons",
                "Fold to &neurons",
                lambda: self.fold_to("neurons"),
                "One box per neuron (click a box to open it)",
            ),
            "stepInto": act(
                "stepIntoGroup",
                "Step &into group",
                self.step_into_ahead,
                "Open the folded group being stepped over and walk it node by node"
                " (Enter on the graph)",
            ),
        }

    def view_actions(self) -> list[QAction]:
        """For the View menu."""
        a = self.actions
        return [a["unfoldAll"], a["foldLayers"], a["foldNeurons"]]

    def _update_actions(self) -> None:
        grouped = self.model.group_tree is not None
        for action in self.actions.values():
            action.setEnabled(grouped)

    # --- requests ------------------------------------------------------------------
    def fold_to(self, level: str) -> None:
        tree = self.model.group_tree
        if tree is None:
            self.lab.show_message("This graph has no groups to fold")
            return
        self.request(fold_level(tree, level))

    def request(self, spans, anchor=None) -> None:
        """Fold exactly ``spans``: now, or after a background layout."""
        self._apply(frozenset(spans), self.model.set_folded)

    def step_into(self, span) -> None:
        """Open ``span`` completely and walk into it node by node."""
        spans = self.model.unfolded(span)
        self._apply(
            spans, lambda s, prepared=None: self.model.step_into(span, prepared)
        )
        self.lab.show_message(f"Inside {span.name}: → steps node by node")

    def step_into_ahead(self) -> None:
        span = self.view.group_ahead()
        if span is None:
            self.lab.show_message("No folded group at this step to step into")
            return
        self.step_into(span)

    def _apply(self, spans: frozenset, apply) -> None:
        model = self.model
        program = model.program
        if program is None:
            return
        laid_out = getattr(program.layout, "ready", True)
        if len(program.index) < BIG_GRAPH or (not spans and laid_out):
            self.runner.cancel()
            apply(spans)
            return
        index = program.index

        def work(job):
            if not spans:  # every node drawn: the whole graph's layout
                program.layout.get()
                return None
            folded = FoldedGraph(index, spans)
            job.check()
            return folded, folded.layout(progress=job.progress, cancelled=job.cancelled)

        def done(prepared) -> None:
            if model.program is program:
                apply(spans, prepared)

        self.runner.submit(work, done, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.lab.show_message(f"Could not fold: {type(error).__name__}: {error}", 0)

    # --- the graph's context menu ------------------------------------------------
    def context_menu(self, span_under, node_position) -> QMenu | None:
        """Fold or unfold what is under the pointer, and the three levels."""
        model = self.model
        tree = model.group_tree
        if tree is None:
            return None
        menu = QMenu(self.view)
        if span_under is not None:
            menu.addAction(
                f"Unfold “{span_under.name}”",
                lambda: self.request(model.opened(span_under)),
            )
            menu.addAction(
                f"Step into “{span_under.name}”", lambda: self.step_into(span_under)
            )
        elif node_position is not None:
            span = tree.innermost[node_position]
            while span is not None:
                menu.addAction(
                    f"Fold “{span.name}”",
                    lambda s=span: self.request(model.folded | {s}),
                )
                span = span.parent
        menu.addSeparator()
        menu.addActions(self.view_actions())
        return menu

    def shutdown(self) -> None:
        self.runner.shutdown()
