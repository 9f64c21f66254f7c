"""The ``graphviz-dl`` entry point: core commands go to the Qt-free CLI, the rest opens the app.

Qt is imported only when the app is really started, so ``graphviz-dl dot`` and
friends work on a machine with no display and start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# Small matrices and a GUI thread beside a worker: threaded BLAS only adds contention
# (a 16×16 layer over a grid measured 100× slower with it). Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from graphviz_dl import cli as core_cli


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch ``argv`` (default: the process arguments); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"] and argv[1:2] in (["explorer"], ["lab"], ["reliability"]):
        return _run_ui_bench(argv[1], argv[2:])
    if argv[:2] == ["bench", "all"]:
        return _bench_all(argv)
    if argv[:1] == ["run"]:
        from ui.run_command import main as run_main

        return run_main(argv[1:])
    if argv[:1] == ["open"]:
        from ui.open_command import main as open_main

        return open_main(argv[1:])
    if argv and argv[0] in core_cli.COMMANDS:
        return core_cli.main(argv)
    from ui.app import main as app_main

    return app_main(argv)


UI_BENCHES = {
    "explorer": (
        "none: its goals are absolute (seconds to load, ms per step)",
        ["--repeat", "1", "--steps", "20"],
    ),
    "lab": (
        "none: its goals are absolute (frames per second, ms to a new surface)",
        ["--frames", "20", "--history", "200", "--repeats", "2"],
    ),
}
"""The areas ``bench all`` adds after the core's: their peer, and the
arguments ``--quick`` gives them. (``bench reliability`` takes minutes even
when quick, so it is run on its own.)"""


def _bench_all(argv: list[str]) -> int:
    """Every area's table: the core's, then the explorer's and the lab's."""
    from graphviz_dl.commands.bench import print_banner

    code = core_cli.main(argv)
    quick = "--quick" in argv
    for target, (peer, quick_args) in UI_BENCHES.items():
        print()
        print_banner(target, peer)
        code = _run_ui_bench(target, quick_args if quick else []) or code
    return code


def _run_ui_bench(target: str, argv: list[str]) -> int:
    """The benchmarks that need Qt live in ``ui``; the core ``bench`` cannot import it."""
    if target == "explorer":
        from benchmarks.explorer import main as bench_main
    elif target == "reliability":
        from benchmarks.reliability.cli import main as bench_main
    else:
        from benchmarks.optimizer_lab import main as bench_main
    return int(bench_main(argv) or 0)


def run() -> None:
    """The program itself (the ``graphviz-dl`` script, ``python -m ui.cli``):
    :func:`main`, then out of the process at once once the window has closed
    and everything is written (``ui.common.quick_exit``). Code that calls the
    app in-process (tests, notebooks) calls :func:`main` and carries on."""
    code = main()
    if "ui.common.quick_exit" not in sys.modules:
        sys.exit(code)  # no window was opened: the usual exit is quick
    from ui.common.quick_exit import leave

    leave(code)


if __name__ == "__main__":
    run()
