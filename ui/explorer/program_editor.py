"""The program editor: a plain-text box with line numbers and error marks.

A program is a few assignments (``a = t1 * t2``); the last one is the output.
The editor only edits text: building happens in the window (Ctrl+Return), and
a parse error comes back here as a red wavy underline at its line and column.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

_NAVIGATION_KEYS = {
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_Space,
}


class _LineNumbers(QWidget):
    def __init__(self, editor: ProgramEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.line_number_width(), 0)

    def paintEvent(self, event) -> None:
        self.editor.paint_line_numbers(event)


class ProgramEditor(QPlainTextEdit):
    """Program text with line numbers; :meth:`mark_error` underlines a spot."""

    typedTextReplaced = Signal(str)
    """Text typed and never built, about to be replaced (an example, a load)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._given: str | None = ""
        self.setObjectName("programEditor")
        self.setAccessibleName("Program")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.setFont(font)
        # Wrap: the docks are narrow, and a comment cut off mid-sentence reads as lost.
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.setPlaceholderText(
            "# one assignment per line; the last one is the output\n"
            "x = 2.0\nw = -3.0\nb = 1.0\ny = (w * x + b).tanh()"
        )
        self._numbers = _LineNumbers(self)
        self._error: tuple[int, int] | None = None
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self.textChanged.connect(self._text_edited)
        self._update_margin()

    # --- line numbers -------------------------------------------------------------------
    def line_number_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * max(2, digits)

    def _update_margin(self, *_args) -> None:
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self._numbers.scroll(0, dy)
        else:
            self._numbers.update(0, rect.y(), self._numbers.width(), rect.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._numbers.setGeometry(
            QRect(area.left(), area.top(), self.line_number_width(), area.height())
        )

    def paint_line_numbers(self, event) -> None:
        painter = QPainter(self._numbers)
        painter.fillRect(event.rect(), QColor("#f1f5f9"))
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(
            self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        )
        bottom = top + round(self.blockBoundingRect(block).height())
        error_line = None if self._error is None else self._error[0] - 1
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                font = QFont(self.font())
                font.setBold(number == error_line)
                painter.setFont(font)
                painter.setPen(
                    QColor("#dc2626") if number == error_line else QColor("#94a3b8")
                )
                painter.drawText(
                    0,
                    top,
                    self._numbers.width() - 6,
                    self.fontMetrics().height(),
                    Qt.AlignmentFlag.AlignRight,
                    str(number + 1),
                )
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1

    # --- errors ---------------------------------------------------------------------------
    def mark_error(self, line: int, col: int) -> None:
        """Underline the spot (1-based line, 0-based column) and put the cursor there."""
        document = self.document()
        line = max(1, min(line, document.blockCount()))
        block = document.findBlockByNumber(line - 1)
        col = max(0, min(col, max(0, block.length() - 1)))
        cursor = QTextCursor(block)
        # setPosition, not movePosition(Right, col): moving right one character
        # at a time is quadratic in the line's length (minutes on a 1 MB line)
        cursor.setPosition(block.position() + col)
        if col < block.length() - 1:
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor
            )
            if not cursor.hasSelection():
                cursor.movePosition(
                    QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 1
                )
        else:  # the error is at the end of the line: mark the whole line
            cursor = QTextCursor(block)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
        wavy = QTextCharFormat()
        wavy.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        wavy.setUnderlineColor(QColor("#dc2626"))
        wavy.setBackground(QColor(220, 38, 38, 40))
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = wavy
        self.setExtraSelections([selection])
        self._error = (line, col)
        place = QTextCursor(block)
        place.setPosition(block.position() + col)
        self.setTextCursor(place)
        self._numbers.update()

    def clear_error(self) -> None:
        if self._error is not None:
            self._error = None
            self.setExtraSelections([])
            self._numbers.update()

    @property
    def error(self) -> tuple[int, int] | None:
        """The marked (line, col), if any."""
        return self._error

    def set_program_text(self, text: str) -> None:
        """Replace the text (keeping undo history separate from the app's undo).
        Text the person typed and never built is announced first
        (:attr:`typedTextReplaced`), so it can be kept."""
        if text != self.toPlainText():
            if self.has_unbuilt_edits():
                self.typedTextReplaced.emit(self.toPlainText())
            self.setPlainText(text)
        self._given = text
        self.clear_error()

    def has_unbuilt_edits(self) -> bool:
        """Whether the text differs from what the app last put here (typed,
        not built, not saved)."""
        text = self.toPlainText()
        return bool(text.strip()) and text != self._given

    def mark_given(self) -> None:
        """The text as it is now is safe (built, saved or opened)."""
        self._given = self.toPlainText()

    def mark_typed(self) -> None:
        """The text as it is now is the person's own, not yet built."""
        self._given = None

    def _text_edited(self) -> None:
        self.clear_error()

    def event(self, event) -> bool:
        # Arrows, Home, End and Space step the walkthrough elsewhere in the window;
        # while typing here they must move the cursor and insert spaces instead.
        if (
            event.type() == event.Type.ShortcutOverride
            and event.key() in _NAVIGATION_KEYS
        ):
            event.accept()
            return True
        return super().event(event)
