"""``graphviz-dl bench engine``: the table is printed; no timing is asserted."""

from __future__ import annotations

import pytest

from graphviz_dl import cli
from graphviz_dl.bench import engine as bench

ROWS = [
    "training step, MLP 2-4-4-1",
    "chain y·c, 2,000 deep: build",
    "chain y·c, 2,000 deep: backward",
    "sum of 2,000 leaves, both with sum()",
    "sum of 2,000 leaves, ours with Value.sum",
    "bytes per node after build (4,001 nodes)",
    "bytes per node after backward (2,001 nodes)",
    "chain y·c, 5,000 deep, ours alone: build",
    "chain y·c, 5,000 deep, ours alone: backward",
    "README expression ×50: build + backward",
    "MLP 2-4-4-1 op by op, 8 points: forward + backward",
    "chain of *, +, relu, 2,000 ops: build",
    "chain of *, +, relu, 2,000 ops: backward",
    "chain of *, +, relu, 2,000 ops: build + backward",
    "sum of 2,000 terms with + in a loop: build + backward",
]


def test_quick_engine_benchmark_prints_every_row(capsys):
    assert cli.main(["bench", "engine", "--quick"]) == 0
    out = capsys.readouterr().out
    for row in ROWS:
        assert row in out
    assert "fresh process" in out
    assert "failed" not in out
    if bench.micrograd_available():
        assert "not installed" not in out
        assert "the same computation" in out  # same weights → same loss
    else:
        assert 'pip install -e ".[bench]"' in out


def _fake_measure(task: str, engine: str, **params) -> dict:
    """Measurements without processes: micrograd takes 40× our time, 6× our bytes."""
    scale = 1.0 if engine == bench.OURS else 40.0
    if task == "train":
        return {"step": [0.001 * scale] * params["steps"], "loss": 2.5}
    if task == "chain":
        return {"build": [0.01 * scale], "backward": [0.02 * scale]}
    if task == "sum":
        return {"total": [0.005 * scale]}
    if task == "unfused":
        key = {"readme": "readme", "mlp": "mlp"}.get(params["workload"], "total")
        return {key: [0.003 * scale], "build": [0.001 * scale], "backward": [0.002]}
    per_node = 100.0 if engine == bench.OURS else 600.0
    result = {"after_build": [per_node], "nodes": 2 * params["n"] + 1}
    if params["backward"]:
        result["after_backward"] = [160.0 if engine == bench.OURS else 640.0]
    return result


def test_targets_are_judged_from_the_medians(monkeypatch, capsys):
    monkeypatch.setattr(bench, "_measure", _fake_measure)
    monkeypatch.setattr(bench, "micrograd_available", lambda: True)
    bench.run(quick=False)
    lines = capsys.readouterr().out.splitlines()
    train = next(line for line in lines if line.startswith("training step"))
    assert "1.0 ms" in train and "40.0 ms" in train and "0.025" in train
    assert "≤ 0.05 met" in train
    after_build = next(line for line in lines if "after build" in line)
    assert "100.0 B" in after_build and "600.0 B" in after_build
    assert "≤ 0.2 met" in after_build
    after_backward = next(line for line in lines if "after backward" in line)
    assert "0.25" in after_backward and "MISSED" in after_backward
    readme = next(line for line in lines if line.startswith("README expression"))
    assert "≤ 0.2 met" in readme
    backward = next(line for line in lines if "relu, 100,000 ops: backward" in line)
    assert "MISSED" in backward  # 2 ms each: the same time is not five times faster


def test_without_micrograd_our_figures_are_still_printed(monkeypatch, capsys):
    monkeypatch.setattr(bench, "_measure", _fake_measure)
    monkeypatch.setattr(bench, "micrograd_available", lambda: False)
    bench.run(quick=True)
    out = capsys.readouterr().out
    assert 'pip install -e ".[bench]"' in out
    train = next(line for line in out.splitlines() if line.startswith("training"))
    assert "1.0 ms" in train and "not installed" in train


def test_a_failed_measurement_is_reported_not_raised(monkeypatch, capsys):
    def measure(task, engine, **params):
        if engine == bench.MICROGRAD and task == "chain":
            return {"error": "RecursionError: maximum recursion depth exceeded"}
        return _fake_measure(task, engine, **params)

    monkeypatch.setattr(bench, "_measure", measure)
    monkeypatch.setattr(bench, "micrograd_available", lambda: True)
    bench.run(quick=True)
    out = capsys.readouterr().out
    backward = next(line for line in out.splitlines() if "deep: backward" in line)
    assert "failed" in backward
    assert "micrograd failed: RecursionError" in out


def test_an_unknown_target_is_refused_with_the_choices(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["bench", "gpu"])
    assert exit_info.value.code == 2
    assert (
        "choose from 'engine', 'surfaces', 'compile', 'training', 'folding', "
        "'language', 'all'" in capsys.readouterr().err
    )
