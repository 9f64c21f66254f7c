"""``with group("name"):`` blocks in the typed language."""

from __future__ import annotations

import pytest

from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.groups import group_of
from graphviz_dl.language import ExpressionError, parse

PROGRAM = """\
x = 2.0
w = -0.5
with group("attention"):
    s = x * w
    with group("score"):
        t = s.tanh()
o = t + x
"""


def test_nodes_built_in_a_block_belong_to_its_group():
    values = parse(PROGRAM)
    assert group_of(values["s"]).name == "attention"
    score = group_of(values["t"])
    assert score.name == "score" and score.parent is group_of(values["s"])
    assert score.kind == "block"
    assert group_of(values["o"]) is None and group_of(values["x"]) is None
    tree = GraphIndex(values["o"]).groups
    assert [s.summary for s in tree.spans] == [
        "attention · 1 block · 2 nodes",
        "score · 1 node",
    ]


def test_a_block_may_hold_loops_and_several_groups_nest():
    values = parse(
        'xs = [1.0, 2.0]\nwith group("a"), group("b"):\n'
        "    for v in xs:\n        pass\n    y = sum(xs, 0.5)\n"
    )
    assert [g.name for g in group_of(values["y"]).path()] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("with open('f') as f: pass", "'with' only opens a group", 1, 6),
        (
            'x = 1.0\nwith group("a") as g:\n    y = x',
            "not given a name with 'as'",
            2,
            20,
        ),
        ('n = "a"\nwith group(n):\n    pass', "text in quotes", 1, 1),
        ("with group(1.0):\n    pass", "text in quotes", 1, 12),
        ('with group("a", "b"):\n    pass', "one name in quotes", 1, 6),
        ('with group(name="a"):\n    pass', "one name in quotes", 1, 6),
        ('with group("  "):\n    pass', "cannot be empty", 1, 12),
        ('with group("a"):\n    x = 1.0\n    x = 2.0', "already assigned", 3, 5),
    ],
)
def test_anything_but_group_with_a_quoted_name_is_refused_with_its_place(
    text, message, line, column
):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    error = caught.value
    assert message in str(error)
    if "text in quotes" in message and text.startswith("n ="):
        return  # a name that is not a literal: its message is enough
    assert (error.line, error.col) == (line, column)
