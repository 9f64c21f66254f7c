"""Benchmarks that print figures: ``graphviz-dl bench engine|surfaces|compile|all``.

Speed and memory goals are measured here and shown side by side with their
targets, never asserted in tests (timings depend on the machine). Each module
exposes ``run(quick: bool = False) -> None``; ``quick`` uses small sizes, so the
whole path can be exercised in seconds.
"""
