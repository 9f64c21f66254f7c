"""The training lab's remembered settings: written as two JSON texts, read
back value by value, each validated and bounded as the lab's controls bound it.

A value that is missing falls back to its default silently; one that is
unreadable, out of bounds or not a choice falls back with a message naming
the settings file and the field (an ``n_points`` of 1e8 would otherwise hang
the start, building a hundred million points).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping

from ...optimizer_menu import OPTIMIZERS, parse_schedule
from ...settings_schema import Setting, read_settings
from ...training import LOSSES_BY_TASK, TrainingConfig
from ...training.config import ACTIVATIONS, INITS, MAX_WIDTH, TRAINING_OPTIMIZERS
from ...training.features import check_features
from .runs import (
    DATASETS,
    MAX_NOISE,
    MAX_POINTS,
    MAX_SEED,
    MAX_TEST_FRACTION,
    MIN_POINTS,
    DataSpec,
    parse_hidden,
)

LR_RANGE = (1e-6, 100.0)
"""The learning rate's box in the lab."""
MAX_PENALTY = 10.0
MAX_DROPOUT = 0.9
MAX_BATCH = 100_000
MAX_PATIENCE = 1000
MAX_SNAPSHOTS = 10_000


def _hidden_problem(text: str) -> str | None:
    try:
        widths = parse_hidden(text)
    except ValueError as error:
        return str(error)
    if any(not 1 <= w <= MAX_WIDTH for w in widths):
        return f"has a layer width outside 1…{MAX_WIDTH}"
    return None


