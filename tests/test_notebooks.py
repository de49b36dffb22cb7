"""Test layer 3: papermill runs every lab solution for several student ids and every exercise untouched.

(Layer 2, nbval against the committed outputs of notebooks/ and solutions/, runs from pytest's own
collection: see ``[tool.pytest.ini_options]`` in pyproject.toml.)
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill
import pytest

from mhsm_lessons import list_labs

ROOT = Path(__file__).resolve().parents[1]
STUDENT_IDS = ("s101", "s202", "s303")


def run(path: Path, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    out = tmp_path / f"out-{path.name}"
    papermill.execute_notebook(str(path), str(out), parameters=parameters, kernel_name="python3",
                               progress_bar=False, cwd=str(tmp_path), request_save_on_cell_execute=False)
    return nbformat.read(out, as_version=4)


def check_outputs(nb) -> list[str]:
    """First line of the text output of every check cell except the final progress table."""
    lines = []
    for cell in nb.cells:
        if "check" in cell.metadata.get("tags", []) and "progress()" not in cell.source:
            texts = [o.get("data", {}).get("text/plain", "") for o in cell.outputs if o.output_type == "execute_result"]
            assert len(texts) == 1, cell.source
            lines.append(texts[0].splitlines()[0])
    return lines


@pytest.mark.parametrize("lab_id", list_labs())
@pytest.mark.parametrize("student_id", STUDENT_IDS)
def test_solution_passes_every_check_for_each_student(lab_id, student_id, tmp_path):
    nb = run(ROOT / "solutions" / f"{lab_id}.ipynb", tmp_path, STUDENT_ID=student_id)
    lines = check_outputs(nb)
    assert lines and all(re.fullmatch(r"✅ q\d+[a-z]?: correct \(.+\)", line) for line in lines), lines
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and f'STUDENT_ID = "{student_id}"' in injected[0].source
    progress = nb.cells[-1].outputs[0]["data"]["text/plain"]
    assert f": {len(lines)} of {len(lines)} questions correct" in progress.splitlines()[0]


@pytest.mark.parametrize("lab_id", list_labs())
def test_untouched_exercise_runs_all_and_reports_not_answered(lab_id, tmp_path):
    nb = run(ROOT / "exercises" / f"{lab_id}.ipynb", tmp_path)
    lines = check_outputs(nb)
    assert lines and all(re.fullmatch(r"⬜ q\d+[a-z]?: not answered \(.+\)", line) for line in lines), lines
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert ": 0 of " in nb.cells[-1].outputs[0]["data"]["text/plain"]


def test_exercise_with_wrong_answers_still_runs_to_the_end(tmp_path):
    """A student's wrong (even absurd) answers give feedback, never an error, and later cells still run."""
    path = tmp_path / "attempt.ipynb"
    nb = nbformat.read(ROOT / "exercises" / "01_budgeting_lab.ipynb", as_version=4)
    for cell in nb.cells:
        cell.source = (cell.source.replace("rn_flexible_budget = ...", "rn_flexible_budget = 'a lot'")
                       .replace("variance_report = ...", "variance_report = None")
                       .replace("break_even_patient_days = ...", "break_even_patient_days = float('nan')"))
    nbformat.write(nb, path)
    lines = check_outputs(run(path, tmp_path))
    assert lines[0] == "❌ q1: not yet (RN flexible budget)"
    assert lines[9] == "❌ q10: not yet (Monthly variance report)"
    assert lines[11] == "❌ q12: not yet (Break-even patient days)"


