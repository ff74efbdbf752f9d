"""Every key the window answers to does one thing: Qt ignores a key two shortcuts share
("Ambiguous shortcut overload"), which is how Ctrl+Q once failed to quit on a real X server
(the smoke test found it; offscreen, nobody had pressed it)."""
from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction


def test_no_key_sequence_belongs_to_two_shortcuts(open_window):
    w = open_window("a = 2\nb = 3\ne = (a + b) * (b + 1)\n")
    keys = Counter()
    for a in w.findChildren(QAction):
        if a.shortcutContext() == Qt.ShortcutContext.WidgetShortcut:
            continue
        for seq in a.shortcuts():
            keys[seq.toString()] += 1
    shared = {k: n for k, n in keys.items() if n > 1 and k}
    assert not shared, f"keys given to more than one shortcut: {shared}"


def test_ctrl_q_closes_the_window(open_window, qtbot):
    w = open_window("a = 2\nb = 3\ne = (a + b) * (b + 1)\n")
    qtbot.keyClick(w.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=3000)


def test_a_standard_key_equal_to_a_written_one_is_given_once(open_window):
    from PySide6.QtGui import QKeySequence

    from gradviz.app.menus import action

    w = open_window("a = 2\nb = 3\ne = (a + b) * (b + 1)\n")
    a = action(w, "Quit again", None, [QKeySequence.StandardKey.Quit, "Ctrl+Q", "Ctrl+Q"])
    assert [s.toString() for s in a.shortcuts()] == ["Ctrl+Q"]


def test_redo_is_ctrl_shift_z_and_ctrl_y_and_undo_ctrl_z_each_given_once(open_window):
    w = open_window("a = 2\nb = 3\ne = (a + b) * (b + 1)\n")
    assert [s.toString() for s in w.menus.undo.shortcuts()] == ["Ctrl+Z"]
    assert [s.toString() for s in w.menus.redo.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]


def test_a_written_key_equal_to_the_platforms_standard_one_is_kept_once():
    """What X11 does to redo (its standard Redo is Ctrl+Shift+Z), on any platform: each
    standard key written next to its own binding."""
    from PySide6.QtGui import QKeySequence

    from gradviz.app.menus import distinct_keys

    for standard in (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo,
                     QKeySequence.StandardKey.Quit):
        binding = QKeySequence(standard)
        keys = distinct_keys([binding.toString(), standard, QKeySequence(binding), "Ctrl+Y"])
        assert len({s.toString() for s in keys}) == len(keys)
        assert "Ctrl+Y" in [s.toString() for s in keys]
