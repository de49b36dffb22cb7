"""The grading run: collect, resume from the manifest, execute in parallel, record and write the outputs."""
from __future__ import annotations

import datetime as _dt
import json
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ._common import (CANVAS, FEEDBACK_DIR, GRADEBOOK, GRADER_VERSION, GradingError, MANIFEST, NOT_A_NOTEBOOK,
                      NOT_SUBMITTED, SUBMISSIONS, SUMMARY, SUMMARY_CHART, SUPERSEDED, WRONG_LAB, _fmt_points, _hash)
from .collect import (GradeSettings, RosterEntry, Submission, _collect, _parse_notebook, notebook_lab, read_points,
                      read_roster, student_id_from_filename, student_id_from_notebook)
from .outputs import _atomic_write, _csv_text, _safe_name, _summary, _summary_chart, feedback_html
from .records import _outcome_to_record
from .runner import _execute


@dataclass
class GradeRun:
    """What :func:`grade` did: the gradebook rows, and how many submissions were run or skipped."""

    rows: list[dict]
    submissions: list[dict]
    executed: int
    skipped: int
    out: Path
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)

    def summary_line(self) -> str:
        counts = Counter(r["status"] for r in self.rows)
        parts = ", ".join(f"{c} {s}" for s, c in sorted(counts.items()))
        return (f"{len(self.rows)} students ({parts}); {self.executed} submissions run, {self.skipped} already "
                f"graded and skipped (--force grades them again); results in {self.out}")


def _progress_printer(total: int, stream) -> Callable[[str], None]:
    start = time.perf_counter()
    done = [0]
    lock = threading.Lock()

    def step(label: str) -> None:
        with lock:
            done[0] += 1
            elapsed = time.perf_counter() - start
            left = elapsed / done[0] * (total - done[0])
            width = 24
            filled = int(width * done[0] / max(total, 1))
            if stream is not None:
                print(f"[{'#' * filled}{'.' * (width - filled)}] {done[0]}/{total} "
                      f"elapsed {_clock(elapsed)}, about {_clock(left)} left: {label}", file=stream, flush=True)
    return step


