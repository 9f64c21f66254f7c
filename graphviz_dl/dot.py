"""Graphviz DOT text for a Value graph, to draw it outside the app.

Value nodes are boxes showing name, data and grad; op nodes are small circles
with the op's symbol. Labels are HTML-like (``label=<…>``), where only ``&``,
``<``, ``>`` and ``"`` need escaping, so any label survives: quotes,
backslashes, braces, bars, newlines and unicode alike.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from .engine import Value
from .graph_index import GraphIndex, display_name, op_node_id
from .numfmt import format_number

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Characters XML (and so Graphviz's label parser) refuses: shown as ␀…␟, ␡.
Tabs, which Graphviz drops, become spaces."""

_HEADER = """\
digraph graphviz_dl {
  graph [rankdir=LR, charset="UTF-8"];
  node [fontname="Helvetica", fontsize=11];
  edge [arrowsize=0.7];
"""


def to_dot(graph: Value | GraphIndex, grads: Sequence[float] | None = None) -> str:
    """The graph of a root (or its index) as DOT text (left to right) that
    ``dot`` accepts, with each node's current data and grad.

    ``grads[i]``, if given, is written for the node at position ``i`` instead
    of its ``.grad``: a walkthrough computes gradients without storing them in
    the nodes (``Walkthrough.grads(len(walk))`` gives the final ones). Node ids
    are those of :func:`graphviz_dl.graph.to_networkx`; operands are listed in
    order, so ``x * x`` has two edges from ``x``.
    """
    index = GraphIndex.of(graph)
    order, ids = index.nodes, index.id_of
    if grads is None:
        grads = [node.grad for node in order]
    elif len(grads) != len(order):
        raise ValueError(
            f"expected {len(order)} gradients, one per node, not {len(grads)}"
        )
    lines = [_HEADER]
    for node, grad in zip(order, grads):
        node_id = ids[node]
        label = _value_label(node, ids, float(grad))
        lines.append(f'  "{node_id}" [shape=plain, label=<{label}>];\n')
        if node.op is None:
            continue
        op_id = op_node_id(node_id)
        lines.append(
            f'  "{op_id}" [shape=circle, width=0.3, margin=0.02, '
            f"label=<{html_text(node.op.label)}>];\n"
        )
        for parent in node.parents:
            lines.append(f'  "{ids[parent]}" -> "{op_id}";\n')
        lines.append(f'  "{op_id}" -> "{node_id}";\n')
    lines.append("}\n")
    return "".join(lines)


def _value_label(node: Value, ids: dict[Value, str], grad: float) -> str:
    """A one-row table: name | data | grad."""
    cells = (
        f"<b>{html_text(display_name(node, ids))}</b>",
        f"data {html_text(format_number(node.data))}",
        f"grad {html_text(format_number(grad))}",
    )
    row = "".join(f"<td>{cell}</td>" for cell in cells)
    return (
        '<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
        f"<tr>{row}</tr></table>"
    )


def html_text(text: str) -> str:
    """``text`` made safe inside an HTML-like label; newlines become line breaks."""
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    lines = re.split(r"\r\n|\r|\n", text.replace("\t", " "))
    return "<br/>".join(
        html.escape(_CONTROL.sub(_control_picture, line), quote=True) for line in lines
    )


def _control_picture(match: re.Match) -> str:
    code = ord(match.group())
    return "\u2421" if code == 0x7F else chr(0x2400 + code)
