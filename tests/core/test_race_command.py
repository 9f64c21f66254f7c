"""``graphviz-dl race``: the table, the CSV, and clear errors for bad input."""

import numpy as np

from graphviz_dl.cli import main
from graphviz_dl.race import Race


def test_the_example_from_the_issue(tmp_path, capsys):
    path = tmp_path / "race.csv"
    code = main(
        [
            "race",
            "--surface",
            "rosenbrock",
            "--start",
            "-1.5,2",
            "--steps",
            "500",
            "--opt",
            "sgd:lr=1e-3",
            "--opt",
            "momentum:lr=1e-3,momentum=0.9",
            "--opt",
            "adam:lr=0.02",
            "--csv",
            str(path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Rosenbrock from (−1.5, 2.0), 500 steps" in out
    for header in (
        "final point",
        "final loss",
        "steps to |f − f*| ≤ 1e−06",
        "diverged at",
    ):
        assert header in out
    for label in (
        "SGD (lr=0.001)",
        "Momentum (lr=0.001)",  # momentum=0.9 is the default
        "Adam (lr=0.02)",
    ):
        assert label in out
    table = Race.read_csv(path)
    assert len(table["step"]) == 3 * 501
    assert set(table["kind"]) == {"sgd", "momentum", "adam"}
    # the CSV's last SGD row is the point the table shows
    sgd = table["kind"] == "sgd"
    x, y = table["x"][sgd][-1], table["y"][sgd][-1]
    assert f"(−{abs(x):.6g}, {y:.6g})" in out


def test_a_divergent_run_is_reported_with_its_reason(capsys):
    code = main(["race", "--steps", "20", "--opt", "sgd:lr=1", "--opt", "adam"])
    out = capsys.readouterr().out
    assert code == 0
    assert "diverged:" in out and "lr·curvature ≈" in out


def test_steps_to_tolerance_on_a_bowl(capsys):
    code = main(
        ["race", "--surface", "quadratic-bowl", "--steps", "5", "--opt", "sgd:lr=0.5"]
    )
    out = capsys.readouterr().out
    assert code == 0
    # lr = 0.5 on x² + y² jumps to the minimum in one step
    row = next(line for line in out.splitlines() if line.startswith("SGD"))
    assert row.split()[-3:] == ["1", "6", "—"]


def test_a_typed_surface_and_its_gradient_criterion(capsys):
    code = main(
        [
            "race",
            "--expression",
            "f(x, y) = x^2 + y^2",
            "--steps",
            "3",
            "--opt",
            "sgd:lr=0.5",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "‖∇f‖ ≤ 1e−06" in out


def test_unknown_optimizer_is_a_clear_error(capsys):
    code = main(["race", "--opt", "adamax:lr=0.1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown optimizer 'adamax'" in err and "known optimizers: sgd" in err


def test_other_bad_input_is_a_clear_error(capsys):
    cases = [
        (["--opt", "sgd:lr=-1"], "lr must be ≥ 0, got −1"),
        (["--opt", "adam:beta1=1.5"], "beta1 must be in [0, 1), got 1.5"),
        (["--surface", "banana"], "unknown surface 'banana'"),
        (["--start", "1;2"], "--start must be two numbers"),
        (["--steps", "-3"], "--steps must be ≥ 0"),
        (["--expression", "x^2 +* y"], "--expression, line 1, column"),
    ]
    for argv, message in cases:
        assert main(["race", *argv]) == 2
        assert message in capsys.readouterr().err


def test_list_shows_the_menus(capsys):
    assert main(["race", "--list"]) == 0
    out = capsys.readouterr().out
    assert "logistic-regression-bce" in out and "linesearch" in out


def test_an_unwritable_csv_path_is_reported(tmp_path, capsys):
    code = main(
        ["race", "--steps", "1", "--csv", str(tmp_path / "no" / "such" / "x.csv")]
    )
    assert code == 2 and "cannot write" in capsys.readouterr().err


def test_the_csv_holds_every_row_in_order(tmp_path, capsys):
    path = tmp_path / "r.csv"
    main(
        [
            "race",
            "--steps",
            "4",
            "--opt",
            "nesterov",
            "--opt",
            "linesearch",
            "--csv",
            str(path),
        ]
    )
    capsys.readouterr()
    table = Race.read_csv(path)
    np.testing.assert_array_equal(table["run"], [0] * 5 + [1] * 5)
    np.testing.assert_array_equal(table["step"], list(range(5)) * 2)
    assert np.all(table["evaluations"][table["kind"] == "linesearch"][1:] > 2)
