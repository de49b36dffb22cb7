"""Batch grading of submitted lab notebooks (``mhsm grade``): gradebook, feedback pages and a class summary.

How a submission is graded
--------------------------
1. The file is read (never modified) and hashed. A file that is not a readable notebook, or a notebook of another
   lab, gets its row at once.
2. The student id comes from the roster (``--roster``, matched on the file name or the id), else from the
   ``STUDENT_ID = "..."`` assignment in the notebook's ``parameters`` cell (read, never run), else from the file
   name (``s042_01_budgeting_lab.ipynb`` and ``s042/01_budgeting_lab.ipynb`` both give ``s042``).
3. A copy runs in a temporary folder, in its own kernel process started by a separate runner process, with the
   id injected after the ``parameters`` cell, every cell allowed to fail (later cells still run), a per-cell time
   limit (the cell is interrupted and the run goes on), a per-notebook time limit (the kernel is killed), a memory
   limit on the kernel (``RLIMIT_AS``: enforced on Linux; where the ``resource`` module cannot set it the kernel
   runs without one), and cell outputs discarded as they arrive (so 10 MB of printing costs no memory).
4. A last, grader-owned cell writes each question's answer variable as plain JSON (numbers, text, tables as
   rows; never pickle). The grading decision is made here, in the instructor's process: a :class:`~.lab.Lab` is
   rebuilt for the student id and ``lab.check`` runs on the decoded answers. What the notebook did to its own
   check cells or to the library inside its kernel changes nothing.
5. Points per question come from the instructor's solution notebook (metadata ``mhsm.points``), never from a
   submission.

Two submissions for the same student: the newer file (modification time; on a tie, the later path in sort order)
is graded, and the row names both. A second run skips every submission whose content hash, student id and lab
are already in ``DIR/manifest.json`` (``--force`` grades everything again).

The student code runs with the instructor's user rights: grade untrusted work inside a container or a separate
account.
"""
from __future__ import annotations

import ast
import copy
import csv
import datetime as _dt
import hashlib
import html
import io
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

__all__ = ["GradingError", "GradeSettings", "GradeRun", "grade", "read_points", "encode_answer", "decode_answer",
           "student_id_from_notebook", "student_id_from_filename", "read_roster",
           "GRADED", "TIMED_OUT", "CRASHED", "MISSING_ANSWERS", "NOT_A_NOTEBOOK", "WRONG_LAB", "NOT_SUBMITTED",
           "GRADEBOOK", "CANVAS", "SUMMARY", "SUMMARY_CHART", "SUBMISSIONS", "MANIFEST", "FEEDBACK_DIR"]

GRADED, TIMED_OUT, CRASHED = "graded", "timed out", "crashed"
MISSING_ANSWERS, NOT_A_NOTEBOOK, WRONG_LAB = "missing answers", "not a notebook", "wrong lab"
NOT_SUBMITTED = "not submitted"  # a roster student with no submission
SUPERSEDED = "superseded"  # an older submission of a student (submissions.csv only)

GRADEBOOK, CANVAS, SUMMARY, SUMMARY_CHART = "gradebook.csv", "canvas.csv", "class_summary.csv", "class_summary.png"
SUBMISSIONS, MANIFEST, FEEDBACK_DIR = "submissions.csv", "manifest.json", "feedback"
GRADER_VERSION = 1
ANSWERS_FORMAT = "mhsm-answers-1"
MAX_ANSWERS_BYTES = 20_000_000
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "MHSM_CHECK_LOG": "", "OMP_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


class GradingError(ValueError):
    """An instructor-side problem that stops a grading run (a missing solution, an unreadable roster)."""


# ----------------------------------------------------------------------------------------------------------------
# Answers as plain data. The encoder's source is run inside the student kernel (by the grader's last cell) and,
# for tests, here; the decoder runs only here and never trusts what it is given.

