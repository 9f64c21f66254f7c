"""The graph explorer's model: one program, its walkthrough, and a cursor over it.

Views never compute anything: they read this model and listen to its signals.
The model owns the current :class:`Program` (source text, the Values it built,
the step-by-step record and the layout), the step position, the selected node
and the latest gradient check. Every change is announced once, and only when
something really changed.

Big graphs are prepared by :class:`ProgramLoader` in a worker thread, so the
window stays responsive while the walkthrough and the layout are computed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from graphviz_dl import engine
from graphviz_dl.engine import Value
from graphviz_dl.expr import parse
from graphviz_dl.gradcheck import GradCheck, check_gradients
from graphviz_dl.layout import Layout, layered_layout
from graphviz_dl.numfmt import format_number
from graphviz_dl.program import to_program
from graphviz_dl.walkthrough import Step, Walkthrough, walkthrough

LARGE_GRAPH = 300
"""Above this many value nodes a program is prepared in a worker thread."""


@dataclass
class Program:
    """A built program and everything derived from it (structure never changes)."""

    source: str
    values: dict[str, Value]
    root: Value
    walk: Walkthrough
    layout: Layout
    leaf_ids: frozenset[str] = field(default=frozenset())

    @property
    def size(self) -> int:
        return len(self.walk.nodes)


def prepare_program(source: str) -> Program:
    """Parse ``source`` and derive its walkthrough and layout.

    Raises :class:`graphviz_dl.expr.ExpressionError` for a program that does
    not parse; nothing is changed then.
    """
    return prepare_values(parse(source), source)


def prepare_values(values: dict[str, Value], source: str | None = None) -> Program:
    """The :class:`Program` for already-built Values (the last one is the output)."""
    if not values:
        raise ValueError("the program assigns nothing: write at least one line")
    root = list(values.values())[-1]
    walk = walkthrough(root)
    layout = layered_layout(root)
    leaves = frozenset(f"n{i}" for i, n in enumerate(walk.nodes) if n.is_leaf)
    return Program(
        source=to_program(root) if source is None else source,
        values=dict(values),
        root=root,
        walk=walk,
        layout=layout,
        leaf_ids=leaves,
    )


class ExplorerModel(QObject):
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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._program: Program | None = None
        self._position = 0
        self._selected: str | None = None
        self._checks: dict[str, GradCheck] = {}
        self._known = np.zeros(0, dtype=bool)
        self._grads = np.zeros(0)
        self._grad_known = np.zeros(0, dtype=bool)

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
    def grad_checks(self) -> dict[str, GradCheck]:
        return self._checks

    def current_step(self) -> Step | None:
        """The step just done (the one the panel explains), None at the start."""
        if self._program is None or self._position == 0:
            return None
        return self._program.walk.steps[self._position - 1]

    def known(self) -> np.ndarray:
        """For each node (by index) whether its value is computed at this position."""
        return self._known

    def grads(self) -> np.ndarray:
        """Each node's gradient at this position (nan: not reached yet)."""
        return self._grads

    def grad_known(self) -> np.ndarray:
        """For each node whether a gradient has reached it (tells nan from "none yet")."""
        return self._grad_known

    def node(self, node_id: str) -> Value:
        return self._program.walk.nodes[_index(node_id)]

    def name(self, node_id: str) -> str:
        return self._program.walk.name(node_id)

    def is_leaf(self, node_id: str) -> bool:
        return self._program is not None and node_id in self._program.leaf_ids

    def find(self, text: str) -> str | None:
        """The node whose label best matches ``text`` (exact, prefix, then substring)."""
        if self._program is None or not text.strip():
            return None
        wanted = text.strip().casefold()
        walk = self._program.walk
        names = [
            (f"n{i}", walk.name(f"n{i}").casefold()) for i in range(len(walk.nodes))
        ]
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
        """Show ``program`` (from :func:`prepare_program`) at ``position``."""
        self._program = program
        self._checks = {}
        self._selected = None
        old = self._position
        self._position = max(0, min(position, self.length))
        self._refresh_arrays()
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
        self.set_position(self._position + 1)

    def step_back(self) -> None:
        self.set_position(self._position - 1)

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
        node.data = value
        engine.recompute(program.root, program.walk.nodes)
        program.walk = walkthrough(program.root)
        program.source = source
        self._refresh_arrays()
        if self._checks:
            self._run_checks()
        self.valuesChanged.emit()
        self.sourceChanged.emit(source)
        if self._checks:
            self.gradChecksChanged.emit()

    def check_gradients(self) -> list[GradCheck]:
        """Compare every leaf's gradient with a central finite difference."""
        if self._program is None:
            return []
        results = self._run_checks()
        self.gradChecksChanged.emit()
        return results

    def clear_checks(self) -> None:
        if self._checks:
            self._checks = {}
            self.gradChecksChanged.emit()

    def _run_checks(self) -> list[GradCheck]:
        results = check_gradients(self._program.root)
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
        self._grads = np.asarray(walk.grads(self._position), dtype=np.float64)
        self._grad_known = np.asarray(walk.grad_known(self._position), dtype=bool)


