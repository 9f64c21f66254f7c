"""Which groups of the explorer's graph are folded, and the cursor over the folds.

A graph built with groups (an MLP's layers and neurons, a ``with group``
block) opens folded to the finest level that still fits the window legibly;
a person unfolds a group to look inside, or folds back. The folded set is
state, so it lives here (Qt-free); the view draws the core's
:class:`~graphviz_dl.folding.FoldedGraph` and steps with its
:class:`~graphviz_dl.folding_cursor.FoldedCursor`. A graph with no groups has
no folds and steps exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from psygnal import Signal

from ...folding import FoldedGraph, fold_level
from ...folding_cursor import FoldedCursor

LEVELS = ("none", "neurons", "layers", "top")
"""Fold levels from finest (nothing folded) to coarsest."""

DEFAULT_BUDGET = (8, 9)
"""How many unit columns and rows fit a window legibly, until the view says
how big it really is."""


class FoldsMixin:
    """The fold state of :class:`~.model.ExplorerModel` (mixed into it)."""

    foldedChanged = Signal()
    """The folded groups changed (same program): re-lay out the graph."""

    fold_budget: tuple[int, int] = DEFAULT_BUDGET
    """(unit columns, rows) that fit legibly (set by the view from its size)."""

    def _init_folds(self) -> None:
        self._folded: frozenset = frozenset()
        self._folded_graph = None
        self._folded_layout = None
        self._cursor = None

    # --- reading -----------------------------------------------------------------
    @property
    def group_tree(self):
        """The program's tree of groups, or None when it has no groups."""
        program = self.program
        tree = None if program is None else program.index.groups
        return tree if tree else None

    @property
    def folded(self) -> frozenset:
        """The folded group spans (descendants of a folded span may be listed:
        they show once their folded ancestor opens)."""
        return self._folded

    @property
    def folding(self) -> bool:
        """Whether anything is drawn folded right now."""
        return bool(self._folded)

    def folded_graph(self):
        """The graph as drawn: nodes and folded boxes (None when nothing is folded)."""
        if not self._folded:
            return None
        if self._folded_graph is None:
            self._folded_graph = FoldedGraph(self.program.index, self._folded)
        return self._folded_graph

    def folded_layout(self):
        """Where each unit of :meth:`folded_graph` goes (columns and rows)."""
        if self._folded_layout is None and self.folded_graph() is not None:
            self._folded_layout = self._folded_graph.layout()
        return self._folded_layout

    def cursor(self):
        """The cursor that steps over folded groups (None when nothing is folded)."""
        if not self._folded:
            return None
        if self._cursor is None:
            self._cursor = FoldedCursor(self.program.walk, self._folded)
        return self._cursor

    def shown_span(self, node_position: int):
        """The outermost folded span that hides this node, or None if it is drawn."""
        tree = self.group_tree
        if tree is None or not self._folded:
            return None
        span, hidden_by = tree.innermost[node_position], None
        while span is not None:
            if span in self._folded:
                hidden_by = span
            span = span.parent
        return hidden_by

    def units_at(self, level: str) -> int:
        """How many units the graph would draw folded to ``level``."""
        return 0 if self.program is None else units_at(self.program, level)

    def level_that_fits(self, budget: tuple[int, int] | None = None) -> str:
        """The finest fold level whose drawing fits ``budget`` (unit columns,
        rows; default: the view's), so a fitted graph is never unreadable."""
        if self.program is None:
            return "none"
        budget = self.fold_budget if budget is None else budget
        return choose_folds(self.program, budget).level

    def move_text(self) -> str | None:
        """The cursor's sentence when the last move stepped over a folded group."""
        cursor = self.cursor()
        if cursor is None or self.position == 0:
            return None
        if cursor.move_at(self.position) is None:
            return None
        return cursor.describe(self.position)

    # --- changing ------------------------------------------------------------------
    def set_folded(self, spans: Iterable, prepared=None) -> None:
        """Fold exactly ``spans`` (announced only when that changes);
        ``prepared`` is their ``(FoldedGraph, layout)`` if worked out already
        (in a background job, for a big graph)."""
        spans = frozenset(spans) if self.group_tree is not None else frozenset()
        if spans == self._folded:
            return
        self._folded = spans
        self._folded_graph, self._folded_layout = prepared or (None, None)
        self._cursor = None
        self.foldedChanged.emit()

    def fold_to(self, level: str) -> None:
        """Fold every group of a kind: "none", "neurons", "layers" or "top"."""
        tree = self.group_tree
        if tree is None:
            return
        self.set_folded(fold_level(tree, level))

    def unfold_all(self) -> None:
        self.set_folded(())

    def fold(self, span) -> None:
        """Fold one group (and so hide everything inside it)."""
        self.set_folded(self._folded | {span})

    def unfold(self, span) -> None:
        """Open one group: its subgroups show folded, its own nodes drawn."""
        self.set_folded(self.opened(span))

    def reveal(self, node_position: int) -> None:
        """Unfold what hides a node (a found node deep inside a folded layer)."""
        tree = self.group_tree
        if tree is None or self.shown_span(node_position) is None:
            return
        path, span = set(), tree.innermost[node_position]
        while span is not None:
            path.add(span)
            span = span.parent
        opened = self._folded - path
        for span in path & self._folded:  # their other subgroups stay folded
            opened |= frozenset(c for c in span.children if c not in path)
        self.set_folded(opened)

    def opened(self, span) -> frozenset:
        """The folded set once ``span`` is open (its subgroups folded)."""
        return (self._folded - {span}) | frozenset(span.children)

    def unfolded(self, span) -> frozenset:
        """The folded set once ``span`` and everything inside it are open."""
        return frozenset(
            s
            for s in self._folded
            if not (span.start <= s.start and s.stop <= span.stop)
        )

    def step_into(self, span, prepared=None) -> None:
        """Open ``span`` completely and land on its first step, so the next
        moves walk through it node by node (Enter or a double-click)."""
        old, position = self.cursor(), self.position
        now = old is not None and position > 0 and old.move_at(position) == span
        ahead = old is not None and old.move_at(old.next(position)) == span
        self.set_folded(self.unfolded(span), prepared)
        if now:
            self.set_position(old.prev(position) + 1)
        elif ahead:
            self.set_position(position + 1)

    def _reset_folds(self) -> None:
        """A new program opens folded to the level that fits (no signal);
        the choice may come ready with the program (worked out in its job)."""
        program = self.program
        self._folded = frozenset()
        self._folded_graph = self._folded_layout = self._cursor = None
        if self.group_tree is None:
            return
        choice = getattr(program, "folds", None)
        if choice is None or choice.budget != self.fold_budget:
            choice = choose_folds(program, self.fold_budget)
        self._folded = choice.spans
        if choice.spans:
            self._folded_graph, self._folded_layout = choice.folded, choice.layout

    def _next_stop(self, position: int) -> int:
        cursor = self.cursor()
        return position + 1 if cursor is None else cursor.next(position)

    def _previous_stop(self, position: int) -> int:
        cursor = self.cursor()
        return position - 1 if cursor is None else cursor.prev(position)


