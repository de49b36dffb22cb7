"""Tests for mhsm_lessons.spc: run-chart rules, Shewhart charts, NHS rules, PDSA log.

Reference results are cited next to each test. Where a value is derived rather than transcribed, the test derives
it independently of the code under test (exact combinatorics with ``math.comb`` or brute-force enumeration).
"""
from __future__ import annotations

import itertools
import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsm_lessons import spc

# ------------------------------------------------------------------------------------------------------------
# Anhøj critical values

# Longest-run limit, transcribed from the published critical-value table for the Anhøj shift rule ("Critical
# values for run length in run chart", n = number of useful observations, UL = round(log2 n) + 3), unaettie.com
# FAQ "Length of run in a run chart", which reproduces Anhøj & Olesen (2014) PLoS ONE 9(11):e113825, Table 1.
PUBLISHED_LONGEST_RUN = {
    **{n: 6 for n in (10, 11)}, **{n: 7 for n in range(12, 23)}, **{n: 8 for n in range(23, 46)},
    **{n: 9 for n in range(46, 91)}, **{n: 10 for n in range(91, 105)},
}


@pytest.mark.parametrize("n", sorted(PUBLISHED_LONGEST_RUN))
def test_anhoej_longest_run_limit_matches_published_table(n):
    assert spc.anhoej_limits(n)[0] == PUBLISHED_LONGEST_RUN[n]


def _binomial_5th_percentile(trials: int) -> int:
    """Smallest c with P(X <= c) >= 0.05 for X ~ Binomial(trials, 1/2), by exact integer arithmetic."""
    total, cum = 2 ** trials, 0
    for c in range(trials + 1):
        cum += math.comb(trials, c)
        if cum * 20 >= total:
            return c
    raise AssertionError


@pytest.mark.parametrize("n", range(10, 101))
def test_anhoej_crossings_limit_is_exact_binomial_5th_percentile(n):
    # Anhøj & Olesen 2014: minimum crossings = 5th percentile of Binomial(n - 1, 0.5), derived here exactly.
    assert spc.anhoej_limits(n)[1] == _binomial_5th_percentile(n - 1)


def test_anhoej_crossings_limit_equals_scipy_binomial_quantile_to_500_points():
    from scipy import stats
    assert [spc.anhoej_limits(n)[1] for n in range(1, 501)] == [
        int(stats.binom.ppf(0.05, n - 1, 0.5)) for n in range(1, 501)]
    # years of daily points stay exact and quick (the terms are updated, never recomputed)
    assert [spc.anhoej_limits(n)[1] for n in (1000, 5000, 20000)] == [474, 2441, 9883]
    assert [int(stats.binom.ppf(0.05, n - 1, 0.5)) for n in (1000, 5000, 20000)] == [474, 2441, 9883]


def test_anhoej_limits_published_points():
    # Wentzel-Larsen & Anhøj, "Improving tools for quality improvement: crossings, runs and crossrun"
    # (Science Trends): with 13 data points, fewer than 3 crossings is a signal.
    assert spc.anhoej_limits(13)[1] == 3
    # unaettie.com worked example: 24 points -> longest-run limit 8.
    assert spc.anhoej_limits(24)[0] == 8


# ------------------------------------------------------------------------------------------------------------
# IHI runs limits


def _brute_force_runs_limits(n):
    """Enumerate every arrangement of n//2 'below' and n - n//2 'above' points; 2.5 % in each tail."""
    n1 = n // 2
    counts: dict[int, int] = {}
    for above in itertools.combinations(range(n), n1):
        seq = np.zeros(n, int)
        seq[list(above)] = 1
        r = 1 + int(np.count_nonzero(np.diff(seq)))
        counts[r] = counts.get(r, 0) + 1
    total = sum(counts.values())
    cum, lower = 0, None
    for r in sorted(counts):
        cum += counts[r]
        if cum * 40 > total:
            lower = r
            break
    cum, upper = 0, None
    for r in sorted(counts, reverse=True):
        cum += counts[r]
        if cum * 40 > total:
            upper = r
            break
    return lower, upper


@pytest.mark.parametrize("n", range(10, 17))
def test_swed_eisenhart_runs_limits_match_brute_force(n):
    assert spc.swed_eisenhart_runs_limits(n) == _brute_force_runs_limits(n)


def test_ihi_runs_limits_use_the_printed_table_not_the_computation():
    # Perla, Provost & Murray (2011) Table 1 at n = 20 gives 6-16 runs; the exact even-split computation gives 7-15.
    assert spc.ihi_runs_limits(20) == (6, 16)
    assert spc.swed_eisenhart_runs_limits(20) == (7, 15)
    assert spc.IHI_RUNS_TABLE_CONFIRMED == (20,)
    assert set(spc.IHI_RUNS_TABLE) == set(range(10, 41))
    # beyond the table the limits are computed, and the result says so
    assert spc.ihi_runs_limits(52) == spc.swed_eisenhart_runs_limits(52)
    rc = spc.run_chart([1, 9] * 26, rules="ihi")
    assert any("beyond the IHI table (10 to 40)" in n for n in rc.notes)


def test_ihi_runs_limits_ten_points_by_hand():
    # 5 above, 5 below: C(10,5) = 252 arrangements; 2 have 2 runs, 8 have 3 runs.
    # P(R <= 2) = 2/252 = 0.8 % (too few), P(R <= 3) = 10/252 = 4.0 % (> 2.5 %) -> fewer than 3 is too few;
    # by symmetry more than 9 is too many.
    assert spc.swed_eisenhart_runs_limits(10) == (3, 9) == spc.ihi_runs_limits(10)
    assert spc.ihi_runs_limits(9) is None


# ------------------------------------------------------------------------------------------------------------
# Run chart analysis


