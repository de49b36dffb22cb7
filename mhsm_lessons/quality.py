"""Quality metrics: rates with the right denominators, SIR, readmissions (CMS HRRP), HCAHPS and falls.

Every function here is a reference calculation: lessons show it and checks compute expected answers with
it. Each formula cites its primary source (CDC NHSN, CMS, NDNQI, Spiegelhalter 2005).

Conventions
-----------
* Rates per 1,000 days are returned *per 1,000* (``2.5`` means 2.5 per 1,000 patient days).
* Ratios (device utilization ratio, SIR, excess readmission ratio) and the readmission rate are returned as
  plain ratios / proportions (``0.18`` means 18 %).
* HCAHPS scores are returned on CMS's 0-100 reporting scale (top-box percent and linear mean).
* A scalar in gives a float out. Lists, arrays or Series in give one value per row out (a Series when a
  Series was given), so ``rate_per_1000(df["falls"], df["patient_days"])`` works on a whole table.
* Data as public files and ``pandas.read_csv`` deliver it is read as its plain values: counts as float64 or
  nullable Int64, numpy scalars. A row with a missing count or denominator (NaN, blank, ``pd.NA``, "N/A",
  "Not Available", "Too Few to Report") or with no exposure at all (0 events over 0 days) is kept in place as
  NaN, a gap, with a warning naming the rows; a positive count over 0 days is an error naming the row. For a
  *pooled* rate over several units or months, sum first: ``rate_per_1000(df.falls.sum(), df.patient_days.sum())``
  (never average the unit rates).

Examples
--------
>>> clabsi_rate(3, 2450)                   # 3 / 2,450 line days x 1,000
1.2244897959183674
>>> round(device_utilization_ratio(2450, 5600), 3)
0.438
>>> print(standardized_infection_ratio(3, 4.2))
SIR 0.714: 3 observed / 4.200 predicted HAIs (NHSN 2015 baseline). Below 1.0: fewer infections than predicted.
"""
from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mhsm_lessons import _validation as _v

__all__ = [
    "HRRP_CONDITIONS",
    "HRRP_MIN_DISCHARGES",
    "HRRP_MAX_REDUCTION",
    "HCAHPS_STAR_MIN_SURVEYS",
    "HCAHPS_LINEAR_SCORES",
    "rate_per_1000",
    "device_utilization_ratio",
    "clabsi_rate",
    "cauti_rate",
    "falls_rate",
    "injury_falls_rate",
    "SIRResult",
    "standardized_infection_ratio",
    "sir_confidence_interval",
    "funnel_limits",
    "readmission_rate",
    "excess_readmission_ratio",
    "readmissions_by_condition",
    "hrrp_payment_adjustment_factor",
    "HRRPFactor",
    "hrrp_dollars_at_risk",
    "hcahps_top_box",
    "hcahps_linear_mean",
    "hcahps_item_scores",
    "hcahps_composite_scores",
    "hcahps_sample_size_note",
]

#: The six CMS Hospital Readmissions Reduction Program (HRRP) conditions / procedures, in CMS's order.
HRRP_CONDITIONS = ("AMI", "HF", "Pneumonia", "COPD", "CABG", "THA/TKA")
#: CMS calculates an excess readmission ratio only for a condition with at least 25 eligible discharges [K].
HRRP_MIN_DISCHARGES = 25
#: The HRRP payment reduction is capped at 3 % (payment adjustment factor floor 0.97) since FY 2015 [V].
HRRP_MAX_REDUCTION = 0.03
#: HCAHPS star ratings need at least 100 completed surveys over four quarters [V].
HCAHPS_STAR_MIN_SURVEYS = 100

#: HCAHPS linear-mean values (0-100) for each answer. The 0-10 overall rating scores ``10 x answer``.
#: Never/Sometimes/Usually/Always and Yes/No are [V]; the recommend and agreement scales use the same
#: 0, 33 1/3, 66 2/3, 100 spacing per the CMS HCAHPS Star Rating Technical Notes [K].
HCAHPS_LINEAR_SCORES = {
    "never": 0.0, "sometimes": 100 / 3, "usually": 200 / 3, "always": 100.0,
    "no": 0.0, "yes": 100.0,
    "definitely no": 0.0, "probably no": 100 / 3, "probably yes": 200 / 3, "definitely yes": 100.0,
    "strongly disagree": 0.0, "disagree": 100 / 3, "agree": 200 / 3, "strongly agree": 100.0,
}
_SCALE_FAMILY = {
    "never": "frequency", "sometimes": "frequency", "usually": "frequency", "always": "frequency",
    "no": "yes/no", "yes": "yes/no",
    "definitely no": "recommend", "probably no": "recommend", "probably yes": "recommend",
    "definitely yes": "recommend",
    "strongly disagree": "agreement", "disagree": "agreement", "agree": "agreement", "strongly agree": "agreement",
}
_TOP_BOX = {"always", "yes", "definitely yes", "strongly agree", "9", "10"}


# ---------------------------------------------------------------------------------------------------------
# Rates and ratios

def _is_scalar(value) -> bool:
    return np.ndim(value) == 0 and not isinstance(value, (list, tuple))


