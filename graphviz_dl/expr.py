"""The safe little language a person types, parsed into a Value graph.

A program is one assignment a line, exactly as a slide writes it::

    # the chain-rule example: L = (t1*t2*x - y)^2
    t1 = 0.5
    t2 = -1.5
    x = 2.0
    y = 0.25
    a = t1 * t2
    b = a * x
    c = b - y
    L = c ** 2

A name given a number is a labelled leaf; a name given an expression is a
labelled node; the last assignment is the output. Numbers use Python's float
syntax (``2``, ``-1.5``, ``1e-3``, ``1_000.0``), and ``inf`` and ``nan`` name
the two numbers that have no digits. ``+ - * / **`` work as in Python; ``^``
means power too, with power's precedence (``x^2*b`` is ``(x^2)·b``), and the
slide symbols ``−`` ``×`` ``·`` ``÷`` are read as ``- * * /``. Functions are
listed in :mod:`graphviz_dl.expr_functions`. ``#`` starts a comment.

Number literals fold only where a number is meant: ``-1.5`` is one number,
``x ** 2`` raises to a fixed power (``pow_const``), ``2 ** x`` is a number to a
variable power (``rpow``), ``x ** y`` with two nodes is ``pow``. Elsewhere a
number in an expression becomes an unlabelled constant leaf, as in the engine.

Each name is assigned once: assigning it again is an error, so every node has
one name and the walkthrough never says "a" about two different things.

Safety: the text goes through Python's own parser (:func:`ast.parse`), and the
tree is walked against an explicit whitelist — assignments to plain names,
numbers, names, unary and binary arithmetic, and calls of known function
names with positional arguments. Nothing is ever evaluated by Python: every
number is a float from the start, so ``9 ** 9 ** 9 ** 9`` overflows to ``inf``
at once instead of computing a gigantic integer. Sizes are capped
(:data:`MAX_CHARS`, :data:`MAX_STATEMENTS`, :data:`MAX_DEPTH`), and every
problem — Python's own syntax errors and recursion limits included — comes
back as an :class:`ExpressionError` with a 1-based line and column in the
text as typed.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Callable

from . import ops
from .engine import Value, apply
from .expr_functions import FUNCTIONS, HINTS, NUMBER_NAMES, Operand

MAX_CHARS = 500_000
"""Longest program accepted, in characters."""
MAX_STATEMENTS = 10_000
"""Most assignments in one program."""
MAX_DEPTH = 200
"""Deepest nesting of one expression (each operator or call is a level)."""

_SAME_WIDTH = str.maketrans({"−": "-", "×": "*", "·": "*", "÷": "/"})
"""Slide symbols read as their ASCII operators (one character each, so columns stay)."""

_ARITHMETIC = {
    ast.Add: ops.ADD,
    ast.Sub: ops.SUB,
    ast.Mult: ops.MUL,
    ast.Div: ops.DIV,
}
_FORBIDDEN_OPERATORS = {
    ast.FloorDiv: "'//' (floor division) is not allowed: use '/'",
    ast.Mod: "'%' (remainder) is not allowed",
    ast.MatMult: "'@' (matrix product) is not allowed: write the products out",
    ast.BitAnd: "'&' is not allowed",
    ast.BitOr: "'|' is not allowed",
    ast.BitXor: "'^' is not allowed here",
    ast.LShift: "'<<' is not allowed",
    ast.RShift: "'>>' is not allowed",
}
_FORBIDDEN_EXPRESSIONS = {
    ast.Attribute: "attribute access (a.b) is",
    ast.Subscript: "indexing (a[i]) is",
    ast.Slice: "a slice (a:b) is",
    ast.Lambda: "lambda is",
    ast.ListComp: "comprehensions are",
    ast.SetComp: "comprehensions are",
    ast.DictComp: "comprehensions are",
    ast.GeneratorExp: "comprehensions are",
    ast.Compare: "comparisons (<, ==, …) are",
    ast.BoolOp: "'and' and 'or' are",
    ast.IfExp: "'… if … else …' is",
    ast.List: "lists are",
    ast.Tuple: "several values at once (a, b) are",
    ast.Set: "sets are",
    ast.Dict: "dictionaries are",
    ast.JoinedStr: "text in quotes is",
    ast.FormattedValue: "text in quotes is",
    ast.NamedExpr: "':=' inside an expression is",
    ast.Starred: "'*' unpacking is",
    ast.Await: "'await' is",
    ast.Yield: "'yield' is",
    ast.YieldFrom: "'yield' is",
}
_STATEMENT_WORDS = {
    ast.Import: "import",
    ast.ImportFrom: "import",
    ast.FunctionDef: "def",
    ast.AsyncFunctionDef: "def",
    ast.ClassDef: "class",
    ast.Return: "return",
    ast.Delete: "del",
    ast.For: "for",
    ast.AsyncFor: "for",
    ast.While: "while",
    ast.If: "if",
    ast.With: "with",
    ast.AsyncWith: "with",
    ast.Raise: "raise",
    ast.Try: "try",
    ast.Assert: "assert",
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.Pass: "pass",
    ast.Break: "break",
    ast.Continue: "continue",
}
_OPERATOR_MISSING = "invalid syntax: is an operator missing here (like 2 * x)?"
_SYNTAX_HINTS = (
    (
        "invalid decimal literal",
        "this number is not written right (to multiply, write 2*x, not 2x)",
    ),
    ("invalid syntax. Perhaps you forgot a comma", _OPERATOR_MISSING),
    ("cannot assign to", "only a plain name can stand left of '=', like x = 2.0"),
    ("cannot delete", "'del' is not allowed"),
)


class ExpressionError(ValueError):
    """A program that cannot be built: what is wrong, and where.

    ``line`` and ``col`` are 1-based and count characters of the text as the
    person typed it (a ``^`` stays one column). ``message`` is the bare text;
    ``str(error)`` is ``"line 6: unknown name 'c' — did you mean 'b'?"``.
    """

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(f"line {line}: {message}")
        self.message = message
        self.line = line
        self.col = col


def parse(text: str) -> dict[str, Value]:
    """Build the graph a program describes: every assigned name, in order.

    The last entry is the output. Raises :class:`ExpressionError` (and nothing
    else) for any text that is not a valid program.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse takes the program's text, not {type(text).__name__}")
    source = _Source(text)
    return _Builder(source).build(source.syntax_tree())