def test_points_on_median_neither_make_nor_break_a_run():
    # median 5; the 5s are skipped, so the four 6s after the first 6... form one run above of 7 points
    values = [1, 2, 3, 4, 6, 6, 5, 6, 6, 5, 6, 6, 7, 1, 2]
    rc = spc.run_chart(values, rules="ihi")
    assert rc.median == 5.0
    assert rc.n_obs == 15 and rc.n_useful == 13
    assert rc.longest_run == 7
    shift = [s for s in rc.signals if s.rule == "shift"]
    assert shift[0].points == (4, 5, 7, 8, 10, 11, 12)
    assert not rc.points.loc[[6, 9], "useful"].any()


def test_ihi_shift_needs_six_points():
    five = [1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 1, 9]
    rc = spc.run_chart(five, rules="ihi")
    assert not [s for s in rc.signals if s.rule == "shift"]
    six = [1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9]
    assert [s.points for s in spc.run_chart(six, rules="ihi").signals if s.rule == "shift"] == [
        (0, 1, 2, 3, 4, 5), (6, 7, 8, 9, 10, 11)]


def test_ihi_trend_counts_repeated_value_once():
    # 1, 2, 2, 3, 4: only 4 distinct rising values -> no trend although 5 points rise or stay level.
    rc = spc.run_chart([1, 2, 2, 3, 4, 0, 9, 0, 9, 0], rules="ihi")
    assert not [s for s in rc.signals if s.rule == "trend"]
    # 1, 2, 2, 3, 4, 5: 5 distinct values going up -> trend, and the tied point belongs to it.
    rc = spc.run_chart([1, 2, 2, 3, 4, 5, 0, 9, 0, 9], rules="ihi")
    trend = [s for s in rc.signals if s.rule == "trend"]
    assert trend and trend[0].points == (0, 1, 2, 3, 4, 5)
    assert "5 points in a row all going up" in trend[0].description


def test_ihi_trend_down_and_turning_point_shared():
    rc = spc.run_chart([9, 8, 7, 6, 5, 6, 7, 8, 9, 10], rules="ihi")
    trends = [s.points for s in rc.signals if s.rule == "trend"]
    assert trends == [(0, 1, 2, 3, 4), (4, 5, 6, 7, 8, 9)]


def test_all_points_equal_gives_no_analysis_and_no_signal():
    for rules in ("anhoej", "ihi"):
        rc = spc.run_chart([4.0] * 12, rules=rules)
        assert rc.n_useful == 0 and not rc.signal
        assert rc.longest_run is None and rc.crossings is None
        assert "no signal" in repr(rc)


def test_empty_series_is_no_analysis():
    rc = spc.run_chart([])
    assert rc.n_obs == 0 and rc.n_useful == 0 and rc.median is None and rc.signals == []
    assert rc.notes == ["No useful points (every value is missing or on the median): no analysis, no signal."]


def test_fewer_than_ten_points():
    rc = spc.run_chart([1, 2, 3, 4, 5, 6, 7, 8], rules="ihi")
    assert rc.runs_lower is None
    assert rc.notes == ["Only 8 useful points: the too-few/too-many-runs rule needs at least 10."]
    assert [s.rule for s in rc.signals] == ["trend"]
    # Anhøj still applies: n = 8, longest run limit round(3) + 3 = 6, crossings min = ppf(0.05, 7) = 1
    a = spc.run_chart([1, 2, 3, 4, 5, 6, 7, 8])
    assert (a.longest_run, a.longest_run_max, a.crossings, a.crossings_min) == (4, 6, 1, 1)
    assert not a.signal


def test_nan_values_are_dropped_with_a_note_and_positions_kept():
    values = [1, 2, np.nan, 3, 9, 8, np.nan, 7, 9, 8, 1, 2]
    rc = spc.run_chart(values)
    assert rc.n_obs == 10
    assert rc.notes == ["2 missing value(s) in values at position(s) 2, 6 were left out of the calculations."]
    assert np.isnan(rc.points.loc[2, "side"])
    assert rc.median == float(np.nanmedian(values))


def test_too_many_runs_ihi():
    values = [1, 9] * 10  # 20 runs in 20 points
    rc = spc.run_chart(values, rules="ihi")
    assert rc.runs == 20 and rc.runs_upper < 20
    assert [s.rule for s in rc.signals] == ["too_many_runs"]
    # Anhøj has no "too many crossings" rule.
    assert not spc.run_chart(values).signal


def test_anhoej_shift_and_crossings_points():
    values = [5] * 0 + [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9, 8, 9, 8, 9, 8, 9, 8, 9, 8]
    rc = spc.run_chart(values)
    assert (rc.n_useful, rc.longest_run, rc.longest_run_max, rc.crossings, rc.crossings_min) == (20, 10, 7, 1, 6)
    assert [s.rule for s in rc.signals] == ["shift", "shift", "crossings"]
    assert rc.signal_points("shift") == list(range(20))
    assert rc.points["crossings"].all()


def test_baseline_and_fixed_median():
    values = [10, 12, 11, 13, 12, 11, 5, 4, 5, 6, 4, 5]
    assert spc.run_chart(values, baseline=6).median == 11.5
    assert spc.run_chart(values, median=8).median == 8.0
    with pytest.raises(ValueError, match="not both"):
        spc.run_chart(values, median=8, baseline=6)


def test_run_chart_result_table_and_repr():
    rc = spc.run_chart([5, 6, 4, 5, 7, 3, 5, 9, 10, 11, 12, 13, 12])
    frame = rc.to_frame()
    assert list(frame.columns) == ["value", "median", "side", "included", "useful", "shift", "crossings", "signal"]
    assert "longest run 6 (signal if > 7); crossings 1 (signal if < 3)" in repr(rc)
    assert rc.summary()["signal"] is True


