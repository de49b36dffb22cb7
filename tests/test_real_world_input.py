"""Data as analysts receive it (issue 16): missing periods, public-file placeholders, pandas dtypes, order.

Each instance from the issue is a test with its exact expected value; messages are student-facing and are
checked word for word.
"""
import math

import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import spc
from mhsm_lessons.viz import spc as viz_spc

NAN = float("nan")


# ------------------------------------------------------------------------------------------------------------
# Gaps in every chart


def test_c_chart_with_a_missing_month_keeps_the_gap():
    ch = spc.c_chart([24, 18, 21, 17, 22, NAN, 19, 16, 20, 18, 19, 19])
    assert ch.centre == pytest.approx(213 / 11)
    assert round(ch.centre, 4) == 19.3636
    assert math.isnan(ch.points.loc[5, "value"])
    assert not ch.points.loc[5, "signal"]
    assert ch.notes[0] == "1 missing value(s) in counts at position(s) 5 were left out of the calculations."
    assert ch.runs[0].n_obs == 11


GAP_CASES = {
    "run": lambda v: spc.run_chart(v),
    "I": lambda v: spc.i_chart(v),
    "MR": lambda v: spc.mr_chart(v),
    "c": lambda v: spc.c_chart(v),
}
SERIES = [24, 18, 21, 17, 22, 20, 19, 16, 20, 18, 19, 19, 23, 17]


@pytest.mark.parametrize("kind", ["I", "c"])
@pytest.mark.parametrize("gap", [NAN, None, pd.NA, "N/A", "Not Available", " "])
def test_a_gap_leaves_the_known_values_result_unchanged(kind, gap):
    values = list(SERIES)
    values.insert(5, gap)
    with_gap = GAP_CASES[kind](pd.Series(values, dtype=object))
    known = GAP_CASES[kind](SERIES)
    assert with_gap.centre == pytest.approx(known.centre)
    assert math.isnan(with_gap.points.loc[5, "value"])
    assert any("position(s) 5" in n for n in with_gap.notes)


def test_run_chart_gap_from_a_placeholder():
    values = list(SERIES)
    values.insert(3, "Too Few to Report")
    rc = spc.run_chart(values)
    assert rc.median == spc.run_chart(SERIES).median
    assert rc.notes[0] == "1 missing value(s) in values at position(s) 3 were left out of the calculations."


def test_mr_chart_gap_drops_the_two_moving_ranges_next_to_it():
    ch = spc.mr_chart([10, 12, NAN, 11, 15, 14])
    assert ch.points["value"].isna().tolist() == [True, False, True, True, False, False]
    assert ch.centre == pytest.approx((2 + 4 + 1) / 3)


@pytest.mark.parametrize("fn", [spc.p_chart, spc.u_chart, spc.p_prime_chart, spc.u_prime_chart])
def test_attribute_charts_keep_missing_and_zero_exposure_periods_as_gaps(fn):
    num = [480, 530, 410, 0, 620, 505, NAN, 515]
    den = [5000, 5100, 4900, 0, 5200, 5000, 5050, 4950]
    ch = fn(num, den)
    known = fn([480, 530, 410, 620, 505, 515], [5000, 5100, 4900, 5200, 5000, 4950])
    assert ch.centre == pytest.approx(known.centre)
    assert ch.points["value"].isna().tolist() == [False] * 3 + [True] + [False] * 2 + [True, False]
    assert ch.notes[:2] == [
        "1 missing value(s) in numerator or denominator at position(s) 6 were left out of the calculations.",
        "1 period(s) with no exposure (0 of 0) at position(s) 3 have no rate: shown as gaps and left out of the "
        "calculations."]
    assert not ch.points.loc[[3, 6], "signal"].any()


@pytest.mark.parametrize("fn", [spc.p_chart, spc.u_chart, spc.p_prime_chart, spc.u_prime_chart])
def test_a_positive_count_over_zero_exposure_is_an_error_naming_the_period(fn):
    with pytest.raises(ValueError) as err:
        fn([3, 2, 4], [50, 0, 40])
    assert str(err.value) == ("denominator is 0 at position 1 but numerator is 2: events cannot happen with no "
                              "opportunities (no patients, no audits). Check that period's counts.")


TRIAL = "Part 1: the limits come from only {n} points, so they are trial limits (fewer than 12); revise them as " \
        "more data arrive."


