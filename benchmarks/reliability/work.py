"""What the children make each lab do: long work to quit under, and the
changes of a soak, all through the labs' public methods (as a person's
clicks end up calling them).

``start_long_work`` returns a probe that says whether the work is still
under way; ``soak_actions`` returns the changes a soak picks from at random.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

RACERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adagrad")
SOAK_SURFACES = (
    "rosenbrock",
    "beale",
    "saddle",
    "rastrigin",
    "linear-regression-mse",
    "logistic-regression-bce",
)
DATASETS = ("moons", "circles", "xor", "spiral", "blobs")
Action = Callable[[], None]
BIG_NODES = 10_000
"""The explorer's long work: loading a program of this many nodes."""


def big_program(nodes: int = BIG_NODES) -> str:
    """A chain of neurons of about ``nodes`` value nodes (five a line)."""
    lines = ["x0 = 0.5"]
    lines += [f"x{i} = tanh(x{i - 1} * 1.01 + 0.1)" for i in range(1, nodes // 5)]
    return "\n".join(lines) + "\n"


def write_big_program(folder: Path, nodes: int = BIG_NODES) -> Path:
    path = folder / "big.txt"
    path.write_text(big_program(nodes), encoding="utf-8")
    return path


def six_racers(lab) -> None:
    """Make the optimizer lab race six optimizers (adding what is missing)."""
    model = lab.model
    model.set_playing(False)
    kinds = iter(RACERS)
    while len(model.configs) < len(RACERS):
        model.insert_config(len(model.configs), model.new_config(next(kinds)))
    for index in range(len(model.configs)):
        model.set_enabled(index, True)


def start_long_work(window, lab: str) -> Callable[[], bool]:
    """Start ``lab``'s long work; the probe tells whether it still runs.

    The explorer's is the program given on the command line, loading.
    """
    if lab == "explorer":
        return lambda: bool(window.loader.busy)
    if lab == "optimizers":
        model = window.lab("optimizers").model
        six_racers(window.lab("optimizers"))
        model.set_playing(True)
        return lambda: bool(model.playing)
    training = window.lab("training")
    training.select_dataset("spiral")
    training.model.set_playing(True)
    return lambda: bool(training.model.playing)


def soak_actions(window, lab: str, rng: random.Random) -> list[Action]:
    """The changes a soak of ``lab`` makes, one every few seconds."""
    window.select_lab(lab)
    if lab == "explorer":
        return _explorer_actions(window, rng)
    if lab == "optimizers":
        return _optimizer_actions(window.lab("optimizers"), rng)
    return _training_actions(window.lab("training"), rng)


def _explorer_actions(window, rng: random.Random) -> list[Action]:
    from graphviz_dl.gallery import EXAMPLES

    model = window.model

    def steps(forward: bool) -> Action:
        def go() -> None:
            for _ in range(rng.randint(1, 20)):
                model.step_forward() if forward else model.step_back()

        return go

    def load() -> None:
        window.load_example(rng.choice(EXAMPLES).name)

    def edit_leaf() -> None:
        program = model.program
        leaves = sorted(getattr(program, "leaf_ids", ()) or ())
        if leaves:
            window.set_leaf_value(rng.choice(leaves), round(rng.uniform(-3, 3), 3))

    def play() -> None:
        model.go_first()
        window.step_panel.set_playing(True)

    return [steps(True), steps(False), load, edit_leaf, play, model.go_last]


def _optimizer_actions(lab, rng: random.Random) -> list[Action]:
    from graphviz_dl.surfaces import SURFACES

    model = lab.model
    surfaces = [name for name in SOAK_SURFACES if name in SURFACES] or list(SURFACES)

    def race() -> None:
        six_racers(lab)
        model.set_playing(True)

    def change_lr() -> None:
        if model.configs:
            index = rng.randrange(len(model.configs))
            try:
                model.set_hyper(index, "lr", 10 ** rng.uniform(-4, -0.5))
            except (ValueError, KeyError):  # a racer with no lr (line search)
                pass

    def surface() -> None:
        lab.select_surface(rng.choice(surfaces))
        model.set_playing(True)

    def reset() -> None:
        model.reset()
        model.set_playing(True)

    return [race, change_lr, surface, reset]


def _training_actions(lab, rng: random.Random) -> list[Action]:
    model = lab.model

    def play() -> None:
        model.set_playing(True)

    def change_lr() -> None:
        lab.learning_rate.setValue(10 ** rng.uniform(-3, 0))
        model.set_playing(True)

    def new_data() -> None:
        lab.select_dataset(rng.choice(DATASETS))
        model.set_playing(True)

    def pause() -> None:
        model.set_playing(False)

    return [play, change_lr, new_data, play, pause]
