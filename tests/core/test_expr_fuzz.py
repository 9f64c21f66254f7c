"""Fuzzing: whatever the text, parse raises only ExpressionError, and backward never raises."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphviz_dl.engine import topological_order
from graphviz_dl.expr import ExpressionError, parse
from graphviz_dl.expr_functions import FUNCTIONS

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

PRELUDE = "a = 0.5\nb = -2.0\nx = 3.0\n"
"""Leaves assigned first, so grammar-shaped programs often get all the way through."""

NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(min_value=0, max_value=10**40).map(str),
    st.sampled_from(
        ["0", "1", "2", "9", "0.0", "1e308", "1e-320", "1e999", "0x1f", "1_0", ".5"]
    ),
    st.sampled_from(["inf", "nan", "-inf"]),
)
GOOD_OPERATORS = ["+", "-", "*", "/", "**", "^", "−", "·"]
BAD_OPERATORS = ["//", "%", "@", "<", "and", "|"]
BAD_NAMES = ["q", "exp", "__x", "os", "x.data", "x[0]", "'s'", "lambda: 1"]


_CHANCES = {n: st.sampled_from([False] * (n - 1) + [True]) for n in (4, 10, 15, 20, 25)}
_INDEX = st.integers(min_value=0, max_value=2**16)
_KINDS = [
    st.sampled_from(["binary", "call", "binary", "call", "negate", "bracket"]),
    st.sampled_from(["binary", "call", "negate", "bracket", "name", "name", "number"]),
    st.sampled_from(["name", "number"]),
]
_FUNCTION_NAMES = [*FUNCTIONS]


def rarely(draw, one_in: int) -> bool:
    """True about once in ``one_in`` draws; shrinks to False."""
    return draw(_CHANCES[one_in])


def pick(draw, items: list[str]) -> str:
    """One of ``items`` (strategies are built once: building them is the slow part)."""
    return items[draw(_INDEX) % len(items)]


@st.composite
def expressions(draw, names: list[str], depth: int = 0) -> str:
    """An expression over ``names``: mostly well formed, sometimes not."""
    kind = draw(_KINDS[0 if depth == 0 else 1 if depth < 3 else 2])
    if kind == "number":
        return draw(NUMBERS)
    if kind == "name":
        return pick(draw, BAD_NAMES if rarely(draw, 20) else names)
    if kind == "binary":
        op = pick(draw, BAD_OPERATORS if rarely(draw, 25) else GOOD_OPERATORS)
        left = draw(expressions(names, depth + 1))
        right = draw(expressions(names, depth + 1))
        return f"{left} {op} {right}"
    if kind == "negate":
        return f"-({draw(expressions(names, depth + 1))})"
    if kind == "bracket":
        return f"({draw(expressions(names, depth + 1))} + 1)"
    name = pick(draw, ["foo", "softmax"] if rarely(draw, 20) else _FUNCTION_NAMES)
    function = FUNCTIONS.get(name)
    low = function.min_args if function else 1
    count = low + 1 if rarely(draw, 10) else low
    if name in ("sum", "linear", "cross_entropy"):
        count += 2 * (draw(_INDEX) % 3)
    args = [draw(expressions(names, depth + 1)) for _ in range(count)]
    if name in ("leaky_relu", "cross_entropy") and args and not rarely(draw, 4):
        args[-1] = pick(draw, ["0", "1", "0.2", "-1", "2.5"])
    if name == "hinge" and not rarely(draw, 4):
        args[-1] = pick(draw, ["1", "-1"])
    return f"{name}({', '.join(args)})"


@st.composite
def programs(draw) -> str:
    """A prelude, then assignments to fresh names using earlier ones (mostly)."""
    names = ["a", "b", "x"]
    lines = [PRELUDE]
    for i in range(1 + draw(_INDEX) % 6):
        target = f"v{i}"
        if rarely(draw, 15):
            target = pick(draw, ["a", "exp", "__c", "inf", "v0", "x, y"])
        lines.append(f"{target} = {draw(expressions(names))}")
        names.append(f"v{i}")
    if rarely(draw, 10):
        lines.append(pick(draw, ["", "# note", "pass", "y = a = 1"]))
    return "\n".join(lines)


PROGRAMS = programs()
SYNTAX_ALPHABET = st.sampled_from(list("abxyLe019.+-*/^()=,#_ \n\t'[]:@%−·√λ\\"))


def outcome(text: str):
    """The parsed program, or None when it is refused (with a sound location)."""
    try:
        values = parse(text)
    except ExpressionError as error:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert 1 <= error.line <= max(len(lines), 1)
        assert error.col >= 1 and isinstance(error.message, str) and error.message
        return None
    assert values and all(isinstance(k, str) for k in values)
    return values


def check_backward(values) -> None:
    root = list(values.values())[-1]
    root.backward()
    assert root.grad == 1.0 or root.is_leaf
    for node in topological_order(root):
        assert isinstance(node.data, float) and isinstance(node.grad, float)


@FUZZ
@given(st.text(max_size=200))
def test_any_text_parses_or_is_an_expression_error(text):
    values = outcome(text)
    if values is not None:
        check_backward(values)


@FUZZ
@given(st.text(SYNTAX_ALPHABET, max_size=120))
def test_syntax_like_text_parses_or_is_an_expression_error(text):
    values = outcome(text)
    if values is not None:
        check_backward(values)


@settings(FUZZ, max_examples=100)
@given(PROGRAMS, st.integers(min_value=0), st.text(SYNTAX_ALPHABET, max_size=3))
def test_damaged_programs_parse_or_are_expression_errors(text, where, insert):
    where %= len(text) + 1
    damaged = text[:where] + insert + text[where + len(insert) :]
    values = outcome(damaged)
    if values is not None:
        check_backward(values)


@FUZZ
@given(PROGRAMS)
def test_grammar_shaped_programs_parse_or_are_expression_errors(text):
    """And a program that parses keeps every name, as a label, in order."""
    values = outcome(text)
    if values is None:
        return
    check_backward(values)
    assert list(values)[:3] == ["a", "b", "x"]
    for name, node in values.items():
        assert node.label == name
    assert len({id(node) for node in values.values()}) == len(values)
