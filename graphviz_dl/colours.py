"""What counts as a colour the app can draw with: ``#rrggbb``.

Colours come back from settings files and session files; one that a drawing
library cannot parse must be caught here, on load, not where it is drawn.
"""

from __future__ import annotations

import re

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def colour_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a ``#rrggbb`` colour (None when valid)."""
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        return "is not a colour of the form #rrggbb"
    return None


def is_colour(value: object) -> bool:
    return colour_problem(value) is None
