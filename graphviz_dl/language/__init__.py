"""The safe little language a person types, parsed into a Value graph.

A program reads like the lecture's Python, one statement a line (or several
joined with ``;``)::

    a = Value(2.0, label='a')        # or simply: a = 2.0
    b = Value(-3.0, label='b')
    e = a*b; e.label = 'e'
    o = (e + b).tanh(); o.label = 'o'
    o.backward()

What it accepts:

* numbers in Python's float syntax (``2``, ``-1.5``, ``1e-3``), ``inf`` and
  ``nan``; ``+ - * / **``, with ``^`` as power (power's precedence) and the
  slide symbols ``−`` ``×`` ``·`` ``÷``;
* ``Value(2.0)``, ``Value(2.0, label='a')``, ``Value(data=2.0)``; ``x.label =
  '…'``; the op functions (:mod:`graphviz_dl.expr_functions`) and, for every
  op of one or two operands, the method form: ``x.tanh()``, ``x.exp()``,
  ``x.leaky_relu(0.1)``, ``x.max(y)``;
* lists ``[a, b]``, tuples, indexing ``xs[0]``/``xs[-1]``, ``a, b = 1.0, 2.0``;
  ``for … in range(n) / xs / zip(xs, ys) / enumerate(xs):`` loops, list
  comprehensions and generator expressions, ``len(xs)``, and ``sum``:
  ``sum(xs, start)`` adds one ``+`` at a time from ``start`` (0 if left
  out), exactly the nodes Python builds on micrograd's Values, while
  ``sum(a, b, c)`` of several values is the table's one-node sum;
* ``s += w*x`` (and ``-= *= /= **=``) builds a new node, as in micrograd;
* ``with group("attention"):`` blocks (nested or not): the nodes built inside
  belong to that group, which the explorer can fold into one box; ``with``
  accepts nothing but ``group`` with a name in quotes;
* ``o.backward()`` (the explorer does the backward pass: it only names the
  output) and ``draw_dot(o)``, ``import …`` and ``from … import …`` lines,
  and ``pass``, all accepted and otherwise ignored.

Names and the output. A name first assigned at the top level (outside loops)
is an entry of the result, holding the Value it has when the program ends;
outside loops ``=`` gives a name its value once (assigning it again is an
error: two nodes would share one name), while ``+=`` and the statements of a
loop may give it a new one. At the top level a name given a number is a
labelled leaf; a list is not an entry, and neither are loop variables and
names first assigned inside a loop. Entries come in the order of their first
assignment; the output comes last: the Value of the last ``o.backward()``,
or else the entry assigned last. An entry's node is labelled with its name
unless ``label=`` or ``.label =`` gave it one.

Number literals fold only where a number is meant: ``-1.5`` is one number,
``x ** 2`` raises to a fixed power (``pow_const``), ``2 ** x`` is a number to
a variable power (``rpow``), ``x ** y`` with two nodes is ``pow``; elsewhere
a number becomes an unlabelled constant leaf, as in the engine. Inside
``Value(…)``, and with counters from ``range``/``len``/``enumerate``,
arithmetic on numbers is worked out (``Value(0.5 * i)``, ``xs[i + 1]``).

Safety: the text goes through Python's own parser (:func:`ast.parse`), and
the tree is walked against an explicit whitelist; nothing is ever evaluated
by Python, and ``def``/``class``/``lambda`` are refused with a pointer to
``graphviz-dl run FILE.py``. Sizes are capped (:data:`MAX_CHARS`,
:data:`MAX_STATEMENTS`, :data:`MAX_DEPTH`), and so is the work: at most
:data:`MAX_NODES` nodes, :data:`MAX_TURNS` loop turns in all and
:data:`MAX_STEPS` evaluation steps, so every accepted program finishes in
bounded time. Every problem comes back as an :class:`ExpressionError` with a
1-based line and column in the text as typed.
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine import Value
from ..gc_pause import cycle_collector_paused
from .builder import Builder
from .errors import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_LABEL,
    MAX_NODES,
    MAX_STATEMENTS,
    MAX_STEPS,
    MAX_TURNS,
    BuildStopped,
    ExpressionError,
    OverBudget,
)
from .source import Source
from .suggest import suggest


def parse(
    text: str,
    *,
    cancelled: Callable[[], bool] | None = None,
    budget: int | None = None,
) -> dict[str, Value]:
    """Build the graph a program describes: its named Values, the output last.

    The result is a :class:`~.builder.Built` dict: its ``not_numbers`` say
    where values first stop being numbers (line and column), so a message
    can point at the operation. Raises :class:`ExpressionError` (and nothing
    else) for any text that is not a valid program. A caller that may stop
    waiting passes ``cancelled`` (looked at every few thousand steps;
    :class:`BuildStopped` once true) or ``budget``, the most steps it will
    wait for here (:class:`OverBudget` past it): the explorer tries a program
    briefly on the GUI thread and builds a long one in a background job.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse takes the program's text, not {type(text).__name__}")
    with cycle_collector_paused():  # 2–3× faster on 20,000 lines
        source = Source(text)
        builder = Builder(source)
        builder.watch(cancelled, budget)
        try:
            return builder.build(source.syntax_tree())
        finally:
            # The syntax tree (a dozen objects a line) goes while the collector
            # is still paused: its first scan then sees only the graph.
            builder.forget_tree()


__all__ = [
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_LABEL",
    "MAX_NODES",
    "MAX_STATEMENTS",
    "MAX_STEPS",
    "MAX_TURNS",
    "BuildStopped",
    "ExpressionError",
    "OverBudget",
    "parse",
    "suggest",
]
