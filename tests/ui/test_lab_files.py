"""Optimizer lab: export, undo/redo, remembered settings and presets."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from graphviz_dl.labs.optimizer import PALETTE, PRESETS
from graphviz_dl.race import Race
from graphviz_dl.surfaces import get_surface
from ui.optimizer_lab.lab import OptimizerLab


def test_csv_export_round_trips_every_trajectory(lab, tmp_path, race):
    racers = (("sgd", {"lr": 1e-3}), ("momentum", {"lr": 1e-3}), ("adam", {"lr": 0.05}))
    model = race("rosenbrock", racers)
    lab.advance(25)
    path = tmp_path / "race.csv"
    lab.export_csv(str(path))
    table = Race.read_csv(str(path))
    for column in ("x", "y", "loss"):
        assert column in table, sorted(table)
    run_key = next(k for k in ("run", "label") if k in table)
    keys = list(dict.fromkeys(table[run_key].tolist()))
    assert len(keys) == 3
    for key, (_, config, run) in zip(keys, model.active()):
        rows = table[run_key] == key
        np.testing.assert_array_equal(table["x"][rows], run.positions[:, 0])
        np.testing.assert_array_equal(table["y"][rows], run.positions[:, 1])
        np.testing.assert_array_equal(table["loss"][rows], run.losses)


def test_png_and_svg_export_draw_surface_and_paths(lab, tmp_path, race):
    race("beale", (("adam", {"lr": 0.05}),))
    lab.advance(40)
    png = tmp_path / "race.png"
    lab.export_image(str(png))
    image = QImage(str(png))
    assert image.width() >= 800 and image.height() > 300
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert len(colours) > 50  # a colour map, not a blank page
    svg = tmp_path / "race.svg"
    lab.export_image(str(svg))
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "<image" in text and "<path" in text


def test_undo_and_redo_cover_surface_start_and_configurations(lab, qtbot):
    model = lab.model
    first = model.surface
    lab.select_surface("beale")
    assert model.surface is get_surface("beale")
    lab.surface_view.ensure_grid()
    model.set_start(0.5, 0.5)  # not a command: stays out of the history
    lab.optimizer_list.add("adagrad")
    count = len(model.configs)
    lab.undo_stack.undo()
    assert len(model.configs) == count - 1
    lab.undo_stack.undo()
    assert model.surface is first
    lab.undo_stack.redo()
    assert model.surface is get_surface("beale")
    lab.undo_stack.redo()
    assert len(model.configs) == count
    assert lab.undo_button.isEnabled() and not lab.redo_button.isEnabled()


def test_settings_are_remembered_in_the_given_location(qtbot, tmp_path, lab_settings):
    pg.setConfigOptions(imageAxisOrder="row-major")
    first = OptimizerLab(settings=lab_settings())
    qtbot.addWidget(first)
    first.select_surface("beale")
    first.optimizer_list.add("adam")
    index = len(first.model.configs) - 1
    first.model.set_hyper(index, "lr", 0.0123)
    first.model.set_speed(500)
    first.arrows.setChecked(True)
    first.view_switch.internals_box.click()
    labels = [c.label for c in first.model.configs]
    first.show()
    first.close()  # what leaving the lab does: settings are written

    second = OptimizerLab(settings=lab_settings())
    qtbot.addWidget(second)
    assert second.model.surface is get_surface("beale")
    assert [c.label for c in second.model.configs] == labels
    assert second.model.configs[index].hyper["lr"] == 0.0123
    assert second.model.speed == 500
    assert second.arrows.isChecked()
    assert second.view_switch.internals_box.isChecked()
    assert second.surface_view.internals_visible()
    assert (tmp_path / "lab.ini").exists()


def test_unreadable_settings_fall_back_to_defaults(qtbot, tmp_path, lab_settings):
    settings = lab_settings()
    settings.setValue("surface", "no-such-surface")
    settings.setValue("configs", "{not json")
    settings.setValue("speed", "fast")
    settings.sync()
    lab = OptimizerLab(settings=lab_settings())
    qtbot.addWidget(lab)
    assert lab.model.surface is get_surface("rosenbrock")
    assert len(lab.model.configs) >= 9
    assert lab.model.speed == 100


def _final(model, label):
    run = next(r for _, c, r in model.active() if c.label == label)
    return run


def _momentum_story(model):
    sgd, momentum = _final(model, "SGD"), _final(model, "Momentum")
    return momentum.losses[-1] < sgd.losses[-1] / 10


def _saddle_story(model):
    sgd, adam = _final(model, "SGD"), _final(model, "Adam")
    return abs(adam.positions[-1, 1]) > 3 * abs(sgd.positions[-1, 1])


def _learning_rate_story(model):
    slow, zigzag, blown = (r for _, _, r in model.active())
    crossed = np.sign(zigzag.positions[1:, 1]) != np.sign(zigzag.positions[:-1, 1])
    return (
        slow.diverged_at is None
        and slow.losses[-1] < 1e-3
        and np.all(np.diff(slow.losses) < 0)
        and zigzag.diverged_at is None
        and crossed[:10].all()
        and blown.diverged_at is not None
        and "lr·curvature ≈ 2.2 > 2" in blown.reason
    )


def _line_search_story(model):
    sgd, search = _final(model, "SGD"), _final(model, "Exact line search")
    d = np.diff(search.positions[:6], axis=0)
    right_angles = all(
        abs(np.dot(a, b)) < 1e-6 * np.dot(a, a) ** 0.5 * np.dot(b, b) ** 0.5
        for a, b in itertools.pairwise(d)
    )
    return right_angles and search.evaluations.sum() > 5 * sgd.evaluations.sum()


def _regression_story(model):
    target = np.array(model.surface.minima[0])
    return all(
        np.linalg.norm(run.positions[-1] - target) < 1e-2
        for _, _, run in model.active()
    )


def _statuses(model):
    from graphviz_dl.failures import diagnose

    return [getattr(diagnose(run), "status", None) for _, _, run in model.active()]


def _oscillation_story(model):
    return _statuses(model) == [None, "⚠ oscillating along y"]


def _adam_100_story(model):
    return _statuses(model) == [None, "⚠ swinging across the minimum"]


def _stalled_story(model):
    return _statuses(model) == ["⚠ stalled at a saddle"] * 3


STORIES = {
    "Momentum through a narrow valley": (300, _momentum_story),
    "Adam vs SGD on a saddle": (25, _saddle_story),
    "Too large a learning rate": (120, _learning_rate_story),
    "Line search: best step, many evaluations": (20, _line_search_story),
    "Linear regression: MSE over (w, b)": (200, _regression_story),
    "Oscillation: lr × curvature past 2": (40, _oscillation_story),
    "Adam with lr = 100": (30, _adam_100_story),
    "Stalled at a saddle": (250, _stalled_story),
}


def test_every_preset_has_a_checked_story():
    assert sorted(p.title for p in PRESETS) == sorted(STORIES)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.title)
def test_presets_load_and_tell_their_story(lab, preset):
    before = lab.model.surface
    lab.apply_preset(preset.title)
    model = lab.model
    assert model.surface is get_surface(preset.surface)
    assert model.start == preset.start
    assert len(model.active()) == len(preset.racers)
    assert model.speed == preset.speed
    assert lab.story.text() == preset.story
    steps, story = STORIES[preset.title]
    lab.advance(steps)
    assert story(model), preset.title
    lab.undo_stack.undo()
    assert model.surface is before


def test_default_settings_follow_a_redirected_profile(qtbot, tmp_path):
    """With no settings given, the lab uses the profile location Qt is told to use,
    so a test suite can keep it away from the real one."""
    ini, user = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    probe = QSettings(ini, user, "probe-org", "probe-app").fileName()
    previous = str(Path(probe).parent.parent)
    QSettings.setPath(ini, user, str(tmp_path))
    try:
        lab = OptimizerLab()
        qtbot.addWidget(lab)
        lab.select_surface("himmelblau")
        lab.save_settings()
        saved = tmp_path / "graphviz-dl" / "optimizer-lab.ini"
        assert saved.exists() and "himmelblau" in saved.read_text()
    finally:
        QSettings.setPath(ini, user, previous)


# --- issue 18: bad settings repaired, exports that never lie or destroy ----------------
def test_a_bad_colour_in_the_settings_is_repaired_and_said(
    qtbot, tmp_path, lab_settings
):
    """One bad value used to take both labs down on every start, for good."""
    configs = [
        {"kind": "adam", "hyper": {"lr": 0.05}, "label": "Adam", "colour": "#ff4d4d"},
        {"kind": "sgd", "hyper": {"lr": 0.001}, "label": "SGD", "colour": "notacolour"},
    ]
    settings = lab_settings()
    settings.setValue("configs", json.dumps(configs))
    settings.setValue("speed", "1e9")
    settings.sync()
    pg.setConfigOptions(imageAxisOrder="row-major")
    lab = OptimizerLab(settings=lab_settings())
    qtbot.addWidget(lab)
    assert [c.label for c in lab.model.configs] == ["Adam", "SGD"]
    assert lab.model.configs[1].colour == PALETTE[1]
    assert lab.model.speed == 100
    message = lab.status.text()
    assert message.startswith("Settings repaired: ")
    assert "lab.ini: racer 2 in field 'configs'" in message and "'speed'" in message
    # the file itself is repaired: the next start has nothing to complain about
    text = (tmp_path / "lab.ini").read_text()
    assert "notacolour" not in text and "1e9" not in text
    again = OptimizerLab(settings=lab_settings())
    qtbot.addWidget(again)
    assert again.status.text() == ""
    assert again.model.configs[1].colour == PALETTE[1]


class _DiskFillsUp:
    """A csv writer whose disk fills up after the header and one row."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.rows = 0

    def writerow(self, row) -> None:
        if self.rows == 2:
            raise OSError(28, "No space left on device")
        self.handle.write(",".join(map(str, row)) + "\n")
        self.rows += 1


