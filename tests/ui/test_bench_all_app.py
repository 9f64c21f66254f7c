"""``graphviz-dl bench all`` ends with the explorer's and the optimizer lab's
tables (they need Qt, so the app's entry point adds them); at quick sizes here
so a benchmark that breaks is noticed. No timing is asserted."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ONLY_THE_APPS = textwrap.dedent(
    """
    import sys
    from graphviz_dl.commands import bench
    from ui import cli

    bench.TARGETS.clear()  # the core's areas are run by tests/core/test_bench_all.py
    sys.exit(cli.main(["bench", "all", "--quick"]))
    """
)


def test_bench_all_prints_the_explorer_and_lab_tables():
    done = subprocess.run(
        [sys.executable, "-c", ONLY_THE_APPS],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for header in (
        "── explorer · peer: none",
        "goals: 2,000 nodes ≤ 0.3 s and 10,000 ≤ 1 s to the end",
        "one step's redraw (folded, whole graph)",
        "── lab · peer: none",
        "race of 8 optimizers",
        "300×300 grid + contours on screen",
    ):
        assert header in out, header
