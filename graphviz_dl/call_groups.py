"""Groups from a person's own functions and classes, recorded while their file runs.

When ``graphviz-dl run`` runs a file, every call of a function defined in that
file is watched: what value nodes went in, what came out. A call owns the
nodes its outputs depend on that its inputs do not (a neuron owns its weights,
its products and its sum; not the layer's inputs). Calls inside calls nest, so
``MLP.__call__`` ▸ ``Layer.__call__`` ▸ ``Neuron.__call__`` becomes
network ▸ layer ▸ neuron. Only calls whose outputs feed the explored graph are
kept, and recording stops after :data:`MAX_CALLS` calls (a long training loop
is not a picture anyone folds).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Self

MAX_CALLS = 20_000
MAX_FLATTEN = 10_000


@dataclass
class CallGroup:
    """One call of the person's code and the nodes it made."""

    name: str
    members: list = field(default_factory=list)
    """Every node of the explored graph the call made, inner calls' included."""
    children: list[CallGroup] = field(default_factory=list)

    def walk(self) -> Iterator[CallGroup]:
        """This group and every group inside it, outermost first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class _Call:
    name: str
    parent: int | None
    inputs: list
    outputs: list = field(default_factory=list)


class CallRecorder:
    """Watches calls of functions defined in one file (a profile hook)."""

    def __init__(self, path: str, is_node: Callable[[object], bool]) -> None:
        self.path = os.path.abspath(path)
        self.is_node = is_node
        self.calls: list[_Call] = []
        self._stack: list[int] = []
        self._watched: dict[object, bool] = {}  # code object → in the file?
        self.overflowed = False

    def __enter__(self) -> Self:
        self._previous = sys.getprofile()
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc_info) -> None:
        sys.setprofile(self._previous)

    def _profile(self, frame, event: str, arg) -> None:
        if event not in ("call", "return"):
            return
        code = frame.f_code
        watched = self._watched.get(code)
        if watched is None:
            watched = self._watched[code] = (
                not code.co_name.startswith("<")  # module, lambdas, comprehensions
                and os.path.abspath(code.co_filename) == self.path
            )
        if not watched:
            return
        if event == "call":
            if len(self.calls) >= MAX_CALLS or self.is_node(frame.f_locals.get("self")):
                # the node class's own methods (__add__, tanh …) are not groups
                self.overflowed = self.overflowed or len(self.calls) >= MAX_CALLS
                self._stack.append(-1)
                return
            inputs = list(self._nodes(frame.f_locals.values()))
            parent = next((i for i in reversed(self._stack) if i >= 0), None)
            self.calls.append(_Call(_display_name(frame.f_code), parent, inputs))
            self._stack.append(len(self.calls) - 1)
        elif self._stack:
            index = self._stack.pop()
            if index >= 0:
                self.calls[index].outputs = list(self._nodes([arg]))

    def _nodes(self, values: Iterable[object]) -> Iterator[object]:
        """Value nodes in ``values``, looking inside lists and tuples (not
        inside objects: a neuron's own weights are what its call owns)."""
        budget = MAX_FLATTEN
        pending = list(values)
        while pending and budget > 0:
            budget -= 1
            item = pending.pop()
            if self.is_node(item):
                yield item
            elif isinstance(item, list | tuple):
                pending.extend(item[:MAX_FLATTEN])


def _display_name(code) -> str:
    """``Neuron.__call__`` reads as ``Neuron``; a function keeps its name."""
    name = getattr(code, "co_qualname", code.co_name)
    return name.removesuffix(".__call__").removesuffix(".forward")


def build_groups(
    recorder: CallRecorder,
    root: object,
    parents_of: Callable[[object], Iterable[object]],
    rebuilt: Callable[[object], object],
) -> list[CallGroup]:
    """The tree of calls whose outputs feed ``root``, each with the nodes it
    owns (as ``rebuilt`` maps them into the explored graph)."""
    in_graph = _ancestors([root], parents_of)
    groups: dict[int, CallGroup] = {}
    top: list[CallGroup] = []
    for index, call in enumerate(recorder.calls):
        outputs = [node for node in call.outputs if id(node) in in_graph]
        if not outputs:
            continue
        made = _ancestors(outputs, parents_of, stop=_ancestors(call.inputs, parents_of))
        members = [rebuilt(node) for key, node in made.items() if key in in_graph]
        group = CallGroup(call.name, members)
        groups[index] = group
        parent = call.parent
        while parent is not None and parent not in groups:
            parent = recorder.calls[parent].parent
        (groups[parent].children if parent is not None else top).append(group)
    return top


def _ancestors(
    nodes: Iterable[object],
    parents_of: Callable[[object], Iterable[object]],
    stop: dict[int, object] | None = None,
) -> dict[int, object]:
    """Every node ``nodes`` depend on (themselves included), by id, without
    entering ``stop``."""
    stop = stop or {}
    seen: dict[int, object] = {}
    pending = [node for node in nodes if id(node) not in stop]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        pending.extend(p for p in parents_of(node) if id(p) not in stop)
    return seen
