"""Datasets for module 04, PDSA and SPC: weekly measures, each with one known, documented special cause.

* ``clinic_no_shows``: weekly appointments, no-shows and same-day cancellations in primary care, 26 weeks before
  and 26 weeks after an SMS-reminder change that ramps in over four weeks (the special cause: a sustained drop in
  the no-show rate), with holiday weeks and a balancing measure.
* ``ed_door_to_provider``: weekly median and mean door-to-provider minutes in an emergency department,
  aggregated from right-skewed (log-normal) per-patient times, with a split-flow change, one short-staffed week
  (the special cause) and LWBS as the balancing measure. :func:`operations_log` holds the notes that explain the
  special causes, kept out of the dataset so that the answer is not in a column read before the signal.
* ``central_line_bundle``: weekly central-line maintenance-bundle audits (compliant / audited), with one week of
  a chlorhexidine-cap supply shortage (the special cause).

Every generator draws all its random numbers from the ``numpy.random.Generator`` it is given.

Examples
--------
>>> import numpy as np
>>> df = clinic_no_shows(np.random.default_rng(1))
>>> df.shape
(52, 8)
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..registry import DatasetSpec, Field

__all__ = ["DATASETS", "clinic_no_shows", "ed_door_to_provider", "central_line_bundle", "operations_log"]

WEEKS = 52
FIRST_MONDAY = date(2024, 1, 1)
#: The SMS-reminder change starts in week 27 (position 26) at one clinic and spreads over four weeks.
CHANGE_WEEK = 27
#: Share of the full SMS effect in weeks 27-30 (cycle 1 at one clinic, cycle 2 spreading): fully in place from 30.
SMS_RAMP = {27: 0.25, 28: 0.5, 29: 0.75, 30: 1.0}
#: Weeks (Monday start, 2024) that contain a US federal holiday on a clinic day: New Year's Day, Memorial Day,
#: Independence Day, Labor Day, Thanksgiving, Christmas.
HOLIDAY_WEEKS = (1, 22, 27, 36, 48, 52)
#: The post-change holiday week pushed above the baseline median (one high point is not a signal).
HIGH_POST_CHANGE_WEEK = 48
#: The ED split-flow PDSA: cycle 1 (day shift only) weeks 31-34, cycle 2 (all shifts) from week 35.
SPLIT_FLOW_WEEK = 31
SPLIT_FLOW_FULL_WEEK = 35


def _week_starts(n: int = WEEKS) -> list[str]:
    return [(FIRST_MONDAY + timedelta(weeks=i)).isoformat() for i in range(n)]


def clinic_no_shows(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly primary-care appointments, no-shows and same-day cancellations; SMS reminders from week 27.

    Before the change the weekly no-show probability varies around a clinic level drawn from 17-23 %; the SMS
    reminder (go-live in week 27 at one clinic, spread to every clinic by week 30) brings it to a level drawn
    from 10-13 % (published outpatient no-show rates run 15-30 %, and SMS reminders cut them by roughly a third),
    ramping in over weeks 27-30 (:data:`SMS_RAMP`). Holiday weeks (:data:`HOLIDAY_WEEKS`) have about 20 % fewer
    appointments and 3 points more no-shows; the Thanksgiving week after the change is kept above the baseline
    median (one high point, not a signal). Same-day cancellations, the balancing measure, run at 3-4.5 % before
    and rise by 1.2-2 points as reminders turn some no-shows into late cancellations. Appointments per week are
    Poisson around a level drawn from 360-460; no-shows and cancellations are binomial.
    """
    before = rng.uniform(0.17, 0.23)
    after = rng.uniform(0.10, 0.13)
    volume = rng.uniform(360, 460)
    cancel_before = rng.uniform(0.03, 0.045)
    cancel_rise = rng.uniform(0.012, 0.02)
    weeks = np.arange(1, WEEKS + 1)
    effect = np.array([0.0 if w < CHANGE_WEEK else SMS_RAMP.get(int(w), 1.0) for w in weeks])
    holiday = np.isin(weeks, HOLIDAY_WEEKS)
    level = before - (before - after) * effect + 0.03 * holiday
    p = np.clip(level + rng.normal(0, 0.006, WEEKS), 0.05, 0.4)
    appointments = rng.poisson(volume * np.where(holiday, 0.8, 1.0))
    no_shows = rng.binomial(appointments, p)
    cancellations = rng.binomial(appointments, cancel_before + cancel_rise * effect)
    # one post-change point above the baseline median (and a holiday week, so it has a reason)
    rates = no_shows / appointments
    base_median = float(np.median(np.round(rates[:CHANGE_WEEK - 1], 4)))
    i = HIGH_POST_CHANGE_WEEK - 1
    floor = int(np.floor(base_median * appointments[i])) + 1 + int(rng.integers(0, 4))
    no_shows[i] = max(no_shows[i], floor)
    return pd.DataFrame({
        "week_start": _week_starts(),
        "week": weeks,
        "holiday_week": holiday,
        "appointments": appointments.astype("int64"),
        "no_shows": no_shows.astype("int64"),
        "no_show_rate": np.round(no_shows / appointments, 4),
        "same_day_cancellations": cancellations.astype("int64"),
        "same_day_cancellation_rate": np.round(cancellations / appointments, 4),
    })


