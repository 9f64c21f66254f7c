"""Figures beside their goals: one table per kind of check.

A row is measured (its figure met the goal or not) or "not measurable"
(the feature it needs does not exist yet); the tables say which, never
leaving a row out or faking it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

OK, FAIL, INFO, MISSING = "ok", "FAIL", "-", "n/a"


@dataclass(frozen=True)
class Row:
    """One figure: what was checked, what came out, and what it should be."""

    check: str
    figure: str
    goal: str
    verdict: str = INFO

    @classmethod
    def judged(cls, check: str, figure: str, goal: str, met: bool) -> Row:
        return cls(check, figure, goal, OK if met else FAIL)

    @classmethod
    def missing(cls, check: str, feature: str, goal: str = "") -> Row:
        """A check whose feature the app does not have yet."""
        return cls(
            check, f"not measurable: {feature} does not exist yet", goal, MISSING
        )


def table(title: str, rows: Iterable[Row], width: int = 200) -> str:
    """The rows as aligned text under ``title`` (long figures wrap)."""
    rows = list(rows)
    head = Row("check", "figure", "goal", "")
    columns = [
        max(len(r.check) for r in [head, *rows]),
        min(max(len(r.figure) for r in [head, *rows]), 70),
        max(len(r.goal) for r in [head, *rows]),
    ]
    lines = [f"== {title}"]
    for row in [head, *rows]:
        pieces = textwrap.wrap(row.figure, columns[1]) or [""]
        lines.append(
            f"  {row.check:<{columns[0]}}  {pieces[0]:<{columns[1]}}  "
            f"{row.goal:<{columns[2]}}  {row.verdict}".rstrip()[:width]
        )
        for more in pieces[1:]:
            lines.append(f"  {'':<{columns[0]}}  {more}")
    return "\n".join(lines)


def failures(rows: Iterable[Row]) -> int:
    """How many rows missed their goal."""
    return sum(row.verdict == FAIL for row in rows)


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