def test_run_chart_bad_rules_message():
    with pytest.raises(ValueError, match="rules must be 'anhoej' or 'ihi'; you gave 'nelson'"):
        spc.run_chart([1, 2, 3], rules="nelson")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 6).map(float), st.just(float("nan"))), max_size=40),
       st.sampled_from(["anhoej", "ihi"]))
def test_runs_equal_crossings_plus_one(values, rules):
    rc = spc.run_chart(values, rules=rules)
    if rc.n_useful:
        assert rc.runs == rc.crossings + 1
        useful = rc.points.loc[rc.points["useful"], "side"].to_numpy()
        assert rc.crossings == int(np.count_nonzero(np.diff(useful)))
    else:
        assert rc.runs is None and not rc.signal


# ------------------------------------------------------------------------------------------------------------
# Shewhart charts against published examples

NIST_FLOWRATE = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]
OJ_CANS = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11,
           20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
CIRCUIT_BOARDS = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16,
                  19, 17, 15]


def test_i_chart_nist_flowrate():
    # NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.2.2 (pmc322): Xbar 50.81, MRbar 1.8778,
    # UCL 55.8041, LCL 45.8159; the process is in control.
    ch = spc.i_chart(NIST_FLOWRATE)
    assert ch.centre == pytest.approx(50.81, abs=1e-9)
    assert ch.ucl[0] == pytest.approx(55.8041, abs=5e-5)
    assert ch.lcl[0] == pytest.approx(45.8159, abs=5e-5)
    assert not ch.signal


def test_mr_chart_nist_flowrate():
    # Same source: MRbar 1.8778; UCL = D4 * MRbar with D4 = 3.267 (Montgomery, Appendix VI, n = 2).
    ch = spc.mr_chart(NIST_FLOWRATE)
    assert ch.centre == pytest.approx(1.8778, abs=5e-5)
    assert ch.ucl[1] == pytest.approx(3.267 * 16.9 / 9)
    assert ch.lcl[1] == 0.0
    assert np.isnan(ch.points["value"].iloc[0]) and not ch.signal


def test_p_chart_montgomery_orange_juice():
    # Montgomery, Introduction to Statistical Quality Control, orange-juice concentrate cans (30 samples of 50):
    # p-bar = 347/1500 = 0.2313, UCL = 0.4102, LCL = 0.0524; samples 15 and 23 plot above the UCL.
    # (Also NIST/SEMATECH e-Handbook 6.3.3.2 and the qcc "orangejuice" data.)
    ch = spc.p_chart(OJ_CANS, [50] * 30)
    assert ch.centre == pytest.approx(0.2313, abs=5e-5)
    assert ch.ucl[0] == pytest.approx(0.4102, abs=5e-5)
    assert ch.lcl[0] == pytest.approx(0.0524, abs=5e-5)
    assert [i + 1 for i in ch.signal_points()] == [15, 23]


def test_c_chart_montgomery_circuit_boards():
    # Montgomery, printed circuit boards (26 samples): c-bar = 19.85, UCL = 33.22, LCL = 6.48 (the book rounds
    # c-bar to 19.85 before computing the limits; qcc's exact values are 33.21086 and 6.481447). Samples 6 and 20
    # plot outside the limits (qcc "circuit" data documentation).
    ch = spc.c_chart(CIRCUIT_BOARDS)
    assert ch.centre == pytest.approx(19.85, abs=5e-3)
    assert ch.ucl[0] == pytest.approx(33.22, abs=0.01)
    assert ch.lcl[0] == pytest.approx(6.48, abs=0.01)
    assert ch.ucl[0] == pytest.approx(33.21086, abs=1e-5)
    assert [i + 1 for i in ch.signal_points()] == [6, 20]


def test_u_chart_with_unit_exposure_equals_c_chart():
    ch_u = spc.u_chart(CIRCUIT_BOARDS, [1] * 26)
    ch_c = spc.c_chart(CIRCUIT_BOARDS)
    np.testing.assert_allclose(ch_u.ucl, ch_c.ucl)
    np.testing.assert_allclose(ch_u.lcl, ch_c.lcl)


def test_u_chart_per_point_limits_by_hand():
    num, den = [3, 1, 4, 2], [1000, 800, 1200, 900]
    ch = spc.u_chart(num, den)
    u_bar = 10 / 3900
    expected_ucl = [u_bar + 3 * math.sqrt(u_bar / n) for n in den]
    np.testing.assert_allclose(ch.ucl, expected_ucl)
    assert (ch.lcl == 0).all()


def test_p_chart_varying_n_and_clamp_to_zero_and_one():
    ch = spc.p_chart([1, 0, 2, 19], [5, 5, 10, 20])
    p_bar = 22 / 40
    sig = [math.sqrt(p_bar * (1 - p_bar) / n) for n in (5, 5, 10, 20)]
    np.testing.assert_allclose(ch.points["sigma"], sig)
    assert (ch.lcl >= 0).all() and (ch.ucl <= 1).all()
    assert ch.ucl[0] == 1.0 and ch.lcl[0] == 0.0


def test_laney_p_prime_by_hand():
    num = np.array([480, 530, 410, 620, 505, 470])
    den = np.array([5000, 5100, 4900, 5200, 5000, 4950])
    p = num / den
    p_bar = num.sum() / den.sum()
    sig = np.sqrt(p_bar * (1 - p_bar) / den)
    z = (p - p_bar) / sig
    sigma_z = np.abs(np.diff(z)).mean() / 1.128  # Laney (2002)
    ch = spc.p_prime_chart(num, den)
    np.testing.assert_allclose(ch.points["sigma"], sig * sigma_z)
    np.testing.assert_allclose(ch.ucl, p_bar + 3 * sig * sigma_z)


