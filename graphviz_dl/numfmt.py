"""How numbers are written for people: short, honest, with a real minus sign."""

from __future__ import annotations

import math

MINUS = "\u2212"


def format_number(x: float, digits: int = 6) -> str:
    """Write ``x`` compactly for a step panel: ``2.0``, ``−0.75``, ``1.5e-08``, ``inf``.

    Integral values keep a trailing ``.0`` so they still read as real numbers;
    ``inf`` and ``nan`` are shown as such, never hidden. ``−0.0`` is written
    ``0.0``: the sign of a zero is an IEEE detail that only puzzles a reader.
    """
    x = float(x)
    if x == 0.0:
        return "0.0"
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else MINUS + "inf"
    text = format(x, f".{digits}g")
    if "e" not in text and "." not in text:
        text += ".0"
    return text.replace("-", MINUS)


def precise_number(x: float) -> str:
    """Full precision (``repr``) with the real minus sign, for inspectors and
    tooltips; ``−0.0`` reads ``0.0``, ``inf``/``nan`` as in :func:`format_number`."""
    x = float(x)
    if not math.isfinite(x) or x == 0.0:
        return format_number(x)
    return repr(x).replace("-", MINUS)


def exact_number(x: float) -> str:
    """Write ``x`` as a person would type it, exactly: ``0``, ``−1``, ``0.5``,
    ``1e-08``, ``inf`` (a whole number without ``.0``, else the shortest form
    that reads back as the same float), for parameters and allowed ranges."""
    x = float(x) + 0.0  # −0.0 + 0.0 is 0.0
    if not math.isfinite(x):
        return format_number(x)
    text = str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
    return text.replace("-", MINUS)
