"""Test setup shared by every layer: Qt runs offscreen, and nothing is left animating."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GRADVIZ_SETTINGS", "memory")  # the app keeps no settings between tests

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_animation_left_running(request):
    """A test fails if it leaves a Qt animation running (napari's rule)."""
    yield
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from PySide6.QtCore import QAbstractAnimation
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    running = [a for a in app.findChildren(QAbstractAnimation)
               if a.state() == QAbstractAnimation.State.Running]
    for w in app.topLevelWidgets():
        running += [a for a in w.findChildren(QAbstractAnimation)
                    if a.state() == QAbstractAnimation.State.Running]
    assert not running, f"animations left running: {running}"


@pytest.fixture(autouse=True)
def _nobody_answers_dialogs(request, monkeypatch):
    """Modal questions in GUI tests get the answer a test gives, else a harmless default.

    The unsaved-changes question answers Discard (tests that are about it replace
    ``ask_unsaved`` themselves); the offer to restore an autosave copy answers No.
    """
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QMessageBox

    from gradviz.app import autosave, file_actions

    monkeypatch.setattr(file_actions.FileActions, "_ask_unsaved",
                        lambda self, name: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(autosave, "ask_restore", lambda *args: False)
