"""One format table for every export: ``gradviz export``, ``gradviz.draw`` and the app's
Export dialog write the same formats with the same defaults, and refuse the same way."""
import json
import re

import pytest
from PIL import Image, ImageChops
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

import gradviz
from gradviz.cli import main
from gradviz.core.language import parse
from gradviz.render.formats import FORMATS

PROGRAM = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"
STEPS = 9  # 3 operations, the seed, 5 edges
SQUARE = "a = 2\nb = a * a\n"
"""A smaller graph where the picture does not matter (GIFs take seconds per big frame)."""
SQUARE_STEPS = 4  # 1 operation, the seed, 2 edges

OPENINGS = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF", ".gif": b"GIF89a",
            ".dot": b"digraph", ".gradviz": b"{", ".md": b"Inputs a = 2. The program",
            ".tex": b"Inputs a = 2. The program"}
"""How a file of each format starts; a format added to the table needs its line here."""


def notebook_value():
    a, b = gradviz.Value(2.0), gradviz.Value(3.0)
    return (a + b) * (b + 1)


def square_value():
    a = gradviz.Value(2.0)
    return a * a


def by_cli(tmp_path, name, *extra, program=PROGRAM):
    out = tmp_path / "cli" / name
    out.parent.mkdir(exist_ok=True)
    assert main(["export", program, "-o", str(out), *extra]) == 0
    return out


def by_draw(tmp_path, name, value=None, **options):
    out = tmp_path / "draw" / name
    out.parent.mkdir(exist_ok=True)
    gradviz.draw(value or notebook_value(), out, **options)
    return out


def open_dialog(qtbot, program=PROGRAM):
    from gradviz.app.export_dialog import ExportDialog
    from gradviz.core.evaluation import evaluate
    from gradviz.core.language import parse

    graph = parse(program)
    run = evaluate(graph)
    dialog = ExportDialog(None, graph, run, run.timeline.last,
                          list(range(run.timeline.last + 1)), None, "e")
    qtbot.addWidget(dialog)
    return dialog


