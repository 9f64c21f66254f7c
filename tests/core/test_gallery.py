"""The gallery: one program per course topic, each checked against numbers worked by hand."""

import math

import pytest

from graphviz_dl import losses
from graphviz_dl.engine import Value
from graphviz_dl.gallery import (
    EXAMPLES,
    Example,
    example_name,
    get_example,
    load_examples,
)
from graphviz_dl.gradcheck import check_gradients


def run(name: str) -> tuple[dict[str, Value], dict[str, float]]:
    """Build an example, run backward, and return its nodes and their grads."""
    values = get_example(name).build()
    list(values.values())[-1].backward()
    return values, {k: v.grad for k, v in values.items()}


def approx(x: float) -> object:
    return pytest.approx(x, rel=1e-12, abs=1e-15)


# --- the collection ------------------------------------------------------------------------


def test_examples_in_course_order():
    assert [e.name for e in EXAMPLES] == [
        "perceptron",
        "chain-rule",
        "logistic-regression",
        "tanh-neuron",
        "two-layer-regression",
        "softmax-cross-entropy",
        "regularization",
        "pooling",
        "edge-detection",
        "rnn",
        "batch-norm",
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_example_has_a_slide_header_and_builds(example):
    assert example.title and example.topic
    assert len(example.explanation) > 200 and "#" not in example.explanation
    assert "title:" not in example.explanation
    values = example.build()
    root = list(values.values())[-1]
    assert example.build()[list(values)[-1]] is not root  # a fresh graph each time
    checks = check_gradients(root)
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_get_example_and_unknown_names():
    assert get_example("chain-rule").title == "Chain rule: L = (t1·t2·x − y)²"
    with pytest.raises(KeyError) as info:
        get_example("chain_rule")
    assert "chain-rule" in info.value.args[0] and "perceptron" in info.value.args[0]


def test_examples_are_frozen():
    with pytest.raises(AttributeError):
        EXAMPLES[0].title = "changed"  # type: ignore[misc]


# --- the header convention ------------------------------------------------------------------


def test_header_fields_and_paragraph():
    text = (
        "# Title: My example\n"
        "# topic:  Losses \n"
        "#\n"
        "# First line of the\n"
        "#   paragraph.\n"
        "\n"
        "# a comment in the program, not the paragraph\n"
        "x = 1.0\n"
    )
    example = Example.from_text("mine", text)
    assert (example.name, example.title, example.topic) == (
        "mine",
        "My example",
        "Losses",
    )
    assert example.explanation == "First line of the paragraph."
    assert example.source == text
    assert example.build()["x"].data == 1.0


def test_blank_lines_before_the_header_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "03-bom.txt"
    path.write_bytes("\n\n# title: Saved on Windows\nx = 1.0\n".encode("utf-8-sig"))
    (example,) = load_examples(tmp_path)
    assert (example.name, example.title) == ("bom", "Saved on Windows")
    assert example.build()["x"].data == 1.0


def test_a_header_without_a_title_falls_back_to_the_name():
    example = Example.from_text("my-example", "x = 1.0\n")
    assert example.title == "My example" and example.topic == ""
    assert example.explanation == ""


def test_file_names_give_name_and_order(tmp_path):
    assert example_name("02-chain-rule.txt") == "chain-rule"
    assert example_name("07_regularization.txt") == "regularization"
    assert example_name("mine.txt") == "mine"
    (tmp_path / "2-second.txt").write_text("# title: Two\nb = 2.0\n", encoding="utf-8")
    (tmp_path / "1-first.txt").write_text("# title: One\na = 1.0\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a program", encoding="utf-8")
    examples = load_examples(tmp_path)
    assert [(e.name, e.title) for e in examples] == [
        ("first", "One"),
        ("second", "Two"),
    ]


# --- the numbers, worked by hand ------------------------------------------------------------


def test_perceptron_gives_the_notes_g_of_minus_6():
    values, grad = run("perceptron")
    # z = 1 + 3·(−1) + (−2)·2 = −6
    assert values["z"].data == -6.0
    # g(−6) = 1 / (1 + e⁶) = 0.0024726…, the notes' "≈ 0.002"
    assert values["y"].data == approx(0.0024726231566347743)
    assert round(values["y"].data, 3) == 0.002
    # σ'(−6) = σ(1 − σ) = 0.0024726 × 0.9975274 = 0.0024665…
    slope = 0.002466509291360048
    assert grad["z"] == approx(slope)
    assert grad["w0"] == approx(slope)  # ∂z/∂w0 = 1
    assert grad["w1"] == approx(-slope)  # ∂z/∂w1 = x1 = −1
    assert grad["w2"] == approx(2 * slope)  # ∂z/∂w2 = x2 = 2
    assert grad["x1"] == approx(3 * slope)  # ∂z/∂x1 = w1 = 3
    assert grad["x2"] == approx(-2 * slope)  # ∂z/∂x2 = w2 = −2


def test_chain_rule_four_backward_steps():
    values, grad = run("chain-rule")
    # a = 0.5·(−1.5) = −0.75; b = −0.75·2 = −1.5; c = −1.5 − 0.25 = −1.75
    assert [values[k].data for k in "abc"] == [-0.75, -1.5, -1.75]
    assert values["L"].data == 3.0625  # (−1.75)²
    assert grad["c"] == -3.5  # step 1: ∂L/∂c = 2c
    assert grad["b"] == -3.5  # step 2: ∂L/∂b = 2c·1
    assert grad["a"] == -7.0  # step 3: ∂L/∂a = 2c·x
    assert grad["t1"] == 10.5  # step 4: ∂L/∂t1 = 2c·x·t2 = −7·(−1.5)
    assert grad["t2"] == -3.5  # and ∂L/∂t2 = 2c·x·t1 = −7·0.5
    assert grad["x"] == 2.625  # ∂L/∂x = 2c·a = −3.5·(−0.75)
    assert grad["y"] == 3.5  # ∂L/∂y = −2c


def test_logistic_regression_gradient_is_p_minus_y():
    values, grad = run("logistic-regression")
    # z = 0.5·2 + (−1)·1.5 + 0.5 = 0, so p = σ(0) = 0.5
    assert values["z"].data == 0.0 and values["p"].data == 0.5
    # L = −[1·ln 0.5 + 0·ln 0.5] = ln 2
    assert values["L"].data == approx(math.log(2))
    # ∂L/∂p = −y/p + (1 − y)/(1 − p) = −2; ∂L/∂z = −2 · σ'(0) = −2 · 0.25 = p − y
    assert grad["p"] == approx(-2.0)
    assert grad["z"] == approx(-0.5)
    assert grad["w1"] == approx(-1.0)  # (p − y)·x1 = −0.5·2
    assert grad["w2"] == approx(-0.75)  # (p − y)·x2 = −0.5·1.5
    assert grad["b"] == approx(-0.5)
    assert grad["x1"] == approx(-0.25)  # (p − y)·w1
    assert grad["x2"] == approx(0.5)  # (p − y)·w2
    # the bce helper gives the same loss
    assert losses.bce(values["p"].data, 1.0).data == approx(values["L"].data)


def test_tanh_neuron_slope_one_half():
    values, grad = run("tanh-neuron")
    # n = 2·(−3) + 0·1 + 6.8813735870195432 = 0.8813735870195432 = atanh(1/√2)
    assert values["n"].data == approx(0.8813735870195432)
    assert values["o"].data == approx(1 / math.sqrt(2))
    # do/dn = 1 − o² = 1 − 1/2 = 0.5
    assert grad["n"] == approx(0.5)
    assert grad["b"] == approx(0.5)
    assert grad["w1"] == approx(1.0)  # 0.5·x1 = 0.5·2
    assert grad["x1"] == approx(-1.5)  # 0.5·w1 = 0.5·(−3)
    assert grad["w2"] == 0.0  # 0.5·x2 = 0.5·0
    assert grad["x2"] == approx(0.5)  # 0.5·w2 = 0.5·1


def test_two_layer_regression_inactive_unit_learns_nothing():
    values, grad = run("two-layer-regression")
    # z1 = 0.5·1 − 0.25·2 + 0.5 = 0.5 → h1 = 0.5; z2 = −1·1 + 0.5·2 − 0.5 = −0.5 → h2 = 0
    assert (values["z1"].data, values["h1"].data) == (0.5, 0.5)
    assert (values["z2"].data, values["h2"].data) == (-0.5, 0.0)
    # ŷ = 2·0.5 + (−1)·0 + 0.25 = 1.25; L = (2 − 1.25)² = 0.5625
    assert values["yhat"].data == 1.25 and values["L"].data == 0.5625
    # δ = ∂L/∂ŷ = −2(y − ŷ) = −1.5
    assert grad["yhat"] == -1.5
    assert (grad["v1"], grad["v2"], grad["c"]) == (-0.75, 0.0, -1.5)  # δ·h1, δ·h2, δ
    # ∂L/∂z1 = δ·v1·relu'(0.5) = −1.5·2·1 = −3
    assert grad["z1"] == -3.0
    assert (grad["w11"], grad["w12"], grad["b1"]) == (-3.0, -6.0, -3.0)  # −3·x1, −3·x2
    # ∂L/∂h2 = δ·v2 = 1.5, but relu'(−0.5) = 0 stops it
    assert grad["h2"] == 1.5 and grad["z2"] == 0.0
    assert (grad["w21"], grad["w22"], grad["b2"]) == (0.0, 0.0, 0.0)


def test_softmax_cross_entropy_gradient_is_p_minus_one_hot():
    values, grad = run("softmax-cross-entropy")
    # e^2 = 7.389056, e^1 = 2.718282, e^0.1 = 1.105171; Σ = 11.212509
    assert values["s"].data == approx(11.212508845465344)
    p1, p2, p3 = 0.6590011388859679, 0.2424329707047139, 0.09856589040931818
    assert values["p1"].data == approx(p1)
    assert values["L"].data == approx(0.4170300162778335)  # −ln 0.659001
    assert grad["z1"] == approx(p1 - 1)  # −0.340999
    assert grad["z2"] == approx(p2)
    assert grad["z3"] == approx(p3)
    assert grad["z1"] + grad["z2"] + grad["z3"] == pytest.approx(0.0, abs=1e-15)
    # the cross_entropy helper gives the same loss
    helper = losses.cross_entropy([2.0, 1.0, 0.1], 0).data
    assert helper == approx(values["L"].data)


def test_regularization_l1_versus_l2_pull():
    values, grad = run("regularization")
    # ŷ = 2·1 + (−0.25)·2 + 0 = 1.5; data loss (2 − 1.5)² = 0.25
    assert values["yhat"].data == 1.5 and values["data_loss"].data == 0.25
    # L1: 0.1·(2 + 0.25) = 0.225; L2: 0.1·(4 + 0.0625) = 0.40625
    assert values["l1_penalty"].data == approx(0.225)
    assert values["l2_penalty"].data == approx(0.40625)
    assert values["L"].data == approx(0.88125)
    # ∂(data)/∂ŷ = −2(2 − 1.5) = −1 → w1: −1·x1 = −1, w2: −1·x2 = −2
    # w1 = 2:     L1 adds 0.1·sign(2) = +0.1, L2 adds 2·0.1·2 = +0.4
    assert grad["w1"] == approx(-1.0 + 0.1 + 0.4)
    # w2 = −0.25: L1 adds 0.1·sign(−0.25) = −0.1, L2 adds 2·0.1·(−0.25) = −0.05
    assert grad["w2"] == approx(-2.0 - 0.1 - 0.05)
    assert grad["b"] == approx(-1.0)
    assert grad["lambda1"] == approx(2.25) and grad["lambda2"] == approx(4.0625)


def test_pooling_routes_gradient_to_the_winners():
    values, grad = run("pooling")
    # windows: [2 2; 9 4] [7 3; 6 1] [8 5; 3 1] [2 4; 2 6]
    assert [values[f"max{k}"].data for k in ("11", "12", "21", "22")] == [9, 7, 8, 6]
    means = [values[f"avg{k}"].data for k in ("11", "12", "21", "22")]
    assert means == [4.25, 4.25, 4.25, 3.5]  # 17/4, 17/4, 17/4, 14/4
    assert values["out"].data == 9 + 7 + 8 + 6 + 4.25 * 3 + 3.5
    winners = {"p21", "p13", "p31", "p44"}  # the 9, the 7, the 8 and the 6
    for name, g in grad.items():
        if name.startswith("p"):
            # 1 from the max (winners only) + 1/4 from the average
            assert g == (1.25 if name in winners else 0.25), name


def test_edge_detection_response_and_gradients():
    values, grad = run("edge-detection")
    # 8·4 − (2 + 2 + 7 + 9 + 6 + 8 + 5 + 2) = 32 − 41 = −9
    assert values["response"].data == -9.0
    for row in "123":
        for col in "123":
            k, p = f"k{row}{col}", f"p{row}{col}"
            assert grad[k] == values[p].data  # ∂/∂k = the pixel under it
            assert grad[p] == values[k].data  # ∂/∂p = its kernel weight


def test_rnn_gradients_flow_back_through_time():
    values, grad = run("rnn")
    w, u, beta = 0.5, 0.8, 1.5
    xs = [1.0, -0.5, 2.0]
    # A1 = tanh(0.5·1 + 0.8·0 + 0.1) = tanh(0.6) = 0.537050
    # A2 = tanh(0.5·(−0.5) + 0.8·0.537050 + 0.1) = tanh(0.279640) = 0.272572
    # A3 = tanh(0.5·2 + 0.8·0.272572 + 0.1) = tanh(1.318057) = 0.866300
    A = [0.0, 0.5370495669980353, 0.27257153896028735, 0.8662999758279883]
    for t in (1, 2, 3):
        assert values[f"A{t}"].data == approx(A[t])
    # o = −0.2 + 1.5·0.866300 = 1.099450; L = (1 − 1.099450)² = 0.009890
    assert values["o"].data == approx(1.0994499637419826)
    assert values["L"].data == approx(0.009890295288281645)
    # ∂L/∂o = −2(y − o) = 0.198900; δ3 = ∂L/∂o·β·(1 − A3²) = 0.074446
    dL_do = 0.19889992748396512
    delta3 = dL_do * beta * (1 - A[3] ** 2)
    delta2 = delta3 * u * (1 - A[2] ** 2)  # back one step through u and tanh
    delta1 = delta2 * u * (1 - A[1] ** 2)
    assert (delta3, delta2, delta1) == (
        approx(0.07444556324175042),
        approx(0.05513168957365294),
        approx(0.03138438745157863),
    )
    assert grad["A3"] == approx(dL_do * beta)
    assert grad["A2"] == approx(delta3 * u)
    assert grad["A1"] == approx(delta2 * u)
    # shared weights add one contribution per time step
    assert grad["w"] == approx(delta1 * xs[0] + delta2 * xs[1] + delta3 * xs[2])
    assert grad["u"] == approx(delta1 * A[0] + delta2 * A[1] + delta3 * A[2])
    assert grad["b"] == approx(delta1 + delta2 + delta3)
    assert grad["beta"] == approx(dL_do * A[3]) and grad["beta0"] == approx(dL_do)
    assert [grad[f"x{t}"] for t in (1, 2, 3)] == [
        approx(delta1 * w),
        approx(delta2 * w),
        approx(delta3 * w),
    ]
    assert grad["A0"] == approx(delta1 * u)
    # the gradient shrinks as it goes back in time
    assert delta3 > delta2 > delta1


def test_batch_norm_numbers():
    values, grad = run("batch-norm")
    # mean = (1 + 2 + 3 + 6)/4 = 3; deviations −2, −1, 0, 3
    assert values["mean"].data == 3.0
    # var = (4 + 1 + 0 + 9)/4 = 3.5; std = √(3.5 + 0.5) = 2
    assert values["var"].data == 3.5 and values["std"].data == 2.0
    assert [values[f"xhat{i}"].data for i in "1234"] == [-1.0, -0.5, 0.0, 1.5]
    # y = 2·x̂ + 0.5
    assert [values[f"y{i}"].data for i in "1234"] == [-1.5, -0.5, 0.5, 3.5]
    # L = (2.25 + 0.25 + 0.25 + 12.25)/4 = 3.75
    assert values["L"].data == 3.75
    # ∂L/∂yᵢ = yᵢ/2; ∂L/∂γ = Σ ∂L/∂yᵢ·x̂ᵢ = 0.75 + 0.125 + 0 + 2.625 = 3.5; ∂L/∂β = Σ = 1
    assert grad["gamma"] == approx(3.5) and grad["beta"] == approx(1.0)
    # g = ∂L/∂x̂ = γ·yᵢ/2 = (−1.5, −0.5, 0.5, 3.5); mean(g) = 0.5; mean(g·x̂) = 7/4
    # ∂L/∂xᵢ = (gᵢ − mean(g) − x̂ᵢ·mean(g·x̂)) / std
    # x1: (−1.5 − 0.5 + 1.75)/2 = −0.125   x2: (−0.5 − 0.5 + 0.875)/2 = −0.0625
    # x3: (0.5 − 0.5 − 0)/2 = 0            x4: (3.5 − 0.5 − 2.625)/2 = 0.1875
    assert [grad[f"x{i}"] for i in "1234"] == [
        approx(-0.125),
        approx(-0.0625),
        pytest.approx(0.0, abs=1e-15),
        approx(0.1875),
    ]
    assert sum(grad[f"x{i}"] for i in "1234") == pytest.approx(0.0, abs=1e-15)
    # ∂L/∂std = Σ gᵢ·(−x̂ᵢ/std) = −7/2; ∂L/∂ε = ∂L/∂std · 1/(2·std) = −0.875
    assert grad["std"] == approx(-3.5) and grad["eps"] == approx(-0.875)
