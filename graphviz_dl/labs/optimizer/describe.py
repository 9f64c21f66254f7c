"""The texts the surface view shows on hover, and the reasons runs stopped.

They are HTML (a colour, bold names), but building them is reading the race,
not drawing: tests check them without Qt.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np

from ...failures import WINDOW, diagnose
from ...numfmt import format_number
from ...optim.internals import Internals
from ...race import Run
from ...surfaces import Surface
from .configs import LabConfig

STOPPED_COLOUR = "#ff6b6b"
WARNING_COLOUR = "#ffb347"


def pair(v: Sequence[float] | np.ndarray) -> str:
    """``(x, y)`` with four significant digits each."""
    return f"({format_number(v[0], 4)}, {format_number(v[1], 4)})"


def point_summary(config: LabConfig, run: Run, step: int) -> str:
    """HTML describing ``run`` at ``step``: position, loss, gradient, internals."""
    x_name, y_name = run.surface.axes
    name = html.escape(config.label)
    lines = [
        f"<b style='color:{config.colour}'>{name}</b> · step {step}",
        f"({x_name}, {y_name}) = {pair(run.positions[step])}",
        f"f = {format_number(run.losses[step])}",
        f"∇f = {pair(run.grads[step])}",
    ]
    lr = float(run.lrs[step])
    if not math.isnan(lr):
        lines.append(f"lr = {format_number(lr)}")
    evaluations = int(run.evaluations[step])
    if evaluations > 1:
        lines.append(f"{evaluations} function evaluations in this step")
    if step < len(run.states):
        for name, value in run.states[step].items():
            lines.append(f"{html.escape(name)} = {pair(value)}")
    if run.diverged_at is not None and step >= run.diverged_at - 1:
        reason = html.escape(run.reason or "diverged")
        lines.append(f"<span style='color:{STOPPED_COLOUR}'>{reason}</span>")
    elif step >= run.steps - WINDOW:  # the recent steps: what is going wrong now
        failure = diagnose(run)
        if failure is not None:
            text = html.escape(failure.text)
            lines.append(f"<span style='color:{WARNING_COLOUR}'>⚠ {text}</span>")
    return "<br>".join(lines)


def training_point_summary(surface: Surface, path: np.ndarray, k: int) -> str:
    """HTML describing point ``k`` of a training run's path on ``surface``."""
    point = path[k]
    x_name, y_name = surface.axes
    what = f"point {k + 1} of {len(path)}"
    if k == len(path) - 1:
        what += ": the run's latest weights"
    return (
        f"<b>training path</b> · {what}<br>"
        f"({x_name}, {y_name}) = {pair(point)}<br>"
        f"f = {format_number(surface.value(*point))} on this plane"
    )


def minimum_summary(surface: Surface, point: Sequence[float]) -> str:
    """HTML naming a known minimum of ``surface`` and its value."""
    return (
        f"<b>known minimum</b> at {pair(point)}<br>"
        f"f = {format_number(surface.value(*point))}"
    )


def stop_note(config: LabConfig, run: Run) -> str:
    """One line saying which run stopped and why."""
    return (
        f"<span style='color:{config.colour}'>✕ "
        f"{html.escape(config.label)}</span> — "
        f"{html.escape(run.reason or 'diverged')}"
    )


def run_status(run: Run | None) -> tuple[str, str, str]:
    """(text, tooltip, kind) for a racer's row: ``off``, ``stopped``, ``failing``
    (finite but oscillating or stalled: the tooltip says why) or ``racing``."""
    if run is None:
        return "off", "off", "off"
    if run.diverged_at is not None:
        text = f"✕ stopped at step {run.diverged_at}"
        return text, run.reason or text, "stopped"
    failure = diagnose(run)
    if failure is not None:
        return failure.status, failure.text, "failing"
    loss = format_number(run.losses[-1], 4)
    text = f"f = {loss} · {int(run.evaluations.sum())} evals"
    return text, text, "racing"


def surface_title(surface: Surface) -> str:
    """The plot's title: the surface's name and its formula."""
    x_name, y_name = surface.axes
    formula = surface.formula
    if "=" not in formula:
        formula = f"f({x_name}, {y_name}) = {formula}"
    return f"{html.escape(surface.title)}: {html.escape(formula)}"


def internals_text(internals: Internals, axes: Sequence[str] = ("x", "y")) -> str:
    """A racer's internals in one line for its row ("" when it has none):
    the step per unit of gradient along each axis, momentum's velocity, and
    Adam's bias-correction factors (m̂ = 10·m at t = 1, fading towards 1),
    written ``bias correction m ×10.0, v ×1000.0``."""
    parts = []
    a, b = axes
    if internals.effective_step is not None:
        ex, ey = (format_number(v, 3) for v in internals.effective_step)
        parts.append(f"step per unit ∇: {a} {ex}, {b} {ey}")
    if internals.velocity is not None:
        parts.append(f"velocity {pair(internals.velocity)}")
    if internals.bias is not None:
        m, v = (format_number(f, 4) for f in internals.bias)
        # not "m̂ = …·m": the hat is a combining accent that common fonts drop
        parts.append(f"bias correction m\u00a0×{m}, v\u00a0×{v}")
    if not parts:
        return ""
    return f"t = {internals.step} · " + " · ".join(parts)
