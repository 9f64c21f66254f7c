"""``bench language``: its programs are what it says (no timing is asserted)."""

from graphviz_dl.bench.language import SIZES, measure, neuron_chain
from graphviz_dl.language import MAX_CHARS, MAX_STATEMENTS, parse


def test_the_largest_program_is_the_longest_a_person_may_type():
    text = neuron_chain(SIZES[-1])
    assert SIZES[-1] == MAX_STATEMENTS
    assert len(text.splitlines()) == MAX_STATEMENTS
    assert len(text) <= MAX_CHARS
    values = parse(text)
    assert list(values)[-1] == f"x{MAX_STATEMENTS - 3}"


def test_the_figures_count_three_nodes_a_line():
    figures = measure((20, 200), runs=1)
    assert figures[20]["nodes"] == 3 * 17 + 3
    assert figures[200]["nodes"] == 3 * 197 + 3
    assert all(f["total"] >= f["walk"] > 0 for f in figures.values())
