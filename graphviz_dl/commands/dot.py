"""``graphviz-dl dot FILE``: a program's graph as Graphviz DOT, gradients filled in.

Pipe it into Graphviz for a slide: ``graphviz-dl dot net.txt | dot -Tsvg > net.svg``.
A program that does not parse is reported as ``FILE:line:col: message`` on
stderr with exit status 1, the form editors and compilers use.
"""

from __future__ import annotations

import argparse
import sys

from ..engine import Value
from ..expr import ExpressionError, parse
from .streams import STDIN, ProgramTooLong, read_program_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The program to draw, and whether to backpropagate first."""
    add_program_arguments(parser)
    parser.add_argument(
        "--forward-only",
        action="store_true",
        help="draw the graph before backpropagation (every grad 0)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the DOT text; 1 if the program cannot be read or parsed."""
    root = read_program(args)
    if root is None:
        return 1
    if not args.forward_only:
        root.backward()
    from ..dot import to_dot

    sys.stdout.write(to_dot(root))
    return 0


def add_program_arguments(parser: argparse.ArgumentParser) -> None:
    """The program to read: a file, ``-`` for standard input, or a gallery example."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "file", nargs="?", metavar="FILE", help="program file, or - for standard input"
    )
    source.add_argument(
        "--example", metavar="NAME", help="a gallery example instead of a file"
    )


def read_program(args: argparse.Namespace) -> Value | None:
    """The output node of the chosen program, or None after reporting on stderr."""
    if args.example is not None:
        from ..gallery import get_example

        try:
            example = get_example(args.example)
        except KeyError as error:
            print(error.args[0], file=sys.stderr)
            return None
        name, text = args.example, example.source
    else:
        name = "<stdin>" if args.file == STDIN else args.file
        try:
            text = read_program_text(args.file)
        except ProgramTooLong as error:
            print(f"{name}: {error}", file=sys.stderr)
            return None
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            print(f"{name}: cannot read: {reason}", file=sys.stderr)
            return None
    try:
        values = parse(text)
    except ExpressionError as error:
        print(f"{name}:{error.line}:{error.col}: {error.message}", file=sys.stderr)
        return None
    return list(values.values())[-1]
