"""What every optimizer shares, and the elementwise machinery most of them use.

:class:`Optimizer` holds the parameters, the learning rate and the lazy
per-parameter state. :class:`ElementwiseOptimizer` runs an update rule written
once over floats or numpy arrays: on each parameter's float (a race's two
coordinates) or on whole arrays (a network's hundreds of weights).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from ..engine import Value
from .checks import check_at_least
from .rounding import ArrayMath, FloatMath


class Optimizer:
    """What every optimizer shares: parameters, a learning rate, per-parameter state.

    ``state[p]`` holds what the optimizer remembers about ``p``, created on
    the first step (PyTorch's lazy state), with PyTorch's key names
    (``"step"``, ``"momentum_buffer"``, ``"exp_avg"``, …).
    :meth:`drawable_state` gives the same internals under the short names a
    picture uses (``velocity``, ``m``, ``v``, ``s``).
    """

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError("an optimizer needs at least one parameter")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"parameters must be Values, got {type(p).__name__}")
        self._index = {p: i for i, p in enumerate(self.params)}
        self.lr = lr
        self.state = {}

    @property
    def lr(self) -> float:
        """The learning rate of the next step (schedulers change it between steps)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_at_least("lr", value)

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0 (leaves accumulate until this)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        raise NotImplementedError

    def step_flat(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One step from parameters ``theta`` and gradient ``grad`` (flat, in
        :attr:`params` order): the new parameters, as a new array.

        An optimizer without an array rule steps through the Values here
        (which then hold the result); :class:`ElementwiseOptimizer` never
        touches them.
        """
        theta, grad = _flat_pair(theta, grad, len(self.params))
        for p, value, g in zip(self.params, theta.tolist(), grad.tolist()):
            p.data, p.grad = value, g
        self.step()
        return np.array([p.data for p in self.params], dtype=np.float64)

    def drawable_state(self, p: Value) -> dict[str, float]:
        """This parameter's internals under the names a picture uses."""
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr!r}, {len(self.params)} parameters)"


