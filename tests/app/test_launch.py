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
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen",
                              "GRADVIZ_SETTINGS": "memory"}, check=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "[]"
