"""Benchmarks that print figures: ``graphviz-dl bench NAME|all [--quick]``.

Speed and memory goals are measured here and shown side by side with their
targets, never asserted in tests (timings depend on the machine). Each module
exposes ``run(quick: bool = False) -> None``; ``quick`` uses small sizes, so the
whole path can be exercised in seconds. What they share (worker processes,
alternating runs, medians, tables, the command line) is in :mod:`.harness`.
"""
