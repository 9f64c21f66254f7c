"""Named, nested groups of nodes: network ▸ layer 2 ▸ neuron 5, a function call,
a ``with group("attention"):`` block.

A node remembers the group it was built in as one reference to a shared
:class:`Group` (not a string per node), so a folded view can draw a whole layer
as one box. Recording costs the engine nothing while no group is open: nodes
are allocated through ``engine._new`` / ``nodes.new_node`` or a node class's
``__init__``, and only while some group is open anywhere are those swapped for
an allocator that also tags the node with the innermost group open in the
building thread (other threads' nodes stay untagged). The plain ones come
back when the last group closes.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from . import engine, nodes
from .engine import Value

_made = itertools.count()
KINDS = ("network", "layer", "neuron", "call", "block")
"""What a group stands for; the folded view and its sentences name them so."""


class Group:
    """One group: built once, shared by reference by every node inside it."""

    __slots__ = ("kind", "name", "parent", "serial")

    def __init__(self, name: str, kind: str = "block", parent: Group | None = None):
        self.name = name
        self.kind = kind
        self.parent = parent
        self.serial = next(_made)  # groups made earlier come first in an index

    def path(self) -> tuple[Group, ...]:
        """The groups from the outermost down to this one (this one last)."""
        chain = []
        group: Group | None = self
        while group is not None:
            chain.append(group)
            group = group.parent
        return tuple(reversed(chain))

    def __repr__(self) -> str:
        return f"Group({' ▸ '.join(g.name for g in self.path())!r}, {self.kind!r})"


# --- recording ------------------------------------------------------------------------


class _Open(threading.local):
    def __init__(self) -> None:
        self.stack: list[Group] = []  # this thread's open groups, innermost last


_local = _Open()
_lock = threading.Lock()
_open = 0  # groups open in all threads together
_plain_new = nodes.new_node
used = False
"""Whether any node was ever put in a group in this process: an index of a
graph built before that (the common case) skips looking for groups."""


def _tagging_new(cls: type, *args: object, **kwargs: object) -> Value:
    node = _plain_new(cls)
    stack = _local.stack
    if stack:
        node.group = stack[-1]
    return node


def _tagging_init(init: Callable[..., None]) -> Callable[..., None]:
    def tag_after(node: Value, *args: object, **kwargs: object) -> None:
        init(node, *args, **kwargs)
        stack = _local.stack
        if stack:
            node.group = stack[-1]

    tag_after.plain = init  # type: ignore[attr-defined]
    return tag_after


def _node_classes() -> list[type]:
    found, todo = [], [Value]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _install(tagging: bool) -> None:
    """Swap the allocators (``_new`` for the commonest nodes, ``__init__`` of
    every node class for the rest) for tagging ones, or put the plain ones back."""
    allocate = _tagging_new if tagging else _plain_new
    engine._new = allocate
    nodes.new_node = allocate
    for cls in _node_classes():
        init = cls.__dict__.get("__init__")
        if init is None:
            continue
        plain = getattr(init, "plain", None)
        if tagging and plain is None:
            cls.__init__ = _tagging_init(init)
        elif not tagging and plain is not None:
            cls.__init__ = plain


def current() -> Group | None:
    """The innermost group open in this thread, if any."""
    stack = _local.stack
    return stack[-1] if stack else None


@contextmanager
def opened(existing: Group) -> Iterator[Group]:
    """Record the nodes built in this thread into ``existing`` while the block runs."""
    global _open, used
    stack = _local.stack
    with _lock:
        _open += 1
        used = True
        if _open == 1:
            _install(True)
    stack.append(existing)
    try:
        yield existing
    finally:
        stack.pop()
        with _lock:
            _open -= 1
            if _open == 0:
                _install(False)


@contextmanager
def group(name: str, kind: str = "block") -> Iterator[Group]:
    """A new group inside the innermost open one; nodes built in this thread
    while it is open (op nodes and leaves) belong to it."""
    if kind not in KINDS:
        raise ValueError(f"unknown group kind {kind!r}; choose one of: {KINDS}")
    with opened(Group(name, kind, current())) as new:
        yield new


def group_of(node: Value) -> Group | None:
    """The group ``node`` was built in (or put in), or None."""
    return getattr(node, "group", None)


def put_in_group(members: Iterable[Value], into: Group) -> None:
    """Put nodes built elsewhere (a neuron's weights) in ``into``."""
    global used
    used = True
    for node in members:
        node.group = into