def test_laney_u_prime_by_hand():
    num = np.array([30, 45, 28, 60, 41])
    den = np.array([10000, 11000, 9500, 12000, 10500])
    u = num / den
    u_bar = num.sum() / den.sum()
    sig = np.sqrt(u_bar / den)
    sigma_z = np.abs(np.diff((u - u_bar) / sig)).mean() / 1.128
    ch = spc.u_prime_chart(num, den)
    np.testing.assert_allclose(ch.points["sigma"], sig * sigma_z)
    np.testing.assert_allclose(ch.lcl, np.maximum(u_bar - 3 * sig * sigma_z, 0))


# ------------------------------------------------------------------------------------------------------------
# Screening, freeze, split


def test_moving_range_screening_off_by_default_and_on_when_asked():
    values = [10, 11, 10, 11, 10, 11, 10, 40, 10, 11, 10, 11]
    mr = np.abs(np.diff(values))
    amr = mr.mean()
    kept = mr[mr < 3.267 * amr]  # the two moving ranges of 30 go
    assert kept.size == mr.size - 2
    off = spc.i_chart(values)
    on = spc.i_chart(values, screen_mr=True)
    assert off.points["sigma"].iloc[0] == pytest.approx(amr / 1.128)
    assert on.points["sigma"].iloc[0] == pytest.approx(kept.mean() / 1.128)
    # screened limits are tighter: the same point 8 is out, and more besides
    assert 7 in off.signal_points() and set(off.signal_points()) < set(on.signal_points())
    assert spc.mr_chart(values, screen_mr=True).centre == pytest.approx(kept.mean())


def test_screening_recomputes_only_once():
    # After one pass the new AMR is small, so other moving ranges would exceed 3.267 * AMR; they stay.
    values = [0, 1, 0, 1, 0, 1, 0, 6, 0, 1, 0, 1, 0, 100]
    mr = np.abs(np.diff(values))
    once = mr[mr < 3.267 * mr.mean()]
    assert (once >= 3.267 * once.mean()).any()
    ch = spc.i_chart(values, screen_mr=True)
    assert ch.points["sigma"].iloc[0] == pytest.approx(once.mean() / 1.128)


def test_freeze_uses_baseline_points_and_extends_limits():
    values = [20, 22, 21, 23, 22, 21, 20, 22, 30, 31, 32, 29]
    frozen = spc.i_chart(values, baseline=8)
    base = spc.i_chart(values[:8])
    assert (frozen.cl == base.centre).all()
    np.testing.assert_allclose(frozen.ucl, base.ucl[0])
    assert frozen.points["baseline"].tolist() == [True] * 8 + [False] * 4
    assert frozen.signal_points() == [8, 9, 10, 11]


def test_split_gives_separate_limits_per_part():
    num = [20, 22, 19, 21, 23, 20, 10, 11, 9, 12, 10, 11]
    den = [100] * 12
    split = spc.p_chart(num, den, parts=6)
    before, after = spc.p_chart(num[:6], den[:6]), spc.p_chart(num[6:], den[6:])
    np.testing.assert_allclose(split.ucl[:6], before.ucl)
    np.testing.assert_allclose(split.ucl[6:], after.ucl)
    assert split.points["part"].tolist() == [1] * 6 + [2] * 6
    assert "part 2: CL 0.105" in repr(split)


def test_freeze_and_split_together_is_refused():
    with pytest.raises(ValueError, match="not both"):
        spc.i_chart([1, 2, 3, 4, 5], baseline=3, parts=3)


def test_part_beyond_end_message():
    with pytest.raises(ValueError, match=r"parts: a new part cannot start at position 9; the chart has only 5"):
        spc.i_chart([1, 2, 3, 4, 5], parts=9)


# ------------------------------------------------------------------------------------------------------------
# NHS Making Data Count rules


def _nhs(values):
    return spc.i_chart(values, rules="nhs")


def test_nhs_seven_point_trend_and_tie_breaks_it():
    rising = [10, 12, 9, 11, 10, 11, 12, 13, 14, 15, 16, 10, 11, 9]
    ch = _nhs(rising)
    assert ch.points["trend"].tolist()[4:11] == [True] * 7
    assert ch.signal_points("trend") == list(range(4, 11))
    tied = [10, 12, 9, 11, 10, 11, 12, 13, 13, 15, 16, 10, 11, 9]
    assert not _nhs(tied).points["trend"].any()


def test_nhs_seven_points_one_side_point_on_mean_breaks_it():
    values = [5, 5, 5, 5, 5, 5, 5, 1, 1, 1, 1, 1, 1, 9, 9]  # mean 4: seven 5s above
    ch = _nhs(values)
    assert ch.signal_points("shift") == list(range(7))
    broken = [5, 5, 5, 4, 5, 5, 5, 1, 1, 1, 1, 1, 1, 9, 11]  # mean exactly 4: point 3 sits on the mean
    ch2 = spc.i_chart(broken, rules="nhs")
    assert ch2.centre == 4.0
    assert not ch2.points.loc[:6, "shift"].any()


def test_nhs_two_of_three_beyond_two_sigma():
    values = [10, 10.5, 9.5, 10, 10.5, 9.5, 10, 10.5, 9.5, 10, 12.4, 10.5, 12.4, 10, 9.5, 10.5]
    ch = spc.i_chart(values, rules="nhs")
    cl, sd = ch.centre, ch.points["sigma"].iloc[0]
    assert 12.4 > cl + 2 * sd and 12.4 < cl + 3 * sd and 10.5 > cl
    # only the two points beyond 2 sigma are flagged; the middle point (above the mean, inside 2 sigma) is not
    assert ch.signal_points("two_of_three") == [10, 12]
    # the middle point below the mean: the three are not on one side, so no signal (NHSRplotthedots issue #143)
    below = values[:11] + [9.5] + values[12:]
    assert spc.i_chart(below, rules="nhs").signal_points("two_of_three") == []
    assert not ch.points["beyond_limits"].any()
    assert spc.i_chart(values).signal_points() == []  # the default rule set only looks at the limits


