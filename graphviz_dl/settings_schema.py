"""Reading remembered settings so that one bad value never breaks a start.

A lab describes each value it remembers as a :class:`Setting` (type, default,
bounds, choices). :func:`read_settings` turns whatever the settings store
holds — strings from an INI file, values from an older version, garbage — into
valid values: a value that is missing, of the wrong kind, out of bounds or not
one of the choices falls back to its default, and the problem is reported in
words naming the file and the field, so the app can say so once and carry on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Setting:
    """One remembered value: its key, default and what makes it acceptable."""

    key: str
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] | None = None
    check: Callable[[Any], str | None] | None = None
    """Extra validation: returns a problem in words, or None."""

    @property
    def kind(self) -> type:
        return type(self.default)

    def convert(self, raw: object) -> Any:
        """``raw`` as this setting's kind; ValueError says why it cannot be."""
        kind = self.kind
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError("is not true or false")
        if kind is int:
            if isinstance(raw, bool):
                raise ValueError("is not a whole number")
            number = float(raw) if isinstance(raw, str) else raw
            if not isinstance(number, int | float) or not math.isfinite(number):
                raise ValueError("is not a whole number")
            if number != int(number):
                raise ValueError("is not a whole number")
            return int(number)
        if kind is float:
            if isinstance(raw, bool) or not isinstance(raw, str | int | float):
                raise ValueError("is not a number")
            number = float(raw)
            if math.isnan(number):
                raise ValueError("is not a number")
            return number
        if kind is str:
            if not isinstance(raw, str):
                raise ValueError("is not text")
            return raw
        raise TypeError(f"settings of type {kind.__name__} are not supported")

    def validate(self, raw: object) -> Any:
        """The value to use for ``raw``; ValueError says what is wrong with it."""
        try:
            value = self.convert(raw)
        except (TypeError, OverflowError) as exc:
            raise ValueError("is not readable") from exc
        if self.low is not None and value < self.low:
            raise ValueError(f"is below {self.low:g}")
        if self.high is not None and value > self.high:
            raise ValueError(f"is above {self.high:g}")
        if self.choices is not None and value not in self.choices:
            raise ValueError("is not one of " + ", ".join(map(str, self.choices)))
        if self.check is not None:
            problem = self.check(value)
            if problem:
                raise ValueError(problem)
        return value


def read_settings(
    raw: Mapping[str, object], schema: Sequence[Setting], source: str
) -> tuple[dict[str, Any], list[str]]:
    """Valid values for every setting of ``schema`` from ``raw`` (missing keys
    take their defaults silently), and one message per value replaced."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for setting in schema:
        if setting.key not in raw or raw[setting.key] is None:
            values[setting.key] = setting.default
            continue
        try:
            values[setting.key] = setting.validate(raw[setting.key])
        except ValueError as exc:
            values[setting.key] = setting.default
            shown = repr(raw[setting.key])
            if len(shown) > 40:
                shown = shown[:37] + "…"
            problems.append(
                f"{source}: field {setting.key!r} = {shown} {exc}; "
                f"using {setting.default!r}"
            )
    return values, problems