_ENCODER_SOURCE = r'''
def _mhsm_encode(value, depth=0):
    import math, sys
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    max_items, max_text = 10000, 10000

    def kind(v):
        try:
            return type(v).__name__
        except Exception:
            return "object"

    def text(v, limit=200):
        try:
            t = repr(v)
            t = t if isinstance(t, str) else "<" + kind(v) + " object>"
        except Exception:
            t = "<" + kind(v) + " object>"
        return t if len(t) <= limit else t[: limit - 3] + "..."

    def number(x):
        x = float(x)
        return x if math.isfinite(x) else {"$float": repr(x)}

    def cell(v):
        if v is None or (pd is not None and (v is pd.NA or v is pd.NaT)):
            return None
        if isinstance(v, bool) or (np is not None and isinstance(v, np.bool_)):
            return bool(v)
        if isinstance(v, int) or (np is not None and isinstance(v, np.integer)):
            v = int(v)
            return v if abs(v) < 2 ** 63 else number(v)
        if isinstance(v, float) or (np is not None and isinstance(v, np.floating)):
            return number(v)
        if isinstance(v, str):
            return str(v[:max_text])
        return {"$repr": text(v)}

    if value is ...:
        return {"type": "ellipsis"}
    if value is None:
        return {"type": "none"}
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return {"type": "na"}
    if isinstance(value, bool) or (np is not None and isinstance(value, np.bool_)):
        return {"type": "bool", "value": bool(value)}
    if isinstance(value, int) or (np is not None and isinstance(value, np.integer)):
        v = int(value)
        return {"type": "int", "value": v} if abs(v) < 2 ** 63 else {"type": "float", "value": number(v)}
    if isinstance(value, float) or (np is not None and isinstance(value, np.floating)):
        return {"type": "float", "value": number(value)}
    if isinstance(value, complex) or (np is not None and isinstance(value, np.complexfloating)):
        return {"type": "complex", "real": number(value.real), "imag": number(value.imag)}
    if type(value).__name__ == "Decimal":
        return {"type": "float", "value": number(value)}
    if isinstance(value, str):
        return {"type": "str", "value": str(value[:max_text]), "length": len(value)}
    if pd is not None and isinstance(value, pd.DataFrame):
        rows = value.iloc[:max_items]
        index = None
        if not isinstance(value.index, pd.RangeIndex) or value.index.name is not None:
            index = {"names": [cell(n) for n in value.index.names],
                     "values": [cell(v) for v in rows.index.tolist()]}
        return {"type": "dataframe", "shape": [int(value.shape[0]), int(value.shape[1])],
                "columns": [cell(c) for c in value.columns.tolist()[:max_items]], "index": index,
                "rows": [[cell(v) for v in row[:max_items]] for row in rows.itertuples(index=False, name=None)]}
    if pd is not None and isinstance(value, pd.Series):
        part = value.iloc[:max_items]
        return {"type": "series", "length": int(len(value)), "name": cell(value.name),
                "index": [cell(v) for v in part.index.tolist()], "values": [cell(v) for v in part.tolist()]}
    if np is not None and isinstance(value, np.ndarray):
        if value.size > max_items or value.ndim > 4:
            return {"type": "object", "class": "ndarray", "repr": "array of shape " + repr(tuple(value.shape))}
        return {"type": "ndarray", "shape": [int(s) for s in value.shape],
                "values": [cell(v) for v in value.ravel().tolist()]}
    if isinstance(value, (list, tuple, set, frozenset)) and depth < 4:
        items = list(value)
        return {"type": type(value).__name__ if type(value) in (list, tuple, set, frozenset) else "list",
                "length": len(items), "items": [_mhsm_encode(v, depth + 1) for v in items[:1000]]}
    if isinstance(value, dict) and depth < 4:
        items = list(value.items())
        return {"type": "dict", "length": len(items),
                "items": [[_mhsm_encode(k, depth + 1), _mhsm_encode(v, depth + 1)] for k, v in items[:1000]]}
    return {"type": "object", "class": kind(value), "repr": text(value)}
'''

