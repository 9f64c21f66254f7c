"""The lecture's code, typed as it is: values, labels, methods, loops and sums."""

import math

import pytest

from graphviz_dl import ops
from graphviz_dl.engine import Value, apply, topological_order
from graphviz_dl.expr import ExpressionError, parse
from graphviz_dl.expr_functions import METHODS

LECTURE = """\
a = Value(2.0, label='a')
b = Value(-3.0, label='b')
e = a*b; e.label = 'e'
o = (e + b).tanh(); o.label = 'o'
o.backward()
"""

NEURON = """\
from micrograd.engine import Value
# inputs x1,x2
x1 = Value(2.0, label='x1')
x2 = Value(0.0, label='x2')
# weights w1,w2
w1 = Value(-3.0, label='w1')
w2 = Value(1.0, label='w2')
# bias of the neuron
b = Value(6.8813735870195432, label='b')
# x1*w1 + x2*w2 + b
x1w1 = x1*w1; x1w1.label = 'x1*w1'
x2w2 = x2*w2; x2w2.label = 'x2*w2'
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
n = x1w1x2w2 + b; n.label = 'n'
o = n.tanh(); o.label = 'o'
o.backward()
draw_dot(o)
"""


def backward(values: dict[str, Value]) -> dict[str, Value]:
    list(values.values())[-1].backward()
    return values


def test_the_lectures_first_snippet_with_gradients_worked_by_hand():
    values = backward(parse(LECTURE))
    assert list(values) == ["a", "b", "e", "o"]
    assert [v.label for v in values.values()] == ["a", "b", "e", "o"]
    a, b, e, o = values.values()
    # e = 2·(−3) = −6; d = e + b = −9; o = tanh(−9)
    assert e.data == -6.0 and o.data == math.tanh(-9.0)
    slope = 1.0 - math.tanh(-9.0) ** 2  # ∂o/∂d = 1 − tanh²(d)
    assert e.grad == pytest.approx(slope)  # ∂d/∂e = 1
    assert a.grad == pytest.approx(slope * -3.0)  # ∂e/∂a = b = −3
    # b reaches o twice: directly through d (1) and through e (∂e/∂b = a = 2)
    assert b.grad == pytest.approx(slope * (1.0 + 2.0))
    (d,) = o.parents
    assert d.op.name == "add" and d.label == ""  # never named in the lecture


