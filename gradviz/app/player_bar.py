"""The player's controls: reset, back, play/pause, forward, to end, speed, granularity.

The actions carry the lecture keys (→ / Space / PageDown, ← / PageUp, Home, End) so a
presentation clicker works; the main window adds them to itself so they work everywhere
except inside a text field that uses those keys.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from ..render.plain_text import make_plain, plain_tooltip
from .media_icons import media_icon
from .player import SPEEDS, Player


def _action(parent: QWidget, text: str, keys: list, icon: str, tip: str) -> QAction:
    action = QAction(media_icon(icon), text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    names = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
    action.setToolTip(f"{tip} ({names})" if names else tip)
    return action


class PlayerBar(QWidget):
    """Buttons and choices that drive a `Player`."""

    def __init__(self, player: Player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.reset_action = _action(self, "Reset", [Qt.Key.Key_Home], "reset",
                                    "Back to the start")
        self.back_action = _action(self, "Back", [Qt.Key.Key_Left, Qt.Key.Key_PageUp],
                                   "back", "Previous step")
        self.play_action = _action(self, "Play", [Qt.Key.Key_P], "play", "Play / pause")
        self.forward_action = _action(self, "Next", [Qt.Key.Key_Right, Qt.Key.Key_Space,
                                                     Qt.Key.Key_PageDown],
                                      "forward", "Next step")
        self.end_action = _action(self, "End", [Qt.Key.Key_End], "end", "To the last step")
        self.backward_action = _action(self, "Backward pass", [Qt.Key.Key_B],
                                       "backward_pass", "Jump to the start of the backward pass")
        self._play_icon, self._pause_icon = self.play_action.icon(), media_icon("pause")
        self.actions_in_order = [self.reset_action, self.back_action, self.play_action,
                                 self.forward_action, self.end_action]
        self.reset_action.triggered.connect(player.home)
        self.back_action.triggered.connect(player.previous)
        self.play_action.triggered.connect(player.toggle_play)
        self.forward_action.triggered.connect(player.next)
        self.end_action.triggered.connect(player.end)
        self.backward_action.triggered.connect(self._to_backward)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        # The media buttons are icons (everyone knows them); their names are in tooltips.
        self.buttons: dict[str, QToolButton] = {}
        for action in self.actions_in_order + [self.backward_action]:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setIconSize(QSize(26, 26))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon
                                      if action is self.backward_action
                                      else Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoRaise(True)
            self.buttons[action.text()] = button
            layout.addWidget(button)
        self.position_label = make_plain(QLabel(self))  # it quotes the graph's problem
        self.position_label.setObjectName("playerPosition")
        self.position_label.setMinimumWidth(110)
        layout.addSpacing(4)
        layout.addWidget(self.position_label)
        layout.addStretch(1)
        self.speed_box = QComboBox(self)
        self.speed_box.setObjectName("speed")
        for s in SPEEDS:
            self.speed_box.addItem(f"speed {s:g}×", s)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip("Animation speed")
        self.speed_box.currentIndexChanged.connect(
            lambda i: player.set_speed(self.speed_box.itemData(i)))
        self.granularity_box = QComboBox(self)
        self.granularity_box.setObjectName("granularity")
        self.granularity_box.addItem("by edge", "edge")
        self.granularity_box.addItem("by node", "node")
        self.granularity_box.setToolTip("One step = one edge, or one node (all of its edges at once)")
        self.granularity_box.currentIndexChanged.connect(
            lambda i: player.set_granularity(self.granularity_box.itemData(i)))
        for box in (self.speed_box, self.granularity_box):
            box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            layout.addWidget(box)

        player.indexChanged.connect(self._update)
        player.timelineChanged.connect(self._update)
        player.playingChanged.connect(self._on_playing)
        self._update()

    def _to_backward(self) -> None:
        t = self.player.timeline
        if t is not None:
            self.player.pause()
            self.player.go_to(t.backward_start, animate=False)

    def _on_playing(self, playing: bool) -> None:
        self.play_action.setText("Pause" if playing else "Play")
        self.play_action.setIcon(self._pause_icon if playing else self._play_icon)

    def _update(self, *_) -> None:
        t = self.player.timeline
        if t is None:  # the graph cannot run: the controls are off, saying why
            reason = self.player.document.problem
            for action in self.actions_in_order + [self.backward_action]:
                action.setEnabled(False)
            self.position_label.setText("Player off: " + reason if reason else "")
            self.position_label.setToolTip(plain_tooltip(reason))
            return
        self.play_action.setEnabled(True)
        self.backward_action.setEnabled(True)
        self.position_label.setToolTip("")
        i = self.player.index
        self.position_label.setText(f"Step {i} / {t.last}")  # the phase is said above
        self.back_action.setEnabled(i > 0)
        self.reset_action.setEnabled(i > 0)
        self.forward_action.setEnabled(i < t.last)
        self.end_action.setEnabled(i < t.last)
