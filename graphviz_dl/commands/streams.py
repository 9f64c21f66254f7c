"""Reading a program and writing text output, safely, for every command.

* A program is read up to the language's size limit and one character more,
  never whole: a 200 MB file or ``/dev/zero`` is refused after 500,000
  characters instead of filling memory.
* Output to a closed pipe (``graphviz-dl steps … | head -1``) ends the command
  quietly, the way Unix tools stop when their reader has seen enough; a full
  disk (``> /dev/full``) is one line on stderr. Neither prints a traceback,
  at the moment of writing or when Python flushes at exit.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable

from ..language.errors import MAX_CHARS

STDIN = "-"
_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


class ProgramTooLong(ValueError):
    """The program has more characters than the language accepts."""


def read_program_text(file: str, limit: int = MAX_CHARS) -> str:
    """The text of ``file`` (``-``: standard input), at most ``limit`` characters.

    Raises :class:`ProgramTooLong` when there is more, having read only
    ``limit + 1`` characters; ``OSError``/``UnicodeDecodeError`` as ``open``
    and ``read`` do.
    """
    if file == STDIN:
        text = sys.stdin.read(limit + 1)
    else:
        with open(file, encoding="utf-8-sig") as handle:
            text = handle.read(limit + 1)
    if len(text) > limit:
        raise ProgramTooLong(
            f"the program is too long (more than {limit:,} characters, the limit)"
        )
    return text


def run_with_guarded_output(command: str, run: Callable[[], int]) -> int:
    """``run()``'s exit code, with a closed pipe or a full disk on stdout
    turned into a quiet exit (1) or a one-line message (1)."""
    try:
        code = run()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _discard_stdout()
        return 1
    except OSError as error:
        if error.errno not in _FULL:
            raise
        _discard_stdout()
        reason = error.strerror or str(error)
        print(
            f"graphviz-dl {command}: cannot write the output: {reason}", file=sys.stderr
        )
        return 1


def _discard_stdout() -> None:
    """Point stdout at the null device, so the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        # Not a real file (a test's capture): nothing will be flushed at exit.
        pass
