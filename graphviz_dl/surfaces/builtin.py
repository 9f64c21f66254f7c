"""The classic test functions, each written once as ``f(x, y, m)``.

Domains and start points are chosen so each surface shows its lesson: the
bowl is easy, the elongated bowl makes gradient descent zig-zag, Rosenbrock's
curved valley punishes a small learning rate, saddles show escape (or not),
Rastrigin and the camel trap a method in a local minimum.
"""

from __future__ import annotations

from .core import Surface, SurfaceParameter, formula_surface


def _bowl(x, y, m):
    return x**2 + y**2


def _rosenbrock(x, y, m):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _beale(x, y, m):
    return (
        (1.5 - x + x * y) ** 2
        + (2.25 - x + x * y**2) ** 2
        + (2.625 - x + x * y**3) ** 2
    )


def _himmelblau(x, y, m):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _saddle(x, y, m):
    return x**2 - y**2


def _monkey_saddle(x, y, m):
    return x**3 - 3 * x * y**2


def _six_hump_camel(x, y, m):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def _rastrigin(x, y, m):
    return 20 + x**2 - 10 * m.cos(2 * m.pi * x) + y**2 - 10 * m.cos(2 * m.pi * y)


def _goldstein_price(x, y, m):
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    b = 30 + (2 * x - 3 * y) ** 2 * (
        18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2
    )
    return a * b


CONDITION = SurfaceParameter("condition", 10.0, 1.0, 1000.0, log=True)
"""The elongated bowl's knob: the ratio of its two curvatures."""


def elongated_bowl(condition: float = CONDITION.default) -> Surface:
    """``(x² + κ·y²)/2``: curvature 1 along x and κ along y (condition number κ).

    Gradient descent is stable only for lr < 2/κ, and then crawls along x at a
    rate set by 1/κ: the larger κ, the longer the zig-zag.
    """
    kappa = float(condition)
    if not kappa >= 1.0:
        raise ValueError(f"condition must be ≥ 1, got {kappa!r}")
    shown = f"{kappa:g}"

    def function(x, y, m):
        return (x**2 + kappa * y**2) / 2

    return formula_surface(
        "elongated-bowl",
        "Elongated bowl",
        f"(x² + {shown}·y²) / 2",
        function,
        domain=((-5.0, 5.0), (-3.0, 3.0)),
        minima=[(0.0, 0.0)],
        start=(-4.5, 2.0),
        log_scale=False,
        description=f"Curvatures 1 and {shown}: condition number {shown}. "
        "Gradient descent zig-zags across the narrow direction and crawls "
        "along the long one; momentum and Adam straighten the path.",
        parameter=CONDITION,
        parameter_value=kappa,
        _rebuild=elongated_bowl,
    )


def classic_surfaces() -> list[Surface]:
    """The textbook test functions, in menu order (bowls first, hardest last)."""
    return [
        formula_surface(
            "quadratic-bowl",
            "Quadratic bowl",
            "x² + y²",
            _bowl,
            domain=((-5, 5), (-5, 5)),
            minima=[(0, 0)],
            start=(-4.0, 3.0),
            log_scale=False,
            description="Round and convex: the gradient points straight at the "
            "minimum. Gradient descent converges for lr < 1 and jumps there in "
            "one step at lr = 0.5.",
        ),
        elongated_bowl(),
        formula_surface(
            "rosenbrock",
            "Rosenbrock",
            "(1 − x)² + 100·(y − x²)²",
            _rosenbrock,
            domain=((-2, 2), (-1, 3)),
            minima=[(1, 1)],
            start=(-1.5, 2.0),
            log_scale=True,
            description="A long, curved, flat-bottomed valley: finding the valley "
            "is easy, following it to (1, 1) is not.",
        ),
        formula_surface(
            "beale",
            "Beale",
            "(1.5 − x + x·y)² + (2.25 − x + x·y²)² + (2.625 − x + x·y³)²",
            _beale,
            domain=((-4.5, 4.5), (-4.5, 4.5)),
            minima=[(3, 0.5)],
            start=(1.0, 1.5),
            log_scale=True,
            description="Flat plateaus and steep walls whose values span ten "
            "orders of magnitude; the minimum sits in a narrow arm at (3, 0.5).",
        ),
        formula_surface(
            "himmelblau",
            "Himmelblau",
            "(x² + y − 11)² + (x + y² − 7)²",
            _himmelblau,
            domain=((-5, 5), (-5, 5)),
            minima=[
                (3.0, 2.0),
                (-2.805118086952745, 3.131312518250573),
                (-3.779310253377747, -3.2831859912861696),
                (3.5844283403304917, -1.8481265269644036),
            ],
            start=(0.0, 0.0),
            log_scale=True,
            description="Four equally deep minima: which one an optimizer reaches "
            "depends on where it starts and how it moves.",
        ),
        formula_surface(
            "saddle",
            "Saddle",
            "x² − y²",
            _saddle,
            domain=((-2, 2), (-2, 2)),
            minima=[],
            start=(-1.5, 0.01),
            log_scale=False,
            description="Up along x, down along y: the gradient at (0, 0) is zero "
            "but it is no minimum. Starting almost on the x axis, descent first "
            "heads for the saddle point and only slowly slides off it.",
        ),
        formula_surface(
            "monkey-saddle",
            "Monkey saddle",
            "x³ − 3·x·y²",
            _monkey_saddle,
            domain=((-2, 2), (-2, 2)),
            minima=[],
            start=(1.5, 0.2),
            log_scale=False,
            description="Three valleys meet at a flat point where even the "
            "curvature is zero; no minimum anywhere.",
        ),
        formula_surface(
            "six-hump-camel",
            "Six-hump camel",
            "(4 − 2.1·x² + x⁴/3)·x² + x·y + (−4 + 4·y²)·y²",
            _six_hump_camel,
            domain=((-2, 2), (-1.2, 1.2)),
            minima=[
                (0.08984201310031807, -0.7126564030207396),
                (-0.08984201310031807, 0.7126564030207396),
            ],
            start=(-1.2, -1.0),
            log_scale=False,
            description="Six local minima, two of them global (f ≈ −1.0316): "
            "which one a run reaches depends on its path (from the default start, "
            "momentum swings over to the other one).",
        ),
        formula_surface(
            "rastrigin",
            "Rastrigin",
            "20 + x² − 10·cos(2πx) + y² − 10·cos(2πy)",
            _rastrigin,
            domain=((-5.12, 5.12), (-5.12, 5.12)),
            minima=[(0, 0)],
            start=(3.2, -2.7),
            log_scale=False,
            description="A bowl covered in a regular egg-crate of local minima; "
            "only momentum large enough to jump the bumps gets far.",
        ),
        formula_surface(
            "goldstein-price",
            "Goldstein–Price",
            "[1 + (x + y + 1)²·(19 − 14x + 3x² − 14y + 6xy + 3y²)] · "
            "[30 + (2x − 3y)²·(18 − 32x + 12x² + 48y − 36xy + 27y²)]",
            _goldstein_price,
            domain=((-2, 2), (-2, 2)),
            minima=[(0, -1)],
            start=(-0.5, 0.5),
            log_scale=True,
            description="Values from 3 to about a million within a small square, "
            "curvatures in the thousands (plain SGD needs lr ≈ 1e-5) and several "
            "local minima; the global one is f(0, −1) = 3.",
        ),
    ]
