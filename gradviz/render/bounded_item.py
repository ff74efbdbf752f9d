"""The base of the scene's node and edge items: a bounding rectangle kept by Qt.

Qt asks every item of a scene for its bounding rectangle at every paint when the scene
has no spatial index (as a wide fan-out's scene has not, see `app.canvas_scene`), and
whenever it searches the scene. An item that answers from a Python method costs a
call into Python per item each time: a view of 20 items of a 100,000-node graph took
0.6 s to paint, nearly all of it asking 250,000 items where they are. A
`QGraphicsRectItem` answers from Qt itself (its rectangle, drawn with no pen, is the
bounding rectangle), so the items keep their bounds with `set_bounds` and paint
themselves as they like: the same paint took 0.15 s (`benchmarks/open_big.py`).
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QGraphicsRectItem


class BoundedItem(QGraphicsRectItem):
    """An item whose bounding rectangle is what `set_bounds` last gave it (in item
    coordinates); subclasses paint, and may give a finer ``shape``."""

    def __init__(self) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)  # no pen: the rectangle is the bounds exactly

    def set_bounds(self, rect: QRectF) -> None:
        """Everything the item paints lies in ``rect`` (Qt is told of the change)."""
        self.setRect(rect)

    @property
    def bounds(self) -> QRectF:
        return self.rect()