_EXPORT_TEMPLATE = r'''# Added by mhsm grade: collects this lab's answers as plain JSON.
def _mhsm_export(names, path):
    import json
{encoder}
    ns = globals()
    answers = {{}}
    for name in names:
        if name not in ns:
            answers[name] = {{"type": "missing"}}
            continue
        try:
            answers[name] = _mhsm_encode(ns[name])
            json.dumps(answers[name], allow_nan=False)
        except BaseException as exc:
            answers[name] = {{"type": "unreadable", "error": type(exc).__name__}}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({{"format": {fmt!r}, "answers": answers}}, fh, allow_nan=False)
_mhsm_export({names!r}, {path!r})
'''

_encoder_ns: dict = {}
exec(compile(_ENCODER_SOURCE, "<mhsm answer encoder>", "exec"), _encoder_ns)  # noqa: S102 - our own code


def encode_answer(value) -> dict:
    """Encode one answer as plain, JSON-ready data (the encoder the grader runs inside the student kernel).

    >>> encode_answer(12.5), encode_answer(...), encode_answer("$12")["value"]
    ({'type': 'float', 'value': 12.5}, {'type': 'ellipsis'}, '$12')
    >>> encode_answer(float("nan"))
    {'type': 'float', 'value': {'$float': 'nan'}}
    """
    return _encoder_ns["_mhsm_encode"](value)


def export_cell_source(variables: list[str], path: str) -> str:
    """The source of the grader-owned last cell that writes the answers to ``path``."""
    encoder = "\n".join("    " + line if line else "" for line in _ENCODER_SOURCE.strip("\n").split("\n"))
    return _EXPORT_TEMPLATE.format(encoder=encoder, fmt=ANSWERS_FORMAT, names=list(variables), path=str(path))


class _Opaque:
    """Stands in for an answer object the grader could not rebuild (its class name and repr only)."""

    _text = "<object>"

    def __repr__(self) -> str:
        return self._text


def _opaque(class_name, text) -> Any:
    name = re.sub(r"[^A-Za-z0-9_]", "", str(class_name))[:40] or "object"
    cls = type(name, (_Opaque,), {"_text": str(text)[:200]})
    return cls()


def _decode_float(x):
    if isinstance(x, bool):
        raise ValueError("a boolean where a number was expected")
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, dict) and x.get("$float") in ("nan", "inf", "-inf"):
        return float(x["$float"])
    raise ValueError("not an encoded number")


def _decode_cell(x):
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        return x
    if isinstance(x, dict) and "$float" in x:
        return _decode_float(x)
    if isinstance(x, dict) and "$repr" in x:
        return str(x["$repr"])[:200]
    raise ValueError("not an encoded table cell")


def decode_answer(data) -> Any:
    """Rebuild an answer from :func:`encode_answer`'s plain data; anything malformed becomes an opaque object.

    >>> decode_answer({"type": "float", "value": 3.5}), decode_answer({"type": "ellipsis"})
    (3.5, Ellipsis)
    >>> decode_answer({"type": "dataframe", "shape": [1, 2], "columns": ["a", "b"], "index": None,
    ...                "rows": [[1, "x"]]})
       a  b
    0  1  x
    >>> decode_answer({"type": "nonsense"})
    <unreadable answer>
    """
    try:
        return _decode(data, 0)
    except Exception:  # noqa: BLE001 - the data came from a student kernel
        return _opaque("object", "<unreadable answer>")


