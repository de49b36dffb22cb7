"""The shared accessible chart convention: palette, text alternatives, dollar escaping."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from mhsm_lessons.viz.style import (FAVORABLE_COLOR, UNFAVORABLE_COLOR, Chart, as_chart, escape_dollars,  # noqa: E402
                                    money, series_style)


def test_chart_html_carries_alt_text_and_caption_and_closes_the_figure():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    chart = as_chart(ax, alt='Line rising from 1 to 3 "units"', caption="Rose by $2 <fast>.")
    assert isinstance(chart, Chart) and chart.png.startswith(b"\x89PNG")
    page = chart._repr_html_()
    assert 'alt="Line rising from 1 to 3 &quot;units&quot;"' in page
    assert "<figcaption" in page and "Rose by \\$2 &lt;fast&gt;." in page  # escaped: JupyterLab typesets $...$
    assert fig.number not in plt.get_fignums()
    assert repr(chart) == 'Chart: Line rising from 1 to 3 "units"\nRose by $2 <fast>.'


def test_chart_without_alt_text_is_refused():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="needs both a text alternative"):
        as_chart(ax, alt=" ", caption="x")
    plt.close("all")


def test_money_and_dollar_escaping():
    assert money(1234.6) == "$1,235"
    assert money(-0.4) == "-$0"
    assert money(99.456, 2) == "$99.46"
    assert escape_dollars("$1,200 and $1,500") == "\\$1,200 and \\$1,500"
    assert escape_dollars("already \\$5") == "already \\$5"


def test_series_styles_differ_in_more_than_colour_and_favourable_pair_is_not_red_green():
    a, b = series_style(0), series_style(1)
    assert a["linestyle"] != b["linestyle"] and a["marker"] != b["marker"]
    assert (FAVORABLE_COLOR, UNFAVORABLE_COLOR) == ("#0072B2", "#D55E00")


# Colour-vision simulation: Machado, Oliveira & Fernandes (2009), severity 1.0, applied in linear sRGB.
_CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
#: CIE76 colour difference (Euclidean distance in CIELAB, D65) a meaning-carrying pair must keep under every
#: simulated dichromacy; 20 is well beyond "clearly different at a glance" (a just-noticeable difference is ~2.3).
MIN_DELTA_E = 20.0


def _linear(c):
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb_linear):
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb_linear)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _seen(hex_colour, kind=None):
    rgb = [_linear(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5)]
    if kind:
        rgb = [sum(m * c for m, c in zip(row, rgb)) for row in _CVD[kind]]
    return _lab(rgb)


def _delta_e(a, b, kind=None):
    return sum((p - q) ** 2 for p, q in zip(_seen(a, kind), _seen(b, kind))) ** 0.5


@pytest.mark.parametrize("kind", [None, *_CVD])
def test_meaning_carrying_colour_pairs_stay_distinct_under_colour_vision_deficiency(kind):
    from mhsm_lessons.viz.budgeting import HPPD_COLORS, NEUTRAL_COLOR

    pairs = [(FAVORABLE_COLOR, UNFAVORABLE_COLOR), (NEUTRAL_COLOR, FAVORABLE_COLOR), (NEUTRAL_COLOR, UNFAVORABLE_COLOR)]
    pairs += [(HPPD_COLORS[i], HPPD_COLORS[j]) for i in range(3) for j in range(i + 1, 3)]  # the HPPD chart's lines
    for a, b in pairs:
        assert _delta_e(a, b, kind) >= MIN_DELTA_E, (kind, a, b, round(_delta_e(a, b, kind), 1))


def test_the_old_red_green_pair_fails_the_same_simulation():
    """The check above can fail: Module 01's former green/red pair collapses for a deuteranope."""
    assert _delta_e("#2e7d32", "#c62828", "deuteranopia") < MIN_DELTA_E
