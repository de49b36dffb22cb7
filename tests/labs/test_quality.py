"""Lab 03 questions: expected answers from each student's data, every misconception reachable, exact messages."""
from __future__ import annotations

import pandas as pd
import pytest

from mhsm_lessons import load_dataset, quality, start_lab
from mhsm_lessons.labs.quality import QUESTIONS
from mhsm_lessons.practice.checks import CORRECT, NOT_YET

STUDENTS = (None, "s101", "s202", "s303")
LAB_ID = "03_quality_metrics_lab"


@pytest.fixture(scope="module", params=STUDENTS)
def lab(request):
    return start_lab(LAB_ID, student_id=request.param)


@pytest.mark.parametrize("student_id", STUDENTS)
def test_expected_answers_recomputed_by_hand(student_id):
    """Recompute from the raw files (the course's domain formulas) rather than through the lab's helpers."""
    lab = start_lab(LAB_ID, student_id)
    falls = load_dataset("falls_unit_months", student_id)
    ms = falls[falls["unit_type"] == "Med-surg"]
    south = ms[ms["unit"] == "5 South"]
    expected_falls = south["patient_days"].sum() * ms["falls"].sum() / ms["patient_days"].sum()
    assert lab.expected("q2") == pytest.approx(south["falls"].sum() / expected_falls)
    hai = load_dataset("hai_unit_months", student_id)
    msh, icu = hai[hai["unit_type"] == "Med-surg"], hai[hai["unit_type"] == "ICU"]
    assert lab.expected("q3") == pytest.approx(msh["clabsi"].sum() / msh["central_line_days"].sum() * 1000)
    sir = icu["clabsi"].sum() / icu["clabsi_predicted"].sum()
    assert icu["clabsi_predicted"].sum() >= 1.0 and (icu["clabsi_predicted"] < 1.0).all()
    assert lab.expected("q4") == pytest.approx(sir)
    assert lab.expected("q5") == pytest.approx(100 * (1 - sir))
    d = load_dataset("hrrp_discharges", student_id)
    g = d.groupby("condition")
    err = g["predicted_readmission_prob"].sum() / g["expected_readmission_prob"].sum()
    med, pay, n = g["peer_median_err"].first(), g["base_drg_payment"].sum(), g.size()
    h = d.iloc[0]
    excess = (pay * (err - med).clip(lower=0) * (n >= 25)).sum() * h["neutrality_modifier"]
    factor = 1 - min(0.03, excess / h["total_base_operating_payments"])
    assert lab.expected("q6") == int(((err > med) & (n >= 25)).sum())
    assert lab.expected("q7") == pytest.approx(factor)
    assert lab.expected("q8") == pytest.approx((1 - factor) * h["fy_base_operating_payments"])
    assert lab.expected("q9") == pytest.approx(0.97)
    r = load_dataset("hcahps_responses", student_id)
    r = r[r["measure"] == "responsiveness"].dropna(subset=["response"])
    assert lab.expected("q10") == pytest.approx((r["response"] == "Always").groupby(r["item_id"]).mean().mean() * 100)


def test_every_misconception_is_reachable_with_its_own_message(lab):
    """On the default id and on s101, s202, s303 each mistake's number lies outside the tolerance of the right
    answer, and the check names that mistake (not another one)."""
    seen = 0
    for question in QUESTIONS:
        expected = question.kind.normalize(lab.expected(question.qid))
        for m in question.misconceptions:
            wrong = question.kind.normalize(m.value(lab))
            assert not question.kind.close(wrong, expected), (lab.student_id, question.qid, m.key)
            result = lab.check(question.qid, m.value(lab))
            assert result.status == NOT_YET, (question.qid, m.key)
            assert result.misconception == m.key, (lab.student_id, question.qid, m.key, result.misconception)
            assert result.message == m.message
            seen += 1
    assert seen == 17


def test_lab_has_ten_questions_and_each_has_progressive_hints():
    assert len(QUESTIONS) == 10
    assert all(2 <= len(q.hints) <= 3 for q in QUESTIONS)
    assert all(q.misconceptions for q in QUESTIONS)


