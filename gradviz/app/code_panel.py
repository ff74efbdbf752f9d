"""The Code panel: the engine as Python, with the line that performs the step lit.

It lists `core.listing`'s engine (reverse mode: the ``DiffScalar`` class with each
operation's forward line and ``_backward`` closure, then ``backward()``; forward mode:
the ``DualNumber`` class) and, under it, the open graph built from that class. The line
performing the document's current step is lit strongly with its numbers beside it
(``self.grad += other.value * out.grad   # 0 += 4 · 1 → 4``), the line around it (the
program's node, or the loop's ``node._backward()``) lightly.

Plain text only: the listing is set with ``setPlainText`` and edited through text
cursors, so a label written like HTML is shown as written, never interpreted.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QTextCursor,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import QDockWidget, QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from ..core import listing
from ..core.listing import Line, Listing, Lit
from .document import Document
from .opening import keep_going

NORMAL_POINTS = 11
LARGE_POINTS = 14
"""Presentation mode: large enough for the back row (at least 14 pt)."""
MONOSPACE = ("DejaVu Sans Mono", "Menlo", "Consolas", "Liberation Mono", "Noto Sans Mono",
             "Courier New")
"""Monospace typefaces with ∂, ε and ² that are likely installed, preferred in order."""
MODES = ("reverse", "forward")
LISTED_NODES = 10_000
"""A bigger graph is not listed under the engine, only counted: its listing would be
a line per node (100,000 nodes took over 2 s to list, the window still meanwhile), too
long to read as code."""
NBSP = "\u00a0"
_TITLES = {"reverse": "Reverse mode: the DiffScalar engine, as the notebook writes it",
           "forward": "Forward mode: the DualNumber engine (real + dual·ε, ε² = 0)"}


class CodePanel(QWidget):
    """The listing of the engine and the open program, following the document's step."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codePanel")
        self.document = document
        self._mode = "reverse"
        self._seed: str | None = None
        self._listing = Listing(())
        self._shown: dict[int, str] = {}  # line index -> the text it shows with numbers
        self._lit: list[Lit] = []
        self._labels_of: tuple | None = None  # (run, its labels): see _labels
        self._stale = True
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("codeListing")
        self.editor.setReadOnly(True)
        self.editor.setUndoRedoEnabled(False)
        # A long line wraps at a space, never inside a name (requires_grad stays whole).
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.editor, 1)
        self.set_large(False)
        document.structureChanged.connect(self._invalidate)
        document.valuesChanged.connect(self._invalidate)
        document.stepChanged.connect(self._show_step)
        document.modeChanged.connect(self._follow_mode)
        document.passChanged.connect(self._follow_mode)
        self._follow_mode()
        self._invalidate()

    # --- what is listed ------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str, seed: str | None = None) -> None:
        """List the ``"reverse"`` (DiffScalar) or ``"forward"`` (DualNumber) engine; in
        forward mode ``seed`` is the input node whose pass is shown (None: the first)."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        if (mode, seed) != (self._mode, self._seed):
            self._mode, self._seed = mode, seed
            self._invalidate()

    def _follow_mode(self, *_) -> None:
        """The document's mode, and in forward mode the seed of the pass shown."""
        d = self.document
        timeline = d.timeline if d.mode == "forward" else None
        self.set_mode(d.mode, getattr(timeline, "seed", None))

    def set_large(self, large: bool) -> None:
        """Presentation mode: bigger type (monospace either way)."""
        font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        font.setFamilies([*MONOSPACE, font.family()])
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setFixedPitch(True)
        font.setPointSize(LARGE_POINTS if large else NORMAL_POINTS)
        self.editor.setFont(font)
        title = QFont(self.title.font())
        title.setPointSize(LARGE_POINTS if large else NORMAL_POINTS)
        self.title.setFont(title)

    def _invalidate(self, *_) -> None:
        """The listing is written again, now if the panel is seen, else when it is."""
        self._stale = True
        if self.isVisible():
            self._rebuild()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._rebuild()

    def _rebuild(self) -> None:
        keep_going()
        self._stale = False
        engine = listing.reverse_listing() if self._mode == "reverse" \
            else listing.forward_listing()
        run = self.document.evaluation
        lines = engine.lines
        if run is not None and len(run.graph) > LISTED_NODES:
            lines = lines + (Line(""), Line(""), Line(
                f"# the program: {len(run.graph):,} nodes, too many to list here (up to "
                f"{LISTED_NODES:,} are)"))
        elif run is not None:
            prog, _ = listing.program(run.graph, run.order, run.output, self._mode,
                                      self._seed)
            lines = lines + prog.lines
        self._listing = Listing(lines)
        self._shown = {}
        self._lit = []
        self.title.setText(_TITLES[self._mode] + " · the lit line does the step")
        self.editor.setPlainText(self._listing.text.rstrip("\n"))
        self._show_step()

    # --- the step --------------------------------------------------------------------
    def _show_step(self, *_) -> None:
        if self._stale:
            return
        d = self.document
        run = d.evaluation
        steps = d.timeline if self._mode == d.mode else None  # the pass, in forward mode
        step = steps.state(d.step).current if run is not None and steps is not None else None
        lit = listing.lit_lines(self._listing, step, run.graph, run.values,
                                self._labels(run)) if run is not None else []
        self.show_lines(lit)

    def _labels(self, run) -> dict[str, str]:
        """``run``'s labels by node id, collected once per run (not at every step)."""
        if self._labels_of is None or self._labels_of[0] is not run:
            self._labels_of = (run, run.graph.labels())
        return self._labels_of[1]

    def show_lines(self, lit: list[Lit]) -> None:
        """Light ``lit`` (and put their numbers beside them), unlighting the others.

        The app's own steps come here from the document; a step of another kind (a
        forward-mode pass) can be shown by calling this with `listing.lit_lines`'s
        answer for it."""
        # The numbers wrap as a whole (no-break spaces), onto the next line if need be.
        wanted = {x.index: listing.with_comment(self._listing.lines[x.index].text,
                                                x.comment, NBSP)
                  for x in lit}
        for index in set(self._shown) | set(wanted):
            text = wanted.get(index, self._listing.lines[index].text)
            if self._shown.get(index, self._listing.lines[index].text) != text:
                self._set_line(index, text)
        self._shown = {i: t for i, t in wanted.items()
                       if t != self._listing.lines[i].text}
        self._lit = list(lit)
        self._paint()

    def _set_line(self, index: int, text: str) -> None:
        block = self.editor.document().findBlockByNumber(index)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                            QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)  # plain text: nothing in it is read as markup

    def _paint(self) -> None:
        palette = self.editor.palette()
        strong_bg = palette.color(QPalette.ColorRole.Highlight)
        strong_fg = palette.color(QPalette.ColorRole.HighlightedText)
        weak_bg = QColor(strong_bg)
        weak_bg.setAlpha(70)
        selections = []
        for x in sorted(self._lit, key=lambda x: x.strong):  # the strong one on top
            block = self.editor.document().findBlockByNumber(x.index)
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format.setBackground(strong_bg if x.strong else weak_bg)
            if x.strong:
                sel.format.setForeground(strong_fg)
            sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selections.append(sel)
        self.editor.setExtraSelections(selections)
        strong = next((x for x in self._lit if x.strong), None)
        if strong is not None:
            self.editor.setTextCursor(QTextCursor(
                self.editor.document().findBlockByNumber(strong.index)))
            self.editor.centerCursor()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if any(x.strong for x in self._lit):
            self.editor.centerCursor()  # the lit line stays in the middle of the panel

    # --- reading what is shown (tests, and callers that want the text) --------------
    @property
    def text(self) -> str:
        """The listing as shown, numbers and all."""
        return self.editor.toPlainText().replace(NBSP, " ")

    def lit(self) -> list[tuple[str, bool]]:
        """The lit lines as shown (with their numbers), the strong one marked True."""
        doc = self.editor.document()
        return [(doc.findBlockByNumber(x.index).text().replace(NBSP, " "), x.strong)
                for x in self._lit]