def _index(node_id: str) -> int:
    return int(node_id[1:])


def leaf_edit_source(program: Program, node_id: str, value: float) -> str:
    """The program text after a leaf edit: the literal rewritten where it stands.

    A leaf assigned on its own line (``x = 2.0``) keeps the rest of the text as
    the person wrote it; any other leaf (a constant inside an expression) is
    written back through :func:`graphviz_dl.program.to_program` after the edit.
    """
    name = program.walk.name(node_id)
    edited = replace_assignment_literal(program.source, name, value)
    if edited is not None:
        return edited
    node = program.walk.nodes[_index(node_id)]
    old = node.data
    node.data = value
    try:
        return to_program(program.root)
    finally:
        node.data = old


def replace_assignment_literal(source: str, name: str, value: float) -> str | None:
    """``source`` with the number in ``name = <number>`` replaced, or None if absent.

    Only a line that assigns a bare number (and maybe a comment) is touched.
    """
    pattern = re.compile(
        rf"^(\s*{re.escape(name)}\s*=\s*)({_NUMBER})(\s*(?:#.*)?)$", re.IGNORECASE
    )
    lines = source.splitlines(keepends=True)
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        match = pattern.match(body)
        if match is not None:
            ending = line[len(body) :]
            lines[index] = f"{match[1]}{_literal(value)}{match[3]}{ending}"
            return "".join(lines)
    return None


_NUMBER = r"[-+\u2212]?(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|inf|nan)"


def _literal(value: float) -> str:
    """A literal the expression language reads back exactly."""
    if math.isfinite(value):
        return repr(float(value))
    return format_number(value)


class _LoadSignals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _LoadJob(QRunnable):
    def __init__(self, generation: int, values: dict[str, Value], source: str | None):
        super().__init__()
        self.generation = generation
        self.values = values
        self.source = source
        self.signals = _LoadSignals()

    def run(self) -> None:  # runs in a worker thread
        try:
            program = prepare_values(self.values, self.source)
        except Exception as exc:  # noqa: BLE001 - reported to the person, never lost
            self.signals.failed.emit(self.generation, f"{type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(self.generation, program)


class ProgramLoader(QObject):
    """Prepares programs: small ones at once, big ones in a worker thread.

    Only the latest request is delivered: a result that arrives after the
    person asked for something else is dropped.
    """

    loaded = Signal(object)
    """A :class:`Program` ready to show."""
    failed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, threshold: int = LARGE_GRAPH):
        super().__init__(parent)
        self.threshold = threshold
        self._generation = 0
        self._busy = False
        self._jobs: set[_LoadJob] = set()

    @property
    def busy(self) -> bool:
        """Whether the latest request is still being prepared."""
        return self._busy

    @property
    def pending(self) -> int:
        """Workers whose result has not come back yet (stale ones included)."""
        return len(self._jobs)

    def load_source(self, source: str) -> None:
        """Parse now (so errors come back at once) and prepare the rest."""
        self.load_values(parse(source), source)

    def load_values(self, values: dict[str, Value], source: str | None = None) -> None:
        self._generation += 1
        if not values:
            raise ValueError("the program assigns nothing: write at least one line")
        root = list(values.values())[-1]
        if len(engine.topological_order(root)) <= self.threshold:
            self._set_busy(False)
            self.loaded.emit(prepare_values(values, source))
            return
        job = _LoadJob(self._generation, values, source)
        job.setAutoDelete(False)
        job.signals.done.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self._jobs.add(job)
        self._set_busy(True)
        QThreadPool.globalInstance().start(job)

    def cancel(self) -> None:
        """Forget any load under way (its result will be dropped)."""
        self._generation += 1
        self._set_busy(False)

    @Slot(int, object)
    def _on_done(self, generation: int, program: Program) -> None:
        self._forget(generation)
        if generation == self._generation:
            self._set_busy(False)
            self.loaded.emit(program)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        self._forget(generation)
        if generation == self._generation:
            self._set_busy(False)
            self.failed.emit(message)

    def _forget(self, generation: int) -> None:
        self._jobs = {job for job in self._jobs if job.generation != generation}

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)