def by_dialog(qtbot, tmp_path, name, every_step=False, program=PROGRAM):
    """Export as a user does: pick the format, type the file, maybe "Every step", click."""
    dialog = open_dialog(qtbot, program)
    out = tmp_path / "dialog" / name
    out.parent.mkdir(exist_ok=True)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(out.suffix))
    dialog.path_edit.setText(str(out))
    if every_step:
        qtbot.mouseClick(dialog.all_steps, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.written, dialog.message.text()
    return dialog.written


def same_pixels(*paths) -> bool:
    images = [Image.open(p).convert("RGB") for p in paths]
    return all(i.size == images[0].size and ImageChops.difference(i, images[0]).getbbox()
               is None for i in images[1:])


def test_the_test_knows_every_format_of_the_table():
    assert set(OPENINGS) == set(FORMATS)


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_the_command_line_and_draw_write_every_format(qapp, tmp_path, suffix):
    for out in (by_cli(tmp_path, "e" + suffix, program=SQUARE),
                by_draw(tmp_path, "e" + suffix, square_value())):
        assert out.read_bytes().startswith(OPENINGS[suffix]), out


def test_the_dialog_offers_every_picture_format_and_writes_each(qtbot, tmp_path):
    box = open_dialog(qtbot).format_box
    titles = [box.itemText(i) for i in range(box.count())]
    assert titles == [f.title for f in FORMATS.values() if f.suffix != ".gradviz"]
    for suffix in OPENINGS.keys() - {".gradviz"}:
        (out,) = by_dialog(qtbot, tmp_path, "e" + suffix, program=SQUARE)
        assert out.read_bytes().startswith(OPENINGS[suffix]), out


def test_the_help_lists_every_format(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "the format follows the suffix of OUT: " + ", ".join(FORMATS) in help_text
    assert "(default: light)" in help_text
    assert "(default 2, lowered to fit the picture's budget; a GIF at most 2)" in help_text
    assert "the page of .pdf: 16:9, 4:3, a4, letter, fit (default: 16:9 for --all-steps, " \
           "fit for one page" in help_text


def test_a_default_png_is_the_same_picture_everywhere(qtbot, tmp_path, scene):
    cli = by_cli(tmp_path, "e.png")
    drawn = by_draw(tmp_path, "e.png")
    (dialog,) = by_dialog(qtbot, tmp_path, "e.png")
    light = by_cli(tmp_path, "light.png", "--theme", "light", "--scale", "2")
    assert same_pixels(cli, drawn, dialog, light)  # the light theme at scale 2
    rect = scene.content_rect()  # the notebook's graph in the light theme, final step
    assert Image.open(cli).size == (round(rect.width() * 2), round(rect.height() * 2))
    assert Image.open(cli).getpixel((0, 0))[:3] == (255, 255, 255)


def test_the_inline_png_is_the_saved_one(qapp, tmp_path):
    import io

    saved = by_draw(tmp_path, "e.png")
    inline = Image.open(io.BytesIO(gradviz.draw(notebook_value())._repr_png_()))
    assert inline.size == Image.open(saved).size


def test_a_gif_holds_every_step_at_the_same_capped_size_everywhere(qtbot, tmp_path):
    cli = by_cli(tmp_path, "e.gif", program=SQUARE)
    asked_big = by_cli(tmp_path, "big.gif", "--scale", "5", program=SQUARE)
    drawn = by_draw(tmp_path, "e.gif", square_value())
    drawn_big = by_draw(tmp_path, "big.gif", square_value(), scale=5)
    (dialog,) = by_dialog(qtbot, tmp_path, "e.gif", program=SQUARE)
    gifs = [Image.open(p) for p in (cli, asked_big, drawn, drawn_big, dialog)]
    assert {g.size for g in gifs} == {gifs[0].size}  # scale 5 is drawn at the cap, 2
    assert {g.n_frames for g in gifs} == {SQUARE_STEPS + 1}  # the inputs alone, each step
    small = Image.open(by_cli(tmp_path, "small.gif", "--scale", "1", program=SQUARE))
    assert small.size == (round(gifs[0].size[0] / 2), round(gifs[0].size[1] / 2))


def test_the_dialog_writes_a_gif_of_every_step_even_from_this_step(qtbot):
    dialog = open_dialog(qtbot)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".gif"))
    assert dialog.all_steps.isChecked() and not dialog.current_step.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".svg"))
    assert dialog.current_step.isChecked() and not dialog.all_steps.isEnabled()


@pytest.mark.parametrize("suffix", [".pdf", ".png"])
def test_every_step_means_the_same_deck_or_frames_everywhere(qtbot, tmp_path, suffix):
    by_cli(tmp_path, "all" + suffix, "--all-steps", program=SQUARE)
    dialog = by_dialog(qtbot, tmp_path, "all" + suffix, every_step=True, program=SQUARE)
    if suffix == ".pdf":
        for pdf in (tmp_path / "cli" / "all.pdf", dialog[0]):
            pages = re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())
            assert len(pages) == SQUARE_STEPS + 1, pdf
    else:
        cli_frames = sorted((tmp_path / "cli").glob("all-*.png"))
        assert [p.name for p in cli_frames] == [p.name for p in dialog]
        assert len(dialog) == SQUARE_STEPS + 1
        assert all(same_pixels(c, d) for c, d in zip(cli_frames, dialog, strict=True))


def test_a_document_from_draw_opens_as_the_same_graph(qapp, tmp_path):
    from gradviz.core import fileformat

    drawn = fileformat.read(by_draw(tmp_path, "e.gradviz"))
    typed = fileformat.read(by_cli(tmp_path, "e.gradviz"))
    assert drawn.graph.signature() == typed.graph.signature()
    assert json.loads(by_cli(tmp_path, "e.gradviz").read_text())["format"] == "gradviz"


UNKNOWN = ("cannot export .jpg: use one of .png, .svg, .pdf, .gif, .dot, .gradviz, .md, "
           ".tex")


