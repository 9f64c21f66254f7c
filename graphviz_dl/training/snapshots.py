"""What a trainer keeps of a moment of its run, to go back to it exactly.

A :class:`Snapshot` holds the weights, the settings in force, the optimizer's
and the schedule's state, the random generator and the position in the epoch;
the optimizer's per-parameter state is packed into arrays (compact: a run
keeps up to ``max_snapshots`` of them).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from .config import TrainingConfig


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Everything needed to continue the run from step :attr:`step` exactly."""

    step: int
    epoch: int
    loss: float
    weights: np.ndarray
    lr: float
    optimizer_state: dict
    scheduler_state: dict | None
    rng_state: dict
    order: np.ndarray | None
    cursor: int
    epoch_rows: int
    step_rows: int
    best: tuple[float, int, np.ndarray]
    bad_epochs: int
    config: TrainingConfig | None = None  # the settings in effect then
    changes: int = 0  # how many live changes had been made by then


def pack_state(state: dict, params) -> dict:
    """The optimizer's per-parameter dicts as arrays, one pair per key (compact):
    which parameters have the key, and its values."""
    entries = [state.get(p) for p in params]
    keys = sorted({k for entry in entries if entry for k in entry})
    columns = {}
    for key in keys:
        present = np.array([e is not None and key in e for e in entries])
        values = np.array(
            [e[key] if present[i] else 0.0 for i, e in enumerate(entries)]
        )
        columns[key] = (present, values.astype(np.float64))
    return {"started": np.array([e is not None for e in entries]), "columns": columns}


def unpack_state(packed: dict, params) -> dict:
    state: dict = {}
    for i, p in enumerate(params):
        if not packed["started"][i]:
            continue
        entry = {}
        for key, (present, values) in packed["columns"].items():
            if present[i]:
                entry[key] = int(values[i]) if key == "step" else float(values[i])
        state[p] = entry
    return state


def scheduler_state(scheduler) -> dict | None:
    if scheduler is None:
        return None
    return {k: copy.deepcopy(v) for k, v in vars(scheduler).items() if k != "optimizer"}
