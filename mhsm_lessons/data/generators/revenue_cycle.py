"""Synthetic revenue-cycle data for module 02: a year of claims and the monthly A/R snapshot built from them.

The setting is Riverbend Orthopaedic Associates, the orthopaedic physician group of Riverbend Health: four
surgeons and two physician assistants with in-office X-ray and physical therapy, billing professional claims on
their own practice-management system, which went live on 1 October 2024 (so A/R starts at zero that day and ramps
up over the first months). Hospital facility claims are not part of it. Services run from 1 October 2024 to 31
December 2025 and the extract is taken at the end of 31 December 2025: any event after that day is not yet known
and is left blank.

Each claim's life is simulated in whole days: service -> charge entry and submission (the charge lag, longer for
surgery and for claims held in the edit queue) -> first remittance (payer-specific adjudication lag) -> payment,
or an initial denial that is appealed (overturned or upheld) or written off -> patient-responsibility
collection or bad debt -> closed. Only what the practice really loses is written off as a denial: a CO, OA or PI
denial that is not overturned. A PR-group denial (PR-27 coverage ended, PR-119 benefit maximum) moves the balance
to the patient; a duplicate (OA-18) is always resolved by the original claim's payment. Both datasets draw from
one stream (``seed_group="rc_ortho"``): the snapshot generator re-creates the same claims and aggregates them with
:mod:`mhsm_lessons.revenue_cycle`, so every snapshot figure can be recomputed from the claims file.

Planted findings: the spike payer's authorization denials on surgery, injections and therapy for services from
1 May until the front desk caught the change (a Monday from 14 July to 11 August, drawn per student) (big dollars, few claims; the Q3 cash dip), CO-B7 credentialing denials for a new physician assistant
(a code the course's map leaves "unclassified"), and one payer's underpayments below the contracted allowed amount.

Benchmarks the default data are tuned to (DOMAIN.md §2, [S]): initial denial rate 10-12% of remitted claims,
clean claim rate 75-90%, net days in A/R 40-55, billed A/R over 90 days 15-30%, net collection rate at least 95%,
DNFB 3-7 days. The payer mix is a physician practice's, not the acute-hospital mix in DOMAIN.md: Medicare FFS and
Medicare Advantage about 44% of claims, Medicaid managed care 15%, commercial 33%, workers' compensation 5% (usual
for orthopaedics), self-pay 3%.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import revenue_cycle as rc
from ..registry import DatasetSpec, Field

#: The practice-management system went live (A/R at zero) on this day; services run from it to the extract.
GO_LIVE = np.datetime64("2024-10-01")
YEAR_START = GO_LIVE  # day 0 of the simulation's day numbers
EXTRACT_DATE = np.datetime64("2025-12-31")
_LAST_DAY = int((EXTRACT_DATE - YEAR_START).astype(int))  # 456
#: Months of the monthly snapshot: from go-live to the extract.
SNAPSHOT_MONTHS = ("2024-10", "2025-12")
_NEVER = 10**6  # day index for "does not happen"

#: Allowance for uncollectible accounts (implicit price concessions and bad debt) as a share of allowed
#: amounts; applied to both net patient service revenue and net A/R in the snapshot.
UNCOLLECTIBLE_RESERVE = 0.03

PRACTICE = "Riverbend Orthopaedic Associates"

#: The payer whose authorization denials spike, and the service months of the spike.
SPIKE_PAYER = "Summit Senior Advantage"
SPIKE_START = "2025-05-01"
#: The front desk caught the change on one of these Mondays (drawn per student id): the spike's services end the
#: day before.
SPIKE_CAUGHT = ("2025-07-14", "2025-07-21", "2025-07-28", "2025-08-04", "2025-08-11")

#: The payer that paid some claims below its contracted allowed amount (an outdated fee schedule).
UNDERPAYING_PAYER = "Northwind PPO"

#: The physician assistant who joined in March and was not yet credentialed with one payer (CARC B7 denials).
NEW_PROVIDER = "PA Brooks"
NEW_PROVIDER_PAYER = "Lakeview Medicare Advantage"

# US federal holidays, October 2024 to December 2025 (no scheduled clinic services).
_HOLIDAYS = np.array(["2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25", "2025-01-01", "2025-01-20",
                      "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"], dtype="datetime64[D]")

# Rendering providers: 4 surgeons and 2 physician assistants, with their share of claims.
PROVIDERS = ("Dr. Okafor", "Dr. Lindqvist", "Dr. Patel", "Dr. Moreno", "PA Chen", NEW_PROVIDER)
_PROVIDER_SHARE = np.array([0.20, 0.20, 0.19, 0.19, 0.14, 0.08])

# Payers: name, plan type, share of claims.
_PAYERS = [
    ("Original Medicare (MAC)", "Medicare FFS", 0.22),
    (SPIKE_PAYER, "Medicare Advantage", 0.17),
    (NEW_PROVIDER_PAYER, "Medicare Advantage", 0.06),
    ("Clearwater Community Health Plan", "Medicaid managed care", 0.15),
    ("Bluepoint PPO", "Commercial PPO", 0.15),
    (UNDERPAYING_PAYER, "Commercial PPO", 0.09),
    ("Evergreen HMO", "Commercial HMO", 0.08),
    ("Ironworks Comp Mutual", "Workers' comp", 0.05),
    ("Self-pay", "Self-pay", 0.03),
]
PLAN_TYPES = ("Medicare FFS", "Medicare Advantage", "Medicaid managed care", "Commercial PPO", "Commercial HMO",
              "Workers' comp", "Self-pay")
# Per plan type: allowed/charge, chance of any patient responsibility, its share of allowed, prior-auth
# multiplier, other-denial multiplier, eligibility multiplier, remittance lag (min, gamma shape, gamma scale) in
# days, chance the claim stalls before adjudication.
_PLAN = {
    "Medicare FFS":          (0.34, 0.40, 0.20, 0.05, 0.80, 0.6, (14, 2.0, 1.5), 0.03),
    "Medicare Advantage":    (0.36, 0.80, 0.10, 1.00, 1.15, 1.2, (14, 2.0, 3.0), 0.07),
    "Medicaid managed care": (0.26, 0.10, 0.05, 1.00, 1.25, 1.6, (15, 2.0, 6.0), 0.10),
    "Commercial PPO":        (0.55, 0.75, 0.18, 1.00, 1.00, 1.0, (12, 2.0, 3.0), 0.055),
    "Commercial HMO":        (0.50, 0.80, 0.10, 1.00, 1.00, 1.0, (13, 2.0, 3.0), 0.06),
    "Workers' comp":         (0.66, 0.00, 0.00, 1.00, 1.20, 1.5, (25, 2.0, 14.0), 0.22),
    "Self-pay":              (0.40, 1.00, 1.00, 0.00, 0.00, 0.0, (0, 1.0, 1.0), 0.00),
}

# Service lines and CPT families billed by the practice (professional claims; in-office X-ray and therapy):
# service line, CPT family, share of claims, median charge ($), log-sd of charge, base chance prior auth is
# required, chance an authorization is missed when required, medical-necessity weight, bundling weight,
# in the spike (True: the spike payer's new authorization vendor did not recognise the practice's approvals).
_FAMILIES = [
    ("Office visits", "E/M office visit (99202-99215)", 0.42, 230, 0.30, 0.00, 0.00, 0.2, 1.2, False),
    ("Imaging", "X-ray extremity (73030-73630)", 0.13, 160, 0.30, 0.00, 0.00, 0.5, 0.5, False),
    ("Injections", "Joint injection (20610-20611)", 0.09, 310, 0.30, 0.05, 0.05, 2.0, 0.8, True),
    ("Injections", "Viscosupplement injection with drug (20611, J7321-J7329)", 0.025, 1150, 0.25, 0.95, 0.05,
     2.5, 0.5, True),
    ("Surgery", "Knee or shoulder arthroscopy, surgeon (29805-29888)", 0.035, 4300, 0.30, 0.95, 0.05, 1.0, 2.5,
     True),
    ("Surgery", "Hip or knee replacement, surgeon (27130, 27447)", 0.015, 6200, 0.20, 1.00, 0.05, 1.5, 1.5,
     True),
    ("Surgery", "Fracture care (25600-27786)", 0.04, 1800, 0.40, 0.30, 0.03, 0.3, 2.5, False),
    ("Physical therapy", "Therapy visit (97110-97140)", 0.24, 190, 0.30, 0.30, 0.03, 1.6, 0.6, True),
]

# Denial categories (order of rc.DENIAL_CATEGORIES): base chance per remitted claim, chance the denial is
# appealed or reworked, chance an appeal is overturned, formal appeal (True) or corrected-claim route (False),
# and the (group, CARC, weight) choices. PR-group denials move the balance to the patient.
_DENIALS = {
    "coding":              (0.0150, 0.92, 0.92, False, [("CO", "4", 0.6), ("CO", "11", 0.4)]),
    "authorization":       (None,   0.88, 0.65, True,  [("CO", "197", 0.6), ("CO", "15", 0.15),
                                                        ("CO", "198", 0.25)]),
    "missing information": (0.0290, 0.95, 0.96, False, [("CO", "16", 0.6), ("PI", "16", 0.1), ("CO", "252", 0.3)]),
    "duplicate":           (0.0070, 1.00, 1.00, False, [("OA", "18", 1.0)]),
    "eligibility/COB":     (0.0160, 0.90, 0.85, False, [("CO", "22", 0.30), ("PR", "27", 0.35),
                                                        ("CO", "109", 0.35)]),
    "timely filing":       (0.0012, 0.50, 0.20, True,  [("CO", "29", 1.0)]),
    "medical necessity":   (None,   0.85, 0.65, True,  [("CO", "50", 0.75), ("PI", "151", 0.25)]),
    "non-covered":         (0.0050, 0.70, 0.55, True,  [("CO", "96", 0.5), ("CO", "204", 0.3), ("CO", "167", 0.2)]),
    "bundling":            (None,   0.85, 0.65, False, [("CO", "97", 0.8), ("PI", "97", 0.2)]),
    "benefit maximum":     (None,   0.40, 0.30, True,  [("PR", "119", 1.0)]),
}
_MEDNEC_RATE = 0.0105   # per remitted claim, before the family weights (mean weight about 1)
_BUNDLING_RATE = 0.0060
_BENEFIT_MAX_PT = 0.012  # therapy visits only (annual visit limits)
_CREDENTIALING = ("CO", "B7")  # provider not certified / eligible for this payer on this date of service


def _day(date: str) -> int:
    """Day number of an ISO date (0 is the go-live day)."""
    return int((np.datetime64(date) - GO_LIVE).astype(int))


_PEND_WINDOW = (_day("2025-05-15"), _day("2025-09-15"))


def _gamma_days(rng, shape, scale, size) -> np.ndarray:
    return np.rint(rng.gamma(shape, scale, size)).astype(np.int64)


def _simulate(rng: np.random.Generator) -> pd.DataFrame:
    """Simulate the practice's claims from go-live (1 October 2024) as seen in the 31 December 2025 extract."""
    # ---- volume and service dates -----------------------------------------------------------------------
    n = int(rng.integers(26_900, 28_700))  # 15 months at about 22,000 claims a year
    calendar = np.arange(YEAR_START, EXTRACT_DATE + 1)
    open_days = calendar[np.is_busday(calendar, holidays=_HOLIDAYS)]
    day_of_year = (open_days - open_days.astype("datetime64[Y]")).astype(int)
    weight = 1.0 + 0.04 * np.cos(2 * np.pi * (day_of_year - 20) / 365)  # winter sports and falls
    service = (rng.choice(open_days, size=n, p=weight / weight.sum()) - YEAR_START).astype(np.int64)
    # Month number within 2025 (October to December 2024 are -2, -1 and 0).
    month = ((service.astype("timedelta64[D]") + YEAR_START).astype("datetime64[M]")
             - np.datetime64("2025-01", "M")).astype(int) + 1

    # ---- CPT family, payer and provider ------------------------------------------------------------------
    p = np.array([f[2] for f in _FAMILIES])
    fam = rng.choice(len(_FAMILIES), size=n, p=p / p.sum())
    q = np.array([payer[2] for payer in _PAYERS])
    pay = rng.choice(len(_PAYERS), size=n, p=q / q.sum())
    prov = rng.choice(len(PROVIDERS), size=n, p=_PROVIDER_SHARE / _PROVIDER_SHARE.sum())
    new_pa = PROVIDERS.index(NEW_PROVIDER)
    prov = np.where((prov == new_pa) & (month < 3), rng.choice(new_pa, size=n), prov)  # joined 1 March
    fam_col = lambda k: np.array([f[k] for f in _FAMILIES], dtype=object)[fam]  # noqa: E731
    plan_idx = np.array([PLAN_TYPES.index(x[1]) for x in _PAYERS])[pay]
    plan_col = lambda k: np.array([_PLAN[t][k] for t in PLAN_TYPES], dtype=object)[plan_idx]  # noqa: E731
    payer_name = np.array([x[0] for x in _PAYERS])[pay]
    self_pay = plan_idx == PLAN_TYPES.index("Self-pay")
    line = fam_col(0).astype(str)
    surgery = line == "Surgery"

    # ---- money --------------------------------------------------------------------------------------------
    charge = np.round(fam_col(3).astype(float) * np.exp(fam_col(4).astype(float) * rng.standard_normal(n)), 2)
    ratio = plan_col(0).astype(float) * np.exp(0.04 * rng.standard_normal(n))
    allowed = np.round(np.minimum(charge, charge * ratio), 2)
    has_pr = rng.random(n) < plan_col(1).astype(float)
    pr_share = np.where(self_pay, 1.0, plan_col(2).astype(float) * rng.uniform(0.5, 1.5, n))
    patient_resp = np.where(has_pr, np.round(allowed * np.minimum(pr_share, 1.0), 2), 0.0)

    # ---- prior authorization (with the spike payer's new vendor) ----------------------------------------
    # The Monday the front desk caught the vendor change differs by student. It comes from a child stream
    # (Generator.spawn does not advance this generator), so no other draw moves with it.
    caught = _day(SPIKE_CAUGHT[int(rng.spawn(1)[0].integers(0, len(SPIKE_CAUGHT)))])
    spike = ((payer_name == SPIKE_PAYER) & (service >= _day(SPIKE_START)) & (service < caught)
             & fam_col(9).astype(bool))
    auth_required = rng.random(n) < fam_col(5).astype(float) * plan_col(3).astype(float)
    auth_required |= spike & (rng.random(n) < 0.9)
    missed = rng.random(n) < np.where(spike, 0.75, fam_col(6).astype(float))
    auth_obtained = auth_required & ~missed

    # ---- clean claim, charge lag and submission --------------------------------------------------------
    clean = rng.random(n) < 0.84
    lag = 1 + _gamma_days(rng, 1.3, 1.4, n)
    lag += np.where(surgery, _gamma_days(rng, 1.0, 1.5, n), 0)
    lag += np.where(clean, 0, 1 + _gamma_days(rng, 2.0, 1.0, n))
    late = (rng.random(n) < 0.005) & ~surgery  # lost paper charge tickets found weeks later
    lag += np.where(late, 30 + _gamma_days(rng, 2.0, 20.0, n), 0)
    submit = service + lag

    # ---- first remittance and initial denial -----------------------------------------------------------
    lag_min, lag_shape, lag_scale = (np.array([_PLAN[t][6][k] for t in PLAN_TYPES])[plan_idx] for k in range(3))
    # Some claims stall: pended for records, "no claim on file" follow-up, workers' comp disputes. High-dollar
    # surgical claims are worked daily and stall less.
    stalled = rng.random(n) < plan_col(7).astype(float) * np.where(surgery, 0.4, 1.8)
    stall = np.where(stalled, 50 + _gamma_days(rng, 2.0, 35.0, n), 0)
    # The spike payer's new vendor also pended claims submitted from mid-May to August for records review.
    pended = (payer_name == SPIKE_PAYER) & (submit >= _PEND_WINDOW[0]) & (submit <= _PEND_WINDOW[1])
    stall += np.where(pended, 50 + _gamma_days(rng, 3.0, 12.0, n), 0)
    remit = np.where(self_pay, _NEVER, submit + lag_min + _gamma_days(rng, lag_shape, lag_scale, n) + stall)
    other_mult = plan_col(4).astype(float)
    fix = np.where(clean, 0.88, 1.6)  # claims worked in the edit queue carry more coding/missing-info risk
    fix = fix * np.where(surgery, 0.5, 1.0)  # the surgical coder checks every operative claim before it goes
    probs = np.zeros((n, len(rc.DENIAL_CATEGORIES)))
    for k, cat in enumerate(rc.DENIAL_CATEGORIES):
        base = _DENIALS[cat][0]
        if cat == "authorization":
            probs[:, k] = np.where(auth_required & ~auth_obtained, 0.90, np.where(auth_required, 0.01, 0.0))
        elif cat == "medical necessity":
            probs[:, k] = _MEDNEC_RATE * fam_col(7).astype(float) * np.where(plan_idx == 0, 1.3, 1.0) * other_mult
        elif cat == "bundling":
            probs[:, k] = _BUNDLING_RATE * fam_col(8).astype(float) * other_mult
        elif cat == "benefit maximum":
            probs[:, k] = np.where((line == "Physical therapy") & np.isin(plan_idx, [2, 3, 4]), _BENEFIT_MAX_PT, 0.0)
        elif cat == "eligibility/COB":
            probs[:, k] = base * plan_col(5).astype(float)
        elif cat == "timely filing":
            probs[:, k] = np.where(lag > 30, 0.08, base) * other_mult
        elif cat in ("coding", "missing information"):
            probs[:, k] = base * fix * other_mult
        else:
            probs[:, k] = base * other_mult
    cumulative = np.cumsum(probs, axis=1)
    u = rng.random(n)
    denied = (u < cumulative[:, -1]) & ~self_pay
    category = np.where(denied, np.argmax(u[:, None] < cumulative, axis=1), -1)
    # The new PA's claims to one payer before credentialing was complete (March to May services): CO-B7.
    uncredentialed = ((prov == new_pa) & (payer_name == NEW_PROVIDER_PAYER) & np.isin(month, (3, 4, 5))
                      & (rng.random(n) < 0.85))
    group = np.full(n, "", dtype=object)
    code = np.full(n, "", dtype=object)
    route_u = rng.random(n)
    for k, cat in enumerate(rc.DENIAL_CATEGORIES):
        rows = np.flatnonzero(category == k)
        choices = _DENIALS[cat][4]
        w = np.array([c[2] for c in choices])
        pick = rng.choice(len(choices), size=rows.size, p=w / w.sum())
        group[rows] = np.array([c[0] for c in choices], dtype=object)[pick]
        code[rows] = np.array([c[1] for c in choices], dtype=object)[pick]
    credential = uncredentialed & ~self_pay
    denied = denied | credential
    category = np.where(credential, len(rc.DENIAL_CATEGORIES), category)  # "unclassified"
    group[credential], code[credential] = _CREDENTIALING

    # ---- appeals, payment and write-offs ---------------------------------------------------------------
    # Per category (and "unclassified" last): appeal chance, overturn chance, formal route.
    appeal_p = np.array([_DENIALS[c][1] for c in rc.DENIAL_CATEGORIES] + [0.10, 0.0])[category]
    overturn_p = np.array([_DENIALS[c][2] for c in rc.DENIAL_CATEGORIES] + [0.0, 0.0])[category]
    formal = np.array([_DENIALS[c][3] for c in rc.DENIAL_CATEGORIES] + [True, False])[category]
    appealed = denied & (route_u < appeal_p)
    overturned = appealed & (rng.random(n) < overturn_p)
    filed_day = remit + 3 + _gamma_days(rng, 2.0, 5.0, n)
    decision_day = filed_day + np.where(formal, 40 + _gamma_days(rng, 2.0, 25.0, n),
                                        14 + _gamma_days(rng, 2.0, 8.0, n))
    payer_pays = ~self_pay & (~denied | overturned)
    pay_day = np.where(~denied, remit, np.where(overturned, decision_day, _NEVER))
    pay_day = np.where(payer_pays, pay_day, _NEVER)
    lost = denied & ~overturned
    to_patient = lost & (group == "PR")      # PR denial: the balance moves to the patient, never a write-off
    written_off = lost & ~to_patient          # CO / OA / PI denial: the practice's loss (no billing the patient)
    writeoff_day = np.where(appealed, decision_day, remit + 20 + _gamma_days(rng, 2.0, 10.0, n))
    patient_resp = np.where(written_off, 0.0, np.where(to_patient, allowed, patient_resp))
    denial_writeoff = np.where(written_off, allowed, 0.0)
    expected_payment = np.where(payer_pays, np.round(allowed - patient_resp, 2), 0.0)
    # Underpayments: the underpaying payer paid surgery and injections from an outdated fee schedule from April.
    short = (payer_pays & (payer_name == UNDERPAYING_PAYER) & np.isin(line, ("Surgery", "Injections"))
             & (month >= 4) & (rng.random(n) < 0.8))
    short |= payer_pays & (rng.random(n) < 0.004)  # occasional keying or fee-schedule errors at any payer
    shortfall = np.where(short, np.round(expected_payment * rng.uniform(0.08, 0.16, n), 2), 0.0)
    paid = np.round(expected_payment - shortfall, 2)

    # ---- patient responsibility: collected or bad debt -------------------------------------------------
    bills_patient = patient_resp > 0
    collected = bills_patient & (rng.random(n) < np.where(self_pay, 0.80, np.where(to_patient, 0.55, 0.96)))
    statement_from = np.where(self_pay, submit, np.where(to_patient, writeoff_day, pay_day))
    at_pos = collected & ~self_pay & ~to_patient & np.isin(plan_idx, [1, 4]) & (rng.random(n) < 0.5)  # copays
    patient_day = np.where(at_pos, service, statement_from + np.where(
        self_pay, 10 + _gamma_days(rng, 1.5, 25.0, n), 7 + _gamma_days(rng, 2.0, 9.0, n)))
    patient_day = np.where(collected, patient_day, _NEVER)
    bad_debt_day = np.where(bills_patient & ~collected, statement_from + 120 + _gamma_days(rng, 2.0, 10.0, n), _NEVER)
    bad_debt = np.where(bills_patient & ~collected, patient_resp, 0.0)
    patient_paid = np.where(collected, patient_resp, 0.0)

    # ---- closing: the day the balance reaches zero -----------------------------------------------------
    closed_day = np.where(written_off, writeoff_day, np.where(to_patient, 0, pay_day))
    closed_day = np.where(self_pay, 0, closed_day)
    closed_day = np.where(bills_patient, np.maximum(closed_day, np.where(collected, patient_day, bad_debt_day)),
                          closed_day)

    # ---- the extract: mask everything after 31 December 2025 -------------------------------------------
    known = lambda day: day <= _LAST_DAY  # noqa: E731
    remitted = known(remit)
    submitted = known(submit)
    closed = known(closed_day)
    categories = np.array(rc.DENIAL_CATEGORIES + (rc.UNCLASSIFIED, ""), dtype=object)
    frame = pd.DataFrame({
        "claim_id": "",
        "provider": np.array(PROVIDERS)[prov],
        "payer": payer_name,
        "plan_type": np.array(PLAN_TYPES)[plan_idx],
        "service_line": line,
        "cpt_family": fam_col(1).astype(str),
        "service_date": _dates(service, True),
        "submission_date": _dates(submit, submitted),
        "charge_amount": charge,
        "allowed_amount": allowed,
        "patient_resp_amount": np.where(to_patient & ~known(writeoff_day), 0.0, patient_resp),
        "prior_auth_required": auth_required,
        "prior_auth_obtained": pd.array(np.where(auth_required, auth_obtained, False), dtype="boolean"),
        "clean_claim": pd.array(clean, dtype="boolean"),
        "first_remit_date": _dates(remit, remitted),
        "initial_denial": pd.array(denied, dtype="boolean"),
        "carc_group": pd.Series(np.where(denied, group, ""), dtype="str"),
        "carc_code": pd.Series(np.where(denied, code, ""), dtype="str"),
        "denial_category": pd.Series(np.where(denied, categories[category], ""), dtype="str"),
        "appeal_filed": pd.array(appealed & known(filed_day), dtype="boolean"),
        "appeal_outcome": pd.Series(np.where(known(decision_day), np.where(overturned, "overturned", "upheld"),
                                             "pending"), dtype="str"),
        "payment_date": _dates(pay_day, known(pay_day)),
        "paid_amount": np.where(known(pay_day), paid, 0.0),
        "patient_payment_date": _dates(patient_day, known(patient_day)),
        "patient_paid_amount": np.where(known(patient_day), patient_paid, 0.0),
        "denial_writeoff_amount": np.where(written_off & closed, denial_writeoff, 0.0),
        "bad_debt_amount": np.where(known(bad_debt_day), bad_debt, 0.0),
        "closed_date": _dates(closed_day, closed),
    })
    # Blank what is not applicable or not yet known at the extract.
    frame.loc[~submitted, "clean_claim"] = pd.NA
    frame.loc[~auth_required, "prior_auth_obtained"] = pd.NA
    frame.loc[~remitted, "initial_denial"] = pd.NA
    not_denied = ~(denied & remitted)
    frame.loc[not_denied, ["carc_group", "carc_code", "denial_category"]] = pd.NA
    frame.loc[not_denied, "appeal_filed"] = pd.NA
    frame.loc[not_denied | ~(appealed & known(filed_day)), "appeal_outcome"] = pd.NA
    order = np.lexsort((np.arange(n), service))
    frame = frame.iloc[order].reset_index(drop=True)
    frame["claim_id"] = [f"RC{i:06d}" for i in range(1, n + 1)]
    return frame


