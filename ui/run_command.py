"""``graphviz-dl run FILE.py [--root NAME]``: run your own Python file, then explore it.

The file runs exactly as ``python FILE.py`` would run it: it is your code on
your machine, and the app executes it. (Programs typed into the app, lessons
and saved sessions never run code: they use the whitelist language.) The
explorer then opens on the variable named by ``--root``, or on what the file
passed to ``explore()``, or on the last value node it assigned at top level.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from graphviz_dl.interop import GraphImportError
from graphviz_dl.run_script import ScriptError, ScriptResult, run_file
from ui.app import add_view_options, parse_command_line, run_app


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphviz-dl run",
        description="Run FILE.py as `python FILE.py` would (it is your code: the "
        "app executes it), then open the graph explorer on its result.",
    )
    parser.add_argument("file", metavar="FILE.py", help="the Python file to run")
    parser.add_argument(
        "--root",
        metavar="NAME",
        help="the top-level variable to explore (default: what the file passed "
        "to explore(), else the last value node it assigned)",
    )
    add_view_options(parser)
    parser.epilog = "Arguments after -- are handed to the file as sys.argv[1:]."
    parser.set_defaults(program=None, example=None)
    return parser


def main(argv: Sequence[str]) -> int:
    """Run the file and open its graph; returns the exit code."""
    argv = list(argv)
    script_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parsed = parse_command_line(build_parser(), argv)
    if isinstance(parsed, int):
        return parsed
    args, size = parsed
    try:
        result = run_file(args.file, args.root, script_args)
    except (ScriptError, GraphImportError) as exc:
        message = exc.message if isinstance(exc, ScriptError) else str(exc)
        if args.screenshot:
            print(f"graphviz-dl run: {message}", file=sys.stderr)
            return 1
        return run_app(args, size, lambda window, _args: _show_error(window, message))
    return run_app(args, size, lambda window, _args: show_result(window, result))


def show_result(window, result: ScriptResult) -> str | None:
    """Load the script's graph into the explorer (its name is the output's)."""
    from ui.explore import show_graph

    show_graph(window, result.graph, result.name)
    window.setWindowTitle(f"{result.path} — graphviz-dl")
    return None


def _show_error(window, message: str) -> None:
    """The person's traceback, in the window, pointing at their line."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(window)
    box.setObjectName("scriptErrorDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Your file stopped with an error")
    box.setText("The file ran into an error, so there is no graph to show yet.")
    box.setDetailedText(message)
    box.setInformativeText(message.strip().splitlines()[-1])
    box.open()
    window.show_message(message.strip().splitlines()[-1], 0)
