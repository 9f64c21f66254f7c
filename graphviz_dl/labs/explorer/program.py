"""A program the explorer shows, and everything derived from it once per load.

:func:`prepare_values` turns built Values into a :class:`Program`: one
:class:`~graphviz_dl.graph_index.GraphIndex` (order, ids, neighbours), the
walkthrough and the layout, all reading that one index. A big program takes
a while, so preparation reports progress and stops when asked to (the app
runs it as a background job). :func:`leaf_edit_source` keeps the program's
text in step with an edited input.
"""

from __future__ import annotations

import io
import math
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field

from ... import cancel
from ...engine import Value
from ...expr import BuildStopped, parse
from ...graph_index import GraphIndex
from ...layout import Layout, layered_layout
from ...non_finite import NonFinite, find_non_finite
from ...numfmt import format_number
from ...program import to_program
from ...walkthrough import Walkthrough, walkthrough

Progress = Callable[[float], None]
Cancelled = Callable[[], bool]

DEFER_LAYOUT = 20_000
"""A grouped graph bigger than this opens folded: its full layout waits until
something draws it unfolded."""


class DeferredLayout:
    """The whole graph's :class:`Layout`, worked out when first read.

    A 100,000-node grouped graph opens folded to the level that fits, and
    laying out every node would cost seconds nobody asked for; unfolding it
    all reads this (the app does that in a background job).
    """

    def __init__(self, index: GraphIndex) -> None:
        self._index = index
        self._layout: Layout | None = None

    @property
    def ready(self) -> bool:
        return self._layout is not None

    def get(self) -> Layout:
        if self._layout is None:
            self._layout = layered_layout(self._index)
        return self._layout

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)


class PreparationCancelled(cancel.Cancelled):
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
    layout: Layout | DeferredLayout
    folds: object = None
    """The fold level it opens at (a :class:`~.folds.FoldChoice`), if worked
    out while preparing; otherwise the model works it out."""
    not_numbers: dict = field(default_factory=dict)
    """Node → (line, column) of the operation where a value first stopped
    being a number, as the language noted while building (may be empty)."""

    @property
    def size(self) -> int:
        """How many value nodes the graph has."""
        return len(self.index)

    @property
    def leaf_ids(self) -> frozenset[str]:
        """The ids of the inputs a person may edit."""
        return self.index.leaf_ids

    def first_non_finite(self) -> str | None:
        """Where the forward pass first stops being a number, in words: the
        first node (in computing order) that is ±inf or nan while every input
        of it is finite, why, and at which line; None when all are numbers."""
        origin = self.non_finite_origin()
        if origin is None:
            return None
        return origin.sentence(self.index.node(origin.node).data)

    def non_finite_origin(self) -> NonFinite | None:
        """That first node with its reason, line and every node downstream."""
        ids, name = self.index.ids, self.walk.name
        return find_non_finite(
            self.index,
            self.values,
            self.source,
            lambda i: name(ids[i]),
            where=self.not_numbers.get,
        )

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
    not parse; nothing is changed then. Building the program looks at
    ``cancelled`` too (a long loop stops within a few milliseconds).
    """
    try:
        values = parse(source, cancelled=cancelled)
    except BuildStopped:
        raise PreparationCancelled from None
    return prepare_values(values, source, progress=progress, cancelled=cancelled)


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
    it raises :class:`PreparationCancelled` within a few milliseconds (the
    walkthrough and the layout look at it as they go). ``index``, the
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
    try:  # each phase also looks at `cancelled` as it goes
        walk = walkthrough(index, cancelled=cancelled)
        phase_done(0.55)
        if len(index) > DEFER_LAYOUT and index.groups:
            layout = DeferredLayout(index)
        else:
            layout = layered_layout(index, cancelled=cancelled)
    except cancel.Cancelled:
        raise PreparationCancelled from None
    phase_done(0.95)
    text = to_program(index) if source is None else source
    report(1.0)
    not_numbers = getattr(values, "not_numbers", None) or {}  # a parse's Built
    return Program(
        text, dict(values), root, index, walk, layout, not_numbers=not_numbers
    )


def leaf_edit_source(program: Program, node_id: str, value: float) -> str:
    """The program text after a leaf edit: the literal rewritten where it stands.

    A leaf assigned on its own line (``x = 2.0``) keeps the rest of the text as
    the person wrote it; any other leaf (a constant inside an expression) is
    written back through :func:`graphviz_dl.program.to_program` after the edit.
    """
    name = program.walk.name(node_id)
    node = program.index.node(node_id)
    edited = replace_assignment_literal(
        program.source, name, value
    ) or replace_unique_literal(program.source, node.data, value)
    if edited is not None:
        return edited
    old = node.data
    node.data = value
    try:
        return to_program(program.index)
    finally:
        node.data = old


_NUMBER = r"[-+\u2212]?(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|inf|nan)"


def replace_assignment_literal(source: str, name: str, value: float) -> str | None:
    """``source`` with the number given to ``name`` replaced, or None if absent.

    Either a line that assigns a bare number (``x = 2.0  # note``) or the
    lecture's ``x = Value(2.0, …)`` / ``Value(2.0, label='x')``; the rest of
    the line is kept as written.
    """
    word = re.escape(name)
    patterns = [
        rf"^(\s*{word}\s*=\s*)({_NUMBER})(\s*(?:#.*)?)$",
        rf"^(.*?\b{word}\s*=\s*Value\(\s*(?:data\s*=\s*)?)({_NUMBER})(.*)$",
        (
            rf"^(.*?Value\(\s*(?:data\s*=\s*)?)({_NUMBER})(\s*,\s*label\s*=\s*"
            rf"['\"]{word}['\"].*)$"
        ),
    ]
    lines = source.splitlines(keepends=True)
    for pattern in patterns:
        compiled = re.compile(pattern, re.IGNORECASE)
        for index, line in enumerate(lines):
            body = line.rstrip("\r\n")
            match = compiled.match(body)
            if match is not None:
                ending = line[len(body) :]
                lines[index] = f"{match[1]}{_literal(value)}{match[3]}{ending}"
                return "".join(lines)
    return None


def replace_unique_literal(source: str, old: float, value: float) -> str | None:
    """``source`` with the one number literal equal to ``old`` (a constant in
    an expression) replaced, comments and layout kept; None when no literal,
    or more than one, has that value (the caller then rewrites the program)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    spans = []
    for k, token in enumerate(tokens):
        if token.type != tokenize.NUMBER:
            continue
        try:
            number = float(token.string)
        except ValueError:
            continue
        minus = k > 0 and tokens[k - 1].string in ("-", "\u2212")
        if number == old and not (minus and old != 0.0):
            spans.append((token.start, token.end))
        elif minus and -number == old:
            spans.append((tokens[k - 1].start, token.end))
    if len(spans) != 1:
        return None
    (row0, col0), (row1, col1) = spans[0]
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    start, end = offsets[row0 - 1] + col0, offsets[row1 - 1] + col1
    text = _literal(value)
    if source[start] not in "-\u2212" and value < 0:
        text = f"({text})"  # a sign where none stood: keep the parse the same
    return source[:start] + text + source[end:]


def _literal(value: float) -> str:
    """A literal the expression language reads back exactly."""
    if math.isfinite(value):
        return repr(float(value))
    return format_number(value)
