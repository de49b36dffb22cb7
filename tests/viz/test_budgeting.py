"""The explorers recompute when sliders move; charts draw what the report says and tolerate unanswered cells."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from mhsm_lessons import finance, load_dataset  # noqa: E402
from mhsm_lessons.viz.budgeting import FAVORABLE_COLOR, UNFAVORABLE_COLOR, plot_variance_bridge, plot_variance_report  # noqa: E402
from mhsm_lessons.viz.budgeting import break_even_explorer, variance_explorer  # noqa: E402


def test_variance_explorer_starts_at_budget_and_follows_each_slider():
    box = variance_explorer(850, 5.0, 46.5)
    days, hppd, rate, _, table = box.children
    assert table.value.count("$0") == 4  # all four variances are zero at budget
    days.value = 900  # volume variance only: 50 x 5.0 x 46.5
    assert "<td>Volume variance</td><td style='text-align:right'>$11,625</td><td>Unfavorable</td>" in table.value
    hppd.value = 5.2  # quantity: (900 x 5.2 - 900 x 5.0) x 46.5 = 8,370
    assert "<td>Quantity variance</td><td style='text-align:right'>$8,370</td>" in table.value
    rate.value = 44.5  # price: (44.5 - 46.5) x 4,680 = -9,360, Favorable
    assert "<td>Price variance</td><td style='text-align:right'>-$9,360</td><td>Favorable</td>" in table.value


def test_break_even_explorer_text_and_no_break_even_case():
    box = break_even_explorer(1_522_500, 2450, 420, 850)
    rev, var, fixed, out = box.children
    assert out.value == ("Contribution margin: <b>$2,030</b> per unit. Break-even: <b>750 patient days</b> against "
                         "850 planned; margin of safety <b>11.8%</b>.")
    var.value = 2450
    assert out.value == ("<b>No break-even:</b> variable cost per unit is at or above net revenue per unit, so every "
                         "extra unit loses money.")


def test_variance_report_chart_colours_match_labels(capsys):
    report = finance.variance_report(load_dataset("medsurg_statement"), "2026-09")
    ax = plot_variance_report(report)
    shown = report[report["line_item"] != "Allocated overhead"].iloc[::-1]
    assert [round(p.get_width(), 2) for p in ax.patches] == [round(v, 2) for v in shown["variance"]]
    colors = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert colors == [FAVORABLE_COLOR if lab == "Favorable" else UNFAVORABLE_COLOR for lab in shown["label"]]
    assert plot_variance_report(...) is None
    assert plot_variance_report(report[["line_item"]]) is None
    assert capsys.readouterr().out == (
        "Complete the variance report first; the chart will appear here when it holds your answer.\n"
        "The chart needs a DataFrame with the columns line_item, variance and label.\n")


def test_bridge_steps_add_up():
    r = finance.labor_variances(850, 900, 5.0, 46.5, 4600, 220_800)
    ax = plot_variance_bridge(r)
    bars = ax.patches
    assert bars[1].get_y() == pytest.approx(r.static_budget)
    assert bars[3].get_y() + bars[3].get_height() == pytest.approx(r.actual)
