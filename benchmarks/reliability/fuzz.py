"""Fuzzing the typed language: seeded programs, grammar-shaped or damaged.

Every program is made from ``random.Random(f"{seed}:{index}")`` alone, so a
failure is reproduced by its seed and index (``program(seed, index)``). About
half the programs follow the grammar (assignments, ``Value(…, label=…)``,
methods, lists and indexing, loops over range/zip/enumerate, comprehensions,
``sum``, ``+=``, ``;``); the rest are damaged copies (characters cut, doubled
or swapped, stray brackets, NUL and slide symbols, huge numbers, refused
keywords). Goal: nothing but :class:`ExpressionError` escapes ``parse``, and
no program takes more than 2 s. Qt-free.
"""

from __future__ import annotations

import random
import signal
import time
from dataclasses import dataclass, field

from graphviz_dl.expr_functions import FUNCTIONS, METHODS

SLOW = 2.0
HARD_LIMIT = 20.0
"""A program still running after this long is stopped (and counted slow)."""
NAMES = ("a", "b", "c", "h", "s", "o", "w", "z", "y", "L")
LISTS = ("xs", "ws", "[a, b]", "[1.0, -2.0, 0.5]", "[]", "[Value(1.0), b]")
NUMBERS = ("0", "1", "2.0", "-1.5", "1e-3", "3", "inf", "nan", "1e308", "-0.0")
SIZES = ("0", "1", "2", "3", "5", "-2", "len(xs)", "40")
BIG_SIZES = ("300", "5000", "10 ** 6")
"""Loops that reach the caps: one range in twenty (they cost most of the time)."""
ODD = (
    *"()[]:,.=^'\"#;\\@−×·÷é",
    *("**", "..."),
    *("\t", "    ", "\n", "\x00", "\u202e", "lambda", "def ", "__class__"),
    *("9**9**9**9", "10**400", "1e999", "import os"),
)
ONE_ARG = tuple(m for m, sig in METHODS.items() if not str(sig).endswith("(y)"))
FUNCS = tuple(FUNCTIONS)


class _Overtime(Exception):
    pass


PRELUDE = (
    "a = Value(2.0, label='a')",
    "b = -3.0",
    "c = 0.5",
    "h = Value(1.0)",
    "s = 0.0",
    "o = 1.5",
    "w = 0.25",
    "z = -1.0",
    "y = 2.0",
    "L = 0.1",
    "xs = [1.0, 2.0, 3.0]",
    "ws = [a, b, 0.5]",
)


