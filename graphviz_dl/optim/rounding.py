"""Arithmetic that rounds exactly as PyTorch's CPU kernels do.

Where PyTorch fuses a multiply and an add into one rounding (``add`` with
``alpha``, ``addcmul``, ``lerp``), :func:`fma` does the same, so a trajectory
agrees with ``torch.optim`` to the last bit. :class:`FloatMath` and
:class:`ArrayMath` give an update rule the same operations on floats and on
numpy arrays, with the same bits.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .. import ieee

_TWO53 = 9007199254740992.0  # 2**53: turns a frexp mantissa into an exact integer

# The error-free transformations below are exact when the rounded product is at
# least 2⁻⁹⁰⁰ in size (then no partial product underflows: Boldo's condition
# for Dekker's product) and nothing overflows (which would leave an inf or nan
# in the result); sums that underflow are exact anyway. Other cases (zero
# factors, inf and nan among them) take exact integer arithmetic.
_VELTKAMP = 134217729.0  # 2**27 + 1: splits a double into two 26-bit halves
_PRODUCT_LOW = 2.0**-900


def fma(a: float, b: float, c: float) -> float:
    """``a·b + c`` rounded once, as a fused multiply-add (PyTorch's CPU kernels).

    The emulated FMA of Boldo and Melquiond (IEEE Trans. Computers 57(4),
    2008): Dekker's exact product ``a·b = p + e`` (Veltkamp splitting),
    Knuth's exact sum ``c + p = s + t``, the tail ``t + e`` rounded *to odd*,
    then ``s + tail`` rounded to nearest is ``a·b + c`` rounded once. Where
    that could under- or overflow, exact integer arithmetic on the mantissas
    instead. inf and nan follow IEEE rules.
    """
    scaled = _VELTKAMP * a
    a_hi = scaled - (scaled - a)
    a_lo = a - a_hi
    scaled = _VELTKAMP * b
    b_hi = scaled - (scaled - b)
    b_lo = b - b_hi
    product = a * b
    error = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    total = c + product
    part = total - c
    total_error = (c - (total - part)) + (product - part)
    tail = total_error + error
    part = tail - total_error
    tail_error = (total_error - (tail - part)) + (error - part)
    if tail_error != 0.0 and (tail / math.ulp(tail)) % 2.0 == 0.0:
        tail = math.nextafter(tail, math.copysign(math.inf, tail_error))  # to odd
    result = total + tail
    if abs(product) >= _PRODUCT_LOW and result - result == 0.0:
        return result
    return _fma_exact(a, b, c)


def _fma_exact(a: float, b: float, c: float) -> float:
    """:func:`fma` by exact integer arithmetic on the mantissas, then one
    correctly rounded conversion; rare extreme exponents go through
    ``Fraction``."""
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    if a == 0.0 or b == 0.0:
        return a * b + c
    ma, ea = math.frexp(a)
    mb, eb = math.frexp(b)
    mc, ec = math.frexp(c)
    ep = ea + eb - 106
    ec -= 53
    product = int(ma * _TWO53) * int(mb * _TWO53)
    addend = int(mc * _TWO53)
    gap = ep - ec
    if -1100 < gap < 1100:
        if gap >= 0:
            total, e = (product << gap) + addend, ec
        else:
            total, e = product + (addend << -gap), ep
        if total == 0:
            return 0.0
        bits = abs(total).bit_length()
        if bits < 1000 and bits + e > -1021:
            try:
                return math.ldexp(float(total), e)
            except OverflowError:
                pass
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        return 0.0
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def fma_array(a, b, c) -> np.ndarray:
    """:func:`fma` elementwise over arrays (or numbers, broadcast): the same
    steps as numpy operations, so the same bits, in about thirty operations
    whatever the length. Elements the error-free steps cannot do exactly
    (zero factors, inf, nan, tiny products, overflow) are redone one by one.
    """
    with np.errstate(all="ignore"):
        a_hi, a_lo = _split(a)
        b_hi, b_lo = _split(b)
        product = a * b
        error = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
        total, total_error = _two_sum(c, product)
        tail, tail_error = _two_sum(total_error, error)
        result = np.asarray(total + _round_to_odd(tail, tail_error))
        # one reduction for both conditions: an inf or nan result makes it nan
        if result.size and not (np.abs(product) + result * 0.0).min() >= _PRODUCT_LOW:
            result = _redo_outside_range(a, b, c, product, result)
    return result


def _split(x):
    """Veltkamp's split: ``x = hi + lo`` exactly, each half of at most 26 bits."""
    scaled = _VELTKAMP * x
    hi = scaled - (scaled - x)
    return hi, x - hi


def _two_sum(a, b):
    """Knuth's TwoSum: ``a + b = s + e`` exactly, ``s`` the rounded sum."""
    s = a + b
    b_part = s - a
    return s, (a - (s - b_part)) + (b - b_part)


def _round_to_odd(value, error):
    """``value + error`` rounded to odd, given ``value`` is it rounded to nearest.

    Rounding to odd is truncation, then setting the last bit if anything was
    cut off. ``value`` is the truncation unless it lies beyond the exact sum
    (``error`` of the other sign): then it is one step nearer zero, which in
    the bit pattern of a float of either sign is one less.
    """
    bits = np.asarray(value, dtype=np.float64).view(np.int64)
    error = np.asarray(error, dtype=np.float64)
    inexact = error != 0.0
    beyond = ((bits ^ error.view(np.int64)) < 0) & inexact
    return ((bits - beyond) | inexact).view(np.float64)


def _redo_outside_range(a, b, c, product, result: np.ndarray) -> np.ndarray:
    """Redo the elements the error-free steps cannot: IEEE ``a·b + c`` where a
    factor is 0 or anything is inf or nan (as :func:`fma`), exact integer
    arithmetic for tiny products and overflows."""
    a, b, c, product = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (a, b, c, product))
    )
    result = np.array(np.broadcast_to(result, a.shape), dtype=np.float64)
    plain = (
        ~(np.isfinite(a) & np.isfinite(b) & np.isfinite(c)) | (a == 0.0) | (b == 0.0)
    )
    result[plain] = (a * b + c)[plain]
    redo = ~plain & ~((np.abs(product) >= _PRODUCT_LOW) & np.isfinite(result))
    flat = result.reshape(-1)
    a, b, c = a.reshape(-1), b.reshape(-1), c.reshape(-1)
    for i in np.flatnonzero(redo).tolist():
        flat[i] = _fma_exact(float(a[i]), float(b[i]), float(c[i]))
    return result


class FloatMath:
    """The operations an update rule needs, on floats (one parameter at a time)."""

    fma = staticmethod(fma)
    sqrt = staticmethod(ieee.sqrt)
    div = staticmethod(ieee.div)
    maximum = staticmethod(ieee.maximum)


class ArrayMath:
    """The same operations on numpy arrays, rounding exactly as :class:`FloatMath`."""

    fma = staticmethod(fma_array)
    sqrt = staticmethod(np.sqrt)
    div = staticmethod(np.divide)
    maximum = staticmethod(np.maximum)


def lerp(math_, start, end, weight: float):
    """PyTorch's ``lerp``: ``start + weight·(end − start)``, fused, near end first."""
    if abs(weight) < 0.5:
        return math_.fma(weight, end - start, start)
    return math_.fma(-(1.0 - weight), end - start, end)
