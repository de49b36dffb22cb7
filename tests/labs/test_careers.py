"""Lab 05 questions: expected answers recomputed by hand from the data, every misconception reachable on the
default id and on s101, s202 and s303 with its exact message, and progressive hints."""
from __future__ import annotations

import pytest

from mhsm_lessons import load_dataset, start_lab
from mhsm_lessons.labs.careers import QUESTIONS
from mhsm_lessons.practice.checks import CORRECT, NOT_ANSWERED, NOT_YET

LAB_ID = "05_career_pathways_lab"
STUDENTS = (None, "s101", "s202", "s303")


@pytest.fixture(scope="module", params=STUDENTS)
def lab(request):
    return start_lab(LAB_ID, student_id=request.param)


def test_shape_of_the_lab():
    assert 8 <= len(QUESTIONS) <= 10
    assert all(2 <= len(q.hints) <= 3 for q in QUESTIONS)
    assert all(q.misconceptions for q in QUESTIONS)


@pytest.mark.parametrize("student_id", STUDENTS)
def test_expected_answers_by_hand(student_id):
    """Recompute every answer from the raw tables, without the careers module."""
    lab = start_lab(LAB_ID, student_id)
    s = load_dataset("career_plan_scenario", student_id).iloc[0]
    settings = load_dataset("bls_mhsm_pay_by_setting")
    may21 = settings[(settings["pay_reference"] == "2021-05") & (settings["statistic"] == "median")]
    pay = may21.set_index("work_setting")["annual_pay"]
    assert lab.expected("q1") == pytest.approx((pay[s["target_setting"]] / pay["All work settings"] - 1) * 100)
    assert lab.expected("q2") == pytest.approx((110_680 / 100_980 - 1) * 100)                     # 9.61 %
    assert lab.expected("q3") == pytest.approx(((110_680 / 100_980) / (304.702 / 255.657) - 1) * 100)  # -8.04 %
    assert lab.expected("q4") == pytest.approx((1.29 ** 0.1 - 1) * 100)                          # 2.58 %
    assert lab.expected("q5") == pytest.approx(160_600 / 10)
    x = s["posting_salary"] * 255.657 / 313.689                                                 # 2019 dollars
    assert 133_520 < x < 189_000
    assert lab.expected("q6") == pytest.approx(75 + 15 * (x - 133_520) / (189_000 - 133_520))
    assert lab.expected("q7") == 5 - s["prior_management_years"]
    assert lab.expected("q8") == "No"
    w = load_dataset("career_pdsa_weeks", student_id)
    base = w.loc[w["phase"] == "baseline", "pct_before_noon"].median()
    after = w.loc[w["phase"] == "after change", "pct_before_noon"].median()
    assert lab.expected("q9") == pytest.approx((after - base) / base * 100)
    assert lab.expected("q10") == pytest.approx(after - base)


def test_every_question_accepts_its_expected_answer_and_reports_the_placeholder(lab):
    for q in QUESTIONS:
        assert lab.check(q.qid, lab.expected(q.qid)).status == CORRECT, q.qid
        result = lab.check(q.qid, ...)
        assert result.status == NOT_ANSWERED
        assert result.message == f"Replace the ... in {q.variable} = ... with your answer, then run this cell again."


def test_every_misconception_is_reachable_and_named(lab):
    """On every id the mistake's number differs from the answer by more than the tolerance, and gets its message."""
    for q in QUESTIONS:
        expected = q.kind.normalize(lab.expected(q.qid))
        for m in q.misconceptions:
            wrong = q.kind.normalize(m.value(lab))
            assert not q.kind.close(wrong, expected), (lab.student_id, q.qid, m.key)
            result = lab.check(q.qid, m.value(lab))
            assert (result.status, result.misconception, result.message) == (NOT_YET, m.key, m.message), \
                (q.qid, m.key)


