"""Exits: every lab's ``--screenshot`` in fresh processes, and quits while
long work runs (a big program loading, a six-optimizer race, a training run).

Goal: no non-zero exit, and no process alive 2 s after its window closed.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.reliability import procs
from benchmarks.reliability.report import Row

SCREENSHOTS = {
    "explorer": ["--example", "rnn", "--step", "-1"],
    "optimizers": ["--lab", "optimizers", "--surface", "beale", "--steps", "30"],
    "training": ["--lab", "training", "--dataset", "xor", "--epochs", "2"],
}
LABS = tuple(SCREENSHOTS)
QUIT_WORK = {
    "explorer": "loading a 10,000-node program",
    "optimizers": "a 6-optimizer race running",
    "training": "a training run playing",
}
MAX_DELAY = {"optimizers": 3.0, "training": 3.0}
"""Quits come at a random moment up to this long after the window shows. The
explorer's come within its load's own length, measured first in a child that
waits for the load to finish (:func:`load_seconds`)."""


def screenshot_runs(lab: str, runs: int, workers: int = 2) -> list[procs.ChildResult]:
    """``graphviz-dl <lab options> --screenshot`` ``runs`` times, each fresh."""

    def one(index: int):
        def go() -> procs.ChildResult:
            folder = Path(tempfile.mkdtemp(prefix="reliability-shot-"))
            command = [sys.executable, "-m", "ui.cli", *SCREENSHOTS[lab]]
            command += ["--screenshot", str(folder / f"{lab}-{index}.png")]
            return procs.run(command, procs.scratch_env(folder), timeout=180)

        return go

    return procs.parallel([one(i) for i in range(runs)], workers)


def load_seconds() -> float | None:
    """How long the explorer's big program takes to load, from the window
    showing (None if the child could not say)."""
    command = procs.child_command("quit", "--lab", "explorer", "--delay", "-1")
    result = procs.run(command, procs.scratch_env(), timeout=180)
    work = result.first("WORK")
    return float(work["seconds"]) if work else None


def quit_runs(
    lab: str, runs: int, seed: int, workers: int = 2, longest: float | None = None
) -> list[procs.ChildResult]:
    """``runs`` children of ``lab`` closed at random moments during long work,
    up to ``longest`` s after the window shows (default: :data:`MAX_DELAY`, or
    for the explorer its measured load time)."""
    if longest is None:
        longest = MAX_DELAY.get(lab) or load_seconds() or 1.0
    rng = random.Random(seed)
    delays = [round(rng.uniform(0.0, longest), 3) for _ in range(runs)]

    def one(delay: float):
        def go() -> procs.ChildResult:
            command = procs.child_command("quit", "--lab", lab, "--delay", str(delay))
            return procs.run(command, procs.scratch_env(), timeout=180)

        return go

    return procs.parallel([one(d) for d in delays], workers)


def quit_figure(results: list[procs.ChildResult]) -> tuple[str, bool]:
    """The quit row's figure, and whether it met the goal (0 and 0)."""
    failed = sum(r.code != 0 for r in results)
    alive = sum(r.alive_after_close or r.closed_at is None for r in results)
    busy = sum(bool((r.first("CLOSE") or {}).get("busy")) for r in results)
    waits = [r.exit_after_close for r in results if r.exit_after_close is not None]
    figure = (
        f"{failed} of {len(results)} non-zero{_codes(results)}, {alive} alive 2 s "
        f"after the close; work under way at {busy} of {len(results)} closes; "
        f"close to exit median {statistics.median(waits or [0.0]):.2f} s, worst "
        f"{max(waits, default=0.0):.2f} s; {exit_ways(results)}"
    )
    return figure, failed == 0 and alive == 0


def exit_ways(results: list[procs.ChildResult]) -> str:
    """How many left at once, and each reason for the usual exit with its count."""
    ways = Counter(r.exit_way() for r in results)
    quick = ways.pop(None, 0)
    usual = "; ".join(f"{n} × {why}" for why, n in ways.most_common())
    return f"{quick} of {len(results)} left at once" + (
        f" (usual exit: {usual})" if usual else ""
    )


def _codes(results: list[procs.ChildResult]) -> str:
    bad = sorted({str(r.code) for r in results if r.code != 0})
    return f" (codes {', '.join(bad)})" if bad else ""


def _last_words(results: list[procs.ChildResult]) -> list[str]:
    notes = []
    for r in results:
        if r.code != 0 or r.alive_after_close or r.timed_out:
            tail = r.stderr.strip().splitlines()[-1:] or ["(nothing on stderr)"]
            notes.append(f"exit {r.code}: {tail[0][:160]}")
    return notes


def _slow_exits(results: list[procs.ChildResult]) -> list[str]:
    """Why children exited the interpreter's usual way (each reason once)."""
    return sorted({why for r in results if (why := r.exit_way())})


def measure(
    runs: int, quits: int, seed: int = 0, labs=LABS, workers: int = 2
) -> tuple[list[Row], list[str]]:
    """The exits table and notes on each failure (its last line of stderr)."""
    rows: list[Row] = []
    notes: list[str] = []
    for lab in labs:
        results = screenshot_runs(lab, runs, workers)
        failed = sum(r.code != 0 for r in results)
        slowest = max((r.seconds for r in results), default=0.0)
        rows.append(
            Row.judged(
                f"{lab}: --screenshot runs",
                f"{failed} of {len(results)} non-zero{_codes(results)}; "
                f"slowest {slowest:.1f} s; {exit_ways(results)}",
                "0 non-zero",
                failed == 0,
            )
        )
        notes += [f"{lab} screenshot: {n}" for n in _last_words(results)]
        notes += [f"{lab} screenshot: not at once: {w}" for w in _slow_exits(results)]
    for lab in labs:
        longest = None if lab in MAX_DELAY else load_seconds()
        results = quit_runs(lab, quits, seed, workers, longest)
        figure, met = quit_figure(results)
        if longest is not None:
            figure += f" (closes within the load's {longest:.2f} s, measured alone)"
        rows.append(
            Row.judged(f"{lab}: quit during {QUIT_WORK[lab]}", figure, "0 and 0", met)
        )
        notes += [f"{lab} quit: {n}" for n in _last_words(results)]
        notes += [f"{lab} quit: not at once: {w}" for w in _slow_exits(results)]
    return rows, notes
