"""What a person sees of honest numbers: per-node gradient checks with kinks
explained, the unfused neuron view, and the first nan/inf flagged."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from graphviz_dl import nn
from graphviz_dl.engine import Value


def mlp_values(kink: bool) -> dict[str, Value]:
    """A 2-16-16-1 relu MLP on one sample (fused neurons); with ``kink`` one
    hidden neuron sits exactly at relu's kink (zero weights and bias)."""
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=5)
    if kink:
        neuron = model.layers[1].neurons[3]
        for w in neuron.w:
            w.data = 0.0
        neuron.b.data = 0.0
    out = model([Value(0.4, "x0"), Value(-0.9, "x1")])
    out.label = "y"
    loss = (out - 1.0) ** 2
    loss.label = "L"
    return {"y": out, "L": loss}


def load(qtbot, window, values) -> None:
    window.explorer.load_values(values, "Open a sample")
    qtbot.waitUntil(
        lambda: window.model.program is not None and not window.explorer.loader.busy
    )
    qtbot.waitUntil(lambda: window.model.program.root is values["L"])


def test_gradient_check_of_the_mlp_marks_every_node_and_explains_a_relu_kink(
    qtbot, window, explorer
):
    load(qtbot, window, mlp_values(kink=False))
    explorer.action("checkGradients").trigger()  # a big graph: checked on a copy
    qtbot.waitUntil(lambda: bool(window.model.grad_checks), timeout=20000)
    checks = window.model.grad_checks
    assert len(checks) == window.model.program.size
    assert all(check.mark == "✓" for check in checks.values())
    assert window.statusBar().currentMessage().startswith("✓ all")

    load(qtbot, window, mlp_values(kink=True))
    assert not window.model.grad_checks  # a new graph drops the old checks
    explorer.action("checkGradients").trigger()
    qtbot.waitUntil(lambda: bool(window.model.grad_checks), timeout=20000)
    checks = window.model.grad_checks
    marks = {check.mark for check in checks.values()}
    assert marks == {"✓", "kink"}
    message = window.statusBar().currentMessage()
    assert message.startswith("✓") and "relu at 0" in message
    kinked = next(node for node, check in checks.items() if check.mark == "kink")
    window.model.unfold_all()  # the MLP opens folded to layers
    qtbot.waitUntil(lambda: kinked in window.graph_view.cards, timeout=20000)
    card = window.graph_view.cards[kinked]
    assert card.check[0] == "kink" and "relu at 0" in card.toolTip()
    window.model.select(kinked)
    text = window.findChild(QLabel, "inspectorCheck").text()
    assert text.startswith("kink (not wrong)")
    assert "the derivative jumps from 0 to 1; the engine uses 0, like PyTorch" in text


def test_show_neurons_unfused_toggles_the_graph_and_keeps_the_step(
    qtbot, window, explorer
):
    toggle = explorer.action("showUnfused")
    window.editor.setPlainText("x = 2.0\ny = x * x\n")
    assert window.build_program()
    assert not toggle.isEnabled()  # nothing fused to write out
    values = mlp_values(kink=False)
    load(qtbot, window, values)
    fused = window.model.program
    assert toggle.isEnabled() and not toggle.isChecked()
    window.model.unfold_all()  # an nn graph opens folded to layers
    assert len(window.graph_view.cards) == fused.size == 407
    # stand on the forward step of a hidden unit's relu
    relu = next(
        s for s in fused.walk.steps if s.phase == "forward" and "relu" in s.text
    )
    window.model.set_position(relu.index + 1)
    window.model.select(relu.node)
    before = fused.index.node(relu.node)
    toggle.trigger()
    qtbot.waitUntil(lambda: window.model.program is not fused)
    unfused = window.model.program
    window.model.unfold_all()
    assert unfused.size == 982 and len(window.graph_view.cards) == 982
    step = window.model.current_step()
    after = unfused.index.node(step.node)
    assert step.phase == "forward" and after.op.name == "relu"
    assert after.data == before.data and after.parents[0].data == before.parents[0].data
    assert window.model.selected == step.node
    assert unfused.root.data == fused.root.data
    # an input typed in the unfused view shows in the fused one too
    window.model.set_leaf_value(window.model.find("x0"), 0.25)
    window.model.go_last()
    toggle.trigger()
    assert window.model.program is fused and not toggle.isChecked()
    window.model.unfold_all()
    assert len(window.graph_view.cards) == 407
    assert window.model.position == len(fused.walk)
    assert fused.index.node(window.model.find("x0")).data == 0.25
    assert fused.root.data == unfused.root.data


def test_the_first_nan_is_flagged_and_everything_downstream_is_marked(
    qtbot, window, explorer
):
    source = "x = 0.0\nw = 3.0\ny = w * log(x)\nz = y + 1\nu = w * 2\nv = z * u\n"
    assert window.load_source(source)
    message = window.statusBar().currentMessage()
    assert "log of 0 at line 3" in message
    model = window.model
    first = explorer.card("t1")
    assert first.nonfinite == "first" and "log of 0" in first.toolTip()
    for name in ("y", "z", "v"):
        assert explorer.card(name).nonfinite == "downstream", name
    for name in ("x", "w", "u"):
        assert explorer.card(name).nonfinite is None, name
    model.select(model.find("z"))
    value = window.findChild(QLabel, "inspectorValue").text()
    assert "not a number" not in value  # not computed yet at the start
    model.go_last()
    value = window.findChild(QLabel, "inspectorValue").text()
    assert "not a number: downstream of t1 (log of 0 at line 3)" in value
    model.select(model.find("t1"))
    value = window.findChild(QLabel, "inspectorValue").text()
    assert "not a number: the first one, log of 0 at line 3" in value
    explorer.type_leaf_value("x", "2")
    assert (
        explorer.card("v").nonfinite is None and explorer.card("t1").nonfinite is None
    )


def test_constants_get_gradient_steps_only_when_the_option_is_on(
    qtbot, window, explorer
):
    assert window.load_source("x = 3.0\ny = 2 * x + 1\n")
    option = explorer.action("showConstantGradients")
    assert option.isCheckable() and not option.isChecked()
    steps = window.model.length
    constant = explorer.card("2.0").node_id
    assert constant not in {s.node for s in window.model.walk.steps}
    option.trigger()
    assert window.model.length == steps + 2 and window.model.constant_grads
    assert constant in {s.node for s in window.model.walk.steps}
    window.model.go_last()
    assert explorer.card("2.0").grad_text() == "3.0"
    option.trigger()
    assert window.model.length == steps
