"""The class's outputs, built from the manifest of every run into one ``--out`` folder (plus this run's grader
errors, which are shown but never stored): gradebook, submissions list, Canvas CSV, feedback and summary."""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from ._common import (CANVAS, FEEDBACK_DIR, GRADEBOOK, ID_CHANGED, NOT_A_NOTEBOOK, NOT_A_NOTEBOOK_ARCHIVE,
                      NOT_SUBMITTED, STRAY, SUBMISSIONS, SUMMARY, SUMMARY_CHART, SUPERSEDED, UNMATCHED, WRONG_LAB,
                      GradingError, _fmt_points)
from .identity import norm
from .outputs import _atomic_write, _csv_text, _safe_name, _summary, _summary_chart, feedback_html

SUBMISSION_COLUMNS = ["file", "student_id", "sha256", "status", "modified", "reason"]


def _utc(timestamp: float) -> str:
    return _dt.datetime.fromtimestamp(timestamp, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


MISSING_CHOICES = ("blank", "zero")
_CANVAS_COLUMN = re.compile(r"^(?P<name>.*\S)\s\((?P<id>\d+)\)$")


def check_assignment(assignment: str | None) -> None:
    """Raise :class:`GradingError` unless ``assignment`` is ``None`` or Canvas's ``Name (id)`` column header.

    Canvas fills an existing assignment from an imported CSV only when the column header carries the
    assignment's id in parentheses, as in its own gradebook export (``Lab 01 (123456)``); a header without an
    id makes Canvas create a new assignment.

    >>> check_assignment("Lab 01: Budgeting (123456)")
    >>> check_assignment("Lab 01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mhsm_lessons.grading._common.GradingError: --assignment 'Lab 01' has no Canvas assignment id. ...
    """
    if assignment is None:
        return
    if not _CANVAS_COLUMN.match(assignment.strip()) or assignment != assignment.strip():
        raise GradingError(f"--assignment {assignment!r} has no Canvas assignment id. Give the assignment's "
                           "column header exactly as Canvas's gradebook export writes it, 'Name (id)', for example "
                           "--assignment \"Lab 01: Budgeting (123456)\" (Grades > Export in Canvas, then copy the "
                           "header). Canvas fills an existing assignment only when the header carries its id; "
                           "without one, the import creates a new assignment.")


def check_missing(missing: str) -> None:
    if missing not in MISSING_CHOICES:
        raise GradingError(f"Unknown --missing {missing!r}: use blank (default) or zero.")


def review_lines(rows: list[dict], submissions: list[dict], missing: str = "blank", assignment: str | None = None,
                 canvas: bool = False) -> list[str]:
    """What the run did not grade, and the rows to review before importing ``canvas.csv`` (printed by the CLI)."""
    lines = []
    skipped = [s for s in submissions if s["status"] in (STRAY, UNMATCHED, NOT_A_NOTEBOOK, NOT_A_NOTEBOOK_ARCHIVE,
                                                         WRONG_LAB)]
    if skipped:
        lines.append(f"Not graded ({len(skipped)} files):")
        lines += [f"  {s['file']}: {s['status']}" + (f" ({s['student_id']})" if s["student_id"] else "")
                  for s in skipped]
    unmatched = [s for s in submissions if s["status"] == UNMATCHED]
    if unmatched:
        lines.append(f"WARNING: {len(unmatched)} files match no roster student (see 'unmatched file' in "
                     f"{GRADEBOOK}): rename them or add the students to the roster, then grade again.")
    review = [r for r in rows if r["roster"] is not None and (r.get("questions") is None or r["status"] == ID_CHANGED)]
    if review:
        what = "left blank" if missing == "blank" else "written as 0"
        lines.append(f"Review before importing into the LMS ({len(review)} students without graded work or with an "
                     f"id to check; their {CANVAS} cells are {what}):")
        lines += [f"  {r['student_id']}: {r['status']}" for r in review]
    if canvas and assignment is None:
        lines.append(f"Note: the {CANVAS} column has no Canvas assignment id, so Canvas would import it as a new "
                     "assignment. To fill an existing assignment, pass --assignment \"Name (id)\" exactly as "
                     "Canvas's gradebook export names its column.")
    return lines


#: Statuses of files that never ran: a newer one of these does not replace a student's notebook.
_NOT_RUN = (NOT_A_NOTEBOOK, NOT_A_NOTEBOOK_ARCHIVE, WRONG_LAB)


def build(out: Path, entries: list[dict], lab_id: str, spec, points: dict, roster: list, assignment: str | None,
          missing: str = "blank"):
    """Write every output file; return ``(rows, submission_rows, files)``.

    ``missing`` says what ``canvas.csv`` holds for a roster student without graded work (no answers were graded:
    not submitted, not a notebook, wrong lab, crashed, timed out before any answer, missing answers, grader
    error) or whose row is flagged "id changed" (to be checked before any score goes in): ``"blank"`` (no 0
    to import over a score already in Canvas) or ``"zero"``."""
    entries = [e for e in entries if e.get("lab") == lab_id]
    by_roster = {norm(e.student_id): e for e in roster}
    groups: dict[str, list[dict]] = {}
    sub_rows = []
    for e in sorted(entries, key=lambda e: (e["file"], e["mtime"])):
        if e["status"] in (STRAY, UNMATCHED):
            sub_rows.append([e["file"], e["student_id"], e["sha256"], e["status"], _utc(e["mtime"]), e["reason"]])
            continue
        groups.setdefault(norm(e["student_id"]), []).append(e)
    rows = []
    qids, max_points = spec.qids, sum(points.values())
    for key, group in groups.items():
        group = sorted(group, key=lambda e: (e["mtime"], e["file"]))
        # the newest notebook of this lab that ran; a newer file that is not one (the PDF export handed in
        # beside the notebook, another lab's notebook) never replaces it
        ran = [e for e in group if e["status"] not in _NOT_RUN]
        chosen = (ran or group)[-1]
        reason = chosen.get("reason", "")
        older = [e for e in group if e is not chosen and (e["file"] != chosen["file"]
                                                           or e["sha256"] != chosen["sha256"])]
        if older and chosen is group[-1]:
            names = ", ".join(dict.fromkeys(e["file"] for e in older))
            reason = _join(reason, f"{len(older) + 1} submissions for this student: graded the newest by file "
                                   f"modification time, {chosen['file']} (modified {_utc(chosen['mtime'])}); not "
                                   f"graded: {names}.")
        elif older:
            names = ", ".join(dict.fromkeys(f"{e['file']} ({e['status']})" if e["status"] in _NOT_RUN else e["file"]
                                            for e in older))
            reason = _join(reason, f"{len(older) + 1} files from this student: graded the newest notebook of this "
                                   f"lab, {chosen['file']} (modified {_utc(chosen['mtime'])}); not graded: {names}.")
        earned = {q["qid"]: (points[q["qid"]] if q["status"] == "correct" else 0.0)
                  for q in (chosen.get("questions") or [])}
        entry = by_roster.get(key)
        rows.append({"student_id": entry.student_id if entry else chosen["student_id"],
                     "name": entry.name if entry else "", "section": entry.section if entry else "",
                     "roster": entry, "file": chosen["file"], "points": {q: earned.get(q, 0.0) for q in qids},
                     "total": sum(earned.values()), "max": max_points, "status": chosen["status"],
                     "reason": reason, "questions": chosen.get("questions")})
        for e in group:
            is_chosen = e is chosen
            sub_rows.append([e["file"], e["student_id"], e["sha256"], e["status"] if is_chosen else SUPERSEDED,
                             _utc(e["mtime"]), e.get("reason", "") if is_chosen else f"Superseded by "
                                                                                     f"{chosen['file']}."])
    for e in entries:
        if e["status"] == UNMATCHED:
            rows.append({"student_id": e["student_id"], "name": "", "section": "", "roster": None, "file": e["file"],
                         "points": {q: 0.0 for q in qids}, "total": 0.0, "max": max_points, "status": UNMATCHED,
                         "reason": e["reason"], "questions": None})
    for key, entry in by_roster.items():
        if key not in groups:
            rows.append({"student_id": entry.student_id, "name": entry.name, "section": entry.section,
                         "roster": entry, "file": "", "points": {q: 0.0 for q in qids}, "total": 0.0,
                         "max": max_points, "status": NOT_SUBMITTED,
                         "reason": "No submission was found for this student.", "questions": None})
    rows.sort(key=lambda r: (r["status"] == UNMATCHED, r["student_id"]))
    sub_rows.sort(key=lambda r: (r[1], r[0]))
    return rows, sub_rows, _write(out, rows, sub_rows, spec, points, roster, assignment, missing)


def _write(out: Path, rows, sub_rows, spec, points, roster, assignment, missing="blank") -> list[Path]:
    qids, max_points = spec.qids, sum(points.values())
    files = []
    header = ["student_id"] + (["name", "section"] if roster else []) + qids + ["total", "max", "status",
                                                                                "reason", "submission"]
    body = [[r["student_id"]] + ([r["name"], r["section"]] if roster else [])
            + [_fmt_points(r["points"][q]) for q in qids]
            + [_fmt_points(r["total"]), _fmt_points(r["max"]), r["status"], r["reason"], r["file"]] for r in rows]
    _atomic_write(out / GRADEBOOK, _csv_text(header, body))
    _atomic_write(out / SUBMISSIONS, _csv_text(SUBMISSION_COLUMNS, sub_rows))
    files += [out / GRADEBOOK, out / SUBMISSIONS]
    if any(e.sis_user_id for e in roster):
        canvas_rows = [["Points Possible", "", "", "", "", _fmt_points(max_points)]]
        for r in rows:
            e = r["roster"]
            if e is not None:
                graded = r.get("questions") is not None and r["status"] != ID_CHANGED  # flagged: review first
                canvas_rows.append([e.name, e.canvas_id, e.sis_user_id, e.sis_login_id, e.section,
                                    _fmt_points(r["total"]) if graded or missing == "zero" else ""])
        _atomic_write(out / CANVAS, _csv_text(["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                                               assignment or spec.title], canvas_rows))
        files.append(out / CANVAS)
    for r in rows:
        if r["status"] in (NOT_SUBMITTED, UNMATCHED):
            continue
        page = out / FEEDBACK_DIR / f"{_safe_name(r['student_id'])}.html"
        _atomic_write(page, feedback_html(r, spec, points))
        files.append(page)
    sheader, stable = _summary(rows, spec, points)
    _atomic_write(out / SUMMARY, _csv_text(sheader, stable))
    _atomic_write(out / SUMMARY_CHART, _summary_chart(stable, f"{spec.title}: share correct"))
    return files + [out / SUMMARY, out / SUMMARY_CHART]