def _ed_weeks(rng: np.random.Generator) -> tuple[pd.DataFrame, int]:
    typical = rng.uniform(20, 28)
    reduction = rng.uniform(0.22, 0.32)
    staffing_week = int(rng.integers(8, 27))
    visits_level = rng.uniform(900, 1200)
    lwbs_level = rng.uniform(0.015, 0.03)
    patients = rng.integers(50, 71, WEEKS)
    visits = rng.poisson(visits_level, WEEKS)
    medians, means, lwbs = [], [], []
    for week, n in enumerate(patients, start=1):
        factor = 1.0 if week < SPLIT_FLOW_WEEK else (1 - reduction / 2 if week < SPLIT_FLOW_FULL_WEEK
                                                      else 1 - reduction)
        minutes = typical * factor * np.exp(rng.normal(0.0, 0.55, int(n)))
        if week == staffing_week:
            minutes = minutes * 1.9
        medians.append(float(np.median(minutes)))
        means.append(float(minutes.mean()))
        rate = lwbs_level * (2.0 if week == staffing_week else 1.0)
        lwbs.append(int(rng.binomial(visits[week - 1], rate)))
    lwbs = np.array(lwbs)
    frame = pd.DataFrame({
        "week_start": _week_starts(),
        "week": np.arange(1, WEEKS + 1),
        "patients_sampled": patients.astype("int64"),
        "median_minutes": np.round(medians, 1),
        "mean_minutes": np.round(means, 1),
        "ed_visits": visits.astype("int64"),
        "lwbs": lwbs.astype("int64"),
        "lwbs_rate": np.round(lwbs / visits, 4),
    })
    return frame, staffing_week


