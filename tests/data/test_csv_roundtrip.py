"""Every course dataset survives a trip through CSV and plain ``pandas.read_csv`` (issue 16).

A student or an instructor who saves a dataset and reads it back with ``pd.read_csv`` gets float64 codes with
blanks (a CARC of 197 becomes 197.0), object columns of True/False with NaN, NaN for pandas.NA and text for
categoricals. Every reference function that takes the dataset must give the same result on that frame as on the
original. Two layers: every lab question's expected answer and every misconception's value (the course's own use
of each dataset), and direct calls of the reference functions on each dataset.
"""
from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import careers, finance, list_datasets, load_dataset, quality, revenue_cycle as rc, spc
from mhsm_lessons.labs import LABS
from mhsm_lessons.practice.session import Lab

DATASETS = list_datasets()["name"].tolist()


def roundtrip(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(frame.to_csv(index=False)))


def same(a, b) -> None:
    """Results are equal (numbers to 1e-9 relative, frames and series value by value, NaN equal to NaN)."""
    if isinstance(a, pd.DataFrame):
        assert list(a.columns) == list(b.columns)
        for col in a.columns:
            same(a[col].reset_index(drop=True), b[col].reset_index(drop=True))
        return
    if isinstance(a, pd.Series):
        assert len(a) == len(b)
        for x, y in zip(a.tolist(), b.tolist()):
            same(x, y)
        return
    if isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
        return
    if isinstance(a, spc.ControlChartResult):
        same(a.points[["value", "cl", "lcl", "ucl", "signal"]], b.points[["value", "cl", "lcl", "ucl", "signal"]])
        assert a.notes == b.notes
        return
    if isinstance(a, spc.RunChartResult):
        assert (a.median, a.n_useful, a.signal) == (b.median, b.n_useful, b.signal)
        return
    if hasattr(a, "__dataclass_fields__"):
        for name in a.__dataclass_fields__:
            same(getattr(a, name), getattr(b, name))
        return
    if isinstance(a, (bool, np.bool_)) or isinstance(b, (bool, np.bool_)):
        assert bool(a) == bool(b)
        return
    if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
        if math.isnan(float(a)):
            assert math.isnan(float(b))
        else:
            assert float(a) == pytest.approx(float(b), rel=1e-9, abs=1e-9)
        return
    if a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA:
        assert b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b))
        return
    assert a == b


def test_every_dataset_changes_shape_on_the_way_through_csv():
    """The round trip really changes dtypes (else the tests below would prove nothing)."""
    claims = roundtrip(load_dataset("rc_claims"))
    assert claims["initial_denial"].dtype == object                       # True/False with NaN
    outlook = roundtrip(load_dataset("bls_mhsm_outlook"))
    assert outlook["new_jobs"].dtype == np.float64                        # nullable Int64 -> float64 with NaN


def test_numeric_reason_codes_read_as_floats_classify_the_same():
    """Without an alphanumeric code (B7) in the file, read_csv turns the CARC column into float64 (197.0)."""
    claims = load_dataset("rc_claims", "s101")
    numeric = claims[claims["carc_code"].fillna("0").str.isdigit()]
    back = roundtrip(numeric)
    assert back["carc_code"].dtype == np.float64
    same(rc.denial_pareto(numeric, by="carc"), rc.denial_pareto(back, by="carc"))
    same(rc.classify_adjustments(numeric), rc.classify_adjustments(back))


def _lab_values(lab_id: str, frames: dict | None):
    lab = Lab(LABS[lab_id], "s101", check_log=False)
    if frames is not None:
        lab._frames.update(frames)
    out = {}
    for question in lab.spec.questions:
        out[question.qid] = question.expected(lab)
        for m in question.misconceptions:
            out[f"{question.qid}:{m.key}"] = m.value(lab)
    return out


@pytest.mark.parametrize("lab_id", sorted(LABS))
def test_every_lab_answer_is_the_same_from_a_csv_round_trip(lab_id):
    spec = LABS[lab_id]
    frames = {name: roundtrip(load_dataset(name, "s101")) for name in spec.datasets}
    want, got = _lab_values(lab_id, None), _lab_values(lab_id, frames)
    assert want.keys() == got.keys()
    for key in want:
        try:
            same(want[key], got[key])
        except AssertionError as exc:
            raise AssertionError(f"{lab_id} {key}: {want[key]!r} != {got[key]!r}") from exc


