"""The tree of groups of one indexed graph, as runs of positions.

:class:`graphviz_dl.graph_index.GraphIndex` orders a grouped graph so that each
group is a contiguous run ``start..stop-1``; a :class:`GroupSpan` is that run
with what a folded view needs to draw and narrate it (its inputs, its outputs,
a one-line summary). A group that could not be made contiguous (a value left
it and came back) has no span; its members count as its parent's.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .groups import Group

if TYPE_CHECKING:
    from .graph_index import GraphIndex

_PLURAL = {
    "network": "networks",
    "layer": "layers",
    "neuron": "neurons",
    "call": "calls",
    "block": "blocks",
}


class GroupSpan:
    """One group of the graph: positions ``start..stop-1``, nested ones included."""

    __slots__ = (
        "children",
        "depth",
        "group",
        "inputs",
        "kind",
        "name",
        "outputs",
        "parent",
        "start",
        "stop",
        "summary",
    )

    def __init__(self, group: Group, start: int, stop: int) -> None:
        self.group = group
        self.name = group.name
        self.kind = group.kind
        self.start = start
        self.stop = stop
        self.parent: GroupSpan | None = None
        self.children: list[GroupSpan] = []
        self.depth = 0
        self.inputs: tuple[int, ...] = ()  # non-member positions read by members
        self.outputs: tuple[int, ...] = ()  # members read outside (or the root)
        self.summary = ""

    def __len__(self) -> int:
        return self.stop - self.start

    def __contains__(self, position: int) -> bool:
        return self.start <= position < self.stop

    def __repr__(self) -> str:
        return f"GroupSpan({self.name!r}, {self.start}..{self.stop - 1})"


class GroupTree:
    """Every group of a graph: ``roots`` (top level) and ``spans`` (all, outermost
    first, in order), and per position its innermost span."""

    def __init__(self, spans: list[GroupSpan], size: int) -> None:
        self.spans = spans
        self.roots = [s for s in spans if s.parent is None]
        self.innermost: list[GroupSpan | None] = [None] * size
        for span in spans:  # parents come before their children
            self.innermost[span.start : span.stop] = [span] * len(span)

    def __bool__(self) -> bool:
        return bool(self.spans)

    def __len__(self) -> int:
        return len(self.spans)

    def of_kind(self, kind: str) -> list[GroupSpan]:
        return [s for s in self.spans if s.kind == kind]

    def at_depth(self, depth: int) -> list[GroupSpan]:
        return [s for s in self.spans if s.depth == depth]


def build_tree(index: GraphIndex, group_of: list[Group | None] | None) -> GroupTree:
    """The spans of the groups in ``group_of`` (per position of ``index``)."""
    size = len(index.nodes)
    if group_of is None:
        return GroupTree([], size)
    first: dict[Group, int] = {}
    last: dict[Group, int] = {}
    count: Counter[Group] = Counter()
    for i, g in enumerate(group_of):
        if g is not None:
            if g not in first:
                first[g] = i
            last[g] = i
            count[g] += 1
    direct = [(g, first[g], last[g], count[g]) for g in first]
    for g, lo, hi, k in direct:  # members count for every enclosing group too
        for outer in g.path()[:-1]:
            if outer in first:
                first[outer] = min(first[outer], lo)
                last[outer] = max(last[outer], hi)
            else:
                first[outer], last[outer] = lo, hi
            count[outer] += k
    spans = {
        g: GroupSpan(g, first[g], last[g] + 1)
        for g in first
        if last[g] - first[g] + 1 == count[g]
    }
    for span in spans.values():
        outer = span.group.parent
        while outer is not None and outer not in spans:
            outer = outer.parent
        if outer is not None:
            span.parent = spans[outer]
    for span in spans.values():
        outer = span.parent
        while outer is not None:
            span.depth += 1
            outer = outer.parent
    ordered = sorted(spans.values(), key=lambda s: (s.start, s.depth))
    for span in ordered:  # children in order
        if span.parent is not None:
            span.parent.children.append(span)
    tree = GroupTree(ordered, size)
    _borders(tree, index)
    for span in ordered:
        span.summary = _summary(span)
    return tree


def _borders(tree: GroupTree, index: GraphIndex) -> None:
    """Fill each span's inputs and outputs from the edges that cross its border."""
    innermost = tree.innermost
    inputs: dict[GroupSpan, set[int]] = {s: set() for s in tree.spans}
    outputs: dict[GroupSpan, set[int]] = {s: set() for s in tree.spans}
    for c, parents in enumerate(index.parents):
        sc = innermost[c]
        for p in parents:
            sp = innermost[p]
            if sp is sc:
                continue
            s = sc
            while s is not None and not s.start <= p < s.stop:
                inputs[s].add(p)
                s = s.parent
            s = sp
            while s is not None and not s.start <= c < s.stop:
                outputs[s].add(p)
                s = s.parent
    root = len(innermost) - 1
    s = innermost[root] if root >= 0 else None
    while s is not None:
        outputs[s].add(root)
        s = s.parent
    for span in tree.spans:
        span.inputs = tuple(sorted(inputs[span]))
        span.outputs = tuple(sorted(outputs[span]))


def _summary(span: GroupSpan) -> str:
    """``"layer 2 · 16 neurons · 528 nodes"``."""
    return " · ".join([span.name, *contents(span)])


def contents(span: GroupSpan) -> list[str]:
    """What a span holds, for people: ``["16 neurons", "528 nodes"]``."""
    kinds = Counter(child.kind for child in span.children)
    parts = [
        f"{k} {kind if k == 1 else _PLURAL.get(kind, kind + 's')}"
        for kind, k in kinds.most_common()
    ]
    n = len(span)
    parts.append(f"{n:,} node{'' if n == 1 else 's'}")
    return parts
