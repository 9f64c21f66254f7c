"""Fuzzing the grown language: lists, loops, comprehensions, sums and methods.

Whatever the program, only ExpressionError escapes, and an accepted program
never holds more nodes than the cap (the caps, not the clock, bound the time).
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphviz_dl.engine import topological_order
from graphviz_dl.expr import MAX_NODES, ExpressionError, parse
from graphviz_dl.expr_functions import METHODS

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

SIZES = st.sampled_from(["0", "1", "2", "3", "7", "40", "300", "5000", "10 ** 6", "-2"])
LISTS = ["xs", "ws", "[a, b]", "[1.0, -2.0, 0.5]", "[]"]
SCALARS = ["a", "b", "c", "1.5", "-2", "xs[0]", "ws[-1]", "xs[n]", "i", "x", "'t'"]
_METHODS = [*METHODS, "backward", "__class__", "data", "foo"]


@st.composite
def scalars(draw, depth: int = 0) -> str:
    kind = draw(st.integers(0, 6 if depth < 3 else 0))
    if kind == 0:
        return draw(st.sampled_from(SCALARS))
    if kind == 1:
        op = draw(st.sampled_from(["+", "-", "*", "/", "**", "//"]))
        return f"({draw(scalars(depth + 1))} {op} {draw(scalars(depth + 1))})"
    if kind == 2:
        method = draw(st.sampled_from(_METHODS))
        args = "b" if METHODS.get(method, "").endswith("(y)") else ""
        return f"({draw(scalars(depth + 1))}).{method}({args})"
    if kind == 3:
        return f"sum({draw(sequences(depth + 1))}, {draw(scalars(depth + 1))})"
    if kind == 4:
        return f"sum({draw(sequences(depth + 1))})"
    if kind == 5:
        return f"Value({draw(st.sampled_from(['2.0', 'i', 'x', 'a']))}, label='v')"
    return f"tanh({draw(scalars(depth + 1))})"


@st.composite
def sequences(draw, depth: int = 0) -> str:
    kind = draw(st.integers(0, 4 if depth < 3 else 0))
    if kind == 0:
        return draw(st.sampled_from(LISTS))
    if kind == 1:
        return f"range({draw(SIZES)})"
    if kind == 2:
        body = draw(scalars(depth + 1))
        return f"[{body} for i in {draw(sequences(depth + 1))}]"
    if kind == 3:
        body = draw(scalars(depth + 1))
        inner = draw(sequences(depth + 1))
        return f"({body} for i in range({draw(SIZES)}) for j in {inner})"
    return f"zip({draw(sequences(depth + 1))}, {draw(sequences(depth + 1))})"


@st.composite
def statements(draw, indent: str = "", depth: int = 0) -> list[str]:
    kind = draw(st.integers(0, 5 if depth < 2 else 2))
    if kind == 0:
        name = draw(st.sampled_from(["h", "s", "a", *(f"v{k}" for k in range(9))]))
        return [f"{indent}{name} = {draw(scalars())}"]
    if kind == 1:
        return [f"{indent}s += {draw(scalars())}"]
    if kind == 2:
        return [f"{indent}c.label = 'c'; s.backward()"]
    header = draw(
        st.sampled_from(
            [
                f"for i in range({draw(SIZES)}):",
                f"for i in {draw(sequences())}:",
                "for i, x in enumerate(xs):",
                "for w, x in zip(ws, xs):",
            ]
        )
    )
    body = draw(
        st.lists(statements(indent + "    ", depth + 1), min_size=1, max_size=3)
    )
    return [f"{indent}{header}", *(line for lines in body for line in lines)]


PRELUDE = [
    "a = Value(2.0, label='a')",
    "b = Value(-3.0)",
    "xs = [Value(1.0), Value(-1.0), Value(0.5)]",
    "ws = [0.1, 0.2, -0.3]",
    "c = a * b",
    "s = 0.0",
    "n = len(xs)",
]


@st.composite
def programs(draw) -> str:
    blocks = draw(st.lists(statements(), min_size=1, max_size=5))
    lines = PRELUDE + [line for block in blocks for line in block]
    return "\n".join(lines)


def _check(text: str) -> None:
    try:
        values = parse(text)
    except ExpressionError as error:
        assert error.line >= 1 and error.col >= 1 and error.message
        return
    seen: set[int] = set()
    for value in values.values():
        seen.update(id(node) for node in topological_order(value))
    assert len(seen) <= MAX_NODES
    root = list(values.values())[-1]
    root.backward()
    assert root.grad == 1.0 or root.is_leaf


@FUZZ
@given(programs())
def test_loop_shaped_programs_build_under_the_caps_or_are_expression_errors(text):
    _check(text)


@FUZZ
@given(programs(), st.integers(min_value=0), st.sampled_from(list("[](),.:=+*'_ \n")))
def test_damaged_loop_programs_are_expression_errors_or_build(text, where, insert):
    where %= len(text) + 1
    _check(text[:where] + insert + text[where:])
