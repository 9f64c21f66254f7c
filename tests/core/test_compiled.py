"""The compiled program against the scalar engine: every op, shapes, gradients, errors."""

import gc
import itertools
import math

import numpy as np
import pytest

from graphviz_dl import Value
from graphviz_dl.compiled import CompiledGraph, GraphInputError, compile_graph
from graphviz_dl.compiled import program as program_module
from graphviz_dl.engine import apply, recompute, topological_order
from graphviz_dl.ops import OPS, VARIADIC

TOL = {"rtol": 1e-12, "atol": 1e-12}


def scalar_reference(root, leaves, columns):
    """Values and gradients from the scalar engine, one point at a time.

    ``columns[k]`` holds the values of ``leaves[k]`` at each point; the result
    is the outputs ``[P]`` and the gradients ``[len(leaves), P]``.
    """
    order = topological_order(root)
    saved = [leaf.data for leaf in leaves]
    outs, grads = [], []
    for point in zip(*columns):
        for leaf, x in zip(leaves, point):
            leaf.data = float(x)
        recompute(root, order)
        for node in order:
            node.grad = 0.0
        root.backward()
        outs.append(root.data)
        grads.append([leaf.grad for leaf in leaves])
    for leaf, x in zip(leaves, saved):
        leaf.data = x
    recompute(root, order)
    return np.array(outs), np.array(grads).T


def check_against_engine(root, leaves, columns, inputs, shared=()):
    """Compile with ``inputs`` batched; the other leaves get arrays as overrides,
    except ``shared`` ones, which get one number for the whole batch."""
    program = compile_graph(root, inputs)
    columns = [np.asarray(c, dtype=float) for c in columns]
    by_leaf = dict(zip(leaves, columns))
    arrays = [by_leaf[v] for v in inputs]
    overrides = {v: by_leaf[v] for v in leaves if v not in inputs}
    for v in shared:
        overrides[v] = by_leaf[v][0]
        by_leaf[v][:] = by_leaf[v][0]
    want_out, want_grads = scalar_reference(root, leaves, columns)
    for mode in ("reverse", "forward"):
        out, grads = program.value_and_grad(
            *arrays, wrt=leaves, overrides=overrides, mode=mode, stacked=True
        )
        np.testing.assert_allclose(out, want_out, **TOL, err_msg=mode)
        np.testing.assert_allclose(grads, want_grads, **TOL, err_msg=mode)
        _, summed = program.value_and_grad(
            *arrays, wrt=leaves, overrides=overrides, mode=mode, sum_over_batch=True
        )
        with np.errstate(invalid="ignore"):
            want_sums = want_grads.sum(axis=1)
        np.testing.assert_allclose(summed, want_sums, **TOL, err_msg=mode)
    np.testing.assert_allclose(
        program.forward(*arrays, overrides=overrides), want_out, **TOL
    )


# --- every op --------------------------------------------------------------------

BOUND = {
    "pow_const": [OPS["pow_const"].bind(p) for p in (2.0, 3.0, -1.0, 0.5, 0.0)],
    "rpow": [OPS["rpow"].bind(b) for b in (2.0, 0.5, math.e, 0.0)],
    "leaky_relu": [OPS["leaky_relu"].bind(s) for s in (0.01, 0.2)],
}
# Both sides of every kink, the kinks themselves, and where logs and roots break.
UNARY_POINTS = [-2.3, -1.0, -1e-3, -0.0, 0.0, 1e-3, 0.4, 1.0, 1.7, 30.0]
# Ties (max/min split the gradient), zeros (0/0, 0**0, 0**-1), negative bases.
BINARY_POINTS = list(
    itertools.product([-1.5, -1.0, 0.0, 0.5, 1.0, 2.0], [-1.5, -1.0, 0.0, 0.5, 2.0])
)


def all_ops():
    for name, op in OPS.items():
        for bound in BOUND.get(name, [op]):
            yield pytest.param(bound, id=repr(bound))


@pytest.mark.parametrize("op", [p for p in all_ops() if p.values[0].arity == 1])
def test_every_unary_op_matches_the_engine(op):
    x = Value(0.0, label="x")
    root = apply(op, x)
    check_against_engine(root, [x], [UNARY_POINTS], inputs=[x])