def _dates(days: np.ndarray, keep: np.ndarray) -> pd.Series:
    text = (np.minimum(days, _LAST_DAY).astype("timedelta64[D]") + YEAR_START).astype(str)
    return pd.Series(np.where(keep, text, None), dtype="str")


def rc_claims(rng: np.random.Generator) -> pd.DataFrame:
    """Generator for ``rc_claims`` (one row per claim, services from 1 October 2024, extract of 31 December 2025).

    Examples
    --------
    >>> claims = rc_claims(np.random.default_rng(2025))
    >>> len(claims) >= 20_000, claims["claim_id"].is_unique
    (True, True)
    >>> 0.10 <= rc.initial_denial_rate(claims) <= 0.12
    True
    """
    return _simulate(rng)


def monthly_snapshot(claims: pd.DataFrame) -> pd.DataFrame:
    """Month-end revenue and A/R figures computed from a claims table (the ``rc_ar_monthly`` dataset).

    A/R balances follow :func:`mhsm_lessons.revenue_cycle.ar_balances`; revenue is recognised in the month
    of service; cash and write-offs in the month they post. Net revenue and net A/R carry the same
    :data:`UNCOLLECTIBLE_RESERVE`.

    Examples
    --------
    >>> snapshot = monthly_snapshot(rc_claims(np.random.default_rng(2025)))
    >>> snapshot["month"].iloc[[0, -1]].tolist()
    ['2024-10', '2025-12']
    >>> 40 <= rc.snapshot_net_days_in_ar(snapshot, "2025-12") <= 55
    True
    """
    allowed = claims["allowed_amount"].to_numpy(dtype=float)
    charges = claims["charge_amount"].to_numpy(dtype=float)

    def by_month(values, dates):
        keys = dates.str.slice(0, 7)
        return pd.Series(values).groupby(keys.to_numpy()).sum()

    months = pd.period_range(*SNAPSHOT_MONTHS, freq="M")
    rows = []
    gross = by_month(charges, claims["service_date"])
    contractual = by_month(charges - allowed, claims["service_date"])
    net_rev = by_month(allowed, claims["service_date"])
    cash = (by_month(claims["paid_amount"].to_numpy(dtype=float), claims["payment_date"].fillna(""))
            .add(by_month(claims["patient_paid_amount"].to_numpy(dtype=float),
                          claims["patient_payment_date"].fillna("")), fill_value=0.0))
    denial_wo = by_month(claims["denial_writeoff_amount"].to_numpy(dtype=float), claims["closed_date"].fillna(""))
    bad_debt = by_month(claims["bad_debt_amount"].to_numpy(dtype=float), claims["closed_date"].fillna(""))
    submitted = by_month(np.ones(len(claims)), claims["submission_date"].fillna(""))
    ledger = rc._ledger(claims)  # parsed once; the same balance rule as rc.ar_balances
    service = ledger["service_date"]
    submission = ledger["submission_date"]
    for period in months:
        key = str(period)
        month_end = np.datetime64(period.end_time.date(), "D")
        billed = rc._open_balances(ledger, month_end, "gross", include_unbilled=False)
        total_gross = rc._open_balances(ledger, month_end, "gross", include_unbilled=True)
        total_net = rc._open_balances(ledger, month_end, "net", include_unbilled=True)
        age = (month_end - service).astype(int)
        unbilled = (service <= month_end) & ~(submission <= month_end)
        rows.append({
            "month": key,
            "month_end": str(month_end),
            "days_in_month": period.days_in_month,
            "claims_submitted": int(submitted.get(key, 0)),
            "gross_charges": gross.get(key, 0.0),
            "contractual_adjustments": contractual.get(key, 0.0),
            "net_patient_revenue": net_rev.get(key, 0.0) * (1 - UNCOLLECTIBLE_RESERVE),
            "cash_collections": cash.get(key, 0.0),
            "denial_writeoffs": denial_wo.get(key, 0.0),
            "bad_debt_writeoffs": bad_debt.get(key, 0.0),
            "dnfb_charges": charges[unbilled].sum(),
            "gross_ar_billed": billed.sum(),
            "billed_ar_over_90": billed[age > 90].sum(),
            "gross_ar": total_gross.sum(),
            "net_ar": total_net.sum() * (1 - UNCOLLECTIBLE_RESERVE),
        })
    frame = pd.DataFrame(rows)
    money = [c for c in frame.columns if c not in ("month", "month_end", "days_in_month", "claims_submitted")]
    frame[money] = frame[money].round(2)
    return frame