def _ratio(num_name, num, den_name, den, *, scale=1.0, at_most_denominator=True, what="rate"):
    """``scale * num / den``, scalar or element-wise, with checks that name the arguments.

    Element-wise, a row whose count or denominator is missing (NaN, blank, ``pd.NA`` or a public-file
    placeholder such as "Not Available") and a row with no exposure at all (0 events over 0 days) get NaN in
    place, a gap, with a warning naming the rows (``result.attrs["notes"]`` too when a Series is returned). For
    one period, 0 over 0 gives NaN with the same warning, and a missing value raises ``ValueError``. A positive
    count over 0 days is always an error naming the row.
    """
    if _is_scalar(num) and _is_scalar(den):
        n = _v.number(num_name, num, minimum=0)
        d = _v.number(den_name, den, minimum=0)
        if d == 0 and n == 0:
            _gap_warning([f"{num_name} and {den_name} are both 0 (no exposure): there is no {what} for this "
                          "period, so the result is NaN (a gap), not 0."])
            return math.nan
        if d == 0:
            raise ValueError(f"{den_name} is 0, so the {what} is undefined: a {what} needs a denominator "
                             f"greater than 0. Check that {den_name} is the right column and period.")
        if at_most_denominator and n > d:
            raise ValueError(f"{num_name} ({n:g}) is larger than {den_name} ({d:g}), which cannot happen. "
                             f"Check that the two arguments are not swapped: the count comes first, "
                             f"{den_name} second.")
        return scale * n / d
    n, n_gaps = _v.float_values(num_name, num)
    d, d_gaps = _v.float_values(den_name, den)
    _v.same_length(**{num_name: n, den_name: d})
    for name, arr in ((num_name, n), (den_name, d)):
        if np.isinf(arr).any():
            raise ValueError(f"{name} contains infinite values; remove them or replace them with NaN.")
        if np.nanmin(arr, initial=0) < 0:
            i = int(np.flatnonzero(arr < 0)[0])
            raise ValueError(f"{name} must not be negative; row {i} (position from 0) is {arr[i]:g}.")
    with np.errstate(invalid="ignore"):
        zero = np.flatnonzero((d == 0) & (n > 0))
        empty = np.flatnonzero((d == 0) & (n == 0))
    if zero.size:
        raise ValueError(f"{den_name} is 0 in row {zero[0]} (position from 0) but {num_name} is {n[zero[0]]:g}, so "
                         f"the {what} is undefined there. Check that row's counts.")
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(n > d) if at_most_denominator else np.array([], dtype=int)
    if bad.size:
        i = bad[0]
        raise ValueError(f"{num_name} ({n[i]:g}) is larger than {den_name} ({d[i]:g}) in row {i} (position from 0), "
                         "which cannot happen. Check that the two arguments are not swapped.")
    missing = sorted(set(n_gaps) | set(d_gaps))
    notes = []
    if missing:
        notes.append(f"{len(missing)} row(s) with a missing {num_name} or {den_name} (position(s) from 0: "
                     f"{_v.positions_text(missing)}) have no {what}: NaN, a gap, left out.")
    if empty.size:
        notes.append(f"{empty.size} row(s) with no exposure (0 {num_name} over 0 {den_name}; position(s) from 0: "
                     f"{_v.positions_text(empty)}) have no {what}: NaN, a gap, not 0.")
    with np.errstate(invalid="ignore", divide="ignore"):
        result = scale * n / d
    result[missing] = np.nan
    result[empty] = np.nan
    if notes:
        _gap_warning(notes)
    index = next((x.index for x in (num, den) if isinstance(x, pd.Series)), None)
    if index is not None:
        out = pd.Series(result, index=index)
        out.attrs["notes"] = notes
        return out
    return result


def _gap_warning(notes):
    warnings.warn(" ".join(notes), UserWarning, stacklevel=4)


def rate_per_1000(events, days):
    """Events per 1,000 days at risk: ``events / days x 1,000``.

    The general form behind falls per 1,000 patient days and device-associated infection rates
    (CLABSI per 1,000 central-line days, CAUTI per 1,000 urinary-catheter days). [V]

    Parameters
    ----------
    events : number or array-like
        Count of events (falls, infections) in the period. Must be >= 0 and not more than ``days``.
    days : number or array-like
        Patient days or device days in the same period and location. Must be > 0.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The rate per 1,000 days, one per row when arrays are given.

    References
    ----------
    CDC NHSN, *Patient Safety Component Manual* (2024), ch. 4 (CLABSI) and ch. 7 (CAUTI): device-associated
    rate = number of HAIs / number of device days x 1,000. AHRQ / NDNQI fall rate: falls / patient days x 1,000.

    Examples
    --------
    >>> rate_per_1000(7, 2800)                    # 7 falls / 2,800 patient days x 1,000
    2.5
    >>> rate_per_1000([1, 0, 2], [400, 350, 500]).tolist()
    [2.5, 0.0, 4.0]
    >>> rate_per_1000(3, 0)
    Traceback (most recent call last):
    ...
    ValueError: days is 0, so the rate is undefined: a rate needs a denominator greater than 0. ...
    """
    return _ratio("events", events, "days", days, scale=1000.0)


def clabsi_rate(clabsi, central_line_days):
    """CLABSI per 1,000 central-line days: ``CLABSIs / central-line days x 1,000``. [V]

    Source: CDC NHSN *Patient Safety Component Manual*, ch. 4 (Bloodstream Infection Event), "CLABSI rate
    per 1,000 central line days". Benchmarks used for the synthetic data [K/S]: ICU 0.8-1.5, wards 0.5-1.0.

    Examples
    --------
    >>> clabsi_rate(2, 1600)                      # 2 / 1,600 x 1,000
    1.25
    """
    return _ratio("clabsi", clabsi, "central_line_days", central_line_days, scale=1000.0)


def cauti_rate(cauti, urinary_catheter_days):
    """CAUTI per 1,000 urinary-catheter days: ``CAUTIs / catheter days x 1,000``. [V]

    Source: CDC NHSN *Patient Safety Component Manual*, ch. 7 (CAUTI), "CAUTI rate per 1,000 urinary catheter
    days". Benchmark used for the synthetic data [K/S]: 0.5-1.5.

    Examples
    --------
    >>> cauti_rate(3, 2500)                       # 3 / 2,500 x 1,000
    1.2
    """
    return _ratio("cauti", cauti, "urinary_catheter_days", urinary_catheter_days, scale=1000.0)


def falls_rate(falls, patient_days):
    """Falls per 1,000 patient days: ``falls / patient days x 1,000``. [V]

    Source: NDNQI / AHRQ falls measure (falls per 1,000 patient days). Benchmark used for the synthetic data
    [K/S]: 2.5-4.0 on medical-surgical units.

    Examples
    --------
    >>> falls_rate(9, 2700)                       # 9 / 2,700 x 1,000
    3.3333333333333335
    """
    return _ratio("falls", falls, "patient_days", patient_days, scale=1000.0)


