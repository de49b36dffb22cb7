"""A synthetic class of submissions for trying and testing ``mhsm grade`` (``mhsm demo-class``).

Every submission is made from the lab's solution notebook: correct work for different student ids, partly
wrong and sign-flipped answers (changed after the answer cells, then checked again: the grader grades each answer
as its last check saw it), an untouched exercise, and the hostile kinds a grader must survive (an endless
loop, one that ignores interrupts, ``sys.exit()``, ``os._exit()``, a segfault, a memory hog, 10 MB of printing,
tampered check cells, an answer of the wrong type, a file that is not JSON, another lab's notebook, deleted
answer cells, and two submissions from one student). A roster CSV lists every student plus one who submitted
nothing. All names are synthetic. The attacks on the instructor and on classmates (reading the solution or the
roster, forging the answers' reply, daemons, planting files, killing processes, impersonation) need the paths of
a real set-up; the test suite's hostile class (tests/grading/hostile.py) adds them.
"""
from __future__ import annotations

import copy
import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..authoring.release import release_notebook

__all__ = ["DemoStudent", "write_demo_class", "SPECIAL_KINDS", "BASE_MTIME", "MIN_SIZE"]

BASE_MTIME = 1_790_000_000  # 2026-09-21 UTC: the submissions' modification times start here
SPECIAL_KINDS = ("partly wrong", "sign flipped", "blank", "wrong type", "tampered checks", "endless loop",
                 "ignores interrupts", "sys.exit", "os._exit", "segfault", "memory hog", "10 MB output",
                 "invalid JSON", "other lab", "missing answers", "duplicate")
MIN_SIZE = len(SPECIAL_KINDS) + 1 + 2  # the duplicate is two files; at least two correct submissions

LOOP = "while True:\n    pass"
HOSTILE_CELLS = {
    "endless loop": LOOP,
    "ignores interrupts": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n" + LOOP,
    "sys.exit": 'import sys\nsys.exit("I am done for today")',
    "os._exit": "import os\nos._exit(0)",
    "segfault": "import ctypes\nctypes.string_at(0)",
    "memory hog": ("def grow():\n    chunks = []\n    while True:\n        chunks.append(bytearray(64 * 2**20))\n"
                   "\ngrow()"),
    "10 MB output": 'for i in range(200_000):\n    print(f"row {i:>7}: " + "x" * 38)',
}
EDITS = {
    "partly wrong": ("# second thoughts\nrn_flexible_budget = rn_static_budget\n"
                     'worked_hppd = direct_care["actual_paid_hours"].sum() / september["actual_patient_days"].iloc[0]\n'
                     "productive_share = productive_share * 100\n"
                     'lab.check("q1", rn_flexible_budget)\nlab.check("q6", worked_hppd)\n'
                     'lab.check("q8", productive_share)'),
    "sign flipped": ("# budget minus actual, as in my finance textbook\n"
                     "rn_volume_variance, rn_quantity_variance, rn_price_variance = (\n"
                     "    -rn_volume_variance, -rn_quantity_variance, -rn_price_variance)\n"
                     'variance_report["variance"] = -variance_report["variance"]\n'
                     'for qid, answer in [("q2", rn_volume_variance), ("q3", rn_quantity_variance),\n'
                     '                    ("q4", rn_price_variance), ("q10", variance_report)]:\n'
                     '    lab.check(qid, answer)'),
    "wrong type": ('rn_flexible_budget = "about forty thousand dollars"\n'
                   "variance_report = variance_report.to_dict()\n"
                   'lab.check("q1", rn_flexible_budget)\nlab.check("q10", variance_report)'),
    "tampered checks": "rn_flexible_budget = 1.0",
}
TAMPER = ("import mhsm_lessons.practice.checks as _checks\n"
          "_checks.Question.evaluate = lambda self, answer, ctx: _checks.CheckResult(self.qid, 'correct', 'Well done.')\n"
          "lab.check = lambda qid, answer: 'correct'\n\n\n"
          "def check(*args):\n    return 'correct'")


@dataclass(frozen=True)
class DemoStudent:
    """One demo student: id, kind of submission, files written (relative to the submissions folder) and, for
    the kinds that add a cell, that cell's number in the notebook (1-based)."""

    student_id: str
    kind: str
    files: tuple[str, ...]
    cell: int | None = None


def _answer_cell(nb, variable: str) -> int:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "BEGIN SOLUTION" in cell.source and f"\n{variable} = " in "\n" + cell.source:
            return i
    raise ValueError(f"The solution has no answer cell for {variable!r}.")


def _set_id(nb, student_id: str) -> None:
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = f'STUDENT_ID = "{student_id}"  # for example "s042"'
            return
    raise ValueError("The solution has no cell tagged 'parameters'.")


def _clean(nb):
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def _before_progress(nb) -> int:
    """The index just before the final ``lab.progress()`` cell (or the end)."""
    for i in range(len(nb.cells) - 1, -1, -1):
        if "progress()" in nb.cells[i].source:
            return i
    return len(nb.cells)


def _insert(nb, index: int, source: str) -> int:
    cell = nbformat.v4.new_code_cell(source)
    cell.id = f"demo-{len(nb.cells):03d}"  # deterministic, so the same class gives the same files
    nb.cells.insert(index, cell)
    return index + 1  # 1-based cell number


