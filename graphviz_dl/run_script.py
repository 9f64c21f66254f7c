"""Run a person's own Python file, as ``python FILE.py`` would, and find its graph.

This is the one place where the app runs code: code the person wrote, on their
own machine, at their explicit request (``graphviz-dl run FILE.py``). Typed
programs, lessons and sessions never come here: they go through the whitelist
language, which evaluates nothing.

The graph to explore is, in this order: the variable named by ``root``; what
the file passed to :func:`graphviz_dl.explore`; or the last variable of the
file's top level (in the order names were first assigned) that holds a value
node — ours, micrograd's, or a scalar torch tensor with a graph.
"""

from __future__ import annotations

import os
import runpy
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .call_groups import CallGroup, CallRecorder, build_groups
from .engine import Value
from .groups import Group, group_of, put_in_group
from .interop import ImportedGraph, import_graph, is_graph_like, parents_of
from .launch import capturing


class ScriptError(Exception):
    """The file could not run, or left no graph; ``line`` is in the person's file."""

    def __init__(self, message: str, path: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line


@dataclass
class ScriptResult:
    """What a run found: the graph and the name it had in the file."""

    graph: ImportedGraph
    name: str
    path: str
    groups: list[CallGroup] = field(default_factory=list)
    """Calls of the file's own functions and classes that built the graph."""


def run_file(
    path: str | os.PathLike, root: str | None = None, argv: Sequence[str] = ()
) -> ScriptResult:
    """Run ``path`` as ``__main__`` (with ``argv`` after the file name) and
    return its graph; :class:`ScriptError` says what went wrong and where."""
    path = str(Path(path))
    if not Path(path).is_file():
        raise ScriptError(f"{path}: no such file", path)
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [path, *argv]
    sys.path.insert(0, str(Path(path).resolve().parent))
    recorder = CallRecorder(path, _is_node)
    try:
        with capturing() as explored, recorder:
            namespace = runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise ScriptError(f"{path} exited with {exc.code!r}", path) from None
        namespace, explored = {}, []
    except BaseException as exc:  # noqa: BLE001 - the person's error, shown to them
        raise _script_error(path, exc) from None
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    name, node = _choose_root(path, namespace, explored, root)
    graph = import_graph(node)
    groups = []
    if graph.source in ("graphviz_dl", "micrograd"):
        groups = build_groups(recorder, node, parents_of, graph.node_for)
        put_calls_in_groups(groups)
    return ScriptResult(graph, name, path, groups)


def put_calls_in_groups(calls: list[CallGroup]) -> None:
    """Give the explored nodes the calls' groups (kind "call"), the innermost
    call winning, so the explorer folds them like :mod:`graphviz_dl.nn`'s.

    A node already in a group (built by ``nn`` or inside a ``with group``
    block) keeps it, and that group's tree hangs under the innermost call
    holding the node."""
    made: set[Group] = set()

    def tag(call: CallGroup, parent: Group | None) -> None:
        mine = Group(call.name, "call", parent)
        made.add(mine)
        for node in call.members:
            own = group_of(node)
            if own is None or own in made:
                put_in_group((node,), mine)
                continue
            while own.parent is not None and own.parent not in made:
                own = own.parent
            own.parent = mine
        for child in call.children:
            tag(child, mine)

    for call in calls:
        tag(call, None)


def _is_node(obj: object) -> bool:
    """Cheap test, called on every argument of every watched call."""
    return isinstance(obj, Value) or (
        hasattr(obj, "_prev") and hasattr(obj, "data") and hasattr(obj, "_op")
    )


def _choose_root(path, namespace: dict, explored: list, root: str | None):
    if root is not None:
        if root not in namespace:
            raise ScriptError(f"{path} has no top-level variable called {root!r}", path)
        if not is_graph_like(namespace[root]):
            kind = type(namespace[root]).__name__
            raise ScriptError(f"{root!r} in {path} is a {kind}, not a value node", path)
        return root, namespace[root]
    if explored:
        return "explored", explored[-1]
    found = [
        (name, value)
        for name, value in namespace.items()
        if not name.startswith("_") and is_graph_like(value)
    ]
    if not found:
        raise ScriptError(
            f"{path} ran, but left no value node at its top level: assign the "
            "output to a variable, pass it to explore(), or name it with --root",
            path,
        )
    return found[-1]


def _script_error(path: str, exc: BaseException) -> ScriptError:
    """The traceback cut to the person's own file, ending at their line."""
    frames = traceback.extract_tb(exc.__traceback__)
    target = os.path.abspath(path)
    own = [f for f in frames if os.path.abspath(f.filename) == target]
    if isinstance(exc, SyntaxError) and exc.filename:
        line = exc.lineno
        text = f"{path}:{line}:{exc.offset or 0}: {exc.msg}"
    else:
        line = own[-1].lineno if own else None
        shown = traceback.format_list(own or frames[-1:])
        kind = type(exc).__name__
        text = "".join(shown) + f"{kind}: {exc}"
    return ScriptError(text, path, line)
