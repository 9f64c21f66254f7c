"""Which settings a running network takes at its next step, and how a change
is told.

The optimizer and its hyperparameters, the L1/L2 strengths, the dropout rate,
the batch size, the schedule and early stopping act on the next step only, so
a run takes them as it goes: the weights and the step counter continue (the
Playground does the same with its learning and regularisation rates). The
data, the network's shape, activation, loss, initialisation and seed decide
what the weights *are*: changing them starts a new run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..numfmt import format_number
from .config import TrainingConfig

LIVE_FIELDS = frozenset(
    {
        "optimizer",
        "hyper",
        "l1",
        "l2",
        "dropout",
        "batch_size",
        "schedule",
        "early_stopping",
        "patience",
        "min_delta",
        "restore_best",
    }
)
"""The :class:`TrainingConfig` fields a running network takes at its next step."""

_TITLES = {
    "l1": "L1",
    "l2": "L2",
    "batch_size": "batch size",
    "early_stopping": "early stopping",
    "min_delta": "min Δ",
    "restore_best": "restore best",
}


def needs_new_run(old: TrainingConfig, new: TrainingConfig) -> bool:
    """True when ``new`` differs from ``old`` in a field that decides what the
    weights are (shape, activation, loss, initialisation, seed, snapshots)."""
    return any(
        getattr(old, f.name) != getattr(new, f.name)
        for f in fields(TrainingConfig)
        if f.name not in LIVE_FIELDS
    )


def _text(name: str, value: object) -> str:
    if name == "batch_size" and value is None:
        return "full"
    if name == "schedule":
        return str(value) or "constant"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        if name in ("l1", "l2", "dropout") and value == 0.0:
            return "off"
        return format_number(value, 3)
    return str(value)


def differences(
    old: TrainingConfig, new: TrainingConfig
) -> tuple[tuple[str, str, str], ...]:
    """What changed from ``old`` to ``new``, as ``(name, before, after)`` texts."""
    out: list[tuple[str, str, str]] = []
    if old.optimizer != new.optimizer:
        out.append(("optimizer", old.optimizer, new.optimizer))
    before, after = old.hyper_dict, new.hyper_dict
    for name in sorted(set(before) | set(after), key=lambda n: (n != "lr", n)):
        if name in before and name in after and before[name] != after[name]:
            out.append((name, _text(name, before[name]), _text(name, after[name])))
        elif old.optimizer == new.optimizer and name not in before:
            out.append((name, "default", _text(name, after[name])))
    for f in fields(TrainingConfig):
        if f.name in LIVE_FIELDS and f.name not in ("optimizer", "hyper"):
            a, b = getattr(old, f.name), getattr(new, f.name)
            if a != b:
                title = _TITLES.get(f.name, f.name)
                out.append((title, _text(f.name, a), _text(f.name, b)))
    return tuple(out)


@dataclass(frozen=True)
class LiveChange:
    """Settings changed while training: they act from step ``step + 1`` on."""

    step: int
    epoch: int
    changes: tuple[tuple[str, str, str], ...]

    @property
    def text(self) -> str:
        """``"lr 0.03 → 0.3"`` (several changes joined by commas)."""
        return ", ".join(f"{name} {a} → {b}" for name, a, b in self.changes)
