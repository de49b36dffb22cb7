"""Every lab's solution grades to full marks through `mhsm grade` under the default sandbox.

The grading kernel holds a copy of the library without ``mhsm_lessons.labs`` (no answer key), so a lab notebook
that imports from ``labs`` or needs anything else the sandbox does not show fails here before a class does.
"""
from __future__ import annotations

import csv
import shutil

import pytest

from mhsm_lessons import list_labs
from mhsm_lessons.labs import LABS

from .classroom import ROOT, mhsm


@pytest.mark.parametrize("lab_id", list_labs())
def test_solution_grades_full_marks_in_the_sandbox(lab_id, tmp_path):
    submissions = tmp_path / "submitted"
    submissions.mkdir()
    shutil.copy(ROOT / "solutions" / f"{lab_id}.ipynb", submissions / f"s777_{lab_id}.ipynb")
    run = mhsm("grade", str(submissions), "--out", str(tmp_path / "out"), "--workers", "1")
    assert run.returncode == 0, run.stderr[-2000:]
    with open(tmp_path / "out" / "gradebook.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1
    row = rows[0]
    assert (row["student_id"], row["status"], row["reason"]) == ("s777", "graded", "")
    assert row["total"] == row["max"]
    assert [q for q in LABS[lab_id].qids if row[q] in ("", "0")] == []
