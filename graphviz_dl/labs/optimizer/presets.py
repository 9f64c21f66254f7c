"""Races that each tell a story, and who races when the lab opens the first time."""

from __future__ import annotations

from dataclasses import dataclass

from ...surfaces import get_surface
from .configs import LabConfig, LabState, make_configs


@dataclass(frozen=True)
class Preset:
    """A race that tells one story: where to start, who races, what to watch."""

    title: str
    surface: str
    start: tuple[float, float]
    racers: tuple[tuple[str, dict[str, float]], ...]
    story: str
    speed: float = 100.0


PRESETS: tuple[Preset, ...] = (
    Preset(
        "Momentum through a narrow valley",
        "rosenbrock",
        (-1.5, 2.0),
        (
            ("sgd", {"lr": 1e-3}),
            ("momentum", {"lr": 1e-3, "momentum": 0.9}),
            ("nesterov", {"lr": 1e-3, "momentum": 0.9}),
        ),
        "Rosenbrock's valley is narrow and curved. With the same learning rate, "
        "SGD creeps along the floor, while momentum gathers speed in the direction "
        "the gradients keep agreeing on; Nesterov, measuring the gradient where it "
        "is about to land, wobbles less.",
        speed=100.0,
    ),
    Preset(
        "Adam vs SGD on a saddle",
        "saddle",
        (-1.5, 0.01),
        (("sgd", {"lr": 0.05}), ("adam", {"lr": 0.05})),
        "Starting almost on the ridge, the push along y is tiny: SGD first slides "
        "toward the flat saddle point and lingers there. Adam divides each "
        "coordinate by its own gradient scale, so the tiny push becomes a "
        "full-size step and it leaves the saddle first.",
        speed=10.0,
    ),
    Preset(
        "Too large a learning rate",
        "elongated-bowl",
        (-4.5, 2.0),
        (("sgd", {"lr": 0.05}), ("sgd", {"lr": 0.18}), ("sgd", {"lr": 0.22})),
        "Across this bowl the curvature is 10, and gradient descent converges only "
        "while lr·curvature < 2, that is lr < 0.2. lr = 0.05 glides in; lr = 0.18 "
        "jumps across the valley on every step but still closes in; lr = 0.22 lands "
        "a little farther out each time until the race stops it and says why.",
        speed=20.0,
    ),
    Preset(
        "Oscillation: lr × curvature past 2",
        "elongated-bowl",
        (-4.5, 2.0),
        (("sgd", {"lr": 0.05}), ("sgd", {"lr": 0.21})),
        "Along y this bowl curves 10 times more sharply than along x. With "
        "lr = 0.21, lr × curvature = 2.1 along y: each step jumps past the "
        "valley's floor and lands a little higher on the other side, so the path "
        "zig-zags ever wider while x still creeps in. The racer's status says "
        "so, with the numbers, long before the race has to stop it.",
        speed=10.0,
    ),
    Preset(
        "Adam with lr = 100",
        "quadratic-bowl",
        (-4.0, 3.0),
        (("adam", {"lr": 0.1}), ("adam", {"lr": 100.0})),
        "Adam divides each step by the gradient's own size, so a step is about lr "
        "long whatever the slope. With lr = 100 the first step lands a hundred "
        "units away, and the run swings back and forth across the minimum, the "
        "loss far above where it started, until the swings slowly die down.",
        speed=10.0,
    ),
    Preset(
        "Stalled at a saddle",
        "saddle",
        (-1.5, 0.0),
        (
            ("sgd", {"lr": 0.05}),
            ("momentum", {"lr": 0.05, "momentum": 0.9}),
            ("adam", {"lr": 0.05}),
        ),
        "Started exactly on the ridge y = 0, every optimizer slides down to the "
        "saddle point (0, 0) and stops: the gradient vanishes there although "
        "the surface still falls away along y. With no push along y at all, "
        "neither momentum nor Adam's rescaling can help; compare the preset "
        "that starts at y = 0.01.",
        speed=20.0,
    ),
    Preset(
        "Line search: best step, many evaluations",
        "elongated-bowl",
        (-4.5, 2.0),
        (("sgd", {"lr": 0.15}), ("linesearch", {"max_step": 10.0})),
        "Exact line search takes the best step along −∇f every time, so each step "
        "turns a right angle to the last: the zig-zag. Each of those steps costs "
        "several function evaluations, and more as it closes in; SGD pays one. "
        "Compare the evaluation counts in the list.",
        speed=10.0,
    ),
    Preset(
        "Linear regression: MSE over (w, b)",
        "linear-regression-mse",
        (-1.0, 2.0),
        (
            ("sgd", {"lr": 0.1}),
            ("momentum", {"lr": 0.05, "momentum": 0.9}),
            ("adam", {"lr": 0.1}),
            ("linesearch", {}),
        ),
        "The loss of fitting a line ŷ = w·x + b to twenty points, drawn over (w, b). "
        "The star is the closed-form optimum θ = (XᵀX)⁻¹Xᵀy; every optimizer heads "
        "for it, and the loss plot shows how far each still has to go.",
        speed=20.0,
    ),
)


def preset_state(preset: Preset) -> LabState:
    """The lab state ``preset`` describes, with fresh labels and colours."""
    return LabState(
        get_surface(preset.surface), preset.start, make_configs(preset.racers)
    )


#: Who races when the lab opens for the first time: all nine kinds, with rates
#: that make a few hundred steps on Rosenbrock worth watching; five enabled.
DEFAULT_RACERS: tuple[tuple[str, dict[str, float]], ...] = (
    ("sgd", {"lr": 1e-3}),
    ("momentum", {"lr": 1e-3}),
    ("nesterov", {"lr": 1e-3}),
    ("adagrad", {"lr": 0.5}),
    ("rmsprop", {"lr": 0.01}),
    ("adam", {"lr": 0.05}),
    ("adamw", {"lr": 0.05}),
    ("adadelta", {"lr": 3.0}),
    ("linesearch", {}),
)
DEFAULT_ENABLED = {"sgd", "momentum", "rmsprop", "adam", "linesearch"}


def default_config_list() -> list[LabConfig]:
    """The racers of a first start: every kind, the classic five enabled."""
    enabled = {i for i, (k, _) in enumerate(DEFAULT_RACERS) if k in DEFAULT_ENABLED}
    return make_configs(DEFAULT_RACERS, enabled)
