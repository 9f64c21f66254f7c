"""Learning-rate schedules acting on ``optimizer.lr``, with PyTorch's semantics.

As in ``torch.optim.lr_scheduler``: building a scheduler takes an initial
step (``last_epoch`` becomes 0 and the lr stays at its starting value); call
``step()`` once after each ``optimizer.step()``. The schedules are chainable
(each step scales the *current* lr), so an lr changed by hand between steps
carries on from its new value, exactly as in PyTorch, with the same recursive
formulas and therefore the same rounding.
"""

from __future__ import annotations

import math

from .numfmt import format_number
from .optim import Optimizer, check_at_least

__all__ = [
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "ExponentialLR",
    "LRScheduler",
    "ReduceLROnPlateau",
    "StepLR",
]


def _positive_int(name: str, value: int, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an integer ≥ {low}, got {value!r}")
    return value


class LRScheduler:
    """Base class: remembers the starting lr and counts steps (``last_epoch``)."""

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an optimizer")
        self.optimizer = optimizer
        self.base_lr: float = optimizer.lr
        self.last_epoch = -1
        self._step_count = 0
        self._is_initial = True
        self.step()
        self._is_initial = False

    @property
    def base_lrs(self) -> list[float]:
        """PyTorch's name: the starting lr of each parameter group (we have one)."""
        return [self.base_lr]

    def get_last_lr(self) -> list[float]:
        """The lr set by the latest step, as PyTorch's one-element list."""
        return [self._last_lr]

    def step(self) -> None:
        """Advance one epoch and set ``optimizer.lr`` for the next optimizer step."""
        self._step_count += 1
        self.last_epoch += 1
        self.optimizer.lr = self._next_lr()
        self._last_lr = self.optimizer.lr

    def _next_lr(self) -> float:
        raise NotImplementedError

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self._last_lr!r})"
        )


class StepLR(LRScheduler):
    """Multiply the lr by ``gamma`` every ``step_size`` epochs."""

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1
    ) -> None:
        self.step_size = _positive_int("step_size", step_size)
        self.gamma = check_at_least("gamma", gamma)
        super().__init__(optimizer)

    def _next_lr(self) -> float:
        lr = self.optimizer.lr
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return lr
        return lr * self.gamma


class ExponentialLR(LRScheduler):
    """Multiply the lr by ``gamma`` every epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = check_at_least("gamma", gamma)
        super().__init__(optimizer)

    def _next_lr(self) -> float:
        lr = self.optimizer.lr
        return lr if self._is_initial else lr * self.gamma


class CosineAnnealingLR(LRScheduler):
    """Half a cosine from the starting lr down to ``eta_min`` over ``T_max`` epochs.

    ``lr_t = eta_min + (base − eta_min)·(1 + cos(π·t/T_max))/2``, computed
    recursively as PyTorch does; past ``T_max`` it climbs back up (no restart).
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max = _positive_int("T_max", T_max)
        self.eta_min = check_at_least("eta_min", eta_min)
        super().__init__(optimizer)

    def _next_lr(self) -> float:
        lr, t, t_max, eta_min = (
            self.optimizer.lr,
            self.last_epoch,
            self.T_max,
            self.eta_min,
        )
        if self._is_initial:
            return lr
        if (t - 1 - t_max) % (2 * t_max) == 0:
            return lr + (self.base_lr - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        return (1 + math.cos(math.pi * t / t_max)) / (
            1 + math.cos(math.pi * (t - 1) / t_max)
        ) * (lr - eta_min) + eta_min


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing that jumps back to the starting lr every ``T_i`` epochs.

    The first cycle lasts ``T_0`` epochs, each next one ``T_mult`` times longer.
    ``step(epoch)`` accepts a fractional epoch (a step within an epoch), as in
    PyTorch.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        T_0: int,
        T_mult: int = 1,
        eta_min: float = 0.0,
    ) -> None:
        self.T_0 = _positive_int("T_0", T_0)
        self.T_i = T_0
        self.T_mult = _positive_int("T_mult", T_mult)
        self.eta_min = check_at_least("eta_min", eta_min)
        self.T_cur: float = -1
        super().__init__(optimizer)

    def step(self, epoch: float | None = None) -> None:
        """Advance one epoch, or jump to ``epoch`` (which may be fractional)."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            if not epoch >= 0:
                raise ValueError(f"epoch must be ≥ 0, got {format_number(epoch)}")
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(
                        math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult)
                    )
                    self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (
                        self.T_mult - 1
                    )
                    self.T_i = self.T_0 * self.T_mult**n
            else:
                self.T_i = self.T_0
                self.T_cur = epoch
        self._step_count += 1
        self.last_epoch = math.floor(epoch)
        self.optimizer.lr = (
            self.eta_min
            + (self.base_lr - self.eta_min)
            * (1 + math.cos(math.pi * self.T_cur / self.T_i))
            / 2
        )
        self._last_lr = self.optimizer.lr


class ReduceLROnPlateau(LRScheduler):
    """Cut the lr by ``factor`` when the watched metric stops improving.

    ``step(metric)`` after each epoch: an epoch is bad unless the metric beats
    the best so far by ``threshold`` (relative or absolute); after more than
    ``patience`` bad epochs the lr becomes ``max(lr·factor, min_lr)`` (unless
    that changes it by less than ``eps``), then ``cooldown`` epochs are ignored.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an optimizer")
        if not factor < 1.0:
            raise ValueError(f"factor must be < 1, got {format_number(factor)}")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(
                f"threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}"
            )
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.factor = float(factor)
        self.patience = _positive_int("patience", patience, low=0)
        self.cooldown = _positive_int("cooldown", cooldown, low=0)
        self.min_lr = check_at_least("min_lr", min_lr)
        self.eps = float(eps)
        self.mode = mode
        self.threshold = float(threshold)
        self.threshold_mode = threshold_mode
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.last_epoch = 0
        self._step_count = 0
        self._last_lr = optimizer.lr
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def step(self, metrics: float) -> None:  # type: ignore[override]
        """Record this epoch's metric (a loss, say) and cut the lr if it stalled."""
        current = float(metrics)
        self._step_count += 1
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            old_lr = self.optimizer.lr
            new_lr = max(old_lr * self.factor, self.min_lr)
            if old_lr - new_lr > self.eps:
                self.optimizer.lr = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self.optimizer.lr

    def is_better(self, a: float, best: float) -> bool:
        """Whether metric ``a`` counts as an improvement on ``best``."""
        if self.mode == "min" and self.threshold_mode == "rel":
            return a < best * (1.0 - self.threshold)
        if self.mode == "min":
            return a < best - self.threshold
        if self.threshold_mode == "rel":
            return a > best * (self.threshold + 1.0)
        return a > best + self.threshold
