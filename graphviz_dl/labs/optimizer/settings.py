"""What the optimizer lab remembers between sessions, read so that no value can
break a start.

The Qt side moves a plain mapping in and out of its settings store;
:func:`load` validates every value (a colour that is not ``#rrggbb``, a speed
out of the speed control's range, a formula that does not parse, an unknown
optimizer…), replaces what is wrong with its default, and says so in words
naming the file and the field. What was replaced is written back on the next
save, so the file is repaired.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ...colours import colour_problem
from ...expr import ExpressionError
from ...optimizer_menu import OPTIMIZERS
from ...race import RunConfig
from ...settings_schema import Setting, read_settings
from ...surfaces import SURFACES, Surface, surface_from_expression
from .configs import PALETTE, LabConfig, LabState, default_hyper, hyper_problem
from .model import SPEEDS
from .presets import default_config_list
from .surface_choice import parameter_problem

MAX_FORMULA = 4000  # characters: longer text is not a formula typed by hand
MAX_CONFIGS = 64  # racers in a list; more is a damaged file, not a race


def _builtin_problem(name: str) -> str | None:
    return None if not name or name in SURFACES else "is not a known surface"


def _formula_problem(text: str) -> str | None:
    if len(text) > MAX_FORMULA:
        return f"is longer than {MAX_FORMULA} characters"
    return None


def _start_problem(text: str) -> str | None:
    try:
        _parse_start(text)
    except (TypeError, ValueError):
        return "is not a point [x, y] of two finite numbers"
    return None


def _configs_problem(text: str) -> str | None:
    try:
        items = json.loads(text)
    except ValueError:
        return "is not a JSON list"
    return None if isinstance(items, list) else "is not a JSON list"


SCHEMA = (
    Setting("surface", "", check=_builtin_problem),
    Setting("formula", "", check=_formula_problem),
    Setting("surface_parameter", math.nan),
    Setting("start", "", check=_start_problem),
    Setting("configs", "", check=_configs_problem),
    Setting("speed", 100.0, low=SPEEDS[0], high=SPEEDS[-1]),
    Setting("arrows", False),
    Setting("view_3d", False),
    Setting("internals", False),
)


@dataclass
class LabSettings:
    """The remembered state, every value valid."""

    state: LabState
    formula: str = ""  # the typed formula of a typed surface
    speed: float = 100.0
    arrows: bool = False
    view_3d: bool = False  # the surface drawn in 3-D
    internals: bool = False  # each racer's internals drawn on the map
    problems: list[str] = field(default_factory=list)


def load(raw: Mapping[str, object], source: str) -> LabSettings:
    """Valid settings from the stored ``raw`` mapping (anything missing or
    wrong falls back to its default; ``problems`` says what was replaced)."""
    present = {k: v for k, v in raw.items() if v is not None and v != ""}
    values, problems = read_settings(present, SCHEMA, source)
    surface, formula = _surface(values, source, problems)
    start = _parse_start(values["start"]) if values["start"] else None
    configs = _configs(values["configs"], source, problems)
    state = LabState(
        surface,
        start or (float(surface.start[0]), float(surface.start[1])),
        configs or default_config_list(),
    )
    return LabSettings(
        state,
        formula,
        values["speed"],
        values["arrows"],
        values["view_3d"],
        values["internals"],
        problems,
    )


def dump(
    state: LabState,
    *,
    formula: str,
    speed: float,
    arrows: bool,
    view_3d: bool = False,
    internals: bool = False,
    remember_surface: bool = True,
) -> dict[str, object]:
    """The mapping to store; a key whose value is None is to be removed. A
    surface sent by another tab (a graph's loss) cannot be rebuilt from text:
    with ``remember_surface=False`` the stored surface and start stay as they
    were."""
    raw: dict[str, object] = {
        "configs": json.dumps([c.to_json() for c in state.configs]),
        "speed": float(speed),
        "arrows": bool(arrows),
        "view_3d": bool(view_3d),
        "internals": bool(internals),
    }
    if remember_surface:
        surface = state.surface
        builtin = surface.name in SURFACES
        raw["surface"] = surface.name if builtin else ""
        raw["formula"] = "" if builtin else formula
        raw["surface_parameter"] = surface.parameter_value
        raw["start"] = json.dumps(list(state.start))
    return raw


def _parse_start(text: str) -> tuple[float, float]:
    x, y = json.loads(text)
    point = (float(x), float(y))
    if not all(math.isfinite(v) for v in point):
        raise ValueError("not finite")
    return point


def _surface(values: dict, source: str, problems: list[str]) -> tuple[Surface, str]:
    """The remembered surface (with its parameter), and its formula if typed."""
    name, formula = values["surface"], values["formula"]
    if name:
        surface = SURFACES[name]
        value = values["surface_parameter"]
        if surface.parameter is None or math.isnan(value):
            return surface, ""
        problem = parameter_problem(surface, value)
        if problem:
            problems.append(f"{source}: field 'surface_parameter': {problem}")
            return surface, ""
        return surface.with_parameter(value), ""
    if formula:
        try:
            return surface_from_expression(formula), formula
        except (ExpressionError, TypeError, ValueError) as exc:
            problems.append(f"{source}: field 'formula' does not parse ({exc})")
    return SURFACES["rosenbrock"], ""


def _configs(text: str, source: str, problems: list[str]) -> list[LabConfig]:
    """The remembered racers; a bad entry is repaired or, if unknown, dropped."""
    items = json.loads(text) if text else []
    if len(items) > MAX_CONFIGS:
        problems.append(f"{source}: field 'configs' keeps only {MAX_CONFIGS} racers")
        items = items[:MAX_CONFIGS]
    configs: list[LabConfig] = []
    for n, item in enumerate(items, start=1):
        where = f"{source}: racer {n} in field 'configs'"
        config = _config(item, len(configs), where, problems)
        if config is not None:
            configs.append(config)
    return configs


def _config(
    item: object, count: int, where: str, problems: list[str]
) -> LabConfig | None:
    """One remembered racer, repaired where it can be; None when it cannot."""
    kind = item.get("kind") if isinstance(item, dict) else item
    if not isinstance(kind, str) or kind not in OPTIMIZERS:
        problems.append(f"{where}: {str(kind)[:40]!r} is not an optimizer; dropped")
        return None
    kind = item["kind"]
    hyper = default_hyper(kind)
    saved = item.get("hyper")
    for name, value in saved.items() if isinstance(saved, dict) else ():
        if name not in hyper:
            continue  # a hyperparameter an older version had: nothing to keep
        if hyper_problem(kind, {**hyper, name: value}):
            problems.append(f"{where}: {name} = {str(value)[:40]!r} is not valid")
            continue
        hyper[name] = float(value)
    colour = item.get("colour", PALETTE[count % len(PALETTE)])
    problem = colour_problem(colour)
    if problem:
        problems.append(f"{where}: colour {str(colour)[:40]!r} {problem}")
        colour = PALETTE[count % len(PALETTE)]
    label = item.get("label")
    if not isinstance(label, str) or not label.strip():
        label = OPTIMIZERS[kind].title
    enabled = item.get("enabled", True)
    return LabConfig(
        kind,
        hyper,
        label[:80],
        colour,
        enabled is not False,
        _schedule(kind, hyper, item.get("schedule", ""), where, problems),
    )


def _schedule(
    kind: str, hyper: dict, text: object, where: str, problems: list[str]
) -> str:
    """A remembered schedule if the race accepts it, else none (said so)."""
    if text == "":
        return ""
    try:
        RunConfig(kind, dict(hyper), schedule=str(text)[:200])
    except (TypeError, ValueError) as error:
        problems.append(f"{where}: schedule {str(text)[:40]!r} dropped ({error})")
        return ""
    return str(text)[:200]