def injury_falls_rate(injury_falls, patient_days):
    """Falls with injury per 1,000 patient days: ``injury falls / patient days x 1,000``.

    Source: NDNQI injury falls measure (falls with injury, minor or greater, per 1,000 patient days).

    Examples
    --------
    >>> injury_falls_rate(2, 2500)                # 2 / 2,500 x 1,000
    0.8
    """
    return _ratio("injury_falls", injury_falls, "patient_days", patient_days, scale=1000.0)


def device_utilization_ratio(device_days, patient_days):
    """Device utilization ratio (DUR): ``device days / patient days`` (a ratio, not per 1,000). [V]

    Source: CDC NHSN *Patient Safety Component Manual*, ch. 4 and 7: "DUR = device days / patient days".
    Benchmarks used for the synthetic data [K/S]: central-line DUR ICU 0.35-0.55, wards 0.10-0.20.

    Examples
    --------
    >>> device_utilization_ratio(450, 1000)       # 450 line days / 1,000 patient days
    0.45
    >>> device_utilization_ratio(1000, 450)
    Traceback (most recent call last):
    ...
    ValueError: device_days (1000) is larger than patient_days (450), which cannot happen. ...
    """
    return _ratio("device_days", device_days, "patient_days", patient_days, what="ratio")


# ---------------------------------------------------------------------------------------------------------
# Standardized infection ratio

@dataclass(frozen=True)
class SIRResult:
    """What :func:`standardized_infection_ratio` returns.

    ``sir`` is NaN and ``calculated`` is False when NHSN would not calculate an SIR (predicted < 1.0).
    ``float(result)`` gives ``sir``; ``str(result)`` gives a sentence for a report.
    """

    observed: float
    predicted: float
    sir: float
    calculated: bool
    message: str

    def __float__(self) -> float:
        return self.sir

    def __str__(self) -> str:
        return self.message


def standardized_infection_ratio(observed, predicted) -> SIRResult:
    """Standardized infection ratio: ``observed HAIs / predicted HAIs``, not calculated when predicted < 1.0.

    Lower is better: 1.0 means as many infections as the national baseline predicts for these patients and
    locations, 0.8 means 20 % fewer. For several units or months, pool first: sum the observed and sum the
    predicted, then divide (NHSN's method), never average unit SIRs.

    Design choice: when the number predicted is below 1.0 this returns a result with ``calculated=False``,
    ``sir=nan`` and an explanatory message, rather than raising, so a unit-by-unit table still completes. A
    missing count (NaN, blank, "N/A", "Not Available") is treated the same way: not calculated, with a message
    saying what the placeholder means. Figures in the message keep NHSN's precision (three decimals, more when
    needed), so a predicted 0.9995 never prints as "1.000".

    Parameters
    ----------
    observed : number
        Observed HAIs (>= 0).
    predicted : number
        Predicted HAIs from the NHSN 2015-baseline risk models (>= 0).

    Returns
    -------
    SIRResult

    References
    ----------
    CDC NHSN, *The NHSN Standardized Infection Ratio (SIR): A Guide to the SIR* (2015 baseline): SIR =
    observed / predicted; "the SIR will not be calculated if the number of predicted infections is less than
    1.0" (stated in the SIR Guide and in NHSN's Analysis FAQ).

    Examples
    --------
    >>> r = standardized_infection_ratio(6, 7.5)   # 6 / 7.5
    >>> r.sir, r.calculated
    (0.8, True)
    >>> r = standardized_infection_ratio(1, 0.62)
    >>> r.calculated, math.isnan(float(r))
    (False, True)
    >>> print(r)
    SIR not calculated: NHSN does not calculate an SIR when fewer than 1.0 infections are predicted (predicted 0.620). Pool more months or units, or track the rate per 1,000 device days instead.
    """
    for name, value in (("observed", observed), ("predicted", predicted)):
        meaning = _v.placeholder(_v.plain(value))
        if meaning is not None:
            message = (f"SIR not calculated: {name} is {_v.shown(_v.plain(value))}, {meaning}. Fill in the "
                       f"{name} number of infections from the NHSN report, or leave this unit or period out.")
            return SIRResult(math.nan, math.nan, math.nan, False, message)
    obs = _v.number("observed", observed, minimum=0)
    pred = _v.number("predicted", predicted, minimum=0)
    if pred < 1.0:
        message = ("SIR not calculated: NHSN does not calculate an SIR when fewer than 1.0 infections are "
                   f"predicted (predicted {_v.figure(pred)}). Pool more months or units, or track the rate per "
                   "1,000 device days instead.")
        return SIRResult(obs, pred, math.nan, False, message)
    sir = obs / pred
    if sir < 1:
        verdict = "Below 1.0: fewer infections than predicted."
    elif sir > 1:
        verdict = "Above 1.0: more infections than predicted."
    else:
        verdict = "Equal to 1.0: as many infections as predicted."
    message = (f"SIR {_v.figure(sir, boundary=1.0)}: {obs:g} observed / {_v.figure(pred)} predicted HAIs (NHSN 2015 baseline). "
               f"{verdict}")
    return SIRResult(obs, pred, sir, True, message)


def sir_confidence_interval(observed, predicted, level=0.95) -> tuple[float, float]:
    """Exact (Garwood) Poisson confidence interval for an SIR: the interval for the observed count divided by
    the number predicted.

    ``lower = chi2(alpha/2, 2 O) / 2 / P`` and ``upper = chi2(1 - alpha/2, 2 (O + 1)) / 2 / P``, where O is the
    observed and P the predicted number of infections (the predicted count is treated as fixed). The lower
    limit is 0 when O is 0. Returns ``(nan, nan)`` when P < 1.0, where NHSN does not calculate an SIR.

    NHSN's reports give their own 95 % interval and p-value for each SIR, which may differ slightly; this is the
    classical exact interval, which never undercovers.

    References
    ----------
    Garwood F. Fiducial limits for the Poisson distribution. *Biometrika* 1936;28:437-442. Ulm K. A simple
    method to calculate the confidence interval of a standardized mortality ratio. *Am J Epidemiol*
    1990;131:373-375.

    Examples
    --------
    >>> lo, hi = sir_confidence_interval(6, 7.5)       # SIR 0.80
    >>> round(lo, 3), round(hi, 3)
    (0.294, 1.741)
    >>> sir_confidence_interval(0, 0.4)
    (nan, nan)
    """
    from scipy.special import gammaincinv  # not scipy.stats: importing it costs a notebook about half a second

    if any(_v.placeholder(_v.plain(x)) is not None for x in (observed, predicted)):
        return (math.nan, math.nan)     # not calculated, as standardized_infection_ratio() explains
    o = _v.number("observed", observed, minimum=0)
    p = _v.number("predicted", predicted, minimum=0)
    if not 0 < _v.number("level", level) < 1:
        raise ValueError(f"level must be between 0 and 1 (for example 0.95); you gave {level!r}.")
    if p < 1.0:
        return (math.nan, math.nan)
    alpha = 1.0 - level
    # chi2.ppf(q, 2k) / 2 is the inverse regularized gamma function gammaincinv(k, q)
    lower = 0.0 if o == 0 else float(gammaincinv(o, alpha / 2)) / p
    upper = float(gammaincinv(o + 1, 1 - alpha / 2)) / p
    return (lower, upper)


