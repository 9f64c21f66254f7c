"""Corrupt settings: each settings file the app keeps overwritten with garbage,
binary bytes or values out of range, then the app started on it.

For each case: whether the app came up (all labs present), the message a
person sees (status bar and the labs' status lines), and the time to the
window compared with a start on clean settings. Goal: alive, a message that
names the file (and the field, for a bad value), under 2 s more than a clean
start.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from benchmarks.reliability import procs
from benchmarks.reliability.report import Row

FILES = {
    "main window": "graphviz-dl.conf",
    "optimizer lab": "optimizer-lab.ini",
    "training lab": "training-lab.ini",
}
OUT_OF_RANGE = {
    "graphviz-dl.conf": {
        "window/geometry": "@ByteArray(\\x1\\x2\\x3garbage)",
        "explorer/state": "@ByteArray(\\xff\\xff)",
        "recentFiles": ", ".join(f"/nowhere/f{i}.txt" for i in range(2000)),
    },
    "optimizer-lab.ini": {
        "speed": "1e308",
        "configs": json.dumps(
            [{"kind": "sgd", "hyper": {"lr": -5}, "colour": "not-a-colour"}]
        ),
        "start": '[1e400, "x"]',
        "surface": "no-such-surface",
        "arrows": "maybe",
    },
    "training-lab.ini": {
        "data": json.dumps({"kind": "moons", "n_points": 1e8, "noise": -3}),
        "config": json.dumps(
            {"hidden": [100000, 100000], "batch_size": 0, "hyper": {"lr": -1}}
        ),
    },
}


def _ini(values: dict[str, str]) -> str:
    lines = ["[General]"]
    for key, value in values.items():
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(
            f'{key}="{escaped}"' if value.startswith(("[", "{")) else f"{key}={value}"
        )
    return "\n".join(lines) + "\n"


def corrupt_bytes(file: str, how: str, seed: int = 0) -> bytes:
    """The content that replaces ``file`` for case ``how``."""
    rng = random.Random(f"{file}{how}{seed}")
    if how == "garbage":
        words = ["{{", "]]", "==", "[General", "=", "\\", '"', "ä", "#", "\n", "key"]
        return "".join(rng.choice(words) for _ in range(4000)).encode("utf-8")
    if how == "binary":
        return bytes(rng.randrange(256) for _ in range(20_000))
    return _ini(OUT_OF_RANGE[file]).encode("utf-8")


def start_on(file: str | None, how: str) -> procs.ChildResult:
    """Start the app with ``file`` (in its settings folder) corrupted by ``how``."""
    home = Path(tempfile.mkdtemp(prefix="reliability-settings-"))
    env = procs.scratch_env(home)
    if file is not None:
        folder = Path(env["XDG_CONFIG_HOME"]) / "graphviz-dl"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / file).write_bytes(corrupt_bytes(file, how))
    return procs.run(procs.child_command("settings"), env, timeout=90)


def _verdict(result: procs.ChildResult, file: str, how: str, clean: float):
    seen = result.first("SETTINGS")
    if seen is None:
        tail = result.stderr.strip().splitlines()[-1:] or ["nothing on stderr"]
        return f"app did not come up (exit {result.code}): {tail[0][:160]}", False
    messages = [m for m in seen["messages"] if m]
    shown = " | ".join(m[:160] for m in messages) or "no message"
    names_file = any(file in m for m in messages)
    fields = OUT_OF_RANGE[file] if how == "out of range" else {}
    names_field = not fields or any(k in m for m in messages for k in fields)
    extra = seen["elapsed"] - clean
    alive = result.code == 0 and seen["labs"] == 3
    figure = (
        f"{'alive' if alive else 'NOT alive'} (exit {result.code}, {seen['labs']} of 3 "
        f"labs); window after {seen['elapsed']:.2f} s ({extra:+.2f} s vs clean); "
        f"message: {shown}"
    )
    return figure, alive and names_file and names_field and extra < 2.0


def measure(seed: int = 0, workers: int = 2) -> tuple[list[Row], list[str]]:
    """One row per settings file and kind of damage, and the clean start."""
    cases = [(None, "clean")] + [
        (file, how)
        for file in FILES.values()
        for how in ("garbage", "binary", "out of range")
    ]
    cases.append((None, "clean"))  # once at each end: the load changes
    results = procs.parallel(
        [lambda f=f, h=h: start_on(f, h) for f, h in cases], workers
    )
    ends = (results[0].first("SETTINGS") or {}, results[-1].first("SETTINGS") or {})
    clean = max(seen.get("elapsed", 0.0) for seen in ends)
    cases, results = cases[:-1], results[:-1]
    rows = [
        Row(
            "clean settings: start",
            f"window after {clean:.2f} s (the slower of two, first and last)",
            "reference",
        )
    ]
    names = {file: what for what, file in FILES.items()}
    for (file, how), result in zip(cases[1:], results[1:], strict=True):
        figure, met = _verdict(result, file, how, clean)
        rows.append(
            Row.judged(
                f"settings: {names[file]} {how}",
                figure,
                "alive; names file (+field); < 2 s",
                met,
            )
        )
    return rows, []
