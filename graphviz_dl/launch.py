"""``explore(root)``: open the graph explorer on a graph built in Python.

The core never imports Qt, so this function only hands the graph on: to a
running ``graphviz-dl run`` (which collects what a script explores), or to the
app in the ``ui`` package, imported by name when it is first needed.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator

_collected: list[list[object]] = []


@contextlib.contextmanager
def capturing() -> Iterator[list[object]]:
    """Collect what :func:`explore` is given instead of opening a window (the
    app does this while it runs a person's file)."""
    found: list[object] = []
    _collected.append(found)
    try:
        yield found
    finally:
        _collected.remove(found)


def explore(root: object, *, title: str | None = None) -> object:
    """Show ``root``'s graph in the explorer, with its walkthrough.

    ``root`` is one of our Values, a micrograd-style value (``data``, ``grad``,
    ``_prev``, ``_op``) or a scalar torch tensor with a graph. From a script,
    the call returns when the window is closed; in IPython or Jupyter with a Qt
    event loop (``%gui qt``) it returns at once and the window stays live;
    calling it again shows the new graph in the same window. Returns the window
    (None while ``graphviz-dl run`` collects graphs).
    """
    if _collected:
        _collected[-1].append(root)
        return None
    app = importlib.import_module("ui.explore")
    return app.explore(root, title=title)
