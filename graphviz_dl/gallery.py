"""Ready-made programs, one per topic of the course, each with a title and a paragraph.

An example is a plain text file in ``graphviz_dl/examples/`` — a program of
the expression language whose leading comment block says what it shows::

    # title: Chain rule: L = (t1·t2·x − y)²
    # topic: Backpropagation
    #
    # A model with two parameters predicts t1·t2·x for one data point …
    # (the paragraph a teacher would put on the slide, over as many
    # comment lines as it needs)

    t1 = 0.5
    …

``# title:`` and ``# topic:`` lines set those fields; every other comment
line of the leading block joins the explanation, one paragraph; the first
line that is not a comment ends the block. The file name gives the example's
name and its place: ``02-chain-rule.txt`` is ``chain-rule``, second in order.
Adding an example is dropping in a file; :func:`load_examples` reads a
folder of them anywhere else just the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .engine import Value
from .expr import parse

_ORDER_PREFIX = re.compile(r"^\d+[-_ ]+")
_FIELD = re.compile(r"^(title|topic)\s*:\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """One gallery program with what a slide says about it."""

    name: str
    title: str
    topic: str
    explanation: str
    source: str

    def build(self) -> dict[str, Value]:
        """A fresh graph of the program: every named node, the output last."""
        return parse(self.source)

    @classmethod
    def from_text(cls, name: str, text: str) -> Example:
        """Read the header block of a program; a missing title falls back to the name."""
        fields = {"title": "", "topic": ""}
        paragraph: list[str] = []
        started = False
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped and not started:
                continue  # blank lines before the header
            if not stripped.startswith("#"):
                break
            started = True
            content = stripped[1:].strip()
            field = _FIELD.match(content)
            if field and not fields[field.group(1).lower()]:
                fields[field.group(1).lower()] = field.group(2).strip()
            elif content:
                paragraph.append(content)
        return cls(
            name=name,
            title=fields["title"] or name.replace("-", " ").capitalize(),
            topic=fields["topic"],
            explanation=" ".join(paragraph),
            source=text,
        )


def example_name(filename: str) -> str:
    """``"02-chain-rule.txt"`` → ``"chain-rule"``: the file's stem without its order."""
    stem = filename.rsplit(".", 1)[0]
    return _ORDER_PREFIX.sub("", stem) or stem


def load_examples(folder: str | Path) -> list[Example]:
    """Every ``*.txt`` program in a folder, in file-name order."""
    files = sorted(Path(folder).glob("*.txt"))
    return [
        Example.from_text(example_name(f.name), f.read_text(encoding="utf-8-sig"))
        for f in files
    ]


def _packaged() -> list[Example]:
    folder = resources.files(__package__) / "examples"
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".txt")), key=lambda f: f.name
    )
    return [
        Example.from_text(example_name(f.name), f.read_text(encoding="utf-8-sig"))
        for f in files
    ]


EXAMPLES: list[Example] = _packaged()
"""The gallery shipped with the package, in course order."""


def get_example(name: str) -> Example:
    """The example called ``name``; ``KeyError`` lists the names there are."""
    for example in EXAMPLES:
        if example.name == name:
            return example
    names = ", ".join(e.name for e in EXAMPLES)
    raise KeyError(f"no example named {name!r}; the examples are: {names}")
