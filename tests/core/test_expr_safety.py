"""Nothing a person types runs code, hangs, or escapes as anything but ExpressionError."""

import builtins
import inspect
import sys
import warnings

import pytest

from graphviz_dl.expr import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_STATEMENTS,
    ExpressionError,
    parse,
)

SENTINEL = "graphviz_dl_expr_safety_sentinel"

HOSTILE = [
    # imports and the ways around them
    "import os",
    "from os import system",
    "x = __import__('os')",
    "x = __import__('os').system('true')",
    "x = __builtins__",
    "__builtins__ = 1",
    "x = globals()",
    "x = locals()",
    "x = vars()",
    "x = eval('1')",
    "x = exec('y = 1')",
    "x = compile('1', 'f', 'eval')",
    "x = open('/etc/passwd')",
    "x = getattr(1, 'real')",
    "x = breakpoint()",
    "x = input()",
    # attribute and dunder access
    "x = (1).__class__",
    "x = (1).__class__.__mro__[1].__subclasses__()",
    "x = 1.0\ny = x.__class__",
    "x = 1.0\ny = x.data",
    "x = ().__class__.__bases__[0]",
    "x = [].__class__",
    "x = ''.join",
    "__class__ = 1.0",
    "__dict__ = 1.0",
    "x = __name__",
    "x = exp.__globals__",
    "x = exp.__code__",
    "x = tanh.__self__",
    "__import__ = 1.0",
    # subscripts, slices, collections
    "x = 1.0\ny = x[0]",
    "x = [1, 2]",
    "x = (1, 2)",
    "x = {1: 2}",
    "x = {1, 2}",
    "x = 1.0\ny = x[1:2]",
    "x = 1, 2",
    "x = 1.0\nx.y = 2",
    "x = 1.0\nx[0] = 2",
    "*x, = 1, 2",
    # functions, lambdas, comprehensions, generators
    "x = lambda: 1",
    "x = (lambda: 1)()",
    "x = (lambda: __import__('os'))()",
    "x = [i for i in (1, 2)]",
    "x = {i for i in (1, 2)}",
    "x = {i: i for i in (1, 2)}",
    "def f(): pass",
    "async def f(): pass",
    "class A: pass",
    "x = (yield)",
    "x = await f()",
    # keyword and unpacking tricks
    "x = 1.0\ny = leaky_relu(x, slope=0.2)",
    "x = 1.0\ny = exp(**{'x': 1})",
    "x = 1.0\ny = exp(*[x])",
    "x = 1.0\ny = sum(*(x, x))",
    "x = exp(x=1)",
    # control flow and other statements
    "if 1: x = 1",
    "for i in (1,): x = 1",
    "while 0: pass",
    "with open('f') as f: pass",
    "try: x = 1\nexcept: pass",
    "x = 1.0\ndel x",
    "global x",
    "assert 1",
    "raise SystemExit",
    "pass",
    "return 1",
    "x: float = 1.0",
    "match 1:\n    case 1: pass",
    # expressions outside the whitelist
    "x = 1 if 1 else 2",
    "x = 1 and 2",
    "x = not 1",
    "x = 1 < 2",
    "x = ~1",
    "x = 7 // 2",
    "x = 7 % 2",
    "x = 1 << 2",
    "x = 1 >> 2",
    "x = 1 & 2",
    "x = 1 | 2",
    "x = 1.0\ny = x @ x",
    "x = (y := 1)",
    "x = f'{1}'",
    "x = 'text'",
    "x = b'bytes'",
    "x = 1j",
    "x = True",
    "x = None",
    "x = ...",
    "'a docstring'",
    "x = 1.0\nx",
    "x = 1.0\nexp(x)",
    # names that are not allowed or not known
    "exp = 1.0",
    "sigmoid = 2.0\ny = sigmoid * 2",
    "inf = 1.0",
    "nan = 1.0",
    "x = os",
    "x = print",
    "x = y",
    "x = 1.0\nx = 2.0",
    "x = a = 1",
    # the grown language: dunders and private names through Values and lists
    "x = Value(1.0).__class__",
    "x = Value(1.0)\ny = x.__class__.__bases__",
    "x = Value(1.0)\ny = x.__init__(2.0)",
    "x = Value(1.0)\nx.__dict__ = 1",
    "x = Value(1.0)\ny = x._prev",
    "x = Value(1.0)\nx._backward()",
    "x = [Value(1.0)][0].__class__",
    "x = Value(1.0)\ny = x.max(__import__('os'))",
    "x = Value(1.0, label=__import__('os'))",
    "x = Value(1.0)\nx.label = 'a' * 10 ** 9",
    "x = Value(1.0)\nx.backward(retain_graph=True)",
    "x = getattr(Value(1.0), '__class__')",
    "import os\nx = os.system('true')",
    "from os import system\nx = system('true')",
    "import builtins\nx = builtins.eval('1')",
    # the grown language: work without end, and text where numbers go
    "x = range(10 ** 9)",
    "xs = [Value(1.0) for i in range(10 ** 9)]",
    "for i in range(1000):\n    for j in range(1000):\n        pass",
    "x = [[[Value(1.0) for i in range(50)] for j in range(50)] for k in range(50)]",
    "x = Value('a')",
    "x = range('a')",
    "x = [1.0]['a']",
    "x = len('abc')",
    "x = zip('ab', 'cd')",
    "for c in 'abc':\n    pass",
    "x = Value(1.0)\ny = x.leaky_relu('a')",
    "x = Value(1.0)\nx.label = 2.0",
    "xs = [1.0]\nxs[0] = 2.0",
    "xs = [1.0]\nx = xs[0:1]",
    "x = [*range(3)]",
    "for i in range(3):\n    pass\nelse:\n    pass",
    "x = sum(i for i in range(3))",
    # raw text troubles
    "x = 1\0",
    "x = 1\ufeff",
    "x = 1\n  y = 2",
    "x = (1",
    "x = 1)",
    "x = \x01",
    "x = 1 # ok\ny = \\",
    "x = '''",
    "x = 1_",
    "x = 09",
]