def _decode(data, depth):
    import numpy as np
    import pandas as pd

    if not isinstance(data, dict) or depth > 5:
        raise ValueError("not an encoded answer")
    kind = data.get("type")
    if kind == "ellipsis":
        return ...
    if kind == "none":
        return None
    if kind == "na":
        return pd.NA
    if kind == "bool":
        return bool(data["value"])
    if kind == "int":
        value = data["value"]
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("bad int")
        return value
    if kind == "float":
        return _decode_float(data["value"])
    if kind == "complex":
        return complex(_decode_float(data["real"]), _decode_float(data["imag"]))
    if kind == "str":
        if not isinstance(data["value"], str):
            raise ValueError("bad str")
        return data["value"]
    if kind == "dataframe":
        columns = [_decode_cell(c) for c in data["columns"]]
        rows = [[_decode_cell(v) for v in row] for row in data["rows"]]
        if any(len(row) != len(columns) for row in rows):
            raise ValueError("ragged table")
        frame = pd.DataFrame(rows, columns=pd.Index(columns, dtype=object) if columns else None)
        if not rows:
            frame = pd.DataFrame(columns=columns)
        index = data.get("index")
        if index:
            values = [_decode_cell(v) for v in index["values"]]
            names = [_decode_cell(n) for n in index["names"]]
            if len(values) == len(frame):
                frame.index = pd.Index(values, name=names[0] if len(names) == 1 else None)
        return frame
    if kind == "series":
        values = [_decode_cell(v) for v in data["values"]]
        index = [_decode_cell(v) for v in data["index"]]
        return pd.Series(values, index=index if len(index) == len(values) else None,
                         name=_decode_cell(data.get("name")))
    if kind == "ndarray":
        shape = tuple(int(s) for s in data["shape"])
        values = [_decode_cell(v) for v in data["values"]]
        if math.prod(shape) != len(values) or len(shape) > 4:
            raise ValueError("bad array")
        return np.array(values).reshape(shape)
    if kind in ("list", "tuple", "set", "frozenset"):
        items = [_decode(v, depth + 1) for v in data["items"]]
        if kind == "list":
            return items
        if kind == "tuple":
            return tuple(items)
        return set(items) if all(_hashable(i) for i in items) else items
    if kind == "dict":
        out = {}
        for key, value in data["items"]:
            k = _decode(key, depth + 1)
            out[k if _hashable(k) else repr(k)] = _decode(value, depth + 1)
        return out
    if kind == "object":
        return _opaque(data.get("class", "object"), data.get("repr", "<object>"))
    raise ValueError(f"unknown answer type {kind!r}")


def _hashable(x) -> bool:
    try:
        hash(x)
        return True
    except TypeError:
        return False


# ----------------------------------------------------------------------------------------------------------------
# Reading submissions: notebooks, lab ids, student ids, the roster and the points.

_START_LAB = re.compile(r"""start_lab\(\s*(?:lab_id\s*=\s*)?["']([^"']+)["']""")


def _parse_notebook(raw: bytes):
    """Return (notebook, None) or (None, detail) for a submission's bytes."""
    import nbformat

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON at line {exc.lineno}, column {exc.colno}"
    except RecursionError:
        return None, "JSON nested too deeply"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "nbformat" not in data:
        return None, "JSON, but not in the notebook format"
    try:
        nb = nbformat.reads(text, as_version=4)
        for cell in nb.cells:
            if not isinstance(cell.get("source", ""), str) or cell.get("cell_type") not in (
                    "code", "markdown", "raw"):
                raise ValueError("bad cell")
    except Exception:  # noqa: BLE001 - any malformed notebook
        return None, "JSON, but not in the notebook format"
    return nb, None


def notebook_lab(nb) -> str | None:
    """The lab a notebook belongs to: its ``mhsm.lab`` metadata, else the first ``start_lab("...")`` call."""
    meta = nb.metadata.get("mhsm")
    if isinstance(meta, dict) and isinstance(meta.get("lab"), str):
        return meta["lab"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = _START_LAB.search(cell.source)
            if found:
                return found.group(1)
    return None


def student_id_from_notebook(nb) -> str | None:
    """The ``STUDENT_ID = "..."`` string in the notebook's ``parameters`` cell (read, never executed), if set.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('STUDENT_ID = " s042 "  # mine',
    ...                                      metadata={"tags": ["parameters"]})])
    >>> student_id_from_notebook(nb)
    's042'
    """
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        found = None
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id == "STUDENT_ID" and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, (str, int)) and not isinstance(node.value.value, bool)):
                found = str(node.value.value).strip()
        if found:
            return found
    return None


