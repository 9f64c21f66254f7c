"""Compile a Value graph into a vectorized program: one graph, two ways to run it.

The scalar graph is what a person inspects and steps through; the compiled
program evaluates the same graph, through the same op table, for whole arrays
of leaf values at once — a loss surface, a batch of samples — with gradients
by reverse mode (backpropagation) or forward mode (tangents)::

    x, y = Value(0.0, label="x"), Value(0.0, label="y")
    loss = (1 - x) ** 2 + 100 * (y - x**2) ** 2
    program = compile_graph(loss, [x, y])
    grid = np.linspace(-2, 2, 400)
    surface = program.forward(grid[:, None], grid[None, :])      # (400, 400)
    value, (dx, dy) = program.value_and_grad(0.5, 0.25)          # at one point

How it runs: the graph is traced once into index arrays; nodes are grouped by
level and op, and each group runs as one numpy call over a stacked
``[nodes × batch]`` array (:mod:`.trace`, :mod:`.kernels`). Nodes that depend
on constants only are computed once (:mod:`.shared`); on a grid, nodes that
depend on one axis only are computed along that axis (:mod:`.tiers`).
"""

from .program import CompiledGraph, GraphInputError, compile_graph

__all__ = ["CompiledGraph", "GraphInputError", "compile_graph"]
