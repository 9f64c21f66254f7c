"""The app always exits cleanly: screenshots in fresh processes, a close
mid-load, and a quick exit that leaves nothing unwritten.

A crash at exit that happens one time in ten is a crash, so each lab's
screenshot runs several times, each in a process of its own, exactly as a
person (or the README's pictures) would start it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer

from benchmarks.reliability import procs
from ui.app import main
from ui.common import jobs, quick_exit

ROOT = Path(__file__).resolve().parents[2]

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


def _leave_in_a_child(body: str, tmp_path) -> subprocess.CompletedProcess:
    """Run ``body`` then ``quick_exit.leave(3)`` in a fresh process, after a
    window was closed with every job joined; stdout says how it left."""
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QSettings, QTemporaryDir
        from PySide6.QtWidgets import QApplication
        from ui.common import quick_exit
        app = QApplication([])
        folder = sys.argv[1]
        """
    )
    script += textwrap.dedent(body)
    script += textwrap.dedent(
        """
        quick_exit.window_closed(True)
        quick_exit.leave(3, lambda why: print("why:", why, flush=True))
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    return subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_leaving_at_once_still_writes_settings_flushes_files_and_removes_scratch(
    tmp_path,
):
    done = _leave_in_a_child(
        """
        store = QSettings(folder + "/app.ini", QSettings.Format.IniFormat)
        store.setValue("kept", "yes")  # never synced: a destructor's job
        log = open(folder + "/log.txt", "w")
        log.write("the last line")  # still in the buffer
        scratch = QTemporaryDir(folder + "/scratch-XXXXXX")
        open(scratch.filePath("lab.ini"), "w").close()
        """,
        tmp_path,
    )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "why: None" in done.stdout  # it did leave at once
    assert "kept=yes" in (tmp_path / "app.ini").read_text()
    assert (tmp_path / "log.txt").read_text() == "the last line"
    assert not list(tmp_path.glob("scratch-*"))


def test_settings_that_cannot_be_written_mean_the_usual_exit(tmp_path):
    (tmp_path / "not-a-folder").write_text("a file where a folder should be")
    done = _leave_in_a_child(
        """
        store = QSettings(folder + "/not-a-folder/app.ini", QSettings.Format.IniFormat)
        store.setValue("kept", "yes")
        """,
        tmp_path,
    )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "why: " in done.stdout and "app.ini could not be written" in done.stdout


def test_no_quick_exit_while_work_runs_or_a_tool_watches(monkeypatch):
    monkeypatch.setattr(quick_exit, "_state", {"closed": False, "joined": False})
    assert quick_exit.why_not_now() == "the window was not closed"
    quick_exit.window_closed(joined=False)
    assert quick_exit.why_not_now() == "a background job did not stop in time"
    quick_exit.window_closed(joined=True)
    release = threading.Event()
    worker = threading.Thread(target=release.wait, name="still-saving")
    worker.start()
    try:
        assert "still-saving" in (quick_exit.why_not_now() or "")
    finally:
        release.set()
        worker.join()
    monkeypatch.setattr(sys, "gettrace", lambda: print)
    assert "tracer" in (quick_exit.why_not_now() or "")


def test_a_quit_during_training_leaves_at_once_with_its_settings_written(tmp_path):
    command = procs.child_command("quit", "--lab", "training", "--delay", "0.5")
    run = procs.run(command, procs.scratch_env(tmp_path), timeout=120)
    assert run.code == 0, run.stderr[-2000:]
    assert run.first("EXIT") == {"quick": True, "why": None}, run.stderr[-2000:]
    folder = tmp_path / ".config" / "graphviz-dl"
    assert "geometry" in (folder / "graphviz-dl.conf").read_text()
    assert "spiral" in (folder / "training-lab.ini").read_text()
