"""The engine's fast paths against the op table, and backward against a plain walk.

The commonest ops build their nodes without going through the op table, and
backward visits nodes by kind inline; both must give exactly what the table
and a node-by-node walk in reverse topological order give.
"""

import itertools
import math
import random

import pytest
from finite_difference import central_difference

from graphviz_dl import Value, nodes, ops
from graphviz_dl.engine import apply, recompute, topological_order

EDGES = [-3.5, -1.0, -0.0, 0.0, 0.5, 2.0, 1e308, math.inf, -math.inf, math.nan]


def _same(x: float, y: float) -> bool:
    """Equal to the bit, nan included (0.0 and −0.0 are told apart)."""
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)


BINARY = {
    "add": (ops.ADD, lambda a, b: a + b),
    "radd": (ops.ADD, lambda a, b: a.data + b),
    "sub": (ops.SUB, lambda a, b: a - b),
    "rsub": (ops.SUB, lambda a, b: a.data - b),
    "mul": (ops.MUL, lambda a, b: a * b),
    "rmul": (ops.MUL, lambda a, b: a.data * b),
    "div": (ops.DIV, lambda a, b: a / b),
    "rdiv": (ops.DIV, lambda a, b: a.data / b),
}


@pytest.mark.parametrize("name", BINARY)
def test_binary_fast_paths_agree_with_the_op_table(name):
    op, build = BINARY[name]
    for x, y in itertools.product(EDGES, repeat=2):
        out = build(Value(x), Value(y))
        assert out.op is op
        expected = op.forward(x, y)
        assert _same(out.data, expected), (name, x, y)
        for got, want in zip(out.local_grads, op.local(x, y, expected), strict=True):
            assert _same(got, want), (name, x, y)


