"""A scalar PyTorch graph (``loss.grad_fn``), rebuilt node for node with our engine.

Read only through attributes: torch is never imported here. A backward node
keeps what its own derivative needs (``_saved_self``, ``_saved_other``,
``_saved_result``, ``_saved_exponent``); a plain number added to a tensor is
not kept at all, so it is recovered from a value known downstream (the node's
output saved by its consumer, or the root's own value). PyTorch frees saved
values when ``backward()`` runs: explore before it, or pass
``retain_graph=True``.
"""

from __future__ import annotations

import math

from .engine import Value
from .interop import GraphImportError, ImportedGraph, _foreign_order

UNARY = {
    "TanhBackward0": "tanh",
    "ExpBackward0": "exp",
    "SigmoidBackward0": "sigmoid",
    "ReluBackward0": "relu",
    "LogBackward0": "log",
    "SqrtBackward0": "sqrt",
    "AbsBackward0": "abs",
    "SinBackward0": "sin",
    "CosBackward0": "cos",
}


def from_torch(tensor) -> ImportedGraph:
    """Rebuild the graph that produced the scalar ``tensor``."""
    if tensor.numel() != 1:
        raise GraphImportError("only a scalar tensor (one number) can be explored")
    root_fn = tensor.grad_fn
    if root_fn is None:
        raise GraphImportError("this tensor was not computed from anything")
    order = _foreign_order(root_fn, _inputs)
    known = _known_outputs(order, root_fn, _number(tensor))
    graph = ImportedGraph(Value(0.0), "torch")
    built: dict[int, Value] = {}
    for fn in order:
        value = _build(
            fn, [None if f is None else built[id(f)] for f in _slots(fn)], known
        )
        built[id(fn)] = value
        variable = getattr(fn, "variable", None)
        if variable is not None:
            graph.foreign_data[value] = _number(variable)
            if variable.grad is not None:
                graph.foreign_grads[value] = _number(variable.grad)
    graph.root = built[id(root_fn)]
    graph.foreign_data[graph.root] = _number(tensor)
    return graph


def _slots(fn) -> list:
    """The backward node's inputs in operand order; None for a plain number."""
    return [f for f, _ in fn.next_functions]


def _inputs(fn) -> list:
    return [f for f in _slots(fn) if f is not None]


def _number(x) -> float:
    return float(x.item()) if hasattr(x, "item") else float(x)


INVERSES = {  # well-conditioned ways back from an output to its input
    "NegBackward0": lambda y: -y,
    "ExpBackward0": lambda y: math.log(y) if y > 0 else math.nan,
    "SqrtBackward0": lambda y: y * y,
}
FREED = (
    " (PyTorch frees what a graph kept when backward() runs: explore before "
    "backward(), or call backward(retain_graph=True))"
)


def _saved(fn, name: str) -> float | None:
    """A number the backward node kept, or None (not kept, or already freed)."""
    try:
        value = getattr(fn, name, None)
    except RuntimeError:  # freed by backward()
        return None
    return None if value is None else _number(value)


def _known_outputs(order: list, root_fn, root_value: float) -> dict[int, float]:
    """Every node output that can be known exactly: kept by a node (as its
    input or its own result), computed up from known inputs, or worked back
    down through sums from a known total (the root's value, at least)."""
    known = {id(root_fn): root_value}
    for fn in order:
        if hasattr(fn, "variable"):
            known[id(fn)] = _number(fn.variable)
        result = _saved(fn, "_saved_result")
        if result is not None:
            known[id(fn)] = result
        slots = _slots(fn)
        for position, name in enumerate(("_saved_self", "_saved_other")):
            if position < len(slots) and slots[position] is not None:
                value = _saved(fn, name)
                if value is not None:
                    known.setdefault(id(slots[position]), value)
    for _ in range(len(order)):  # until nothing new is learnt
        learnt = _compute_up(order, known)
        if not (_work_back(order, known) or learnt):
            break
    return known


def _compute_up(order: list, known: dict[int, float]) -> bool:
    """One sweep from the leaves up: a node whose inputs are known is known."""
    learnt = False
    for fn in order:
        slots = _slots(fn)
        if id(fn) in known or any(f is not None and id(f) not in known for f in slots):
            continue
        args = [None if f is None else Value(known[id(f)]) for f in slots]
        try:
            known[id(fn)] = _build(fn, args, known).data
        except GraphImportError:
            continue  # a number not known yet: perhaps after the next sweep
        learnt = True
    return learnt


