"""Turning what a person typed into a surface: a built-in name or a formula."""

from __future__ import annotations

import difflib
import re

from ...surfaces import SURFACES, Surface, surface_from_expression

_NAME = re.compile(r"[A-Za-z][\w-]*")


def resolve_surface(text: str) -> tuple[Surface, str]:
    """The surface ``text`` names, and the formula typed ("" for a built-in).

    A word that is no built-in's name gets ValueError with the closest name
    and the list of known ones; anything else is read as ``f(x, y) = …``
    (ExpressionError with line and column when it is not a formula).
    """
    if text in SURFACES:
        return SURFACES[text], ""
    word = text.strip()
    if _NAME.fullmatch(word):
        close = difflib.get_close_matches(word[:200].lower(), SURFACES, n=1)
        hint = f" — did you mean {close[0]!r}?" if close else ""
        known = ", ".join(SURFACES)
        raise ValueError(f"unknown surface {text!r}{hint} Known surfaces: {known}")
    return surface_from_expression(text), text


def parameter_problem(surface: Surface, value: float) -> str | None:
    """Why ``value`` cannot be the surface's parameter (None when it can)."""
    parameter = surface.parameter
    if parameter is None:
        return f"{surface.title} has no parameter"
    if not parameter.low <= value <= parameter.high:
        return f"{parameter.name} goes from {parameter.low:g} to {parameter.high:g}"
    return None
