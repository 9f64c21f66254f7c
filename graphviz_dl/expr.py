"""The expression language's public names (it lives in :mod:`graphviz_dl.language`).

``from graphviz_dl.expr import parse, ExpressionError`` keeps working.
"""

from .language import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_LABEL,
    MAX_NODES,
    MAX_STATEMENTS,
    MAX_STEPS,
    MAX_TURNS,
    ExpressionError,
    parse,
    suggest,
)

__all__ = [
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_LABEL",
    "MAX_NODES",
    "MAX_STATEMENTS",
    "MAX_STEPS",
    "MAX_TURNS",
    "ExpressionError",
    "parse",
    "suggest",
]
