"""Any Value graph written back as a program of the expression language.

``parse(to_program(root))`` rebuilds the same graph: the same ops with the
same parameters in the same operand order, the same numbers, and the same
labels on labelled nodes. The graph explorer uses it to show, and let a
person edit, a graph that was built by hand or by code.

Names. A labelled node keeps its label when it is a valid, unused name of the
language; otherwise it gets the nearest one (``x[0]`` → ``x_0``, a second
``w`` → ``w_2``, ``exp`` → ``exp_``). Every other node is written inline where
it is used — except these, which need a name of their own and get a generated
one (``mul1``, ``c1``, ``out``; the number counts up past names already taken):

* an unlabelled node used more than once (``x * x`` on a computed ``x``), or
  a constant used more than once — written inline twice it would come back as
  two separate nodes;
* a constant that must be a node for its op to come back: the operand of a
  negation (``-2.0`` would read as one number), either side of ``pow`` (a
  number there would read as ``pow_const`` or ``rpow``) and the exponent of
  ``rpow`` (``2.0 ** 3.0`` would read as ``pow_const``);
* the output, when it has no label;
* an expression nested more than :data:`MAX_INLINE_DEPTH` levels deep, so the
  text stays readable and inside the parser's limits.

After a round trip those nodes carry their generated names as labels. A graph
larger than the parser's limits (:data:`graphviz_dl.expr.MAX_STATEMENTS`
assignments, :data:`graphviz_dl.expr.MAX_CHARS` characters) is still written
out, but will not parse back.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

from . import ops
from .engine import Value
from .expr_functions import DEFAULT_PARAMS, FUNCTIONS, OPERATOR_OPS, RESERVED
from .graph_index import GraphIndex

MAX_INLINE_DEPTH = 24
"""Deepest inline expression before a part of it gets a name of its own."""

# Precedence of what a piece of text is, from loosest to tightest.
_SUM, _PRODUCT, _UNARY, _POWER, _ATOM = 1, 2, 3, 4, 5
_INFIX = {
    "add": (" + ", _SUM),
    "sub": (" - ", _SUM),
    "mul": (" * ", _PRODUCT),
    "div": (" / ", _PRODUCT),
}
_READ_AS_SYMBOLS = str.maketrans({"·": "_", "×": "_", "−": "_", "÷": "_"})


def to_program(graph: Value | GraphIndex) -> str:
    """The program that builds a root's graph (or its index's), one assignment
    a line.

    Leaves with names come first, then the computed nodes in dependency order;
    the last line assigns the output. See the module notes for naming.
    Raises ``ValueError`` for a node whose op has no form in the language.
    """
    index = GraphIndex.of(graph)
    root, order = index.root, index.nodes
    names = _names(_nodes_to_name(order, root), root)
    texts: dict[Value, tuple[str, int]] = {}
    leaves: list[str] = []
    computed: list[str] = []
    for node in order:
        if node.op is None:
            text = _literal(node.data)
        else:
            text = _render(node, texts)
        name = names.get(node)
        if name is None:
            texts[node] = text
        else:
            (leaves if node.op is None else computed).append(f"{name} = {text[0]}")
            texts[node] = (name, _ATOM)
    return "\n".join(leaves + computed) + "\n"


def _nodes_to_name(order: list[Value], root: Value) -> list[Value]:
    """The nodes that get an assignment of their own, in dependency order."""
    uses: dict[Value, int] = {}
    must: set[Value] = {root}
    for node in order:
        if node.op is not None and not _writable(node.op):
            raise ValueError(f"the op {node.op.name!r} has no form in the language")
        for parent in node.parents:
            uses[parent] = uses.get(parent, 0) + 1
            if parent.op is None and _constant_must_be_named(node.op):
                must.add(parent)
    named: list[Value] = []
    depth: dict[Value, int] = {}
    for node in order:
        depth[node] = 1 + max((depth[p] for p in node.parents), default=0)
        if (
            node in must
            or node.label
            or uses.get(node, 0) > 1
            or depth[node] > MAX_INLINE_DEPTH
        ):
            named.append(node)
            depth[node] = 0
    return named


def _writable(op: ops.Op) -> bool:
    return op.name in OPERATOR_OPS or op.name in FUNCTIONS


def _constant_must_be_named(op: ops.Op | None) -> bool:
    """A number written in these places would read back as a different op."""
    return op is not None and op.name in ("neg", "pow", "rpow")


def _number(x: float) -> str:
    """A float as the shortest literal that reads back exactly (``inf``, ``nan``)."""
    return repr(float(x))


# --- writing one node -------------------------------------------------------------------


def _render(node: Value, texts: dict[Value, tuple[str, int]]) -> tuple[str, int]:
    """The node's expression from its operands' texts, with only needed brackets."""
    op = node.op
    assert op is not None
    args = node.parents
    name = op.name
    if name in _INFIX:
        symbol, level = _INFIX[name]
        left = _operand(texts[args[0]], level)
        right = _operand(texts[args[1]], level + 1)
        return left + symbol + right, level
    if name == "neg":
        return "-" + _operand(texts[args[0]], _POWER), _UNARY
    if name in ("pow", "pow_const", "rpow"):
        if name == "pow":
            base, exponent = texts[args[0]], texts[args[1]]
        elif name == "pow_const":
            base, exponent = texts[args[0]], _literal(op.param, whole=True)
        else:
            base, exponent = _literal(op.param, whole=True), texts[args[0]]
        return _operand(base, _ATOM) + " ** " + _operand(exponent, _UNARY), _POWER
    call_args = [texts[a][0] for a in args]
    if op.param is not None and DEFAULT_PARAMS.get(name) != op.param:
        call_args.append(_number(op.param))
    return f"{name}({', '.join(call_args)})", _ATOM


def _literal(x: float | None, whole: bool = False) -> tuple[str, int]:
    """A number as an operand; ``whole`` writes 2.0 as ``2`` (exponents read better)."""
    x = float("nan") if x is None else x
    whole = whole and x.is_integer() and 0 < abs(x) < 1e15
    text = str(int(x)) if whole else _number(x)
    return text, _UNARY if text.startswith("-") else _ATOM


def _operand(piece: tuple[str, int], needed: int) -> str:
    """The operand's text, bracketed if it binds looser than ``needed``."""
    text, level = piece
    if level >= needed:
        return text
    return f"({text})"


