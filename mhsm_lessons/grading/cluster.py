"""Grading on a Dask cluster: ``mhsm grade --scheduler tcp://host:8786``.

The instructor's process stays the grader: it finds and identifies the submissions, holds the lock on ``--out``,
keeps the manifest (each result committed as it arrives, so a stopped run resumes), decodes and judges every
answer, and writes the outputs, exactly as with local workers. A Dask worker only *runs* a submission: the
notebook's bytes go to it, it executes them in the same sandbox as a local run (bubblewrap, the staged library
without the answer key, the same limits) and sends back what the runner saw (cell errors and the kernel's reply,
already decoded to plain data by the worker's runner). The student's kernel never talks to Dask.

Every worker host therefore needs bubblewrap and the same pinned environment (this package included); both are
checked on every connected worker before anything is written. A worker that dies mid-run has its submission
re-run elsewhere by the scheduler; if the scheduler gives up (``KilledWorker``), the row is a grader error, never a
zero. Ctrl-C or SIGTERM cancels the pending work and kills the sandboxes running on the workers.
"""
from __future__ import annotations

import atexit
import errno
import hashlib
import os
import secrets
import shutil
import threading
import time
from pathlib import Path

from ._common import GRADER_VERSION, GradingError, GradingInterrupted

CONNECT_TIMEOUT = float(os.environ.get("MHSM_SCHEDULER_TIMEOUT", "20"))
REMOTE_SLOT_BASE = 500  # sandbox user ids of remote runs (61000 + 2 * slot) never meet a local run's
INSTALL = 'pip install "mhsm-lessons[cluster]"'
POLL = 0.1  # seconds between looks at the finished futures and the stop flag


def connect(address: str):
    """A Dask client for ``address``, its workers checked; :class:`GradingError` says what is wrong otherwise."""
    try:
        from distributed import Client
    except ImportError:
        raise GradingError(f"--scheduler needs the Dask distributed package, which is not installed here. Install "
                           f"it with: {INSTALL} (the same version as on the workers).") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise GradingError(f"Could not reach a Dask scheduler at {address!r} within {CONNECT_TIMEOUT:g} s "
                           f"({type(exc).__name__}). Check the address (for example tcp://scheduler-host:8786) and "
                           "that the scheduler is running and reachable from this machine.") from None
    return client


def check_workers(client, isolation: str) -> int:
    """Raise :class:`GradingError` unless every worker can grade here as this machine would; return threads."""
    from .sandbox import bwrap_problem  # noqa: F401 - imported here so a missing module fails on this side first

    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        statuses = client.run(worker_status, isolation)
    except Exception as exc:  # noqa: BLE001 - any failure here is the cluster's, reported as such
        raise GradingError(f"The Dask scheduler has no worker that answers ({type(exc).__name__}). Start at least "
                           "one worker (dask worker SCHEDULER_ADDRESS) and run again.") from None
    mine = fingerprint()
    bad = []
    for address, (theirs, problem) in sorted(statuses.items()):
        if problem:
            bad.append(f"{address}: {problem.rstrip('.')}")
        elif theirs != mine:
            bad.append(f"{address}: it runs another version of mhsm_lessons or of the labs than this machine")
    if bad:
        raise GradingError("Some Dask workers cannot grade: " + "; ".join(bad[:5]) + (
            f" (and {len(bad) - 5} more)" if len(bad) > 5 else "") + ". Every worker host needs bubblewrap "
            "and the same pinned environment as this machine (see the README).")
    return max(1, sum(client.nthreads().values()))


def fingerprint() -> str:
    """What must match between the instructor's machine and a worker: grader version and the labs' questions."""
    import mhsm_lessons

    from .sandbox import _labs_stub
    return hashlib.sha256(f"{mhsm_lessons.__version__}:{GRADER_VERSION}:{_labs_stub()}".encode()).hexdigest()


def worker_status(isolation: str) -> tuple[str, str | None]:
    """Run on each worker: its fingerprint, and why it cannot run a sandbox (None when it can)."""
    from .sandbox import check_isolation

    try:
        check_isolation(isolation)
        _slot_folder()
        problem = None
    except GradingError as exc:
        problem = str(exc).split(" Install it with")[0]
    except OSError as exc:
        problem = exc.strerror if exc.errno == errno.EPERM else f"its temporary folder cannot hold slot locks ({exc})"
    return fingerprint(), problem


