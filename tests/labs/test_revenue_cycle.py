"""Lab 02 questions: expected answers from each student's data, every misconception, its exact message, reachability."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import load_dataset, start_lab
from mhsm_lessons.labs.revenue_cycle import QUESTIONS
from mhsm_lessons.practice.checks import CORRECT, NOT_YET

STUDENTS = (None, "s101", "s202", "s303")


@pytest.fixture(scope="module", params=STUDENTS)
def lab(request):
    return start_lab("02_revenue_cycle_lab", student_id=request.param)


@pytest.mark.parametrize("student_id", STUDENTS)
def test_expected_answers_follow_the_domain_formulas(student_id):
    """Recompute several answers by hand from the raw tables (DOMAIN.md section 2), not through the library."""
    lab = start_lab("02_revenue_cycle_lab", student_id)
    claims, snap = load_dataset("rc_claims", student_id), load_dataset("rc_ar_monthly", student_id)
    q4 = snap[snap["month"].isin(["2025-10", "2025-11", "2025-12"])]
    net_ar = snap.loc[snap["month"] == "2025-12", "net_ar"].iloc[0]
    assert lab.expected("q1") == pytest.approx(net_ar / (q4["net_patient_revenue"].sum() / 92))
    remitted = claims[claims["first_remit_date"].notna()]
    assert lab.expected("q3") == pytest.approx(remitted["initial_denial"].astype(bool).mean())
    submitted = claims[claims["submission_date"].notna()]
    assert lab.expected("q8") == pytest.approx(submitted["clean_claim"].astype(bool).mean())
    year = snap[snap["month"].str.startswith("2025")]
    assert lab.expected("q7") == pytest.approx(100 * year["denial_writeoffs"].sum() / year["net_patient_revenue"].sum())
    closed = claims[claims["closed_date"].notna()]
    assert lab.expected("q9") == pytest.approx((closed["paid_amount"] + closed["patient_paid_amount"]).sum()
                                               / closed["allowed_amount"].sum())
    paid = claims[claims["payment_date"].notna()]
    short = paid["allowed_amount"] - paid["patient_resp_amount"] - paid["paid_amount"]
    assert lab.expected("q10") == pytest.approx(short[short > 0.005].sum(), abs=0.01)
    auth = claims[claims["denial_category"] == "authorization"]["appeal_outcome"]
    assert lab.expected("q6") == pytest.approx((auth == "overturned").sum() / auth.isin(["overturned", "upheld"]).sum())
    denied = claims[claims["initial_denial"].fillna(False).astype(bool)]
    by_dollars = denied.groupby("denial_category")["charge_amount"].sum().sort_values(ascending=False)
    assert lab.expected("q4") == by_dollars.index[0] == "authorization"
    # Aged from the date of service, over 90 days, as a share of billed A/R.
    assert 0.15 <= lab.expected("q2") <= 0.30
    assert 10 <= lab.expected("q5") <= 16  # the spike's weeks, from May to mid-July or mid-August


def test_lab_has_ten_questions_with_progressive_hints():
    assert [q.qid for q in QUESTIONS] == [f"q{i}" for i in range(1, 11)]
    assert all(2 <= len(q.hints) <= 3 for q in QUESTIONS)


def test_every_misconception_is_reachable_and_recognised_with_its_message(lab):
    """On the default id and on s101, s202 and s303 every mistake gives a number the check can tell apart."""
    for question in QUESTIONS:
        expected = question.kind.normalize(lab.expected(question.qid))
        for m in question.misconceptions:
            wrong = m.value(lab)
            assert not question.kind.close(question.kind.normalize(wrong), expected), (lab.student_id, question.qid,
                                                                                      m.key)
            result = lab.check(question.qid, wrong)
            assert result.status == NOT_YET, (question.qid, m.key)
            assert result.misconception == m.key, (question.qid, m.key, result.misconception)
            assert result.message == MESSAGES[(question.qid, m.key)]


MESSAGES = {
    ("q1", "gross A/R over net revenue"):
        "You divided gross A/R (at full charges) by average daily NET revenue. The numerator is inflated by the "
        "contractual allowances, so the days are far too high. Keep both on the net basis: net A/R ÷ average daily "
        "net patient service revenue.",
    ("q1", "net A/R over gross revenue"):
        "You divided net A/R by average daily GROSS charges, which makes A/R look far younger than it is. Keep both "
        "on the net basis: net A/R ÷ average daily net patient service revenue.",
    ("q1", "gross days"):
        "That is gross days in A/R (A/R at charges ÷ average daily charges). The HFMA key the partners asked for is "
        "NET days in A/R: net A/R ÷ average daily net patient service revenue.",
    ("q1", "12-month revenue"):
        "You averaged daily revenue over twelve months. The convention is the last three months (October to "
        "December, 92 days), so that the denominator reflects current volume and prices.",
    ("q2", "aged from billing date"):
        "You aged the balances from the billing (submission) date. That makes A/R look younger by the charge lag. "
        "Age each balance from the date of service, as the task says.",
    ("q2", "total A/R denominator"):
        "You divided by total A/R including unbilled (DNFB) charges. Aged A/R is a share of BILLED A/R: claims not "
        "yet billed cannot be aged against the payer.",
    ("q3", "overturned excluded"):
        "You left out the denials that were overturned on appeal. An overturned denial is still an initial denial: "
        "it cost rework and weeks of cash. Count every claim denied on its first remittance.",
    ("q3", "submitted denominator"):
        "You divided by every claim submitted, including claims the payers have not adjudicated yet (and "
        "self-pay). That understates the rate: divide by the claims REMITTED (with a first_remit_date).",
    ("q3", "CO-45 counted"):
        "You counted contractual adjustments (CO-45, charge − allowed) as denials. Nearly every paid claim carries "
        "one, so the rate heads toward 100%. A CO-45 adjustment is the contracted price, not a denial.",
    ("q3", "PR cost sharing counted"):
        "You counted patient cost sharing (PR-1 deductible, PR-2 coinsurance, PR-3 copay) as denials. Those "
        "balances move to the patient as the plan intends; they are not denials.",
    ("q3", "averaged payer rates"):
        "You averaged the payers' denial rates, so a small payer weighs as much as Medicare. Pool the claims "
        "instead: all claims denied on first remittance ÷ all claims remitted.",
    ("q4", "Pareto by count"):
        "That category has the most denied CLAIMS, not the most denied dollars. A few large claims can outweigh "
        "many small ones: rank by the gross charges of the denied claims (weight='dollars').",
    ("q5", "limits from all weeks"):
        "You computed the centre line and limits from all the weeks, the spike included, which widens the limits "
        "and hides part of the signal. Freeze them on the 16 baseline weeks before the change (baseline=16).",
    ("q6", "all denials denominator"):
        "You divided by every authorization denial, appealed or not. Appeal yield is judged on DECIDED appeals: "
        "overturned ÷ (overturned + upheld).",
    ("q6", "pending counted"):
        "You counted pending appeals in the denominator. A pending appeal has no decision yet: use overturned ÷ "
        "(overturned + upheld).",
    ("q7", "gross charges denominator"):
        "You divided by gross charges. The HFMA key divides denial write-offs by NET patient service revenue, the "
        "money the practice expects to collect.",
    ("q7", "bad debt included"):
        "You added bad debt to the denial write-offs. Bad debt is patients' balances that were not collected; keep "
        "it separate so the scorecard shows what denials cost.",
    ("q8", "paid, not clean"):
        "That is the share of remitted claims NOT denied. A clean claim is judged before submission: it passed the "
        "scrubber edits with no manual touch. Use clean_claim over the claims submitted.",
    ("q9", "open claims included"):
        "You included open claims, which have not finished collecting, so the rate is understated. Measure closed "
        "claims only (closed_date not blank).",
    ("q9", "denial write-offs as adjustments"):
        "You treated denial write-offs as contractual adjustments. That overstates the rate and hides the denials: "
        "only the contractual adjustment (charge − allowed) comes off the denominator.",
    ("q10", "paid below allowed"):
        "You counted every claim paid below the allowed amount. The payer owes the allowed amount MINUS the "
        "patient's share (deductible, coinsurance, copay), so that flags every claim with cost sharing. "
        "Underpayment = allowed − patient responsibility − payer paid, when positive.",
}


def test_every_misconception_has_a_tested_message():
    assert set(MESSAGES) == {(q.qid, m.key) for q in QUESTIONS for m in q.misconceptions}


def test_misconception_values_point_the_right_way():
    """The numbers the design names: CO-45 drives the rate toward 100%, PR cost sharing to about half or more."""
    lab = start_lab("02_revenue_cycle_lab")
    q3 = {m.key: m.value(lab) for m in QUESTIONS[2].misconceptions}
    right = lab.expected("q3")
    assert q3["CO-45 counted"] > 0.95
    assert 0.4 < q3["PR cost sharing counted"] < 0.8
    assert q3["overturned excluded"] < right / 2
    assert q3["submitted denominator"] < right
    q1 = {m.key: m.value(lab) for m in QUESTIONS[0].misconceptions}
    assert q1["gross A/R over net revenue"] > 2 * lab.expected("q1") > 2 * q1["net A/R over gross revenue"]
    assert lab.check("q2", lab.expected("q2") * 100).misconception == "percent for proportion"
    assert lab.check("q7", lab.expected("q7") / 100).misconception == "proportion for percent"


def test_plain_wrong_answers_get_a_specific_not_yet():
    lab = start_lab("02_revenue_cycle_lab")
    assert lab.check("q1", 1.0).message == (
        "Your answer 1 is not the net days in A/R at 31 December 2025 yet. Check each input against the task: the "
        "month, the rows you selected and the formula.")
    assert lab.check("q4", "coding").message == (
        "'coding' is not the denial category with the most denied dollars yet. Rank the denial categories by the "
        "gross charges of the denied claims and take the first one.")
    assert lab.check("q4", "Unsure").message == (
        "Your answer 'Unsure' is not one of the labels this question accepts: 'coding' or 'authorization' or "
        "'missing information' or 'duplicate' or 'eligibility/COB' or 'timely filing' or 'medical necessity' or "
        "'non-covered' or 'bundling' or 'benefit maximum' or 'unclassified'.")
    assert lab.check("q10", "$23,180").message == (
        "Your answer is text ('$23,180'), but this question asks for a single number (dollars). Remove the quotes "
        "(and any $, % or commas): write 23180 rather than '$23,180'.")
    assert lab.check("q5", 3).message == (
        "Your answer 3 is not the number of weeks above the upper control limit for Summit Senior Advantage yet. "
        "Check each input against the task: the month, the rows you selected and the formula.")


@pytest.mark.parametrize("answer", ["authorization", "Authorization", "AUTHORIZATION ", "prior authorization",
                                    "authorisation"])
def test_category_spellings_are_accepted(answer):
    assert start_lab("02_revenue_cycle_lab").check("q4", answer).status == CORRECT


def test_unknown_question_and_progress_text():
    lab = start_lab("02_revenue_cycle_lab", "s101")
    assert lab.check("q11", 5).message == ("There is no question 'q11' in this lab. Its questions are: q1, q2, q3, "
                                           "q4, q5, q6, q7, q8, q9, q10.")
    assert str(lab.hint("q3")) == ("Hint 1 of 3 for q3: The denominator is claims with a first remittance "
                                   "(first_remit_date is not blank).")
    lab.check("q1", lab.expected("q1"))
    assert str(lab.progress()).startswith(
        "Lab 02: Revenue cycle, Riverbend Orthopaedic Associates' Q3 cash: 1 of 10 questions correct\n"
        "Practice checks: they show how you are doing; they do not record a grade.")


def test_students_get_different_answers():
    answers = {sid: start_lab("02_revenue_cycle_lab", sid).expected("q1") for sid in STUDENTS}
    assert len(set(np.round(list(answers.values()), 3))) == len(STUDENTS)


def test_hostile_answers_never_raise():
    lab = start_lab("02_revenue_cycle_lab")
    for answer in (None, float("nan"), pd.Series([1.0, 2.0]), pd.DataFrame(), [], {"a": 1}, object(), True):
        for question in QUESTIONS:
            assert lab.check(question.qid, answer).status == NOT_YET
