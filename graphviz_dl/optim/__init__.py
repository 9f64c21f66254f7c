"""Optimizers over lists of ``Value`` parameters, with PyTorch's exact definitions.

Each optimizer reads every parameter's ``.grad``, updates its ``.data`` and keeps
per-parameter ``state`` (step count, momentum buffer, moments) that a view can
draw. Keyword names, defaults and update rules are PyTorch's (``torch.optim``,
the single-tensor CPU path, without ``maximize``/``foreach``/``fused``), and so
is the rounding: where PyTorch's kernels fuse a multiply and an add into one
rounding (``add`` with ``alpha``, ``addcmul``, ``lerp``), :func:`fma` does the
same, so a trajectory agrees with ``torch.optim`` to the last bit. (Square
roots here are IEEE's, correctly rounded; a PyTorch build whose float64
``sqrt`` is one ulp off for some inputs then differs by those ulps alone.)

Every update rule is written once, over numbers that may be floats or numpy
arrays: :meth:`ElementwiseOptimizer.step` runs it on each parameter's float (a
race's two coordinates), :meth:`ElementwiseOptimizer.step_flat` on whole arrays
(a network's hundreds of weights, at a fixed cost of a few dozen numpy calls
instead of microseconds per weight), with :func:`fma_array` rounding exactly as
:func:`fma` does, so both paths give the same bits.

How the lecture-note forms map onto these:

* Gradient descent ``θ ← θ − α∇L`` is ``SGD(params, lr=α)``.
* Momentum ``v ← βv − α∇L; θ ← θ + v`` is ``SGD(lr=α, momentum=β)``. PyTorch
  keeps the buffer ``b ← βb + ∇L`` and steps ``θ ← θ − α·b``; with ``v = −α·b``
  and a constant α both walk the same path (the first step is ``−α∇L`` in both).
* Nesterov's look-ahead ``θ̃ = θ + βv`` is ``SGD(..., nesterov=True)``: PyTorch
  stores the look-ahead point itself as the parameter, so the gradient is
  simply taken where the parameter sits, and the step is ``−α(∇L + β·b)``.
* RMSProp ``s ← βs + (1−β)g²; θ ← θ − α·g/(√s + ε)`` is
  ``RMSprop(lr=α, alpha=β, eps=ε)`` (PyTorch's default ``alpha`` is 0.99).
* Adagrad ``θ ← θ − η·g/√(Σg²)`` is ``Adagrad(lr=η)``; PyTorch adds ``eps``
  (1e-10) to the root so the first step cannot divide by zero.
* Adam is RMSProp's scaling applied to a momentum average, both corrected for
  their start at zero.

Where things live: :mod:`.base` (what every optimizer shares), :mod:`.sgd`,
:mod:`.adaptive` (Adagrad, RMSprop, Adadelta), :mod:`.adam` (Adam, AdamW),
:mod:`.rounding` (PyTorch's fused rounding) and :mod:`.checks` (hyperparameter
validation). A new optimizer is a new class in its family's module, exported
here and listed in :mod:`graphviz_dl.optimizer_menu`.
"""

from .adam import Adam, AdamW
from .adaptive import Adadelta, Adagrad, RMSprop
from .base import FLOAT_PATH_LIMIT, ElementwiseOptimizer, Optimizer
from .checks import check_at_least, check_between
from .rounding import ArrayMath, FloatMath, fma, fma_array
from .sgd import SGD

__all__ = [
    "FLOAT_PATH_LIMIT",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "ArrayMath",
    "ElementwiseOptimizer",
    "FloatMath",
    "Optimizer",
    "RMSprop",
    "check_at_least",
    "check_between",
    "fma",
    "fma_array",
]
