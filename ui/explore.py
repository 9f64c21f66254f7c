"""The window behind :func:`graphviz_dl.explore`: one explorer per process, reused.

From a script, ``explore(o)`` opens the app and returns when the window is
closed. In IPython or Jupyter with a Qt event loop (``%gui qt``) it returns at
once and the window stays live; calling it again shows the new graph in the
same window.
"""

from __future__ import annotations

import sys

import shiboken6
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from graphviz_dl.interop import ImportedGraph, import_graph

_window = None


def explore(root: object, *, title: str | None = None):
    """Show ``root``'s graph (see :func:`graphviz_dl.explore`)."""
    global _window
    graph = import_graph(root)
    owns_app = QApplication.instance() is None
    if owns_app:
        QApplication(sys.argv[:1] or ["graphviz-dl"])
    from ui.app import close_window, configure_pyqtgraph, run_until_closed
    from ui.main_window import MainWindow

    if _window is None or not shiboken6.isValid(_window):
        configure_pyqtgraph()
        _window = MainWindow()
    show_graph(_window, graph, title or _name(root))
    _window.show()
    _window.raise_()
    if _loop_running():
        return _window
    run_until_closed(_window, owns_app)
    close_window(_window)
    _window = None
    return None


def show_graph(window, graph: ImportedGraph, name: str) -> None:
    """Load ``graph`` into ``window``'s explorer; once its walkthrough is
    ready, say whether the imported values and gradients agree with it."""
    window.select_lab("explorer")
    loader = window.loader

    def forget(*_args) -> None:
        loader.loaded.disconnect(report)
        loader.failed.disconnect(forget)

    def report(program) -> None:
        forget()
        walk = program.walk
        grads = dict(zip(walk.nodes, walk.grads(len(walk)), strict=True))
        problems = graph.disagreements(grads)
        if problems:
            shown = "; ".join(problems[:3])
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            window.show_message(f"From {graph.source}: {shown}{more}", 0)
        elif graph.source != "graphviz_dl" or graph.foreign_grads:
            window.show_message(
                f"From {graph.source}: every value and gradient agrees with this "
                "engine's walkthrough",
                0,
            )

    loader.loaded.connect(report)
    loader.failed.connect(forget)
    loader.load_values({name: graph.root})


def _name(root: object) -> str:
    label = getattr(root, "label", "")
    return label if isinstance(label, str) and label.isidentifier() else "output"


def _loop_running() -> bool:
    """Whether a Qt event loop already runs (IPython's ``%gui qt``, or a call
    from inside a running app), so the window can live on after we return."""
    if QThread.currentThread().loopLevel() > 0:
        return True
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    ipython = shell.get_ipython()
    loop = getattr(ipython, "active_eventloop", None)
    return isinstance(loop, str) and loop.startswith("qt")
