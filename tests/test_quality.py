"""Tests for mhsm_lessons.quality: hand-computed examples, error texts and rate properties."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsm_lessons import quality as q


# ----------------------------------------------------------------------------------------------- rates

def test_rate_per_1000_hand_computed():
    assert q.rate_per_1000(7, 2800) == pytest.approx(7 / 2800 * 1000)      # 2.5
    assert q.falls_rate(12, 3200) == pytest.approx(3.75)                   # 12 / 3,200 x 1,000
    assert q.injury_falls_rate(3, 3200) == pytest.approx(0.9375)           # 3 / 3,200 x 1,000
    assert q.clabsi_rate(1, 800) == pytest.approx(1.25)                    # 1 / 800 x 1,000
    assert q.cauti_rate(2, 2000) == pytest.approx(1.0)                     # 2 / 2,000 x 1,000
    assert q.device_utilization_ratio(420, 1000) == pytest.approx(0.42)    # 420 / 1,000
    assert q.rate_per_1000(0, 500) == 0.0


def test_rate_elementwise_and_series_index_kept():
    out = q.falls_rate(pd.Series([3, 0], index=["5N", "5S"]), pd.Series([1000, 750], index=["5N", "5S"]))
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == ["5N", "5S"]
    assert out.tolist() == pytest.approx([3.0, 0.0])
    arr = q.rate_per_1000([1, 2], [500, 400])
    assert isinstance(arr, np.ndarray) and arr.tolist() == pytest.approx([2.0, 5.0])


def test_pooled_rate_is_not_mean_of_rates():
    falls, days = np.array([1, 9]), np.array([1000, 2000])
    pooled = q.falls_rate(falls.sum(), days.sum())                          # 10 / 3,000 x 1,000 = 3.333
    assert pooled == pytest.approx(10 / 3)
    assert pooled != pytest.approx(q.falls_rate(falls, days).mean())       # (1.0 + 4.5) / 2 = 2.75


def test_rate_error_messages():
    with pytest.raises(ValueError, match=r"^days is 0, so the rate is undefined: a rate needs a denominator "
                                         r"greater than 0\. Check that days is the right column and period\.$"):
        q.rate_per_1000(3, 0)
    with pytest.raises(ValueError, match=r"^patient_days must be at least 0; you gave -10\. Check the sign"):
        q.falls_rate(1, -10)
    with pytest.raises(ValueError, match=r"^falls \(5000\) is larger than patient_days \(300\), which cannot "
                                         r"happen\. Check that the two arguments are not swapped: the count "
                                         r"comes first, patient_days second\.$"):
        q.falls_rate(5000, 300)
    with pytest.raises(ValueError) as err:
        q.clabsi_rate([1, 2], [300, 0])
    assert str(err.value) == ("central_line_days is 0 in row 1 (position from 0) but clabsi is 2, so the rate is "
                              "undefined there. Check that row's counts.")
    with pytest.raises(ValueError, match=r"^These inputs must have the same length, one value per period: "
                                         r"cauti has 2, urinary_catheter_days has 3\.$"):
        q.cauti_rate([1, 2], [100, 200, 300])
    with pytest.raises(ValueError, match=r"^device_days \(600\) is larger than patient_days \(500\) in row 0"):
        q.device_utilization_ratio([600], [500])
    with pytest.raises(ValueError, match=r"^patient_days is 0, so the ratio is undefined"):
        q.device_utilization_ratio(3, 0)
    with pytest.raises(TypeError, match=r"^falls must be a number; you gave str '3'\.$"):
        q.falls_rate("3", 1000)


counts = st.integers(min_value=0, max_value=10_000)
days = st.integers(min_value=1, max_value=1_000_000)


@settings(max_examples=200, deadline=None)
@given(events=counts, extra=days, k=st.integers(min_value=1, max_value=1000))
def test_rate_per_1000_scales_by_exactly_1000(events, extra, k):
    denominator = events + extra                       # keeps events <= days
    rate = q.rate_per_1000(events, denominator)
    assert math.isclose(rate, 1000 * events / denominator, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(q.rate_per_1000(events * k, denominator * k), rate, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(rate, 1000 * q.device_utilization_ratio(events, denominator), rel_tol=1e-12,
                        abs_tol=1e-12)


# ----------------------------------------------------------------------------------------------- SIR

def test_sir_calculated():
    r = q.standardized_infection_ratio(6, 7.5)
    assert r.calculated and r.sir == pytest.approx(0.8)                    # 6 / 7.5
    assert float(r) == pytest.approx(0.8)
    assert str(r) == ("SIR 0.800: 6 observed / 7.500 predicted HAIs (NHSN 2015 baseline). "
                      "Below 1.0: fewer infections than predicted.")
    assert str(q.standardized_infection_ratio(5, 4)) == ("SIR 1.250: 5 observed / 4.000 predicted HAIs (NHSN 2015 "
                                                        "baseline). Above 1.0: more infections than predicted.")
    assert q.standardized_infection_ratio(2, 2).message.endswith("Equal to 1.0: as many infections as predicted.")
    assert q.standardized_infection_ratio(0, 1.0).sir == 0.0               # predicted exactly 1.0 is calculated


def test_sir_not_calculated_below_one_predicted():
    r = q.standardized_infection_ratio(2, 0.99)
    assert not r.calculated and math.isnan(r.sir)
    assert r.message == ("SIR not calculated: NHSN does not calculate an SIR when fewer than 1.0 infections are "
                         "predicted (predicted 0.990). Pool more months or units, or track the rate per 1,000 "
                         "device days instead.")


def test_sir_errors():
    with pytest.raises(ValueError, match=r"^observed must be at least 0; you gave -1\."):
        q.standardized_infection_ratio(-1, 3)


# ----------------------------------------------------------------------------------------------- readmissions

def test_readmission_rate_and_err():
    assert q.readmission_rate(39, 195) == pytest.approx(0.2)               # 39 / 195
    assert q.excess_readmission_ratio(42.0, 40.0) == pytest.approx(1.05)   # 42 / 40
    assert q.excess_readmission_ratio(42.0, 40.0, discharges=25) == pytest.approx(1.05)
    assert math.isnan(q.excess_readmission_ratio(42.0, 40.0, discharges=24))
    with pytest.raises(ValueError, match=r"^expected must be greater than 0; you gave 0\."):
        q.excess_readmission_ratio(3, 0)


def test_readmissions_by_condition_hand_computed():
    # 30 HF discharges, 6 readmitted; predicted sum 30 x 0.22 = 6.6, expected 30 x 0.20 = 6.0 -> ERR 1.1
    # 10 COPD discharges, 1 readmitted; below 25 so it does not count.
    df = pd.DataFrame({
        "condition": ["HF"] * 30 + ["COPD"] * 10,
        "readmitted_30d": [True] * 6 + [False] * 24 + [True] + [False] * 9,
        "predicted_readmission_prob": [0.22] * 30 + [0.15] * 10,
        "expected_readmission_prob": [0.20] * 30 + [0.20] * 10,
    })
    t = q.readmissions_by_condition(df)
    assert t.index.tolist() == ["HF", "COPD"]                               # CMS order, not appearance
    assert t.loc["HF", "readmission_rate"] == pytest.approx(6 / 30)
    assert t.loc["HF", "excess_readmission_ratio"] == pytest.approx(6.6 / 6.0)
    assert t.loc["COPD", "excess_readmission_ratio"] == pytest.approx(1.5 / 2.0)
    assert t["counts_in_hrrp"].tolist() == [True, False]
    plain = q.readmissions_by_condition(df, predicted=None, expected=None)
    assert plain.columns.tolist() == ["discharges", "readmissions", "readmission_rate"]


def test_readmissions_by_condition_errors():
    df = pd.DataFrame({"condition": ["Sepsis"], "readmitted_30d": [True],
                       "predicted_readmission_prob": [0.1], "expected_readmission_prob": [0.1]})
    with pytest.raises(ValueError, match=r"^The 'condition' column holds 'Sepsis', which are not HRRP conditions\. "
                                         r"Use one of: AMI, HF, Pneumonia, COPD, CABG, THA/TKA\.$"):
        q.readmissions_by_condition(df)
    with pytest.raises(ValueError, match=r"^discharges is missing the column\(s\) 'readmit'\."):
        q.readmissions_by_condition(df, readmitted="readmit")
    bad = df.assign(condition="HF", readmitted_30d="yes")
    with pytest.raises(ValueError, match=r"^The 'readmitted_30d' column must hold True/False \(or 1/0\)"):
        q.readmissions_by_condition(bad)


def test_hrrp_payment_adjustment_factor_hand_computed():
    # HF: $2,000,000 x (1.12 - 1.02) x 0.97 = 194,000; AMI below median adds 0; total $40 M.
    # factor = 1 - 194,000 / 40,000,000 = 0.99515
    f = q.hrrp_payment_adjustment_factor([2_000_000, 1_000_000], [1.12, 0.98], [1.02, 1.00], 40_000_000,
                                         neutrality_modifier=0.97)
    assert f == pytest.approx(1 - 194_000 / 40_000_000)
    keyed = q.hrrp_payment_adjustment_factor({"HF": 2_000_000, "AMI": 1_000_000}, {"AMI": 0.98, "HF": 1.12},
                                             {"HF": 1.02, "AMI": 1.00}, 40_000_000, neutrality_modifier=0.97)
    assert keyed == pytest.approx(f)


def test_hrrp_factor_floor_and_small_conditions():
    # 10,000,000 x 0.5 / 20,000,000 = 0.25 -> capped at 3 % -> 0.97
    assert q.hrrp_payment_adjustment_factor([10_000_000], [1.5], [1.0], 20_000_000) == pytest.approx(0.97)
    # Same excess, but only 24 discharges: the condition does not count -> 1.0
    assert q.hrrp_payment_adjustment_factor([10_000_000], [1.5], [1.0], 20_000_000, discharges=[24]) == 1.0
    assert q.hrrp_payment_adjustment_factor([1_000_000], [0.9], [1.0], 20_000_000) == 1.0


def test_hrrp_factor_errors():
    with pytest.raises(ValueError, match=r"^condition_payments add up to \$3,000,000, more than total_base_payments "
                                         r"\(\$2,000,000\)\."):
        q.hrrp_payment_adjustment_factor([2_000_000, 1_000_000], [1.1, 1.0], [1.0, 1.0], 2_000_000)
    with pytest.raises(ValueError, match=r"^These inputs must have the same length"):
        q.hrrp_payment_adjustment_factor([1, 2], [1.1], [1.0, 1.0], 100)
    with pytest.raises(ValueError, match=r"^peer_median_err has no value for 'AMI'; give one value for every "
                                         r"condition in condition_payments\.$"):
        q.hrrp_payment_adjustment_factor({"HF": 1, "AMI": 1}, {"HF": 1.1, "AMI": 1.0}, {"HF": 1.0}, 100)
    with pytest.raises(ValueError, match=r"^total_base_payments must be greater than 0"):
        q.hrrp_payment_adjustment_factor([1], [1.1], [1.0], 0)


# ----------------------------------------------------------------------------------------------- HCAHPS

def test_hcahps_item_scores_hand_computed():
    answers = ["Always", "Always", "Always", "Usually", "Sometimes", "Never", None, ""]
    assert q.hcahps_top_box(answers) == pytest.approx(3 / 6 * 100)          # blanks left out
    # (100 + 100 + 100 + 66.667 + 33.333 + 0) / 6 = 66.667
    assert q.hcahps_linear_mean(answers) == pytest.approx(400 / 6)
    assert q.hcahps_top_box(["10", "9", 8, "0"]) == pytest.approx(50.0)
    assert q.hcahps_linear_mean(["10", "9", 8, "0"]) == pytest.approx((100 + 90 + 80 + 0) / 4)
    assert q.hcahps_top_box(["Yes", "No", "yes "]) == pytest.approx(200 / 3)
    assert q.hcahps_linear_mean(["Definitely yes", "Probably yes"]) == pytest.approx((100 + 200 / 3) / 2)
    assert q.hcahps_top_box(["Strongly agree", "Agree", "Disagree", "Strongly disagree"]) == pytest.approx(25.0)


def test_hcahps_composite_is_mean_of_items_not_pooled():
    # Q1: 1 of 1 top box (100 %); Q2: 1 of 3 (33.3 %). Composite = (100 + 33.3) / 2 = 66.7, pooled would be 50.
    df = pd.DataFrame({"measure": ["nurse_comm"] * 4, "item_id": ["Q1", "Q2", "Q2", "Q2"],
                       "response": ["Always", "Always", "Usually", "Never"]})
    comp = q.hcahps_composite_scores(df)
    assert comp.loc[0, "top_box_pct"] == pytest.approx((100 + 100 / 3) / 2)
    assert comp.loc[0, "linear_mean"] == pytest.approx((100 + (100 + 200 / 3 + 0) / 3) / 2)
    items = q.hcahps_item_scores(df)
    assert items["answered"].tolist() == [1, 3]


def test_hcahps_errors():
    with pytest.raises(ValueError, match=r"^responses mix answer scales \(frequency, rating 0-10\); score one "
                                         r"HCAHPS question at a time, then average item scores for a composite\.$"):
        q.hcahps_top_box(["Always", "9"])
    with pytest.raises(ValueError, match=r"^HCAHPS answer 'Often' is not recognised\. Expected Never/Sometimes/"):
        q.hcahps_linear_mean(["Always", "Often"])
    with pytest.raises(ValueError, match=r"^HCAHPS answer 11 is not a 0-10 rating"):
        q.hcahps_top_box([11])
    with pytest.raises(ValueError, match=r"^responses has no answered questions \(all blank\)"):
        q.hcahps_top_box([None, ""])
    with pytest.raises(TypeError, match=r"^responses must be a list, array or Series of answers"):
        q.hcahps_top_box("Always")
    with pytest.raises(ValueError, match=r"^HCAHPS answer True is True/False; give the answer text"):
        q.hcahps_top_box([True])


def test_hcahps_sample_size_note():
    assert q.hcahps_sample_size_note(100) == ("100 completed surveys: meets the 100-survey minimum CMS requires "
                                              "for HCAHPS star ratings (four quarters).")
    assert q.hcahps_sample_size_note(99) == ("99 completed surveys: fewer than the 100 CMS requires for HCAHPS "
                                             "star ratings (four quarters); treat the scores as imprecise.")


# ----------------------------------------------------------------------------------------------- funnel, SIR CI, $

def test_funnel_limits_match_exact_poisson_and_normal_approximation():
    t = q.funnel_limits([5000, 25000], 3.6)
    assert t["expected"].tolist() == pytest.approx([18.0, 90.0])     # 3.6 x 5,000 / 1,000
    normal_hi = 3.6 + 1.96 * np.sqrt(3.6 / np.array([5000, 25000]) * 1000)
    assert t["upper_95"].to_numpy() == pytest.approx(normal_hi, abs=0.02)
    assert (t["upper_998"] > t["upper_95"]).all() and (t["lower_998"] < t["lower_95"]).all()
    with pytest.raises(ValueError, match="days must be greater than 0 for every point of a funnel plot."):
        q.funnel_limits([0, 100], 3.0)


def test_sir_confidence_interval_exact_poisson():
    lo, hi = q.sir_confidence_interval(6, 7.5)
    assert lo == pytest.approx(2.2019 / 7.5, abs=1e-4) and hi == pytest.approx(13.0591 / 7.5, abs=1e-4)
    assert q.sir_confidence_interval(0, 3.0)[0] == 0.0
    assert all(math.isnan(x) for x in q.sir_confidence_interval(2, 0.9))


@pytest.mark.parametrize("q_", [0.001, 0.025, 0.05, 0.5, 0.975, 0.999])
def test_poisson_quantiles_and_cdf_equal_scipy_stats(q_):
    # the funnel and the falls story use scipy.special (light to import); scipy.stats stays the reference
    from scipy import stats
    mu = np.concatenate([[0.0, 1e-9, 1e-3, 0.5, 1.0, 2.0], np.linspace(0.01, 400.0, 4001)])
    assert np.array_equal(q._poisson_ppf(q_, mu), stats.poisson.ppf(q_, mu))
    k = np.arange(-2, 60)
    assert q._poisson_cdf(k, 17.3) == pytest.approx(stats.poisson.cdf(k, 17.3), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("observed", [1, 2, 6, 25, 137, 400])
def test_sir_confidence_interval_equals_the_chi_square_form(observed):
    from scipy import stats
    lo, hi = q.sir_confidence_interval(observed, 7.5)
    assert lo == pytest.approx(stats.chi2.ppf(0.025, 2 * observed) / 2 / 7.5, rel=1e-12)
    assert hi == pytest.approx(stats.chi2.ppf(0.975, 2 * (observed + 1)) / 2 / 7.5, rel=1e-12)


def test_funnel_limits_equal_the_scipy_stats_construction():
    from scipy import stats
    days = np.array([800.0, 5000.0, 12345.0, 25000.0])
    t = q.funnel_limits(days, 3.6)
    lam = 3.6 * days / 1000
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        for side, prob in (("lower", (1 - level) / 2), ("upper", 1 - (1 - level) / 2)):
            r = stats.poisson.ppf(prob, lam)
            hi, lo = stats.poisson.cdf(r, lam), stats.poisson.cdf(r - 1, lam)
            expected = np.maximum(r - (hi - prob) / (hi - lo), 0) / days * 1000
            assert t[f"{side}_{suffix}"].to_numpy() == pytest.approx(expected, rel=1e-12)


def test_hrrp_dollars_at_risk():
    assert q.hrrp_dollars_at_risk(0.97, 1_000_000) == pytest.approx(30_000)
    with pytest.raises(ValueError, match=r"^payment_adjustment_factor must be between 0.97 and 1.0"):
        q.hrrp_dollars_at_risk(0.5, 1_000_000)