def test_rules_argument_message():
    with pytest.raises(ValueError, match="rules must be 'limits'.*or 'nhs'.*you gave 'westgard'"):
        spc.i_chart([1, 2, 3], rules="westgard")


# ------------------------------------------------------------------------------------------------------------
# Impossible input


def test_negative_counts_message():
    with pytest.raises(ValueError) as err:
        spc.p_chart([1, -1], [10, 10])
    assert str(err.value) == ("numerator must not be negative; position 1 is -1. Counts of events and of "
                              "opportunities are 0 or more.")


def test_zero_denominator_message():
    with pytest.raises(ValueError) as err:
        spc.u_chart([1, 1], [10, 0])
    assert str(err.value) == ("denominator is 0 at position 1 but numerator is 1: events cannot happen with no "
                              "opportunities (no patients, no audits). Check that period's counts.")


def test_numerator_above_denominator_message():
    with pytest.raises(ValueError, match="numerator cannot exceed denominator for a proportion; at position 0 "
                                         "the numerator is 11 and the denominator is 10"):
        spc.p_chart([11, 1], [10, 10])


def test_mismatched_lengths_message():
    with pytest.raises(ValueError, match="same length, one value per period: numerator has 3, denominator has 2"):
        spc.p_chart([1, 2, 3], [10, 10])


def test_text_values_message():
    with pytest.raises(TypeError, match="values must be a list, array or Series of numbers"):
        spc.run_chart("1,2,3")


def test_i_chart_nan_dropped_with_note():
    values = [10, 11, np.nan, 12, 11, 10, 12]
    ch = spc.i_chart(values)
    assert ch.notes == ["1 missing value(s) in values at position(s) 2 were left out of the calculations.",
                        "Part 1: the limits come from only 6 points, so they are trial limits (fewer than 12); "
                        "revise them as more data arrive."]
    assert ch.centre == pytest.approx(np.nanmean(values))
    # moving ranges next to the gap are not used (qicharts2 convention): |11-10|, |11-12|, |10-11|, |12-10|
    assert ch.points["sigma"].iloc[0] == pytest.approx(np.mean([1, 1, 1, 2]) / 1.128)
    assert not ch.points.loc[2, "signal"]


# ------------------------------------------------------------------------------------------------------------
# Limits never cross the centre line


counts = st.integers(0, 200)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(counts, st.integers(1, 400)), min_size=2, max_size=25),
       st.sampled_from(["p", "u", "pp", "up"]), st.booleans())
def test_attribute_limits_never_cross_centre_line(rows, kind, screen):
    den = [max(d, n) for n, d in rows]
    num = [n for n, _ in rows]
    if kind == "p":
        ch = spc.p_chart(num, den)
    elif kind == "u":
        ch = spc.u_chart(num, den)
    elif kind == "pp":
        ch = spc.p_prime_chart(num, den, screen_mr=screen)
    else:
        ch = spc.u_prime_chart(num, den, screen_mr=screen)
    ok = ~np.isnan(ch.ucl)
    assert (ch.lcl[ok] <= ch.cl[ok] + 1e-12).all() and (ch.cl[ok] <= ch.ucl[ok] + 1e-12).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=2, max_size=30), st.booleans(),
       st.sampled_from(["i", "mr", "c"]))
def test_variable_limits_never_cross_centre_line(values, screen, kind):
    if kind == "i":
        ch = spc.i_chart(values, screen_mr=screen)
    elif kind == "mr":
        ch = spc.mr_chart(values, screen_mr=screen)
    else:
        ch = spc.c_chart(np.abs(np.round(values)))
    assert (ch.lcl <= ch.cl).all() and (ch.cl <= ch.ucl).all()


# ------------------------------------------------------------------------------------------------------------
# PDSA log


def test_pdsa_decision_must_be_adopt_adapt_or_abandon():
    with pytest.raises(ValueError) as err:
        spc.PDSACycle(1, "Text reminder", "fewer no-shows", "no change", "continue")
    assert str(err.value) == (
        "decision must be 'adopt', 'adapt' or 'abandon'; you gave 'continue'. Adopt = keep the change as tested, "
        "adapt = change it and test again, abandon = stop testing it. Leave it blank while the cycle is still "
        "running.")


def test_pdsa_dates_validated_and_normalised():
    c = spc.PDSACycle(2, "Call instead of text", "no-shows < 12%", "", "", "2024-07-01", date(2024, 7, 14))
    assert c.start == date(2024, 7, 1) and c.end == date(2024, 7, 14)
    with pytest.raises(ValueError, match=r"end \(2024-06-01\) is before start \(2024-07-01\)"):
        spc.PDSACycle(3, "x", "y", start="2024-07-01", end="2024-06-01")
    with pytest.raises(ValueError, match="start must be a date such as '2024-03-04'"):
        spc.PDSACycle(3, "x", "y", start="July 1st")


