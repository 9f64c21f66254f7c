"""A schedule per racer in the optimizer lab: chosen, raced, remembered."""

from __future__ import annotations

import pytest

from graphviz_dl.labs.optimizer import LabModel, LabState, make_configs
from graphviz_dl.labs.optimizer import settings as remembered
from graphviz_dl.labs.optimizer.schedules import (
    LAB_SCHEDULES,
    schedule_name,
    schedule_text,
)
from graphviz_dl.surfaces import get_surface


def _model() -> LabModel:
    model = LabModel()
    surface = get_surface("quadratic-bowl")
    configs = make_configs((("sgd", {"lr": 0.1}), ("linesearch", {})))
    model.restore(LabState(surface, surface.start, configs))
    return model


@pytest.mark.parametrize(("name", "text"), LAB_SCHEDULES[1:])
def test_every_menu_schedule_races_and_changes_the_lr(name, text):
    model = _model()
    model.set_schedule(0, text)
    assert schedule_name(model.configs[0].schedule) == name
    model.step(600)
    lrs = model.run(0).lrs
    assert lrs[0] == 0.1 and lrs.min() < 0.1 or name == "plateau"


def test_cosine_falls_from_lr_to_zero_and_restarts_the_race():
    model = _model()
    model.step(20)
    events = []
    model.raceReset.connect(lambda: events.append("reset"))
    model.configEdited.connect(events.append)
    model.set_schedule(0, schedule_text("cosine"))
    assert events == [0, "reset"] and model.steps == 0
    model.step(500)
    lrs = model.run(0).lrs
    assert (
        lrs[0] == 0.1 and lrs[250] == pytest.approx(0.05, rel=0.02) and lrs[-1] < 1e-6
    )
    model.set_schedule(0, schedule_text("cosine"))  # no change: no signal
    assert events == [0, "reset"]


def test_a_bad_schedule_changes_nothing():
    model = _model()
    with pytest.raises(ValueError, match="line search"):
        model.set_schedule(1, schedule_text("cosine"))
    with pytest.raises(ValueError, match="unknown schedule"):
        model.set_schedule(0, "sideways")
    assert [c.schedule for c in model.configs] == ["", ""]


def test_schedules_are_remembered_and_a_bad_one_is_dropped():
    model = _model()
    model.set_schedule(0, schedule_text("step"))
    data = model.configs[0].to_json()
    assert data["schedule"] == "step:step_size=100,gamma=0.5"
    problems: list[str] = []
    config = remembered._config(data, 0, "here", problems)
    assert config.schedule == data["schedule"] and not problems
    config = remembered._config({**data, "schedule": "sideways"}, 0, "here", problems)
    assert config.schedule == "" and "schedule 'sideways' dropped" in problems[0]
