"""The explorers recompute when sliders move and open at the given numbers; charts follow the accessible convention."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from mhsm_lessons import finance, load_dataset  # noqa: E402
from mhsm_lessons.viz.budgeting import (FAVORABLE_COLOR, UNFAVORABLE_COLOR, plot_hppd_trend,  # noqa: E402
                                        plot_variance_bridge, plot_variance_report)
from mhsm_lessons.viz.budgeting import break_even_explorer, variance_explorer  # noqa: E402
from mhsm_lessons.viz.style import UNFAVORABLE_HATCH, Chart  # noqa: E402


def row(name, value, label=""):
    if label:
        value = (f"{value} ({label})" if label in ("Favorable", "Unfavorable", "On budget")
                 else f"{value}: {label}" if value == "none" else f"{value} {label}")
    return f"<tr><th scope='row' style='text-align:left'>{name}</th><td>{value}</td></tr>"


def test_variance_explorer_starts_at_budget_and_follows_each_slider():
    box = variance_explorer(850, 5.0, 46.5)
    days, hppd, rate, _, table = box.children
    assert table.value.count("$0 (On budget)<") == 4  # all four variances are zero at budget
    days.value = 900  # volume variance only: 50 x 5.0 x 46.5
    assert row("Volume variance", "$11,625", "Unfavorable") in table.value
    hppd.value = 5.2  # quantity: (900 x 5.2 - 900 x 5.0) x 46.5 = 8,370
    assert row("Quantity variance", "$8,370", "Unfavorable") in table.value
    rate.value = 44.5  # price: (44.5 - 46.5) x 4,680 = -9,360, Favorable
    assert row("Price variance", "-$9,360", "Favorable") in table.value
    assert row("Actual hourly rate", "$44.50") in table.value
    assert "mhsm-results" in table._dom_classes and "<caption" in table.value  # a polite live region in JupyterLab


@pytest.mark.parametrize("student_id", [None, "s101", "s202"])
def test_explorers_open_exactly_at_the_students_numbers(student_id):
    """No snapping: each slider's value is its starting number and lies on its own step grid."""
    labor = load_dataset("medsurg_labor", student_id)
    rn = labor[(labor["month"] == "2026-09") & (labor["job_class"] == "RN")].iloc[0]
    actual_hppd = rn["actual_worked_hours"] / rn["actual_patient_days"]
    actual_rate = rn["actual_worked_cost"] / rn["actual_worked_hours"]
    box = variance_explorer(rn["budget_patient_days"], rn["budget_worked_hppd"], rn["budget_hourly_rate"],
                            rn["actual_patient_days"], actual_hppd, actual_rate)
    sliders = box.children[:3]
    for slider, start in zip(sliders, (rn["actual_patient_days"], actual_hppd, actual_rate)):
        assert slider.value == pytest.approx(start)
        steps = (slider.value - slider.min) / slider.step
        assert steps == pytest.approx(round(steps), abs=1e-6)
        assert slider.readout is False and slider.description
    state = finance.labor_variances(rn["budget_patient_days"], rn["actual_patient_days"], rn["budget_worked_hppd"],
                                    rn["budget_hourly_rate"], rn["actual_worked_hours"], rn["actual_worked_cost"])
    assert f"{abs(state.price):,.0f}" in box.children[-1].value
    be = break_even_explorer(15_123_456.78, 2525.74, 433.53, 9125)
    for slider, start in zip(be.children[:3], (2525.74, 433.53, 15_123_456.78)):
        assert slider.value == pytest.approx(start)
        assert (slider.value - slider.min) / slider.step == pytest.approx(round((slider.value - slider.min)
                                                                                / slider.step), abs=1e-6)


def test_unrun_explorer_reads_as_a_sentence_not_a_widget_repr():
    box = variance_explorer(850, 5.0, 46.5)
    assert repr(box) == "Interactive explorer: run this cell in JupyterLab to use its sliders."
    assert box._repr_mimebundle_()["text/plain"] == repr(box)


def test_break_even_explorer_text_and_no_break_even_case():
    box = break_even_explorer(1_522_500, 2450, 420, 850)
    rev, var, fixed, out = box.children
    assert row("Contribution margin per unit", "$2,030.00") in out.value
    assert row("Break-even", "750 patient days", "against 850 planned") in out.value
    assert row("Margin of safety", "11.8%", "of planned volume above break-even") in out.value
    var.value = 2450
    assert row("Break-even", "none", "variable cost per unit is at or above net revenue per unit, so every extra unit "
                                     "loses money") in out.value


