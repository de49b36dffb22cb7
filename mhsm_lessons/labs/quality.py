"""Module 03 lab: Riverbend Community Hospital's quality report to the Board Quality Committee.

Every expected answer is computed from the student's own ``falls_unit_months``, ``hai_unit_months``,
``hrrp_discharges`` and ``hcahps_responses`` with the reference calculations in :mod:`mhsm_lessons.quality`;
every misconception is the number that mistake produces on the same data. The generators guarantee that each
misconception gives a number outside the check's tolerance for every student id (see
``tests/labs/test_quality.py``).
"""
from __future__ import annotations

import pandas as pd

from .. import quality
from ..practice.checks import Misconception, Number, Percent, Question, Table
from ..practice.spec import LabSpec

MEDSURG_UNITS = ("5 West", "5 South", "6 North", "6 South")
FOCUS_UNIT = "5 South"
STRESS_EXCESS = 0.20   # the board's worst case: every condition's ERR this far above its peer median


# ---------------------------------------------------------------------------------------------------------- falls

def _falls(ctx) -> pd.DataFrame:
    return ctx.data("falls_unit_months")


def _unit_fall_rates(ctx) -> pd.DataFrame:
    """24-month pooled falls per 1,000 patient days by unit (units in the file's order)."""
    f = _falls(ctx)
    g = f.groupby("unit", sort=False)[["falls", "patient_days"]].sum().reset_index()
    g["falls_per_1000"] = quality.falls_rate(g["falls"], g["patient_days"])
    return g


def _unit_fall_rates_monthly_mean(ctx) -> pd.DataFrame:
    f = _falls(ctx)
    table = _unit_fall_rates(ctx)
    monthly = quality.falls_rate(f["falls"], f["patient_days"]).groupby(f["unit"], sort=False).mean()
    table["falls_per_1000"] = table["unit"].map(monthly)
    return table


def _medsurg(ctx) -> pd.DataFrame:
    return _unit_fall_rates(ctx).set_index("unit").loc[list(MEDSURG_UNITS)]


def _focus_observed_to_expected(ctx, reference="medsurg") -> float:
    g = _unit_fall_rates(ctx).set_index("unit")
    pool = g.loc[list(MEDSURG_UNITS)] if reference == "medsurg" else g
    rate = pool["falls"].sum() / pool["patient_days"].sum()
    return float(g.loc[FOCUS_UNIT, "falls"] / (g.loc[FOCUS_UNIT, "patient_days"] * rate))


def _focus_count_ratio(ctx) -> float:
    ms = _medsurg(ctx)
    return float(ms.loc[FOCUS_UNIT, "falls"] / ms["falls"].mean())


# ------------------------------------------------------------------------------------------------------ infections

def _hai(ctx) -> pd.DataFrame:
    return ctx.data("hai_unit_months")


def _medsurg_clabsi(ctx, denominator="central_line_days") -> float:
    h = _hai(ctx)
    ms = h[h["unit_type"] == "Med-surg"]
    return float(quality.rate_per_1000(ms["clabsi"].sum(), ms[denominator].sum()))


def _icu(ctx) -> pd.DataFrame:
    h = _hai(ctx)
    return h[h["unit_type"] == "ICU"]


def _icu_sir(ctx) -> float:
    icu = _icu(ctx)
    return quality.standardized_infection_ratio(icu["clabsi"].sum(), icu["clabsi_predicted"].sum()).sir


def _icu_unit_month_sir_mean(ctx) -> float:
    icu = _icu(ctx)
    return float((icu["clabsi"] / icu["clabsi_predicted"]).mean())


def _icu_unit_sir_mean(ctx) -> float:
    g = _icu(ctx).groupby("unit")[["clabsi", "clabsi_predicted"]].sum()
    return float((g["clabsi"] / g["clabsi_predicted"]).mean())


# ------------------------------------------------------------------------------------------------------------ HRRP

