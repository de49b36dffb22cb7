"""A class as the LMS and the students' tools deliver it, graded through ``mhsm grade`` under the default sandbox.

One module fixture grades the whole test-only class once (tests/grading/lms_class.py: about 23 notebooks plus the
pre-flight), with a ``python3`` kernelspec from "another environment" first on JUPYTER_PATH; then grades it again
into the same ``--out`` with ``--missing zero`` (everything skipped, the pre-flight remembered), and runs the two
refusals (a broken set-up, an ``--assignment`` without a Canvas id), which stop before any notebook of the class
runs. Every row, the feedback of the changed-later and converted-cell cases, and every ``canvas.csv`` cell are
asserted word for word.
"""
from __future__ import annotations

import csv
import html
import json
import os
from pathlib import Path

import nbformat
import pytest

from mhsm_lessons.grading.preflight import PREFLIGHT_FILE
from mhsm_lessons.practice.session import Lab

from .classroom import LIMITS, ROOT, SOLUTION, SPEC, grader_temp_dirs, hashes, mhsm, our_processes
from .lms_class import ESCAPE, ROSTER, write_lms_class

ASSIGNMENT = "Lab 01: Budgeting (123456)"


@pytest.fixture(scope="module")
def lms(tmp_path_factory):
    base = tmp_path_factory.mktemp("lms")
    facts = write_lms_class(SOLUTION, base)
    # A python3 kernel of another environment, found first by Jupyter's search path: grading must not use it.
    kernel = base / "other-env" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({"argv": ["/bin/false", "-f", "{connection_file}"],
                                                    "display_name": "Python 3 (another env)",
                                                    "language": "python"}), encoding="utf-8")
    env = {"JUPYTER_PATH": str(base / "other-env"), "JUPYTER_DATA_DIR": str(base / "other-env")}
    args = [str(base / "subs"), "--out", str(base / "out"), "--roster", str(base / "roster.csv"),
            "--solution", str(SOLUTION), *LIMITS]
    subs_before, temp_before = hashes(base / "subs"), grader_temp_dirs()
    first = mhsm("grade", *args, "--assignment", ASSIGNMENT, env_extra=env)
    after = {"subs": hashes(base / "subs"), "processes": our_processes(), "temp": grader_temp_dirs()}
    out = base / "out"
    rows = {r["student_id"]: r for r in _csv(out / "gradebook.csv")}
    canvas = {r["SIS User ID"] or r["Student"]: r for r in _csv(out / "canvas.csv")}
    canvas_header = (out / "canvas.csv").read_text(encoding="utf-8").splitlines()[0]
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["entries"].values()
    questions = {e["student_id"]: {q["qid"]: q for q in e["questions"]} for e in entries if e.get("questions")}
    pages = {sid: (out / "feedback" / f"{sid}.html").read_text(encoding="utf-8") for sid in ("s330", "s331", "s316")}
    second = mhsm("grade", *args, "--assignment", ASSIGNMENT, "--missing", "zero", "--quiet", env_extra=env)
    canvas_zero = {r["SIS User ID"] or r["Student"]: r for r in _csv(out / "canvas.csv")}
    # A broken set-up: the solution needs a package this environment lacks (as in a kernel of another env).
    broken = _broken_solution(base)
    small = base / "small"
    small.mkdir()
    (small / "s311_01_budgeting_lab.ipynb").write_bytes((base / "subs" / "quillmarta_50311_8800417_01_budgeting_lab"
                                                                            ".ipynb").read_bytes())
    refused = mhsm("grade", str(small), "--out", str(base / "out-broken"), "--roster", str(base / "roster.csv"),
                   "--solution", str(broken), *LIMITS)
    no_id = mhsm("grade", str(small), "--out", str(base / "out-no-id"), "--assignment", "Lab 01", *LIMITS)
    # Another lab (04): a copy-decorated .ipynb.txt, an id typed into start_lab, an answer reused after its check.
    other = base / "other-lab"
    other.mkdir()
    nb = nbformat.read(ROOT / "solutions" / "04_pdsa_spc_lab.ipynb", as_version=4)
    setup = [c for c in nb.cells if "start_lab(" in c.source][0]
    setup.source = setup.source.replace("student_id=STUDENT_ID", 'student_id="t043"')
    nb.cells.insert(len(nb.cells) - 1, nbformat.v4.new_code_cell("baseline_median = 0  # reused for a note"))
    (other / "Copy of s500_04_pdsa_spc_lab (1).ipynb.txt").write_text(nbformat.writes(nb), encoding="utf-8")
    lab04 = mhsm("grade", str(other), "--out", str(base / "out-04"), *LIMITS, "--quiet")
    lab04_rows = _csv(base / "out-04" / "gradebook.csv") if lab04.returncode == 0 else []
    return {"base": base, "facts": facts, "first": first, "second": second, "rows": rows, "canvas": canvas,
            "canvas_header": canvas_header, "canvas_zero": canvas_zero, "questions": questions, "pages": pages,
            "subs_before": subs_before, "after": after, "temp_before": temp_before, "refused": refused,
            "no_id": no_id, "submissions": _csv(out / "submissions.csv"), "lab04": lab04, "lab04_rows": lab04_rows}


