"""Long core work stops soon after its caller says it is no longer wanted."""

import pytest

from graphviz_dl.cancel import Cancelled
from graphviz_dl.expr import parse
from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.labs.explorer.program import (
    PreparationCancelled,
    prepare_program,
    prepare_values,
)
from graphviz_dl.layout import layered_layout
from graphviz_dl.walkthrough import walkthrough

CHAIN = "\n".join(
    ["x0 = 0.5"] + [f"x{i} = tanh(x{i - 1} * 1.01)" for i in range(1, 700)]
)


def _after(calls: int):
    """A ``cancelled`` that turns true on its ``calls``-th look, and counts them."""
    looks = []

    def cancelled() -> bool:
        looks.append(1)
        return len(looks) >= calls

    return cancelled, looks


@pytest.fixture(scope="module")
def index():
    values = parse(CHAIN)
    return GraphIndex(list(values.values())[-1])


def test_the_walkthrough_looks_while_it_builds_and_stops(index):
    assert len(index) > 2000
    cancelled, looks = _after(2)
    with pytest.raises(Cancelled):
        walkthrough(index, cancelled=cancelled)
    assert len(looks) == 2, "stopped at its second look, part-way through"
    assert len(walkthrough(index, cancelled=lambda: False)) > 0


def test_the_layout_looks_between_its_stages_and_sweeps(index):
    cancelled, looks = _after(3)
    with pytest.raises(Cancelled):
        layered_layout(index, cancelled=cancelled)
    assert len(looks) == 3
    kept = layered_layout(index, cancelled=lambda: False)
    assert kept.positions == layered_layout(index).positions


def test_preparation_stops_inside_a_phase_not_only_between_them(index):
    values = {"out": index.root}
    cancelled, looks = _after(2)  # the first look is the one after the index
    with pytest.raises(PreparationCancelled):
        prepare_values(values, cancelled=cancelled, index=index)
    assert len(looks) == 2
    cancelled, looks = _after(3)
    with pytest.raises(PreparationCancelled):
        prepare_program(CHAIN, cancelled=cancelled)
    assert len(looks) == 3
