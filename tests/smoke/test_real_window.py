"""The app as a user starts it, on a real X server: launch, step, export a PNG, quit.

Runs only when ``GRADVIZ_SMOKE_DISPLAY`` names a running X display (``.ci/run`` starts
Xvfb and sets it) and xdotool is installed; skipped everywhere else. The ``gradviz``
console script next to this Python (the venv's) is started with that DISPLAY; xdotool
waits for its window and types into it the way a lecturer would: → through the
notebook's example, Ctrl+E and Return to export the current step (the dialog's default
file is ``<name>.png`` in the working folder), Ctrl+Q to quit, which must exit with 0.
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


def test_launch_step_export_and_quit_with_the_keyboard(tmp_path):
    from PIL import Image

    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=DISPLAY, QT_QPA_PLATFORM="xcb", GRADVIZ_SETTINGS="memory",
               HOME=str(tmp_path))
    log = (tmp_path / "gradviz.log").open("w")
    app = subprocess.Popen(gradviz_command(), cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                           stdout=log, stderr=subprocess.STDOUT)
    try:
        main = window_ids(env, "^gradviz")[0]
        time.sleep(1.0)  # the first paint and the panel sizes
        assert app.poll() is None, "gradviz exited on its own"
        focus_and_type(env, main, *["Right"] * STEPS)

        focus_and_type(env, main, "ctrl+e")
        dialog = window_ids(env, "^Export$")[0]
        focus_and_type(env, dialog, "Return")
        png = tmp_path / "notebook example.png"
        wait_for(lambda: png.exists() and png.stat().st_size > 0, f"{png.name}")
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
        if app.poll() is None:
            app.kill()
            app.wait()
        log.close()
        print((tmp_path / "gradviz.log").read_text(errors="replace"))


def _near(rgb: tuple, target: tuple) -> bool:
    return sum(abs(a - b) for a, b in zip(rgb, target, strict=True)) < 60


def _visible(env: dict, name: str) -> bool:
    done = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], env=env,
                          capture_output=True, text=True, timeout=WAIT)
    return bool(done.stdout.split())
