"""The command line: ``graphviz-dl [PROGRAM_FILE] [--example NAME] [--step K] [--screenshot OUT]``."""

from __future__ import annotations

import importlib.util

import pytest
from PySide6.QtGui import QColor, QImage

from ui import cli
from ui.app import main


def distinct_colours(image: QImage, step: int = 7) -> int:
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def test_screenshot_of_a_backward_step_is_a_full_size_picture(tmp_path, clean_settings):
    out = tmp_path / "explorer.png"
    code = main(["--example", "chain-rule", "--step", "9", "--screenshot", str(out)])
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert distinct_colours(image) > 40, "the picture has real content"
    # The backward step's violet highlight is on screen.
    violet = QColor("#7c3aed")
    hits = sum(
        1
        for y in range(0, 800, 2)
        for x in range(250, 1280, 2)
        if QColor(image.pixel(x, y)) == violet
    )
    assert hits > 30


def test_screenshot_size_step_from_the_end_and_a_program_file(tmp_path, clean_settings):
    program = tmp_path / "neuron.txt"
    program.write_text(
        "x = 2.0\nw = -3.0\nb = 6.5\no = tanh(w * x + b)\n", encoding="utf-8"
    )
    out = tmp_path / "small.png"
    code = cli.main(
        [str(program), "--step", "-1", "--size", "1440x900", "--screenshot", str(out)]
    )
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1440, 900)
    assert distinct_colours(image) > 40


def test_unknown_example_is_an_error_that_names_the_choices(
    tmp_path, capsys, clean_settings
):
    out = tmp_path / "none.png"
    code = main(["--example", "no-such-thing", "--screenshot", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "no-such-thing" in err and "chain-rule" in err
    assert not out.exists()


def test_a_broken_program_file_reports_line_and_column(
    tmp_path, capsys, clean_settings
):
    program = tmp_path / "broken.txt"
    program.write_text("a = 1.0\nb = a +* 2\n", encoding="utf-8")
    code = main([str(program), "--screenshot", str(tmp_path / "x.png")])
    assert code == 2
    assert "Line 2" in capsys.readouterr().err


def test_values_that_stop_being_numbers_are_said_on_stderr_too(
    tmp_path, capsys, clean_settings
):
    program = tmp_path / "tower.txt"
    program.write_text("a = 2.0\nb = a * 9**9**9**9\n", encoding="utf-8")
    out = tmp_path / "x.png"
    assert main([str(program), "--screenshot", str(out)]) == 0  # a valid graph
    assert out.exists()
    err = capsys.readouterr().err
    assert "tower.txt: warning: not a number from here on" in err
    assert "overflow in a power at line 2, column 13" in err


@pytest.mark.parametrize(
    "text, said",
    [
        (  # a loop too long to build before the window shows
            "a = Value(1.0)\nfor i in range(4000):\n    s = a * i\no = s\nt = o * w\n",
            "Line 5, column 9: unknown name 'w'",
        ),
        (  # a long text refused at once by the job, maybe before the window shows
            "# " + "p" * 25_000 + "\nx = 1.0\ny = " + "-" * 5000 + "x\n",
            "Line 3, column 1: this is nested too deeply",
        ),
    ],
)
def test_a_program_built_in_the_background_reports_its_error_the_same(
    tmp_path, capsys, clean_settings, text, said
):
    program = tmp_path / "long.txt"
    program.write_text(text, encoding="utf-8")
    out = tmp_path / "x.png"
    code = main([str(program), "--screenshot", str(out)])
    assert code == 2
    assert f"long.txt: {said}" in capsys.readouterr().err
    assert not out.exists()


def test_bad_arguments_exit_with_usage_errors(capsys):
    assert main(["--step", "many"]) == 2
    assert main(["--size", "big", "--screenshot", "x.png"]) == 2
    assert "--size" in capsys.readouterr().err


def test_optimizer_lab_tab_from_the_command_line(tmp_path, capsys, clean_settings):
    out = tmp_path / "lab.png"
    args = [
        "--lab",
        "optimizers",
        "--surface",
        "beale",
        "--steps",
        "20",
        "--screenshot",
        str(out),
    ]
    try:
        available = importlib.util.find_spec("ui.optimizer_lab.lab") is not None
        if available:
            import ui.optimizer_lab.lab  # noqa: F401
    except ImportError:
        available = False
    code = main(args)
    if available:
        assert code == 0
        image = QImage(str(out))
        assert (image.width(), image.height()) == (1280, 800)
        assert distinct_colours(image) > 40
    else:
        assert code == 2
        assert "optimizers lab" in capsys.readouterr().err


@pytest.mark.parametrize("step", ["0", "4"])
def test_forward_screenshots_work_too(tmp_path, step, clean_settings):
    out = tmp_path / f"s{step}.png"
    assert (
        main(["--example", "chain-rule", "--step", step, "--screenshot", str(out)]) == 0
    )
    assert QImage(str(out)).width() == 1280
