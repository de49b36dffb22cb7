"""Lab 04 questions: expected answers from each student's data, every misconception and its exact message."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import load_dataset, spc, start_lab
from mhsm_lessons.labs import spc as lab04
from mhsm_lessons.labs.spc import QUESTIONS
from mhsm_lessons.practice.checks import NOT_YET

LAB_ID = "04_pdsa_spc_lab"
STUDENTS = (None, "s101", "s202", "s303")


@pytest.fixture(scope="module", params=STUDENTS)
def lab(request):
    return start_lab(LAB_ID, student_id=request.param)


@pytest.mark.parametrize("student_id", STUDENTS)
def test_expected_answers_follow_the_published_rules_by_hand(student_id):
    """Recompute the chart semantics by hand from the raw columns rather than through the library."""
    lab = start_lab(LAB_ID, student_id)
    df = load_dataset("clinic_no_shows", student_id)
    rates = df["no_show_rate"].to_numpy()
    median = float(np.median(rates[:26]))
    assert lab.expected("q2") == pytest.approx(median)
    # IHI shift (Perla, Provost & Murray 2011): 6 consecutive points on one side, points on the median skipped
    count, confirmed = 0, None
    for week, r in enumerate(rates, start=1):
        if r == median:
            continue
        count = count + 1 if r < median else 0
        if count >= 6 and week > 26:
            confirmed = week
            break
    assert lab.expected("q3") == confirmed
    # crossings: sign changes among points off the median
    sides = np.sign(rates - median)
    sides = sides[sides != 0]
    assert lab.expected("q4") == int(np.count_nonzero(np.diff(sides)))
    # p chart frozen on weeks 1-26 (Montgomery): CL = sum d / sum n, limits CL +/- 3 sqrt(CL(1-CL)/n_i)
    base = df.iloc[:26]
    p_bar = base["no_shows"].sum() / base["appointments"].sum()
    lcl = p_bar - 3 * np.sqrt(p_bar * (1 - p_bar) / df["appointments"])
    assert lab.expected("q5") == int((df["no_show_rate"].iloc[26:] < lcl.iloc[26:] - 5e-5).sum()) or \
        lab.expected("q5") == int((df["no_shows"].iloc[26:] / df["appointments"].iloc[26:] < lcl.iloc[26:]).sum())
    after = df[df["week"] >= 31]
    assert lab.expected("q6") == pytest.approx(after["no_shows"].sum() / after["appointments"].sum())
    # I chart (Montgomery; NIST 6.3.2.2): UCL = mean + 3 AMR / 1.128 on weeks 1-30
    ed = load_dataset("ed_door_to_provider", student_id)["median_minutes"].to_numpy()[:30]
    assert lab.expected("q7") == pytest.approx(ed.mean() + 3 * np.abs(np.diff(ed)).mean() / 1.128)
    log = lab04.operations_log(student_id)
    assert lab.expected("q8") == int(log.loc[log["note"].str.contains("off sick"), "week"].item())
    before_rate = base["no_shows"].sum() / base["appointments"].sum()
    assert lab.expected("q9") == pytest.approx(100 * (before_rate - after["no_shows"].sum()
                                                      / after["appointments"].sum()))
    assert lab.expected("q10") == pytest.approx(lab.expected("q9") / 100 * df["appointments"].sum() * 95 - 60_000)


def test_every_misconception_is_reachable_and_recognised(lab):
    """On the default id and on s101, s202, s303 every misconception's number differs from the right answer."""
    for question in QUESTIONS:
        expected = question.kind.normalize(lab.expected(question.qid))
        for m in question.misconceptions:
            wrong = m.value(lab)
            assert not question.kind.close(question.kind.normalize(wrong), expected), (question.qid, m.key)
            result = lab.check(question.qid, wrong)
            assert result.status == NOT_YET, (question.qid, m.key)
            assert result.misconception == m.key, (question.qid, m.key)
            assert result.message == m.message