def _poisson_cdf(k, mu) -> np.ndarray:
    """P(X <= k) for X ~ Poisson(mu), elementwise; 0 below k = 0. Same values as ``scipy.stats.poisson.cdf``
    from the lighter ``scipy.special.pdtr`` (importing scipy.stats costs a notebook about half a second).

    >>> _poisson_cdf([-1, 0, 2], 2.0).round(4).tolist()
    [0.0, 0.1353, 0.6767]
    """
    from scipy.special import pdtr

    k = np.floor(np.asarray(k, dtype=float))
    mu = np.asarray(mu, dtype=float)
    return np.where(k < 0, 0.0, pdtr(np.maximum(k, 0.0), mu))


def _poisson_ppf(q, mu) -> np.ndarray:
    """The smallest whole count k with P(X <= k) >= q for X ~ Poisson(mu), elementwise, 0 < q < 1: the
    algorithm of ``scipy.stats.poisson.ppf`` (inverse of ``pdtr`` by ``pdtrik``, then one step down when that
    count already reaches q), from ``scipy.special`` alone.

    >>> _poisson_ppf(0.975, [0.0, 2.0, 15.0]).tolist()
    [0.0, 5.0, 23.0]
    """
    from scipy.special import pdtr, pdtrik

    mu = np.asarray(mu, dtype=float)
    above = np.ceil(pdtrik(q, mu))
    below = np.maximum(above - 1, 0.0)
    return np.where(pdtr(below, mu) >= q, below, above)


def funnel_limits(days, target_rate, *, levels=(0.95, 0.998), per=1000.0) -> pd.DataFrame:
    """Funnel-plot control limits for a rate per ``per`` days around a target rate, by denominator.

    For each denominator ``n`` (patient days or device days) the limits are the exact Poisson quantiles of the
    count expected at the target rate, ``lambda = target_rate x n / per``, interpolated between whole counts as
    Spiegelhalter recommends (so the funnel is smooth), and turned back into rates. The 95 % limits are the
    "alert" lines (about 2 standard deviations) and the 99.8 % limits the "alarm" lines (about 3).

    Parameters
    ----------
    days : number or array-like
        Denominators (> 0).
    target_rate : number
        The pooled rate per ``per`` days of the units compared (for example the pooled med-surg fall rate).
    levels : tuple of float
        Two-sided coverage of each pair of limits.
    per : number, default 1,000

    Returns
    -------
    pandas.DataFrame
        One row per denominator: ``days``, ``expected`` (count) and, for each level, ``lower_95``/``upper_95``
        style columns (``lower_998``/``upper_998`` for 0.998), as rates per ``per`` days.

    References
    ----------
    Spiegelhalter DJ. Funnel plots for comparing institutional performance. *Statistics in Medicine*
    2005;24:1185-1202 (exact Poisson limits, interpolated between whole counts).

    Examples
    --------
    >>> t = funnel_limits([5000, 20000], 3.0)
    >>> t[["days", "expected"]].values.tolist()
    [[5000.0, 15.0], [20000.0, 60.0]]
    >>> bool((t["upper_95"] > 3.0).all() and (t["lower_95"] < 3.0).all())
    True
    >>> bool(t.loc[0, "upper_95"] - 3 > t.loc[1, "upper_95"] - 3)       # the funnel narrows as days grow
    True
    """
    n = _v.array("days", [days] if _is_scalar(days) else days, minimum=0)
    if (n <= 0).any():
        raise ValueError("days must be greater than 0 for every point of a funnel plot.")
    theta = _v.number("target_rate", target_rate, minimum=0)
    lam = theta * n / per
    table = pd.DataFrame({"days": n.astype(float), "expected": lam})
    for level in levels:
        suffix = f"{level * 1000:g}".rstrip("0") if level * 100 % 1 else f"{level * 100:g}"
        for side, prob in (("lower", (1 - level) / 2), ("upper", 1 - (1 - level) / 2)):
            r = _poisson_ppf(prob, lam)
            cdf_r, cdf_below = _poisson_cdf(r, lam), _poisson_cdf(r - 1, lam)
            with np.errstate(divide="ignore", invalid="ignore"):
                alpha = np.where(cdf_r > cdf_below, (cdf_r - prob) / (cdf_r - cdf_below), 0.0)
            table[f"{side}_{suffix}"] = np.maximum(r - alpha, 0.0) / n * per
    return table


# ---------------------------------------------------------------------------------------------------------
# Readmissions (CMS HRRP)

def readmission_rate(readmissions, discharges):
    """30-day readmission rate as a proportion: ``readmissions / index discharges``.

    The unadjusted (observed) all-cause 30-day rate for an HRRP cohort. CMS publishes risk-standardized
    rates; this is the raw rate a quality department tracks month to month. Benchmarks used for the synthetic
    data [K/S]: AMI 13-15 %, HF 19-21 %, pneumonia 15-17 %, COPD 18-20 %, CABG 10-12 %, THA/TKA 4-5 %.

    Source: CMS, *Hospital Readmissions Reduction Program* measure methodology (30-day all-cause unplanned
    readmission after an index admission).

    Examples
    --------
    >>> readmission_rate(40, 200)                 # 40 / 200
    0.2
    >>> readmission_rate(250, 200)
    Traceback (most recent call last):
    ...
    ValueError: readmissions (250) is larger than discharges (200), which cannot happen. ...
    """
    return _ratio("readmissions", readmissions, "discharges", discharges)


