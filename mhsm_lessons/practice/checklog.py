"""The check log: every practice check appends one JSON line for the instructor's live view of a session."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .checks import CheckResult

__all__ = ["CHECK_LOG_ENV", "check_log_path"]

CHECK_LOG_ENV = "MHSM_CHECK_LOG"
_LOG_FAILED: set[str] = set()  # log files that could not be written: not tried again in this process


def check_log_path() -> Path | None:
    """Where practice checks append their results for the instructor's live view, or None when disabled.

    The environment variable ``MHSM_CHECK_LOG`` names the file; set it to an empty string to turn the log off.
    When it is not set, the log is ``~/.mhsm/check-log.jsonl``. ``mhsm class-log`` aggregates such files.

    >>> import os
    >>> os.environ.get("MHSM_CHECK_LOG", "unset") == "" or check_log_path() is not None
    True
    """
    value = os.environ.get(CHECK_LOG_ENV)
    if value is None:
        return Path.home() / ".mhsm" / "check-log.jsonl"
    value = value.strip()
    return Path(value).expanduser() if value else None


def _append_check_log(lab_id: str, student_id: str, result: CheckResult) -> None:
    """Append one JSON line for a check result; never raises, and gives up quietly for good after a failure."""
    try:
        path = check_log_path()
        if path is None or str(path) in _LOG_FAILED:
            return
        line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "lab": lab_id, "student_id": student_id,
                           "qid": result.qid, "status": result.status, "misconception": result.misconception},
                          ensure_ascii=False)
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
    except Exception:  # noqa: BLE001 - the log must never disturb a student's notebook
        try:
            _LOG_FAILED.add(str(path))
        except Exception:  # noqa: BLE001
            pass
