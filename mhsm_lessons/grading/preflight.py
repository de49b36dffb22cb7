"""The pre-flight check: before a class is graded, grade the instructor's own solution in the same sandbox.

If the solution does not score full marks there, the fault is the set-up (a kernel from another environment, a
library or dataset that does not match the solution, a sandbox that cannot import what the lab needs), not the
students: the run stops with exit status 2 and a message to the instructor, before any student row is written.

Cost: one extra notebook run per ``mhsm grade`` invocation. A pass is remembered in ``--out/.mhsm-preflight.json``
under a key made of the solution's hash, the lab, the grader's Python interpreter, the library's files, the
isolation and the grader version; a later run into the same ``--out`` with the same key (resuming, or grading a
late folder) skips it. ``--force`` runs it again. A failure is never remembered.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

from ._common import GRADED, GRADER_VERSION, GradingError, _fmt_points, _hash
from .collect import Submission, _parse_notebook, converted_cells
from .outputs import _atomic_write

PREFLIGHT_ID = "mhsm-preflight"  # the id the solution is graded for (any id works: data follow from it)
PREFLIGHT_FILE = ".mhsm-preflight.json"


class PreflightFailed(GradingError):
    """The instructor's solution did not score full marks in the grading sandbox: a set-up problem."""


def _library_hash() -> str:
    import mhsm_lessons

    root = Path(mhsm_lessons.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def preflight_key(solution_raw: bytes, lab_id: str, isolation: str) -> str:
    """What a remembered pass depends on: solution, lab, interpreter, library files, isolation, grader."""
    parts = [_hash(solution_raw), lab_id, sys.executable, _library_hash(), isolation, str(GRADER_VERSION)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def preflight(out: Path, solution: Path, lab_id: str, spec, points: dict, settings, isolation: str,
              force: bool = False, progress=None) -> str:
    """Grade ``solution`` for :data:`PREFLIGHT_ID` in the sandbox; raise :class:`PreflightFailed` unless every
    question is correct. Returns a one-line description of what was done (for the progress output)."""
    from .kernel import GraderFault
    from .records import _outcome_to_record
    from .runner import KernelPool, run_submission
    from .sandbox import private_tmp, stage_library

    solution = Path(solution)
    raw = solution.read_bytes()
    key = preflight_key(raw, lab_id, isolation)
    cache = out / PREFLIGHT_FILE
    if not force:
        try:
            if json.loads(cache.read_text(encoding="utf-8")).get("key") == key:
                return "pre-flight: skipped (the solution passed before with this solution and environment)"
        except (OSError, ValueError, AttributeError):
            pass
    nb, problem = _parse_notebook(raw)
    if nb is None:
        raise PreflightFailed(f"Pre-flight check failed: the solution {solution.name} is not a readable notebook "
                              f"({problem}). No student was graded.")
    variables = [q.variable for q in spec.questions]
    if progress is not None:
        print(f"pre-flight: grading the solution {solution.name} for {PREFLIGHT_ID!r} in the sandbox",
              file=progress, flush=True)
    started = time.perf_counter()
    pool = KernelPool()
    lib_root = private_tmp("mhsm-gradelib-")
    sub = Submission(solution, solution.name, _hash(raw), solution.stat().st_mtime, False,
                     student_id=PREFLIGHT_ID)
    try:
        stage_library(lib_root)
        run = run_submission(raw, nb, PREFLIGHT_ID, variables, settings, isolation=isolation, lib=lib_root,
                             slot=0, pool=pool)
        run["converted"] = converted_cells(nb, variables)
        record = _outcome_to_record(sub, run, spec, settings)
    except GraderFault as exc:
        detail = getattr(exc, "detail", "")
        raise PreflightFailed(_message(solution, f"the sandbox could not run it ({exc}"
                                                 + (f": {detail[:200]}" if detail else "") + ")")) from None
    finally:
        pool.stop()
        shutil.rmtree(lib_root, ignore_errors=True)
    questions = record.get("questions") or []
    wrong = [q for q in questions if q["status"] != "correct"]
    if record["status"] != GRADED or not questions or wrong:
        earned = sum(points[q["qid"]] for q in questions if q["status"] == "correct")
        listed = "; ".join(f"{q['qid']} {q['status']} ({q['message'][:160]})" for q in wrong[:4])
        more = f"; and {len(wrong) - 4} more" if len(wrong) > 4 else ""
        labels = run.get("labels", [])
        errors = [f"{labels[e['cell']] if 0 <= e.get('cell', -1) < len(labels) else 'a cell'} raised "
                  f"{e.get('ename', 'an error')}" + (f" ({e['evalue'][:150]})" if e.get("evalue") else "")
                  for e in run.get("errors", [])[:3]]
        what = (f"it scored {_fmt_points(earned)} of {_fmt_points(sum(points.values()))} points, status "
                f"{record['status']!r}" + (f": {record['reason']}" if record.get("reason") else "")
                + (f" Not correct: {listed}{more}." if listed else "")
                + (f" First errors: {'; '.join(errors)}." if errors else ""))
        raise PreflightFailed(_message(solution, what))
    _atomic_write(cache, json.dumps({"key": key, "solution": solution.name, "lab": lab_id,
                                     "seconds": round(time.perf_counter() - started, 2)}) + "\n")
    return (f"pre-flight: the solution scored full marks for {PREFLIGHT_ID!r} in the sandbox "
            f"({time.perf_counter() - started:.1f} s)")


def _message(solution: Path, what: str) -> str:
    return (f"Pre-flight check failed: your solution notebook {solution.name}, graded for the id {PREFLIGHT_ID!r} "
            f"in the same sandbox as the students, did not score full marks: {what}\n"
            "This is a problem with the grading set-up, not with any student's work, so no student was graded and "
            "no gradebook row was written. Check that mhsm grade runs from the course's own environment (the one "
            f"that builds the solution: .venv/bin/mhsm build {solution}), that the installed mhsm_lessons and its "
            "datasets match the solution, and that the solution runs top to bottom; then run mhsm grade again.")