def ed_door_to_provider(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly ED door-to-provider minutes and LWBS; split-flow triage from week 31; one short-staffed week.

    The department's typical median is drawn from 20-28 minutes (benchmark 15-35 minutes), per-patient times
    log-normal with sigma 0.55 (right-skewed: the mean sits above the median); each week 50-70 patients are
    sampled. Split-flow triage (a PDSA: cycle 1 on the day shift from week 31, cycle 2 on every shift from
    week 35) cuts waits by 22-32 % (half of that in cycle 1). In one baseline week, drawn from weeks 8-26, two
    emergency physicians were out sick and every patient waited 1.9 times as long, and twice as many patients
    left without being seen. LWBS (the balancing measure) is otherwise binomial around 1.5-3 % of 900-1,200
    weekly visits, unchanged by split flow. What the charge nurse logged is not in this table: it is revealed by
    :func:`operations_log` once the signal has been found.
    """
    return _ed_weeks(rng)[0]


def operations_log(rng: np.random.Generator) -> pd.DataFrame:
    """The operations notes for the weeks of ``ed_door_to_provider`` and ``clinic_no_shows`` that have one.

    Called with the same seed as ``ed_door_to_provider`` it names that dataset's short-staffed week.
    """
    _, staffing_week = _ed_weeks(rng)
    rows = [
        (staffing_week, "ED", "two emergency physicians off sick; shifts not back-filled"),
        (SPLIT_FLOW_WEEK, "ED", "PDSA cycle 1: split-flow triage on the day shift"),
        (SPLIT_FLOW_FULL_WEEK, "ED", "PDSA cycle 2: split-flow triage on every shift"),
        (CHANGE_WEEK, "Clinics", "PDSA cycle 1: SMS reminders 48 h before, one clinic"),
        (CHANGE_WEEK + 1, "Clinics", "PDSA cycle 2: SMS reminders spread to every clinic over three weeks"),
    ]
    rows += [(w, "Clinics", "holiday week") for w in HOLIDAY_WEEKS]
    frame = pd.DataFrame(rows, columns=["week", "unit", "note"]).sort_values(["week", "unit"], kind="stable")
    frame.insert(0, "week_start", [_week_starts()[w - 1] for w in frame["week"]])
    return frame.reset_index(drop=True)


def central_line_bundle(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly central-line maintenance-bundle audits in an ICU; one week of a chlorhexidine-cap shortage.

    Each week 20-40 line-days are audited; the chance that all bundle elements were met is drawn around a unit
    level of 86-94 %. In one week, drawn from weeks 15-40, chlorhexidine caps were out of stock and compliance
    fell to about 45 %: that week's ``note`` says so.
    """
    level = rng.uniform(0.86, 0.94)
    shortage_week = int(rng.integers(15, 41))
    audits = rng.integers(20, 41, WEEKS)
    weeks = np.arange(1, WEEKS + 1)
    p = np.clip(level + rng.normal(0, 0.015, WEEKS), 0.0, 0.99)
    p[weeks == shortage_week] = 0.45
    compliant = rng.binomial(audits, p)
    return pd.DataFrame({
        "week_start": _week_starts(),
        "week": weeks,
        "lines_audited": audits.astype("int64"),
        "bundle_compliant": compliant.astype("int64"),
        "compliance_rate": np.round(compliant / audits, 4),
        "note": np.where(weeks == shortage_week, "chlorhexidine caps out of stock all week", ""),
    })


_WEEK_FIELDS = (
    Field("week_start", "Week starting", "date", "", "Monday that starts the week (ISO date)."),
    Field("week", "Week number", "integer", "week", "1 for the first week of the series, up to 52."),
)

DATASETS = [
    DatasetSpec(
        name="clinic_no_shows",
        title="Weekly clinic no-shows before and after SMS reminders",
        description=(
            "52 weeks (2024) of appointments, no-shows and same-day cancellations in Riverbend Health's primary-"
            "care clinics. From week 27 (1 July 2024) the clinics tested an SMS reminder sent 48 hours before each "
            "appointment: first at one clinic, then spread to every clinic by week 30, so the effect ramps in. "
            "Known special cause: a sustained fall in the no-show rate after the change (a long run below the "
            "baseline median; points below the frozen baseline p-chart limits). Holiday weeks carry fewer "
            "appointments and more no-shows; one post-change holiday week lies above the baseline median. "
            "Same-day cancellations are the balancing measure."),
        modelled_on=("published outpatient no-show rates (15-30%) and trials of SMS appointment reminders, "
                     "which cut no-shows by roughly a third"),
        module="04 PDSA and SPC",
        fields=_WEEK_FIELDS + (
            Field("holiday_week", "Holiday week", "boolean", "",
                  "True for a week containing a US federal holiday on a clinic day."),
            Field("appointments", "Appointments booked", "integer", "appointments",
                  "Appointments scheduled that week (the denominator)."),
            Field("no_shows", "No-shows", "integer", "appointments",
                  "Patients who neither attended nor cancelled (the numerator)."),
            Field("no_show_rate", "No-show rate", "number", "proportion",
                  "no_shows / appointments, a proportion from 0 to 1, rounded to 4 decimals."),
            Field("same_day_cancellations", "Same-day cancellations", "integer", "appointments",
                  "Appointments cancelled on the day (the balancing measure's numerator)."),
            Field("same_day_cancellation_rate", "Same-day cancellation rate", "number", "proportion",
                  "same_day_cancellations / appointments, rounded to 4 decimals."),
        ),
        generator=clinic_no_shows,
        sources=("Perla, Provost & Murray (2011) The run chart. BMJ Qual Saf 20:46-51",),
    ),
    DatasetSpec(
        name="ed_door_to_provider",
        title="Weekly ED door-to-provider time",
        description=(
            "52 weeks (2024) of door-to-provider times at Riverbend Community Hospital's emergency department, "
            "summarised each week from a sample of 50-70 patients (per-patient times are right-skewed, so the "
            "mean runs above the median), with weekly visits and patients who left without being seen (LWBS, the "
            "balancing measure). Split-flow triage was tested from week 31 (day shift) and on every shift from "
            "week 35. Known special causes: the split-flow shift, and one baseline week when two emergency "
            "physicians were off sick (a point above the upper limit of an I chart of the weekly median); the "
            "operations log that names it is kept apart until the signal has been found."),
        modelled_on="ED door-to-provider medians of 15-35 minutes (log-normal per-patient times); LWBS 1.5-3%",
        module="04 PDSA and SPC",
        fields=_WEEK_FIELDS + (
            Field("patients_sampled", "Patients sampled", "integer", "patients",
                  "Patients whose door-to-provider time was sampled that week."),
            Field("median_minutes", "Median door-to-provider time", "number", "minutes",
                  "Median of the sampled times, rounded to 0.1 minute."),
            Field("mean_minutes", "Mean door-to-provider time", "number", "minutes",
                  "Mean of the sampled times, rounded to 0.1 minute."),
            Field("ed_visits", "ED visits", "integer", "visits", "Patients who registered in the ED that week."),
            Field("lwbs", "Left without being seen", "integer", "visits",
                  "Patients who left before a provider saw them (the balancing measure's numerator)."),
            Field("lwbs_rate", "LWBS rate", "number", "proportion", "lwbs / ed_visits, rounded to 4 decimals."),
        ),
        generator=ed_door_to_provider,
        sources=("Provost & Murray (2011) The Health Care Data Guide, Jossey-Bass",),
    ),
    DatasetSpec(
        name="ed_operations_log",
        title="Operations notes for the ED and clinic weeks (read after finding the signal)",
        description=(
            "What the ED charge nurse and the clinic managers logged in 2024, one row per note: the short-staffed "
            "ED week, the two split-flow triage cycles, the two SMS-reminder cycles and the clinics' holiday weeks. "
            "It shares its random stream with ed_door_to_provider, so for every student id it names that dataset's "
            "short-staffed week. Read it only after you have found the signals on your charts: it is the answer key "
            "to 'what happened that week?'."
        ),
        modelled_on="An operations huddle log kept beside a unit's weekly measures (Provost & Murray 2011, ch. 2).",
        module="04 PDSA and SPC",
        fields=_WEEK_FIELDS + (
            Field("unit", "Unit", "string", "", "ED or Clinics."),
            Field("note", "Note", "string", "", "What was logged for that week."),
        ),
        generator=operations_log,
        seed_group="ed_door_to_provider",
        sources=("Provost & Murray (2011) The Health Care Data Guide, Jossey-Bass",),
    ),
    DatasetSpec(
        name="central_line_bundle",
        title="Weekly central-line maintenance-bundle adherence",
        description=(
            "52 weeks of central-line maintenance-bundle audits in an adult ICU: lines audited and lines with every "
            "bundle element met. Known special cause: one week between weeks 15 and 40, marked in the note "
            "column, when chlorhexidine caps were out of stock and adherence fell to about 45% (a point below "
            "the lower limit of a p chart)."),
        modelled_on="ICU central-line maintenance-bundle adherence of about 85-95% in audited units",
        module="04 PDSA and SPC",
        fields=_WEEK_FIELDS + (
            Field("lines_audited", "Lines audited", "integer", "line-days",
                  "Central-line days audited that week (the denominator)."),
            Field("bundle_compliant", "Bundle compliant", "integer", "line-days",
                  "Audited line-days with every bundle element met (the numerator)."),
            Field("compliance_rate", "Bundle adherence", "number", "proportion",
                  "bundle_compliant / lines_audited, a proportion from 0 to 1, rounded to 4 decimals."),
            Field("note", "Operations note", "string", "", "What the unit logged that week (often blank)."),
        ),
        generator=central_line_bundle,
        sources=("Montgomery, Introduction to Statistical Quality Control (p chart)",),
    ),
]
