"""Syntax colours for program text: names, numbers, functions of the op table, comments."""
from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from ..core.ops import OPS

# Okabe–Ito colours, readable on a light editor background.
_COLOURS = {"function": "#009E73", "number": "#0072B2", "name": "#000000",
            "assigned": "#D55E00", "comment": "#6f6f6f", "operator": "#7a4f00"}


def _format(colour: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(colour))
    if bold:
        f.setFontWeight(QFont.Weight.Bold)
    f.setFontItalic(italic)
    return f


class ProgramHighlighter(QSyntaxHighlighter):
    """Colours one line at a time; function names come from the op table."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        functions = sorted({op.function for op in OPS.values() if op.function}, key=len,
                           reverse=True)
        names = "|".join(re.escape(f) for f in functions) or "(?!)"
        self._rules = [
            (re.compile(r"[-+*/^]|\*\*"), _format(_COLOURS["operator"])),
            (re.compile(r"\b\d+(\.\d*)?([eE][-+]?\d+)?\b|\.\d+\b"), _format(_COLOURS["number"])),
            (re.compile(rf"\b(?:{names})(?=\s*\()"), _format(_COLOURS["function"], bold=True)),
            (re.compile(rf"(?<=\.)(?:{names})\b"), _format(_COLOURS["function"], bold=True)),
            (re.compile(r"^\s*[A-Za-z_]\w*(?=\s*=(?!=))"), _format(_COLOURS["assigned"], bold=True)),
            (re.compile(r"#.*$"), _format(_COLOURS["comment"], italic=True)),
        ]

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        for pattern, fmt in self._rules:
            for m in pattern.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), fmt)