@dataclass(frozen=True)
class FoldChoice:
    """The fold level a program opens at, with its folded graph laid out."""

    budget: tuple[int, int]
    level: str
    spans: frozenset
    folded: object = None
    layout: object = None


def units_at(program, level: str) -> int:
    """How many units ``program``'s graph draws folded to ``level``."""
    tree = program.index.groups
    if not tree:
        return len(program.index)
    return len(program.index) - sum(
        len(span) - 1 for span in _outermost(fold_level(tree, level))
    )


def choose_folds(program, budget: tuple[int, int]) -> FoldChoice:
    """The finest level whose drawing fits ``budget`` (unit columns, rows).
    When none does, the coarsest that still draws more than one unit (a
    single box of the whole network tells nothing). Qt-free, so a loading
    job can run it."""
    tree = program.index.groups
    if not tree:
        return FoldChoice(budget, "none", frozenset())
    columns, rows = budget
    fallback = None
    for level in LEVELS:
        if units_at(program, level) > max(columns * rows, 1) and level != "top":
            continue  # too many to fit whatever the layout
        spans = frozenset(fold_level(tree, level))
        folded = FoldedGraph(program.index, spans) if spans else None
        layout = program.layout if folded is None else folded.layout()
        choice = FoldChoice(budget, level, spans, folded, layout)
        single = folded is not None and len(folded.units) == 1
        if _fits(layout, columns, rows) and not (single and fallback is not None):
            return choice
        if folded is not None and (fallback is None or len(folded.units) > 1):
            fallback = choice
    if fallback is None:  # only when nothing at all can be folded
        return FoldChoice(budget, "none", frozenset())
    return fallback


def _fits(layout, columns: int, rows: int) -> bool:
    """Whether a layout (value columns are even) fits columns × rows of units."""
    return layout.width / 2 + 1 <= columns and layout.height + 1 <= rows


def _outermost(spans: Iterable) -> list:
    """The spans not inside another of ``spans``."""
    spans = set(spans)
    result = []
    for span in spans:
        parent = span.parent
        while parent is not None and parent not in spans:
            parent = parent.parent
        if parent is None:
            result.append(span)
    return result
