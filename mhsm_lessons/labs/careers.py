"""Module 05 lab: an evidence-based five-year career plan on dated BLS figures.

The BLS and CPI figures are the same for every student (they are published numbers); what differs by student is
legitimate planning data from ``career_plan_scenario`` (target setting, prior management experience, a salary
posting) and ``career_pdsa_weeks`` (the student's own PDSA result). Every expected answer is computed from these
tables with the reference calculations in :mod:`mhsm_lessons.careers`; every misconception is the number that
mistake produces on the same data.
"""
from __future__ import annotations

import pandas as pd

from .. import careers
from ..practice.checks import Label, Misconception, Number, Percent, Question
from ..practice.spec import LabSpec

SETTING_REFERENCE = "2021-05"      # the only date with medians by setting
GROWTH_FROM, GROWTH_TO = "2019-05", "2023-05"
PROJECTION_EDITION = "2023-33"     # newest edition confirmed on a BLS page
PERCENTILE_YEAR = 2019


def _outlook(ctx) -> pd.DataFrame:
    return ctx.data("bls_mhsm_outlook")


def _row(ctx, pay_reference=None, edition=None) -> pd.Series:
    o = _outlook(ctx)
    if pay_reference is not None:
        o = o[o["pay_reference"] == pay_reference]
    if edition is not None:
        o = o[o["edition"] == edition]
    return o.iloc[0]


def _scenario(ctx) -> pd.Series:
    return ctx.data("career_plan_scenario").iloc[0]


def _setting_block(ctx) -> pd.DataFrame:
    s = ctx.data("bls_mhsm_pay_by_setting")
    return s[(s["pay_reference"] == SETTING_REFERENCE) & (s["statistic"] == "median")]


def _target_pay(ctx) -> float:
    block = _setting_block(ctx)
    return float(block.loc[block["work_setting"] == _scenario(ctx)["target_setting"], "annual_pay"].iloc[0])


def _premium(ctx) -> float:
    table = careers.compare_settings(_setting_block(ctx)).set_index("work_setting")
    return (table.loc[_scenario(ctx)["target_setting"], "ratio_to_all"] - 1.0) * 100.0


def _premium_mixed(ctx) -> float:
    return (_target_pay(ctx) / _row(ctx, edition=PROJECTION_EDITION)["median_annual_pay"] - 1.0) * 100.0


def _pays(ctx) -> tuple[float, float]:
    return (float(_row(ctx, GROWTH_FROM)["median_annual_pay"]), float(_row(ctx, GROWTH_TO)["median_annual_pay"]))


def _cpis(ctx) -> tuple[float, float]:
    cpi = ctx.data("cpi_u_annual")
    return careers.cpi_for(cpi, int(GROWTH_FROM[:4])), careers.cpi_for(cpi, int(GROWTH_TO[:4]))


def _nominal(ctx) -> float:
    return careers.pay_growth_pct(*_pays(ctx))


def _real(ctx) -> float:
    return careers.real_growth_pct(*_pays(ctx), *_cpis(ctx))


def _projection(ctx) -> pd.Series:
    return _row(ctx, edition=PROJECTION_EDITION)


def _posting_in_2019_dollars(ctx) -> float:
    s = _scenario(ctx)
    cpi = ctx.data("cpi_u_annual")
    return careers.constant_dollars(s["posting_salary"], careers.cpi_for(cpi, int(s["posting_year"])),
                                    careers.cpi_for(cpi, PERCENTILE_YEAR))


def _percentile(ctx) -> float:
    return careers.percentile_rank(_posting_in_2019_dollars(ctx), ctx.data("bls_mhsm_wage_percentiles"))


def _percentile_90_as_max(ctx) -> float:
    """The mistake: treat the 90th-percentile wage as the top of the distribution (the 100th percentile)."""
    p = ctx.data("bls_mhsm_wage_percentiles")
    wrong = pd.concat([p[p["percentile"] < 90], p[p["percentile"] == 90].assign(percentile=100)])
    return careers.percentile_rank(_posting_in_2019_dollars(ctx), wrong)


