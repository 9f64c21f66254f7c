"""``with group("attention"):`` blocks: the one ``with`` the language accepts.

The nodes built by the statements inside belong to a group of that name (kind
"block"), so the explorer can fold them into one box; blocks may nest. Only
``group`` with a name in quotes is allowed as the context: nothing else is
ever entered, as nothing typed is ever run.
"""

from __future__ import annotations

import ast
from contextlib import ExitStack
from typing import TYPE_CHECKING

from ..groups import group
from .errors import MAX_LABEL

if TYPE_CHECKING:
    from .builder import Builder

_SHAPE = 'a block names its group: with group("attention"):'


def with_group(builder: Builder, statement: ast.With) -> None:
    """Run the block's statements inside the groups it names, outermost first."""
    names = [_group_name(builder, item) for item in statement.items]
    with ExitStack() as stack:
        for name in names:
            stack.enter_context(group(name, "block"))
        for inner in statement.body:
            builder.statement(inner)


def _group_name(builder: Builder, item: ast.withitem) -> str:
    call = item.context_expr
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "group"
    ):
        raise builder.error(call, f"'with' only opens a group: {_SHAPE}")
    if item.optional_vars is not None:
        raise builder.error(
            item.optional_vars, f"a group is not given a name with 'as': {_SHAPE}"
        )
    if call.keywords or len(call.args) != 1:
        raise builder.error(call, f"group takes one name in quotes: {_SHAPE}")
    (name,) = call.args
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
        raise builder.error(name, f"a group's name is text in quotes: {_SHAPE}")
    if not name.value.strip():
        raise builder.error(name, f"a group's name cannot be empty: {_SHAPE}")
    if len(name.value) > MAX_LABEL:
        raise builder.error(
            name, f"a group's name has at most {MAX_LABEL} characters: shorten it"
        )
    return name.value
