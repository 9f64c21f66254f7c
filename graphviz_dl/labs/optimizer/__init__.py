"""The optimizer lab's state, presets, settings and texts, without Qt.

:class:`~graphviz_dl.labs.optimizer.model.LabModel` holds the surface, the start
point, the racing configurations and the race; views upstairs subscribe to its
psygnal signals and change it only through its methods.
"""

from .configs import (
    PALETTE,
    LabConfig,
    LabState,
    default_hyper,
    hyper_problem,
    make_config,
    make_configs,
)
from .model import MAX_STEPS, SPEEDS, LabModel
from .presets import PRESETS, Preset, default_config_list, preset_state

__all__ = [
    "MAX_STEPS",
    "PALETTE",
    "PRESETS",
    "SPEEDS",
    "LabConfig",
    "LabModel",
    "LabState",
    "Preset",
    "default_config_list",
    "default_hyper",
    "hyper_problem",
    "make_config",
    "make_configs",
    "preset_state",
]
