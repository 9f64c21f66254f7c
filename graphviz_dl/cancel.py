"""Stopping long core work when its caller no longer wants the result.

Core functions that take long accept a plain ``cancelled()`` callable (the
app passes its job's); they look at it every so often and raise
:class:`Cancelled`, so a closed window or a newer request is not kept
waiting for work whose result would be dropped.
"""

from __future__ import annotations

from collections.abc import Callable

CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """Raised by core work once its caller's ``cancelled()`` turned true."""


def stop_if(cancelled: CancelCheck | None) -> None:
    """Raise :class:`Cancelled` if ``cancelled`` is given and now true."""
    if cancelled is not None and cancelled():
        raise Cancelled