# --- in the window ------------------------------------------------------------------------
BESIDE_SHARE = 0.45
"""The share of the screen's width the panel takes beside the canvas when presenting."""


def install(window) -> tuple[CodePanel, QDockWidget, QAction]:
    """The Code panel docked in ``window`` (tabbed with the steps list) and View ▸ "Code
    beside the canvas when presenting": presentation mode then keeps the panel, in large
    type, beside the canvas. The choice is remembered in the settings; the dock's place
    and size are kept with the other panels'."""
    from .menus import action

    panel = CodePanel(window.document, window)
    dock = window.add_panel("Code", panel, Qt.DockWidgetArea.RightDockWidgetArea)
    window.tabifyDockWidget(window.steps_dock, dock)
    window.steps_dock.raise_()
    beside = action(window, "&Code beside the canvas when presenting", None,
                    ["Ctrl+Shift+C"], "Presentation mode shows the Code panel next to "
                    "the canvas, with the line doing the step lit")
    beside.setCheckable(True)
    beside.setChecked(window.settings.code_in_presentation)
    window.menus.view.insertAction(window.menus.present, beside)

    def show_beside() -> None:
        dock.show()
        dock.raise_()
        width = window.screen().availableGeometry().width() if window.screen() else 1280
        window.resizeDocks([dock], [int(width * BESIDE_SHARE)], Qt.Orientation.Horizontal)

    def presenting(on: bool) -> None:  # the type size follows `MainWindow._set_large`
        if on and beside.isChecked():
            show_beside()

    def chosen(on: bool) -> None:
        window.settings.code_in_presentation = on
        if window.presentation.active:
            show_beside() if on else dock.hide()

    window.presentation.toggled.connect(presenting)
    beside.toggled.connect(chosen)
    return panel, dock, beside
