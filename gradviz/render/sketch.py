"""A big graph drawn small: its boxes and wires, a slice at a time, into an image.

Where a graph's boxes are a few pixels on screen, nothing in them can be read, and
painting every item shows no more than where the boxes and wires are: a 50,000-way
fan-out (100,000 nodes, 150,000 edges) took 4 s a paint, the window still meanwhile. A
sketch draws the boxes as filled rectangles and the wires as one-pixel lines from port
to port, many to a call. Long wires still cost their pixels (that fan-out's wires cover
the picture many times over: 2 to 4 s of drawing), so a sketch is drawn in slices of
about `SLICE_S` (`draw_some`), which its widget shows as they come and between which
the event loop turns.

A sketch keeps the items it was started with: start another once the scene is drawn
anew (`GraphScene.revision` says when).
"""
from __future__ import annotations

import time
from collections.abc import Iterator

from PySide6.QtCore import QLineF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform

SLICE_S = 0.05
"""About how long one slice of drawing takes (it stops at the first chunk past this)."""
CHUNK = 500
"""Boxes or wires drawn with one call (500 wires across the picture: about 20 ms)."""


class Sketch:
    """``scene``'s boxes and wires drawn into an image of ``size`` (device-independent
    pixels, ``ratio`` device pixels each) through ``transform`` (scene to image).

    Boxes come first (a few calls: the graph's shape shows at once), then the wires in
    chunks, then the boxes again over them. ``emphasis`` colours each box by its look
    when drawn (current, future, done), as the overview does; else all alike, as a
    canvas that does not draw the sketch anew at each step shows them.
    """

    def __init__(self, scene, size: QSize, transform: QTransform, ratio: float = 1.0,
                 emphasis: bool = False) -> None:
        theme = scene.theme
        self.image = QImage(max(1, round(size.width() * ratio)),
                            max(1, round(size.height() * ratio)),
                            QImage.Format.Format_ARGB32_Premultiplied)
        self.image.setDevicePixelRatio(ratio)
        self.image.fill(QColor(theme.background))
        self._transform = transform
        self._wire = QPen(QColor(theme.edge), 0)  # one pixel wide, whatever the scale
        outline = QColor(theme.node_outline)
        self._fills = {"current": QColor(theme.current), "future": QColor(theme.faint)} \
            if emphasis else {}
        self._fill = outline
        self._painter: QPainter | None = None
        self._boxes: dict[str, list[QRectF]] = {}
        self._work = self._chunks(scene.node_items(), scene.edge_items(), emphasis)
        self.done = False

    def draw_some(self, seconds: float | None = None) -> bool:
        """Draw for about ``seconds`` more (default `SLICE_S`), at least one chunk; True
        once the whole sketch is drawn."""
        if self.done:
            return True
        end = time.perf_counter() + (SLICE_S if seconds is None else seconds)
        self._painter = painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setTransform(self._transform)
        try:
            for _ in self._work:
                if time.perf_counter() >= end:
                    break
            else:
                self.done = True
        finally:
            painter.end()
            self._painter = None
        return self.done

    def _chunks(self, nodes, edges, emphasis: bool) -> Iterator[None]:
        """The drawing, one chunk of boxes or wires per step."""
        for start in range(0, len(nodes), CHUNK):
            boxes: dict[str, list[QRectF]] = {}
            for item in nodes[start:start + CHUNK]:
                key = item.look.emphasis if emphasis else ""
                boxes.setdefault(key, []).append(item.sceneBoundingRect())
            for key, rects in boxes.items():
                self._boxes.setdefault(key, []).extend(rects)
                self._paint_boxes(key, rects)
            yield
        for start in range(0, len(edges), CHUNK):
            wires = []
            for e in edges[start:start + CHUNK]:
                source, target = e.source, e.target
                (ox, oy), (ix, iy) = source.local_output_xy(e.source_port), \
                    target.local_input_xy(e.port)
                wires.append(QLineF(source.x() + ox, source.y() + oy,
                                    target.x() + ix, target.y() + iy))
            self._painter.setPen(self._wire)
            self._painter.drawLines(wires)
            yield
        for key, rects in self._boxes.items():  # over the wires
            for start in range(0, len(rects), CHUNK * 20):
                self._paint_boxes(key, rects[start:start + CHUNK * 20])
                yield

    def _paint_boxes(self, key: str, rects: list[QRectF]) -> None:
        painter = self._painter
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._fills.get(key, self._fill))
        painter.drawRects(rects)


def scene_to_image(whole: QRectF, size: QSize) -> QTransform:
    """The transform that draws scene rectangle ``whole`` into an image of ``size``."""
    sx, sy = size.width() / whole.width(), size.height() / whole.height()
    return QTransform.fromScale(sx, sy).translate(-whole.left(), -whole.top())
