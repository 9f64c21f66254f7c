"""``graphviz-dl bench all --quick`` runs every benchmark, so a broken one is noticed.

It runs in a fresh process, as a person would run it, with micrograd hidden
(it is only in the ``bench`` extra, so CI may not have it): every area must
still print its table, and say the peer is missing instead of failing. No
timing is asserted.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

HIDE_MICROGRAD = textwrap.dedent(
    """
    import sys
    from graphviz_dl import cli
    from graphviz_dl.bench import engine, harness

    harness.micrograd_available = lambda: False
    engine.micrograd_available = lambda: False
    sys.exit(cli.main(["bench", "all", "--quick"]))
    """
)

HEADERS = [
    "── engine · peer: micrograd",
    "measurement (median)",  # the engine's table
    "README expression ×50: build + backward",
    "── surfaces · peer:",
    "Surface grids, 400×400",
    "── compile · peer:",
    "1. One training step",
    "hand-written numpy (matrix form)",
    "2. A 40×40 surface over two leaves",
    "── training · peer: none",
    "One epoch, MLP(2, [16, 16, 1])",
    "── folding · peer:",
    "grouped op-by-op MLP",
    "── language · peer: Python's ast.parse",
    "Typed programs: parse + build + walkthrough",
    "cost per line at 2,000 lines",
]


def test_every_benchmark_runs_at_quick_sizes_without_micrograd():
    done = subprocess.run(
        [sys.executable, "-c", HIDE_MICROGRAD],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=Path(__file__).resolve().parents[2],  # this checkout's graphviz_dl
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for header in HEADERS:
        assert header in out, header
    assert 'install it with: pip install -e ".[bench]"' in out
    assert "micrograd failed" not in out and "ours failed" not in out
