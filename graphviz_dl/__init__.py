"""graphviz_dl: see how neural networks learn, one node at a time.

The core package: a scalar autograd engine, its walkthrough as data, graph
layout and export, the expression language, optimizers and loss surfaces.
It never imports Qt; the app in ``ui`` sits on top of it.
"""

from .dot import to_dot
from .engine import Value
from .expr import ExpressionError, parse
from .launch import explore
from .program import to_program
from .walkthrough import walkthrough

__all__ = [
    "ExpressionError",
    "Value",
    "explore",
    "parse",
    "to_dot",
    "to_program",
    "walkthrough",
]
