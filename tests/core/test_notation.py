"""Numbers for people: rounded to what matters, never 20.000000000000004."""
import pytest

from gradviz.core.notation import format_number, full_precision, version_label


@pytest.mark.parametrize("x, text", [
    (20.000000000000004, "20"), (0.1 + 0.2, "0.3"), (0.5, "0.5"), (-1.23456e-05, "−1.2346e−05"),
    (4, "4"), (9.0, "9"), (1e308, "1e+308"), (1e-320, "1e−320"), (5e-324, "5e−324"),
    (-2.5e-320, "−2.5e−320"), (123456789.0, "1.2346e+08"), (0.0, "0"), (-0.0, "0"),
    (float("inf"), "∞"), (float("nan"), "nan"), (None, "?"),
])
def test_format_number(x, text):
    assert format_number(x) == text


def test_full_precision_and_versions():
    assert full_precision(0.1 + 0.2) == "0.30000000000000004"
    assert [version_label("c", k) for k in range(3)] == ["c", "c₁", "c₂"]
    assert version_label("c", 12) == "c₁₂"