def _hrrp(ctx) -> pd.DataFrame:
    return ctx.data("hrrp_discharges")


def _hrrp_table(ctx) -> pd.DataFrame:
    d = _hrrp(ctx)
    table = quality.readmissions_by_condition(d)
    g = d.groupby("condition")
    table["peer_median_err"] = g["peer_median_err"].first()
    table["payments"] = g["base_drg_payment"].sum()
    return table


def _hospital(ctx) -> pd.Series:
    return _hrrp(ctx).iloc[0]


def _factor(ctx, medians=None, total=None, errs=None) -> float:
    t = _hrrp_table(ctx)
    h = _hospital(ctx)
    return quality.hrrp_payment_adjustment_factor(
        t["payments"], t["excess_readmission_ratio"] if errs is None else errs,
        t["peer_median_err"] if medians is None else medians,
        h["total_base_operating_payments"] if total is None else total,
        neutrality_modifier=h["neutrality_modifier"], discharges=t["discharges"])


def _factor_median_one(ctx) -> float:
    t = _hrrp_table(ctx)
    return _factor(ctx, medians=pd.Series(1.0, index=t.index))


def _factor_condition_denominator(ctx) -> float:
    return _factor(ctx, total=_hrrp_table(ctx)["payments"].sum())


def _conditions_in_penalty(ctx, reference="median") -> int:
    t = _hrrp_table(ctx)
    bar = t["peer_median_err"] if reference == "median" else 1.0
    return int(((t["excess_readmission_ratio"] > bar) & t["counts_in_hrrp"]).sum())


def _dollars(ctx, base="fy") -> float:
    h = _hospital(ctx)
    payments = {"fy": h["fy_base_operating_payments"], "period": h["total_base_operating_payments"],
                "conditions": _hrrp_table(ctx)["payments"].sum(),
                "conditions per year": _hrrp_table(ctx)["payments"].sum() / 3}[base]
    return (1.0 - _factor(ctx)) * float(payments)


def _stress_reduction(ctx) -> float:
    """The uncapped reduction when every ERR is STRESS_EXCESS above its peer median."""
    t = _hrrp_table(ctx)
    h = _hospital(ctx)
    return float((t["payments"] * STRESS_EXCESS).sum() * h["neutrality_modifier"]
                 / h["total_base_operating_payments"])


def _stress_factor(ctx) -> float:
    t = _hrrp_table(ctx)
    return _factor(ctx, errs=t["peer_median_err"] + STRESS_EXCESS)


# ---------------------------------------------------------------------------------------------------------- HCAHPS

def _responsiveness(ctx) -> pd.DataFrame:
    d = ctx.data("hcahps_responses")
    return d[d["measure"] == "responsiveness"]


def _responsiveness_top_box(ctx) -> float:
    comp = quality.hcahps_composite_scores(_responsiveness(ctx)).set_index("measure")
    return float(comp.loc["responsiveness", "top_box_pct"])


def _responsiveness_linear_mean(ctx) -> float:
    comp = quality.hcahps_composite_scores(_responsiveness(ctx)).set_index("measure")
    return float(comp.loc["responsiveness", "linear_mean"])


def _responsiveness_blanks_counted(ctx) -> float:
    r = _responsiveness(ctx)
    per_item = (r["response"].fillna("") == "Always").groupby(r["item_id"]).mean() * 100
    return float(per_item.mean())


def _responsiveness_pooled(ctx) -> float:
    r = _responsiveness(ctx).dropna(subset=["response"])
    return float((r["response"] == "Always").mean() * 100)


# ------------------------------------------------------------------------------------------------------- questions

RATE = "falls per 1,000 patient days"

