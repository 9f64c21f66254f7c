"""What an entry of the optimizer menu is made of: hyperparameters that know
their slider range and the values they may take, and the entry itself."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .numfmt import exact_number, format_number


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter: its default, a sensible slider range, and the values
    it may take.

    ``low``..``high`` is for a slider; what is *valid* is ``minimum``..``maximum``
    (ends included unless ``exclusive_*``), the same as the optimizer's own
    checks: ``lr`` may go above the slider's top, never below 0.
    """

    name: str
    default: float
    low: float
    high: float
    log: bool
    boolean: bool = False
    help: str = ""
    minimum: float = 0.0
    maximum: float = math.inf
    exclusive_min: bool = False
    exclusive_max: bool = False

    def check(self, value: float) -> float:
        """``value`` as a float if this hyperparameter may take it, else a
        ValueError that names the hyperparameter and what it may be."""
        value = float(value)
        if self.boolean:
            if value not in (0.0, 1.0):
                raise ValueError(
                    f"{self.name} must be 0 or 1 (off or on), "
                    f"got {format_number(value)}"
                )
            return value
        above = value > self.minimum if self.exclusive_min else value >= self.minimum
        below = value < self.maximum if self.exclusive_max else value <= self.maximum
        if not (above and below):  # nan fails both
            raise ValueError(
                f"{self.name} must be {self._valid()}, got {exact_number(value)}"
            )
        return value

    def _valid(self) -> str:
        """What the values may be, in words: ``≥ 0``, ``in [0, 1)``, ``> 0 and finite``."""
        low, high = self.minimum, self.maximum
        if math.isinf(low) and math.isinf(high):
            return "a number"
        if math.isinf(high):
            text = f"{'>' if self.exclusive_min else '≥'} {exact_number(low)}"
            return text + " and finite" if self.exclusive_max else text
        opening = "(" if self.exclusive_min else "["
        closing = ")" if self.exclusive_max else "]"
        return f"in {opening}{exact_number(low)}, {exact_number(high)}{closing}"


@dataclass(frozen=True)
class OptimizerSpec:
    """An entry of the optimizer menu: its kind, a title, its hyperparameters."""

    kind: str
    title: str
    hyperparams: tuple[HyperParam, ...]
    description: str = ""

    def hyper(self, name: str) -> HyperParam:
        for hp in self.hyperparams:
            if hp.name == name:
                return hp
        known = ", ".join(hp.name for hp in self.hyperparams)
        raise ValueError(
            f"{self.title} has no hyperparameter {name!r}; its hyperparameters "
            f"are {known}"
        )

    def defaults(self) -> dict[str, float]:
        return {hp.name: hp.default for hp in self.hyperparams}
