"""``graphviz-dl run FILE.py``: the person's own file runs as Python would run it."""

from __future__ import annotations

import textwrap

import pytest
from finite_difference import central_difference

from graphviz_dl.engine import topological_order
from graphviz_dl.run_script import ScriptError, run_file

CLASSES = """
import random
from graphviz_dl import Value


class Neuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]


class Layer:
    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP:
    def __init__(self, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


random.seed(1)
n = MLP(3, [4, 4, 1])
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]
ypred = [n(x) for x in xs]
loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
loss.backward()
"""


def write(tmp_path, text: str, name: str = "lecture.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_lectures_mlp_file_opens_on_its_loss(tmp_path):
    path = write(tmp_path, CLASSES)
    result = run_file(path)
    assert result.name == "loss"
    root = result.graph.root
    assert result.graph.foreign_grads[root] == 1.0  # the file ran backward()
    leaves = [n for n in topological_order(root) if n.is_leaf]
    before = {leaf: leaf.grad for leaf in leaves}
    for leaf in leaves:
        leaf.grad = 0.0
    root.backward()
    assert all(leaf.grad == before[leaf] for leaf in leaves)
    leaves = [leaf for leaf in leaves if leaf.grad != 0.0]
    assert len(leaves) >= 41  # 41 weights and biases, and the data they meet
    for leaf in leaves:  # every gradient against a central finite difference
        estimate = central_difference(root, leaf)
        assert leaf.grad == pytest.approx(estimate, rel=1e-5, abs=1e-7)


def test_the_files_own_classes_become_nested_groups(tmp_path):
    result = run_file(write(tmp_path, CLASSES))
    assert [g.name for g in result.groups] == ["MLP"] * 4  # one call per sample
    network = result.groups[0]
    assert [layer.name for layer in network.children] == ["Layer"] * 3
    assert [len(layer.children) for layer in network.children] == [4, 4, 1]
    neuron = network.children[0].children[0]
    assert neuron.name == "Neuron" and neuron.children == []
    # 3 weights, the bias, 3 inputs as constants, 3 products, 3 sums, tanh
    assert len(neuron.members) == 14
    assert len(network.children[1].children[0].members) == 4 + 1 + 4 + 4 + 1
    assert len(network.members) == 56 + 56 + 14
    graph_nodes = set(map(id, topological_order(result.graph.root)))
    assert all(id(node) in graph_nodes for g in network.walk() for node in g.members)


def test_root_names_the_variable_and_explore_calls_win_over_the_last(tmp_path):
    path = write(
        tmp_path,
        """
        from graphviz_dl import Value, explore
        a = Value(2.0, label="a")
        b = a * 3
        c = b + 1
        explore(b)
        """,
    )
    assert run_file(path).graph.root.data == 6.0  # explore(b), not c
    assert run_file(path, root="c").graph.root.data == 7.0


def test_the_persons_error_points_at_their_line(tmp_path):
    path = write(
        tmp_path, "from graphviz_dl import Value\nx = Value(1.0)\ny = x / zz\n"
    )
    with pytest.raises(ScriptError) as caught:
        run_file(path)
    assert caught.value.line == 3
    assert "NameError" in caught.value.message and "line 3" in caught.value.message


def test_a_syntax_error_has_line_and_column(tmp_path):
    path = write(tmp_path, "x = (1 +\n")
    with pytest.raises(ScriptError) as caught:
        run_file(path)
    assert caught.value.line == 1
    assert f"{path}:1:" in caught.value.message


def test_a_file_with_no_graph_says_what_to_do(tmp_path):
    path = write(tmp_path, "x = 1.0\n")
    with pytest.raises(ScriptError, match="--root"):
        run_file(path)
    with pytest.raises(ScriptError, match="no top-level variable called 'y'"):
        run_file(path, root="y")


def test_argv_and_the_files_folder_are_as_python_gives_them(tmp_path):
    write(tmp_path, "from graphviz_dl import Value\nSEED = Value(4.0)\n", "helper.py")
    path = write(
        tmp_path,
        """
        import sys
        from helper import SEED
        out = SEED * float(sys.argv[1])
        """,
    )
    assert run_file(path, argv=["2.5"]).graph.root.data == 10.0


def test_the_files_calls_become_groups_the_index_folds(tmp_path):
    from graphviz_dl.folding import fold_level
    from graphviz_dl.graph_index import GraphIndex

    result = run_file(write(tmp_path, CLASSES))
    tree = GraphIndex(result.graph.root).groups
    assert [s.name for s in tree.roots] == ["MLP"] * 4
    network = tree.roots[0]
    assert network.kind == "call"
    assert [s.name for s in network.children] == ["Layer"] * 3
    assert [len(s.children) for s in network.children] == [4, 4, 1]
    # the weights are shared by the four samples: drawn outside them, as inputs
    assert len(network.children[0].children[0]) == 14 - 4
    layers = fold_level(tree, "layers")
    assert len(layers) == 12 and {s.name for s in layers} == {"Layer"}
