"""The check log: every practice check appends one JSON line for the instructor's live view of a session."""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

from .checks import CheckResult
from .identity import is_demonstration_id

__all__ = ["CHECK_LOG_ENV", "check_log_path", "expand_log_path", "answer_fingerprint"]

CHECK_LOG_ENV = "MHSM_CHECK_LOG"
_LOG_FAILED: set[str] = set()  # log files that could not be written: not tried again in this process


_VAR = re.compile(r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))")


def expand_log_path(value: str, environ=None) -> tuple[Path, list[str]]:
    """Expand ``$NAME`` / ``${NAME}`` environment variables and a leading ``~`` in a check-log path.

    Returns the path and the names of the variables that are not set (left in the text as written), so a caller
    can refuse a path such as a file literally named ``$JUPYTERHUB_USER.jsonl``.

    >>> expand_log_path("/srv/logs/${JUPYTERHUB_USER}.jsonl", {"JUPYTERHUB_USER": "ana"})
    (PosixPath('/srv/logs/ana.jsonl'), [])
    >>> expand_log_path("/srv/logs/$JUPYTERHUB_USER/$LAB.jsonl", {})
    (PosixPath('/srv/logs/$JUPYTERHUB_USER/$LAB.jsonl'), ['JUPYTERHUB_USER', 'LAB'])
    """
    env = os.environ if environ is None else environ
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group("braced") or match.group("plain")
        if env.get(name):
            return env[name]
        missing.append(name)
        return match.group(0)

    text = _VAR.sub(replace, value)
    return Path(text).expanduser(), missing


def check_log_path() -> Path | None:
    """Where practice checks append their results for the instructor's live view, or None when disabled.

    The environment variable ``MHSM_CHECK_LOG`` names the file; set it to an empty string to turn the log off.
    Environment variables in it are expanded, as is a leading ``~``: on a JupyterHub,
    ``MHSM_CHECK_LOG=/srv/mhsm-logs/$JUPYTERHUB_USER.jsonl`` gives each student a file in one shared drop-box.
    When it is not set, or names a variable that is not set or is empty, the log is ``~/.mhsm/check-log.jsonl``.
    ``mhsm class-log`` aggregates such files.

    >>> import os
    >>> os.environ.get("MHSM_CHECK_LOG", "unset") == "" or check_log_path() is not None
    True
    """
    default = Path.home() / ".mhsm" / "check-log.jsonl"
    value = os.environ.get(CHECK_LOG_ENV)
    if value is None:
        return default
    value = value.strip()
    if not value:
        return None
    path, missing = expand_log_path(value)
    return default if missing else path


def answer_fingerprint(answer) -> str:
    """A short, stable fingerprint of an answer, so a session can tell a re-check of the same value from a new try.

    An explorer that re-checks an answer the student already checked is not another attempt. Never raises: an
    answer that cannot be fingerprinted gets a unique value (so it always counts).

    >>> answer_fingerprint(12.0) == answer_fingerprint(12.0), answer_fingerprint(12.0) == answer_fingerprint(12)
    (True, False)
    >>> import pandas as pd
    >>> answer_fingerprint(pd.DataFrame({"a": [1]})) == answer_fingerprint(pd.DataFrame({"a": [1]}))
    True
    """
    import hashlib
    try:
        kind = f"{type(answer).__module__}.{type(answer).__qualname__}"
        if hasattr(answer, "to_json") and hasattr(answer, "shape"):  # pandas objects
            text = answer.to_json(orient="split", date_format="iso", double_precision=15)
        elif hasattr(answer, "tobytes") and hasattr(answer, "shape"):  # numpy arrays and scalars
            text = f"{answer.shape}{answer.dtype}{answer.tobytes().hex()}"
        else:
            text = repr(answer)
        return hashlib.sha256(f"{kind}|{text}".encode("utf-8", "replace")).hexdigest()[:16]
    except Exception:  # noqa: BLE001 - never disturb a check
        return f"unique-{id(answer)}-{time.monotonic_ns()}"


def _append_line(path: Path, line: str) -> None:
    """Append a line; a new file is created readable by its owner only (0600), so in a shared drop-box folder a
    student can add their own log but not read anyone else's."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _append_check_log(lab_id: str, student_id: str, result: CheckResult) -> None:
    """Append one JSON line for a check result; never raises, and gives up quietly for good after a failure.

    Demonstration ids (the start page's ``demo-student``, any ``demo-...``) are never logged: a class view counts
    students, not the start page's deliberate mistakes.
    """
    try:
        if is_demonstration_id(student_id):
            return
        path = check_log_path()
        if path is None or str(path) in _LOG_FAILED:
            return
        line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "lab": lab_id, "student_id": student_id,
                           "qid": result.qid, "status": result.status, "misconception": result.misconception},
                          ensure_ascii=False)
        try:
            _append_line(path, line)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            _append_line(path, line)
    except Exception:  # noqa: BLE001 - the log must never disturb a student's notebook
        try:
            _LOG_FAILED.add(str(path))
        except Exception:  # noqa: BLE001
            pass
