"""The text commands read at most what they accept and stop cleanly when output fails.

Each case runs the real command line in a subprocess, as a person's shell would.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphviz_dl.expr import MAX_CHARS

ROOT = Path(__file__).resolve().parents[2]
LOOP = "s = Value(0.0)\nfor i in range(3000):\n    s += Value(1.0) * i\n"
"""A program whose steps and DOT text are far larger than a pipe's buffer."""


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "graphviz_dl.cli", *args]


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(*args),
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


@pytest.fixture
def loop_program(tmp_path) -> Path:
    path = tmp_path / "loop.txt"
    path.write_text(LOOP, encoding="utf-8")
    return path


def test_a_file_over_the_limit_is_refused_with_a_message(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("x = 1.0\n" + "#" * (3 * MAX_CHARS), encoding="utf-8")
    result = run("dot", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert f"{path}: the program is too long (more than {MAX_CHARS:,}" in result.stderr
    no_traceback(result.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("source", ["file", "stdin"])
def test_an_endless_input_is_refused_after_the_limit(source):
    if source == "file":
        result = run("dot", "/dev/zero")
    else:
        with open("/dev/zero", "rb") as zeros:
            result = run("steps", "-", stdin=zeros)
    assert result.returncode == 1
    assert "too long" in result.stderr and "MemoryError" not in result.stderr
    no_traceback(result.stderr)


@pytest.mark.parametrize(
    "args",
    [("steps", "{program}"), ("dot", "{program}"), ("race", "--steps", "300")],
    ids=["steps", "dot", "race"],
)
def test_a_closed_pipe_ends_the_command_quietly(args, loop_program):
    args = [arg.format(program=loop_program) for arg in args]
    process = subprocess.Popen(
        command(*args), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    first = process.stdout.readline()  # like `| head -1`
    process.stdout.close()
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert first and code in (0, 1)
    no_traceback(stderr)
    assert stderr == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [("steps", "{program}"), ("dot", "{program}"), ("race", "--steps", "10")],
    ids=["steps", "dot", "race"],
)
def test_a_full_disk_is_one_line_on_stderr(args, loop_program):
    args = [arg.format(program=loop_program) for arg in args]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            command(*args),
            check=False,
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], result.stderr
    assert lines[0].startswith(f"graphviz-dl {args[0]}: cannot write the output")