MESSAGES = {
    ("q1", "averaged monthly rates"): (
        "Your falls_per_1000 column averages the 24 monthly rates. A month with few patient days counts as much as a "
        "full month that way. Pool instead: add each unit's falls and its patient days over the 24 months, then "
        "divide (falls ÷ patient days × 1,000)."),
    ("q2", "raw counts"): (
        "You compared 5 South's fall COUNT with the other med-surg units' counts. 5 South is the largest unit (40 "
        "beds), so it has the most patient days and, at the same risk, the most falls. Expected falls = 5 South's "
        "patient days × the pooled med-surg fall rate; divide its observed falls by that."),
    ("q2", "all units as reference"): (
        "You used the pooled rate of all seven units, ICUs and step-down included. Compare like with like: the "
        "expected falls use the pooled rate of the four med-surg units only."),
    ("q3", "patient-day denominator"): (
        "You divided by patient days. A device-associated infection rate divides by the days at risk from the "
        "device: CLABSIs ÷ central-line days × 1,000. Per patient day, a unit that uses fewer lines looks safer even "
        "if each line is just as risky."),
    ("q4", "averaged unit-month SIRs"): (
        "You averaged 48 unit-month SIRs. Each unit-month predicts fewer than 1.0 CLABSI, and NHSN does not "
        "calculate an SIR when fewer than 1.0 infections are predicted: the ratio is too unstable. Pool first: all "
        "observed CLABSIs ÷ all predicted CLABSIs for both ICUs over 24 months."),
    ("q4", "averaged unit SIRs"): (
        "You averaged the MICU and SICU SIRs. Units predict different numbers of infections, so their SIRs do not "
        "carry equal weight. Add the observed and the predicted CLABSIs of both ICUs, then divide once."),
    ("q5", "SIR read as a percent"): (
        "You turned the SIR itself into a percent. An SIR of 0.80 is not an 80% infection rate: it means 20% FEWER "
        "infections than predicted. Percent fewer = (1 − SIR) × 100 (negative when the SIR is above 1)."),
    ("q6", "ERR above 1.0"): (
        "You counted the conditions whose ERR is above 1.0. Since FY2019 CMS compares each ERR with the MEDIAN ERR "
        "of the hospital's peer group (peer_median_err), not with 1.0: a condition adds to the penalty only when "
        "its ERR is above that median (and it has at least 25 discharges)."),
    ("q7", "1.0 as the bar"): (
        "You measured each condition's excess against 1.0. The excess is ERR − the peer-group median ERR (when "
        "positive), not ERR − 1."),
    ("q7", "condition payments as denominator"): (
        "You divided by the six conditions' payments. The denominator is the hospital's total base operating DRG "
        "payments for ALL discharges (total_base_operating_payments): the penalty is spread over, and applied to, "
        "every Medicare discharge."),
    ("q8", "condition payments only"): (
        "You applied the reduction to the six conditions' payments only. The factor cuts the base operating DRG "
        "payment of EVERY Medicare discharge in the fiscal year: multiply (1 − factor) by "
        "fy_base_operating_payments."),
    ("q8", "condition payments per year"): (
        "You applied the reduction to one year of the six conditions' payments. The factor cuts every Medicare "
        "discharge's base operating DRG payment in FY2026: multiply (1 − factor) by fy_base_operating_payments."),
    ("q8", "three-year total"): (
        "You used the three-year total from the applicable period. The penalty applies to one payment year: "
        "multiply (1 − factor) by fy_base_operating_payments (FY2026)."),
    ("q9", "no cap"): (
        "You left out the cap. By law the HRRP reduction is at most 3%, so the factor never falls below 0.97, "
        "however far the ERRs rise."),
    ("q10", "linear mean"): (
        "That is the linear mean (Never 0, Sometimes 33⅓, Usually 66⅔, Always 100), a 0–100 score that is not a "
        "percentage of patients. The top-box score is the percent of answers that are 'Always'."),
    ("q10", "blanks in denominator"): (
        "You kept the blank answers in Q11's denominator. A blank means the question did not apply (the patient "
        "needed no help getting to the bathroom): leave blanks out, then compute the share of 'Always' among the "
        "patients who answered."),
    ("q10", "pooled answers"): (
        "You pooled every answer of both questions. A composite is the MEAN of its items' scores: compute the "
        "top-box percent of Q4 and of Q11 separately, then average the two."),
}


