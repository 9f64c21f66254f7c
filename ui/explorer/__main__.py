"""``python -m ui.explorer [--example NAME] [--screenshot OUT.png]``: the graph
explorer alone, on one example."""

import argparse
import sys

from ui.common.standalone import add_screenshot_option, run_standalone, start_app
from ui.explorer.lab import ExplorerLab


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.explorer")
    parser.add_argument("--example", default="chain-rule", metavar="NAME")
    parser.add_argument("--step", type=int, default=0, metavar="K")
    add_screenshot_option(parser)
    args = parser.parse_args(argv)
    app = start_app()
    app.setOrganizationName("graphviz-dl")
    app.setApplicationName("graphviz-dl")

    def prepare(lab: ExplorerLab) -> None:
        lab.statusMessage.connect(
            lambda text, ms: lab.statusBar().showMessage(text, ms)
        )
        lab.load_example(args.example)

    def before_grab(lab: ExplorerLab) -> None:
        lab.loader.runner.wait()
        app.processEvents()
        lab.model.set_position(args.step)

    code = run_standalone(
        lambda settings: ExplorerLab(settings=settings),
        "graph explorer — graphviz-dl",
        args.screenshot,
        prepare=prepare,
        before_grab=before_grab,
    )
    return code


sys.exit(main())