@pytest.mark.parametrize("make", [
    lambda: spc.i_chart(SERIES[:8]),
    lambda: spc.mr_chart(SERIES[:9]),
    lambda: spc.c_chart(SERIES[:8]),
    lambda: spc.p_chart([3, 4, 5, 2, 6, 4, 3, 5], [50] * 8),
    lambda: spc.u_chart([3, 4, 5, 2, 6, 4, 3, 5], [900] * 8),
    lambda: spc.p_prime_chart([480, 530, 410, 620, 505, 515, 470, 500], [5000] * 8),
    lambda: spc.u_prime_chart([30, 45, 28, 60, 41, 35, 38, 44], [10000] * 8),
])
def test_trial_limit_note_for_every_chart_kind(make):
    assert TRIAL.format(n=8) in make().notes


@pytest.mark.parametrize("make", [
    lambda: spc.i_chart(SERIES, baseline=6),
    lambda: spc.mr_chart([0] + SERIES[:13], baseline=7),
    lambda: spc.c_chart(SERIES, baseline=6),
    lambda: spc.p_chart([3, 4, 5, 2, 6, 4, 3, 5, 4, 4, 3, 6, 5, 4], [50] * 14, baseline=6),
    lambda: spc.u_prime_chart([30, 45, 28, 60, 41, 35, 38, 44, 40, 39, 41, 37, 36, 42], [10000] * 14,
                              baseline=6),
])
def test_trial_limit_note_for_a_frozen_six_point_baseline(make):
    assert TRIAL.format(n=6) in make().notes


def test_chart_figures_draw_gaps_and_name_them(tmp_path):
    chart = viz_spc.control_chart_figure(spc.c_chart([24, 18, 21, 17, 22, NAN, 19, 16, 20, 18, 19, 19]),
                                         title="Falls", what="month")
    assert chart.caption == ("Centre line 19.4, limits 6.2 to 32.6. No point beyond the limits. Runs analysis: no "
                             "signal. No value for month 6 (left as a gap and out of the calculations).")
    data = [line for line in chart.figure.axes[0].get_lines() if line.get_label() == "data"][0]
    assert np.isnan(np.asarray(data.get_ydata(), dtype=float)[5])       # a gap, not a zero
    chart.figure.savefig(tmp_path / "c.png")
    p = viz_spc.control_chart_figure(spc.p_chart([3, 4, NAN, 0, 5, 4], [50, 50, 50, 0, 50, 60]), percent=True)
    assert p.caption.endswith("No value for weeks 3, 4 (left as gaps and out of the calculations).")
    p.figure.savefig(tmp_path / "p.png")
    r = viz_spc.run_chart_figure(spc.run_chart([3, 4, "N/A", 5, 6, None, 4, 3, 6]))
    assert r.caption.endswith("No value for weeks 3, 6 (left as gaps and out of the calculations).")
    import matplotlib.pyplot as plt
    plt.close("all")


# ------------------------------------------------------------------------------------------------------------
# Defaults where the references disagree: Laney p'/u' moving-range screening


LANEY_NUM = [480, 530, 410, 620, 505, 515, 470, 500, 495, 1400, 505, 490, 520, 480]
LANEY_DEN = [5000, 5100, 4900, 5200, 5000, 4950, 5050, 5000, 4980, 5020, 5010, 4990, 5030, 5000]


@pytest.mark.parametrize("fn", [spc.p_prime_chart, spc.u_prime_chart])
def test_laney_screening_is_off_by_default_and_on_when_asked(fn):
    default, off, on = fn(LANEY_NUM, LANEY_DEN), fn(LANEY_NUM, LANEY_DEN, screen_mr=False), \
        fn(LANEY_NUM, LANEY_DEN, screen_mr=True)
    assert default.amr == off.amr
    num, den = np.array(LANEY_NUM, float), np.array(LANEY_DEN, float)
    centre = num.sum() / den.sum()
    base = np.sqrt(centre * (1 - centre) / den) if fn is spc.p_prime_chart else np.sqrt(centre / den)
    mr = np.abs(np.diff((num / den - centre) / base))
    assert off.amr[0] == pytest.approx(mr.mean())
    assert on.amr[0] == pytest.approx(mr[mr < spc.D4 * mr.mean()].mean())
    assert on.amr[0] < off.amr[0]
    assert on.ucl[0] < off.ucl[0]


# ------------------------------------------------------------------------------------------------------------
# Quality: HRRP conditions with no ratio, NHSN precision, placeholders, rates with gaps

