"""``graphviz-dl open SESSION.gdl.json``: a saved session or a teacher's lesson.

A session file holds the program as text of the whitelist language, so opening
one never runs code, whoever wrote it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from graphviz_dl.session import SessionError, read_session
from ui.app import add_view_options, parse_command_line, run_app


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphviz-dl open",
        description="Open a saved session or lesson: its program, step, tab and "
        "each lab's settings. The options below override the file's step.",
    )
    parser.add_argument("file", metavar="SESSION", help="a .gdl.json session file")
    add_view_options(parser)
    parser.set_defaults(program=None, example=None)
    return parser


def main(argv: Sequence[str]) -> int:
    """Open the session in the app (or render it); returns the exit code."""
    parsed = parse_command_line(build_parser(), argv)
    if isinstance(parsed, int):
        return parsed
    args, size = parsed
    try:
        session = read_session(args.file)
    except SessionError as exc:
        print(f"graphviz-dl open: {exc}", file=sys.stderr)
        return 2
    args.lab = session.lab

    def open_content(window, _args) -> str | None:
        from ui.common.sessions import apply_session

        opened = apply_session(window, session, args.file)
        for problem in opened.problems:
            print(f"graphviz-dl open: {problem}", file=sys.stderr)
        if opened.refused:
            return str(SessionError(args.file, "program", opened.refused))
        return None

    return run_app(args, size, open_content, all_labs=bool(session.labs))
