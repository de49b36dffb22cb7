"""Turning a run into a gradebook row: statuses, reasons (instructor- and student-facing) and per-question results."""
from __future__ import annotations


from ._common import CRASHED, GRADED, ID_CHANGED, MISSING_ANSWERS, TIMED_OUT, _cell_label
from .answers import decode_answer
from .collect import GradeSettings, Submission


def _quoted(text: str) -> str:
    """The first quoted name in an error message ("No module named 'helpers'" -> helpers), or ''."""
    import re

    found = re.search(r"""['"]([^'"]{1,200})['"]""", str(text))
    return found.group(1) if found else ""


def _mb(n: int) -> str:
    return f"{n:,} MB"


def _error_notes(errors: list[dict], labels: list[str], settings: GradeSettings) -> list[str]:
    notes = []
    for err in errors:
        where = _cell_label(err.get("cell"), labels)
        where = where[0].upper() + where[1:]
        ename = err.get("ename", "")
        if ename in ("CellTimeoutError", "IgnoredInterrupt"):
            continue
        if ename == "MemoryError":
            notes.append(f"{where} ran out of memory (the limit is {_mb(settings.memory_mb)}) and was stopped.")
        elif ename == "SystemExit":
            notes.append(f"{where} called sys.exit(); the grader carried on with the next cell.")
        elif ename == "ModuleNotFoundError":
            module = _quoted(err.get("evalue", "")) or "a module"
            notes.append(f"{where} imports {module}, which is not available when the notebook is graded "
                         "(ModuleNotFoundError): only the notebook is handed in, not files next to it. Copy the "
                         f"code you need from {module} into a cell of the notebook, then hand it in again.")
        elif ename == "FileNotFoundError":
            name = _quoted(err.get("evalue", ""))
            name = repr(name.replace("\\", "/").rsplit("/", 1)[-1]) if name else "a file"
            notes.append(f"{where} opens {name}, a file that is not handed in with the notebook "
                         "(FileNotFoundError). Load the lab's data with lab.data(...) or load_dataset(...) "
                         "instead of a file on your computer, then hand the notebook in again.")
        elif ename == "StdinNotImplementedError":
            notes.append(f"{where} waits for typed input (input()), which a graded notebook cannot receive "
                         "(StdinNotImplementedError). Replace the input() call with the value itself, for example "
                         "months = 12, then hand the notebook in again.")
        else:
            notes.append(f"{where} raised {ename or 'an error'}.")
    if len(notes) > 3:
        notes = notes[:3] + [f"{len(notes) - 3} more cells raised errors."]
    return notes


