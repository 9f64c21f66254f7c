"""Soak: each lab driven for minutes with a change every few seconds.

Figures per lab: exceptions logged (Python's and Qt's criticals; goal 0), the
memory after warm-up (the first quarter) and at the end (goal: under 10 %
growth, judged when the warm-up lasts as long as the labs take to fill up),
GUI stalls over 100 ms (count and worst; printed, not judged: the
machine is shared).
"""

from __future__ import annotations

from benchmarks.reliability import procs
from benchmarks.reliability.report import Row

LABS = ("explorer", "optimizers", "training")
GROWTH_GOAL = 0.10
FILLED_AFTER = 60.0
"""Seconds a lab takes to reach its working size: the training lab fills its
500 rewind snapshots and meets each dataset in about a minute (RSS +25 % on
the way, then flat). A shorter warm-up measures that filling, not a leak."""
CHANGES = {
    "explorer": "step forward/back, play, load examples, edit a leaf",
    "optimizers": "race, change lr, change surface, reset",
    "training": "play, change lr, new data, pause",
}


def soak_one(lab: str, seconds: float, every: float, seed: int) -> procs.ChildResult:
    """One child soaking ``lab``."""
    command = procs.child_command(
        "soak", "--lab", lab, "--seconds", str(seconds), "--every", str(every)
    )
    command += ["--seed", str(seed)]
    return procs.run(command, procs.scratch_env(), timeout=seconds + 120)


def _mb(value: int) -> str:
    return f"{value / 1e6:.0f} MB"


def rows_for(lab: str, result: procs.ChildResult) -> list[Row]:
    """The soak table's rows for one lab."""
    figures = result.first("SOAK")
    if figures is None:
        tail = result.stderr.strip().splitlines()[-1:] or ["nothing on stderr"]
        return [
            Row.judged(
                f"{lab}: soak",
                f"did not finish (exit {result.code}): {tail[0][:200]}",
                "finishes",
                False,
            )
        ]
    final = result.first("EXCEPTIONS") or figures
    start, end = figures["rss_start"], figures["rss_end"]
    growth = (end - start) / start if start else float("nan")
    warmup = figures["seconds"] / 4
    memory = f"{_mb(start)} after warm-up (¼) → {_mb(end)} at the end ({growth:+.1%})"
    logged = final["exceptions"] + final["qt_criticals"]
    first = "; ".join(final.get("first", [])[:2])
    return [
        Row.judged(
            f"{lab}: exceptions logged",
            f"{logged} in {figures['seconds']:.0f} s, {figures['changes']} changes "
            f"({CHANGES[lab]}); exit {result.code}"
            + (f"; first: {first}" if first else ""),
            "0",
            logged == 0 and result.code == 0,
        ),
        Row.judged(
            f"{lab}: memory (RSS)", memory, "< 10 % growth", growth < GROWTH_GOAL
        )
        if warmup >= FILLED_AFTER
        else Row(
            f"{lab}: memory (RSS)",
            f"{memory}; a {warmup:.0f} s warm-up is shorter than the "
            f"{FILLED_AFTER:.0f} s a lab takes to fill up: judged from a "
            f"{4 * FILLED_AFTER / 60:.0f}-minute soak",
            "< 10 % growth",
        ),
        Row(
            f"{lab}: GUI stalls > 100 ms",
            f"{figures['stalls']}, worst {1000 * figures['worst_stall']:.0f} ms "
            f"(Qt warnings: {final['qt_warnings']})",
            "count and worst",
        ),
    ]


def measure(
    seconds: float, every: float = 2.0, seed: int = 0, labs=LABS, together=False
) -> tuple[list[Row], list[str]]:
    """The soak table: labs one after another (stalls are then each lab's own),
    or ``together`` (a third of the time; stalls then share the machine)."""
    rows: list[Row] = []
    notes: list[str] = []
    jobs = [lambda lab=lab: soak_one(lab, seconds, every, seed) for lab in labs]
    results = procs.parallel(jobs, len(jobs) if together else 1)
    for lab, result in zip(labs, results, strict=True):
        rows += rows_for(lab, result)
        if result.code != 0:
            notes.append(f"{lab} soak exit {result.code}: {result.stderr[-600:]}")
    return rows, notes