def _features(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _features_problem(text: str) -> str | None:
    try:
        check_features(_features(text))
    except ValueError as error:
        return str(error)
    return None


def _schedule_problem(text: str) -> str | None:
    if not text:
        return None
    try:
        parse_schedule(text)
    except ValueError as error:
        return str(error)
    return None


_DATA = DataSpec()
_CONFIG = TrainingConfig()
_LOSSES = ("auto", *sorted({n for names in LOSSES_BY_TASK.values() for n in names}))

DATA_SCHEMA = (
    Setting("kind", _DATA.kind, choices=tuple(DATASETS)),
    Setting("n_points", _DATA.n_points, low=MIN_POINTS, high=MAX_POINTS),
    Setting("noise", 0.0, low=0.0, high=MAX_NOISE),
    Setting("test_fraction", _DATA.test_fraction, low=0.0, high=MAX_TEST_FRACTION),
    Setting("seed", _DATA.seed, low=0, high=MAX_SEED),
)
CONFIG_SCHEMA = (
    Setting("hidden", ", ".join(map(str, _CONFIG.hidden)), check=_hidden_problem),
    Setting("activation", _CONFIG.activation, choices=ACTIVATIONS),
    Setting("init", _CONFIG.init, choices=INITS),
    Setting("loss", _CONFIG.loss, choices=_LOSSES),
    Setting("l1", _CONFIG.l1, low=0.0, high=MAX_PENALTY),
    Setting("l2", _CONFIG.l2, low=0.0, high=MAX_PENALTY),
    Setting("dropout", _CONFIG.dropout, low=0.0, high=MAX_DROPOUT),
    Setting("batch_size", _CONFIG.batch_size, low=0, high=MAX_BATCH),
    Setting("optimizer", _CONFIG.optimizer, choices=TRAINING_OPTIMIZERS),
    Setting("schedule", _CONFIG.schedule, check=_schedule_problem),
    Setting("early_stopping", _CONFIG.early_stopping),
    Setting("patience", _CONFIG.patience, low=1, high=MAX_PATIENCE),
    Setting("min_delta", _CONFIG.min_delta, low=0.0, high=MAX_PENALTY),
    Setting("restore_best", _CONFIG.restore_best),
    Setting("snapshot_every", _CONFIG.snapshot_every, low=1, high=MAX_SNAPSHOTS),
    Setting("max_snapshots", _CONFIG.max_snapshots, low=2, high=MAX_SNAPSHOTS),
    Setting("seed", _CONFIG.seed, low=0, high=MAX_SEED),
    Setting("features", "", check=_features_problem),
)


def hyper_schema(optimizer: str) -> tuple[Setting, ...]:
    """The optimizer's hyperparameters, bounded as the lab's boxes bound them."""
    settings = []
    for hp in OPTIMIZERS[optimizer].hyperparams:
        low, high = LR_RANGE if hp.name == "lr" else (hp.low, hp.high)
        default = _CONFIG.lr if hp.name == "lr" else hp.default
        settings.append(Setting(hp.name, float(default), low=low, high=high))
    return tuple(settings)


def settings_to_raw(spec: DataSpec, config: TrainingConfig) -> dict[str, str]:
    """What the lab writes: ``{"data": json, "config": json}``."""
    data = dataclasses.asdict(spec)
    conf = dataclasses.asdict(config)
    conf["hidden"] = list(config.hidden)
    conf["hyper"] = dict(config.hyper)
    conf["features"] = ", ".join(config.features)
    return {"data": json.dumps(data), "config": json.dumps(conf)}


def _mapping(raw: Mapping[str, object], key: str, source: str, problems: list):
    text = raw.get(key)
    if text is None or text == "":
        return {}
    try:
        value = json.loads(str(text))
    except ValueError:
        value = None
    if not isinstance(value, dict):
        problems.append(f"{source}: field {key!r} is not readable; using the defaults")
        return {}
    return value


def read_spec(data: Mapping, source: str) -> tuple[DataSpec, list[str]]:
    """The data spec in ``data`` (one JSON object), every field checked."""
    values, problems = read_settings(data, DATA_SCHEMA, f"{source} [data]")
    if data.get("noise") is None or any("'noise'" in p for p in problems):
        values["noise"] = None  # the generator's own default
    spec = DataSpec(**values)
    try:
        spec.make()  # a few milliseconds: the values may not fit together
    except ValueError as error:
        problems.append(f"{source} [data]: {error}; using the default data")
        spec = DataSpec()
    return spec, problems


def read_config(conf: Mapping, source: str) -> tuple[TrainingConfig, list[str]]:
    """The training config in ``conf`` (one JSON object), every field checked."""
    conf = dict(conf)
    if isinstance(conf.get("hidden"), list):
        conf["hidden"] = ", ".join(str(w) for w in conf["hidden"])
    if "batch_size" in conf and conf["batch_size"] is None:
        conf["batch_size"] = 0  # the full batch, as the lab's box says it
    where = f"{source} [config]"
    values, problems = read_settings(conf, CONFIG_SCHEMA, where)
    values["hidden"] = parse_hidden(values["hidden"])
    values["features"] = _features(values["features"])
    values["batch_size"] = values["batch_size"] or None
    hyper = conf.get("hyper")
    hyper = hyper if isinstance(hyper, dict) else {}
    if conf.get("hyper") is not None and not isinstance(conf.get("hyper"), dict):
        problems.append(f"{where}: field 'hyper' is not readable; using the defaults")
    values["hyper"] = {}
    for setting in hyper_schema(values["optimizer"]):
        if setting.key in hyper or setting.key == "lr":  # else the optimizer's default
            known, more = read_settings(hyper, [setting], where)
            problems += more
            if not more or setting.key == "lr":  # lr is always given
                values["hyper"].update(known)
    try:
        return TrainingConfig(**values), problems
    except (TypeError, ValueError) as error:
        problems.append(f"{where}: {error}; using the default settings")
        return TrainingConfig(), problems


def read_lab_settings(
    raw: Mapping[str, object], source: str
) -> tuple[DataSpec, TrainingConfig, list[str]]:
    """The data spec and training config stored in ``raw`` (the settings
    file's ``data`` and ``config`` values), and what had to be replaced."""
    problems: list[str] = []
    spec, more = read_spec(_mapping(raw, "data", source, problems), source)
    problems += more
    config, more = read_config(_mapping(raw, "config", source, problems), source)
    problems += more
    return spec, config, problems
