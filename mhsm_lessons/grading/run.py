"""The grading run: lock ``--out``, collect, resume from the manifest, run in sandboxes, commit each result."""
from __future__ import annotations

import shutil
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from ._common import (GRADER_ERROR, MANIFEST, NOT_A_NOTEBOOK, NOT_A_NOTEBOOK_ARCHIVE, STRAY, UNMATCHED, WRONG_LAB,
                      GradingError, GradingInterrupted, _hash)
from .capacity import available_mb, usable_cores, worker_count
from .collect import (GradeSettings, Submission, _collect, _parse_notebook, converted_cells, notebook_bytes,
                      read_points, read_roster, scan_file)
from .gradebook import SUBMISSION_COLUMNS, build, check_assignment, check_missing
from .identity import resolve
from .kernel import GraderFault
from .manifest import _locked, _Manifest, _stop_signals, stop_requested
from .preflight import preflight
from .records import _outcome_to_record
from .runner import KernelPool, Prestart, Stopped, run_submission
from .sandbox import NONE_WARNING, check_isolation, private_tmp, stage_library


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
    grader_errors: int = 0

    def summary_line(self) -> str:
        counts = Counter(r["status"] for r in self.rows)
        parts = ", ".join(f"{c} {s}" for s, c in sorted(counts.items()))
        return (f"{len(self.rows)} students ({parts}); {self.executed} submissions run, {self.skipped} already "
                f"graded and skipped (--force grades them again); results in {self.out}")


def _scan(paths) -> list[Submission]:
    # every file, sniffed by content (notebook, archive, anything else); bytes let go here: re-read when run
    skipped = Counter()
    found = _collect(paths, skipped)
    if skipped:
        kinds = ", ".join(f"{n} {kind} folder{'s' if n != 1 else ''}" for kind, n in sorted(skipped.items()))
        print(f"Not searched for submissions: {kinds}.", file=sys.stderr, flush=True)
    return [scan_file(path, name, in_folder) for path, name, in_folder in found]