def student_id_from_filename(path: Path, lab_id: str) -> str:
    """A student id from a submission's file name: the stem without the lab id, else the folder's name.

    >>> student_id_from_filename(Path("in/s042_01_budgeting_lab.ipynb"), "01_budgeting_lab")
    's042'
    >>> student_id_from_filename(Path("in/s042/01_budgeting_lab.ipynb"), "01_budgeting_lab")
    's042'
    """
    stem = path.name[: -len(".ipynb")] if path.name.endswith(".ipynb") else path.stem
    rest = stem.replace(lab_id, " ")
    rest = re.sub(r"[\s_\-.]+", " ", rest).strip().replace(" ", "_")
    if rest:
        return rest
    return path.parent.name or stem


@dataclass(frozen=True)
class RosterEntry:
    """One roster row: the student id and, when given, name, section, Canvas ids and a file name."""

    student_id: str
    name: str = ""
    section: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    file: str = ""


def read_roster(path: str | Path) -> list[RosterEntry]:
    """Read a roster CSV: a ``student_id`` column, optionally ``name``, ``section``, ``file``, ``canvas_id``,
    ``sis_user_id`` and ``sis_login_id``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise GradingError(f"Cannot read the roster {path} ({exc.strerror or exc}). Check the path.") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "student_id" not in fields:
        raise GradingError(f"The roster {path} has no 'student_id' column. Its columns are: "
                           f"{', '.join(fields) or 'none'}. Add a header row with student_id (and optionally "
                           "name, section, file, canvas_id, sis_user_id, sis_login_id).")
    entries = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if row.get("student_id"):
            entries.append(RosterEntry(**{k: row.get(k, "") for k in RosterEntry.__dataclass_fields__}))
    return entries


def read_points(solution: str | Path, spec) -> dict[str, float]:
    """Points per question from the solution notebook's ``mhsm.points`` metadata, checked against the lab."""
    import nbformat

    solution = Path(solution)
    if not solution.exists():
        raise GradingError(f"The solution notebook {solution} does not exist. Points per question are read from "
                           "it: run mhsm grade from the course folder or pass --solution PATH.")
    nb = nbformat.read(solution, as_version=4)
    meta = nb.metadata.get("mhsm", {})
    points = meta.get("points") if isinstance(meta, dict) else None
    if not isinstance(points, dict):
        raise GradingError(f"{solution} has no points: add notebook metadata "
                           '"mhsm": {"lab": "...", "points": {"q1": 1, ...}}.')
    missing = [q for q in spec.qids if q not in points]
    unknown = [q for q in points if q not in spec.qids]
    if missing or unknown:
        raise GradingError(f"The points in {solution} do not match lab {spec.lab_id!r}: "
                           + "; ".join(p for p in (f"missing {', '.join(missing)}" if missing else "",
                                                   f"unknown {', '.join(unknown)}" if unknown else "") if p)
                           + f". The lab's questions are {', '.join(spec.qids)}.")
    bad = [q for q, p in points.items() if isinstance(p, bool) or not isinstance(p, (int, float)) or p < 0]
    if bad:
        raise GradingError(f"The points for {', '.join(bad)} in {solution} are not non-negative numbers.")
    return {q: float(points[q]) for q in spec.qids}


# ----------------------------------------------------------------------------------------------------------------
# Settings, submissions and results.

@dataclass(frozen=True)
class GradeSettings:
    """Limits of a grading run. Defaults suit a classroom laptop; tests use shorter limits."""

    cell_timeout: float = 120.0
    notebook_timeout: float = 600.0
    memory_mb: int = 4096
    workers: int = 0  # 0: one per CPU core

    @property
    def n_workers(self) -> int:
        return max(1, self.workers or os.cpu_count() or 1)


@dataclass
class Submission:
    path: Path
    name: str  # the path as shown to the instructor
    raw: bytes
    sha256: str
    mtime: float
    nb: Any = None
    parse_error: str | None = None
    lab: str | None = None
    student_id: str = ""
    roster: RosterEntry | None = None


def _hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _collect(paths) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for arg in map(Path, paths):
        if arg.is_dir():
            for path in sorted(arg.rglob("*.ipynb")):
                if ".ipynb_checkpoints" in path.parts or not path.is_file():
                    continue
                found.append((path, path.relative_to(arg).as_posix()))
        elif arg.is_file():
            found.append((arg, str(arg)))
        else:
            raise GradingError(f"No such file or folder: {arg}. Give submitted notebooks or folders of them.")
    seen, unique = set(), []
    for path, name in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, name))
    return unique


