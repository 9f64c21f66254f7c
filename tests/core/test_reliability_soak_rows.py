"""The soak's memory row: growth is judged only after a warm-up long enough
for the labs to fill up (the training lab's rewind snapshots take a minute)."""

from __future__ import annotations

import pytest

from benchmarks.reliability import soak
from benchmarks.reliability.procs import ChildResult
from benchmarks.reliability.report import FAIL, INFO, OK


def _memory_row(seconds: float, start_mb: float, end_mb: float):
    figures = {
        "seconds": seconds,
        "changes": 10,
        "rss_start": int(start_mb * 1e6),
        "rss_end": int(end_mb * 1e6),
        "stalls": 0,
        "worst_stall": 0.0,
        "exceptions": 0,
        "qt_criticals": 0,
        "qt_warnings": 0,
    }
    result = ChildResult(code=0, seconds=seconds, stderr="", lines={"SOAK": [figures]})
    (row,) = [r for r in soak.rows_for("training", result) if "memory" in r.check]
    return row


@pytest.mark.parametrize(("end_mb", "verdict"), [(260, OK), (300, FAIL)])
def test_a_long_soak_judges_memory_growth(end_mb, verdict):
    row = _memory_row(600.0, 250, end_mb)
    assert row.verdict == verdict
    assert "250 MB after warm-up" in row.figure


def test_a_short_soak_prints_memory_but_does_not_judge_the_filling_up():
    row = _memory_row(20.0, 200, 234)
    assert row.verdict == INFO
    assert "+17.0%" in row.figure
    assert "5 s warm-up is shorter than the 60 s" in row.figure
