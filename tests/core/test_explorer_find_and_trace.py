"""Finding nodes by name, op or value, and tracing ancestors and descendants."""

from __future__ import annotations

import pytest

from graphviz_dl.labs.explorer.navigation import (
    Navigator,
    ancestors,
    descendants,
    find_nodes,
    value_tolerance,
)
from graphviz_dl.labs.explorer.program import prepare_program

SOURCE = (
    "a = 2.0\nb = -3.0\nc = a*b\nd = tanh(c + 0.5)\nw1 = 0.5\nw10 = 7.0\nL = d*w1 + w10"
)


@pytest.fixture
def program():
    return prepare_program(SOURCE)


def names(program, positions):
    return [program.walk.name(program.index.ids[i]) for i in positions]


def find(program, text):
    index = program.index
    return names(
        program, find_nodes(index, lambda i: program.walk.name(index.ids[i]), text)
    )


def test_an_exact_name_comes_first_then_the_rest_in_computing_order(program):
    assert find(program, "w1") == ["w1", "w10"]
    assert find(program, "W1") == ["w1", "w10"]
    assert find(program, "n4") == ["t1"]  # an unnamed node by its id
    assert find(program, "t1") == ["t1"]  # or by the name the steps give it


def test_ops_are_found_by_name_symbol_or_what_a_person_types(program):
    assert find(program, "tanh") == ["d"]
    assert find(program, "×") == ["c", "t2"]
    assert find(program, "*") == ["c", "t2"]
    assert find(program, "+") == ["t1", "L"]


def test_values_are_found_to_the_digits_typed(program):
    # 0.5 is the constant and w1; t2 = tanh(-5.5) * 0.5 = -0.49998 is not +0.5.
    assert find(program, "0.5") == ["0.5", "w1"]
    assert find(program, "-6.0") == ["c"]
    assert find(program, "-5.5") == ["t1"]
    assert find(program, "−0.49998") == ["t2"]
    assert find(program, "-0.5") == ["t2"]
    assert find(program, "7.0") == ["w10"]
    assert find(program, "7") == ["w10", "L"]  # L = 6.50002 shows as 7
    assert find(program, "nothing") == []
    assert find(program, "  ") == []


def test_value_tolerance_is_half_the_last_digit():
    assert value_tolerance("0.5") == pytest.approx(0.05)
    assert value_tolerance("3") == pytest.approx(0.5)
    assert value_tolerance("1.25e-3") == pytest.approx(0.5e-5)
    assert value_tolerance("w1") is None
    assert value_tolerance("1.2.3") is None


def test_ancestors_are_what_a_node_depends_on(program):
    index = program.index
    d = 5
    assert names(program, [d]) == ["d"]
    assert sorted(names(program, ancestors(index, d))) == sorted(
        ["a", "b", "c", "0.5", "t1", "d"]
    )
    a = 0
    assert names(program, [a]) == ["a"]
    assert sorted(names(program, descendants(index, a))) == sorted(
        ["a", "c", "t1", "d", "t2", "L"]
    )
    root = len(index) - 1
    assert descendants(index, root) == {root}
    assert ancestors(index, root) == frozenset(range(len(index)))
    w10 = names(program, range(len(index))).index("w10")
    assert ancestors(index, w10) == {w10}


def test_the_navigator_counts_and_wraps_hits(program):
    index = program.index
    nav = Navigator()
    seen = []
    nav.currentChanged.connect(seen.append)
    nav.set_graph(index, lambda i: program.walk.name(index.ids[i]))
    nav.find("×")
    assert nav.count_text() == "2 found"
    first = nav.next()
    assert nav.count_text() == "1 of 2"
    nav.next()
    assert nav.count_text() == "2 of 2"
    assert nav.next() == first  # wraps
    assert nav.next(-1) != first
    assert seen[0] == first and len(seen) == 4
    nav.find("zzz")
    assert nav.count_text() == "no match" and nav.next() is None


def test_a_trace_is_kept_until_cleared_or_a_new_graph(program):
    index = program.index
    nav = Navigator()
    changes = []
    nav.traceChanged.connect(lambda: changes.append(len(nav.trace)))
    nav.set_graph(index, lambda i: program.walk.name(index.ids[i]))
    nav.set_trace(0, "descendants")
    assert len(nav.trace) == 6 and "gradient comes back" in nav.trace_text()
    assert nav.clear_trace() and not nav.trace and not nav.clear_trace()
    nav.set_trace(len(index) - 1, "ancestors")
    assert "depends on 9 nodes" in nav.trace_text()
    nav.set_graph(None)
    assert not nav.trace and changes == [6, 0, len(index), 0]
    with pytest.raises(ValueError):
        nav.set_trace(0, "sideways")
