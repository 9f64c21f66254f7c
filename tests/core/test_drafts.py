"""Typed text survives a crash: drafts of runs that ended badly are offered back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from graphviz_dl.drafts import DraftStore

CHILD = """
import sys, time
from graphviz_dl.drafts import DraftStore
DraftStore(sys.argv[1]).save('x = 2.0  # typed, never saved\\n')
print('saved', flush=True)
time.sleep(60)
"""


def test_a_draft_of_a_killed_process_is_offered_back(tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "saved"
    store = DraftStore(tmp_path)
    assert store.left_over() == []  # its process still runs: not ours to offer
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    drafts = store.left_over()
    assert [d.text for d in drafts] == ["x = 2.0  # typed, never saved\n"]
    store.forget(drafts[0])
    assert store.left_over() == []


def test_quitting_normally_leaves_nothing_and_own_drafts_are_not_offered(tmp_path):
    store = DraftStore(tmp_path)
    assert store.save("a = 1.0\n")
    assert not store.save("a = 1.0\n")  # unchanged: no write
    assert store.path.read_text() == "a = 1.0\n"
    assert store.left_over() == []
    store.discard()
    assert list(tmp_path.iterdir()) == []


def test_an_emptied_editor_removes_the_draft(tmp_path):
    store = DraftStore(tmp_path, pid=999_999_999)
    store.save("b = 2.0\n")
    store.save("   \n")
    assert not store.path.exists()
