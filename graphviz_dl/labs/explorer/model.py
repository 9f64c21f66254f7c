"""The graph explorer's state: one program, its walkthrough, and a cursor over it.

Views never compute anything: they read this model and listen to its psygnal
signals. The model owns the current :class:`~.program.Program`, the step
position, the selected node, the search and the latest gradient check. Every
change is announced once, and only when something really changed. Signals
are emitted in the thread that calls the method: the app calls it only from
the GUI thread (a background load hands its result back there first).
"""

from __future__ import annotations

import numpy as np
from psygnal import Signal

from ...engine import Value, recompute
from ...node_gradcheck import NodeCheck, check_every_node, summarize_nodes
from ...non_finite import NonFinite
from ...unfuse import copy_graph
from ...walkthrough import Step, Walkthrough, walkthrough
from .folds import FoldsMixin
from .program import Program, leaf_edit_source

RECHECK_LIMIT = 150
"""Up to this many nodes a leaf edit re-runs the gradient check at once."""


class ExplorerModel(FoldsMixin):
    """The current program and the walkthrough cursor, with change signals."""

    programChanged = Signal()
    """A different program (new structure): rebuild everything."""
    valuesChanged = Signal()
    """Same structure, new numbers (a leaf was edited)."""
    positionChanged = Signal(int, int)
    """(old, new) step position."""
    selectionChanged = Signal(object)
    """The selected node id, or None."""
    gradChecksChanged = Signal()
    sourceChanged = Signal(str)

    def __init__(self) -> None:
        self._program: Program | None = None
        self._position = 0
        self._selected: str | None = None
        self._checks: dict[str, NodeCheck] = {}
        self._non_finite: NonFinite | None = None
        self._constant_grads = False
        self._known = np.zeros(0, dtype=bool)
        self._grads = np.zeros(0)
        self._grad_known = np.zeros(0, dtype=bool)
        self._init_folds()

    # --- reading ---------------------------------------------------------------
    @property
    def program(self) -> Program | None:
        return self._program

    @property
    def walk(self) -> Walkthrough | None:
        return None if self._program is None else self._program.walk

    @property
    def source(self) -> str:
        return "" if self._program is None else self._program.source

    @property
    def position(self) -> int:
        return self._position

    @property
    def length(self) -> int:
        """How many steps the walkthrough has (positions run 0..length)."""
        return 0 if self._program is None else len(self._program.walk)

    @property
    def selected(self) -> str | None:
        return self._selected

    @property
    def grad_checks(self) -> dict[str, NodeCheck]:
        return self._checks

    @property
    def non_finite(self) -> NonFinite | None:
        """The first node that is not a number, why, and what follows from it."""
        return self._non_finite

    def non_finite_mark(self, node_id: str) -> str | None:
        """ "first" for the node where numbers stop, "downstream" for a node
        computed from it, else None: what a view marks."""
        origin = self._non_finite
        if origin is None:
            return None
        if node_id == origin.node:
            return "first"
        return "downstream" if node_id in origin.downstream else None

    def current_step(self) -> Step | None:
        """The step just done (the one the panel explains), None at the start."""
        if self._program is None or self._position == 0:
            return None
        return self._program.walk.steps[self._position - 1]

    def known(self) -> np.ndarray:
        """For each node (by position) whether its value is computed here."""
        return self._known

    def grads(self) -> np.ndarray:
        """Each node's gradient at this position (nan: not reached yet)."""
        return self._grads

    def grad_known(self) -> np.ndarray:
        """For each node whether a gradient reached it (tells nan from "none yet")."""
        return self._grad_known

    def position_of(self, node_id: str) -> int:
        """Where ``node_id`` stands in the program's index (and in the arrays)."""
        return self._program.index.position_of(node_id)

    def node(self, node_id: str) -> Value:
        return self._program.index.node(node_id)

    def name(self, node_id: str) -> str:
        return self._program.walk.name(node_id)

    def is_leaf(self, node_id: str) -> bool:
        return self._program is not None and node_id in self._program.leaf_ids

    def find(self, text: str) -> str | None:
        """The node whose name best matches ``text`` (exact, prefix, then substring)."""
        if self._program is None or not text.strip():
            return None
        wanted = text.strip().casefold()
        walk = self._program.walk
        names = [(i, walk.name(i).casefold()) for i in self._program.index.ids]
        for accept in (
            lambda n, i: n == wanted or i == wanted,
            lambda n, i: n.startswith(wanted),
            lambda n, i: wanted in n,
        ):
            for node_id, name in names:
                if accept(name, node_id):
                    return node_id
        return None

    # --- changing --------------------------------------------------------------
    def set_program(self, program: Program | None, position: int = 0) -> None:
        """Show ``program`` (from :func:`~.program.prepare_program`) at ``position``."""
        if program is not None and program.walk.constant_grads != self._constant_grads:
            program.walk = walkthrough(
                program.index, constant_grads=self._constant_grads
            )
        self._program = program
        self._checks = {}
        self._selected = None
        self._non_finite = None if program is None else program.non_finite_origin()
        old = self._position
        self._position = max(0, min(position, self.length))
        self._refresh_arrays()
        self._reset_folds()
        self.programChanged.emit()
        self.sourceChanged.emit(self.source)
        if old != self._position:
            self.positionChanged.emit(old, self._position)

    def set_position(self, position: int) -> None:
        """Move the cursor (clamped to 0..length); announces only a real move."""
        position = max(0, min(int(position), self.length))
        if position == self._position:
            return
        old = self._position
        self._position = position
        self._refresh_arrays()
        self.positionChanged.emit(old, position)

    def step_forward(self) -> None:
        """The next step, or past a whole folded group in one move."""
        self.set_position(self._next_stop(self._position))

    def step_back(self) -> None:
        self.set_position(self._previous_stop(self._position))

    def go_first(self) -> None:
        self.set_position(0)

    def go_last(self) -> None:
        self.set_position(self.length)

    def select(self, node_id: str | None) -> None:
        if node_id == self._selected:
            return
        self._selected = node_id
        self.selectionChanged.emit(node_id)

    def set_leaf_value(
        self, node_id: str, value: float, source: str | None = None
    ) -> None:
        """Give a leaf a new value; re-run forward and backward, keep the position.

        ``source`` is the program text to show afterwards; by default the leaf's
        literal is rewritten in place (or the program regenerated).
        """
        program = self._program
        if program is None or node_id not in program.leaf_ids:
            raise ValueError(f"{node_id} is not a leaf: only inputs can be edited")
        node = self.node(node_id)
        value = float(value)
        if source is None:
            source = leaf_edit_source(program, node_id, value)
        had_checks = bool(self._checks)
        node.data = value
        recompute(program.root, program.index.nodes)
        program.walk = walkthrough(program.index, constant_grads=self._constant_grads)
        program.source = source
        self._cursor = None  # its sentences read the old walkthrough's numbers
        self._non_finite = program.non_finite_origin()
        self._refresh_arrays()
        if self._checks:  # kept in step, or dropped where redoing them is slow
            if program.size <= RECHECK_LIMIT:
                self._run_checks()
            else:
                self._checks = {}
        self.valuesChanged.emit()
        self.sourceChanged.emit(source)
        if had_checks:
            self.gradChecksChanged.emit()

    @property
    def constant_grads(self) -> bool:
        """Whether constants get backward steps (off: only named values do)."""
        return self._constant_grads

    def set_constant_grads(self, on: bool) -> None:
        """Give constants backward steps (or not), staying on the same step."""
        on = bool(on)
        if on == self._constant_grads:
            return
        self._constant_grads = on
        program = self._program
        if program is None:
            return
        step = self.current_step()
        program.walk = walkthrough(program.index, constant_grads=on)
        self._cursor = None  # its stops were the old walkthrough's positions
        old, self._position = self._position, 0
        if step is not None:
            self._position = next(
                (
                    s.index + 1
                    for s in program.walk.steps
                    if (s.phase, s.node, s.inputs, s.operand)
                    == (step.phase, step.node, step.inputs, step.operand)
                ),
                min(old, self.length),
            )
        self._refresh_arrays()
        self.valuesChanged.emit()
        self.positionChanged.emit(old, self._position)

    def check_gradients(self) -> list[NodeCheck]:
        """Compare every node's gradient with a central finite difference."""
        if self._program is None:
            return []
        results = self._run_checks()
        self.gradChecksChanged.emit()
        return results

    def check_summary(self) -> str:
        """One sentence on the latest gradient check, for the status bar."""
        if self._program is None:
            return "Nothing to check: build a program first"
        return summarize_nodes(list(self._checks.values()))

    def set_grad_checks(self, results: list[NodeCheck]) -> None:
        """Show checks worked out elsewhere (a background job on a copy)."""
        self._checks = {check.node: check for check in results}
        self.gradChecksChanged.emit()

    def check_task(self):
        """A function ``(progress, cancelled) -> checks`` that checks a COPY
        of the graph (same ids and names), safe to run off the GUI thread
        while the shown graph stays as it is."""
        program = self._program
        copy = copy_graph(program.index)
        ids, name = program.index.ids, program.walk.name

        def task(progress=None, cancelled=None) -> list[NodeCheck]:
            return check_every_node(
                copy,
                progress=progress,
                cancelled=cancelled,
                name_of=lambda i: name(ids[i]),
            )

        return task

    def clear_checks(self) -> None:
        if self._checks:
            self._checks = {}
            self.gradChecksChanged.emit()

    def _run_checks(self) -> list[NodeCheck]:
        ids, name = self._program.index.ids, self._program.walk.name
        results = check_every_node(self._program.index, name_of=lambda i: name(ids[i]))
        self._checks = {check.node: check for check in results}
        return results

    def _refresh_arrays(self) -> None:
        if self._program is None:
            self._known = np.zeros(0, dtype=bool)
            self._grads = np.zeros(0)
            self._grad_known = np.zeros(0, dtype=bool)
            return
        walk = self._program.walk
        self._known = np.asarray(walk.value_known(self._position), dtype=bool)
        grads, known = walk.grad_state(self._position)
        self._grads = np.asarray(grads, dtype=np.float64)
        self._grad_known = np.asarray(known, dtype=bool)
