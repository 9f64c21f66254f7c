"""Kill during save: for each kind of file the app writes, SIGKILL the writer
at random moments and count files that are neither the old nor the new
complete content (goal 0). A plain ``write_text`` runs as a control: it
shows that the check does see a torn file when there is one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.reliability import procs
from benchmarks.reliability.report import INFO, Row
from benchmarks.reliability.savers import KINDS

WHAT = {
    "explorer-dot": "explorer: Export DOT",
    "explorer-png": "explorer: Export PNG",
    "explorer-svg": "explorer: Export SVG",
    "program-save": "explorer: Save program",
    "settings-explorer": "settings: main window",
    "race-csv": "optimizer lab: race CSV",
    "optimizer-png": "optimizer lab: Export PNG",
    "optimizer-svg": "optimizer lab: Export SVG",
    "settings-optimizers": "settings: optimizer lab",
    "training-csv": "training lab: Save points (CSV)",
    "settings-training": "settings: training lab",
    "session-app": "session: File ▸ Save session",
    "session-core": "session: core save_session",
    "atomic-control": "atomic_write_text (control)",
    "plain-control": "plain write_text (control)",
}


def kill_kind(kind: str, rounds: int, seed: int) -> procs.ChildResult:
    folder = Path(tempfile.mkdtemp(prefix="reliability-kill-"))
    command = procs.child_command(
        "save", "--kind", kind, "--out", str(folder / "out"), "--rounds", str(rounds)
    )
    command += ["--seed", str(seed)]
    return procs.run(command, procs.scratch_env(folder), timeout=60 + 20 * rounds)


def row_for(kind: str, result: procs.ChildResult) -> Row:
    figures = result.first("KILLS")
    check = WHAT.get(kind, kind)
    if figures is None or "error" in figures:
        why = (figures or {}).get("error") or (result.stderr.strip()[-200:] or "?")
        return Row.judged(
            check, f"no figure (exit {result.code}): {why}", "0 neither", False
        )
    torn, rounds = figures["torn"], figures["rounds"]
    how = "" if figures["deterministic"] else ", judged by shape"
    mixed = figures.get("mixed", 0)
    if mixed:
        how += f"; {mixed} of them whole files mixing two saves"
    figure = (
        f"{torn} of {rounds} neither old nor new ({figures['path']}, one write {figures['write_ms']:.0f} ms"
        f"{how}; temporary files left: {figures['litter']})"
    )
    if kind == "plain-control":
        return Row(
            check, figure + " — the check sees torn files", "> 0 (control)", INFO
        )
    return Row.judged(check, figure, "0 neither", torn == 0)


def measure(
    rounds: int, seed: int = 0, kinds=KINDS, workers: int = 1
) -> tuple[list[Row], list[str]]:
    """The kill-during-save table, one row per kind of file."""
    jobs = [lambda k=k: kill_kind(k, rounds, seed) for k in kinds]
    results = procs.parallel(jobs, workers)
    rows = [row_for(kind, result) for kind, result in zip(kinds, results, strict=True)]
    notes = [
        f"{kind}: exit {r.code} {r.stderr.strip()[-300:]}"
        for kind, r in zip(kinds, results, strict=True)
        if r.code != 0 and kind != "plain-control"
    ]
    return rows, notes
