"""PDF: one vector page of a step, or a deck with one page per step.

A deck defaults to 16:9 slides (``--page``, see ``pages.py``) with the whole graph
fitted, when its node text is then at least `MIN_PAGE_TEXT_PT` on the page; for a graph
too big for that, each page shows the camera's view of its step, its caption and a small
overview (``shots.py``). One page defaults to the graph's own size. No page is ever over
`pages.MAX_PAGE_PT` a side: a page of the graph's own size is scaled down to it, and
says so. Every such change comes back as an `Adjustment`.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPdfWriter

from ..core.errors import DocumentError
from . import pages
from .camera import text_points
from .export import paint_hints, union_rect, write_file
from .formats import Adjustment
from .pages import DECK_PAGE, ONE_PAGE, fit_page, page_points
from .scene import GraphScene
from .shots import Overview, camera_shots, caption_band, hide_caption, paint_shot

MIN_PAGE_TEXT_PT = 8.0
"""Node text on a page smaller than this (in points) is too small to read: the pages
then follow the camera instead of showing the whole graph."""
PT_PER_UNIT = 0.75
"""Points per scene unit at the picture's natural size (96 units an inch)."""


def write_pdf(scene: GraphScene, path: Path, steps: list[int] | None = None,
              page: str | None = None) -> list[Adjustment]:
    """One vector page of the scene as it is, or a deck: one page per step index, on
    pages of size ``page`` (None: `DECK_PAGE` for a deck, `ONE_PAGE` for one page); the
    adjustments made."""
    indices = steps if steps is not None else [scene.step_index]
    page = page or (DECK_PAGE if len(indices) > 1 else ONE_PAGE)
    graph = scene.content_rect()
    size = page_points(page, graph.size())
    if size is None:
        return _fit_pages(scene, path, indices)
    whole = union_rect(scene, indices) if _legible(scene, graph, size) else graph
    if _legible(scene, whole, size):
        _write(scene, path, size, indices, lambda painter, target, _i: _paint_whole(
            painter, scene, target, whole))
        return []
    pt = _text_on(scene, whole, size)
    notes = [Adjustment(f"node text would be {pt:.2g} pt with the whole graph on a {page} "
                        "page, so each page shows its step's part of the graph (the "
                        "camera's view) with an overview in the corner", "page")]
    whole = hide_caption(scene)
    _, view = caption_band(QRectF(0, 0, size.width() / PT_PER_UNIT, size.height() / PT_PER_UNIT))
    shots = camera_shots(scene, indices, whole, view.size())
    scene.show_step(indices[-1])  # the overview shows the graph complete
    overview = Overview(scene, whole, view.size())
    _write(scene, path, size, indices, lambda painter, target, i: paint_shot(
        painter, scene, target, shots[i], overview))
    return notes


def _fit_pages(scene: GraphScene, path: Path, indices: list[int]) -> list[Adjustment]:
    """Pages of the graph's own size (the same for every step), within `MAX_PAGE_PT`."""
    whole = union_rect(scene, indices)
    natural = QSizeF(whole.width() * PT_PER_UNIT, whole.height() * PT_PER_UNIT)
    size, factor = fit_page(natural)
    notes = []
    if factor < 1:
        pt = text_points(factor, scene.theme.base_point_size)
        notes.append(Adjustment(
            f"the page is scaled down to {factor:.2g} so its long side is {pages.MAX_PAGE_PT:,.0f} "
            f"pt, the most PDF viewers open; node text is {pt:.2g} pt there (zoom in, or "
            f"choose 16:9 pages, which follow the step)", "page"))
    _write(scene, path, size, indices, lambda painter, target, _i: _paint_whole(
        painter, scene, target, whole))
    return notes


def _text_on(scene: GraphScene, whole: QRectF, size: QSizeF) -> float:
    """The node text's size in points with ``whole`` fitted on a page of ``size`` points."""
    factor = min(size.width() / (whole.width() * PT_PER_UNIT),
                 size.height() / (whole.height() * PT_PER_UNIT))
    return text_points(factor, scene.theme.base_point_size)


def _legible(scene: GraphScene, whole: QRectF, size: QSizeF) -> bool:
    return _text_on(scene, whole, size) >= MIN_PAGE_TEXT_PT


def _paint_whole(painter: QPainter, scene: GraphScene, target: QRectF, whole: QRectF) -> None:
    painter.fillRect(target, QColor(scene.theme.background))
    scene.render(painter, target, whole, Qt.AspectRatioMode.KeepAspectRatio)


def _write(scene: GraphScene, path: Path, size: QSizeF, indices: list[int], paint) -> None:
    """Pages of ``size`` points, one per step index, each painted by ``paint(painter,
    target, i)`` with the scene at that step."""
    # Drawn in memory, then written as any export is (atomically, see `export.write_file`):
    # QPdfWriter writing a file itself reports no full disk, leaving a truncated file.
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(96)  # device units are scene units at the natural size
    writer.setTitle(Path(path).stem)
    writer.setCreator("gradviz")
    # Portrait keeps the size as given (landscape would swap its sides).
    page = QPageSize(size, QPageSize.Unit.Point, "gradviz", QPageSize.SizeMatchPolicy.ExactMatch)
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(writer):
        raise DocumentError("cannot write the file", str(path))
    paint_hints(painter)
    for i, index in enumerate(indices):
        if i:
            writer.newPage()
        scene.show_step(index)
        paint(painter, QRectF(0, 0, writer.width(), writer.height()), i)
    ended = painter.end()
    buffer.close()
    if not ended or data.isEmpty():
        raise DocumentError("cannot draw the PDF", str(path))
    write_file(path, bytes(data.data()))
