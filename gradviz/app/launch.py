"""Starting the app: ``gradviz``, ``gradviz FILE``, ``gradviz --program "…"``, and
``gradviz.show(value)`` from a script.

Arguments and the file are checked before any window exists, so a mistake is one line
on stderr and a non-zero exit. Nothing slow is imported here (no PyTorch, no export).
"""
from __future__ import annotations

import argparse
import os
import sys

from ..core.errors import GradvizError
from ..core.examples import NOTEBOOK

EXIT_USAGE = 2
NOTEBOOK_PROGRAM = NOTEBOOK.program
"""The teaching notebook's example, what ``gradviz`` opens on."""


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line instead of usage + message
        raise _UsageError(f"gradviz: {message} (see gradviz --help)")


def app_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradviz",
                description="Open the gradviz app: see every step of reverse-mode "
                            "automatic differentiation. Other commands: gradviz grad …, "
                            "gradviz export …")
    p.add_argument("file", nargs="?", metavar="FILE",
                   help="a program file or a .gradviz document to open")
    p.add_argument("--program", metavar="TEXT",
                   help='program text to open, e.g. "a = 2; b = 3; e = (a + b) * (b + 1)"')
    p.add_argument("--theme", choices=("projector", "light", "dark"),
                   help="colour theme (default: the last one used, else projector)")
    return p


def _source(args):
    from ..core import language
    from ..core.loading import Source, check_program_text, load_source

    if args.file and args.program:
        raise _UsageError("gradviz: give a FILE or --program, not both")
    if args.program is not None:
        # As the command line reads a program: refused with its place if it is not text.
        text = check_program_text(args.program, "--program")
        return Source(language.parse(text), "program", text)
    if args.file:
        return load_source(args.file)
    return Source(language.parse(NOTEBOOK_PROGRAM), NOTEBOOK.title, NOTEBOOK_PROGRAM,
                  description=NOTEBOOK.description)


def run_app(argv: list[str]) -> int:
    """The ``gradviz`` command: open the window and run until it closes."""
    opened = open_app(argv)
    if isinstance(opened, int):
        return opened
    app, _window = opened
    return app.exec()


def open_app(argv: list[str]):
    """Everything ``gradviz`` does before the event loop: ``(app, window)`` shown, or an
    exit code after a one-line message (the start-up benchmark times this)."""
    try:
        args = app_parser().parse_args(argv)
        source = _source(args)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except GradvizError as exc:
        print(f"gradviz: {exc}", file=sys.stderr)
        return EXIT_USAGE
    problem = screen_problem()
    if problem:
        print(f"gradviz: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return _open(source.graph, source.program, source.name, source.path, args.theme,
                 recent=str(source.path) if source.path else None,
                 description=source.description)


def screen_problem() -> str | None:
    """Why no window can open here, or None. Without this, Qt aborts the process (and
    dumps core) when it finds no display, instead of saying so."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            "'gradviz grad' and 'gradviz export' work without one")


def show(value_or_graph) -> int:
    """Open the app on a `Value`'s graph (or a `Graph`); returns when the window closes."""
    from ..core.graph import Graph
    from ..core.trace import graph_from_value

    problem = screen_problem()
    if problem:
        raise GradvizError(problem)
    graph = value_or_graph if isinstance(value_or_graph, Graph) else \
        graph_from_value(value_or_graph)
    app, _window = _open(graph, _program_of(graph), "expression", None, None)
    return app.exec()


def _program_of(graph) -> str:
    from ..core import language

    try:
        return language.to_text(graph)
    except GradvizError:
        return ""


def make_window(graph, program: str | None, name: str, path=None, theme: str | None = None,
                description: str = ""):
    """The main window on this graph (the QApplication must exist)."""
    from .document import Document
    from .main_window import MainWindow
    from .settings import AppSettings

    settings = AppSettings()
    if theme:
        settings.theme = theme
    document = Document(graph, program or "", name=name, path=path, description=description)
    return MainWindow(document, settings)


def _open(graph, program, name, path, theme, recent: str | None = None,
          description: str = ""):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("gradviz")
    app.setOrganizationName("gradviz")
    app.setApplicationDisplayName("gradviz")
    font = app.font()
    if font.pointSizeF() < 11:  # legible from the back row, also in the side panels
        font.setPointSizeF(11)
        app.setFont(font)
    window = make_window(graph, program, name, path, theme, description)
    app.setWindowIcon(window.windowIcon())
    if recent:
        window.settings.add_recent(recent)
    window.show()
    window.camera.show_new_graph()  # whole, or a big graph's start at legible text
    return app, window
