"""The engine benchmark's op-by-op rows: graphs written the way people write them.

The workloads themselves are in :mod:`.unfused`; this module measures them
on both engines and lays out their rows. Standard library only at the top.
"""

from __future__ import annotations

from collections.abc import Callable

if __package__:
    from .engine_table import MICROGRAD, OURS, Row, seconds
    from .harness import Samples, progress
else:  # a worker started by path
    from engine_table import MICROGRAD, OURS, Row, seconds
    from harness import Samples, progress

TARGET = 0.2  # ours ÷ micrograd, at most: at least five times faster


def measure(sizes, measure: Callable[..., Samples]) -> tuple[list[Row], dict]:
    """The op-by-op workloads (``measure(workload, **params)`` runs one on
    both engines, alternating); the rows, and what each engine computed."""
    progress(f"micrograd's README expression ×{sizes.readme:,}")
    readme = measure("readme", repeats=sizes.readme)
    net = f"MLP 2-{sizes.mlp_hidden}-{sizes.mlp_hidden}-1"
    progress(f"an op-by-op {net} on {sizes.mlp_points} points")
    mlp = measure(
        "mlp",
        points=sizes.mlp_points,
        hidden=sizes.mlp_hidden,
        steps=sizes.mlp_steps,
    )
    progress(f"a {sizes.mixed_chain:,}-op chain of *, +, relu")
    chain = measure("chain", n=sizes.mixed_chain)
    progress(f"a {sizes.plus_terms:,}-term sum built with +")
    plus = measure("plus_loop", n=sizes.plus_terms)
    mixed = f"chain of *, +, relu, {sizes.mixed_chain:,} ops"
    target = TARGET
    rows = [
        Row(
            f"README expression ×{sizes.readme:,}: build + backward",
            readme,
            "readme",
            seconds,
            readme,
            target,
        ),
        Row(
            f"{net} op by op, {sizes.mlp_points} points: forward + backward",
            mlp,
            "mlp",
            seconds,
            mlp,
            target,
        ),
        Row(f"{mixed}: build", chain, "build", seconds, chain),
        Row(f"{mixed}: backward", chain, "backward", seconds, chain, target),
        Row(f"{mixed}: build + backward", chain, "total", seconds, chain, target),
        Row(
            f"sum of {sizes.plus_terms:,} terms with + in a loop: build + backward",
            plus,
            "total",
            seconds,
            plus,
            target,
        ),
    ]
    checks = {
        "README g, dg/da, dg/db": (readme, "check"),
        f"{net} loss": (mlp, "loss"),
        "chain dy/dx": (chain, "grad"),
        "sum d/d(first term)": (plus, "grad"),
    }
    return rows, checks


def print_agreement(checks: dict) -> None:
    """Both engines compute the same numbers: print them side by side."""
    from graphviz_dl.numfmt import format_number

    def shown(value) -> str:
        return value if isinstance(value, str) else format_number(value, 10)

    parts = []
    for name, (samples, key) in checks.items():
        ours = samples.last(OURS, key)
        theirs = samples.last(MICROGRAD, key)
        if ours is None:
            continue
        text = f"{name}: ours {shown(ours)}"
        if theirs is not None:
            text += f", micrograd {shown(theirs)}"
        parts.append(text)
    if parts:
        print("Op-by-op results (the engines must agree):")
        for part in parts:
            print(f"  {part}")
