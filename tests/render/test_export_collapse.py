"""Exports with collapsed groups: ``gradviz.draw(..., collapse=)``, ``gradviz export
--collapse``, a .gradviz file's saved view, and the Export dialog drawing what the window
shows. Every check reads the files written."""
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

import gradviz
from gradviz.cli import main
from gradviz.core import fileformat
from gradviz.core.evaluation import evaluate
from gradviz.core.trace import graph_from_value
from gradviz.render import formats
from tests.render.test_groups_drawn import network

INNER_H1 = ("h1_a", "h1_b", "h1_c", "h1_d")
"""The labels of h1's nodes but its output (x1·w11, x2·w12 and the sums): named by the
engine after h1, the value they make up, and drawn only when h1 is open."""


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]


def page_count(path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def stops(graph, run, collapse) -> int:
    """How many stops the player makes with ``collapse``'s groups collapsed."""
    from gradviz.core.groups import groups_to_collapse
    from gradviz.render.scene import GraphScene

    scene = GraphScene()
    scene.set_collapsed(groups_to_collapse(graph, collapse), redraw=False)
    scene.set_graph(graph, run)
    count = len(run.timeline) + 1 - len(scene.skipped_steps())
    scene.clear()
    return count


@pytest.fixture
def loss():
    return network()[0]


def test_draw_collapsed_writes_the_box_and_none_of_its_nodes(qapp, tmp_path, loss):
    gradviz.draw(loss, tmp_path / "open.svg")
    gradviz.draw(loss, tmp_path / "h1.svg", collapse="h1")
    opened, closed = svg_texts(tmp_path / "open.svg"), svg_texts(tmp_path / "h1.svg")
    assert set(INNER_H1) <= set(opened) and "h1  (5 nodes)" not in opened
    assert "h1  (5 nodes)" in closed
    assert not set(INNER_H1) & set(closed)
    assert {"x1", "x2", "w11", "w12", "b1", "h1"} <= set(closed)  # its inputs and output


def test_a_deck_has_one_page_per_stop(qapp, tmp_path, loss):
    graph = graph_from_value(loss)
    run = evaluate(graph)
    pages = {}
    for spec in (None, "h1", "all"):
        out = tmp_path / f"deck-{spec}.pdf"
        formats.write(formats.Export(graph, run, len(run.timeline), all_steps=True,
                                     collapse=spec), out)
        pages[spec] = page_count(out)
        assert pages[spec] == stops(graph, run, spec)
    assert pages[None] == len(run.timeline) + 1
    assert pages["all"] < pages["h1"] < pages[None]


def test_a_gif_passes_over_the_steps_inside_a_box(qapp, tmp_path, loss):
    graph = graph_from_value(loss)
    run = evaluate(graph)
    gradviz.draw(loss, tmp_path / "all.gif", collapse="all", scale=0.5)
    gradviz.draw(loss, tmp_path / "open.gif", scale=0.5)
    closed, opened = Image.open(tmp_path / "all.gif"), Image.open(tmp_path / "open.gif")
    assert closed.n_frames == stops(graph, run, "all") < opened.n_frames
    # Boxes in place of neurons: a smaller picture.
    assert closed.size[0] * closed.size[1] < opened.size[0] * opened.size[1]


def test_draw_refuses_a_collapse_that_is_not_names(qapp, loss):
    with pytest.raises(TypeError, match=r"collapse= takes 'all', a group's name or id.*not int"):
        gradviz.draw(loss, collapse=5)
    with pytest.raises(TypeError, match=r"a list holding int \(3\)"):
        gradviz.draw(loss, collapse=["h1", 3])
    with pytest.raises(gradviz.GraphError, match=r"no group 'nosuch' to collapse: its "
                                                 r"groups are 'h1', 'h2', 'layer 1'"):
        gradviz.draw(loss, collapse="nosuch")


# --- the command line on a saved document -----------------------------------------
@pytest.fixture
def saved(qapp, tmp_path, loss):
    """The network saved as a document with h1 collapsed in its view."""
    path = tmp_path / "net.gradviz"
    gradviz.draw(loss, path, collapse="h1")
    return path


def export(path, out, *extra) -> int:
    return main(["export", str(path), "-o", str(out), *extra])


def test_a_document_export_keeps_the_collapsed_groups_in_its_view(saved):
    doc = fileformat.read(saved)
    (h1,) = [g.id for g in doc.graph.groups() if g.name == "h1"]
    assert doc.view["collapsed"] == [h1]


def test_a_document_written_from_a_document_keeps_or_opens_its_groups(saved, tmp_path,
                                                                     capsys):
    assert export(saved, tmp_path / "kept.gradviz") == 0
    assert export(saved, tmp_path / "open.gradviz", "--collapse", "none") == 0
    assert export(saved, tmp_path / "all.gradviz", "--collapse", "all") == 0
    kept = fileformat.read(tmp_path / "kept.gradviz")
    assert kept.view["collapsed"] == fileformat.read(saved).view["collapsed"]
    assert "collapsed" not in fileformat.read(tmp_path / "open.gradviz").view
    every = fileformat.read(tmp_path / "all.gradviz")
    assert every.view["collapsed"] == [g.id for g in every.graph.groups()]


def test_the_cli_draws_a_document_as_it_was_saved_unless_told(saved, tmp_path, capsys):
    assert export(saved, tmp_path / "saved.svg") == 0
    assert "h1  (5 nodes)" in svg_texts(tmp_path / "saved.svg")
    assert export(saved, tmp_path / "none.svg", "--collapse", "none") == 0
    texts = svg_texts(tmp_path / "none.svg")
    assert set(INNER_H1) <= set(texts) and not any("nodes)" in t for t in texts)
    assert export(saved, tmp_path / "two.svg", "--collapse", "h2", "--collapse", "loss") == 0
    texts = svg_texts(tmp_path / "two.svg")
    assert {"h2  (5 nodes)", "loss  (4 nodes)"} <= set(texts)
    assert "h1  (5 nodes)" not in texts and set(INNER_H1) <= set(texts)


def test_the_cli_deck_with_collapse_all_has_fewer_pages(saved, tmp_path, capsys):
    assert export(saved, tmp_path / "all.pdf", "--all-steps", "--collapse", "all") == 0
    assert export(saved, tmp_path / "h1.pdf", "--all-steps") == 0
    assert export(saved, tmp_path / "open.pdf", "--all-steps", "--collapse", "none") == 0
    graph = fileformat.read(saved).graph
    run = evaluate(graph)
    assert page_count(tmp_path / "all.pdf") == stops(graph, run, "all")
    assert page_count(tmp_path / "h1.pdf") == stops(graph, run, "h1")
    assert page_count(tmp_path / "open.pdf") == len(run.timeline) + 1
    assert page_count(tmp_path / "all.pdf") < page_count(tmp_path / "h1.pdf") \
        < page_count(tmp_path / "open.pdf")


def test_a_png_with_every_group_collapsed_is_smaller(saved, tmp_path, capsys):
    assert export(saved, tmp_path / "all.png", "--collapse", "all", "--scale", "1") == 0
    assert export(saved, tmp_path / "open.png", "--collapse", "none", "--scale", "1") == 0
    (w, h), (ow, oh) = Image.open(tmp_path / "all.png").size, Image.open(tmp_path / "open.png").size
    assert w * h < ow * oh


@pytest.mark.parametrize("args, message", [
    (["--collapse", "nosuch"], "gradviz: there is no group 'nosuch' to collapse: its groups "
                               "are 'h1', 'h2', 'layer 1', 'loss', 'out'"),
    (["--collapse", "none", "--collapse", "h1"],
     "gradviz: --collapse none opens every group: give it alone"),
])
def test_a_bad_collapse_is_one_line_and_exit_2(saved, tmp_path, capsys, args, message):
    out = tmp_path / "x.png"
    assert export(saved, out, *args) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == message and "Traceback" not in captured.err
    assert not out.exists()


def test_a_program_without_groups_says_so(qapp, tmp_path, capsys):
    assert main(["export", "a = 2; b = a * 3", "-o", str(tmp_path / "x.svg"),
                 "--collapse", "all"]) == 2
    assert capsys.readouterr().err.strip() == ("gradviz: there is no group 'all' to "
                                               "collapse: it has no groups")


# --- the Export dialog ------------------------------------------------------------
def test_the_dialog_exports_the_groups_the_window_collapsed(qtbot, tmp_path, loss):
    from PySide6.QtCore import Qt

    from gradviz.app.export_dialog import ExportDialog
    from gradviz.core.groups import groups_to_collapse

    graph = graph_from_value(loss)
    run = evaluate(graph)
    collapsed = groups_to_collapse(graph, "h1")
    dialog = ExportDialog(None, graph, run, len(run.timeline),
                          list(range(len(run.timeline) + 1)), None, "net",
                          collapsed=collapsed)
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    said = [label.text() for label in dialog.findChildren(QLabel)]
    assert "h1 drawn collapsed, as in the window" in said
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".svg"))
    assert dialog.path_edit.text().endswith("net.svg")  # the document's name
    out = tmp_path / "net.svg"
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.written == [out]
    texts = svg_texts(out)
    assert "h1  (5 nodes)" in texts and not set(INNER_H1) & set(texts)


