"""``graphviz-dl race``: race optimizers across a 2-D loss surface, print a table.

Example::

    graphviz-dl race --surface rosenbrock --start -1.5,2 --steps 500 \\
        --opt sgd:lr=1e-3 --opt momentum:lr=1e-3,momentum=0.9 --opt adam:lr=0.02 \\
        --csv race.csv

Each ``--opt`` is ``kind:name=value,…`` (kinds and their hyperparameters:
``--list``); ``@schedule:name=value,…`` after it adds a learning-rate
schedule, e.g. ``adam:lr=0.1@cosine:T_max=500``. ``--expression`` races on a
typed function instead of a built-in surface. The table gives each run's
final point and loss, the first step within ``--tol`` of the known minimum
(or, with none known, where the gradient norm falls below it), the function
evaluations spent, and where and why a run diverged. ``--csv`` writes every
step of every run. Bad input is reported on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import re
import sys

import numpy as np

from ..numfmt import format_number

_NUMBER = r"[-−]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"
_START = re.compile(rf"^{_NUMBER}(\s*,\s*{_NUMBER})?$")
DEFAULT_OPTS = ("sgd:lr=1e-3", "momentum:lr=1e-3", "adam:lr=0.02")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--surface", default="rosenbrock", metavar="NAME", help="a built-in surface"
    )
    where.add_argument(
        "--expression",
        metavar="TEXT",
        help="a typed surface instead, like 'f(x, y) = x^2 + 10*y^2'",
    )
    parser.add_argument(
        "--start", metavar="X,Y", help="start point (default: the surface's own)"
    )
    parser.add_argument("--steps", type=int, default=500, help="steps per run")
    parser.add_argument(
        "--opt",
        action="append",
        metavar="KIND:NAME=VALUE,…",
        help=f"an optimizer configuration; repeat for several (default: "
        f"{' '.join(DEFAULT_OPTS)})",
    )
    parser.add_argument(
        "--tol", type=float, default=1e-6, help="tolerance for 'steps to tolerance'"
    )
    parser.add_argument("--csv", metavar="FILE", help="write every step of every run")
    parser.add_argument(
        "--list", action="store_true", help="list surfaces and optimizers, then stop"
    )


def run(args: argparse.Namespace) -> int:
    from ..optimizer_menu import OPTIMIZERS
    from ..race import Race, RunConfig
    from ..surfaces import SURFACES, get_surface

    if args.list:
        _print_menu(SURFACES, OPTIMIZERS)
        return 0
    try:
        if args.expression is not None:
            surface = _typed_surface(args.expression)
        else:
            surface = get_surface(args.surface)
        start = surface.start if args.start is None else _parse_start(args.start)
        if args.steps < 0:
            raise ValueError(f"--steps must be ≥ 0, got {args.steps}")
        if not args.tol > 0:
            raise ValueError(f"--tol must be > 0, got {args.tol}")
        configs = [_config(text, RunConfig) for text in (args.opt or DEFAULT_OPTS)]
        race = Race(surface, start, configs)
    except (KeyError, ValueError) as error:
        return _fail(error.args[0] if error.args else str(error))
    race.step(args.steps)
    print(
        f"{surface.title} from ({_fmt(start[0])}, {_fmt(start[1])}), {args.steps} steps"
    )
    print(_table(race, args.tol))
    if args.csv:
        try:
            race.to_csv(args.csv)
        except OSError as error:
            return _fail(f"{args.csv}: cannot write: {error.strerror or error}")
        print(f"every step written to {args.csv}")
    return 0


def _typed_surface(text: str):
    from ..expr import ExpressionError
    from ..surfaces import surface_from_expression

    try:
        return surface_from_expression(text)
    except ExpressionError as error:
        raise ValueError(
            f"--expression, line {error.line}, column {error.col}: {error.message}"
        ) from None


def _config(text: str, run_config):
    try:
        return run_config.parse(text)
    except ValueError as error:
        raise ValueError(f"--opt {text}: {error}") from None


def _parse_start(text: str) -> tuple[float, float]:
    if not _START.match(text.strip()) or "," not in text:
        raise ValueError(f"--start must be two numbers like -1.5,2, got {text!r}")
    x, y = (float(part.replace("−", "-")) for part in text.split(","))
    return x, y


def _fail(message: str) -> int:
    print(f"graphviz-dl race: error: {message}", file=sys.stderr)
    return 2


def _fmt(x: float) -> str:
    return format_number(x, digits=6)


def steps_to_tolerance(run, target: float | None, tol: float) -> int | None:
    """The first step whose loss is within ``tol`` of ``target`` (or, without a
    target, whose gradient norm is at most ``tol``); None if never."""
    if target is not None:
        hits = np.flatnonzero(np.abs(run.losses - target) <= tol)
    else:
        hits = np.flatnonzero(np.hypot(run.grads[:, 0], run.grads[:, 1]) <= tol)
    return int(hits[0]) if hits.size else None


def _table(race, tol: float) -> str:
    target = race.surface.min_value()
    criterion = (
        f"|f − f*| ≤ {format_number(tol)}"
        if target is not None
        else f"‖∇f‖ ≤ {format_number(tol)}"
    )
    header = [
        "optimizer",
        "final point",
        "final loss",
        f"steps to {criterion}",
        "evals",
        "diverged at",
    ]
    rows = []
    for run in race.runs:
        x, y = run.positions[-1]
        reached = steps_to_tolerance(run, target, tol)
        rows.append(
            [
                run.config.label,
                f"({_fmt(x)}, {_fmt(y)})",
                _fmt(run.losses[-1]),
                "—" if reached is None else str(reached),
                str(int(run.evaluations.sum())),
                "—" if run.diverged_at is None else str(run.diverged_at),
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [_line(header, widths), _line(["─" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in rows]
    reasons = [f"  {run.config.label}: {run.reason}" for run in race.runs if run.reason]
    if reasons:
        lines += ["", "diverged:", *reasons]
    return "\n".join(lines)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        cell.ljust(width) if i == 0 else cell.rjust(width)
        for i, (cell, width) in enumerate(zip(cells, widths))
    ).rstrip()


def _print_menu(surfaces, optimizers) -> None:
    print("surfaces:")
    for surface in surfaces.values():
        print(f"  {surface.name:<26} {surface.formula}")
    print("optimizers (hyperparameter=default):")
    for spec in optimizers.values():
        hypers = ", ".join(
            f"{hp.name}={format_number(hp.default)}" for hp in spec.hyperparams
        )
        print(f"  {spec.kind:<11} {hypers}")
    print("schedules (after @): step, exponential, cosine, warm-restarts, plateau")


if __name__ == "__main__":  # pragma: no cover - convenience
    parser = argparse.ArgumentParser(prog="graphviz-dl race")
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