def _csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _broken_solution(base: Path) -> Path:
    nb = nbformat.read(SOLUTION, as_version=4)
    setup = [c for c in nb.cells if "start_lab(" in c.source][0]
    setup.source = "import mhsm_course_extras  # installed in the instructor's other environment only\n" + setup.source
    path = base / "broken" / "01_budgeting_lab.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    return path


ARCHIVE = "Not graded: hand in the notebook itself (.ipynb), or an archive holding only that notebook."


def expected_rows(facts) -> dict[str, tuple[str, str, str, str]]:
    """student id -> (status, total, reason, submission), word for word."""
    return {
        # 1. Canvas bulk download, STUDENT_ID blank: the roster students, by canvas_id; no phantom rows
        "s311": ("graded", "13", "", "quillmarta_50311_8800417_01_budgeting_lab.ipynb"),
        "s312": ("graded", "13", "Canvas marked this submission late (LATE in the file name).",
                 "okaforben_LATE_50312_8800533_01_budgeting_lab-1.ipynb"),
        "s313": ("graded", "13", "", "nu\u0301n\u0303ezjose\u0301_77001_8800600_01_budgeting_lab.ipynb"),
        "s314": ("graded", "13", "2 submissions for this student: graded the newest by file modification time, "
                                 "leeana_50314_8800701_01_budgeting_lab-2.ipynb (modified 2026-09-22 18:05 UTC); not "
                                 "graded: leeana_50314_8800700_01_budgeting_lab-1.ipynb.",
                 "leeana_50314_8800701_01_budgeting_lab-2.ipynb"),
        "s315": ("graded", "13", "Canvas marked this submission late (LATE in the file name).",
                 "parkjin_LATE_50315_8800800_01_budgeting_lab.ipynb"),
        # 2. the id typed into start_lab in the set-up cell: the grader's id is obeyed, with a note
        "s316": ("graded", "13", "The notebook passes the id 't043' to start_lab, but this file is graded as "
                                 "'s316': the lab ran on the data of 's316' and was graded for it. Type your id only "
                                 "in the STUDENT_ID cell and leave start_lab(..., STUDENT_ID) as it was.",
                 "hanmei_50316_8801000_01_budgeting_lab.ipynb"),
        "s317": ("graded", "13", 'Graded a copy (its name carries "(1)"): it is the only file from this student.',
                 "s317/01_budgeting_lab (1).ipynb"),
        "s318": ("graded", "13", "The file name names 's319', but the file is in the folder of 's318': graded as "
                                 "'s318', whose folder it is.", "s318/s319_01_budgeting_lab.ipynb"),
        "s319": ("graded", "13", "", "s319/01_budgeting_lab.ipynb"),
        "s320": ("graded", "13", 'Graded a copy (its name carries "Copy of" and "(1)"): it is the only file from this student.',
                 "Copy of s320_01_budgeting_lab (1).ipynb"),
        "s321": ("graded", "13", "", "s321_01_budgeting_lab.ipynb.txt"),
        "s322": ("graded", "13", "", "s322_01_budgeting_lab.ipynb.json"),
        # 4. archives
        "s203": ("graded", "13", "Graded the notebook inside this archive ('01_budgeting_lab.ipynb').",
                 "s203_01_budgeting_lab.zip"),
        "s323": ("graded", "13", "Graded the notebook inside this archive ('lab/01_budgeting_lab.ipynb').",
                 "s323_01_budgeting_lab.zip"),
        "s324": ("not a notebook: archive", "0", "The file is an archive (zip) holding 2 notebooks "
                 "(01_budgeting_lab.ipynb, old/01_budgeting_lab.ipynb); it must hold exactly one. " + ARCHIVE,
                 "s324_01_budgeting_lab.zip"),
        "s325": ("graded", "13", f"Graded the notebook inside this archive ('../../../{ESCAPE}/01_budgeting_lab"
                                 ".ipynb').", "s325_01_budgeting_lab.zip"),
        "s326": ("not a notebook: archive", "0", "The file is an archive (zip) whose notebook is larger than 256 MB. "
                 + ARCHIVE, "s326_01_budgeting_lab.zip"),
        "s327": ("not a notebook: archive", "0", "The file is an archive (zip) listing 1,001 files, more than the "
                 "1,000 searched. " + ARCHIVE, "s327_01_budgeting_lab.zip"),
        "s328": ("not a notebook: archive", "0", "The file is an archive (zip) with no notebook in it. " + ARCHIVE,
                 "s328_01_budgeting_lab.zip"),
        "s329": ("not a notebook", "0", "The file is not a readable Jupyter notebook (a PDF document, not a "
                                        "notebook). Download the notebook again from Jupyter (File > Download) and "
                                        "resubmit it.", "s329_01_budgeting_lab.pdf"),
        # 3. answers as the student checked them
        "s330": ("graded", "13", "worked_hppd (q6) was changed by a later cell after its check ran: graded the value "
                                 "the check saw.", "s330_01_budgeting_lab.ipynb"),
        # 7. reasons a student can act on
        "s331": ("graded", "12", f"Cell {facts['s331_cell']} holds the answer code for rn_worked_fte but is a "
                                 "Markdown cell, so it never ran: change it back to a code cell (select it, press "
                                 "Esc, then Y).", "s331_01_budgeting_lab.ipynb"),
        "s332": ("graded", "13", f"Cell {facts['s332_cell']} imports my_helpers, which is not available when the "
                                 "notebook is graded (ModuleNotFoundError): only the notebook is handed in, not "
                                 "files next to it. Copy the code you need from my_helpers into a cell of the "
                                 "notebook, then hand it in again.", "s332_01_budgeting_lab.ipynb"),
        "s333": ("graded", "13", f"Cell {facts['s333_cell']} opens 'my_budget.csv', a file that is not handed in "
                                 "with the notebook (FileNotFoundError). Load the lab's data with lab.data(...) or "
                                 "load_dataset(...) instead of a file on your computer, then hand the notebook in "
                                 "again.", "s333_01_budgeting_lab.ipynb"),
        "s334": ("graded", "13", f"Cell {facts['s334_cell']} waits for typed input (input()), which a graded "
                                 "notebook cannot receive (StdinNotImplementedError). Replace the input() call with "
                                 "the value itself, for example months = 12, then hand the notebook in again.",
                 "s334_01_budgeting_lab.ipynb"),
        # forged check records gain nothing; a forged grader id is flagged
        "s335": ("graded", "11", "rn_flexible_budget (q1) was changed by a later cell after its check ran: graded "
                                 "the value the check saw. rn_volume_variance (q2) was changed by a later cell after "
                                 "its check ran: graded the value the check saw.", "s335_01_budgeting_lab.ipynb"),
        "s336": ("id changed", "1", "Check this row: the notebook started a lab session for another id ('s001'); it "
                                    "was graded as 's336'.", "s336_01_budgeting_lab.ipynb"),
        "s337": ("not submitted", "0", "No submission was found for this student.", ""),
        "ghostgus": ("unmatched file", "0", "Unmatched file: its Canvas download name (Canvas user 50399, "
                                            "'ghostgus'): no roster student has that canvas_id or name. Not graded: "
                                            "add the student's canvas_id to the roster, then run mhsm grade again.",
                     "ghostgus_50399_8800900_01_budgeting_lab.ipynb"),
        "zz_notes": ("unmatched file", "0", "Unmatched file: no roster student matches the id in its name "
                                            "('zz_notes'). Not graded: rename the file or add the student to the "
                                            "roster, then run mhsm grade again. It is not a notebook either (invalid "
                                            "JSON at line 1, column 1).", "zz_notes.txt"),
    }