def test_pdsa_log_table_and_annotations():
    log = spc.PDSALog()
    log.add("SMS 48 h before", "no-shows fall below 15%", "fell to 12%", "Adopt", start="2024-07-01")
    log.add("SMS plus call for new patients", "below 10%", "11%", "adapt", start="2024-08-05",
            end="2024-08-25")
    frame = log.to_frame()
    assert frame.columns.tolist() == ["cycle", "change", "prediction", "result", "decision", "start", "end"]
    assert frame["cycle"].tolist() == [1, 2] and frame["decision"].tolist() == ["adopt", "adapt"]
    assert frame["start"].tolist() == ["2024-07-01", "2024-08-05"]
    weeks = [f"2024-{m:02d}-{d:02d}" for m, d in [(6, 24), (7, 1), (7, 8), (7, 29), (8, 5), (8, 12)]]
    assert log.annotations(weeks) == [(1, "PDSA 1: SMS 48 h before (adopt)"),
                                      (4, "PDSA 2: SMS plus call for new patients (adapt)")]
    with pytest.raises(ValueError, match="already has a cycle number 1"):
        log.add("again", "x", cycle=1)
    assert "SMS 48 h before" in repr(log)


# ------------------------------------------------------------------------------------------------------------
# Reference results of the reference implementations (qicharts2, NHSRplotthedots), reproduced exactly

# R: set.seed(123); rnorm(20) -- the data of NHSRplotthedots tests/testthat/test-ptd_spc_standard.R
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
             -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
             0.49785048, -1.96661716, 0.70135590, -0.47279141]


def test_nhs_limits_match_nhsrplotthedots_snapshot():
    # NHSRplotthedots 0.2.2, tests/testthat/_snaps/ptd_spc_standard.md: mean_col 0.1416238, lpl -3.01138,
    # upl 3.294627 (screen_outliers = TRUE, the package default).
    ch = spc.i_chart(RNORM_123, rules="nhs")
    assert ch.centre == pytest.approx(0.1416238, abs=5e-8)
    assert ch.lcl[0] == pytest.approx(-3.01138, abs=5e-6)
    assert ch.ucl[0] == pytest.approx(3.294627, abs=5e-7)
    assert ch.multiplier == 2.66 and ch.ucl[0] - ch.centre == pytest.approx(2.66 * ch.amr[0])
    # relative_to_mean in the same snapshot starts -1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1
    side = np.sign(np.array(RNORM_123) - ch.centre)[:15]
    assert side.tolist() == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    # same snapshot, y[15] <- 10: screened (r2) and unscreened (r3) limits
    y = list(RNORM_123)
    y[14] = 10
    r2, r3 = spc.i_chart(y, rules="nhs"), spc.i_chart(y, rules="nhs", screen_mr=False)
    assert r2.centre == pytest.approx(0.6694159, abs=5e-8)
    assert (r2.lcl[0], r2.ucl[0]) == (pytest.approx(-2.383666, abs=5e-7), pytest.approx(3.722497, abs=5e-7))
    assert (r3.lcl[0], r3.ucl[0]) == (pytest.approx(-4.596625, abs=5e-7), pytest.approx(5.935457, abs=5e-7))
    # the 2-sigma lines sit at mean +/- (2/3 * 2.66) AMR, NHSRplotthedots' "near process limits"
    assert r2.points["ucl_2sigma"].iloc[0] == pytest.approx(r2.centre + 2 / 3 * 2.66 * r2.amr[0])


def test_classic_i_chart_keeps_three_over_d2():
    ch = spc.i_chart(RNORM_123)
    assert ch.multiplier == pytest.approx(3 / 1.128)
    assert ch.ucl[0] - ch.centre == pytest.approx(3 / 1.128 * ch.amr[0])


def test_nhs_opposite_sides_is_common_cause_nhsrplotthedots():
    # NHSRplotthedots test-ptd_spc_standard.R: symmetrical data, 2 successive points close to the limits on
    # opposite sides of the mean -> both common cause (issue #143).
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    ch = spc.i_chart(values, rules="nhs")
    assert not ch.points.loc[[14, 15], "signal"].any()


def test_nhs_two_of_three_owners_restatement_issue_194():
    # Making Data Count team, NHSRplotthedots issue #194 (Nov 2023): one point between 2 and 3 sigma and the next
    # beyond 3 sigma, all three on the same side of the mean -> both trigger the 2-of-3 rule; the third point
    # (between the mean and 2 sigma) is not flagged. NHSRplotthedots 0.2.x counts only the 2-3 sigma band.
    base = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11]
    ch = spc.i_chart(base, rules="nhs")
    sd = ch.points["sigma"].iloc[0]
    frozen = dict(baseline=20, rules="nhs")
    values = base + [ch.centre + 0.5 * sd, ch.centre + 2.5 * sd, ch.centre + 3.5 * sd, 9.0]
    out = spc.i_chart(values, **frozen)
    assert out.signal_points("two_of_three") == [21, 22]
    assert out.signal_points("beyond_limits") == [22]
    # the package's 0.2.x reading would flag nothing for 2 of 3 here: only one point lies in the 2-3 sigma band
    in_band = [(v - ch.centre) / sd for v in values[20:23]]
    assert sum(2 < z < 3 for z in in_band) == 1


def test_nhs_trend_and_side_rules_match_nhsrplotthedots_unit_cases():
    # ptd_seven_point_trend(c(1:3, 3:6)) == 0 (a tie breaks it); ptd_seven_point_trend(1:7) flags the 7th point
    pad = [3.5, 3.6, 3.4, 3.5, 3.6, 3.4]
    assert not spc.i_chart(pad + [1, 2, 3, 3, 4, 5, 6], rules="nhs").points["trend"].any()
    assert spc.i_chart(pad + [1, 2, 3, 4, 5, 6, 7], rules="nhs").signal_points("trend") == list(range(6, 13))
    # ptd_seven_point_one_side_mean(rep(1, 6)) == 0; c(rep(1, 8), -1) -> a run of 8 above the mean
    assert not spc.i_chart([5] * 6 + [1] * 6, rules="nhs").points["shift"].any()
    assert spc.i_chart([5] * 8 + [1] * 7, rules="nhs").signal_points("shift") == list(range(15))


