"""Text from the user or a file, shown as itself: never read as HTML, a mnemonic or a
window-title mark.

Qt guesses (``Qt.AutoText``): a label, a message box or a tooltip whose text looks like
HTML is rendered as HTML, so a label ``<img src='/dev/zero'>`` in a document would make
the app read /dev/zero. Every widget that shows a name, a description, a group's name,
program text or a message quoting any of them goes through this module:

- `plain_label` and `plain_message`: a QLabel or QMessageBox set to ``Qt.PlainText``.
- `plain_tooltip`: the text for ``setToolTip``/``QToolTip.showText``/a model's
  ToolTipRole. Qt offers no plain-text tooltip: text that Qt would take for HTML is
  escaped and wrapped so that the HTML shows exactly the original characters.
- `window_title`: ``[*]`` in a name is not the "modified" mark.
- `menu_text`: ``&`` in a name is not a keyboard mnemonic.
- `shown_text`: what Qt displays for an automatically formatted string (for tests and
  for callers that want the text a tooltip shows).

Text drawn by painters (``drawText``) and item views' display text are plain already.
"""
from __future__ import annotations

import html

from PySide6.QtGui import Qt, QTextDocument  # QtGui's Qt holds mightBeRichText
from PySide6.QtWidgets import QLabel, QWidget

_PLAIN = Qt.TextFormat.PlainText


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows exactly these characters.

    Left as it is unless Qt would read it as HTML (``Qt.mightBeRichText``, the test
    QToolTip applies); then escaped, line breaks and spaces kept.
    """
    if not text or not Qt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def shown_text(text: str) -> str:
    """What Qt displays for ``text`` given in automatic format (a tooltip, say)."""
    if not text or not Qt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows ``text`` (and any text set later) literally."""
    label = QLabel(parent)
    label.setTextFormat(_PLAIN)
    label.setText(text)
    return label


def make_plain(label: QLabel) -> QLabel:
    """Set an existing QLabel (or a subclass) to plain text; returns it."""
    label.setTextFormat(_PLAIN)
    return label


def plain_message(parent: QWidget | None, icon, title: str, text: str, buttons,
                  default=None):
    """A QMessageBox whose text is shown literally (not yet shown: ``open`` or ``exec`` it)."""
    from PySide6.QtWidgets import QMessageBox  # its enums cost start-up: made when needed

    box = QMessageBox(icon, window_title(title), text, buttons, parent)
    box.setTextFormat(_PLAIN)
    if default is not None:
        box.setDefaultButton(default)
    return box


def window_title(text: str) -> str:
    """``text`` for ``setWindowTitle`` with any ``[*]`` in it shown as typed (Qt reads a
    single ``[*]`` as the place of the modified mark and writes ``[*][*]`` as one)."""
    return text.replace("[*]", "[*][*]")


def menu_text(text: str) -> str:
    """``text`` for a menu item or button with any ``&`` shown, not taken as a mnemonic."""
    return text.replace("&", "&&")
