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
                         "median_annual_pay": [100_000, 118_000, 84_000],
                         "pay_reference": ["2021-05"] * 3})


def test_compare_settings_hand_computed():
    out = c.compare_settings(SETTINGS)
    assert out["work_setting"].tolist() == ["Hospitals", "Nursing care"]
    assert out["difference_vs_all"].tolist() == [18_000, -16_000]                   # 118,000 - 100,000 ...
    assert out["ratio_to_all"].tolist() == pytest.approx([1.18, 0.84])              # 118,000 / 100,000 ...


def test_compare_settings_errors():
    with pytest.raises(ValueError, match=r"^pay_by_setting needs exactly one row whose 'work_setting' is 'All work "
                                         r"settings' \(the all-settings median to compare against\); it has 0\."):
        c.compare_settings(SETTINGS.iloc[1:])
    mixed = SETTINGS.assign(pay_reference=["2021-05", "2023-05", "2021-05"])
    with pytest.raises(ValueError, match=r"^pay_by_setting mixes pay reference dates \(2021-05, 2023-05\); compare "
                                         r"settings from one edition and date only\.$"):
        c.compare_settings(mixed)
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
