"""Tests for mhsm_lessons.viz.revenue_cycle: every chart is an accessible Chart whose text matches its numbers."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from mhsm_lessons import load_dataset, spc
from mhsm_lessons import revenue_cycle as rc
from mhsm_lessons.viz import revenue_cycle as viz
from mhsm_lessons.viz.style import Chart

PAYER = "Summit Senior Advantage"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def claims():
    return load_dataset("rc_claims")


def _is_accessible(chart):
    assert isinstance(chart, Chart)
    assert chart.alt.strip() and chart.caption.strip()
    assert chart.png.startswith(b"\x89PNG")
    page = chart._repr_html_()
    assert page.startswith("<figure") and 'alt="' in page and "<figcaption" in page


def test_auth_denial_p_chart(claims):
    weeks = rc.weekly_denials(claims, "authorization", payer=PAYER, start="2025-01-06", end="2025-10-31")
    chart = spc.p_chart(weeks["denials"], weeks["remitted"], baseline=16)
    drawn = viz.plot_auth_denial_p_chart(weeks, chart, PAYER)
    _is_accessible(drawn)
    data = [line for line in drawn.ax.get_lines() if line.get_label() == "data"][0]
    np.testing.assert_allclose(data.get_ydata(), weeks["denials"] / weeks["remitted"])
    above = int((chart.points["value"] > chart.points["ucl"]).sum())
    assert drawn.caption.startswith(f"{above} of {len(weeks)} weeks are above the upper control limit: from the "
                                    "week of 28 Apr 2025 to the week of 4 Aug 2025")
    assert f"baseline of {100 * chart.centre:.2f}%" in drawn.caption
    assert "computed from the first 16 weeks" in drawn.alt
    with pytest.raises(ValueError, match="weeks has 3 rows but the chart has 43 points"):
        viz.plot_auth_denial_p_chart(weeks.head(3), chart, PAYER)


def test_denial_pareto_shows_count_and_dollars(claims):
    drawn = viz.plot_denial_pareto(claims)
    _is_accessible(drawn)
    count, dollars = rc.denial_pareto(claims), rc.denial_pareto(claims, weight="dollars")
    left, right = drawn.figure.axes[0], drawn.figure.axes[1]
    assert [round(p.get_height()) for p in left.patches] == count["denials"].tolist()
    assert [round(p.get_height(), 2) for p in right.patches] == pytest.approx(dollars["denials"].tolist())
    assert drawn.caption == (
        f"By count the top denial category is missing information ({100 * count['share'].iloc[0]:.1f}% of denials); "
        f"by dollars it is authorization ({100 * dollars['share'].iloc[0]:.1f}% of denied charges). Few claims, many "
        "dollars: rank by dollars when the question is cash.")
    assert "unclassified" in drawn.alt  # the CO-B7 denials are shown, not hidden


def test_ar_aging_by_payer_adds_up(claims):
    drawn = viz.plot_ar_aging_by_payer(claims)
    _is_accessible(drawn)
    total = sum(p.get_width() for p in drawn.ax.patches)
    assert total == pytest.approx(rc.ar_balances(claims, "2025-12-31").sum(), abs=1.0)
    overall = rc.aged_ar_share(claims, "2025-12-31")
    assert f"Overall {100 * overall:.1f}% of billed A/R is over 90 days." in drawn.caption
    assert len({p.get_hatch() for p in drawn.ax.patches}) == 5  # each bucket has its own hatch, not colour only


def test_revenue_leakage_waterfall(claims):
    steps = rc.revenue_leakage(claims)
    drawn = viz.plot_revenue_leakage(claims)
    _is_accessible(drawn)
    heights = [p.get_height() for p in drawn.ax.patches]
    assert heights == pytest.approx(steps.tolist(), abs=0.01)
    # Gross = every deduction + cash, to the cent.
    assert steps.iloc[0] == pytest.approx(steps.iloc[1:].sum(), abs=0.05)
    allowed = steps["gross charges"] - steps["contractual adjustments"]
    assert drawn.caption.startswith(f"Of ${allowed:,.0f} the contracts allowed, ${steps['cash collected']:,.0f} "
                                    "is cash")


def test_revenue_leakage_hand_example():
    import pandas as pd

    claims = pd.DataFrame({"charge_amount": [300.0, 200.0, 100.0], "allowed_amount": [120.0, 90.0, 50.0],
                           "payment_date": ["2025-02-01", None, "2025-02-02"], "paid_amount": [90.0, 0.0, 40.0],
                           "patient_resp_amount": [20.0, 0.0, 10.0], "patient_paid_amount": [20.0, 0.0, 0.0],
                           "denial_writeoff_amount": [0.0, 90.0, 0.0], "bad_debt_amount": [0.0, 0.0, 0.0]})
    # Claim 1: payer owed 100, paid 90 (10 underpaid). Claim 3: patient still owes 10 (in A/R).
    assert rc.revenue_leakage(claims).tolist() == [600.0, 340.0, 90.0, 0.0, 10.0, 10.0, 150.0]


def test_roi_state_hand_example():
    base = {"categories": {"authorization": {"denials": 200, "average_allowed": 500.0},
                           "coding": {"denials": 100, "average_allowed": 200.0}},
            "appeal_success": 0.8, "days_to_cash": 50.0, "npsr": 5_000_000.0, "days": 365}
    state = viz.denial_prevention_state(base, {"authorization": 0.5, "coding": 0.2}, cost_per_rework=60,
                                        appeal_success=0.75, minutes_per_rework=30)
    assert state["prevented"] == 120
    assert state["cash_recovered"] == pytest.approx(100 * 500 * 0.25 + 20 * 200 * 0.25)
    assert state["rework_saved"] == 7200
    assert state["hours_saved"] == 60 and state["fte_saved"] == pytest.approx(60 / 2080)
    delayed = 100 * 500 * 0.75 + 20 * 200 * 0.75
    assert state["days_in_ar_change"] == pytest.approx(-(delayed * 50 / 365) / (5_000_000 / 365))
    zero = viz.denial_prevention_state(base, {}, 60, 0.75, 30)
    assert zero["prevented"] == 0 and zero["days_in_ar_change"] == 0


def test_roi_baseline_from_the_data(claims):
    base = viz.denial_prevention_baseline(claims)
    rows = claims[claims["service_date"].str.startswith("2025")]
    auth = rows[rows["denial_category"] == "authorization"]
    assert base["categories"]["authorization"]["denials"] == len(auth)
    assert base["categories"]["authorization"]["average_allowed"] == pytest.approx(auth["allowed_amount"].mean())
    assert base["npsr"] == pytest.approx(rows["allowed_amount"].sum())
    assert 0 < base["appeal_success"] < 1 and base["days_to_cash"] > 14


def test_explorer_controls_are_labelled_and_move_the_results(claims):
    import ipywidgets as widgets

    box = viz.denial_prevention_explorer(viz.denial_prevention_baseline(claims))
    sliders = [c for c in box.children if isinstance(c, widgets.IntSlider)]
    assert [s.description for s in sliders] == [
        "Authorization denials prevented (%)", "Eligibility denials prevented (%)", "Coding denials prevented (%)",
        "Cost per rework ($)", "Appeal success rate (%)", "Minutes of staff time per rework"]
    # The description is the visible label, and it has room to show in full.
    assert all(s.style.description_width == "min(260px, 100% - 4px)" for s in sliders)  # never wider than the screen
    out = box.children[-1]
    assert ("<th scope='row' style='text-align:left'>Cash recovered a year (write-offs avoided)</th>"
            "<td style='text-align:right'><b>$0</b>") in out.value
    assert "<caption" in out.value
    sliders[0].value = 50
    assert "<b>$0</b>" not in out.value.split("Cash recovered")[1].split("</tr>")[0]
    assert "-" in out.value.split("Change in net days in A/R")[1]
