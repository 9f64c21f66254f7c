"""What every benchmark shares: worker processes, alternating runs, medians, tables.

This module imports only the standard library at the top: a benchmark started
by path as a worker process (see :func:`entry_point`) imports it as a plain
module, so a micrograd worker never loads numpy or graphviz_dl.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TIMEOUT_SECONDS = 900
cpu_seconds = time.process_time
"""The clock for single-threaded work: CPU time, not wall time, so other
processes on a shared machine (this one has two cores for several people)
do not count against whichever engine happened to be running."""
QUICK_HELP = "small sizes (a smoke test)"


# --- inputs --------------------------------------------------------------------------


def xor_points(n: int) -> tuple[list[list[float]], list[float]]:
    """``n`` random points in [−2, 2]², labelled ±1 by quadrant (an XOR pattern)."""
    rng = random.Random(1)
    xs = [[rng.uniform(-2.0, 2.0), rng.uniform(-2.0, 2.0)] for _ in range(n)]
    return xs, [1.0 if x[0] * x[1] > 0 else -1.0 for x in xs]


def micrograd_available() -> bool:
    return importlib.util.find_spec("micrograd") is not None


# --- worker processes ----------------------------------------------------------------


def answer_worker(spec_json: str, work: Callable[[dict], dict]) -> None:
    """In a worker: do what the parent asked and print the result as one JSON line."""
    print(json.dumps(work(json.loads(spec_json))), flush=True)


def run_worker(script: str, spec: dict, timeout: int = TIMEOUT_SECONDS) -> dict:
    """Run ``script --worker spec`` in a fresh interpreter, started by path, and
    return what it reported (or ``{"error": …}``: a failure is a finding)."""
    import graphviz_dl

    package_root = os.path.dirname(
        os.path.dirname(os.path.abspath(graphviz_dl.__file__))
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, env.get("PYTHONPATH", "")) if p
    )
    command = [sys.executable, os.path.abspath(script), "--worker", json.dumps(spec)]
    try:
        done = subprocess.run(
            command,
            check=False,
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        return json.loads(lines[-1])
    if done.returncode < 0:
        try:
            name = signal.Signals(-done.returncode).name
        except ValueError:
            name = f"signal {-done.returncode}"
        return {"error": f"crashed ({name})"}
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit code {done.returncode}: {last}"[:200]}


@dataclass
class Samples:
    """Everything the runs of one measurement reported, per engine."""

    values: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    extra: dict[str, dict] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, engine: str, result: dict) -> None:
        if "error" in result:
            self.errors.setdefault(engine, result["error"])
            return
        store = self.values.setdefault(engine, {})
        for key, value in result.items():
            if isinstance(value, list):
                store.setdefault(key, []).extend(value)
            else:
                self.extra.setdefault(engine, {}).setdefault(key, []).append(value)

    def median(self, engine: str, key: str) -> float | None:
        found = self.values.get(engine, {}).get(key)
        return statistics.median(found) if found else None

    def count(self, engine: str, key: str) -> int:
        return len(self.values.get(engine, {}).get(key, []))

    def last(self, engine: str, key: str) -> object | None:
        """The latest run's single value ``key`` (a loss, say), if any run gave one."""
        found = self.extra.get(engine, {}).get(key)
        return found[-1] if found else None


def interleaved(
    measure: Callable[[str], dict], engines: list[str], runs: int
) -> Samples:
    """``runs`` measurements per engine, alternating which engine goes first, so
    neither engine's garbage or a busy moment of the machine favours the other."""
    samples = Samples()
    for run_index in range(runs):
        order = engines if run_index % 2 == 0 else engines[::-1]
        for engine in order:
            samples.add(engine, measure(engine))
    return samples


# --- timing --------------------------------------------------------------------------


def timed_steps(
    model: Any,
    batch_loss: Callable[[], Any],
    steps: int,
    learning_rate: float | None = None,
) -> dict:
    """CPU seconds of each of ``steps`` training steps of a scalar-engine ``model``
    (ours or micrograd's): build the loss, zero the grads, backward, and an SGD
    update if ``learning_rate`` is given; the last loss comes back too."""
    params = model.parameters()
    times = []
    for _ in range(steps):
        start = cpu_seconds()
        loss = batch_loss()
        model.zero_grad()
        loss.backward()
        if learning_rate is not None:
            for p in params:
                p.data -= learning_rate * p.grad
        times.append(cpu_seconds() - start)
    return {"step": times, "loss": float(loss.data)}


def median_seconds(
    work: Callable[[], object], repeats: int, *, warm_up: bool = False
) -> float:
    """Median seconds of ``repeats`` calls of ``work`` (after one untimed call if
    ``warm_up``)."""
    if warm_up:
        work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- printing ------------------------------------------------------------------------


def progress(what: str) -> None:
    """Say on stderr what is being measured (the table goes to stdout)."""
    print(f"measuring {what} …", file=sys.stderr, flush=True)


def format_seconds(t: float | None) -> str:
    """A duration in s, ms or µs with three significant digits; "—" for none."""
    from graphviz_dl.numfmt import format_number

    if t is None:
        return "—"
    if t >= 1.0:
        return f"{format_number(t, 3)} s"
    if t >= 1e-3:
        return f"{format_number(t * 1e3, 3)} ms"
    return f"{format_number(t * 1e6, 3)} µs"


def print_table(rows: list[list[str]]) -> None:
    """The first row as a header over a rule; the first column left-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        print("  ".join(cells).rstrip())
        if i == 0:
            print("  ".join("─" * w for w in widths))


# --- the command line ----------------------------------------------------------------


def parser(
    prog: str,
    description: str | None = None,
    quick_help: str = QUICK_HELP,
    worker: bool = False,
) -> argparse.ArgumentParser:
    """A benchmark's command line: ``--quick`` (and a hidden ``--worker SPEC``)."""
    found = argparse.ArgumentParser(prog=prog, description=description)
    found.add_argument("--quick", action="store_true", help=quick_help)
    if worker:
        found.add_argument("--worker", help=argparse.SUPPRESS)
    return found


def main(
    argv: list[str] | None,
    prog: str,
    run: Callable[..., None],
    *,
    description: str | None = None,
    worker: Callable[[str], None] | None = None,
    quick_help: str = QUICK_HELP,
) -> int:
    """Parse the command line, then measure (or, in a worker, answer the parent)."""
    args = parser(prog, description, quick_help, worker is not None).parse_args(argv)
    if worker is not None and args.worker is not None:
        worker(args.worker)
    else:
        run(quick=args.quick)
    return 0


def entry_point(main: Callable[[], int], script: str) -> None:
    """``if __name__ == "__main__"`` of a benchmark: exit with ``main()``'s code.

    A worker is started by path, which puts the benchmark's own folder first on
    the import path; that folder's modules are taken off it, so its names
    (``engine``, ``compile``) cannot hide anything the worker imports.
    """
    if (
        "--worker" in sys.argv
        and sys.path
        and sys.path[0] == os.path.dirname(os.path.abspath(script))
    ):
        del sys.path[0]
    sys.exit(main())