from mhsm_lessons import quality as q  # noqa: E402


@pytest.mark.parametrize("cabg", [NAN, None, "", "N/A", "Not Available", "Too Few to Report", pd.NA])
def test_hrrp_condition_without_a_ratio_is_left_out_with_its_reason(cabg):
    f = q.hrrp_payment_adjustment_factor({"HF": 1.2e6, "CABG": 0.3e6}, {"HF": 1.1030, "CABG": cabg},
                                         {"HF": 1.0000, "CABG": 1.0000}, 60e6, discharges={"HF": 310, "CABG": 18})
    assert f == pytest.approx(1 - 1.2e6 * 0.1030 / 60e6)
    assert round(f, 5) == 0.99794
    assert list(f.left_out) == ["CABG"]
    assert f.left_out["CABG"].endswith(
        "CMS calculates no excess readmission ratio for a condition with fewer than 25 eligible discharges (18 "
        "here), so it does not count toward the payment adjustment")


def test_hrrp_left_out_note_word_for_word():
    f = q.hrrp_payment_adjustment_factor({"HF": 1.2e6, "CABG": 0.3e6}, {"HF": 1.1030, "CABG": NAN},
                                         {"HF": 1.0, "CABG": 1.0}, 60e6, discharges={"HF": 310, "CABG": 18})
    assert f.notes == ["CABG left out: its excess readmission ratio is NaN (a blank cell: no value was recorded); "
                       "CMS calculates no excess readmission ratio for a condition with fewer than 25 eligible "
                       "discharges (18 here), so it does not count toward the payment adjustment."]
    g = q.hrrp_payment_adjustment_factor([1.2e6, 0.3e6], [1.1030, "Too Few to Report"], [1.0, "N/A"], 60e6)
    assert g.left_out == {1: "its excess readmission ratio is 'Too Few to Report' (CMS's mark for a measure with "
                             "too few cases (fewer than 25) to report reliably); CMS calculates no excess "
                             "readmission ratio for a condition with fewer than 25 eligible discharges, so it does "
                             "not count toward the payment adjustment"}


def test_hrrp_counted_condition_needs_its_peer_median():
    with pytest.raises(ValueError) as err:
        q.hrrp_payment_adjustment_factor({"HF": 1.2e6}, {"HF": 1.10}, {"HF": "Not Available"}, 60e6)
    assert str(err.value) == ("peer_median_err has no value for HF, which has an excess readmission ratio and so "
                              "counts toward the payment adjustment. Fill in peer_median_err for HF from the HRRP "
                              "file.")


def test_excess_readmission_ratio_too_few_to_report():
    assert math.isnan(q.excess_readmission_ratio(5.0, 4.0, discharges="Too Few to Report"))


def test_sir_boundary_keeps_nhsn_precision():
    r = q.standardized_infection_ratio(2, 0.9995)
    assert not r.calculated
    assert r.message == ("SIR not calculated: NHSN does not calculate an SIR when fewer than 1.0 infections are "
                         "predicted (predicted 0.9995). Pool more months or units, or track the rate per 1,000 "
                         "device days instead.")
    assert "predicted 1.0" not in r.message
    near = q.standardized_infection_ratio(19_990, 20_000)
    assert near.message.startswith("SIR 0.9995: 19990 observed / 20000.000 predicted HAIs")
    assert q.standardized_infection_ratio(3, 1.234).message.startswith("SIR 2.431: 3 observed / 1.234 predicted")


@pytest.mark.parametrize("blank", ["Not Available", "N/A", None, NAN, pd.NA])
def test_sir_placeholder_is_not_calculated_and_says_why(blank):
    r = q.standardized_infection_ratio(3, blank)
    assert not r.calculated and math.isnan(r.sir)
    assert r.message.startswith("SIR not calculated: predicted is ")
    assert q.sir_confidence_interval(3, blank) == (NAN, NAN) or all(math.isnan(x) for x in
                                                                   q.sir_confidence_interval(3, blank))


