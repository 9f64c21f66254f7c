"""Neurons, layers and multi-layer perceptrons made of :class:`~graphviz_dl.Value`.

The same models as micrograd's (and with the same parameter order, so a model
trained here can be compared weight for weight), with two changes:

* a neuron is ONE graph node for its weighted sum ``b + Σ wᵢxᵢ`` (the ``linear``
  op) plus one for its activation, not ``2n + 1`` nodes: graphs stay readable and
  training is many times faster;
* every parameter has a label that says where it sits: ``w[1,2,0]`` is the
  weight from input 0 into neuron 2 of layer 1, ``b[1,2]`` that neuron's bias
  (all counted from 0).

Calling a model records groups for the folded view: the MLP is a "network"
group, each layer a "layer" group ("layer 1" is the first, counted from 1 as a
person counts), each neuron a "neuron" group holding its weighted sum, its
activation and its parameters. Only the neuron builds nodes, and it tags its
two itself (its layer hands it the layer's group), so calling a model never
swaps the engine's allocators and costs a few object creations per neuron.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from .engine import Value
from .groups import Group, current, put_in_group

ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu,
    "gelu": Value.gelu,
    "linear": None,
}
"""Activation name → the Value method applied after the weighted sum."""

INITS = ("uniform", "xavier", "he")
"""Weight initializations: micrograd's U(−1, 1), Glorot uniform, He normal."""


def _check_choice(kind: str, name: str, choices: Sequence[str]) -> None:
    if name not in choices:
        raise ValueError(
            f"unknown {kind} {name!r}; choose one of: {', '.join(choices)}"
        )


def _check_size(what: str, n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{what} must be a whole number ≥ 1, not {n!r}")


def initial_weight(
    rng: random.Random, init: str, fan_in: int, fan_out: int = 1
) -> float:
    """One starting weight.

    Random (not zero) starting weights break the symmetry between neurons;
    their spread decides whether signals shrink or grow from layer to layer:

    * ``uniform``: w ~ U(−1, 1), micrograd's choice;
    * ``xavier`` (Glorot): w ~ U(−a, a) with a = √(6 / (fan_in + fan_out)),
      which keeps the variance steady for tanh and sigmoid layers;
    * ``he``: w ~ N(0, 2 / fan_in), which does the same for ReLU layers, which
      zero half their inputs.
    """
    _check_choice("initialization", init, INITS)
    if init == "xavier":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit)
    if init == "he":
        return rng.gauss(0.0, math.sqrt(2.0 / fan_in))
    return rng.uniform(-1.0, 1.0)


def _counted(noun: str, label: str) -> str:
    """``"layer 2"`` for the 0-based label ``"1"``: groups are counted from 1."""
    return f"{noun} {int(label) + 1}" if label.isdecimal() else noun


def _as_values(x: Sequence[Value | float]) -> list[Value]:
    return [v if isinstance(v, Value) else Value(v) for v in x]


class Module:
    """Anything with parameters: they can be listed and their gradients reset."""

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0.0 (leaves accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """``activation(b + w₁x₁ + … + wₙxₙ)``: a weighted sum, then a nonlinearity.

    ``label`` is the neuron's position, e.g. ``"1,2"`` for neuron 2 of layer 1;
    its weights are then labelled ``w[1,2,0]``, ``w[1,2,1]``, … and its bias
    ``b[1,2]``. ``fan_out`` only matters for Xavier initialization (the size of
    the layer this neuron belongs to).
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        rng: random.Random | None = None,
        init: str = "uniform",
        label: str = "",
        fan_out: int = 1,
    ) -> None:
        _check_size("a neuron's number of inputs", nin)
        _check_choice("activation", activation, list(ACTIVATIONS))
        _check_choice("initialization", init, INITS)
        rng = random.Random() if rng is None else rng
        prefix = f"{label}," if label else ""
        self.w = [
            Value(initial_weight(rng, init, nin, fan_out), label=f"w[{prefix}{i}]")
            for i in range(nin)
        ]
        self.b = Value(0.0, label=f"b[{label}]" if label else "b")
        self.activation = activation
        self._activate = ACTIVATIONS[activation]
        self._group_name = _counted("neuron", label.rsplit(",", 1)[-1])
        # Tagged once: an index moves a parameter into the group of the neuron
        # call that reads it (or outside, if several calls share it).
        put_in_group(self.parameters(), Group(self._group_name, "neuron"))

    def __call__(self, x: Sequence[Value | float]) -> Value:
        return self._forward(x, current())

    def _forward(self, x: Sequence[Value | float], within: Group | None) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        z = Value.linear(self.w, x, self.b)
        out = z if self._activate is None else self._activate(z)
        # The only two nodes built here: tagged directly, cheaper than a group.
        z.group = out.group = Group(self._group_name, "neuron", within)
        return out

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation!r})"


class Layer(Module):
    """``nout`` neurons that all read the same ``nin`` inputs.

    ``label`` is the layer's index; neuron ``j`` is labelled ``"<label>,j"``.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        rng: random.Random | None = None,
        init: str = "uniform",
        label: str = "",
    ) -> None:
        _check_size("a layer's number of outputs", nout)
        rng = random.Random() if rng is None else rng
        self.neurons = [
            Neuron(
                nin,
                activation,
                rng=rng,
                init=init,
                label=f"{label},{j}" if label else str(j),
                fan_out=nout,
            )
            for j in range(nout)
        ]
        self._group_name = _counted("layer", label)

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        return self._forward(x, current())

    def _forward(self, x: Sequence[Value | float], within: Group | None) -> list[Value]:
        # Numbers become constant leaves once, shared by every neuron.
        inputs = _as_values(x)
        mine = Group(self._group_name, "layer", within)
        return [neuron._forward(inputs, mine) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        first = self.neurons[0]
        return f"Layer({len(first.w)}, {len(self.neurons)}, {first.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: ``nin`` inputs, then one layer per entry of ``nouts``.

    Hidden layers use ``activation``; the last layer is linear, so the outputs
    are raw scores (for a regression target, or a loss that applies its own
    sigmoid or softmax). ``seed`` makes the starting weights reproducible.
    Calling it with one output returns a Value, with several a list.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        *,
        seed: int | None = None,
        init: str = "uniform",
    ) -> None:
        _check_size("an MLP's number of inputs", nin)
        if not nouts:
            raise ValueError("an MLP needs at least one layer size in nouts")
        _check_choice("activation", activation, list(ACTIVATIONS))
        _check_choice("initialization", init, INITS)
        rng = random.Random(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation if i < last else "linear",
                rng=rng,
                init=init,
                label=str(i),
            )
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = _as_values(x)
        mine = Group("MLP", "network", current())
        for layer in self.layers:
            out = layer._forward(out, mine)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP([{', '.join(repr(layer) for layer in self.layers)}])"
