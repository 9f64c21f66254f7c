"""The learning-rate schedules a run may use, written like ``cosine:T_max=200``,
and the parsing of ``name=value`` settings shared with the optimizer menu."""

from __future__ import annotations

import re

from . import schedulers

SCHEDULES = {
    "step": (schedulers.StepLR, {"step_size": int, "gamma": float}),
    "exponential": (schedulers.ExponentialLR, {"gamma": float}),
    "cosine": (schedulers.CosineAnnealingLR, {"T_max": int, "eta_min": float}),
    "warm-restarts": (
        schedulers.CosineAnnealingWarmRestarts,
        {"T_0": int, "T_mult": int, "eta_min": float},
    ),
    "plateau": (
        schedulers.ReduceLROnPlateau,
        {
            "factor": float,
            "patience": int,
            "threshold": float,
            "cooldown": int,
            "min_lr": float,
        },
    ),
}
"""Learning-rate schedules a run may use, written like ``cosine:T_max=200``."""


def parse_schedule(text: str) -> tuple[str, dict[str, float]]:
    """``"cosine:T_max=200"`` → ``("cosine", {"T_max": 200})``, checked."""
    kind, _, rest = text.strip().partition(":")
    kind = kind.strip()
    if kind not in SCHEDULES:
        raise ValueError(
            f"unknown schedule {kind!r}; known schedules: {', '.join(SCHEDULES)}"
        )
    types = SCHEDULES[kind][1]
    args: dict[str, float] = {}
    for name, value in parse_assignments(rest).items():
        if name not in types:
            raise ValueError(
                f"schedule {kind} has no setting {name!r}; its settings are "
                f"{', '.join(types)}"
            )
        if types[name] is int:
            if not float(value).is_integer():
                raise ValueError(f"{name} must be a whole number, got {value!r}")
            value = int(value)
        args[name] = value
    return kind, args


def parse_assignments(text: str) -> dict[str, float]:
    """``"lr=1e-3, momentum=0.9"`` → ``{"lr": 0.001, "momentum": 0.9}``."""
    out: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise ValueError(f"expected name=value, got {item!r}")
        try:
            out[name] = float(value.replace("−", "-"))
        except ValueError:
            raise ValueError(
                f"{name} must be a number, got {value.strip()!r}"
            ) from None
    return out
