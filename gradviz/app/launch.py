"""Starting the app: ``gradviz``, ``gradviz FILE``, ``gradviz --program "…"``, and
``gradviz.show(value)`` from a script.

Arguments and the file are checked before any window exists, so a mistake is one line
on stderr and a non-zero exit. Nothing slow is imported here (no PyTorch, no export).
"""
from __future__ import annotations

import argparse
import gc
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
    from ..core.loading import Source, load_source

    if args.file and args.program:
        raise _UsageError("gradviz: give a FILE or --program, not both")
    if args.program is not None:
        return Source(language.parse(args.program), "program", args.program)
    if args.file:
        return load_source(args.file)
    return Source(language.parse(NOTEBOOK_PROGRAM), "notebook example", NOTEBOOK_PROGRAM,
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
    exit code after a one-line message (the start-up benchmark times this).

    Python's cyclic garbage collector is paused meanwhile, and what start-up made is then
    frozen (`gc.freeze`): modules, PySide6's Qt classes and their enums, the window's
    widgets. They live as long as the app, yet the collector would walk them again and
    again while they are made and in every full collection after (together ~4 % of
    start-up's instructions). Frozen objects are still freed as soon as nothing refers to
    them; only a reference cycle among them would never be collected. The collector runs
    as usual on everything made later."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _open_app(argv)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _open_app(argv: list[str]):
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


def spare_pyside_source_reads() -> None:
    """Spare PySide6 reading the source of every gradviz module (~10 ms of start-up).

    Once imported, PySide6 watches every import: the first time a module is imported after
    it, PySide6 reads the module's whole source file to see whether it mentions PySide6,
    for its opt-in ``from __feature__ import snake_case`` switches (about 0.2 ms a module,
    and the app imports ~55). Modules already in its table are skipped; gradviz uses no
    such switch, so its modules are entered as 0, "no features", the value the read finds
    for the app's own modules. If PySide6 keeps no such table, nothing is done.
    """
    # Looked up, not imported: an import would itself have a source read.
    feature = sys.modules.get("shibokensupport.feature")  # PySide6's own support package
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    table.setdefault("gradviz", 0)
    for package in ("core", "render", "app"):
        table.setdefault(f"gradviz.{package}", 0)
        for file in os.listdir(os.path.join(root, package)):
            if file.endswith(".py") and file != "__init__.py":
                table.setdefault(f"gradviz.{package}.{file[:-3]}", 0)


def make_window(graph, program: str | None, name: str, path=None, theme: str | None = None,
                description: str = ""):
    """The main window on this graph (the QApplication must exist)."""
    from .document import Document
    from .main_window import MainWindow
    from .settings import AppSettings

    settings = AppSettings()
    if theme:
        settings.theme = theme
    document = Document(graph, program or "", name=name, path=path)
    document.description = description
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
    spare_pyside_source_reads()  # before the app's modules are imported
    window = make_window(graph, program, name, path, theme, description)
    app.setWindowIcon(window.windowIcon())
    if recent:
        window.settings.add_recent(recent)
    window.show()
    window.view.fit()
    return app, window
