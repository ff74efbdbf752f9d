"""The ``gradviz`` command's arguments, checked before any window opens."""
import subprocess
import sys

from gradviz.app.launch import run_app


def test_bad_arguments_give_one_line_and_a_non_zero_exit(capsys):
    assert run_app(["--no-such-option"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments: --no-such-option" in err[0]


def test_a_missing_file_says_so(capsys, tmp_path):
    missing = tmp_path / "nothing.gradviz"
    assert run_app([str(missing)]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "nothing.gradviz" in err and "Traceback" not in err


def test_a_bad_program_says_where(capsys):
    assert run_app(["--program", "a = (2"]) == 2
    err = capsys.readouterr().err
    assert "line 1" in err and "Traceback" not in err


def test_file_and_program_together_are_refused(capsys, tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("a = 1\nb = a * 2\n")
    assert run_app([str(f), "--program", "a = 1"]) == 2
    assert "not both" in capsys.readouterr().err


def test_help_exits_zero(capsys):
    assert run_app(["--help"]) == 0
    assert "--program" in capsys.readouterr().out


def _last_line_printed(code: str) -> str:
    """What a fresh offscreen Python running ``code`` printed last."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen",
                              "GRADVIZ_SETTINGS": "memory"}, check=True, timeout=60)
    return out.stdout.strip().splitlines()[-1]


def _shown_window(qtbot, program: str, name: str, width: int, height: int):
    from gradviz.app.launch import make_window
    from gradviz.core import language

    w = make_window(language.parse(program), program, name)
    qtbot.addWidget(w)
    w.resize(width, height)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_starting_the_app_imports_neither_torch_nor_the_checker():
    code = ("import sys\n"
            "from gradviz.app.launch import make_window, NOTEBOOK_PROGRAM\n"
            "from gradviz.core import language\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "w = make_window(language.parse(NOTEBOOK_PROGRAM), NOTEBOOK_PROGRAM, 'x')\n"
            "w.show(); app.processEvents()\n"
            "print(sorted(m for m in ('torch', 'gradviz.core.check', 'gradviz.render.export')"
            " if m in sys.modules))\n")
    assert _last_line_printed(code) == "[]"


def test_the_canvas_fills_with_a_small_graph_and_ctrl0_fits_again(qtbot):
    from PySide6.QtCore import Qt

    from gradviz.app.canvas_view import MAX_FIT_ZOOM

    w = _shown_window(qtbot, "x = 2\ny = x * x\n", "tiny", 1600, 1000)
    view = w.view

    def graph_on_screen():
        return view.mapFromScene(w.scene.content_rect()).boundingRect()

    def fills() -> bool:  # one side of the graph spans most of the canvas
        r, vp = graph_on_screen(), view.viewport().rect()
        return max(r.width() / vp.width(), r.height() / vp.height()) > 0.8

    qtbot.waitUntil(fills)
    assert 1.0 < view.zoom <= MAX_FIT_ZOOM  # magnified, not left at 100 %
    assert view.viewport().rect().contains(graph_on_screen())  # and all of it in view
    view.zoom_out()
    view.zoom_out()
    assert not fills()
    w.activateWindow()
    view.setFocus()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert fills()
    w.document.undo_stack.setClean()


def test_the_canvas_hides_the_caption_the_panel_shows(window, qtbot):
    from PySide6.QtCore import Qt

    from gradviz.render.caption_item import CaptionItem

    from .conftest import press

    press(qtbot, window, Qt.Key.Key_Right, 3)
    captions = [i for i in window.scene.items() if isinstance(i, CaptionItem)]
    assert captions and not any(c.isVisible() for c in captions)
    assert window.scene.caption_text().startswith("Forward step 3 of 3")  # kept, just not drawn
    assert "e = c · d = 5 · 4 = 20" in window.explanation.text


def test_the_values_table_fits_a_narrow_panel_without_scrolling_sideways(qtbot):
    program = "x = 0.123456\nw = -3.5\nb = 2\ny = tanh(w * x + b) / sqrt(x * x + 1)\n"
    w = _shown_window(qtbot, program, "neuron", 1280, 720)
    table = w.values_table
    w.player.go_to(w.player.last, animate=False)
    header = table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(table.model().columnCount()))
    assert used <= table.viewport().width() + 1
    assert not table.horizontalScrollBar().isVisible()
    texts = [table.model().index(r, 3).data() for r in range(table.model().rowCount())]
    assert "w · x" in texts and "tanh(" in " ".join(texts)
    assert table.shown("x", "Gradient") != "–"
    w.document.undo_stack.setClean()


def test_the_examples_menu_is_filled_when_first_opened(window):
    files = window.file_actions
    assert files.examples_menu.actions() == []  # no example is read before the menu opens
    files.examples_menu.aboutToShow.emit()
    assert len(files.example_actions) >= 6
    assert [a.text() for a in files.examples_menu.actions()][0] == \
        next(iter(files.example_actions.values())).text()


def test_no_display_is_one_clear_line_not_an_abort(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "gradviz"], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().startswith("gradviz: no display to open a window on")
    assert len(out.stderr.strip().splitlines()) == 1


def test_plain_gradviz_opens_the_notebook_with_its_description(qtbot, monkeypatch):
    from gradviz.app import launch
    from gradviz.core.examples import NOTEBOOK

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    app, w = launch.open_app([])
    qtbot.addWidget(w)
    assert w.windowTitle().replace("[*]", "") == f"{NOTEBOOK.title} — gradviz"
    assert w.explanation.text.split("\n", 1)[1].startswith("Inputs a = 2, b = 3.")
    assert "∂e/∂b = 4 + 5 = 9" not in w.explanation.text.split("\n", 1)[1]  # no answer early
    w.player.go_to(w.player.last, animate=False)
    assert NOTEBOOK.description in w.explanation.text.split("\n", 1)[1]
    assert w.document.evaluation.input_grads() == {"a": 4, "b": 9}
    w.document.undo_stack.setClean()
