"""Module 04 lab: which of Riverbend Health's improvements are real, what each is worth, and what to monitor.

Every expected answer is computed from the student's own ``clinic_no_shows`` and ``ed_door_to_provider`` with
the reference calculations in :mod:`mhsm_lessons.spc`; every misconception is the number that mistake produces
on the same data. No question depends on a boundary value of the IHI too-few/too-many-runs table (only n = 20
of it is confirmed against the printed table).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import spc
from ..data.registry import load_dataset
from ..practice.checks import Misconception, Number, Percent, Proportion, Question, Table
from ..practice.spec import LabSpec

#: Weeks 1-26 are the baseline; the SMS change went live in week 27 and was in place everywhere by week 30.
BASELINE_WEEKS = 26
#: The sustained period used for the new limits and the value estimate: weeks 31-52.
SUSTAINED_FROM_WEEK = 31
#: Baseline of the ED chart: weeks 1-30, before split-flow triage.
ED_BASELINE_WEEKS = 30
#: Contribution margin of a kept primary-care visit (illustrative figure for the lab, dollars).
CONTRIBUTION_PER_VISIT = 95.0
#: The SMS vendor's annual contract (dollars).
CONTRACT_COST = 60_000.0

#: Question 1: the six measures and their type in the Model for Improvement (Langley et al., The Improvement Guide).
MEASURES = {
    "no-show rate": "outcome",
    "share of appointments sent an SMS reminder 48 h ahead": "process",
    "same-day cancellation rate": "balancing",
    "median door-to-provider time": "outcome",
    "share of ED arrivals triaged by the split-flow nurse": "process",
    "LWBS rate": "balancing",
}


def operations_log(student_id=None) -> pd.DataFrame:
    """The operations notes for this student's ED and clinic data: the ``ed_operations_log`` dataset.

    >>> operations_log().columns.tolist()
    ['week_start', 'week', 'unit', 'note']
    """
    return load_dataset("ed_operations_log", student_id)


def _clinic(ctx) -> pd.DataFrame:
    return ctx.data("clinic_no_shows")


def _ed(ctx) -> pd.DataFrame:
    return ctx.data("ed_door_to_provider")


def _measures(ctx, swap=False) -> pd.DataFrame:
    kinds = dict(MEASURES)
    if swap:
        kinds = {m: ("outcome" if k == "balancing" else k) for m, k in kinds.items()}
    return pd.DataFrame({"measure": list(kinds), "type": list(kinds.values())})


def _rates(ctx) -> pd.Series:
    return _clinic(ctx)["no_show_rate"]


def _baseline_median(ctx) -> float:
    return float(np.median(_rates(ctx).iloc[:BASELINE_WEEKS]))


def _ihi_chart(ctx) -> spc.RunChartResult:
    return spc.run_chart(_rates(ctx), median=_baseline_median(ctx), rules="ihi")


def _confirmed_week(ctx) -> int:
    """Week of the 6th point of the first IHI shift that reaches past the change (the week it is confirmed)."""
    shift = next(s for s in _ihi_chart(ctx).signals if s.rule == "shift" and max(s.points) >= BASELINE_WEEKS)
    return int(shift.points[5]) + 1


def _first_week_below(ctx) -> int:
    rates, median = _rates(ctx), _baseline_median(ctx)
    return next(i + 1 for i in range(BASELINE_WEEKS, len(rates)) if rates.iloc[i] < median)


def _anhoej(ctx) -> spc.RunChartResult:
    return spc.run_chart(_rates(ctx), median=_baseline_median(ctx), rules="anhoej")


def _weeks_below_lcl(ctx, baseline=BASELINE_WEEKS) -> int:
    df = _clinic(ctx)
    chart = spc.p_chart(df["no_shows"], df["appointments"], baseline=baseline)
    pts = chart.points.iloc[BASELINE_WEEKS:]
    return int((pts["value"] < pts["lcl"]).sum())


def _part2(ctx, start=SUSTAINED_FROM_WEEK, end=None) -> pd.DataFrame:
    df = _clinic(ctx)
    rows = df[df["week"] >= start]
    return rows if end is None else rows[rows["week"] <= end]


def _new_centre(ctx) -> float:
    df = _clinic(ctx)
    chart = spc.p_chart(df["no_shows"], df["appointments"], parts=SUSTAINED_FROM_WEEK - 1)
    return float(chart.points.loc[chart.points["part"] == 2, "cl"].iloc[0])


def _ed_chart(ctx, **kwargs) -> spc.ControlChartResult:
    return spc.i_chart(_ed(ctx)["median_minutes"], **kwargs)


def _sample_sd_ucl(ctx) -> float:
    y = _ed(ctx)["median_minutes"].iloc[:ED_BASELINE_WEEKS]
    return float(y.mean() + 3 * y.std(ddof=1))


def _astronomical_week(ctx) -> int:
    chart = _ed_chart(ctx, baseline=ED_BASELINE_WEEKS)
    pts = chart.points
    above = pts.index[pts["value"] > pts["ucl"]]
    return int(above[0]) + 1


def _pooled(rows: pd.DataFrame) -> float:
    return float(rows["no_shows"].sum() / rows["appointments"].sum())


def _rates_before_after(ctx) -> tuple[float, float]:
    df = _clinic(ctx)
    return _pooled(df[df["week"] <= BASELINE_WEEKS]), _pooled(df[df["week"] >= SUSTAINED_FROM_WEEK])


def _absolute_pp(ctx) -> float:
    before, after = _rates_before_after(ctx)
    return 100 * (before - after)


def _relative_pct(ctx) -> float:
    before, after = _rates_before_after(ctx)
    return 100 * (before - after) / before


def _gross_value(ctx) -> float:
    before, after = _rates_before_after(ctx)
    return (before - after) * float(_clinic(ctx)["appointments"].sum()) * CONTRIBUTION_PER_VISIT


WEEK = "week number"

QUESTIONS = (
    Question(
        "q1", "Outcome, process or balancing", "measure_types",
        Table(key="measure", numeric=(), text=("type",), tolerance=0, what="the measurement plan",
              row_name="measure"),
        expected=_measures,
        misconceptions=(
            Misconception("balancing called outcome", lambda ctx: _measures(ctx, swap=True),
                          "You called the balancing measures outcomes. A balancing measure watches for harm the "
                          "change may cause elsewhere in the system (late cancellations, patients leaving the "
                          "ED unseen); an outcome measure is the result the change is meant to improve."),
        ),
        hints=("Outcome: what the patient or the system gets. Process: whether the change is being done. "
               "Balancing: what the change might make worse elsewhere.",
               "Each project (clinic SMS reminders, ED split flow) has one measure of each type."),
        success="A measurement plan names all three kinds before the first PDSA cycle starts.",
    ),
    Question(
        "q2", "Baseline median (run-chart centre line)", "baseline_median",
        Proportion(tolerance=0.0001, what="the median weekly no-show rate of weeks 1-26"),
        expected=_baseline_median,
        misconceptions=(
            Misconception("mean as centre line", lambda ctx: float(_rates(ctx).iloc[:BASELINE_WEEKS].mean()),
                          "That is the mean. Run charts use the median as the centre line: the run rules "
                          "(shift, runs, crossings) count points above and below a line that half the points "
                          "sit on each side of."),
            Misconception("median of all weeks", lambda ctx: float(_rates(ctx).median()),
                          "That is the median of all 52 weeks. The baseline median comes from the 26 weeks before "
                          "the change only; it is then extended across the chart so that the new weeks are "
                          "judged against the old process."),
        ),
        hints=("Use the no_show_rate column of weeks 1-26 (the first 26 rows).",
               "spc.run_chart(rates, baseline=26).median, or .median() of the first 26 values."),
        success="This line is frozen: later weeks are judged against it, they do not move it.",
    ),
    Question(
        "q3", "First week a shift is confirmed (IHI)", "shift_confirmed_week",
        Number(WEEK, tolerance=0, what="the week in which the IHI shift rule first confirms the change"),
        expected=_confirmed_week,
        misconceptions=(
            Misconception("single point", _first_week_below,
                          "That is the first week after the change that fell below the baseline median. One "
                          "point below the median is not a signal: the IHI shift rule needs 6 or more "
                          "consecutive points on one side, and the change is confirmed in the week of the "
                          "sixth."),
        ),
        hints=("Plot the 52 weekly rates against the frozen baseline median: "
               "spc.run_chart(rates, median=baseline_median, rules='ihi').",
               "Find the first shift signal that includes weeks after the change; its points are 0-based "
               "positions, so add 1 to get a week number.",
               "The change is confirmed in the week of the shift's 6th point, not its first."),
        success="Until that week, the team had a hopeful trend line, not evidence.",
    ),
    Question(
        "q4", "Crossings of the baseline median (Anhøj)", "crossings",
        Number("crossings", tolerance=0, what="the number of times the 52-week series crosses the baseline median"),
        expected=lambda ctx: _anhoej(ctx).crossings,
        misconceptions=(
            Misconception("runs for crossings", lambda ctx: _anhoej(ctx).runs,
                          "That is the number of runs. Crossings are one fewer than runs (runs = crossings + 1): "
                          "count the times the line crosses the median, skipping points that sit on it."),
        ),
        hints=("spc.run_chart(rates, median=baseline_median) applies the Anhøj rules (the default).",
               "Look at .crossings and compare it with .crossings_min: fewer crossings than that is a signal."),
        success="Anhøj's crossings rule has no 'too many' side: too few crossings is the only signal it gives.",
    ),
    Question(
        "q5", "Weeks below the frozen baseline limit", "weeks_below_lcl",
        Number("weeks", tolerance=0, what="the number of weeks 27-52 below the lower limit frozen on weeks 1-26"),
        expected=_weeks_below_lcl,
        misconceptions=(
            Misconception("limits over all weeks", lambda ctx: _weeks_below_lcl(ctx, baseline=None),
                          "You computed the limits from all 52 weeks. That pulls the centre line and the limits "
                          "down towards the new level and hides part of the shift: freeze the limits on the 26 "
                          "baseline weeks (baseline=26) and judge the later weeks against them."),
        ),
        hints=("spc.p_chart(no_shows, appointments, baseline=26) freezes the limits; the denominators vary, so "
               "each week has its own limits.",
               "Count the weeks from position 26 on whose value is below that week's lcl."),
        success="Frozen limits are how a team shows the new weeks do not belong to the old process.",
    ),
    Question(
        "q6", "Centre line of the new limits", "new_centre_line",
        Proportion(tolerance=0.0001, what="the centre line of the p chart's second part (weeks 31-52)"),
        expected=_new_centre,
        misconceptions=(
            Misconception("re-baselined after 3 weeks",
                          lambda ctx: _pooled(_part2(ctx, SUSTAINED_FROM_WEEK, SUSTAINED_FROM_WEEK + 2)),
                          "You computed the new centre line from only three weeks. Re-baselining after three good "
                          "weeks builds limits on too little data; split the limits once the shift is sustained "
                          "and use every week of the new period (weeks 31-52)."),
            Misconception("mean of weekly rates", lambda ctx: float(_part2(ctx)["no_show_rate"].mean()),
                          "You averaged the weekly rates. A p chart's centre line is total no-shows ÷ total "
                          "appointments, so that busy weeks count for more than quiet (holiday) weeks."),
        ),
        hints=("Split the chart: spc.p_chart(no_shows, appointments, parts=30) starts part 2 at position 30, "
               "week 31.",
               "The centre line of part 2 is the sum of no-shows ÷ the sum of appointments in weeks 31-52."),
        success="New limits describe the new process: from here on they are what the clinics are held to.",
    ),
    Question(
        "q7", "ED I chart upper limit", "ed_ucl",
        Number("minutes", tolerance=0.05, what="the upper limit of the I chart of weekly median door-to-provider "
                                                "time, frozen on weeks 1-30"),
        expected=lambda ctx: float(_ed_chart(ctx, baseline=ED_BASELINE_WEEKS).ucl[0]),
        misconceptions=(
            Misconception("limits over all weeks", lambda ctx: float(_ed_chart(ctx).ucl[0]),
                          "You computed the limits from all 52 weeks, split-flow weeks included. The baseline is "
                          "weeks 1-30, before the change; limits over every week mix the old process with the "
                          "new one."),
            Misconception("standard deviation", _sample_sd_ucl,
                          "You used 3 × the standard deviation of the weekly values. An I chart estimates sigma "
                          "from the average moving range (AMR ÷ 1.128), which is not inflated by shifts or by one "
                          "extreme week: UCL = mean + 2.66 × AMR."),
            Misconception("NHS screened limits",
                          lambda ctx: float(_ed_chart(ctx, baseline=ED_BASELINE_WEEKS, rules="nhs").ucl[0]),
                          "That is the NHS Making Data Count version, with moving-range screening, a legitimate "
                          "choice that ignores the extreme moving ranges. This question asks for the classic I "
                          "chart without screening: spc.i_chart(values, baseline=30)."),
        ),
        hints=("spc.i_chart(median_minutes, baseline=30) computes the centre line and the average moving range "
               "from weeks 1-30 only.",
               "UCL = mean + 3 × AMR / 1.128; the result's .ucl holds it for every week."),
        success="Look at the average moving range (.amr) too: the one bad week widens the limits.",
    ),
    Question(
        "q8", "The astronomical week", "astronomical_week",
        Number(WEEK, tolerance=0, what="the week above the upper limit of the ED I chart"),
        expected=_astronomical_week,
        hints=("Points beyond the limits are in the result's signals with rule 'beyond_limits'.",
               "Signal positions are 0-based: add 1 for the week number."),
        success="Investigate that week's special cause; do not redesign the system around it.",
    ),
    Question(
        "q9", "Absolute change in the no-show rate", "no_show_change_pp",
        Percent(tolerance=0.05, what="the fall in the no-show rate in percentage points"),
        expected=_absolute_pp,
        misconceptions=(
            Misconception("relative change", _relative_pct,
                          "That is the relative change (the fall divided by the baseline rate). The question asks "
                          "for the absolute change in percentage points: baseline rate − new rate, × 100. "
                          "Report both, and never call a relative change 'percent' without saying so."),
        ),
        hints=("Pooled rates: total no-shows ÷ total appointments for weeks 1-26, and for weeks 31-52.",
               "Percentage points = (baseline − new) × 100."),
        success="A fall from 20% to 12% is 8 percentage points, or 40% relative: say which one you mean.",
    ),
    Question(
        "q10", "Net annual value of the SMS contract", "net_annual_value",
        Number("dollars", tolerance=1.0, signed=True, what="the net annual value of spreading SMS reminders"),
        expected=lambda ctx: _gross_value(ctx) - CONTRACT_COST,
        misconceptions=(
            Misconception("contract not subtracted", _gross_value,
                          "That is the gross value of the no-shows avoided. Subtract the vendor's 60,000 dollars a "
                          "year to get the net value of the contract."),
        ),
        hints=("No-shows avoided a year = the absolute fall in the rate (a proportion) × the year's "
               "appointments (all 52 weeks).",
               "Net value = no-shows avoided × 95 dollars of contribution per kept visit − 60,000 dollars."),
        success="Value is what makes the spread decision; the chart is what makes the value believable.",
    ),
)

LAB = LabSpec(
    lab_id="04_pdsa_spc_lab",
    title="Lab 04: PDSA and SPC, Riverbend Health's improvement portfolio",
    datasets=("clinic_no_shows", "ed_door_to_provider"),
    questions=QUESTIONS,
    solution_path="solutions/04_pdsa_spc_lab.ipynb",
)
