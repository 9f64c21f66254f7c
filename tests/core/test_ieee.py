"""IEEE scalar helpers and exact number text, shared by the op table and optimizers."""

import math

import pytest

from graphviz_dl import ieee
from graphviz_dl.numfmt import exact_number

INF, NAN = math.inf, math.nan


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [
        (ieee.div, (1.0, 0.0), INF),
        (ieee.div, (-1.0, 0.0), -INF),
        (ieee.div, (1.0, -0.0), -INF),
        (ieee.div, (0.0, 0.0), NAN),
        (ieee.div, (6.0, 4.0), 1.5),
        (ieee.power, (0.0, -1.0), INF),
        (ieee.power, (-8.0, 1.0 / 3.0), NAN),
        (ieee.power, (10.0, 400.0), INF),
        (ieee.exp, (1000.0,), INF),
        (ieee.log, (0.0,), -INF),
        (ieee.log, (-1.0,), NAN),
        (ieee.sqrt, (-4.0,), NAN),
        (ieee.sqrt, (INF,), INF),
        (ieee.sin, (INF,), NAN),
        (ieee.sign, (NAN,), NAN),
        (ieee.sign, (-0.0,), 0.0),
        (ieee.maximum, (NAN, 1.0), NAN),
        (ieee.maximum, (1.0, NAN), NAN),
        (ieee.maximum, (-2.0, 3.0), 3.0),
        (ieee.minimum, (1.0, NAN), NAN),
        (ieee.minimum, (-2.0, 3.0), -2.0),
    ],
)
def test_ieee_results_instead_of_exceptions(function, args, expected):
    assert same(function(*args), expected)


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (2.0, "2"),
        (-1.0, "\u22121"),
        (0.5, "0.5"),
        (1e-8, "1e\u221208"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e15, "1000000000000000.0"),
        (INF, "inf"),
        (-INF, "\u2212inf"),
        (NAN, "nan"),
    ],
)
def test_exact_number_reads_back_as_the_same_float(x, text):
    assert exact_number(x) == text
    if math.isfinite(x):
        assert float(text.replace("\u2212", "-")) == x