def _fache_years(ctx) -> float:
    creds = ctx.data("mhsm_credentials").set_index("credential")
    return careers.years_until_eligible(creds.loc["FACHE", "min_years_experience"],
                                        _scenario(ctx)["prior_management_years"])


def _hospital_licence(ctx) -> str:
    creds = ctx.data("mhsm_credentials")
    needs = creds["licence"] & creds["required_for"].str.contains("hospital", case=False)
    return "Yes" if needs.any() else "No"


def _effect(ctx) -> careers.PDSAEffect:
    return careers.pdsa_effect(ctx.data("career_pdsa_weeks"))


def _best_week(ctx) -> float:
    w = ctx.data("career_pdsa_weeks")
    return float(w.loc[w["phase"] != "baseline", "pct_before_noon"].max())


QUESTIONS = (
    Question(
        "q1", "Target-setting pay vs all settings, one date", "setting_premium_pct",
        Percent(tolerance=0.05, what="your target setting's pay premium over all settings (May 2021 medians)"),
        expected=_premium,
        misconceptions=(
            Misconception("mixed editions", _premium_mixed,
                          "You compared a May 2021 setting median with the May 2023 all-settings median of a newer "
                          "edition. Pay moved between those dates, so part of your 'premium' is just time. Compare "
                          "the setting with the all-settings median of the SAME date: May 2021 (BLS OOH 2020-30)."),
        ),
        hints=("A premium compares two figures of the same date and the same statistic (median).",
               "Filter bls_mhsm_pay_by_setting to pay_reference '2021-05' and statistic 'median', then use "
               "careers.compare_settings(...).",
               "Premium (%) = (ratio_to_all − 1) × 100 for your target_setting in career_plan_scenario."),
        success="Same date, same statistic: the comparison is fair. Label both figures with their date.",
    ),
    Question(
        "q2", "Nominal pay growth, May 2019 to May 2023", "nominal_growth_pct",
        Percent(tolerance=0.05, what="the nominal growth of median pay from May 2019 to May 2023"),
        expected=_nominal,
        misconceptions=(
            Misconception("divided by later pay", lambda ctx: (_pays(ctx)[1] - _pays(ctx)[0]) / _pays(ctx)[1] * 100,
                          "You divided the increase by the May 2023 pay. Growth is measured from the starting "
                          "point: (later − earlier) ÷ earlier × 100."),
        ),
        hints=("Use the all-settings median in bls_mhsm_outlook for pay_reference '2019-05' and '2023-05'.",
               "Growth (%) = (later ÷ earlier − 1) × 100; careers.pay_growth_pct does this."),
        success="That is nominal growth: dollars, not purchasing power. The next question adjusts for prices.",
    ),
    Question(
        "q3", "Real pay growth with the CPI-U", "real_growth_pct",
        Percent(tolerance=0.05, signed=False, what="the real (CPI-U adjusted) growth of median pay, May 2019 to "
                                                    "May 2023"),
        expected=_real,
        misconceptions=(
            Misconception("nominal as real", _nominal,
                          "That is the nominal growth. Prices rose too: divide the pay ratio by the CPI-U ratio, "
                          "(pay 2023 ÷ pay 2019) ÷ (CPI 2023 ÷ CPI 2019) − 1, to see what the pay buys."),
            Misconception("subtracted inflation",
                          lambda ctx: _nominal(ctx) - (_cpis(ctx)[1] / _cpis(ctx)[0] - 1) * 100,
                          "You subtracted the inflation rate from the nominal growth. That shortcut is only an "
                          "approximation and is poor when prices rise a lot: divide the ratios instead."),
        ),
        hints=("Use the CPI-U annual averages for 2019 and 2023 from cpi_u_annual.",
               "Real growth (%) = ((pay 2023 ÷ pay 2019) ÷ (CPI 2023 ÷ CPI 2019) − 1) × 100; "
               "careers.real_growth_pct does this."),
        success="A negative real growth means the May 2023 median bought less than the May 2019 median did.",
    ),
    Question(
        "q4", "Projected growth per year, 2023-33", "annual_growth_pct",
        Percent(tolerance=0.01, what="the compound annual growth rate equivalent to the 2023-33 projection"),
        expected=lambda ctx: careers.annualized_growth_rate(_projection(ctx)["projected_growth_pct"], years=10),
        misconceptions=(
            Misconception("10-year growth read as annual", lambda ctx: float(_projection(ctx)["projected_growth_pct"]),
                          "That is the growth over the whole ten years (2023 to 2033), not per year. Convert it to "
                          "a yearly rate: (1 + total ÷ 100)^(1/10) − 1."),
            Misconception("divided by ten", lambda ctx: float(_projection(ctx)["projected_growth_pct"]) / 10,
                          "Dividing the ten-year growth by 10 ignores compounding: each year grows on a larger "
                          "base. Use (1 + total ÷ 100)^(1/10) − 1."),
        ),
        hints=("BLS projections run ten years; projected_growth_pct is the total over the decade.",
               "careers.annualized_growth_rate(total_pct, years=10)."),
        success="Much faster than average, but a few percent a year, not 29 % a year.",
    ),
    Question(
        "q5", "New jobs per year, 2023-33", "new_jobs_per_year",
        Number("jobs per year", tolerance=1.0, what="the average number of new jobs per year from growth, 2023-33"),
        expected=lambda ctx: careers.new_jobs_per_year(_projection(ctx)["new_jobs"], years=10),
        misconceptions=(
            Misconception("openings read as new jobs", lambda ctx: float(_projection(ctx)["openings_per_year"]),
                          "That is BLS's openings per year. Openings include replacing managers who retire or "
                          "change occupation; new jobs come from growth only: employment change ÷ 10."),
        ),
        hints=("Use the 2023-33 row of bls_mhsm_outlook: new_jobs is the employment change over ten years.",
               "careers.new_jobs_per_year(employment_change, years=10)."),
        success="Most openings each year replace people who leave: that is where entry roles come from.",
    ),
    Question(
        "q6", "Place the director posting in the pay distribution", "posting_percentile",
        Number("percentile", tolerance=0.5, what="the percentile of the posted salary in May 2019 pay"),
        expected=_percentile,
        misconceptions=(
            Misconception("90th percentile as maximum", _percentile_90_as_max,
                          "You treated the 90th-percentile wage as the highest pay (the 100th percentile). It is "
                          "not the maximum: one manager in ten earned more. Interpolate between the 75th and 90th "
                          "percentiles."),
        ),
        hints=("The percentiles are May 2019 dollars; the posting is in posting_year dollars. Put them in the same "
               "year's dollars first.",
               "Posting in 2019 dollars = careers.constant_dollars(posting_salary, cpi_from=CPI of posting_year, "
               "cpi_to=CPI 2019).",
               "careers.percentile_rank(amount_in_2019_dollars, bls_mhsm_wage_percentiles) interpolates in a "
               "straight line between the published percentiles."),
        success="An approximation (straight-line interpolation, CPI instead of wage growth): say so in the plan.",
    ),
    Question(
        "q7", "Years until FACHE eligibility", "years_to_fache",
        Number("years", tolerance=0.01, what="the years after graduation until you meet FACHE's experience "
                                             "requirement"),
        expected=_fache_years,
        misconceptions=(
            Misconception("FACHE as entry credential", lambda ctx: 0.0,
                          "FACHE is not an entry credential: ACHE requires a master's degree, a current executive "
                          "healthcare management position and at least 5 years of healthcare management "
                          "experience before you can apply and sit the Board of Governors Exam."),
        ),
        hints=("Find FACHE's min_years_experience in mhsm_credentials.",
               "Subtract the prior_management_years in career_plan_scenario (never below 0): "
               "careers.years_until_eligible(required, prior)."),
        success="Put FACHE at that year of the plan; CPHQ or the CMPE student pathway can come first.",
    ),
    Question(
        "q8", "State licence for a hospital administrator", "hospital_licence_required",
        Label({"Yes": ("yes", "y", "true", "required"), "No": ("no", "n", "false", "not required")},
              what="whether a hospital administrator needs a state licence"),
        expected=_hospital_licence,
        misconceptions=(
            Misconception("licence for hospital administrators", lambda ctx: "Yes",
                          "No state licenses hospital administrators. Nursing home administrators need a state "
                          "licence in every state, and several states license assisted-living administrators; a "
                          "hospital COO or administrator needs none."),
        ),
        hints=("Look at the licence and required_for columns of mhsm_credentials.",
               "Answer 'Yes' or 'No' for the COO of Riverbend Community Hospital."),
        success="Right: a licence matters only if your plan leads to nursing home (or, in some states, assisted "
                "living) administration.",
    ),
    Question(
        "q9", "PDSA result: relative change", "pdsa_relative_change_pct",
        Percent(tolerance=0.5, what="the relative change in the median weekly percent of discharges before noon"),
        expected=lambda ctx: _effect(ctx).change_pct,
        misconceptions=(
            Misconception("one good week",
                          lambda ctx: careers.relative_change_pct(_effect(ctx).baseline_median, _best_week(ctx)),
                          "You used the best single week after the change. A resume claim must rest on the whole "
                          "period: compare the MEDIAN of the 12 weeks after the change with the baseline median, "
                          "and only when the run chart shows a signal."),
            Misconception("percentage points for percent", lambda ctx: _effect(ctx).change_points,
                          "That is the change in percentage points (after − before). The question asks for the "
                          "relative change in percent: (after − before) ÷ before × 100."),
        ),
        hints=("Split career_pdsa_weeks by phase and take the median of pct_before_noon in each phase.",
               "Relative change (%) = (after median − baseline median) ÷ baseline median × 100.",
               "careers.pdsa_effect(weeks) returns both medians, the changes and whether the run chart has a "
               "signal."),
        success="A relative change flatters a small base: pair it with the absolute change in the bullet.",
    ),
    Question(
        "q10", "PDSA result: absolute change", "pdsa_point_change",
        Number("percentage points", tolerance=0.05, what="the absolute change in the median weekly percent of "
                                                          "discharges before noon"),
        expected=lambda ctx: _effect(ctx).change_points,
        misconceptions=(
            Misconception("percent for percentage points", lambda ctx: _effect(ctx).change_pct,
                          "That is the relative change in percent. The absolute change between two percentages is "
                          "in percentage points: after median − baseline median."),
            Misconception("one good week (points)", lambda ctx: _best_week(ctx) - _effect(ctx).baseline_median,
                          "You used the best single week after the change. Claim the change in the MEDIAN of the "
                          "weeks after the change, not the best week."),
        ),
        hints=("Both medians are already percentages: do not divide by the baseline this time.",
               "Percentage points = after median − baseline median; careers.percentage_point_change(before, "
               "after)."),
        success="Now the bullet can say both: '+x percentage points (+y %)', with n and the dates.",
    ),
)

LAB = LabSpec(
    lab_id="05_career_pathways_lab",
    title="Lab 05: Career pathways, a five-year plan on dated BLS figures",
    datasets=("bls_mhsm_outlook", "bls_mhsm_pay_by_setting", "bls_mhsm_wage_percentiles", "cpi_u_annual",
              "mhsm_credentials", "mhsm_career_ladder", "career_plan_scenario", "career_pdsa_weeks"),
    questions=QUESTIONS,
    solution_path="solutions/05_career_pathways_lab.ipynb",
)