def test_misconception_messages_word_for_word():
    lab = start_lab(LAB_ID)
    keys = set()
    for question in QUESTIONS:
        for m in question.misconceptions:
            result = lab.check(question.qid, m.value(lab))
            assert result.message == MESSAGES[(question.qid, m.key)], (question.qid, m.key)
            keys.add((question.qid, m.key))
    assert keys == set(MESSAGES)


def test_student_style_wrong_answers_get_the_named_message():
    """Compute each mistake the way a student would, from the raw file, not through the lab's helpers."""
    lab = start_lab(LAB_ID)
    falls = load_dataset("falls_unit_months")
    table = falls.groupby("unit", sort=False)[["falls", "patient_days"]].sum().reset_index()
    table["falls_per_1000"] = (falls["falls"] / falls["patient_days"] * 1000).groupby(falls["unit"], sort=False).mean().values
    assert lab.check("q1", table).misconception == "averaged monthly rates"
    hai = load_dataset("hai_unit_months")
    ms = hai[hai["unit_type"] == "Med-surg"]
    assert lab.check("q3", ms["clabsi"].sum() / ms["patient_days"].sum() * 1000).misconception == "patient-day denominator"
    assert lab.check("q5", 100 * lab.expected("q4")).misconception == "SIR read as a percent"
    assert lab.check("q10", lab.expected("q10") / 100).misconception == "proportion for percent"
    assert lab.check("q9", 0.97).status == CORRECT


def test_plain_wrong_answers_get_a_specific_not_yet():
    lab = start_lab(LAB_ID)
    assert lab.check("q2", 5.0).message == (
        "Your answer 5 is not 5 South's observed ÷ expected falls yet. Check each input against the task: the "
        "month, the rows you selected and the formula.")
    assert lab.check("q7", "0.99").message == (
        "Your answer is text ('0.99'), but this question asks for a single number (factor). Remove the quotes (and "
        "any $, % or commas): write 0.99 rather than '0.99'.")
    assert lab.check("q1", pd.DataFrame({"unit": ["5 West"]})).status == NOT_YET
    assert lab.check("q99", 1).message.startswith("There is no question 'q99' in this lab. Its questions are: q1, q2")


def test_hints_progress_and_solution_path():
    lab = start_lab(LAB_ID, "s101")
    assert str(lab.hint("q9")) == ("Hint 1 of 2 for q9: Set every condition's ERR to its peer_median_err + 0.20 and "
                                   "recompute the factor.")
    lab.hint("q9")
    assert str(lab.hint("q9")) == ("No more hints for q9: you have seen all 2. The worked solution is in "
                                   "solutions/03_quality_metrics_lab.ipynb.")
    assert str(lab.progress()).startswith("Lab 03: Quality metrics, report to the Board Quality Committee: 0 of 10 "
                                          "questions correct")


def test_headline_kpis_stay_in_benchmark_ranges(lab):
    """Falls on med-surg 2.5-4.0 per 1,000 patient days, CLABSI wards 0.5-1.0, HRRP reduction below the cap,
    HCAHPS responsiveness top box about 70 %."""
    falls = lab.data("falls_unit_months")
    ms = falls[falls["unit_type"] == "Med-surg"]
    assert 2.5 <= quality.falls_rate(ms["falls"].sum(), ms["patient_days"].sum()) <= 4.0
    assert 0.5 <= lab.expected("q3") <= 1.0
    assert 0.97 < lab.expected("q7") < 1.0
    assert 64 <= lab.expected("q10") <= 76
