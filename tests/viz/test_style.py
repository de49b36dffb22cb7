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


# Colour-vision simulation of every chart (CIEDE2000 under simulated dichromacy): tests/viz/test_chart_accessibility.py
