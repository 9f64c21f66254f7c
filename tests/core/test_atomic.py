"""Saves never destroy the file they replace."""

import os
import time

import pytest

from graphviz_dl.atomic import atomic_path, atomic_write_bytes, atomic_write_text


def test_text_is_written_and_replaces_the_old_file(tmp_path):
    target = tmp_path / "program.txt"
    target.write_text("old")
    atomic_write_text(target, "new ∂")
    assert target.read_text(encoding="utf-8") == "new ∂"
    assert [p.name for p in tmp_path.iterdir()] == ["program.txt"]


def test_a_failure_midway_keeps_the_old_content(tmp_path):
    target = tmp_path / "race.csv"
    target.write_text("a,b\n1,2\n")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("a,b\n1,")
        raise RuntimeError("killed")
    assert target.read_text() == "a,b\n1,2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["race.csv"]


def test_a_writer_that_writes_nothing_is_an_error_not_a_success(tmp_path):
    target = tmp_path / "graph.svg"
    target.write_text("<svg/>")
    with pytest.raises(OSError, match="nothing was written"), atomic_path(target):
        pass  # e.g. an encoder that silently failed
    assert target.read_text() == "<svg/>"


def test_an_unwritable_folder_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        atomic_write_bytes(tmp_path / "missing" / "x.bin", b"1")


@pytest.mark.skipif(os.name != "posix", reason="permission bits")
def test_the_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("x")
    os.chmod(target, 0o640)
    atomic_write_text(target, "y")
    assert (target.stat().st_mode & 0o777) == 0o640


def test_parts_left_by_a_killed_write_are_cleared_by_the_next(tmp_path):
    target = tmp_path / "session.json"
    stale = tmp_path / ".session.json.abc123.part"
    fresh = tmp_path / ".session.json.def456.part"  # another write under way
    stale.write_text("half")
    fresh.write_text("half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    atomic_write_text(target, "whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".session.json.def456.part",
        "session.json",
    ]
