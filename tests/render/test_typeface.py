"""Text widths: the same whether shaped one by one or summed from a font's advance table,
and a small scene never pays for building the tables (start-up time, issue 4)."""
from gradviz.core.notation import format_number
from gradviz.render.theme import THEMES
from gradviz.render.typeface import TABLE_AFTER, fonts_for


def test_a_small_scene_shapes_its_texts_and_builds_no_table(qapp):
    fonts = fonts_for.__wrapped__(THEMES["projector"])  # fresh, not the shared cache
    for i in range(60):
        fonts.width(fonts.number, format_number(i * 1.37))
        fonts.width(fonts.edge, f"× {i} → {i * 2}")
    assert fonts._advances == {}


def test_many_texts_use_the_table_and_measure_exactly_as_shaping_does(qapp):
    fonts = fonts_for.__wrapped__(THEMES["light"])
    texts = [format_number(i * 0.731 - 50) for i in range(TABLE_AFTER + 300)]
    widths = [fonts.width(fonts.number, t) for t in texts]
    assert id(fonts.number) in fonts._advances  # built once it pays off
    shaped = fonts.metrics(fonts.number)
    assert all(abs(w - shaped.horizontalAdvance(t)) < 1e-9 for w, t in zip(widths, texts, strict=True))
