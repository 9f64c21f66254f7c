"""``python -m ui.training_lab``: the lab alone in a window, or a screenshot."""

from __future__ import annotations

import argparse
import sys

from graphviz_dl.labs.training import DATASETS
from ui.common.standalone import add_screenshot_option, run_standalone
from ui.training_lab.lab import TrainingLab


def main(argv: list[str] | None = None) -> int:
    """Open the lab alone in a window, or render it to a PNG (``--screenshot``)."""
    parser = argparse.ArgumentParser(prog="python -m ui.training_lab")
    parser.add_argument("--dataset", choices=list(DATASETS), help="the data to learn")
    parser.add_argument("--epochs", type=int, default=0, help="epochs to train first")
    add_screenshot_option(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def prepare(lab: TrainingLab) -> None:
        if args.dataset:
            lab.select_dataset(args.dataset)

    def after_show(lab: TrainingLab) -> None:
        if args.epochs:
            lab.train_epochs(args.epochs)

    return run_standalone(
        lambda settings: TrainingLab(settings=settings),
        "graphviz-dl · training lab",
        args.screenshot,
        prepare=prepare,
        after_show=after_show,
    )
