"""Datasets for module 04, PDSA and SPC: weekly measures, each with one known, documented special cause.

* ``clinic_no_shows``: weekly appointments and no-shows in an outpatient clinic, 26 weeks before and 26 weeks
  after an SMS-reminder change (the special cause: a sustained drop in the no-show rate).
* ``ed_door_to_provider``: weekly median and mean door-to-provider minutes in an emergency department,
  aggregated from right-skewed (log-normal) per-patient times, with one short-staffed week (the special cause).
* ``central_line_bundle``: weekly central-line maintenance-bundle audits (compliant / audited), with one week of
  a chlorhexidine-cap supply shortage (the special cause).

Every generator draws all its random numbers from the ``numpy.random.Generator`` it is given.

Examples
--------
>>> import numpy as np
>>> df = clinic_no_shows(np.random.default_rng(1))
>>> df.shape
(52, 7)
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..registry import DatasetSpec, Field

__all__ = ["DATASETS", "clinic_no_shows", "ed_door_to_provider", "central_line_bundle"]

WEEKS = 52
FIRST_MONDAY = date(2024, 1, 1)
#: The SMS-reminder change starts in week 27 (position 26): weeks 1-26 are "before", 27-52 "after".
CHANGE_WEEK = 27


def _week_starts(n: int = WEEKS) -> list[str]:
    return [(FIRST_MONDAY + timedelta(weeks=i)).isoformat() for i in range(n)]


def clinic_no_shows(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly clinic appointments and no-shows before and after SMS reminders (change in week 27).

    Before the change the weekly no-show probability varies around a clinic level drawn from 17-23 %; after it,
    around a level drawn from 10-13 % (published outpatient no-show rates run 15-30 %, and SMS reminders cut them by
    roughly a third). Appointments per week are Poisson around a level drawn from 360-460. No-shows are binomial.
    """
    before = rng.uniform(0.17, 0.23)
    after = rng.uniform(0.10, 0.13)
    volume = rng.uniform(360, 460)
    weeks = np.arange(1, WEEKS + 1)
    level = np.where(weeks < CHANGE_WEEK, before, after)
    p = np.clip(level + rng.normal(0, 0.006, WEEKS), 0.05, 0.4)
    appointments = rng.poisson(volume, WEEKS)
    no_shows = rng.binomial(appointments, p)
    return pd.DataFrame({
        "week_start": _week_starts(),
        "week": weeks,
        "appointments": appointments.astype("int64"),
        "no_shows": no_shows.astype("int64"),
        "no_show_rate": np.round(no_shows / appointments, 4),
        "period": np.where(weeks < CHANGE_WEEK, "before", "after"),
        "sms_reminders": weeks >= CHANGE_WEEK,
    })


def ed_door_to_provider(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly ED door-to-provider minutes, aggregated from log-normal per-patient times; one short-staffed week.

    The department's typical median is drawn from 20-28 minutes (benchmark 15-35 minutes), per-patient spread
    log-normal with sigma 0.55 (right-skewed: the mean sits above the median). Each week 50-70 patients are
    sampled. In one week, drawn from weeks 20-45, two emergency physicians were out sick and every patient waited
    1.9 times as long: that week's ``note`` says so.
    """
    typical = rng.uniform(20, 28)
    staffing_week = int(rng.integers(20, 46))
    patients = rng.integers(50, 71, WEEKS)
    medians, means, notes = [], [], []
    for week, n in enumerate(patients, start=1):
        minutes = typical * np.exp(rng.normal(0.0, 0.55, int(n)))
        if week == staffing_week:
            minutes = minutes * 1.9
        medians.append(float(np.median(minutes)))
        means.append(float(minutes.mean()))
        notes.append("two emergency physicians off sick; shifts not back-filled" if week == staffing_week else "")
    return pd.DataFrame({
        "week_start": _week_starts(),
        "week": np.arange(1, WEEKS + 1),
        "patients_sampled": patients.astype("int64"),
        "median_minutes": np.round(medians, 1),
        "mean_minutes": np.round(means, 1),
        "note": notes,
    })


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
            "52 weeks of appointments and no-shows in a multi-specialty outpatient clinic. In week 27 the clinic "
            "started sending an SMS reminder 48 hours before every appointment. Known special cause: the "
            "no-show rate drops from about 17-23% to about 10-13% from week 27 on and stays there (a sustained "
            "shift, seen as a long run below the median and as points below the baseline p-chart limits)."),
        modelled_on=("published outpatient no-show rates (15-30%) and trials of SMS appointment reminders, "
                     "which cut no-shows by roughly a third"),
        module="04 PDSA and SPC",
        fields=_WEEK_FIELDS + (
            Field("appointments", "Appointments booked", "integer", "appointments",
                  "Appointments scheduled that week (the denominator)."),
            Field("no_shows", "No-shows", "integer", "appointments",
                  "Patients who neither attended nor cancelled (the numerator)."),
            Field("no_show_rate", "No-show rate", "number", "proportion",
                  "no_shows / appointments, a proportion from 0 to 1, rounded to 4 decimals."),
            Field("period", "Period", "string", "", "'before' (weeks 1-26) or 'after' (weeks 27-52) the change."),
            Field("sms_reminders", "SMS reminders in use", "boolean", "", "True from week 27 on."),
        ),
        generator=clinic_no_shows,
        sources=("Perla, Provost & Murray (2011) The run chart. BMJ Qual Saf 20:46-51",),
    ),
    DatasetSpec(
        name="ed_door_to_provider",
        title="Weekly ED door-to-provider time",
        description=(
            "52 weeks of door-to-provider times in an emergency department, summarised each week from a sample of "
            "50-70 patients (per-patient times are right-skewed, so the mean runs above the median). Known "
            "special cause: one week between weeks 20 and 45, marked in the note column, when two emergency "
            "physicians were off sick and shifts were not back-filled; waits nearly doubled that week (a point "
            "above the upper limit of an I chart of the weekly median)."),
        modelled_on="ED door-to-provider medians of 15-35 minutes (log-normal per-patient times)",
        module="04 PDSA and SPC",
        fields=_WEEK_FIELDS + (
            Field("patients_sampled", "Patients sampled", "integer", "patients",
                  "Patients whose door-to-provider time was sampled that week."),
            Field("median_minutes", "Median door-to-provider time", "number", "minutes",
                  "Median of the sampled times, rounded to 0.1 minute."),
            Field("mean_minutes", "Mean door-to-provider time", "number", "minutes",
                  "Mean of the sampled times, rounded to 0.1 minute."),
            Field("note", "Operations note", "string", "", "What the charge nurse logged that week (often blank)."),
        ),
        generator=ed_door_to_provider,
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
