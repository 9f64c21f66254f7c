"""DOT text: hostile labels survive the quoting, and the real ``dot`` accepts it."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from graphviz_dl.dot import html_text, to_dot
from graphviz_dl.engine import Value
from graphviz_dl.walkthrough import walkthrough

HOSTILE = [
    'say "hi"',
    "back\\slash\\n not a newline",
    "{braces} | bars",
    "<b>not bold</b> & &amp; &#65;",
    "two\nlines",
    "ünïcødé ∂L/∂x σ → ∞ 🙂",
    "]]> <!-- --> ];",
    "label=<x>",
]


def hostile_graph() -> Value:
    leaves = [Value(float(i) - 2.5, text) for i, text in enumerate(HOSTILE)]
    root = Value.sum(leaves).tanh()
    root.label = '"}>\\'
    return root


def html_labels(dot: str) -> dict[str, str]:
    """Each node's HTML-like label, cut out the way Graphviz's lexer does.

    An HTML string runs from ``<`` to the ``>`` that brings the nesting back to
    zero; a raw ``<`` or ``>`` left in a name would move that end.
    """
    labels = {}
    for line in dot.splitlines():
        found = re.match(r'\s*"([^"]+)" \[.*?label=<', line)
        if not found:
            continue
        start = found.end()
        depth, end = 1, start
        while depth:
            depth += {"<": 1, ">": -1}.get(line[end], 0)
            end += 1
        assert line[end:] == "];", line
        labels[found.group(1)] = line[start : end - 1]
    return labels


def label_lines(label: str) -> list[str]:
    """The text of the first table cell (or the whole label), line by line."""
    element = ET.fromstring(f"<root>{label}</root>")  # well-formed XML or raises
    cell = element.find(".//td")
    target = cell if cell is not None else element
    lines, current = [], ""
    for piece in target.iter():
        if piece.tag == "br":
            lines.append(current)
            current = ""
        elif piece.text and piece.tag != "br":
            current += piece.text
        if piece is not target and piece.tail:
            current += piece.tail
    return [*lines, current]


def test_every_hostile_name_survives_the_quoting():
    dot = to_dot(hostile_graph())
    labels = html_labels(dot)
    for i, text in enumerate(HOSTILE):
        assert "\n".join(label_lines(labels[f"n{i}"])) == text
    root_id = f"n{len(HOSTILE) + 1}"
    assert label_lines(labels[root_id]) == ['"}>\\']


def test_value_boxes_show_name_data_and_grad_and_ops_their_symbol():
    x = Value(-0.75, "x")
    root = x * x
    root.label = "y"
    root.backward()
    labels = html_labels(to_dot(root))
    cells = [c.text or "".join(c.itertext()) for c in _cells(labels["n0"])]
    assert cells == ["x", "data −0.75", "grad −1.5"]
    assert ["".join(c.itertext()) for c in _cells(labels["n1"])] == [
        "y",
        "data 0.5625",
        "grad 1.0",
    ]
    assert labels["n1:op"] == "×"


def test_edges_follow_operands_with_quoted_ids():
    x = Value(3.0, "x")
    dot = to_dot(x * x + x)
    edges = re.findall(r'^\s*"([^"]+)" -> "([^"]+)";$', dot, flags=re.MULTILINE)
    assert edges == [
        ("n0", "n1:op"),
        ("n0", "n1:op"),
        ("n1:op", "n1"),
        ("n1", "n2:op"),
        ("n0", "n2:op"),
        ("n2:op", "n2"),
    ]
    assert "rankdir=LR" in dot


def test_control_characters_become_visible_symbols():
    assert html_text("a\x00b\x1bc\x7f") == "a\u2400b\u241bc\u2421"
    assert html_text("tab\there") == "tab here"
    assert html_text("one\r\ntwo\rthree") == "one<br/>two<br/>three"
    assert html_text("lone \ud800 surrogate").encode("utf-8")  # encodable


def test_same_graph_twice_gives_the_same_text():
    assert to_dot(hostile_graph()) == to_dot(hostile_graph())


def _cells(label: str):
    return ET.fromstring(f"<root>{label}</root>").iter("td")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
def test_real_dot_accepts_hostile_labels_and_draws_them():
    dot = to_dot(hostile_graph())
    done = subprocess.run(
        ["dot", "-Tsvg"],
        check=False,
        input=dot.encode("utf-8"),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Error" not in done.stderr and b"Warning" not in done.stderr
    svg = ET.fromstring(done.stdout)
    texts = [
        "".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text")
    ]
    for text in HOSTILE:
        for line in text.split("\n"):
            assert line in texts
    titles = {
        "".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}title")
    }
    assert {"n0", "n8:op", "n0->n8:op"} <= titles


def test_a_bound_power_shows_its_number_in_the_op_node():
    x = Value(3.0, label="x")
    dot = to_dot(x**2 + 2**x)
    assert "label=<^2>" in dot and "label=<2^>" in dot


def test_a_walkthroughs_gradients_can_be_written_instead_of_the_nodes():
    # L = x·w with x = 2, w = −3: ∂L/∂x = −3, ∂L/∂w = 2 (nothing ran backward())
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    loss = x * w
    walk = walkthrough(loss)
    assert [n.grad for n in walk.nodes] == [0.0, 0.0, 0.0]
    text = to_dot(walk.graph, walk.grads(len(walk)))
    assert "grad −3.0" in text and "grad 2.0" in text and "grad 1.0" in text
    assert to_dot(loss).count("grad 0.0") == 3
    with pytest.raises(ValueError, match="expected 3 gradients"):
        to_dot(loss, [1.0])