def run_on_cluster(client, to_run, lab_id, spec, settings, isolation, report, skipped: int = 0) -> None:
    """Run ``to_run`` on the cluster; hand each finished record to ``report`` (in this thread, as they arrive)."""
    from distributed import as_completed

    from .collect import converted_cells
    from .kernel import GraderFault
    from .manifest import stop_requested
    from .records import _outcome_to_record
    from .run import _base, _fault_record, _load

    threads = max(1, sum(client.nthreads().values()))
    report.header(f"on the Dask cluster at {client.scheduler.address} ({threads} worker threads)", skipped)
    variables = [q.variable for q in spec.questions]
    token = secrets.token_hex(8)
    pending = iter(enumerate(to_run))
    futures: dict = {}
    window = 2 * threads  # submissions in flight: the rest stay on disk until a worker is free
    done = as_completed(loop=client.loop)

    def submit_next() -> bool:
        for index, sub in pending:
            try:
                raw, nb = _load(sub)
            except (GraderFault, OSError) as exc:  # changed or unreadable since it was found: a grader error
                report(sub, _finish(sub, dict(_base(sub, lab_id), **_fault_record(sub, exc))))
                continue
            future = client.submit(run_remote, raw, sub.student_id, variables, settings, isolation, token,
                                   key=f"mhsm-grade-{token}-{index}", pure=False)  # one key per submission
            # what the worker must answer for (the notebook's own hash: for an archive, the notebook inside it),
            # and the answer cells turned into Markdown or raw, read here from the same bytes
            futures[future] = (sub, hashlib.sha256(raw).hexdigest(), converted_cells(nb, variables))
            done.add(future)
            return True
        return False

    try:
        for _ in range(window):
            if not submit_next():
                break
        while not done.is_empty():
            # Wait in short steps and look at the stop flag between them: a signal that lands while Dask's own code
            # runs in this thread may have its exception caught there, and the run must stop all the same.
            signum = stop_requested()
            if signum is not None:
                raise GradingInterrupted(signum, "stopped")
            if not done.has_ready():
                time.sleep(POLL)
                continue
            for future in done.next_batch(block=False):
                sub, digest, converted = futures.pop(future)
                record = _finish(sub, _remote_record(future, sub, digest, converted, lab_id, spec, settings, _base,
                                                     _fault_record, _outcome_to_record))
                signum = stop_requested()
                if signum is not None:  # judged while the stop arrived: not committed, graded again on resume
                    raise GradingInterrupted(signum, "stopped")
                report(sub, record)
                future.release()
                submit_next()
    except BaseException:
        live = list(futures)
        try:
            client.cancel(live, force=True)
            client.run(stop_remote, token)
        except Exception:  # noqa: BLE001 - stopping is best effort: a lost worker's sandboxes die with it
            pass
        raise
    finally:
        client.close()


def _finish(sub, record: dict) -> dict:
    if sub.note:
        record["reason"] = f"{sub.note} {record['reason']}".strip()
    return record


def _remote_record(future, sub, digest, converted, lab_id, spec, settings, _base, _fault_record,
                   _outcome_to_record) -> dict:
    from distributed import KilledWorker

    from .kernel import GraderFault

    try:
        outcome = future.result()
    except (GradingInterrupted, KeyboardInterrupt):  # Ctrl-C or SIGTERM while waiting: stop the run
        raise
    except KilledWorker:
        return dict(_base(sub, lab_id), **_fault_record(sub, GraderFault(
            "the Dask workers running it kept dying")))
    except Exception as exc:  # noqa: BLE001 - cancelled, lost, or an error in the worker's own code
        return dict(_base(sub, lab_id), **_fault_record(sub, GraderFault(
            f"the Dask worker failed ({type(exc).__name__})", str(exc)[:300])))
    if not isinstance(outcome, dict) or outcome.get("for") != [digest, sub.student_id]:
        return dict(_base(sub, lab_id), **_fault_record(sub, GraderFault(
            "a Dask worker answered for another submission")))
    if "fault" in outcome:
        fault = GraderFault(str(outcome["fault"]), str(outcome.get("detail", "")))
        return dict(_base(sub, lab_id), **_fault_record(sub, fault))
    run = outcome["run"]
    run["converted"] = converted
    record = _outcome_to_record(sub, run, spec, settings)
    record["seconds"] = round(float(run.get("seconds", 0.0)), 2)
    return dict(_base(sub, lab_id), **record)


