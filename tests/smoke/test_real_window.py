"""The app as a user starts it, on a real X server: launch, step, export a PNG, quit;
edit, undo and redo.

Runs only when ``GRADVIZ_SMOKE_DISPLAY`` names a running X display (``.ci/run`` starts
Xvfb and sets it) and xdotool is installed; skipped everywhere else. The ``gradviz``
console script next to this Python (the venv's) is started with that DISPLAY; xdotool
waits for its window and types into it the way a lecturer would: → through the
notebook's example, Ctrl+E and Return to export the current step (the dialog's default
file is ``<name>.png`` in the working folder), Ctrl+Q to quit, which must exit with 0.
The second run types a line into the program, then undoes it with Ctrl+Z and redoes it
with Ctrl+Shift+Z and Ctrl+Y, seen from outside in the window title's modified mark (a
key two shortcuts share does nothing on X11, and offscreen nobody presses it).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

DISPLAY = os.environ.get("GRADVIZ_SMOKE_DISPLAY", "")
STEPS = 14  # the notebook's example has 13 steps; one more shows nothing happens after
WAIT = 30  # seconds for the window, the export and the exit (a loaded 2-core machine)

pytestmark = [
    pytest.mark.skipif(not DISPLAY, reason="GRADVIZ_SMOKE_DISPLAY names no X display"),
    pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool is not installed"),
]


def gradviz_command() -> list[str]:
    script = Path(sys.executable).with_name("gradviz")
    if script.exists():
        return [str(script)]
    found = shutil.which("gradviz")
    if found is None:
        pytest.skip("the gradviz console script is not installed")
    return [found]


def xdotool(env: dict, *args: str, timeout: float = WAIT) -> str:
    done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"xdotool {' '.join(args)}: {done.stderr.strip()}"
    return done.stdout


def window_ids(env: dict, name: str) -> list[str]:
    """Visible windows whose title matches ``name``, waiting until there is one."""
    out = xdotool(env, "search", "--sync", "--onlyvisible", "--name", name)
    return out.split()


def focus_and_type(env: dict, window: str, *keys: str) -> None:
    # No window manager runs on the bare Xvfb: focus the window ourselves, then type
    # with XTEST (real key events, unlike --window's synthetic ones Qt may ignore).
    xdotool(env, "windowfocus", "--sync", window)
    for key in keys:
        xdotool(env, "key", "--clearmodifiers", key)
        time.sleep(0.15)  # let a step's animation start, as a person's pace would


def wait_for(condition, what: str, timeout: float = WAIT) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def title(env: dict, window: str) -> str:
    return xdotool(env, "getwindowname", window).strip()


def modified(env: dict, window: str) -> bool:
    """The title's modified mark, wherever the title puts it ("NAME* — gradviz")."""
    return "*" in title(env, window)


class App:
    """gradviz started in ``folder`` on the X display, its output kept in a log."""

    def __init__(self, folder: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        self.env.update(DISPLAY=DISPLAY, QT_QPA_PLATFORM="xcb", GRADVIZ_SETTINGS="memory",
                        HOME=str(folder))
        self.log_path = folder / "gradviz.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(gradviz_command(), cwd=folder, env=self.env,
                                        stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def main_window(self) -> str:
        main = window_ids(self.env, "gradviz")[0]  # the title names the app somewhere
        time.sleep(1.0)  # the first paint and the panel sizes
        assert self.process.poll() is None, "gradviz exited on its own"
        return main

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        print(self.log_path.read_text(errors="replace"))


def test_launch_step_export_and_quit_with_the_keyboard(tmp_path):
    from PIL import Image

    run = App(tmp_path)
    env, app = run.env, run.process
    try:
        main = run.main_window()
        focus_and_type(env, main, *["Right"] * STEPS)

        focus_and_type(env, main, "ctrl+e")
        dialog = window_ids(env, "^Export$")[0]
        focus_and_type(env, dialog, "Return")
        # Named after the document, whatever the example is called now.
        wait_for(lambda: any(p.stat().st_size > 0 for p in tmp_path.glob("*.png")),
                 "the exported PNG")
        (png,) = tmp_path.glob("*.png")
        wait_for(lambda: not _visible(env, "^Export$"), "the export dialog to close")

        with Image.open(png) as image:
            image.verify()
        with Image.open(png) as image:
            assert image.width > 200 and image.height > 100
            colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
        assert len(colours) > 20, "the picture is blank"
        # Stepped to the end, the gradients are drawn (vermillion in the light theme).
        vermillion = sum(n for n, rgb in colours if _near(rgb, (0xD5, 0x5E, 0x00)))
        assert vermillion > 500, "no gradients in the picture: the steps were not taken"

        focus_and_type(env, main, "ctrl+q")
        assert app.wait(timeout=WAIT) == 0
    finally:
        run.stop()


def test_an_edit_undone_with_ctrl_z_is_redone_with_ctrl_shift_z_and_ctrl_y(tmp_path):
    run = App(tmp_path)
    env = run.env
    try:
        main = run.main_window()
        assert not modified(env, main), title(env, main)
        # Tab takes the focus from the canvas to the program; a new last line there is
        # one edit once the typing pauses. Esc gives the keys back to the canvas, where
        # Ctrl+Z is the window's undo (in the program it would undo the typing).
        focus_and_type(env, main, "Tab", "ctrl+End")
        xdotool(env, "type", "--delay", "40", "f = e * 2")
        wait_for(lambda: modified(env, main), "the edit to mark the title modified")
        focus_and_type(env, main, "Escape", "ctrl+z")
        wait_for(lambda: not modified(env, main), "Ctrl+Z to undo the edit")
        focus_and_type(env, main, "ctrl+shift+z")
        wait_for(lambda: modified(env, main), "Ctrl+Shift+Z to redo the edit")
        focus_and_type(env, main, "ctrl+z")
        wait_for(lambda: not modified(env, main), "Ctrl+Z to undo the edit again")
        focus_and_type(env, main, "ctrl+y")
        wait_for(lambda: modified(env, main), "Ctrl+Y to redo the edit")
        focus_and_type(env, main, "ctrl+z")  # unmodified again: quitting asks nothing
        wait_for(lambda: not modified(env, main), "the last Ctrl+Z")
        focus_and_type(env, main, "ctrl+q")
        assert run.process.wait(timeout=WAIT) == 0
        assert "Ambiguous shortcut" not in run.log_path.read_text(errors="replace")
    finally:
        run.stop()


def _near(rgb: tuple, target: tuple) -> bool:
    return sum(abs(a - b) for a, b in zip(rgb, target, strict=True)) < 60


def _visible(env: dict, name: str) -> bool:
    done = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], env=env,
                          capture_output=True, text=True, timeout=WAIT)
    return bool(done.stdout.split())