def excess_readmission_ratio(predicted, expected, discharges=None) -> float:
    """CMS excess readmission ratio (ERR): ``predicted / expected`` readmissions.

    *Predicted* uses the hospital's own effect from CMS's hierarchical model; *expected* uses the average
    hospital's effect for the same patients. ERR > 1 means more readmissions than an average hospital would
    have with this case mix. Counts or mean probabilities give the same ratio.

    CMS does not calculate an ERR for a condition with fewer than 25 eligible discharges; when
    ``discharges`` is given and below 25, or is the placeholder CMS prints instead ("Too Few to Report",
    "N/A", blank), this returns NaN (the condition does not count in HRRP).

    Source: CMS HRRP, FY 2013+ IPPS final rules; QualityNet HRRP methodology ("ERR = predicted / expected").

    Examples
    --------
    >>> excess_readmission_ratio(44.0, 40.0)      # 44 / 40
    1.1
    >>> excess_readmission_ratio(5.0, 4.0, discharges=20)
    nan
    """
    if discharges is not None and _v.placeholder(_v.plain(discharges)) is not None:
        return math.nan     # CMS's "Too Few to Report" / "N/A": fewer than 25 discharges, no ratio
    pred = _v.number("predicted", predicted, minimum=0)
    exp = _v.number("expected", expected, positive=True)
    if discharges is not None:
        n = _v.number("discharges", discharges, minimum=0)
        if n < HRRP_MIN_DISCHARGES:
            return math.nan
    return pred / exp


def readmissions_by_condition(discharges, *, condition="condition", readmitted="readmitted_30d",
                              predicted="predicted_readmission_prob",
                              expected="expected_readmission_prob") -> pd.DataFrame:
    """Readmission rate and excess readmission ratio for each HRRP condition, from one row per discharge.

    Parameters
    ----------
    discharges : pandas.DataFrame
        One row per index discharge (for example ``load_dataset("hrrp_discharges")``).
    condition, readmitted : str
        Columns holding the HRRP condition (one of :data:`HRRP_CONDITIONS`) and the 30-day readmission flag
        (True/False or 1/0).
    predicted, expected : str or None
        Columns of predicted and expected readmission probabilities. Pass ``None`` for both to skip the ERR.

    Returns
    -------
    pandas.DataFrame
        Indexed by condition in CMS order, with ``discharges``, ``readmissions``, ``readmission_rate``
        (proportion) and, when probabilities are given, ``predicted``, ``expected`` (sums, i.e. readmission
        counts), ``excess_readmission_ratio`` and ``counts_in_hrrp`` (at least 25 discharges [K]).

    Examples
    --------
    >>> df = pd.DataFrame({"condition": ["HF"] * 4 + ["AMI"] * 2,
    ...                    "readmitted_30d": [True, False, False, False, True, False],
    ...                    "predicted_readmission_prob": [0.3, 0.2, 0.2, 0.1, 0.2, 0.2],
    ...                    "expected_readmission_prob": [0.2, 0.2, 0.2, 0.2, 0.2, 0.2]})
    >>> t = readmissions_by_condition(df)
    >>> t[["discharges", "readmissions", "readmission_rate"]]
               discharges  readmissions  readmission_rate
    condition
    AMI                 2             1              0.50
    HF                  4             1              0.25
    >>> round(float(t.loc["HF", "excess_readmission_ratio"]), 4), bool(t.loc["HF", "counts_in_hrrp"])
    (1.0, False)
    """
    if (predicted is None) != (expected is None):
        raise ValueError("Give both predicted and expected column names, or neither (None for both).")
    needed = [condition, readmitted] + ([predicted, expected] if predicted is not None else [])
    _v.columns("discharges", discharges, needed)
    cond = discharges[condition].astype("string").str.strip()
    unknown = sorted(set(cond.dropna()) - set(HRRP_CONDITIONS))
    if unknown or cond.isna().any():
        shown = ", ".join(repr(u) for u in unknown) or "missing values"
        raise ValueError(f"The {condition!r} column holds {shown}, which are not HRRP conditions. "
                         f"Use one of: {', '.join(HRRP_CONDITIONS)}.")
    flag = discharges[readmitted]
    if flag.isna().any() or not set(pd.unique(flag.astype(object))) <= {True, False, 0, 1}:
        raise ValueError(f"The {readmitted!r} column must hold True/False (or 1/0) for every discharge.")
    frame = pd.DataFrame({"condition": cond, "readmitted": flag.astype(bool).astype(int)})
    if predicted is not None:
        frame["predicted"] = _v.array(predicted, discharges[predicted], minimum=0)
        frame["expected"] = _v.array(expected, discharges[expected], minimum=0)
    grouped = frame.groupby("condition", sort=False)
    table = pd.DataFrame({"discharges": grouped.size(), "readmissions": grouped["readmitted"].sum()})
    table["readmission_rate"] = table["readmissions"] / table["discharges"]
    if predicted is not None:
        table["predicted"] = grouped["predicted"].sum()
        table["expected"] = grouped["expected"].sum()
        table["excess_readmission_ratio"] = table["predicted"] / table["expected"]
        table["counts_in_hrrp"] = table["discharges"] >= HRRP_MIN_DISCHARGES
    order = [c for c in HRRP_CONDITIONS if c in table.index]
    table = table.loc[order]
    table.index.name = "condition"
    return table


def _keyed_or_array(name, values, keys=None):
    """A float array (NaN for blanks and placeholders) and its gaps, from a list/array or a dict/Series aligned
    to ``keys``."""
    if isinstance(values, (dict, pd.Series)):
        series = pd.Series(values, dtype=object) if isinstance(values, dict) else values
        if keys is not None:
            missing = [k for k in keys if k not in series.index]
            if missing:
                raise ValueError(f"{name} has no value for {', '.join(map(repr, missing))}; give one value for "
                                 "every condition in condition_payments.")
            series = series.loc[list(keys)]
        arr, gaps = _v.float_values(name, series)
        return arr, gaps, [str(k) for k in series.index]
    arr, gaps = _v.float_values(name, values)
    return arr, gaps, None