def _claims_uses(c):
    return [rc.initial_denial_rate(c), rc.initial_denial_rate(c, by="dollars"), rc.denial_pareto(c),
            rc.denial_pareto(c, by="carc", weight="dollars"), rc.clean_claim_rate(c), rc.claims_net_collection_rate(c),
            rc.payer_mix(c), rc.payer_mix(c, by="payments", level="payer"), rc.charge_lag_summary(c),
            rc.charge_lag_summary(c, by="service_line"), rc.ar_aging(c, "2025-12-31"),
            rc.aged_ar_share(c, "2025-12-31", basis="billing", balance="net"), rc.weekly_denials(c),
            rc.weekly_denials(c, "any"), rc.appeal_overturn_rate(c), rc.appeal_overturn_rate(c, "authorization"),
            rc.underpayments(c, by="payer"), rc.revenue_leakage(c), rc.classify_adjustments(c),
            rc.ar_balances(c, "2025-12-31", include_unbilled=True).sum()]


def _snapshot_uses(s):
    last = str(s["month"].iloc[-1])
    return [rc.snapshot_net_days_in_ar(s, last), rc.snapshot_days_in_dnfb(s, last, window_months=1),
            rc.net_days_in_ar(s["net_ar"].iloc[-1], s["net_patient_revenue"].iloc[-3:], s["days_in_month"].iloc[-3:]),
            rc.cash_collection_rate(s["cash_collections"].sum(), s["net_patient_revenue"].sum()),
            rc.denial_writeoff_rate(s["denial_writeoffs"].sum(), s["net_patient_revenue"].sum()),
            rc.net_collection_rate(s["cash_collections"].sum(), s["gross_charges"].sum(),
                                   s["contractual_adjustments"].sum())]


def _hrrp_uses(d):
    t = quality.readmissions_by_condition(d)
    pay = d.groupby("condition")["base_drg_payment"].sum().loc[t.index]
    factor = quality.hrrp_payment_adjustment_factor(pay, t["excess_readmission_ratio"],
                                                    d.groupby("condition")["peer_median_err"].first().loc[t.index],
                                                    d["total_base_operating_payments"].iloc[0],
                                                    neutrality_modifier=d["neutrality_modifier"].iloc[0],
                                                    discharges=t["discharges"])
    return [t, float(factor), factor.left_out,
            quality.hrrp_dollars_at_risk(float(factor), d["fy_base_operating_payments"].iloc[0]),
            quality.readmission_rate(t["readmissions"], t["discharges"])]


def _hai_uses(h):
    icu = h[h["unit_type"] == h["unit_type"].iloc[0]]
    sir = quality.standardized_infection_ratio(icu["clabsi"].sum(), icu["clabsi_predicted"].sum())
    return [quality.clabsi_rate(h["clabsi"], h["central_line_days"]),
            quality.cauti_rate(h["cauti"], h["urinary_catheter_days"]),
            quality.device_utilization_ratio(h["central_line_days"], h["patient_days"]),
            sir.sir, sir.message, quality.sir_confidence_interval(icu["clabsi"].sum(), icu["clabsi_predicted"].sum()),
            spc.u_chart(icu["clabsi"], icu["central_line_days"])]


def _falls_uses(f):
    unit = f[f["unit"] == f["unit"].iloc[0]]
    return [quality.falls_rate(f["falls"], f["patient_days"]), quality.injury_falls_rate(f["injury_falls"],
                                                                                         f["patient_days"]),
            quality.funnel_limits(f.groupby("unit")["patient_days"].sum(), 3.0),
            spc.u_chart(unit["falls"], unit["patient_days"]), spc.c_chart(unit["falls"])]


