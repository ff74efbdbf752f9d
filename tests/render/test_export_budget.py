"""Exports that always work: any graph's default PNG, PDF, GIF and notebook picture is
written and opens, and what was changed to make it so is one line the user sees.

The graphs' shapes come from the layout, which changes; these tests assert the budgets
(pixels, points, bytes, frames) and the text size worked out from the picture's scale,
never a graph's exact size.
"""
import io
import random
import re
import warnings

import pytest
from PIL import Image
from PySide6.QtCore import Qt

import gradviz
from gradviz.cli import main
from gradviz.core.evaluation import evaluate
from gradviz.core.language import parse
from gradviz.render import formats

PROGRAM = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"
STEPS = 9  # 3 operations, the seed, 5 edges
OPS_PER_NEURON = 5  # two products, two sums, one tanh


def neuron_program(ops: int = 1000, seed: int = 0) -> str:
    """A chain of micrograd-style neurons with about ``ops`` operations, as program text
    (each neuron also takes an earlier one's output, so edges skip ahead)."""
    rng = random.Random(seed)
    lines = ["x0 = 0.5", "x1 = -1.5", "x2 = 2.0"]
    earlier = ["x0", "x1", "x2"]
    for i in range(ops // OPS_PER_NEURON):
        w, u, b = (rng.uniform(-1, 1) for _ in range(3))
        lines += [f"w{i} = {w:.2f}", f"u{i} = {u:.2f}", f"b{i} = {b / 2:.2f}"]
        skip = earlier[-rng.randint(2, min(4, len(earlier)))]
        lines.append(f"h{i} = tanh(w{i} * {earlier[-1]} + u{i} * {skip} + b{i})")
        earlier.append(f"h{i}")
    return "\n".join(lines) + "\n"


def neuron_value(ops: int = 1000, seed: int = 0) -> gradviz.Value:
    """The same chain built with the engine's Value operations, as a notebook does."""
    rng = random.Random(seed)
    earlier = [gradviz.Value(0.5), gradviz.Value(-1.5), gradviz.Value(2.0)]
    for _ in range(ops // OPS_PER_NEURON):
        w, u, b = (gradviz.Value(round(rng.uniform(-1, 1), 2)) for _ in range(3))
        skip = earlier[-rng.randint(2, min(4, len(earlier)))]
        earlier.append((w * earlier[-1] + u * skip + b).tanh())
    return earlier[-1]


@pytest.fixture(scope="module")
def big():
    """The 1,000-operation graph and its run."""
    graph = parse(neuron_program())
    return graph, evaluate(graph)


def light_scene(graph, run, step=None):
    from gradviz.render.scene import GraphScene
    from gradviz.render.theme import THEMES

    scene = GraphScene(THEMES["light"])
    scene.set_graph(graph, run, step=step)
    return scene


def warnings_of(err: str) -> list[str]:
    lines = err.splitlines()
    assert all(line.startswith("gradviz: warning: ") for line in lines), err
    return [line.removeprefix("gradviz: warning: ") for line in lines]


def media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


# --- PNG --------------------------------------------------------------------------
def test_the_default_png_of_a_1000_op_graph_is_written_within_8000_px(qapp, tmp_path,
                                                                       capsys, big):
    out = tmp_path / "big.png"
    assert main(["export", neuron_program(), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"wrote {out}\n"
    lines = warnings_of(captured.err)
    image = Image.open(out)
    assert max(image.size) <= 8000
    scene = light_scene(*big)
    rect = scene.content_rect()
    scale = image.size[0] / rect.width()  # the picture's pixels per scene unit
    assert re.fullmatch(r"scaled down to [\d.]+ so the long side is 8,000 px; use --scale "
                        r"to choose", lines[0])
    assert float(lines[0].split()[3]) == pytest.approx(scale, rel=0.01)
    text = scene.theme.pixel_size * scale
    overview = [line for line in lines if "overview" in line]
    assert text >= 8 or overview, (text, lines)  # legible, or it says it is an overview
    assert len(lines) == 1 + bool(overview)


def test_a_scale_asked_for_is_drawn_as_asked_without_a_warning(qapp, tmp_path, capsys, big):
    out = tmp_path / "small.png"
    assert main(["export", neuron_program(), "-o", str(out), "--scale", "0.1"]) == 0
    assert capsys.readouterr().err == ""
    rect = light_scene(*big).content_rect()
    assert Image.open(out).size == (round(rect.width() * 0.1), round(rect.height() * 0.1))


def test_a_picture_too_small_to_read_says_it_is_an_overview(qapp, tmp_path, capsys,
                                                           monkeypatch, scene):
    from gradviz.render import export

    monkeypatch.setattr(export, "MAX_LONG_SIDE", 200)  # the notebook's graph becomes tiny
    out = tmp_path / "tiny.png"
    assert main(["export", PROGRAM, "-o", str(out)]) == 0
    lines = warnings_of(capsys.readouterr().err)
    assert lines[0].startswith("scaled down to ")
    assert lines[1].startswith("node text would be ") and "overview" in lines[1]
    image = Image.open(out).convert("L")
    rect = scene.content_rect()
    graph_h = round(rect.height() * max(image.size) / max(rect.width(), rect.height()))
    assert max(image.size) <= 200
    assert image.size[1] > graph_h + 8  # a band above the graph for the line
    band = image.crop((0, 0, image.size[0], image.size[1] - graph_h - 2))
    assert band.getextrema()[0] < 100  # dark text is drawn in it


def test_draw_writes_the_1000_op_graph_and_warns_once_per_change(qapp, tmp_path):
    value = neuron_value()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawing = gradviz.draw(value, tmp_path / "big.png")
    from gradviz.render.notebook import ExportWarning

    said = [str(w.message) for w in caught if issubclass(w.category, ExportWarning)]
    assert said and said[0].startswith("scaled down to ")
    assert said[0].endswith("; pass scale= to choose")
    assert [a.for_python() for a in drawing.adjustments] == said
    assert max(Image.open(tmp_path / "big.png").size) <= 8000


# --- Jupyter ----------------------------------------------------------------------
def test_the_notebook_shows_a_1000_op_graph_in_under_2_mb(qapp):
    drawing = gradviz.draw(neuron_value())
    svg = drawing._repr_svg_()  # what Jupyter keeps: every repr that is not None
    png = drawing._repr_png_()
    shown = (len(svg.encode()) if svg else 0) + len(png)
    assert shown < 2_000_000
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and max(image.size) <= 8000
    assert len(image.convert("RGB").getcolors(maxcolors=1_000_000)) > 10  # not blank


def test_the_notebook_keeps_the_svg_of_a_small_graph(qapp):
    drawing = gradviz.draw(neuron_value(ops=10))
    assert drawing._repr_svg_().startswith("<?xml")


# --- PDF ----------------------------------------------------------------------------
def test_a_deck_is_on_16_9_pages_with_one_page_per_step(qapp, tmp_path, capsys):
    out = tmp_path / "deck.pdf"
    assert main(["export", PROGRAM, "-o", str(out), "--all-steps"]) == 0
    pdf = out.read_bytes()
    assert pages(pdf) == STEPS + 1
    assert set(media_boxes(pdf)) == {(960, 540)}  # a widescreen slide, 13.33 × 7.5 in
    assert capsys.readouterr().err == ""  # the notebook's graph reads whole on a slide


def test_the_2_2_1_network_deck_is_16_9_pages(qapp, tmp_path, capsys):
    from pathlib import Path

    from gradviz.core import fileformat

    path = Path(__file__).parents[2] / "resources" / "examples" / "mlp_2_2_1.gradviz"
    run = evaluate(fileformat.read(path).graph)
    out = tmp_path / "mlp.pdf"
    assert main(["export", str(path), "-o", str(out), "--all-steps"]) == 0
    pdf = out.read_bytes()
    assert pages(pdf) == len(run.timeline) + 1
    assert set(media_boxes(pdf)) == {(960, 540)}
    for line in warnings_of(capsys.readouterr().err):  # if it is too big to read whole
        assert "each page shows its step's part of the graph" in line


@pytest.mark.parametrize("page, size", [("16:9", (960, 540)), ("4:3", (720, 540)),
                                        ("a4", (842, 595)), ("letter", (792, 612))])
def test_page_picks_the_page_size(qapp, tmp_path, scene, page, size):
    out = tmp_path / "p.pdf"
    assert main(["export", PROGRAM, "-o", str(out), "--page", page]) == 0
    ((w, h),) = set(media_boxes(out.read_bytes()))
    rect = scene.content_rect()
    if page in ("a4", "letter") and rect.height() > rect.width():
        size = size[::-1]  # paper turns to the graph's shape
    assert (round(w), round(h)) == size


def test_one_page_is_the_graphs_own_size(qapp, tmp_path, scene):
    out = tmp_path / "one.pdf"
    assert main(["export", PROGRAM, "-o", str(out)]) == 0
    ((w, h),) = media_boxes(out.read_bytes())
    rect = scene.content_rect()  # 96 scene units an inch, 72 points
    assert (w, h) == pytest.approx((rect.width() * 0.75, rect.height() * 0.75), abs=1)


def test_a_1000_op_deck_follows_the_step_on_16_9_pages(qapp, tmp_path, big):
    graph, run = big
    last = len(run.timeline)
    steps = [0, 1, last // 2, last - 1, last]
    job = formats.Export(graph, run, last, steps=steps, all_steps=True)
    written = formats.write(job, tmp_path / "deck.pdf")
    pdf = written.paths[0].read_bytes()
    assert pages(pdf) == len(steps)
    assert set(media_boxes(pdf)) == {(960, 540)}
    (adjustment,) = written.adjustments
    assert "each page shows its step's part of the graph (the camera's view) with an " \
           "overview in the corner" in adjustment.text
    assert adjustment.for_command_line().endswith("; use --page to choose")
    assert len(pdf) < 5_000_000  # pages draw what they show, not every node


def test_no_pdf_page_is_over_14400_pt(qapp, tmp_path, big):
    graph, run = big
    written = formats.write(formats.Export(graph, run, len(run.timeline)), tmp_path / "b.pdf")
    ((w, h),) = media_boxes(written.paths[0].read_bytes())
    assert max(w, h) <= 14_400
    assert bool(written.adjustments) == (max(w, h) > 14_399)  # scaled down: said so


def test_a_page_too_big_for_viewers_is_scaled_down_and_says_so(qapp, tmp_path, capsys,
                                                              monkeypatch, scene):
    from gradviz.render import pages as page_sizes

    monkeypatch.setattr(page_sizes, "MAX_PAGE_PT", 200.0)  # smaller than the notebook's graph
    out = tmp_path / "e.pdf"
    assert main(["export", PROGRAM, "-o", str(out)]) == 0
    ((w, h),) = media_boxes(out.read_bytes())
    assert max(w, h) == pytest.approx(200, abs=1)
    rect = scene.content_rect()
    assert w / h == pytest.approx(rect.width() / rect.height(), rel=0.02)
    (line,) = warnings_of(capsys.readouterr().err)
    assert line.startswith("the page is scaled down to ") and "its long side is 200 pt" in line


@pytest.mark.parametrize("args, message", [
    (["-o", "x.pdf", "--page", "b5"], "gradviz: --page b5: use one of 16:9, 4:3, a4, letter, "
                                      "fit\n"),
    (["-o", "x.png", "--page", "a4"], ": .png has no pages: a page size is for .pdf\n"),
])
def test_a_bad_page_is_one_clear_line(qapp, tmp_path, capsys, args, message):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    assert main(["export", PROGRAM, *args]) == 2
    err = capsys.readouterr().err
    assert err.endswith(message) and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_draw_takes_a_page_and_refuses_an_unknown_one(qapp, tmp_path):
    a, b = gradviz.Value(2.0), gradviz.Value(3.0)
    gradviz.draw((a + b) * (b + 1), tmp_path / "e.pdf", page="4:3")
    assert set(media_boxes((tmp_path / "e.pdf").read_bytes())) == {(720, 540)}
    with pytest.raises(gradviz.GraphError, match="page b5: use one of 16:9"):
        gradviz.draw(a * b, page="b5")


# --- GIF ------------------------------------------------------------------------------
def test_a_gif_keeps_at_most_its_frame_cap_first_and_last_included():
    from gradviz.render.frames import MAX_GIF_FRAMES, sample_steps

    steps = list(range(1742))
    kept, (adjustment,) = sample_steps(steps)
    assert len(kept) == MAX_GIF_FRAMES == 300
    assert kept[0] == 0 and kept[-1] == 1741 and kept == sorted(set(kept))
    gaps = {b - a for a, b in zip(kept, kept[1:], strict=False)}
    assert max(gaps) - min(gaps) <= 1  # evenly spaced
    assert adjustment.text == ("1,742 steps are more than the 300 frames a GIF holds: it "
                               "shows 300 of them, evenly spaced, the first and last kept")
    assert sample_steps(steps[:300]) == (steps[:300], [])


def test_a_gif_with_more_steps_than_frames_says_so(qapp, tmp_path, capsys, monkeypatch):
    from gradviz.render import frames

    monkeypatch.setattr(frames, "MAX_GIF_FRAMES", 4)
    out = tmp_path / "e.gif"
    assert main(["export", PROGRAM, "-o", str(out), "--scale", "1"]) == 0
    assert Image.open(out).n_frames == 4
    (line,) = warnings_of(capsys.readouterr().err)
    assert line == (f"{STEPS + 1} steps are more than the 4 frames a GIF holds: it shows 4 "
                    "of them, evenly spaced, the first and last kept")


def test_a_gif_of_a_1000_op_graph_follows_the_camera(qapp, tmp_path, big):
    graph, run = big
    last = len(run.timeline)
    job = formats.Export(graph, run, last, steps=[0, last // 3, last])
    written = formats.write(job, tmp_path / "big.gif")
    gif = Image.open(written.paths[0])
    assert gif.n_frames == 3
    assert gif.size == (1280, 720)  # the presentation window the camera is made for
    (adjustment,) = written.adjustments
    assert "each frame shows its step's part of the graph (the camera's view)" in adjustment.text


# --- the Export dialog --------------------------------------------------------------
def test_the_dialog_says_what_it_adjusted_and_stays_open(qtbot, tmp_path, monkeypatch):
    from gradviz.app.export_dialog import ExportDialog
    from gradviz.render import export

    monkeypatch.setattr(export, "MAX_LONG_SIDE", 300)
    graph = parse(PROGRAM)
    run = evaluate(graph)
    dialog = ExportDialog(None, graph, run, run.timeline.last,
                          list(range(run.timeline.last + 1)), None, "e")
    qtbot.addWidget(dialog)
    out = tmp_path / "e.png"
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.written == [out] and max(Image.open(out).size) <= 300
    text = dialog.message.text()
    assert text.startswith(f"Exported {out}, adjusted so that it opens and reads:")
    assert "Scaled down to " in text and "so the long side is 300 px" in text
    assert "--scale" not in text  # the dialog has no such option
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    assert dialog.result() != QDialog.DialogCode.Accepted  # it stays open, saying so
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Close"


def test_the_dialog_offers_pages_for_a_pdf_only(qtbot, tmp_path):
    from gradviz.app.export_dialog import ExportDialog

    graph = parse(PROGRAM)
    run = evaluate(graph)
    dialog = ExportDialog(None, graph, run, run.timeline.last,
                          list(range(run.timeline.last + 1)), None, "e")
    qtbot.addWidget(dialog)
    assert not dialog.page_box.isEnabled()  # a PNG first
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".pdf"))
    assert dialog.page_box.isEnabled()
    dialog.page_box.setCurrentIndex(dialog.page_box.findData("4:3"))
    out = tmp_path / "e.pdf"
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.written == [out]
    assert set(media_boxes(out.read_bytes())) == {(720, 540)}
