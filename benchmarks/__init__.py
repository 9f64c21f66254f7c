"""Benchmarks of the windows (they need Qt, so they cannot live in the core)."""
