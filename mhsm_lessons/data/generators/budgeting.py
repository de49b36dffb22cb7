"""Module 01 datasets: a medical-surgical unit's labor and monthly budget-vs-actual statement.

Setting: 5 West, a 32-bed adult medical-surgical unit of Riverbend Community Hospital (a fictional 300-bed
not-for-profit hospital), fiscal years FY2025 and FY2026 (October 2024 to September 2026).

Both datasets share one random stream (``seed_group="medsurg"``), so the statement's salary lines are exactly the
labor file's dollars for every student id. Ranges follow DOMAIN.md §1 [S]: worked HPPD med-surg 7–9 (RN + CNA),
productive share of paid hours 85–92%, about 224 non-productive hours per FTE a year; the ADC is about 27–29 of 32
beds; net revenue per inpatient day is in the range of a Medicare DRG payment spread over a 4.5-day stay.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..registry import DatasetSpec, Field

MONTHS = pd.period_range("2024-10", "2026-09", freq="M")
JOB_CLASSES = ("RN", "CNA", "Unit secretary")
BEDS = 32
#: Overtime hours as a share of worked hours that the budget plans for (and actual overtime varies around).
PLANNED_OVERTIME_SHARE = {"RN": 0.04, "CNA": 0.035, "Unit secretary": 0.015}
#: Overtime is paid at time-and-a-half (Fair Labor Standards Act).
OVERTIME_PREMIUM = 1.5


def _months() -> tuple[list[str], np.ndarray]:
    labels = [str(p) for p in MONTHS]
    days = np.array([p.days_in_month for p in MONTHS], dtype=float)
    return labels, days


def _draw(rng: np.random.Generator) -> dict:
    """Every random number for the medsurg group, drawn in one fixed order."""
    labels, days = _months()
    n = len(labels)
    month_of_year = np.array([p.month for p in MONTHS])
    # Census: winter (respiratory season) peak, summer trough.
    base_adc = rng.uniform(26.5, 28.5)
    season = 1.6 * np.cos(2 * np.pi * (month_of_year - 1) / 12)
    budget_adc = base_adc + season
    budget_pd = np.round(budget_adc * days)
    actual_pd = np.minimum(np.round(budget_pd * (1 + rng.normal(0.0, 0.045, n))), BEDS * days)

    hppd_rn = round(rng.uniform(4.8, 5.4), 2)
    hppd_cna = round(rng.uniform(2.3, 2.9), 2)
    rate = {"RN": round(rng.uniform(44.0, 49.0), 2), "CNA": round(rng.uniform(19.5, 22.0), 2),
            "Unit secretary": round(rng.uniform(20.0, 22.5), 2)}
    secretary_hours_per_day = 16.0
    fiscal_2026 = np.arange(n) >= 12
    return {
        "labels": labels, "days": days, "month_of_year": month_of_year, "n": n,
        "budget_pd": budget_pd, "actual_pd": actual_pd,
        "hppd": {"RN": hppd_rn, "CNA": hppd_cna}, "rate": rate,
        "secretary_hours_per_day": secretary_hours_per_day,
        # FY2026 budget carries a 3% wage increase; actual pay runs about 0.8% above the budget's wage scale.
        "budget_raise": np.where(fiscal_2026, 1.03, 1.0),
        # Actual use of hours, overtime, agency, pay raises and non-productive time.
        "use": {c: rng.normal(0.008, 0.03, n) for c in JOB_CLASSES},
        "ot_share": {c: np.clip(rng.normal(PLANNED_OVERTIME_SHARE[c], 0.015, n), 0.0, 0.2) for c in JOB_CLASSES},
        "agency_share": np.clip(rng.normal(0.012, 0.01, n) + 0.03 * (season > 0.8), 0.0, 0.1),
        # The budget plans the same overtime share and the usual agency use (more in the winter peak), so the
        # budgeted hourly rate is the planned average cost of a worked hour, not the base wage.
        "planned_agency_share": 0.012 + 0.03 * (season > 0.8),
        "agency_rate": round(rng.uniform(92.0, 108.0), 2),
        "raise": {c: 1 + rng.normal(0.008, 0.006, n) + 0.03 * fiscal_2026 for c in JOB_CLASSES},
        "np_ratio": {c: np.clip(rng.normal(0.12, 0.018, n), 0.08, 0.17) for c in JOB_CLASSES},
        "budget_np_ratio": 0.12,
        "net_rev_per_pd": round(rng.uniform(2300.0, 2600.0), 2),
        "net_rev_noise": rng.normal(-0.004, 0.02, n),
        "supplies_per_pd": round(rng.uniform(85.0, 100.0), 2),
        "supplies_noise": rng.normal(0.02, 0.05, n),
        "linen_per_pd": round(rng.uniform(10.0, 13.0), 2),
        "linen_noise": rng.normal(0.0, 0.04, n),
        "manager_salaries": round(rng.uniform(21000.0, 25000.0), -2),
        "manager_noise": rng.normal(0.0, 0.015, n),
        "equipment": round(rng.uniform(6000.0, 7500.0), -2),
        "equipment_noise": rng.normal(0.01, 0.06, n),
        "overhead_share": rng.uniform(0.64, 0.70),
        "overhead_noise": rng.normal(0.0, 0.01, n),
    }


def _labor(d: dict) -> pd.DataFrame:
    n, days = d["n"], d["days"]
    frames = []
    for job in JOB_CLASSES:
        fixed = job == "Unit secretary"
        # Budgeted average cost of a worked hour: base wage on the budget's scale, planned overtime at
        # time-and-a-half and, for RNs, planned agency hours at the agency rate.
        planned_ot = PLANNED_OVERTIME_SHARE[job]
        planned_agency = d["planned_agency_share"] if job == "RN" else np.zeros(n)
        base_b = d["rate"][job] * d["budget_raise"]
        rate_b = np.round(base_b * (1 - planned_ot - planned_agency + OVERTIME_PREMIUM * planned_ot)
                          + planned_agency * d["agency_rate"], 2)
        if fixed:
            budget_hours = d["secretary_hours_per_day"] * days
            budget_hppd = np.full(n, np.nan)
            worked = np.round(budget_hours * (1 + d["use"][job] / 3), 1)
        else:
            budget_hppd = np.full(n, d["hppd"][job])
            # Exact (patient days are whole, the HPPD has two decimals): the statement's RN budget is then
            # exactly Vb x qb x pb, the static budget the lesson computes.
            budget_hours = np.round(d["budget_pd"] * budget_hppd, 2)
            worked = np.round(d["actual_pd"] * budget_hppd * (1 + d["use"][job]), 1)
        agency = np.round(worked * d["agency_share"], 1) if job == "RN" else np.zeros(n)
        overtime = np.round(worked * d["ot_share"][job], 1)
        regular = np.round(worked - agency - overtime, 1)
        nonproductive = np.round((regular + overtime) * d["np_ratio"][job], 1)
        base_rate = d["rate"][job] * d["raise"][job]
        worked_cost = np.round(regular * base_rate + overtime * base_rate * OVERTIME_PREMIUM
                               + agency * d["agency_rate"], 2)
        np_cost = np.round(nonproductive * base_rate, 2)
        frames.append(pd.DataFrame({
            "month": d["labels"],
            "job_class": job,
            "staffing_model": "fixed" if fixed else "variable",
            "budget_patient_days": d["budget_pd"].astype(int),
            "actual_patient_days": d["actual_pd"].astype(int),
            "budget_worked_hppd": budget_hppd,
            "budget_worked_hours": budget_hours,
            "budget_hourly_rate": rate_b,
            "actual_regular_hours": regular,
            "actual_overtime_hours": overtime,
            "actual_agency_hours": agency,
            "actual_worked_hours": np.round(regular + overtime + agency, 1),
            "actual_nonproductive_hours": nonproductive,
            "actual_paid_hours": np.round(regular + overtime + nonproductive, 1),
            "actual_worked_cost": worked_cost,
            "actual_nonproductive_cost": np_cost,
        }))
    out = pd.concat(frames, ignore_index=True)
    order = {m: i for i, m in enumerate(d["labels"])}
    out["_m"] = out["month"].map(order)
    out["_j"] = out["job_class"].map({j: i for i, j in enumerate(JOB_CLASSES)})
    return out.sort_values(["_m", "_j"]).drop(columns=["_m", "_j"]).reset_index(drop=True)


def medsurg_labor(rng: np.random.Generator) -> pd.DataFrame:
    """Month × job class worked, paid, overtime and agency hours and their dollars for 5 West."""
    return _labor(_draw(rng))


STATEMENT_LINES = (
    # line_item, line_type, cost_behavior, cost_level
    ("Net patient service revenue", "revenue", "variable", "direct"),
    ("Salaries and wages - RN (worked)", "expense", "variable", "direct"),
    ("Salaries and wages - CNA (worked)", "expense", "variable", "direct"),
    ("Salaries and wages - unit secretary (worked)", "expense", "fixed", "direct"),
    ("Non-productive pay (PTO, holiday, sick)", "expense", "variable", "direct"),
    ("Medical and surgical supplies", "expense", "variable", "direct"),
    ("Linen and laundry", "expense", "variable", "direct"),
    ("Nurse manager and educator salaries", "expense", "fixed", "direct"),
    ("Equipment rental and maintenance", "expense", "fixed", "direct"),
    ("Allocated overhead", "expense", "fixed", "allocated"),
)


def medsurg_statement(rng: np.random.Generator) -> pd.DataFrame:
    """Month × line item budget and actual dollars for 5 West (revenue and expense lines)."""
    d = _draw(rng)
    labor = _labor(d)
    n = d["n"]
    by_job = {j: labor[labor["job_class"] == j].reset_index(drop=True) for j in JOB_CLASSES}
    budget_labor = {j: np.round(by_job[j]["budget_worked_hours"].to_numpy() * by_job[j]["budget_hourly_rate"].to_numpy(), 2)
                    for j in JOB_CLASSES}
    # Non-productive time is budgeted on employees' hours (not agency) at the base wage (no overtime premium).
    budget_np = np.round(sum(
        by_job[j]["budget_worked_hours"].to_numpy() * (1 - (d["planned_agency_share"] if j == "RN" else 0.0))
        * d["rate"][j] * d["budget_raise"] for j in JOB_CLASSES) * d["budget_np_ratio"], 2)
    actual_np = np.round(sum(by_job[j]["actual_nonproductive_cost"].to_numpy() for j in JOB_CLASSES), 2)
    bpd, apd = d["budget_pd"], d["actual_pd"]
    budget_rev = np.round(bpd * d["net_rev_per_pd"], 2)
    actual_rev = np.round(apd * d["net_rev_per_pd"] * (1 + d["net_rev_noise"]), 2)
    overhead_budget = round(float(np.mean(budget_rev)) * d["overhead_share"], -2)
    lines = {
        "Net patient service revenue": (budget_rev, actual_rev),
        "Salaries and wages - RN (worked)": (budget_labor["RN"], by_job["RN"]["actual_worked_cost"].to_numpy()),
        "Salaries and wages - CNA (worked)": (budget_labor["CNA"], by_job["CNA"]["actual_worked_cost"].to_numpy()),
        "Salaries and wages - unit secretary (worked)": (budget_labor["Unit secretary"],
                                                         by_job["Unit secretary"]["actual_worked_cost"].to_numpy()),
        "Non-productive pay (PTO, holiday, sick)": (budget_np, actual_np),
        "Medical and surgical supplies": (np.round(bpd * d["supplies_per_pd"], 2),
                                          np.round(apd * d["supplies_per_pd"] * (1 + d["supplies_noise"]), 2)),
        "Linen and laundry": (np.round(bpd * d["linen_per_pd"], 2),
                              np.round(apd * d["linen_per_pd"] * (1 + d["linen_noise"]), 2)),
        "Nurse manager and educator salaries": (np.full(n, d["manager_salaries"]),
                                                np.round(d["manager_salaries"] * (1 + d["manager_noise"]), 2)),
        "Equipment rental and maintenance": (np.full(n, d["equipment"]),
                                             np.round(d["equipment"] * (1 + d["equipment_noise"]), 2)),
        "Allocated overhead": (np.full(n, overhead_budget),
                               np.round(overhead_budget * (1 + d["overhead_noise"]), 2)),
    }
    rows = []
    for i, month in enumerate(d["labels"]):
        for item, line_type, behavior, level in STATEMENT_LINES:
            budget, actual = lines[item]
            rows.append((month, item, line_type, behavior, level, int(bpd[i]), int(apd[i]),
                         float(budget[i]), float(actual[i])))
    return pd.DataFrame(rows, columns=["month", "line_item", "line_type", "cost_behavior", "cost_level",
                                       "budget_patient_days", "actual_patient_days", "budget", "actual"])


_SETTING = ("5 West, a 32-bed adult medical-surgical unit of Riverbend Community Hospital (fictional, 300 beds), "
            "fiscal years FY2025-FY2026 (October 2024 to September 2026).")
_MODELLED_ON = ("US acute-care medical-surgical unit staffing and budget practice: worked HPPD 7-9 for RN + CNA, "
                "productive share of paid hours 85-92%, about 224 non-productive hours per FTE a year, overtime "
                "at time-and-a-half, with fictional wage rates and revenue per patient day")
_SOURCES = ("Finkler, Calabrese & Smith, Budgeting Concepts for Nurse Managers (variance analysis; staffing and "
            "the labor budget)",
            "U.S. Department of Labor, Fair Labor Standards Act: overtime pay at one and one-half times the "
            "regular rate")

DATASETS = [
    DatasetSpec(
        name="medsurg_labor",
        title="5 West medical-surgical unit: labor by month and job class",
        description=("Budgeted and actual worked hours, paid hours, overtime, agency hours and labor dollars by month "
                     "and job class. " + _SETTING + " RN and CNA hours are budgeted per patient day (variable); "
                     "the unit secretary is a fixed 16 hours a day. Worked = regular + overtime + agency; "
                     "paid = regular + overtime + non-productive (agency staff are not on the payroll)."),
        modelled_on=_MODELLED_ON,
        module="01 Budgeting",
        seed_group="medsurg",
        generator=medsurg_labor,
        sources=_SOURCES,
        fields=(
            Field("month", "Month", "yearmonth", "", "Calendar month of the fiscal year, YYYY-MM."),
            Field("job_class", "Job class", "string", "", "RN, CNA (patient care technician) or Unit secretary."),
            Field("staffing_model", "Staffing model", "string", "",
                  "variable = budgeted per patient day; fixed = budgeted hours whatever the census."),
            Field("budget_patient_days", "Budgeted patient days", "integer", "patient days",
                  "Output volume in the budget (Vb), the same on every row of a month."),
            Field("actual_patient_days", "Actual patient days", "integer", "patient days",
                  "Output volume actually delivered (Va): midnight census summed over the month."),
            Field("budget_worked_hppd", "Budgeted worked HPPD", "number", "worked hours per patient day",
                  "Staffing standard qb for a variable job class; empty for the fixed unit secretary."),
            Field("budget_worked_hours", "Budgeted worked hours", "number", "hours",
                  "Static budget hours: budgeted patient days x budgeted worked HPPD (fixed: 16 h x days)."),
            Field("budget_hourly_rate", "Budgeted hourly rate", "number", "dollars per hour",
                  "Budgeted average cost of one worked hour (pb): the fiscal year's wage scale with the "
                  "planned overtime at time-and-a-half and, for RNs, the planned agency hours at the agency rate."),
            Field("actual_regular_hours", "Actual regular hours", "number", "hours",
                  "Straight-time hours worked by employees."),
            Field("actual_overtime_hours", "Actual overtime hours", "number", "hours",
                  "Hours worked by employees at time-and-a-half."),
            Field("actual_agency_hours", "Actual agency hours", "number", "hours",
                  "Hours worked by contract (agency) nurses; they are worked hours but not payroll hours."),
            Field("actual_worked_hours", "Actual worked hours", "number", "hours",
                  "Productive hours on the unit (Qa): regular + overtime + agency."),
            Field("actual_nonproductive_hours", "Actual non-productive hours", "number", "hours",
                  "Paid hours not worked: PTO, holiday, sick and education time."),
            Field("actual_paid_hours", "Actual paid hours", "number", "hours",
                  "Payroll hours: regular + overtime + non-productive (excludes agency)."),
            Field("actual_worked_cost", "Actual worked labor cost", "number", "dollars",
                  "Dollars for worked hours: regular pay + overtime pay at 1.5x + agency invoices."),
            Field("actual_nonproductive_cost", "Actual non-productive pay", "number", "dollars",
                  "Dollars paid for non-productive hours."),
        ),
    ),
    DatasetSpec(
        name="medsurg_statement",
        title="5 West medical-surgical unit: monthly budget vs actual statement",
        description=("The unit's monthly responsibility report: budgeted and actual dollars for each revenue and "
                     "expense line. " + _SETTING + " Salary lines equal the worked labor dollars in "
                     "medsurg_labor; allocated overhead is the unit's share of facilities, administration and "
                     "ancillary costs."),
        modelled_on=_MODELLED_ON,
        module="01 Budgeting",
        seed_group="medsurg",
        generator=medsurg_statement,
        sources=_SOURCES,
        fields=(
            Field("month", "Month", "yearmonth", "", "Calendar month, YYYY-MM."),
            Field("line_item", "Line item", "string", "", "Revenue or expense line of the unit's report."),
            Field("line_type", "Line type", "string", "", "revenue or expense: decides which sign is Favorable."),
            Field("cost_behavior", "Cost behavior", "string", "",
                  "variable = changes with patient days; fixed = does not."),
            Field("cost_level", "Cost level", "string", "",
                  "direct = controlled by the unit; allocated = indirect cost assigned from overhead departments."),
            Field("budget_patient_days", "Budgeted patient days", "integer", "patient days",
                  "Budgeted output volume for the month."),
            Field("actual_patient_days", "Actual patient days", "integer", "patient days",
                  "Actual output volume for the month."),
            Field("budget", "Budget", "number", "dollars", "Static (original) budget for the month."),
            Field("actual", "Actual", "number", "dollars", "Actual dollars posted for the month."),
        ),
    ),
]