def test_the_class_is_graded_exactly(lms):
    assert lms["first"].returncode == 0, lms["first"].stderr[-3000:]
    got = {sid: (r["status"], r["total"], r["reason"], r["submission"]) for sid, r in lms["rows"].items()}
    assert got == expected_rows(lms["facts"])


def test_canvas_download_instance_has_no_phantom_rows(lms):
    rows = lms["rows"]
    assert not {"quillmarta", "okaforben", "leeana", "parkjin", "hanmei"} & set(rows)
    assert [rows[s]["total"] for s in ("s311", "s312")] == ["13", "13"]
    assert [lms["canvas"][f"SIS{n}"][ASSIGNMENT] for n in (311, 312)] == ["13", "13"]


def test_canvas_csv_cells_blank_without_graded_work_and_zero_on_request(lms):
    assert lms["canvas_header"] == f"Student,ID,SIS User ID,SIS Login ID,Section,{ASSIGNMENT}"
    cells = {sis: r[ASSIGNMENT] for sis, r in lms["canvas"].items()}
    expected = {f"SIS{sid[1:]}": lms["rows"][sid]["total"] for sid, *_ in ROSTER}
    for sid in ("s324", "s326", "s327", "s328", "s329", "s336", "s337"):  # no graded work, or flagged
        expected[f"SIS{sid[1:]}"] = ""
    assert cells == dict(expected, **{"Points Possible": "13"})
    zero = {sis: r[ASSIGNMENT] for sis, r in lms["canvas_zero"].items()}
    assert zero == dict(cells, **{f"SIS{sid[1:]}": lms["rows"][sid]["total"]
                                  for sid in ("s324", "s326", "s327", "s328", "s329", "s336", "s337")})
    assert zero["SIS337"] == "0" and zero["SIS336"] == "1"


