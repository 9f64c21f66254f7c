"""The optimizer lab's 3-D view and its racers' internals.

Offscreen there is no OpenGL: the 3-D toggle must say so and stay in 2-D.
Under a real X server (Xvfb, when installed) a child process opens the lab
in 3-D mid-race and reports one path per racer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.optimizer_lab.surface_3d import NO_GL

RACERS = (
    ("sgd", {"lr": 0.001}),
    ("adam", {"lr": 0.05}),
    ("momentum", {"lr": 0.005}),  # leaves the surface at step 5
    ("rmsprop", {"lr": 0.01}),
)
ROOT = Path(__file__).resolve().parents[2]


def test_offscreen_the_3d_toggle_explains_and_stays_in_2d(lab, race, qtbot):
    race("rosenbrock", RACERS)
    lab.advance(40)
    switch = lab.view_switch
    switch.button.click()  # the button by the surface, as a person would
    assert switch.note.isVisible()
    assert switch.note.text() == NO_GL
    assert not switch.action.isChecked() and not switch.is_3d()
    assert switch.stack.currentWidget() is lab.surface_view
    assert lab.surface_3d.view is None  # nothing GL was even built
    lab.advance(5)  # racing on after the refusal is fine
    assert lab.set_view_3d(True) is False
    assert lab.model.steps == 45


def test_the_view_menu_offers_both_toggles(lab):
    actions = lab.menu_actions()["&View"]
    assert [a.objectName() for a in actions] == ["view3d", "showInternals"]
    assert all(a.isCheckable() for a in actions)


def test_internals_draw_step_size_ellipses_and_velocity_arrows(lab, race):
    model = race("rosenbrock", RACERS)
    lab.advance(3)
    view = lab.surface_view
    assert view.internals.drawn(1) == {"ellipse": 0, "velocity": 0}  # off
    lab.view_switch.internals_box.click()
    assert lab.view_switch.internals_action.isChecked()
    assert view.internals_visible()
    assert view.internals.drawn(0) == {"ellipse": 0, "velocity": 0}  # plain SGD
    assert view.internals.drawn(1)["ellipse"] > 10  # Adam: its ellipse
    assert view.internals.drawn(2)["velocity"] == 6  # momentum: shaft and barbs
    assert view.internals.drawn(3)["ellipse"] > 10  # RMSprop
    assert "step per unit ∇" in view.arrow_key.toHtml()
    lab.advance(10)  # momentum has blown up: nothing drawn at a head it has not
    assert model.run(2).diverged_at is not None
    assert view.internals.drawn(2) == {"ellipse": 0, "velocity": 0}
    lab.set_internals_visible(False)  # the View menu's toggle, the box follows
    assert not lab.view_switch.internals_box.isChecked()
    assert view.internals.drawn(1) == {"ellipse": 0, "velocity": 0}
    assert not view.arrow_key.isVisible()


def test_a_racers_row_shows_adams_bias_correction_fading(lab, race):
    race("rosenbrock", RACERS)
    lab.set_internals_visible(True)
    lab.advance(1)
    adam = lab.optimizer_list.rows[1]
    assert adam.internals.isVisibleTo(adam)
    assert "bias correction m\u00a0×10.0, v\u00a0×1000.0" in adam.internals.text()
    lab.advance(99)
    assert "t = 100" in adam.internals.text()
    assert "m\u00a0×1.0," in adam.internals.text()  # 1/(1 − 0.9¹⁰⁰)
    assert "v\u00a0×10.5" in adam.internals.text()  # 1/(1 − 0.999¹⁰⁰)
    sgd = lab.optimizer_list.rows[0]
    assert sgd.internals.text() == "" and not sgd.internals.isVisibleTo(sgd)
    lab.set_internals_visible(False)
    assert not adam.internals.isVisibleTo(adam)


CHILD = """
import json, sys, time
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from graphviz_dl.labs.optimizer import LabState, make_configs
from graphviz_dl.surfaces import get_surface
from ui.optimizer_lab.lab import OptimizerLab
lab = OptimizerLab(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
lab.resize(1280, 760)
lab.show()
surface = get_surface("rosenbrock")
lab.model.restore(LabState(surface, surface.start, make_configs(%r)))
lab.advance(30)
shown = lab.set_view_3d(True)
lab.surface_3d.ensure_relief()
lab.advance(30)
app.processEvents()
solid = lab.surface_3d
image = solid.view.grabFramebuffer()
paths = [len(p.pos) for p in solid.paths]
stopped = [lab.model.run(i).diverged_at for i in range(4)]
lab.select_surface("beale")  # a new surface: a new relief, the race restarts
solid.ensure_relief()
lab.advance(10)
after = [len(p.pos) for p in solid.paths]
lab.model.set_playing(True)  # live: the play loop's frames reach the 3-D paths
deadline = time.monotonic() + 60
while lab.model.steps < 40 and time.monotonic() < deadline:
    app.processEvents()
lab.model.set_playing(False)
app.processEvents()
lab.save_settings()
again = OptimizerLab(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
remembered = again.view_switch.is_3d()
again.shutdown()
print(json.dumps({
    "remembered": remembered,
    "shown": shown,
    "paths": paths,
    "after": after,
    "played": [lab.model.steps, len(solid.paths[1].pos)],
    "caption": solid.caption.text(),
    "heights": list(solid.relief.heights.shape),
    "stopped": stopped,
    "image": [image.width(), image.height()],
}))
lab.shutdown()
"""


def _child(command: list[str], platform: str) -> subprocess.CompletedProcess:
    """Run ``command`` from the repository root on the Qt ``platform``."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = platform
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    return subprocess.run(
        command,
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_lab_alone_asked_for_3d_offscreen_says_why_and_still_draws(tmp_path):
    shot = tmp_path / "shot.png"
    racers = ["--racer", "adam:lr=0.05", "--racer", "momentum:lr=0.005"]
    done = _child(
        [sys.executable, "-m", "ui.optimizer_lab", *racers, "--internals", "--3d"]
        + ["--steps", "20", "--screenshot", str(shot)],
        "offscreen",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert NO_GL in done.stderr
    assert shot.stat().st_size > 10_000


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is absent")
def test_under_xvfb_the_3d_view_shows_one_path_per_racer(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD % (RACERS,), encoding="utf-8")
    xvfb = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24"]
    done = _child(
        [*xvfb, sys.executable, str(script), str(tmp_path / "lab.ini")], "xcb"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["shown"] is True
    assert result["remembered"] is True  # opened again: in 3-D, as it was left
    assert len(result["paths"]) == len(RACERS)
    assert result["paths"][0] == 61  # start + 60 steps, every point on the surface
    assert result["stopped"][2] == 5
    assert 2 <= result["paths"][2] <= 6  # the diverged racer: its finite points only
    assert result["heights"] == [81, 81]
    assert result["after"][1] == 11  # Adam on Beale: start + 10 steps
    assert "Beale" in result["caption"]
    steps, drawn = result["played"]
    assert steps >= 40 and drawn == steps + 1  # Adam's path kept up with play
    assert result["image"][0] > 300
