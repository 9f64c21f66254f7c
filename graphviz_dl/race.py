"""Optimizer races over a 2-D surface: one start, several optimizers, every step kept.

A :class:`Run` is one optimizer on one surface, advanced step by step (a view
can draw frame by frame), recording per step the position, loss, gradient,
learning rate, function evaluations and the optimizer's internals. A run
that blows up is stopped, never crashed on: the step and a reason in plain
words (``step 12: loss overflowed; lr·curvature ≈ 4.1 > 2 along the steepest
direction``) are recorded. A :class:`Race` holds several runs from one start.

Histories live in preallocated numpy arrays that double when full, so a long
run costs amortized O(1) per step; the array attributes are views.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from os import PathLike

import numpy as np

from . import schedulers
from .atomic import atomic_path
from .divergence import explain_surface_divergence
from .engine import Value
from .linesearch import ExactLineSearch
from .numfmt import format_number
from .optim.internals import Internals, read_internals
from .optimizer_menu import (
    SCHEDULES,
    check_hyperparameters,
    make_optimizer,
    optimizer_spec,
    parse_assignments,
    parse_schedule,
    set_hyperparameter,
)
from .surfaces import Surface

INITIAL_CAPACITY = 256
BOUND_FACTOR = 1e4
"""A run stops when |x| or |y| exceeds this many times the domain's extent."""


def _flat(point) -> float:
    return 0.0


@dataclass
class RunConfig:
    """One contestant: an optimizer kind, its hyperparameters, a label.

    ``label`` defaults to a readable name such as ``"Adam (lr=0.02)"``;
    ``schedule`` (optional) is a learning-rate schedule like ``"cosine:T_max=200"``.
    """

    kind: str
    hyper: dict[str, float] = field(default_factory=dict)
    label: str = ""
    schedule: str = ""

    def __post_init__(self) -> None:
        self.hyper = {name: float(value) for name, value in self.hyper.items()}
        check_hyperparameters(self.kind, self.hyper)
        if self.schedule:
            if self.kind == "linesearch":
                raise ValueError(
                    "the line search picks its own step: it takes no schedule"
                )
            schedule, args = parse_schedule(self.schedule)
            # a schedule checks its settings against an optimizer's lr
            probe = make_optimizer(self.kind, self.hyper, [Value(0.0)], _flat)
            SCHEDULES[schedule][0](probe, **args)
        self._auto_label = not self.label
        if self._auto_label:
            self.label = self.default_label()

    def default_label(self) -> str:
        """Title plus lr and every hyperparameter set away from its default."""
        spec = optimizer_spec(self.kind)
        given = [
            hp.name
            for hp in spec.hyperparams
            if hp.name in self.hyper
            and (hp.name == "lr" or self.hyper[hp.name] != hp.default)
        ]
        parts = [f"{name}={format_number(self.hyper[name])}" for name in given]
        if self.schedule:
            parts.append(self.schedule.strip())
        return f"{spec.title} ({', '.join(parts)})" if parts else spec.title

    @classmethod
    def parse(cls, text: str) -> RunConfig:
        """``"adam:lr=0.02,beta1=0.8"`` (``@cosine:T_max=200`` adds a schedule)."""
        text, _, schedule = text.partition("@")
        kind, _, rest = text.strip().partition(":")
        return cls(
            kind.strip().lower(), parse_assignments(rest), schedule=schedule.strip()
        )