class _Maker:
    """Grammar-shaped text from one random stream; knows which names exist."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = list(NAMES)
        self.loop_names: list[str] = []
        self.fresh = 0

    def scalar(self, depth: int = 0) -> str:
        rng = self.rng
        kind = rng.randrange(10 if depth < 4 else 2)
        if kind == 0:
            extra = ["xs[0]", "ws[-1]", *self.loop_names]
            return rng.choice(self.names + extra)
        if kind == 1:
            return rng.choice(NUMBERS)
        if kind in (2, 3, 9):
            ops = ("+", "-", "*", "/", "**", "^", "−", "×", "·", "÷")
            op = rng.choice(ops + ("//", "%") if rng.random() < 0.05 else ops)
            return f"({self.scalar(depth + 1)} {op} {self.scalar(depth + 1)})"
        if kind == 4:
            if rng.random() < 0.9:
                method = rng.choice(ONE_ARG)
                return f"({self.scalar(depth + 1)}).{method}()"
            method = rng.choice(tuple(METHODS) + ("backward", "data", "grad", "foo"))
            return f"{self.scalar(depth + 1)}.{method}({self.scalar(depth + 1)})"
        if kind == 5:
            name = rng.choice(FUNCS)
            count = 1 if name in ONE_ARG else rng.randint(1, 3)
            args = ", ".join(self.scalar(depth + 1) for _ in range(count))
            return f"{name}({args})"
        if kind == 6:
            label = rng.choice(("", ", label='v'", ', label="w"', ", label=3"))
            inner = rng.choice(NUMBERS + tuple(self.loop_names or ["0.5"]))
            return f"Value({inner}{label})"
        if kind == 7:
            start = f", {self.scalar(depth + 1)}" if rng.random() < 0.5 else ""
            return f"sum({self.sequence(depth + 1)}{start})"
        return f"-{self.scalar(depth + 1)}"

    def size(self) -> str:
        big = self.rng.random() < 0.05
        return self.rng.choice(BIG_SIZES if big else SIZES)

    def sequence(self, depth: int = 0) -> str:
        rng = self.rng
        kind = rng.randrange(5 if depth < 4 else 2)
        if kind == 0:
            return rng.choice(LISTS)
        if kind == 1:
            return f"range({self.size()})"
        if kind == 2:
            self.loop_names.append("k")
            body = self.scalar(depth + 1)
            self.loop_names.pop()
            return f"[{body} for k in {self.sequence(depth + 1)}]"
        if kind == 3:
            self.loop_names += ["j", "xj"]
            body = self.scalar(depth + 1)
            del self.loop_names[-2:]
            return f"({body} for j, xj in enumerate({rng.choice(LISTS)}))"
        return f"zip({self.sequence(depth + 1)}, {self.sequence(depth + 1)})"

    def statements(self, indent: str = "", depth: int = 0) -> list[str]:
        rng = self.rng
        kind = rng.randrange(9 if depth < 2 else 5)
        if kind == 0 and not indent:
            self.fresh += 1
            line = f"v{self.fresh} = {self.scalar()}"
            self.names.append(f"v{self.fresh}")
            return [line]
        if kind in (0, 1):
            op = rng.choice(("+=", "-=", "*=", "/=", "**="))
            return [f"{indent}{rng.choice(self.names)} {op} {self.scalar(1)}"]
        if kind == 2:
            name, out = rng.choice(self.names), rng.choice(self.names)
            return [f"{indent}{name}.label = '{name}'; {out}.backward()"]
        if kind == 3:
            if indent:
                return [f"{indent}xs = {self.sequence(1)}"]
            self.fresh += 1
            return [f"l{self.fresh} = {self.sequence(1)}"]
        if kind == 4:
            self.fresh += 1
            pair = f"p{self.fresh}, q{self.fresh} = 1.0, 2.0"
            return [indent + rng.choice(("import math", "pass", pair))]
        return self._loop(indent, depth)

    def _loop(self, indent: str, depth: int) -> list[str]:
        rng = self.rng
        i, x, w = f"i{depth}", f"x{depth}", f"w{depth}"
        headers = (
            (f"for {i} in range({self.size()}):", [i]),
            (f"for {i} in {self.sequence(1)}:", [i]),
            (f"for {i}, {x} in enumerate(xs):", [i, x]),
            (f"for {w}, {x} in zip(ws, xs):", [w, x]),
        )
        header, names = rng.choice(headers)
        self.loop_names += names
        body = []
        for _ in range(rng.randint(1, 3)):
            body += self.statements(indent + "    ", depth + 1)
        del self.loop_names[-len(names) :]
        return [indent + header, *body]


def _join_some(lines: list[str], rng: random.Random) -> list[str]:
    """Some neighbouring top-level statements joined with ``;``."""
    joined: list[str] = []
    for line in lines:
        simple = not line.startswith(("for", " "))
        previous = joined[-1] if joined else "for"
        if simple and not previous.startswith(("for", " ")) and rng.random() < 0.5:
            joined[-1] += "; " + line
            continue
        joined.append(line)
    return joined


def grammar_program(rng: random.Random) -> str:
    """A program that follows the grammar (it may still be refused: unknown
    method arguments, caps, a name assigned twice)."""
    maker = _Maker(rng)
    lines = list(PRELUDE)
    for _ in range(rng.randint(1, 8)):
        lines += maker.statements()
    if rng.random() < 0.5:
        lines.append(f"out = {maker.scalar(1)}")
    if rng.random() < 0.3:
        lines = _join_some(lines, rng)
    return "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")


def damage(text: str, rng: random.Random) -> str:
    """``text`` with a few random cuts, copies, swaps and strays."""
    for _ in range(rng.randint(1, 4)):
        if not text:
            return rng.choice(ODD)
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randint(1, 12))
        how = rng.randrange(5)
        if how == 0:
            text = text[:i] + text[j:]
        elif how == 1:
            text = text[:j] + text[i:j] + text[j:]
        elif how == 2:
            text = text[:i] + rng.choice(ODD) + text[i:]
        elif how == 3:
            lines = text.split("\n")
            rng.shuffle(lines)
            text = "\n".join(lines)
        else:
            text = text[:i]
    return text


def program(seed: int, index: int) -> str:
    """Program number ``index`` of run ``seed`` (the same every time)."""
    rng = random.Random(f"{seed}:{index}")
    text = grammar_program(rng)
    return damage(text, rng) if rng.random() < 0.5 else text


@dataclass
class FuzzResult:
    """Counts, and the seed/index of each failure (the first few)."""

    programs: int = 0
    accepted: int = 0
    unexpected: list[tuple[int, int, str]] = field(default_factory=list)
    slow: list[tuple[int, int, float]] = field(default_factory=list)
    slowest: float = 0.0
    slow_cpu: list[tuple[int, int, float]] = field(default_factory=list)
    """Programs over :data:`SLOW` s of the worker's own CPU time: on a shared
    machine the wall clock also counts the time other work had the cores."""
    slowest_cpu: float = 0.0
    seconds: float = 0.0

    def merge(self, other: FuzzResult) -> None:
        self.programs += other.programs
        self.accepted += other.accepted
        self.unexpected += other.unexpected
        self.slow += other.slow
        self.slowest = max(self.slowest, other.slowest)
        self.slow_cpu += other.slow_cpu
        self.slowest_cpu = max(self.slowest_cpu, other.slowest_cpu)


def _on_alarm(_signum, _frame) -> None:
    raise _Overtime


def run_range(seed: int, start: int, stop: int) -> FuzzResult:
    """Parse programs ``start`` … ``stop - 1`` of run ``seed``."""
    from graphviz_dl.expr import ExpressionError, parse

    result = FuzzResult()
    began = time.perf_counter()
    alarm = hasattr(signal, "setitimer")
    if alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for index in range(start, stop):
            text = program(seed, index)
            t0, cpu0 = time.perf_counter(), time.process_time()
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, HARD_LIMIT)
            try:
                parse(text)
                result.accepted += 1
            except ExpressionError:
                pass
            except _Overtime:
                pass
            except Exception as exc:  # noqa: BLE001 - this is what fuzzing counts
                result.unexpected.append(
                    (seed, index, f"{type(exc).__name__}: {exc}"[:200])
                )
            finally:
                if alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.perf_counter() - t0
            cpu = time.process_time() - cpu0
            result.slowest = max(result.slowest, took)
            result.slowest_cpu = max(result.slowest_cpu, cpu)
            if took > SLOW:
                result.slow.append((seed, index, round(took, 2)))
            if cpu > SLOW:
                result.slow_cpu.append((seed, index, round(cpu, 2)))
            result.programs += 1
    finally:
        if alarm:
            signal.signal(signal.SIGALRM, previous)
    result.seconds = time.perf_counter() - began
    return result


def _work(args: tuple[int, int, int]) -> FuzzResult:
    return run_range(*args)


def fuzz(count: int, seed: int = 0, workers: int = 2, chunk: int = 2000) -> FuzzResult:
    """``count`` programs of run ``seed``, in ``workers`` processes."""
    jobs = [(seed, i, min(count, i + chunk)) for i in range(0, count, chunk)]
    total = FuzzResult()
    began = time.perf_counter()
    if workers <= 1 or len(jobs) == 1:
        parts = [_work(job) for job in jobs]
    else:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_work, jobs)
    for part in parts:
        total.merge(part)
    total.seconds = time.perf_counter() - began
    return total