def _fmt_points(x: float) -> str:
    return f"{x:g}"


def _cell_label(index: int | None, labels: list[str]) -> str:
    if index is None or not (0 <= index < len(labels)):
        return "an unknown cell"
    return labels[index]


# ----------------------------------------------------------------------------------------------------------------
# Executing one submission: the runner process (python -m mhsm_lessons.grading --run JOB) and its parent side.

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


# ----------------------------------------------------------------------------------------------------------------
# Turning a run into a row: statuses, reasons (instructor- and student-facing) and per-question results.

def _mb(n: int) -> str:
    return f"{n:,} MB"


def _error_notes(errors: list[dict], labels: list[str], settings: GradeSettings) -> list[str]:
    notes = []
    for err in errors:
        where = _cell_label(err.get("cell"), labels)
        where = where[0].upper() + where[1:]
        ename = err.get("ename", "")
        if ename == "CellTimeoutError":
            continue
        if ename == "MemoryError":
            notes.append(f"{where} ran out of memory (the limit is {_mb(settings.memory_mb)}) and was stopped.")
        elif ename == "SystemExit":
            notes.append(f"{where} called sys.exit(); the grader carried on with the next cell.")
        else:
            notes.append(f"{where} raised {ename or 'an error'}.")
    if len(notes) > 3:
        notes = notes[:3] + [f"{len(notes) - 3} more cells raised errors."]
    return notes


def _outcome_to_record(sub: Submission, run: dict, spec, settings: GradeSettings) -> dict:
    """Status, reason and question results for one executed submission (grading happens here)."""
    from .checks import NOT_ANSWERED, NOT_YET, CheckResult
    from .lab import Lab

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
    if outcome != "completed":
        return {"status": CRASHED, "reason": (
            "The grader could not run this notebook (" + str(run.get("detail", "no detail"))[:200]
            + "). Try grading it again; if it fails again, open it in Jupyter and run all cells."),
            "questions": None}
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
    for q in spec.questions:
        data = answers.get(q.variable)
        if not isinstance(data, dict) or data.get("type") == "missing":
            result = CheckResult(q.qid, NOT_ANSWERED, f"No answer: {q.variable} was not defined when your notebook "
                                 "finished. Make sure the cell that assigns it runs without an error.",
                                 "not defined", q.title)
        elif data.get("type") == "unreadable":
            result = CheckResult(q.qid, NOT_YET, f"The grader could not read your answer {q.variable}. Assign a "
                                 "plain value of the kind the task asks for (a number, a word in quotes or a "
                                 "table).", "unreadable", q.title)
        else:
            result = lab.check(q.qid, decode_answer(data))
        questions.append({"qid": q.qid, "title": q.title, "status": result.status, "message": result.message,
                          "misconception": result.misconception})
    timeouts = [e for e in run.get("errors", []) if e.get("ename") == "CellTimeoutError"]
    notes = _error_notes(run.get("errors", []), labels, settings)
    status = GRADED
    if timeouts:
        status = TIMED_OUT
        where = _cell_label(timeouts[0].get("cell"), labels)
        notes.insert(0, f"{where[0].upper()}{where[1:]} did not finish within the cell time limit of "
                        f"{settings.cell_timeout:g} s and was stopped; the other cells ran and their answers were "
                        "graded.")
    if all(q["status"] == NOT_ANSWERED for q in questions):
        notes.append("No question was answered.")
    return {"status": status, "reason": " ".join(notes), "questions": questions}


# ----------------------------------------------------------------------------------------------------------------
# Output files, each written atomically.