def grade(submissions, out: str | Path, lab_id: str | None = None, solution: str | Path | None = None,
          roster: str | Path | None = None, settings: GradeSettings | None = None, force: bool = False,
          assignment: str | None = None, progress=sys.stderr, isolation: str = "bwrap",
          missing: str = "blank", scheduler: str | None = None) -> GradeRun:
    """Grade submitted notebooks into ``out``: gradebook, feedback pages, class summary and manifest.

    Parameters
    ----------
    submissions : list of str or Path
        Notebook files and folders (searched recursively for ``*.ipynb``). They are never modified.
    out : str or Path
        Output folder (created). Re-running into the same folder skips submissions already graded and adds new
        ones to the class.
    lab_id, solution, roster, assignment
        The lab (default: the one most submissions name), the solution notebook holding the points, the roster
        CSV (see :func:`read_roster`) and the assignment column's name in ``canvas.csv``.
    settings : GradeSettings, optional
        Time and memory limits and the number of parallel workers.
    force : bool
        Grade every submission again, ignoring the manifest.
    isolation : {"bwrap", "container", "none"}
        Where kernels run (see :mod:`mhsm_lessons.grading.sandbox`); ``"none"`` prints a warning.
    missing : {"blank", "zero"}
        What ``canvas.csv`` holds for a student without graded work (not submitted, not a notebook, crashed...)
        or with an "id changed" row: a blank cell (default: no 0 to import over a score already in Canvas) or 0.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``): each submission then runs on one of its
        workers, in the same sandbox, and this process keeps the manifest, the lock and the outputs (see
        :mod:`mhsm_lessons.grading.cluster`). ``settings.workers`` is then ignored; the pre-flight still runs
        here, on this machine.

    Raises
    ------
    GradingError
        An instructor-side problem (no sandbox, unreadable roster, another run into ``out``).
    GradingInterrupted
        Ctrl-C or SIGTERM: sandboxes killed, temporary folders removed, finished results kept.
    """
    from ..practice.session import _labs

    settings = settings or GradeSettings()
    started = time.perf_counter()
    out = Path(out)
    check_assignment(assignment)
    check_missing(missing)
    check_isolation(isolation)
    if isolation == "none":
        print(NONE_WARNING, file=sys.stderr, flush=True)
    labs = _labs()
    entries = read_roster(roster) if roster else []
    subs = _scan(submissions)
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
    resolve(subs, lab_id, entries)
    client = None
    if scheduler:  # reached and checked before anything is written
        from .cluster import check_workers, connect
        client = connect(scheduler)
        try:
            check_workers(client, isolation)
        except BaseException:
            client.close()
            raise
    try:
        with _locked(out), _stop_signals():
            # the instructor's solution, graded first in the same sandbox: a set-up fault stops here (exit 2)
            done_preflight = preflight(out, Path(solution), lab_id, spec, points, settings, isolation, force,
                                       progress)
            if progress is not None:
                print(done_preflight, file=progress, flush=True)
            manifest = _Manifest(out / MANIFEST, force)
            to_run, skipped, faults = _plan(subs, lab_id, manifest)
            try:
                _execute_all(to_run, skipped, lab_id, spec, settings, isolation, manifest, faults, progress, client)
            except (KeyboardInterrupt, GradingInterrupted) as exc:
                signum = getattr(exc, "signum", signal.SIGINT)
                _finish(out, manifest, faults, lab_id, spec, points, entries, assignment, missing)
                done = sum(1 for s in to_run if _key(s, lab_id) in manifest.entries)
                raise GradingInterrupted(signum, (
                    f"Stopped by {signal.Signals(signum).name}: {done} of {len(to_run)} submissions were graded and "
                    f"kept in {out / MANIFEST}; every sandbox was stopped. Run the same command again to grade the "
                    "rest.")) from None
            rows, sub_rows, files = _finish(out, manifest, faults, lab_id, spec, points, entries, assignment, missing)
    finally:
        if client is not None:
            client.close()
    return GradeRun(rows, [dict(zip(SUBMISSION_COLUMNS, s)) for s in sub_rows], len(to_run), skipped, out,
                    time.perf_counter() - started, files, len(faults))


def _key(sub: Submission, lab_id: str) -> str:
    return f"{sub.sha256}:{lab_id}:{sub.student_id}:{sub.name}"


def _base(sub: Submission, lab_id: str) -> dict:
    return {"file": sub.name, "student_id": sub.student_id, "sha256": sub.sha256, "lab": lab_id,
            "mtime": sub.mtime}


def _plan(subs, lab_id, manifest):
    to_run, skipped, faults, decided = [], 0, {}, {}
    for sub in subs:
        key = _key(sub, lab_id)
        if manifest.reuse and key in manifest.entries:
            skipped += 1
            continue
        record = None
        if sub.kind in ("stray", "unmatched"):
            record = {"status": STRAY if sub.kind == "stray" else UNMATCHED, "reason": sub.note, "questions": None}
            if sub.kind == "unmatched" and sub.parse_error is not None:
                record["reason"] += f" It is not a notebook either ({sub.parse_error})."
        elif sub.archive:
            record = {"status": NOT_A_NOTEBOOK_ARCHIVE, "questions": None, "reason": (
                f"The file is {sub.parse_error}. Not graded: hand in the notebook itself (.ipynb), or an archive "
                "holding only that notebook.")}
        elif sub.parse_error is not None:
            record = {"status": NOT_A_NOTEBOOK, "questions": None, "reason": (
                f"The file is not a readable Jupyter notebook ({sub.parse_error}). Download the notebook again "
                "from Jupyter (File > Download) and resubmit it.")}
        elif sub.lab is not None and sub.lab != lab_id:
            record = {"status": WRONG_LAB, "questions": None, "reason": (
                f"This is a notebook for lab {sub.lab!r}, not {lab_id!r}: it may be the wrong file.")}
        if record is None:
            to_run.append(sub)
        else:
            if sub.kind == "submission" and sub.note:
                record["reason"] = f"{sub.note} {record['reason']}"
            decided[key] = dict(_base(sub, lab_id), **record)
    manifest.commit_many(decided)
    return to_run, skipped, faults