def test_the_lectures_neuron_with_gradients_worked_by_hand():
    values = backward(parse(NEURON))
    assert list(values) == [
        "x1", "x2", "w1", "w2", "b", "x1w1", "x2w2", "x1w1x2w2", "n", "o",
    ]  # fmt: skip
    assert values["x1w1"].label == "x1*w1" and values["n"].label == "n"
    # n = 2·(−3) + 0·1 + 6.8813… = 0.8813…, o = tanh(n) = 1/√2
    assert values["o"].data == pytest.approx(math.sqrt(0.5))
    # ∂o/∂n = 1 − o² = 0.5, passed unchanged through both + nodes
    for name in ("n", "b", "x1w1x2w2", "x1w1", "x2w2"):
        assert values[name].grad == pytest.approx(0.5), name
    grads = {name: values[name].grad for name in ("x1", "w1", "x2", "w2")}
    # ∂o/∂x1 = 0.5·w1 = −1.5; ∂o/∂w1 = 0.5·x1 = 1; ∂o/∂x2 = 0.5·w2 = 0.5;
    # ∂o/∂w2 = 0.5·x2 = 0
    assert grads == pytest.approx({"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0})


def test_the_neuron_without_labels_builds_the_same_graph():
    """Labels change names, never the graph."""
    assert _shape(list(parse(NEURON).values())[-1]) == _shape(
        list(parse(_strip_labels(NEURON)).values())[-1]
    )


def _strip_labels(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = line.split(";")[0]
        if "label='" in line:
            line = line.replace(line[line.index(", label=") : line.rindex(")")], "")
        lines.append(line)
    return "\n".join(lines)


# --- loops, comprehensions and sums build what Python builds ----------------------------


def _shape(root: Value) -> list[tuple]:
    """The whole graph as data: op, parameter, value and parents of every node."""
    order = topological_order(root)
    index = {node: i for i, node in enumerate(order)}
    return [
        (
            node.op.name if node.op else None,
            node.op.param if node.op else None,
            node.data,
            tuple(index[p] for p in node.parents),
        )
        for node in order
    ]


def _same_graph(program: str, python_root: Value) -> dict[str, Value]:
    values = parse(program)
    root = list(values.values())[-1]
    assert _shape(root) == _shape(python_root)
    root.backward()
    python_root.backward()
    assert [n.grad for n in topological_order(root)] == [
        n.grad for n in topological_order(python_root)
    ]
    return values


def test_a_neuron_with_sum_over_zip_and_a_start_value():
    program = """\
xs = [Value(2.0), Value(0.0)]
ws = [Value(-3.0), Value(1.0)]
b = Value(6.8813735870195432)
act = sum((wi*xi for wi, xi in zip(ws, xs)), b)
out = act.tanh()
"""
    xs = [Value(2.0), Value(0.0)]
    ws = [Value(-3.0), Value(1.0)]
    b = Value(6.8813735870195432)
    act = sum((wi * xi for wi, xi in zip(ws, xs)), b)
    values = _same_graph(program, act.tanh())
    assert list(values) == ["b", "act", "out"]  # lists are not entries


def test_a_loss_over_a_small_data_set_with_list_comprehensions():
    program = """\
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]
w = [Value(0.1), Value(-0.2), Value(0.3)]
b = Value(0.05)
ypred = [sum((wi*xi for wi, xi in zip(w, x)), b).tanh() for x in xs]
loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
"""
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    w = [Value(0.1), Value(-0.2), Value(0.3)]
    b = Value(0.05)
    ypred = [sum((wi * xi for wi, xi in zip(w, x)), b).tanh() for x in xs]
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
    values = _same_graph(program, loss)
    assert list(values) == ["b", "loss"]


def test_loops_with_augmented_assignment_enumerate_range_and_indexing():
    program = """\
ws = [Value(0.5 * i) for i in range(3)]
s = Value(1.0)
for i, w in enumerate(ws):
    s += w * i
for i in range(len(ws) - 1):
    s += ws[i] * ws[i + 1] - ws[-1]
"""
    ws = [Value(0.5 * i) for i in range(3)]
    s = Value(1.0)
    for i, w in enumerate(ws):
        s += w * i
    for i in range(len(ws) - 1):
        s += ws[i] * ws[i + 1] - ws[-1]
    values = _same_graph(program, s)
    assert list(values) == ["s"] and values["s"].label == "s"
    start = values["s"]
    while start.parents:
        start = start.parents[0]
    assert start.data == 1.0 and start.label == ""  # an earlier s: no name


def test_tuple_unpacking_methods_and_powers():
    values = parse(
        "a, b = 1.5, -2.0\n"
        "c = a.max(b) + b.leaky_relu(0.1) ** 2 - a.exp().log() * b.relu()\n"
        "d = c.sigmoid().gelu() + a.min(2.0) + 2 ** c"
    )
    a, b = Value(1.5), Value(-2.0)
    c = a.max(b) + b.leaky_relu(0.1) ** 2 - a.exp().log() * b.relu()
    d = c.sigmoid().gelu() + a.min(2.0) + 2**c
    assert _shape(values["d"]) == _shape(d)
    assert list(values) == ["a", "b", "c", "d"] and values["a"].label == "a"


def test_an_rnn_cell_reassigned_in_a_loop():
    program = """\
xs = [0.5, -1.0, 2.0]
w = Value(0.7)
u = Value(-0.3)
h = Value(0.0)
for x in xs:
    h = (w * h + u * x).tanh()
loss = h ** 2
"""
    xs = [0.5, -1.0, 2.0]
    w, u, h = Value(0.7), Value(-0.3), Value(0.0)
    for x in xs:
        h = (w * h + u * x).tanh()
    values = _same_graph(program, h**2)
    assert list(values) == ["w", "u", "h", "loss"]


@pytest.mark.parametrize(
    "op",
    [op for op in ops.OPS.values() if op.name in METHODS],
    ids=lambda op: op.name,
)
def test_every_op_of_one_or_two_operands_is_a_method(op):
    """Read from the table: a new row is a new method with no language change."""
    params = {1: "", 2: "b"}[op.arity]
    if op.name in ops.PARAMETRIC:
        params = "0.25"
    node = parse(f"a = 0.7\nb = -0.4\nc = a.{op.name}({params})")["c"]
    operands = (0.7,) if op.arity == 1 else (0.7, -0.4)
    expected = apply(op.bind(0.25) if op.name in ops.PARAMETRIC else op, *operands)
    assert node.op is expected.op and node.data == expected.data
    assert node.local_grads == expected.local_grads


# --- names and the output ----------------------------------------------------------------


def test_backward_names_the_output_even_before_other_lines():
    values = parse("a = 2.0\nL = a * a\nL.backward()\nz = a + 1")
    assert list(values) == ["a", "z", "L"]


def test_without_backward_the_output_is_the_name_assigned_last():
    values = parse("s = Value(1.0)\nt = s * 2\nfor i in range(2):\n    s += t")
    assert list(values)[-1] == "s" and values["s"].data == 5.0


def test_backward_of_a_loop_name_makes_it_the_output():
    values = parse("xs = [1.0, 2.0]\nfor x in xs:\n    h = Value(x) * 3\nh.backward()")
    assert list(values) == ["h"] and values["h"].data == 6.0


def test_loop_variables_and_working_names_are_not_entries():
    values = parse("a = 2.0\nfor i in range(2):\n    t = a * i\nout = t + a")
    assert list(values) == ["a", "out"]


def test_an_explicit_label_wins_over_the_name():
    values = parse("x = Value(1.0, label='input')\ny = x * 2; y.label = 'twice'")
    assert [v.label for v in values.values()] == ["input", "twice"]
    assert list(values) == ["x", "y"]


def test_imports_and_pass_are_accepted_and_ignored():
    values = parse(
        "import math\nimport random as r\nfrom graphviz_dl import Value\n"
        "from micrograd.engine import Value\nx = Value(1.0)\npass"
    )
    assert list(values) == ["x"]


def test_value_data_keyword_and_folded_arithmetic():
    values = parse("x = Value(data=2.0 * 3)\ny = Value(-1.5, label='y')")
    assert values["x"].data == 6.0 and values["x"].is_leaf


# --- rejections say what to write instead ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("def f(x):\n    return x", (1, 1), "graphviz-dl run FILE.py"),
        ("class Neuron:\n    pass", (1, 1), "graphviz-dl run FILE.py"),
        ("f = lambda x: x", (1, 5), "graphviz-dl run FILE.py"),
        ("x = 1.0\nwhile 1:\n    pass", (2, 1), "for i in range(n)"),
        ("x = 1.0\nx.grad = 1.0", (2, 1), "explorer computes"),
        ("x = 1.0\ny = x.data", (2, 5), "explorer shows"),
        ("x = 1.0\ny = x.foo()", (2, 5), "x.tanh()"),
        ("x = 1.0\ny = x.tanh(2)", (2, 5), "x.tanh()"),
        ("x = Value(2.0, label=3)", (1, 22), "label='a'"),
        ("x = Value('2.0')", (1, 11), "only for labels"),
        ("x = Value(1.0, label='" + "a" * 101 + "')", (1, 22), "at most 100"),
        ("x = Value(2.0, 'a')", (1, 16), "label='a'"),
        ("xs = [1.0, 2.0]\ny = xs[2]", (2, 8), "out of range"),
        ("xs = [1.0, 2.0]\ny = xs[0.5]", (2, 8), "whole number"),
        ("xs = [1.0, 2.0]\ny = xs + 1", (2, 5), "sum(xs)"),
        ("x = 1.0\nfor x in range(2):\n    pass", (2, 5), "another loop name"),
        ("x = 1.0\nx = 2.0", (2, 1), "x += …"),
        ("a, b = 1.0, 2.0, 3.0", (1, 1), "2 names but 3 values"),
        ("import nn\nm = nn.MLP(2, [3])", (2, 5), "graphviz-dl run"),
        ("from nn import MLP\nm = MLP(2, [3])", (2, 5), "graphviz-dl run"),
        ("x = 1.0\nprint(x)", (2, 1), "delete the line"),
        ("x = 1.0\nfor i in range(2):\n    break", (3, 5), "range(n)"),
        ("xs = [Value(1.0) for i in range(3) if i]", (1, 39), "'if'"),
        ("x = 1.0\no = x.backward()", (2, 5), "a line of its own"),
    ],
)
def test_rejections_keep_line_and_column_and_say_what_to_write(text, where, words):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert (info.value.line, info.value.col) == where, info.value.message
    assert words in info.value.message
