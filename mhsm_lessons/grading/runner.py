"""Executing one submission: cell by cell over the Jupyter protocol, in its own sandboxed kernel.

Every cell may fail (the next one still runs). A cell past the cell time limit is interrupted; one that ignores
the interrupt for a few seconds has its kernel killed, and the notebook is run again in a fresh kernel without
that cell, so the rest is still graded where time allows. After the last cell the grader asks the kernel, in a
request of its own, for the answer variables, ``STUDENT_ID`` and the ids of the lab sessions started: the reply
is plain data, decoded and judged by the instructor's process.

A submission's kernel can be started ahead of time (:class:`Prestart`): while one submission runs, the next one's
sandbox is spawned, connected and warmed (the heavy library imports done and this student's datasets generated
inside that sandbox, before any of the submission's code runs). The sandbox is exactly the one it would get
otherwise; only the wait moves off the critical path.
"""
from __future__ import annotations

import ast
import copy
import json
import shutil
import threading
import time
from pathlib import Path

from ._common import ANSWERS_FORMAT, MAX_ANSWERS_BYTES
from .answers import collect_source
from .collect import injection_index
from .kernel import GraderFault, Kernel
from .sandbox import private_tmp

INTERRUPT_GRACE = 3.0  # seconds a cell gets to stop after an interrupt before its kernel is killed
START_TIMEOUT = 60.0
COLLECT_TIMEOUT = 30.0
MAX_RESTARTS = 3
SESSIONS_EXPR = "__import__('mhsm_lessons.practice.session', fromlist=['_'])._grading_session_ids()"
REQUESTED_EXPR = "__import__('mhsm_lessons.practice.session', fromlist=['_'])._grading_requested_ids()"


WARM_UP_TIMEOUT = 60.0
WARM_MODULES = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "ipywidgets", "mhsm_lessons")


def warm_up_source(datasets, student_id: str) -> str:
    """Code run silently in a fresh kernel before the submission's first cell: imports and the student's data.

    It leaves no name in the kernel's namespace (everything happens inside a function that is deleted), so the
    submission starts exactly as in a cold kernel, only with modules already imported and the dataset cache of
    ``mhsm_lessons`` filled for this student.
    """
    return ("def _mhsm_warm():\n"
            "    import importlib\n"
            f"    for name in {list(WARM_MODULES)!r}:\n"
            "        try:\n            importlib.import_module(name)\n        except Exception:\n            pass\n"
            "    try:\n        from mhsm_lessons import load_dataset\n"
            f"        for name in {list(datasets)!r}:\n            load_dataset(name, {student_id!r})\n"
            "    except Exception:\n        pass\n"
            "_mhsm_warm()\ndel _mhsm_warm\n")


class Stopped(Exception):
    """The run was stopped (Ctrl-C or SIGTERM): this submission's result must not be recorded."""


