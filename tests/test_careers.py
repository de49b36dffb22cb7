"""Tests for mhsm_lessons.careers: hand-computed projections, growth, settings comparison and messages."""
import pandas as pd
import pytest

from mhsm_lessons import careers as c


def test_projected_employment_hand_computed():
    assert c.projected_employment(562_700, 29) == pytest.approx(562_700 * 1.29)     # 725,883
    assert c.projected_employment(509_500, 28) == pytest.approx(652_160)            # 509,500 x 1.28
    assert c.projected_employment(1000, 0) == 1000
    assert c.projected_employment(1000, -10) == pytest.approx(900)


def test_projected_employment_warns_for_a_proportion():
    with pytest.warns(UserWarning, match=r"^growth_pct=0\.29 looks like a proportion\. This function expects a "
                                         r"percent as BLS publishes it: give 32 for 32 % growth, not 0\.32\.$"):
        c.projected_employment(562_700, 0.29)


def test_projected_employment_errors():
    with pytest.raises(ValueError, match=r"^base_employment must be at least 0; you gave -1\."):
        c.projected_employment(-1, 29)
    with pytest.raises(ValueError, match=r"^growth_pct must be above -100 \(percent\); you gave -100\."):
        c.projected_employment(1000, -100)
    with pytest.raises(TypeError, match=r"^growth_pct must be a number; you gave str '29%'\.$"):
        c.projected_employment(1000, "29%")


def test_annualized_growth_rate_hand_computed():
    assert c.annualized_growth_rate(32) == pytest.approx((1.32 ** 0.1 - 1) * 100)    # 2.815 %
    assert c.annualized_growth_rate(21, years=2) == pytest.approx(10.0)             # 1.21 = 1.1 ** 2
    assert c.annualized_growth_rate(0, years=5) == 0.0
    with pytest.raises(ValueError, match=r"^years must be greater than 0; you gave -2\."):
        c.annualized_growth_rate(10, years=-2)


def test_pay_growth_pct_nominal():
    assert c.pay_growth_pct(100_980, 110_680) == pytest.approx((110_680 / 100_980 - 1) * 100)   # 9.61 %
    assert c.pay_growth_pct(104_830, 110_680) == pytest.approx(5.5805, abs=1e-4)                # 5,850 / 104,830
    with pytest.raises(ValueError, match=r"^later_pay must be greater than 0; you gave -5\."):
        c.pay_growth_pct(100, -5)


SETTINGS = pd.DataFrame({"work_setting": ["All work settings", "Hospitals", "Nursing care"],
                         "annual_pay": [100_000, 118_000, 84_000],
                         "pay_reference": ["2021-05"] * 3})


def test_compare_settings_hand_computed():
    out = c.compare_settings(SETTINGS)
    assert out["work_setting"].tolist() == ["Hospitals", "Nursing care"]
    assert out["difference_vs_all"].tolist() == [18_000, -16_000]                   # 118,000 - 100,000 ...
    assert out["ratio_to_all"].tolist() == pytest.approx([1.18, 0.84])              # 118,000 / 100,000 ...


def test_compare_settings_errors():
    with pytest.raises(ValueError, match=r"^pay_by_setting needs exactly one row whose 'work_setting' is 'All work "
                                         r"settings' \(the all-settings figure to compare against\); it has 0\."):
        c.compare_settings(SETTINGS.iloc[1:])
    mixed = SETTINGS.assign(pay_reference=["2021-05", "2023-05", "2021-05"])
    with pytest.raises(ValueError, match=r"^pay_by_setting mixes pay reference dates \(2021-05, 2023-05\); compare "
                                         r"settings from one edition, date and statistic only\.$"):
        c.compare_settings(mixed)
    with pytest.raises(ValueError, match=r"^pay_by_setting mixes statistics \(median, mean\); "):
        c.compare_settings(SETTINGS.assign(statistic=["median", "mean", "median"]))
    with pytest.raises(ValueError, match=r"^pay_by_setting is missing the column\(s\) 'pay'\."):
        c.compare_settings(SETTINGS, pay="pay")


def test_figure_label():
    assert c.figure_label(104_830, edition="2022-32", reference="May 2022", confidence="V") == \
        "$104,830 (May 2022; BLS OOH 2022-32 edition) [V]"
    assert c.figure_label(61_400, edition="2023-33", reference="2023-33", kind="count") == \
        "61,400 (2023-33; BLS OOH 2023-33 edition)"
    with pytest.raises(ValueError, match=r"^kind must be one of dollars, count, percent; you gave 'euros'\.$"):
        c.figure_label(1, edition="x", reference="y", kind="euros")
    with pytest.raises(ValueError, match=r"^confidence must be 'V', 'S', 'K' or None; you gave 'high'\.$"):
        c.figure_label(1, edition="x", reference="y", confidence="high")


