"""The app always exits cleanly: screenshots in fresh processes, and a close mid-load.

A crash at exit that happens one time in ten is a crash, so each lab's
screenshot runs several times, each in a process of its own, exactly as a
person (or the README's pictures) would start it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QThreadPool, QTimer

from ui.app import main
from ui.common import jobs

RUNS = 3
LABS = {
    "explorer": ["--example", "rnn", "--step", "-1"],
    "optimizers": ["--lab", "optimizers", "--surface", "beale", "--steps", "30"],
    "training": ["--lab", "training", "--dataset", "xor", "--epochs", "2"],
}


@pytest.mark.parametrize("run", range(RUNS))
@pytest.mark.parametrize("lab", sorted(LABS))
def test_each_labs_screenshot_process_exits_zero(tmp_path, lab, run):
    out = tmp_path / f"{lab}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", *LABS[lab], "--screenshot", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.stat().st_size > 10_000


def test_closing_the_window_while_a_big_program_loads_ends_the_app(
    tmp_path, qapp, clean_settings
):
    program = tmp_path / "big.txt"
    lines = ["x0 = 0.5"] + [
        f"x{i} = tanh(x{i - 1} * 1.01 + 0.1)" for i in range(1, 3000)
    ]
    program.write_text("\n".join(lines), encoding="utf-8")
    seen = {}

    def close_mid_load() -> None:
        shown = [
            w
            for w in qapp.topLevelWidgets()
            if w.objectName() == "MainWindow" and w.isVisible()
        ]
        if not shown:  # the window is not up yet
            QTimer.singleShot(5, close_mid_load)
            return
        seen["busy"] = shown[0].loader.busy
        shown[0].close()

    QTimer.singleShot(0, close_mid_load)
    assert main([str(program)]) == 0
    assert seen["busy"], "the load was still under way when the window closed"
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    assert jobs.wait_all(0)


def test_a_screenshot_that_cannot_be_written_says_why(tmp_path, capsys, clean_settings):
    out = tmp_path / "no-such-folder" / "shot.png"
    code = main(["--example", "chain-rule", "--screenshot", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "could not write" in err and "No such file or directory" in err
    assert not out.parent.exists()
