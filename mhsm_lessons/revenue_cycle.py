"""Revenue-cycle reference calculations: days in A/R, A/R aging, denials, clean claims, collections, payer mix.

Every check in module 02 computes its expected answer with these functions, so each one follows the HFMA MAP
Keys definition recorded in ``shared/DOMAIN.md`` §2 and cites it. Rates are returned as **proportions between
0 and 1** (0.112, not 11.2); multiply by 100 only for display.

Two kinds of function live here:

* calculations on plain numbers (``net_days_in_ar(net_ar=..., net_revenue=..., days=...)``), for hand
  examples and for the monthly snapshot table;
* helpers that take the claims table from ``load_dataset("rc_claims")`` (one row per claim, dates stored as
  ISO ``'YYYY-MM-DD'`` text, blank when the event has not happened yet), such as
  ``initial_denial_rate(claims, by="count")``.

Sources
-------
HFMA, *MAP Keys* (Healthcare Financial Management Association, hfma.org/map-keys): Net Days in A/R, Aged A/R as a
Percentage of Total Billed A/R (AR-1), Days in Total Discharged Not Final Billed, Clean Claim Rate (CL-1),
Remittance/Initial Denial Rate, Denial Write-offs as a Percentage of NPSR (AR-6), Cost to Collect; physician
practice keys: Gross Days in A/R and Net (Adjusted FFS) Collection Rate.
HFMA Claim Integrity Task Force, *Standardizing Denial Metrics for Revenue Cycle Benchmarking and Process
Improvement* (2020): initial denial rate by claim volume and by gross charges.
X12 / WPC, *Claim Adjustment Reason Codes* and *Claim Adjustment Group Codes* (CO, PR, OA, PI, CR).
"""
from __future__ import annotations

import numbers
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from mhsm_lessons import _validation as v

__all__ = [
    "AGING_BUCKETS",
    "CARC_CATEGORIES",
    "CARC_GROUPS",
    "DENIAL_CATEGORIES",
    "CONTRACTUAL",
    "PATIENT_RESPONSIBILITY",
    "PAYER_ADJUSTMENT",
    "CORRECTION",
    "UNCLASSIFIED",
    "Adjustment",
    "carc_code",
    "classify_adjustment",
    "classify_adjustments",
    "carc_category",
    "is_denial",
    "net_days_in_ar",
    "gross_days_in_ar",
    "days_in_dnfb",
    "net_collection_rate",
    "cost_to_collect",
    "cash_collection_rate",
    "denial_writeoff_rate",
    "aging_buckets",
    "pareto",
    "ar_balances",
    "ar_aging",
    "aged_ar_share",
    "initial_denial_rate",
    "denial_pareto",
    "clean_claim_rate",
    "claims_net_collection_rate",
    "payer_mix",
    "charge_lag_days",
    "charge_lag_summary",
    "snapshot_net_days_in_ar",
    "snapshot_days_in_dnfb",
    "weekly_denials",
    "appeal_overturn_rate",
    "underpayments",
    "LEAKAGE_STEPS",
    "revenue_leakage",
]

# --------------------------------------------------------------------------------------------------------------
# Reference tables

#: Claim adjustment group codes (X12): contractual obligation, patient responsibility, other adjustment,
#: payer initiated reduction, correction and reversal.
CARC_GROUPS = ("CO", "PR", "OA", "PI", "CR")

#: Denial categories used for Pareto analysis, in the order DOMAIN.md §2 lists them.
DENIAL_CATEGORIES = (
    "coding",
    "authorization",
    "missing information",
    "duplicate",
    "eligibility/COB",
    "timely filing",
    "medical necessity",
    "non-covered",
    "bundling",
    "benefit maximum",
)

#: Claim adjustment reason code (CARC) -> denial category, as DOMAIN.md §2 maps the common denial CARCs [V/S].
#: Keys are text: CARCs are alphanumeric (A1, B7, P-codes), so ``197`` is stored as ``"197"``.
CARC_CATEGORIES = {
    "4": "coding", "11": "coding",
    "15": "authorization", "197": "authorization", "198": "authorization",
    "16": "missing information", "252": "missing information",
    "18": "duplicate",
    "22": "eligibility/COB", "27": "eligibility/COB", "109": "eligibility/COB",
    "29": "timely filing",
    "50": "medical necessity", "151": "medical necessity",
    "96": "non-covered", "167": "non-covered", "204": "non-covered",
    "97": "bundling",
    "119": "benefit maximum",
}

#: Adjustments that are not denials (classes besides :data:`DENIAL_CATEGORIES`).
CONTRACTUAL = "contractual adjustment (not a denial)"
PATIENT_RESPONSIBILITY = "patient responsibility (not a denial)"
PAYER_ADJUSTMENT = "payer adjustment (not a denial)"
CORRECTION = "correction or reversal (not a denial)"
#: A code this map does not know (for example B7, or a code with no group): look it up in the X12 CARC list.
UNCLASSIFIED = "unclassified"

#: Patient cost sharing: deductible, coinsurance, copay, blood deductible (PR group).
_COST_SHARING = {"1", "2", "3", "66"}
#: Payment adjustments that are not denials: 23 prior payer's adjudication (OA-23), 24 capitation or managed
#: care plan, 59 multiple / concurrent procedure rules, 94 processed in excess of charges, 253 sequestration.
_PAYER_ADJUSTMENTS = {"23", "24", "59", "94", "253"}
_CODE_TEXT = re.compile(r"^[A-Z0-9]{1,3}$")

#: A/R aging buckets in days: (label, lowest day, highest day or None for open-ended). Ages are whole days
#: after the start date (day 0 is the start date itself), the usual 0-30 / 31-60 / 61-90 / 91-120 / >120 scheme.
AGING_BUCKETS = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-120", 91, 120),
    (">120", 121, None),
)

# Columns the claims helpers read (a subset of the rc_claims data dictionary).
_DATE_COLUMNS = ("service_date", "submission_date", "first_remit_date", "payment_date",
                 "patient_payment_date", "closed_date")


# --------------------------------------------------------------------------------------------------------------
# Small internal helpers

def _ratio(numerator: float, denominator: float, denominator_name: str, what: str) -> float:
    if denominator == 0:
        raise ValueError(f"{denominator_name} is 0, so the {what} cannot be calculated (it would divide by zero). "
                         f"Check that {denominator_name} covers the right period or group.")
    return numerator / denominator


def _choice(name: str, value, allowed) -> str:
    if not isinstance(value, (str, type(None))) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(repr(a) for a in allowed)}; you gave {value!r}.")
    return value


def _as_of(value) -> np.datetime64:
    """A date given as 'YYYY-MM-DD' text, a datetime.date, a pandas Timestamp or a numpy datetime64."""
    try:
        if isinstance(value, str):
            stamp = pd.to_datetime(value.strip(), format="%Y-%m-%d")
        elif isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "isoformat"):
            stamp = pd.Timestamp(value)
        else:
            stamp = pd.NaT
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(f"as_of must be a date such as '2025-12-31'; you gave {value!r}.")
    return np.datetime64(stamp.date(), "D")


def _days(claims: pd.DataFrame, column: str) -> np.ndarray:
    """A date column as ``datetime64[D]`` (NaT where blank), with a clear message for text that is not a date."""
    series = claims[column]
    if series.dtype == object or isinstance(series.dtype, (pd.StringDtype, pd.CategoricalDtype)):
        series = series.astype("string").str.strip().replace("", pd.NA)
    try:
        parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="raise")
    except (TypeError, ValueError):
        parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
        bad = series[parsed.isna() & series.notna()]
        raise ValueError(f"claims column {column!r} must hold dates written 'YYYY-MM-DD' (blank when the event "
                         f"has not happened); {bad.iloc[0]!r} is not a date.") from None
    return parsed.to_numpy(dtype="datetime64[D]")


