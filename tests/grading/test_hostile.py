"""The hostile class (tests/grading/hostile.py), graded with the demo class under the default sandbox.

Every cheat scores 0 for what it forged, every victim keeps full marks, nothing outside the sandbox changes
(the course folder, the course copy the grader reads points from, the venv, the other submissions, --out), no
process started by the run outlives it, and no submission reaches the network or a classmate's process.
"""
from __future__ import annotations

import csv

from .classroom import ROOT


def test_every_cheat_scores_zero_for_what_it_forged(graded):
    rows = graded["rows"]
    for sid in ("h01", "h02", "h03", "h04", "h05", "h06", "h07"):
        assert (rows[sid]["status"], rows[sid]["total"]) == ("graded", "0"), (sid, graded["kinds"][sid])
    # h04's forged reply says 1.0 for every answer: each one is checked here, in the instructor's process.
    page = (graded["base"] / "out" / "feedback" / "h04.html").read_text(encoding="utf-8")
    assert "Your answer 1.00 is" not in page and page.count("class='not-yet'") == 12


def test_every_victim_keeps_full_marks(graded):
    rows = graded["rows"]
    for sid in ("s001", "s002", "s014"):  # read, written to, impersonated, and a classmate running alongside
        assert (rows[sid]["status"], rows[sid]["total"], rows[sid]["reason"]) == ("graded", "13", ""), sid
    assert graded["fs_after"]["victim_alive"]  # the process h07 tried to kill
    assert graded["fs_after"]["connections"] == 0  # h07's connection to the loopback never arrived


def test_nothing_outside_the_sandbox_changed(graded):
    before, after = graded["fs_before"], graded["fs_after"]
    assert before["subs"] == after["subs"] == graded["after_second"]  # the submissions, classmates' included
    assert before["course"] == after["course"]  # solutions (points) and datasets the grader reads
    assert before["root"] == after["root"]  # the real course folder
    assert before["venv"] == after["venv"]  # no planted .pth, nothing written in the environment
    assert not (graded["venv_site"] / "zz_mhsm_planted.pth").exists()
    assert after["out"] == graded["out_second"]  # nothing rewrote --out after the run (daemons, atexit)
    manifest = (graded["base"] / "out" / "manifest.json").read_text(encoding="utf-8")
    assert "forged" not in manifest and "changed by a submission" not in manifest


def test_no_process_or_temporary_folder_outlives_the_run(graded):
    assert graded["fs_after"]["processes"] == []  # kernels, sandboxes and h05's double-forked daemons
    assert graded["fs_before"]["temp"] == graded["fs_after"]["temp"]


def test_a_notebook_naming_a_classmate_is_graded_as_its_file_says(graded):
    rows = graded["rows"]
    assert rows["h10"]["status"] == "graded" and rows["s001"]["submission"] == "s001/01_budgeting_lab.ipynb"
    assert rows["h10"]["submission"] == "h10_01_budgeting_lab.ipynb"


def test_stray_copies_are_listed_not_graded(graded):
    with open(graded["base"] / "out" / "submissions.csv", newline="", encoding="utf-8") as fh:
        strays = [(r["file"], r["student_id"], r["status"], r["reason"]) for r in csv.DictReader(fh)
                  if r["status"] == "not graded: stray copy"]
    assert strays == [
        ("Untitled.ipynb", "", "not graded: stray copy", "Not graded: an untitled notebook, not a submission."),
        ("s002_01_budgeting_lab-Copy1.ipynb", "", "not graded: stray copy",
         'Not graded: a copy (its name carries "-Copy1"), not a submission.'),
        ("s003/.ipynb_checkpoints/01_budgeting_lab-checkpoint.ipynb", "", "not graded: stray copy",
         "Not graded: a Jupyter checkpoint, not a submission.")]
    assert "" not in graded["rows"]


def test_csv_cells_that_start_a_formula_are_neutralised(graded):
    gradebook = graded["raw_gradebook"].decode("utf-8")
    assert "\n'=cmd,'-2+3 Evil,MHA 610," in gradebook and "\n=cmd" not in gradebook
    with open(graded["base"] / "out" / "canvas.csv", newline="", encoding="utf-8") as fh:
        canvas = [r for r in csv.reader(fh) if r[0] == "'-2+3 Evil"]
    assert canvas == [["'-2+3 Evil", "99001", "'@SIS", "'+login", "MHA 610", "13"]]


def test_a_late_folder_adds_to_the_class(graded):
    late, rows = graded["late_rows"], graded["rows"]
    assert graded["third"].returncode == 0, graded["third"].stderr
    assert (late["s019"]["status"], late["s019"]["total"]) == ("graded", "13")
    assert {k: v for k, v in late.items() if k != "s019"} == {k: v for k, v in rows.items() if k != "s019"}


def test_the_grading_kernel_holds_no_answer_key(tmp_path):
    from mhsm_lessons.grading.sandbox import stage_library

    lib = stage_library(tmp_path)
    names = {p.relative_to(lib).as_posix() for p in lib.rglob("*.py")}
    assert "mhsm_lessons/labs/__init__.py" in names and "mhsm_lessons/labs/budgeting.py" not in names
    assert not any(n.startswith(("mhsm_lessons/grading/", "mhsm_lessons/authoring/")) for n in names)
    stub = (lib / "mhsm_lessons" / "labs" / "__init__.py").read_text(encoding="utf-8")
    assert "lambda" not in stub and "def " not in stub and "import" in stub
    assert str(ROOT) not in stub