def write_demo_class(solution: str | Path, out: str | Path, n: int = 30) -> list[DemoStudent]:
    """Write ``n`` submission files under ``out/submissions`` and ``out/roster.csv``; return the students.

    Parameters
    ----------
    solution : str or Path
        The lab's solution notebook (for example ``solutions/01_budgeting_lab.ipynb``).
    out : str or Path
        Destination folder (created).
    n : int
        Number of submission files; at least :data:`MIN_SIZE`. Files beyond the special kinds are correct work.
    """
    if n < MIN_SIZE:
        raise ValueError(f"A demo class needs at least {MIN_SIZE} submissions (one of each kind and two correct); "
                         f"you asked for {n}.")
    solution = Path(solution)
    base = _clean(nbformat.read(solution, as_version=4))
    lab_id = base.metadata.get("mhsm", {}).get("lab", solution.stem)
    subs = Path(out) / "submissions"
    subs.mkdir(parents=True, exist_ok=True)
    students: list[DemoStudent] = []
    n_correct = n - len(SPECIAL_KINDS) - 1
    kinds = ["correct"] * n_correct + list(SPECIAL_KINDS)
    clock = [BASE_MTIME]

    def save(nb_or_text, rel: str) -> str:
        path = subs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = nb_or_text if isinstance(nb_or_text, str) else nbformat.writes(nb_or_text) + "\n"
        path.write_text(text, encoding="utf-8")
        clock[0] += 60
        os.utime(path, (clock[0], clock[0]))
        return rel

    for number, kind in enumerate(kinds, start=1):
        sid = f"s{number:03d}"
        flat = f"{sid}_{lab_id}.ipynb"
        nb = copy.deepcopy(base)
        _set_id(nb, sid)
        cell = None
        if kind == "correct":
            if number % 2:  # a folder per student, id in the parameters cell
                files = (save(nb, f"{sid}/{lab_id}.ipynb"),)
            else:  # a flat file named by the LMS, parameters cell left blank
                _set_id(nb, "")
                files = (save(nb, flat),)
        elif kind in EDITS:
            if kind == "tampered checks":
                nb.cells = [c for c in nb.cells if "check" not in c.get("metadata", {}).get("tags", [])]
                setup = [i for i, c in enumerate(nb.cells) if "start_lab(" in c.source][0]
                _insert(nb, setup + 1, TAMPER)
                dup = _answer_cell(nb, "rn_volume_variance")
                _insert(nb, dup + 1, nb.cells[dup].source)
                _insert(nb, dup + 2, 'lab.check("q2", rn_volume_variance)')
            cell = _insert(nb, _before_progress(nb), EDITS[kind])
            files = (save(nb, flat),)
        elif kind in HOSTILE_CELLS:
            where = (_answer_cell(nb, "rn_total_variance_label") + 2 if kind in ("endless loop", "sys.exit",
                                                                                  "10 MB output", "os._exit",
                                                                                  "ignores interrupts", "segfault")
                     else _before_progress(nb))
            cell = _insert(nb, where, HOSTILE_CELLS[kind])
            files = (save(nb, flat),)
        elif kind == "blank":
            exercise = release_notebook(base, solution.name)
            _set_id(exercise, sid)
            files = (save(exercise, flat),)
        elif kind == "invalid JSON":
            files = (save("Lab 01 answers: see the attached PDF.\n", flat),)
        elif kind == "other lab":
            other = nbformat.v4.new_notebook(metadata={"mhsm": {"lab": "02_revenue_cycle_lab"}}, cells=[
                nbformat.v4.new_code_cell('STUDENT_ID = "%s"' % sid, metadata={"tags": ["parameters"]},
                                          id="demo-parameters"),
                nbformat.v4.new_code_cell('from mhsm_lessons import start_lab\n'
                                          'lab = start_lab("02_revenue_cycle_lab", student_id=STUDENT_ID)',
                                          id="demo-setup")])
            files = (save(other, f"{sid}_02_revenue_cycle_lab.ipynb"),)
        elif kind == "missing answers":
            nb.cells = [c for c in nb.cells if "BEGIN SOLUTION" not in c.source or c.cell_type != "code"]
            files = (save(nb, flat),)
        elif kind == "duplicate":
            first = release_notebook(base, solution.name)
            _set_id(first, sid)
            files = (save(first, flat), save(nb, f"{sid}_resubmitted_{lab_id}.ipynb"))
        else:  # pragma: no cover
            raise AssertionError(kind)
        students.append(DemoStudent(sid, kind, files, cell))

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student_id", "name", "section", "canvas_id", "sis_user_id", "sis_login_id"])
    for i, student in enumerate([*students, DemoStudent(f"s{len(kinds) + 1:03d}", "no submission", ())], start=1):
        writer.writerow([student.student_id, f"Student, Demo {i:02d}", f"MHA 6{i % 2 + 1}0",
                         str(90000 + i), f"SIS{i:05d}", f"demo{i:02d}"])
    (Path(out) / "roster.csv").write_text(buf.getvalue(), encoding="utf-8")
    return students
