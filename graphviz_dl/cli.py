"""The Qt-free command line: ``graphviz-dl dot|steps|race|bench …``.

Each command lives in ``graphviz_dl.commands.<name>`` with ``add_arguments`` and
``run``; it is imported only when asked for, so one command's import cost or
failure never touches another.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence

COMMANDS = {
    "dot": "print a program's computational graph as Graphviz DOT",
    "steps": "print a program's forward and backward walkthrough, one step a line",
    "race": "race optimizers across a 2-D loss surface and print the results",
    "bench": "measure speed and memory against the named peer",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="graphviz-dl")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    name = argv[0] if argv and argv[0] in COMMANDS else None
    for command, help_text in COMMANDS.items():
        command_parser = sub.add_parser(command, help=help_text, description=help_text)
        if command == name:
            _module(command).add_arguments(command_parser)
    args = parser.parse_args(_attach_negative_values(argv))
    from .commands.streams import run_with_guarded_output

    return run_with_guarded_output(
        args.command, lambda: int(_module(args.command).run(args) or 0)
    )


_NEGATIVE_VALUE = re.compile(r"^-\.?\d")


def _attach_negative_values(argv: list[str]) -> list[str]:
    """``--start -1.5,2`` → ``--start=-1.5,2``: argparse would take ``-1.5,2`` for an
    option (it only knows plain negative numbers), though a person means a value."""
    joined: list[str] = []
    for arg in argv:
        if (
            joined
            and joined[-1].startswith("--")
            and "=" not in joined[-1]
            and _NEGATIVE_VALUE.match(arg)
        ):
            joined[-1] = f"{joined[-1]}={arg}"
        else:
            joined.append(arg)
    return joined


def _module(command: str):
    return importlib.import_module(f"graphviz_dl.commands.{command}")


if __name__ == "__main__":
    sys.exit(main())
