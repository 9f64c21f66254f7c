"""Hyperparameter checks whose messages name the parameter and its range."""

from __future__ import annotations

import math

from ..numfmt import MINUS, format_number


def check_at_least(name: str, value: float, low: float = 0.0) -> float:
    """``value`` as a float, or ValueError naming it and the allowed range."""
    value = float(value)
    if not value >= low:  # also rejects nan
        raise ValueError(
            f"{name} must be ≥ {show_number(low)}, got {show_number(value)}"
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
            f"{name} must be in [{show_number(low)}, {show_number(high)}{bracket}, "
            f"got {show_number(value)}"
        )
    return value


def show_number(x: float) -> str:
    """A number as typed: ``0``, ``−1``, ``1.5``, ``inf`` (shortest exact form)."""
    x = float(x)
    if not math.isfinite(x):
        return format_number(x)
    text = str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
    return text.replace("-", MINUS)
