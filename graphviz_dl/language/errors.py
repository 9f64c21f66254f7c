"""The one error a program can raise, and the limits that keep building bounded."""

from __future__ import annotations

from ..cancel import Cancelled

MAX_CHARS = 500_000
"""Longest program accepted, in characters."""
MAX_STATEMENTS = 20_000
"""Most statements at the top level of one program (a 20,000-line program
still parses, builds and walks through in about a second)."""
MAX_DEPTH = 200
"""Deepest nesting of one expression (each operator or call is a level)."""
MAX_NODES = 200_000
"""Most graph nodes one program may build: about what the explorer can still show.
Loops are what could exceed it; straight-line text stays far below it."""
MAX_TURNS = 100_000
"""Most loop and comprehension turns in one program, all loops together, so
nested loops cannot multiply past it."""
MAX_STEPS = 1_000_000
"""Most evaluation steps (a statement run or an expression evaluated) in one
program: with :data:`MAX_TURNS` it bounds the time of any accepted program,
however large a loop's body is."""
MAX_LABEL = 100
"""Longest label text, in characters."""


class ExpressionError(ValueError):
    """A program that cannot be built: what is wrong, and where.

    ``line`` and ``col`` are 1-based and count characters of the text as the
    person typed it (a ``^`` stays one column). ``message`` is the bare text;
    ``str(error)`` is ``"line 6: unknown name 'c' — did you mean 'b'?"``.
    """

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(f"line {line}: {message}")
        self.message = message
        self.line = line
        self.col = col


CHECK_EVERY = 2048
"""Steps between two looks at a caller's ``cancelled()`` (well under 10 ms)."""


class BuildStopped(Cancelled):
    """Building stopped before the end because the caller asked (``cancelled()``
    turned true): not a fault of the program."""


class OverBudget(BuildStopped):
    """Building needs more steps than the caller's ``budget``: the program may
    well be fine, it just takes longer than the caller wanted to wait here."""