def test_an_unknown_suffix_is_the_same_one_line_everywhere(qtbot, tmp_path, capsys):
    out = tmp_path / "e.jpg"
    assert main(["export", PROGRAM, "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"gradviz: {out}: {UNKNOWN}\n"
    with pytest.raises(gradviz.DocumentError) as raised:
        gradviz.draw(notebook_value(), out)
    assert str(raised.value) == f"{out}: {UNKNOWN}"
    dialog = open_dialog(qtbot)
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == f"Export failed: {out}: {UNKNOWN}"
    assert dialog.result() != QDialog.DialogCode.Accepted  # it stays open, saying why
    assert not dialog.written and not out.exists()


def test_the_dialog_sends_a_document_to_save_as(qtbot, tmp_path):
    out = tmp_path / "e.gradviz"
    dialog = open_dialog(qtbot)
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == (f"Export failed: {out}: .gradviz is a document, not a "
                                     "picture: save it with File ▸ Save As")
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".svg", ".dot", ".gradviz"])
def test_every_step_of_a_one_step_format_is_refused_naming_those_that_hold_more(
        qapp, tmp_path, capsys, suffix):
    out = tmp_path / ("e" + suffix)
    assert main(["export", PROGRAM, "-o", str(out), "--all-steps"]) == 2
    err = capsys.readouterr().err
    assert err == (f"gradviz: {out}: {suffix} holds one step; every step can be written to "
                   ".png (numbered frames OUT-001.png …), .pdf (a deck: one page per step), "
                   ".gif (an animation), .md (one numbered line a step), .tex (one numbered "
                   "item a step)\n")
    assert not out.exists()


@pytest.mark.parametrize("scale", [0, -1, 21])
def test_a_scale_out_of_range_is_refused_by_the_command_line_and_draw(qapp, tmp_path, capsys,
                                                                      scale):
    assert main(["export", PROGRAM, "-o", str(tmp_path / "e.png"), "--scale", str(scale)]) == 2
    assert capsys.readouterr().err == (f"gradviz: --scale {scale}: use a number above 0 "
                                       "and at most 20\n")
    with pytest.raises(gradviz.GraphError, match=f"^scale {scale}: use a number above 0"):
        gradviz.draw(notebook_value(), scale=scale)


def test_a_picture_past_its_formats_node_limit_is_refused_before_any_work(
        qapp, tmp_path, capsys, monkeypatch):
    from gradviz.render import export, formats

    monkeypatch.setitem(FORMATS, ".svg", FORMATS[".svg"]._replace(max_nodes=4))
    monkeypatch.setattr(export, "write_svg", lambda *a: pytest.fail("drawn"))
    out = tmp_path / "e.svg"
    assert main(["export", PROGRAM, "-o", str(out)]) == 2  # a, b, c, 1, d, e
    line = capsys.readouterr().err
    assert line == (f"gradviz: {out}: a graph of 6 nodes is too big for SVG, which draws up "
                    f"to 4: {FORMATS['.svg'].instead}\n")
    assert "PNG" in line and not out.exists()
    with pytest.raises(gradviz.DocumentError, match="a graph of 6 nodes is too big for SVG"):
        gradviz.draw(notebook_value(), out)
    assert formats.drawn_nodes(formats.Export(parse(PROGRAM), None, 0)) == 6


def test_collapsed_groups_count_as_one_box_each_against_the_limit(qapp, tmp_path, monkeypatch):
    from gradviz.render import formats

    monkeypatch.setitem(FORMATS, ".svg", FORMATS[".svg"]._replace(max_nodes=6))
    program = ("def neuron(x, w, b):\n    return tanh(w * x + b)\n"
               "x = 0.5\nh = neuron(x, 0.3, 0.1)\no = neuron(h, -0.2, 0.4)\n")
    graph = parse(program)
    assert len(graph) > 6
    out = tmp_path / "n.svg"
    assert main(["export", program, "-o", str(out)]) == 2
    assert main(["export", program, "-o", str(out), "--collapse", "all"]) == 0
    assert out.exists()
    assert formats.drawn_nodes(formats.Export(graph, None, 0, collapse="all")) <= 6
