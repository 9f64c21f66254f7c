"""What the language says about what it refuses: each message says what to write."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ..expr_functions import FUNCTIONS, HINTS
from .suggest import suggest

RUN_YOUR_FILE = (
    "the safe language never runs code; for a program with functions or "
    "classes, run your own file with: graphviz-dl run FILE.py"
)

FORBIDDEN_OPERATORS = {
    ast.FloorDiv: "'//' (floor division) is not allowed: use '/'",
    ast.Mod: "'%' (remainder) is not allowed",
    ast.MatMult: "'@' (matrix product) is not allowed: write the products out",
    ast.BitAnd: "'&' is not allowed",
    ast.BitOr: "'|' is not allowed",
    ast.BitXor: "'^' is not allowed here",
    ast.LShift: "'<<' is not allowed",
    ast.RShift: "'>>' is not allowed",
}
FORBIDDEN_EXPRESSIONS = {
    ast.Slice: "a slice (a:b) is",
    ast.SetComp: "set comprehensions are",
    ast.DictComp: "dictionary comprehensions are",
    ast.Compare: "comparisons (<, ==, …) are",
    ast.BoolOp: "'and' and 'or' are",
    ast.IfExp: "'… if … else …' is",
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
_STATEMENTS = {
    ast.Return: "'return' is not allowed: the last name assigned is the output",
    ast.Delete: "'del' is not allowed: a name keeps its value",
    ast.While: "'while' is not allowed: loop a fixed number of times with "
    "'for i in range(n):'",
    ast.If: "'if' is not allowed: a program builds one graph, with no choices",
    ast.AsyncWith: "'async with' is not allowed: a block names its group with "
    'with group("attention"):',
    ast.AsyncFor: "'async for' is not allowed: write 'for … in …:'",
    ast.Raise: "'raise' is not allowed",
    ast.Try: "'try' is not allowed: a program that cannot be built says where",
    ast.Assert: "'assert' is not allowed",
    ast.Global: "'global' is not allowed",
    ast.Nonlocal: "'nonlocal' is not allowed",
    ast.Break: "'break' is not allowed: loop over exactly what you need, "
    "like range(n) or a shorter list",
    ast.Continue: "'continue' is not allowed: loop over exactly what you need",
    ast.AnnAssign: "type annotations are not allowed: write 'name = expression'",
}


def statement_message(statement: ast.stmt) -> str:
    """Why a statement is refused."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return f"'def' is not part of the safe language: {RUN_YOUR_FILE}"
    if isinstance(statement, ast.ClassDef):
        return f"'class' is not part of the safe language: {RUN_YOUR_FILE}"
    if isinstance(statement, ast.Expr):
        if isinstance(statement.value, ast.Constant) and isinstance(
            statement.value.value, str
        ):
            return "text in quotes is not allowed (use # for a comment)"
        return "this line computes a value but does not name it: write 'name = …'"
    known = _STATEMENTS.get(type(statement))
    if known is not None:
        return known
    word = type(statement).__name__.lower()
    return f"'{word}' is not allowed: write 'name = expression'"


def unknown_name(name: str, known: Iterable[str], imported: dict[str, str]) -> str:
    """The message for a name with no value: imported, misspelt, or unknown."""
    if name in imported:
        return (
            f"'{name}' comes from 'import {imported[name]}', which the safe "
            f"language does not run: {RUN_YOUR_FILE}"
        )
    if name.startswith("__"):
        return f"names starting with '__' are not allowed ({name})"
    guess = suggest(name, list(known))
    hint = f" — did you mean '{guess}'?" if guess else ""
    return f"unknown name '{name}'{hint}"


def unknown_function(name: str, imported: dict[str, str]) -> str:
    """The message for a call of a name that is no function here."""
    if name in imported:
        return unknown_name(name, (), imported)
    if name in HINTS:
        return f"there is no function '{name}': {HINTS[name]}"
    guess = suggest(name, list(FUNCTIONS))
    if guess:
        return f"unknown function '{name}' — did you mean '{guess}'?"
    return f"unknown function '{name}'; the functions are: " + ", ".join(FUNCTIONS)