QUESTIONS = (
    Question(
        "q1", "Fall rates by unit, pooled over 24 months", "unit_fall_rates",
        Table(key="unit", numeric=("falls", "patient_days", "falls_per_1000"), tolerance=0.005,
              what="the 24-month fall-rate table", row_name="unit"),
        expected=_unit_fall_rates,
        misconceptions=(
            Misconception("averaged monthly rates", _unit_fall_rates_monthly_mean,
                          "Your falls_per_1000 column averages the 24 monthly rates. A month with few patient days "
                          "counts as much as a full month that way. Pool instead: add each unit's falls and its "
                          "patient days over the 24 months, then divide (falls ÷ patient days × 1,000)."),
        ),
        hints=("Group falls_unit_months by unit and add up falls and patient_days.",
               "falls_per_1000 = total falls ÷ total patient days × 1,000 for each unit: the pooled rate.",
               "quality.falls_rate(table['falls'], table['patient_days']) computes the column in one step."),
        success="Pooled rates weight every patient day equally: the fair way to compare units over two years.",
    ),
    Question(
        "q2", "5 South: observed ÷ expected falls", "south5_observed_to_expected",
        Number("ratio", tolerance=0.005, what="5 South's observed ÷ expected falls"),
        expected=_focus_observed_to_expected,
        misconceptions=(
            Misconception("raw counts", _focus_count_ratio,
                          "You compared 5 South's fall COUNT with the other med-surg units' counts. 5 South is the "
                          "largest unit (40 beds), so it has the most patient days and, at the same risk, the most "
                          "falls. Expected falls = 5 South's patient days × the pooled med-surg fall rate; divide "
                          "its observed falls by that."),
            Misconception("all units as reference", lambda ctx: _focus_observed_to_expected(ctx, "all"),
                          "You used the pooled rate of all seven units, ICUs and step-down included. Compare like "
                          "with like: the expected falls use the pooled rate of the four med-surg units only."),
        ),
        hints=("Expected falls are what 5 South would have had at the med-surg units' pooled rate.",
               "Pooled med-surg rate = falls ÷ patient days of 5 West, 5 South, 6 North and 6 South together.",
               "Ratio = 5 South's falls ÷ (5 South's patient days × pooled med-surg rate). 1.0 means as expected."),
        success="A ratio near 1.0 means 5 South falls about as often as its size predicts: most falls, not most risk.",
    ),
    Question(
        "q3", "Med-surg CLABSI rate", "medsurg_clabsi_rate",
        Number("CLABSIs per 1,000 central-line days", tolerance=0.005,
               what="the med-surg CLABSI rate per 1,000 central-line days"),
        expected=_medsurg_clabsi,
        misconceptions=(
            Misconception("patient-day denominator", lambda ctx: _medsurg_clabsi(ctx, "patient_days"),
                          "You divided by patient days. A device-associated infection rate divides by the days at "
                          "risk from the device: CLABSIs ÷ central-line days × 1,000. Per patient day, a unit that "
                          "uses fewer lines looks safer even if each line is just as risky."),
        ),
        hints=("Keep the four med-surg units (unit_type == 'Med-surg') and all 24 months.",
               "Rate = total CLABSIs ÷ total central_line_days × 1,000 (pool first, then divide)."),
        success="Per line day, the rate measures how safely lines are maintained; the DUR measures how many are used.",
    ),
    Question(
        "q4", "ICU CLABSI SIR, 24 months", "icu_clabsi_sir",
        Number("ratio", tolerance=0.005, what="the 24-month ICU CLABSI SIR"),
        expected=_icu_sir,
        misconceptions=(
            Misconception("averaged unit-month SIRs", _icu_unit_month_sir_mean,
                          "You averaged 48 unit-month SIRs. Each unit-month predicts fewer than 1.0 CLABSI, and NHSN "
                          "does not calculate an SIR when fewer than 1.0 infections are predicted: the ratio is too "
                          "unstable. Pool first: all observed CLABSIs ÷ all predicted CLABSIs for both ICUs over "
                          "24 months."),
            Misconception("averaged unit SIRs", _icu_unit_sir_mean,
                          "You averaged the MICU and SICU SIRs. Units predict different numbers of infections, so "
                          "their SIRs do not carry equal weight. Add the observed and the predicted CLABSIs of both "
                          "ICUs, then divide once."),
        ),
        hints=("SIR = observed ÷ predicted infections.",
               "Keep unit_type == 'ICU', then add clabsi and clabsi_predicted over both units and all 24 months.",
               "quality.standardized_infection_ratio(observed, predicted) also says whether the SIR can be "
               "calculated."),
        success="One pooled SIR on more than 1.0 predicted infection is what NHSN reports and the board should see.",
    ),
    Question(
        "q5", "Reading the SIR", "icu_percent_fewer_than_predicted",
        Percent(tolerance=0.5,
                what="the percent fewer (negative: more) ICU CLABSIs than predicted"),
        expected=lambda ctx: 100.0 * (1.0 - _icu_sir(ctx)),
        misconceptions=(
            Misconception("SIR read as a percent", lambda ctx: 100.0 * _icu_sir(ctx),
                          "You turned the SIR itself into a percent. An SIR of 0.80 is not an 80% infection rate: it "
                          "means 20% FEWER infections than predicted. Percent fewer = (1 − SIR) × 100 (negative "
                          "when the SIR is above 1)."),
        ),
        hints=("SIR 1.0 = as many infections as predicted; below 1.0 = fewer.",
               "Percent fewer than predicted = (1 − SIR) × 100."),
        success="Say it to the board in words: 'x% fewer CLABSIs than the national baseline predicts for our ICUs'.",
    ),
    Question(
        "q6", "Conditions that add to the HRRP penalty", "conditions_in_penalty",
        Number("conditions", tolerance=0.0, what="the number of conditions that add to the penalty"),
        expected=_conditions_in_penalty,
        misconceptions=(
            Misconception("ERR above 1.0", lambda ctx: _conditions_in_penalty(ctx, "one"),
                          "You counted the conditions whose ERR is above 1.0. Since FY2019 CMS compares each ERR with "
                          "the MEDIAN ERR of the hospital's peer group (peer_median_err), not with 1.0: a condition "
                          "adds to the penalty only when its ERR is above that median (and it has at least 25 "
                          "discharges)."),
        ),
        hints=("ERR = sum of predicted ÷ sum of expected readmission probabilities, by condition "
               "(quality.readmissions_by_condition does it).",
               "Compare each ERR with the condition's peer_median_err, and check discharges ≥ 25."),
        success="The peer median, not 1.0, is the bar: a hospital can be penalised with an ERR below 1.",
    ),
    Question(
        "q7", "HRRP payment adjustment factor", "payment_adjustment_factor",
        Number("factor", tolerance=0.0001, what="the FY2026 payment adjustment factor"),
        expected=_factor,
        misconceptions=(
            Misconception("1.0 as the bar", _factor_median_one,
                          "You measured each condition's excess against 1.0. The excess is ERR − the peer-group "
                          "median ERR (when positive), not ERR − 1."),
            Misconception("condition payments as denominator", _factor_condition_denominator,
                          "You divided by the six conditions' payments. The denominator is the hospital's total base "
                          "operating DRG payments for ALL discharges (total_base_operating_payments): the penalty is "
                          "spread over, and applied to, every Medicare discharge."),
        ),
        hints=("Factor = 1 − min(0.03, Σ payments_c × max(ERR_c − median_c, 0) × neutrality modifier ÷ total base "
               "operating DRG payments).",
               "payments_c = sum of base_drg_payment for condition c; the modifier and the total are on every row.",
               "quality.hrrp_payment_adjustment_factor(...) takes dicts or Series keyed by condition."),
        success="A factor of 0.996 means every Medicare base operating DRG payment in FY2026 is cut by 0.4%.",
    ),
    Question(
        "q8", "HRRP dollars at risk in FY2026", "hrrp_dollars_at_risk",
        Number("dollars", tolerance=50.0, what="the FY2026 dollars withheld by HRRP"),
        expected=_dollars,
        misconceptions=(
            Misconception("condition payments only", lambda ctx: _dollars(ctx, "conditions"),
                          "You applied the reduction to the six conditions' payments only. The factor cuts the base "
                          "operating DRG payment of EVERY Medicare discharge in the fiscal year: multiply (1 − factor) "
                          "by fy_base_operating_payments."),
            Misconception("condition payments per year", lambda ctx: _dollars(ctx, "conditions per year"),
                          "You applied the reduction to one year of the six conditions' payments. The factor cuts "
                          "every Medicare discharge's base operating DRG payment in FY2026: multiply (1 − factor) by "
                          "fy_base_operating_payments."),
            Misconception("three-year total", lambda ctx: _dollars(ctx, "period"),
                          "You used the three-year total from the applicable period. The penalty applies to one "
                          "payment year: multiply (1 − factor) by fy_base_operating_payments (FY2026)."),
        ),
        hints=("Dollars at risk = (1 − factor) × the fiscal year's base operating DRG payments for all discharges.",
               "Keep the factor at full precision (do not round it to 4 decimals first)."),
        success="Compare this with the cost of the program that would lower it, such as a transitional-care nurse.",
    ),
    Question(
        "q9", "Worst case: the 3% cap", "stress_test_factor",
        Number("factor", tolerance=0.0001, what="the payment adjustment factor in the worst case"),
        expected=_stress_factor,
        misconceptions=(
            Misconception("no cap", lambda ctx: 1.0 - _stress_reduction(ctx),
                          "You left out the cap. By law the HRRP reduction is at most 3%, so the factor never falls "
                          "below 0.97, however far the ERRs rise."),
        ),
        hints=("Set every condition's ERR to its peer_median_err + 0.20 and recompute the factor.",
               "Then apply the statutory cap: the factor cannot be lower than 0.97."),
        success="The cap bounds the worst case: budget 3% of base operating DRG payments as the maximum exposure.",
    ),
    Question(
        "q10", "HCAHPS responsiveness, top box", "responsiveness_top_box",
        Percent(tolerance=0.1, what="the responsiveness composite top-box score"),
        expected=_responsiveness_top_box,
        misconceptions=(
            Misconception("linear mean", _responsiveness_linear_mean,
                          "That is the linear mean (Never 0, Sometimes 33⅓, Usually 66⅔, Always 100), a 0–100 score "
                          "that is not a percentage of patients. The top-box score is the percent of answers that "
                          "are 'Always'."),
            Misconception("blanks in denominator", _responsiveness_blanks_counted,
                          "You kept the blank answers in Q11's denominator. A blank means the question did not apply "
                          "(the patient needed no help getting to the bathroom): leave blanks out, then compute the "
                          "share of 'Always' among the patients who answered."),
            Misconception("pooled answers", _responsiveness_pooled,
                          "You pooled every answer of both questions. A composite is the MEAN of its items' "
                          "scores: compute the top-box percent of Q4 and of Q11 separately, then average the two."),
        ),
        hints=("Keep measure == 'responsiveness' (items Q4 and Q11).",
               "Top box = percent 'Always' among answered questions, for each item; drop blank answers.",
               "The composite is the average of the two item scores (quality.hcahps_composite_scores does it)."),
        success="Top box is what CMS publicly reports; the linear mean feeds the star ratings.",
    ),
)

LAB = LabSpec(
    lab_id="03_quality_metrics_lab",
    title="Lab 03: Quality metrics, report to the Board Quality Committee",
    datasets=("falls_unit_months", "hai_unit_months", "hrrp_discharges", "hcahps_responses"),
    questions=QUESTIONS,
    solution_path="solutions/03_quality_metrics_lab.ipynb",
)
