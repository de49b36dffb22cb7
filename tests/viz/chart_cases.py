"""Every chart function of the course, drawn as the lessons and labs draw it (default data), for the
accessibility tests: ``CASES`` maps a name to a function returning the Chart (or, for the two drawing helpers of
viz.spc, the Axes)."""
from __future__ import annotations

import pandas as pd

from mhsm_lessons import finance, load_dataset, quality, spc
from mhsm_lessons import revenue_cycle as rc
from mhsm_lessons.viz import budgeting, careers, revenue_cycle
from mhsm_lessons.viz import quality as qviz
from mhsm_lessons.viz import spc as sviz


def rn_row():
    labor = load_dataset("medsurg_labor")
    return labor[(labor["month"] == "2026-09") & (labor["job_class"] == "RN")].iloc[0]


def rn_variances():
    rn = rn_row()
    return finance.labor_variances(rn["budget_patient_days"], rn["actual_patient_days"], rn["budget_worked_hppd"],
                                   rn["budget_hourly_rate"], rn["actual_worked_hours"], rn["actual_worked_cost"])


def hppd_monthly():
    labor = load_dataset("medsurg_labor")
    monthly = labor[labor["job_class"].isin(["RN", "CNA"])].groupby("month").agg(
        worked_hours=("actual_worked_hours", "sum"), paid_hours=("actual_paid_hours", "sum"),
        budget_hours=("budget_worked_hours", "sum"), patient_days=("actual_patient_days", "first"),
        budget_days=("budget_patient_days", "first"))
    monthly["worked_hppd"] = monthly["worked_hours"] / monthly["patient_days"]
    monthly["budget_worked_hppd"] = monthly["budget_hours"] / monthly["budget_days"]
    monthly["paid_hppd"] = monthly["paid_hours"] / monthly["patient_days"]
    return monthly


def summit_weeks():
    weeks = rc.weekly_denials(load_dataset("rc_claims"), "authorization", payer="Summit Senior Advantage",
                              start="2025-01-06", end="2025-10-31")
    return weeks, spc.p_chart(weeks["denials"], weeks["remitted"], baseline=16)


def readmissions():
    hrrp = load_dataset("hrrp_discharges")
    table = quality.readmissions_by_condition(hrrp)
    table["peer_median_err"] = hrrp.groupby("condition")["peer_median_err"].first()
    table["payments"] = hrrp.groupby("condition")["base_drg_payment"].sum()
    return table, hrrp.iloc[0]


def err_chart():
    r, h = readmissions()
    return qviz.plot_err_vs_peer_median(r["payments"], r["excess_readmission_ratio"], r["peer_median_err"],
                                        h["total_base_operating_payments"], h["fy_base_operating_payments"],
                                        neutrality_modifier=h["neutrality_modifier"], discharges=r["discharges"],
                                        fiscal_year=h["hrrp_fiscal_year"])


def sir_groups():
    hai = load_dataset("hai_unit_months")
    return pd.concat([hai.assign(group=hai["unit"]), hai[hai["unit_type"] == "ICU"].assign(group="ICUs pooled")])


def pdsa_log():
    log = spc.PDSALog()
    log.add("SMS reminder 48 h before, one clinic", "no-shows fall by a third at that clinic", "a start; too early",
            "adapt", start="2024-07-01", end="2024-07-14")
    log.add("SMS reminder at every clinic", "no-show rate below 15%", start="2024-07-08")
    return log


def clinic():
    return load_dataset("clinic_no_shows")


def ed_excluded():
    ed = load_dataset("ed_door_to_provider")
    first = spc.i_chart(ed["median_minutes"], baseline=30)
    week = first.signal_points("beyond_limits")[0]
    return ed, spc.i_chart(ed["median_minutes"], baseline=30, exclude=[week])


CASES = {
    "budgeting.plot_variance_report":
        lambda: budgeting.plot_variance_report(finance.variance_report(load_dataset("medsurg_statement"), "2026-09")),
    "budgeting.plot_variance_bridge": lambda: budgeting.plot_variance_bridge(rn_variances()),
    "budgeting.plot_hppd_trend": lambda: budgeting.plot_hppd_trend(hppd_monthly()),
    "revenue_cycle.plot_auth_denial_p_chart":
        lambda: revenue_cycle.plot_auth_denial_p_chart(*summit_weeks(), "Summit Senior Advantage"),
    "revenue_cycle.plot_denial_pareto": lambda: revenue_cycle.plot_denial_pareto(load_dataset("rc_claims")),
    "revenue_cycle.plot_ar_aging_by_payer":
        lambda: revenue_cycle.plot_ar_aging_by_payer(load_dataset("rc_claims"), "2025-12-31"),
    "revenue_cycle.plot_revenue_leakage": lambda: revenue_cycle.plot_revenue_leakage(load_dataset("rc_claims")),
    "quality.plot_funnel": lambda: qviz.plot_funnel(
        load_dataset("falls_unit_months").query("unit_type == 'Med-surg'"), focus="5 South"),
    "quality.plot_sir": lambda: qviz.plot_sir(qviz.sir_table(sir_groups(), label="group"), label="group"),
    "quality.plot_err_vs_peer_median": err_chart,
    "spc.plot_run_chart": lambda: sviz.plot_run_chart(spc.run_chart(clinic()["no_show_rate"], baseline=26)),
    "spc.plot_control_chart": lambda: sviz.plot_control_chart(
        spc.p_chart(clinic()["no_shows"], clinic()["appointments"], baseline=26), show_2sigma=True),
    "spc.run_chart_figure": lambda: sviz.run_chart_figure(
        spc.run_chart(clinic()["no_show_rate"], baseline=26, rules="ihi"), x=clinic()["week_start"],
        pdsa=pdsa_log(), percent=True, title="Weekly no-show rate"),
    "spc.control_chart_figure": lambda: sviz.control_chart_figure(
        ed_excluded()[1], x=ed_excluded()[0]["week_start"], show_2sigma=True, title="ED door-to-provider"),
    "careers.plot_pay_by_edition":
        lambda: careers.plot_pay_by_edition(load_dataset("bls_mhsm_outlook"), load_dataset("cpi_u_annual")),
    "careers.plot_pay_by_setting": lambda: careers.plot_pay_by_setting(
        load_dataset("bls_mhsm_pay_by_setting"), highlight="Offices of physicians"),
    "careers.plot_career_timeline": lambda: careers.plot_career_timeline(
        load_dataset("mhsm_career_ladder"), load_dataset("mhsm_credentials"),
        chosen=("CPHQ", "CMPE", "PMP", "FACHE", "NHA licence")),
}