def rc_ar_monthly(rng: np.random.Generator) -> pd.DataFrame:
    """Generator for ``rc_ar_monthly``: the same claims as ``rc_claims``, aggregated by month end."""
    return monthly_snapshot(_simulate(rng))


# --------------------------------------------------------------------------------------------------------------
# Data dictionaries

_SOURCES = (
    "HFMA MAP Keys (Healthcare Financial Management Association), revenue-cycle KPI definitions",
    "HFMA Claim Integrity Task Force, Standardizing Denial Metrics for Revenue Cycle Benchmarking and Process "
    "Improvement (2020)",
    "X12 / Washington Publishing Company, Claim Adjustment Reason Codes and Group Codes",
    "MHSM Lessons shared/DOMAIN.md section 2: benchmark ranges for synthetic data (secondary sources)",
)

_MODELLED_ON = ("HFMA MAP Keys definitions and published revenue-cycle benchmarks (initial denial rate 10-12%, "
                "net days in A/R 40-55, A/R over 90 days 15-30%, clean claim rate 75-90%, net collection rate "
                "at least 95%), for a physician group of four orthopaedic surgeons and two physician assistants "
                "billing professional claims")

_STORY = (
    f"One row per professional claim for every service from 1 October 2024 to 31 December 2025 at {PRACTICE}, the orthopaedic group of "
    "Riverbend Health (four surgeons and two physician assistants, with in-office X-ray and physical therapy). "
    "The group bills on its own practice-management system, which went live on 1 October 2024, so A/R starts at "
    "zero that day; the hospital's facility claims are not in this file. The extract was taken at the end of "
    "31 December 2025: a date that had not happened by then is blank, and amounts still to come are 0. "
    "Self-pay claims go to the patient, never to a payer, so they have no remittance or denial. "
    f"Lab note: {SPIKE_PAYER} (a Medicare Advantage plan) moved prior authorization to a new utilization-"
    "management vendor on 1 May 2025 that did not recognise approvals from the old portal; its authorization "
    "denials (CARC 197/15/198) on surgery, injections and therapy spike for services from 1 May 2025 until the "
    "front desk caught the change in July or August, and the new vendor pended claims for records review. "
    f"{NEW_PROVIDER} joined on 1 March and was not credentialed with {NEW_PROVIDER_PAYER} until June (CO-B7 "
    f"denials), and {UNDERPAYING_PAYER} paid surgery and injections from an outdated fee schedule from April."
)