@pytest.mark.parametrize("op", [p for p in all_ops() if p.values[0].arity == 2])
@pytest.mark.parametrize("batched", ["ab", "a", "b"])
def test_every_binary_op_matches_the_engine(op, batched):
    a, b = Value(0.0, label="a"), Value(0.0, label="b")
    root = apply(op, a, b)
    inputs = [v for v, name in ((a, "a"), (b, "b")) if name in batched]
    columns = np.array(BINARY_POINTS).T
    check_against_engine(root, [a, b], columns, inputs)


def test_binary_op_on_one_leaf_twice_matches_the_engine():
    x = Value(0.0, label="x")
    for name in ("add", "sub", "mul", "div", "pow", "max", "min"):
        root = apply(OPS[name], x, x)
        check_against_engine(root, [x], [[-1.5, 0.0, 0.5, 2.0]], inputs=[x])


@pytest.mark.parametrize("terms", [1, 2, 4])
@pytest.mark.parametrize("batched", ["all", "first", "last"])
def test_sum_matches_the_engine(terms, batched):
    leaves = [Value(0.0, label=f"t{i}") for i in range(terms)]
    root = Value.sum([*leaves, leaves[0]]).tanh()  # a term used twice
    inputs = {"all": leaves, "first": leaves[:1], "last": leaves[-1:]}[batched]
    rng = np.random.default_rng(terms)
    check_against_engine(root, leaves, rng.normal(size=(terms, 6)), inputs)


@pytest.mark.parametrize("pairs", [0, 1, 3])
@pytest.mark.parametrize("batched", ["weights", "inputs", "mixed", "all"])
def test_linear_matches_the_engine(pairs, batched):
    w = [Value(0.0, label=f"w{i}") for i in range(pairs)]
    x = [Value(0.0, label=f"x{i}") for i in range(pairs)]
    b = Value(0.0, label="b")
    root = Value.linear(w, x, b).relu()
    inputs = {
        "weights": w,
        "inputs": x,
        "mixed": [*w[:1], *x[1:]],
        "all": [*w, *x, b],
    }[batched] or [b]
    leaves = [*w, *x, b]
    rng = np.random.default_rng(pairs)
    columns = rng.normal(size=(len(leaves), 7))
    columns[:, 0] = 0.0  # relu's kink: the sum is exactly 0
    check_against_engine(root, leaves, columns, inputs)
    # The leaves that are not inputs as constants: pairs of two constants.
    constants = [v for v in leaves if v not in inputs]
    check_against_engine(root, leaves, columns, inputs, shared=constants)


# --- groups of many nodes: the layouts each kernel handles -------------------------


def small_chunks(monkeypatch, elements):
    """Make every call work through its batch ``elements`` at a time."""
    for name in ("CHUNK_FLOATS", "MAX_CHUNK_FLOATS", "CALL_ELEMENTS"):
        monkeypatch.setattr(program_module, name, 0)
    monkeypatch.setattr(program_module, "MIN_CHUNK", elements)


def layer(weights, inputs, biases):
    return [Value.linear(ws, inputs, b) for ws, b in zip(weights, biases)]


def test_dense_layers_match_the_engine_and_run_as_few_groups():
    rng = np.random.default_rng(1)
    x = [Value(0.0, label=f"x{i}") for i in range(3)]
    w1 = [[Value(rng.normal(), label=f"w1{j}{i}") for i in range(3)] for j in range(4)]
    b1 = [Value(rng.normal(), label=f"b1{j}") for j in range(4)]
    w2 = [[Value(rng.normal(), label=f"w2{i}") for i in range(4)]]
    b2 = [Value(rng.normal(), label="b2")]
    h = [v.tanh() for v in layer(w1, x, b1)]
    root = layer(w2, h, b2)[0].sigmoid()
    program = compile_graph(root, x)
    assert program.summary()["groups"] == 4  # linear, tanh, linear, sigmoid
    params = [*itertools.chain(*w1), *b1, *w2[0], *b2]
    leaves = [*x, *params]
    columns = [rng.normal(size=9) for _ in x] + [np.full(9, p.data) for p in params]
    check_against_engine(root, leaves, columns, inputs=x)
    check_against_engine(root, leaves, columns, inputs=x, shared=params)


