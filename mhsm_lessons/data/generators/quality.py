"""Synthetic datasets for module 03, Quality metrics: readmissions, HAIs, HCAHPS and falls.

Setting: Riverbend Community Hospital (fictional, 300 licensed beds), the hospital of Module 01. All four follow
published benchmark ranges (the course's domain sheet, section 3, lists them with their sources). Where a quantity
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

from ..registry import DatasetSpec, Field

__all__ = ["DATASETS", "hrrp_discharges", "hai_unit_months", "hcahps_responses", "falls_unit_months",
           "UNITS", "HCAHPS_ITEMS"]

MODULE = "03 Quality metrics"

# ---------------------------------------------------------------------------------------------------------
# Hospital units shared by the HAI and falls datasets (same seed group, so patient days agree).

#: Riverbend Community Hospital (fictional, 300 licensed beds): the seven adult inpatient units these files
#: cover, as (unit, unit type, staffed beds): 188 of the 300 beds. 5 West is Module 01's 32-bed med-surg unit;
#: 5 South is the largest unit, so it records the most falls without having the highest fall rate.
HOSPITAL = "Riverbend Community Hospital"
LICENSED_BEDS = 300
UNITS = (
    ("MICU", "ICU", 20),
    ("SICU", "ICU", 16),
    ("4 East Step-down", "Step-down", 24),
    ("5 West", "Med-surg", 32),
    ("5 South", "Med-surg", 40),
    ("6 North", "Med-surg", 30),
    ("6 South", "Med-surg", 26),
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


def _sir_story_holds(units, types, observed, predicted) -> bool:
    """The pooled 24-month ICU SIR and the two wrong summaries (the mean of the two ICU SIRs, the mean of the 48
    unit-month SIRs, each computed on fewer than 1.0 predicted infections) all differ by more than 0.02."""
    icu = types == "ICU"
    pooled = observed[icu].sum() / predicted[icu].sum()
    unit_sirs = [observed[icu & (units == u)].sum() / predicted[icu & (units == u)].sum()
                 for u in pd.unique(units[icu])]
    month_mean = float(np.mean(observed[icu] / predicted[icu]))
    unit_mean = float(np.mean(unit_sirs))
    return abs(unit_mean - pooled) > 0.02 and abs(month_mean - pooled) > 0.02 and abs(month_mean - unit_mean) > 0.02


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
    base_clabsi = np.array([_TYPE[t][4][0] for t in types])
    base_cauti = np.array([_TYPE[t][4][1] for t in types])
    clabsi_predicted = np.round(line_days * base_clabsi / 1000.0, 3)
    for _ in range(200):   # redraw until averaging SIRs visibly misleads (see _sir_story_holds)
        clabsi = _spread(rng, frame, line_days.astype(float), {t: v[2] for t, v in _TYPE.items()}, 0.25)
        if _sir_story_holds(frame["unit"].to_numpy(), types, clabsi, clabsi_predicted):
            break
    cauti = _spread(rng, frame, cath_days.astype(float), {t: v[3] for t, v in _TYPE.items()}, 0.25)
    frame["central_line_days"] = line_days
    frame["clabsi"] = clabsi
    frame["clabsi_predicted"] = clabsi_predicted
    frame["urinary_catheter_days"] = cath_days
    frame["cauti"] = cauti
    frame["cauti_predicted"] = np.round(cath_days * base_cauti / 1000.0, 3)
    return frame


#: Relative fall risk of each med-surg unit (its pooled rate / the med-surg pooled rate), drawn per student
#: inside these ranges: 5 South is at or a little below the med-surg rate, 6 South (the smallest) above it.
_MEDSURG_FALL_EFFECT = {"5 West": (0.95, 1.05), "5 South": (0.88, 0.96), "6 North": (0.95, 1.06),
                        "6 South": (1.08, 1.20)}


def _falls_story_holds(frame: pd.DataFrame) -> bool:
    """5 South has the most falls of all units but not the highest med-surg rate, and it lies inside the 95 %
    exact-Poisson funnel around the pooled med-surg rate; averaging monthly rates misleads by > 0.02 somewhere."""
    from ...quality import _poisson_ppf

    g = frame.groupby("unit", sort=False)[["falls", "patient_days"]].sum()
    if g["falls"].idxmax() != "5 South":
        return False
    ms = g.loc[list(_MEDSURG_FALL_EFFECT)]
    rates = ms["falls"] / ms["patient_days"]
    if rates.idxmax() == "5 South":
        return False
    expected = ms.loc["5 South", "patient_days"] * ms["falls"].sum() / ms["patient_days"].sum()
    lo, hi = _poisson_ppf(0.025, expected), _poisson_ppf(0.975, expected)
    if not lo < ms.loc["5 South", "falls"] < hi:
        return False
    monthly = (frame["falls"] / frame["patient_days"] * 1000).groupby(frame["unit"], sort=False).mean()
    pooled = g["falls"] / g["patient_days"] * 1000
    return bool(((monthly - pooled).abs() > 0.02).any())


def falls_unit_months(rng: np.random.Generator) -> pd.DataFrame:
    """Unit-month falls and falls with injury, with the same patient days as the HAI file.

    The med-surg total is drawn from a pooled rate inside 2.8-3.7 per 1,000 patient days and spread over units
    by patient days x each unit's relative risk (``_MEDSURG_FALL_EFFECT``). Draws are repeated (from the same
    seeded stream) until the teaching story holds for this student: 5 South, the largest unit, has the most
    falls but a rate inside the funnel (see ``_falls_story_holds``).
    """
    frame = _unit_months(rng)
    patient_days = frame["patient_days"].to_numpy().astype(float)
    units = frame["unit"].to_numpy()
    types = frame["unit_type"].to_numpy()
    injury_share = rng.uniform(0.20, 0.32, size=len(UNITS))[np.repeat(np.arange(len(UNITS)), len(_UNIT_MONTHS))]
    for _ in range(200):
        effect = {u: rng.lognormal(0.0, 0.15) for u, _, _ in UNITS}
        effect.update({u: rng.uniform(*r) for u, r in _MEDSURG_FALL_EFFECT.items()})
        falls = np.zeros(len(frame), dtype=np.int64)
        for unit_type, value in _TYPE.items():
            rows = np.flatnonzero(types == unit_type)
            total = int(np.rint(rng.uniform(*value[5]) * patient_days[rows].sum() / 1000.0))
            weights = patient_days[rows] * np.array([effect[u] for u in units[rows]])
            falls[rows] = rng.multinomial(total, weights / weights.sum())
        frame["falls"] = falls
        if _falls_story_holds(frame):
            break
    else:  # pragma: no cover - never reached for the ids tested; keeps the generator total
        raise RuntimeError("falls_unit_months could not reproduce the teaching story for this seed")
    frame["injury_falls"] = rng.binomial(frame["falls"].to_numpy(), injury_share)
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
#: The HRRP rules the file follows: FY2026 (a three-year applicable period of Medicare fee-for-service
#: discharges, July 2021-June 2024). From FY2027 CMS adds Medicare Advantage patients, shortens the period to
#: two years and drops the COVID-19 exclusion, so FY2027 results are not comparable with these.
HRRP_FISCAL_YEAR = "FY2026"
_HRRP_MONTHS = [f"{y}-{m:02d}" for y, m in
                [(2021 + (6 + i) // 12, (6 + i) % 12 + 1) for i in range(36)]]  # 2021-07 .. 2024-06


def hrrp_discharges(rng: np.random.Generator) -> pd.DataFrame:
    """One row per Medicare index discharge in the six HRRP cohorts over a three-year period."""
    from scipy.optimize import brentq  # imported here: loading any other dataset need not load scipy
    from scipy.special import expit, logit
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
    return _add_program_inputs(rng, frame)


def _program_terms(frame, medians, nm, total):
    """(ERR by condition, conditions above median, conditions above 1.0, uncapped reduction, same with medians 1)."""
    g = frame.groupby("condition")
    err = g["predicted_readmission_prob"].sum() / g["expected_readmission_prob"].sum()
    pay = g["base_drg_payment"].sum()
    med = pd.Series(medians).reindex(err.index)
    reduction = float((pay * np.maximum(err - med, 0)).sum() * nm / total)
    naive = float((pay * np.maximum(err - 1.0, 0)).sum() * nm / total)
    return err, int((err > med).sum()), int((err > 1.0).sum()), reduction, naive


def _add_program_inputs(rng, frame):
    """Peer-group median ERRs, the budget-neutrality modifier and the hospital's base operating DRG payments.

    CMS publishes the peer-group medians and the modifier in each year's IPPS final rule; the values here are
    illustrative (medians near 1.0, modifier 0.95-0.98). The medians are redrawn until the lesson's points hold
    for this student: the count of conditions above 1.0 differs from the count above their peer medians, the
    factor with medians of 1.0 differs from the true factor, and the true reduction is between 0.1 % and 1.5 %.
    """
    payments = frame.groupby("condition")["base_drg_payment"].sum()
    total = int(round(payments.sum() * rng.uniform(3.5, 4.5), -3))
    nm = round(float(rng.uniform(0.95, 0.98)), 4)
    err = frame.groupby("condition")["predicted_readmission_prob"].sum() / \
        frame.groupby("condition")["expected_readmission_prob"].sum()
    medians = {}
    for _ in range(500):
        medians = {c: round(float(rng.uniform(0.985, 1.015)), 4) for c in _HRRP}
        near = (err - 1.0).abs().idxmin()   # put 1.0 and the median on opposite sides of this condition's ERR
        step = float(rng.uniform(0.004, 0.012))
        medians[near] = round(float(np.clip(err[near] + (step if err[near] >= 1.0 else -step), 0.97, 1.03)), 4)
        _, above_median, above_one, reduction, naive = _program_terms(frame, medians, nm, total)
        if above_median != above_one and abs(reduction - naive) > 0.0003 and 0.001 < reduction < 0.015:
            break
    frame["peer_median_err"] = frame["condition"].map(medians).astype(float)
    frame["neutrality_modifier"] = nm
    frame["total_base_operating_payments"] = np.int64(total)
    frame["fy_base_operating_payments"] = np.int64(round(total / 3 * rng.uniform(1.02, 1.06), -3))
    frame["hrrp_fiscal_year"] = HRRP_FISCAL_YEAR
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
    from scipy.special import ndtr
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

_SOURCES_HRRP = ("CMS Hospital Readmissions Reduction Program (HRRP), IPPS final rules FY 2013-FY 2026 "
                 "(FY 2026 final rule: Medicare Advantage patients, two-year period from FY 2027)",
                 "QualityNet / CMS HRRP methodology: excess readmission ratio = predicted / expected")
_SOURCES_NHSN = ("CDC NHSN Patient Safety Component Manual, ch. 4 (CLABSI) and ch. 7 (CAUTI)",
                 "CDC NHSN, The NHSN Standardized Infection Ratio (SIR) Guide (2015 baseline)")

DATASETS = [
    DatasetSpec(
        name="hrrp_discharges",
        title="Medicare index discharges in the six HRRP cohorts (3 years)",
        description=("One row per index discharge of a Medicare patient in the six CMS Hospital Readmissions "
                     "Reduction Program cohorts at Riverbend Community Hospital (fictional, 300 licensed beds), "
                     "over the three-year applicable period July 2021-June 2024, with the 30-day readmission "
                     "flag and the predicted and expected readmission probabilities a CMS-style hierarchical "
                     "model would give. The file follows the FY2026 HRRP rules (Medicare fee-for-service "
                     "patients only, three years); from FY2027 CMS adds Medicare Advantage patients, uses a "
                     "two-year period and drops the COVID-19 exclusion. The last five columns are the program "
                     "inputs CMS supplies (peer-group median ERRs, the neutrality modifier) and the hospital's "
                     "payment totals, repeated on every row. Use it for readmission rates by condition, excess "
                     "readmission ratios, the payment adjustment factor and the dollars at risk."),
        modelled_on=("CMS HRRP national 30-day readmission rates (AMI 13-15 %, HF 19-21 %, pneumonia 15-17 %, "
                     "COPD 18-20 %, CABG 10-12 %, THA/TKA 4-5 %); each cohort's observed rate is "
                     "drawn inside its range. Predicted probabilities shift the expected ones by a shrunken "
                     "hospital effect (a simplification of the CMS model). DRG payments, peer-group medians, the "
                     "neutrality modifier and the hospital totals are illustrative, not CMS's published values"),
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
                  "Medicare base operating DRG payment for the index stay (illustrative amounts). Summed by "
                  "condition, these are the condition payments in the payment adjustment formula."),
            Field("peer_median_err", "Peer-group median ERR", "number", "ratio",
                  "Median excess readmission ratio of the hospital's peer group (hospitals with a similar share "
                  "of dual-eligible patients) for this row's condition; CMS publishes these each fiscal year. "
                  "The same for every row of a condition."),
            Field("neutrality_modifier", "Budget-neutrality modifier", "number", "ratio",
                  "CMS's budget-neutrality modifier for the fiscal year (multiplies each condition's excess "
                  "payments). Hospital-level: the same on every row."),
            Field("total_base_operating_payments", "Total base operating DRG payments, applicable period",
                  "integer", "USD",
                  "The hospital's Medicare base operating DRG payments for ALL its discharges (every DRG, not "
                  "only the six cohorts) over the same three-year period: the formula's denominator. "
                  "Hospital-level: the same on every row."),
            Field("fy_base_operating_payments", "Base operating DRG payments, payment fiscal year", "integer",
                  "USD",
                  "Projected Medicare base operating DRG payments for all discharges in the fiscal year the "
                  "factor is applied to (FY2026): the amount the penalty reduces. Hospital-level: the same on "
                  "every row."),
            Field("hrrp_fiscal_year", "HRRP fiscal year", "string", "",
                  "The fiscal year whose HRRP rules and payment year the file follows (FY2026)."),
        ),
        generator=hrrp_discharges,
        sources=_SOURCES_HRRP,
    ),
    DatasetSpec(
        name="hai_unit_months",
        title="CLABSI and CAUTI by unit and month (NHSN-style summary, 24 months)",
        description=("One row per inpatient unit and month for 2023-2024 at Riverbend Community Hospital "
                     "(fictional, 300 licensed beds): its seven adult inpatient units, 188 staffed beds (MICU 20, "
                     "SICU 16, 4 East Step-down 24, and the med-surg units 5 West 32, 5 South 40, 6 North 30, "
                     "6 South 26): patient days, central-line and urinary-"
                     "catheter days, CLABSI and CAUTI counts, and the number of each infection predicted by "
                     "NHSN-style baseline rates. Use it for device-associated rates, device utilization ratios "
                     "and standardized infection ratios, and to see why a unit-month SIR is not calculated."),
        modelled_on=("published NHSN-based benchmarks: CLABSI ICU 0.8-1.5 and wards 0.5-1.0 per 1,000 "
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
                     "in 2024 at Riverbend Community Hospital (fictional), on the HCAHPS survey used through 2024 "
                     "(the survey changed for discharges from January 2025): communication with nurses (Q1-Q3), "
                     "communication with doctors (Q5-Q7), responsiveness of hospital staff (Q4 call button, Q11 "
                     "bathroom help) and the 0-10 hospital rating (coded Q21 here). A blank "
                     "response means the question did not apply (Q11 is asked only of patients who needed help "
                     "getting to the bathroom). Use it for top-box and linear-mean item and composite scores."),
        modelled_on=("national HCAHPS top-box levels: nurses about 80 %, doctors about 82 %, "
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
                  "Item code, following the HCAHPS survey used through 2024: Q1-Q3 nurses, Q4 call button, "
                  "Q5-Q7 doctors, Q11 bathroom help; Q21 is this file's code for the 0-10 hospital rating."),
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
        description=("One row per inpatient unit and month for 2023-2024 at Riverbend Community Hospital "
                     "(fictional, 300 licensed beds; the same seven units and patient days as hai_unit_months, "
                     "including Module 01's 5 West, a 32-bed med-surg unit): falls and falls with injury. Use it "
                     "for falls per 1,000 patient days and for comparing units of different sizes fairly."),
        modelled_on=("NDNQI-style fall rates: medical-surgical units 2.5-4.0 falls per 1,000 patient days, "
                     "the pooled 24-month med-surg rate drawn inside that range and each med-surg unit within "
                     "about 0.9-1.2 times it; ICU (1.0-1.8) and step-down (2.0-3.0) rates and the share of falls "
                     "with injury (20-32 %) are textbook assumptions"),
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