def test_once_refused_now_part_of_the_language():
    """Tuple unpacking, ``+=``, comprehensions and sums over them read like Python."""
    assert [v.data for v in parse("x, y = 1, 2").values()] == [1.0, 2.0]
    assert parse("[x] = [1]")["x"].data == 1.0
    total = parse("x = sum(Value(i) for i in (1, 2))")["x"]
    assert total.data == 3.0 and total.op.name == "add"
    bumped = parse("x = 1.0\nx += 1")["x"]
    assert bumped.data == 2.0 and bumped.parents[0].data == 1.0


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_an_expression_error(text):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    error = info.value
    assert error.line >= 1 and error.col >= 1 and error.message


def test_parse_never_calls_eval_or_exec(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parse must not evaluate text")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    values = parse("x = 2.0\ny = exp(x) ^ 2 + sum(x, 1, x) / tanh(x)")
    assert values["y"].data > 0
    with pytest.raises(ExpressionError):
        parse("x = eval('1')")


def test_no_code_in_a_hostile_program_runs(tmp_path):
    marker = tmp_path / "ran"
    attempts = [
        f"x = __import__('pathlib').Path('{marker}').touch()",
        f"x = open('{marker}', 'w')",
        f"x = (lambda: open('{marker}', 'w'))()",
        f"import os\nx = os.system('touch {marker}')",
    ]
    for text in attempts:
        with pytest.raises(ExpressionError):
            parse(text)
    assert not marker.exists()


def test_parse_touches_no_module_state():
    before = set(sys.modules)
    for text in HOSTILE:
        try:
            parse(text)
        except ExpressionError:
            pass
    assert set(sys.modules) - before <= {"graphviz_dl.losses"}


# --- limits ----------------------------------------------------------------------------


def test_too_long_a_program():
    text = "x = 1.0\n" + "#" * MAX_CHARS
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert "too long" in info.value.message and "500,000" in info.value.message
    assert info.value.line == 2


def test_too_many_statements():
    text = "x0 = 1.0\n" + "".join(
        f"x{i} = x{i - 1} + 1\n" for i in range(1, MAX_STATEMENTS + 1)
    )
    assert len(text) <= MAX_CHARS
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert "too many statements" in info.value.message
    assert info.value.line == MAX_STATEMENTS + 1


def test_the_largest_allowed_program_parses():
    text = "x0 = 1.0\n" + "".join(
        f"x{i} = x{i - 1} + 1\n" for i in range(1, MAX_STATEMENTS)
    )
    values = parse(text)
    assert len(values) == MAX_STATEMENTS and values[f"x{MAX_STATEMENTS - 1}"].data == (
        MAX_STATEMENTS
    )


def test_expressions_up_to_the_depth_limit_parse():
    terms = " + ".join(["x"] * (MAX_DEPTH - 1))
    values = parse(f"x = 1.0\ny = {terms}")
    assert values["y"].data == MAX_DEPTH - 1


@pytest.mark.parametrize(
    "body",
    [
        " + ".join(["x"] * (MAX_DEPTH + 5)),
        "-" * (MAX_DEPTH + 5) + "x",
        "exp(" * 120 + "x" + " + x" * 100 + ")" * 120,
        "-(" * 110 + "x" + " + x" * 100 + ")" * 110,
        "x" + " ** x" * (MAX_DEPTH + 5),
        "x" + " ^ x" * (MAX_DEPTH + 5),
    ],
    ids=["sum", "negations", "calls", "brackets", "powers", "carets"],
)
def test_too_deep_an_expression(body):
    with pytest.raises(ExpressionError) as info:
        parse(f"x = 1.0\ny = {body}")
    assert "nested too deeply" in info.value.message
    assert info.value.line == 2


@pytest.mark.parametrize(
    "body",
    [
        "(" * 1000 + "1" + ")" * 1000,
        "-" * 100_000 + "1",
        "1" + "+1" * 50_000,
        "1" + "**1" * 50_000,
        "not " * 30_000 + "1",
        "f(" * 1000 + ")" * 1000,
        "[" * 1000 + "]" * 1000,
    ],
    ids=["brackets", "negations", "sum", "powers", "nots", "calls", "lists"],
)
def test_pythons_own_parser_limits_become_expression_errors(body):
    with pytest.raises(ExpressionError) as info:
        parse(f"a = 1.0\ny = {body}")
    assert info.value.line == 2


def test_huge_number_literals_do_not_hang():
    assert parse("x = 0x" + "f" * 100_000)["x"].data == float("inf")
    with pytest.raises(ExpressionError):
        parse("x = " + "9" * 10_000)  # Python's own digit limit: a clear error
    assert parse("x = 1" + "0" * 150_000 + ".0")["x"].data == float("inf")


def test_overflowing_arithmetic_answers_inf():
    values = parse(
        "x = 9 ** 9 ** 9 ** 9\ny = 10.0 ** 10 ** 10 ** 10\nz = exp(exp(1000))"
    )
    assert [v.data for v in values.values()] == [float("inf")] * 3


def test_a_lone_surrogate_is_an_expression_error():
    with pytest.raises(ExpressionError) as info:
        parse("x = 1\ny = \ud800")
    assert (info.value.line, info.value.col) == (2, 5)
    assert "U+D800" in info.value.message


def test_recursion_in_the_builder_is_caught():
    """With little stack left, a deep but legal expression is a message, not a crash."""
    terms = " + ".join(["x"] * (MAX_DEPTH - 1))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 60)
    try:
        with pytest.raises(ExpressionError) as info:
            parse(f"x = 1.0\ny = {terms}")
    finally:
        sys.setrecursionlimit(limit)
    assert "nested too deeply" in info.value.message


def test_python_warnings_about_the_text_do_not_reach_the_person():
    # "1if" makes Python warn (invalid decimal literal) before it parses anything.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ExpressionError, match="if … else"):
            parse("x = 1if 2 else 3")