def test_shared_weights_and_repeated_inputs_accumulate():
    """One weight in several neurons, one input twice in a neuron: no lost updates."""
    x, y = Value(0.0, label="x"), Value(0.0, label="y")
    w, v = Value(0.7, label="w"), Value(-1.3, label="v")
    n1 = Value.linear([w, w], [x, y], v)
    n2 = Value.linear([w, v], [x, x], w)
    n3 = Value.linear([v, w], [y, x], 0.5)
    root = Value.sum([n1 * n2, n3.tanh(), x * w, x * v])
    rng = np.random.default_rng(2)
    columns = [
        rng.normal(size=5),
        rng.normal(size=5),
        np.full(5, 0.7),
        np.full(5, -1.3),
    ]
    check_against_engine(root, [x, y, w, v], columns, inputs=[x, y])
    check_against_engine(root, [x, y, w, v], columns, inputs=[x, y], shared=[w, v])
    check_against_engine(root, [x, y, w, v], columns, inputs=[w, v])
    check_against_engine(root, [x, y, w, v], columns, inputs=[w], shared=[x, y, v])


def test_constant_subexpressions_are_computed_once_and_differentiated():
    x, c = Value(0.0, label="x"), Value(1.5, label="c")
    scale = (c * c).exp() - c  # depends on constants only
    root = (x * scale).sin() + scale
    program = compile_graph(root, [x])
    assert program.summary()["shared_nodes"] == 4  # c, c·c, exp, minus
    check_against_engine(root, [x, c], [[-1.0, 0.0, 2.0], [1.5, 1.5, 1.5]], [x])


def test_output_that_does_not_depend_on_the_inputs():
    x, c = Value(0.0, label="x"), Value(2.0, label="c")
    root = (c * 3).exp() + 0 * x.exp()  # depends on x, but with slope 0
    unrelated = (c * 3).exp()
    program = compile_graph(unrelated, [])
    assert program.forward() == pytest.approx(math.exp(6.0))
    out, (dc,) = program.value_and_grad(wrt=[c], cotangent=2.0)
    assert out.shape == () and dc == pytest.approx(3.0 * math.exp(6.0) * 2.0)
    out, grads = compile_graph(root, [x]).value_and_grad(np.zeros(4), wrt=[x, c])
    np.testing.assert_allclose(grads[0], 0.0)
    np.testing.assert_allclose(grads[1], 3.0 * math.exp(6.0))