# ---- on the worker -------------------------------------------------------------------------------------------

_STATE: dict = {"lib": None, "pools": {}}
_STATE_LOCK = threading.Lock()


def _worker_library() -> Path:
    """The staged library of this worker process (staged once, removed when the worker exits)."""
    import tempfile

    from .sandbox import stage_library

    with _STATE_LOCK:
        if _STATE["lib"] is None:
            lib = Path(tempfile.mkdtemp(prefix="mhsm-gradelib-", dir=_scratch()))
            stage_library(lib)
            atexit.register(shutil.rmtree, lib, True)
            _STATE["lib"] = lib
        return _STATE["lib"]


def _scratch() -> str | None:
    """The worker's own scratch folder: Dask removes it when the worker stops, and a dead worker's when its
    replacement starts (so a killed worker leaves no copy of a notebook behind for long)."""
    try:
        from distributed import get_worker
        return get_worker().local_directory
    except (ImportError, ValueError, AttributeError):
        return None


def _slot_folder() -> Path:
    """This user's folder of slot locks on a worker host: ``mhsm-grade-slots-<uid>`` in the temporary folder.

    One folder per user id, so workers run by different accounts on one host never share (and never fail on)
    each other's locks; as root the slot also picks the sandbox's user id, and only root's workers use those ids.
    A folder of that name that this user does not own, or that others may write to, is refused (``OSError``):
    another account could otherwise hold every slot or swap a lock file.
    """
    import stat
    import tempfile

    uid = os.getuid()
    folder = Path(tempfile.gettempdir()) / f"mhsm-grade-slots-{uid}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    st = folder.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o022:
        raise OSError(errno.EPERM, f"the slot-lock folder {folder} is not a folder of user id {uid} closed to "
                      f"other users (owner {st.st_uid}, mode {stat.filemode(st.st_mode)}); remove it and restart "
                      "the Dask worker")
    return folder


def _claim_slot():
    """A sandbox user-id slot no other grading sandbox of this user on this host is using (an flock held while it
    runs). Raises ``OSError`` (EAGAIN) when all 400 are taken, or from :func:`_slot_folder`."""
    import fcntl

    folder = _slot_folder()
    for i in range(400):
        fh = open(folder / f"{i}.lock", "a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return REMOTE_SLOT_BASE + i, fh
        except OSError:
            fh.close()
    raise OSError(errno.EAGAIN, "no free sandbox slot on this worker host")


def run_remote(raw: bytes, student_id: str, variables, settings, isolation: str, token: str) -> dict:
    """Run on a Dask worker: execute one submission in its sandbox; return plain data (never raises for it)."""
    from .collect import _parse_notebook
    from .kernel import GraderFault
    from .runner import KernelPool, Stopped, run_submission

    pool = KernelPool()
    with _STATE_LOCK:
        _STATE["pools"].setdefault(token, set()).add(pool)
    slot_lock = None
    about = {"for": [hashlib.sha256(raw).hexdigest(), student_id]}  # checked by the instructor's process
    try:
        slot, slot_lock = _claim_slot()
        nb, problem = _parse_notebook(raw)
        if nb is None:
            return dict(about, fault=f"the notebook could not be read on the worker ({problem})")
        run = run_submission(raw, nb, student_id, variables, settings, isolation=isolation, lib=_worker_library(),
                             slot=slot, pool=pool, tmp_base=_scratch())
        return dict(about, run=run)
    except Stopped:
        return dict(about, fault="the run was stopped")
    except GraderFault as exc:
        return dict(about, fault=str(exc), detail=exc.detail)
    except OSError as exc:
        return dict(about, fault="the disk of a Dask worker is full" if exc.errno == errno.ENOSPC
                    else f"{type(exc).__name__} on a Dask worker", detail=str(exc)[:300])
    finally:
        if slot_lock is not None:
            slot_lock.close()
        with _STATE_LOCK:
            _STATE["pools"].get(token, set()).discard(pool)


def stop_remote(token: str) -> int:
    """Run on every worker when the instructor stops the run: kill the sandboxes of that run at once."""
    with _STATE_LOCK:
        pools = list(_STATE["pools"].get(token, ()))
    for pool in pools:
        pool.stop()
    return len(pools)
