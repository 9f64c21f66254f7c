"""The optimizer lab's remembered settings: every value validated on load,
a bad one replaced with a message naming file and field, and a round trip."""

import json

from hypothesis import given
from hypothesis import settings as settings_profile
from hypothesis import strategies as st

from graphviz_dl.colours import colour_problem, is_colour
from graphviz_dl.labs.optimizer import (
    PALETTE,
    LabModel,
    LabState,
    make_configs,
    settings,
)
from graphviz_dl.surfaces import get_surface


def test_colours_are_hex_rrggbb():
    assert is_colour("#a0B1c2")
    for bad in ("red", "#12345", "#1234567", "#gg0000", "", None, 7, "#ff0000 "):
        assert colour_problem(bad), bad


def test_what_is_saved_comes_back():
    surface = get_surface("elongated-bowl").with_parameter(50.0)
    configs = make_configs((("adam", {"lr": 0.0123}), ("sgd", {})))
    configs[1].enabled = False
    configs[0].colour = "#123456"
    raw = settings.dump(
        LabState(surface, (-3.0, 1.5), configs),
        formula="",
        speed=500,
        arrows=True,
        view_3d=True,
        internals=True,
    )
    loaded = settings.load({k: v for k, v in raw.items() if v is not None}, "lab.ini")
    assert loaded.problems == []
    assert loaded.state.surface.name == "elongated-bowl"
    assert loaded.state.surface.parameter_value == 50.0
    assert loaded.state.start == (-3.0, 1.5)
    assert loaded.state.configs == configs
    assert loaded.view_3d and loaded.internals
    assert loaded.speed == 500 and loaded.arrows is True


def test_a_typed_formula_comes_back_from_its_text():
    raw = {"surface": "", "formula": "f(x, y) = x^2 + 3*y^2"}
    loaded = settings.load(raw, "lab.ini")
    assert loaded.problems == [] and loaded.formula == raw["formula"]
    assert loaded.state.surface.value(1.0, 1.0) == 4.0


def test_a_bad_colour_is_replaced_and_named_with_file_and_field():
    saved = make_configs((("adam", {}), ("sgd", {})))
    items = [c.to_json() for c in saved]
    items[1]["colour"] = "rgb(300, nope)"
    loaded = settings.load({"configs": json.dumps(items)}, "optimizer-lab.ini")
    assert [c.kind for c in loaded.state.configs] == ["adam", "sgd"]
    assert loaded.state.configs[1].colour == PALETTE[1]
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.startswith("optimizer-lab.ini: racer 2 in field 'configs'")
    assert "rgb(300, nope)" in problem and "#rrggbb" in problem
    # saving what was loaded writes the repaired value
    again = settings.dump(loaded.state, formula="", speed=100, arrows=False)
    assert "rgb(300" not in again["configs"]


def test_every_bad_value_falls_back_to_its_default():
    raw = {
        "surface": "no-such-surface",
        "formula": "x" * 10_000,
        "start": "[1, nan]",
        "configs": "{not json",
        "speed": "1e9",
        "arrows": "maybe",
    }
    loaded = settings.load(raw, "lab.ini")
    assert loaded.state.surface is get_surface("rosenbrock")
    assert loaded.state.start == tuple(get_surface("rosenbrock").start)
    assert len(loaded.state.configs) == 9  # the first-start list
    assert loaded.speed == 100.0 and loaded.arrows is False
    fields = [p.split("field ")[1].split()[0] for p in loaded.problems]
    assert fields == [
        "'surface'",
        "'formula'",
        "'start'",
        "'configs'",
        "'speed'",
        "'arrows'",
    ]


def test_unknown_racers_are_dropped_and_bad_hyperparameters_reset():
    items = [
        {"kind": "quantum", "hyper": {}},
        "not even a dict",
        {"kind": "sgd", "hyper": {"lr": -4, "weight_decay": "x", "gone": 1}},
    ]
    loaded = settings.load({"configs": json.dumps(items)}, "lab.ini")
    (config,) = loaded.state.configs
    assert config.kind == "sgd" and config.hyper["lr"] == 1e-3
    assert config.label == "SGD" and config.colour == PALETTE[0]
    assert len(loaded.problems) == 4


def test_a_huge_list_of_racers_is_cut_short():
    items = [{"kind": "sgd"}] * (settings.MAX_CONFIGS + 50)
    loaded = settings.load({"configs": json.dumps(items)}, "lab.ini")
    assert len(loaded.state.configs) == settings.MAX_CONFIGS
    assert any("keeps only" in p for p in loaded.problems)


def test_a_parameter_out_of_range_keeps_the_plain_surface():
    raw = {"surface": "elongated-bowl", "surface_parameter": "1e12"}
    loaded = settings.load(raw, "lab.ini")
    assert loaded.state.surface is get_surface("elongated-bowl")
    assert "surface_parameter" in loaded.problems[0]


def test_a_sent_surface_leaves_the_stored_surface_alone():
    state = LabState(get_surface("beale"), (1.0, 1.0), [])
    raw = settings.dump(
        state, formula="", speed=1, arrows=False, remember_surface=False
    )
    assert not {"surface", "formula", "start", "surface_parameter"} & raw.keys()


_ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3).map(json.dumps),
    st.lists(
        st.dictionaries(
            st.sampled_from(["kind", "hyper", "label", "colour", "enabled"]),
            st.one_of(
                st.sampled_from(["adam", "sgd", "#12ab34", "red"]),
                st.floats(),
                st.dictionaries(st.sampled_from(["lr", "beta1"]), st.floats()),
            ),
        ),
        max_size=3,
    ).map(json.dumps),
)


@settings_profile(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([s.key for s in settings.SCHEMA]), _ANYTHING))
def test_no_stored_value_can_break_a_start(raw):
    loaded = settings.load(raw, "lab.ini")
    assert loaded.state.configs and 1 <= loaded.speed <= 2000
    assert all(is_colour(c.colour) for c in loaded.state.configs)
    LabModel().restore(loaded.state)  # the race can be built from it