def _work_back(order: list, known: dict[int, float]) -> bool:
    """One sweep from the root down: a sum's unknown tensor input is its total
    less its other, known, tensor input; exp, sqrt and negation are undone.
    Returns whether anything was learnt."""
    learnt = False
    for fn in reversed(order):
        kind = type(fn).__name__
        if id(fn) not in known:
            continue
        slots = _slots(fn)
        if kind in INVERSES and slots[0] is not None and id(slots[0]) not in known:
            known[id(slots[0])] = INVERSES[kind](known[id(fn)])
            learnt = True
            continue
        if kind not in ("AddBackward0", "SubBackward0"):
            continue
        if len(slots) != 2 or None in slots:
            continue
        a, b = slots
        out = known[id(fn)]
        sign = 1.0 if kind == "AddBackward0" else -1.0
        if id(a) in known and id(b) not in known:
            known[id(b)] = (out - known[id(a)]) * sign
            learnt = True
        elif id(b) in known and id(a) not in known:
            known[id(a)] = out - sign * known[id(b)]
            learnt = True
    return learnt


def _build(fn, args: list[Value | None], known: dict[int, float]) -> Value:
    kind = type(fn).__name__
    if kind == "AccumulateGrad":
        return Value(_number(fn.variable))
    if kind in UNARY:
        return getattr(args[0], UNARY[kind])()
    if kind == "NegBackward0":
        return -args[0]
    if kind in ("MulBackward0", "DivBackward0"):
        a = args[0] if args[0] is not None else _constant(fn, "_saved_self")
        b = (
            args[1]
            if len(args) > 1 and args[1] is not None
            else _constant(fn, "_saved_other")
        )
        return a * b if kind == "MulBackward0" else a / b
    if kind == "PowBackward0":
        return args[0] ** _constant(fn, "_saved_exponent")
    if kind == "PowBackward1":
        return args[0] ** args[1]
    if kind == "PowBackward2":
        return _constant(fn, "_saved_self") ** args[0]
    if kind in ("AddBackward0", "SubBackward0", "RsubBackward1"):
        return _sum_like(kind, fn, args, known)
    raise GraphImportError(f"the PyTorch operation {kind} is not one this engine knows")


def _constant(fn, name: str) -> float:
    value = _saved(fn, name)
    if value is None:
        raise GraphImportError(f"{type(fn).__name__} kept no {name[7:]}" + FREED)
    return value


def _sum_like(kind: str, fn, args: list, known: dict[int, float]) -> Value:
    alpha = _saved(fn, "_saved_alpha")
    alpha = 1.0 if alpha is None else alpha
    if kind == "RsubBackward1":  # c − α·x, c not kept
        out = _output(fn, known)
        return _tidy(out + alpha * args[0].data) - _scaled(alpha, args[0])
    a, b = (args + [None])[:2]
    if a is not None and b is not None:
        scaled = _scaled(alpha, b)
        return a + scaled if kind == "AddBackward0" else a - scaled
    out = _output(fn, known)
    sign = 1.0 if kind == "AddBackward0" else -1.0
    if b is None:  # a ± α·c
        c = _tidy((out - a.data) / (sign * alpha))
        return a + alpha * c if sign > 0 else a - alpha * c
    c = _tidy(out - sign * alpha * b.data)  # c ± α·b
    return c + _scaled(alpha, b) if sign > 0 else c - _scaled(alpha, b)


def _scaled(alpha: float, x: Value) -> Value:
    """``α·x`` as torch's ``alpha`` means it, with no node for the usual α = 1."""
    return x if alpha == 1.0 else alpha * x


def _output(fn, known: dict[int, float]) -> float:
    if id(fn) not in known:
        raise GraphImportError(
            f"a plain number in {type(fn).__name__} was not kept by PyTorch and "
            "nothing downstream says what it was: make it a tensor" + FREED
        )
    return known[id(fn)]


def _tidy(c: float) -> float:
    """A constant recovered by subtraction, without its rounding dust (1 not
    1.0000000000000002) when a short decimal is that close."""
    if not math.isfinite(c):
        return c
    short = float(f"{c:.12g}")
    return short if abs(short - c) <= 1e-12 * max(1.0, abs(c)) else c
