"""Batch grading (mhsm_lessons.grading): the demo class's rows, outputs and pieces without a kernel.

The class (demo and hostile submissions together) is graded once per session by the ``graded`` fixture
(tests/grading/conftest.py); test_hostile.py checks the attacks on the same run.
"""
from __future__ import annotations

import csv
import html
import json
import math
from collections import Counter
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from mhsm_lessons.grading import (GradingError, decode_answer, encode_answer, read_points, read_roster,
                                  student_id_from_filename)
from mhsm_lessons.grading.collect import _parse_notebook
from mhsm_lessons.grading.demo_class import MIN_SIZE
from mhsm_lessons.grading.outputs import feedback_html
from mhsm_lessons.practice.session import Lab

from .classroom import LAB, SOLUTION, SPEC, mhsm
from mhsm_lessons.grading.identity import norm

RUN = 30  # submissions executed in the first run: 17 of the demo class, 13 of the hostile class


def _cell(graded, sid) -> int:
    return graded["students"][sid].cell


def expected_rows(graded) -> dict[str, tuple[str, str, str]]:
    """student id -> (status, total, reason), word for word."""
    explorer = [i for i, c in enumerate(nbformat.read(graded["base"] / "submissions" / "s007_01_budgeting_lab.ipynb",
                                                      as_version=4).cells)
                if 'lab.check("q12", break_even_patient_days).passed' in c.source][0] + 1
    crashed = ("The Python kernel stopped while running cell {} (the code may call os._exit(), crash Python, or "
               "exceed the memory limit). No answers could be collected.")
    return {
        "s001": ("graded", "13", ""),
        "s002": ("graded", "13", ""),
        "s003": ("graded", "10", ""),
        "s004": ("graded", "8", ""),
        "s005": ("graded", "0", "No question was answered."),
        "s006": ("graded", "10", ""),
        "s007": ("graded", "12", f"Cell {explorer} raised AttributeError."),
        "s008": ("timed out", "13", f"Cell {_cell(graded, 's008')} did not finish within the cell time limit of "
                                    "15 s and was stopped; the other cells ran and their answers were graded."),
        "s009": ("timed out", "13", f"Cell {_cell(graded, 's009')} ran past the cell time limit of 15 s and "
                                    "ignored the interrupt, so its kernel was stopped and the notebook was run again "
                                    "without that cell; the other answers were graded."),
        "s010": ("graded", "13", f"Cell {_cell(graded, 's010')} called sys.exit(); the grader carried on with the "
                                 "next cell."),
        "s011": ("crashed", "0", crashed.format(_cell(graded, "s011"))),
        "s012": ("crashed", "0", crashed.format(_cell(graded, "s012"))),
        "s013": ("graded", "13", f"Cell {_cell(graded, 's013')} ran out of memory (the limit is 2,048 MB) and was "
                                 "stopped."),
        "s014": ("graded", "13", ""),
        "s015": ("not a notebook", "0", "The file is not a readable Jupyter notebook (invalid JSON at line 1, "
                                        "column 1). Download the notebook again from Jupyter (File > Download) and "
                                        "resubmit it."),
        "s016": ("wrong lab", "0", "This is a notebook for lab '02_revenue_cycle_lab', not '01_budgeting_lab': it "
                                   "may be the wrong file."),
        "s017": ("missing answers", "0", "The notebook ran to the end, but none of the lab's answer variables is "
                                         "defined (rn_flexible_budget, rn_volume_variance, rn_quantity_variance, "
                                         "rn_price_variance, rn_total_variance_label, worked_hppd, rn_worked_fte, "
                                         "productive_share, labor_variance_pct, variance_report, "
                                         "contribution_margin_per_pd, break_even_patient_days). The answer cells "
                                         "may have been deleted or renamed."),
        "s018": ("graded", "13", "2 submissions for this student: graded the newest by file modification time, "
                                 "s018_resubmitted_01_budgeting_lab.ipynb (modified 2026-09-21 14:32 UTC); not "
                                 "graded: s018_01_budgeting_lab.ipynb."),
        "s019": ("not submitted", "0", "No submission was found for this student."),
        **HOSTILE_ROWS,
    }


