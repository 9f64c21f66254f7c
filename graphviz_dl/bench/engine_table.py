"""The engine benchmark's table: one row per measurement, ours next to micrograd.

Imports only the standard library at the top (see :mod:`.harness`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

if __package__:
    from . import harness
    from .harness import Samples
else:  # a worker started by path
    import harness
    from harness import Samples

OURS = "ours"
MICROGRAD = "micrograd"

seconds = harness.format_seconds


def format_bytes(b: float | None) -> str:
    from graphviz_dl.numfmt import format_number

    return "—" if b is None else f"{format_number(b, 3)} B"


@dataclass
class Row:
    """One line of the table: a measurement's medians, and its target if it has one."""

    name: str
    ours: Samples
    key: str
    show: Callable[[float | None], str]
    theirs: Samples | None = None  # None: ours alone
    target: float | None = None

    def cells(self, compared: bool, judge: bool) -> list[str]:
        from graphviz_dl.numfmt import format_number

        ours = self.ours.median(OURS, self.key)
        theirs = (
            None if self.theirs is None else self.theirs.median(MICROGRAD, self.key)
        )
        ratio = None if ours is None or not theirs else ours / theirs
        if self.theirs is None:
            theirs_text = "—"
        elif MICROGRAD in self.theirs.errors:
            theirs_text = "failed"
        else:
            theirs_text = self.show(theirs) if compared else "not installed"
        target = ""
        if self.target is not None:
            target = f"≤ {format_number(self.target)}"
            if judge and ratio is not None:
                target += " met" if ratio <= self.target else " MISSED"
        counts = {self.ours.count(OURS, self.key)}
        if self.theirs is not None and compared:
            counts.add(self.theirs.count(MICROGRAD, self.key))
        return [
            self.name,
            "failed" if OURS in self.ours.errors else self.show(ours),
            theirs_text,
            "—" if ratio is None else format_number(ratio, 3),
            target,
            "/".join(str(c) for c in sorted(counts)),
        ]

    def failures(self) -> list[str]:
        found = [(OURS, self.ours.errors.get(OURS))]
        if self.theirs is not None:
            found.append((MICROGRAD, self.theirs.errors.get(MICROGRAD)))
        return [f"  {self.name} — {who} failed: {why}" for who, why in found if why]


HEADER = [
    "measurement (median)",
    "ours",
    "micrograd",
    "ours ÷ micrograd",
    "target",
    "runs",
]


def print_rows(rows: list[Row], compared: bool, judge: bool) -> None:
    harness.print_table([HEADER] + [row.cells(compared, judge) for row in rows])
    for row in rows:
        for failure in row.failures():
            print(failure)
