"""A folder that is not (only) a class: GitHub Classroom repos with .git, a student's virtual environment, caches,
and a home or project folder given by mistake. Nothing in them is graded, nothing is lost, and a folder far too
big to be a class is refused before anything is written."""
from __future__ import annotations

import datetime
import json
import os
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from mhsm_lessons.grading import GradingError, grade
from mhsm_lessons.grading import collect
from mhsm_lessons.grading import manifest as manifest_module
from mhsm_lessons.grading import run as run_module
from mhsm_lessons.grading.demo_class import _clean, _set_id

from .classroom import SOLUTION


def _notebook(path: Path, student: str) -> None:
    nb = _clean(nbformat.read(SOLUTION, as_version=4))
    _set_id(nb, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _classroom(base: Path) -> Path:
    """A GitHub Classroom download: one repository per student, each with its .git folder."""
    cls = base / "lab01-submissions"
    for student in ("s001", "s002"):
        repo = cls / f"lab01-{student}"
        _notebook(repo / "01_budgeting_lab.ipynb", student)
        (repo / ".git" / "objects" / "ab").mkdir(parents=True)
        (repo / ".git" / "objects" / "ab" / "cdef0123").write_bytes(b"x\x9c\x4b\xca\xc9\x4f")
        (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        (repo / ".git" / "COMMIT_EDITMSG").write_text("{\"cells\": []}\n")  # JSON-ish, still not a submission
    env = cls / "lab01-s002" / ".venv"
    (env / "pyvenv.cfg").parent.mkdir(parents=True)
    (env / "pyvenv.cfg").write_text("home = /usr/bin\n")
    _notebook(env / "share" / "jupyter" / "example.ipynb", "s999")  # a package's notebook, not the student's
    (cls / "lab01-s002" / "__pycache__").mkdir()
    (cls / "lab01-s002" / "__pycache__" / "helpers.cpython-311.pyc").write_bytes(b"\x00" * 16)
    (cls / "lab01-s001" / "README.md").write_text("# Lab 01\n")
    return cls


def test_version_control_environment_and_cache_folders_are_not_searched(tmp_path, capsys):
    cls = _classroom(tmp_path)
    skipped = Counter()
    names = [name for _, name, _ in collect._collect([cls], skipped)]
    assert names == ["lab01-s001/01_budgeting_lab.ipynb", "lab01-s001/README.md", "lab01-s002/01_budgeting_lab.ipynb"]
    assert skipped == Counter({"version-control": 2, "Python environment": 1, "cache": 1})
    subs = run_module._scan([cls])
    assert capsys.readouterr().err == (
        "Not searched for submissions: 1 Python environment folder, 1 cache folder, 2 version-control folders.\n")
    assert [(s.name, s.lab) for s in subs if s.parse_error is None] == [
        ("lab01-s001/01_budgeting_lab.ipynb", "01_budgeting_lab"), ("lab01-s002/01_budgeting_lab.ipynb",
                                                                    "01_budgeting_lab")]


@pytest.mark.parametrize("name", ["site-packages", "node_modules", ".hg", ".svn"])
def test_each_kind_of_folder_that_holds_no_submissions(tmp_path, name):
    (tmp_path / "cls" / name / "deep").mkdir(parents=True)
    (tmp_path / "cls" / name / "deep" / "x.ipynb").write_text("{}")
    (tmp_path / "cls" / "s001_01_budgeting_lab.ipynb").write_text("{}")
    skipped = Counter()
    assert [n for _, n, _ in collect._collect([tmp_path / "cls"], skipped)] == ["s001_01_budgeting_lab.ipynb"]
    assert sum(skipped.values()) == 1


def test_a_folder_too_big_to_be_a_class_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(collect, "MAX_FILES", 30)
    home = tmp_path / "home"
    for i in range(31):
        (home / f"dir{i // 10}").mkdir(parents=True, exist_ok=True)
        (home / f"dir{i // 10}" / f"f{i}.txt").write_text("x")
    out = tmp_path / "out"
    with pytest.raises(GradingError) as err:
        grade([home], out, solution=SOLUTION, progress=None)
    assert str(err.value) == (
        f"The folders given hold more than 30 files (the search stopped in {home / 'dir3'}): this looks like a home, "
        "course or project folder, not a class's submissions. Give the folder of downloaded submissions (for example "
        "the unzipped LMS download), or the notebooks themselves.")
    assert not out.exists()
    assert len(list(home.rglob("*.txt"))) == 31  # nothing touched


def test_files_that_need_no_kernel_are_committed_in_one_write(tmp_path, monkeypatch):
    folder = tmp_path / "junk"
    folder.mkdir()
    for i in range(300):
        (folder / f"s{i:03d}_notes.txt").write_text(f"not a notebook {i}")
    writes = []
    real = manifest_module._atomic_write
    monkeypatch.setattr(manifest_module, "_atomic_write", lambda path, data: (writes.append(path), real(path, data)))
    m = manifest_module._Manifest(tmp_path / "manifest.json", force=False)
    to_run, skipped, faults = run_module._plan(run_module._scan([folder]), "01_budgeting_lab", m)
    assert (to_run, skipped, faults, len(writes)) == ([], 0, {}, 1)
    stored = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["entries"]
    assert len(stored) == 300 and {e["status"] for e in stored.values()} == {"not a notebook"}


def test_a_github_classroom_download_is_graded_without_its_git_folders(tmp_path, capsys):
    cls = _classroom(tmp_path)
    result = grade([cls], tmp_path / "out", solution=SOLUTION, progress=None)
    graded = sorted((r["student_id"], r["total"]) for r in result.rows if r["status"] == "graded")
    assert graded == [("lab01-s001", 13.0), ("lab01-s002", 13.0)]  # the repository folder names the student
    with open(tmp_path / "out" / "submissions.csv", encoding="utf-8") as fh:
        files = sorted(line.split(",")[0] for line in fh.read().splitlines()[1:])
    # every file searched has its row; nothing from .git, .venv or __pycache__ does
    assert files == ["lab01-s001/01_budgeting_lab.ipynb", "lab01-s001/README.md", "lab01-s002/01_budgeting_lab.ipynb"]
    assert "Not searched for submissions: 1 Python environment folder, 1 cache folder, 2 version-control " \
           "folders." in capsys.readouterr().err


def _newer(path: Path, data: bytes, base: Path) -> None:
    path.write_bytes(data)
    stamp = base.stat().st_mtime + 60
    os.utime(path, (stamp, stamp))


@pytest.mark.parametrize("extra, data, status", [
    ("s042_01_budgeting_lab.pdf", b"%PDF-1.4 the notebook exported as PDF", "not a notebook"),
    ("s042_01_budgeting_lab.html", b"<!DOCTYPE html><html>exported</html>", "not a notebook"),
])
def test_a_file_handed_in_beside_the_notebook_never_replaces_it(tmp_path, extra, data, status):
    # many courses ask for the notebook and its PDF export; the export is saved last, so it is the newest file
    cls = tmp_path / "cls"
    notebook = cls / "s042_01_budgeting_lab.ipynb"
    _notebook(notebook, "s042")
    _newer(cls / extra, data, notebook)
    result = grade([cls], tmp_path / "out", solution=SOLUTION, progress=None)
    stamp = datetime.datetime.fromtimestamp(notebook.stat().st_mtime, datetime.timezone.utc)
    assert [(r["student_id"], r["status"], r["total"], r["reason"]) for r in result.rows] == [(
        "s042", "graded", 13.0,
        f"2 files from this student: graded the newest notebook of this lab, s042_01_budgeting_lab.ipynb (modified "
        f"{stamp:%Y-%m-%d %H:%M} UTC); not graded: {extra} ({status}).")]


def test_a_pdf_alone_is_still_not_a_notebook(tmp_path):
    cls = tmp_path / "cls"
    cls.mkdir()
    (cls / "s042_01_budgeting_lab.pdf").write_bytes(b"%PDF-1.4 only the export")
    result = grade([cls], tmp_path / "out", lab_id="01_budgeting_lab", solution=SOLUTION, progress=None)
    assert [(r["student_id"], r["status"], r["total"]) for r in result.rows] == [("s042", "not a notebook", 0.0)]