HOSTILE_ROWS = {
    "h01": ("graded", "0", "No question was answered."),  # lab.expected
    "h02": ("graded", "0", "No question was answered."),  # the question objects' expected-answer functions
    "h03": ("graded", "0", "No question was answered."),  # reading and running the solution notebook
    "h04": ("graded", "0", ""),  # forged answers through json.dumps and IPython hooks: all wrong
    "h05": ("graded", "0", "No question was answered."),  # daemons and atexit writing to --out
    "h06": ("graded", "0", "No question was answered."),  # editing the roster, points, datasets, venv
    "h07": ("graded", "0", "No question was answered."),  # killing a classmate's process, the network
    "h08": ("id changed", "13", "Check this row: the notebook changed STUDENT_ID after the grader set it to 'h08' "
                                "(at the end it was 's001'). The notebook passes the id 's001' to start_lab, but "
                                "this file is graded as 'h08': the lab ran on the data of 'h08' and was graded for "
                                "it. Type your id only in the STUDENT_ID cell and leave start_lab(..., STUDENT_ID) "
                                "as it was."),
    "h09": ("graded", "13", ""),  # 300 MB on stderr
    "h10": ("graded", "13", "The notebook's STUDENT_ID is 's001', but the file name gives 'h10': graded as 'h10', "
                            "with that student's data."),
    "jane-smith": ("graded", "13", ""),
    "jane.smith": ("graded", "13", ""),
    "'=cmd": ("graded", "13", ""),
    "zz999": ("unmatched file", "0", "Unmatched file: no roster student matches the id in its name ('zz999'). Not "
                                     "graded: rename the file or add the student to the roster, then run mhsm "
                                     "grade again."),
}
HOSTILE_ROWS["s042"] = ("graded", "13", "")  # S042_... in the file name and STUDENT_ID: ids fold case, so roster s042
assert norm("S042") == norm("s042") == "s042"
FILES = 37  # every file in the class: 19 demo, 13 hostile, 3 stray copies, one unmatched, S042


def summary_line(rows: dict, run: int, skipped: int, out) -> str:
    counts = Counter(status for status, _, _ in rows.values())
    parts = ", ".join(f"{c} {s}" for s, c in sorted(counts.items()))
    return (f"{len(rows)} students ({parts}); {run} submissions run, {skipped} already graded and skipped (--force "
            f"grades them again); results in {out}\n")


# ----------------------------------------------------------------------------------------------------------------
# The graded class.

def test_the_demo_class_has_every_kind(graded):
    kinds = {s.kind for s in graded["students"].values()}
    assert {"endless loop", "ignores interrupts", "sys.exit", "os._exit", "segfault", "memory hog", "10 MB output",
            "tampered checks", "wrong type", "invalid JSON", "other lab", "duplicate", "blank", "sign flipped",
            "partly wrong", "missing answers", "correct"} <= kinds
    assert graded["first"].returncode == 0, graded["first"].stderr


def test_every_student_has_a_row_with_the_expected_status_total_and_reason(graded):
    got = {sid: (r["status"], r["total"], r["reason"]) for sid, r in graded["rows"].items()}
    assert got == expected_rows(graded)
    assert all(r["max"] == "13" for r in graded["rows"].values())
    assert graded["rows"]["s003"]["name"] == "Student, Demo 03" and graded["rows"]["s003"]["section"] == "MHA 620"