class HRRPFactor(float):
    """What :func:`hrrp_payment_adjustment_factor` returns: the factor (a float) that also says what it left out.

    Attributes
    ----------
    left_out : dict
        Condition (name, or position from 0 when no names were given) -> why it does not count.
    notes : list of str
        One sentence per condition left out, for a report.
    """

    left_out: dict
    notes: list

    def __new__(cls, value, left_out=None, notes=None):
        obj = super().__new__(cls, value)
        obj.left_out = dict(left_out or {})
        obj.notes = list(notes or [])
        return obj

    def __reduce__(self):
        return (HRRPFactor, (float(self), self.left_out, self.notes))


def hrrp_payment_adjustment_factor(condition_payments, err, peer_median_err, total_base_payments, *,
                                   neutrality_modifier=1.0, discharges=None) -> HRRPFactor:
    """CMS HRRP payment adjustment factor (between 0.97 and 1.0).

    ``1 - min(0.03, sum_c payment_c * max(ERR_c - peer median ERR_c, 0) * NM / total base operating DRG
    payments)``, where ``payment_c`` is the hospital's base operating DRG payments for condition ``c``'s
    discharges and NM the budget-neutrality modifier. A factor of 0.985 means every Medicare base operating
    DRG payment for the fiscal year is cut by 1.5 %.

    **Conditions that do not count.** CMS calculates no excess readmission ratio for a condition with fewer
    than 25 eligible discharges: its HRRP files leave the ratio blank or write "N/A" / "Too Few to Report"
    there (CMS HRRP supplemental data file: "Hospitals with fewer than 25 cases do not have an excess
    readmission ratio for that condition"). Such a condition, and any condition below 25 ``discharges`` when
    they are given, is left out of the sum, and the result says so: the factor is a float that also carries
    ``left_out`` (condition -> reason) and ``notes``.

    Parameters
    ----------
    condition_payments : list, array, dict or Series
        Base operating DRG payments ($) for each condition's discharges. With a dict/Series, ``err``,
        ``peer_median_err`` and ``discharges`` may also be dicts/Series keyed by the same conditions.
    err : list, array, dict or Series
        The hospital's excess readmission ratio for each condition (NaN, blank, "N/A", "Not Available" or
        "Too Few to Report" where CMS publishes none).
    peer_median_err : list, array, dict or Series
        The median ERR of the hospital's peer group (dual-eligible quintile, FY 2019+) for each condition.
    total_base_payments : number
        The hospital's total Medicare base operating DRG payments ($) in the period (all discharges).
    neutrality_modifier : number, default 1.0
        CMS's budget-neutrality modifier for the fiscal year (published in the IPPS final rule).
    discharges : list, array, dict or Series, optional
        Eligible discharges per condition; conditions below 25 do not count.

    Returns
    -------
    HRRPFactor
        The payment adjustment factor (a float), floor 0.97 (a 3 % maximum reduction) [V bounds], with
        ``left_out`` and ``notes``.

    Raises
    ------
    ValueError
        A counted condition (one with a ratio) has no payment or no peer-group median; a negative payment; a
        ratio of 0 or less; condition payments above the total.

    References
    ----------
    CMS, FY 2019 IPPS/LTCH PPS final rule (83 FR 41144), HRRP payment adjustment factor with peer grouping
    and neutrality modifier; Social Security Act section 1886(q). The 0.97-1.0 bounds are stated in the CMS
    FY 2020-2024 HRRP supplemental data file descriptions.

    Examples
    --------
    HF payments $1.2 M with ERR 1.10 against a peer median of 1.00; AMI below its median:

    >>> f = hrrp_payment_adjustment_factor({"HF": 1_200_000, "AMI": 800_000}, {"HF": 1.10, "AMI": 0.95},
    ...                                    {"HF": 1.00, "AMI": 1.00}, 60_000_000, neutrality_modifier=0.95)
    >>> round(f, 6)                               # 1 - 1,200,000 x 0.10 x 0.95 / 60,000,000
    0.9981

    CABG with 18 discharges has no ratio (NaN in the CMS file): it is left out, and the result says why.

    >>> f = hrrp_payment_adjustment_factor({"HF": 1.2e6, "CABG": 0.3e6}, {"HF": 1.1030, "CABG": float("nan")},
    ...                                    {"HF": 1.0, "CABG": 1.0}, 60e6, discharges={"HF": 310, "CABG": 18})
    >>> round(f, 5), list(f.left_out)
    (0.99794, ['CABG'])
    """
    pay, pay_gaps, keys = _keyed_or_array("condition_payments", condition_payments)
    err_a, err_gaps, _ = _keyed_or_array("err", err, keys)
    med_a, med_gaps, _ = _keyed_or_array("peer_median_err", peer_median_err, keys)
    arrays = {"condition_payments": pay, "err": err_a, "peer_median_err": med_a}
    dis_a = None
    if discharges is not None:
        dis_a, _, _ = _keyed_or_array("discharges", discharges, keys)
        arrays["discharges"] = dis_a
    _v.same_length(**arrays)
    names = keys if keys is not None else [f"The condition at position {i}" for i in range(len(pay))]
    left_out, notes = {}, []
    counts = np.ones(len(pay), dtype=bool)
    for i, name in enumerate(names):
        few = dis_a is not None and not np.isnan(dis_a[i]) and dis_a[i] < HRRP_MIN_DISCHARGES
        if i in err_gaps or few:
            counts[i] = False
            n_text = f" ({dis_a[i]:g} here)" if dis_a is not None and not np.isnan(dis_a[i]) else ""
            what = (f"its excess readmission ratio is {_v.shown(_raw(err, keys, i))} ({err_gaps[i]})"
                    if i in err_gaps else f"it has fewer than {HRRP_MIN_DISCHARGES} eligible discharges{n_text}")
            reason = (f"{what}; CMS calculates no excess readmission ratio for a condition with fewer than "
                      f"{HRRP_MIN_DISCHARGES} eligible discharges{n_text if i in err_gaps else ''}, so it does "
                      "not count toward the payment adjustment")
            left_out[name if keys is not None else i] = reason
            notes.append(f"{name} left out: {reason}.")
    for i, name in enumerate(names):
        if counts[i] and (i in pay_gaps or i in med_gaps):
            arg = "condition_payments" if i in pay_gaps else "peer_median_err"
            label = name if keys is not None else f"the condition at position {i}"
            raise ValueError(f"{arg} has no value for {label}, which has an excess readmission ratio and so counts "
                             f"toward the payment adjustment. Fill in {arg} for {label} from the HRRP file.")
    if np.nanmin(pay, initial=0) < 0:
        raise ValueError("condition_payments must not be negative; give base operating DRG payments in dollars.")
    if np.nanmin(np.where(counts, err_a, 1), initial=1) <= 0 or np.nanmin(np.where(counts, med_a, 1),
                                                                          initial=1) <= 0:
        raise ValueError("err and peer_median_err must be greater than 0; an ERR is predicted / expected "
                         "readmissions, typically between 0.8 and 1.2.")
    total = _v.number("total_base_payments", total_base_payments, positive=True)
    nm = _v.number("neutrality_modifier", neutrality_modifier, positive=True)
    if np.nansum(pay) > total:
        raise ValueError(f"condition_payments add up to ${np.nansum(pay):,.0f}, more than total_base_payments "
                         f"(${total:,.0f}). The total is all of the hospital's base operating DRG payments, "
                         "so it includes the condition payments; check the two arguments.")
    with np.errstate(invalid="ignore"):
        terms = np.where(counts, pay * np.maximum(err_a - med_a, 0.0) * nm, 0.0)
    excess = float(np.sum(terms)) / total
    return HRRPFactor(1.0 - min(HRRP_MAX_REDUCTION, excess), left_out, notes)


