"""A guard against a PySide6 6.12.0 bug on Python 3.11: Qt methods returning nothing
hand back ``None`` without taking a reference to it.

Each such call (``painter.setPen``, ``drawLine`` …) lowers None's reference count by
one; after a few thousand the interpreter aborts with "deallocating None" (often only at
exit). From Python 3.12 on None is immortal and nothing happens. Until the dependency is
fixed, drawing code calls `top_up` before heavy work: it raises None's count by a
margin. This has to be the count itself, not a list holding Nones: such a list is freed
at interpreter exit, the deficit returns and the abort with it.
"""
from __future__ import annotations

import ctypes
import platform
import sys

_NEEDED = sys.version_info < (3, 12) and platform.python_implementation() == "CPython"
_LOW = 1_000_000


def top_up() -> None:
    """Make sure None has at least ``_LOW`` references to spare (CPython < 3.12 only)."""
    if _NEEDED and sys.getrefcount(None) < _LOW:
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(None)).value += 2 * _LOW
