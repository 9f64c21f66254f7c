"""``python -m ui.optimizer_lab``: the optimizer lab alone, or a picture of it."""

from __future__ import annotations

import argparse
import sys

from graphviz_dl.expr import ExpressionError
from graphviz_dl.labs.optimizer import PRESETS, LabState, make_configs
from graphviz_dl.race import RunConfig
from ui.common.standalone import add_screenshot_option, run_standalone
from ui.optimizer_lab.lab import OptimizerLab


def main(argv: list[str] | None = None) -> int:
    """Open the lab alone in a window, or render it to a PNG (``--screenshot``)."""
    parser = argparse.ArgumentParser(prog="python -m ui.optimizer_lab")
    parser.add_argument("--surface", help="a built-in surface name or f(x, y) = …")
    parser.add_argument("--steps", type=int, default=0, help="race steps to take first")
    parser.add_argument("--arrows", action="store_true", help="draw velocity and −∇f")
    parser.add_argument("--preset", help="a preset race, by its title")
    parser.add_argument(
        "--racer",
        action="append",
        metavar="SPEC",
        help="race this optimizer, e.g. adam:lr=0.05 (repeat for more; replaces"
        " the racers)",
    )
    parser.add_argument(
        "--internals", action="store_true", help="draw each racer's internals"
    )
    parser.add_argument(
        "--3d",
        dest="solid",
        action="store_true",
        help="show the surface in 3-D (needs OpenGL: QT_QPA_PLATFORM=xcb)",
    )
    add_screenshot_option(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def prepare(lab: OptimizerLab) -> None:
        try:
            if args.surface:
                lab.select_surface(args.surface)
            if args.preset:
                lab.apply_preset(args.preset)
            if args.racer:
                race_these(lab, args.racer)
        except (ValueError, ExpressionError) as error:
            parser.error(str(error))
        except KeyError:
            titles = "; ".join(p.title for p in PRESETS)
            parser.error(f"no preset {args.preset!r}; the presets are: {titles}")
        lab.arrows.setChecked(args.arrows or lab.arrows.isChecked())
        lab.set_internals_visible(args.internals)

    def after_show(lab: OptimizerLab) -> None:
        if args.solid and not lab.set_view_3d(True):
            print(lab.view_switch.note.text(), file=sys.stderr)
        if args.steps:
            lab.advance(args.steps)

    return run_standalone(
        lambda settings: OptimizerLab(settings=settings),
        "graphviz-dl · optimizer lab",
        args.screenshot,
        prepare=prepare,
        after_show=after_show,
        before_grab=before_grab,
    )


def before_grab(lab: OptimizerLab) -> None:
    """The pictures a screenshot needs, computed now rather than by the jobs."""
    lab.surface_view.ensure_grid()
    lab.surface_3d.ensure_relief()


def race_these(lab: OptimizerLab, specs: list[str]) -> None:
    """Race ``specs`` (``"adam:lr=0.05"``) on the lab's surface from its start."""
    parsed = [RunConfig.parse(spec) for spec in specs]
    configs = make_configs((c.kind, c.hyper) for c in parsed)
    model = lab.model
    model.restore(LabState(model.surface, model.start, configs))
    for i, config in enumerate(parsed):
        if config.schedule:
            model.set_schedule(i, config.schedule)
