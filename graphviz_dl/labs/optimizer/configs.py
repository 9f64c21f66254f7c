"""The racing configurations: what races (kind, hyperparameters) and how it is drawn.

A configuration is plain data that undo steps, presets and settings copy
around; the live optimizer of an enabled configuration belongs to its
:class:`~graphviz_dl.race.Run`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ...optimizer_menu import OPTIMIZERS, hyperparameter_problem
from ...race import RunConfig
from ...surfaces import Surface

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


@dataclass
class LabConfig:
    """One optimizer configuration in the lab: what races, and how it is drawn."""

    kind: str
    hyper: dict[str, float]
    label: str
    colour: str
    enabled: bool = True
    schedule: str = ""  # e.g. "cosine:T_max=500"; "" races at a constant lr

    def run_config(self) -> RunConfig:
        return RunConfig(
            kind=self.kind,
            hyper=dict(self.hyper),
            label=self.label,
            schedule=self.schedule,
        )

    def copy(self) -> LabConfig:
        return replace(self, hyper=dict(self.hyper))

    def to_json(self) -> dict:
        """The configuration as JSON-ready data (what the settings remember)."""
        data = {
            "kind": self.kind,
            "hyper": dict(self.hyper),
            "label": self.label,
            "colour": self.colour,
            "enabled": self.enabled,
        }
        if self.schedule:
            data["schedule"] = self.schedule
        return data


@dataclass
class LabState:
    """Everything a preset or an undo step restores at once."""

    surface: Surface
    start: tuple[float, float]
    configs: list[LabConfig] = field(default_factory=list)


def default_hyper(kind: str) -> dict[str, float]:
    """The core's defaults for ``kind`` (a fresh dict the caller may change)."""
    return {h.name: float(h.default) for h in OPTIMIZERS[kind].hyperparams}


def hyper_problem(kind: str, hyper: Mapping[str, float]) -> str | None:
    """What the optimizer menu finds wrong with these hyperparameters (None when
    valid), in words. A slider's range is only a suggestion: a learning rate
    above it is fine, a negative one is not. No optimizer is built to find out.
    """
    try:
        return hyperparameter_problem(kind, hyper)
    except (TypeError, ValueError) as error:  # a value that is not a number
        return str(error)


def free_label(title: str, taken: Iterable[str]) -> str:
    """``title``, or ``title #2``, ``#3``… whichever is not taken yet."""
    taken = set(taken)
    label, n = title, 2
    while label in taken:
        label, n = f"{title} #{n}", n + 1
    return label


def free_colour(used: Iterable[str], count: int) -> str:
    """The first palette colour not in ``used`` (cycling once all are used)."""
    used = set(used)
    return next((c for c in PALETTE if c not in used), PALETTE[count % len(PALETTE)])


def make_config(
    kind: str,
    hyper: Mapping[str, float] | None = None,
    others: Iterable[LabConfig] = (),
) -> LabConfig:
    """A configuration of ``kind`` whose label and colour differ from ``others``."""
    spec = OPTIMIZERS[kind]
    values = default_hyper(kind)
    values.update({name: float(v) for name, v in (hyper or {}).items()})
    problem = hyper_problem(kind, values)
    if problem:
        raise ValueError(problem)
    others = list(others)
    label = free_label(spec.title, (c.label for c in others))
    colour = free_colour((c.colour for c in others), len(others))
    return LabConfig(kind=kind, hyper=values, label=label, colour=colour)


def make_configs(
    racers: Iterable[tuple[str, Mapping[str, float]]],
    enabled: set[int] | None = None,
) -> list[LabConfig]:
    """Configurations for ``racers`` in order (all enabled unless ``enabled`` says)."""
    configs: list[LabConfig] = []
    for i, (kind, hyper) in enumerate(racers):
        config = make_config(kind, hyper, configs)
        config.enabled = enabled is None or i in enabled
        configs.append(config)
    return configs
