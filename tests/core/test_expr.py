"""The expression language: what a program means, and the messages for mistakes."""

import dataclasses
import math

import pytest

from graphviz_dl import expr_functions, losses, ops
from graphviz_dl.engine import Value
from graphviz_dl.expr import ExpressionError, parse, suggest
from graphviz_dl.gradcheck import check_gradients


def error_of(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    return info.value


def output(text: str) -> Value:
    return list(parse(text).values())[-1]


# --- what a program builds --------------------------------------------------------------


def test_the_issue_program_builds_labelled_leaves_and_nodes_in_order(chain_rule):
    values = parse(chain_rule)
    assert list(values) == ["t1", "t2", "x", "y", "a", "b", "c", "L"]
    for name, node in values.items():
        assert node.label == name
    assert all(values[n].is_leaf for n in ("t1", "t2", "x", "y"))
    assert [values[n].op.name for n in "abc"] == ["mul", "mul", "sub"]
    # L = c ** 2 with a number exponent is pow_const bound to 2.
    assert values["L"].op.name == "pow_const" and values["L"].op.param == 2.0
    assert values["a"].parents == (values["t1"], values["t2"])
    assert values["c"].parents == (values["b"], values["y"])


def test_the_issue_program_gives_the_notes_numbers(chain_rule):
    values = parse(chain_rule)
    values["L"].backward()
    # a = 0.5·(−1.5) = −0.75, b = −1.5, c = −1.75, L = 3.0625
    assert values["L"].data == 3.0625
    # ∂L/∂c = 2c = −3.5; ∂L/∂a = 2c·x = −7; ∂L/∂t1 = 2c·x·t2 = 10.5;
    # ∂L/∂t2 = 2c·x·t1 = −3.5; ∂L/∂x = 2c·a = 2.625; ∂L/∂y = −2c = 3.5
    grads = {name: node.grad for name, node in values.items()}
    assert grads["c"] == -3.5 and grads["a"] == -7.0
    assert grads["t1"] == 10.5 and grads["t2"] == -3.5
    assert grads["x"] == 2.625 and grads["y"] == 3.5


def test_caret_is_power_with_powers_precedence():
    values = parse("x = 3.0\nb = 2.0\ny = x^2*b\nz = -x^2\nw = 2^x^2")
    # (x^2)·b = 18, not x^(2·b) and not Python's xor
    assert values["y"].data == 18.0 and values["y"].op.name == "mul"
    assert values["y"].parents[0].op.name == "pow_const"
    assert values["z"].data == -9.0  # −(x²), as in mathematics
    assert values["w"].data == 2.0**9  # right-associative: 2^(x^2)


def test_power_forms_follow_what_is_a_number():
    values = parse("x = 1.5\ny = 2.0\na = x ** 2\nb = 2 ** x\nc = x ** y\nd = 2 ** 3")
    assert values["a"].op.name == "pow_const" and values["a"].op.param == 2.0
    assert values["b"].op.name == "rpow" and values["b"].op.param == 2.0
    assert values["c"].op.name == "pow" and values["c"].parents == (
        values["x"],
        values["y"],
    )
    # two numbers: a fixed power of a constant leaf
    assert values["d"].op.name == "pow_const" and values["d"].data == 8.0
    assert values["d"].parents[0].data == 2.0 and not values["d"].parents[0].label


def test_a_negative_number_is_one_leaf_and_a_negated_name_a_node():
    values = parse("t = -1.5\nu = +2\nv = -t\nw = -(2 * t)")
    assert values["t"].is_leaf and values["t"].data == -1.5
    assert values["u"].is_leaf and values["u"].data == 2.0
    assert values["v"].op.name == "neg" and values["v"].parents == (values["t"],)
    assert values["w"].op.name == "neg" and values["w"].data == 3.0


@pytest.mark.parametrize(
    ("literal", "number"),
    [
        ("2", 2.0),
        ("2.", 2.0),
        (".5", 0.5),
        ("1e-3", 0.001),
        ("1E3", 1000.0),
        ("1_000.5", 1000.5),
        ("0x10", 16.0),
        ("0b101", 5.0),
        ("1e400", math.inf),
        ("-1e400", -math.inf),
        ("inf", math.inf),
        ("-inf", -math.inf),
        ("9" * 400, math.inf),
    ],
)
def test_numbers_in_python_float_syntax(literal, number):
    assert parse(f"x = {literal}")["x"].data == number


def test_nan_is_a_number_name():
    assert math.isnan(parse("x = nan")["x"].data)


def test_constants_in_expressions_are_unlabelled_leaves():
    values = parse("x = 2.0\ny = 3 * x + 1")
    mul, one = values["y"].parents
    assert mul.parents[0].is_leaf and mul.parents[0].label == ""
    assert mul.parents[0].data == 3.0 and one.data == 1.0


def test_slide_symbols_read_as_operators():
    values = parse("x = 2.0\ny = x − 1 × 3 · 2 ÷ 4")
    # x − ((1·3)·2)/4 = 2 − 1.5
    assert values["y"].data == 0.5


def test_comments_blank_lines_semicolons_and_windows_newlines():
    values = parse("# start\r\n\r\nx = 1  # one\r\ny = x * 2; z = y + x\r\n")
    assert list(values) == ["x", "y", "z"] and values["z"].data == 3.0


def test_the_last_assignment_is_the_output():
    assert output("a = 1.0\nb = a * 3\nc = 2.0").data == 2.0


# --- functions ---------------------------------------------------------------------------


UNARY = ["exp", "log", "tanh", "sigmoid", "relu", "gelu", "abs", "sqrt", "sin", "cos"]


@pytest.mark.parametrize("name", UNARY)
def test_every_unary_op_is_a_function(name):
    node = parse(f"x = 0.7\ny = {name}(x)")["y"]
    assert node.op is ops.OPS[name]
    expected = getattr(Value(0.7), name)()
    assert node.data == expected.data
    assert node.local_grads == expected.local_grads


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_and_min_take_two_values(name):
    values = parse(f"a = 2.0\nb = -3.0\nm = {name}(a, b)")
    assert values["m"].op is ops.OPS[name]
    assert values["m"].data == (2.0 if name == "max" else -3.0)
    assert values["m"].parents == (values["a"], values["b"])


def test_leaky_relu_default_slope_and_a_literal_slope():
    values = parse("x = -2.0\na = leaky_relu(x)\nb = leaky_relu(x, 0.2)")
    assert values["a"].op.param == 0.01 and values["a"].data == -0.02
    assert values["b"].op.param == 0.2 and values["b"].data == -0.4


def test_leaky_relu_slope_must_be_written_as_a_number():
    error = error_of("x = -2.0\ns = 0.2\ny = leaky_relu(x, s)")
    assert error.line == 3 and error.col == 5
    assert "must be a number written out" in error.message


def test_sum_and_linear_build_one_node():
    values = parse(
        "w1 = 2.0\nx1 = 3.0\nw2 = -1.0\nx2 = 4.0\nb = 0.5\n"
        "s = sum(w1, x1, w2)\nn = linear(w1, x1, w2, x2, b)"
    )
    assert values["s"].op.name == "sum" and values["s"].data == 4.0
    n = values["n"]
    # b + w1·x1 + w2·x2 = 0.5 + 6 − 4
    assert n.op.name == "linear" and n.data == 2.5
    assert n.parents == tuple(values[k] for k in ("w1", "x1", "w2", "x2", "b"))


def test_linear_needs_pairs_and_a_bias():
    error = error_of("a = 1.0\nb = 2.0\nn = linear(a, b)")
    assert "odd number" in error.message and (error.line, error.col) == (3, 5)


def test_loss_helpers_match_the_losses_module():
    values = parse(
        "p = 0.8\ny = 1.0\nz = 0.3\nyhat = 2.5\nt = 2.0\n"
        "b1 = bce(p, y)\nb2 = bce_with_logits(z, y)\nm = mse(yhat, t)\n"
        "h = hinge(z, -1)\nce = cross_entropy(z, p, yhat, 2)"
    )
    assert values["b1"].data == pytest.approx(-math.log(0.8))
    assert values["b2"].data == pytest.approx(
        losses.bce_with_logits(Value(0.3), 1.0).data
    )
    assert values["m"].data == pytest.approx(0.25)  # (2.5 − 2)²
    assert values["h"].data == pytest.approx(1.3)  # max(0, 1 + 0.3)
    expected = losses.cross_entropy([0.3, 0.8, 2.5], 2).data
    assert values["ce"].data == pytest.approx(expected)


def test_cross_entropy_target_is_a_whole_class_number_in_range():
    assert "out of range" in error_of("z = 1.0\nl = cross_entropy(z, z, 2)").message
    assert "whole number" in error_of("z = 1.0\nl = cross_entropy(z, z, 0.5)").message
    assert "whole number" in error_of("z = 1.0\nl = cross_entropy(z, z, z)").message


def test_hinge_label_must_be_plus_or_minus_one():
    assert "−1 or +1" in error_of("s = 0.5\nl = hinge(s, 0)").message


def test_wrong_number_of_arguments_says_how_to_call():
    error = error_of("x = 1.0\ny = tanh(x, x)")
    assert error.message == "tanh takes 1 argument (tanh(x)), but got 2"
    assert (error.line, error.col) == (2, 5)
    assert "1 or 2 arguments" in error_of("y = leaky_relu()").message


def test_keyword_arguments_are_refused_with_the_positional_form():
    error = error_of("x = 1.0\ny = leaky_relu(x, slope=0.2)")
    assert (
        "keyword arguments" in error.message and "leaky_relu(x, 0.01)" in error.message
    )
    assert (error.line, error.col) == (2, 19)


def test_unknown_function_suggests_a_close_one():
    assert error_of("y = sigmod(1.0)").message == (
        "unknown function 'sigmod' — did you mean 'sigmoid'?"
    )
    assert "functions are: max, min, exp" in error_of("y = foo(1.0)").message
    assert "a ** b" in error_of("y = pow(2.0, 3.0)").message
    assert "one probability per class" in error_of("y = softmax(1.0, 2.0)").message


def test_overflow_is_inf_not_a_hang():
    # 9 ** (9 ** (9 ** 9)) in floats: 9 ** 387420489 overflows to inf at once
    assert parse("x = 9 ** 9 ** 9 ** 9")["x"].data == math.inf
    assert parse("x = 2.0\ny = x ** 1e308 ** 2")["y"].data == math.inf


def test_ieee_results_instead_of_errors():
    values = parse("z = 0.0\na = 1 / z\nb = log(z)\nc = sqrt(-1)\nd = 0 * a")
    assert values["a"].data == math.inf and values["b"].data == -math.inf
    assert math.isnan(values["c"].data) and math.isnan(values["d"].data)


def test_sin_and_cos_of_inf_are_nan():
    values = parse("y = sin(inf)\nz = cos(-inf)")
    assert math.isnan(values["y"].data) and math.isnan(values["z"].data)


def test_an_op_that_raises_is_a_located_message_not_a_crash(monkeypatch):
    def broken(args):
        raise OverflowError("too big")

    function = expr_functions.FUNCTIONS["exp"]
    monkeypatch.setitem(
        expr_functions.FUNCTIONS, "exp", dataclasses.replace(function, build=broken)
    )
    error = error_of("x = 1.0\ny = 2 * exp(x)")
    assert (error.line, error.col) == (2, 9)
    assert error.message == "this cannot be computed: too big"


def test_gradients_of_a_parsed_program_match_finite_differences():
    root = output(
        "x = 0.3\nw = -1.2\nb = 0.4\n"
        "h = tanh(w * x + b) * sigmoid(x) + gelu(w) / (2 + exp(x))\n"
        "k = leaky_relu(h - 1, 0.1) + x ^ 3 + 2 ^ w + abs(b) ** x + log(sqrt(b))\n"
        "L = max(k, h) - min(sin(x), cos(w)) + linear(w, x, b, w, 1.5)"
    )
    checks = check_gradients(root)
    assert checks and all(check.ok for check in checks), checks


# --- names ------------------------------------------------------------------------------


def test_unknown_name_points_at_it_and_suggests_a_close_one():
    error = error_of("a = 1.0\nbb = 2.0\nd = a * bc")
    assert (error.line, error.col) == (3, 9)
    assert error.message == "unknown name 'bc' — did you mean 'bb'?"
    assert str(error) == "line 3: unknown name 'bc' — did you mean 'bb'?"


def test_unknown_single_letter_suggests_the_latest_single_letter(chain_rule):
    lines = chain_rule.splitlines()[:7] + ["d = c * x"]
    error = error_of("\n".join(lines))
    assert error.message == "unknown name 'c' — did you mean 'b'?"
    assert error.line == 8


def test_no_suggestion_when_nothing_is_close():
    assert error_of("a = 1.0\ny = a * zebra").message == "unknown name 'zebra'"


def test_suggest_prefers_fewer_edits_then_the_latest():
    assert suggest("weigth", ["weight", "height"]) == "weight"
    assert suggest("x", ["a", "b"]) == "b"
    assert suggest("loss", ["alpha"]) is None


def test_a_name_used_before_it_is_assigned():
    error = error_of("a = b * 2\nb = 1.0")
    assert (
        error.message == "'b' is used before it has a value (it is assigned on line 2)"
    )
    assert "on this line" in error_of("a = a + 1").message


def test_a_name_is_assigned_once():
    """Reassigning would leave two nodes with one name; it is an error instead."""
    error = error_of("a = 1.0\nb = a * 2\na = 3.0")
    assert (error.line, error.col) == (3, 1)
    assert "'a' is already assigned on line 1" in error.message
    assert "'a2'" in error.message


def test_assigning_a_name_to_another_is_refused():
    error = error_of("x = 1.0\ny = x")
    assert error.message == "'y = x' only gives 'x' a second name: use 'x' itself"
    assert "second name" in error_of("x = 1.0\ny = +x").message


@pytest.mark.parametrize("name", ["exp", "sum", "max", "bce", "leaky_relu"])
def test_function_names_cannot_be_assigned(name):
    error = error_of(f"{name} = 1.0")
    assert error.message.startswith(f"'{name}' is a function")
    assert (error.line, error.col) == (1, 1)


def test_number_names_cannot_be_assigned():
    assert "is a number" in error_of("inf = 1.0").message


def test_a_function_used_as_a_value_and_a_value_called():
    assert error_of("y = exp").message == "'exp' is a function: call it, like exp(x)"
    assert error_of("x = 1.0\ny = x(2)").message == "'x' is a value, not a function"


def test_unicode_names_are_fine():
    values = parse("θ1 = 0.5\nŷ = θ1 * 2")
    assert values["ŷ"].data == 1.0 and values["θ1"].label == "θ1"


# --- positions of syntax errors -----------------------------------------------------------


def test_syntax_error_columns_count_the_text_as_typed():
    # The ^ before the bad token becomes ** for Python, but columns do not move.
    error = error_of("x = 1.0\ny = x^2 + ) 3")
    assert (error.line, error.col) == (2, 11)


def test_double_caret_points_at_the_second_caret():
    error = error_of("x = 1.0\ny = x^^2")
    assert (error.line, error.col) == (2, 7)


def test_operator_errors_point_at_the_operator_after_carets():
    error = error_of("x = 2.0\ny = x^2 // x")
    assert (error.line, error.col) == (2, 9)
    assert "'//'" in error.message


def test_operator_error_across_a_line_break():
    error = error_of("x = 2.0\ny = (x\n   % 2)")
    assert (error.line, error.col) == (3, 4)


def test_columns_count_characters_not_bytes():
    error = error_of("θ = 1.0\nŷ = θ * q")
    assert (error.line, error.col) == (2, 9)
    error = error_of("é = 2 €")
    assert (error.line, error.col) == (1, 7)


def test_friendlier_words_for_common_slips():
    assert "write 2*x, not 2x" in error_of("x = 1.0\ny = 2x").message
    assert "operator missing" in error_of("x = 1.0\ny = 2 x").message
    assert "plain name" in error_of("x = 1.0\nx + 1 = 2").message


def test_unclosed_bracket_at_the_end():
    error = error_of("x = 1.0\ny = (x + 1")
    assert error.line == 2 and "never closed" in error.message


def test_empty_program():
    for text in ("", "   \n", "# only a comment\n"):
        error = error_of(text)
        assert "no assignments" in error.message and error.line == 1


def test_expression_error_is_a_value_error():
    assert issubclass(ExpressionError, ValueError)
    error = ExpressionError("bad", 4, 7)
    assert (error.line, error.col, error.message, str(error)) == (
        4,
        7,
        "bad",
        "line 4: bad",
    )


def test_parse_wants_text():
    with pytest.raises(TypeError):
        parse(b"x = 1")  # type: ignore[arg-type]