class KernelPool:
    """The live kernels of a run, so a stop can kill every sandbox at once from the main thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.kernels: set[Kernel] = set()
        self.stopped = threading.Event()

    def add(self, kernel: Kernel) -> None:
        with self.lock:
            self.kernels.add(kernel)
            stopped = self.stopped.is_set()
        if stopped:
            kernel.terminate()
            raise Stopped()

    def discard(self, kernel: Kernel) -> None:
        with self.lock:
            self.kernels.discard(kernel)

    def stop(self) -> None:
        self.stopped.set()
        with self.lock:
            kernels = list(self.kernels)
        for kernel in kernels:
            kernel.terminate()


class Prestart:
    """A submission's sandbox and kernel, started before its turn (see the module docstring).

    Built in the worker thread that will run the submission (the sandbox dies with the thread that spawned it);
    the connection, the warm-up and ``also`` (instructor-side work for the same submission) happen in a short
    helper thread. :meth:`take` hands over the ready kernel (or
    raises what went wrong: a :class:`GraderFault`, never a student's result); :meth:`discard` cleans up a
    prestart that will not be used. ``lane`` (0 or 1) keeps two live sandboxes of one worker slot apart: each
    gets its own user id.
    """

    def __init__(self, raw: bytes, student_id: str, settings, *, isolation: str, lib: Path, slot: int, lane: int,
                 pool: "KernelPool", datasets=(), also=None, tmp_base: Path | None = None):
        self.tmp = private_tmp("mhsm-sandbox-", tmp_base)
        self.uid_slot = 2 * slot + lane
        self.kernel: Kernel | None = None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.pool = pool
        try:
            self.notebook = self.tmp / "submission.ipynb"
            try:
                self.notebook.write_bytes(raw)
            except OSError as exc:
                raise GraderFault(f"the grader could not write its temporary copy ({exc.strerror or exc})") from None
            work = self.tmp / "run0"
            work.mkdir()
            kernel = Kernel(work, self.notebook, isolation=isolation, lib=lib, slot=self.uid_slot,
                            memory=int(settings.memory_mb) * 2 ** 20, cpu_seconds=int(settings.notebook_timeout) + 30)
            self.kernel = kernel
            pool.add(kernel)
        except BaseException as exc:  # kept for take(): the failure belongs to this submission's turn
            self.error = exc
            return
        self.thread = threading.Thread(target=self._connect, args=(warm_up_source(datasets, student_id), also),
                                       daemon=True)
        self.thread.start()

    def _connect(self, warm: str, also) -> None:
        try:
            if also is not None:  # instructor-side work for this submission, done while its kernel starts
                try:
                    also()
                except Exception:  # noqa: BLE001 - only a head start: the same work is redone when needed
                    pass
            self.kernel.connect(START_TIMEOUT)
            reply = self.kernel.execute(warm, WARM_UP_TIMEOUT, silent=True)
            if reply.get("status") == "dead":
                raise GraderFault("the kernel exited while starting", self.kernel._log_line())
            if reply.get("status") == "timeout":
                raise GraderFault("the kernel did not start in time", self.kernel._log_line())
        except BaseException as exc:  # noqa: BLE001 - handed to the worker thread by take()
            self.error = exc

    def take(self) -> Kernel:
        """The connected, warmed kernel (waits for it); raises the start-up failure if there was one."""
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            if self.pool.stopped.is_set():
                raise Stopped()
            raise self.error
        kernel, self.kernel = self.kernel, None
        return kernel

    def discard(self) -> None:
        """Kill the kernel if it was not taken, and remove the temporary folder. Safe to repeat."""
        if self.kernel is not None:
            self.kernel.terminate()
        if self.thread is not None:
            self.thread.join()
        if self.kernel is not None:
            self.kernel.kill()
            self.pool.discard(self.kernel)
            self.kernel = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def prepare(nb, student_id: str):
    """The code cells to run, with the grader's id cell after the ``parameters`` cell, and their labels.

    Returns ``(sources, labels, injected_index)``; labels count the submission's own cells from 1.
    """
    cells = list(nb.cells)
    at = injection_index(nb)  # after the parameters cell, else after the cell that assigns STUDENT_ID (by AST)
    injected = (f"STUDENT_ID = {student_id!r}  # injected by mhsm grade\n"
                f"__import__('mhsm_lessons.practice.session', fromlist=['_'])._set_grader_id({student_id!r})")
    sources, labels = [], []
    for i, cell in enumerate(cells):
        if i == at:
            sources.append(injected)
            labels.append("the grader's student-id cell")
        if cell.cell_type == "code":
            sources.append(cell.source)
            labels.append(f"cell {i + 1}")
    if at >= len(cells):
        sources.append(injected)
        labels.append("the grader's student-id cell")
    return sources, labels


def run_submission(raw: bytes, nb, student_id: str, variables: list[str], settings, *, isolation: str,
                   lib: Path, slot: int, pool: KernelPool, ready: Prestart | None = None,
                   tmp_base: Path | None = None) -> dict:
    """Execute one submission; return what happened (outcome, cell errors, decoded reply data).

    ``ready`` is this submission's :class:`Prestart` when its kernel was started ahead (it is used up here);
    without it the kernel is started now, in lane 0 of ``slot``, with its temporary folder in ``tmp_base``
    (default: the system's temporary folder).
    """
    sources, labels = prepare(copy.deepcopy(nb), student_id)
    result: dict = {"outcome": "completed", "errors": [], "current_cell": None, "labels": labels,
                    "skipped": [], "answers": None}
    if ready is None:
        ready = Prestart(raw, student_id, settings, isolation=isolation, lib=lib, slot=slot, lane=0, pool=pool,
                         tmp_base=tmp_base)
    try:
        kernel = ready.take()
        start = time.monotonic()
        deadline = start + settings.notebook_timeout
        skip: set[int] = set()
        for attempt in range(MAX_RESTARTS + 1):
            if kernel is None:  # a restart, without the cell that ignored its interrupt
                kernel = _fresh_kernel(ready.tmp / f"run{attempt}", ready, settings, isolation, lib, pool)
            outcome = _one_pass(kernel, sources, skip, result, variables, settings, pool, deadline)
            kernel = None
            if outcome != "restart":
                break
        else:
            result["outcome"] = "notebook timeout"
        if pool.stopped.is_set():
            raise Stopped()
    finally:
        ready.discard()
    result["seconds"] = time.monotonic() - start
    return result


def _fresh_kernel(work: Path, ready: Prestart, settings, isolation: str, lib: Path, pool: KernelPool) -> Kernel:
    work.mkdir()
    kernel = Kernel(work, ready.notebook, isolation=isolation, lib=lib, slot=ready.uid_slot,
                    memory=int(settings.memory_mb) * 2 ** 20, cpu_seconds=int(settings.notebook_timeout) + 30)
    try:
        pool.add(kernel)
        kernel.connect(START_TIMEOUT)
    except BaseException:
        kernel.kill()
        pool.discard(kernel)
        raise
    return kernel


def _one_pass(kernel, sources, skip, result, variables, settings, pool, deadline) -> str:
    """Run the cells in ``kernel`` (connected, in ``pool``); it is killed and let go when this returns."""
    try:
        result["errors"] = [e for e in result["errors"] if e.get("keep")]
        for i, source in enumerate(sources):
            if i in skip:
                continue
            if pool.stopped.is_set():
                raise Stopped()
            result["current_cell"] = i
            left = deadline - time.monotonic()
            if left <= 0:
                result["outcome"] = "notebook timeout"
                return "done"
            reply = kernel.execute(source, min(settings.cell_timeout, left))
            if reply.get("status") == "timeout":
                if time.monotonic() >= deadline:
                    result["outcome"] = "notebook timeout"
                    return "done"
                kernel.interrupt()
                reply = _after_interrupt(kernel)
                if reply is None:
                    skip.add(i)
                    result["skipped"].append(i)
                    result["errors"].append({"cell": i, "ename": "IgnoredInterrupt", "evalue": "", "keep": True})
                    kernel.kill()
                    return "restart"
                result["errors"].append({"cell": i, "ename": "CellTimeoutError", "evalue": "cell time limit"})
                continue
            if reply.get("status") == "dead":
                if pool.stopped.is_set():
                    raise Stopped()
                result["outcome"] = "dead kernel"
                return "done"
            if reply.get("status") == "error":
                result["errors"].append({"cell": i, "ename": str(reply.get("ename", ""))[:100],
                                         "evalue": str(reply.get("evalue", ""))[:300]})
        result["current_cell"] = None
        _collect(kernel, variables, result)
        return "done"
    finally:
        kernel.kill()
        pool.discard(kernel)


def _after_interrupt(kernel: Kernel):
    """The reply to the interrupted cell if it arrives within the grace period, else None."""
    end = time.monotonic() + INTERRUPT_GRACE
    while time.monotonic() < end:
        try:
            msg = kernel.client.get_shell_msg(timeout=0.2)
        except Exception:  # noqa: BLE001 - queue.Empty or a bad message
            if not kernel.alive():
                return None
            continue
        if isinstance(msg, dict) and msg.get("msg_type") == "execute_reply":
            return msg.get("content", {})
    return None


def _collect(kernel: Kernel, variables: list[str], result: dict) -> None:
    """Ask the kernel for the answers, STUDENT_ID and lab-session ids; store the decoded reply data."""
    reply = kernel.execute(collect_source(variables), COLLECT_TIMEOUT, silent=True,
                           user_expressions={"answers": "_mhsm_answers_json", "student_id": "STUDENT_ID",
                                             "sessions": SESSIONS_EXPR, "requested": REQUESTED_EXPR})
    if reply.get("status") in ("timeout", "dead"):
        result["answers_problem"] = "the kernel did not answer the grader's request for the answers"
        return
    expressions = reply.get("user_expressions")
    if not isinstance(expressions, dict):
        result["answers_problem"] = "the kernel's reply to the grader's request was not readable"
        return
    result["kernel_student_id"] = _literal(expressions.get("student_id"), 1000)
    sessions = _literal(expressions.get("sessions"), 100_000)
    result["sessions"] = [str(s)[:200] for s in sessions][:100] if isinstance(sessions, list) else None
    requested = _literal(expressions.get("requested"), 100_000)
    result["requested"] = [str(s)[:200] for s in requested][:100] if isinstance(requested, list) else None
    text = _literal(expressions.get("answers"), 4 * MAX_ANSWERS_BYTES)
    if not isinstance(text, str):
        result["answers_problem"] = "the grader's answer request raised an error in the kernel"
        return
    if len(text) > MAX_ANSWERS_BYTES:
        result["answers_problem"] = "the answers were larger than 20 MB"
        return
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        result["answers_problem"] = "the answers were not valid JSON"
        return
    if isinstance(data, dict) and data.get("format") == ANSWERS_FORMAT and isinstance(data.get("answers"), dict):
        result["answers"] = data["answers"]
        result["checked"] = data.get("checked") if isinstance(data.get("checked"), dict) else {}
    else:
        result["answers_problem"] = "the answers were not in the grader's format"


def _literal(expression, limit: int):
    """A Python literal from a user_expressions entry's text/plain repr (anything else: None)."""
    if not isinstance(expression, dict) or expression.get("status") != "ok":
        return None
    text = (expression.get("data") or {}).get("text/plain") if isinstance(expression.get("data"), dict) else None
    if not isinstance(text, str) or len(text) > limit:
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return None
