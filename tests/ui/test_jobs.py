"""The one background-job mechanism: results, supersession, cancel, progress, join."""

from __future__ import annotations

import threading
import time

import pytest

from ui.common.jobs import JobCancelled, JobRunner, shutdown_all


@pytest.fixture
def runner(qtbot):
    made = JobRunner()
    yield made
    made.shutdown()


def test_a_result_comes_back_in_the_gui_thread(qtbot, runner):
    got = []
    gui = threading.get_ident()
    runner.submit(
        lambda job: threading.get_ident(),
        lambda t: got.append((t, threading.get_ident())),
    )
    qtbot.waitUntil(lambda: bool(got))
    worker_thread, delivered_in = got[0]
    assert worker_thread != gui and delivered_in == gui
    assert not runner.busy


def test_a_superseded_result_is_dropped(qtbot, runner):
    release = threading.Event()
    got = []

    def slow(job):
        release.wait(5)
        return "old"

    runner.submit(slow, got.append)
    runner.submit(lambda job: "new", got.append)
    release.set()
    qtbot.waitUntil(lambda: bool(got))
    runner.wait()
    qtbot.wait(20)
    assert got == ["new"]


def test_cancel_stops_a_cooperative_job_and_drops_its_result(qtbot, runner):
    started = threading.Event()
    stopped = []
    got = []

    def loop(job):
        started.set()
        while True:
            try:
                job.check()
            except JobCancelled:
                stopped.append(True)
                raise
            time.sleep(0.001)

    runner.submit(loop, got.append)
    assert started.wait(5)
    assert runner.busy
    assert runner.cancel()
    assert runner.wait(5000)
    qtbot.wait(20)
    assert stopped == [True] and got == [] and not runner.busy


def test_progress_and_failure_reach_the_gui(qtbot, runner):
    fractions = []
    errors = []
    runner.progressed.connect(fractions.append)

    def work(job):
        job.progress(0.5)
        raise ValueError("bad input")

    runner.submit(work, failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert fractions == [0.5]
    assert isinstance(errors[0], ValueError)


def test_jobs_submitted_without_supersede_run_in_order(qtbot, runner):
    got = []
    for k in range(5):
        runner.submit(lambda job, k=k: k, got.append, supersede=False)
    qtbot.waitUntil(lambda: len(got) == 5)
    assert got == [0, 1, 2, 3, 4]


def test_shutdown_all_joins_running_work_and_refuses_more(qtbot):
    runner = JobRunner()
    started = threading.Event()
    finished = threading.Event()

    def loop(job):
        started.set()
        while not job.cancelled():
            time.sleep(0.001)
        finished.set()

    runner.submit(loop)
    assert started.wait(5)
    assert shutdown_all(5000)
    assert finished.is_set()
    assert runner.submit(lambda job: 1) is None
