"""Honest numbers in texts: where nan/inf start and why, −0.0 read as 0,
constants without steps, consecutive names, a·a on one line, the tie rule."""

from __future__ import annotations

from graphviz_dl.gallery import get_example
from graphviz_dl.labs.explorer.model import ExplorerModel
from graphviz_dl.labs.explorer.program import prepare_program
from graphviz_dl.numfmt import exact_number, format_number, precise_number


def test_minus_zero_is_written_as_zero_everywhere():
    assert format_number(-0.0) == format_number(0.0) == "0.0"
    assert precise_number(-0.0) == "0.0" and precise_number(-0.5) == "−0.5"
    assert exact_number(-0.0) == "0"
    program = prepare_program("x = -2.0\ny = x * 0.0\nz = y * 3\n")
    assert program.values["y"].data == 0.0  # it is −0.0 underneath
    texts = [s.text for s in program.walk.steps]
    assert texts[0] == "y = x · 0.0 = −2.0 × 0.0 = 0.0"
    assert not any("−0.0" in text for text in texts)


def test_the_first_nan_names_its_op_its_line_and_everything_downstream():
    source = "x = 0.0\nw = 3.0\ny = w * log(x)\nz = y + 1\nu = w * 2\nv = z * u\n"
    program = prepare_program(source)
    origin = program.non_finite_origin()
    ids = {name: program.index.id_of[value] for name, value in program.values.items()}
    assert origin.why == "log of 0" and origin.line == 3
    assert program.walk.name(origin.node) == "t1"  # log(x), unnamed
    assert origin.downstream == {ids["y"], ids["z"], ids["v"]}
    assert ids["u"] not in origin.downstream
    assert program.first_non_finite() == (
        "t1 = log(x) is −inf: log of 0 at line 3, column 9; 3 later values follow "
        "from it"
    )
    overflow = prepare_program("a = 800.0\nb = exp(a)\nc = b - b\n")
    assert overflow.first_non_finite() == (
        "b is inf: overflow in exp at line 2, column 5; 1 later value follows from it"
    )
    assert prepare_program("p = 0.0\nq = p / p\n").non_finite_origin().why == (
        "0 divided by 0"
    )
    model = ExplorerModel()
    model.set_program(program)
    assert model.non_finite_mark(origin.node) == "first"
    assert model.non_finite_mark(ids["v"]) == "downstream"
    assert model.non_finite_mark(ids["u"]) is None
    model.set_leaf_value(ids["x"], 1.0)
    assert model.non_finite is None and model.non_finite_mark(ids["v"]) is None


def test_the_first_non_number_is_placed_by_line_and_column():
    """The operation itself: of three '**' on a line, the one that overflows."""
    tower = prepare_program("a = 2.0\nb = a * 9**9**9**9\n").non_finite_origin()
    assert (tower.line, tower.column) == (2, 13)  # 9 ** (9**9): the middle '**'
    assert tower.why == "overflow in a power"
    caret = prepare_program("x = 1e308\ny = 1 + x ^ 2\n").non_finite_origin()
    assert (caret.line, caret.column) == (2, 11)  # '^' as typed, not as '**'
    written = prepare_program("a = 1.0\nb = a * inf\n").non_finite_origin()
    assert (written.line, written.column) == (2, 7)
    assert written.why == "an input given as inf"
    loop = "s = 1.0\nfor i in range(5):\n    s = s * 1e200\nt = s + 1\n"
    looped = prepare_program(loop).non_finite_origin()
    assert (looped.line, looped.column) == (3, 11)
    assert "at line 3, column 11" in prepare_program(loop).first_non_finite()


def test_constants_get_steps_only_when_asked_and_the_step_is_kept():
    program = prepare_program("x = 3.0\ny = 2 * x + 1\n")
    constants = [i for i in program.leaf_ids if program.walk.name(i) != "x"]
    backward = [s for s in program.walk.steps if s.phase == "backward"]
    assert {s.node for s in backward}.isdisjoint(constants)
    model = ExplorerModel()
    model.set_program(program)
    to_x = next(s for s in backward if program.walk.name(s.node) == "x")
    model.set_position(to_x.index + 1)
    short = model.length
    model.set_constant_grads(True)
    assert model.length == short + 2
    assert model.current_step().node == to_x.node
    steps = model.walk.steps
    assert {s.node for s in steps if s.phase == "backward"} >= set(constants)
    model.set_constant_grads(False)
    assert model.length == short and model.current_step().node == to_x.node


def test_automatic_names_are_consecutive_in_a_program():
    program = prepare_program("a = 1.0\nb = 2.0\nc = 0.5\ny = (a * b + c) * (a - c)\n")
    texts = [s.text for s in program.walk.steps if s.phase == "forward"]
    assert [t.split(" = ")[0] for t in texts] == ["t1", "t2", "t3", "y"]


def test_a_times_a_is_one_backward_line_saying_the_gradient_arrives_twice():
    program = prepare_program("a = 3.0\nb = a * a\n")
    backward = [s for s in program.walk.steps if s.phase == "backward"]
    assert len(backward) == 1
    assert backward[0].text == (
        "∂b/∂a += ∂b/∂b · ∂b/∂a = 1.0 × 6.0 = 6.0, where ∂b/∂a = 2 · a "
        "(a is used twice here, so its gradient arrives twice)"
    )
    assert program.final_grads()[0] == 6.0


def test_the_pooling_example_says_the_tie_rule_it_uses():
    example = get_example("pooling")
    assert "HALF the gradient to each input (0.5 and 0.5" in example.source
    program = prepare_program(example.source)
    ids = {name: program.index.id_of[v] for name, v in program.values.items()}
    tie = [
        s
        for s in program.walk.steps
        if s.phase == "backward"
        and s.node in (ids["p11"], ids["p12"])
        and s.local == 0.5
    ]
    assert len(tie) == 2  # max(p11, p12) of 2 and 2: half each
    for step in tie:
        assert "× 0.5 = 0.0" in step.text
        assert "0.5 if equal" in step.text
    final = program.final_grads()
    assert final[program.index.position_of(ids["p11"])] == 0.25
    assert final[program.index.position_of(ids["p21"])] == 1.25