# Montgomery Table 7.3 (orange-juice cans, 94 samples of 50) as in qicharts2's tbl_07.03
OJ_94 = OJ_CANS + [9, 6, 12, 5, 6, 4, 6, 3, 7, 6, 2, 4, 3, 6, 5, 4, 8, 5, 6, 7, 5, 6, 3, 5, 8, 7, 5, 6, 4, 5, 2, 3,
                   4, 7, 6, 5, 5, 3, 7, 9, 6, 10, 4, 3, 5, 8, 11, 9, 7, 3, 5, 2, 1, 4, 5, 3, 7, 6, 4, 4, 6, 8, 5, 6]


def test_p_chart_exclude_and_part_match_qicharts2_example_7_1():
    # qicharts2 tests/testthat/ex_7.1_5.rds: qic(sample, count, size, data = tbl_07.03, chart = 'p',
    # exclude = c(15, 23), part = 30). Part 1: CL 0.215, UCL 0.389297, LCL 0.040703 (Montgomery's revised
    # limits 0.2150 / 0.3893 / 0.0407); runs: 28 useful, longest 5 (max 8), crossings 13 (min 9).
    # Part 2: CL 0.109687, UCL 0.24227, LCL 0; runs: 64 useful, longest 7 (max 9), crossings 30 (min 25).
    # Sigma signals at samples 15, 21 and 23 (15 and 23 excluded but still shown and reported).
    assert len(OJ_94) == 94
    ch = spc.p_chart(OJ_94, [50] * 94, exclude=[14, 22], parts=30)
    p1, p2 = ch.points[ch.points["part"] == 1], ch.points[ch.points["part"] == 2]
    assert p1["cl"].iloc[0] == pytest.approx(0.215)
    assert (p1["ucl"].iloc[0], p1["lcl"].iloc[0]) == (pytest.approx(0.389297, abs=5e-7),
                                                      pytest.approx(0.040703, abs=5e-7))
    assert p2["cl"].iloc[0] == pytest.approx(0.109687, abs=5e-7)
    assert (p2["ucl"].iloc[0], p2["lcl"].iloc[0]) == (pytest.approx(0.24227, abs=5e-6), 0.0)
    r1, r2 = ch.runs
    assert (r1.n_obs, r1.n_useful, r1.longest_run, r1.longest_run_max, r1.crossings, r1.crossings_min) == \
        (28, 28, 5, 8, 13, 9)
    assert (r2.n_obs, r2.n_useful, r2.longest_run, r2.longest_run_max, r2.crossings, r2.crossings_min) == \
        (64, 64, 7, 9, 30, 25)
    assert not ch.runs_signal
    assert [i + 1 for i in ch.signal_points("beyond_limits")] == [15, 21, 23]
    assert ch.points.loc[[14, 22], "included"].tolist() == [False, False]
    assert "excluded point" in ch.signals[0].description


CIRCUIT_46 = CIRCUIT_BOARDS + [16, 18, 12, 15, 24, 21, 28, 20, 25, 19, 18, 21, 16, 22, 19, 12, 14, 9, 16, 21]


def test_c_chart_exclude_freeze_and_runs_match_qicharts2_example_7_3():
    # qicharts2 tests/testthat/ex_7.3_3.rds: qic(sample, count, data = tbl_07.08, chart = 'c',
    # exclude = c(6, 20), freeze = 26): CL 19.666667, UCL 32.970801, LCL 6.362532 (Montgomery Example 7.3:
    # 19.67 / 32.97 / 6.36); runs on the 44 included points: longest run 8 (max 8), crossings 14 (min 16),
    # so the runs analysis signals; sigma signals at samples 6 and 20.
    ch = spc.c_chart(CIRCUIT_46, baseline=26, exclude=[5, 19])
    assert ch.centre == pytest.approx(19.666667, abs=5e-7)
    assert (ch.ucl[0], ch.lcl[0]) == (pytest.approx(32.970801, abs=5e-7), pytest.approx(6.362532, abs=5e-7))
    r = ch.runs[0]
    assert (r.n_obs, r.n_useful, r.longest_run, r.longest_run_max, r.crossings, r.crossings_min) == \
        (44, 44, 8, 8, 14, 16)
    assert ch.runs_signal and [s.rule for s in r.signals] == ["crossings"]
    assert [i + 1 for i in ch.signal_points()] == [6, 20]


# Montgomery Table 6.7 (weekly cost) as in qicharts2's tbl_06.07
COST_40 = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295, 293, 306, 301, 304,
           305, 282, 305, 296, 314, 295, 287, 301, 298, 311, 310, 292, 305, 299, 304, 310, 304, 305, 333, 328]


def test_i_and_mr_chart_frozen_baseline_match_qicharts2_example_6_5():
    # qicharts2 tests/testthat/ex_6.5_3.rds (chart = 'i', freeze = 20): CL 300.5, LCL 279.783315,
    # UCL 321.216685; runs on all 40 points: longest 6 (max 8), crossings 20 (min 14); signals at 39 and 40.
    ch = spc.i_chart(COST_40, baseline=20)
    assert ch.centre == 300.5
    assert (ch.lcl[0], ch.ucl[0]) == (pytest.approx(279.783315, abs=5e-7), pytest.approx(321.216685, abs=5e-7))
    r = ch.runs[0]
    assert (r.n_useful, r.longest_run, r.longest_run_max, r.crossings, r.crossings_min) == (40, 6, 8, 20, 14)
    assert [i + 1 for i in ch.signal_points()] == [39, 40]
    # ex_6.5_4.rds (chart = 'mr', freeze = 20): CL 7.789474, UCL 25.448211; signal at 39
    mr = spc.mr_chart(COST_40, baseline=20)
    assert mr.centre == pytest.approx(7.789474, abs=5e-7)
    assert mr.ucl[1] == pytest.approx(25.448211, abs=5e-6)
    assert [i + 1 for i in mr.signal_points()] == [39]
    assert mr.runs == [] and mr.multiplier == 3.267