def _utc(timestamp: float) -> str:
    return _dt.datetime.fromtimestamp(timestamp, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _resolve_ids(subs: list[Submission], lab_id: str, roster: list[RosterEntry]) -> None:
    by_file = {e.file: e for e in roster if e.file}
    by_id = {e.student_id: e for e in roster}
    for sub in subs:
        entry = by_file.get(sub.path.name) or by_file.get(sub.name)
        sid = entry.student_id if entry else None
        if sid is None and sub.nb is not None:
            sid = student_id_from_notebook(sub.nb)
        if sid is None:
            sid = student_id_from_filename(sub.path, lab_id)
        sub.student_id = sid
        sub.roster = entry or by_id.get(sid)


def grade(submissions, out: str | Path, lab_id: str | None = None, solution: str | Path | None = None,
          roster: str | Path | None = None, settings: GradeSettings | None = None, force: bool = False,
          assignment: str | None = None, progress=sys.stderr) -> GradeRun:
    """Grade submitted notebooks into ``out``: gradebook, feedback pages, class summary and manifest.

    Parameters
    ----------
    submissions : list of str or Path
        Notebook files and folders (searched recursively for ``*.ipynb``). They are never modified.
    out : str or Path
        Output folder (created). Re-running into the same folder skips submissions already graded.
    lab_id : str, optional
        The lab to grade (default: the one most submissions name, else the only lab).
    solution : str or Path, optional
        The solution notebook holding the points (default: ``solutions/<lab>.ipynb`` in the course folder).
    roster : str or Path, optional
        Roster CSV (see :func:`read_roster`). With ``sis_user_id`` values, ``canvas.csv`` is written too.
    settings : GradeSettings, optional
        Time and memory limits and the number of parallel workers.
    force : bool
        Grade every submission again, ignoring the manifest.
    assignment : str, optional
        The assignment column's name in ``canvas.csv`` (default: the lab's title).
    progress : file, optional
        Where the progress lines go (``None``: silent).
    """
    from ..practice.session import _labs

    settings = settings or GradeSettings()
    started = time.perf_counter()
    out = Path(out)
    labs = _labs()
    entries = read_roster(roster) if roster else []
    subs: list[Submission] = []
    for path, name in _collect(submissions):
        raw = path.read_bytes()
        sub = Submission(path, name, raw, _hash(raw), path.stat().st_mtime)
        sub.nb, sub.parse_error = _parse_notebook(raw)
        sub.lab = notebook_lab(sub.nb) if sub.nb is not None else None
        subs.append(sub)
    if lab_id is None:
        named = Counter(s.lab for s in subs if s.lab in labs)
        lab_id = named.most_common(1)[0][0] if named else (next(iter(labs)) if len(labs) == 1 else None)
        if lab_id is None:
            raise GradingError(f"Cannot tell which lab to grade: pass --lab (one of {', '.join(sorted(labs))}).")
    if lab_id not in labs:
        raise GradingError(f"There is no lab called {lab_id!r}. The labs are: {', '.join(sorted(labs))}.")
    spec = labs[lab_id]
    if solution is None:
        from .._paths import project_root
        solution = project_root() / "solutions" / f"{lab_id}.ipynb"
    points = read_points(solution, spec)
    _resolve_ids(subs, lab_id, entries)

    manifest_path = out / MANIFEST
    manifest: dict = {}
    if manifest_path.exists() and not force:
        try:
            loaded = json.loads(manifest_path.read_text(encoding="utf-8"))
            if loaded.get("grader_version") == GRADER_VERSION:
                manifest = loaded.get("entries", {})
        except (OSError, ValueError):
            manifest = {}

    def key_of(sub):
        return f"{sub.sha256}:{lab_id}:{sub.student_id}"

    records: dict[str, dict] = {}
    to_run: list[Submission] = []
    skipped = 0
    for sub in subs:
        key = key_of(sub)
        if key in manifest and not force:
            records[key] = manifest[key]
            skipped += 1
        elif sub.nb is None:
            records[key] = {"status": NOT_A_NOTEBOOK, "questions": None, "reason": (
                f"The file is not a readable Jupyter notebook ({sub.parse_error}). Download the notebook again "
                "from Jupyter (File > Download) and resubmit it.")}
        elif sub.lab is not None and sub.lab != lab_id:
            records[key] = {"status": WRONG_LAB, "questions": None, "reason": (
                f"This is a notebook for lab {sub.lab!r}, not {lab_id!r}: it may be the wrong file.")}
        else:
            to_run.append(sub)

    variables = [q.variable for q in spec.questions]
    step = _progress_printer(len(to_run), progress)

    def work(sub: Submission) -> tuple[Submission, dict]:
        try:
            run = _execute(sub, variables, settings)
        except Exception as exc:  # noqa: BLE001 - one submission's trouble must not stop the class
            run = {"outcome": "runner error", "detail": f"{type(exc).__name__}: {exc}", "errors": []}
        record = _outcome_to_record(sub, run, spec, settings)
        record["seconds"] = round(float(run.get("seconds", 0.0)), 2)
        return sub, record

    if to_run:
        if progress is not None:
            print(f"grading {len(to_run)} submissions of {lab_id} with {min(settings.n_workers, len(to_run))} "
                  f"workers ({skipped} already graded)", file=progress, flush=True)
        with ThreadPoolExecutor(max_workers=settings.n_workers) as pool:
            futures = [pool.submit(work, sub) for sub in to_run]
            for future in as_completed(futures):
                sub, record = future.result()
                records[key_of(sub)] = record
                step(f"{sub.student_id} {record['status']}")
    for sub in subs:
        rec = records[key_of(sub)]
        rec.update({"file": sub.name, "student_id": sub.student_id, "sha256": sub.sha256, "lab": lab_id})

    kept = dict(manifest)
    kept.update(records)
    _atomic_write(manifest_path, json.dumps({"format": "mhsm-grade-manifest-1", "grader_version": GRADER_VERSION,
                                             "entries": kept}, indent=1, sort_keys=True) + "\n")

    # One row per student: the newest submission (mtime, then path) is graded; older ones are named.
    by_student: dict[str, list[Submission]] = {}
    for sub in subs:
        by_student.setdefault(sub.student_id, []).append(sub)
    rows, sub_rows = [], []
    qids = spec.qids
    max_points = sum(points.values())
    for sid in sorted(by_student):
        group = sorted(by_student[sid], key=lambda s: (s.mtime, s.name))
        chosen = group[-1]
        rec = records[key_of(chosen)]
        reason = rec.get("reason", "")
        if len(group) > 1:
            older = ", ".join(s.name for s in group[:-1])
            stamp = _utc(chosen.mtime)
            reason = (reason + " " if reason else "") + (
                f"{len(group)} submissions for this student: graded the newest, {chosen.name} (modified {stamp}); "
                f"not graded: {older}.")
        earned = {q["qid"]: (points[q["qid"]] if q["status"] == "correct" else 0.0)
                  for q in (rec.get("questions") or [])}
        entry = chosen.roster
        rows.append({"student_id": sid, "name": entry.name if entry else "", "section": entry.section if entry else "",
                     "roster": entry, "file": chosen.name, "points": {q: earned.get(q, 0.0) for q in qids},
                     "total": sum(earned.values()), "max": max_points, "status": rec["status"], "reason": reason,
                     "questions": rec.get("questions")})
        for s in group:
            r = records[key_of(s)]
            sub_rows.append([s.name, sid, s.sha256, r["status"] if s is chosen else SUPERSEDED,
                             _utc(s.mtime),
                             r.get("reason", "") if s is chosen else f"Superseded by {chosen.name}."])
    submitted = set(by_student)
    for entry in entries:
        if entry.student_id not in submitted:
            submitted.add(entry.student_id)
            rows.append({"student_id": entry.student_id, "name": entry.name, "section": entry.section,
                         "roster": entry, "file": "", "points": {q: 0.0 for q in qids}, "total": 0.0,
                         "max": max_points, "status": NOT_SUBMITTED,
                         "reason": "No submission was found for this student.", "questions": None})
    rows.sort(key=lambda r: r["student_id"])

    files = []
    header = ["student_id"] + (["name", "section"] if entries else []) + qids + ["total", "max", "status",
                                                                                 "reason", "submission"]
    body = [[r["student_id"]] + ([r["name"], r["section"]] if entries else [])
            + [_fmt_points(r["points"][q]) for q in qids]
            + [_fmt_points(r["total"]), _fmt_points(r["max"]), r["status"], r["reason"], r["file"]] for r in rows]
    _atomic_write(out / GRADEBOOK, _csv_text(header, body))
    files.append(out / GRADEBOOK)
    _atomic_write(out / SUBMISSIONS, _csv_text(["file", "student_id", "sha256", "status", "modified", "reason"],
                                               sub_rows))
    files.append(out / SUBMISSIONS)
    if any(e.sis_user_id for e in entries):
        title = assignment or spec.title
        canvas_rows = [["Points Possible", "", "", "", "", _fmt_points(max_points)]]
        for r in rows:
            e = r["roster"]
            if e is None:
                continue
            canvas_rows.append([e.name, e.canvas_id, e.sis_user_id, e.sis_login_id, e.section,
                                _fmt_points(r["total"])])
        _atomic_write(out / CANVAS, _csv_text(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title],
                                              canvas_rows))
        files.append(out / CANVAS)
    for r in rows:
        if r["status"] == NOT_SUBMITTED:
            continue
        page = out / FEEDBACK_DIR / f"{_safe_name(r['student_id'])}.html"
        _atomic_write(page, feedback_html(r, spec, points))
        files.append(page)
    sheader, stable = _summary(rows, spec, points)
    _atomic_write(out / SUMMARY, _csv_text(sheader, stable))
    _atomic_write(out / SUMMARY_CHART, _summary_chart(stable, f"{spec.title}: share correct"))
    files += [out / SUMMARY, out / SUMMARY_CHART]
    return GradeRun(rows, [dict(zip(["file", "student_id", "sha256", "status", "modified", "reason"], s))
                           for s in sub_rows], len(to_run), skipped, out, time.perf_counter() - started, files)
