"""The student edition: lessons and exercises, a student README, nothing that names or holds the solutions."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from mhsm_lessons.authoring.edition import (MARKER_FILE, SOLUTIONS_MENTION, EditionError, strip_instructor_text,
                                            write_student_edition)

ROOT = Path(__file__).resolve().parents[2]


def _mhsm(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("ed") / "student"
    run = _mhsm("release", "--student-edition", out)
    assert run.returncode == 0, run.stderr
    return out, run


def test_the_edition_holds_only_what_students_need(edition):
    out, run = edition
    top = sorted(p.name for p in out.iterdir())
    assert top == [MARKER_FILE, "LICENSE", "README.md", "datasets", "exercises", "notebooks"]
    assert sorted(p.name for p in (out / "exercises").iterdir()) == sorted(
        p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == sorted(
        p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert not list(out.rglob("*.py")), "no library source, tests or tools"
    assert run.stdout.startswith(f"wrote the student edition to {out}: notebooks/ (")
    assert run.stdout.rstrip().endswith("; no solutions, tests, tools or library source")
    meta = json.loads((out / MARKER_FILE).read_text())
    assert meta["edition"] == "student" and meta["library_version"]


def test_nothing_in_the_edition_names_solutions(edition):
    out, _ = edition
    grep = subprocess.run(["grep", "-rn", "solutions/", str(out)], capture_output=True, text=True)
    assert grep.returncode == 1, grep.stdout  # grep finds nothing
    for path in out.rglob("*"):
        if path.is_file():
            assert not SOLUTIONS_MENTION.search(path.read_text(encoding="utf-8", errors="replace")), path


def test_no_solution_line_reaches_the_edition(edition):
    from mhsm_lessons.authoring.release import solution_lines
    out, _ = edition
    for solution in (ROOT / "solutions").glob("*.ipynb"):
        secret = solution_lines(nbformat.read(solution, as_version=4))
        exercise = nbformat.read(out / "exercises" / solution.name, as_version=4)
        lines = {line.strip() for cell in exercise.cells for line in cell.source.splitlines()}
        leaked = [line for line in secret if line.strip() in lines]
        assert not leaked, leaked[:3]


def test_exercises_are_the_released_ones_and_lessons_keep_their_outputs(edition):
    out, _ = edition
    for path in (ROOT / "exercises").glob("*.ipynb"):
        assert (out / "exercises" / path.name).read_text() == path.read_text()
    lesson = nbformat.read(out / "notebooks" / "01_budgeting.ipynb", as_version=4)
    assert any(cell.get("outputs") for cell in lesson.cells if cell.cell_type == "code")


def test_the_student_readme_says_which_edition_this_is(edition):
    text = (edition[0] / "README.md").read_text()
    assert text.startswith("# MHSM Lessons: student edition\n")
    for phrase in ("without worked answers", "notebooks/00_start_here.ipynb", "hub user name",
                   "never overwrites a file you changed", "*instructor edition*"):
        assert phrase in text, phrase
    assert "make " not in text and ".venv" not in text  # laptop commands fail on a hub


def test_cuts_are_reported_as_notes(edition):
    _, run = edition
    for line in run.stderr.splitlines():
        assert line.startswith(("note: notebooks/", "note: exercises/")), line


def test_instructor_markers_and_tags(tmp_path):
    course = tmp_path / "course"
    for folder in ("notebooks", "exercises", "solutions"):
        (course / folder).mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lesson\n\n<!-- BEGIN INSTRUCTOR -->\nAnswer key: 42.\n<!-- END INSTRUCTOR -->\n"
                                      "Read on."),
        nbformat.v4.new_markdown_cell("Teacher notes", metadata={"tags": ["instructor"]}),
        nbformat.v4.new_markdown_cell("Compare with `solutions/x.ipynb` when stuck.")])
    nbformat.write(nb, course / "notebooks" / "01_x.ipynb")
    report = write_student_edition(course, tmp_path / "out")
    lesson = nbformat.read(tmp_path / "out" / "notebooks" / "01_x.ipynb", as_version=4)
    assert [c.source for c in lesson.cells] == ["# Lesson\n\nRead on."]
    assert report.notes == ["notebooks/01_x.ipynb, cell 3: cut the paragraph 'Compare with `solutions/x.ipynb` "
                            "when stuck.'"]


def test_a_leak_in_code_stops_the_edition_and_leaves_nothing(tmp_path):
    course = tmp_path / "course"
    for folder in ("notebooks", "exercises", "solutions"):
        (course / folder).mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('open("../solutions/key.ipynb")')])
    nbformat.write(nb, course / "notebooks" / "01_x.ipynb")
    with pytest.raises(EditionError, match="names the solutions folder"):
        write_student_edition(course, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_the_edition_refuses_stale_exercises_and_foreign_folders(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "solutions", course / "solutions")
    (course / "notebooks").mkdir()
    (course / "exercises").mkdir()
    with pytest.raises(EditionError, match="run `mhsm release` first"):
        write_student_edition(course, tmp_path / "out")
    shutil.copytree(ROOT / "exercises", course / "exercises", dirs_exist_ok=True)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("mine")
    with pytest.raises(EditionError, match="not empty and holds no previous student edition"):
        write_student_edition(course, foreign)
    assert (foreign / "thesis.tex").exists()
    with pytest.raises(EditionError, match="outside the course folder"):
        write_student_edition(course, course / "student")
    # a previous edition in a git checkout is replaced, its .git kept
    out = tmp_path / "branch"
    write_student_edition(course, out)
    (out / ".git").mkdir()
    (out / "stale.txt").write_text("old")
    write_student_edition(course, out)
    assert (out / ".git").is_dir() and not (out / "stale.txt").exists()


def test_strip_units():
    assert strip_instructor_text("1. Do this.\n2. See solutions/a.ipynb.\n3. Then that.") == (
        "1. Do this.\n3. Then that.", ["cut the list item '2. See solutions/a.ipynb.'"])
    assert strip_instructor_text("No mention of the word solutions here.") == (
        "No mention of the word solutions here.", [])


def test_a_marked_instructor_block_at_the_end_of_a_cell_leaves_no_blank_tail():
    text = ("* **Students:** open the exercise.\n\n<!-- BEGIN INSTRUCTOR -->\n* **Self-learners:** compare with\n"
            "  `solutions/NN_topic_lab.ipynb`.\n<!-- END INSTRUCTOR -->")
    assert strip_instructor_text(text) == ("* **Students:** open the exercise.", [])


def test_a_line_from_another_labs_answers_is_a_note_not_a_leak(tmp_path):
    from mhsm_lessons.authoring.release import release
    course = tmp_path / "course"
    for folder in ("notebooks", "exercises", "solutions"):
        (course / folder).mkdir(parents=True)
    answer = "rn = labor.iloc[0]"
    first = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"# BEGIN SOLUTION\n{answer}\n# END SOLUTION")])
    second = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"{answer}  # given: lab 01's selection")])
    second.cells[0].source = answer
    nbformat.write(first, course / "solutions" / "01_a_lab.ipynb")
    nbformat.write(second, course / "solutions" / "05_b_lab.ipynb")
    release(course / "solutions", course / "exercises")
    report = write_student_edition(course, tmp_path / "out")
    assert report.notes == ["exercises/05_b_lab.ipynb shows 1 line(s) from the worked answers of 01_a_lab, "
                            "e.g. 'rn = labor.iloc[0]'"]