def _raw(values, keys, i):
    """The value as given (before conversion), for a message."""
    if isinstance(values, (dict, pd.Series)):
        series = pd.Series(values, dtype=object)
        return series.loc[keys[i]] if keys is not None else series.iloc[i]
    return list(values)[i]


def hrrp_dollars_at_risk(payment_adjustment_factor, fy_base_operating_payments) -> float:
    """Dollars HRRP withholds in the payment year: ``(1 - factor) x base operating DRG payments``.

    The factor applies to the hospital's Medicare base operating DRG payment for EVERY discharge in the fiscal
    year, not only to the six conditions' discharges. [V: Social Security Act section 1886(q)(1)]

    Examples
    --------
    >>> round(hrrp_dollars_at_risk(0.9965, 70_000_000))     # 0.35 % of 70 million dollars
    245000
    """
    f = _v.number("payment_adjustment_factor", payment_adjustment_factor, minimum=0)
    if not 1.0 - HRRP_MAX_REDUCTION - 1e-12 <= f <= 1.0:
        raise ValueError(f"payment_adjustment_factor must be between 0.97 and 1.0 (the HRRP floor is 0.97); "
                         f"you gave {f:g}. Give the factor itself, not the percent reduction.")
    payments = _v.number("fy_base_operating_payments", fy_base_operating_payments, minimum=0)
    return (1.0 - f) * payments


# ---------------------------------------------------------------------------------------------------------
# HCAHPS

def _hcahps_key(value):
    value = _v.plain(value)
    if _v.placeholder(value) is not None:
        return None     # blank, skipped, "N/A" / "Not Applicable" (a skip pattern): left out of the denominator
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"HCAHPS answer {value!r} is True/False; give the answer text ('Yes', 'No') instead.")
    if isinstance(value, numbers.Real):
        if float(value).is_integer() and 0 <= value <= 10:
            return str(int(value))
        raise ValueError(f"HCAHPS answer {value!r} is not a 0-10 rating (whole numbers 0 to 10).")
    if isinstance(value, str):
        text = " ".join(value.strip().lower().split())
        if not text:
            return None
        if text in HCAHPS_LINEAR_SCORES:
            return text
        if text.isdigit() and 0 <= int(text) <= 10:
            return str(int(text))
    raise ValueError(f"HCAHPS answer {value!r} is not recognised. Expected Never/Sometimes/Usually/Always, "
                     "Yes/No, a 0-10 rating, Definitely/Probably yes/no, or Strongly disagree ... Strongly agree.")


def _hcahps_parse(responses):
    if responses is None or isinstance(responses, (str, bytes)) or np.ndim(responses) != 1:
        raise TypeError("responses must be a list, array or Series of answers to one HCAHPS question, "
                        f"for example ['Always', 'Usually']; you gave {type(responses).__name__}.")
    keys = [k for k in (_hcahps_key(v) for v in responses) if k is not None]
    if not keys:
        raise ValueError("responses has no answered questions (all blank); an HCAHPS score needs at least "
                         "one answer. Blank answers (skipped or not applicable) are left out.")
    families = {("rating 0-10" if k.isdigit() else _SCALE_FAMILY[k]) for k in keys}
    if len(families) > 1:
        raise ValueError(f"responses mix answer scales ({', '.join(sorted(families))}); score one HCAHPS "
                         "question at a time, then average item scores for a composite.")
    scores = np.array([10.0 * int(k) if k.isdigit() else HCAHPS_LINEAR_SCORES[k] for k in keys])
    top = np.array([k in _TOP_BOX for k in keys])
    return scores, top


def hcahps_top_box(responses) -> float:
    """HCAHPS top-box score: percent (0-100) of answered questions given the most positive answer.

    Top box is "Always", "Yes", 9 or 10 on the 0-10 rating, "Definitely yes", "Strongly agree". Blank
    answers (skipped or not applicable) are left out of the denominator. [V]

    Source: CMS, *HCAHPS Quality Assurance Guidelines* and hcahpsonline.org "Summary Analyses" (top-box,
    middle-box, bottom-box). Publicly reported scores are also patient-mix and mode adjusted; this is the
    unadjusted score a hospital computes from its own vendor file.

    Examples
    --------
    >>> hcahps_top_box(["Always", "Always", "Usually", "Never"])       # 2 of 4
    50.0
    >>> hcahps_top_box([10, 9, 8, 7, None])                            # 2 of 4 answered
    50.0
    """
    scores, top = _hcahps_parse(responses)
    return float(100.0 * top.mean())


