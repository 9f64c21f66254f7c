"""One moment of a run, ready to draw: the boundary's colours and line, the
units' maps, the weights.

A frame is computed where the training runs (the lab's job thread), so the
window only hands finished arrays to its plots. The decision boundary is a
contour line of the network's score at 0 (one score) or of each class's
probability minus the best other one's (several classes), traced by the one
contour routine, :func:`graphviz_dl.contours.contour_lines`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...contours import contour_lines
from ...training import Trainer, health, probe
from ...training.features import feature_array
from ...training.live import LiveChange
from ...training.trainer import Stop

RESOLUTION = 100
"""Samples per side of the boundary grid."""
UNIT_RESOLUTION = 20
"""Samples per side of each unit's tiny heat map."""
#: Class colours: orange, blue, green (readable on white and for most colour vision).
CLASS_COLOURS = ("#f59322", "#0877bd", "#2ca25f")
TINT = 0.75
"""How strongly a sure prediction tints the plane (1 = the class colour)."""
_WHITE = np.array([255.0, 255.0, 255.0])
_UNSURE_GREY = 150.0


def _rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)


_CLASS_RGB = np.array([_rgb(c) for c in CLASS_COLOURS])


@dataclass(frozen=True)
class RenderOptions:
    """What a frame should contain; swapped whole, so a read is never torn."""

    resolution: int = RESOLUTION
    units: bool = True


@dataclass(frozen=True)
class Frame:
    """What the views draw for one moment of a run (all plain numpy)."""

    generation: int
    step: int
    epoch: int
    weights: np.ndarray
    boundary: probe.Boundary | None
    units: probe.UnitMaps | None
    stop: Stop | None
    snapshot: int | None = None  # the snapshot shown, None for the live weights
    problem: str = ""  # what could not be drawn, in words
    tint: np.ndarray | None = None  # [ny, nx, 4] uint8 (classification)
    lines: np.ndarray | None = None  # the decision boundary, nan-separated [n, 2]
    changes: tuple[LiveChange, ...] = ()  # settings changed while training
    advice: str = ""  # what is wrong that is not a blow-up (dead ReLUs, chance)


def render_frame(
    trainer: Trainer,
    generation: int,
    options: RenderOptions,
    params: np.ndarray | None = None,
    snapshot: int | None = None,
) -> Frame:
    """Everything the views draw of ``trainer`` at its current weights (or
    ``params``), computed in the calling thread."""
    weights = trainer.weights if params is None else params
    with np.errstate(all="ignore"):
        try:
            boundary = probe.boundary(trainer, options.resolution, params=weights)
        except ValueError:
            boundary = None  # more than two inputs: no plane to draw
        units, problem = None, ""
        if options.units and trainer.network.widths:
            try:
                units = probe.unit_maps(trainer, UNIT_RESOLUTION, params=weights)
            except ValueError:
                units = None  # more than two inputs
            except Exception as error:  # noqa: BLE001 - shown, the run goes on
                problem = f"the units' maps could not be drawn ({error})"
        advice = ""
        if params is None and trainer.step > 0 and trainer.stop is None:
            advice = health.advice(trainer)
    tint = lines = None
    if boundary is not None:
        tint, lines = boundary_rgba(boundary), boundary_lines(boundary)
    return Frame(
        generation,
        trainer.step,
        trainer.epoch,
        weights,
        boundary,
        units,
        trainer.stop,
        snapshot,
        problem,
        tint,
        lines,
        tuple(trainer.changes),
        advice,
    )


def class_colours(k: int) -> np.ndarray:
    """``k`` class colours as RGB rows: the three named ones, or a hue wheel."""
    if k <= len(_CLASS_RGB):
        return _CLASS_RGB[:k]
    hue = np.arange(k) / k * 2 * np.pi
    phases = np.array([0.0, 2 * np.pi / 3, 4 * np.pi / 3])
    return 128.0 + 110.0 * np.cos(hue[:, None] - phases[None, :])


def boundary_rgba(boundary: probe.Boundary) -> np.ndarray | None:
    """The plane's tint ``[ny, nx, 4]`` (uint8) for a classification grid.

    Binary: the predicted class's colour, scaled by how sure (|2p − 1|);
    multiclass: the colours mixed by probability, scaled by how far the top
    probability is above chance. Hinge has scores, not probabilities: σ(2z)
    stands in for p. Cells that are not numbers are grey.
    """
    if boundary.ys is None or boundary.classes is None:
        return None
    with np.errstate(all="ignore"):
        probs = boundary.probabilities
        if probs is None:  # hinge: a score, shown through a sigmoid
            z = np.asarray(boundary.outputs, dtype=np.float64)
            p1 = 0.5 * (1.0 + np.tanh(z))  # σ(2z)
            probs = np.stack([1.0 - p1, p1], axis=-1)
        k = probs.shape[-1]
        colours = class_colours(k)
        mix = probs @ colours
        sure = (probs.max(axis=-1) - 1.0 / k) / (1.0 - 1.0 / k)
        if k == 2:  # the winning colour, not a muddy mix, near the boundary
            mix = np.where((probs[..., 1] >= 0.5)[..., None], colours[1], colours[0])
        rgb = _WHITE + (mix - _WHITE) * (TINT * np.clip(sure, 0.0, 1.0))[..., None]
        rgb[~np.isfinite(rgb).all(axis=-1)] = _UNSURE_GREY
    out = np.empty((*rgb.shape[:2], 4), dtype=np.uint8)
    out[..., :3] = np.clip(rgb, 0, 255).astype(np.uint8)
    out[..., 3] = 255
    return out


def boundary_lines(boundary: probe.Boundary) -> np.ndarray:
    """The decision boundary as polylines ``[n, 2]`` separated by nan rows."""
    if boundary.ys is None or boundary.classes is None:
        return np.empty((0, 2))
    with np.errstate(all="ignore"):
        if boundary.outputs.ndim == 2:  # one score: the boundary is z = 0
            fields = [np.asarray(boundary.outputs, dtype=np.float64)]
        else:  # each class against the best other one
            p = np.asarray(boundary.probabilities, dtype=np.float64)
            fields = [
                p[..., c] - np.delete(p, c, axis=-1).max(axis=-1)
                for c in range(p.shape[-1])
            ]
    pieces = [contour_lines(boundary.xs, boundary.ys, f, [0.0]) for f in fields]
    pieces = [piece for piece in pieces if len(piece)]
    return np.concatenate(pieces) if pieces else np.empty((0, 2))


def input_maps(units: probe.UnitMaps, features: Sequence[str] = ()) -> list[np.ndarray]:
    """The network's inputs over the plane, for the diagram: x₀ (and x₁), or
    the chosen features (x₀², sin x₁ …)."""
    if units.ys is None:
        grid = [units.xs]
    else:
        grid = list(np.meshgrid(units.xs, units.ys))
    if not features:
        return grid
    shape = grid[0].shape
    flat = np.column_stack([g.ravel() for g in grid])
    columns = feature_array(features, flat)
    return [columns[:, k].reshape(shape) for k in range(columns.shape[1])]
