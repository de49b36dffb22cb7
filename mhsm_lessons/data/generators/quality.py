"""Synthetic datasets for module 03, Quality metrics: readmissions, HAIs, HCAHPS and falls.

All four follow the benchmark ranges in the shared domain sheet (``DOMAIN.md`` section 3). Where a quantity
must land inside a published range for *every* student id (a 24-month pooled infection rate, a 3-year
readmission rate), the generator first draws the period total from inside the range and then spreads it
over rows at random (multinomial over unit-months, weighted sampling over discharges). Each row still looks
like ordinary random variation, while the pooled figure students compute always matches the benchmark.

Examples
--------
>>> import numpy as np
>>> df = hai_unit_months(np.random.default_rng(1))
>>> df.shape
(168, 10)
>>> sorted(df["unit_type"].unique())
['ICU', 'Med-surg', 'Step-down']
"""
from __future__ import annotations

import calendar

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit, logit, ndtr

from ..registry import DatasetSpec, Field

__all__ = ["DATASETS", "hrrp_discharges", "hai_unit_months", "hcahps_responses", "falls_unit_months",
           "UNITS", "HCAHPS_ITEMS"]

MODULE = "03 Quality metrics"

# ---------------------------------------------------------------------------------------------------------
# Hospital units shared by the HAI and falls datasets (same seed group, so patient days agree).

#: (unit, unit type, staffed beds) for a 348-bed adult acute-care hospital's inpatient units.
UNITS = (
    ("MICU", "ICU", 20),
    ("SICU", "ICU", 16),
    ("4 West Step-down", "Step-down", 24),
    ("5 North Med-Surg", "Med-surg", 32),
    ("5 South Med-Surg", "Med-surg", 32),
    ("6 North Med-Surg", "Med-surg", 30),
    ("6 South Med-Surg", "Med-surg", 28),
)
_UNIT_MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]

# Per unit type: central-line DUR range, urinary-catheter DUR range, pooled CLABSI and CAUTI target ranges
# (per 1,000 device days), illustrative NHSN-style baseline rates for the predicted counts, falls range.
_TYPE = {
    #             line DUR      cath DUR      CLABSI        CAUTI        base CLABSI, CAUTI  falls/1,000 pd
    "ICU":       ((0.40, 0.50), (0.45, 0.60), (0.95, 1.35), (0.80, 1.30), (1.25, 1.40), (1.0, 1.8)),
    "Step-down": ((0.20, 0.28), (0.20, 0.30), (0.70, 0.85), (0.70, 1.20), (0.95, 1.20), (2.0, 3.0)),
    "Med-surg":  ((0.12, 0.18), (0.10, 0.16), (0.60, 0.90), (0.70, 1.20), (0.90, 1.20), (2.8, 3.7)),
}


def _unit_months(rng: np.random.Generator) -> pd.DataFrame:
    """Unit x month frame with patient days (the first draws of the shared 'quality_units' stream)."""
    n_units, n_months = len(UNITS), len(_UNIT_MONTHS)
    base_occupancy = rng.uniform(0.80, 0.92, size=n_units)
    occupancy = np.clip(base_occupancy[:, None] + rng.normal(0, 0.03, size=(n_units, n_months)), 0.6, 0.99)
    days = np.array([calendar.monthrange(int(m[:4]), int(m[5:]))[1] for m in _UNIT_MONTHS])
    beds = np.array([b for _, _, b in UNITS])
    patient_days = np.rint(beds[:, None] * occupancy * days[None, :]).astype(np.int64)
    return pd.DataFrame({
        "unit": np.repeat([u for u, _, _ in UNITS], n_months),
        "unit_type": np.repeat([t for _, t, _ in UNITS], n_months),
        "month": np.tile(_UNIT_MONTHS, n_units),
        "patient_days": patient_days.ravel(),
    })