def hcahps_linear_mean(responses) -> float:
    """HCAHPS linear-mean score (0-100): the mean of answers scored Never 0, Sometimes 33 1/3, Usually 66 2/3,
    Always 100; 0-10 rating x 10; Yes 100 / No 0. [V]

    Source: CMS, *HCAHPS Star Rating Technical Notes* (linear mean scores). The recommend and agreement
    scales are spaced 0, 33 1/3, 66 2/3, 100 the same way [K].

    Examples
    --------
    >>> hcahps_linear_mean(["Always", "Usually", "Sometimes"])         # (100 + 66.67 + 33.33) / 3
    66.66666666666667
    >>> hcahps_linear_mean(["9", "10", "6"])                           # (90 + 100 + 60) / 3
    83.33333333333333
    >>> hcahps_linear_mean(["Always", "Yes"])
    Traceback (most recent call last):
    ...
    ValueError: responses mix answer scales (frequency, yes/no); score one HCAHPS question at a time, ...
    """
    scores, top = _hcahps_parse(responses)
    return float(scores.mean())


def hcahps_item_scores(responses, *, measure="measure", item="item_id", response="response") -> pd.DataFrame:
    """Top-box percent and linear mean for every HCAHPS item (question), from one row per survey x item.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``item_id``, ``answered`` (non-blank answers), ``top_box_pct``, ``linear_mean``,
        in the order the items first appear.

    Examples
    --------
    >>> df = pd.DataFrame({"measure": ["nurses"] * 4, "item_id": ["Q1", "Q1", "Q2", "Q2"],
    ...                    "response": ["Always", "Usually", "Always", None]})
    >>> hcahps_item_scores(df)
      measure item_id  answered  top_box_pct  linear_mean
    0  nurses      Q1         2         50.0    83.333333
    1  nurses      Q2         1        100.0   100.000000
    """
    _v.columns("responses", responses, [measure, item, response])
    rows = []
    for (m, i), group in responses.groupby([measure, item], sort=False):
        scores, top = _hcahps_parse(group[response].tolist())
        rows.append({measure: m, item: i, "answered": len(scores), "top_box_pct": float(100.0 * top.mean()),
                     "linear_mean": float(scores.mean())})
    return pd.DataFrame(rows, columns=[measure, item, "answered", "top_box_pct", "linear_mean"])


def hcahps_composite_scores(responses, *, measure="measure", item="item_id", response="response") -> pd.DataFrame:
    """HCAHPS composite (measure) scores: the mean of the item scores in each measure. [V]

    A composite such as "Communication with Nurses" is the unweighted mean of its items' top-box percents
    (and, separately, of their linear means), not the pooled share of all answers.

    Source: CMS, *HCAHPS Star Rating Technical Notes* and hcahpsonline.org: composite score = average of
    the item scores.

    Examples
    --------
    >>> df = pd.DataFrame({"measure": ["nurses"] * 4, "item_id": ["Q1", "Q1", "Q2", "Q2"],
    ...                    "response": ["Always", "Usually", "Always", None]})
    >>> hcahps_composite_scores(df)                    # top box (50 + 100) / 2, linear (83.33 + 100) / 2
      measure  items  top_box_pct  linear_mean
    0  nurses      2         75.0    91.666667
    """
    items = hcahps_item_scores(responses, measure=measure, item=item, response=response)
    grouped = items.groupby(measure, sort=False)
    table = pd.DataFrame({"items": grouped.size(), "top_box_pct": grouped["top_box_pct"].mean(),
                          "linear_mean": grouped["linear_mean"].mean()})
    return table.reset_index()


def hcahps_sample_size_note(completed_surveys) -> str:
    """A sentence saying whether a hospital has enough completed HCAHPS surveys for star ratings.

    CMS publishes HCAHPS star ratings only for hospitals with at least 100 completed surveys over four
    quarters [V]. Source: CMS, *HCAHPS Star Rating Technical Notes*. Public files print a band instead of a
    count for small hospitals (CMS footnote: "Fewer than 100 patients completed the HCAHPS survey"); text of
    the form "FEWER THAN 50" is read as that upper bound. "Not Available" (CMS: no data from the hospital for
    this measure) is refused with a message saying so.

    Examples
    --------
    >>> hcahps_sample_size_note(1200)
    '1,200 completed surveys: meets the 100-survey minimum CMS requires for HCAHPS star ratings (four quarters).'
    >>> hcahps_sample_size_note(80)
    '80 completed surveys: fewer than the 100 CMS requires for HCAHPS star ratings (four quarters); treat the scores as imprecise.'
    """
    value = _v.plain(completed_surveys)
    if isinstance(value, str):
        words = _v._normal_text(value).split()
        if len(words) == 3 and words[:2] == ["fewer", "than"] and words[2].replace(",", "").isdigit():
            bound = int(words[2].replace(",", ""))
            if bound <= HCAHPS_STAR_MIN_SURVEYS:
                return (f"{value.strip()!r} completed surveys: fewer than the {HCAHPS_STAR_MIN_SURVEYS} CMS "
                        "requires for HCAHPS star ratings (four quarters); treat the scores as imprecise.")
            raise ValueError(f"completed_surveys is {value.strip()!r}: an upper bound above "
                             f"{HCAHPS_STAR_MIN_SURVEYS}, so it cannot say whether the {HCAHPS_STAR_MIN_SURVEYS}-"
                             "survey minimum is met. Give the number of completed surveys.")
    n = _v.number("completed_surveys", completed_surveys, minimum=0)
    if n >= HCAHPS_STAR_MIN_SURVEYS:
        return (f"{n:,.0f} completed surveys: meets the {HCAHPS_STAR_MIN_SURVEYS}-survey minimum CMS requires "
                "for HCAHPS star ratings (four quarters).")
    return (f"{n:,.0f} completed surveys: fewer than the {HCAHPS_STAR_MIN_SURVEYS} CMS requires for HCAHPS star "
            "ratings (four quarters); treat the scores as imprecise.")