def _atomic_write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _safe_name(student_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", student_id).strip("._") or "student"
    if safe != student_id:
        safe += "-" + hashlib.sha256(student_id.encode("utf-8")).hexdigest()[:8]
    return safe[:100]


_PAGE_CSS = ("body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
             "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px 8px;"
             "text-align:left;vertical-align:top}.correct{color:#1b7f3b}.not-yet{color:#a61b1b}"
             ".not-answered{color:#555}.note{background:#fff6e0;border-left:4px solid #c98a00;padding:6px 10px}")


def feedback_html(row: dict, spec, points: dict[str, float]) -> str:
    """One student's feedback page: per question the points and the check's message, never an expected value."""
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(spec.title)}: feedback "
             f"for {esc(row['student_id'])}</title><style>{_PAGE_CSS}</style></head><body>",
             f"<h1>{esc(spec.title)}</h1>",
             f"<p>Student: <strong>{esc(row['student_id'])}</strong>"
             + (f" ({esc(row['name'])})" if row.get("name") else "") + "</p>",
             f"<p>Score: <strong>{_fmt_points(row['total'])} of {_fmt_points(row['max'])} points</strong>. "
             f"Status: {esc(row['status'])}.</p>"]
    if row.get("reason"):
        parts.append(f"<p class='note'>{esc(row['reason'])}</p>")
    if row.get("questions"):
        parts.append("<table><tr><th>Question</th><th>Points</th><th>Result</th><th>Feedback</th></tr>")
        for q in row["questions"]:
            css = q["status"].replace(" ", "-")
            earned = points[q["qid"]] if q["status"] == "correct" else 0.0
            parts.append(f"<tr><td>{esc(q['qid'])}: {esc(q['title'])}</td><td>{_fmt_points(earned)} / "
                         f"{_fmt_points(points[q['qid']])}</td><td class='{css}'>{esc(q['status'])}</td>"
                         f"<td>{esc(q['message'])}</td></tr>")
        parts.append("</table>")
    parts.append("<p><small>Graded by mhsm grade from your notebook's answers. The feedback for each question is "
                 "the same message the practice check gives.</small></p></body></html>\n")
    return "".join(parts)


def _summary(rows: list[dict], spec, points) -> tuple[list[str], list[list]]:
    header = ["qid", "title", "points", "students_graded", "correct", "share_correct", "not_yet", "not_answered",
              "top_misconceptions", "top_message"]
    table = []
    for q in spec.questions:
        results = [r for row in rows if row.get("questions") for r in row["questions"] if r["qid"] == q.qid]
        n = len(results)
        correct = sum(r["status"] == "correct" for r in results)
        wrong = [r for r in results if r["status"] == "not yet"]
        keys = Counter(r["misconception"] or "wrong" for r in wrong)
        top = "; ".join(f"{k}: {c}" for k, c in keys.most_common(3))
        message = ""
        if keys:
            key = keys.most_common(1)[0][0]
            messages = Counter(r["message"] for r in wrong if (r["misconception"] or "wrong") == key)
            if len(messages) == 1:  # a fixed misconception message, the same for every student
                message = next(iter(messages))
        table.append([q.qid, q.title, _fmt_points(points[q.qid]), n, correct,
                      f"{correct / n:.3f}" if n else "", len(wrong),
                      sum(r["status"] == "not answered" for r in results), top, message])
    return header, table


def _summary_chart(table: list[list], title: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 0.45 * len(table) + 1.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [f"{r[0]}: {r[1]}" for r in table][::-1]
    shares = [float(r[5]) if r[5] != "" else 0.0 for r in table][::-1]
    ax.barh(labels, shares, color="#2a6f97")
    for y, r in enumerate(table[::-1]):
        top = r[8].split(";")[0].split(":")[0] if r[8] else ""
        if top:
            ax.text(min(float(r[5] or 0), 1.0) + 0.01, y, top, va="center", fontsize=8, color="#a61b1b")
    ax.set_xlim(0, 1.3)
    ax.set_xlabel("Share of graded students correct (red: most frequent mistake)")
    ax.set_title(title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------------------------
# The run.

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
    from .lab import _labs

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
        from .cli import project_root
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


if __name__ == "__main__":  # pragma: no cover - the runner process
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        sys.exit(_runner_main(sys.argv[2]))
    print("usage: python -m mhsm_lessons.grading --run JOB.json (used by mhsm grade)", file=sys.stderr)
    sys.exit(2)