def test_the_run_says_what_it_did_not_grade_and_what_to_review(lms):
    out = lms["first"].stdout.splitlines()
    assert out[1:] == [
        "Not graded (8 files):",
        "  .DS_Store: not graded: stray copy",
        "  ghostgus_50399_8800900_01_budgeting_lab.ipynb: unmatched file (ghostgus)",
        "  s324_01_budgeting_lab.zip: not a notebook: archive (s324)",
        "  s326_01_budgeting_lab.zip: not a notebook: archive (s326)",
        "  s327_01_budgeting_lab.zip: not a notebook: archive (s327)",
        "  s328_01_budgeting_lab.zip: not a notebook: archive (s328)",
        "  s329_01_budgeting_lab.pdf: not a notebook (s329)",
        "  zz_notes.txt: unmatched file (zz_notes)",
        "WARNING: 2 files match no roster student (see 'unmatched file' in gradebook.csv): rename them or add the "
        "students to the roster, then grade again.",
        "Review before importing into the LMS (7 students without graded work or with an id to check; their "
        "canvas.csv cells are left blank):",
        "  s324: not a notebook: archive", "  s326: not a notebook: archive", "  s327: not a notebook: archive",
        "  s328: not a notebook: archive", "  s329: not a notebook", "  s336: id changed", "  s337: not submitted"]
    files = [p for p in (lms["base"] / "subs").rglob("*") if p.is_file()]
    assert len(lms["submissions"]) == len(files) == 31  # every file has a row; nothing is lost


def test_answers_are_graded_as_checked_with_a_note(lms):
    lab = Lab(SPEC, "s330", check_log=False)
    correct = lab.check("q6", lab.expected("q6")).message
    q6 = lms["questions"]["s330"]["q6"]
    assert (q6["status"], q6["message"]) == ("correct", correct + " (Graded as you checked it: a later cell changed "
                                             "worked_hppd after its check ran, and the grade uses the value your "
                                             "check saw.)")
    assert html.escape(q6["message"]) in lms["pages"]["s330"]


