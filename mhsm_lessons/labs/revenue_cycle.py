"""Module 02 lab: Riverbend Orthopaedic Associates' Q3 cash, diagnosed with the HFMA revenue-cycle keys.

Every expected answer is computed from the student's own ``rc_claims`` and ``rc_ar_monthly`` with the reference
calculations in :mod:`mhsm_lessons.revenue_cycle` (and :func:`mhsm_lessons.spc.p_chart` for the authorization
spike); every misconception is the number that mistake produces on the same data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .. import revenue_cycle as rc
from .. import spc
from ..practice.checks import Label, Misconception, Number, Percent, Proportion, Question
from ..practice.spec import LabSpec

AS_OF = "2025-12-31"
REPORT_MONTH = "2025-12"
YEAR = ("2025-01", "2025-12")  # calendar 2025 in the monthly snapshot
SPIKE_PAYER = "Summit Senior Advantage"
CHART_WEEKS = ("2025-01-06", "2025-10-31")  # services of complete weeks, Monday 6 January to Friday 31 October
BASELINE_WEEKS = 16  # 6 January to 27 April: the weeks before the new vendor took over on 1 May


@dataclass(frozen=True)
class Category(Label):
    """A denial category named in words; a wrong one gets a message about the Pareto, not about variances."""

    def wrong(self, answer) -> str:
        return (f"'{answer}' is not {self.what} yet. Rank the denial categories by the gross charges of the denied "
                "claims and take the first one.")


def _claims(ctx) -> pd.DataFrame:
    return ctx.data("rc_claims")


def _snapshot(ctx) -> pd.DataFrame:
    return ctx.data("rc_ar_monthly")


def _window(ctx, months: int = 3) -> pd.DataFrame:
    snap = _snapshot(ctx)
    end = snap.index[snap["month"] == REPORT_MONTH][0]
    return snap.loc[end - months + 1:end]


def _daily(rows: pd.DataFrame, column: str) -> float:
    return rows[column].sum() / rows["days_in_month"].sum()


def _dec(ctx) -> pd.Series:
    snap = _snapshot(ctx)
    return snap[snap["month"] == REPORT_MONTH].iloc[0]


def _year(ctx) -> pd.DataFrame:
    snap = _snapshot(ctx)
    return snap[(snap["month"] >= YEAR[0]) & (snap["month"] <= YEAR[1])]


def _remitted(ctx) -> pd.DataFrame:
    claims = _claims(ctx)
    return claims[claims["first_remit_date"].notna()]


def _denied(frame: pd.DataFrame) -> pd.Series:
    return frame["initial_denial"].fillna(False).astype(bool)


def _averaged_payer_rates(ctx) -> float:
    remitted = _remitted(ctx)
    return float(_denied(remitted).groupby(remitted["payer"]).mean().mean())


def _auth_chart(ctx, baseline=BASELINE_WEEKS) -> int:
    weeks = rc.weekly_denials(_claims(ctx), "authorization", payer=SPIKE_PAYER, start=CHART_WEEKS[0],
                              end=CHART_WEEKS[1])
    chart = spc.p_chart(weeks["denials"], weeks["remitted"], baseline=baseline)
    return int((chart.points["value"] > chart.points["ucl"]).sum())


def _auth_appeals(ctx) -> pd.DataFrame:
    claims = _claims(ctx)
    return claims[claims["denial_category"] == "authorization"]


def _closed(ctx) -> pd.DataFrame:
    claims = _claims(ctx)
    return claims[claims["closed_date"].notna()]


def _collections(frame: pd.DataFrame) -> float:
    return float((frame["paid_amount"] + frame["patient_paid_amount"]).sum())


def _paid_below_allowed(ctx) -> float:
    claims = _claims(ctx)
    paid = claims[claims["payment_date"].notna()]
    gap = paid["allowed_amount"] - paid["paid_amount"]
    return float(gap[gap > 0.005].sum())


DAYS = "days"


def _spellings(category: str, *extra: str) -> tuple[str, ...]:
    """Lower-case spellings as the Label check compares them (letters and spaces only)."""
    forms = {category, category.replace("/", " "), category.replace("-", " "), *extra}
    return tuple(sorted({re.sub(r"[^a-z ]", "", f.lower()).strip() for f in forms}))


_CATEGORY_CHOICES = {c: _spellings(c) for c in rc.DENIAL_CATEGORIES + (rc.UNCLASSIFIED,)}
_CATEGORY_CHOICES["authorization"] = _spellings("authorization", "authorisation", "prior authorization", "auth")
_CATEGORY_CHOICES["eligibility/COB"] = _spellings("eligibility/COB", "eligibility")

QUESTIONS = (
    Question(
        "q1", "Net days in A/R at 31 December", "net_days_in_ar",
        Number(DAYS, tolerance=0.1, what="the net days in A/R at 31 December 2025"),
        expected=lambda ctx: rc.snapshot_net_days_in_ar(_snapshot(ctx), REPORT_MONTH),
        misconceptions=(
            Misconception("gross A/R over net revenue",
                          lambda ctx: _dec(ctx)["gross_ar"] / _daily(_window(ctx), "net_patient_revenue"),
                          "You divided gross A/R (at full charges) by average daily NET revenue. The numerator is "
                          "inflated by the contractual allowances, so the days are far too high. Keep both on the "
                          "net basis: net A/R ÷ average daily net patient service revenue."),
            Misconception("net A/R over gross revenue",
                          lambda ctx: _dec(ctx)["net_ar"] / _daily(_window(ctx), "gross_charges"),
                          "You divided net A/R by average daily GROSS charges, which makes A/R look far younger "
                          "than it is. Keep both on the net basis: net A/R ÷ average daily net patient service "
                          "revenue."),
            Misconception("gross days",
                          lambda ctx: _dec(ctx)["gross_ar"] / _daily(_window(ctx), "gross_charges"),
                          "That is gross days in A/R (A/R at charges ÷ average daily charges). The HFMA key the "
                          "partners asked for is NET days in A/R: net A/R ÷ average daily net patient service "
                          "revenue."),
            Misconception("12-month revenue",
                          lambda ctx: _dec(ctx)["net_ar"] / _daily(_window(ctx, 12), "net_patient_revenue"),
                          "You averaged daily revenue over twelve months. The convention is the last three months "
                          "(October to December, 92 days), so that the denominator reflects current volume and "
                          "prices."),
        ),
        hints=("Net days in A/R = net A/R ÷ average daily net patient service revenue.",
               "Average daily revenue = the last three months' net_patient_revenue ÷ their days (31 + 30 + 31).",
               "Take net_ar from the 2025-12 row of rc_ar_monthly; revenue from 2025-10 to 2025-12."),
        success="Net days in A/R tells the partners how many days of revenue are waiting to become cash.",
    ),
    Question(
        "q2", "Billed A/R over 90 days", "ar_over_90_share",
        Proportion(tolerance=0.001, what="the share of billed A/R over 90 days at 31 December 2025"),
        expected=lambda ctx: rc.aged_ar_share(_claims(ctx), AS_OF),
        misconceptions=(
            Misconception("aged from billing date",
                          lambda ctx: rc.aged_ar_share(_claims(ctx), AS_OF, basis="billing"),
                          "You aged the balances from the billing (submission) date. That makes A/R look younger "
                          "by the charge lag. Age each balance from the date of service, as the task says."),
            Misconception("total A/R denominator",
                          lambda ctx: float(rc.ar_balances(_claims(ctx), AS_OF)[
                              (pd.Timestamp(AS_OF) - pd.to_datetime(_claims(ctx)["service_date"])).dt.days > 90].sum()
                              / rc.ar_balances(_claims(ctx), AS_OF, include_unbilled=True).sum()),
                          "You divided by total A/R including unbilled (DNFB) charges. Aged A/R is a share of "
                          "BILLED A/R: claims not yet billed cannot be aged against the payer."),
        ),
        hints=("rc.ar_balances(claims, '2025-12-31') gives each claim's open billed balance at charges.",
               "Age = 31 December 2025 − service_date, in days; over 90 means 91 days or more.",
               "rc.aged_ar_share(claims, '2025-12-31', basis='service') does it in one step."),
        success="Over-90 balances are the work queue to escalate, oldest and largest first.",
    ),
    Question(
        "q3", "Initial denial rate (claims)", "initial_denial_rate",
        Proportion(tolerance=0.001, what="the initial denial rate by claim count"),
        expected=lambda ctx: rc.initial_denial_rate(_claims(ctx)),
        misconceptions=(
            Misconception("overturned excluded",
                          lambda ctx: float((_denied(_remitted(ctx)) & (_remitted(ctx)["appeal_outcome"]
                                                                        != "overturned")).mean()),
                          "You left out the denials that were overturned on appeal. An overturned denial is still "
                          "an initial denial: it cost rework and weeks of cash. Count every claim denied on its "
                          "first remittance."),
            Misconception("submitted denominator",
                          lambda ctx: float(_denied(_claims(ctx)).sum() / _claims(ctx)["submission_date"].notna().sum()),
                          "You divided by every claim submitted, including claims the payers have not adjudicated "
                          "yet (and self-pay). That understates the rate: divide by the claims REMITTED (with a "
                          "first_remit_date)."),
            Misconception("CO-45 counted",
                          lambda ctx: float((_denied(_remitted(ctx)) | (_remitted(ctx)["allowed_amount"]
                                                                       < _remitted(ctx)["charge_amount"])).mean()),
                          "You counted contractual adjustments (CO-45, charge − allowed) as denials. Nearly every "
                          "paid claim carries one, so the rate heads toward 100%. A CO-45 adjustment is the "
                          "contracted price, not a denial."),
            Misconception("PR cost sharing counted",
                          lambda ctx: float((_denied(_remitted(ctx)) | (_remitted(ctx)["patient_resp_amount"]
                                                                       > 0)).mean()),
                          "You counted patient cost sharing (PR-1 deductible, PR-2 coinsurance, PR-3 copay) as "
                          "denials. Those balances move to the patient as the plan intends; they are not denials."),
            Misconception("averaged payer rates", _averaged_payer_rates,
                          "You averaged the payers' denial rates, so a small payer weighs as much as Medicare. "
                          "Pool the claims instead: all claims denied on first remittance ÷ all claims remitted."),
        ),
        hints=("The denominator is claims with a first remittance (first_remit_date is not blank).",
               "initial_denial is True for every claim denied on its first remittance, overturned or not.",
               "rc.initial_denial_rate(claims) follows the HFMA definition."),
        success="Compare it with the 10–12% many practices report; then ask which categories drive it.",
    ),
    Question(
        "q4", "Denial category with the most dollars", "top_denial_category",
        Category(_CATEGORY_CHOICES, what="the denial category with the most denied dollars"),
        expected=lambda ctx: rc.denial_pareto(_claims(ctx), weight="dollars")["category"].iloc[0],
        misconceptions=(
            Misconception("Pareto by count",
                          lambda ctx: rc.denial_pareto(_claims(ctx), weight="count")["category"].iloc[0],
                          "That category has the most denied CLAIMS, not the most denied dollars. A few large "
                          "claims can outweigh many small ones: rank by the gross charges of the denied claims "
                          "(weight='dollars')."),
        ),
        hints=("A Pareto table ranks categories largest first, with a cumulative share.",
               "rc.denial_pareto(claims, weight='dollars') ranks by the charges of the denied claims.",
               "Answer with the category's name in quotes, for example 'coding'."),
        success="Count tells you where the work is; dollars tell you where the cash is. Fix both, in that light.",
    ),
    Question(
        "q5", "Weeks above the p chart's upper limit", "auth_signal_weeks",
        Number("weeks", tolerance=0.5, what=f"the number of weeks above the upper control limit for {SPIKE_PAYER}"),
        expected=_auth_chart,
        misconceptions=(
            Misconception("limits from all weeks", lambda ctx: _auth_chart(ctx, baseline=None),
                          "You computed the centre line and limits from all the weeks, the spike included, which "
                          "widens the limits and hides part of the signal. Freeze them on the 16 baseline weeks "
                          "before the change (baseline=16)."),
        ),
        hints=("rc.weekly_denials(claims, 'authorization', payer='Summit Senior Advantage', start='2025-01-06', "
               "end='2025-10-31') gives the weekly counts.",
               "spc.p_chart(weeks['denials'], weeks['remitted'], baseline=16) freezes the limits on the weeks "
               "before May.",
               "Count the weeks whose proportion is above the upper limit (points['value'] > points['ucl'])."),
        success="A run of points above the limit is a special cause: find it, fix the process, appeal what you can.",
    ),
    Question(
        "q6", "Authorization appeals overturned", "auth_overturn_rate",
        Proportion(tolerance=0.001, what="the overturn rate of decided authorization appeals"),
        expected=lambda ctx: rc.appeal_overturn_rate(_claims(ctx), "authorization"),
        misconceptions=(
            Misconception("all denials denominator",
                          lambda ctx: float((_auth_appeals(ctx)["appeal_outcome"] == "overturned").sum()
                                            / len(_auth_appeals(ctx))),
                          "You divided by every authorization denial, appealed or not. Appeal yield is judged on "
                          "DECIDED appeals: overturned ÷ (overturned + upheld)."),
            Misconception("pending counted",
                          lambda ctx: float((_auth_appeals(ctx)["appeal_outcome"] == "overturned").sum()
                                            / _auth_appeals(ctx)["appeal_outcome"].notna().sum()),
                          "You counted pending appeals in the denominator. A pending appeal has no decision yet: "
                          "use overturned ÷ (overturned + upheld)."),
        ),
        hints=("Keep the claims whose denial_category is 'authorization'.",
               "appeal_outcome is 'overturned', 'upheld' or 'pending'; blank when no appeal was filed.",
               "rc.appeal_overturn_rate(claims, 'authorization')."),
        success="A high overturn rate means the care was authorizable: the loss is rework and delay, not coverage.",
    ),
    Question(
        "q7", "Denial write-offs as % of NPSR, 2025", "denial_writeoff_pct",
        Percent(tolerance=0.05, what="2025 denial write-offs as a percent of net patient service revenue"),
        expected=lambda ctx: 100 * rc.denial_writeoff_rate(_year(ctx)["denial_writeoffs"].sum(),
                                                           _year(ctx)["net_patient_revenue"].sum()),
        misconceptions=(
            Misconception("gross charges denominator",
                          lambda ctx: 100 * _year(ctx)["denial_writeoffs"].sum() / _year(ctx)["gross_charges"].sum(),
                          "You divided by gross charges. The HFMA key divides denial write-offs by NET patient "
                          "service revenue, the money the practice expects to collect."),
            Misconception("bad debt included",
                          lambda ctx: 100 * (_year(ctx)["denial_writeoffs"].sum()
                                             + _year(ctx)["bad_debt_writeoffs"].sum())
                          / _year(ctx)["net_patient_revenue"].sum(),
                          "You added bad debt to the denial write-offs. Bad debt is patients' balances that were "
                          "not collected; keep it separate so the scorecard shows what denials cost."),
        ),
        hints=("Use the twelve 2025 rows of rc_ar_monthly (months 2025-01 to 2025-12).",
               "Denial write-offs ÷ net patient service revenue × 100 (a percentage such as 2.4)."),
        success="This is the board-scorecard measure of what denials finally cost after appeals.",
    ),
    Question(
        "q8", "Clean claim rate", "clean_claim_rate",
        Proportion(tolerance=0.001, what="the clean claim rate"),
        expected=lambda ctx: rc.clean_claim_rate(_claims(ctx)),
        misconceptions=(
            Misconception("paid, not clean",
                          lambda ctx: 1 - rc.initial_denial_rate(_claims(ctx)),
                          "That is the share of remitted claims NOT denied. A clean claim is judged before "
                          "submission: it passed the scrubber edits with no manual touch. Use clean_claim over "
                          "the claims submitted."),
        ),
        hints=("The denominator is claims accepted for billing (submission_date not blank).",
               "clean_claim is True when the claim passed the edits with no manual intervention."),
        success="Below the 95% target, every manual touch is labor and delay: tune the scrubber edits.",
    ),
    Question(
        "q9", "Net collection rate on closed claims", "net_collection_rate",
        Proportion(tolerance=0.001, what="the net collection rate on closed claims"),
        expected=lambda ctx: rc.claims_net_collection_rate(_claims(ctx)),
        misconceptions=(
            Misconception("open claims included",
                          lambda ctx: _collections(_claims(ctx)) / _claims(ctx)["allowed_amount"].sum(),
                          "You included open claims, which have not finished collecting, so the rate is "
                          "understated. Measure closed claims only (closed_date not blank)."),
            Misconception("denial write-offs as adjustments",
                          lambda ctx: _collections(_closed(ctx)) / (_closed(ctx)["allowed_amount"].sum()
                                                                    - _closed(ctx)["denial_writeoff_amount"].sum()),
                          "You treated denial write-offs as contractual adjustments. That overstates the rate and "
                          "hides the denials: only the contractual adjustment (charge − allowed) comes off the "
                          "denominator."),
        ),
        hints=("Net collection rate = payments ÷ (charges − contractual adjustments).",
               "On this file the contractual adjustment is charge − allowed, so the denominator is the allowed "
               "amount; payments are paid_amount + patient_paid_amount.",
               "Closed claims only: rc.claims_net_collection_rate(claims)."),
        success="Below 95% means money the contract promised is not arriving: denials, bad debt or underpayments.",
    ),
    Question(
        "q10", "Payer underpayments", "underpayment_total",
        Number("dollars", tolerance=1.0, what="the total payer underpayment on paid claims"),
        expected=lambda ctx: float(rc.underpayments(_claims(ctx)).sum()),
        misconceptions=(
            Misconception("paid below allowed", _paid_below_allowed,
                          "You counted every claim paid below the allowed amount. The payer owes the allowed amount "
                          "MINUS the patient's share (deductible, coinsurance, copay), so that flags every claim "
                          "with cost sharing. Underpayment = allowed − patient responsibility − payer paid, when "
                          "positive."),
        ),
        hints=("Use claims the payer paid (payment_date not blank).",
               "What the payer owes = allowed_amount − patient_resp_amount.",
               "rc.underpayments(claims) lists each underpaid claim; add them up (or group by payer)."),
        success="Group it by payer: the contract-compliance audit starts with the payer at the top.",
    ),
)

LAB = LabSpec(
    lab_id="02_revenue_cycle_lab",
    title="Lab 02: Revenue cycle, Riverbend Orthopaedic Associates' Q3 cash",
    datasets=("rc_claims", "rc_ar_monthly"),
    questions=QUESTIONS,
    solution_path="solutions/02_revenue_cycle_lab.ipynb",
)
