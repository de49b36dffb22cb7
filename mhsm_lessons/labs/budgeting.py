"""Module 01 lab: 5 West's September 2026 variance report and FY2026 break-even.

Every expected answer is computed from the student's own ``medsurg_labor`` and ``medsurg_statement`` with the
reference calculations in :mod:`mhsm_lessons.finance`; every misconception is the number that mistake produces
on the same data.
"""
from __future__ import annotations

import pandas as pd

from .. import finance
from ..practice.checks import Label, Misconception, Number, Percent, Proportion, Question, Table
from ..practice.spec import LabSpec

REPORT_MONTH = "2026-09"
REPORT_MONTH_NAME = "September 2026"
BUDGET_YEAR = ("2025-10", "2026-09")  # FY2026
LABOR_LINES = ("Salaries and wages - RN (worked)", "Salaries and wages - CNA (worked)",
               "Salaries and wages - unit secretary (worked)")


def _month_labor(ctx) -> pd.DataFrame:
    labor = ctx.data("medsurg_labor")
    return labor[labor["month"] == REPORT_MONTH].set_index("job_class")


def _rn(ctx) -> pd.Series:
    return _month_labor(ctx).loc["RN"]


def _rn_variances(ctx) -> finance.LaborVariances:
    r = _rn(ctx)
    return finance.labor_variances(r["budget_patient_days"], r["actual_patient_days"], r["budget_worked_hppd"],
                                   r["budget_hourly_rate"], r["actual_worked_hours"], r["actual_worked_cost"])


def _direct_care(ctx) -> pd.DataFrame:
    return _month_labor(ctx).loc[["RN", "CNA"]]


def _fy_budget(ctx) -> pd.DataFrame:
    s = ctx.data("medsurg_statement")
    return s[(s["month"] >= BUDGET_YEAR[0]) & (s["month"] <= BUDGET_YEAR[1])]


def _fy_budget_patient_days(ctx) -> float:
    return float(_fy_budget(ctx).groupby("month")["budget_patient_days"].first().sum())


def _fy_totals(ctx) -> dict:
    fy = _fy_budget(ctx)
    pdays = _fy_budget_patient_days(ctx)
    revenue = fy.loc[fy["line_type"] == "revenue", "budget"].sum()
    variable = fy.loc[(fy["line_type"] == "expense") & (fy["cost_behavior"] == "variable"), "budget"].sum()
    fixed = fy.loc[(fy["line_type"] == "expense") & (fy["cost_behavior"] == "fixed"), "budget"].sum()
    direct_fixed = fy.loc[(fy["line_type"] == "expense") & (fy["cost_behavior"] == "fixed")
                          & (fy["cost_level"] == "direct"), "budget"].sum()
    return {"pdays": pdays, "revenue_per_pd": revenue / pdays, "variable_per_pd": variable / pdays,
            "fixed": fixed, "direct_fixed": direct_fixed}


def _cm_per_pd(ctx) -> float:
    t = _fy_totals(ctx)
    return finance.contribution_margin(t["revenue_per_pd"], t["variable_per_pd"])


def _report(ctx) -> pd.DataFrame:
    report = finance.variance_report(ctx.data("medsurg_statement"), REPORT_MONTH)
    return report[["line_item", "budget", "flexible_budget", "actual", "variance", "label"]]


def _report_sign_labels(ctx) -> pd.DataFrame:
    """The misconception: 'positive variance is Favorable' on every line, expense lines included."""
    report = _report(ctx).copy()
    report["label"] = ["Favorable" if x > 0 else "Unfavorable" for x in report["variance"]]
    return report


def _labor_variance_pct(ctx, basis="flexible", denominator="budget") -> float:
    """Worked-labor variance as a percent: actual against the flexible (or, as a mistake, the static) budget."""
    report = finance.variance_report(ctx.data("medsurg_statement"), REPORT_MONTH)
    rows = report[report["line_item"].isin(LABOR_LINES)]
    budget = rows["flexible_budget" if basis == "flexible" else "budget"].sum()
    actual = rows["actual"].sum()
    return 100.0 * (actual - budget) / (budget if denominator == "budget" else actual)


