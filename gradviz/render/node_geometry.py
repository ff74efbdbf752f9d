"""A node's geometry: its size from the texts it shows (`measure`) and the places and
shapes inside it that follow from the size alone.

Nodes showing numbers of the same length share a geometry (the digits are equally wide),
so everything here is made once per geometry and shared; painters copy what they are
given. Local coordinates have the node's centre at (0, 0).
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF

from ..core.graph import Node
from ..core.ops import OPS
from .typeface import Fonts

VALUE_KEY, GRAD_KEY = "value", "grad"
PORT_SPREAD_DEG = 38.0


class NodeGeometry(NamedTuple):
    """Where things sit inside a node, in local coordinates."""

    width: float
    height: float
    pad: float
    circle_r: float      # 0 for leaves
    card_left: float     # x where the record starts
    row_h: float

    @property
    def rect(self) -> QRectF:
        return QRectF(-self.width / 2, -self.height / 2, self.width, self.height)

    @property
    def card_rect(self) -> QRectF:
        return QRectF(self.card_left, -self.height / 2, self.width / 2 - self.card_left,
                      self.height)

    @property
    def circle_centre(self) -> QPointF:
        return QPointF(-self.width / 2 + self.circle_r, 0.0)


def measure(node: Node, fonts: Fonts, value_text: str, grad_text: str) -> NodeGeometry:
    """The node's geometry, wide enough for its label and the widest numbers it shows."""
    number_w = fonts.width(fonts.number, value_text)
    if node.kind == "const":
        return _pill(fonts, number_w)
    number_w = max(number_w, fonts.width(fonts.number, grad_text))
    return _record(fonts, node.kind, node.op, fonts.width(fonts.label, node.label), number_w)


# A geometry follows from a few widths alone, so it is made once for each and shared:
# nodes of the same kind with numbers and names of the same widths share one, and so
# the shapes cached per geometry below. (Each object a build keeps alive is one more
# for the cycle collector to walk, again and again.)
@lru_cache(maxsize=4096)
def _pill(fonts: Fonts, number_w: float) -> NodeGeometry:
    """A constant: its number in a pill."""
    px = fonts.height(fonts.number)
    pad = round(px * 0.45)
    h = px + pad
    w = max(number_w + 2 * pad, h * 1.6)
    return NodeGeometry(w, h, pad, 0.0, -w / 2, px)


@lru_cache(maxsize=4096)
def _record(fonts: Fonts, kind: str, op: str | None, label_w: float,
            number_w: float) -> NodeGeometry:
    """An input or an operation: the record of name, value and gradient (and an
    operation's circle)."""
    px = fonts.height(fonts.number)
    pad = round(px * 0.45)
    keys = max(fonts.width(fonts.key, VALUE_KEY), fonts.width(fonts.key, GRAD_KEY))
    gap = pad * 0.8
    card_w = 2 * pad + max(label_w, keys + gap + number_w)
    card_h = pad * 1.6 + 3 * px
    r = 0.0
    if kind == "op":
        sym = OPS[op].symbol
        r = max(fonts.height(fonts.symbol) * 0.95, fonts.width(fonts.symbol, sym) / 2 + pad * 0.6)
        card_h = max(card_h, 2 * r)
    link = pad * 0.8 if r else 0.0
    width = 2 * r + link + card_w
    return NodeGeometry(width, card_h, pad, r, -width / 2 + 2 * r + link, px)


def input_xy(g: NodeGeometry, kind: str, op: str | None, port: int) -> tuple[float, float]:
    """Where input ``port`` meets a node of geometry ``g``: on the circle for operations,
    spread over its left side; the middle of the left edge otherwise."""
    if kind != "op":
        return (-g.width / 2, 0.0)
    arity = OPS[op].arity
    angle = math.radians((port - (arity - 1) / 2) * PORT_SPREAD_DEG)
    cx = -g.width / 2 + g.circle_r
    return (cx - g.circle_r * math.cos(angle), g.circle_r * math.sin(angle))


@lru_cache(maxsize=4096)
def input_ports(g: NodeGeometry, kind: str, op: str | None) -> tuple[tuple[float, float], ...]:
    """Every input port's place of an operation (none for leaves), in a tuple of floats
    shared by the nodes with this geometry, which the cycle collector need not walk."""
    if kind != "op":
        return ()
    return tuple(input_xy(g, kind, op, port) for port in range(OPS[op].arity))


@lru_cache(maxsize=4096)
def bounds(g: NodeGeometry, margin: float) -> QRectF:
    """The node's rectangle with room for the halo and the selection ring; shared (Qt
    copies what `boundingRect` returns, and nothing changes it in place)."""
    return g.rect.adjusted(-margin, -margin, margin, margin)


@lru_cache(maxsize=4096)
def outline_shapes(g: NodeGeometry, kind: str) -> tuple[QRectF, tuple | None]:
    """The record (or the constant's pill) and, for operations, the circle."""
    if kind == "const":
        return g.rect, None
    circle = (g.circle_centre, g.circle_r, g.circle_r) if kind == "op" else None
    return g.card_rect, circle


@lru_cache(maxsize=4096)
def inner_lines(g: NodeGeometry, kind: str) -> tuple[tuple[QPointF, QPointF], ...]:
    """The link from the circle to the record, and the line under the name."""
    card = g.card_rect
    c, r = g.circle_centre, g.circle_r
    y = card.top() + g.pad * 0.4 + g.row_h + g.pad * 0.4
    return ((QPointF(c.x() + r, 0.0), QPointF(card.left(), 0.0)),
            (QPointF(card.left(), y), QPointF(card.right(), y)))


@lru_cache(maxsize=4096)
def number_bars(g: NodeGeometry, kind: str) -> tuple[QRectF, ...]:
    """Half-line-high bars where the value (and the gradient) are written."""
    if kind == "const":
        r = g.rect
        return (QRectF(r.left() + g.pad, -g.row_h / 4, r.width() - 2 * g.pad, g.row_h / 2),)
    card = g.card_rect
    y = card.top() + g.pad * 0.4 + g.row_h + g.pad * 0.4
    left = card.center().x()
    width = card.right() - g.pad - left
    return tuple(QRectF(left, y + g.pad * 0.2 + (i + 0.25) * g.row_h, width, g.row_h / 2)
                 for i in (0, 1))
