"""Running children: a scratch home for their settings, their tagged lines,
their exit code, and whether they were still alive after the window closed."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXIT_SAID = "graphviz-dl: exit "
"""How the app's stderr line on leaving starts (``GRAPHVIZ_DL_SAY_EXIT``)."""
USUAL = "the usual way: "
GRACE = 2.0
"""A process still alive this long after its window closed is a hung exit."""


def scratch_env(folder: str | Path | None = None) -> dict[str, str]:
    """The environment for a child: offscreen, with HOME and the settings
    folder in ``folder`` (a new temporary one by default), this checkout first
    on the path."""
    folder = Path(folder or tempfile.mkdtemp(prefix="reliability-home-"))
    (folder / ".config").mkdir(parents=True, exist_ok=True)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(folder),
        "XDG_CONFIG_HOME": str(folder / ".config"),
        "PYTHONPATH": path,
        "OPENBLAS_NUM_THREADS": "1",
        "GRAPHVIZ_DL_SAY_EXIT": "1",  # how it left, on stderr (quick_exit)
    }


@dataclass
class ChildResult:
    """What one child did."""

    code: int | None
    seconds: float
    stderr: str
    lines: dict[str, list[dict]] = field(default_factory=dict)
    closed_at: float | None = None
    exit_after_close: float | None = None
    alive_after_close: bool = False
    timed_out: bool = False
    exit_said: str | None = None
    """How the app said it left ("at once", "the usual way: …"), if it did."""

    def first(self, tag: str) -> dict | None:
        found = self.lines.get(tag)
        return found[0] if found else None

    def exit_way(self) -> str | None:
        """None if the app left at once (``os._exit``), else why it did not:
        what the child's ``EXIT`` line or the app's own stderr line said, or
        that neither was heard."""
        said = self.first("EXIT")
        if said is not None:
            return None if said.get("quick") else str(said.get("why"))
        if self.exit_said is not None:
            way = self.exit_said
            return None if way == "at once" else way.removeprefix(USUAL)
        return f"no word on how it left (exit {self.code})"


def child_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.reliability.child", *args]


def run(
    command: list[str],
    env: dict[str, str],
    timeout: float = 120.0,
    close_tag: str = "CLOSE",
) -> ChildResult:
    """Run ``command`` to its end (killing it after ``timeout`` s), collecting
    its tagged stdout lines and timing its exit from the ``close_tag`` line."""
    with tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=err
        )
        result = ChildResult(None, 0.0, "")
        _follow(proc, result, start + timeout, close_tag)
        result.seconds = time.monotonic() - start
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    # the app's line on how it left is set aside: the last line of stderr
    # stays what the app said to the person
    lines = text.splitlines(keepends=True)
    said = [line.strip() for line in lines if line.startswith(EXIT_SAID)]
    result.exit_said = said[-1][len(EXIT_SAID) :] if said else None
    result.stderr = "".join(line for line in lines if not line.startswith(EXIT_SAID))
    return result


def _follow(proc, result: ChildResult, deadline: float, close_tag: str) -> None:
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    buffer = b""
    open_pipe = True
    while True:
        now = time.monotonic()
        if result.closed_at is not None and result.exit_after_close is None:
            if proc.poll() is not None:
                result.exit_after_close = now - result.closed_at
            elif now - result.closed_at > GRACE:
                result.alive_after_close = True
        if proc.poll() is not None and not open_pipe:
            break
        if now > deadline:
            result.timed_out = True
            proc.kill()
            proc.wait()
            break
        if not open_pipe:
            time.sleep(0.02)
            continue
        for key, _ in selector.select(timeout=0.05):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                open_pipe = False
                selector.unregister(proc.stdout)
                break
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            for line in complete:
                _take(line.decode("utf-8", "replace"), result, close_tag)
    result.code = proc.wait()
    if result.closed_at is not None and result.exit_after_close is None:
        result.exit_after_close = time.monotonic() - result.closed_at
    proc.stdout.close()


def _take(line: str, result: ChildResult, close_tag: str) -> None:
    tag, _, rest = line.partition(" ")
    if not tag.isupper():
        return
    try:
        fields = json.loads(rest) if rest else {}
    except json.JSONDecodeError:
        fields = {"text": rest}
    result.lines.setdefault(tag, []).append(fields)
    if tag == close_tag and result.closed_at is None:
        result.closed_at = time.monotonic()


def parallel(jobs: list, workers: int = 2) -> list:
    """Run the zero-argument callables ``jobs``, ``workers`` at a time, in order."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda job: job(), jobs))