def test_exclude_bridges_the_moving_range_as_qicharts2_does():
    # qicharts2 qic.i: mr <- abs(diff(x$y[base])) with base = baseline & include, so the neighbours of an
    # excluded point form a moving range; a missing value (NA) drops the moving ranges next to it.
    values = [10, 12, 40, 11, 13, 12]
    ch = spc.i_chart(values, exclude=[2])
    assert ch.amr[0] == pytest.approx(np.mean([2, 1, 2, 1]))
    assert ch.centre == pytest.approx(np.mean([10, 12, 11, 13, 12]))
    assert ch.signal_points("beyond_limits") == [2]
    assert ("1 point(s) at position(s) 2 were excluded: shown on the chart but left out of the centre line, the "
            "limits and the runs analysis.") in ch.notes
    with pytest.raises(ValueError, match="exclude: position 9 is past the end of the chart"):
        spc.i_chart(values, exclude=[9])


def test_run_chart_exclude_leaves_points_out_of_median_and_runs():
    values = [1, 2, 3, 100, 4, 5, 6]
    rc = spc.run_chart(values, exclude=[3])
    assert rc.median == 3.5 and rc.n_obs == 6
    assert rc.points["included"].tolist() == [True, True, True, False, True, True, True]
    assert not rc.points.loc[3, "useful"]


def test_trial_limits_note_below_twelve_points():
    ch = spc.i_chart([5, 6, 5, 7, 6, 5, 6, 7, 6, 5, 6, 5, 6, 7], baseline=6)
    assert ch.notes == ["Part 1: the limits come from only 6 points, so they are trial limits (fewer than 12); "
                        "revise them as more data arrive."]
    assert spc.i_chart(list(range(12))).notes == []


def test_pdsa_annotations_refuse_dates_out_of_order():
    log = spc.PDSALog([spc.PDSACycle(1, "Huddle", "fewer delays", start="2024-02-10")])
    with pytest.raises(ValueError, match="x must be in time order"):
        log.annotations(x=["2024-04-01", "2024-01-01", "2024-02-01", "2024-03-01"])


def _owners_two_of_three(y, cl, sd):
    """The Making Data Count team's rule (NHSRplotthedots issue #194), written independently: in any 3 consecutive
    points all on one side of the mean with at least 2 beyond the 2-sigma line (beyond 3 sigma included), flag the
    points beyond 2 sigma."""
    flagged = set()
    for a in range(len(y) - 2):
        win = range(a, a + 3)
        for sgn in (1, -1):
            if all(sgn * (y[i] - cl) > 0 for i in win):
                beyond = [i for i in win if sgn * (y[i] - cl) > 2 * sd]
                if len(beyond) >= 2:
                    flagged.update(beyond)
    return sorted(flagged)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-40, 40).map(lambda v: v / 10), min_size=3, max_size=30))
def test_nhs_two_of_three_equals_the_owners_rule(values):
    ch = spc.i_chart(values, rules="nhs")
    if np.isnan(ch.points["sigma"].iloc[0]):
        return
    assert ch.signal_points("two_of_three") == _owners_two_of_three(values, ch.centre, ch.points["sigma"].iloc[0])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(50, 120)), min_size=4, max_size=25), st.data())
def test_excluding_points_equals_leaving_them_out_of_the_limits(rows, data):
    num, den = [n for n, _ in rows], [d for _, d in rows]
    drop = data.draw(st.sets(st.integers(0, len(rows) - 1), max_size=len(rows) - 2))
    ch = spc.p_chart(num, den, exclude=sorted(drop))
    kept = [i for i in range(len(rows)) if i not in drop]
    assert ch.centre == pytest.approx(sum(num[i] for i in kept) / sum(den[i] for i in kept))
    assert len(ch.points) == len(rows)  # excluded points stay on the chart
    assert ch.runs[0].n_obs == len(kept)


@pytest.mark.parametrize("make", [
    lambda ex: spc.i_chart([5, 6, 5, 40, 6, 5, 6, 5, 6, 7, 5, 6, 5], exclude=ex),
    lambda ex: spc.mr_chart([5, 6, 5, 40, 6, 5, 6, 5, 6, 7, 5, 6, 5], exclude=ex),
    lambda ex: spc.c_chart([5, 6, 5, 40, 6, 5, 6, 5, 6, 7, 5, 6, 5], exclude=ex),
    lambda ex: spc.p_chart([5, 6, 5, 40, 6, 5, 6, 5, 6, 7, 5, 6, 5], [50] * 13, exclude=ex),
    lambda ex: spc.u_chart([5, 6, 5, 40, 6, 5, 6, 5, 6, 7, 5, 6, 5], [50] * 13, exclude=ex),
    lambda ex: spc.p_prime_chart([5, 6, 5, 40, 6, 5, 6, 5, 6, 7, 5, 6, 5], [50] * 13, exclude=ex),
    lambda ex: spc.u_prime_chart([5, 6, 5, 40, 6, 5, 6, 5, 6, 7, 5, 6, 5], [50] * 13, exclude=ex),
])
def test_every_chart_takes_exclude_and_still_reports_the_point(make):
    plain, excluded = make(None), make([3])
    assert excluded.points["included"].tolist() == [True] * 3 + [False] + [True] * 9
    assert excluded.points.loc[3, "beyond_limits"]  # still shown and reported
    assert excluded.ucl[5] < plain.ucl[5]  # no longer widens the limits
    assert any("position(s) 3 were excluded" in n for n in excluded.notes)