def test_rate_with_gaps_and_zero_exposure():
    with pytest.warns(UserWarning) as record:
        out = q.falls_rate(pd.Series([3, pd.NA, 2, 0], dtype="Int64"), [1000, 900, "Not Available", 0])
    assert out.tolist()[0] == 3.0 and all(math.isnan(x) for x in out.tolist()[1:])
    assert str(record[0].message) == (
        "2 row(s) with a missing falls or patient_days (position(s) from 0: 1 and 2) have no rate: NaN, a gap, "
        "left out. 1 row(s) with no exposure (0 falls over 0 patient_days; position(s) from 0: 3) have no rate: "
        "NaN, a gap, not 0.")
    assert out.attrs["notes"][1].startswith("1 row(s) with no exposure")
    with pytest.warns(UserWarning, match="no exposure"):
        assert math.isnan(q.clabsi_rate(0, 0))
    with pytest.raises(ValueError) as err:
        q.falls_rate(3, "Not Available")
    assert str(err.value) == ("patient_days is 'Not Available', CMS's mark for a value the hospital did not submit "
                              "or CMS does not publish, so there is no number to calculate with. Leave this row or "
                              "period out, or fill in patient_days from the source, before calling this function.")


def test_hcahps_placeholders():
    assert q.hcahps_top_box(["Always", "N/A", "Not Applicable", "Usually"]) == 50.0
    assert q.hcahps_sample_size_note("FEWER THAN 50") == (
        "'FEWER THAN 50' completed surveys: fewer than the 100 CMS requires for HCAHPS star ratings (four "
        "quarters); treat the scores as imprecise.")
    with pytest.raises(ValueError, match=r"^completed_surveys is 'Not Available', CMS's mark"):
        q.hcahps_sample_size_note("Not Available")


# ------------------------------------------------------------------------------------------------------------
# Careers: BLS placeholders; order of dates everywhere

from mhsm_lessons import careers as c  # noqa: E402
from mhsm_lessons import revenue_cycle as rc  # noqa: E402

PCTS = pd.DataFrame({"percentile": [10, 25, 50, 75, 90], "annual_wage": [58_820, 76_770, 100_980, 133_520, "#"]})


def test_percentile_rank_with_a_top_coded_ninetieth_percentile():
    with pytest.warns(UserWarning) as record:
        assert c.percentile_rank(117_250, PCTS) == pytest.approx(62.5)
    assert str(record[0].message) == ("percentile_rank left out the 90th percentile ('#': BLS's mark for a wage at "
                                      "or above the highest amount it publishes (top-coded): only a lower bound); "
                                      "it interpolates between the published wages only.")
    with pytest.raises(ValueError) as err, pytest.warns(UserWarning):
        c.percentile_rank(150_000, PCTS)
    assert str(err.value) == ("$150,000 is above the 75th percentile ($133,520), the highest wage BLS publishes as a "
                              "number here: the 90th percentile is '#', BLS's mark for a wage at or above its "
                              "top-coded amount, so it is only a lower bound. Say 'above the 75th percentile'.")


def test_percentile_rank_keeps_cents_at_the_boundary():
    p = PCTS.assign(annual_wage=[58_820, 76_770, 100_980, 133_520, 189_000])
    with pytest.raises(ValueError, match=r"^\$189,000\.40 is above the 90th percentile \(\$189,000\)"):
        c.percentile_rank(189_000.4, p)


@pytest.mark.parametrize("mark, meaning", [("**", "BLS's mark for an employment estimate it did not release (not "
                                                  "available)"),
                                          ("*", "BLS's mark for an estimate it did not release (not available)")])
def test_bls_not_released_marks_are_refused_with_their_meaning(mark, meaning):
    with pytest.raises(ValueError) as err:
        c.projected_employment(mark, 29)
    assert str(err.value) == (f"base_employment is {mark!r}, {meaning}, so there is no number to calculate with. "
                              "Leave this row or period out, or fill in base_employment from the source, before "
                              "calling this function.")


def test_compare_settings_leaves_out_an_unreleased_setting():
    df = pd.DataFrame({"work_setting": ["All work settings", "Hospitals", "Government", "Physicians' offices"],
                       "annual_pay": [100_000, 120_000, "*", 95_000]})
    with pytest.warns(UserWarning, match=r"^Government left out: its annual_pay is '\*', BLS's mark for an estimate"):
        out = c.compare_settings(df)
    assert out["work_setting"].tolist() == ["Hospitals", "Physicians' offices"]
    assert out["difference_vs_all"].tolist() == [20_000, -5_000]


WEEKS = pd.DataFrame({"week_start": [f"2026-01-{d:02d}" for d in range(1, 21)],
                      "phase": ["baseline"] * 10 + ["after change"] * 10, "discharges": [30] * 20,
                      "pct_before_noon": [18, 20, 19, 21, 17, 20, 22, 19, 18, 20,
                                          30, 31, 29, 33, 32, 30, 34, 31, 29, 32]})