class Run:
    """One optimizer on one surface from one start, advanced step by step.

    Row ``k`` of every history array is the state after ``k`` steps (row 0 is
    the start). ``lrs[k]`` is the learning rate step k used (row 0: the one
    step 1 will use; nan for the line search, which picks its own);
    ``evaluations[k]`` counts the function and gradient evaluations of step k.
    """

    def __init__(
        self,
        surface: Surface,
        start: tuple[float, float],
        config: RunConfig,
        bound: float | None = None,
    ) -> None:
        self.surface = surface
        self.config = config
        self.bound = _default_bound(surface) if bound is None else float(bound)
        self.reset(start)

    # --- life cycle ---------------------------------------------------------------
    def reset(self, start: tuple[float, float] | None = None) -> None:
        """Back to step 0 (from a new start if given), with a fresh optimizer."""
        if start is not None:
            self.start = (float(start[0]), float(start[1]))
        axes = self.surface.axes
        self._params = [Value(self.start[0], axes[0]), Value(self.start[1], axes[1])]
        self.optimizer = make_optimizer(
            self.config.kind, self.config.hyper, self._params, self._objective
        )
        self.scheduler = self._make_scheduler()
        self._is_line_search = isinstance(self.optimizer, ExactLineSearch)
        self._capacity = INITIAL_CAPACITY
        self._pos = np.empty((self._capacity, 2))
        self._loss = np.empty(self._capacity)
        self._grad = np.empty((self._capacity, 2))
        self._lr = np.empty(self._capacity)
        self._evals = np.empty(self._capacity, dtype=np.int64)
        self.states: list[dict[str, tuple[float, float]]] = [{}]
        self._n = 0
        self.diverged_at: int | None = None
        self.reason: str | None = None
        loss, grad = self._evaluate(*self.start)
        lr = math.nan if self._is_line_search else self.optimizer.lr
        self._record(0, self.start, loss, grad, lr, 1)
        problem = self._problem(0)
        if problem:
            self.diverged_at = 0
            self.reason = f"start: {problem}"

    def _make_scheduler(self):
        if not self.config.schedule:
            return None
        kind, args = parse_schedule(self.config.schedule)
        return SCHEDULES[kind][0](self.optimizer, **args)

    # --- the histories (views) -------------------------------------------------------
    @property
    def steps(self) -> int:
        """Steps taken so far."""
        return self._n

    @property
    def positions(self) -> np.ndarray:
        return self._pos[: self._n + 1]

    @property
    def losses(self) -> np.ndarray:
        return self._loss[: self._n + 1]

    @property
    def grads(self) -> np.ndarray:
        return self._grad[: self._n + 1]

    @property
    def lrs(self) -> np.ndarray:
        return self._lr[: self._n + 1]

    @property
    def evaluations(self) -> np.ndarray:
        return self._evals[: self._n + 1]

    @property
    def stopped(self) -> bool:
        return self.diverged_at is not None

    def internals(self) -> Internals:
        """What the optimizer's memory does to the next step (velocity,
        per-coordinate step sizes, Adam's bias correction), as of now."""
        return read_internals(self.optimizer, self._params)

    # --- stepping -------------------------------------------------------------------
    def step(self, n: int = 1) -> int:
        """Advance up to ``n`` steps (fewer if it diverges); returns steps taken."""
        taken = 0
        while taken < n and self.diverged_at is None:
            self._advance()
            taken += 1
        return taken

    def set_hyper(self, name: str, value: float) -> None:
        """Change one hyperparameter; it takes effect from the next step.

        The optimizer keeps its state (moments, velocity); a new ``lr`` becomes
        a schedule's new base. ValueError names the hyperparameter and its
        allowed range (see :func:`graphviz_dl.optimizer_menu.set_hyperparameter`).
        """
        value = set_hyperparameter(
            self.optimizer,
            name,
            value,
            kind=self.config.kind,
            scheduler=self.scheduler,
        )
        if name == "lr" and self._n == 0:
            self._lr[0] = value
        self.config.hyper = {**self.config.hyper, name: value}
        if self.config._auto_label:
            self.config.label = self.config.default_label()

    def _advance(self) -> None:
        k = self._n
        x_param, y_param = self._params
        x_param.grad = float(self._grad[k, 0])
        y_param.grad = float(self._grad[k, 1])
        lr = self.optimizer.lr
        if self._is_line_search:
            self.optimizer.step(float(self._loss[k]))
            evaluations = 1 + self.optimizer.evaluations
            lr = self.optimizer.lr
        else:
            self.optimizer.step()
            evaluations = 1
        x, y = float(x_param.data), float(y_param.data)
        loss, grad = self._evaluate(x, y)
        if k + 1 == self._capacity:
            self._grow()
        self._record(k + 1, (x, y), loss, grad, lr, evaluations)
        draw_x = self.optimizer.drawable_state(x_param)
        draw_y = self.optimizer.drawable_state(y_param)
        self.states.append(
            {name: (v, draw_y.get(name, math.nan)) for name, v in draw_x.items()}
        )
        self._n = k + 1
        problem = self._problem(k + 1)
        if problem:
            self.diverged_at = k + 1
            why = explain_surface_divergence(
                self.surface,
                self._pos[: k + 1],
                self._loss[: k + 1],
                float(self._lr[k + 1]),
                self.config.kind,
                getattr(self.optimizer, "momentum", 0.0),
            )
            self.reason = f"step {k + 1}: {problem}{why}"
        elif self.scheduler is not None:
            if isinstance(self.scheduler, schedulers.ReduceLROnPlateau):
                self.scheduler.step(loss)
            else:
                self.scheduler.step()

    def _objective(self, point) -> float:
        return self.surface.value(point[0], point[1])

    def _evaluate(self, x: float, y: float) -> tuple[float, tuple[float, float]]:
        if not (math.isfinite(x) and math.isfinite(y)):
            return math.nan, (math.nan, math.nan)
        try:
            return self.surface.value_and_grad(x, y)
        except (ArithmeticError, ValueError):
            return math.nan, (math.nan, math.nan)

    def _record(self, k, position, loss, grad, lr, evaluations) -> None:
        self._pos[k] = position
        self._loss[k] = loss
        self._grad[k] = grad
        self._lr[k] = lr
        self._evals[k] = evaluations

    def _grow(self) -> None:
        self._capacity *= 2
        for name in ("_pos", "_loss", "_grad", "_lr", "_evals"):
            old = getattr(self, name)
            new = np.empty((self._capacity, *old.shape[1:]), dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    # --- divergence -------------------------------------------------------------------
    def _problem(self, k: int) -> str | None:
        x, y = self._pos[k]
        loss = self._loss[k]
        gx, gy = self._grad[k]
        if not (math.isfinite(x) and math.isfinite(y)):
            return (
                "position became nan"
                if math.isnan(x) or math.isnan(y)
                else "position overflowed"
            )
        if abs(x) > self.bound or abs(y) > self.bound:
            a, b = self.surface.axes
            limit = format_number(self.bound, digits=3)
            return f"left the region |{a}|, |{b}| ≤ {limit}"
        if not math.isfinite(loss):
            return "loss became nan" if math.isnan(loss) else "loss overflowed"
        if not (math.isfinite(gx) and math.isfinite(gy)):
            return "gradient overflowed"
        return None


def _default_bound(surface: Surface) -> float:
    (x0, x1), (y0, y1) = surface.domain
    extent = max(abs(x0), abs(x1), abs(y0), abs(y1), 1.0)
    return BOUND_FACTOR * extent


class Race:
    """Several runs on one surface from one start point, stepped together."""

    def __init__(
        self, surface: Surface, start: tuple[float, float], configs: list[RunConfig]
    ) -> None:
        self.surface = surface
        self.start = (float(start[0]), float(start[1]))
        self.runs: list[Run] = [Run(surface, self.start, config) for config in configs]

    def step(self, n: int = 1) -> None:
        """Advance every run that has not stopped by up to ``n`` steps."""
        for run in self.runs:
            run.step(n)

    def reset(self, start: tuple[float, float] | None = None) -> None:
        """Every run back to step 0 (from a new start if given); same Run objects."""
        if start is not None:
            self.start = (float(start[0]), float(start[1]))
        for run in self.runs:
            run.reset(self.start)

    def add(self, config: RunConfig) -> Run:
        run = Run(self.surface, self.start, config)
        self.runs.append(run)
        return run

    def remove(self, index: int) -> None:
        del self.runs[index]

    # --- CSV--------------------------------------------------------------------------
    def to_csv(self, path: str | PathLike) -> None:
        """Every step of every run, one row per step (state columns as ``name_x``),
        written atomically: a failure or a kill leaves any old file whole."""
        state_names: list[str] = []
        for run in self.runs:
            for state in run.states:
                for name in state:
                    if name not in state_names:
                        state_names.append(name)
        header = [*CSV_COLUMNS]
        for name in state_names:
            header += [f"{name}_x", f"{name}_y"]
        header.append("event")
        with (
            atomic_path(path) as temporary,
            open(temporary, "w", newline="", encoding="utf-8") as handle,
        ):
            writer = csv.writer(handle)
            writer.writerow(header)
            for index, run in enumerate(self.runs):
                for k in range(run.steps + 1):
                    x, y = run._pos[k]
                    gx, gy = run._grad[k]
                    row = [
                        index,
                        run.config.label,
                        run.config.kind,
                        k,
                        *(
                            repr(float(v))
                            for v in (x, y, run._loss[k], gx, gy, run._lr[k])
                        ),
                        int(run._evals[k]),
                    ]
                    state = run.states[k]
                    for name in state_names:
                        pair = state.get(name)
                        row += (
                            ["", ""] if pair is None else [repr(float(v)) for v in pair]
                        )
                    row.append(run.reason if k == run.diverged_at else "")
                    writer.writerow(row)

    @staticmethod
    def read_csv(path: str | PathLike) -> dict[str, np.ndarray]:
        """The columns of a file written by :meth:`to_csv`, as arrays.

        ``run``, ``step`` and ``evaluations`` are integers; ``label``, ``kind``
        and ``event`` text; every other column float (empty cells are nan).
        """
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        if not rows:
            raise ValueError(f"{path}: the file is empty")
        header = rows[0]
        missing = [name for name in CSV_COLUMNS if name not in header]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        columns: dict[str, list] = {name: [] for name in header}
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                raise ValueError(
                    f"{path}, line {number}: {len(row)} fields, expected {len(header)}"
                )
            for name, cell in zip(header, row):
                columns[name].append(cell)
        out: dict[str, np.ndarray] = {}
        for name, cells in columns.items():
            if name in _TEXT_COLUMNS:
                out[name] = np.array(cells, dtype=str)
                continue
            kind = np.int64 if name in _INT_COLUMNS else np.float64
            try:
                values = [
                    (kind(int(c)) if kind is np.int64 else float(c) if c else math.nan)
                    for c in cells
                ]
            except ValueError:
                bad = next(i for i, c in enumerate(cells) if not _parses(c, kind))
                raise ValueError(
                    f"{path}, line {bad + 2}: field {name!r} is not a number: "
                    f"{cells[bad]!r}"
                ) from None
            out[name] = np.array(values, dtype=kind)
        return out


CSV_COLUMNS = (
    "run",
    "label",
    "kind",
    "step",
    "x",
    "y",
    "loss",
    "grad_x",
    "grad_y",
    "lr",
    "evaluations",
)
_TEXT_COLUMNS = {"label", "kind", "event"}
_INT_COLUMNS = {"run", "step", "evaluations"}


def _parses(cell: str, kind) -> bool:
    try:
        int(cell) if kind is np.int64 else float(cell) if cell else None
    except ValueError:
        return False
    return True
