"""A short version of every reliability check (``graphviz-dl bench reliability``).

Each check runs in child processes, exactly as the bench runs it, all of them
two at a time from one fixture (about half a minute on an idle machine); the
tests then assert the goals on counts, never on speed: no non-zero exit, a
quit that leaves at once (nothing left running or unwritten when the window
closed), no exception logged in a soak, no torn file after a kill, an app that
survives bad settings and names the file, a program error that names file,
line and column.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from benchmarks.reliability import (
    corrupt_files,
    corrupt_settings,
    exits,
    kills,
    procs,
    soak,
)

LABS = exits.LABS
SOAK_LAB = "optimizers"
EXPLORER_CLOSE = 0.2
"""The explorer's close comes within this long after the window shows (at
0.05 s with this seed): inside the 10,000-node load, which takes about a
quarter of a second on an idle machine and longer on a busy one."""
HUNG = 10.0
"""A process still alive this long after its window closed is hung. It is
five times the bench's goal (2 s): a loaded 2-core machine stretches a quick
exit to a second or two, but only a hang (a thread never joined) reaches it."""


@pytest.fixture(scope="module")
def children() -> dict:
    """Every child of the short version, run two at a time (longest first)."""
    folder = Path(tempfile.mkdtemp(prefix="reliability-test-"))
    program = folder / "nul.txt"
    program.write_bytes(corrupt_files.program_content("NUL bytes"))
    jobs = {
        "soak": lambda: soak.soak_one(SOAK_LAB, 12.0, every=1.5, seed=1),
        "kill app": lambda: kills.kill_kind("training-csv", 5, seed=1),
        "kill control": lambda: kills.kill_kind("plain-control", 5, seed=1),
        "kill session": lambda: kills.kill_kind("session-app", 5, seed=1),
        "settings": lambda: corrupt_settings.start_on(
            "training-lab.ini", "out of range"
        ),
        "garbage settings": lambda: corrupt_settings.start_on(
            "optimizer-lab.ini", "binary"
        ),
        "program": lambda: corrupt_files.run_program(program, folder),
    }
    for lab in LABS:
        jobs[f"shots {lab}"] = lambda lab=lab: exits.screenshot_runs(lab, 2, 1)
        longest = EXPLORER_CLOSE if lab == "explorer" else None
        jobs[f"quit {lab}"] = lambda lab=lab, longest=longest: exits.quit_runs(
            lab, 1, seed=3, workers=1, longest=longest
        )
    results = procs.parallel(list(jobs.values()), workers=2)
    return dict(zip(jobs, results, strict=True))


@pytest.mark.parametrize("lab", LABS)
def test_each_labs_screenshot_exits_zero(children, lab):
    for run in children[f"shots {lab}"]:
        assert run.code == 0, run.stderr[-1500:]
        # the app's own entry point says how it left: at once
        assert run.exit_said is not None, run.stderr[-1500:]
        assert run.exit_way() is None, run.exit_said


@pytest.mark.parametrize("lab", LABS)
def test_quitting_during_long_work_exits_zero_and_at_once(children, lab):
    (run,) = children[f"quit {lab}"]
    assert run.closed_at is not None, run.stderr[-1500:]
    assert run.first("CLOSE")["busy"], "the work had finished before the close"
    assert run.code == 0, run.stderr[-1500:]
    # at once: when the window had closed every job was joined, no thread was
    # left and the settings were written, so nothing held the process up
    assert run.first("EXIT") == {"quick": True, "why": None}, run.stderr[-1500:]
    assert run.exit_said == "at once"  # the app's own line agrees
    assert run.exit_after_close < HUNG, run.stderr[-1500:]


def test_a_short_soak_logs_no_exception(children):
    run = children["soak"]
    figures = run.first("SOAK")
    assert figures is not None and run.code == 0, run.stderr[-1500:]
    final = run.first("EXCEPTIONS")
    assert final["exceptions"] == 0 and final["qt_criticals"] == 0, final["first"]
    assert figures["changes"] >= 3


def test_a_save_killed_at_random_leaves_an_old_or_new_file(children):
    for name in ("kill app", "kill session"):
        figures = children[name].first("KILLS")
        assert figures is not None, children[name].stderr[-1500:]
        assert "error" not in figures, figures
        assert figures["rounds"] == 5 and figures["torn"] == 0, figures


def test_the_kill_check_does_see_a_torn_file(children):
    """The control: a plain write killed at random is caught torn."""
    figures = children["kill control"].first("KILLS")
    assert figures is not None and figures["torn"] >= 1, figures


def test_bad_settings_keep_the_app_alive_and_are_named(children):
    run = children["settings"]
    seen = run.first("SETTINGS")
    assert seen is not None and run.code == 0, run.stderr[-1500:]
    assert seen["labs"] == 3
    said = " ".join(seen["messages"])
    assert "training-lab.ini" in said and "n_points" in said


def test_a_settings_file_of_binary_bytes_is_named_and_replaced(children):
    run = children["garbage settings"]
    seen = run.first("SETTINGS")
    assert seen is not None and run.code == 0, run.stderr[-1500:]
    assert seen["labs"] == 3
    assert "optimizer-lab.ini: is not a settings file" in " ".join(seen["messages"])


def test_a_bad_program_file_is_named_with_line_and_column(children):
    code, said, _seconds = children["program"]
    assert code == 2
    assert "nul.txt" in said and "Line 2, column" in said, said


def test_a_program_file_that_is_not_utf8_says_where(window, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(corrupt_files.program_content("not UTF-8"))
    assert not window.open_program(path)
    said = window.statusBar().currentMessage()
    assert "latin1.txt" in said and "line 2, column 13" in said, said