UNARY = {
    "neg": (ops.NEG, lambda a: -a),
    "relu": (ops.RELU, lambda a: a.relu()),
    "tanh": (ops.TANH, lambda a: a.tanh()),
    "square": (ops.POW_CONST.bind(2.0), lambda a: a**2),
    "cube": (ops.POW_CONST.bind(3.0), lambda a: a**3),
    "inverse": (ops.POW_CONST.bind(-1.0), lambda a: a**-1),
    "root": (ops.POW_CONST.bind(0.5), lambda a: a**0.5),
    "zeroth": (ops.POW_CONST.bind(0.0), lambda a: a**0),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_fast_paths_agree_with_the_op_table(name):
    op, build = UNARY[name]
    for x in EDGES:
        out = build(Value(x))
        assert out.op is op
        expected = op.forward(x)
        assert _same(out.data, expected), (name, x)
        (slope,) = out.local_grads
        assert _same(slope, op.local(x, expected)[0]), (name, x)


def test_the_table_way_in_builds_the_same_kinds():
    a, b = Value(2.0), Value(3.0)
    assert type(apply(ops.ADD, a, b)) is type(a + b) is nodes.Add
    assert type(apply(ops.MUL, a, b)) is type(a * b) is nodes.Mul
    assert apply(ops.MUL, a, 4).data == 8.0


def _walk_backward(root: Value) -> None:
    """The plain definition: reset non-leaf grads, seed 1, then every node in
    reverse topological order passes its gradient on."""
    order = topological_order(root)
    for node in order:
        if node.op is not None:
            node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        node._propagate()


def _random_graph(seed: int, leaves: list[Value], size: int = 120) -> list[Value]:
    """Nodes drawn from fast and table ops alike, reusing earlier nodes often
    (shared subgraphs, the same operand twice, numbers on either side)."""
    rng = random.Random(seed)
    made = list(leaves)
    for _ in range(size):
        a, b = rng.choice(made), rng.choice(made[-8:])
        kind = rng.randrange(11)
        if kind == 0:
            node = a + b
        elif kind == 1:
            node = a * b
        elif kind == 2:
            node = rng.uniform(-1, 1) * a
        elif kind == 3:
            node = 0.5 + a
        elif kind == 4:
            node = a - b
        elif kind == 5:
            node = (a * 0.1).tanh()
        elif kind == 6:
            node = a.relu()
        elif kind == 7:
            node = a * a
        elif kind == 8:
            node = Value.sum([a, b, a])
        elif kind == 9:
            node = a.max(b) / 3.0
        else:
            node = -((a * 0.1).sigmoid() ** 2)
        made.append(node)
    return made


@pytest.mark.parametrize("seed", range(8))
def test_backward_is_the_node_by_node_walk_to_the_bit(seed):
    leaves = [Value(random.Random(seed).uniform(-1, 1)) for _ in range(4)]
    made = _random_graph(seed, leaves)
    root = Value.sum(made[-5:]) * 0.5
    root.backward()
    fast = [n.grad for n in made]
    for leaf in leaves:
        leaf.grad = 0.0
    _walk_backward(root)
    walked = [n.grad for n in made]
    assert all(_same(x, y) for x, y in zip(fast, walked, strict=True))


def test_two_graphs_built_interleaved_from_shared_nodes():
    # Nodes of two roots are made alternately and share a subgraph; each
    # backward reaches only its own root's ancestors, and a second call gives
    # the same non-leaf grads while leaves accumulate.
    x, y = Value(0.7, label="x"), Value(-1.3, label="y")
    shared = (x * y).tanh()
    first, second = shared, shared
    for i in range(50):
        first = first * 1.01 + x if i % 2 else (first + y).relu()
        second = second * y - 0.1 if i % 3 else second + first * 0.001
    only_second = second * 2.0
    only_second.grad = 123.0
    first.backward()
    assert only_second.grad == 123.0  # not an ancestor of first: untouched
    grads = {id(n): n.grad for n in topological_order(first) if n.op is not None}
    gx = x.grad
    first.backward()
    assert {id(n): n.grad for n in topological_order(first) if n.op is not None} == (
        grads
    )
    assert x.grad == pytest.approx(2 * gx)
    x.grad = y.grad = 0.0
    second.backward()
    assert x.grad == pytest.approx(central_difference(second, x))


@pytest.mark.parametrize("seed", range(4))
def test_gradients_match_central_differences(seed):
    leaves = [Value(random.Random(seed).uniform(-1, 1)) for _ in range(4)]
    made = _random_graph(seed + 100, leaves, size=60)
    root = Value.sum(made[-4:])
    root.backward()
    for leaf in leaves:
        estimate = central_difference(root, leaf)
        assert leaf.grad == pytest.approx(estimate, rel=1e-5, abs=1e-6)


def test_recompute_refreshes_products_and_sums():
    a, b = Value(2.0), Value(3.0)
    y = a * b + a
    a.data = -1.0
    recompute(y)
    assert y.data == -4.0
    assert y.a.local_grads == (3.0, -1.0)
    y.backward()
    assert (a.grad, b.grad) == (4.0, -1.0)


def test_small_nodes_for_sums_and_products():
    # An addition or product stores its two parents and nothing else.
    assert nodes.Add.__slots__ == nodes.Mul.__slots__ == ("a", "b")
    a = Value(1.0)
    node = a + 1
    with pytest.raises(AttributeError):
        node.da = 1.0


def _reference_order(root: Value) -> list[Value]:
    """topological_order as first written: both passes through ``parents``."""
    uses = {root: 0}
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            uses[parent] = uses.get(parent, 0) + 1
            if uses[parent] == 1:
                stack.append(parent)
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        order.append(node)
        for parent in node.parents:
            uses[parent] -= 1
            if not uses[parent]:
                stack.append(parent)
    return order[::-1]


@pytest.mark.parametrize("seed", range(6))
def test_topological_order_is_unchanged(seed):
    leaves = [Value(0.1 * i) for i in range(5)]
    made = _random_graph(seed + 50, leaves, size=150)
    for root in (Value.sum(made[-6:]), made[-1], leaves[0]):
        assert topological_order(root) == _reference_order(root)


WHOLE_NUMBERS = {
    "1 + x": (lambda x: 1 + x, lambda x: 1.0 + x),
    "x + 1": (lambda x: x + 1, lambda x: x + 1.0),
    "2 * x": (lambda x: 2 * x, lambda x: 2.0 * x),
    "x * 2": (lambda x: x * 2, lambda x: x * 2.0),
    "3 - x": (lambda x: 3 - x, lambda x: 3.0 - x),
    "x - 3": (lambda x: x - 3, lambda x: x - 3.0),
    "2 / x": (lambda x: 2 / x, lambda x: 2.0 / x),
    "x / 2": (lambda x: x / 2, lambda x: x / 2.0),
    "x ** 2": (lambda x: x**2, lambda x: x**2.0),
}


@pytest.mark.parametrize("name", WHOLE_NUMBERS)
def test_whole_numbers_beside_a_value_build_what_floats_do(name):
    by_int, by_float = (build(Value(1.5)) for build in WHOLE_NUMBERS[name])
    assert type(by_int) is type(by_float) and by_int.op is by_float.op
    assert _same(by_int.data, by_float.data)
    pairs = zip(by_int.local_grads, by_float.local_grads, strict=True)
    assert all(_same(g, h) for g, h in pairs)
    assert all(type(p.data) is float for p in by_int.parents)


def test_an_interrupted_backward_leaves_only_numbers_in_grads(monkeypatch):
    x = Value(0.5)
    shared = x * 3.0
    root = Value.sum([shared * shared, shared + 1.0, shared.tanh()]) * 2.0

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(nodes, "_pass_on", interrupt)
    with pytest.raises(KeyboardInterrupt):
        root.backward()
    assert all(type(n.grad) is float for n in topological_order(root))
    monkeypatch.undo()
    x.grad = 0.0
    root.backward()
    assert x.grad == pytest.approx(central_difference(root, x))
