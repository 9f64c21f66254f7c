"""Random programs: the compiled program must agree with the scalar engine.

Graphs are generated straight from the op table (any op, bound parameters,
operands reused), and also written as program text and parsed, so every way a
graph is made is covered. Each is compiled with a random subset of its leaves
as inputs, evaluated for a small batch in both differentiation modes, and
compared point by point with ``Value.backward()``.
"""

import math

import numpy as np
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from graphviz_dl import Value
from graphviz_dl.compiled import compile_graph
from graphviz_dl.engine import apply, recompute, topological_order
from graphviz_dl.expr import parse
from graphviz_dl.ops import OPS, VARIADIC

PARAMS = {
    "pow_const": [2.0, 3.0, -1.0, 0.5],
    "rpow": [2.0, 0.5, math.e],
    "leaky_relu": [0.01, 0.2],
}
NUMBERS = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 0.5, -2.0, 2.5]),
    st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False),
)
INPUT, ARRAY, SHARED = "input", "array", "shared"
KINDS = (INPUT, ARRAY, SHARED)
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def programs(draw):
    """A list of steps ``(op name, parameter, operand indices)`` over some leaves."""
    n_leaves = draw(st.integers(1, 4))
    steps = []
    for step in range(draw(st.integers(1, 9))):
        available = n_leaves + step
        name = draw(st.sampled_from(sorted(OPS)))
        op = OPS[name]
        if op.arity == VARIADIC:
            count = draw(st.integers(1, 4))
            if name == "linear":
                count = 2 * (count - 1) + 1
        else:
            count = op.arity
        operands = draw(
            st.lists(st.integers(0, available - 1), min_size=count, max_size=count)
        )
        # Lean on the newest node so the graph grows deep, not just wide.
        if draw(st.booleans()):
            operands[0] = available - 1
        param = draw(st.sampled_from(PARAMS[name])) if name in PARAMS else None
        steps.append((name, param, operands))
    return n_leaves, steps


def build(n_leaves, steps):
    leaves = [Value(0.0, label=f"v{i}") for i in range(n_leaves)]
    nodes = list(leaves)
    for name, param, operands in steps:
        op = OPS[name] if param is None else OPS[name].bind(param)
        nodes.append(apply(op, *(nodes[i] for i in operands)))
    return leaves, nodes[-1]


def as_text(n_leaves, steps):
    """The same program written in the expression language."""
    names = [f"v{i}" for i in range(n_leaves)]
    lines = [f"{name} = 0.0" for name in names]
    binary = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}
    for k, (name, param, operands) in enumerate(steps):
        args = [names[i] for i in operands]
        if name in binary:
            text = f"{args[0]} {binary[name]} {args[1]}"
        elif name == "neg":
            text = f"-{args[0]}"
        elif name == "pow_const":
            text = f"{args[0]} ** {param!r}"
        elif name == "rpow":
            text = f"{param!r} ** {args[0]}"
        elif name == "leaky_relu":
            text = f"leaky_relu({args[0]}, {param!r})"
        else:
            text = f"{name}({', '.join(args)})"
        names.append(f"n{k}")
        lines.append(f"n{k} = {text}")
    return "\n".join(lines)


def ill_conditioned(node):
    """Is ``node`` so sensitive that one rounding step decides its value?

    sin(1e53) or a ** 1e9: the last bit of the argument (where numpy's exp
    and libm's may differ) changes the result entirely, in any implementation.
    """
    if node.op is None or node.op.name not in ("sin", "cos", "pow"):
        return False
    x = node.parents[-1].data
    return math.isfinite(x) and abs(x) > 1e6


def scalar_reference(root, leaves, columns):
    order = topological_order(root)
    outs, grads, scales, tame = [], [], [], []
    for point in zip(*columns):
        for leaf, x in zip(leaves, point):
            leaf.data = float(x)
        recompute(root, order)
        if any(map(ill_conditioned, order)):
            reject()
        for node in order:
            node.grad = 0.0
        root.backward()
        outs.append(root.data)
        grads.append([leaf.grad for leaf in leaves])
        sizes = [abs(n.data) for n in order] + [abs(n.grad) for n in order]
        sizes += [abs(d) for n in order for d in n.local_grads]
        finite = all(map(math.isfinite, sizes))
        scales.append(max([1.0, *(s for s in sizes if math.isfinite(s))]))
        tame.append(finite and scales[-1] < 1e100)
    return np.array(outs), np.array(grads).T, np.array(scales), np.array(tame)