def test_points_per_question_follow_the_solution_metadata(graded):
    rows = graded["rows"]
    qids = [f"q{i}" for i in range(1, 13)]

    def zero(sid):
        return [q for q in qids if rows[sid][q] == "0"]
    assert [rows["s001"][q] for q in qids] == ["1"] * 9 + ["2", "1", "1"]
    assert zero("s003") == ["q1", "q6", "q8"]  # static budget, paid hours, percent for proportion
    assert zero("s004") == ["q2", "q3", "q4", "q10"]  # signs reversed; q10 is worth 2
    assert zero("s006") == ["q1", "q10"]  # text and a dict where a number and a table belong
    assert zero("s007") == ["q1"]  # tampering with the checks changes nothing
    assert zero("s008") == []  # the endless cell was stopped; every answer still graded
    # the first stdout line; the lines after it list what was not graded and the rows to review (test_lms.py)
    assert graded["first"].stdout.splitlines(keepends=True)[0] == summary_line(
        expected_rows(graded), RUN + ("S042" not in HOSTILE_ROWS), 0, graded["base"] / "out")


def test_submissions_are_never_modified(graded):
    assert graded["before"] == graded["after"] == graded["after_second"]


def test_a_second_run_skips_everything(graded):
    second = graded["second"]
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines(keepends=True)[0] == summary_line(expected_rows(graded), 0, FILES,
                                                                       graded["base"] / "out")
    assert second.stderr == ""
    manifest = json.loads((graded["base"] / "out" / "manifest.json").read_text())
    assert len(manifest["entries"]) == FILES + 1  # and the late folder's file


def test_progress_lines_show_elapsed_time_and_an_estimate(graded):
    lines = [l for l in graded["first"].stderr.splitlines() if l.startswith("[")]
    run = RUN + ("S042" not in HOSTILE_ROWS)
    assert len(lines) == run
    assert lines[-1].startswith(f"[########################] {run}/{run} elapsed ")
    assert ", about 0:00 left: " in lines[-1]
    assert f"grading {run} submissions of 01_budgeting_lab with 2 workers (0 already graded)" in graded["first"].stderr


def test_grading_does_not_write_the_check_log(graded):
    assert not graded["log"].exists()


