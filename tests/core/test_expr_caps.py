"""Caps on the work a program does: every accepted program finishes in bounded time."""

import gc
import time

import pytest

from graphviz_dl.engine import topological_order
from graphviz_dl.expr import MAX_NODES, MAX_STEPS, MAX_TURNS, ExpressionError, parse

# --- caps on the work a program does -------------------------------------------------------


def _refused(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    return info.value


def test_a_huge_range_is_refused_where_it_is_written():
    error = _refused("x = 1.0\nfor i in range(10 ** 6):\n    x += 1")
    assert (error.line, error.col) == (2, 10)
    assert f"{MAX_TURNS:,}" in error.message


def test_nested_loops_multiply_and_the_turn_cap_covers_them():
    error = _refused("for i in range(1000):\n    for j in range(1000):\n        pass")
    assert (error.line, error.col) == (2, 14)
    assert "nested loops multiply" in error.message


def test_nested_comprehensions_hit_the_turn_cap():
    error = _refused("xs = [[Value(1.0) for i in range(400)] for j in range(400)]")
    assert (error.line, error.col) == (1, 28)  # the inner range
    assert f"{MAX_TURNS:,}" in error.message


def test_a_range_too_long_to_count_is_refused_where_it_is_written():
    error = _refused("x = 1.0\nfor i in range(1e308):\n    x += 1")
    assert (error.line, error.col) == (2, 10)
    assert "countless turns" in error.message


def test_zip_and_enumerate_make_only_the_items_they_take(monkeypatch):
    """zip(…, range(n)) takes the shorter length: the long range is never made
    into a list of counters on each turn, only the items zipped are."""
    from graphviz_dl.language import calls

    made = []

    class Counting(calls.Counter):
        def __new__(cls, value):
            made.append(value)
            return super().__new__(cls, value)

    monkeypatch.setattr(calls, "Counter", Counting)
    text = (
        "x = Value(1.0)\nfor t in range(200):\n"
        "    for i, w in zip(range(90000), [x, x]):\n        s = w * i\no = s"
    )
    assert parse(text)["o"].data == 1.0
    assert len(made) < 1000
    text = "xs = [Value(2.0), Value(3.0)]\nfor i, r in enumerate(range(2)):\n    y = xs[r] * i\no = y"
    assert parse(text)["o"].data == 3.0


def test_too_many_nodes_is_refused_with_the_cap_and_the_place():
    error = _refused("s = 0.0\nfor i in range(50000):\n    s = s + 1 + 1 + 1 + 1 + 1")
    assert f"more than {MAX_NODES:,} nodes" in error.message
    assert error.line == 3


def test_a_long_body_in_a_long_loop_hits_the_step_cap():
    body = "".join(f"    j{k} = i\n" for k in range(12))
    error = _refused(f"for i in range(90000):\n{body}")
    assert f"more than {MAX_STEPS:,} steps" in error.message
    assert 2 <= error.line <= 13


def test_just_under_the_caps_builds():
    values = parse("s = 0.0\nfor i in range(19000):\n    s = s + 1 + 1 + 1 + 1 + 1")
    assert values["s"].data == 19000 * 5
    assert len(topological_order(values["s"])) <= MAX_NODES


def test_a_misspelt_name_of_240000_characters_is_refused_quickly():
    """The "did you mean" search is bounded: a huge name gets no suggestion."""
    name = "a" * 240_000
    start = time.perf_counter()
    error = _refused(f"{name} = 1.0\ny = {name[:-1]}b")
    print(
        f"misspelt 240,000-character name refused in {time.perf_counter() - start:.3f} s"
    )
    assert (
        error.message.startswith("unknown name") and "did you mean" not in error.message
    )
    assert (error.line, error.col) == (2, 5)


def test_parse_leaves_the_cycle_collector_as_it_found_it():
    assert gc.isenabled()
    parse("x = 1.0")
    assert gc.isenabled()
    with pytest.raises(ExpressionError):
        parse("x = y")
    assert gc.isenabled()
    gc.disable()
    try:
        parse("x = 1.0")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_caller_can_stop_a_long_build_or_try_it_within_a_budget():
    from graphviz_dl.expr import BuildStopped, OverBudget

    text = "a = Value(1.0)\nfor i in range(20000):\n    s = a * i\no = s"
    with pytest.raises(OverBudget):
        parse(text, budget=5_000)
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(BuildStopped):
        parse(text, cancelled=cancelled)
    assert len(asked) == 4
    assert parse(text, cancelled=lambda: False, budget=MAX_STEPS)["o"].data == 19999.0