def assert_agrees(got, want, scale, what):
    """Equal nan and inf; finite numbers within rounding of the graph's magnitudes.

    Different rounding (numpy's exp against libm's, a sum in another order)
    is amplified by cancellation, so the tolerance scales with the largest
    number met anywhere in the graph at that point.
    """
    got, want = np.broadcast_arrays(got, want)
    with np.errstate(invalid="ignore"):
        close = np.abs(got - want) <= 1e-9 * scale + 1e-9 * np.abs(want)
    both_nan = np.isnan(got) & np.isnan(want)
    ok = both_nan | (got == want) | close
    assert ok.all(), f"{what}: compiled {got[~ok]} ≠ engine {want[~ok]}"


def check(root, leaves, columns, kinds):
    """Compile with some leaves as inputs; override the others with an array
    (batched) or with one number (shared by the whole batch)."""
    in_graph = set(topological_order(root))
    chosen = [(v, c, k) for v, c, k in zip(leaves, columns, kinds) if v in in_graph]
    leaves = [v for v, _, _ in chosen]
    columns = [c for _, c, _ in chosen]
    inputs = [v for v, _, k in chosen if k == INPUT]
    program = compile_graph(root, inputs)
    arrays = [c for _, c, k in chosen if k == INPUT]
    overrides = {v: c if k == ARRAY else c[0] for v, c, k in chosen if k != INPUT}
    want_out, want_grads, scale, tame = scalar_reference(root, leaves, columns)
    for mode in ("reverse", "forward"):
        out, grads = program.value_and_grad(
            *arrays, wrt=leaves, overrides=overrides, mode=mode, stacked=True
        )
        if not arrays and not any(k == ARRAY for _, _, k in chosen):
            # Nothing varies: one number out, the same at every point.
            assert out.shape == () and grads.shape == (len(leaves),)
            out = np.broadcast_to(out, want_out.shape)
            grads = np.broadcast_to(grads[:, None], want_grads.shape)
        assert_agrees(out, want_out, scale, f"{mode} output")
        if mode == "forward":
            # Forward mode multiplies the chain rule's factors from the leaves
            # up and adds paths before scaling them; backpropagation goes the
            # other way. With an inf among the factors (inf·(0 + x) against
            # inf·0 + inf·x), or past 1e100 where one order overflows, the two
            # honestly differ, so forward mode is compared where all is finite.
            grads, want_grads, scale = grads[:, tame], want_grads[:, tame], scale[tame]
        assert_agrees(grads, want_grads, scale, f"{mode} gradients")


@st.composite
def batches(draw, n_leaves):
    """A column of values per leaf, and how each leaf is fed (see ``check``)."""
    points = draw(st.integers(1, 4))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=n_leaves, max_size=n_leaves))
    columns = [
        np.array(
            draw(st.lists(NUMBERS, min_size=points, max_size=points))
            if kind != SHARED
            else [draw(NUMBERS)] * points
        )
        for kind in kinds
    ]
    return columns, kinds


@SETTINGS
@given(data=st.data(), program=programs())
def test_random_graphs_from_the_op_table(data, program):
    n_leaves, steps = program
    columns, kinds = data.draw(batches(n_leaves))
    leaves, root = build(n_leaves, steps)
    check(root, leaves, columns, kinds)


@SETTINGS
@given(data=st.data(), program=programs())
def test_random_programs_parsed_from_text(data, program):
    n_leaves, steps = program
    columns, kinds = data.draw(batches(n_leaves))
    names = parse(as_text(n_leaves, steps))
    root = list(names.values())[-1]
    leaves = [names[f"v{i}"] for i in range(n_leaves)]
    check(root, leaves, columns, kinds)


AXES = [(3, 1, 1), (1, 4, 1), (1, 1, 2), (3, 4, 1), ()]


@SETTINGS
@given(data=st.data(), program=programs())
def test_random_graphs_on_grids_equal_full_arrays(data, program):
    """Inputs along different axes (a grid) give what the same inputs spelled
    out at full size give: nodes computed on fewer points change nothing."""
    n_leaves, steps = program
    leaves, root = build(n_leaves, steps)
    in_graph = set(topological_order(root))
    leaves = [v for v in leaves if v in in_graph]
    shapes = [data.draw(st.sampled_from(AXES)) for _ in leaves]
    arrays = [
        np.array(data.draw(st.lists(NUMBERS, min_size=n, max_size=n))).reshape(shape)
        for shape in shapes
        for n in [math.prod(shape)]
    ]
    program_ = compile_graph(root, leaves)
    grid = program_.forward(*arrays)
    full_shape = np.broadcast_shapes(*shapes)
    spelled = program_.forward(*(np.broadcast_to(a, full_shape).copy() for a in arrays))
    assert grid.shape == full_shape
    np.testing.assert_allclose(grid, spelled, rtol=1e-12, atol=1e-300)
