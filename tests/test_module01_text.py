"""Module 01's student-facing text: every number stated from the data, dollars escaped, nothing asserted that a
student's data may not show."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from mhsm_lessons import finance, load_dataset

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = [ROOT / "notebooks" / "00_start_here.ipynb", ROOT / "notebooks" / "01_budgeting.ipynb",
             ROOT / "solutions" / "01_budgeting_lab.ipynb", ROOT / "exercises" / "01_budgeting_lab.ipynb"]


def cells(path, kind=None):
    return [c for c in nbformat.read(path, as_version=4).cells if kind is None or c.cell_type == kind]


def markdown(path) -> str:
    return "\n".join(c.source for c in cells(path, "markdown"))


IGNORE = '<div class="tex2jax_ignore mathjax_ignore">'


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_cells_with_dollars_are_not_typeset(path):
    """JupyterLab 4.6 typesets "\\$1 and \\$2" in a Markdown cell as LaTeX (tests/browser shows it); a cell with
    dollar amounts is wrapped in a MathJax-ignore div instead, which every renderer shows as plain text."""
    for cell in cells(path, "markdown"):
        text = re.sub(r"`[^`]*`", "", cell.source)  # code spans are not typeset
        if "$" in text:
            assert IGNORE in text and "\\$" not in text, cell.source[:120]
            body = text.split(IGNORE, 1)[1]
            assert body.startswith("\n\n") and "\n\n</div>" in body, cell.source[:120]


def test_lesson_states_the_monthly_budget_from_the_data():
    statement = load_dataset("medsurg_statement")
    fy = statement[(statement["line_type"] == "expense") & (statement["month"] >= "2025-10")]
    total = fy.groupby("month")["budget"].sum().mean()
    direct = fy[fy["cost_level"] == "direct"].groupby("month")["budget"].sum().mean()
    text = markdown(ROOT / "notebooks" / "01_budgeting.ipynb")
    assert f"about ${total / 1e6:.1f} million of\nbudgeted expense" in text
    assert f"about ${direct / 1e6:.1f} million is the unit's direct cost" in text
    assert "$4 million" not in text and "about $4" not in text


@pytest.mark.parametrize("path", NOTEBOOKS[1:3], ids=lambda p: p.name)
def test_paid_hours_are_not_said_to_be_worked_plus_non_productive(path):
    text = markdown(path).lower()
    assert "paid hours = worked (productive) + non-productive" not in text
    assert "regular + overtime + non-productive" in text and "regular + overtime + agency" in text


def test_lab_brief_asserts_no_overrun_the_data_may_not_show():
    text = markdown(ROOT / "exercises" / "01_budgeting_lab.ipynb").lower()
    assert "overrun" not in text
    assert "flexible budget" in text


def test_times_are_honest_lesson_is_pre_work():
    assert "pre-work" in markdown(ROOT / "notebooks" / "01_budgeting.ipynb")
    assert "pre-work" in markdown(ROOT / "solutions" / "01_budgeting_lab.ipynb")


def test_sample_memo_addresses_the_largest_variance_with_the_datas_numbers():
    memo = [c.source for c in cells(ROOT / "solutions" / "01_budgeting_lab.ipynb", "markdown")
            if "Sample memo" in c.source][0]
    report = finance.variance_report(load_dataset("medsurg_statement"), "2026-09")
    top = report.loc[report["variance"].abs().idxmax()]
    assert top["line_item"] == "Net patient service revenue"
    assert f"net patient service revenue came in ${abs(top['variance']):,.0f} below the flexible budget" in memo
    labor = load_dataset("medsurg_labor")
    rn = labor[(labor["month"] == "2026-09") & (labor["job_class"] == "RN")].iloc[0]
    v = finance.labor_variances(rn["budget_patient_days"], rn["actual_patient_days"], rn["budget_worked_hppd"],
                                rn["budget_hourly_rate"], rn["actual_worked_hours"], rn["actual_worked_cost"])
    for amount in (v.volume, v.quantity, v.price):
        assert f"${amount:,.0f}" in memo
    salaries = report[report["line_item"].str.startswith("Salaries")]
    pct = 100 * (salaries["actual"].sum() - salaries["flexible_budget"].sum()) / salaries["flexible_budget"].sum()
    assert f"Worked labor ran {pct:.1f}% over its flexible budget" in memo
    sep = labor[labor["month"] == "2026-09"]
    direct = sep[sep["job_class"].isin(["RN", "CNA"])]
    assert f"worked HPPD was {direct['actual_worked_hours'].sum() / rn['actual_patient_days']:.2f}" in memo
    assert f"budgeted {direct['budget_worked_hppd'].sum():.2f}" in memo
    assert f"{rn['actual_patient_days']} against {rn['budget_patient_days']}" in memo
    assert f"overtime at {rn['actual_overtime_hours'] / rn['actual_worked_hours']:.1%}" in memo
    supplies = report.set_index("line_item").loc["Medical and surgical supplies", "variance"]
    assert f"${supplies:,.0f} over their\nflexible budget" in memo
    assert "open RN" not in memo and "night positions" not in memo


@pytest.mark.parametrize("path", NOTEBOOKS[2:], ids=lambda p: p.parent.name)
def test_answer_cells_do_not_echo_a_raw_repr(path):
    """An exercise's answer cell would print Ellipsis, a solution's np.float64(...)."""
    for cell in cells(path, "code"):
        if "# YOUR CODE HERE" in cell.source or "# BEGIN SOLUTION" in cell.source:
            last = cell.source.rstrip().splitlines()[-1].strip()
            assert not re.fullmatch(r"[A-Za-z_]\w*", last), cell.source