USES = {
    "medsurg_labor": lambda d: [finance.hppd(d["actual_worked_hours"].sum(), d["actual_patient_days"].sum()),
                                finance.productive_share(d["actual_worked_hours"].sum(), d["actual_paid_hours"].sum()),
                                finance.fte(d["actual_paid_hours"].iloc[0], finance.days_in_month(d["month"].iloc[0])),
                                finance.labor_variances(d["budget_patient_days"].iloc[0], d["actual_patient_days"].iloc[0],
                                                        d["budget_worked_hppd"].iloc[0], d["budget_hourly_rate"].iloc[0],
                                                        d["actual_worked_hours"].iloc[0],
                                                        d["actual_worked_cost"].iloc[0] / d["actual_worked_hours"].iloc[0]
                                                        ).to_frame()],
    "medsurg_statement": lambda d: [finance.variance_report(d, str(d["month"].iloc[-1]))],
    "rc_claims": _claims_uses,
    "rc_ar_monthly": _snapshot_uses,
    "hrrp_discharges": _hrrp_uses,
    "hai_unit_months": _hai_uses,
    "hcahps_responses": lambda d: [quality.hcahps_item_scores(d), quality.hcahps_composite_scores(d),
                                   quality.hcahps_sample_size_note(d["survey_id"].nunique())],
    "falls_unit_months": _falls_uses,
    "clinic_no_shows": lambda d: [spc.p_chart(d["no_shows"], d["appointments"], rules="nhs"),
                                  spc.run_chart(d["no_show_rate"], rules="ihi"),
                                  spc.p_prime_chart(d["no_shows"], d["appointments"], exclude=d.index[d["holiday_week"]])],
    "ed_door_to_provider": lambda d: [spc.i_chart(d["median_minutes"], rules="nhs"), spc.mr_chart(d["median_minutes"]),
                                      spc.p_chart(d["lwbs"], d["ed_visits"], baseline=20),
                                      spc.u_prime_chart(d["lwbs"], d["ed_visits"])],
    "ed_operations_log": lambda d: [_log(d).annotations(x=load_dataset("ed_door_to_provider")["week_start"]),
                                    _log(d).to_frame()],
    "central_line_bundle": lambda d: [spc.p_chart(d["bundle_compliant"], d["lines_audited"], parts=26),
                                      spc.run_chart(d["compliance_rate"])],
    "bls_mhsm_outlook": lambda d: [[careers.projected_employment(r.employment_base_year, r.projected_growth_pct)
                                    for r in d.itertuples()],
                                   [careers.row_label(r) for _, r in d.iterrows()],
                                   [careers.new_jobs_per_year(x) for x in d["new_jobs"] if not pd.isna(x)]],
    "bls_mhsm_pay_by_setting": lambda d: [careers.compare_settings(
        d[(d["pay_reference"] == d["pay_reference"].iloc[0]) & (d["statistic"] == d["statistic"].iloc[0])])],
    "bls_mhsm_wage_percentiles": lambda d: [careers.percentile_rank(120_000, d)],
    "cpi_u_annual": lambda d: [careers.cpi_for(d, d["year"].iloc[-1]),
                               careers.constant_dollars(100_000, careers.cpi_for(d, d["year"].iloc[0]),
                                                        careers.cpi_for(d, d["year"].iloc[-1]))],
    "mhsm_career_ladder": lambda d: [[careers.years_until_eligible(x, 2) for x in d["years_experience_min"]]],
    "mhsm_credentials": lambda d: [[careers.years_until_eligible(x, 3) for x in d["min_years_experience"]]],
    "career_plan_scenario": lambda d: [careers.years_until_eligible(5, d["prior_management_years"].iloc[0]),
                                       careers.figure_label(d["posting_salary"].iloc[0], edition="posting",
                                                            reference=d["posting_year"].iloc[0])],
    "career_pdsa_weeks": lambda d: [careers.pdsa_effect(d), careers.pdsa_effect(d).bullet()],
}


def _log(frame):
    log = spc.PDSALog()
    for r in frame.itertuples():
        log.add(str(r.note), "a change in the ED", start=r.week_start)
    return log


def test_every_dataset_has_direct_uses():
    assert set(USES) == set(DATASETS)


@pytest.mark.parametrize("name", DATASETS)
def test_reference_functions_give_the_same_result_after_a_csv_round_trip(name):
    frame = load_dataset(name, "s101")
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no new warning appears on the way through CSV
        want, got = USES[name](frame), USES[name](roundtrip(frame))
    same(want, got)
