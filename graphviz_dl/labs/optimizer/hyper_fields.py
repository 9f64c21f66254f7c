"""How hyperparameters are typed and shown in the racer list: short symbols,
which ones sit next to the learning rate, numbers as people type them, and
the log scale of the learning-rate slider."""

from __future__ import annotations

import math

#: Short names for hyperparameters, so a row stays narrow.
SYMBOLS = {
    "momentum": "μ",
    "beta1": "β₁",
    "beta2": "β₂",
    "alpha": "α",
    "rho": "ρ",
    "eps": "ε",
    "weight_decay": "decay",
    "dampening": "damp",
    "lr_decay": "lr decay",
    "initial_accumulator_value": "Σ₀",
    "max_step": "max step",
    "xtol": "xtol",
}

#: Hyperparameters shown next to the learning rate; the rest fold away.
MAIN = ("momentum", "beta1", "beta2", "alpha", "rho", "max_step")

SLIDER_TICKS = 1000


def symbol(name: str) -> str:
    return SYMBOLS.get(name, name)


def parse_number(text: str) -> float:
    """A number as a person types it (a typographic minus, a decimal comma)."""
    return float(text.strip().replace("\u2212", "-").replace(",", "."))


class LogScale:
    """Slider positions 0…``ticks`` for values from ``low`` to ``high``, evenly
    spaced in log₁₀ (rates worth trying span five decades)."""

    def __init__(self, low: float, high: float, ticks: int = SLIDER_TICKS) -> None:
        self.lo = math.log10(low)
        self.hi = math.log10(high)
        self.ticks = ticks

    def value(self, position: int) -> float:
        """The value at ``position``, rounded to four significant digits."""
        exact = 10.0 ** (self.lo + (self.hi - self.lo) * position / self.ticks)
        return float(f"{exact:.4g}")

    def position(self, value: float) -> int:
        if not value > 0:
            return 0
        t = (math.log10(value) - self.lo) / (self.hi - self.lo)
        return round(min(max(t, 0.0), 1.0) * self.ticks)
