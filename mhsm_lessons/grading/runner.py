"""Executing one submission: cell by cell over the Jupyter protocol, in its own sandboxed kernel.

Every cell may fail (the next one still runs). A cell past the cell time limit is interrupted; one that ignores
the interrupt for a few seconds has its kernel killed, and the notebook is run again in a fresh kernel without
that cell, so the rest is still graded where time allows. After the last cell the grader asks the kernel, in a
request of its own, for the answer variables, ``STUDENT_ID`` and the ids of the lab sessions started: the reply
is plain data, decoded and judged by the instructor's process.
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
                   lib: Path, slot: int, pool: KernelPool) -> dict:
    """Execute one submission; return what happened (outcome, cell errors, decoded reply data)."""
    sources, labels = prepare(copy.deepcopy(nb), student_id)
    result: dict = {"outcome": "completed", "errors": [], "current_cell": None, "labels": labels,
                    "skipped": [], "answers": None}
    start = time.monotonic()
    deadline = start + settings.notebook_timeout
    tmp = private_tmp("mhsm-sandbox-")
    try:
        notebook = tmp / "submission.ipynb"
        try:
            notebook.write_bytes(raw)
        except OSError as exc:
            raise GraderFault(f"the grader could not write its temporary copy ({exc.strerror or exc})") from None
        skip: set[int] = set()
        for attempt in range(MAX_RESTARTS + 1):
            work = tmp / f"run{attempt}"
            work.mkdir()
            outcome = _one_pass(sources, skip, result, notebook, work, variables, settings, isolation, lib, slot,
                                pool, deadline)
            if outcome != "restart":
                break
        else:
            result["outcome"] = "notebook timeout"
        if pool.stopped.is_set():
            raise Stopped()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result["seconds"] = time.monotonic() - start
    return result


def _one_pass(sources, skip, result, notebook, work, variables, settings, isolation, lib, slot, pool,
              deadline) -> str:
    kernel = Kernel(work, notebook, isolation=isolation, lib=lib, slot=slot,
                    memory=int(settings.memory_mb) * 2 ** 20, cpu_seconds=int(settings.notebook_timeout) + 30)
    try:
        pool.add(kernel)
        kernel.connect(START_TIMEOUT)
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
