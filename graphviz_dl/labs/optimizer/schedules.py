"""The learning-rate schedules a racer's row offers, with settings that show
their shape within a few hundred steps (the core's own defaults are PyTorch's,
written for epochs, not for a race of 500 steps)."""

from __future__ import annotations

from ...schedule_menu import parse_schedule

#: (name a person picks, schedule text the race takes); "" races at a constant lr.
LAB_SCHEDULES: tuple[tuple[str, str], ...] = (
    ("constant", ""),
    ("step", "step:step_size=100,gamma=0.5"),
    ("exponential", "exponential:gamma=0.99"),
    ("cosine", "cosine:T_max=500"),
    ("warm restarts", "warm-restarts:T_0=100"),
    ("plateau", "plateau:factor=0.5,patience=10"),
)


def schedule_text(name: str) -> str:
    """The schedule text of the menu entry ``name`` (KeyError names the choices)."""
    for entry, text in LAB_SCHEDULES:
        if entry == name:
            return text
    known = ", ".join(entry for entry, _ in LAB_SCHEDULES)
    raise KeyError(f"unknown schedule {name!r}; choose one of {known}")


def schedule_name(text: str) -> str:
    """The menu entry a schedule text belongs to (its kind: settings may differ)."""
    if not text.strip():
        return "constant"
    kind, _ = parse_schedule(text)
    for entry, known in LAB_SCHEDULES:
        if known and known.partition(":")[0] == kind:
            return entry
    return kind
