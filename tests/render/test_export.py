"""Exporting the notebook's example: every format gives a valid, truthful file."""
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from gradviz.cli import main

PROGRAM = "a = 2\nb = 3\ne = (a + b) * (b + 1)\n"
STEPS = 9  # 3 operations, the seed, 5 edges


def export(tmp_path, name, *extra):
    out = tmp_path / name
    assert main(["export", PROGRAM, "-o", str(out), *extra]) == 0
    return out


def svg_texts(path) -> str:
    root = ET.parse(path).getroot()
    return " ".join(t for el in root.iter() if el.tag.endswith("text") for t in el.itertext())


def test_png_has_the_scene_size_at_the_scale_and_is_not_blank(qapp, tmp_path, scene):
    from gradviz.render.theme import THEMES

    out = export(tmp_path, "e.png", "--theme", "light", "--scale", "2")
    image = Image.open(out)
    rect = scene.content_rect()  # the same graph, theme and (final) step
    assert scene.theme == THEMES["light"]
    assert image.size == (round(rect.width() * 2), round(rect.height() * 2))
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # text, lines and fills, not one flat colour
    assert (0, 114, 178) in {c for _, c in colours}  # Okabe–Ito blue: a value is drawn


def test_svg_parses_and_keeps_the_numbers_as_text(qapp, tmp_path):
    text = svg_texts(export(tmp_path, "e.svg"))
    for number in ("20", "4", "9", "5"):
        assert number in text.split()
    assert "grad" in text


def test_pdf_is_one_page_and_the_deck_one_page_per_step(qapp, tmp_path):
    one = export(tmp_path, "e.pdf").read_bytes()
    deck = export(tmp_path, "deck.pdf", "--all-steps").read_bytes()
    assert one.startswith(b"%PDF") and deck.startswith(b"%PDF")
    assert one.count(b"/Type /Page\n") + one.count(b"/Type /Page ") + one.count(b"/Type /Page>") >= 1
    assert _pages(one) == 1
    assert _pages(deck) == STEPS + 1  # the inputs alone, then each step