def _outcome_to_record(sub: Submission, run: dict, spec, settings: GradeSettings) -> dict:
    """Status, reason and question results for one executed submission (grading happens here)."""
    from ..practice.checks import NOT_ANSWERED, NOT_YET, CheckResult
    from ..practice.session import Lab

    labels = run.get("labels", [])
    outcome = run.get("outcome")
    current = _cell_label(run.get("current_cell"), labels)
    if outcome == "notebook timeout":
        stuck = [e for e in run.get("errors", []) if e.get("ename") == "CellTimeoutError"]
        if stuck:
            return {"status": TIMED_OUT, "reason": (
                f"The notebook did not finish within the notebook time limit of {settings.notebook_timeout:g} s: "
                f"{_cell_label(stuck[0].get('cell'), labels)} ran past the cell time limit of "
                f"{settings.cell_timeout:g} s and did not stop when interrupted. No answers could be collected."),
                "questions": None}
        return {"status": TIMED_OUT, "reason": (
            f"The notebook did not finish within the notebook time limit of {settings.notebook_timeout:g} s; it "
            f"was stopped while running {current}. No answers could be collected."), "questions": None}
    if outcome == "dead kernel":
        return {"status": CRASHED, "reason": (
            f"The Python kernel stopped while running {current} (the code may call os._exit(), crash Python, or "
            "exceed the memory limit). No answers could be collected."), "questions": None}
    if outcome != "completed":  # pragma: no cover - every other outcome is a GraderFault, never recorded
        raise ValueError(f"unknown outcome {outcome!r}")
    answers = run.get("answers")
    if answers is None:
        last = [e for e in run.get("errors", []) if e.get("cell") == len(labels) - 1]
        why = (f"the grader's answer-collection cell raised {last[0]['ename']}" if last
               else run.get("answers_problem", "the answer file was not written"))
        return {"status": MISSING_ANSWERS, "reason": (
            f"The notebook ran to the end, but its answers could not be collected ({why})."), "questions": None}
    variables = [q.variable for q in spec.questions]
    if all(not isinstance(answers.get(v), dict) or answers[v].get("type") == "missing" for v in variables):
        return {"status": MISSING_ANSWERS, "reason": (
            "The notebook ran to the end, but none of the lab's answer variables is defined ("
            + ", ".join(variables) + "). The answer cells may have been deleted or renamed."), "questions": None}

    lab = Lab(spec, sub.student_id, check_log=False)
    questions = []
    checked = run.get("checked") if isinstance(run.get("checked"), dict) else {}
    converted = run.get("converted") or {}
    convert_notes, changed_notes = [], []
    for q in spec.questions:
        final = answers.get(q.variable)
        seen = checked.get(q.qid) if isinstance(checked.get(q.qid), dict) else None
        data = seen if seen is not None else final  # the answer as the student's check saw it
        changed = ""
        if (seen is not None and seen.get("type") == "ellipsis" and isinstance(final, dict)
                and final.get("type") not in ("missing", "ellipsis")):  # answered only after its check ran
            data = final
            changed = (f" (Graded the value at the end of your notebook: {q.variable} was not answered yet when "
                       "its check ran.)")
        elif seen is not None and final != seen:
            changed = (f" (Graded as you checked it: a later cell changed {q.variable} after its check ran, and "
                       "the grade uses the value your check saw.)")
            changed_notes.append(f"{q.variable} ({q.qid}) was changed by a later cell after its check ran: graded "
                                 "the value the check saw.")
        if (not isinstance(data, dict) or data.get("type") == "missing") and q.variable in converted:
            number, kind = converted[q.variable]
            result = CheckResult(q.qid, NOT_ANSWERED, f"No answer: cell {number}, which assigns {q.variable}, is a "
                                 f"{kind} cell, so it never ran. Change it back to a code cell (in JupyterLab: "
                                 "select it, press Esc, then Y) and run it.", "cell type changed", q.title)
            convert_notes.append(f"Cell {number} holds the answer code for {q.variable} but is a {kind} cell, so "
                                 "it never ran: change it back to a code cell (select it, press Esc, then Y).")
        elif not isinstance(data, dict) or data.get("type") == "missing":
            result = CheckResult(q.qid, NOT_ANSWERED, f"No answer: {q.variable} was not defined when your notebook "
                                 "finished. Make sure the cell that assigns it runs without an error.",
                                 "not defined", q.title)
        elif data.get("type") == "unreadable":
            result = CheckResult(q.qid, NOT_YET, f"The grader could not read your answer {q.variable}. Assign a "
                                 "plain value of the kind the task asks for (a number, a word in quotes or a "
                                 "table).", "unreadable", q.title)
        else:
            result = lab.check(q.qid, decode_answer(data))  # judged here, from the expected answer; never trusted
        questions.append({"qid": q.qid, "title": q.title, "status": result.status,
                          "message": result.message + changed, "misconception": result.misconception})
    timeouts = [e for e in run.get("errors", []) if e.get("ename") == "CellTimeoutError"]
    ignored = [e for e in run.get("errors", []) if e.get("ename") == "IgnoredInterrupt"]
    notes = convert_notes + _error_notes(run.get("errors", []), labels, settings) + changed_notes
    status = GRADED
    for e in ignored[::-1]:
        where = _cell_label(e.get("cell"), labels)
        notes.insert(0, f"{where[0].upper()}{where[1:]} ran past the cell time limit of {settings.cell_timeout:g} s "
                        "and ignored the interrupt, so its kernel was stopped and the notebook was run again "
                        "without that cell; the other answers were graded.")
        status = TIMED_OUT
    if timeouts:
        status = TIMED_OUT
        where = _cell_label(timeouts[0].get("cell"), labels)
        notes.insert(0, f"{where[0].upper()}{where[1:]} did not finish within the cell time limit of "
                        f"{settings.cell_timeout:g} s and was stopped; the other cells ran and their answers were "
                        "graded.")
    if all(q["status"] == NOT_ANSWERED for q in questions):
        notes.append("No question was answered.")
    status, id_notes = _id_check(sub.student_id, run, status)
    return {"status": status, "reason": " ".join(id_notes + notes), "questions": questions}


def _id_check(student_id: str, run: dict, status: str) -> tuple[str, list[str]]:
    """Compare the id the grader injected with the kernel's STUDENT_ID and its lab sessions' ids."""
    from .identity import norm

    notes = []
    kernel_id = run.get("kernel_student_id")
    if kernel_id is None or norm(kernel_id) != norm(student_id):
        shown = repr(kernel_id)[:60] if kernel_id is not None else "not a plain id"
        notes.append(f"Check this row: the notebook changed STUDENT_ID after the grader set it to {student_id!r} "
                     f"(at the end it was {shown}).")
    others = sorted({s for s in (run.get("sessions") or []) if norm(s) != norm(student_id)})
    if others:
        notes.append("Check this row: the notebook started a lab session for another id ("
                     + ", ".join(repr(s)[:60] for s in others[:3]) + f"); it was graded as {student_id!r}.")
    flagged = bool(notes)
    requested = sorted({s for s in (run.get("requested") or []) if norm(s) != norm(student_id)})
    if requested:  # start_lab obeyed the grader's id, so the answers were computed and graded for that id
        shown = ", ".join(repr(s)[:60] for s in requested[:3])
        notes.append(f"The notebook passes the id {shown} to start_lab, but this file is graded as {student_id!r}: "
                     f"the lab ran on the data of {student_id!r} and was graded for it. Type your id only in the "
                     "STUDENT_ID cell and leave start_lab(..., STUDENT_ID) as it was.")
    return (ID_CHANGED if flagged else status), notes
