"""The explorer's Qt-free state: program preparation, the walkthrough cursor,
leaf edits and the text that follows them, and change signals sent once."""

from __future__ import annotations

import math

import pytest

from graphviz_dl.dot import to_dot
from graphviz_dl.expr import parse
from graphviz_dl.labs.explorer.model import ExplorerModel
from graphviz_dl.labs.explorer.program import (
    PreparationCancelled,
    leaf_edit_source,
    prepare_program,
    prepare_values,
    replace_assignment_literal,
)


def listen(model: ExplorerModel) -> list[tuple]:
    """Every signal the model sends, in order, as (name, *args)."""
    heard: list[tuple] = []
    for name in (
        "programChanged",
        "valuesChanged",
        "positionChanged",
        "selectionChanged",
        "gradChecksChanged",
        "sourceChanged",
    ):
        getattr(model, name).connect(lambda *args, n=name: heard.append((n, *args)))
    return heard


def test_one_index_is_shared_by_walkthrough_and_layout(chain_rule):
    program = prepare_program(chain_rule)
    assert program.walk.graph is program.index
    assert program.size == len(program.index) == 8
    assert program.leaf_ids == frozenset({"n0", "n1", "n3", "n5"})
    assert set(program.layout.positions) >= set(program.index.ids)


def test_preparation_reports_progress_and_stops_when_asked(chain_rule):
    seen: list[float] = []
    prepare_program(chain_rule, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3
    with pytest.raises(PreparationCancelled):
        prepare_program(chain_rule, cancelled=lambda: True)
    with pytest.raises(ValueError, match="assigns nothing"):
        prepare_values({})


def test_final_gradients_are_the_backward_pass_ones(chain_rule):
    program = prepare_program(chain_rule)
    assert all(node.grad == 0.0 for node in program.index.nodes)  # never stored
    by_name = dict(
        zip((program.walk.name(i) for i in program.index.ids), program.final_grads())
    )
    assert by_name["t1"] == 10.5 and by_name["t2"] == -3.5 and by_name["L"] == 1.0
    # the DOT the explorer writes equals the dot command's (which runs backward)
    exported = to_dot(program.index, program.final_grads())
    root = list(parse(chain_rule).values())[-1]
    root.backward()
    assert exported == to_dot(root)


def test_the_model_moves_and_announces_each_real_change_once(chain_rule):
    model = ExplorerModel()
    heard = listen(model)
    model.set_program(prepare_program(chain_rule))
    assert [h[0] for h in heard] == ["programChanged", "sourceChanged"]
    heard.clear()
    model.set_position(3)
    model.set_position(3)
    model.set_position(99)
    assert heard == [("positionChanged", 0, 3), ("positionChanged", 3, model.length)]
    assert model.current_step().phase == "backward"
    heard.clear()
    model.select("n2")
    model.select("n2")
    assert heard == [("selectionChanged", "n2")]
    model.go_first()
    assert model.known().tolist()[:3] == [True, True, False]
    assert math.isnan(model.grads()[0]) and not model.grad_known()[0]


def test_find_prefers_exact_then_prefix_then_substring(chain_rule):
    model = ExplorerModel()
    model.set_program(prepare_program(chain_rule))
    assert model.name(model.find("T1")) == "t1"
    assert model.find("n4") == "n4"
    assert model.find("zzz") is None and model.find("  ") is None


def test_a_leaf_edit_reruns_both_passes_and_rewrites_its_line(chain_rule):
    model = ExplorerModel()
    model.set_program(prepare_program(chain_rule))
    model.go_last()
    heard = listen(model)
    x = model.find("x")
    model.set_leaf_value(x, 3.0)
    assert [h[0] for h in heard] == ["valuesChanged", "sourceChanged"]
    assert "\nx = 3.0\n" in model.source
    assert model.program.root.data == pytest.approx((0.5 * -1.5 * 3.0 - 0.25) ** 2)
    assert model.position == model.length
    with pytest.raises(ValueError, match="not a leaf"):
        model.set_leaf_value(model.find("a"), 1.0)


def test_a_constant_in_a_formula_is_written_back_through_the_program_writer():
    program = prepare_program("x = 2.0\ny = x * 3.0\n")
    three = next(i for i in program.index.ids if program.walk.name(i) == "3.0")
    text = leaf_edit_source(program, three, 4.0)
    assert list(parse(text).values())[-1].data == 8.0
    assert program.index.node(three).data == 3.0  # the graph itself is untouched


def test_only_a_bare_number_assignment_is_rewritten():
    source = "a = 1.5  # start\nb = a * 2\n"
    assert (
        replace_assignment_literal(source, "a", -2.0)
        == "a = -2.0  # start\nb = a * 2\n"
    )
    assert replace_assignment_literal(source, "b", 1.0) is None
    assert replace_assignment_literal("w = 1\n", "w", math.inf) == "w = inf\n"


def test_gradient_checks_are_kept_in_step_with_edits(chain_rule):
    model = ExplorerModel()
    assert model.check_summary().startswith("Nothing to check")
    model.set_program(prepare_program(chain_rule))
    heard = listen(model)
    checks = model.check_gradients()
    assert len(checks) == model.program.size  # every node, not only the 4 inputs
    assert model.check_summary().startswith(f"✓ all {model.program.size} node")
    model.set_leaf_value(model.find("y"), 0.5)
    assert [h[0] for h in heard] == [
        "gradChecksChanged",
        "valuesChanged",
        "sourceChanged",
        "gradChecksChanged",
    ]
    model.clear_checks()
    model.clear_checks()
    assert heard[-1] == ("gradChecksChanged",) and model.grad_checks == {}