def test_figure_label_oews_and_month_words():
    assert c.figure_label(189_000, edition="OEWS May 2019", reference="2019-05", confidence="V") == \
        "$189,000 (May 2019; BLS OEWS May 2019) [V]"
    assert c.month_label("2021-05") == "May 2021" and c.month_label("2021-13") == "2021-13"
    row = pd.Series({"edition": "2022-32", "pay_reference": "2022-05", "median_annual_pay": 104_830, "confidence": "V"})
    assert c.row_label(row) == "$104,830 (May 2022; BLS OOH 2022-32 edition) [V]"


def test_jobs_and_openings_hand_computed():
    assert c.new_jobs_per_year(160_600) == pytest.approx(16_060)                    # 160,600 / 10
    assert c.replacement_openings_per_year(61_400, 160_600) == pytest.approx(45_340)  # 61,400 - 16,060
    assert c.new_jobs_per_year(144_700, years=10) == pytest.approx(14_470)


def test_real_growth_and_constant_dollars_hand_computed():
    # (110,680 / 100,980) / (304.702 / 255.657) - 1
    assert c.real_growth_pct(100_980, 110_680, 255.657, 304.702) == pytest.approx(
        ((110_680 / 100_980) / (304.702 / 255.657) - 1) * 100)
    assert c.real_growth_pct(100, 110, 200, 220) == pytest.approx(0.0)              # pay kept pace with prices
    assert c.constant_dollars(1000, cpi_from=250, cpi_to=200) == pytest.approx(800)
    table = pd.DataFrame({"year": [2019, 2024], "cpi_u": [255.657, 313.689]})
    assert c.cpi_for(table, 2024) == 313.689
    with pytest.raises(ValueError, match=r"^The CPI table has no year 2030; it covers 2019 to 2024\.$"):
        c.cpi_for(table, 2030)


PCT = pd.DataFrame({"percentile": [10, 25, 50, 75, 90], "annual_wage": [58_820, 76_770, 100_980, 133_520, 189_000]})


def test_percentile_rank_interpolates_and_refuses_outside_the_published_range():
    assert c.percentile_rank(100_980, PCT) == pytest.approx(50)
    assert c.percentile_rank(133_520 + 0.2 * 55_480, PCT) == pytest.approx(78)      # 75 + 0.2 x 15
    assert c.percentile_rank(58_820, PCT) == pytest.approx(10)
    with pytest.raises(ValueError, match=r"^\$200,000 is above the 90th percentile \(\$189,000\), the highest point "
                                         r"BLS publishes\. Say 'above the 90th percentile': the 90th percentile is "
                                         r"not the maximum\.$"):
        c.percentile_rank(200_000, PCT)
    with pytest.raises(ValueError, match=r"^\$50,000 is below the 10th percentile \(\$58,820\)"):
        c.percentile_rank(50_000, PCT)


def test_eligibility_and_changes():
    assert c.years_until_eligible(5, 3) == 2 and c.years_until_eligible(5, 7) == 0
    assert c.relative_change_pct(20, 30) == pytest.approx(50) and c.percentage_point_change(20, 30) == 10
    with pytest.raises(ValueError, match=r"^before must be greater than 0; you gave 0\."):
        c.relative_change_pct(0, 5)


def test_pdsa_effect_needs_a_signal_before_it_writes_a_claim():
    weeks = pd.DataFrame({"week_start": [f"2026-01-{d:02d}" for d in range(1, 21)],
                          "phase": ["baseline"] * 10 + ["after change"] * 10, "discharges": [30] * 20,
                          "pct_before_noon": [18, 20, 19, 21, 17, 20, 22, 19, 18, 20] * 2})
    flat = c.pdsa_effect(weeks)
    assert not flat.signal and flat.change_points == 0
    assert flat.bullet() == ("No claim yet: the run chart shows no signal after the change (discharges before noon, "
                             "2026-01-11 to 2026-01-20). Keep measuring; one good week is not a result.")
    shifted = weeks.assign(pct_before_noon=[18, 20, 19, 21, 17, 20, 22, 19, 18, 20] + [30] * 10)
    effect = c.pdsa_effect(shifted)
    assert effect.signal and effect.baseline_median == 19.5 and effect.after_median == 30
    assert effect.bullet() == (
        "Led a PDSA cycle that raised discharges before noon on a 32-bed med-surg unit from a median 19.5% to 30.0% "
        "of discharges (+10.5 percentage points, +54% relative) over 10 weeks (2026-01-11 to 2026-01-20; n = 300 "
        "discharges), a sustained shift on the run chart.")
    with pytest.raises(ValueError, match=r"^weeks needs both 'baseline' rows and rows after the change in 'phase'\.$"):
        c.pdsa_effect(weeks.assign(phase="baseline"))