def _execute_all(to_run, skipped, lab_id, spec, settings, isolation, manifest, faults, progress,
                 client=None) -> None:
    if not to_run:
        return
    report = _Reporter(to_run, lab_id, manifest, faults, progress)
    if client is not None:  # a Dask cluster (mhsm grade --scheduler)
        from .cluster import run_on_cluster
        run_on_cluster(client, to_run, lab_id, spec, settings, isolation, report, skipped)
        return
    workers, note = worker_count(settings.n_workers, len(to_run), usable_cores(), available_mb())
    if note:
        print(note, file=sys.stderr, flush=True)
    report.header(f"with {workers} workers", skipped)
    _run_local(to_run, lab_id, spec, settings, isolation, workers, report)


class _Reporter:
    """Takes each finished submission's record: commits it (grader errors are only shown) and prints progress."""

    def __init__(self, to_run, lab_id, manifest, faults, progress):
        self.total, self.lab_id, self.manifest, self.faults, self.progress = len(to_run), lab_id, manifest, faults, progress
        self.start, self.done, self.lock = time.perf_counter(), 0, threading.Lock()

    def header(self, how: str, skipped: int) -> None:
        if self.progress is not None:
            print(f"grading {self.total} submissions of {self.lab_id} {how} ({skipped} already graded)",
                  file=self.progress, flush=True)

    def __call__(self, sub: Submission, record: dict) -> None:
        if record["status"] == GRADER_ERROR:
            self.faults[_key(sub, self.lab_id)] = record
        else:
            self.manifest.commit(_key(sub, self.lab_id), record)
        with self.lock:
            self.done += 1
            done = self.done
        if self.progress is not None:
            elapsed = time.perf_counter() - self.start
            left = elapsed / done * (self.total - done)
            filled = int(24 * done / self.total)
            print(f"[{'#' * filled}{'.' * (24 - filled)}] {done}/{self.total} elapsed {_clock(elapsed)}, "
                  f"about {_clock(left)} left: {sub.student_id} {record['status']}", file=self.progress, flush=True)


def _run_local(to_run, lab_id, spec, settings, isolation, workers, report) -> None:
    """One thread per worker slot; each starts its next submission's kernel while the current one runs."""
    variables = [q.variable for q in spec.questions]
    pool = KernelPool()
    lib_root = private_tmp("mhsm-gradelib-")
    queue, queue_lock = iter(to_run), threading.Lock()

    def take() -> Submission | None:
        with queue_lock:
            return None if pool.stopped.is_set() else next(queue, None)

    def worker(slot: int) -> None:
        lane, sub = 0, take()
        prepared = _prepare(sub, spec, settings, isolation, lib_root, slot, lane, pool) if sub else None
        try:
            while sub is not None:
                current, now = sub, prepared
                sub, prepared, lane = take(), None, 1 - lane
                if sub is not None:  # the next kernel starts (and warms up) while this submission runs
                    prepared = _prepare(sub, spec, settings, isolation, lib_root, slot, lane, pool)
                report(current, _grade_one(current, lab_id, spec, settings, isolation, lib_root, slot, pool,
                                           variables, now))
        finally:
            _discard(prepared)

    executor = ThreadPoolExecutor(max_workers=workers)
    futures = set()
    try:
        stage_library(lib_root)
        futures = {executor.submit(worker, slot) for slot in range(workers)}
        while futures:
            signum = stop_requested()  # a stop whose exception some library caught still stops the run
            if signum is not None:
                raise GradingInterrupted(signum, "stopped")
            finished, futures = wait(futures, timeout=0.5, return_when=FIRST_COMPLETED)
            for f in finished:
                f.result()
    except BaseException:
        pool.stop()
        for f in list(futures):
            f.cancel()
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        pool.stop()
        shutil.rmtree(lib_root, ignore_errors=True)


