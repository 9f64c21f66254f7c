"""A bad remembered value falls back to its default with a message."""

import math

from hypothesis import given
from hypothesis import strategies as st

from graphviz_dl.settings_schema import Setting, read_settings

SCHEMA = [
    Setting("n_points", 200, low=10, high=5000),
    Setting("lr", 0.01, low=1e-8, high=10.0),
    Setting("surface", "rosenbrock", choices=("rosenbrock", "beale")),
    Setting("arrows", True),
    Setting(
        "colour", "#ff0000", check=lambda c: None if c.startswith("#") else "no colour"
    ),
]


def test_strings_from_an_ini_file_become_values():
    raw = {"n_points": "300", "lr": "0.5", "surface": "beale", "arrows": "false"}
    values, problems = read_settings(raw, SCHEMA, "lab.ini")
    assert values == {
        "n_points": 300,
        "lr": 0.5,
        "surface": "beale",
        "arrows": False,
        "colour": "#ff0000",
    }
    assert problems == []


def test_each_bad_value_is_named_with_its_file_and_field():
    raw = {"n_points": "1e8", "lr": "nan", "surface": "moon", "colour": "blue"}
    values, problems = read_settings(raw, SCHEMA, "training.ini")
    assert values["n_points"] == 200 and values["lr"] == 0.01
    assert values["surface"] == "rosenbrock" and values["colour"] == "#ff0000"
    assert len(problems) == 4
    assert problems[0].startswith(
        "training.ini: field 'n_points' = '1e8' is above 5000"
    )
    assert "no colour" in problems[3]


@given(st.dictionaries(st.sampled_from([s.key for s in SCHEMA]), st.from_type(object)))
def test_anything_at_all_gives_valid_values(raw):
    values, _ = read_settings(raw, SCHEMA, "x.ini")
    assert 10 <= values["n_points"] <= 5000
    assert math.isfinite(values["lr"]) and 1e-8 <= values["lr"] <= 10
    assert values["surface"] in ("rosenbrock", "beale")
    assert isinstance(values["arrows"], bool)