def test_the_window_exports_what_it_shows_and_says_what_it_adjusted(qtbot, tmp_path, loss,
                                                                    monkeypatch):
    from PySide6.QtCore import Qt

    from gradviz.app.launch import make_window
    from gradviz.core.groups import groups_to_collapse
    from gradviz.render import export as export_module

    window = make_window(graph_from_value(loss), None, "net")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.document.set_collapsed(groups_to_collapse(window.document.graph, "all"))
    stops_shown = len(window.player.stops())
    assert stops_shown < len(window.document.evaluation.timeline) + 1
    dialog = window.export_dialog()
    assert dialog.all_steps.text() == f"Every step ({stops_shown} pictures)"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".pdf"))
    dialog.all_steps.setChecked(True)
    deck = tmp_path / "net.pdf"
    dialog.path_edit.setText(str(deck))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert page_count(deck) == stops_shown
    assert window.statusBar().currentMessage() == f"Exported {deck}"

    monkeypatch.setattr(export_module, "MAX_LONG_SIDE", 300)
    dialog = window.export_dialog()
    out = tmp_path / "net.png"
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert max(Image.open(out).size) <= 300
    dialog.done(0)  # it stayed open to say what it adjusted; closing it tells the window
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Exported {out} (adjusted: scaled down to ")
    assert "so the long side is 300 px" in message
    window.document.undo_stack.setClean()
