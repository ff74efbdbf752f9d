"""The render layer's graph scene as the app shows it: without the caption on the canvas.

In the window the explanation panel under the canvas says what the step does, in larger
type than a caption scaled with the graph; exports keep the caption (they use a scene of
their own). Only public items are touched here.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF

from ..render.scene import MARGIN, GraphScene


class CanvasScene(GraphScene):
    """A `GraphScene` whose caption stays hidden and whose content is the graph alone."""

    def __init__(self, theme=None, parent=None) -> None:
        super().__init__(theme, parent)
        self.set_caption_visible(False)

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.node_items() + self.edge_items():
            rect = rect.united(item.sceneBoundingRect())
        return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