def _load(sub: Submission):
    """The notebook's bytes (the file's checked against the hash taken when it was found; a notebook inside an
    archive read from it in memory) and the parsed notebook."""
    raw = sub.path.read_bytes()
    if _hash(raw) != sub.sha256:
        raise GraderFault("the file changed while the class was being graded")
    try:
        raw = notebook_bytes(sub, raw)  # the file, or the one notebook inside its archive (read in memory)
    except ValueError:
        raise GraderFault("the archive changed while the class was being graded") from None
    nb, _ = _parse_notebook(raw)
    return raw, nb


def _prepare(sub, spec, settings, isolation, lib_root, slot, lane, pool):
    """Read ``sub`` and start its kernel ahead (a :class:`Prestart`); a failure is kept for the submission's turn.

    The instructor-side datasets of this student are generated in the same helper thread, so grading the
    answers later finds them in the library's cache.
    """
    try:
        raw, nb = _load(sub)
        ready = Prestart(raw, sub.student_id, settings, isolation=isolation, lib=lib_root, slot=slot, lane=lane,
                         pool=pool, datasets=spec.datasets, also=lambda: _instructor_data(spec, sub.student_id))
    except (GraderFault, OSError) as exc:
        return exc
    return raw, nb, ready


def _instructor_data(spec, student_id: str) -> None:
    from ..data.registry import load_dataset

    for name in spec.datasets:
        load_dataset(name, student_id)


def _discard(prepared) -> None:
    if isinstance(prepared, tuple):
        prepared[2].discard()


def _grade_one(sub, lab_id, spec, settings, isolation, lib_root, slot, pool, variables, prepared=None) -> dict:
    base = _base(sub, lab_id)
    try:
        if isinstance(prepared, BaseException):
            raise prepared
        raw, nb, ready = prepared if prepared is not None else (*_load(sub), None)
        run = run_submission(raw, nb, sub.student_id, variables, settings, isolation=isolation,
                             lib=lib_root, slot=slot, pool=pool, ready=ready)
        run["converted"] = converted_cells(nb, variables)  # answer cells turned into Markdown or raw
        del raw, nb
        record = _outcome_to_record(sub, run, spec, settings)
        record["seconds"] = round(float(run.get("seconds", 0.0)), 2)
    except Stopped:
        raise
    except (GraderFault, OSError) as exc:
        if pool.stopped.is_set():
            raise Stopped() from None
        record = _fault_record(sub, exc)
    finally:
        _discard(prepared)
    if sub.note:
        record["reason"] = f"{sub.note} {record['reason']}".strip()
    return dict(base, **record)


def _fault_record(sub: Submission, exc: BaseException) -> dict:
    """A grader error row for ``sub``: shown to the instructor, never stored as the student's result."""
    detail = str(exc) if isinstance(exc, GraderFault) else (
        "the disk is full" if getattr(exc, "errno", None) == 28 else f"{type(exc).__name__} on the grader's side")
    private = getattr(exc, "detail", "") or (str(exc) if not isinstance(exc, GraderFault) else "")
    print(f"grader error on {sub.name}: {detail}" + (f" ({private[:300]})" if private else ""),
          file=sys.stderr, flush=True)
    return {"status": GRADER_ERROR, "questions": None, "reason": (
        f"The grader could not run this notebook ({detail}). This is not the student's doing and was not "
        "recorded: run mhsm grade again to grade it.")}


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _finish(out, manifest, faults, lab_id, spec, points, roster, assignment, missing="blank"):
    entries = list(manifest.entries.values()) + list(faults.values())
    return build(out, entries, lab_id, spec, points, roster, assignment, missing)
