"""``graphviz-dl steps FILE``: the forward and backward walkthrough, one step a line.

Each line is the step's number, its phase and its text, for instance
``9  backward  ∂L/∂a += ∂L/∂b · ∂b/∂a = −3.5 × 2.0 = −7.0, where ∂b/∂a = x`` —
ready to paste onto a slide. Errors are reported as for ``dot``.
"""

from __future__ import annotations

import argparse
import sys

from .dot import add_program_arguments, read_program


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The program to walk through: a file, ``-`` or ``--example NAME``."""
    add_program_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print every step; 1 if the program cannot be read or parsed."""
    root = read_program(args)
    if root is None:
        return 1
    from ..walkthrough import walkthrough

    steps = walkthrough(root).steps
    width = len(str(len(steps)))
    phase_width = max((len(step.phase) for step in steps), default=0)
    for number, step in enumerate(steps, 1):
        sys.stdout.write(
            f"{number:>{width}}  {step.phase:<{phase_width}}  {step.text}\n"
        )
    return 0
