"""The "did you mean …?" hint: the closest known name to a mistyped one, quickly.

A suggestion is only worth making for a name a person could have typed by
hand, so names longer than :data:`LONGEST_NAME` get none, only the
:data:`MOST_CANDIDATES` most recent candidates are compared, and the edit
distance is computed in a band of width ``2·limit + 1``: at most
``LONGEST_NAME × 5`` cells per candidate, whatever the program holds.
"""

from __future__ import annotations

from collections.abc import Sequence

LONGEST_NAME = 64
"""Names longer than this get no suggestion."""
MOST_CANDIDATES = 1_000
"""How many of the most recent candidates are compared."""


def suggest(name: str, candidates: Sequence[str]) -> str | None:
    """The candidate closest to a mistyped name, or None if none is close.

    Close means at most one edit for short names and two for longer ones;
    among equally close names the one assigned last wins (the freshest in mind).
    """
    if len(name) > LONGEST_NAME:
        return None
    limit = 1 if len(name) <= 4 else 2
    lowered = name.lower()
    start = max(len(candidates) - MOST_CANDIDATES, 0)
    best: tuple[int, int] | None = None
    choice = None
    for position in range(len(candidates) - 1, start - 1, -1):
        candidate = candidates[position]
        if abs(len(candidate) - len(name)) > limit:
            continue
        distance = _edit_distance(lowered, candidate.lower(), limit)
        if distance <= limit and (best is None or distance < best[0]):
            best, choice = (distance, -position), candidate
    return choice


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit),
    or ``limit + 1`` as soon as it is certainly above ``limit``.

    Only cells with ``|i − j| ≤ limit`` are computed: any alignment that
    leaves that band costs more than ``limit`` already.
    """
    far = limit + 1
    width = len(b)
    previous2: list[int] = []
    previous = [j if j <= limit else far for j in range(width + 1)]
    for i in range(1, len(a) + 1):
        current = [far] * (width + 1)
        if i <= limit:
            current[0] = i
        for j in range(max(1, i - limit), min(width, i + limit) + 1):
            cost = a[i - 1] != b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = min(value, far)
        if min(current) > limit:
            return far
        previous2, previous = previous, current
    return previous[-1]
