"""Exact line search along the negative gradient: the ideal step, and its price.

The notes call ``argmin_α L(θ − α∇L)`` the best step size and too expensive
in practice. Here it is, as one more optimizer: each step minimizes the loss
along the steepest-descent ray with bounded Brent's method (golden sections
plus parabolic fits) and records how many function evaluations that took —
typically a few dozen, where a gradient step costs one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from .engine import Value
from .optim import Optimizer, check_at_least


class ExactLineSearch(Optimizer):
    """Steepest descent with the step length chosen by a 1-D minimization.

    ``objective`` maps the parameters' values to the loss. Each step walks
    along ``d = −g/‖g‖`` and minimizes ``φ(t) = L(θ + t·d)`` for t in
    ``[0, max_step]`` to tolerance ``xtol``. A point no lower than the current
    one is not taken (the step is then 0), so the loss never increases.

    ``lr`` afterwards is the learning rate the search picked, ``t/‖g‖`` (nan
    before the first step); ``evaluations`` is what the last step cost.
    """

    def __init__(
        self,
        params: Iterable[Value],
        objective: Callable[[Sequence[float]], float],
        max_step: float = 1.0,
        xtol: float = 1e-9,
    ) -> None:
        super().__init__(params, 0.0)
        self._lr = math.nan
        self.objective = objective
        self.max_step = max_step
        self.xtol = xtol
        self.evaluations = 0

    @property
    def max_step(self) -> float:
        """The longest step considered, in parameter units."""
        return self._max_step

    @max_step.setter
    def max_step(self, value: float) -> None:
        value = check_at_least("max_step", value)
        if value == 0.0 or math.isinf(value):
            raise ValueError(f"max_step must be > 0 and finite, got {value!r}")
        self._max_step = value

    @property
    def xtol(self) -> float:
        """How precisely the step length is found (absolute, parameter units)."""
        return self._xtol

    @xtol.setter
    def xtol(self, value: float) -> None:
        value = check_at_least("xtol", value)
        if value == 0.0:
            raise ValueError("xtol must be > 0, got 0")
        self._xtol = value

    def step(self, value: float | None = None) -> None:
        """One exact line-search step; ``value`` is the current loss if known."""
        theta = [p.data for p in self.params]
        grad = [p.grad for p in self.params]
        norm = math.sqrt(math.fsum(g * g for g in grad))
        self.evaluations = 0
        for p in self.params:
            self.state.setdefault(p, {"step": 0})["step"] += 1
        if not (norm > 0.0 and math.isfinite(norm)):
            self._record(0.0, [0.0] * len(grad), norm)
            return
        direction = [-g / norm for g in grad]

        def along(t: float) -> float:
            loss = self.objective([a + t * d for a, d in zip(theta, direction)])
            return loss if math.isfinite(loss) else math.inf

        if value is None:
            value = self.objective(theta)
            self.evaluations += 1
        # scipy.optimize costs ~0.2 s to import; the app starts without it.
        from scipy.optimize import minimize_scalar

        result = minimize_scalar(
            along,
            bounds=(0.0, self.max_step),
            method="bounded",
            options={"xatol": self.xtol, "maxiter": 500},
        )
        self.evaluations += int(result.nfev)
        t = float(result.x) if float(result.fun) < value else 0.0
        for p, a, d in zip(self.params, theta, direction):
            p.data = a + t * d
        self._record(t, direction, norm)

    def _record(self, t: float, direction: list[float], norm: float) -> None:
        self._lr = t / norm if norm > 0.0 and math.isfinite(norm) else 0.0
        for p, d in zip(self.params, direction):
            state = self.state[p]
            state["direction"] = d
            state["step_length"] = t
            state["evaluations"] = self.evaluations

    def drawable_state(self, p: Value) -> dict[str, float]:
        """``direction``: the unit steepest-descent direction searched along."""
        state = self.state.get(p)
        return {} if state is None else {"direction": state["direction"]}
