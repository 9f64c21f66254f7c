"""2-D objective functions: the registry, typed surfaces, and data-driven losses.

Every surface is written once and gives both an engine graph (gradients by
backpropagation, what an optimizer sees) and a vectorized numpy evaluation
(the picture). :data:`SURFACES` lists the built-ins in menu order.
"""

from __future__ import annotations

from .builtin import CONDITION, classic_surfaces, elongated_bowl
from .core import (
    NUMPY_MATH,
    VALUE_MATH,
    Definition,
    FormulaDefinition,
    Surface,
    SurfaceParameter,
    formula_surface,
)
from .data import (
    classification_data,
    least_squares,
    linear_regression_mse,
    logistic_minimum,
    logistic_regression_bce,
    regression_data,
)
from .expression import surface_from_expression
from .graph_surface import graph_surface

__all__ = [
    "CONDITION",
    "NUMPY_MATH",
    "SURFACES",
    "VALUE_MATH",
    "Definition",
    "FormulaDefinition",
    "Surface",
    "SurfaceParameter",
    "classification_data",
    "elongated_bowl",
    "formula_surface",
    "get_surface",
    "graph_surface",
    "least_squares",
    "linear_regression_mse",
    "logistic_minimum",
    "logistic_regression_bce",
    "regression_data",
    "surface_from_expression",
]

SURFACES: dict[str, Surface] = {
    surface.name: surface
    for surface in [
        *classic_surfaces(),
        linear_regression_mse(),
        logistic_regression_bce(),
    ]
}
"""The built-in surfaces by name, in menu order."""


def get_surface(name: str) -> Surface:
    """The built-in surface called ``name``; KeyError lists the known names."""
    try:
        return SURFACES[name]
    except KeyError:
        known = ", ".join(SURFACES)
        raise KeyError(f"unknown surface {name!r}; known surfaces: {known}") from None