CLAIMS_FIELDS = (
    Field("claim_id", "Claim ID", "string", "", "Claim identifier, in order of service date (RC000001, ...)."),
    Field("provider", "Rendering provider", "string", "", "Surgeon (Dr. ...) or physician assistant (PA ...) "
          "who performed the service (fictitious names)."),
    Field("payer", "Payer", "string", "", "Health plan billed (fictitious names); 'Self-pay' for uninsured "
          "patients."),
    Field("plan_type", "Plan type", "string", "", "Medicare FFS, Medicare Advantage, Medicaid managed care, "
          "Commercial PPO, Commercial HMO, Workers' comp or Self-pay."),
    Field("service_line", "Service line", "string", "", "Office visits, Imaging (in-office X-ray), "
          "Injections, Surgery (the surgeon's professional fee) or Physical therapy."),
    Field("cpt_family", "CPT family", "string", "", "Group of CPT/HCPCS codes billed, with the code range."),
    Field("service_date", "Date of service", "date", "", "Day the service was performed (weekdays, October 2024 to December 2025)."),
    Field("submission_date", "Charge entry / submission date", "date", "", "Day the charge was entered and the "
          "claim submitted; blank if still unbilled at the extract (DNFB)."),
    Field("charge_amount", "Gross charge", "number", "USD", "Chargemaster (gross) charge, to the cent."),
    Field("allowed_amount", "Allowed amount", "number", "USD", "Contracted allowed amount (what the contract "
          "says the practice should receive from payer and patient together); charge_amount - allowed_amount is "
          "the contractual adjustment (CO-45). For self-pay, the uninsured-discount price."),
    Field("patient_resp_amount", "Patient responsibility", "number", "USD", "Deductible, coinsurance and copay "
          "(PR-1/2/3) billed to the patient; the whole allowed amount for self-pay and when a PR-group denial "
          "(PR-27, PR-119) moved the balance to the patient; 0 on a denial the practice wrote off. The payer "
          "owes allowed_amount - patient_resp_amount."),
    Field("prior_auth_required", "Prior authorization required", "boolean", "", "True if the payer required "
          "prior authorization for this service."),
    Field("prior_auth_obtained", "Prior authorization obtained", "boolean", "", "True if it was obtained before "
          "the service; blank when not required."),
    Field("clean_claim", "Clean claim", "boolean", "", "True if the claim passed the scrubber edits with no "
          "manual intervention (HFMA clean claim); blank if still unsubmitted."),
    Field("first_remit_date", "First remittance date", "date", "", "Day the payer's first remittance (ERA) "
          "posted; blank until the payer remits, and always blank for self-pay."),
    Field("initial_denial", "Initial denial", "boolean", "", "True if the first remittance denied the claim "
          "(still True if later overturned on appeal); blank until the payer remits."),
    Field("carc_group", "CARC group code", "string", "", "X12 claim adjustment group of the denial: CO "
          "(contractual obligation: the practice's loss if not recovered), PR (patient responsibility: the "
          "balance moves to the patient), OA or PI; blank if not denied."),
    Field("carc_code", "CARC", "string", "", "Claim adjustment reason code of the denial, as text (codes are "
          "alphanumeric: 197 authorization absent, B7 provider not certified for this payer on this date); blank "
          "if not denied."),
    Field("denial_category", "Denial category", "string", "", "Category of group code + CARC (coding, "
          "authorization, missing information, duplicate, eligibility/COB, timely filing, medical necessity, "
          "non-covered, bundling, benefit maximum), or 'unclassified' for a code the course's map does not "
          "cover (look it up); blank if not denied."),
    Field("appeal_filed", "Appeal filed", "boolean", "", "For denied claims: True if an appeal, reconsideration "
          "or corrected claim was filed by the extract date; blank if not denied."),
    Field("appeal_outcome", "Appeal outcome", "string", "", "'overturned', 'upheld' or 'pending' (no decision "
          "by the extract date); blank if no appeal."),
    Field("payment_date", "Payer payment date", "date", "", "Day the payer's payment posted (with the "
          "contractual adjustment); blank if none yet or never."),
    Field("paid_amount", "Payer paid", "number", "USD", "Payer payment posted by the extract date. Below "
          "allowed_amount - patient_resp_amount on a paid claim, the payer underpaid the contract."),
    Field("patient_payment_date", "Patient payment date", "date", "", "Day the patient paid their share (at "
          "check-in for some copays); blank if not paid by the extract date."),
    Field("patient_paid_amount", "Patient paid", "number", "USD", "Patient payment posted by the extract date."),
    Field("denial_writeoff_amount", "Denial write-off", "number", "USD", "Allowed amount written off because a "
          "CO, OA or PI denial was not appealed or the appeal was upheld (HFMA denial write-off). A PR denial is "
          "never written off here: it is billed to the patient."),
    Field("bad_debt_amount", "Bad debt", "number", "USD", "Patient responsibility written off as "
          "uncollectible."),
    Field("closed_date", "Closed date", "date", "", "Day the claim's balance reached zero (paid and adjusted, or "
          "written off); blank if still open in A/R at the extract. A payer shortfall below the contract was "
          "posted as an adjustment when the claim closed, so it shows in no column of its own."),
)