def _money(claims: pd.DataFrame, column: str) -> np.ndarray:
    values = pd.to_numeric(claims[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.nan_to_num(values, nan=0.0)


def _flag(claims: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean column as an object array of True / False / None (None where missing)."""
    series = claims[column]
    if series.dtype == object or isinstance(series.dtype, (pd.StringDtype, pd.CategoricalDtype)):
        series = series.astype(object).map(_bool_text)
    try:
        series = series.astype("boolean")
    except (TypeError, ValueError):
        bad = next(x for x in claims[column].tolist() if not (x in (True, False, 0, 1) or pd.isna(x)))
        raise ValueError(f"claims column {column!r} must hold True or False (blank when not known); {bad!r} is "
                         "neither.") from None
    return series.to_numpy(dtype=object, na_value=None)


def _bool_text(value):
    """'True'/'False' text (as a CSV read with dtype=str gives) as booleans; blanks and placeholders as missing."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "false"):
            return text == "true"
        if v.placeholder(value) is not None:
            return None
    return value


# --------------------------------------------------------------------------------------------------------------
# CARC classification

class Adjustment(NamedTuple):
    """How one claim adjustment (X12 group code + CARC) is classified; see :func:`classify_adjustment`."""

    carc: str                #: group and code as written on a remittance, e.g. "CO-197" (just "197" with no group)
    group: str | None        #: CO, PR, OA, PI, CR, or None when not given
    code: str | None         #: the CARC as text ("197", "B7"), or None when blank or unreadable
    category: str            #: a denial category, or one of the not-a-denial classes, or "unclassified"
    denial: bool             #: True only for a known denial CARC in a denial group
    billed_to_patient: bool  #: True for the PR group: the balance moves to the patient, never a write-off


def carc_code(code) -> str | None:
    """A claim adjustment reason code as text: ``197``, ``197.0``, ``"197.0"`` and ``" 197 "`` all give ``"197"``.

    CARCs are alphanumeric (``"A1"``, ``"B7"``, ``"P2"``), so they are compared as text. A spreadsheet or
    ``pandas.read_csv`` turns a column of numeric codes with blanks into floats (197.0): that is still code 197.
    Blank, missing or unreadable values give ``None``; this function never raises.

    Examples
    --------
    >>> carc_code(197.0), carc_code("b7 "), carc_code(None), carc_code(float("nan")), carc_code(19.5)
    ('197', 'B7', None, None, None)
    """
    if code is None or code is pd.NA or isinstance(code, bool):
        return None
    if isinstance(code, numbers.Real):
        number = float(code)
        if not np.isfinite(number) or number != int(number) or number < 0:
            return None
        return str(int(number))
    text = str(code).strip().upper()
    if re.fullmatch(r"\d+\.0*", text):
        text = text.split(".")[0]
    if text.isdigit():
        text = str(int(text))
    return text if _CODE_TEXT.fullmatch(text) else None


def classify_adjustment(code, group: str | None = None) -> Adjustment:
    """Classify a claim adjustment by its X12 group code and CARC together: a denial category, or why it is not one.

    Parameters
    ----------
    code : int, float, str or None
        The CARC (``197``, ``"B7"``, ``197.0`` as pandas reads it), or a combined form such as ``"CO-197"``.
    group : str, optional
        The claim adjustment group code: CO (contractual obligation), PR (patient responsibility), OA (other
        adjustment), PI (payer-initiated reduction) or CR (correction and reversal). Taken from ``code`` when it
        is written ``"PR-2"``.

    Returns
    -------
    Adjustment
        ``category`` is one of :data:`DENIAL_CATEGORIES` (then ``denial`` is True) or one of the classes
        ``"contractual adjustment (not a denial)"`` (CARC 45), ``"patient responsibility (not a denial)"`` (PR 1,
        2, 3 and 66: deductible, coinsurance, copay, blood deductible), ``"payer adjustment (not a denial)"``
        (23, 24, 59, 94, 253), ``"correction or reversal (not a denial)"`` (group CR) or ``"unclassified"``
        (a code or group this map does not know, such as B7, or a blank code). ``billed_to_patient`` is True
        for the PR group: that balance moves to the patient and is never the practice's denial write-off.

    Notes
    -----
    Source: X12 / WPC *Claim Adjustment Group Codes* and *Claim Adjustment Reason Codes*; DOMAIN.md §2 [V/S]:
    contractual adjustments (CARC 45) and patient responsibility (PR 1/2/3, 66) are not denials; CO-253
    (sequestration), CO-24 (capitation), CO-59, CO-94 and OA-23 (prior payer) are not denials either. An unknown
    code is never counted as a denial silently: it is ``"unclassified"`` until someone looks it up. This
    function never raises.

    Examples
    --------
    >>> classify_adjustment("CO-197")
    Adjustment(carc='CO-197', group='CO', code='197', category='authorization', denial=True, billed_to_patient=False)
    >>> classify_adjustment(45, "CO").category, classify_adjustment("PR-2").category
    ('contractual adjustment (not a denial)', 'patient responsibility (not a denial)')
    >>> classify_adjustment(253.0, "CO").category, classify_adjustment("B7", "CO").category
    ('payer adjustment (not a denial)', 'unclassified')
    >>> a = classify_adjustment(27, "PR"); a.category, a.denial, a.billed_to_patient
    ('eligibility/COB', True, True)
    """
    if isinstance(code, str) and "-" in code:
        prefix, _, rest = code.strip().partition("-")
        if group is None or (isinstance(group, float) and np.isnan(group)):
            group = prefix
        code = rest
    if group is None or group is pd.NA or (isinstance(group, float) and np.isnan(group)) or str(group).strip() == "":
        grp = None
    else:
        grp = str(group).strip().upper()
    text = carc_code(code)
    carc = f"{grp}-{text}" if grp and text else (text or (f"{grp}-?" if grp else "?"))
    patient = grp == "PR"

    def result(category, denial=False):
        return Adjustment(carc, grp, text, category, denial, patient)

    if text is None or (grp is not None and grp not in CARC_GROUPS):
        return result(UNCLASSIFIED)
    if grp == "CR":
        return result(CORRECTION)
    if text == "45":
        return result(CONTRACTUAL)
    if text in _COST_SHARING:
        return result(PATIENT_RESPONSIBILITY if grp in (None, "PR") else UNCLASSIFIED)
    if text in _PAYER_ADJUSTMENTS:
        return result(PAYER_ADJUSTMENT)
    if text in CARC_CATEGORIES:
        return result(CARC_CATEGORIES[text], denial=True)
    return result(UNCLASSIFIED)


def carc_category(code, group: str | None = None) -> str:
    """The denial category of a claim adjustment (group code + CARC), or why it is not a denial.

    The ``category`` of :func:`classify_adjustment`; never raises.

    Parameters
    ----------
    code : int, float or str
        The CARC, e.g. ``197``, ``"197"``, ``197.0`` or ``"B7"``; ``"CO-197"`` is also accepted.
    group : str, optional
        The claim adjustment group code (CO, PR, OA, PI, CR).

    Returns
    -------
    str
        One of :data:`DENIAL_CATEGORIES`, a not-a-denial class, or ``"unclassified"``.

    Notes
    -----
    Source: DOMAIN.md §2 (CARC map, tagged [V/S]); X12 / WPC Claim Adjustment Reason Codes and Group Codes.

    Examples
    --------
    >>> carc_category(197)
    'authorization'
    >>> carc_category("CO-50")
    'medical necessity'
    >>> carc_category(45, "CO")
    'contractual adjustment (not a denial)'
    >>> carc_category("PR-2")
    'patient responsibility (not a denial)'
    >>> carc_category("OA-23"), carc_category("B7", "CO")
    ('payer adjustment (not a denial)', 'unclassified')
    """
    return classify_adjustment(code, group).category


def is_denial(code, group: str | None = None) -> bool:
    """True only when an adjustment is a known denial (not contractual, cost sharing, a payer adjustment or unknown).

    Source: DOMAIN.md §2 [V/S]: CARC 45, PR 1/2/3/66, CO-253, CO-24, CO-59, CO-94 and OA-23 are not denials; an
    unknown code is ``"unclassified"``, never silently a denial. See :func:`classify_adjustment`.

    Examples
    --------
    >>> is_denial(16, "CO"), is_denial(45, "CO"), is_denial(1, "PR"), is_denial("CO-253"), is_denial("B7", "CO")
    (True, False, False, False, False)
    """
    return classify_adjustment(code, group).denial


def classify_adjustments(frame: pd.DataFrame, group: str = "carc_group", code: str = "carc_code") -> pd.DataFrame:
    """Classify every row's group code and CARC (see :func:`classify_adjustment`); never raises on odd codes.

    Returns a DataFrame aligned with ``frame`` with the columns ``carc``, ``category``, ``denial`` and
    ``billed_to_patient``.

    Examples
    --------
    >>> rows = pd.DataFrame({"carc_group": ["CO", "PR", "CO", "CO"], "carc_code": [197.0, "2", "B7", 45]})
    >>> classify_adjustments(rows)[["carc", "category", "denial"]]
         carc                                 category  denial
    0  CO-197                            authorization    True
    1    PR-2  patient responsibility (not a denial)   False
    2   CO-B7                             unclassified   False
    3   CO-45    contractual adjustment (not a denial)   False
    """
    v.columns("frame", frame, [group, code])
    rows = [classify_adjustment(c, g) for g, c in zip(frame[group].tolist(), frame[code].tolist())]
    return pd.DataFrame({"carc": [r.carc for r in rows], "category": [r.category for r in rows],
                         "denial": [r.denial for r in rows], "billed_to_patient": [r.billed_to_patient for r in rows]},
                        index=frame.index)


# --------------------------------------------------------------------------------------------------------------
# Calculations on plain numbers

def _total(name: str, value) -> float:
    """A money amount or a list of amounts (summed), each at least 0."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return v.number(name, value, minimum=0)
    return float(v.array(name, value, minimum=0).sum())


def net_days_in_ar(net_ar: float, net_revenue, days) -> float:
    """Net days in accounts receivable: net A/R divided by average daily net patient service revenue.

    Parameters
    ----------
    net_ar : float
        Net patient A/R at the end of the period, in dollars: after contractual allowances, bad-debt and
        charity allowances, with credit balances netted.
    net_revenue : float or sequence of float
        Net patient service revenue (NPSR) over the averaging window, in dollars; a list of monthly figures
        is summed.
    days : int or sequence of int
        Calendar days in the same window (a list of month lengths is summed). The convention is the last
        three months (for October-December, 31 + 30 + 31 = 92 days); the window is yours to state.

    Returns
    -------
    float
        Days (not a proportion).

    Notes
    -----
    Source: HFMA MAP Keys, *Net Days in A/R* (DOMAIN.md §2, [V]); the three-month window for average daily
    revenue is standard practice (DOMAIN.md tags it [K]), which is why ``days`` has no default.

    Examples
    --------
    Net A/R of $1,380,000; NPSR of $2,760,000 over October-December (92 days):

    >>> round(net_days_in_ar(1_380_000, [920_000, 900_000, 940_000], [31, 30, 31]), 2)
    46.0
    >>> net_days_in_ar(1_380_000, 2_760_000, 0)
    Traceback (most recent call last):
    ...
    ValueError: days must be greater than 0; you gave 0. ...
    """
    ar = v.number("net_ar", net_ar, minimum=0)
    revenue = _total("net_revenue", net_revenue)
    window = _window_days(days)
    return _ratio(ar, revenue / window, "net_revenue", "net days in A/R")


def _window_days(days) -> float:
    if isinstance(days, numbers.Real) and not isinstance(days, bool):
        return v.number("days", days, positive=True)
    total = float(v.array("days", days, minimum=0).sum())
    return v.number("days", total, positive=True)


def gross_days_in_ar(gross_ar: float, gross_charges, days=365) -> float:
    """Gross days in A/R (physician practices): total A/R at charges over average daily gross charges.

    Parameters
    ----------
    gross_ar : float
        Total A/R stated at full charges (before contractual allowances), in dollars.
    gross_charges : float or sequence of float
        Gross charges posted over the window, in dollars (a list is summed).
    days : int or sequence of int, default 365
        Days in the window. HFMA's definition uses twelve months of charges divided by 365.

    Returns
    -------
    float
        Days.

    Notes
    -----
    Source: HFMA MAP Keys (physician practice), *Gross Days in A/R* = total A/R / (gross charges / 365)
    (DOMAIN.md §2, [V]).

    Examples
    --------
    >>> round(gross_days_in_ar(730_000, 7_300_000), 1)
    36.5
    """
    ar = v.number("gross_ar", gross_ar, minimum=0)
    charges = _total("gross_charges", gross_charges)
    window = _window_days(days)
    return _ratio(ar, charges / window, "gross_charges", "gross days in A/R")


def days_in_dnfb(dnfb_charges: float, gross_charges, days) -> float:
    """Days in discharged not final billed (DNFB): unbilled gross dollars over average daily **gross** revenue.

    Parameters
    ----------
    dnfb_charges : float
        Gross charges for patients discharged (or seen) but not yet final billed, in dollars.
    gross_charges : float or sequence of float
        Gross patient service revenue (charges) over the averaging window, in dollars.
    days : int or sequence of int
        Days in that window (for example the last three months).

    Returns
    -------
    float
        Days.

    Notes
    -----
    Source: HFMA MAP Keys, *Days in Total Discharged Not Final Billed* (DOMAIN.md §2, [V]). The
    denominator is gross revenue, not net: dividing by net revenue is a common mistake that inflates the days.

    Examples
    --------
    >>> round(days_in_dnfb(500_000, 9_200_000, 92), 1)
    5.0
    """
    dnfb = v.number("dnfb_charges", dnfb_charges, minimum=0)
    charges = _total("gross_charges", gross_charges)
    window = _window_days(days)
    return _ratio(dnfb, charges / window, "gross_charges", "days in DNFB")


def net_collection_rate(payments: float, charges: float, contractual_adjustments: float,
                        refunds: float = 0.0) -> float:
    """Net (adjusted fee-for-service) collection rate: payments net of refunds over charges less contractuals.

    Parameters
    ----------
    payments : float
        Payer and patient payments posted, in dollars.
    charges : float
        Gross charges for the same services, in dollars.
    contractual_adjustments : float
        Contractual adjustments (CARC 45) on those charges, in dollars. Denial write-offs and bad debt are
        **not** contractual adjustments: leaving them out of this argument is what lets the rate reveal them.
    refunds : float, default 0
        Refunds paid back to payers and patients, in dollars.

    Returns
    -------
    float
        A proportion (0.96 means 96%).

    Notes
    -----
    Source: HFMA MAP Keys (physician practice), *Net Collection Rate / Adjusted FFS Collection %*
    = (payments - refunds) / (charges - contractual adjustments) (DOMAIN.md §2, [V]). Benchmark >= 0.95 [S].

    Examples
    --------
    $100,000 charges, $60,000 contractual adjustments, $38,900 paid and $300 refunded:
    (38,900 - 300) / (100,000 - 60,000) = 0.965.

    >>> net_collection_rate(38_900, 100_000, 60_000, refunds=300)
    0.965
    >>> net_collection_rate(38_900, 100_000, 100_000)
    Traceback (most recent call last):
    ...
    ValueError: charges minus contractual_adjustments is 0, so the net collection rate cannot be calculated...
    """
    paid = v.number("payments", payments, minimum=0)
    gross = v.number("charges", charges, minimum=0)
    contractual = v.number("contractual_adjustments", contractual_adjustments, minimum=0)
    refund = v.number("refunds", refunds, minimum=0)
    if contractual > gross:
        raise ValueError(f"contractual_adjustments ({contractual:,.2f}) cannot exceed charges ({gross:,.2f}).")
    return _ratio(paid - refund, gross - contractual, "charges minus contractual_adjustments",
                  "net collection rate")


def cost_to_collect(revenue_cycle_cost: float, cash_collected: float) -> float:
    """Cost to collect: total revenue-cycle cost over patient service cash collected (a proportion).

    Source: HFMA MAP Keys, *Cost to Collect* (DOMAIN.md §2, [V]); typical range 0.02-0.04 [S].

    Examples
    --------
    >>> cost_to_collect(300_000, 10_000_000)
    0.03
    """
    cost = v.number("revenue_cycle_cost", revenue_cycle_cost, minimum=0)
    cash = v.number("cash_collected", cash_collected, minimum=0)
    return _ratio(cost, cash, "cash_collected", "cost to collect")


def cash_collection_rate(cash_collected: float, net_patient_revenue: float) -> float:
    """Cash collections as a proportion of net patient service revenue (NPSR).

    Source: HFMA MAP Keys, *Cash Collections as a Percentage of Net Patient Service Revenue* (DOMAIN.md §2,
    [V]). Cash and revenue should cover the same months; a value near 1 means revenue is turning into cash.

    Examples
    --------
    >>> cash_collection_rate(9_800_000, 10_000_000)
    0.98
    """
    cash = v.number("cash_collected", cash_collected, minimum=0)
    npsr = v.number("net_patient_revenue", net_patient_revenue, minimum=0)
    return _ratio(cash, npsr, "net_patient_revenue", "cash collection rate")


def denial_writeoff_rate(denial_writeoffs: float, net_patient_revenue: float) -> float:
    """Denial write-offs as a proportion of net patient service revenue (NPSR).

    Source: HFMA MAP Keys, *Denial Write-offs as a Percentage of Net Patient Service Revenue* (AR-6;
    DOMAIN.md §2, [V]). A write-off is the final loss after appeals; an overturned denial is not written off.

    Examples
    --------
    >>> denial_writeoff_rate(150_000, 10_000_000)
    0.015
    """
    writeoffs = v.number("denial_writeoffs", denial_writeoffs, minimum=0)
    npsr = v.number("net_patient_revenue", net_patient_revenue, minimum=0)
    return _ratio(writeoffs, npsr, "net_patient_revenue", "denial write-off rate")


def aging_buckets(ages, balances, buckets=AGING_BUCKETS) -> pd.DataFrame:
    """Sort A/R balances into aging buckets by age in days.

    Parameters
    ----------
    ages : sequence of int
        Age of each balance in whole days (0 or more).
    balances : sequence of float
        Open balance of each account, in dollars (same length as ``ages``).
    buckets : sequence of (label, low, high), default :data:`AGING_BUCKETS`
        Contiguous day ranges starting at 0; ``high=None`` makes the last one open-ended.

    Returns
    -------
    pandas.DataFrame
        One row per bucket: ``bucket``, ``accounts``, ``balance`` (dollars) and ``share`` (proportion of the
        total balance; NaN when the total is 0). The buckets partition the total.

    Notes
    -----
    Buckets of 0-30, 31-60, 61-90, 91-120 and >120 days are the convention HFMA's aged A/R keys report
    against (> 60, > 90, > 120 days; DOMAIN.md §2).

    Examples
    --------
    >>> aging_buckets([5, 45, 95, 200], [100.0, 50.0, 30.0, 20.0])
      bucket  accounts  balance  share
    0   0-30         1    100.0   0.50
    1  31-60         1     50.0   0.25
    2  61-90         0      0.0   0.00
    3 91-120         1     30.0   0.15
    4   >120         1     20.0   0.10
    """
    age = v.array("ages", ages, minimum=0)
    balance = v.array("balances", balances)
    v.same_length(ages=age, balances=balance)
    edges = _bucket_edges(buckets)
    index = np.searchsorted(edges, np.floor(age), side="right") - 1
    labels = [b[0] for b in buckets]
    amounts = np.bincount(index, weights=balance, minlength=len(labels))
    counts = np.bincount(index, minlength=len(labels))
    total = amounts.sum()
    share = amounts / total if total != 0 else np.full(len(labels), np.nan)
    return pd.DataFrame({"bucket": labels, "accounts": counts, "balance": np.round(amounts, 2), "share": share})


def _bucket_edges(buckets) -> np.ndarray:
    lows = [int(b[1]) for b in buckets]
    if not buckets or lows[0] != 0:
        raise ValueError("buckets must start at day 0, for example ('0-30', 0, 30).")
    for (label, low, high), (_, next_low, _) in zip(buckets[:-1], buckets[1:]):
        if high is None or int(high) + 1 != int(next_low):
            raise ValueError(f"buckets must be contiguous; bucket {label!r} ends at {high} but the next starts "
                             f"at {next_low}.")
    if buckets[-1][2] is not None:
        raise ValueError("the last bucket must be open-ended (high=None) so that every balance has a bucket.")
    return np.array(lows, dtype=float)


def pareto(counts) -> pd.DataFrame:
    """Rank categories by size, largest first, with each one's share and the cumulative share (Pareto table).

    Parameters
    ----------
    counts : pandas.Series or dict
        Non-negative counts or dollars, indexed by category.

    Returns
    -------
    pandas.DataFrame
        Columns ``category``, ``value``, ``share`` and ``cumulative_share`` (proportions; the last cumulative
        share is 1). Ties are broken alphabetically so the order is stable.

    Examples
    --------
    >>> pareto({"coding": 2, "authorization": 5, "duplicate": 3})
            category  value  share  cumulative_share
    0  authorization      5    0.5               0.5
    1      duplicate      3    0.3               0.8
    2         coding      2    0.2               1.0
    """
    series = pd.Series(counts)
    values = v.array("counts", series.to_numpy(), minimum=0)
    total = values.sum()
    _ratio(total, total, "the total of counts", "Pareto share")
    frame = pd.DataFrame({"category": series.index.astype(str), "value": series.to_numpy()})
    frame = frame.sort_values(["value", "category"], ascending=[False, True], kind="stable").reset_index(drop=True)
    frame["share"] = frame["value"].astype(float) / total
    frame["cumulative_share"] = frame["share"].cumsum()
    frame.loc[frame.index[-1], "cumulative_share"] = 1.0
    return frame


# --------------------------------------------------------------------------------------------------------------
# Helpers on the claims table

def ar_balances(claims: pd.DataFrame, as_of, *, balance: str = "gross", include_unbilled: bool = False
                ) -> pd.Series:
    """Each claim's open A/R balance at the end of ``as_of`` (0 for claims not in A/R that day).

    A claim is in A/R from its submission date (billed A/R) until its ``closed_date``, the day its balance
    reached zero through payment or write-off. Payments posted on or before ``as_of`` reduce the balance. At
    charges ("gross"), the contractual adjustment (charge - allowed, CARC 45) is posted together with the
    payer's payment (``payment_date``); until then, and on claims no payer pays (self-pay, denials being
    worked), the balance stands at full charges.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table (columns ``service_date``, ``submission_date``, ``closed_date``, ``payment_date``,
        ``paid_amount``, ``patient_payment_date``, ``patient_paid_amount``, ``charge_amount``,
        ``allowed_amount``).
    as_of : str or date
        The A/R date, e.g. ``"2025-12-31"`` (a month end).
    balance : {"gross", "net"}
        ``"gross"``: A/R at charges: charges less payments, less the contractual adjustment once the payer's
        payment has posted. ``"net"``: contracted allowed amount less payments (after contractual allowances;
        any reserve for bad debt is applied by the caller).
    include_unbilled : bool, default False
        Also count services performed on or before ``as_of`` but not yet billed (DNFB). Billed A/R is what
        aging reports use; total A/R for days in A/R includes unbilled.

    Returns
    -------
    pandas.Series
        Dollars per claim, aligned with ``claims``.

    Examples
    --------
    >>> claims = pd.DataFrame({
    ...     "service_date": ["2025-01-02", "2025-01-05"], "submission_date": ["2025-01-04", None],
    ...     "closed_date": [None, None], "payment_date": ["2025-02-10", None], "paid_amount": [60.0, 0.0],
    ...     "patient_payment_date": [None, None], "patient_paid_amount": [0.0, 0.0],
    ...     "charge_amount": [200.0, 150.0], "allowed_amount": [80.0, 70.0]})
    >>> ar_balances(claims, "2025-01-31").tolist()      # billed, unpaid: at full charges
    [200.0, 0.0]
    >>> ar_balances(claims, "2025-01-31", balance="net", include_unbilled=True).tolist()
    [80.0, 70.0]
    >>> ar_balances(claims, "2025-02-28").tolist()      # after the payer paid 60: 80 - 60 left to the patient
    [20.0, 0.0]
    """
    _choice("balance", balance, ("gross", "net"))
    values = _open_balances(_ledger(claims), _as_of(as_of), balance, include_unbilled)
    return pd.Series(values, index=claims.index, name=f"{balance}_ar")


_LEDGER_COLUMNS = ("service_date", "submission_date", "closed_date", "payment_date", "paid_amount",
                   "patient_payment_date", "patient_paid_amount", "charge_amount", "allowed_amount")


def _ledger(claims: pd.DataFrame) -> dict[str, np.ndarray]:
    """The claims columns A/R balances need, parsed once (dates as ``datetime64[D]``, money as floats)."""
    v.columns("claims", claims, _LEDGER_COLUMNS)
    return {c: _days(claims, c) if c.endswith("_date") else _money(claims, c) for c in _LEDGER_COLUMNS}


def _open_balances(ledger: dict[str, np.ndarray], day: np.datetime64, balance: str,
                   include_unbilled: bool) -> np.ndarray:
    start = ledger["service_date" if include_unbilled else "submission_date"]
    is_open = (start <= day) & ~(ledger["closed_date"] <= day)
    payer_posted = ledger["payment_date"] <= day
    paid = np.where(payer_posted, ledger["paid_amount"], 0.0)
    paid += np.where(ledger["patient_payment_date"] <= day, ledger["patient_paid_amount"], 0.0)
    allowed = ledger["allowed_amount"]
    # At charges until the payer's payment posts with its contractual adjustment (charge - allowed).
    base = np.where(payer_posted, allowed, ledger["charge_amount"]) if balance == "gross" else allowed
    return np.where(is_open, np.round(base - paid, 2), 0.0)


def _ages(claims: pd.DataFrame, as_of: np.datetime64, basis: str) -> np.ndarray:
    column = {"service": "service_date", "billing": "submission_date"}[basis]
    return (as_of - _days(claims, column)).astype("timedelta64[D]").astype("float")


def ar_aging(claims: pd.DataFrame, as_of, *, basis: str = "service", balance: str = "gross",
             buckets=AGING_BUCKETS) -> pd.DataFrame:
    """Billed A/R at ``as_of`` sorted into aging buckets (0-30, 31-60, 61-90, 91-120, >120 days).

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table (see :func:`ar_balances` for the columns used).
    as_of : str or date
        The A/R date, e.g. ``"2025-12-31"``.
    basis : {"service", "billing"}, default "service"
        Age from the date of service (for an outpatient or practice claim this is also the discharge date;
        aging hospital accounts from discharge is the usual reading of HFMA's aged A/R key [K], not confirmed
        against the MAP Keys text) or from the billing (submission) date. Aging from billing makes A/R look
        younger by the charge lag; DOMAIN.md asks every report to say which basis it uses.
    balance : {"gross", "net"}, default "gross"
        Age the balance at charges or at the contracted allowed amount (see :func:`ar_balances`).
    buckets : default :data:`AGING_BUCKETS`

    Returns
    -------
    pandas.DataFrame
        ``bucket``, ``accounts``, ``balance`` and ``share`` (proportion of total billed A/R).

    Notes
    -----
    Source: HFMA MAP Keys, *Aged A/R as a Percentage of Total Billed A/R* (AR-1; DOMAIN.md §2, [V]).

    Examples
    --------
    >>> claims = pd.DataFrame({
    ...     "service_date": ["2025-12-20", "2025-09-15"], "submission_date": ["2025-12-22", "2025-09-17"],
    ...     "closed_date": [None, None], "payment_date": [None, None], "paid_amount": [0.0, 0.0],
    ...     "patient_payment_date": [None, None], "patient_paid_amount": [0.0, 0.0],
    ...     "charge_amount": [300.0, 100.0], "allowed_amount": [120.0, 40.0]})
    >>> ar_aging(claims, "2025-12-31")[["bucket", "balance", "share"]]
      bucket  balance  share
    0   0-30    300.0   0.75
    1  31-60      0.0   0.00
    2  61-90      0.0   0.00
    3 91-120    100.0   0.25
    4   >120      0.0   0.00
    """
    _choice("basis", basis, ("service", "billing"))
    balances = ar_balances(claims, as_of, balance=balance).to_numpy()
    in_ar = balances != 0
    ages = _ages(claims, _as_of(as_of), basis)[in_ar]
    return aging_buckets(ages, balances[in_ar], buckets)


def aged_ar_share(claims: pd.DataFrame, as_of, *, over: int = 90, basis: str = "service",
                  balance: str = "gross") -> float:
    """Share of billed A/R older than ``over`` days at ``as_of`` (a proportion).

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table.
    as_of : str or date
        The A/R date.
    over : int, default 90
        Age threshold in days: balances aged ``over + 1`` days or more count (HFMA reports > 60, > 90, > 120).
    basis, balance
        As in :func:`ar_aging`.

    Returns
    -------
    float
        Billed A/R older than ``over`` days / total billed A/R.

    Notes
    -----
    Source: HFMA MAP Keys, *Aged A/R as a Percentage of Total Billed A/R* (AR-1; DOMAIN.md §2, [V]).
    Synthetic-data range for > 90 days: 0.15-0.30 [S].

    Examples
    --------
    >>> claims = pd.DataFrame({
    ...     "service_date": ["2025-12-20", "2025-09-15"], "submission_date": ["2025-12-22", "2025-09-17"],
    ...     "closed_date": [None, None], "payment_date": [None, None], "paid_amount": [0.0, 0.0],
    ...     "patient_payment_date": [None, None], "patient_paid_amount": [0.0, 0.0],
    ...     "charge_amount": [300.0, 100.0], "allowed_amount": [120.0, 40.0]})
    >>> aged_ar_share(claims, "2025-12-31")
    0.25
    """
    threshold = v.number("over", over, minimum=0)
    _choice("basis", basis, ("service", "billing"))
    balances = ar_balances(claims, as_of, balance=balance).to_numpy()
    total = balances.sum()
    _ratio(total, total, "total billed A/R", "aged A/R share")
    ages = _ages(claims, _as_of(as_of), basis)
    return float(balances[ages > threshold].sum() / total)


def initial_denial_rate(claims: pd.DataFrame, by: str = "count") -> float:
    """Initial denial rate: claims denied on first remittance over claims remitted (a proportion).

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``first_remit_date`` and ``initial_denial``; ``charge_amount`` too when ``by="dollars"``.
    by : {"count", "dollars"}
        ``"count"``: denied claims / remitted claims. ``"dollars"``: gross charges on denied claims / gross
        charges on remitted claims. Report both, labelled.

    Returns
    -------
    float
        A proportion (0.112 means 11.2% of remitted claims).

    Notes
    -----
    Source: HFMA MAP Keys, *Remittance Denial Rate* (AR-5), as DOMAIN.md §2 defines it [V]; dollar version
    on gross charges as in the HFMA Claim Integrity Task Force report (2020). A denial later overturned on appeal is
    still an initial denial; contractual adjustments (CARC 45) and patient responsibility (PR 1/2/3) are not
    denials. Claims with no first remittance yet (blank ``first_remit_date``, including self-pay) are in
    neither numerator nor denominator. The Task Force variant divides by claims *submitted* in an earlier
    three-month window instead; this function uses claims remitted, as DOMAIN.md does.

    Examples
    --------
    Four remitted claims, one denied (then overturned on appeal: still a denial), one not yet remitted:

    >>> claims = pd.DataFrame({
    ...     "first_remit_date": ["2025-03-01", "2025-03-02", "2025-03-05", "2025-03-09", None],
    ...     "initial_denial": [True, False, False, False, None],
    ...     "charge_amount": [400.0, 100.0, 300.0, 200.0, 999.0]})
    >>> initial_denial_rate(claims)
    0.25
    >>> initial_denial_rate(claims, by="dollars")
    0.4
    """
    _choice("by", by, ("count", "dollars"))
    v.columns("claims", claims, ["first_remit_date", "initial_denial"] + (["charge_amount"] if by == "dollars"
                                                                          else []))
    remitted = ~np.isnat(_days(claims, "first_remit_date"))
    flags = _flag(claims, "initial_denial")
    unknown = remitted & np.equal(flags, None)
    if unknown.any():
        raise ValueError(f"{int(unknown.sum())} remitted claim(s) have a blank initial_denial; every claim with "
                         "a first_remit_date needs True or False.")
    denied = remitted & (flags == True)  # noqa: E712 (object array of True/False/None)
    if by == "count":
        return _ratio(float(denied.sum()), float(remitted.sum()), "the number of remitted claims",
                      "initial denial rate")
    charges = _money(claims, "charge_amount")
    return _ratio(float(charges[denied].sum()), float(charges[remitted].sum()),
                  "the charges on remitted claims", "initial denial rate")


def denial_pareto(claims: pd.DataFrame, by: str = "category", weight: str = "count") -> pd.DataFrame:
    """Initial denials ranked by reason, with each reason's share and the cumulative share (Pareto).

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``initial_denial``, ``carc_group`` and ``carc_code`` (and ``charge_amount`` for dollars).
    by : {"category", "carc"}
        Rank by denial category (:data:`DENIAL_CATEGORIES`) or by group-and-code such as ``"CO-197"``. A denied
        claim whose code the map does not know (B7, a blank code) is ranked as ``"unclassified"``: look it up
        rather than guess.
    weight : {"count", "dollars"}
        Count denied claims or sum their gross charges.

    Returns
    -------
    pandas.DataFrame
        ``category`` (or ``carc``), ``denials`` (count or dollars), ``share`` and ``cumulative_share``,
        largest first. Shares are of all initial denials and sum to 1.

    Notes
    -----
    CARC-to-category map from DOMAIN.md §2 [V/S]; see :func:`carc_category`.

    Examples
    --------
    >>> claims = pd.DataFrame({
    ...     "initial_denial": [True, True, True, True, False],
    ...     "carc_group": ["CO", "CO", "CO", "OA", None],
    ...     "carc_code": [197, 16, 197, 18, None],
    ...     "charge_amount": [500.0, 100.0, 300.0, 100.0, 50.0]})
    >>> denial_pareto(claims)
            category  denials  share  cumulative_share
    0  authorization        2   0.50              0.50
    1      duplicate        1   0.25              0.75
    2  missing information  1   0.25              1.00
    >>> denial_pareto(claims, by="carc", weight="dollars")["carc"].tolist()
    ['CO-197', 'CO-16', 'OA-18']
    """
    _choice("by", by, ("category", "carc"))
    _choice("weight", weight, ("count", "dollars"))
    v.columns("claims", claims, ["initial_denial", "carc_group", "carc_code"]
              + (["charge_amount"] if weight == "dollars" else []))
    denied = _flag(claims, "initial_denial") == True  # noqa: E712
    if not denied.any():
        raise ValueError("claims has no initial denials (initial_denial is never True), so there is nothing "
                         "to rank.")
    rows = claims.loc[denied]
    classes = classify_adjustments(rows)
    keys = classes["carc"] if by == "carc" else classes["category"]
    values = rows["charge_amount"].astype(float) if weight == "dollars" else pd.Series(1, index=rows.index)
    totals = values.groupby(keys.to_numpy()).sum()
    table = pareto(totals)
    table = table.rename(columns={"category": "category" if by == "category" else "carc", "value": "denials"})
    if weight == "count":
        table["denials"] = table["denials"].astype(int)
    return table


def clean_claim_rate(claims: pd.DataFrame) -> float:
    """Clean claim rate: claims passing edits with no manual intervention over claims accepted for billing.

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``submission_date`` (claims accepted for billing have one) and ``clean_claim``.

    Returns
    -------
    float
        A proportion.

    Notes
    -----
    Source: HFMA MAP Keys, *Clean Claim Rate* (CL-1; DOMAIN.md §2, [V]). Typical 0.75-0.90, target >= 0.95
    [S]. A clean claim is judged before submission (scrubber edits), so a clean claim can still be denied.

    Examples
    --------
    >>> claims = pd.DataFrame({"submission_date": ["2025-01-03", "2025-01-04", "2025-01-04", None],
    ...                        "clean_claim": [True, True, False, None]})
    >>> round(clean_claim_rate(claims), 4)
    0.6667
    """
    v.columns("claims", claims, ["submission_date", "clean_claim"])
    accepted = ~np.isnat(_days(claims, "submission_date"))
    flags = _flag(claims, "clean_claim")
    if (accepted & np.equal(flags, None)).any():
        raise ValueError("every submitted claim needs clean_claim True or False; some are blank.")
    return _ratio(float((accepted & (flags == True)).sum()), float(accepted.sum()),  # noqa: E712
                  "the number of submitted claims", "clean claim rate")


def claims_net_collection_rate(claims: pd.DataFrame) -> float:
    """Net collection rate over **closed** claims: payments / (charges - contractual adjustments).

    On the claims table the contractual adjustment of a claim is ``charge_amount - allowed_amount`` (CARC 45),
    so the denominator is the allowed amount. Only claims with a ``closed_date`` count: an open claim has not
    finished collecting, and including it would understate the rate. Refunds are zero in this dataset.

    Source: HFMA MAP Keys (physician practice), *Net Collection Rate* (DOMAIN.md §2, [V]); see
    :func:`net_collection_rate`.

    Examples
    --------
    >>> claims = pd.DataFrame({"closed_date": ["2025-02-01", "2025-03-01", None],
    ...     "charge_amount": [200.0, 300.0, 500.0], "allowed_amount": [100.0, 150.0, 250.0],
    ...     "paid_amount": [80.0, 150.0, 0.0], "patient_paid_amount": [20.0, 0.0, 0.0]})
    >>> claims_net_collection_rate(claims)   # (80 + 20 + 150) / ((200 + 300) - (100 + 150))
    1.0
    """
    v.columns("claims", claims, ["closed_date", "charge_amount", "allowed_amount", "paid_amount",
                                 "patient_paid_amount"])
    closed = ~np.isnat(_days(claims, "closed_date"))
    if not closed.any():
        raise ValueError("claims has no closed claims (closed_date is always blank), so there is no finished "
                         "collection to measure.")
    charges = _money(claims, "charge_amount")[closed].sum()
    allowed = _money(claims, "allowed_amount")[closed]
    payments = (_money(claims, "paid_amount") + _money(claims, "patient_paid_amount"))[closed].sum()
    return net_collection_rate(payments, charges, charges - allowed.sum())


def payer_mix(claims: pd.DataFrame, by: str = "charges", level: str = "plan_type") -> pd.Series:
    """Payer mix: each payer group's share of gross charges or of payments (proportions summing to 1).

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``level`` and ``charge_amount`` (charges) or ``paid_amount`` and ``patient_paid_amount``.
    by : {"charges", "payments"}
        Share of gross charges, or of cash received (payer plus patient payments). Self-pay claims' cash is
        credited to self-pay.
    level : {"plan_type", "payer"}
        Group by plan type (Medicare FFS, Medicare Advantage, ...) or by individual payer.

    Returns
    -------
    pandas.Series
        Shares indexed by payer group, largest first.

    Notes
    -----
    DOMAIN.md §2 gives acute-hospital payer mix of gross charges [K]; commercial plans pay the highest share
    of charges, so the payments mix tilts towards commercial.

    Examples
    --------
    >>> claims = pd.DataFrame({"plan_type": ["Medicare FFS", "Commercial PPO", "Medicare FFS"],
    ...     "charge_amount": [100.0, 200.0, 100.0], "paid_amount": [30.0, 110.0, 30.0],
    ...     "patient_paid_amount": [0.0, 10.0, 0.0]})
    >>> payer_mix(claims).to_dict()
    {'Commercial PPO': 0.5, 'Medicare FFS': 0.5}
    >>> payer_mix(claims, by="payments").round(3).to_dict()
    {'Commercial PPO': 0.667, 'Medicare FFS': 0.333}
    """
    _choice("by", by, ("charges", "payments"))
    _choice("level", level, ("plan_type", "payer"))
    needed = [level] + (["charge_amount"] if by == "charges" else ["paid_amount", "patient_paid_amount"])
    v.columns("claims", claims, needed)
    amount = (_money(claims, "charge_amount") if by == "charges"
              else _money(claims, "paid_amount") + _money(claims, "patient_paid_amount"))
    totals = pd.Series(amount, index=claims.index).groupby(claims[level].astype(str).to_numpy()).sum()
    total = float(totals.sum())
    _ratio(total, total, f"total {by}", "payer mix")
    shares = totals / total
    order = sorted(shares.index, key=lambda k: (-round(shares[k], 12), k))
    return shares.loc[order].rename(f"share_of_{by}")


def charge_lag_days(claims: pd.DataFrame) -> pd.Series:
    """Charge-entry lag of each submitted claim: days from date of service to charge entry / submission.

    Claims not yet submitted are left out (they are DNFB, see :func:`days_in_dnfb`).

    Examples
    --------
    >>> claims = pd.DataFrame({"service_date": ["2025-01-02", "2025-01-02", "2025-01-03"],
    ...                        "submission_date": ["2025-01-03", "2025-01-09", None]})
    >>> charge_lag_days(claims).tolist()
    [1, 7]
    """
    v.columns("claims", claims, ["service_date", "submission_date"])
    service = _days(claims, "service_date")
    submitted = _days(claims, "submission_date")
    keep = ~np.isnat(submitted)
    lag = (submitted[keep] - service[keep]).astype(int)
    if (lag < 0).any():
        raise ValueError(f"{int((lag < 0).sum())} claim(s) have a submission_date before their service_date; "
                         "charge entry cannot come before the service.")
    return pd.Series(lag, index=claims.index[keep], name="charge_lag_days")


def charge_lag_summary(claims: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Mean and median charge-entry lag in days (overall, or per value of column ``by``).

    The mean is pulled up by a few very late charges; report the median beside it.

    Examples
    --------
    >>> claims = pd.DataFrame({"setting": ["A", "A", "A", "B"],
    ...     "service_date": ["2025-01-02"] * 4,
    ...     "submission_date": ["2025-01-03", "2025-01-04", "2025-01-12", "2025-01-05"]})
    >>> charge_lag_summary(claims)
       claims  mean_days  median_days
    0       4        4.0          2.5
    >>> charge_lag_summary(claims, by="setting")
             claims  mean_days  median_days
    setting
    A             3   4.333333          2.0
    B             1   3.000000          3.0
    """
    lag = charge_lag_days(claims)
    if lag.empty:
        raise ValueError("claims has no submitted claims, so there is no charge lag to summarise.")
    if by is None:
        return pd.DataFrame({"claims": [len(lag)], "mean_days": [lag.mean()], "median_days": [lag.median()]})
    v.columns("claims", claims, [by])
    grouped = lag.groupby(claims.loc[lag.index, by])
    return pd.DataFrame({"claims": grouped.size(), "mean_days": grouped.mean(), "median_days": grouped.median()})


# --------------------------------------------------------------------------------------------------------------
# Helpers on the monthly snapshot table

def _window(snapshot: pd.DataFrame, month: str, window_months: int, needed) -> pd.DataFrame:
    v.columns("snapshot", snapshot, ["month", "days_in_month", *needed])
    months = v.number("window_months", window_months, positive=True)
    if months != int(months):
        raise ValueError(f"window_months must be a whole number of months; you gave {window_months!r}.")
    keys = [str(k).strip() for k in snapshot["month"].tolist()]
    parsed = pd.to_datetime(pd.Series(keys), format="%Y-%m", errors="coerce")
    if parsed.isna().any():
        bad = keys[int(np.flatnonzero(parsed.isna().to_numpy())[0])]
        raise ValueError(f"snapshot column 'month' must hold months written 'YYYY-MM'; {bad!r} is not one.")
    if parsed.duplicated().any():
        dup = keys[int(np.flatnonzero(parsed.duplicated().to_numpy())[0])]
        raise ValueError(f"snapshot has more than one row for month {dup}: give one row per month.")
    if not parsed.is_monotonic_increasing:
        raise ValueError("snapshot must be in time order (earliest month first): its rows are not sorted. Sort it "
                         "first, for example snapshot.sort_values('month').")
    month = str(month).strip()
    if month not in keys:
        raise ValueError(f"month {month!r} is not in the snapshot; it has {keys[0]} to {keys[-1]}.")
    end = keys.index(month) + 1
    if end < months:
        raise ValueError(f"a {int(months)}-month window ending {month} needs {int(months)} months of revenue, "
                         f"but the snapshot starts at {keys[0]}.")
    return snapshot.iloc[end - int(months):end]


def snapshot_net_days_in_ar(snapshot: pd.DataFrame, month: str, window_months: int = 3) -> float:
    """Net days in A/R at a month end, from the monthly snapshot: net A/R / (NPSR of the window / its days).

    Uses ``net_ar`` of ``month`` and ``net_patient_revenue`` and ``days_in_month`` of the ``window_months``
    months ending with it (three months by convention; DOMAIN.md §2 [V], window [K]). See
    :func:`net_days_in_ar`. The snapshot must be in month order with one row per month: an unsorted or
    duplicated month is refused, because "the three months ending with it" would be the wrong months.

    Examples
    --------
    >>> snap = pd.DataFrame({"month": ["2025-10", "2025-11", "2025-12"], "days_in_month": [31, 30, 31],
    ...                      "net_patient_revenue": [920_000, 900_000, 940_000], "net_ar": [0, 0, 1_380_000]})
    >>> round(snapshot_net_days_in_ar(snap, "2025-12"), 2)
    46.0
    """
    rows = _window(snapshot, month, window_months, ["net_ar", "net_patient_revenue"])
    return net_days_in_ar(float(rows["net_ar"].iloc[-1]), rows["net_patient_revenue"].to_numpy(dtype=float),
                          rows["days_in_month"].to_numpy(dtype=float))


def snapshot_days_in_dnfb(snapshot: pd.DataFrame, month: str, window_months: int = 3) -> float:
    """Days in DNFB at a month end, from the monthly snapshot: DNFB charges / average daily gross charges.

    The average daily gross revenue is taken over the ``window_months`` months ending with ``month``
    (DOMAIN.md §2 [V]; window [K]). See :func:`days_in_dnfb`.

    Examples
    --------
    >>> snap = pd.DataFrame({"month": ["2025-11", "2025-12"], "days_in_month": [30, 31],
    ...                      "gross_charges": [3_000_000, 3_100_000], "dnfb_charges": [0, 500_000]})
    >>> round(snapshot_days_in_dnfb(snap, "2025-12", window_months=2), 2)
    5.0
    """
    rows = _window(snapshot, month, window_months, ["dnfb_charges", "gross_charges"])
    return days_in_dnfb(float(rows["dnfb_charges"].iloc[-1]), rows["gross_charges"].to_numpy(dtype=float),
                        rows["days_in_month"].to_numpy(dtype=float))


# --------------------------------------------------------------------------------------------------------------
# Denial trends, appeals, underpayments and revenue leakage on the claims table

def weekly_denials(claims: pd.DataFrame, category: str = "authorization", *, payer: str | None = None,
                   start=None, end=None) -> pd.DataFrame:
    """Remitted claims and initial denials of one category per week of service (for a p chart).

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``service_date``, ``first_remit_date``, ``initial_denial`` and ``denial_category`` (and
        ``payer`` when ``payer`` is given).
    category : str, default "authorization"
        A denial category (see :data:`DENIAL_CATEGORIES`), or ``"any"`` for every initial denial.
    payer : str, optional
        Keep one payer's claims only.
    start, end : str or date, optional
        First and last service dates to keep (inclusive). Weeks start on Monday; a partial first or last week is
        kept as it is.

    Returns
    -------
    pandas.DataFrame
        ``week_start`` (ISO date of the Monday), ``remitted`` (claims with a first remittance: the p chart's
        denominator) and ``denials`` (those denied for ``category``: the numerator), one row per week in order.
        A week with no remitted claims between the first and the last week is kept with 0 of 0: the p chart
        functions keep such a period in place as a gap (no rate), so later weeks keep their positions.

    Notes
    -----
    Group by date of service, not by remittance date: a front-end failure (a missed authorization) belongs to
    the week the service was scheduled, and by remittance date one payer's slow week would look like a spike.

    Examples
    --------
    >>> claims = pd.DataFrame({
    ...     "service_date": ["2025-03-03", "2025-03-04", "2025-03-11", "2025-03-12", "2025-03-12"],
    ...     "first_remit_date": ["2025-03-20", "2025-03-21", "2025-03-28", "2025-03-30", None],
    ...     "initial_denial": [True, False, True, True, None],
    ...     "denial_category": ["authorization", None, "coding", "authorization", None]})
    >>> weekly_denials(claims)
       week_start  remitted  denials
    0  2025-03-03         2        1
    1  2025-03-10         2        1
    """
    needed = ["service_date", "first_remit_date", "initial_denial", "denial_category"] + (["payer"] if payer else [])
    v.columns("claims", claims, needed)
    if category != "any":
        _choice("category", category, DENIAL_CATEGORIES + (UNCLASSIFIED,))
    keep = np.ones(len(claims), dtype=bool)
    if payer is not None:
        keep &= (claims["payer"] == payer).to_numpy()
        if not keep.any():
            raise ValueError(f"claims has no claims from payer {payer!r}; the payers are "
                             f"{', '.join(sorted(claims['payer'].astype(str).unique()))}.")
    service = _days(claims, "service_date")
    if start is not None:
        keep &= service >= _as_of(start)
    if end is not None:
        keep &= service <= _as_of(end)
    remitted = ~np.isnat(_days(claims, "first_remit_date")) & keep
    denied = _flag(claims, "initial_denial") == True  # noqa: E712
    if category != "any":
        denied = denied & (claims["denial_category"] == category).fillna(False).to_numpy(dtype=bool)
    weekday = (service.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-05 was a Monday
    monday = (service - weekday.astype("timedelta64[D]")).astype(str)
    frame = pd.DataFrame({"week_start": monday, "remitted": remitted.astype(int),
                          "denials": (denied & remitted).astype(int)})[remitted]
    if frame.empty:
        raise ValueError("no remitted claims match, so there are no weeks to chart.")
    weekly = frame.groupby("week_start")[["remitted", "denials"]].sum()
    # every week between the first and the last stays in place: a week with no remitted claims is 0 of 0, which a
    # p chart keeps as a gap (dropping the row would shift every later week one position to the left)
    monday = pd.date_range(weekly.index.min(), weekly.index.max(), freq="7D").strftime("%Y-%m-%d")
    weekly = weekly.reindex(monday, fill_value=0)
    weekly.index.name = "week_start"
    return weekly.reset_index()


def appeal_overturn_rate(claims: pd.DataFrame, category: str | None = None) -> float:
    """Share of decided appeals that were overturned (a proportion); pending appeals are not yet decided.

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``appeal_outcome`` (and ``denial_category`` when ``category`` is given).
    category : str, optional
        Keep one denial category, e.g. ``"authorization"``.

    Notes
    -----
    Appeal yield is judged on decided appeals: overturned / (overturned + upheld). Dividing by every denial
    (appealed or not) mixes the decision to appeal with the payer's decision. HFMA's denial metrics report
    overturn rates on appealed denials [S].

    Examples
    --------
    >>> claims = pd.DataFrame({"appeal_outcome": ["overturned", "upheld", "pending", None, "overturned"],
    ...                        "denial_category": ["authorization"] * 4 + ["coding"]})
    >>> appeal_overturn_rate(claims), appeal_overturn_rate(claims, "authorization")
    (0.6666666666666666, 0.5)
    """
    v.columns("claims", claims, ["appeal_outcome"] + (["denial_category"] if category else []))
    rows = claims if category is None else claims[claims["denial_category"] == category]
    outcome = rows["appeal_outcome"]
    overturned = int((outcome == "overturned").sum())
    decided = overturned + int((outcome == "upheld").sum())
    return _ratio(float(overturned), float(decided), "the number of decided appeals", "appeal overturn rate")


def underpayments(claims: pd.DataFrame, by: str | None = None, *, tolerance: float = 0.005):
    """Payer underpayments: what the payer owed under the contract minus what it paid, on claims it paid.

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``payment_date``, ``allowed_amount``, ``patient_resp_amount`` and ``paid_amount`` (and ``by``).
    by : str, optional
        A column to total by (for example ``"payer"``); without it, one shortfall per paid claim.
    tolerance : float, default 0.005
        Shortfalls of half a cent or less are rounding, not underpayments.

    Returns
    -------
    pandas.Series
        Dollars: the shortfall of each underpaid claim, or the total per group (largest first).

    Notes
    -----
    The payer owes the contracted allowed amount less the patient's share (deductible, coinsurance, copay):
    underpayment = allowed - patient responsibility - payer paid, when positive. "Paid < allowed" is not an
    underpayment: it flags every claim with a deductible or copay. (HFMA, contract management and payment
    variance [K].)

    Examples
    --------
    >>> claims = pd.DataFrame({"payment_date": ["2025-02-01", "2025-02-03", None, "2025-02-05"],
    ...     "payer": ["A", "B", "A", "A"], "allowed_amount": [100.0, 200.0, 300.0, 50.0],
    ...     "patient_resp_amount": [20.0, 0.0, 0.0, 10.0], "paid_amount": [80.0, 180.0, 0.0, 35.0]})
    >>> underpayments(claims).tolist()
    [20.0, 5.0]
    >>> underpayments(claims, by="payer").to_dict()
    {'B': 20.0, 'A': 5.0}
    """
    v.columns("claims", claims, ["payment_date", "allowed_amount", "patient_resp_amount", "paid_amount"]
              + ([by] if by else []))
    paid = ~np.isnat(_days(claims, "payment_date"))
    short = (_money(claims, "allowed_amount") - _money(claims, "patient_resp_amount")
             - _money(claims, "paid_amount"))
    under = paid & (short > tolerance)
    values = pd.Series(np.round(short, 2), index=claims.index, name="underpayment")[under]
    if by is None:
        return values
    totals = values.groupby(claims.loc[under, by].astype(str)).sum().round(2)
    order = sorted(totals.index, key=lambda k: (-totals[k], k))
    return totals.loc[order].rename("underpayment")


LEAKAGE_STEPS = ("gross charges", "contractual adjustments", "denial write-offs", "bad debt", "underpayments",
                 "still in A/R", "cash collected")


def revenue_leakage(claims: pd.DataFrame) -> pd.Series:
    """From gross charges to cash: where every charged dollar went (the revenue-leakage waterfall).

    Returns a Series indexed by :data:`LEAKAGE_STEPS`: gross charges; then, subtracted in turn, contractual
    adjustments (charges - allowed, CO-45), denial write-offs, bad debt, underpayments (see
    :func:`underpayments`) and what is still in A/R (net of those); what is left is the cash collected from
    payers and patients. The identity gross = sum of the five deductions + cash holds to the cent.

    Examples
    --------
    >>> claims = pd.DataFrame({"charge_amount": [300.0, 200.0], "allowed_amount": [120.0, 90.0],
    ...     "payment_date": ["2025-02-01", None], "paid_amount": [90.0, 0.0], "patient_resp_amount": [20.0, 0.0],
    ...     "patient_paid_amount": [20.0, 0.0], "denial_writeoff_amount": [0.0, 90.0], "bad_debt_amount": [0.0, 0.0]})
    >>> revenue_leakage(claims).tolist()
    [500.0, 290.0, 90.0, 0.0, 10.0, 0.0, 110.0]
    """
    v.columns("claims", claims, ["charge_amount", "allowed_amount", "payment_date", "paid_amount",
                                 "patient_resp_amount", "patient_paid_amount", "denial_writeoff_amount",
                                 "bad_debt_amount"])
    gross = _money(claims, "charge_amount").sum()
    allowed = _money(claims, "allowed_amount").sum()
    denial = _money(claims, "denial_writeoff_amount").sum()
    bad = _money(claims, "bad_debt_amount").sum()
    under = float(underpayments(claims).sum())
    cash = (_money(claims, "paid_amount") + _money(claims, "patient_paid_amount")).sum()
    still = allowed - denial - bad - under - cash
    values = [gross, gross - allowed, denial, bad, under, still, cash]
    return pd.Series(np.round(values, 2), index=list(LEAKAGE_STEPS), name="dollars")
