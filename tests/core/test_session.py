"""Session and lesson files: saved whole, restored exactly, refused clearly."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphviz_dl import parse
from graphviz_dl.session import (
    FORMAT,
    Session,
    SessionError,
    parse_session,
    read_session,
    save_session,
)

LESSON = Session(
    program="# the chain rule\nx = 2.0\ny = x * 3\nL = y ** 2\n",
    position=5,
    selected="n1",
    title="Chain rule, step 5",
    view={"zoom": 1.5, "x": 10.0, "y": -4.0},
    labs={"optimizers": {"surface": "beale", "lr": 0.01}},
)


def test_a_session_comes_back_exactly(tmp_path):
    path = tmp_path / "lesson.gdl.json"
    save_session(LESSON, path)
    again = read_session(path)
    assert again == LESSON
    assert parse(again.program)["L"].data == 36.0


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"format": FORMAT + 1}, "format", "newer graphviz-dl"),
        ({"format": "1"}, "format", "not int"),
        ({"program": 3}, "program", "not str"),
        ({"position": -2}, "position", "negative"),
        ({"position": True}, "position", "not a whole number"),
        ({"view": {"zoom": "big"}}, "view.zoom", "finite number"),
        ({"labs": {"training": []}}, "labs.training", "table of settings"),
        ({"kind": "something else"}, "kind", "session file"),
    ],
)
def test_a_bad_field_is_named_with_the_file(change, field, words):
    data = json.loads(LESSON.to_json())
    data.update(change)
    with pytest.raises(SessionError) as caught:
        parse_session(json.dumps(data), "lesson.json")
    assert caught.value.field == field
    assert str(caught.value).startswith(f"lesson.json: field {field!r}")
    assert words in str(caught.value)


def test_truncated_binary_and_missing_files_are_refused(tmp_path):
    text = LESSON.to_json()
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(SessionError, match="not a session file"):
        read_session(cut)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SessionError, match="UTF-8"):
        read_session(binary)
    with pytest.raises(SessionError, match="No such file"):
        read_session(tmp_path / "missing.json")
    nan = tmp_path / "nan.json"
    nan.write_text(text.replace('"position": 5', '"position": NaN'))
    with pytest.raises(SessionError, match="NaN"):
        read_session(nan)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000)
    with pytest.raises(SessionError):
        read_session(deep)


def test_a_failed_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "lesson.json"
    save_session(LESSON, path)
    bad = Session(program="x = 1.0", view={"zoom": float("nan")})
    with pytest.raises(ValueError):
        save_session(bad, path)  # JSON has no NaN: refused before writing
    assert read_session(path) == LESSON


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_session_or_a_session_error(text):
    try:
        parse_session(text)
    except SessionError:
        pass
