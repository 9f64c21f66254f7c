"""Scalar arithmetic with IEEE results instead of Python exceptions.

Python raises where numpy and PyTorch answer with a number: ``1/0`` is
``inf``, ``0/0`` and ``log(−1)`` are ``nan``, ``exp(1000)`` overflows to
``inf``. The op table and the optimizers compute with these so a scalar step
gives what the vectorized (numpy) step gives, and a bad number is shown where
it appears instead of stopping the program.
"""

from __future__ import annotations

import math

INF = math.inf
NAN = math.nan


def div(a: float, b: float) -> float:
    """``a / b``; ``x/0`` is ±inf and ``0/0`` nan, as in numpy and PyTorch."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0.0 or math.isnan(a):
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def power(a: float, b: float) -> float:
    """``a ** b`` as numpy computes it: inf on overflow, nan for a complex result."""
    if a == -INF and b > 0.0 and not b.is_integer():
        return NAN  # numpy's answer; C's pow says +inf
    try:
        out = a**b
    except ZeroDivisionError:  # 0.0 ** negative
        return (
            INF
            if not (b.is_integer() and int(b) % 2 and math.copysign(1, a) < 0)
            else -INF
        )
    except OverflowError:
        return INF if a > 0 or (b.is_integer() and int(b) % 2 == 0) else -INF
    return NAN if isinstance(out, complex) else out


def exp(a: float) -> float:
    """``e ** a``, inf when it overflows."""
    try:
        return math.exp(a)
    except OverflowError:
        return INF


def log(a: float) -> float:
    """Natural log: ``log(0) = −inf``, nan below 0."""
    if a > 0.0:
        return math.log(a)
    return -INF if a == 0.0 else NAN


def sqrt(a: float) -> float:
    """Square root: nan below 0, inf stays inf."""
    return math.sqrt(a) if a >= 0.0 else NAN


def sin(a: float) -> float:
    """sin, nan for ±inf (where Python raises)."""
    return math.sin(a) if math.isfinite(a) else NAN


def cos(a: float) -> float:
    """cos, nan for ±inf (where Python raises)."""
    return math.cos(a) if math.isfinite(a) else NAN


def sign(a: float) -> float:
    """sign(x) as numpy has it: 0 at 0, nan at nan."""
    if math.isnan(a):
        return NAN
    return 1.0 if a > 0.0 else -1.0 if a < 0.0 else 0.0


def maximum(a: float, b: float) -> float:
    """The larger of two numbers; nan if either is (numpy, ``torch.maximum``)."""
    if math.isnan(a) or math.isnan(b):
        return NAN
    return max(a, b)


def minimum(a: float, b: float) -> float:
    """The smaller of two numbers; nan if either is."""
    if math.isnan(a) or math.isnan(b):
        return NAN
    return min(a, b)