def _pages(pdf: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_gif_has_a_frame_for_the_inputs_and_one_per_step(qapp, tmp_path):
    gif = Image.open(export(tmp_path, "e.gif", "--scale", "1"))
    assert gif.n_frames == STEPS + 1
    gif.seek(1)
    assert gif.info["duration"] > 500  # a pause on each step


def test_png_frames_are_numbered(qapp, tmp_path):
    export(tmp_path, "f.png", "--all-steps", "--scale", "0.5")
    frames = sorted(p.name for p in tmp_path.glob("f-*.png"))
    assert frames[0] == "f-001.png" and len(frames) == STEPS + 1
    sizes = {Image.open(tmp_path / f).size for f in frames}
    assert len(sizes) == 1  # frames do not jump


def test_dot_has_the_same_labels_and_runs_through_graphviz(qapp, tmp_path):
    out = export(tmp_path, "e.dot", "--step", "9")
    text = out.read_text()
    assert text.startswith("digraph") and "value 20" in text
    assert "grad 9 = 4 + 5" in text  # the fan-out into b at its last step
    assert "5 × 1 = 5" in text  # the edge as arithmetic
    dot = pytest.importorskip("shutil").which("dot")
    if dot:
        done = subprocess.run([dot, "-Tsvg", str(out)], capture_output=True)
        assert done.returncode == 0, done.stderr


def test_step_and_phase_pick_the_step(qapp, tmp_path):
    svg = svg_texts(export(tmp_path, "b.svg", "--phase", "backward", "--step", "6"))
    assert "9 = 4 + 5" in svg and "5 × 1 = 5" in svg
    svg = svg_texts(export(tmp_path, "f.svg", "--phase", "forward", "--step", "1"))
    assert "c = a + b = 2 + 3 = 5" in svg and "20" not in svg.split()


def svg_caption(path) -> str:
    """The caption the picture states (an SVG export carries it as its description)."""
    root = ET.parse(path).getroot()
    return next(el.text for el in root.iter() if el.tag.endswith("desc"))


@pytest.mark.parametrize("phase, step, index, caption", [
    ("forward", 2, 2, "Forward step 2 of 3: d = b + 1 = 3 + 1 = 4"),
    ("backward", 1, 4, "Backward step 1 of 6: ∂e/∂e = 1"),
    ("backward", 3, 6, "Backward step 3 of 6: ∂(c·d)/∂d = c = 5;  ∂e/∂d += "),
    ("backward", 6, 9, "Backward step 6 of 6: ∂d/∂b = 1;  ∂e/∂b += ∂e/∂d · ∂d/∂b"),
])
def test_the_caption_numbers_the_step_as_phase_and_step_do(qapp, tmp_path, phase, step,
                                                           index, caption):
    by_phase = svg_caption(export(tmp_path, "p.svg", "--phase", phase, "--step", str(step)))
    by_index = svg_caption(export(tmp_path, "i.svg", "--step", str(index)))
    assert by_phase == by_index  # the same step, whichever way it is named
    assert by_phase.startswith(caption)


@pytest.mark.parametrize("args, message", [
    (["-o", "x.jpg"], "use one of .png"),
    (["-o", "x.png", "--step", "10"], "steps 0 to 9"),
    (["-o", "x.png", "--phase", "backward", "--step", "0"], "steps 1 to 6"),
    (["-o", "x.png", "--theme", "neon"], "themes: projector, light, dark"),
])
def test_bad_requests_are_one_clear_line(qapp, tmp_path, capsys, args, message):
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    assert main(["export", PROGRAM, *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_export_works_without_a_display(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "e.png"
    done = subprocess.run([sys.executable, "-m", "gradviz", "export", PROGRAM, "-o", str(out)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size[0] > 100
    assert "Fatal" not in done.stderr


def test_notebook_draw_shows_inline_and_writes_files(qapp, tmp_path):
    import gradviz
    from gradviz import Value

    a, b = Value(2.0), Value(3.0)
    drawing = gradviz.draw((a + b) * (b + 1), path=tmp_path / "e.svg")
    assert drawing._repr_png_().startswith(b"\x89PNG")
    assert "20" in drawing._repr_svg_()
    assert "9" in svg_texts(tmp_path / "e.svg").split()
    early = gradviz.draw((a + b) * (b + 1), step=1)
    assert early.caption().startswith("Forward ")
    assert early.caption().endswith(": c = a + b = 2 + 3 = 5")
    with pytest.raises(gradviz.DocumentError):
        drawing.save(tmp_path / "e.bmp")



def _chain(steps: int) -> str:
    return "x = 0.5\n" + "x = tanh(x)\n" * steps


@pytest.mark.parametrize("name, extra, limit", [
    ("long.png", [], r"over the limit of 268,435,456 pixels"),
    ("frames.png", ["--all-steps"], r"over the limit of 268,435,456 pixels"),
    # Which GIF limit a long chain meets first depends on the layout's shape.
    ("long.gif", [], r"a GIF has at most 65,535 a side|over the limit of 1,073,741,824 "
                     r"pixels in all"),
])
def test_a_picture_too_big_for_pixels_is_refused_before_painting(qapp, tmp_path, capfd, name,
                                                                  extra, limit):
    import re

    out = tmp_path / name
    assert main(["export", _chain(200), "-o", str(out), "--scale", "20", *extra]) == 2
    err = capfd.readouterr().err
    scale = 2 if name.endswith(".gif") else 20  # a GIF is drawn at most at scale 2
    assert re.fullmatch(
        rf"gradviz: {re.escape(str(out))}: the (picture|animation) would be [^(]+ "
        rf"\(({limit})\); use a smaller --scale \(now {scale}\), none \(the "
        rf"default fits any graph\), or export SVG or PDF\n", err), err  # one line: no Qt
    assert not list(tmp_path.iterdir())  # painter warnings, and nothing written


def test_an_animation_too_big_in_all_is_refused_before_any_frame(qapp, tmp_path, capfd,
                                                                 monkeypatch):
    from gradviz.render import export as render_export

    frame = 400 * 300  # about one frame of the notebook's example at scale 1
    monkeypatch.setattr(render_export, "MAX_GIF_PIXELS", 5 * frame)
    out = tmp_path / "e.gif"
    assert main(["export", PROGRAM, "-o", str(out), "--scale", "1"]) == 2
    err = capfd.readouterr().err
    assert f"the animation would be {STEPS + 1} frames of" in err
    assert err.count("\n") == 1 and not out.exists()


def test_the_limit_leaves_room_for_ordinary_pictures(scene):
    from gradviz.render.export import MAX_PIXELS, check_image_size, image_size

    width, height = image_size(scene.content_rect(), 20)  # the largest --scale allowed
    assert 100_000_000 < width * height <= MAX_PIXELS
    check_image_size(width, height)  # drawn (writing it takes ~15 s: not done here)
