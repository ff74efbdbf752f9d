"""The player's controls: reset, back, play/pause, forward, to end, speed, granularity,
and the mode (Reverse | Forward) with, in forward mode, the pass shown and a skip to the
results.

The actions carry the lecture keys (→ / Space / PageDown, ← / PageUp, Home, End) so a
presentation clicker works; the main window adds them to itself so they work everywhere
except inside a text field that uses those keys.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from ..render.plain_text import make_plain, plain_tooltip
from .media_icons import media_icon
from .player import SPEEDS, Player

MODE_TITLES = (("Reverse", "reverse"), ("Forward", "forward"))
SKIP_OFFERED_FROM = 7
"""From this many passes (inputs) on, forward mode offers to skip the remaining passes
to their results."""


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
        self.mode_box = QComboBox(self)
        self.mode_box.setObjectName("mode")
        for title, mode in MODE_TITLES:
            self.mode_box.addItem(title, mode)
        self.mode_box.setToolTip("Reverse mode (one backward pass) or forward mode (dual "
                                 "numbers, one pass per input)")
        self.mode_box.currentIndexChanged.connect(
            lambda i: player.document.set_mode(self.mode_box.itemData(i)))
        self.pass_box = QComboBox(self)
        self.pass_box.setObjectName("forwardPass")
        self.pass_box.setToolTip("The forward-mode pass shown: each seeds one input's ε "
                                 "part with 1")
        self.pass_box.currentIndexChanged.connect(self._choose_pass)
        # The Step menu holds the same choices (see `menus`).
        self.mode_group = QActionGroup(self)
        self.mode_actions: dict[str, QAction] = {}
        for title, mode in MODE_TITLES:
            a = QAction(f"{title} mode", self)
            a.setCheckable(True)
            a.triggered.connect(lambda _=False, m=mode: player.document.set_mode(m))
            self.mode_group.addAction(a)
            self.mode_actions[mode] = a
        self.skip_action = QAction("Skip to results", self)
        self.skip_action.setToolTip("Forward mode: show the end of the last pass, every "
                                    "derivative the passes collect and the comparison with "
                                    "reverse mode")
        self.skip_action.triggered.connect(player.skip_to_results)
        self.skip_button = QToolButton(self)
        self.skip_button.setObjectName("skipPasses")
        self.skip_button.setDefaultAction(self.skip_action)
        self.skip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.pass_box)
        layout.addWidget(self.skip_button)
        for box in (self.mode_box, self.pass_box, self.speed_box, self.granularity_box):
            box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            if box is not self.pass_box:
                layout.addWidget(box)

        document = player.document
        document.modeChanged.connect(self._show_mode)
        document.passChanged.connect(self._show_mode)
        document.structureChanged.connect(self._show_mode)
        document.valuesChanged.connect(self._show_mode)
        self._show_mode()
        player.indexChanged.connect(self._update)
        player.timelineChanged.connect(self._update)
        player.playingChanged.connect(self._on_playing)
        self._update()

    def _choose_pass(self, i: int) -> None:
        if i >= 0 and i != self.player.document.forward_pass:
            self.player.pause()
            self.player.document.set_forward_pass(i)

    def _show_mode(self, *_) -> None:
        """The mode box says the document's mode; in forward mode the pass box lists the
        passes (one per input) with the one shown chosen."""
        d = self.player.document
        forward = d.mode == "forward"
        self.mode_box.blockSignals(True)
        self.mode_box.setCurrentIndex([m for _, m in MODE_TITLES].index(d.mode))
        self.mode_box.blockSignals(False)
        self.mode_actions[d.mode].setChecked(True)
        run = d.forward_run if forward else None
        passes = len(run) if run is not None else 0
        self.pass_box.blockSignals(True)
        self.pass_box.clear()
        if run is not None:
            labels = d.graph.labels()
            for k, node in enumerate(run.inputs):
                # Short: the bar is full at 1280 px; the position label says "of n".
                self.pass_box.addItem(f"pass {k + 1}: seeding {labels[node]}")
            self.pass_box.setCurrentIndex(d.forward_pass)
        self.pass_box.blockSignals(False)
        self.pass_box.setVisible(forward and passes > 0)
        self.skip_button.setVisible(forward and passes >= SKIP_OFFERED_FROM)
        self.skip_action.setEnabled(forward and passes > 0)
        self.granularity_box.setVisible(not forward)  # a forward step is one operation
        self.backward_action.setVisible(not forward)  # (the menu's entry)
        self.buttons[self.backward_action.text()].setVisible(not forward)
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
            d = self.player.document
            reason = d.problem or d.forward_problem()
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
        d = self.player.document
        if d.mode == "forward":  # → and ← go on into the next pass and back
            k, passes = d.forward_pass, len(d.forward_run)
            self.backward_action.setEnabled(False)
            self.position_label.setText(f"Pass {k + 1} / {passes} · step {i} / {t.last}")
            self.back_action.setEnabled(i > 0 or k > 0)
            self.forward_action.setEnabled(i < t.last or k < passes - 1)
            self.skip_action.setEnabled(not (k == passes - 1 and i == t.last))
