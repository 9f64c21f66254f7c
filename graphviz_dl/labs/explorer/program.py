"""A program the explorer shows, and everything derived from it once per load.

:func:`prepare_values` turns built Values into a :class:`Program`: one
:class:`~graphviz_dl.graph_index.GraphIndex` (order, ids, neighbours), the
walkthrough and the layout, all reading that one index. A big program takes
a while, so preparation reports progress and stops when asked to (the app
runs it as a background job). :func:`leaf_edit_source` keeps the program's
text in step with an edited input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from ...engine import Value
from ...expr import parse
from ...graph_index import GraphIndex
from ...layout import Layout, layered_layout
from ...numfmt import format_number
from ...program import to_program
from ...walkthrough import Walkthrough, walkthrough

Progress = Callable[[float], None]
Cancelled = Callable[[], bool]


class PreparationCancelled(Exception):
    """Raised by :func:`prepare_values` once ``cancelled()`` turned true."""


@dataclass
class Program:
    """A built program and everything derived from it (its shape never changes).

    ``index`` is the one graph index of the load: the walkthrough, the layout
    and the views read ids, order and neighbours from it.
    """

    source: str
    values: dict[str, Value]
    root: Value
    index: GraphIndex
    walk: Walkthrough
    layout: Layout

    @property
    def size(self) -> int:
        """How many value nodes the graph has."""
        return len(self.index)

    @property
    def leaf_ids(self) -> frozenset[str]:
        """The ids of the inputs a person may edit."""
        return self.index.leaf_ids

    def final_grads(self) -> list[float]:
        """Every node's gradient once the backward pass is done (by position).

        The walkthrough works gradients out without storing them in the nodes,
        so these, not ``node.grad``, are what an export should write.
        """
        return [float(g) for g in self.walk.grads(len(self.walk))]


def prepare_program(
    source: str,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Program:
    """Parse ``source`` and derive its walkthrough and layout.

    Raises :class:`graphviz_dl.expr.ExpressionError` for a program that does
    not parse; nothing is changed then.
    """
    return prepare_values(parse(source), source, progress=progress, cancelled=cancelled)


def output_of(values: dict[str, Value]) -> Value:
    """The program's output: its last assignment."""
    if not values:
        raise ValueError("the program assigns nothing: write at least one line")
    return list(values.values())[-1]


def prepare_values(
    values: dict[str, Value],
    source: str | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    index: GraphIndex | None = None,
) -> Program:
    """The :class:`Program` for already-built Values (the last one is the output).

    ``progress(fraction)`` hears how far it got; once ``cancelled()`` is true
    it raises :class:`PreparationCancelled` at the next phase. ``index``, the
    output's graph index if the caller already made it, is used, not redone.
    """
    report = progress or (lambda _fraction: None)
    stop = cancelled or (lambda: False)

    def phase_done(fraction: float) -> None:
        if stop():
            raise PreparationCancelled
        report(fraction)

    root = output_of(values)
    if index is None or index.root is not root:
        index = GraphIndex(root)
    phase_done(0.15)
    walk = walkthrough(index)
    phase_done(0.55)
    layout = layered_layout(index)
    phase_done(0.95)
    text = to_program(index) if source is None else source
    report(1.0)
    return Program(text, dict(values), root, index, walk, layout)


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
    node = program.index.node(node_id)
    old = node.data
    node.data = value
    try:
        return to_program(program.index)
    finally:
        node.data = old


_NUMBER = r"[-+\u2212]?(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|inf|nan)"


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


def _literal(value: float) -> str:
    """A literal the expression language reads back exactly."""
    if math.isfinite(value):
        return repr(float(value))
    return format_number(value)
