"""Executing one submission: the runner process (``python -m mhsm_lessons.grading --run JOB``) and its parent side."""
from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ._common import ANSWERS_FORMAT, KERNEL_ENV, MAX_ANSWERS_BYTES
from .answers import export_cell_source
from .collect import GradeSettings, Submission


_LIMITER = ("import os,resource,sys\n"
            "n=int(sys.argv[1])\n"
            "try:\n    resource.setrlimit(resource.RLIMIT_AS,(n,n))\nexcept Exception:\n    pass\n"
            "os.execvp(sys.argv[2],sys.argv[2:])")


def _can_limit_memory() -> bool:
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return sys.platform.startswith("linux")


def _runner_main(job_path: str) -> int:
    """Execute one prepared notebook as the job file says; write a small JSON result. Runs in its own process."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    result: dict[str, Any] = {"outcome": "completed", "errors": [], "current_cell": None}
    state = {"deadline": False, "kernel_pid": None}
    memory = int(job["memory_bytes"])

    class LimitedKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            if memory and _can_limit_memory():
                cmd = [sys.executable, "-c", _LIMITER, str(memory), *cmd]
            return cmd

    class QuietClient(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):  # keep no outputs: bounded memory
            return None

    def on_start(notebook=None, **_):
        try:
            state["kernel_pid"] = client.km.provisioner.process.pid
            Path(job["pid_file"]).write_text(str(state["kernel_pid"]))
        except Exception:  # noqa: BLE001
            pass

    def on_cell(cell=None, cell_index=None, **_):
        result["current_cell"] = cell_index

    def on_error(cell=None, cell_index=None, execute_reply=None, **_):
        content = (execute_reply or {}).get("content", {})
        result["errors"].append({"cell": cell_index, "ename": str(content.get("ename", ""))[:100],
                                 "evalue": str(content.get("evalue", ""))[:300]})

    def on_deadline():
        state["deadline"] = True
        pid = state["kernel_pid"]
        if pid:
            _kill_group(pid)

    nb = nbformat.read(job["notebook"], as_version=4)
    client = QuietClient(
        nb, timeout=job["cell_timeout"], kernel_name="python3", allow_errors=True, record_timing=False,
        interrupt_on_timeout=True, store_widget_state=False, kernel_manager_class=LimitedKernelManager,
        error_on_timeout={"ename": "CellTimeoutError", "evalue": "cell time limit", "traceback": []},
        on_notebook_start=on_start, on_cell_execute=on_cell, on_cell_error=on_error,
        resources={"metadata": {"path": job["cwd"]}}, iopub_timeout=10)
    timer = threading.Timer(job["notebook_timeout"], on_deadline)
    timer.daemon = True
    start = time.perf_counter()
    timer.start()
    try:
        client.execute(env=dict(os.environ, **job["env"]))
    except DeadKernelError:
        result["outcome"] = "notebook timeout" if state["deadline"] else "dead kernel"
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which makes it a row
        result["outcome"] = "notebook timeout" if state["deadline"] else "runner error"
        result["detail"] = f"{type(exc).__name__}: {str(exc)[:300]}"
    finally:
        timer.cancel()
        if state["kernel_pid"]:
            _kill_group(state["kernel_pid"])
    result["seconds"] = time.perf_counter() - start
    tmp = Path(job["result"]).with_suffix(".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    os.replace(tmp, job["result"])
    return 0


def _kill_group(pid: int) -> None:
    """Kill a kernel's process group (jupyter_client starts each kernel in its own session)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass


def _prepare(nb, student_id: str, variables: list[str], answers_path: str):
    """A copy of ``nb`` with the id injected after its parameters cell and the export cell appended.

    Returns the notebook and, per executed cell, the label the instructor sees ("cell 12" counts the
    submission's own cells from 1).
    """
    import nbformat

    nb = copy.deepcopy(nb)
    labels = [f"cell {i + 1}" for i in range(len(nb.cells))]
    at = 0
    for i, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            at = i + 1
    inject = nbformat.v4.new_code_cell(f"STUDENT_ID = {student_id!r}  # injected by mhsm grade",
                                       metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(at, inject)
    labels.insert(at, "the grader's student-id cell")
    nb.cells.append(nbformat.v4.new_code_cell(export_cell_source(variables, answers_path)))
    labels.append("the grader's answer-collection cell")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb, labels


def _execute(sub: Submission, variables: list[str], settings: GradeSettings) -> dict:
    """Run one submission in a temporary folder; return the runner's result plus the decoded answers file."""
    import nbformat

    with tempfile.TemporaryDirectory(prefix="mhsm-grade-") as tmp:
        tmp = Path(tmp)
        work = tmp / "work"
        work.mkdir()
        answers_path = tmp / f"answers-{os.urandom(8).hex()}.json"
        nb, labels = _prepare(sub.nb, sub.student_id, variables, str(answers_path))
        nbformat.write(nb, work / "submission.ipynb")
        job = {"notebook": str(work / "submission.ipynb"), "cwd": str(work), "result": str(tmp / "result.json"),
               "pid_file": str(tmp / "kernel.pid"), "cell_timeout": settings.cell_timeout,
               "notebook_timeout": settings.notebook_timeout, "memory_bytes": int(settings.memory_mb) * 2 ** 20,
               "env": KERNEL_ENV}
        (tmp / "job.json").write_text(json.dumps(job), encoding="utf-8")
        with open(tmp / "runner.log", "wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "mhsm_lessons.grading", "--run", str(tmp / "job.json")],
                                    cwd=str(work), stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                    start_new_session=True, env=dict(os.environ, PYTHONHASHSEED="0"))
            try:
                proc.wait(timeout=settings.notebook_timeout + 30)
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid)
                proc.wait()
        pid_file = tmp / "kernel.pid"
        if pid_file.exists():
            try:
                _kill_group(int(pid_file.read_text()))
            except ValueError:
                pass
        try:
            result = json.loads((tmp / "result.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tail = (tmp / "runner.log").read_bytes()[-300:].decode("utf-8", "replace").strip()
            result = {"outcome": "notebook timeout" if proc.returncode in (-9, -15) else "runner error",
                      "errors": [], "current_cell": None, "detail": tail}
        result["labels"] = labels
        result["answers"] = None
        if answers_path.exists():
            if answers_path.stat().st_size > MAX_ANSWERS_BYTES:
                result["answers_problem"] = "the answers were larger than 20 MB"
            else:
                try:
                    data = json.loads(answers_path.read_text(encoding="utf-8"))
                    if data.get("format") == ANSWERS_FORMAT and isinstance(data.get("answers"), dict):
                        result["answers"] = data["answers"]
                    else:
                        result["answers_problem"] = "the answer file was not in the grader's format"
                except (ValueError, UnicodeDecodeError):
                    result["answers_problem"] = "the answer file was not valid JSON"
        return result
