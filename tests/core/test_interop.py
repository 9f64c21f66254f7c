"""Graphs built with micrograd-style classes or PyTorch, rebuilt with our engine."""

from __future__ import annotations

import math

import pytest

from graphviz_dl import Value
from graphviz_dl.engine import topological_order
from graphviz_dl.interop import GraphImportError, import_graph, is_graph_like


class Lecture:
    """The lecture's Value, as a student types it: parents in a set, op as text."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __add__(self, other):
        other = other if isinstance(other, Lecture) else Lecture(other)
        out = Lecture(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Lecture) else Lecture(other)
        out = Lecture(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        out = Lecture(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Lecture(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()

        def build(v):
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    build(child)
                order.append(v)

        build(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def lecture_neuron():
    x1 = Lecture(2.0, label="x1")
    x2 = Lecture(0.0, label="x2")
    w1 = Lecture(-3.0, label="w1")
    w2 = Lecture(1.0, label="w2")
    b = Lecture(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def test_the_lectures_neuron_keeps_labels_values_and_gradients():
    o = lecture_neuron()
    o.backward()
    graph = import_graph(o)
    assert graph.source == "micrograd"
    graph.root.backward()
    by_label = {n.label: n for n in topological_order(graph.root) if n.label}
    # o = tanh(n), n = 0.8813735870195432: o = 1/√2, do/dn = 1 − o² = 0.5
    assert by_label["o"].data == pytest.approx(math.sqrt(0.5), abs=1e-12)
    assert by_label["n"].grad == pytest.approx(0.5, abs=1e-12)
    assert by_label["w1"].grad == pytest.approx(0.5 * 2.0, abs=1e-12)  # x1 · 0.5
    assert by_label["x1"].grad == pytest.approx(0.5 * -3.0, abs=1e-12)  # w1 · 0.5
    assert by_label["w2"].grad == 0.0  # x2 = 0
    assert graph.disagreements() == []


def test_a_node_used_twice_keeps_both_uses():
    a = Lecture(3.0, label="a")
    y = a * a + a  # micrograd's set collapses a*a to one parent
    y.backward()
    graph = import_graph(y)
    graph.root.backward()
    leaf = next(n for n in topological_order(graph.root) if n.label == "a")
    assert graph.root.data == 12.0
    assert leaf.grad == 2 * 3.0 + 1  # d(a² + a)/da at 3
    assert graph.disagreements() == []


def test_a_wrong_foreign_gradient_is_reported():
    o = lecture_neuron()
    o.backward()
    o.grad = 7.0  # a student's buggy backward
    graph = import_graph(o)
    graph.root.backward()
    problems = graph.disagreements()
    assert len(problems) == 1 and "o:" in problems[0] and "7.0" in problems[0]


def test_our_own_values_pass_through_and_others_are_refused():
    x = Value(2.0, label="x")
    assert import_graph(x * 3).source == "graphviz_dl"
    assert is_graph_like(x) and not is_graph_like(3.0)
    with pytest.raises(GraphImportError, match="cannot explore a str"):
        import_graph("x")


def test_an_op_we_do_not_know_is_named():
    a = Lecture(1.0)
    strange = Lecture(2.0, (a,), "softsign")
    with pytest.raises(GraphImportError, match="'softsign'"):
        import_graph(strange)


@pytest.fixture
def torch_module():
    return pytest.importorskip("torch")


def test_a_torch_neuron_after_backward(torch_module):
    t = torch_module
    x1 = t.tensor(2.0, dtype=t.float64, requires_grad=True)
    w1 = t.tensor(-3.0, dtype=t.float64, requires_grad=True)
    b = t.tensor(6.8813735870195432, dtype=t.float64, requires_grad=True)
    o = t.tanh(x1 * w1 + b)
    o.backward()
    graph = import_graph(o)
    graph.root.backward()
    assert graph.source == "torch"
    assert graph.root.data == pytest.approx(o.item(), abs=1e-15)
    assert graph.disagreements() == []  # leaf grads agree with torch's


def test_torch_plain_numbers_are_recovered(torch_module):
    t = torch_module
    a = t.tensor(2.0, dtype=t.float64, requires_grad=True)
    b = t.tensor(-1.0, dtype=t.float64, requires_grad=True)
    loss = (a * 3 + b).tanh() * 2 - a / 4 + a**2 + (1 - a).exp() + 5
    graph = import_graph(loss)
    loss.backward()
    graph.root.backward()
    constants = sorted(n.data for n in topological_order(graph.root) if n.is_leaf)
    assert constants == [-1.0, 1.0, 2.0, 2.0, 3.0, 4.0, 5.0]
    assert graph.disagreements() == []