def test_the_output_may_be_an_input_itself():
    x = Value(1.0, label="x")
    out, (dx,) = compile_graph(x, [x]).value_and_grad(np.arange(3.0))
    np.testing.assert_array_equal(out, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(dx, 1.0)


# --- shapes, subsets, overrides ------------------------------------------------------


def surface_graph():
    x, y, c = Value(0.0, label="x"), Value(0.0, label="y"), Value(0.5, label="c")
    root = (x * x + c * y * y).sqrt() + (x - y).tanh() * c
    return root, x, y, c


def test_inputs_broadcast_to_scalar_batch_and_grid_shapes():
    root, x, y, _c = surface_graph()
    program = compile_graph(root, [x, y])
    assert program.forward(1.0, 2.0).shape == ()
    assert program.forward(1.0, 2.0) == pytest.approx(
        math.sqrt(1 + 0.5 * 4) + math.tanh(-1) * 0.5, rel=1e-14
    )
    xs = np.linspace(-2, 2, 7)
    assert program.forward(xs, 0.5).shape == (7,)
    grid = program.forward(xs[:, None], np.linspace(-1, 1, 5)[None, :])
    assert grid.shape == (7, 5)
    for i, j in [(0, 0), (3, 2), (6, 4)]:
        assert grid[i, j] == pytest.approx(
            program.forward(xs[i], -1 + 0.5 * j), rel=1e-15
        )
    out, grads = program.value_and_grad(xs[:, None], np.linspace(-1, 1, 5)[None, :])
    assert out.shape == (7, 5) and [g.shape for g in grads] == [(7, 5), (7, 5)]
    _stacked_out, stacked = program.value_and_grad(
        xs[:, None], np.linspace(-1, 1, 5), stacked=True
    )
    assert stacked.shape == (2, 7, 5)
    np.testing.assert_array_equal(stacked[0], grads[0])


def test_grids_compute_each_node_only_where_it_varies():
    """Nodes of x alone are computed on x's 7 values, then spread over the grid."""
    root, x, y, _c = surface_graph()
    z = Value(0.0, label="z")
    root = root * (z + x.sin()) + (y * z).exp()
    program = compile_graph(root, [x, y, z])
    xs = np.linspace(-2, 2, 7)[:, None, None]
    ys = np.linspace(-1, 1, 5)[None, :, None]
    zs = np.linspace(0, 1, 3)
    grid = program.forward(xs, ys, zs)
    full = [np.broadcast_to(a, (7, 5, 3)).copy() for a in (xs, ys, zs)]
    np.testing.assert_allclose(grid, program.forward(*full), **TOL)
    want, _ = scalar_reference(root, [x, y, z], [a.ravel() for a in full])
    np.testing.assert_allclose(grid.ravel(), want, **TOL)
    # A scalar input next to a batch: a class of one element.
    np.testing.assert_allclose(
        program.forward(xs[:, 0, 0], 0.5, 0.25),
        program.forward(xs[:, 0, 0], np.full(7, 0.5), np.full(7, 0.25)),
        **TOL,
    )


def test_grids_of_dense_layers_match_full_arrays(monkeypatch):
    rng = np.random.default_rng(3)
    x = [Value(0.0, label=f"x{i}") for i in range(2)]
    w = [[Value(rng.normal(), label=f"w{j}{i}") for i in range(2)] for j in range(3)]
    b = [Value(rng.normal(), label=f"b{j}") for j in range(3)]
    hidden = [v.tanh() for v in layer(w, x, b)]
    root = Value.sum(hidden) * x[0]
    program = compile_graph(root, [x[0], w[0][0]])
    small_chunks(monkeypatch, 5)
    a, v = np.linspace(-1, 1, 9)[:, None], np.linspace(-2, 2, 11)[None, :]
    full = [np.broadcast_to(t, (9, 11)).copy() for t in (a, v)]
    np.testing.assert_allclose(program.forward(a, v), program.forward(*full), **TOL)


def test_gradient_with_respect_to_a_subset_and_to_constants():
    root, x, y, c = surface_graph()
    program = compile_graph(root, [x, y])
    xs, ys = np.array([-1.0, 0.3, 2.0]), np.array([0.5, -0.7, 1.1])
    _, (dy,) = program.value_and_grad(xs, ys, wrt=[y])
    _, (dc, dx) = program.value_and_grad(xs, ys, wrt=[c, "x"])
    _, want = scalar_reference(root, [x, y, c], [xs, ys, [0.5] * 3])
    np.testing.assert_allclose(dy, want[1], **TOL)
    np.testing.assert_allclose(dx, want[0], **TOL)
    np.testing.assert_allclose(dc, want[2], **TOL)


def test_overrides_by_number_array_or_label_and_refreshing_constants():
    root, x, y, c = surface_graph()
    program = compile_graph(root, [x, y])
    xs = np.array([-1.0, 0.3, 2.0])
    want, _ = scalar_reference(root, [x, y, c], [xs, [0.2] * 3, [2.0] * 3])
    np.testing.assert_allclose(
        program.forward(xs, 0.2, overrides={c: 2.0}), want, **TOL
    )
    np.testing.assert_allclose(
        program.forward(xs, 0.2, overrides={"c": 2.0}), want, **TOL
    )
    cs = np.array([0.5, 1.0, 2.0])
    want, _ = scalar_reference(root, [x, y, c], [xs, [0.2] * 3, cs])
    np.testing.assert_allclose(program.forward(xs, 0.2, overrides={c: cs}), want, **TOL)
    assert program.forward(1.0, 1.0) == pytest.approx(root_at(root, c, 0.5, x, y))
    c.data = 3.0
    assert program.forward(1.0, 1.0) == pytest.approx(root_at(root, c, 0.5, x, y))
    program.refresh_constants()
    assert program.forward(1.0, 1.0) == pytest.approx(root_at(root, c, 3.0, x, y))


def root_at(root, c, c_value, x, y):
    out, _ = scalar_reference(root, [x, y, c], [[1.0], [1.0], [c_value]])
    return out[0]


def test_summed_gradients_and_cotangents_weigh_each_element():
    root, x, y, c = surface_graph()
    program = compile_graph(root, [x, y])
    xs, ys = np.array([-1.0, 0.3, 2.0, 0.9]), np.array([0.5, -0.7, 1.1, 0.0])
    weights = np.array([0.25, 1.0, -2.0, 0.5])
    _, want = scalar_reference(root, [x, y, c], [xs, ys, [0.5] * 4])
    for mode in ("reverse", "forward"):
        _, grads = program.value_and_grad(
            xs, ys, wrt=[x, c], cotangent=weights, sum_over_batch=True, mode=mode
        )
        assert grads[0].shape == ()
        assert grads[0] == pytest.approx(np.dot(weights, want[0]), rel=1e-13)
        assert grads[1] == pytest.approx(np.dot(weights, want[2]), rel=1e-13)
        _, each = program.value_and_grad(xs, ys, wrt=[c], cotangent=weights, mode=mode)
        np.testing.assert_allclose(each[0], weights * want[2], **TOL)


def test_a_prepared_summed_gradient_follows_the_constants():
    root, x, y, c = surface_graph()
    program = compile_graph(root, [x, y])
    step = program.summed_gradient([c, "x"])
    xs, ys = np.array([-1.0, 0.3, 2.0]), np.array([0.5, -0.7, 1.1])
    out, grads = step([xs, ys], cotangent=0.5)
    want_out, want = program.value_and_grad(
        xs, ys, wrt=[c, x], cotangent=0.5, sum_over_batch=True, stacked=True
    )
    np.testing.assert_array_equal(out, want_out)
    np.testing.assert_allclose(grads, want, **TOL)
    program.leaf_values[program.leaf_index(c)] = 2.0  # a training step moved it
    _, grads = step([xs, ys], cotangent=0.5)
    _, want = program.value_and_grad(
        xs,
        ys,
        wrt=[c, x],
        cotangent=0.5,
        sum_over_batch=True,
        stacked=True,
        overrides={c: 2.0},
    )
    np.testing.assert_allclose(grads, want, **TOL)


def test_batches_bigger_than_a_chunk_give_the_same_numbers(monkeypatch):
    root, x, y, c = surface_graph()
    program = compile_graph(root, [x, y])
    xs = np.linspace(-3, 3, 2000)
    whole = program.value_and_grad(xs, 0.4, wrt=[x, y, c], stacked=True)
    summed = program.value_and_grad(
        xs, 0.4, wrt=[x, c], sum_over_batch=True, stacked=True
    )
    small_chunks(monkeypatch, 7)
    for mode in ("reverse", "forward"):
        chunked = program.value_and_grad(
            xs, 0.4, wrt=[x, y, c], stacked=True, mode=mode
        )
        np.testing.assert_allclose(chunked[0], whole[0], **TOL)
        np.testing.assert_allclose(chunked[1], whole[1], **TOL)
        parts = program.value_and_grad(
            xs, 0.4, wrt=[x, c], sum_over_batch=True, stacked=True, mode=mode
        )
        np.testing.assert_allclose(parts[1], summed[1], rtol=1e-12)


def test_inf_and_nan_come_out_as_numbers_without_warnings():
    x = Value(1.0, label="x")
    root = x.log() + 1 / x
    program = compile_graph(root, [x])
    with np.errstate(all="raise"):
        out, (dx,) = program.value_and_grad(np.array([0.0, -1.0, 1.0]))
    assert math.isnan(out[0])  # log 0 + 1/0 = −inf + inf
    assert math.isnan(out[1]) and out[2] == 1.0
    assert dx[2] == 0.0


# --- holding nothing per element --------------------------------------------------------


def _reachable(obj, seen, found):
    """Every object reachable from ``obj`` through attributes and containers."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, (Value, type)):
            continue
        seen.add(id(item))
        found.append(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, np.ndarray):
            continue
        elif hasattr(item, "__dict__"):
            stack.extend(vars(item).values())
        if hasattr(type(item), "__slots__") and not isinstance(item, np.ndarray):
            stack.extend(
                getattr(item, s) for s in type(item).__slots__ if hasattr(item, s)
            )


def test_the_program_holds_no_python_objects_per_batch_element():
    root, x, y, c = surface_graph()
    program = compile_graph(root, [x, y])
    big = 50_000
    program.value_and_grad(np.linspace(-1, 1, big), 0.5, wrt=[x, c])
    program.value_and_grad(np.linspace(-1, 1, big), 0.5, wrt=[x], mode="forward")
    program.forward(np.linspace(-1, 1, 250)[:, None], np.linspace(-1, 1, 201))
    gc.collect()
    found: list = []
    _reachable(program, set(), found)
    for item in found:
        if isinstance(item, np.ndarray):
            assert item.dtype != object
            assert item.size < big, f"an array of {item.size} kept"
        elif isinstance(item, (list, tuple, dict, set)):
            assert len(item) < big, f"a {type(item).__name__} of {len(item)} kept"
    assert len(found) < 2000


def test_inputs_become_float_arrays_never_object_arrays():
    root, x, y, _c = surface_graph()
    program = compile_graph(root, [x, y])
    out = program.forward([1, 2, 3], np.array([True, False, True]))
    assert out.dtype == np.float64


# --- errors a person can act on ----------------------------------------------------------


def test_bad_requests_raise_clear_errors():
    root, x, y, _c = surface_graph()
    stranger = Value(1.0, label="z")
    with pytest.raises(GraphInputError, match="'z' is not in this graph"):
        compile_graph(root, [x, stranger])
    inner = root.parents[0]
    with pytest.raises(GraphInputError, match="must be a leaf"):
        compile_graph(root, [inner])
    with pytest.raises(GraphInputError, match="listed twice"):
        compile_graph(root, [x, x])
    with pytest.raises(TypeError, match="must be a Value"):
        compile_graph(root, [1.0])
    program = compile_graph(root, [x, y])
    with pytest.raises(GraphInputError, match=r"takes 2 array\(s\).*'x', 'y'.*got 1"):
        program.forward(np.zeros(3))
    with pytest.raises(
        GraphInputError, match=r"do not broadcast.*'x' \(3,\).*'y' \(4,\)"
    ):
        program.forward(np.zeros(3), np.zeros(4))
    with pytest.raises(GraphInputError, match="must be real numbers"):
        program.forward(np.zeros(3), np.array(["a", "b", "c"]))
    with pytest.raises(GraphInputError, match="must be real numbers"):
        program.forward(np.zeros(2), np.array([1 + 2j, 0j]))
    with pytest.raises(GraphInputError, match="no leaf of this graph is labelled 'q'"):
        program.forward(1.0, 2.0, overrides={"q": 1.0})
    with pytest.raises(GraphInputError, match="'x' is an input"):
        program.forward(1.0, 2.0, overrides={x: 1.0})
    with pytest.raises(GraphInputError, match="'z' is not in this graph"):
        program.value_and_grad(1.0, 2.0, wrt=[stranger])
    with pytest.raises(GraphInputError, match="cotangent's shape"):
        program.value_and_grad(np.zeros(3), 1.0, cotangent=np.ones(4))
    with pytest.raises(ValueError, match="mode is 'reverse' or 'forward'"):
        program.value_and_grad(1.0, 2.0, mode="sideways")
    twin = Value(1.0, label="c")
    doubled = compile_graph(root * twin, [x, y])
    with pytest.raises(GraphInputError, match="2 leaves are labelled 'c'"):
        doubled.forward(1.0, 2.0, overrides={"c": 1.0})


def test_compiling_needs_a_value():
    with pytest.raises(TypeError, match="compile a Value"):
        CompiledGraph(3.0, [])


def test_variadic_ops_are_covered():
    assert {name for name, op in OPS.items() if op.arity == VARIADIC} == {
        "sum",
        "linear",
    }


def test_more_inputs_than_an_int64_has_bits():
    # Which inputs a node depends on is a set of any size, not a 64-bit mask.
    xs = [Value(float(i), label=f"x{i}") for i in range(80)]
    program = compile_graph(Value.sum([x * x for x in xs]), xs)
    out, grads = program.value_and_grad(*[np.full(3, float(i)) for i in range(80)])
    np.testing.assert_array_equal(out, sum(i * i for i in range(80)))
    np.testing.assert_array_equal(grads[5], 10.0)
