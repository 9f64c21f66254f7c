"""The forward and backward pass of a graph, one step at a time, as plain data.

A view only moves a cursor over :attr:`Walkthrough.steps`; stepping back is
asking for an earlier position. The numbers are worked out here from each
node's ``data`` and ``local_grads`` (never from grads already in the nodes),
in the same order as :meth:`Value.backward`, so the final gradients are equal.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .cancel import CancelCheck, stop_if
from .engine import Value
from .gc_pause import cycle_collector_paused
from .graph_index import GraphIndex
from .numfmt import format_number
from .ops import Op

FORWARD, SEED, BACKWARD = "forward", "seed", "backward"
_LOOK_EVERY = 511
"""Nodes between two looks at ``cancelled()`` (a mask: every 512th)."""

_NEGATIVE_AMBIGUOUS = {
    "pow": (0,),
    "pow_const": (0,),
    "neg": (0,),
    "sub": (1,),
    "add": (1,),
}
"""Operands that misread with a bare leading minus: ``−1.75^2``, ``a − −1``.
In ``sum`` and ``linear`` every operand but the first is bracketed."""

_COMPOUND = re.compile(r"[\s+\-−*/·×÷^()=,|<>]")
_NUMBER = re.compile(r"\(?[−-]?(?:\d+(?:\.\d*)?(?:e[+−-]?\d+)?|inf|nan)\)?")
"""A derivative that is only a number (``1``, ``(−2.0)``) needs no "where"."""


@dataclass(slots=True, unsafe_hash=True)
class Step:
    """One line of the walkthrough: which node it sets, the text, the numbers.

    Read-only by convention, not ``frozen``: a frozen dataclass sets each field
    through ``object.__setattr__``, five times the cost of making a step,
    and a 20,000-line program makes 100,000 of them.

    ``text`` and ``formula`` are written when first read (a person reads a few
    of a big graph's steps; writing all of them cost more than everything else
    the walkthrough does), from numbers taken when the walkthrough was made.
    """

    index: int
    phase: str
    node: str
    inputs: tuple[str, ...]
    value: float
    grad: float
    contribution: float | None = None
    local: float | None = None
    upstream: float | None = None
    operand: int | None = None
    accumulated: bool = False
    """A backward step adding to a gradient that other steps already set."""
    words: _Words | None = field(default=None, compare=False, repr=False)
    """What writes the words (the graph's names and numbers, not the steps)."""

    @property
    def text(self) -> str:
        """The step in words and numbers: ``a = t1 · t2 = 0.5 × −1.5 = −0.75``."""
        return self._texts()[1]

    @property
    def formula(self) -> str:
        """The step in symbols only: ``∂L/∂a += ∂L/∂b · ∂b/∂a``."""
        return self._texts()[0]

    def _texts(self) -> tuple[str, str]:
        return self.words.texts(self) if self.words is not None else ("", "")


class Walkthrough:
    """Every step of one forward and one backward pass over a graph.

    Built from a root or from its :class:`GraphIndex` (kept as :attr:`graph`);
    ``nodes[i]`` has id ``f"n{i}"``, the index's ids. State after the first
    ``position`` steps is answered from compact per-step arrays, so any
    position is as cheap to show as the next one.
    """

    def __init__(
        self,
        graph: Value | GraphIndex,
        cancelled: CancelCheck | None = None,
        *,
        constant_grads: bool = False,
    ) -> None:
        self.graph = GraphIndex.of(graph)
        self.root = self.graph.root
        self.nodes: list[Value] = self.graph.nodes
        self.ids: dict[Value, str] = self.graph.id_of
        self.constant_grads = constant_grads
        """Whether constants (unnamed numbers like the 2 in ``2 * x``) get
        backward steps: off, they only clutter the walk with gradients no
        one will use."""
        self._names = step_names(self.graph)
        self.steps: list[Step] = []
        self._cancelled = cancelled
        with cycle_collector_paused():  # cost linear in nodes, not worse
            self._build()
        self._cancelled = None

    # --- queries ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.steps)

    def value_known(self, position: int) -> np.ndarray:
        """Per node, whether its value is known after the first ``position`` steps.

        Leaves are always known; a computed node once its forward step is done.
        """
        return self._forward_step < self._clamp(position)

    def grads(self, position: int) -> np.ndarray:
        """Per node, ∂root/∂node after the first ``position`` steps (nan: none yet)."""
        return self.grad_state(position)[0]

    def grad_state(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """``(grads, grad_known)`` at ``position`` from one search: a view shows
        both after every step, and each search costs ~1.5 ms at 100k nodes."""
        last, known = self._last_grad_step(position)
        return np.where(known, self._step_grad[last], np.nan), known

    def grad_known(self, position: int) -> np.ndarray:
        """Per node, whether any gradient has reached it after ``position`` steps.

        Tells "no gradient yet" apart from a gradient that is itself nan.
        """
        return self._last_grad_step(position)[1]

    def name(self, node_id: str) -> str:
        """What a person calls the node ``node_id`` (its label, number or id)."""
        return self._names[self.index(node_id)]

    def index(self, node_id: str) -> int:
        """The position of ``node_id`` in :attr:`nodes`."""
        return self.graph.position_of(node_id)

    def _clamp(self, position: int) -> int:
        return min(max(int(position), 0), len(self.steps))

    def _last_grad_step(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        # Grad-setting steps sorted by (node, step): the last one before
        # `position` for node i is found with one vectorized searchsorted.
        cut = self._starts + self._clamp(position)
        last = np.searchsorted(self._keys, cut) - 1
        known = last >= self._first
        return np.where(known, last, 0), known

    # --- building ----------------------------------------------------------------
    def _build(self) -> None:
        nodes, ids = self.nodes, self.graph.ids
        operands = self.graph.parents
        self._words = _Words(self.graph, self._names)
        forward_step = [-1] * len(nodes)
        cancelled = self._cancelled
        steps = self.steps
        add = steps.append
        me = self._words
        nan = math.nan
        for i, node in enumerate(nodes):
            if not i & _LOOK_EVERY:
                stop_if(cancelled)
            if node.op is not None:
                forward_step[i] = n = len(steps)
                inputs = tuple([ids[q] for q in operands[i]])
                add(Step(n, FORWARD, ids[i], inputs, node.data, nan, words=me))
        self._forward_step = np.asarray(forward_step, dtype=np.int64)
        root = len(nodes) - 1
        add(Step(len(steps), SEED, ids[root], (), self.root.data, 1.0, words=me))
        grad = [0.0] * len(nodes)
        grad[root] = 1.0
        reached = [False] * len(nodes)
        owners = [root]
        totals = [1.0]
        at_step = [len(steps) - 1]  # the seed
        sources: list[int] = []
        skip_constants = not self.constant_grads
        for c in range(root, -1, -1):
            if not c & _LOOK_EVERY:
                stop_if(cancelled)
            child = nodes[c]
            if child.op is None:
                continue
            upstream = grad[c]
            source = (ids[c],)
            locals_ = child.local_grads
            for p, ks in _operands_of(operands[c]):
                if len(ks) == 1:
                    local = locals_[ks[0]]
                    contribution = upstream * local
                    grad[p] += contribution
                else:  # a·a: the engine adds each slot's share in turn
                    local, contribution = _add_slots(grad, p, ks, upstream, locals_)
                parent = nodes[p]
                owners.append(p)
                totals.append(grad[p])
                if skip_constants and parent.op is None and not parent.label:
                    # no step of its own: its gradient is known with the last one
                    at_step.append(len(steps) - 1)
                    continue
                n = len(steps)
                add(
                    Step(
                        n,
                        BACKWARD,
                        ids[p],
                        source,
                        parent.data,
                        grad[p],
                        contribution,
                        local,
                        upstream,
                        ks[0],
                        reached[p],
                        me,
                    )
                )
                reached[p] = True
                sources.append(c)
                at_step.append(n)
        self.backward_sources = np.asarray(sources, dtype=np.int64)
        """Per backward step, in order, the position of the node whose
        gradient it passes on (folded views group the steps by it)."""
        self._index_grad_steps(owners, totals, at_step)

    def _index_grad_steps(
        self, owners: list[int], totals: list[float], at_step: list[int]
    ) -> None:
        """Sort the grad-setting steps by (node, step) for :meth:`_last_grad_step`."""
        span = len(self.steps) + 1
        steps = np.asarray(at_step, dtype=np.int64)
        keys = np.asarray(owners, dtype=np.int64) * span + steps
        by_key = np.argsort(keys, kind="stable")
        self._keys = keys[by_key]
        self._step_grad = np.asarray(totals, dtype=np.float64)[by_key]
        # Node i's keys lie in [starts[i], starts[i] + span); `_first[i]` is
        # where its entries begin in the sorted arrays.
        self._starts = np.arange(len(self.nodes), dtype=np.int64) * span
        self._first = np.searchsorted(self._keys, self._starts)


class _Words:
    """Writes a step's words when first read, from the graph's names and the
    numbers it had when the walkthrough was made (steps keep this, not the
    walkthrough, so a step outlives it without a reference cycle)."""

    def __init__(self, graph: GraphIndex, names: list[str]) -> None:
        self.graph = graph
        self._names = names
        self._data = [node.data for node in graph.nodes]
        self._fmt = _memo(format_number)
        self.cache: dict[int, tuple[str, str]] = {}

    def texts(self, step: Step) -> tuple[str, str]:
        """``(formula, text)`` of one of the walkthrough's steps."""
        made = self.cache.get(step.index)
        if made is None:
            if step.phase == FORWARD:
                made = self._forward_text(self.graph.position_of(step.node))
            elif step.phase == SEED:
                r = _d(self._names[-1])
                made = (f"∂{r}/∂{r} = 1",) * 2
            else:
                made = self._backward_text(step)
            self.cache[step.index] = made
        return made

    def _forward_text(self, i: int) -> tuple[str, str]:
        """``a = t1 · t2 = 0.5 × −1.5 = −0.75``."""
        op, fmt, data = self.graph.nodes[i].op, self._fmt, self._data
        parents = self.graph.parents[i]
        names = [_operand(op, k, self._names[q]) for k, q in enumerate(parents)]
        numbers = [_operand(op, k, fmt(data[q])) for k, q in enumerate(parents)]
        formula = f"{self._names[i]} = {op.render(names)}"
        numbers_text = op.render(numbers, times="×")
        return formula, f"{formula} = {numbers_text} = {fmt(data[i])}"

    def _backward_text(self, step: Step) -> tuple[str, str]:
        """``∂L/∂a += ∂L/∂b · ∂b/∂a = −3.5 × 2.0 = −7.0, where ∂b/∂a = x``."""
        names, fmt = self._names, self._fmt
        c = self.graph.position_of(step.inputs[0])
        p = self.graph.position_of(step.node)
        r, dc, dp = _d(names[-1]), _d(names[c]), _d(names[p])
        formula = f"∂{r}/∂{dp} += ∂{r}/∂{dc} · ∂{dc}/∂{dp}"
        text = (
            f"{formula} = {fmt(step.upstream)} × {fmt(step.local)} "
            f"= {fmt(step.contribution)}"
        )
        parents = self.graph.parents[c]
        symbols = [_bracket_negative(names[q]) for q in parents]
        slots = tuple(k for k, q in enumerate(parents) if q == p)
        derivative = _derivative(self.graph.nodes[c].op, slots, symbols, names[c])
        if not _NUMBER.fullmatch(derivative):
            text += f", where ∂{dc}/∂{dp} = {derivative}"
        if len(slots) > 1:
            text += _arrives_twice(names[p], len(slots))
        if step.accumulated:
            text += f"; ∂{r}/∂{dp} is now {fmt(step.grad)}"
        return formula, text


def walkthrough(
    graph: Value | GraphIndex,
    cancelled: CancelCheck | None = None,
    *,
    constant_grads: bool = False,
) -> Walkthrough:
    """The step-by-step forward and backward pass of a root's graph (or its
    index, to share one with the layout and exports); ``constant_grads``
    gives constants their backward steps too. Raises
    :class:`~graphviz_dl.cancel.Cancelled` soon after ``cancelled()`` is true."""
    return Walkthrough(graph, cancelled, constant_grads=constant_grads)


def step_names(index: GraphIndex) -> list[str]:
    """What the walkthrough calls each node: its label or a constant's number,
    and for a node the program did not name, ``t1``, ``t2``, … in the order
    the forward pass computes them (names a label already uses are skipped),
    so a program reads t1, t2, t3 rather than n29, n397. Ids stay ``n…``."""
    taken = {node.label for node in index.nodes if node.label}
    names = []
    count = 0
    for i, node in enumerate(index.nodes):
        if node.label or node.op is None:
            names.append(index.name(i))
            continue
        count += 1
        while f"t{count}" in taken:
            count += 1
        names.append(f"t{count}")
    return names


def _operands_of(parents: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    """Each distinct operand with the operand slots it fills (``a·a``: both)."""
    count = len(parents)
    if count == 1:
        return [(parents[0], (0,))]
    if count == 2 and parents[0] != parents[1]:
        return [(parents[0], (0,)), (parents[1], (1,))]
    if len(set(parents)) == count:
        return [(p, (k,)) for k, p in enumerate(parents)]
    slots: dict[int, list[int]] = {}
    for k, p in enumerate(parents):
        slots.setdefault(p, []).append(k)
    return [(p, tuple(ks)) for p, ks in slots.items()]


def _add_slots(grad, p, ks, upstream, locals_) -> tuple[float, float]:
    """Add each slot's share to ``grad[p]``; (summed local, summed share)."""
    local = contribution = 0.0
    for k in ks:
        grad[p] += upstream * locals_[k]
        contribution += upstream * locals_[k]
        local += locals_[k]
    return local, contribution


def _derivative(op: Op, ks: tuple[int, ...], symbols: list[str], out: str) -> str:
    """∂out/∂operand as text; an operand used in several slots sums its
    slots' derivatives (``a·a``: ``2 · a``)."""
    terms = [op.derivative_text(k, symbols, out) for k in ks]
    if len(terms) == 1:
        return terms[0]
    if len(set(terms)) == 1:
        term = terms[0]
        if _NUMBER.fullmatch(term):
            return " + ".join(terms)
        return f"{len(terms)} · {_d(term)}"
    return " + ".join(terms)


def _arrives_twice(name: str, times: int) -> str:
    count = "twice" if times == 2 else f"{times} times"
    return f" ({name} is used {count} here, so its gradient arrives {count})"


def _operand(op: Op, k: int, text: str) -> str:
    """Operand ``k`` as text, bracketed where a bare leading minus misreads."""
    if text[:1] not in "−-":
        return text
    if op.name in ("sum", "linear"):
        ambiguous = k > 0
    else:
        ambiguous = k in _NEGATIVE_AMBIGUOUS.get(op.name, ())
    return f"({text})" if ambiguous else text


def _bracket_negative(text: str) -> str:
    return f"({text})" if text[:1] in "−-" else text


def _d(name: str) -> str:
    """A name as it reads after ∂: ``∂L/∂x``, but ``∂L/∂(2.0)`` for a number."""
    if _COMPOUND.search(name) or name[:1].isdigit() or name[:1] == ".":
        return f"({name})"
    return name


def _memo(function):
    """``function`` remembering its answers (a graph repeats many numbers)."""
    cache: dict = {}

    def remembered(x):
        text = cache.get(x)
        if text is None:
            text = cache[x] = function(x)
        return text

    return remembered