def _flat_pair(theta, grad, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``theta`` and a private copy of ``grad`` as float64 vectors of length ``n``."""
    theta = np.asarray(theta, dtype=np.float64)
    grad = np.array(grad, dtype=np.float64)
    if theta.shape != (n,) or grad.shape != (n,):
        raise ValueError(
            f"step_flat needs two flat arrays of {n} numbers (one per parameter), "
            f"got shapes {theta.shape} and {grad.shape}"
        )
    return theta, grad


#: Up to this many parameters, :meth:`ElementwiseOptimizer.step` runs the rule on
#: floats; above, on arrays (numpy's per-call cost pays off from about here).
FLOAT_PATH_LIMIT = 32


class ElementwiseOptimizer(Optimizer):
    """An optimizer whose step treats every coordinate alike and apart.

    A subclass writes its update once, in :meth:`_rule`, with ``+ − ·`` and the
    operations of ``math_`` (:class:`FloatMath` or :class:`ArrayMath`), over
    values that are floats or arrays alike. Its memory (moments, buffers) is
    kept in one of two layouts, whichever the last step used: a dict of floats
    per parameter (:meth:`step` on few parameters) or an array per key
    (:meth:`step_flat`); a switch converts it once, exactly.

    :attr:`state` reads it in PyTorch's form, ``{param: {"step": t, key:
    value}}``, as a copy; assigning a mapping of that form (all parameters or
    none, one step count, the same keys) loads it, e.g. to rewind.
    """

    _step: int
    _rows: list[dict[str, float]] | None
    _columns: dict[str, np.ndarray] | None

    @property
    def state(self) -> Mapping[Value, Mapping[str, float]]:
        """``{param: {"step": t, key: value, …}}`` as of now (empty before step 1).

        A new copy at each read (one pass over the parameters): changing it
        changes nothing; assign to :attr:`state` to load one.
        """
        if self._rows is not None:
            return {
                p: {"step": self._step, **row}
                for p, row in zip(self.params, self._rows)
            }
        if self._columns is None:
            return {}
        return dict(
            zip(self.params, _rows_of(self._columns, len(self.params), self._step))
        )

    @state.setter
    def state(self, state: Mapping[Value, Mapping[str, float]]) -> None:
        entries = [state.get(p) for p in self.params]
        started = [entry is not None for entry in entries]
        if not any(started):
            self._step, self._rows, self._columns = 0, None, None
            return
        if not all(started):
            raise ValueError(
                "an optimizer's state must cover every parameter or none: "
                f"{sum(started)} of {len(started)} parameters have one"
            )
        steps = {entry.get("step") for entry in entries}
        if len(steps) != 1 or None in steps:
            raise ValueError(
                'every parameter\'s state needs the same "step" count, got '
                f"{sorted(map(str, steps))}"
            )
        keys = [key for key in entries[0] if key != "step"]
        if any(set(entry) != {"step", *keys} for entry in entries):
            raise ValueError("every parameter's state needs the same keys")
        self._step = int(steps.pop())
        self._rows = [{key: float(entry[key]) for key in keys} for entry in entries]
        self._columns = None

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        if len(self.params) > FLOAT_PATH_LIMIT:
            theta = np.array([p.data for p in self.params], dtype=np.float64)
            grad = np.array([p.grad for p in self.params], dtype=np.float64)
            for p, value in zip(self.params, self.step_flat(theta, grad).tolist()):
                p.data = value
            return
        rows = self._row_layout()
        self._step += 1
        for p, row in zip(self.params, rows):
            p.data = self._rule(FloatMath, p.data, p.grad, row, self._step)

    def step_flat(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One step over whole arrays (the Values are not read or written)."""
        theta, grad = _flat_pair(theta, grad, len(self.params))
        columns = self._column_layout()
        self._step += 1
        with np.errstate(all="ignore"):
            new = self._rule(ArrayMath, theta, grad, columns, self._step)
        return np.array(new, dtype=np.float64)  # a new array: never one in state

    def _rule(self, math_, param, grad, state: dict, step: int):
        """The new ``param`` from ``grad``; updates ``state`` (float or array
        values) in place; ``step`` counts this step (1 on the first)."""
        raise NotImplementedError

    def _initial_state(self) -> dict[str, float]:
        """What a parameter's memory starts from on the first step."""
        return {}

    # --- the two layouts ------------------------------------------------------------
    def _row_layout(self) -> list[dict[str, float]]:
        if self._rows is None:
            if self._columns is None:
                initial = self._initial_state()
                self._rows = [dict(initial) for _ in self.params]
            else:
                self._rows = _rows_of(self._columns, len(self.params))
                self._columns = None
        return self._rows

    def _column_layout(self) -> dict[str, np.ndarray]:
        if self._columns is None:
            if self._rows is None:
                n = len(self.params)
                self._columns = {
                    key: np.full(n, value, dtype=np.float64)
                    for key, value in self._initial_state().items()
                }
            else:
                self._columns = {
                    key: np.array([row[key] for row in self._rows], dtype=np.float64)
                    for key in self._rows[0]
                }
                self._rows = None
        return self._columns

    def _memory(self, p: Value) -> Mapping[str, float] | None:
        """``p``'s buffers (without the step count), None before the first step."""
        i = self._index.get(p)
        if i is None:
            return None
        if self._rows is not None:
            return self._rows[i]
        if self._columns is None:
            return None
        return {key: float(column[i]) for key, column in self._columns.items()}


def _rows_of(
    columns: dict[str, np.ndarray], n: int, step: int | None = None
) -> list[dict[str, float]]:
    """Per-key arrays as one dict of floats per parameter (with ``"step"`` first
    if given)."""
    keys = list(columns)
    lists = [column.tolist() for column in columns.values()]
    if step is not None:
        keys.insert(0, "step")
        lists.insert(0, [step] * n)
    if not keys:
        return [{} for _ in range(n)]
    return [dict(zip(keys, row)) for row in zip(*lists)]
