"""The program's text: size limits, slide symbols, and positions as typed.

Python's parser reads a translation of the text (``^`` becomes ``**``, the
slide symbols ``−`` ``×`` ``·`` ``÷`` become ASCII); every position reported
to the person is mapped back to the text as typed.
"""

from __future__ import annotations

import ast
import warnings

from .errors import MAX_CHARS, MAX_DEPTH, ExpressionError

_SAME_WIDTH = str.maketrans({"−": "-", "×": "*", "·": "*", "÷": "/"})
"""Slide symbols read as their ASCII operators (one character each, so columns stay)."""

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


class Source:
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
