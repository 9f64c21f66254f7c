"""graphviz_dl: see how neural networks learn, one node at a time.

The core package: a scalar autograd engine, its walkthrough as data, graph
layout and export, the expression language, optimizers and loss surfaces.
It never imports Qt; the app in ``ui`` sits on top of it.
"""

from .engine import Value

__all__ = ["Value"]
