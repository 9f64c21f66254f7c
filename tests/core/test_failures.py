"""Failures that are not overflow, in words with numbers: oscillation, swinging,
stalling; and no alarm on the healthy races the lab ships."""

from __future__ import annotations

import pytest

from graphviz_dl.failures import diagnose
from graphviz_dl.labs.optimizer.presets import DEFAULT_RACERS, PRESETS, preset_state
from graphviz_dl.race import Race, RunConfig
from graphviz_dl.surfaces import get_surface


def _race(surface: str, start, racers) -> Race:
    s = get_surface(surface)
    return Race(s, start or s.start, [RunConfig(k, h) for k, h in racers])


def _preset(title: str) -> Race:
    state = preset_state(next(p for p in PRESETS if p.title == title))
    return Race(state.surface, state.start, [c.run_config() for c in state.configs])


def test_sgd_past_the_stability_limit_oscillates_with_lr_times_curvature():
    race = _preset("Oscillation: lr × curvature past 2")
    race.step(40)
    healthy, bouncing = race.runs
    assert diagnose(healthy) is None
    failure = diagnose(bouncing)
    assert failure.kind == "oscillation" and failure.status == "⚠ oscillating along y"
    assert "lr × curvature ≈ 2.1 > 2" in failure.text
    assert "along y (curvature 10" in failure.text and "lr below 0.2" in failure.text


def test_adam_with_lr_100_swings_across_the_minimum():
    race = _preset("Adam with lr = 100")
    race.step(30)
    calm, wild = race.runs
    assert diagnose(calm) is None
    failure = diagnose(wild)
    assert failure.kind == "oscillation"
    assert failure.status == "⚠ swinging across the minimum"
    assert "lr = 100.0 long whatever the slope" in failure.text
    assert "f − f* is ≈" in failure.text


def test_a_run_slid_into_a_saddle_point_is_stalled_not_done():
    race = _preset("Stalled at a saddle")
    race.step(250)
    for run in race.runs:
        failure = diagnose(run)
        assert failure.kind == "stall", run.config.label
        assert failure.status == "⚠ stalled at a saddle"
        assert "curves downward along (0.0, 1.0) (curvature −2.0)" in failure.text


def test_started_on_the_saddle_point_it_stalls_at_once():
    race = _race("saddle", (0.0, 0.0), [("sgd", {"lr": 0.05})])
    race.step(12)
    assert "‖∇f‖ ≈ 0.0 at (0.0, 0.0)" in diagnose(race.runs[0]).text


def test_a_converged_run_and_a_stopped_run_are_not_called_stalled():
    race = _race("quadratic-bowl", None, [("sgd", {"lr": 0.1}), ("sgd", {"lr": 5.0})])
    race.step(400)
    converged, blown = race.runs
    assert diagnose(converged) is None
    assert blown.stopped and diagnose(blown) is None


HEALTHY = [
    (p.title, p.surface, p.start, p.racers)
    for p in PRESETS
    if p.title
    not in {
        "Oscillation: lr × curvature past 2",
        "Adam with lr = 100",
        "Stalled at a saddle",
        "Too large a learning rate",
    }
] + [
    (f"default racers on {name}", name, None, DEFAULT_RACERS)
    for name in ("rosenbrock", "elongated-bowl", "beale", "linear-regression-mse")
]


@pytest.mark.parametrize(("title", "surface", "start", "racers"), HEALTHY)
def test_no_false_alarm_on_the_healthy_races(title, surface, start, racers):
    race = _race(surface, start, racers)
    for _ in range(60):
        race.step(10)
        for run in race.runs:
            assert diagnose(run) is None, (title, run.config.label, run.steps)


def test_too_large_a_learning_rate_warns_only_the_racer_past_the_limit():
    race = _preset("Too large a learning rate")
    race.step(14)
    gliding, closing, bouncing = race.runs
    assert diagnose(gliding) is None and diagnose(closing) is None
    assert "lr × curvature ≈ 2.2 > 2" in diagnose(bouncing).text
