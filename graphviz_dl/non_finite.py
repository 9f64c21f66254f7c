"""Where a forward pass first stops being a number, why, and what it spoils.

``inf`` and ``nan`` are shown, never hidden; but a graph where forty values
read ``nan`` says nothing about the ONE op that made the first: a log of 0,
an overflow in exp, a division by 0. :func:`find_non_finite` names that node,
says why in words and at which line of the program, and lists every node
computed from it, so a view can mark them all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from .engine import Value
from .graph_index import GraphIndex
from .node_gradcheck import descendants
from .numfmt import format_number


@dataclass(frozen=True)
class NonFinite:
    """The first node that is ±inf or nan though its inputs are numbers."""

    node: str
    name: str
    why: str
    """In words: "log of 0", "overflow in exp"."""
    line: int | None
    """The program line that computes it (1-based), where known."""
    downstream: frozenset[str]
    """The ids of every node computed from it."""
    later: int
    """How many of those are themselves not numbers."""
    formula: str = ""
    """What an unnamed node computes (``log(t1)``), to say which it is."""
    column: int | None = None
    """The column of the operation on that line (1-based), where known."""

    def sentence(self, value: float) -> str:
        """``y is −inf: log of 0 at line 2; 1 later value follows from it``."""
        what = "nan" if math.isnan(value) else format_number(value)
        where = f" at line {self.line}" if self.line else ""
        if self.line and self.column:
            where += f", column {self.column}"
        tail = ""
        if self.later:
            plural = "value follows" if self.later == 1 else "values follow"
            tail = f"; {self.later} later {plural} from it"
        called = f"{self.name} = {self.formula}" if self.formula else self.name
        return f"{called} is {what}: {self.why}{where}{tail}"


def why_not_finite(node: Value) -> str:
    """Why ``node`` (whose inputs are numbers) is ±inf or nan, in words."""
    op = node.op
    if op is None:
        return "an input given as " + format_number(node.data)
    xs = [p.data for p in node.parents]
    name = op.name
    if name == "log":
        return "log of 0" if xs[0] == 0.0 else "log of a negative number"
    if name == "div":
        if xs[0] == 0.0 and xs[1] == 0.0:
            return "0 divided by 0"
        return "division by 0" if xs[1] == 0.0 else "overflow in a division"
    if name == "sqrt":
        return "square root of a negative number"
    if name in ("pow", "pow_const", "rpow"):
        if math.isnan(node.data):
            return "a negative number to a fractional power"
        if 0.0 in xs[:1] or (name == "rpow" and 0.0 in xs):
            return "0 to a negative power"
        return "overflow in a power"
    if math.isinf(node.data):
        return f"overflow in {name}"
    shown = ", ".join(format_number(x) for x in xs)
    return f"{name} of {shown} is not a number"


def find_non_finite(
    index: GraphIndex,
    values: dict[str, Value] | None = None,
    source: str | None = None,
    name_of: Callable[[int], str] | None = None,
    where: Callable[[Value], tuple[int, int] | None] | None = None,
) -> NonFinite | None:
    """The first node (in computing order) that is ±inf or nan while every
    input of it is finite; None when every value is a number. ``values`` and
    ``source`` (the program's assignments and text) give the line;
    ``where(node)``, the line and column its operation is written at, when
    the builder noted them; ``name_of(position)`` what the walkthrough calls
    a node."""
    nodes = index.nodes
    for position, node in enumerate(nodes):
        if math.isfinite(node.data):
            continue
        if not all(math.isfinite(parent.data) for parent in node.parents):
            continue
        below = descendants(index, position)
        later = sum(1 for k in below if not math.isfinite(nodes[k].data))
        name_of = name_of or index.name
        name = name_of(position)
        spot = where(node) if where is not None else None
        line, column = spot if spot else (None, None)
        if line is None:
            line = _line_of(index, position, set(below), values or {}, source or "")
        formula = ""
        if node.op is not None and not node.label:
            formula = node.op.render([name_of(p) for p in index.parents[position]])
        return NonFinite(
            index.ids[position],
            name,
            why_not_finite(node),
            line,
            frozenset(index.ids[k] for k in below),
            later,
            formula,
            column,
        )
    return None


def _line_of(index, position, below, values, source) -> int | None:
    """The line of the first assignment that computes the node (itself or a
    value built on it)."""
    for name, value in values.items():
        at = index.position.get(value)
        if at is None or (at != position and at not in below):
            continue
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=(?!=)")
        for number, text in enumerate(source.splitlines(), start=1):
            if pattern.match(text):
                return number
        return None
    return None