def test_check_after_a_failed_answer_cell_says_not_answered_not_name_error(tmp_path):
    """The answer cell raises (a typo), so rn_flexible_budget is never assigned: its check still says not answered."""
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "exercises" / "01_budgeting_lab.ipynb", as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace("rn_flexible_budget = ...  # YOUR CODE HERE",
                                          "rn = labr[labr['month'] == '2026-09']  # a typo: labr\n"
                                          "rn_flexible_budget = rn['actual_patient_days']")
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [(i, o["ename"]) for i, c in enumerate(nb.cells) if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert len(errors) == 1 and errors[0][1] == "NameError"  # only the answer cell itself
    check = nb.cells[errors[0][0] + 1]
    assert "check" in check.metadata.tags
    text = check.outputs[0]["data"]["text/plain"]
    assert text == ("⬜ q1: not answered (RN flexible budget)\nrn_flexible_budget is not defined yet: run the answer "
                    "cell above (and fix any error it shows), then run this cell again.")


def test_lab02_exercise_wrong_answers_and_every_misconception_give_their_messages(tmp_path):
    """Lab 02 in a real kernel: student-written mistakes get their own message, and every misconception's value
    (computed the way the lab defines it) yields its exact message; later cells still run."""
    from tests.labs.test_revenue_cycle import MESSAGES

    path = tmp_path / "attempt.ipynb"
    nb = nbformat.read(ROOT / "exercises" / "02_revenue_cycle_lab.ipynb", as_version=4)
    answers = {
        "net_days_in_ar = ...": 'net_days_in_ar = "about 48"',
        "ar_over_90_share = ...": 'ar_over_90_share = rc.aged_ar_share(claims, "2025-12-31", basis="billing")',
        "initial_denial_rate = ...": ('remitted = claims[claims["first_remit_date"].notna()]\n'
                                      'initial_denial_rate = (remitted["initial_denial"].astype(bool)\n'
                                      '                       & (remitted["appeal_outcome"] != "overturned")).mean()'),
        "top_denial_category = ...": 'top_denial_category = rc.denial_pareto(claims)["category"].iloc[0]',
        "auth_signal_weeks = ...": "auth_signal_weeks = None",
        "underpayment_total = ...": ('paid = claims[claims["payment_date"].notna()]\n'
                                     'gap = paid["allowed_amount"] - paid["paid_amount"]\n'
                                     'underpayment_total = gap[gap > 0.005].sum()'),
    }
    for cell in nb.cells:
        for stub, answer in answers.items():
            if cell.source.startswith(stub):
                cell.source = cell.source.replace(stub + "  # YOUR CODE HERE", answer)
    nb.cells.append(nbformat.v4.new_code_cell(
        "for q in lab.spec.questions:\n"
        "    for m in q.misconceptions:\n"
        "        r = lab.check(q.qid, m.value(lab))\n"
        "        print(q.qid, m.key, r.misconception, r.message, sep='|')"))
    nbformat.write(nb, path)
    out = run(path, tmp_path)
    lines = check_outputs(out)
    assert lines[0] == "❌ q1: not yet (Net days in A/R at 31 December)"
    texts = {c.source.split("(")[1].split(",")[0].strip('"'): c.outputs[0]["data"]["text/plain"]
             for c in out.cells if "check" in c.metadata.get("tags", []) and "progress()" not in c.source}
    assert texts["q1"].splitlines()[1].startswith("Your answer is text ('about 48')")
    assert texts["q2"].splitlines()[1] == MESSAGES[("q2", "aged from billing date")]
    assert texts["q3"].splitlines()[1] == MESSAGES[("q3", "overturned excluded")]
    assert texts["q4"].splitlines()[1] == MESSAGES[("q4", "Pareto by count")]
    assert texts["q5"].splitlines()[1].startswith("Your answer is None")
    assert texts["q10"].splitlines()[1] == MESSAGES[("q10", "paid below allowed")]
    printed = "".join(o.get("text", "") for o in out.cells[-1].outputs if o.output_type == "stream").splitlines()
    seen = {(qid, key): (found, message) for qid, key, found, message in (line.split("|") for line in printed)}
    assert set(seen) == set(MESSAGES)
    for (qid, key), message in MESSAGES.items():
        assert seen[(qid, key)] == (key, message), (qid, key)
    errors = [o for c in out.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