def test_pdsa_effect_refuses_unsorted_and_duplicated_weeks():
    shuffled = WEEKS.iloc[[1, 0] + list(range(2, 20))]
    with pytest.raises(ValueError) as err:
        c.pdsa_effect(shuffled)
    assert str(err.value) == ("weeks must be in time order (earliest week_start first): the rows are not sorted. "
                              "Sort them first, for example weeks.sort_values('week_start').")
    dup = WEEKS.assign(week_start=["2026-01-01"] * 2 + WEEKS["week_start"].tolist()[2:])
    with pytest.raises(ValueError, match=r"^weeks has more than one row for week_start 2026-01-01: give one row per"):
        c.pdsa_effect(dup)
    assert c.pdsa_effect(shuffled.sort_values("week_start")) == c.pdsa_effect(WEEKS)


def test_snapshot_window_refuses_unsorted_months():
    snap = pd.DataFrame({"month": ["2025-10", "2025-12", "2025-11"], "days_in_month": [31, 31, 30],
                         "net_ar": [1.0e6, 1.38e6, 1.2e6], "net_patient_revenue": [0.9e6, 0.92e6, 0.94e6]})
    with pytest.raises(ValueError) as err:
        rc.snapshot_net_days_in_ar(snap, "2025-12")
    assert str(err.value) == ("snapshot must be in time order (earliest month first): its rows are not sorted. Sort "
                              "it first, for example snapshot.sort_values('month').")
    fixed = snap.sort_values("month")
    assert rc.snapshot_net_days_in_ar(fixed, "2025-12") == pytest.approx(1.38e6 / (2.76e6 / 92))


def test_pdsa_annotations_refuse_unsorted_dates():
    log = spc.PDSALog()
    log.add("x", "y", start="2024-02-10")
    with pytest.raises(ValueError, match=r"^x must be in time order"):
        log.annotations(x=["2024-04-01", "2024-01-01", "2024-02-01", "2024-03-01"])
    assert log.annotations(x=["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]) == [(2, "PDSA 1: x")]


def test_carc_code_as_pandas_reads_it():
    assert rc.carc_category(197.0, "CO") == "authorization"
    assert rc.carc_category(np.float64(197.0), np.str_(" co ")) == "authorization"
    assert rc.carc_category(pd.Series(["197"], dtype="category").iloc[0], "CO") == "authorization"


# ------------------------------------------------------------------------------------------------------------
# Tables with a blank cell; text with spaces

from mhsm_lessons import finance, load_dataset  # noqa: E402


def test_variance_report_names_the_blank_line():
    statement = load_dataset("medsurg_statement")
    rows = statement.index[statement["month"] == "2026-09"]
    broken = statement.astype({"actual": object})
    broken.loc[rows[1], "actual"] = "Not Available"
    with pytest.raises(ValueError) as err:
        finance.variance_report(broken, "2026-09")
    line = statement.loc[rows[1], "line_item"]
    assert str(err.value) == (f"statement column 'actual' has no value for {line!r} in 2026-09 (CMS's mark for a "
                              "value the hospital did not submit or CMS does not publish). A variance report needs "
                              "every line's budget and actual: fill it in from the ledger.")


def test_hrrp_conditions_with_spaces_and_categoricals():
    discharges = load_dataset("hrrp_discharges")
    spaced = discharges.assign(condition=(" " + discharges["condition"] + " ").astype("category"))
    pd.testing.assert_frame_equal(q.readmissions_by_condition(spaced), q.readmissions_by_condition(discharges))


def test_weekly_denials_keeps_an_empty_week_in_place():
    claims = pd.DataFrame({"service_date": ["2025-03-03", "2025-03-04", "2025-03-17", "2025-03-18"],
                           "first_remit_date": ["2025-04-01"] * 4, "initial_denial": [True, False, True, False],
                           "denial_category": ["authorization", None, "authorization", None]})
    weeks = rc.weekly_denials(claims)
    assert weeks.to_dict("list") == {"week_start": ["2025-03-03", "2025-03-10", "2025-03-17"],
                                     "remitted": [2, 0, 2], "denials": [1, 0, 1]}
    chart = spc.p_chart(weeks["denials"], weeks["remitted"])
    assert math.isnan(chart.points.loc[1, "value"]) and chart.centre == 0.5
