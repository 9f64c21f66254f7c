"""Typed programs: ``graphviz-dl bench language [--quick]``.

A program of 2,000 and of 20,000 lines (the most statements a program may
have) is parsed, built and walked through, as the explorer prepares it before
the layout: the figures show whether the cost stays linear in lines. Each is
set beside Python's own :func:`ast.parse` of the same text, the floor every
program pays (the language walks Python's syntax tree against a whitelist).
Goal: the 20,000-line program in ≤ 1 s, the cost per line the same at both
sizes. Figures are medians of CPU time, sizes alternating.
"""

from __future__ import annotations

import ast
import gc
import statistics

from .harness import cpu_seconds, format_seconds, print_table, progress

SIZES = (2_000, 20_000)
QUICK_SIZES = (200, 2_000)
GOAL_SECONDS = 1.0
"""parse + build + walkthrough of 20,000 lines."""


def neuron_chain(lines: int) -> str:
    """``lines`` lines of ``x{i} = tanh(w*x{i-1}+b)``, three nodes a line.

    Written without spaces, 20,000 lines stay under the language's limit on
    characters (500,000)."""
    text = ["x0 = 0.5", "w = 1.01", "b = 0.1"]
    text += [f"x{i} = tanh(w*x{i - 1}+b)" for i in range(1, lines - 2)]
    return "\n".join(text)


def _once(text: str) -> dict[str, float]:
    from ..graph_index import GraphIndex
    from ..language import parse
    from ..walkthrough import walkthrough

    gc.collect()
    start = cpu_seconds()
    tree = ast.parse(text)
    read = cpu_seconds()
    del tree
    gc.collect()
    begin = cpu_seconds()
    values = parse(text)
    built = cpu_seconds()
    walk = walkthrough(GraphIndex(list(values.values())[-1]))
    walked = cpu_seconds()
    return {
        "ast": read - start,
        "build": built - begin,
        "walk": walked - built,
        "total": walked - begin,
        "nodes": float(len(walk.nodes)),
    }


def measure(sizes: tuple[int, ...], runs: int) -> dict[int, dict[str, float]]:
    """Median figures per size, the sizes alternating run after run."""
    texts = {lines: neuron_chain(lines) for lines in sizes}
    samples: dict[int, list[dict[str, float]]] = {lines: [] for lines in sizes}
    for _ in range(runs):
        for lines in sizes:
            samples[lines].append(_once(texts[lines]))
    return {
        lines: {key: statistics.median(s[key] for s in rows) for key in rows[0]}
        for lines, rows in samples.items()
    }


def run(quick: bool = False) -> None:
    sizes = QUICK_SIZES if quick else SIZES
    runs = 1 if quick else 5
    progress(f"typed programs of {' and '.join(f'{n:,}' for n in sizes)} lines")
    figures = measure(sizes, runs)
    print(
        "Typed programs: parse + build + walkthrough, a neuron chain "
        "x{i} = tanh(w*x{i-1}+b)"
    )
    print(f"(CPU time, median of {runs}; peer: Python's ast.parse of the same text)")
    print()
    rows = [
        [
            "lines",
            "nodes",
            "ast.parse (peer)",
            "parse + build",
            "walkthrough",
            "total",
            "per line",
            "goal",
        ]
    ]
    for lines, f in figures.items():
        goal = f"≤ {GOAL_SECONDS:g} s" if lines == SIZES[-1] else ""
        if goal:
            goal += "  ok" if f["total"] <= GOAL_SECONDS else "  MISSED"
        rows.append(
            [
                f"{lines:,}",
                f"{int(f['nodes']):,}",
                format_seconds(f["ast"]),
                format_seconds(f["build"]),
                format_seconds(f["walk"]),
                format_seconds(f["total"]),
                format_seconds(f["total"] / lines),
                goal,
            ]
        )
    print_table(rows)
    small, large = sizes[0], sizes[-1]
    growth = (figures[large]["total"] / large) / (figures[small]["total"] / small)
    print()
    print(
        f"cost per line at {large:,} lines ÷ at {small:,}: {growth:.2f} "
        "(goal: about 1, linear)"
    )
