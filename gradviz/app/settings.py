"""What the app remembers between runs: window geometry, theme, whether the camera
follows the step, recent programs.

QSettings on disk normally; with ``GRADVIZ_SETTINGS=memory`` (the tests set it) a plain
dictionary, so running the tests never touches the user's own settings.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class AppSettings:
    """A small typed front to QSettings (or to memory)."""

    def __init__(self) -> None:
        self._memory: dict[str, object] | None = None
        self._qsettings: QSettings | None = None
        if os.environ.get("GRADVIZ_SETTINGS") == "memory":
            self._memory = {}
        else:
            self._qsettings = QSettings("gradviz", "gradviz")

    def value(self, key: str, default=None):
        if self._memory is not None:
            return self._memory.get(key, default)
        v = self._qsettings.value(key, default)
        return default if v is None else v

    def set_value(self, key: str, value) -> None:
        if self._memory is not None:
            self._memory[key] = value
        else:
            self._qsettings.setValue(key, value)

    # --- what is kept -----------------------------------------------------------------
    @property
    def theme(self) -> str:
        return str(self.value("view/theme", "projector"))

    @theme.setter
    def theme(self, name: str) -> None:
        self.set_value("view/theme", name)

    @property
    def follow_step(self) -> bool:
        """View → Follow the step (outside presentation mode, which always follows)."""
        v = self.value("view/follow_step", False)
        return v.lower() == "true" if isinstance(v, str) else bool(v)  # QSettings: "true"

    @follow_step.setter
    def follow_step(self, on: bool) -> None:
        self.set_value("view/follow_step", bool(on))

    @property
    def code_in_presentation(self) -> bool:
        """View → Code beside the canvas when presenting."""
        v = self.value("view/code_in_presentation", False)
        return v.lower() == "true" if isinstance(v, str) else bool(v)

    @code_in_presentation.setter
    def code_in_presentation(self, on: bool) -> None:
        self.set_value("view/code_in_presentation", bool(on))

    @property
    def geometry(self) -> QByteArray | None:
        v = self.value("window/geometry")
        return v if isinstance(v, QByteArray) else None

    @geometry.setter
    def geometry(self, data: QByteArray) -> None:
        self.set_value("window/geometry", data)

    @property
    def window_state(self) -> QByteArray | None:
        v = self.value("window/state")
        return v if isinstance(v, QByteArray) else None

    @window_state.setter
    def window_state(self, data: QByteArray) -> None:
        self.set_value("window/state", data)

    def recent(self) -> list[str]:
        """Recent programs or files, newest first (paths, or program texts)."""
        v = self.value("recent/programs", [])
        if isinstance(v, str):  # QSettings gives a lone string for a one-item list
            v = [v]
        return [str(x) for x in (v or [])]

    def add_recent(self, entry: str) -> None:
        items = [entry] + [x for x in self.recent() if x != entry]
        self.set_value("recent/programs", items[:MAX_RECENT])