def test_submissions_csv_reports_both_files_of_a_duplicate(graded):
    with open(graded["base"] / "out" / "submissions.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["student_id"] == "s018"]
    assert [(r["file"], r["status"], r["reason"]) for r in rows] == [
        ("s018_01_budgeting_lab.ipynb", "superseded", "Superseded by s018_resubmitted_01_budgeting_lab.ipynb."),
        ("s018_resubmitted_01_budgeting_lab.ipynb", "graded", "")]


def _formats(x: float) -> set[str]:
    out = {repr(x)}
    for v in (x, abs(x)):
        if abs(v) >= 100:
            out |= {f"{v:,.2f}", f"{v:.2f}", f"{v:,.0f}", f"{v:.0f}", f"{v:,.1f}", f"{v:.1f}"}
        else:
            out |= {f"{v:.2f}", f"{v:.3f}", f"{v:.4f}", f"{100 * v:.1f}%", f"{100 * v:.2f}%"}
    return out


def test_feedback_pages_show_no_expected_value(graded):
    checked = 0
    for sid, row in graded["rows"].items():
        page = graded["base"] / "out" / "feedback" / f"{sid}.html"
        if not sid.startswith("s0"):
            continue  # the hostile class: test_hostile.py
        if row["status"] == "not submitted":
            assert sid == "s019" or not page.exists()  # s019 hands in late (a later run, same --out)
            continue
        text = page.read_text(encoding="utf-8")
        assert "Traceback" not in text and "def " not in text
        if row["status"] not in ("graded", "timed out"):
            continue
        # The lab's fixed texts (the same for every student) may quote course benchmarks such as "near 0.89";
        # they are not computed from anyone's data, so they are taken out before looking for expected values.
        for q in SPEC.questions:
            for fixed in (q.success, *(m.message for m in q.misconceptions)):
                text = text.replace(html.escape(fixed), "")
        lab = Lab(SPEC, sid, check_log=False)
        for q in SPEC.questions:
            expected = lab.expected(q.qid)
            if isinstance(expected, pd.DataFrame):
                values = [float(v) for col in ("budget", "actual", "variance") for v in expected[col]]
            elif isinstance(expected, str):
                continue  # a Favorable/Unfavorable label: those words appear in the lessons' own messages
            else:
                values = [float(expected)]
            for value in values:
                for shown in _formats(value):
                    assert shown not in text, (sid, q.qid, shown)
            checked += 1
    assert checked >= 11 * 11


def test_feedback_page_gives_each_question_its_points_and_message(graded):
    text = (graded["base"] / "out" / "feedback" / "s006.html").read_text(encoding="utf-8")
    assert "Score: <strong>10 of 13 points</strong>. Status: graded." in text
    assert ("<th scope='row' role='rowheader'>q1: RN flexible budget</th><td role='cell' data-label='Points'>0 / 1</td>"
            "<td role='cell' data-label='Result' class='not-yet'>not yet</td><td role='cell' data-label='Feedback'>"
            "Your answer is text "
            "(&#x27;about forty thousand dollars&#x27;), but this question asks for a single number (dollars). "
            "Assign the result of a calculation, not a sentence.</td>") in text
    assert ("<th scope='row' role='rowheader'>q10: Monthly variance report</th><td role='cell' data-label='Points'>"
            "0 / 2</td><td role='cell' data-label='Result' class='not-yet'>not yet</td><td role='cell' "
            "data-label='Feedback'>Your answer is "
            "a dict with 6 items, but this question asks for a table (a pandas DataFrame) with the columns "
            "line_item, budget, flexible_budget, actual, variance, label.</td>") in text
    crashed = (graded["base"] / "out" / "feedback" / "s011.html").read_text(encoding="utf-8")
    assert "Score: <strong>0 of 13 points</strong>. Status: crashed." in crashed
    assert f"<p class='note'>The Python kernel stopped while running cell {_cell(graded, 's011')}" in crashed


def test_canvas_csv_has_the_import_columns_and_every_roster_student(graded):
    with open(graded["base"] / "out" / "canvas.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "Lab 01: Budgeting, 5 West variance report"]
    assert rows[1] == ["Points Possible", "", "", "", "", "13"]
    assert ["Student, Demo 01", "90001", "SIS00001", "demo01", "MHA 620", "13"] in rows[2:]
    with open(graded["base"] / "roster.csv", newline="", encoding="utf-8") as fh:
        assert len(rows) == 2 + len(list(csv.DictReader(fh)))


def test_class_summary_lists_share_correct_and_top_misconceptions(graded):
    summary = pd.read_csv(graded["base"] / "out" / "class_summary.csv", dtype=str, keep_default_na=False)
    assert list(summary["qid"]) == [f"q{i}" for i in range(1, 13)]
    q2 = summary.set_index("qid").loc["q2"]
    # 28 graded rows after the late folder: 14 of the demo class (s019 late), 13 of the hostile class, and s042
    # (its S042_ file folds to the roster id); 19 of them answer q2 correctly.
    assert (q2["students_graded"], q2["correct"], q2["share_correct"]) == ("28", "19", "0.679")
    assert q2["top_misconceptions"] == "wrong: 1; reversed sign: 1"  # h04's forged 1.0, s004's sign
    assert summary.set_index("qid").loc["q1", "top_misconceptions"] == "wrong: 2; static budget: 1; text: 1"
    q3 = summary.set_index("qid").loc["q3"]
    assert q3["top_misconceptions"].endswith("reversed sign: 1")
    assert (graded["base"] / "out" / "class_summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ----------------------------------------------------------------------------------------------------------------
# Pieces, without a kernel.

def test_answers_round_trip_as_plain_data():
    frame = pd.DataFrame({"line_item": ["RN", "CNA"], "variance": [1.5, float("nan")]}).set_index("line_item")
    back = decode_answer(json.loads(json.dumps(encode_answer(frame), allow_nan=False)))
    assert back.index.name == "line_item" and list(back.index) == ["RN", "CNA"]
    assert back.loc["RN", "variance"] == 1.5 and math.isnan(back.loc["CNA", "variance"])
    assert math.isinf(decode_answer(encode_answer(float("-inf"))))
    series = decode_answer(encode_answer(pd.Series([4.0], name="x")))
    assert isinstance(series, pd.Series) and series.tolist() == [4.0]

    class Sneaky:
        def __repr__(self):
            raise RuntimeError("no")
    assert encode_answer(Sneaky()) == {"type": "object", "class": "Sneaky", "repr": "<Sneaky object>"}
    assert repr(decode_answer({"type": "object", "class": "Sneaky</td>", "repr": "<x>"})) == "<x>"
    assert repr(decode_answer({"type": "dataframe", "columns": ["a"], "rows": [[1, 2]]})) == "<unreadable answer>"
    assert repr(decode_answer("not even a dict")) == "<unreadable answer>"


def test_a_student_object_in_the_answers_gets_a_check_message_not_an_error():
    lab = Lab(SPEC, "s001", check_log=False)
    value = decode_answer({"type": "object", "class": "Widget", "repr": "Widget()"})
    result = lab.check("q1", value)
    assert (result.status, result.message) == ("not yet", "Your answer is a Widget (Widget()), but this question asks "
                                                          "for a single number (dollars).")


def test_not_a_notebook_details():
    assert _parse_notebook(b"\xff\xfe")[1] == "not UTF-8 text"
    assert _parse_notebook(b'{"cells": 3}')[1] == "JSON, but not in the notebook format"
    assert _parse_notebook(b"[1, 2")[1] == "invalid JSON at line 1, column 6"


def test_student_id_from_file_names():
    assert student_id_from_filename(Path("x/s042_01_budgeting_lab.ipynb"), LAB) == "s042"
    assert student_id_from_filename(Path("x/s042/01_budgeting_lab.ipynb"), LAB) == "s042"
    assert student_id_from_filename(Path("smith-jane - 01_budgeting_lab.ipynb"), LAB) == "smith-jane"
    assert student_id_from_filename(Path("smith.jane_01_budgeting_lab.ipynb"), LAB) == "smith.jane"  # no merge


def test_points_errors_say_what_to_do(tmp_path):
    nb = nbformat.v4.new_notebook(metadata={"mhsm": {"lab": LAB, "points": {"q1": 1}}})
    path = tmp_path / "sol.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(GradingError) as err:
        read_points(path, SPEC)
    assert str(err.value) == (f"The points in {path} do not match lab '01_budgeting_lab': missing q2, q3, q4, q5, "
                              "q6, q7, q8, q9, q10, q11, q12. The lab's questions are q1, q2, q3, q4, q5, q6, q7, "
                              "q8, q9, q10, q11, q12.")
    assert read_points(SOLUTION, SPEC)["q10"] == 2.0 and sum(read_points(SOLUTION, SPEC).values()) == 13


def test_roster_without_student_id_column(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("name,section\nA,1\n")
    with pytest.raises(GradingError) as err:
        read_roster(path)
    assert str(err.value) == (f"The roster {path} has no 'student_id' column. Its columns are: name, section. Add a "
                              "header row with student_id (and optionally name, section, file, canvas_id, "
                              "sis_user_id, sis_login_id).")


def test_feedback_html_escapes_student_text():
    row = {"student_id": "<b>s1</b>", "name": "", "total": 0.0, "max": 13.0, "status": "graded", "reason": "",
           "questions": [{"qid": "q1", "title": "RN flexible budget", "status": "not yet",
                          "message": "Your answer is text ('<script>')", "misconception": "text"}]}
    page = feedback_html(row, SPEC, {q: 1.0 for q in SPEC.qids})
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;s1&lt;/b&gt;" in page


def test_cli_errors_exit_2_with_a_message(tmp_path):
    missing = mhsm("grade", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert missing.returncode == 2
    assert missing.stderr == (f"No such file or folder: {tmp_path / 'nope'}. Give submitted notebooks or folders "
                              "of them.\n")
    small = mhsm("demo-class", "--out", str(tmp_path / "demo"), "-n", "5")
    assert small.returncode == 2
    assert small.stderr == (f"A demo class needs at least {MIN_SIZE} submissions (one of each kind and two correct); "
                            "you asked for 5.\n")