SNAPSHOT_FIELDS = (
    Field("month", "Month", "yearmonth", "", "Calendar month, 'YYYY-MM'."),
    Field("month_end", "Month end", "date", "", "Last day of the month, the date the A/R figures are taken."),
    Field("days_in_month", "Days in month", "integer", "days", "Calendar days, for average daily revenue."),
    Field("claims_submitted", "Claims submitted", "integer", "claims", "Claims submitted in the month."),
    Field("gross_charges", "Gross charges", "number", "USD", "Charges for services performed in the month "
          "(gross patient service revenue)."),
    Field("contractual_adjustments", "Contractual adjustments", "number", "USD", "Charges less allowed amounts "
          "for services in the month."),
    Field("net_patient_revenue", "Net patient service revenue", "number", "USD", "Allowed amounts for services "
          f"in the month less a {UNCOLLECTIBLE_RESERVE:.0%} allowance for uncollectible accounts."),
    Field("cash_collections", "Cash collections", "number", "USD", "Payer and patient payments posted in the "
          "month."),
    Field("denial_writeoffs", "Denial write-offs", "number", "USD", "Denial write-offs posted in the month."),
    Field("bad_debt_writeoffs", "Bad-debt write-offs", "number", "USD", "Patient balances written off as bad "
          "debt in the month."),
    Field("dnfb_charges", "DNFB charges", "number", "USD", "Gross charges for services on or before month end "
          "still unbilled (discharged not final billed)."),
    Field("gross_ar_billed", "Billed A/R at charges", "number", "USD", "Open balances of billed claims at "
          "month end, at charges (contractual adjustment posted with the payer's payment)."),
    Field("billed_ar_over_90", "Billed A/R over 90 days", "number", "USD", "Part of billed A/R more than 90 days "
          "past the date of service."),
    Field("gross_ar", "Total A/R at charges", "number", "USD", "Billed A/R plus unbilled (DNFB) charges, less copays "
          "already collected at check-in on unbilled visits."),
    Field("net_ar", "Net A/R", "number", "USD", "Open balances at allowed amounts (billed and unbilled), less "
          f"the {UNCOLLECTIBLE_RESERVE:.0%} allowance for uncollectible accounts."),
)

DATASETS = [
    DatasetSpec(
        name="rc_claims",
        title="Riverbend Orthopaedic Associates claims, October 2024 to December 2025",
        description=_STORY,
        modelled_on=_MODELLED_ON,
        module="02 Revenue cycle",
        fields=CLAIMS_FIELDS,
        generator=rc_claims,
        seed_group="rc_ortho",
        sources=_SOURCES,
    ),
    DatasetSpec(
        name="rc_ar_monthly",
        title="Riverbend Orthopaedic Associates monthly revenue and A/R, October 2024 to December 2025",
        description=(f"Month-end revenue, cash and A/R for {PRACTICE}, computed from "
                     "the rc_claims file for the same student id (A/R starts at zero at the 1 October 2024 "
                     "go-live). Net days in A/R use the last three months' net patient service revenue: "
                     "net_ar / (sum of net_patient_revenue / sum of days_in_month)."),
        modelled_on=_MODELLED_ON,
        module="02 Revenue cycle",
        fields=SNAPSHOT_FIELDS,
        generator=rc_ar_monthly,
        seed_group="rc_ortho",
        sources=_SOURCES,
    ),
]