def _productive_share(ctx) -> float:
    month = _month_labor(ctx)
    return finance.productive_share((month["actual_regular_hours"] + month["actual_overtime_hours"]).sum(),
                                    month["actual_paid_hours"].sum())


def _productive_share_detail(value, ctx) -> str:
    return f"So about {1 - float(value):.1%} of 5 West's paid hours were PTO, holiday, sick or education time."


def _opposite(label: str) -> str:
    return {"Favorable": "Unfavorable", "Unfavorable": "Favorable"}.get(label, label)


DOLLARS = "dollars"
MONTH = REPORT_MONTH_NAME

QUESTIONS = (
    Question(
        "q1", "RN flexible budget", "rn_flexible_budget",
        Number(DOLLARS, tolerance=1.0, what=f"the RN flexible budget for {MONTH}"),
        expected=lambda ctx: _rn_variances(ctx).flexible_budget,
        misconceptions=(
            Misconception("static budget", lambda ctx: _rn_variances(ctx).static_budget,
                          "That is the static budget: it uses the budgeted patient days. A flexible budget restates "
                          "the budget at the ACTUAL patient days: actual patient days × budgeted worked HPPD × "
                          "budgeted hourly rate."),
            Misconception("actual hours at budget rate",
                          lambda ctx: _rn(ctx)["actual_worked_hours"] * _rn(ctx)["budget_hourly_rate"],
                          "You priced the actual worked hours at the budgeted rate. The flexible budget uses the "
                          "hours the budget allows for the actual volume: actual patient days × budgeted worked "
                          "HPPD."),
            Misconception("actual cost", lambda ctx: _rn(ctx)["actual_worked_cost"],
                          "That is what 5 West actually spent on RN worked hours. The flexible budget is what the "
                          "budget would have allowed at the actual patient days."),
        ),
        hints=("Volume is output (patient days), never input hours.",
               "Flexible budget = actual patient days × budgeted worked HPPD × budgeted hourly rate.",
               "Select the RN row for 2026-09 in medsurg_labor and use actual_patient_days, budget_worked_hppd "
               "and budget_hourly_rate."),
        success="The flexible budget is the yardstick for judging spending at the census the unit actually had.",
    ),
    Question(
        "q2", "RN volume variance", "rn_volume_variance",
        Number(DOLLARS, tolerance=1.0, signed=True, what=f"the RN volume variance for {MONTH}"),
        expected=lambda ctx: _rn_variances(ctx).volume,
        misconceptions=(
            Misconception("flexible-budget variance",
                          lambda ctx: _rn_variances(ctx).quantity + _rn_variances(ctx).price,
                          "That is the flexible-budget variance (actual − flexible budget), which is the quantity "
                          "and price variances together. The volume variance is flexible budget − static budget."),
        ),
        hints=("The volume variance isolates the effect of having more or fewer patient days than budgeted.",
               "Volume variance = flexible budget − static budget = (actual − budgeted patient days) × budgeted "
               "worked HPPD × budgeted rate."),
        success="A volume variance is not the manager's overspending: it follows the census.",
    ),
    Question(
        "q3", "RN quantity (efficiency) variance", "rn_quantity_variance",
        Number(DOLLARS, tolerance=1.0, signed=True, what=f"the RN quantity (efficiency) variance for {MONTH}"),
        expected=lambda ctx: _rn_variances(ctx).quantity,
        misconceptions=(
            Misconception("static hours", lambda ctx: (_rn(ctx)["actual_worked_hours"] - _rn(ctx)["budget_worked_hours"])
                          * _rn(ctx)["budget_hourly_rate"],
                          "You compared actual hours with the static budget's hours. The quantity variance "
                          "compares actual worked hours with the hours allowed for the ACTUAL patient days "
                          "(actual patient days × budgeted worked HPPD), so that volume is not counted twice."),
            Misconception("actual rate", lambda ctx: (_rn(ctx)["actual_worked_hours"] - _rn(ctx)["actual_patient_days"]
                                                      * _rn(ctx)["budget_worked_hppd"])
                          * _rn(ctx)["actual_worked_cost"] / _rn(ctx)["actual_worked_hours"],
                          "You priced the extra hours at the actual rate. The quantity variance prices them at the "
                          "budgeted rate, so that rate changes show up only in the price variance."),
        ),
        hints=("Quantity variance = (actual worked hours − hours allowed for actual volume) × budgeted rate.",
               "Hours allowed for actual volume = actual patient days × budgeted worked HPPD."),
        success="The quantity variance is what the manager controls through scheduling and staffing to census.",
    ),
    Question(
        "q4", "RN price (rate) variance", "rn_price_variance",
        Number(DOLLARS, tolerance=1.0, signed=True, what=f"the RN price (rate) variance for {MONTH}"),
        expected=lambda ctx: _rn_variances(ctx).price,
        misconceptions=(
            Misconception("budget hours", lambda ctx: (_rn(ctx)["actual_worked_cost"] / _rn(ctx)["actual_worked_hours"]
                                                       - _rn(ctx)["budget_hourly_rate"])
                          * _rn(ctx)["actual_patient_days"] * _rn(ctx)["budget_worked_hppd"],
                          "You multiplied the rate difference by the budgeted hours. The price variance uses the "
                          "hours actually worked: (actual rate − budgeted rate) × actual worked hours."),
        ),
        hints=("The actual rate is actual worked cost ÷ actual worked hours; it includes overtime and agency "
               "premiums.",
               "Price variance = (actual rate − budgeted rate) × actual worked hours.",
               "Check: volume + quantity + price must equal actual − static budget exactly."),
        success="Overtime and agency premiums land in the price variance: a staffing-mix story, not a wage story.",
    ),
    Question(
        "q5", "Label the RN total variance", "rn_total_variance_label",
        Label({"Favorable": ("favorable", "favourable", "f", "fav"),
               "Unfavorable": ("unfavorable", "unfavourable", "u", "unfav")},
              what="the right label for the RN total variance"),
        expected=lambda ctx: finance.variance_label(_rn_variances(ctx).total, "expense"),
        misconceptions=(
            Misconception("reversed label",
                          lambda ctx: _opposite(finance.variance_label(_rn_variances(ctx).total, "expense")),
                          "Reversed. RN salaries are an expense line: spending more than budget (a positive "
                          "actual − budget) is Unfavorable, and spending less is Favorable."),
        ),
        hints=("Total variance = actual − static budget = volume + quantity + price.",
               "On an expense line, actual above budget is Unfavorable."),
        success="Always pair a variance with its label: a bare number invites the wrong sign in the meeting.",
    ),
    Question(
        "q6", "Worked HPPD (RN + CNA)", "worked_hppd",
        Number("worked hours per patient day", tolerance=0.01,
               what=f"the direct-care worked HPPD for {MONTH}"),
        expected=lambda ctx: finance.hppd(_direct_care(ctx)["actual_worked_hours"].sum(),
                                          _rn(ctx)["actual_patient_days"]),
        misconceptions=(
            Misconception("paid hours", lambda ctx: _direct_care(ctx)["actual_paid_hours"].sum()
                          / _rn(ctx)["actual_patient_days"],
                          "You used paid hours. Paid hours include PTO, holiday and sick time, when nobody is on "
                          "the unit; the staffing standard is WORKED hours per patient day."),
            Misconception("budget patient days", lambda ctx: _direct_care(ctx)["actual_worked_hours"].sum()
                          / _rn(ctx)["budget_patient_days"],
                          "You divided by the budgeted patient days. Actual HPPD divides actual worked hours by "
                          "ACTUAL patient days."),
            Misconception("included unit secretary",
                          lambda ctx: _month_labor(ctx)["actual_worked_hours"].sum() / _rn(ctx)["actual_patient_days"],
                          "You included the unit secretary. Direct-care HPPD counts RN and CNA hours only."),
        ),
        hints=("HPPD = worked hours ÷ patient days.",
               "Add the RN and CNA actual_worked_hours for 2026-09 and divide by actual_patient_days."),
        success="Compare this with the budgeted standard (RN + CNA budget_worked_hppd) and with med-surg's 7–9.",
    ),
    Question(
        "q7", "RN worked FTEs", "rn_worked_fte",
        Number("FTEs", tolerance=0.01, what=f"the RN worked FTEs for {MONTH}"),
        expected=lambda ctx: finance.fte(_rn(ctx)["actual_worked_hours"], finance.days_in_month(REPORT_MONTH)),
        misconceptions=(
            Misconception("paid hours", lambda ctx: finance.fte(_rn(ctx)["actual_paid_hours"],
                                                                finance.days_in_month(REPORT_MONTH)),
                          "You used paid hours, which gives paid FTEs. Worked (productive) FTEs use worked hours."),
            Misconception("monthly divisor", lambda ctx: _rn(ctx)["actual_worked_hours"] / (finance.HOURS_PER_FTE / 12),
                          "You divided by 173.33 hours (2,080 ÷ 12). This lab prorates by calendar days: one FTE "
                          "in a 30-day month is 2,080 × 30 ÷ 365 hours."),
        ),
        hints=("1.0 FTE = 2,080 paid hours a year.",
               "FTEs for a month = hours ÷ (2,080 × days in the month ÷ 365)."),
        success="Worked FTEs show how many full-time people were on the floor; agency hours count here too.",
    ),
    Question(
        "q8", "Productive share of paid hours", "productive_share",
        Proportion(tolerance=0.001, what=f"the productive share of paid hours for {MONTH}"),
        expected=_productive_share,
        misconceptions=(
            Misconception("included agency", lambda ctx: _month_labor(ctx)["actual_worked_hours"].sum()
                          / _month_labor(ctx)["actual_paid_hours"].sum(),
                          "You counted agency hours as productive payroll hours. Agency nurses are not on the "
                          "payroll: use regular + overtime hours over paid hours."),
            Misconception("non-productive share", lambda ctx: 1 - finance.productive_share(
                (_month_labor(ctx)["actual_regular_hours"] + _month_labor(ctx)["actual_overtime_hours"]).sum(),
                _month_labor(ctx)["actual_paid_hours"].sum()),
                          "That is the non-productive share (PTO, holiday, sick). The question asks for the "
                          "productive share: worked payroll hours ÷ paid hours."),
        ),
        hints=("Paid (payroll) hours = employees' worked hours (regular + overtime) + non-productive hours. "
               "Agency hours are worked but not paid through payroll.",
               "Use all three job classes: (regular + overtime hours) ÷ paid hours, as a proportion."),
        success="Compare it with the 85–92% productive share typical of nursing units (8–15% non-productive).",
        success_detail=_productive_share_detail,
    ),
    Question(
        "q9", "Labor variance as % of flexible budget", "labor_variance_pct",
        Percent(tolerance=0.05, signed=True,
                what=f"the worked-labor variance as a percent of the flexible budget for {MONTH}"),
        expected=lambda ctx: _labor_variance_pct(ctx),
        misconceptions=(
            Misconception("static budget", lambda ctx: _labor_variance_pct(ctx, basis="static"),
                          "You measured against the static budget, so the census is mixed into the variance. "
                          "Judge the salary lines against the FLEXIBLE budget: (actual − flexible budget) ÷ "
                          "flexible budget × 100, where a variable line's flexible budget is its budget × actual "
                          "÷ budgeted patient days and the fixed unit secretary line does not flex."),
            Misconception("actual denominator", lambda ctx: _labor_variance_pct(ctx, denominator="actual"),
                          "You divided by the actual dollars. A variance percent is measured against the budget "
                          "(here the flexible budget): (actual − flexible budget) ÷ flexible budget × 100."),
        ),
        hints=("Add the three worked salary lines of your September 2026 variance report: flexible budget and "
               "actual.",
               "A variable line's flexible budget = its budget × actual patient days ÷ budgeted patient days; "
               "the unit secretary line is fixed and does not flex.",
               "Percent variance = (actual − flexible budget) ÷ flexible budget × 100."),
        success="Leaders read percent variances first: many organisations ask for an explanation above ±5%.",
    ),
    Question(
        "q10", "Monthly variance report", "variance_report",
        Table(key="line_item", numeric=("budget", "flexible_budget", "actual", "variance"), text=("label",),
              tolerance=0.01,
              sign_column="variance", label_column="label", what=f"the {MONTH} variance report",
              row_name="line item"),
        expected=_report,
        misconceptions=(
            Misconception("labels by sign", _report_sign_labels,
                          "Your labels call every positive variance Favorable. That holds for revenue only: on an "
                          "expense line, actual above budget (a positive variance) is Unfavorable."),
        ),
        hints=("Filter medsurg_statement to 2026-09 and keep line_item, budget and actual.",
               "flexible_budget = budget × actual ÷ budgeted patient days on variable lines (cost_behavior == "
               "'variable', revenue included); on fixed lines it equals the budget.",
               "variance = actual − flexible_budget; label it with the line_type: for revenue, positive is "
               "Favorable; for expenses, positive is Unfavorable. finance.variance_label(amount, line_type) "
               "labels one line."),
        success="This is the table a unit manager brings to the monthly operations review.",
    ),
    Question(
        "q11", "Contribution margin per patient day", "contribution_margin_per_pd",
        Number("dollars per patient day", tolerance=0.01,
               what="the FY2026 budgeted contribution margin per patient day"),
        expected=_cm_per_pd,
        misconceptions=(
            Misconception("subtracted fixed costs", lambda ctx: _cm_per_pd(ctx) - _fy_totals(ctx)["fixed"]
                          / _fy_totals(ctx)["pdays"],
                          "You subtracted fixed costs too. Contribution margin subtracts only VARIABLE costs from "
                          "revenue; what is left contributes to covering the fixed costs."),
            Misconception("revenue only", lambda ctx: _fy_totals(ctx)["revenue_per_pd"],
                          "That is net revenue per patient day. Subtract the variable cost per patient day to get "
                          "the contribution margin."),
        ),
        hints=("Use the FY2026 budget: months 2025-10 to 2026-09 of medsurg_statement.",
               "Revenue per patient day and variable cost per patient day both divide by the year's budgeted "
               "patient days (one value per month, summed).",
               "Variable costs are the expense lines with cost_behavior == 'variable'."),
        success="Each patient day contributes this much toward the unit's fixed and allocated costs.",
    ),
    Question(
        "q12", "Break-even patient days", "break_even_patient_days",
        Number("patient days", tolerance=1.0, what="the FY2026 break-even volume in patient days"),
        expected=lambda ctx: finance.break_even_volume(_fy_totals(ctx)["fixed"], _fy_totals(ctx)["revenue_per_pd"],
                                                       _fy_totals(ctx)["variable_per_pd"]),
        misconceptions=(
            Misconception("divided by revenue", lambda ctx: _fy_totals(ctx)["fixed"] / _fy_totals(ctx)["revenue_per_pd"],
                          "You divided fixed costs by revenue per patient day. Each patient day covers fixed costs "
                          "only with its contribution margin: fixed costs ÷ (revenue − variable cost) per day."),
            Misconception("direct fixed only", lambda ctx: _fy_totals(ctx)["direct_fixed"] / _cm_per_pd(ctx),
                          "You covered only the direct fixed costs. The task asks for the volume that covers ALL "
                          "fixed costs, allocated overhead included."),
        ),
        hints=("Break-even volume = fixed costs ÷ contribution margin per unit.",
               "Fixed costs: every FY2026 expense line with cost_behavior == 'fixed', allocated overhead included."),
        success="Compare break-even with the budgeted patient days: the gap is the unit's margin of safety.",
    ),
)

LAB = LabSpec(
    lab_id="01_budgeting_lab",
    title="Lab 01: Budgeting, 5 West variance report",
    datasets=("medsurg_labor", "medsurg_statement"),
    questions=QUESTIONS,
    solution_path="solutions/01_budgeting_lab.ipynb",
)
