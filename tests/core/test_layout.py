"""The layered layout: columns, order, spacing, crossings and determinism."""

from __future__ import annotations

import itertools
import random

import pytest

from graphviz_dl import layout as layout_module
from graphviz_dl.engine import Value
from graphviz_dl.graph import to_networkx
from graphviz_dl.layout import Layout, layered_layout


def chain_example() -> Value:
    t1, t2, x, y = Value(0.5, "t1"), Value(-1.5, "t2"), Value(2.0, "x"), Value(0.25)
    return (t1 * t2 * x - y) ** 2


def crossed_example() -> Value:
    """In topological order the edges into ``n5`` and ``n6`` cross; sorting fixes it."""
    v0, v1, v2 = Value(0.1, "v0"), Value(0.2, "v1"), Value(0.3, "v2")
    n2 = v1 * v2
    n4 = v0 * v2
    return Value.sum([n2 * n4, n2 + v1])


def random_program(seed: int, size: int = 40) -> Value:
    rng = random.Random(seed)
    pool = [Value(rng.uniform(-1.0, 1.0), f"v{i}") for i in range(5)]
    for _ in range(size):
        a, b = rng.choice(pool), rng.choice(pool[-8:])
        kind = rng.randrange(5)
        if kind == 0:
            pool.append(a + b)
        elif kind == 1:
            pool.append(a * b)
        elif kind == 2:
            pool.append(a.tanh())
        elif kind == 3:
            pool.append(Value.linear([a, 0.5], [b, a], 0.1))
        else:
            pool.append(a * a - 1.0)
    return Value.sum(pool[-3:])


def mlp_like(samples: int = 3) -> Value:
    rng = random.Random(1)
    weights = [
        [Value(rng.uniform(-1, 1), f"w{j}{k}") for k in range(2)] for j in range(3)
    ]
    out = Value(0.5, "v")
    losses = []
    for s in range(samples):
        x = [Value(rng.uniform(-1, 1), f"x{s}{k}") for k in range(2)]
        hidden = [Value.linear(w, x, 0.0).relu() for w in weights]
        losses.append((Value.linear([out] * 3, hidden, 0.1) - 1.0) ** 2)
    return Value.sum(losses)


def reuse(x: Value) -> Value:
    return x * x + x


def segments(layout: Layout, root: Value) -> list[tuple]:
    """Every edge as drawn: a straight line between its two nodes."""
    pos = layout.positions
    return [(pos[u], pos[v], {u, v}) for u, v in to_networkx(root).edges()]


def crossings(layout: Layout, root: Value) -> int:
    """Pairs of drawn edge pieces that properly cross (edges of one node excepted)."""
    pieces = segments(layout, root)
    count = 0
    for i, (p1, p2, ends) in enumerate(pieces):
        for q1, q2, others in pieces[:i]:
            if ends & others:
                continue
            if (
                _side(p1, p2, q1) * _side(p1, p2, q2) < 0
                and _side(q1, q2, p1) * _side(q1, q2, p2) < 0
            ):
                count += 1
    return count


def _side(p, q, r) -> int:
    turn = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (turn > 1e-9) - (turn < -1e-9)


GRAPHS = {
    "chain": chain_example,
    "crossed": crossed_example,
    "mlp": mlp_like,
    **{f"random{s}": (lambda s=s: random_program(s)) for s in range(4)},
    "reuse": lambda: reuse(Value(3.0, "x")),
    "leaf": lambda: Value(1.0, "alone"),
}


@pytest.fixture(params=["column by column", "half the columns at once"])
def sweep_style(request, monkeypatch):
    """Run a test with both ways of ordering (small graphs pick the first)."""
    if request.param != "column by column":
        monkeypatch.setattr(layout_module, "_SEQUENTIAL_LIMIT", 0)
    return request.param


@pytest.mark.parametrize("name", GRAPHS)
def test_layout_invariants(name, sweep_style):
    root = GRAPHS[name]()
    check_invariants(root, layered_layout(root))


def check_invariants(root: Value, layout: Layout) -> None:
    graph = to_networkx(root)
    pos = layout.positions
    assert set(pos) == set(graph.nodes) == set(layout.layers)
    for key, (x, y) in pos.items():
        assert x == layout.layers[key]
        assert 0.0 <= x <= layout.width and -1e-9 <= y <= layout.height + 1e-9
    assert len({(x, round(y, 6)) for x, y in pos.values()}) == len(pos)
    for key, data in graph.nodes(data=True):
        if data["kind"] == "op":
            assert pos[key][0] == pos[data["output"]][0] - 1.0
    for u, v in graph.edges():
        assert pos[u][0] < pos[v][0]
    # Nodes in one column are at least one row apart.
    by_column: dict[float, set[float]] = {}
    for x, y in pos.values():
        by_column.setdefault(x, set()).add(y)
    for rows in by_column.values():
        ordered = sorted(rows)
        assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(ordered))


@pytest.mark.parametrize("name", GRAPHS)
def test_leaves_sit_just_left_of_their_first_consumer(name):
    root = GRAPHS[name]()
    graph = to_networkx(root)
    pos = layered_layout(root).positions
    for key, data in graph.nodes(data=True):
        consumers = list(graph.successors(key))
        if data["kind"] == "value" and data["leaf"] and consumers:
            assert pos[key][0] == min(pos[c][0] for c in consumers) - 1.0


def test_chain_columns():
    layout = layered_layout(chain_example())
    # t1 n0, t2 n1, a n2, x n3, b n4, y n5, c n6, L n7
    assert [layout.layers[f"n{i}"] for i in range(8)] == [0, 0, 2, 2, 4, 4, 6, 8]
    assert [layout.layers[f"n{i}:op"] for i in (2, 4, 6, 7)] == [1, 3, 5, 7]
    assert layout.width == 8.0


def test_sweeps_reduce_crossings_on_a_crossed_example(sweep_style):
    root = crossed_example()
    naive = crossings(layered_layout(root, sweeps=0), root)
    swept = crossings(layered_layout(root), root)
    assert naive > 0
    assert swept < naive


def test_sweeps_do_not_add_crossings_overall(sweep_style):
    roots = [random_program(seed, 12) for seed in range(20)]
    naive = sum(crossings(layered_layout(r, sweeps=0), r) for r in roots)
    swept = sum(crossings(layered_layout(r), r) for r in roots)
    assert swept < naive


def test_same_program_twice_gives_the_same_layout(sweep_style):
    first = layered_layout(random_program(11, 60))
    second = layered_layout(random_program(11, 60))
    assert first == second


def test_a_single_leaf():
    layout = layered_layout(Value(2.0))
    assert layout == Layout({"n0": (0.0, 0.0)}, {"n0": 0}, 0.0, 0.0)
