"""Finding nodes and tracing what they depend on, without Qt.

A person looking at a big graph asks two questions: *where is it?* ("w1",
"tanh", "0.5") and *what is it connected to?* (the nodes a value depends on,
its ancestors, or the nodes its gradient comes from, its descendants). Both
are answered here from the one :class:`~graphviz_dl.graph_index.GraphIndex`,
as positions in its topological order; :class:`Navigator` keeps the answers
as the explorer's state (with psygnal signals), so the views only draw them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from psygnal import Signal

from graphviz_dl.graph_index import GraphIndex

OP_ALIASES = {"*": "mul", "+": "add", "-": "sub", "/": "div", "**": "pow"}
"""What a person types for an op whose symbol is hard to type (× is "*")."""
_NUMBER = re.compile(r"^[-+−]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def value_tolerance(text: str) -> float | None:
    """Half a unit in the last digit typed: "0.5" stands for 0.45…0.55, as a
    card rounding to that many digits would show it. None if not a number."""
    text = text.strip().replace("−", "-")
    if not _NUMBER.match(text):
        return None
    mantissa, _, exponent = text.lower().partition("e")
    digits = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (-digits + (int(exponent) if exponent else 0))


def _value_matches(text: str, values: Sequence[float]) -> list[int]:
    tolerance = value_tolerance(text)
    if tolerance is None:
        return []
    wanted = float(text.strip().replace("−", "-"))
    slack = tolerance * (1 + 1e-9)
    return [
        i for i, v in enumerate(values) if math.isfinite(v) and abs(v - wanted) <= slack
    ]


def _op_matches(index: GraphIndex, wanted: str) -> list[int]:
    wanted = OP_ALIASES.get(wanted, wanted)
    hits = []
    for i, node in enumerate(index.nodes):
        op = node.op
        if op is not None and wanted in (op.name.casefold(), op.label.casefold()):
            hits.append(i)
    return hits


def find_nodes(
    index: GraphIndex,
    name: Callable[[int], str],
    text: str,
    values: Sequence[float] | None = None,
) -> list[int]:
    """Positions of the nodes ``text`` finds, best first.

    A node is found by its name (``name(position)``, e.g. the walkthrough's
    names) or id, by its op's name or symbol ("tanh", "×", "*"), or by its
    value when ``text`` is a number (to the digits typed: "0.5" finds 0.4999
    but not 0.56; a number is not looked for inside names). Nodes whose name or id is exactly ``text`` come first, then
    every other hit in computing order, so Enter walks the graph left to right.
    """
    wanted = text.strip().casefold()
    if not wanted:
        return []
    exact: list[int] = []
    other: set[int] = set()
    number = value_tolerance(wanted) is not None  # "7" is a value, not part of "n7"
    for i, node_id in enumerate(index.ids):
        label = name(i).casefold()
        if label == wanted or node_id == wanted:
            exact.append(i)
        elif not number and wanted in label:
            other.add(i)
    other.update(_op_matches(index, wanted))
    if values is None:
        values = [node.data for node in index.nodes]
    other.update(_value_matches(wanted, values))
    return exact + sorted(other.difference(exact))


def ancestors(index: GraphIndex, position: int) -> frozenset[int]:
    """The node and everything it depends on (its value is computed from them)."""
    return _reach(index.parents, position)


def descendants(index: GraphIndex, position: int) -> frozenset[int]:
    """The node and everything that uses it: the paths its gradient comes back
    along, from the output."""
    return _reach(index.children, position)


def _reach(neighbours: Sequence[Sequence[int]], start: int) -> frozenset[int]:
    seen = {start}
    todo = [start]
    while todo:
        for n in neighbours[todo.pop()]:
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return frozenset(seen)


TRACE_KINDS = ("ancestors", "descendants")


class Navigator:
    """The find hits and the trace of one graph: what the views highlight.

    ``hits`` are positions (best first) and ``current`` the one shown (-1:
    none yet); ``trace`` is the set of positions kept bright (empty: no
    trace), traced from ``trace_node`` as ``trace_kind``.
    """

    hitsChanged = Signal()
    currentChanged = Signal(int)
    """The position of the hit now shown."""
    traceChanged = Signal()

    def __init__(self) -> None:
        self.index: GraphIndex | None = None
        self._name: Callable[[int], str] = str
        self.text = ""
        self.hits: list[int] = []
        self.current = -1
        self.trace: frozenset[int] = frozenset()
        self.trace_kind: str | None = None
        self.trace_node: int | None = None

    def set_graph(
        self, index: GraphIndex | None, name: Callable[[int], str] = str
    ) -> None:
        """A new graph: forget the old hits and trace."""
        self.index, self._name = index, name
        self.text, self.hits, self.current = "", [], -1
        self.hitsChanged.emit()
        self.clear_trace()

    def find(self, text: str, values: Sequence[float] | None = None) -> list[int]:
        """Find ``text`` (see :func:`find_nodes`); no hit is shown until
        :meth:`next` moves to one."""
        hits = (
            []
            if self.index is None
            else find_nodes(self.index, self._name, text, values)
        )
        if text == self.text and hits == self.hits:
            return hits
        self.text, self.hits, self.current = text, hits, -1
        self.hitsChanged.emit()
        return hits

    def next(self, step: int = 1) -> int | None:
        """Move to the next hit (``step=-1``: the previous), wrapping around."""
        if not self.hits:
            return None
        if self.current < 0:
            self.current = 0 if step > 0 else len(self.hits) - 1
        else:
            self.current = (self.current + step) % len(self.hits)
        position = self.hits[self.current]
        self.currentChanged.emit(position)
        return position

    def count_text(self) -> str:
        """ "3 of 12", "12 found", "no match" or "" (nothing typed)."""
        if not self.text.strip():
            return ""
        if not self.hits:
            return "no match"
        if self.current < 0:
            return f"{len(self.hits)} found"
        return f"{self.current + 1} of {len(self.hits)}"

    def set_trace(self, position: int, kind: str) -> frozenset[int]:
        """Keep ``position`` and its ancestors (or descendants) bright."""
        if kind not in TRACE_KINDS:
            raise ValueError(f"trace kind must be one of {TRACE_KINDS}, not {kind!r}")
        if self.index is None:
            return frozenset()
        reach = ancestors if kind == "ancestors" else descendants
        self.trace = reach(self.index, position)
        self.trace_kind, self.trace_node = kind, position
        self.traceChanged.emit()
        return self.trace

    def clear_trace(self) -> bool:
        """No trace any more; True if there was one."""
        if not self.trace and self.trace_kind is None:
            return False
        self.trace, self.trace_kind, self.trace_node = frozenset(), None, None
        self.traceChanged.emit()
        return True

    def trace_text(self) -> str:
        """What the trace shows, in words (for the status bar)."""
        if self.trace_node is None or self.index is None:
            return ""
        name = self._name(self.trace_node)
        others = len(self.trace) - 1
        if self.trace_kind == "ancestors":
            if not others:
                return f"{name} is an input: it depends on no other node (Esc clears)"
            return f"{name} depends on {others} nodes (the rest is dimmed; Esc clears)"
        if not others:
            return f"{name} is the output: its gradient starts here (Esc clears)"
        return (
            f"{name}'s gradient comes back from {others} nodes that use it "
            "(the rest is dimmed; Esc clears)"
        )
