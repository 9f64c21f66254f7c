"""Reliability figures: exits, soaks, killed saves, corrupt inputs, fuzzing.

``graphviz-dl bench reliability`` (or ``python -m benchmarks.reliability``)
prints each figure beside its goal, one table per kind of check. Each kind
lives in a module of its own; the parts that drive the app run in child
processes (:mod:`benchmarks.reliability.child`), so a crash, a hang or a kill
is something measured, never something that takes the harness down.

Importing this package loads no Qt: the fuzzer and the reports are used by
Qt-free tests too.
"""

KINDS = ("exits", "soak", "kills", "corrupt", "fuzz")
