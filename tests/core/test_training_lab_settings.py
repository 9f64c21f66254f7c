"""The training lab's remembered settings: every value checked and bounded."""

from __future__ import annotations

import json

from graphviz_dl.labs.training import DataSpec
from graphviz_dl.labs.training.settings import read_lab_settings, settings_to_raw
from graphviz_dl.training import TrainingConfig


def _raw(data: dict | None = None, config: dict | None = None) -> dict:
    spec, conf = DataSpec(), TrainingConfig()
    raw = settings_to_raw(spec, conf)
    if data is not None:
        raw["data"] = json.dumps({**json.loads(raw["data"]), **data})
    if config is not None:
        raw["config"] = json.dumps({**json.loads(raw["config"]), **config})
    return raw


def test_what_is_written_reads_back_the_same():
    spec = DataSpec("spiral", n_points=300, noise=0.3, test_fraction=0.1, seed=4)
    config = TrainingConfig(
        hidden=(16, 4), optimizer="momentum", hyper={"lr": 0.5, "momentum": 0.8},
        batch_size=None, schedule="cosine:T_max=200", early_stopping=True,
    )  # fmt: skip
    again_spec, again_config, problems = read_lab_settings(
        settings_to_raw(spec, config), "lab.ini"
    )
    assert (again_spec, again_config, problems) == (spec, config, [])


def test_a_hundred_million_points_fall_back_with_a_message():
    spec, _, problems = read_lab_settings(_raw({"n_points": 1e8}), "training.ini")
    assert spec.n_points == 200
    (problem,) = problems
    assert "training.ini" in problem and "'n_points'" in problem
    assert "above 2000" in problem


def test_each_config_value_is_bounded_like_its_box():
    raw = _raw(
        config={
            "hidden": [8, 9999],
            "activation": "swish",
            "dropout": 5,
            "batch_size": -3,
            "patience": "soon",
            "hyper": {"lr": 1e10, "beta1": 2.0},
            "max_snapshots": 10**9,
        }
    )
    _, config, problems = read_lab_settings(raw, "t.ini")
    assert config == TrainingConfig()
    fields = " ".join(problems)
    for field in ("hidden", "activation", "dropout", "batch_size", "patience"):
        assert f"'{field}'" in fields
    assert "'lr'" in fields and "'beta1'" in fields and "'max_snapshots'" in fields
    assert len(problems) == 8


def test_garbage_or_nothing_gives_the_defaults():
    spec, config, problems = read_lab_settings({}, "t.ini")
    assert (spec, config, problems) == (DataSpec(), TrainingConfig(), [])
    spec, config, problems = read_lab_settings(
        {"data": "{not json", "config": "[1, 2]"}, "t.ini"
    )
    assert (spec, config) == (DataSpec(), TrainingConfig())
    assert len(problems) == 2 and all("not readable" in p for p in problems)


def test_the_full_batch_and_the_generators_own_noise_survive():
    raw = _raw({"noise": None}, {"batch_size": None})
    spec, config, problems = read_lab_settings(raw, "t.ini")
    assert spec.noise is None and config.batch_size is None and not problems


def test_values_that_do_not_fit_together_fall_back_to_the_default_data(monkeypatch):
    from graphviz_dl.labs.training import runs

    def refuse(self):
        raise ValueError("n_points must be at least 2 per class")

    monkeypatch.setattr(runs.DataSpec, "make", refuse)
    spec, _, problems = read_lab_settings(_raw({"kind": "blobs3"}), "t.ini")
    assert spec.kind == "moons"
    assert problems == [
        "t.ini [data]: n_points must be at least 2 per class; using the default data"
    ]
