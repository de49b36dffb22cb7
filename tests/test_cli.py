"""The mhsm command's exit codes and messages (run as a subprocess, as a user would)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def mhsm(*args, cwd):
    return subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def make_course(tmp_path):
    for folder in ("solutions", "exercises", "datasets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "environment.yml", tmp_path / "environment.yml")
    return tmp_path


def test_checks_pass_on_the_committed_course_and_fail_after_an_edit(tmp_path):
    course = make_course(tmp_path)
    ok = mhsm("release", "--check", cwd=course)
    assert ok.returncode == 0, ok.stderr
    labs = len(list((ROOT / "solutions").glob("*.ipynb")))
    assert labs >= 1
    assert ok.stdout == f"exercises/ is in step with solutions/ ({labs} notebooks, no leaks)\n"
    data_ok = mhsm("data", "export", "--check", cwd=course / "datasets")  # works from a subfolder too
    assert data_ok.returncode == 0, data_ok.stderr
    assert data_ok.stdout == "datasets/ matches the generators\n"

    csv = course / "datasets" / "medsurg_statement.csv"
    csv.write_text(csv.read_text().replace("Linen and laundry", "Linen", 1))
    bad = mhsm("data", "export", "--check", cwd=course)
    assert bad.returncode == 1
    assert bad.stderr == f"{csv}: differs from its generator (run `mhsm data export`, or revert the edit)\n"
    assert mhsm("data", "export", cwd=course).returncode == 0
    assert mhsm("data", "export", "--check", cwd=course).returncode == 0

    exercise = course / "exercises" / "01_budgeting_lab.ipynb"
    exercise.write_text(exercise.read_text().replace("Exercise 1:", "Exercise One:"))
    stale = mhsm("release", "--check", cwd=course)
    assert stale.returncode == 1
    assert stale.stderr.startswith(f"{exercise}: out of date with ")
    assert mhsm("release", cwd=course).returncode == 0
    assert mhsm("release", "--check", cwd=course).returncode == 0


def test_usage_errors_exit_2(tmp_path):
    assert mhsm("frobnicate", cwd=tmp_path).returncode == 2
    missing = mhsm("build", "nope.ipynb", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr == "no such notebook: nope.ipynb\n"


@pytest.mark.parametrize("option, given, expected", [
    ("--workers", "-2", "expected a whole number of workers, 1 or more (for example --workers 2); you gave '-2'."),
    ("--workers", "0", "expected a whole number of workers, 1 or more (for example --workers 2); you gave '0'."),
    ("--workers", "1.5", "expected a whole number of workers, 1 or more (for example --workers 2); you gave '1.5'."),
    ("--cell-timeout", "-5", "expected a number of seconds, above 0 (for example --cell-timeout 120); you gave '-5'."),
    ("--cell-timeout", "nan", "expected a number of seconds, above 0 (for example --cell-timeout 120); you gave "
                              "'nan'."),
    ("--notebook-timeout", "0", "expected a number of seconds, above 0 (for example --notebook-timeout 600); you "
                                "gave '0'."),
    ("--notebook-timeout", "ten", "expected a number of seconds, above 0 (for example --notebook-timeout 600); you "
                                  "gave 'ten'."),
    ("--memory-mb", "-1", "expected a whole number of megabytes, 0 (no limit) or more (for example --memory-mb "
                          "4096); you gave '-1'."),
])
def test_grading_limits_out_of_range_are_refused_before_anything_runs(tmp_path, option, given, expected):
    # a negative time limit used to reach the pre-flight check as a baffling "solution scored 0" failure
    (tmp_path / "class").mkdir()
    shutil.copy(ROOT / "solutions" / "01_budgeting_lab.ipynb", tmp_path / "class" / "s001_01_budgeting_lab.ipynb")
    done = mhsm("grade", "class", "--out", "out", f"{option}={given}", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"mhsm grade: error: argument {option}: {expected}"
    assert not (tmp_path / "out").exists()


def test_default_workers_are_one_per_two_usable_cores(monkeypatch):
    from mhsm_lessons.grading import GradeSettings
    for usable, expected in ((1, 1), (2, 1), (3, 1), (4, 2), (16, 8)):
        monkeypatch.setattr("mhsm_lessons.grading.capacity.usable_cores", lambda n=usable: n)
        assert GradeSettings().n_workers == expected
    assert GradeSettings(workers=3).n_workers == 3  # given: kept, whatever the cores


def test_start_copies_the_exercise_into_work_and_never_overwrites(tmp_path):
    course = make_course(tmp_path)
    pristine = (course / "exercises" / "01_budgeting_lab.ipynb").read_bytes()
    done = mhsm("start", "01", cwd=course)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("Your copy of the lab is work/01_budgeting_lab.ipynb. Open it in JupyterLab (make lab, then "
                           "the work folder) and answer there; exercises/ stays untouched.\n")
    copy = course / "work" / "01_budgeting_lab.ipynb"
    assert copy.read_bytes() == pristine
    copy.write_text("my answers")
    again = mhsm("start", "budgeting", cwd=course)
    assert again.returncode == 0 and "already exists and holds your answers" in again.stdout
    assert copy.read_text() == "my answers"
    assert (course / "exercises" / "01_budgeting_lab.ipynb").read_bytes() == pristine
    wrong = mhsm("start", "07", cwd=course)
    assert wrong.returncode == 2
    labs = ", ".join(sorted(p.stem for p in (ROOT / "exercises").glob("*.ipynb")))
    assert labs.startswith("01_budgeting_lab, 02_revenue_cycle_lab")
    assert wrong.stderr == f"No single lab matches '07'. The labs are: {labs}. For example: mhsm start 01\n"


def test_work_folder_is_git_ignored():
    assert "work/" in (ROOT / ".gitignore").read_text().split()
