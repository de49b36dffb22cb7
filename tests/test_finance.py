"""Budgeting reference calculations (DOMAIN.md section 1): hand-computed values, identities, clear errors."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsm_lessons import finance, load_dataset


def test_static_flexible_and_three_variances_by_hand():
    # Vb 850 patient days, Va 900, qb 5.0 worked HPPD, pb $46.50; Qa 4,600 h costing $220,800 (pa = $48.00).
    r = finance.labor_variances(850, 900, 5.0, 46.5, 4600, 220_800)
    assert r.static_budget == 850 * 5.0 * 46.5 == 197_625
    assert r.flexible_budget == 900 * 5.0 * 46.5 == 209_250
    assert r.volume == (900 - 850) * 5.0 * 46.5 == 11_625
    assert r.quantity == pytest.approx((4600 - 900 * 5.0) * 46.5)  # 4,650
    assert r.price == pytest.approx((48.0 - 46.5) * 4600)  # 6,900
    assert r.total == 220_800 - 197_625
    frame = r.to_frame()
    assert frame["label"].tolist() == ["Unfavorable"] * 4


@settings(max_examples=200, deadline=None)
@given(vb=st.floats(1, 5000), va=st.floats(0, 5000), qb=st.floats(0, 30), pb=st.floats(0, 200),
       qa=st.floats(0.01, 100_000), pa=st.floats(0, 300))
def test_volume_plus_quantity_plus_price_equals_total(vb, va, qb, pb, qa, pa):
    r = finance.labor_variances(vb, va, qb, pb, qa, qa * pa)
    assert r.volume + r.quantity + r.price == pytest.approx(r.total, abs=1e-6 * max(1.0, abs(r.actual), r.static_budget))


def test_fixed_cost_has_no_volume_variance():
    # A fixed post (unit secretary): qb is per month, volume does not change it. Flexing at Va = Vb gives 0.
    r = finance.labor_variances(480, 480, 1.0, 21.5, 490, 490 * 21.5)
    assert r.volume == 0 and r.price == pytest.approx(0.0)


@pytest.mark.parametrize("call, message", [
    (lambda: finance.labor_variances(0, 900, 5, 46.5, 4600, 1),
     "budget_volume is 0, so there is no budgeted cost per unit of output to flex. Check that you passed budgeted "
     "output volume (patient days, visits), not hours."),
    (lambda: finance.labor_variances(850, 900, 5, 46.5, -1, 1), "actual_input must be at least 0; you gave -1. "
                                                               "Check the sign and the units of this input."),
    (lambda: finance.labor_variances(850, 900, 5, 46.5, 0, 100),
     "actual_input is 0 but actual_cost is 100: there is no actual price per unit. Check that the hours and the "
     "dollars come from the same rows."),
    (lambda: finance.hppd(100, 0), "patient_days must be greater than 0; you gave 0. A zero or negative patient_days "
                                   "has no meaning here."),
    (lambda: finance.hppd("100", 5), "hours must be a number; you gave str '100'."),
    (lambda: finance.productive_share(2100, 2000),
     "worked_hours (2100) cannot exceed paid_hours (2000) for employed staff. Leave agency (contract) hours out: the "
     "hospital does not pay them as wages."),
    (lambda: finance.break_even_volume(100, 50, 60),
     "There is no break-even volume: the contribution margin per unit is -10.00 (net revenue per unit minus variable "
     "cost per unit), so each extra unit loses money."),
    (lambda: finance.variance_label(5, "asset"), "line_type must be 'expense' or 'revenue'; you gave 'asset'."),
    (lambda: finance.days_in_month("Sept"), "month must look like 'YYYY-MM' (for example '2026-09'); you gave 'Sept'."),
])
def test_impossible_input_gets_a_clear_error(call, message):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert str(info.value) == message


def test_labels_follow_the_course_convention():
    assert finance.variance_label(100, "expense") == "Unfavorable"
    assert finance.variance_label(-100, "expense") == "Favorable"
    assert finance.variance_label(100, "revenue") == "Favorable"
    assert finance.variance_label(-100, "revenue") == "Unfavorable"
    assert finance.variance_label(0, "revenue") == "On budget"


def test_labor_formulas_match_domain_arithmetic():
    assert finance.fte(2080) == 1.0
    assert finance.fte(2080 * 30 / 365, days=30) == pytest.approx(1.0)
    assert finance.productive_fte_from_hppd(24, 1) == pytest.approx(8760 / 2080)  # a 24/7 post, 4.21 FTE
    assert round(finance.productive_fte_from_hppd(24, 1), 2) == 4.21
    assert finance.paid_fte_from_hppd(24, 1) == pytest.approx(8760 / (2080 - 224))
    assert finance.hppd(6885, 850) == pytest.approx(8.1)
    assert finance.break_even_volume(1_522_500, 2450, 420) == pytest.approx(1_522_500 / 2030)


def test_variance_report_and_mismatched_period_error():
    statement = load_dataset("medsurg_statement")
    report = finance.variance_report(statement, "2026-09")
    rows = statement[statement["month"] == "2026-09"]
    assert len(report) == len(rows) == 10
    # Judged against the flexible budget: variable lines flex by actual / budgeted patient days, fixed lines do not.
    ratio = rows["actual_patient_days"].to_numpy() / rows["budget_patient_days"].to_numpy()
    variable = (rows["cost_behavior"] == "variable").to_numpy()
    flexible = rows["budget"].to_numpy() * (ratio * variable + (1 - variable))
    assert report["flexible_budget"].to_numpy() == pytest.approx(flexible)
    assert (report["variance"] == report["actual"] - report["flexible_budget"]).all()
    assert (report["volume_variance"] == report["flexible_budget"] - report["budget"]).all()
    fixed = report[~variable]
    assert (fixed["flexible_budget"] == fixed["budget"]).all() and (fixed["volume_variance"] == 0).all()
    with pytest.raises(ValueError) as info:
        finance.variance_report(statement, "2027-01")
    assert str(info.value) == ("statement has no rows for month '2027-01'. It covers 2024-10 to 2026-09; give the "
                               "month as 'YYYY-MM'.")
    doubled = pd.concat([rows, rows])
    with pytest.raises(ValueError, match="more than one row for 'Net patient service revenue' in 2026-09"):
        finance.variance_report(doubled, "2026-09")
    with pytest.raises(ValueError, match="statement is missing the column"):
        finance.variance_report(statement.drop(columns="budget"), "2026-09")
