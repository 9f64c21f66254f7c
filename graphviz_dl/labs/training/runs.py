"""What a training-lab run is made of: the data menu, data specs, run names.

Plain values and functions shared by the lab's model, its settings and its
undo commands; nothing here holds state.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ...datasets import DEFAULT_NOISE, Dataset, make_dataset
from ...engine import Value, topological_order
from ...numfmt import format_number
from ...optimizer_menu import OPTIMIZERS
from ...training import LOSSES_BY_TASK, TrainingConfig
from ...training.config import MAX_LAYERS
from ...training.features import inputs_needed, title

#: The data menu: key → (title, generator, fixed options).
DATASETS: dict[str, tuple[str, str, dict]] = {
    "moons": ("Moons", "moons", {}),
    "circles": ("Circles", "circles", {}),
    "xor": ("XOR", "xor", {}),
    "spiral": ("Spiral", "spiral", {}),
    "blobs": ("Gaussian blobs (2 classes)", "blobs", {"n_classes": 2}),
    "blobs3": ("Gaussian blobs (3 classes)", "blobs", {"n_classes": 3}),
    "line": ("Line (regression)", "line", {}),
}
#: Settings each dataset trains well with when chosen from the menu.
#: The spiral turns 1.75 times inside radius 1: from x₀, x₁ alone a tanh
#: network at Xavier scale starts almost linear and sits at 55–70 % test
#: accuracy for hundreds of steps (lr, batch size and width do not help).
#: Given x₀², x₁², x₀x₁ it can read the radius, and with U(−1, 1) starting
#: weights its units bend from the first step: ≥ 90 % in 30 epochs.
SUGGESTED: dict[str, dict] = {
    "spiral": {
        "hidden": (32, 32),
        "activation": "tanh",
        "init": "uniform",
        "features": ("x0", "x1", "x0^2", "x1^2", "x0x1"),
    },
    "circles": {"hidden": (8, 8)},
    "line": {"hidden": (4,), "activation": "tanh"},
}


def suggested_config(
    config: TrainingConfig, old_kind: str, new_kind: str
) -> TrainingConfig:
    """``config`` for the data set ``new_kind`` chosen after ``old_kind``: its
    suggested settings, and the defaults back where only the old set's
    suggestions had changed them (moons after the spiral gets raw inputs)."""
    defaults = TrainingConfig()
    back = {
        key: getattr(defaults, key)
        for key in SUGGESTED.get(old_kind, {})
        if key not in SUGGESTED.get(new_kind, {})
    }
    return config.with_changes(**back, **SUGGESTED.get(new_kind, {}))


MAX_KEPT = 6
"""Kept runs overlaid on the loss curves at most (the oldest goes first)."""
MIN_POINTS, MAX_POINTS = 4, 2000
"""Generated points, as the lab's spin box bounds them (more hangs a start)."""
MAX_NOISE = 2.0
MAX_TEST_FRACTION = 0.9
MAX_SEED = 10**6


@dataclass(frozen=True)
class DataSpec:
    """How the points were made: a generator and its knobs."""

    kind: str = "moons"
    n_points: int = 200
    noise: float | None = None
    test_fraction: float = 0.2
    seed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in DATASETS:
            raise ValueError(
                f"unknown dataset {self.kind!r}; choose one of: {', '.join(DATASETS)}"
            )

    @property
    def title(self) -> str:
        return DATASETS[self.kind][0]

    @property
    def noise_value(self) -> float:
        """The noise in effect (the generator's default when not chosen)."""
        generator = DATASETS[self.kind][1]
        return DEFAULT_NOISE[generator] if self.noise is None else self.noise

    def with_changes(self, **changes) -> DataSpec:
        return dataclasses.replace(self, **changes)

    def make(self) -> Dataset:
        _, generator, fixed = DATASETS[self.kind]
        return make_dataset(
            generator,
            n_points=self.n_points,
            noise=self.noise_value,
            test_fraction=self.test_fraction,
            seed=self.seed,
            **fixed,
        )


def fitted_config(config: TrainingConfig, dataset: Dataset) -> TrainingConfig:
    """``config`` with its loss set back to automatic when it does not fit the
    task (hinge on a regression set, say), and without the features the data
    has no inputs for (x₁² on a set with x₀ only)."""
    if config.loss != "auto" and config.loss not in LOSSES_BY_TASK[dataset.task]:
        config = dataclasses.replace(config, loss="auto")
    if inputs_needed(config.features) > dataset.n_inputs:
        fits = [f for f in config.features if inputs_needed([f]) <= dataset.n_inputs]
        config = dataclasses.replace(config, features=tuple(fits))
    return config


def check_run(dataset: Dataset, config: TrainingConfig) -> str | None:
    """Why ``config`` cannot train on ``dataset``, in words (None when it can)."""
    try:
        config.check(dataset)
    except ValueError as error:
        return str(error)
    return None


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"8, 8"`` → ``(8, 8)``; an empty text is a linear model."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    widths = []
    for part in parts:
        if not part.isdigit():
            raise ValueError(
                f"hidden layers are whole numbers separated by commas, not {part!r}"
            )
        widths.append(int(part))
    if len(widths) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers")
    return tuple(widths)


def run_label(config: TrainingConfig, dataset: str = "") -> str:
    """A short name for a run, for the legend of kept runs."""
    parts = [f"{OPTIMIZERS[config.optimizer].title} lr={format_number(config.lr)}"]
    hidden = "-".join(map(str, config.hidden)) or "linear"
    parts.append(f"{hidden} {config.activation}")
    if config.features:
        parts.append(" ".join(title(f) for f in config.features))
    if config.batch_size is None:
        parts.append("full batch")
    elif config.batch_size == 1:
        parts.append("SGD")
    else:
        parts.append(f"batch {config.batch_size}")
    for name, value in (
        ("dropout", config.dropout),
        ("L2", config.l2),
        ("L1", config.l1),
    ):
        if value:
            parts.append(f"{name} {format_number(value)}")
    label = ", ".join(parts)
    return f"{dataset}: {label}" if dataset else label


def sample_values(root: Value) -> dict[str, Value]:
    """A sample graph's labelled nodes, inputs first, the loss last."""
    values: dict[str, Value] = {}
    for node in topological_order(root):
        if node.label and node is not root and node.label not in values:
            values[node.label] = node
    values[root.label or "L"] = root
    return values
