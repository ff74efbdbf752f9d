"""A Qt application for drawing without a window, also on machines with no display."""
from __future__ import annotations

import os
import sys


def ensure_application():
    """The running QApplication, or a new one (offscreen when there is no display).

    QT_QPA_PLATFORM must be set before the first QApplication exists, so a command run
    over ssh or in CI never tries to open a display.
    """
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        return app
    if (not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
            and sys.platform.startswith("linux")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication([sys.argv[0] if sys.argv else "gradviz"])
