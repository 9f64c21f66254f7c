"""``graphviz-dl bench reliability``: every reliability figure beside its goal.

    graphviz-dl bench reliability              # full size (about an hour)
    graphviz-dl bench reliability --quick      # a short version (a few minutes)
    graphviz-dl bench reliability --only exits,fuzz --runs 10 --programs 5000

Kinds: exits, soak, kills, corrupt, fuzz (see each module's docstring).
Children run two at a time for exits and corrupt inputs; soaks and kills run
one at a time, so that one child's stalls are not another's.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence

from benchmarks.reliability import KINDS
from benchmarks.reliability.report import Row, failures, table

FULL = {"runs": 50, "quits": 20, "soak_seconds": 600.0, "kills": 50}
FULL["programs"] = 100_000
QUICK = {"runs": 2, "quits": 1, "soak_seconds": 20.0, "kills": 5, "programs": 1000}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphviz-dl bench reliability",
        description="Exits, soaks, kills during saves, corrupt inputs and fuzzing, "
        "each figure beside its goal.",
    )
    parser.add_argument("--quick", action="store_true", help="the short version")
    parser.add_argument(
        "--only", default=",".join(KINDS), help=f"kinds to run, of: {', '.join(KINDS)}"
    )
    parser.add_argument(
        "--labs", default="explorer,optimizers,training", help="labs for exits and soak"
    )
    parser.add_argument("--runs", type=int, help="screenshot runs per lab (50)")
    parser.add_argument("--quits", type=int, help="quits during work per lab (20)")
    parser.add_argument(
        "--minutes", type=float, help="soak length per lab in minutes (10)"
    )
    parser.add_argument(
        "--every", type=float, default=2.0, help="soak: s between changes"
    )
    parser.add_argument(
        "--soak-together",
        action="store_true",
        help="soak the labs at the same time (stalls then share the machine)",
    )
    parser.add_argument("--kills", type=int, help="kills per kind of save (50)")
    parser.add_argument("--kinds-of-save", help="kinds of save (all by default)")
    parser.add_argument("--programs", type=int, help="fuzzed programs (100,000)")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of every random choice"
    )
    parser.add_argument("--workers", type=int, default=2, help="children at once")
    return parser


def _sizes(args: argparse.Namespace) -> dict:
    sizes = dict(QUICK if args.quick else FULL)
    for key in ("runs", "quits", "kills", "programs"):
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)
    if args.minutes is not None:
        sizes["soak_seconds"] = 60.0 * args.minutes
    return sizes


def _fuzz_rows(count: int, seed: int, workers: int) -> tuple[list[Row], list[str]]:
    from benchmarks.reliability.fuzz import SLOW, fuzz

    result = fuzz(count, seed, workers)
    notes = [
        f"fuzz: program {s}:{i} is benchmarks.reliability.fuzz.program({s}, {i})"
        for s, i, _ in (result.slow + result.unexpected)[:3]
    ]
    refused = result.programs - result.accepted - len(result.unexpected)
    first = result.unexpected[0] if result.unexpected else None
    slow = ", ".join(f"{s}:{i} ({t:.1f} s)" for s, i, t in result.slow[:5])
    slow_cpu = ", ".join(f"{s}:{i} ({t:.1f} s)" for s, i, t in result.slow_cpu[:5])
    return [
        Row.judged(
            "programs through parse",
            f"{result.programs:,} in {result.seconds:.0f} s ({result.accepted:,} "
            f"accepted, {refused:,} refused with ExpressionError); other errors: "
            f"{len(result.unexpected)}"
            + (
                f" (first: seed {first[0]} index {first[1]}: {first[2]})"
                if first
                else ""
            ),
            "0 other errors",
            not result.unexpected,
        ),
        Row.judged(
            f"programs slower than {SLOW:g} s",
            f"{len(result.slow)} (slowest {result.slowest:.2f} s)"
            + (f"; seed:index {slow}" if slow else ""),
            "0",
            not result.slow,
        ),
        Row.judged(
            f"programs over {SLOW:g} s of CPU time",
            f"{len(result.slow_cpu)} (most {result.slowest_cpu:.2f} s)"
            + (f"; seed:index {slow_cpu}" if slow_cpu else ""),
            "0",
            not result.slow_cpu,
        ),
    ], notes


def run_kind(kind: str, args: argparse.Namespace, sizes: dict, labs: list[str]):
    """The rows and notes of one kind of check."""
    if kind == "exits":
        from benchmarks.reliability import exits

        return exits.measure(
            sizes["runs"], sizes["quits"], args.seed, labs, args.workers
        )
    if kind == "soak":
        from benchmarks.reliability import soak

        return soak.measure(
            sizes["soak_seconds"], args.every, args.seed, labs, args.soak_together
        )
    if kind == "kills":
        from benchmarks.reliability import kills
        from benchmarks.reliability.savers import KINDS as SAVES

        chosen = args.kinds_of_save.split(",") if args.kinds_of_save else list(SAVES)
        return kills.measure(sizes["kills"], args.seed, chosen)
    if kind == "corrupt":
        from benchmarks.reliability import corrupt_files, corrupt_settings

        rows, notes = corrupt_settings.measure(args.seed, args.workers)
        more, more_notes = corrupt_files.measure()
        return rows + more, notes + more_notes
    return _fuzz_rows(sizes["programs"], args.seed, args.workers)


TITLES = {
    "exits": "exits (fresh processes; a close at a random moment during long work)",
    "soak": "soak (each lab driven with a change every few seconds)",
    "kills": "kill during save (SIGKILL at random moments while writing)",
    "corrupt": "corrupt inputs (settings, CSV data, programs)",
    "fuzz": "fuzzing the typed language (seeded; grammar-shaped and damaged)",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen kinds and print one table each; returns 0."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    kinds = [k for k in args.only.split(",") if k]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        print(f"unknown kinds: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    labs = [lab for lab in args.labs.split(",") if lab]
    sizes = _sizes(args)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"reliability{' --quick' if args.quick else ''}: {os.cpu_count()} cores, "
        f"load {load:.1f} at start, Python {platform.python_version()}, seed {args.seed}; "
        + ", ".join(f"{k} {v:g}" for k, v in sizes.items()),
        flush=True,
    )
    missed = 0
    for kind in kinds:
        start = time.monotonic()
        rows, notes = run_kind(kind, args, sizes, labs)
        missed += failures(rows)
        print(table(f"{TITLES[kind]} — {time.monotonic() - start:.0f} s", rows))
        for note in notes:
            print(f"  note: {note}")
        print(flush=True)
    print(f"{missed} figure(s) missed their goal")
    return 0