# --- the text: limits, translation, positions -----------------------------------------


class _Source:
    """The program's lines as typed and as handed to Python, with a column map."""

    def __init__(self, text: str) -> None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > MAX_CHARS:
            line, col = self._locate(text, MAX_CHARS)
            raise ExpressionError(
                f"the program is too long ({len(text):,} characters; "
                f"the limit is {MAX_CHARS:,})",
                line,
                col,
            )
        for bad, what in (("\0", "a null character"), ("\ufeff", "a byte-order mark")):
            if bad in text:
                raise ExpressionError(
                    f"the program contains {what}", *self._locate(text, text.index(bad))
                )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ExpressionError(
                f"the program contains a character that is not text "
                f"(U+{ord(text[error.start]):04X})",
                *self._locate(text, error.start),
            ) from None
        self.original = text.split("\n")
        self.lines: list[str] = []
        self.columns: list[list[int] | None] = []
        for line in self.original:
            translated, columns = _translate(line)
            self.lines.append(translated)
            self.columns.append(columns)

    @staticmethod
    def _locate(text: str, index: int) -> tuple[int, int]:
        line = text.count("\n", 0, index) + 1
        return line, index - (text.rfind("\n", 0, index) + 1) + 1

    def syntax_tree(self) -> ast.Module:
        """Python's parse of the translated text, its errors turned into ours."""
        try:
            with warnings.catch_warnings():
                # e.g. "invalid decimal literal" for 1if: what it parses to is
                # judged by the whitelist; Python's warning is not for the person.
                warnings.simplefilter("ignore", SyntaxWarning)
                return ast.parse("\n".join(self.lines), filename="<program>")
        except SyntaxError as error:
            raise self._syntax_error(error) from None
        except (RecursionError, MemoryError):
            raise self._too_deep() from None
        except (ValueError, OverflowError) as error:
            raise ExpressionError(f"the program cannot be read: {error}") from None

    def _syntax_error(self, error: SyntaxError) -> ExpressionError:
        message = str(error.msg or "invalid syntax")
        for start, better in _SYNTAX_HINTS:
            if message.startswith(start):
                message = better
                break
        line = min(max(error.lineno or 1, 1), len(self.lines))
        offset = max((error.offset or 1) - 1, 0)
        if error.lineno is not None and error.lineno > len(self.lines):
            offset = len(self.lines[-1])
        if message == "invalid syntax" and _operator_missing(
            self.lines[line - 1], offset
        ):
            message = _OPERATOR_MISSING
        return ExpressionError(message, line, self.column(line, offset))

    def _too_deep(self) -> ExpressionError:
        message = (
            f"this is nested too deeply (more than {MAX_DEPTH} levels): "
            "split it into several assignments"
        )
        for number, line in enumerate(self.lines, 1):
            try:
                ast.parse(line)
            except (RecursionError, MemoryError):
                return ExpressionError(message, number, 1)
            except (SyntaxError, ValueError):
                continue
        return ExpressionError(message)

    def column(self, line: int, index: int) -> int:
        """1-based column as typed, for a 0-based character index in the translation."""
        columns = self.columns[line - 1]
        if columns is None:
            return index + 1
        if index < len(columns):
            return columns[index] + 1
        return len(self.original[line - 1]) + (index - len(columns)) + 1

    def char_index(self, line: int, byte_offset: int) -> int:
        """Character index in a translated line from Python's UTF-8 byte offset."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "ignore"))

    def position(self, node: ast.AST) -> tuple[int, int]:
        """Where a node starts, as typed (1-based line and column)."""
        line = getattr(node, "lineno", 1) or 1
        line = min(max(line, 1), len(self.lines))
        index = self.char_index(line, getattr(node, "col_offset", 0) or 0)
        return line, self.column(line, index)

    def operator_position(self, node: ast.BinOp) -> tuple[int, int]:
        """Where a binary operator is, by reading the text between its operands."""
        line = node.left.end_lineno or node.lineno
        index = self.char_index(line, node.left.end_col_offset or 0)
        while line <= len(self.lines):
            text = self.lines[line - 1]
            while index < len(text) and text[index] in " \t\f)\\":
                index += 1
            if index < len(text) and text[index] != "#":
                return line, self.column(line, index)
            line, index = line + 1, 0
        return self.position(node)


def _operator_missing(line: str, index: int) -> bool:
    """Two operands side by side, like ``2 x`` or ``a (b)``: Python only says
    "invalid syntax" there."""
    if index >= len(line) or not (line[index].isalnum() or line[index] in "_(."):
        return False
    before = line[:index].rstrip()
    return (
        len(before) < index
        and bool(before)
        and (before[-1].isalnum() or before[-1] in "_)")
    )


def _translate(line: str) -> tuple[str, list[int] | None]:
    """A line as Python reads it: ``^`` → ``**``, slide symbols → ASCII.

    Returns the new line and, when ``^`` made it longer, the typed column of
    each of its characters (None when every column is unchanged).
    """
    line = line.translate(_SAME_WIDTH)
    code, hash_sign, comment = line.partition("#")
    if "^" not in code:
        return line, None
    pieces: list[str] = []
    columns: list[int] = []
    for index, char in enumerate(code):
        if char == "^":
            pieces.append("**")
            columns += (index, index)
        else:
            pieces.append(char)
            columns.append(index)
    start = len(code)
    columns.extend(range(start, start + len(hash_sign) + len(comment)))
    return "".join(pieces) + hash_sign + comment, columns


# --- the tree: whitelist and building ----------------------------------------------------


class _Builder:
    """Walks the whitelisted tree and builds one node per operation."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self.values: dict[str, Value] = {}
        self.assigned_on: dict[str, int] = {}
        self.named: set[Value] = set()
        self.first_assignment: dict[str, int] = {}
        self.statement_line = 1

    def error(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(message, *self.source.position(node))

    def build(self, tree: ast.Module) -> dict[str, Value]:
        body = tree.body
        if not body:
            raise ExpressionError(
                "the program has no assignments: write one per line, like x = 2.0"
            )
        if len(body) > MAX_STATEMENTS:
            raise self.error(
                body[MAX_STATEMENTS],
                f"the program has too many statements ({len(body):,}; "
                f"the limit is {MAX_STATEMENTS:,})",
            )
        for statement in body:
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        self.first_assignment.setdefault(target.id, statement.lineno)
        try:
            for statement in body:
                self.statement_line = statement.lineno
                self.statement(statement)
        except RecursionError:
            raise ExpressionError(
                "this is nested too deeply: split it into several assignments",
                self.statement_line,
                1,
            ) from None
        return self.values

    # statements ----------------------------------------------------------------------
    def statement(self, statement: ast.stmt) -> None:
        if not isinstance(statement, ast.Assign):
            raise self.error(statement, _statement_message(statement))
        if len(statement.targets) != 1:
            raise self.error(
                statement.targets[1],
                "assign one name at a time: 'a = b = …' is not allowed",
            )
        target = statement.targets[0]
        if not isinstance(target, ast.Name):
            several = isinstance(target, (ast.Tuple, ast.List))
            raise self.error(
                target,
                "assign one name per line, not several at once"
                if several
                else "only a plain name can stand left of '=', like x = 2.0",
            )
        name = target.id
        self.check_new_name(name, target)
        self.check_depth(statement.value)
        value = self.expression(statement.value)
        if isinstance(value, Value):
            if value in self.named:
                raise self.error(
                    statement.value,
                    f"'{name} = {value.label}' only gives '{value.label}' a second "
                    f"name: use '{value.label}' itself",
                )
            value.label = name
        else:
            value = Value(value, label=name)
        self.values[name] = value
        self.named.add(value)
        self.assigned_on[name] = statement.lineno

    def check_new_name(self, name: str, target: ast.Name) -> None:
        if name.startswith("__"):
            raise self.error(
                target, f"names starting with '__' are not allowed ({name})"
            )
        if name in FUNCTIONS:
            raise self.error(
                target,
                f"'{name}' is a function, so it cannot be assigned: pick another name",
            )
        if name in NUMBER_NAMES:
            raise self.error(target, f"'{name}' is a number, so it cannot be assigned")
        if name in self.values:
            raise self.error(
                target,
                f"'{name}' is already assigned on line {self.assigned_on[name]}: each "
                f"name is assigned once (pick a new name, like '{name}2')",
            )

    def check_depth(self, root: ast.expr) -> None:
        stack = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise self.error(
                    node,
                    f"this expression is nested too deeply (more than {MAX_DEPTH} "
                    "levels): split it into several assignments",
                )
            for child in ast.iter_child_nodes(node):
                stack.append((child, depth + isinstance(child, ast.expr)))

    # expressions ---------------------------------------------------------------------
    def expression(self, node: ast.expr) -> Operand:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        what = _FORBIDDEN_EXPRESSIONS.get(type(node), f"{type(node).__name__} is")
        raise self.error(
            node,
            f"{what} not allowed: a program has only numbers, names, "
            "+ - * / ** and function calls",
        )

    def number(self, node: ast.Constant) -> float:
        value = node.value
        if isinstance(value, bool) or value is None:
            raise self.error(node, f"{value} is not a number here")
        if isinstance(value, int):
            try:
                return float(value)
            except OverflowError:
                return math.inf if value > 0 else -math.inf
        if isinstance(value, float):
            return value
        if isinstance(value, complex):
            raise self.error(node, "complex numbers (like 2j) are not allowed")
        if isinstance(value, (str, bytes)):
            raise self.error(node, "text in quotes is not allowed")
        raise self.error(node, f"'{value!r}' is not allowed here")

    def name(self, node: ast.Name) -> Operand:
        name = node.id
        if name in NUMBER_NAMES:
            return NUMBER_NAMES[name]
        value = self.values.get(name)
        if value is not None:
            return value
        if name in FUNCTIONS:
            raise self.error(
                node,
                f"'{name}' is a function: call it, like {FUNCTIONS[name].usage}",
            )
        if name.startswith("__"):
            raise self.error(node, f"names starting with '__' are not allowed ({name})")
        line = self.first_assignment.get(name)
        if line is not None:
            where = "this line" if line == self.statement_line else f"line {line}"
            raise self.error(
                node,
                f"'{name}' is used before it has a value (it is assigned on {where})",
            )
        guess = suggest(name, list(self.values))
        hint = f" — did you mean '{guess}'?" if guess else ""
        raise self.error(node, f"unknown name '{name}'{hint}")

    def unary(self, node: ast.UnaryOp) -> Operand:
        if isinstance(node.op, ast.Not):
            raise self.error(
                node, "'not' is not allowed: there are no true/false values"
            )
        if isinstance(node.op, ast.Invert):
            raise self.error(node, "'~' is not allowed")
        operand = self.expression(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if not isinstance(operand, Value):
            return -operand
        return self.compute(node, lambda: apply(ops.NEG, operand))

    def binary(self, node: ast.BinOp) -> Operand:
        kind = type(node.op)
        if kind in _FORBIDDEN_OPERATORS:
            raise ExpressionError(
                _FORBIDDEN_OPERATORS[kind], *self.source.operator_position(node)
            )
        left = self.expression(node.left)
        right = self.expression(node.right)
        if kind is ast.Pow:
            return self.compute(node, lambda: _power(left, right))
        op = _ARITHMETIC[kind]
        return self.compute(node, lambda: apply(op, left, right))

    def call(self, node: ast.Call) -> Operand:
        if not isinstance(node.func, ast.Name):
            raise self.error(
                node.func, "only a function name can be called, like tanh(x)"
            )
        name = node.func.id
        if name.startswith("__"):
            raise self.error(
                node.func, f"names starting with '__' are not allowed ({name})"
            )
        if name in self.values:
            raise self.error(node.func, f"'{name}' is a value, not a function")
        function = FUNCTIONS.get(name)
        if function is None:
            raise self.error(node.func, _unknown_function(name))
        for keyword in node.keywords:
            raise self.error(
                keyword,
                "'**' unpacking is not allowed"
                if keyword.arg is None
                else f"keyword arguments like '{keyword.arg}=…' are not allowed: "
                f"pass values in order, like {function.usage}",
            )
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                raise self.error(argument, "'*' unpacking is not allowed")
        count = len(node.args)
        if count < function.min_args or (
            function.max_args is not None and count > function.max_args
        ):
            raise self.error(
                node,
                f"{name} takes {function.arity_text()} ({function.usage}), "
                f"but got {count}",
            )
        args = [self.expression(argument) for argument in node.args]
        problem = function.check(args) if function.check else None
        if problem:
            raise self.error(node, problem)
        return self.compute(node, lambda: function.build(args))

    def compute(self, node: ast.AST, make: Callable[[], Value]) -> Value:
        """Build a node; a number the op cannot handle becomes a message, not a crash."""
        try:
            return make()
        except (ArithmeticError, ValueError, TypeError) as error:
            raise self.error(node, f"this cannot be computed: {error}") from None


def _power(base: Operand, exponent: Operand) -> Value:
    """``**``: a number exponent is a fixed power, a number base an exponential."""
    if not isinstance(exponent, Value):
        return apply(ops.POW_CONST.bind(exponent), base)
    if not isinstance(base, Value):
        return apply(ops.RPOW.bind(base), exponent)
    return apply(ops.POW, base, exponent)


def _statement_message(statement: ast.stmt) -> str:
    if isinstance(statement, ast.Expr):
        if isinstance(statement.value, ast.Constant) and isinstance(
            statement.value.value, str
        ):
            return "text in quotes is not allowed (use # for a comment)"
        return "this line computes a value but does not name it: write 'name = …'"
    if isinstance(statement, ast.AugAssign):
        return (
            "'x += …' is not allowed: each name is assigned once, so write 'x2 = x + …'"
        )
    if isinstance(statement, ast.AnnAssign):
        return "type annotations are not allowed: write 'name = expression'"
    word = _STATEMENT_WORDS.get(type(statement), type(statement).__name__.lower())
    return f"'{word}' is not allowed: each line is 'name = expression'"


def _unknown_function(name: str) -> str:
    if name in HINTS:
        return f"there is no function '{name}': {HINTS[name]}"
    guess = suggest(name, list(FUNCTIONS))
    if guess:
        return f"unknown function '{name}' — did you mean '{guess}'?"
    return f"unknown function '{name}'; the functions are: " + ", ".join(FUNCTIONS)


def suggest(name: str, candidates: list[str]) -> str | None:
    """The candidate closest to a mistyped name, or None if none is close.

    Close means at most one edit for short names and two for longer ones;
    among equally close names the one assigned last wins (the freshest in mind).
    """
    limit = 1 if len(name) <= 4 else 2
    best: tuple[int, int] | None = None
    choice = None
    for position, candidate in enumerate(candidates):
        if abs(len(candidate) - len(name)) > limit:
            continue
        distance = _edit_distance(name.lower(), candidate.lower(), limit)
        if distance <= limit:
            key = (distance, -position)
            if best is None or key < best:
                best, choice = key, candidate
    return choice


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
