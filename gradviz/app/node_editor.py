"""The node editor: rename a node, or set an input's or a constant's value.

Opened by a double-click on the canvas. What is typed is checked before anything
changes (a name another node has, a name no program could use, a value that is not a
finite number) and the reason is shown in the dialog, which stays open. Accepted edits
are one undo step (a macro when both the name and the value change).
"""
from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.notation import full_precision
from ..core.ops import OPS
from ..render.plain_text import make_plain, window_title
from .commands import SetValueCommand
from .document import Document
from .graph_commands import RenameCommand, push_commands, rename_problem


def parse_value(text: str) -> float | None:
    """A finite number typed by a person (``2``, ``-0.5``, ``1e-3``), else None."""
    try:
        x = float(text.strip().replace("−", "-"))
    except ValueError:
        return None
    return x if math.isfinite(x) else None


class NodeEditor(QDialog):
    """Name and (for inputs and constants) value of one node."""

    def __init__(self, document: Document, node_id: str, parent: QWidget | None = None,
                 push=None):
        """``push(*commands, macro="")`` puts the edits on the undo stack (the canvas
        wiring's, which keeps the view still); by default straight onto the stack."""
        super().__init__(parent)
        self.push = push or self._push
        self.document, self.node_id = document, node_id
        node = document.graph.node(node_id)
        self.node = node
        kind = OPS[node.op].title if node.kind == "op" else \
            {"input": "Input", "const": "Constant"}[node.kind]
        self.setWindowTitle(window_title(f"Edit {node.label} ({kind})"))
        form = QFormLayout()
        self.name_edit = QLineEdit(node.label, self)
        self.name_edit.setEnabled(node.kind != "const")
        form.addRow("Name", self.name_edit)
        self.value_edit: QLineEdit | None = None
        if node.kind != "op":
            value = document.input_value(node.label) if node.kind == "input" else node.value
            self.value_edit = QLineEdit(full_precision(value), self)
            form.addRow("Value", self.value_edit)
        self.error_label = make_plain(QLabel(self))
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #B33F00; font-weight: bold;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addWidget(buttons)
        # The value is what a double-click on an input or a constant is for; an
        # operation has only its name.
        (self.value_edit or self.name_edit).selectAll()
        (self.value_edit or self.name_edit).setFocus()

    @property
    def error_text(self) -> str:
        return self.error_label.text() if self.error_label.isVisible() else ""

    def accept(self) -> None:
        """Apply the edits, or say what is wrong and stay open."""
        node, graph = self.node, self.document.graph
        if self.node_id not in graph:
            return super().reject()
        label = self.name_edit.text().strip()
        rename = node.kind != "const" and label != node.label
        if rename:
            problem = rename_problem(graph, self.node_id, label)
            if problem:
                return self._show(problem)
        value = None
        if self.value_edit is not None:
            value = parse_value(self.value_edit.text())
            if value is None:
                return self._show(f"{self.value_edit.text()!r} is not a finite number")
            current = self.document.input_value(node.label) if node.kind == "input" \
                else node.value
            if value == current:
                value = None
        commands = []
        if value is not None:
            commands.append(SetValueCommand(self.document, self.node_id, value))
        if rename:
            commands.append(RenameCommand(self.document, self.node_id, label))
        if commands:
            self.push(*commands, macro=f"Edit {node.label}" if len(commands) > 1 else "")
        super().accept()

    def _push(self, *commands, macro: str = "") -> None:
        push_commands(self.document.undo_stack, *commands, macro=macro)

    def _show(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
