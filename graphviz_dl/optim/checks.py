"""Hyperparameter checks whose messages name the parameter and its range."""

from __future__ import annotations

from ..numfmt import exact_number


def check_at_least(name: str, value: float, low: float = 0.0) -> float:
    """``value`` as a float, or ValueError naming it and the allowed range."""
    value = float(value)
    if not value >= low:  # also rejects nan
        raise ValueError(
            f"{name} must be ≥ {exact_number(low)}, got {exact_number(value)}"
        )
    return value


def check_between(
    name: str, value: float, low: float, high: float, *, high_open: bool = False
) -> float:
    """``value`` in ``[low, high]`` (or ``[low, high)``), else ValueError."""
    value = float(value)
    ok = low <= value < high if high_open else low <= value <= high
    if not ok:
        bracket = ")" if high_open else "]"
        raise ValueError(
            f"{name} must be in [{exact_number(low)}, {exact_number(high)}{bracket}, "
            f"got {exact_number(value)}"
        )
    return value