def test_misconception_messages_word_for_word():
    lab = start_lab(LAB_ID)
    s = load_dataset("career_plan_scenario").iloc[0]
    settings = load_dataset("bls_mhsm_pay_by_setting").set_index(["work_setting", "pay_reference"])
    mixed = (settings.loc[(s["target_setting"], "2021-05"), "annual_pay"] / 110_680 - 1) * 100
    assert lab.check("q1", mixed).message == (
        "You compared a May 2021 setting median with the May 2023 all-settings median of a newer edition. Pay moved "
        "between those dates, so part of your 'premium' is just time. Compare the setting with the all-settings "
        "median of the SAME date: May 2021 (BLS OOH 2020-30).")
    assert lab.check("q2", (110_680 - 100_980) / 110_680 * 100).message == (
        "You divided the increase by the May 2023 pay. Growth is measured from the starting point: (later − earlier) "
        "÷ earlier × 100.")
    assert lab.check("q3", 9.61).message == (
        "That is the nominal growth. Prices rose too: divide the pay ratio by the CPI-U ratio, (pay 2023 ÷ pay 2019) "
        "÷ (CPI 2023 ÷ CPI 2019) − 1, to see what the pay buys.")
    assert lab.check("q3", 9.61 - 19.18).message == (
        "You subtracted the inflation rate from the nominal growth. That shortcut is only an approximation and is "
        "poor when prices rise a lot: divide the ratios instead.")
    assert lab.check("q4", 29).message == (
        "That is the growth over the whole ten years (2023 to 2033), not per year. Convert it to a yearly rate: "
        "(1 + total ÷ 100)^(1/10) − 1.")
    assert lab.check("q4", 2.9).message == (
        "Dividing the ten-year growth by 10 ignores compounding: each year grows on a larger base. Use "
        "(1 + total ÷ 100)^(1/10) − 1.")
    assert lab.check("q5", 61_400).message == (
        "That is BLS's openings per year. Openings include replacing managers who retire or change occupation; new "
        "jobs come from growth only: employment change ÷ 10.")
    x = s["posting_salary"] * 255.657 / 313.689
    assert lab.check("q6", 75 + 25 * (x - 133_520) / (189_000 - 133_520)).message == (
        "You treated the 90th-percentile wage as the highest pay (the 100th percentile). It is not the maximum: one "
        "manager in ten earned more. Interpolate between the 75th and 90th percentiles.")
    assert lab.check("q7", 0).message == (
        "FACHE is not an entry credential: ACHE requires a master's degree, a current executive healthcare "
        "management position and at least 5 years of healthcare management experience before you can apply and "
        "sit the Board of Governors Exam.")
    assert lab.check("q8", "yes").message == (
        "No state licenses hospital administrators. Nursing home administrators need a state licence in every "
        "state, and several states license assisted-living administrators; a hospital COO or administrator needs "
        "none.")
    w = load_dataset("career_pdsa_weeks")
    base = w.loc[w["phase"] == "baseline", "pct_before_noon"].median()
    after = w.loc[w["phase"] == "after change", "pct_before_noon"].median()
    best = w.loc[w["phase"] == "after change", "pct_before_noon"].max()
    assert lab.check("q9", (best - base) / base * 100).message == (
        "You used the best single week after the change. A resume claim must rest on the whole period: compare the "
        "MEDIAN of the 12 weeks after the change with the baseline median, and only when the run chart shows a "
        "signal.")
    assert lab.check("q9", after - base).message == (
        "That is the change in percentage points (after − before). The question asks for the relative change in "
        "percent: (after − before) ÷ before × 100.")
    assert lab.check("q10", (after - base) / base * 100).message == (
        "That is the relative change in percent. The absolute change between two percentages is in percentage "
        "points: after median − baseline median.")
    assert lab.check("q10", best - base).message == (
        "You used the best single week after the change. Claim the change in the MEDIAN of the weeks after the "
        "change, not the best week.")


def test_plain_wrong_answers_hints_and_progress():
    lab = start_lab(LAB_ID, "s101")
    assert lab.check("q5", 1.0).message == (
        "Your answer 1 is not the average number of new jobs per year from growth, 2023-33 yet. Check each input "
        "against the task: the month, the rows you selected and the formula.")
    assert lab.check("q8", "Maybe").message == (
        "Your answer 'Maybe' is not one of the labels this question accepts: 'Yes' or 'No'.")
    assert lab.check("q3", -0.0804).misconception == "proportion for percent"
    assert str(lab.hint("q4")) == ("Hint 1 of 2 for q4: BLS projections run ten years; projected_growth_pct is the "
                                   "total over the decade.")
    assert str(lab.hint("q4")) == "Hint 2 of 2 for q4: careers.annualized_growth_rate(total_pct, years=10)."
    assert str(lab.hint("q4")) == ("No more hints for q4: you have seen all 2. The worked solution is in "
                                   "solutions/05_career_pathways_lab.ipynb.")
    lab.check("q2", lab.expected("q2"))
    assert str(lab.progress()).startswith("Lab 05: Career pathways, a five-year plan on dated BLS figures: 1 of 10 "
                                          "questions correct")


def test_students_get_their_own_planning_data_but_the_same_bls_figures():
    labs = [start_lab(LAB_ID, sid) for sid in STUDENTS]
    assert len({round(lab.expected("q9"), 6) for lab in labs}) == len(STUDENTS)
    assert len({round(lab.expected("q6"), 6) for lab in labs}) == len(STUDENTS)
    assert len({lab.expected("q2") for lab in labs}) == 1


def test_exercise_with_wrong_answers_still_runs_to_the_end(tmp_path):
    """Wrong and absurd answers in the released exercise give feedback, never an error, and later cells run."""
    from pathlib import Path

    import nbformat
    import papermill

    root = Path(__file__).resolve().parents[2]
    nb = nbformat.read(root / "exercises" / f"{LAB_ID}.ipynb", as_version=4)
    for cell in nb.cells:
        cell.source = (cell.source.replace("setting_premium_pct = ...", "setting_premium_pct = '18%'")
                       .replace("real_growth_pct = ...", "real_growth_pct = 9.61")
                       .replace("years_to_fache = ...", "years_to_fache = 0")
                       .replace("hospital_licence_required = ...", "hospital_licence_required = True")
                       .replace("pdsa_point_change = ...", "pdsa_point_change = float('nan')"))
    path = tmp_path / "attempt.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(path), str(out), kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
                               request_save_on_cell_execute=False)
    ran = nbformat.read(out, as_version=4)
    checks = {}
    for cell in ran.cells:
        if "check" in cell.metadata.get("tags", []) and "progress()" not in cell.source:
            text = cell.outputs[0]["data"]["text/plain"]
            checks[cell.source.split('"')[1]] = text.splitlines()
    assert checks["q1"][0] == "❌ q1: not yet (Target-setting pay vs all settings, one date)"
    assert checks["q1"][1].startswith("Your answer is text ('18%'), but this question asks for a percentage")
    assert checks["q3"][1].startswith("That is the nominal growth.")
    assert checks["q7"][1].startswith("FACHE is not an entry credential")
    assert checks["q8"][1] == ("Your answer is the boolean True, but this question asks for one of the words 'Yes' "
                               "or 'No', in quotes.")
    assert checks["q10"][1].startswith("Your answer is NaN (not a number).")
    assert checks["q2"][0] == "⬜ q2: not answered (Nominal pay growth, May 2019 to May 2023)"
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