def _spread(rng, frame, exposure, rate_ranges, unit_sd):
    """Counts per row: for each unit type, a pooled rate drawn from its range gives the period total, which a
    multinomial spreads over that type's rows in proportion to exposure x a unit effect."""
    counts = np.zeros(len(frame), dtype=np.int64)
    unit_effect = dict(zip([u for u, _, _ in UNITS], rng.lognormal(0.0, unit_sd, size=len(UNITS))))
    for unit_type, (lo, hi) in rate_ranges.items():
        rows = np.flatnonzero(frame["unit_type"].to_numpy() == unit_type)
        rate = rng.uniform(lo, hi)
        total = int(np.rint(rate * exposure[rows].sum() / 1000.0))
        weights = exposure[rows] * frame["unit"].iloc[rows].map(unit_effect).to_numpy()
        counts[rows] = rng.multinomial(total, weights / weights.sum())
    return counts


def hai_unit_months(rng: np.random.Generator) -> pd.DataFrame:
    """NHSN-style unit-month HAI summary: patient days, device days, CLABSI, CAUTI and predicted HAIs."""
    frame = _unit_months(rng)
    types = frame["unit_type"].to_numpy()
    unit_index = np.repeat(np.arange(len(UNITS)), len(_UNIT_MONTHS))
    unit_types = [t for _, t, _ in UNITS]
    line_dur = np.array([rng.uniform(*_TYPE[t][0]) for t in unit_types])[unit_index]
    cath_dur = np.array([rng.uniform(*_TYPE[t][1]) for t in unit_types])[unit_index]
    patient_days = frame["patient_days"].to_numpy()
    line_days = rng.binomial(patient_days, line_dur)
    cath_days = rng.binomial(patient_days, cath_dur)
    clabsi = _spread(rng, frame, line_days.astype(float), {t: v[2] for t, v in _TYPE.items()}, 0.25)
    cauti = _spread(rng, frame, cath_days.astype(float), {t: v[3] for t, v in _TYPE.items()}, 0.25)
    base_clabsi = np.array([_TYPE[t][4][0] for t in types])
    base_cauti = np.array([_TYPE[t][4][1] for t in types])
    frame["central_line_days"] = line_days
    frame["clabsi"] = clabsi
    frame["clabsi_predicted"] = np.round(line_days * base_clabsi / 1000.0, 3)
    frame["urinary_catheter_days"] = cath_days
    frame["cauti"] = cauti
    frame["cauti_predicted"] = np.round(cath_days * base_cauti / 1000.0, 3)
    return frame


def falls_unit_months(rng: np.random.Generator) -> pd.DataFrame:
    """Unit-month falls and falls with injury, with the same patient days as the HAI file."""
    frame = _unit_months(rng)
    patient_days = frame["patient_days"].to_numpy()
    falls = _spread(rng, frame, patient_days.astype(float), {t: v[5] for t, v in _TYPE.items()}, 0.15)
    injury_share = rng.uniform(0.20, 0.32, size=len(UNITS))[np.repeat(np.arange(len(UNITS)), len(_UNIT_MONTHS))]
    frame["falls"] = falls
    frame["injury_falls"] = rng.binomial(falls, injury_share)
    return frame


# ---------------------------------------------------------------------------------------------------------
# HRRP discharges