def test_variance_report_chart_marks_meaning_by_label_and_hatch_not_colour_alone(capsys):
    report = finance.variance_report(load_dataset("medsurg_statement"), "2026-09")
    chart = plot_variance_report(report)
    assert isinstance(chart, Chart)
    ax = chart.ax
    shown = report[report["line_item"] != "Allocated overhead"].iloc[::-1]
    assert [round(p.get_width(), 2) for p in ax.patches] == [round(v, 2) for v in shown["variance"]]
    colors = [matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert colors == [FAVORABLE_COLOR if lab == "Favorable" else UNFAVORABLE_COLOR for lab in shown["label"]]
    assert [p.get_hatch() for p in ax.patches] == [None if lab == "Favorable" else UNFAVORABLE_HATCH
                                                   for lab in shown["label"]]
    texts = [t.get_text() for t in ax.texts]
    assert texts == [f"{'F' if lab == 'Favorable' else 'U'} {'-' if v < 0 else ''}${abs(v):,.0f}"
                     for v, lab in zip(shown["variance"], shown["label"])]
    top = shown.loc[shown["variance"].abs().idxmax()]
    assert chart.caption.startswith(f"The largest variance is {top['line_item']}")
    for item in shown["line_item"]:
        assert item in chart.alt
    assert plot_variance_report(...) is None
    assert plot_variance_report(report[["line_item"]]) is None
    assert capsys.readouterr().out == (
        "Complete the variance report first; the chart will appear here when it holds your answer.\n"
        "The chart needs a DataFrame with the columns line_item, variance and label.\n")


def test_charts_x_labels_do_not_collide():
    report = finance.variance_report(load_dataset("medsurg_statement"), "2026-09")
    for chart in (plot_variance_report(report), plot_hppd_trend(_monthly())):
        fig = chart.figure
        fig.canvas.draw()
        boxes = [t.get_window_extent() for t in chart.ax.get_xticklabels() if t.get_text()]
        assert all(not a.overlaps(b) for a, b in zip(boxes, boxes[1:]))


def _monthly():
    labor = load_dataset("medsurg_labor")
    rows = labor[labor["job_class"].isin(["RN", "CNA"])].groupby("month").agg(
        worked=("actual_worked_hours", "sum"), paid=("actual_paid_hours", "sum"),
        budget=("budget_worked_hours", "sum"), days=("actual_patient_days", "first"),
        bdays=("budget_patient_days", "first"))
    return pd.DataFrame({"worked_hppd": rows["worked"] / rows["days"],
                         "budget_worked_hppd": rows["budget"] / rows["bdays"], "paid_hppd": rows["paid"] / rows["days"]})


def test_hppd_chart_differs_by_line_style_and_has_a_text_alternative():
    monthly = _monthly()
    chart = plot_hppd_trend(monthly)
    lines = chart.ax.get_lines()
    assert len({line.get_linestyle() for line in lines}) == 3 and len({line.get_marker() for line in lines}) == 3
    from mhsm_lessons.viz.budgeting import HPPD_COLORS
    assert [matplotlib.colors.to_hex(line.get_color()).upper() for line in lines] == list(HPPD_COLORS)
    last = monthly.iloc[-1]
    assert f"{last['worked_hppd']:.2f}" in chart.caption and f"{last['budget_worked_hppd']:.2f}" in chart.caption


def test_bridge_steps_add_up_and_are_labelled():
    r = finance.labor_variances(850, 900, 5.0, 46.5, 4600, 220_800)
    chart = plot_variance_bridge(r)
    bars = chart.ax.patches
    assert bars[1].get_y() == pytest.approx(r.static_budget)
    assert bars[3].get_y() + bars[3].get_height() == pytest.approx(r.actual)
    assert [t.get_text() for t in chart.ax.texts] == ["$197,625", "U $11,625", "U $4,650", "U $6,900", "$220,800"]
    assert chart.caption == ("Actual $220,800 against a static budget of $197,625: volume $11,625 (U), quantity "
                             "$4,650 (U), price $6,900 (U).")


def test_explorer_display_names_its_sliders_and_shows_no_script_repr():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    with capture_output() as captured:
        from IPython.display import display
        display(variance_explorer(850, 5.0, 46.5))
    bundles = [o.data for o in captured.outputs]
    assert bundles[0]["text/plain"] == "Interactive explorer: run this cell in JupyterLab to use its sliders."
    assert "application/vnd.jupyter.widget-view+json" in bundles[0]
    assert bundles[1]["text/plain"] == "" and "aria-label" in bundles[1]["application/javascript"]
