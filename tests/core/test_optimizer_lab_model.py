"""The optimizer lab's model: signals only on real changes, one hyperparameter
path into the live optimizer, the step limit, racers joining in step."""

import pytest

from graphviz_dl.labs.optimizer import (
    PRESETS,
    LabModel,
    LabState,
    make_config,
    make_configs,
    preset_state,
)
from graphviz_dl.labs.optimizer import model as model_module
from graphviz_dl.surfaces import get_surface


def _heard(model: LabModel) -> list[str]:
    heard: list[str] = []
    for name in (
        "surfaceChanged",
        "startChanged",
        "configsChanged",
        "configEdited",
        "raceReset",
        "raceAdvanced",
        "playingChanged",
        "speedChanged",
    ):
        getattr(model, name).connect(lambda *_, n=name: heard.append(n))
    return heard


def _racing(racers=(("adam", {"lr": 0.05}), ("sgd", {"lr": 1e-3}))) -> LabModel:
    model = LabModel()
    surface = get_surface("beale")
    model.restore(LabState(surface, surface.start, make_configs(racers)))
    return model


def test_a_signal_fires_only_when_the_value_really_changes():
    model = _racing()
    heard = _heard(model)
    model.set_start(*model.start)
    model.set_speed(model.speed)
    model.set_playing(False)
    model.set_colour(0, model.configs[0].colour)
    model.set_hyper(0, "lr", model.configs[0].hyper["lr"])
    assert heard == []
    model.set_start(1.0, 1.0)
    model.set_speed(20)
    assert heard == ["startChanged", "raceReset", "speedChanged"]


def test_a_hyperparameter_goes_into_the_live_optimizer_in_place():
    model = _racing()
    model.step(5)
    optimizer = model.run(0).optimizer
    moments = dict(optimizer.state)
    heard = _heard(model)
    model.set_hyper(0, "lr", 0.2)
    assert model.run(0).optimizer is optimizer  # no new optimizer
    assert optimizer.lr == 0.2 and model.configs[0].hyper["lr"] == 0.2
    assert dict(optimizer.state).keys() == moments.keys()
    assert heard == ["configEdited"]
    model.step(1)
    assert model.run(0).lrs[-1] == 0.2


def test_an_invalid_hyperparameter_is_refused_and_changes_nothing():
    model = _racing()
    with pytest.raises(ValueError, match="lr"):
        model.set_hyper(0, "lr", -1.0)
    assert model.configs[0].hyper["lr"] == 0.05 and model.run(0).optimizer.lr == 0.05
    assert model.hyper_problem(0, "lr", -1.0)
    assert model.hyper_problem(0, "lr", 50.0) is None  # above the slider is fine
    model.set_enabled(1, False)
    with pytest.raises(ValueError):
        model.set_hyper(1, "lr", -1.0)  # a resting racer is checked too


def test_a_colour_must_be_hex():
    model = _racing()
    with pytest.raises(ValueError, match="#rrggbb"):
        model.set_colour(0, "not-a-colour")
    model.set_colour(0, "#123abc")
    assert model.configs[0].colour == "#123abc"


def test_a_racer_enabled_later_catches_up_with_the_others():
    model = _racing()
    model.set_enabled(1, False)
    model.step(7)
    assert model.run(1) is None
    model.set_enabled(1, True)
    assert model.run(1).steps == 7 == model.run(0).steps


def test_the_race_stops_at_the_step_limit(monkeypatch):
    monkeypatch.setattr(model_module, "MAX_STEPS", 10)
    model = _racing()
    heard = []
    model.limitReached.connect(lambda: heard.append("limit"))
    model.set_playing(True)
    assert model.step(25) == 10
    assert heard == ["limit"] and not model.playing
    assert model.step(1) == 0
    model.set_playing(True)
    assert not model.playing


def test_new_configurations_get_free_labels_and_colours():
    model = _racing((("adam", {}),))
    second = model.new_config("adam")
    assert second.label == "Adam #2" and second.colour != model.configs[0].colour
    with pytest.raises(ValueError):
        make_config("sgd", {"lr": -1})


def test_a_preset_names_its_surface_start_and_racers():
    for preset in PRESETS:
        state = preset_state(preset)
        assert state.surface is get_surface(preset.surface)
        assert [c.kind for c in state.configs] == [k for k, _ in preset.racers]
        assert len({c.colour for c in state.configs}) == len(state.configs)
