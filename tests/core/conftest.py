"""Core test set-up (no Qt here): the programs several test files read."""

import pytest

CHAIN_RULE = """\
# the chain-rule example: L = (t1*t2*x - y)^2
t1 = 0.5
t2 = -1.5
x = 2.0
y = 0.25
a = t1 * t2
b = a * x
c = b - y
L = c ** 2
"""


@pytest.fixture
def chain_rule() -> str:
    """The course notes' chain-rule program, L = (t1·t2·x − y)², one step a line
    (the comment is line 1, so ``L`` is line 9)."""
    return CHAIN_RULE
