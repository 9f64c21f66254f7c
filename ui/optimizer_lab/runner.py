"""``python -m ui.optimizer_lab``: the optimizer lab alone, or a picture of it."""

from __future__ import annotations

import argparse
import sys

from graphviz_dl.expr import ExpressionError
from graphviz_dl.labs.optimizer import PRESETS
from ui.common.standalone import add_screenshot_option, run_standalone
from ui.optimizer_lab.lab import OptimizerLab


def main(argv: list[str] | None = None) -> int:
    """Open the lab alone in a window, or render it to a PNG (``--screenshot``)."""
    parser = argparse.ArgumentParser(prog="python -m ui.optimizer_lab")
    parser.add_argument("--surface", help="a built-in surface name or f(x, y) = …")
    parser.add_argument("--steps", type=int, default=0, help="race steps to take first")
    parser.add_argument("--arrows", action="store_true", help="draw velocity and −∇f")
    parser.add_argument("--preset", help="a preset race, by its title")
    add_screenshot_option(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def prepare(lab: OptimizerLab) -> None:
        try:
            if args.surface:
                lab.select_surface(args.surface)
            if args.preset:
                lab.apply_preset(args.preset)
        except (ValueError, ExpressionError) as error:
            parser.error(str(error))
        except KeyError:
            titles = "; ".join(p.title for p in PRESETS)
            parser.error(f"no preset {args.preset!r}; the presets are: {titles}")
        lab.arrows.setChecked(args.arrows or lab.arrows.isChecked())

    def after_show(lab: OptimizerLab) -> None:
        if args.steps:
            lab.advance(args.steps)

    return run_standalone(
        lambda settings: OptimizerLab(settings=settings),
        "graphviz-dl · optimizer lab",
        args.screenshot,
        prepare=prepare,
        after_show=after_show,
        before_grab=lambda lab: lab.surface_view.ensure_grid(),
    )
