"""The optimizer lab lets go of everything on shutdown, and its picture run
exits cleanly (issue 18: a crash at exit in about half the runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_shutdown_stops_the_race_and_joins_the_grid_job(lab, gated_surface):
    gate, surface = gated_surface
    lab.model.set_playing(True)
    lab.show_surface(surface, (0.5, 0.5))
    assert gate.entered.wait(10)
    assert lab.surface_view.grid_busy()
    lab.model.set_playing(True)
    assert lab.timer.isActive()
    gate.release.set()
    lab.shutdown()
    view = lab.surface_view
    assert not lab.timer.isActive() and not lab.model.playing
    assert not view.grid_busy() and not view._range_timer.isActive()
    assert view.jobs.wait(0)  # no thread is working
    assert view.jobs.submit(lambda job: None) is None  # and none will start
    assert not view.progress_box.isVisible()


@pytest.mark.parametrize("surface", ["beale", "linear-regression-mse"])
def test_the_standalone_screenshot_exits_cleanly(tmp_path, surface):
    shot = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _ in range(3):  # the crash came in about half the runs
        done = subprocess.run(
            [sys.executable, "-m", "ui.optimizer_lab", "--surface", surface]
            + ["--steps", "30", "--screenshot", str(shot)],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert shot.stat().st_size > 10_000