def test_forged_check_records_are_only_values(lms):
    q = lms["questions"]["s335"]
    assert [q[k]["status"] for k in ("q1", "q2", "q3")] == ["not yet", "not yet", "correct"]
    assert q["q2"]["misconception"] == "text"  # 'correct' is just the text 'correct', judged here


def test_a_converted_answer_cell_says_which_cell_and_what_to_do(lms):
    q7 = lms["questions"]["s331"]["q7"]
    message = (f"No answer: cell {lms['facts']['s331_cell']}, which assigns rn_worked_fte, is a Markdown cell, so it "
               "never ran. Change it back to a code cell (in JupyterLab: select it, press Esc, then Y) and run it.")
    assert (q7["status"], q7["message"]) == ("not answered", message)
    assert html.escape(message) in lms["pages"]["s331"]
    assert html.escape(lms["rows"]["s316"]["reason"]) in lms["pages"]["s316"]


def test_second_run_skips_everything_and_remembers_the_preflight(lms):
    assert lms["second"].returncode == 0, lms["second"].stderr[-2000:]
    assert "; 0 submissions run, 31 already graded and skipped" in lms["second"].stdout
    assert (lms["base"] / "out" / PREFLIGHT_FILE).exists()
    first_err = lms["first"].stderr
    assert "pre-flight: the solution scored full marks for 'mhsm-preflight' in the sandbox (" in first_err


def test_a_broken_setup_stops_before_any_student_with_exit_2(lms):
    refused = lms["refused"]
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert lines[0] == "pre-flight: grading the solution 01_budgeting_lab.ipynb for 'mhsm-preflight' in the sandbox"
    message = lines[1:]
    assert len(message) == 2
    assert "First errors: cell 5 raised ModuleNotFoundError (No module named 'mhsm_course_extras')" in message[0]
    assert message[0].startswith("Pre-flight check failed: your solution notebook 01_budgeting_lab.ipynb, graded "
                                 "for the id 'mhsm-preflight' in the same sandbox as the students, did not score full "
                                 "marks: it scored 0 of 13 points")
    assert message[-1].startswith("This is a problem with the grading set-up, not with any student's work, so no "
                                  "student was graded and no gradebook row was written.")
    out = lms["base"] / "out-broken"
    assert sorted(p.name for p in out.iterdir()) == [".mhsm-grade.lock"]  # no rows, no manifest, no cache


def test_assignment_without_a_canvas_id_is_refused(lms):
    assert lms["no_id"].returncode == 2
    assert lms["no_id"].stderr.startswith("--assignment 'Lab 01' has no Canvas assignment id.")
    assert not (lms["base"] / "out-no-id").exists()


def test_nothing_escaped_and_nothing_was_left(lms):
    assert lms["after"]["subs"] == lms["subs_before"]  # submissions never modified
    assert lms["after"]["processes"] == []
    assert lms["after"]["temp"] <= lms["temp_before"]
    roots = {Path("/tmp"), Path(os.environ.get("TMPDIR", "/tmp")), *lms["base"].parents[:3]}
    hits = [p for root in roots for p in root.iterdir() if ESCAPE in p.name]
    hits += [Path(d) / n for d, dirs, names in os.walk(lms["base"]) for n in dirs + names if ESCAPE in n]
    assert hits == []


def test_another_lab_gets_the_same_rules(lms):
    assert lms["lab04"].returncode == 0, lms["lab04"].stderr[-2000:]
    assert [(r["student_id"], r["total"], r["max"], r["status"], r["reason"]) for r in lms["lab04_rows"]] == [
        ("s500", "10", "10", "graded",
         'Graded a copy (its name carries "Copy of" and "(1)"): it is the only file from this student. '
         "The notebook passes the id 't043' to "
         "start_lab, but this file is graded as 's500': the lab ran on the data of 's500' and was graded for it. "
         "Type your id only in the STUDENT_ID cell and leave start_lab(..., STUDENT_ID) as it was. baseline_median "
         "(q2) was changed by a later cell after its check ran: graded the value the check saw.")]
