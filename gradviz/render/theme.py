"""Colours, type and line widths: projector (the default), light print and dark.

Colours come from the Okabe–Ito palette, which stays distinguishable for the common
kinds of colour blindness: forward values in blue, gradients in vermillion, the current
step marked in yellow (as with a highlighter pen) plus a thicker outline, so colour is
never the only cue.
"""
from __future__ import annotations

from typing import NamedTuple

from ..core.errors import GradvizError


class ThemeError(GradvizError, ValueError):
    """A theme name gradviz does not know."""

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9",
    "bluish_green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
    "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}


class Theme(NamedTuple):
    """Everything the scene needs to know about looks. Sizes are in scene pixels."""

    name: str
    background: str
    text: str
    faint: str
    node_fill: str
    node_outline: str
    op_fill: str
    value: str
    gradient: str
    current: str
    current_outline: str
    problem: str
    edge: str
    font_family: str = "DejaVu Sans"
    base_point_size: float = 14.0
    edge_width: float = 2.0
    outline_width: float = 1.5
    current_width: float = 4.0

    @property
    def pixel_size(self) -> int:
        """The base type size in scene pixels (96 per inch), the same on every device."""
        return round(self.base_point_size * 96 / 72)


THEMES: dict[str, Theme] = {
    "projector": Theme(
        name="projector", background="#FFFFFF", text="#000000", faint="#B4B4B4",
        node_fill="#FFFFFF", node_outline="#000000", op_fill="#EDEDED",
        value=OKABE_ITO["blue"], gradient=OKABE_ITO["vermillion"],
        current=OKABE_ITO["yellow"], current_outline="#000000",
        problem="#C8102E", edge="#303030",
        base_point_size=18.0, edge_width=3.0, outline_width=2.5, current_width=6.0),
    "light": Theme(
        name="light", background="#FFFFFF", text="#1A1A1A", faint="#C0C0C0",
        node_fill="#FFFFFF", node_outline="#4D4D4D", op_fill="#F2F2F2",
        value=OKABE_ITO["blue"], gradient=OKABE_ITO["vermillion"],
        current=OKABE_ITO["yellow"], current_outline="#1A1A1A",
        problem="#C8102E", edge="#5A5A5A",
        base_point_size=14.0, edge_width=1.8, outline_width=1.4, current_width=4.0),
    "dark": Theme(
        name="dark", background="#1E1E1E", text="#F0F0F0", faint="#5E5E5E",
        node_fill="#2B2B2B", node_outline="#C8C8C8", op_fill="#383838",
        value=OKABE_ITO["sky_blue"], gradient=OKABE_ITO["orange"],
        current=OKABE_ITO["yellow"], current_outline="#FFFFFF",
        problem="#FF5A5A", edge="#BBBBBB",
        base_point_size=15.0, edge_width=2.2, outline_width=1.6, current_width=4.5),
}

DEFAULT_THEME = "projector"


def theme_named(name: str) -> Theme:
    """The theme called ``name``; an unknown name is an error listing the known ones."""
    try:
        return THEMES[name]
    except KeyError:
        known = ", ".join(THEMES)
        raise ThemeError(f"unknown theme {name!r} (themes: {known})") from None
