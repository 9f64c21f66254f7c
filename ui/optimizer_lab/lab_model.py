"""The optimizer lab's state as a plain model: surface, start, configurations, race.

Views read it and subscribe to its signals; every change goes through its methods
(undo commands call them too), and a signal fires only when something really
changed. The race itself is :class:`graphviz_dl.race.Race`; the model only decides
which configurations take part and keeps them in step with each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QObject, Signal

from graphviz_dl.optimizer_menu import OPTIMIZERS
from graphviz_dl.race import Race, Run, RunConfig
from graphviz_dl.surfaces import Surface, get_surface

#: Colours that stay distinct from each other and readable over the colour map.
PALETTE = (
    "#ff4d4d",  # red
    "#ffd23f",  # yellow
    "#5ee05e",  # green
    "#4db8ff",  # light blue
    "#ff9f1c",  # orange
    "#d291ff",  # lilac
    "#ffffff",  # white
    "#ff6ec7",  # pink
    "#3ce0c8",  # teal
    "#b0b0ff",  # periwinkle
)

#: A race stops here: every step keeps its position, loss, gradient and optimizer
#: state, so an unbounded race would grow without limit while left playing.
MAX_STEPS = 20_000

#: Speeds offered by the speed control, in optimizer steps per second.
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)


@dataclass
class LabConfig:
    """One optimizer configuration in the lab: what races, and how it is drawn."""

    kind: str
    hyper: dict[str, float]
    label: str
    colour: str
    enabled: bool = True

    def run_config(self) -> RunConfig:
        return RunConfig(kind=self.kind, hyper=dict(self.hyper), label=self.label)

    def copy(self) -> LabConfig:
        return replace(self, hyper=dict(self.hyper))


@dataclass
class LabState:
    """Everything a preset or an undo step restores at once."""

    surface: Surface
    start: tuple[float, float]
    configs: list[LabConfig] = field(default_factory=list)


def default_hyper(kind: str) -> dict[str, float]:
    """The core's defaults for ``kind`` (a fresh dict the caller may change)."""
    return {h.name: float(h.default) for h in OPTIMIZERS[kind].hyperparams}


def hyper_problem(kind: str, hyper: dict[str, float]) -> str | None:
    """What the core finds wrong with these hyperparameters (None when valid).

    The core's optimizers are the judge: a slider's range is only a suggestion,
    so a learning rate above it is fine, a negative one is not.
    """
    try:
        RunConfig(kind=kind, hyper=dict(hyper))
    except ValueError as error:
        return str(error)
    return None


