"""The optimizer lab's state as a plain model: surface, start, configurations, race.

Views read it and subscribe to its psygnal signals; every change goes through
its methods (undo commands call them too), and a signal fires only when
something really changed. The race itself is :class:`graphviz_dl.race.Race`;
the model only decides which configurations take part and keeps them in step.
Signals are emitted in the caller's thread: call the model from the GUI thread.
"""

from __future__ import annotations

import math

from psygnal import Signal

from ...colours import colour_problem
from ...race import Race, Run, RunConfig
from ...surfaces import Surface, get_surface
from .configs import LabConfig, LabState, hyper_problem, make_config

#: A race stops here: every step keeps its position, loss, gradient and optimizer
#: state, so an unbounded race would grow without limit while left playing.
MAX_STEPS = 20_000

#: Speeds offered by the speed control, in optimizer steps per second.
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)


class LabModel:
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

    def __init__(self) -> None:
        self._surface = get_surface("rosenbrock")
        self._start = (float(self._surface.start[0]), float(self._surface.start[1]))
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
        """Draw configuration ``index`` in ``colour`` (``#rrggbb``)."""
        problem = colour_problem(colour)
        if problem:
            raise ValueError(f"{colour!r} {problem}")
        if self._configs[index].colour == colour:
            return
        self._configs[index].colour = colour
        self.configsChanged.emit()

    def hyper_problem(self, index: int, name: str, value: float) -> str | None:
        """What would be wrong with setting ``name`` of ``index`` to ``value``."""
        config = self._configs[index]
        return hyper_problem(config.kind, {**config.hyper, name: value})

    def set_hyper(self, index: int, name: str, value: float) -> None:
        """Change a hyperparameter. A racing configuration's run checks it and
        applies it to its live optimizer in place (moments kept, used from the
        next step on: :func:`graphviz_dl.optimizer_menu.set_hyperparameter`);
        a resting one is only checked. ValueError leaves everything unchanged."""
        config = self._configs[index]
        value = float(value)
        if config.hyper.get(name) == value:
            return
        run = self._runs[index]
        if run is not None:
            run.set_hyper(name, value)  # validates; ValueError leaves it unchanged
        else:
            problem = self.hyper_problem(index, name, value)
            if problem:
                raise ValueError(problem)
        config.hyper[name] = value
        self.configEdited.emit(index)

    def set_schedule(self, index: int, schedule: str) -> None:
        """Give configuration ``index`` a learning-rate schedule (``""``: none).

        A schedule counts from step 0, so the race starts again. ValueError
        (an unknown schedule, a bad setting, the line search) changes nothing.
        """
        config = self._configs[index]
        schedule = schedule.strip()
        if config.schedule == schedule:
            return
        RunConfig(config.kind, dict(config.hyper), schedule=schedule)  # checks
        config.schedule = schedule
        self._rebuild()
        self.configEdited.emit(index)
        self.raceReset.emit()

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
