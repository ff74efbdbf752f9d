"""Long steps wrap between terms, never inside a partial such as ∂e/∂c."""
import re

from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption

from gradviz.core.evaluation import evaluate
from gradviz.core.explain import caption
from gradviz.core.language import parse
from gradviz.core.notation import WORD_JOINER, unbroken
from gradviz.render.caption_item import CaptionItem
from gradviz.render.theme import THEMES
from gradviz.render.typeface import fonts_for

PARTIAL = re.compile(r"∂\S*?/" + WORD_JOINER + r"?∂\S+")


def _line_starts(text: str, font: QFont, width: float) -> list[int]:
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    starts = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    return starts[1:]


def test_a_step_wraps_only_between_terms_at_every_width(qapp):
    run = evaluate(parse("x1 = 2\nw11 = -3\nh = tanh(x1 * w11)\nloss = (h - 1) ** 2"))
    font = fonts_for(THEMES["light"]).caption
    widest = max(QFontMetricsF(font).horizontalAdvance(t)
                 for i in range(run.timeline.last + 1) for t in caption(run, i).split())
    for i in range(run.timeline.backward_start, run.timeline.last + 1):
        shown = unbroken(caption(run, i))
        inside = {k for m in PARTIAL.finditer(shown) for k in range(m.start() + 1, m.end())}
        assert inside  # the partials are there to be kept whole
        for width in range(int(widest) + 1, 900, 13):
            assert not inside & set(_line_starts(shown, font, width)), (i, width)


def test_the_joiner_takes_no_room_and_the_caption_keeps_the_plain_text(qapp):
    font = QFont("DejaVu Sans", 12)
    m = QFontMetricsF(font)
    assert m.horizontalAdvance(unbroken("∂e/∂c")) == m.horizontalAdvance("∂e/∂c")
    item = CaptionItem(THEMES["light"], fonts_for(THEMES["light"]), 300)
    item.set_text("∂e/∂c += ∂e/∂e · ∂(c·d)/∂c")
    assert item.text() == "∂e/∂c += ∂e/∂e · ∂(c·d)/∂c"