class LabModel(QObject):
    """The lab's state; announces each change with one signal per kind of change."""

    surfaceChanged = Signal()  # surface (and with it the start) replaced
    startChanged = Signal()
    configsChanged = Signal()  # configurations added, removed, enabled or recoloured
    configEdited = Signal(int)  # one configuration's hyperparameters changed
    raceReset = Signal()  # every run is back at the start
    raceAdvanced = Signal()  # runs took steps
    playingChanged = Signal(bool)
    speedChanged = Signal(float)
    limitReached = Signal()  # the race stopped at MAX_STEPS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._surface = get_surface("rosenbrock")
        self._start = tuple(map(float, self._surface.start))
        self._configs: list[LabConfig] = []
        self._runs: list[Run | None] = []  # parallel to _configs
        self._race = Race(self._surface, self._start, [])
        self._steps = 0
        self._playing = False
        self._speed = 100.0

    # --- reading --------------------------------------------------------------
    @property
    def surface(self) -> Surface:
        return self._surface

    @property
    def start(self) -> tuple[float, float]:
        return self._start

    @property
    def configs(self) -> tuple[LabConfig, ...]:
        return tuple(self._configs)

    @property
    def race(self) -> Race:
        return self._race

    @property
    def steps(self) -> int:
        """Race steps taken since the last reset."""
        return self._steps

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        """Optimizer steps per second while playing."""
        return self._speed

    def run(self, index: int) -> Run | None:
        """The live run of configuration ``index`` (``None`` while disabled)."""
        return self._runs[index]

    def active(self) -> list[tuple[int, LabConfig, Run]]:
        """The enabled configurations with their runs, in list order."""
        return [
            (i, c, r)
            for i, (c, r) in enumerate(zip(self._configs, self._runs))
            if r is not None
        ]

    def state(self) -> LabState:
        return LabState(self._surface, self._start, [c.copy() for c in self._configs])

    def at_limit(self) -> bool:
        return self._steps >= MAX_STEPS

    # --- configuration --------------------------------------------------------
    def set_surface(self, surface: Surface, start: tuple[float, float]) -> None:
        if surface is self._surface and tuple(start) == self._start:
            return
        self._surface = surface
        self._start = (float(start[0]), float(start[1]))
        self._rebuild()
        self.surfaceChanged.emit()
        self.raceReset.emit()

    def set_start(self, x: float, y: float) -> None:
        start = (float(x), float(y))
        if start == self._start:
            return
        self._start = start
        self._rebuild()
        self.startChanged.emit()
        self.raceReset.emit()

    def restore(self, state: LabState) -> None:
        """Put surface, start and configurations back at once (presets, undo)."""
        surface_changed = state.surface is not self._surface
        self._surface = state.surface
        self._start = (float(state.start[0]), float(state.start[1]))
        self._configs = [c.copy() for c in state.configs]
        self._rebuild()
        if surface_changed:
            self.surfaceChanged.emit()
        self.startChanged.emit()
        self.configsChanged.emit()
        self.raceReset.emit()

    def new_config(self, kind: str, hyper: dict[str, float] | None = None) -> LabConfig:
        """A configuration of ``kind`` with an unused colour and a unique label."""
        return make_config(kind, hyper, self._configs)

    def insert_config(self, index: int, config: LabConfig) -> None:
        """Add ``config`` at ``index``; its run catches up with the others."""
        self._configs.insert(index, config.copy())
        self._runs.insert(index, None)
        if config.enabled:
            self._runs[index] = self._join_race(self._configs[index])
        self.configsChanged.emit()

    def remove_config(self, index: int) -> LabConfig:
        config = self._configs.pop(index)
        run = self._runs.pop(index)
        if run is not None:
            self._race.remove(self._race.runs.index(run))
        self.configsChanged.emit()
        return config

    def set_enabled(self, index: int, enabled: bool) -> None:
        config = self._configs[index]
        if config.enabled == enabled:
            return
        config.enabled = enabled
        if enabled:
            self._runs[index] = self._join_race(config)
        else:
            self._race.remove(self._race.runs.index(self._runs[index]))
            self._runs[index] = None
        self.configsChanged.emit()

    def set_colour(self, index: int, colour: str) -> None:
        if self._configs[index].colour == colour:
            return
        self._configs[index].colour = colour
        self.configsChanged.emit()

    def set_hyper(self, index: int, name: str, value: float) -> None:
        """Change a hyperparameter; a live run uses it from its next step on."""
        config = self._configs[index]
        value = float(value)
        if config.hyper.get(name) == value:
            return
        problem = hyper_problem(config.kind, {**config.hyper, name: value})
        if problem:
            raise ValueError(problem)
        config.hyper[name] = value
        run = self._runs[index]
        if run is not None:
            run.set_hyper(name, value)
        self.configEdited.emit(index)

    # --- racing -----------------------------------------------------------------
    def step(self, n: int = 1, *, announce: bool = True) -> int:
        """Advance every enabled run by up to ``n`` steps; returns the steps taken.

        With ``announce=False`` the views hear nothing until :meth:`announce_steps`
        (the play loop steps in small chunks and redraws once per frame).
        """
        n = min(int(n), MAX_STEPS - self._steps)
        if n <= 0:
            return 0
        self._race.step(n)
        self._steps += n
        if announce:
            self.announce_steps()
        return n

    def announce_steps(self) -> None:
        """Tell the views that the runs moved; stop playing at the step limit."""
        self.raceAdvanced.emit()
        if self.at_limit():
            self.set_playing(False)
            self.limitReached.emit()

    def reset(self) -> None:
        """Every run back to the start, with the current hyperparameters."""
        self._rebuild()
        self.raceReset.emit()

    def set_playing(self, playing: bool) -> None:
        playing = bool(playing) and not self.at_limit()
        if playing == self._playing:
            return
        self._playing = playing
        self.playingChanged.emit(playing)

    def set_speed(self, steps_per_second: float) -> None:
        speed = float(steps_per_second)
        if not math.isfinite(speed) or speed <= 0:
            raise ValueError(f"speed must be a positive number, not {speed}")
        if speed == self._speed:
            return
        self._speed = speed
        self.speedChanged.emit(speed)

    # --- internals ------------------------------------------------------------
    def _join_race(self, config: LabConfig) -> Run:
        run = self._race.add(config.run_config())
        if self._steps:
            run.step(self._steps)
        return run

    def _rebuild(self) -> None:
        enabled = [c for c in self._configs if c.enabled]
        self._race = Race(self._surface, self._start, [c.run_config() for c in enabled])
        runs = iter(self._race.runs)
        self._runs = [next(runs) if c.enabled else None for c in self._configs]
        self._steps = 0


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


def make_config(
    kind: str, hyper: dict[str, float] | None = None, others: list[LabConfig] = ()
) -> LabConfig:
    """A configuration of ``kind`` whose label and colour differ from ``others``."""
    spec = OPTIMIZERS[kind]
    values = default_hyper(kind)
    values.update({name: float(v) for name, v in (hyper or {}).items()})
    problem = hyper_problem(kind, values)
    if problem:
        raise ValueError(problem)
    taken = {c.label for c in others}
    label, n = spec.title, 2
    while label in taken:
        label, n = f"{spec.title} #{n}", n + 1
    used = {c.colour for c in others}
    colour = next((c for c in PALETTE if c not in used), PALETTE[len(others) % 10])
    return LabConfig(kind=kind, hyper=values, label=label, colour=colour)


def make_configs(
    racers: tuple[tuple[str, dict[str, float]], ...], enabled: set[int] | None = None
) -> list[LabConfig]:
    """Configurations for ``racers`` in order (all enabled unless ``enabled`` says)."""
    configs: list[LabConfig] = []
    for i, (kind, hyper) in enumerate(racers):
        config = make_config(kind, hyper, configs)
        config.enabled = enabled is None or i in enabled
        configs.append(config)
    return configs


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
    enabled = {i for i, (k, _) in enumerate(DEFAULT_RACERS) if k in DEFAULT_ENABLED}
    return make_configs(DEFAULT_RACERS, enabled)
