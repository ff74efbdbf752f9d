"""The program editor: type a program, and after a short pause the graph follows.

`ProgramEditor` is the text box (highlighting, the error underline); `ProgramPanel` adds
the line under it that says what is wrong and where, and, when the program uses names
that have no value, the offer to add them as inputs (`InputsOffer`, in one click or
Alt+A). The panel only reports text; the main window parses it and pushes the command.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ..render.plain_text import make_plain
from .highlighter import ProgramHighlighter
from .inputs_offer import InputsOffer
from .opening import keep_going

TYPING_PAUSE_MS = 400
COLOURED_LINES = 10_000
"""Programs longer than this are shown without colours: the highlighter colours every
line as the text arrives (100,000 lines took 1.5 s, the window still meanwhile)."""


class ProgramEditor(QPlainTextEdit):
    """Program text with colours; emits ``programEdited`` once the typing pauses."""

    programEdited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The fixed-width family fontconfig (or the platform) maps "monospace" to; asking
        # QFontDatabase instead costs its ~40 enum members at start-up.
        font = QFont("monospace", 14)
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        self.setFont(font)
        self.setAccessibleName("program")  # also names it in the arrow keys' hint
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setPlaceholderText("a = 2\nb = 3\ne = (a + b) * (b + 1)")
        self._highlighter = ProgramHighlighter(self.document())
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._emit_program)
        self._quiet = False
        self.textChanged.connect(self._on_text_changed)

    def set_program(self, text: str) -> None:
        """Show ``text`` (from the model) without treating it as typing.

        Only the part that differs is replaced (a new number for an input changes one
        line), so the cursor, the scroll position and the highlighting of the rest stay,
        and a long program is not laid out and coloured anew for every slider step."""
        old = self.toPlainText()
        if text == old:
            return
        keep_going()
        start = 0
        limit = min(len(old), len(text))
        while start < limit and old[start] == text[start]:
            start += 1
        end = 0
        while end < limit - start and old[-1 - end] == text[-1 - end]:
            end += 1
        self._quiet = True
        coloured = text.count("\n") < COLOURED_LINES
        if not coloured and self._highlighter.document() is not None:
            self._highlighter.setDocument(None)  # before the text comes
        try:
            if not old:  # the first text, as when the window opens
                self.setPlainText(text)
                return
            from PySide6.QtGui import QTextCursor  # not needed for the first frame

            cursor = QTextCursor(self.document())
            cursor.setPosition(_qt_position(old, start))
            cursor.setPosition(_qt_position(old, len(old) - end),
                               QTextCursor.MoveMode.KeepAnchor)
            # The model's text is not the editor's own typing to undo (the app's undo
            # stack has it), as after setPlainText.
            self.document().setUndoRedoEnabled(False)
            cursor.insertText(text[start:len(text) - end])
            self.document().setUndoRedoEnabled(True)
        finally:
            if coloured and self._highlighter.document() is None:
                self._highlighter.setDocument(self.document())  # coloured, all of it, next
            self._quiet = False

    def flush(self) -> None:
        """Emit now what is waiting for the typing pause (e.g. before an export)."""
        if self._pause.isActive():
            self._pause.stop()
            self._emit_program()

    def _on_text_changed(self) -> None:
        if not self._quiet:
            self._pause.start()

    def _emit_program(self) -> None:
        self.programEdited.emit(self.toPlainText())

    def insert_at_start(self, text: str) -> None:
        """Write ``text`` before the program as one edit (one step of the editor's own
        undo) and report the new program at once, without waiting for a pause."""
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.flush()

    def mark_error(self, line: int | None, col: int | None) -> None:
        """Underline the error's place (1-based line and column), or clear the mark."""
        from PySide6.QtGui import QTextCursor  # only for errors, not on the first frame
        from PySide6.QtWidgets import QTextEdit

        if line is None:
            self.setExtraSelections([])
            return
        block = self.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            block = self.document().lastBlock()
        cursor = QTextCursor(block)
        offset = max(0, min((col or 1) - 1, max(0, block.length() - 1)))
        cursor.setPosition(block.position() + offset)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfWord if offset < block.length() - 1
                            else QTextCursor.MoveOperation.Left,
                            QTextCursor.MoveMode.KeepAnchor)
        if not cursor.hasSelection():
            cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#D55E00"))
        fmt.setBackground(QColor(213, 94, 0, 50))
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor
        sel.format = fmt
        self.setExtraSelections([sel])


def _qt_position(text: str, index: int) -> int:
    """Qt's position of character ``index`` of ``text`` (Qt counts UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


class ProgramPanel(QWidget):
    """The editor and, under it, the message of the last error (empty when all is well)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = ProgramEditor(self)
        self.error_label = make_plain(QLabel(self))  # it quotes the program
        self.error_label.setObjectName("programError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #B33F00; font-weight: bold;")
        self.error_label.hide()
        # Lines taken but not done (print, an engine's class, a manual backward pass).
        self.notes_label = make_plain(QLabel(self))
        self.notes_label.setObjectName("programNotes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label.setStyleSheet("color: #555555;")
        self.notes_label.hide()
        self.offer = InputsOffer(self)
        self.offer.accepted.connect(self.editor.insert_at_start)
        self.addAction(self.offer.action)  # Alt+A anywhere in the panel, the editor too
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.offer)
        layout.addWidget(self.notes_label)

    def show_error(self, message: str, line: int | None = None, col: int | None = None,
                   missing: tuple[str, ...] = ()) -> None:
        """Say what is wrong (``line:col: message``) and underline the place; offer to
        add the ``missing`` names as inputs (none: no offer)."""
        where = f"{line}:{col}: " if line is not None else ""
        self.error_label.setText(f"{where}{message}  (showing the last good graph)")
        self.error_label.show()
        self.editor.mark_error(line, col)
        self.offer.offer(missing)

    NOTES_SHOWN = 4
    """Notes listed under the program at most; the rest are counted."""

    def show_notes(self, notes) -> None:
        """List the program's notes (``line:col: what gradviz did with it``); none: hide."""
        notes = tuple(notes)
        if not notes:
            self.notes_label.clear()
            self.notes_label.hide()
            return
        lines = [f"{n.line}:{n.col}: {n.message}" for n in notes[:self.NOTES_SHOWN]]
        if len(notes) > self.NOTES_SHOWN:
            lines.append(f"… and {len(notes) - self.NOTES_SHOWN} more")
        self.notes_label.setText("\n".join(lines))
        self.notes_label.show()

    @property
    def notes_text(self) -> str:
        return self.notes_label.text()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
        self.editor.mark_error(None, None)
        self.offer.offer(())

    @property
    def error_text(self) -> str:
        return self.error_label.text()
