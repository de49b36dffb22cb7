"""Exercises are generated from solutions: stubs, locked cells, cleared outputs, drift and leak detection."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mhsm_lessons.authoring.release import ReleaseError, check_release, release, release_notebook, solution_lines

ROOT = Path(__file__).resolve().parents[2]


def notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "conda-env-mha-py", "display_name": "mha", "language": "python"}
    return nb


def test_solution_region_becomes_a_stub_assigning_ellipsis():
    cell = new_code_cell("x = 1\n# BEGIN SOLUTION\nrow = df.iloc[0]\nanswer = row['a'] * 2\n# END SOLUTION\nanswer",
                         outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "2"})],
                         execution_count=3)
    out = release_notebook(notebook(cell)).cells[0]
    assert out.source == "x = 1\nanswer = ...  # YOUR CODE HERE\nanswer"
    assert out.outputs == [] and out.execution_count is None


def test_triple_hash_markers_tuple_targets_and_non_assignments():
    cell = new_code_cell("### BEGIN SOLUTION\na, b = 1, 2\n### END SOLUTION")
    assert release_notebook(notebook(cell)).cells[0].source == ("a = ...  # YOUR CODE HERE\n"
                                                               "b = ...  # YOUR CODE HERE")
    plot = new_code_cell("    # BEGIN SOLUTION\n    plt.plot([1, 2])\n    # END SOLUTION")
    assert release_notebook(notebook(plot)).cells[0].source == "    # YOUR CODE HERE"


def test_markdown_region_locked_cells_and_normalised_kernelspec():
    memo = new_markdown_cell("Write a memo.\n<!-- BEGIN SOLUTION -->\nDear CNO,\n<!-- END SOLUTION -->")
    setup = new_code_cell("import pandas", metadata={"tags": ["setup"], "collapsed": True})
    check = new_code_cell("lab.check('q1', x)", metadata={"tags": ["check"]})
    free = new_code_cell("y = 2")
    nb = release_notebook(notebook(memo, setup, check, free))
    assert nb.cells[0].source == "Write a memo.\n_Write your answer here._"
    assert nb.cells[1].metadata == {"tags": ["setup"], "deletable": False, "editable": False}
    assert nb.cells[2].metadata["editable"] is False
    assert "editable" not in nb.cells[3].metadata
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                         "language": "python"}


@pytest.mark.parametrize("source, message", [
    ("# BEGIN SOLUTION\nx = 1", "nb, cell 1: BEGIN SOLUTION at line 1 has no END SOLUTION."),
    ("x = 1\n# END SOLUTION", "nb, cell 1: END SOLUTION at line 2 without a BEGIN SOLUTION."),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "nb, cell 1: BEGIN SOLUTION at line 2 inside another "
                                                           "solution region."),
    ("# BEGIN SOLUTION\nx = (\n# END SOLUTION", "nb, cell 1: the solution code is not valid Python ('(' was never "
                                                "closed, line 1)."),
])
def test_malformed_solutions_are_refused(source, message):
    with pytest.raises(ReleaseError) as info:
        release_notebook(notebook(new_code_cell(source)), "nb")
    assert str(info.value) == message


def test_committed_exercises_are_in_step_and_leak_free():
    assert check_release(ROOT / "solutions", ROOT / "exercises") == []


@pytest.fixture
def course(tmp_path):
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    release(tmp_path / "solutions", tmp_path / "exercises")
    return tmp_path


def test_editing_a_solution_cell_makes_the_check_fail(course):
    path = course / "solutions" / "01_budgeting_lab.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "BEGIN SOLUTION" in c.source and c.cell_type == "code")
    cell.source = cell.source.replace("# END SOLUTION", "extra_line = 1\n# END SOLUTION")
    nbformat.write(nb, path)
    assert check_release(course / "solutions", course / "exercises") == [
        f"{course / 'exercises' / '01_budgeting_lab.ipynb'}: out of date with {path} (run `mhsm release`)"]


def test_solution_text_pasted_into_an_exercise_is_a_leak(course):
    exercise = course / "exercises" / "01_budgeting_lab.ipynb"
    nb = nbformat.read(exercise, as_version=4)
    secret = sorted(solution_lines(nbformat.read(course / "solutions" / exercise.name, as_version=4)))[0]
    nb.cells[-1].source += "\n" + secret
    nbformat.write(nb, exercise)
    problems = check_release(course / "solutions", course / "exercises")
    assert problems[0].endswith("(run `mhsm release`)")
    assert problems[1].startswith(f"{exercise}, cell {len(nb.cells)}: solution text leaks into the exercise: ")


def test_missing_and_orphan_exercises_are_reported(course):
    (course / "exercises" / "01_budgeting_lab.ipynb").rename(course / "exercises" / "old_lab.ipynb")
    assert check_release(course / "solutions", course / "exercises") == [
        f"{course / 'exercises' / '01_budgeting_lab.ipynb'}: missing (run `mhsm release`)",
        f"{course / 'exercises' / 'old_lab.ipynb'}: no solution notebook makes this exercise (delete it or add "
        f"{course / 'solutions' / 'old_lab.ipynb'})"]


def test_released_lab_has_stubs_for_every_answer_and_no_solution_lines():
    exercise = nbformat.read(ROOT / "exercises" / "01_budgeting_lab.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / "01_budgeting_lab.ipynb", as_version=4)
    text = "\n".join(c.source for c in exercise.cells)
    for variable in ("rn_flexible_budget", "rn_volume_variance", "rn_quantity_variance", "rn_price_variance",
                     "rn_total_variance_label", "worked_hppd", "rn_worked_fte", "productive_share",
                     "labor_variance_pct", "variance_report", "contribution_margin_per_pd",
                     "break_even_patient_days"):
        assert f"{variable} = ...  # YOUR CODE HERE" in text
    assert "BEGIN SOLUTION" not in text and "Dear CNO" not in text
    assert len(solution_lines(solution)) > 20
    checks = [c for c in exercise.cells if "check" in c.metadata.get("tags", [])]
    assert len(checks) == 13 and all(c.metadata["editable"] is False for c in checks)
