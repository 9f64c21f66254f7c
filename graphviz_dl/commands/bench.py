"""``graphviz-dl bench engine|surfaces|compile|training|folding|language|all [--quick]``:
print the figures."""

from __future__ import annotations

import argparse
import importlib

TARGETS = {
    "engine": "graphviz_dl.bench.engine",
    "surfaces": "graphviz_dl.bench.surfaces",
    "compile": "graphviz_dl.bench.compile",
    "training": "graphviz_dl.bench.training",
    "folding": "graphviz_dl.bench.folding",
    "language": "graphviz_dl.bench.language",
}
"""Benchmark name → module exposing ``run(quick: bool = False) -> None``."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target",
        choices=[*TARGETS, "all"],
        help="what to measure: " + ", ".join(TARGETS) + ", or all of them",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes: checks the benchmark runs, in seconds (figures not judged)",
    )


PEERS = {
    "engine": "micrograd 0.1.0 (when installed)",
    "surfaces": "the same formulas written in numpy",
    "compile": "hand-written numpy, torch on the CPU (when installed), micrograd",
    "training": "none: its targets are absolute (ms per epoch, redraws per second)",
    "folding": "the same graph indexed in the plain order (groups ignored)",
    "language": "Python's ast.parse of the same text (the floor)",
}
"""Benchmark name → what its figures are set against (``bench all`` says so)."""


def run(args: argparse.Namespace) -> int:
    names = list(TARGETS) if args.target == "all" else [args.target]
    for i, name in enumerate(names):
        if i:
            print()
        if args.target == "all":
            print_banner(name, PEERS[name])
        importlib.import_module(TARGETS[name]).run(quick=args.quick)
    return 0


def print_banner(name: str, peer: str) -> None:
    """The line ``bench all`` prints above each area's table."""
    banner = f"── {name} · peer: {peer} "
    print(banner + "─" * max(0, 88 - len(banner)), end="\n\n", flush=True)