def test_misconception_messages_word_for_word():
    lab = start_lab(LAB_ID)
    df = load_dataset("clinic_no_shows")
    rates = df["no_show_rate"]
    assert lab.check("q2", rates.iloc[:26].mean()).message == (
        "That is the mean. Run charts use the median as the centre line: the run rules (shift, runs, crossings) "
        "count points above and below a line that half the points sit on each side of.")
    assert lab.check("q2", rates.median()).message == (
        "That is the median of all 52 weeks. The baseline median comes from the 26 weeks before the change only; "
        "it is then extended across the chart so that the new weeks are judged against the old process.")
    median = rates.iloc[:26].median()
    first_below = next(i + 1 for i in range(26, 52) if rates.iloc[i] < median)
    assert lab.check("q3", first_below).message == (
        "That is the first week after the change that fell below the baseline median. One point below the median "
        "is not a signal: the IHI shift rule needs 6 or more consecutive points on one side, and the change is "
        "confirmed in the week of the sixth.")
    assert lab.check("q4", lab.expected("q4") + 1).message == (
        "That is the number of runs. Crossings are one fewer than runs (runs = crossings + 1): count the times the "
        "line crosses the median, skipping points that sit on it.")
    all_weeks = spc.p_chart(df["no_shows"], df["appointments"])
    below = int((all_weeks.points["value"] < all_weeks.points["lcl"]).iloc[26:].sum())
    assert lab.check("q5", below).message == (
        "You computed the limits from all 52 weeks. That pulls the centre line and the limits down towards the new "
        "level and hides part of the shift: freeze the limits on the 26 baseline weeks (baseline=26) and judge the "
        "later weeks against them.")
    three = df[df["week"].between(31, 33)]
    assert lab.check("q6", three["no_shows"].sum() / three["appointments"].sum()).message == (
        "You computed the new centre line from only three weeks. Re-baselining after three good weeks builds "
        "limits on too little data; split the limits once the shift is sustained and use every week of the new "
        "period (weeks 31-52).")
    assert lab.check("q6", df.loc[df["week"] >= 31, "no_show_rate"].mean()).message == (
        "You averaged the weekly rates. A p chart's centre line is total no-shows ÷ total appointments, so that "
        "busy weeks count for more than quiet (holiday) weeks.")
    ed = load_dataset("ed_door_to_provider")["median_minutes"]
    assert lab.check("q7", spc.i_chart(ed).ucl[0]).message == (
        "You computed the limits from all 52 weeks, split-flow weeks included. The baseline is weeks 1-30, before "
        "the change; limits over every week mix the old process with the new one.")
    assert lab.check("q7", ed.iloc[:30].mean() + 3 * ed.iloc[:30].std()).message == (
        "You used 3 × the standard deviation of the weekly values. An I chart estimates sigma from the average "
        "moving range (AMR ÷ 1.128), which is not inflated by shifts or by one extreme week: UCL = mean + 2.66 × "
        "AMR.")
    assert lab.check("q7", spc.i_chart(ed, baseline=30, rules="nhs").ucl[0]).message == (
        "That is the NHS Making Data Count version, with moving-range screening, a legitimate choice that ignores "
        "the extreme moving ranges. This question asks for the classic I chart without screening: "
        "spc.i_chart(values, baseline=30).")
    assert lab.check("q9", lab04._relative_pct(lab)).message == (
        "That is the relative change (the fall divided by the baseline rate). The question asks for the absolute "
        "change in percentage points: baseline rate − new rate, × 100. Report both, and never call a relative "
        "change 'percent' without saying so.")
    assert lab.check("q10", lab.expected("q10") + 60_000).message == (
        "That is the gross value of the no-shows avoided. Subtract the vendor's 60,000 dollars a year to get the "
        "net value of the contract.")
    swapped = lab.expected("q1").replace({"type": {"balancing": "outcome"}})
    assert lab.check("q1", swapped).message == (
        "You called the balancing measures outcomes. A balancing measure watches for harm the change may cause "
        "elsewhere in the system (late cancellations, patients leaving the ED unseen); an outcome measure is the "
        "result the change is meant to improve.")


def test_nhs_two_sigma_rules_never_get_a_tampering_message():
    """A student applying the NHS rules (2-sigma zones, screening) is never told off for 'tampering'."""
    for sid in STUDENTS:
        lab = start_lab(LAB_ID, sid)
        ed = lab.data("ed_door_to_provider")["median_minutes"]
        nhs = spc.i_chart(ed, baseline=30, rules="nhs")
        for value in (nhs.ucl[0], nhs.points["ucl_2sigma"].iloc[0]):
            assert "tamper" not in lab.check("q7", float(value)).message.lower()
        for q in QUESTIONS:
            assert all("tamper" not in m.message.lower() for m in q.misconceptions)


def test_plain_wrong_answers_get_a_specific_not_yet(lab):
    assert lab.check("q3", 1).message == ("Your answer 1 is not the week in which the IHI shift rule first confirms "
                                          "the change yet. Check each input against the task: the month, the rows "
                                          "you selected and the formula.")
    assert lab.check("q2", 20.0).misconception in ("percent for proportion", "wrong")
    assert lab.check("q9", lab.expected("q9") / 100).misconception == "proportion for percent"
    table = lab.expected("q1").iloc[:5]
    assert lab.check("q1", table).message == "Your table is missing these measures: 'LWBS rate'."


def test_hints_and_operations_log():
    lab = start_lab(LAB_ID, "s101")
    assert str(lab.hint("q3")) == ("Hint 1 of 3 for q3: Plot the 52 weekly rates against the frozen baseline "
                                   "median: spc.run_chart(rates, median=baseline_median, rules='ihi').")
    log = lab04.operations_log("s101")
    assert log["week"].is_monotonic_increasing
    assert {"ED", "Clinics"} == set(log["unit"])
    assert log.equals(lab04.operations_log(" s101 "))


def test_questions_fit_a_75_to_90_minute_lab():
    assert len(QUESTIONS) <= 10
    assert all(2 <= len(q.hints) <= 3 for q in QUESTIONS)
    assert lab04.LAB.qids == [f"q{i}" for i in range(1, 11)]


def test_students_get_different_answers():
    answers = {sid: start_lab(LAB_ID, sid).expected("q7") for sid in STUDENTS}
    assert len(set(answers.values())) == len(STUDENTS)
    assert isinstance(start_lab(LAB_ID).expected("q1"), pd.DataFrame)
