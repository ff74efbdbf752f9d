"""A guard against PySide6 6.12.0's lost references to None on Python 3.11.

With that PySide6 on Python < 3.12, every call of a wrapped C++ function that returns
nothing (``painter.setPen``, ``label.setText`` …) takes one reference from ``None``
without having given one. ``None`` starts with a few thousand references, so after a few
seconds of painting, Python aborts with "none_dealloc: deallocating None". From Python
3.12 on ``None`` is immortal and nothing happens. The real fix is a PySide6 without the
bug; until then, when the leak is measured here, ``None``'s reference count is raised so
far that no session can run it down (what Python 3.12 does for every immortal object).
"""
from __future__ import annotations

import ctypes
import sys

_FAR_AWAY = 1 << 60


def _leaks_none() -> bool:
    from PySide6.QtCore import QRectF

    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(100):
        rect.setWidth(1.0)
    return sys.getrefcount(None) < before - 50


def guard_none_refcount() -> bool:
    """Make ``None`` effectively immortal if this PySide6 leaks its references.

    Returns True when the guard was needed.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not _leaks_none():
        return False
    # ob_refcnt is the first field of every object in CPython's default build. True and
    # False lose references the same way on some paths (seen at interpreter exit).
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value = _FAR_AWAY
    return True
