"""Sessions and lessons: one JSON file that brings a whole sitting back.

A session holds the program text (a graph that came from ``run`` or
``explore()`` is stored as the program that rebuilds it, in the whitelist
language, so opening a session never runs code), the step position and the
selected node, the explorer's view, and each lab's remembered settings. A
teacher's lesson is the same file: it opens on its program at its step.

Files carry a ``format`` number. A file that is not JSON, is from a newer
version, or has a field of the wrong kind is refused with a message naming the
file and the field; nothing open is replaced by half a session.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_write_text

FORMAT = 1
KIND = "graphviz-dl session"
MAX_BYTES = 50_000_000
"""Larger files are refused before they are read (a session is mostly text)."""


class SessionError(ValueError):
    """A session file that cannot be opened, naming the file and the field."""

    def __init__(self, path: str, field: str | None, message: str) -> None:
        where = f"{path}: field {field!r}" if field else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.field = field
        self.message = message


@dataclass
class Session:
    """Everything a session file restores."""

    program: str
    position: int = 0
    selected: str | None = None
    title: str = ""
    lab: str = "explorer"
    view: dict[str, float] = field(default_factory=dict)
    labs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {
            "kind": KIND,
            "format": FORMAT,
            "title": self.title,
            "program": self.program,
            "position": self.position,
            "selected": self.selected,
            "lab": self.lab,
            "view": self.view,
            "labs": self.labs,
        }
        return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)


def save_session(session: Session, path: str | os.PathLike) -> None:
    """Write ``session`` atomically (the old file survives any failure)."""
    atomic_write_text(path, session.to_json() + "\n")


def read_session(path: str | os.PathLike) -> Session:
    """The session in ``path``; :class:`SessionError` says what is wrong where."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise SessionError(name, None, f"is {size:,} bytes, over {MAX_BYTES:,}")
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SessionError(name, None, exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise SessionError(name, None, "is not UTF-8 text") from None
    return parse_session(text, name)


def parse_session(text: str, name: str = "<session>") -> Session:
    """A :class:`Session` from JSON text (``name`` is used in messages)."""
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise SessionError(
            name,
            None,
            f"is not a session file (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        ) from None
    except ValueError as exc:
        raise SessionError(name, None, str(exc)) from None
    except RecursionError:
        raise SessionError(name, None, "is nested too deeply to be a session") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise SessionError(name, "kind", f"is not a {KIND} file")
    version = _field(data, "format", int, name)
    if version > FORMAT:
        raise SessionError(
            name,
            "format",
            f"is {version}, from a newer graphviz-dl (this one "
            f"reads up to {FORMAT}): update the app to open it",
        )
    if version < 1:
        raise SessionError(name, "format", f"is {version}, which never existed")
    session = Session(
        program=_field(data, "program", str, name),
        position=_field(data, "position", int, name, default=0),
        selected=_field(data, "selected", (str, type(None)), name, default=None),
        title=_field(data, "title", str, name, default=""),
        lab=_field(data, "lab", str, name, default="explorer"),
        view=_numbers(_field(data, "view", dict, name, default={}), "view", name),
        labs=_field(data, "labs", dict, name, default={}),
    )
    if session.position < 0:
        raise SessionError(name, "position", "is negative")
    for lab, settings in session.labs.items():
        if not isinstance(settings, dict):
            raise SessionError(name, f"labs.{lab}", "is not a table of settings")
    return session


def _no_constants(token: str) -> float:
    raise ValueError(f"holds {token}, which JSON does not allow")


def _field(data: dict, key: str, kind, name: str, **default: Any) -> Any:
    if key not in data:
        if "default" in default:
            return default["default"]
        raise SessionError(name, key, "is missing")
    value = data[key]
    if isinstance(value, bool) and kind is int:
        raise SessionError(name, key, "is true/false, not a whole number")
    if not isinstance(value, kind):
        wanted = kind.__name__ if isinstance(kind, type) else "text or null"
        raise SessionError(name, key, f"is {type(value).__name__}, not {wanted}")
    return value


def _numbers(view: dict, key: str, name: str) -> dict[str, float]:
    for item, value in view.items():
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value):
            raise SessionError(name, f"{key}.{item}", "is not a finite number")
    return {item: float(value) for item, value in view.items()}