def test_a_failed_csv_export_keeps_the_old_file_and_says_why(
    lab, tmp_path, monkeypatch
):
    target = tmp_path / "race.csv"
    target.write_text("the previous export\n")
    import graphviz_dl.race

    monkeypatch.setattr(graphviz_dl.race.csv, "writer", _DiskFillsUp)
    assert not lab.export_to("csv", str(target))
    assert target.read_text() == "the previous export\n"
    assert lab.status.text() == f"Could not write {target}: No space left on device"
    assert [p.name for p in tmp_path.iterdir()] == ["race.csv"]  # no leftovers


def test_a_failed_svg_export_keeps_the_old_file(lab, tmp_path, monkeypatch):
    from pyqtgraph.exporters import SVGExporter

    target = tmp_path / "race.svg"
    target.write_text("<svg>old</svg>")

    def broken(self, fileName=None, toBytes=False, copy=False):
        raise OSError("killed while drawing")

    monkeypatch.setattr(SVGExporter, "export", broken)
    assert not lab.export_to("svg", str(target))
    assert target.read_text() == "<svg>old</svg>"
    assert "killed while drawing" in lab.status.text()


def test_png_export_says_saved_only_when_a_picture_was_written(
    lab, tmp_path, monkeypatch
):
    target = tmp_path / "race.png"
    target.write_bytes(b"old picture")
    monkeypatch.setattr(QImage, "save", lambda self, *args: False)
    assert not lab.export_to("png", str(target))
    assert target.read_bytes() == b"old picture"
    status = lab.status.text()
    assert not status.startswith("Saved") and "PNG encoder could not write" in status
    missing = tmp_path / "no-such-folder" / "race.png"
    assert not lab.export_to("png", str(missing))
    assert "No such file or directory" in lab.status.text()
    monkeypatch.undo()
    assert lab.export_to("png", str(target))
    assert lab.status.text() == f"Saved {target}"
    assert QImage(str(target)).width() >= 800
