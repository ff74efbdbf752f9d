"""The layers import downwards only: core has no Qt, render has no app (DESIGN.md)."""
import ast
from pathlib import Path

import gradviz

PACKAGE = Path(gradviz.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-node.level]
                base = ".".join(parts + ((node.module,) if node.module else ()))
            found.add(base)
    return found


def _layer_files(layer: str) -> list[Path]:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no files in gradviz/{layer}"
    return files


def test_core_imports_no_qt_and_nothing_above_it():
    for path in _layer_files("core"):
        for name in _imports(path):
            assert not name.startswith(("PySide6", "shiboken6")), f"{path.name} imports {name}"
            assert not name.startswith(("gradviz.render", "gradviz.app")), f"{path.name} imports {name}"


def test_render_imports_no_app():
    for path in _layer_files("render"):
        for name in _imports(path):
            assert not name.startswith("gradviz.app"), f"{path.name} imports {name}"


def test_importing_gradviz_imports_no_qt():
    import subprocess
    import sys

    code = "import sys, gradviz; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
