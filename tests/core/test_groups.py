"""Groups: recorded when nodes are built, kept contiguous by the index, as a tree."""

from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from graphviz_dl import engine, nodes
from graphviz_dl.engine import Value, topological_order
from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.groups import Group, group, group_of, put_in_group
from graphviz_dl.nn import MLP


def test_nodes_built_inside_a_group_belong_to_the_innermost_one():
    x = Value(2.0, label="x")
    with group("outer") as outer:
        a = x * 3.0
        with group("inner", "layer") as inner:
            b = (a + x).exp()
            c = Value(1.0)
        d = Value.sum([a, b, c])
    e = d - 1.0
    assert group_of(x) is None and group_of(e) is None
    assert group_of(a) is outer and group_of(d) is outer
    assert group_of(b) is inner and group_of(c) is inner
    assert inner.path() == (outer, inner) and inner.kind == "layer"


def test_the_plain_allocators_come_back_when_the_last_group_closes():
    with group("a"), group("b"):
        assert engine._new is not object.__new__
    assert engine._new is object.__new__ and nodes.new_node is object.__new__
    assert not hasattr(Value.__init__, "plain")
    assert group_of(Value(1.0) * 2.0) is None


def test_another_threads_nodes_are_not_recorded_in_this_threads_group():
    built = []
    opened, done = threading.Event(), threading.Event()

    def other():
        opened.wait()
        built.append(Value(1.0) * 2.0)
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with group("mine"):
        opened.set()
        done.wait()
    thread.join()
    assert group_of(built[0]) is None


def test_put_in_group_places_nodes_built_elsewhere():
    w = Value(0.5)
    home = Group("neuron 1", "neuron")
    put_in_group([w], home)
    assert group_of(w) is home


def test_mlp_records_network_layer_and_neuron_groups_with_parameters():
    model = MLP(3, [4, 4, 1], seed=0)
    out = model([2.0, 3.0, -1.0])
    tree = GraphIndex(out).groups
    (net,) = tree.roots
    assert (net.name, net.kind) == ("MLP", "network")
    assert [s.name for s in net.children] == ["layer 1", "layer 2", "layer 3"]
    layer = net.children[1]
    assert [s.name for s in layer.children] == [f"neuron {j}" for j in (1, 2, 3, 4)]
    assert layer.summary == f"layer 2 · 4 neurons · {len(layer)} nodes"
    neuron = layer.children[2]
    w = model.layers[1].neurons[2].w[0]
    index = GraphIndex(out)
    assert index.position[w] in neuron
    assert len(neuron.outputs) == 1 and len(neuron.inputs) == 4  # the 4 hidden values
    assert net.outputs == (len(index) - 1,)


def test_weights_shared_by_several_samples_are_drawn_outside_the_samples():
    model = MLP(2, [3, 1], seed=1)
    loss = Value.sum([(model(x) - 1.0) ** 2 for x in ([1.0, 2.0], [0.5, -1.0])])
    index = GraphIndex(loss)
    samples = index.groups.roots
    assert [s.name for s in samples] == ["MLP", "MLP"]
    w = model.layers[0].neurons[0].w[0]
    assert index.position[w] in samples[0].inputs
    assert index.position[w] in samples[1].inputs
    _assert_contiguous_topological(index)


def test_an_ungrouped_graph_keeps_the_plain_order_after_groups_were_used():
    with group("warm up"):
        Value(1.0) + 1.0
    x = Value(1.5, label="x")
    y = ((x * x + 2.0).tanh() * x - x.exp()).relu() + Value.sum([x, x * 3.0])
    assert GraphIndex(y).nodes == topological_order(y)
    assert not GraphIndex(y).groups


def _assert_contiguous_topological(index: GraphIndex) -> None:
    seen = {}
    for i, node in enumerate(index.nodes):
        for p in node.parents:
            assert index.position[p] < i
        g = index.group_of[i] if index.group_of else None
        while g is not None:
            seen.setdefault(g, []).append(i)
            g = g.parent
    for g, members in seen.items():
        assert members == list(range(members[0], members[-1] + 1)), g
    spans = {s.group: s for s in index.groups.spans}
    for g, members in seen.items():
        assert (spans[g].start, spans[g].stop) == (members[0], members[-1] + 1)


@st.composite
def _programs(draw):
    """A random program: ops on earlier values, groups opened and closed."""
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(["op", "leaf", "open", "close"]),
                st.integers(0, 1000),
                st.integers(0, 1000),
            ),
            min_size=1,
            max_size=60,
        )
    )


def _run(program) -> Value:
    values = [Value(1.0, label="x0"), Value(-0.5, label="x1")]
    stack = []
    for kind, a, b in program:
        if kind == "open":
            ctx = group(f"g{a}", ["block", "layer", "neuron"][b % 3])
            ctx.__enter__()
            stack.append(ctx)
        elif kind == "close" and stack:
            stack.pop().__exit__(None, None, None)
        elif kind == "leaf":
            values.append(Value(a / 100.0))
        else:
            x, y = values[a % len(values)], values[b % len(values)]
            values.append([x + y, x * y, (x - y).tanh()][(a + b) % 3])
    total = Value.sum(values)
    while stack:
        stack.pop().__exit__(None, None, None)
    return total


@settings(max_examples=150, deadline=None)
@given(_programs())
def test_random_nested_groups_come_out_contiguous_and_topological(program):
    root = _run(program)
    index = GraphIndex(root)
    assert sorted(map(id, index.nodes)) == sorted(map(id, topological_order(root)))
    if index.group_of is not None:
        _assert_contiguous_topological(index)
    for span in index.groups.spans:
        assert all(not span.start <= p < span.stop for p in span.inputs)
        assert all(span.start <= p < span.stop for p in span.outputs)
        if span.parent is not None:
            assert span.parent.start <= span.start and span.stop <= span.parent.stop


@settings(max_examples=60, deadline=None)
@given(_programs(), st.lists(st.integers(0, 1000), max_size=8))
def test_groups_put_anywhere_still_give_a_topological_order(program, picks):
    root = _run(program)
    order = topological_order(root)
    odd = Group("odd")
    put_in_group([order[k % len(order)] for k in picks], odd)
    index = GraphIndex(root)
    for i, node in enumerate(index.nodes):
        assert all(index.position[p] < i for p in node.parents)
    for span in index.groups.spans:
        members = [
            i
            for i in range(len(index))
            if span.group in (index.group_of[i].path() if index.group_of[i] else ())
        ]
        assert members == list(range(span.start, span.stop))


def test_a_group_whose_only_direct_member_comes_last_still_gets_its_span():
    program = [("open", 0, 0), ("open", 1, 0), ("open", 2, 0), ("op", 0, 0)]
    root = _run([*program, ("close", 0, 0)])  # the sum is built in g1
    index = GraphIndex(root)
    assert [(s.name, s.start, s.stop) for s in index.groups.spans] == [
        ("g0", 2, 4),
        ("g1", 2, 4),
        ("g2", 2, 3),
    ]
