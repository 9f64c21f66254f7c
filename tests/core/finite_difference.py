"""The tests' own central difference: an estimate made without the engine's
backward, to hold its gradients against."""

from graphviz_dl.engine import Value, recompute


def central_difference(root: Value, leaf: Value, h: float = 1e-6) -> float:
    """d root / d leaf by central differences, recomputing the graph; the
    leaf's value and the graph are left as they were."""
    saved = leaf.data
    leaf.data = saved + h
    recompute(root)
    up = root.data
    leaf.data = saved - h
    recompute(root)
    down = root.data
    leaf.data = saved
    recompute(root)
    return (up - down) / (2 * h)
