"""Page sizes of a PDF: slide shapes, paper, or the graph's own size (``--page``).

A deck is shown on a projector, so it defaults to a 16:9 slide; one page defaults to the
graph's own size (``fit``), the picture a slide tool places. No page is ever larger than
`MAX_PAGE_PT` a side: past it PDF viewers refuse or clip the page.
"""
from __future__ import annotations

from PySide6.QtCore import QSizeF

from ..core.errors import GraphError

MAX_PAGE_PT = 14_400.0
"""The longest page side a PDF may have (200 inches; Acrobat and most viewers stop there)."""
DECK_PAGE = "16:9"
"""The page of a deck (a PDF of every step) unless another is asked for."""
ONE_PAGE = "fit"
"""The page of a one-step PDF unless another is asked for."""

PAGES: dict[str, tuple[float, float] | None] = {
    "16:9": (960.0, 540.0),   # a widescreen slide, 13.33 × 7.5 in
    "4:3": (720.0, 540.0),    # a standard slide, 10 × 7.5 in
    "a4": (841.89, 595.28),   # turned to the graph's shape
    "letter": (792.0, 612.0),  # turned to the graph's shape
    "fit": None,              # the graph's own size (at most MAX_PAGE_PT a side)
}
"""Every page size by name, in points (width, height of the landscape page)."""
PAPER = {"a4", "letter"}
"""The sizes that are turned upright for a graph taller than wide (slides never are)."""


def check_page(name: str | None) -> None:
    """Refuse a page name that `PAGES` does not know, listing those it does."""
    if name is not None and name not in PAGES:
        raise GraphError(f"page {name}: use one of {', '.join(PAGES)}")


def page_points(name: str, content: QSizeF) -> QSizeF | None:
    """The size in points of page ``name`` for content of that shape; None for ``fit``
    (the content's own size, which `fit_page` caps)."""
    check_page(name)
    size = PAGES[name]
    if size is None:
        return None
    w, h = size
    if name in PAPER and content.height() > content.width():
        w, h = h, w
    return QSizeF(w, h)


def fit_page(points: QSizeF) -> tuple[QSizeF, float]:
    """``points`` shrunk, if need be, so that neither side is over `MAX_PAGE_PT`; and the
    factor it was shrunk by (1 when it fits)."""
    longest = max(points.width(), points.height())
    factor = min(1.0, MAX_PAGE_PT / longest) if longest > 0 else 1.0
    return QSizeF(points.width() * factor, points.height() * factor), factor
