"""Budgeting reference calculations: flexible budgets, variance analysis, labor (FTE, HPPD) and break-even.

Course sign convention: **variance = actual − budget**, in dollars, always shown with a
Favorable/Unfavorable label. For an expense line a positive variance is Unfavorable; for a revenue line a positive
variance is Favorable (Finkler, *Budgeting Concepts for Nurse Managers*; Finkler, Calabrese & Smith, *Budgeting
Concepts for Nurse Managers / Financial Management for Public, Health, and Not-for-Profit Organizations*).
Gapenski & Reiter, *Healthcare Finance*, call a favorable variance positive: the checks recognise that flipped
sign as a misconception.

All functions compute in full precision; round only for display.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass

import pandas as pd

from . import _validation as v

__all__ = [
    "HOURS_PER_FTE",
    "static_budget",
    "flexible_budget",
    "variance",
    "variance_label",
    "LaborVariances",
    "labor_variances",
    "hppd",
    "fte",
    "days_in_month",
    "productive_fte_from_hppd",
    "paid_fte_from_hppd",
    "productive_share",
    "contribution_margin",
    "break_even_volume",
    "variance_report",
]

#: Paid hours in one full-time equivalent per year: 40 hours × 52 weeks.
HOURS_PER_FTE = 2080.0

FAVORABLE, UNFAVORABLE, ON_BUDGET = "Favorable", "Unfavorable", "On budget"


def static_budget(budget_volume, budget_input_per_unit, budget_price) -> float:
    """Static (original) budget for a variable input: Vb · qb · pb.

    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*, flexible budgeting chapter.

    Parameters
    ----------
    budget_volume : float
        Budgeted output volume Vb (patient days, visits, cases), not input hours.
    budget_input_per_unit : float
        Budgeted input per unit of output qb (for example worked hours per patient day).
    budget_price : float
        Budgeted price per unit of input pb (for example the average hourly rate).

    Examples
    --------
    >>> static_budget(850, 5.0, 46.5)
    197625.0
    """
    vb = v.number("budget_volume", budget_volume, minimum=0)
    qb = v.number("budget_input_per_unit", budget_input_per_unit, minimum=0)
    pb = v.number("budget_price", budget_price, minimum=0)
    return vb * qb * pb


def flexible_budget(actual_volume, budget_input_per_unit, budget_price) -> float:
    """Flexible budget: the budget restated at the actual volume, Va · qb · pb.

    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*, flexible budgeting chapter.

    Examples
    --------
    >>> flexible_budget(900, 5.0, 46.5)
    209250.0
    """
    va = v.number("actual_volume", actual_volume, minimum=0)
    qb = v.number("budget_input_per_unit", budget_input_per_unit, minimum=0)
    pb = v.number("budget_price", budget_price, minimum=0)
    return va * qb * pb


def variance(actual, budget) -> float:
    """Variance in the course convention: actual − budget.

    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*.
    Label it with :func:`variance_label`.

    Examples
    --------
    >>> variance(105_000, 100_000)
    5000.0
    """
    return v.number("actual", actual) - v.number("budget", budget)


def variance_label(variance_amount, line_type: str = "expense") -> str:
    """Favorable / Unfavorable label for a variance computed as actual − budget.

    For an expense line, spending above budget (positive variance) is Unfavorable; for a revenue line, earning
    above budget (positive variance) is Favorable. A variance of exactly zero is "On budget".
    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*.

    Examples
    --------
    >>> variance_label(5000, "expense"), variance_label(5000, "revenue"), variance_label(-1, "expense")
    ('Unfavorable', 'Favorable', 'Favorable')
    """
    amount = v.number("variance_amount", variance_amount)
    if not isinstance(line_type, str) or line_type not in ("expense", "revenue"):
        raise ValueError(f"line_type must be 'expense' or 'revenue'; you gave {line_type!r}.")
    if amount == 0:
        return ON_BUDGET
    above = amount > 0
    return (UNFAVORABLE if above else FAVORABLE) if line_type == "expense" else (FAVORABLE if above else UNFAVORABLE)


@dataclass(frozen=True)
class LaborVariances:
    """The three-way split of a variable expense variance, in dollars (actual − budget convention).

    ``volume + quantity + price == total`` holds to floating-point precision (total = actual − static).
    """

    static_budget: float
    flexible_budget: float
    actual: float
    volume: float
    quantity: float
    price: float

    @property
    def total(self) -> float:
        return self.actual - self.static_budget

    def to_frame(self) -> pd.DataFrame:
        """One row per variance with the dollar amount and its Favorable/Unfavorable label (expense line)."""
        rows = [("Volume", self.volume), ("Quantity (efficiency)", self.quantity), ("Price (rate)", self.price),
                ("Total", self.total)]
        return pd.DataFrame({"variance": [r[0] for r in rows], "amount": [r[1] for r in rows],
                             "label": [variance_label(r[1], "expense") for r in rows]})


def labor_variances(budget_volume, actual_volume, budget_input_per_unit, budget_price,
                    actual_input, actual_cost) -> LaborVariances:
    """Split the variance of a variable input (such as nursing labor) into volume, quantity and price.

    With V = output volume, q = input per unit of output, p = input price, Q = actual input quantity:

    * volume variance = flexible − static = (Va − Vb) · qb · pb
    * quantity (efficiency, use) variance = (Qa − Va · qb) · pb
    * price (rate) variance = (pa − pb) · Qa, where pa = actual cost / Qa
    * total = actual − static = volume + quantity + price

    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*, variance analysis chapter;
    the formulas are the standard three-way split of a flexible-budget variance.

    Parameters
    ----------
    budget_volume, actual_volume : float
        Output volume Vb and Va (for example patient days). ``budget_volume`` must be greater than 0.
    budget_input_per_unit : float
        qb, for example budgeted worked hours per patient day.
    budget_price : float
        pb, for example the budgeted average hourly rate.
    actual_input : float
        Qa, for example actual worked hours.
    actual_cost : float
        Actual dollars spent on the input (so pa = actual_cost / actual_input).

    Examples
    --------
    >>> r = labor_variances(850, 900, 5.0, 46.5, 4600, 220_800)
    >>> r.volume, r.quantity, r.price, r.total
    (11625.0, 4650.0, 6900.0, 23175.0)
    """
    vb = v.number("budget_volume", budget_volume, minimum=0)
    if vb == 0:
        raise ValueError("budget_volume is 0, so there is no budgeted cost per unit of output to flex. "
                         "Check that you passed budgeted output volume (patient days, visits), not hours.")
    va = v.number("actual_volume", actual_volume, minimum=0)
    qb = v.number("budget_input_per_unit", budget_input_per_unit, minimum=0)
    pb = v.number("budget_price", budget_price, minimum=0)
    qa = v.number("actual_input", actual_input, minimum=0)
    cost = v.number("actual_cost", actual_cost, minimum=0)
    if qa == 0 and cost > 0:
        raise ValueError(f"actual_input is 0 but actual_cost is {cost:g}: there is no actual price per unit. "
                         "Check that the hours and the dollars come from the same rows.")
    static = vb * qb * pb
    flexible = va * qb * pb
    at_budget_price = qa * pb
    return LaborVariances(static_budget=static, flexible_budget=flexible, actual=cost,
                          volume=flexible - static, quantity=at_budget_price - flexible,
                          price=cost - at_budget_price)


def hppd(hours, patient_days) -> float:
    """Hours per patient day: hours / patient days.

    Say in every label whether the hours are *worked* (productive) or *paid*; the staffing standard on a
    nursing unit is usually worked HPPD.
    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*.

    Examples
    --------
    >>> round(hppd(6885, 850), 2)
    8.1
    """
    h = v.number("hours", hours, minimum=0)
    pd_ = v.number("patient_days", patient_days, positive=True)
    return h / pd_


def days_in_month(month: str) -> int:
    """Calendar days in a month given as 'YYYY-MM'.

    >>> days_in_month("2024-02"), days_in_month("2026-09")
    (29, 30)
    """
    try:
        year, mon = (int(p) for p in str(month).split("-"))
        return calendar.monthrange(year, mon)[1]
    except (ValueError, calendar.IllegalMonthError):
        raise ValueError(f"month must look like 'YYYY-MM' (for example '2026-09'); you gave {month!r}.") from None


def fte(hours, days=365) -> float:
    """Full-time equivalents for the hours of a period of ``days`` calendar days.

    FTE = hours / (2,080 × days / 365): 1.0 FTE is 2,080 paid hours a year, prorated by calendar days.
    Use worked hours for worked (productive) FTEs and paid hours for paid FTEs.
    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*, staffing chapter.

    Examples
    --------
    >>> round(fte(2080), 2), round(fte(4300, days=30), 2)
    (1.0, 25.15)
    """
    h = v.number("hours", hours, minimum=0)
    d = v.number("days", days, positive=True)
    return h / (HOURS_PER_FTE * d / 365.0)


def productive_fte_from_hppd(worked_hppd, average_daily_census) -> float:
    """Productive (worked) FTEs needed for a staffing standard: HPPD · ADC · 365 / 2,080.

    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*, staffing chapter.
    A 24/7 post is 8,760 h = 4.21 FTE before non-productive time.

    Examples
    --------
    >>> round(productive_fte_from_hppd(8.0, 28), 2)
    39.31
    >>> round(productive_fte_from_hppd(24, 1), 2)
    4.21
    """
    h = v.number("worked_hppd", worked_hppd, minimum=0)
    adc = v.number("average_daily_census", average_daily_census, minimum=0)
    return h * adc * 365.0 / HOURS_PER_FTE


def paid_fte_from_hppd(worked_hppd, average_daily_census, nonproductive_hours_per_fte=224.0) -> float:
    """Paid FTEs for a staffing standard: HPPD · ADC · 365 / (2,080 − non-productive hours per FTE).

    About 224 non-productive hours (PTO, holiday, sick, education) per FTE a year is typical [S].
    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*, staffing chapter.

    Examples
    --------
    >>> round(paid_fte_from_hppd(8.0, 28), 2)
    44.05
    """
    h = v.number("worked_hppd", worked_hppd, minimum=0)
    adc = v.number("average_daily_census", average_daily_census, minimum=0)
    np_hours = v.number("nonproductive_hours_per_fte", nonproductive_hours_per_fte, minimum=0)
    if np_hours >= HOURS_PER_FTE:
        raise ValueError(f"nonproductive_hours_per_fte must be below 2,080; you gave {np_hours:g}.")
    return h * adc * 365.0 / (HOURS_PER_FTE - np_hours)


def productive_share(worked_hours, paid_hours) -> float:
    """Productive (worked) hours as a proportion of paid hours (0 to 1); typically 0.85–0.92 [S].

    Paid (payroll) hours = employees' worked hours (regular + overtime) + non-productive hours (PTO, holiday,
    sick, education); agency hours are worked but not payroll hours, so leave them out of both.
    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers*, staffing chapter.

    Examples
    --------
    >>> productive_share(1800, 2000)
    0.9
    """
    w = v.number("worked_hours", worked_hours, minimum=0)
    p = v.number("paid_hours", paid_hours, positive=True)
    if w > p:
        raise ValueError(f"worked_hours ({w:g}) cannot exceed paid_hours ({p:g}) for employed staff. "
                         "Leave agency (contract) hours out: the hospital does not pay them as wages.")
    return w / p


def contribution_margin(net_revenue_per_unit, variable_cost_per_unit) -> float:
    """Contribution margin per unit: net revenue per unit − variable cost per unit.

    Source: Gapenski & Reiter, *Healthcare Finance*, cost-volume-profit analysis.

    Examples
    --------
    >>> contribution_margin(2450.0, 420.0)
    2030.0
    """
    return v.number("net_revenue_per_unit", net_revenue_per_unit) - v.number(
        "variable_cost_per_unit", variable_cost_per_unit, minimum=0)


def break_even_volume(fixed_costs, net_revenue_per_unit, variable_cost_per_unit) -> float:
    """Break-even volume: fixed costs / (net revenue per unit − variable cost per unit).

    There is no break-even when the contribution margin per unit is zero or negative: each extra unit then
    loses money, and the function raises. Source: Gapenski & Reiter, *Healthcare Finance*.

    Examples
    --------
    >>> break_even_volume(1_522_500, 2450.0, 420.0)
    750.0
    >>> break_even_volume(100, 50, 60)
    Traceback (most recent call last):
    ...
    ValueError: There is no break-even volume: ...
    """
    fixed = v.number("fixed_costs", fixed_costs, minimum=0)
    cm = contribution_margin(net_revenue_per_unit, variable_cost_per_unit)
    if cm <= 0:
        raise ValueError(f"There is no break-even volume: the contribution margin per unit is {cm:,.2f} "
                         "(net revenue per unit minus variable cost per unit), so each extra unit loses money.")
    return fixed / cm


def variance_report(statement: pd.DataFrame, month: str) -> pd.DataFrame:
    """The monthly flexible-budget variance report a unit manager presents to leadership.

    One row per line item of ``month``: the static budget, the flexible budget (the budget restated at the
    month's actual patient days), the actual, the variance of actual against the **flexible** budget and its
    Favorable/Unfavorable label. A variable line (``cost_behavior == "variable"``, revenue included) flexes by
    actual ÷ budgeted patient days; a fixed line's flexible budget equals its static budget. Judging the
    manager against the flexible budget keeps the census out of the variance: what is left on a revenue line is
    rate and payer mix, and on a salary line it is staffing (quantity) and pay (price).
    ``volume_variance`` (flexible − static) shows what the census alone moved.

    ``statement`` needs the columns month, line_item, line_type, cost_behavior, budget_patient_days,
    actual_patient_days, budget and actual (as in the ``medsurg_statement`` dataset).
    Source: Finkler, Calabrese & Smith, *Budgeting Concepts for Nurse Managers* (flexible budgeting and
    variance analysis); variance = actual − budget, the course convention.

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> report = variance_report(load_dataset("medsurg_statement"), "2026-09")
    >>> report.columns.tolist()
    ['line_item', 'line_type', 'budget', 'flexible_budget', 'actual', 'variance', 'label', 'volume_variance']
    """
    v.columns("statement", statement, ["month", "line_item", "line_type", "cost_behavior", "budget_patient_days",
                                       "actual_patient_days", "budget", "actual"])
    months = statement["month"].astype(str).str.strip()
    rows = statement[(months == str(month).strip()).to_numpy()]
    if rows.empty:
        available = sorted(months.unique())
        raise ValueError(f"statement has no rows for month {month!r}. It covers {available[0]} to "
                         f"{available[-1]}; give the month as 'YYYY-MM'." if available else
                         "statement has no rows at all.")
    if rows["line_item"].duplicated().any():
        dup = rows.loc[rows["line_item"].duplicated(), "line_item"].iloc[0]
        raise ValueError(f"statement has more than one row for {dup!r} in {month}: mixed periods or units?")
    for column in ("budget_patient_days", "actual_patient_days", "budget", "actual"):
        _, gaps = v.float_values(column, rows[column])
        if gaps:
            i = min(gaps)
            raise ValueError(f"statement column {column!r} has no value for {rows['line_item'].iloc[i]!r} in {month} "
                             f"({gaps[i]}). A variance report needs every line's budget and actual: fill it in "
                             "from the ledger.")
    rows = rows.assign(**{c: v.float_values(c, rows[c])[0] for c in ("budget_patient_days", "actual_patient_days",
                                                                       "budget", "actual")})
    vb = rows["budget_patient_days"].astype(float)
    if (vb <= 0).any():
        raise ValueError(f"budget_patient_days is 0 in {month}, so there is no budget per patient day to flex.")
    report = rows[["line_item", "line_type", "budget"]].reset_index(drop=True).copy()
    ratio = (rows["actual_patient_days"].astype(float) / vb).to_numpy()
    variable = (rows["cost_behavior"] == "variable").to_numpy()
    report["flexible_budget"] = report["budget"].to_numpy() * ((ratio - 1.0) * variable + 1.0)
    report["actual"] = rows["actual"].to_numpy()
    report["variance"] = report["actual"] - report["flexible_budget"]
    report["label"] = [variance_label(a, t) for a, t in zip(report["variance"], report["line_type"])]
    report["volume_variance"] = report["flexible_budget"] - report["budget"]
    return report