# condition: (mean discharges over 3 years, national expected rate, observed-rate range, mean base DRG payment $)
_HRRP = {
    "AMI": (420, 0.14, (0.1325, 0.1475), 13_500),
    "HF": (900, 0.20, (0.1925, 0.2075), 9_800),
    "Pneumonia": (700, 0.16, (0.1525, 0.1675), 9_200),
    "COPD": (450, 0.19, (0.1825, 0.1975), 8_100),
    "CABG": (240, 0.11, (0.1040, 0.1160), 41_000),
    "THA/TKA": (600, 0.045, (0.0420, 0.0480), 14_500),
}
_HRRP_MONTHS = [f"{y}-{m:02d}" for y, m in
                [(2021 + (6 + i) // 12, (6 + i) % 12 + 1) for i in range(36)]]  # 2021-07 .. 2024-06


def hrrp_discharges(rng: np.random.Generator) -> pd.DataFrame:
    """One row per Medicare index discharge in the six HRRP cohorts over a three-year period."""
    parts = []
    for condition, (n_mean, national, (lo, hi), payment) in _HRRP.items():
        n = int(np.rint(n_mean * rng.uniform(0.9, 1.1)))
        age = np.minimum(65 + np.rint(rng.gamma(2.0, 6.0, size=n)), 99).astype(np.int64)
        risk = rng.normal(0.0, 0.5, size=n) + 0.02 * (age - 77)
        case_mix_rate = national * rng.uniform(0.95, 1.05)   # this hospital's patients vs the nation's
        shift = brentq(lambda s: expit(logit(national) + risk + s).mean() - case_mix_rate, -3.0, 3.0)
        expected = expit(logit(national) + risk + shift)
        observed_rate = rng.uniform(lo, hi)
        shrink = n / (n + 150.0)                      # CMS's hierarchical model shrinks small hospitals to 1
        err = 1.0 + shrink * (observed_rate / expected.mean() - 1.0)
        predicted = expit(logit(expected) + np.log(err))
        k = int(np.rint(observed_rate * n))
        keys = np.log(predicted) + rng.gumbel(size=n)  # Gumbel top-k: sampling without replacement, p ~ predicted
        readmitted = np.zeros(n, dtype=bool)
        readmitted[np.argsort(-keys, kind="stable")[:k]] = True
        parts.append(pd.DataFrame({
            "discharge_month": rng.choice(_HRRP_MONTHS, size=n),
            "condition": condition,
            "age": age,
            "expected_readmission_prob": np.round(expected, 4),
            "predicted_readmission_prob": np.round(predicted, 4),
            "readmitted_30d": readmitted,
            "base_drg_payment": np.round(payment * rng.lognormal(-0.045, 0.3, size=n), 0).astype(np.int64),
        }))
    frame = pd.concat(parts, ignore_index=True).sort_values("discharge_month", kind="stable", ignore_index=True)
    frame.insert(0, "discharge_id", [f"D{i:05d}" for i in range(1, len(frame) + 1)])
    return frame


# ---------------------------------------------------------------------------------------------------------
# HCAHPS

_FREQUENCY = ("Never", "Sometimes", "Usually", "Always")
_RATING = tuple(str(i) for i in range(11))
_RATING_P = (0.004, 0.003, 0.004, 0.006, 0.008, 0.02, 0.03, 0.07, 0.14, 0.215, 0.50)  # top box 9-10 = 71.5 %


def _frequency_p(top_box):
    rest = 1.0 - top_box
    return (0.05 * rest, 0.20 * rest, 0.75 * rest, top_box)


#: item_id: (measure, question, answers worst to best, probabilities, share of surveys the item applies to).
#: Numbered as on the HCAHPS survey used through 2024 [K].
HCAHPS_ITEMS = {
    "Q1": ("nurse_comm", "Nurses treated you with courtesy and respect", _FREQUENCY, _frequency_p(0.84), 1.0),
    "Q2": ("nurse_comm", "Nurses listened carefully to you", _FREQUENCY, _frequency_p(0.79), 1.0),
    "Q3": ("nurse_comm", "Nurses explained things in a way you could understand", _FREQUENCY,
           _frequency_p(0.77), 1.0),
    "Q4": ("responsiveness", "Got help as soon as you wanted after pressing the call button", _FREQUENCY,
           _frequency_p(0.66), 1.0),
    "Q5": ("doctor_comm", "Doctors treated you with courtesy and respect", _FREQUENCY, _frequency_p(0.85), 1.0),
    "Q6": ("doctor_comm", "Doctors listened carefully to you", _FREQUENCY, _frequency_p(0.82), 1.0),
    "Q7": ("doctor_comm", "Doctors explained things in a way you could understand", _FREQUENCY,
           _frequency_p(0.79), 1.0),
    "Q11": ("responsiveness", "Got help getting to the bathroom or using a bedpan as soon as you wanted",
            _FREQUENCY, _frequency_p(0.74), 0.60),
    "Q21": ("hospital_rating", "Rating of the hospital, 0 (worst) to 10 (best)", _RATING, _RATING_P, 1.0),
}
_SURVEYS = 1000
_HCAHPS_MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]


def hcahps_responses(rng: np.random.Generator) -> pd.DataFrame:
    """One row per completed survey x HCAHPS item, with answers correlated within a survey."""
    n = _SURVEYS
    month = np.sort(rng.integers(0, 12, size=n))
    service = rng.choice(["Medical", "Surgical", "Maternity"], size=n, p=[0.55, 0.35, 0.10])
    mood = rng.normal(size=n)                         # a patient's overall experience, shared across items
    rho = 0.35
    columns = {"survey_id": [], "discharge_month": [], "service_line": [], "measure": [], "item_id": [],
               "response": []}
    item_ids = list(HCAHPS_ITEMS)
    answers = []
    for item_id in item_ids:
        measure, _, scale, probs, applies = HCAHPS_ITEMS[item_id]
        z = np.sqrt(rho) * mood + np.sqrt(1 - rho) * rng.normal(size=n)
        idx = np.minimum(np.searchsorted(np.cumsum(probs), ndtr(z), side="right"), len(scale) - 1)
        ans = np.asarray(scale, dtype=object)[idx]
        if applies < 1.0:
            ans[rng.random(size=n) >= applies] = None  # skip pattern: did not need this help
        answers.append(ans)
    k = len(item_ids)
    columns["survey_id"] = np.repeat([f"S{i:04d}" for i in range(1, n + 1)], k)
    columns["discharge_month"] = np.repeat(np.asarray(_HCAHPS_MONTHS)[month], k)
    columns["service_line"] = np.repeat(service, k)
    columns["measure"] = np.tile([HCAHPS_ITEMS[i][0] for i in item_ids], n)
    columns["item_id"] = np.tile(item_ids, n)
    columns["response"] = np.column_stack(answers).ravel()
    frame = pd.DataFrame(columns)
    frame["response"] = frame["response"].astype("string")
    return frame


# ---------------------------------------------------------------------------------------------------------
# Registry

_SOURCES_HRRP = ("CMS Hospital Readmissions Reduction Program (HRRP), IPPS final rules FY 2013-FY 2025",
                 "QualityNet / CMS HRRP methodology: excess readmission ratio = predicted / expected")
_SOURCES_NHSN = ("CDC NHSN Patient Safety Component Manual, ch. 4 (CLABSI) and ch. 7 (CAUTI)",
                 "CDC NHSN, The NHSN Standardized Infection Ratio (SIR) Guide (2015 baseline)")

DATASETS = [
    DatasetSpec(
        name="hrrp_discharges",
        title="Medicare index discharges in the six HRRP cohorts (3 years)",
        description=("One row per index discharge of a Medicare patient in the six CMS Hospital Readmissions "
                     "Reduction Program cohorts over a three-year performance period (July 2021-June 2024), "
                     "with the 30-day readmission flag and the predicted and expected readmission probabilities "
                     "a CMS-style hierarchical model would give. Use it for readmission rates by condition, "
                     "excess readmission ratios and the HRRP payment adjustment."),
        modelled_on=("CMS HRRP national 30-day readmission rates (AMI 13-15 %, HF 19-21 %, pneumonia 15-17 %, "
                     "COPD 18-20 %, CABG 10-12 %, THA/TKA 4-5 %; DOMAIN.md [K/S]); each cohort's observed rate is "
                     "drawn inside its range. Predicted probabilities shift the expected ones by a shrunken "
                     "hospital effect (a simplification of the CMS model); DRG payments are illustrative"),
        module=MODULE,
        fields=(
            Field("discharge_id", "Discharge ID", "string", "", "Synthetic index-discharge identifier."),
            Field("discharge_month", "Discharge month", "yearmonth", "", "Month of the index discharge."),
            Field("condition", "HRRP condition", "string", "",
                  "HRRP cohort: AMI, HF, Pneumonia, COPD, CABG or THA/TKA (elective primary hip/knee)."),
            Field("age", "Age", "integer", "years", "Patient age at discharge (Medicare, 65 and over)."),
            Field("expected_readmission_prob", "Expected readmission probability", "number", "probability",
                  "Chance of 30-day readmission for this patient at an average hospital (case mix only)."),
            Field("predicted_readmission_prob", "Predicted readmission probability", "number", "probability",
                  "Chance of 30-day readmission for this patient at this hospital (case mix plus hospital "
                  "effect). Sum predicted / sum expected per condition = excess readmission ratio."),
            Field("readmitted_30d", "Readmitted within 30 days", "boolean", "",
                  "True if the patient had an unplanned readmission to any acute-care hospital within 30 days."),
            Field("base_drg_payment", "Base operating DRG payment", "integer", "USD",
                  "Medicare base operating DRG payment for the index stay (illustrative amounts)."),
        ),
        generator=hrrp_discharges,
        sources=_SOURCES_HRRP,
    ),
    DatasetSpec(
        name="hai_unit_months",
        title="CLABSI and CAUTI by unit and month (NHSN-style summary, 24 months)",
        description=("One row per inpatient unit and month for 2023-2024 at a 348-bed hospital (two ICUs, a "
                     "step-down unit, four medical-surgical wards): patient days, central-line and urinary-"
                     "catheter days, CLABSI and CAUTI counts, and the number of each infection predicted by "
                     "NHSN-style baseline rates. Use it for device-associated rates, device utilization ratios "
                     "and standardized infection ratios, and to see why a unit-month SIR is not calculated."),
        modelled_on=("NHSN benchmarks in DOMAIN.md [K/S]: CLABSI ICU 0.8-1.5 and wards 0.5-1.0 per 1,000 "
                     "central-line days, CAUTI 0.5-1.5 per 1,000 catheter days, central-line DUR ICU 0.35-0.55 "
                     "and wards 0.10-0.20; the 24-month pooled rate of each unit type is drawn inside its range. "
                     "Predicted HAIs use illustrative baseline rates, not NHSN's model coefficients"),
        module=MODULE,
        fields=(
            Field("unit", "Unit", "string", "", "Inpatient unit (NHSN location)."),
            Field("unit_type", "Unit type", "string", "", "ICU, Step-down or Med-surg."),
            Field("month", "Month", "yearmonth", "", "Calendar month of the summary."),
            Field("patient_days", "Patient days", "integer", "days", "Patient days on the unit in the month."),
            Field("central_line_days", "Central-line days", "integer", "days",
                  "Patient days with one or more central lines in place (NHSN daily count)."),
            Field("clabsi", "CLABSIs", "integer", "infections",
                  "Central line-associated bloodstream infections attributed to the unit."),
            Field("clabsi_predicted", "Predicted CLABSIs", "number", "infections",
                  "CLABSIs predicted from the baseline (2015-baseline style) for these line days."),
            Field("urinary_catheter_days", "Urinary-catheter days", "integer", "days",
                  "Patient days with an indwelling urinary catheter in place."),
            Field("cauti", "CAUTIs", "integer", "infections",
                  "Catheter-associated urinary tract infections attributed to the unit."),
            Field("cauti_predicted", "Predicted CAUTIs", "number", "infections",
                  "CAUTIs predicted from the baseline (2015-baseline style) for these catheter days."),
        ),
        generator=hai_unit_months,
        seed_group="quality_units",
        sources=_SOURCES_NHSN,
    ),
    DatasetSpec(
        name="hcahps_responses",
        title="HCAHPS survey answers, one row per survey and question (12 months)",
        description=("Item-level HCAHPS answers from 1,000 completed surveys of adult inpatients discharged "
                     "in 2024: communication with nurses (Q1-Q3), communication with doctors (Q5-Q7), "
                     "responsiveness of hospital staff (Q4, Q11) and the 0-10 hospital rating (Q21). A blank "
                     "response means the question did not apply (Q11 is asked only of patients who needed help "
                     "getting to the bathroom). Use it for top-box and linear-mean item and composite scores."),
        modelled_on=("national HCAHPS top-box levels in DOMAIN.md [K/S]: nurses about 80 %, doctors about 82 %, "
                     "responsiveness about 70 %, hospital rating 9-10 about 70-73 %; answers within a survey are "
                     "correlated, as real patients' are"),
        module=MODULE,
        fields=(
            Field("survey_id", "Survey ID", "string", "", "Synthetic completed-survey identifier."),
            Field("discharge_month", "Discharge month", "yearmonth", "", "Month the patient was discharged."),
            Field("service_line", "Service line", "string", "", "HCAHPS service line: Medical, Surgical or Maternity."),
            Field("measure", "HCAHPS measure", "string", "",
                  "Composite or single-item measure: nurse_comm, doctor_comm, responsiveness or hospital_rating."),
            Field("item_id", "Question", "string", "",
                  "Survey question number (HCAHPS form used through 2024): Q1-Q3 nurses, Q4 call button, "
                  "Q5-Q7 doctors, Q11 bathroom help, Q21 hospital rating."),
            Field("response", "Answer", "string", "",
                  "Never / Sometimes / Usually / Always, or 0-10 for Q21; blank when the question did not apply."),
        ),
        generator=hcahps_responses,
        sources=("CMS HCAHPS Quality Assurance Guidelines and Survey Instrument (hcahpsonline.org)",
                 "CMS HCAHPS Star Rating Technical Notes (top-box and linear mean scoring)"),
    ),
    DatasetSpec(
        name="falls_unit_months",
        title="Inpatient falls and falls with injury by unit and month (24 months)",
        description=("One row per inpatient unit and month for 2023-2024 (the same units and patient days as "
                     "hai_unit_months): falls and falls with injury. Use it for falls per 1,000 patient days "
                     "and for comparing units of different sizes fairly."),
        modelled_on=("NDNQI-style fall rates: medical-surgical units 2.5-4.0 falls per 1,000 patient days "
                     "(DOMAIN.md [K/S]), the pooled 24-month rate drawn inside that range; ICU (1.0-1.8) and "
                     "step-down (2.0-3.0) rates and the share of falls with injury (20-32 %) are [K] assumptions"),
        module=MODULE,
        fields=(
            Field("unit", "Unit", "string", "", "Inpatient unit."),
            Field("unit_type", "Unit type", "string", "", "ICU, Step-down or Med-surg."),
            Field("month", "Month", "yearmonth", "", "Calendar month."),
            Field("patient_days", "Patient days", "integer", "days", "Patient days on the unit in the month."),
            Field("falls", "Falls", "integer", "falls", "Patient falls reported on the unit (with or without injury)."),
            Field("injury_falls", "Falls with injury", "integer", "falls",
                  "Falls that caused an injury of minor severity or worse (a subset of falls)."),
        ),
        generator=falls_unit_months,
        seed_group="quality_units",
        sources=("NDNQI (Press Ganey) falls and injury falls measures: per 1,000 patient days",
                 "AHRQ, Preventing Falls in Hospitals toolkit (2013)"),
    ),
]