# --- names -----------------------------------------------------------------------------


def _names(named: list[Value], root: Value) -> dict[Value, str]:
    """A distinct valid name for every node that is assigned.

    Valid labels are placed first, so a label turned into a name (``x[0]`` →
    ``x_0``) never takes the name another node is really called.
    """
    taken: set[str] = set()
    names: dict[Value, str] = {}
    for node in named:
        if _valid_name(node.label) and node.label not in taken:
            names[node] = node.label
            taken.add(node.label)
    for node in named:
        if node.label and node not in names:
            name = _unique(_identifier(node.label), taken)
            names[node] = name
            taken.add(name)
    counters: dict[str, int] = {}
    for node in named:
        if node in names:
            continue
        if node is root:
            base, start = "out", 0
        else:
            base = "c" if node.op is None else node.op.name.replace("_const", "")
            start = 1
        number = counters.get(base, start)
        while True:
            name = base if number == 0 else f"{base}{number}"
            number += 1
            if name not in taken and name not in RESERVED:
                break
        counters[base] = number
        names[node] = name
        taken.add(name)
    return names


def _identifier(label: str) -> str:
    """The label itself if the language reads it back unchanged, else the nearest name."""
    if _valid_name(label):
        return label
    text = unicodedata.normalize("NFKC", label).translate(_READ_AS_SYMBOLS)
    text = "".join(c if ("_" + c).isidentifier() else "_" for c in text)
    text = re.sub("_+", "_", text).strip("_") or "v"
    if not text.isidentifier():
        text = "v_" + text
    if not _valid_name(text):
        text += "_"
    return text


def _valid_name(name: str) -> bool:
    return (
        name.isidentifier()
        and unicodedata.normalize("NFKC", name) == name
        and name.translate(_READ_AS_SYMBOLS) == name
        and not keyword.iskeyword(name)
        and not name.startswith("__")
        and name not in RESERVED
    )


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name}_{number}" in taken:
        number += 1
    return f"{name}_{number}"
