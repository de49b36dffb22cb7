"""The instructor's live view: which question is the room stuck on (``mhsm class-log``).

Each practice check appends one JSON line to a check log (see :func:`mhsm_lessons.practice.checklog.check_log_path`):
``{"time", "lab", "student_id", "qid", "status", "misconception"}``. Collect the students' logs (or point every
kernel of a JupyterHub at one shared file with ``MHSM_CHECK_LOG``) and aggregate them here. A student counts as
correct on a question once any of their checks of it passed; a student who attempted a question but never passed
it is stuck on it.

The class view is about real students in this session: :func:`select_records` leaves out demonstration and
default ids (``default``, ``demo-student``, ``demo-...``) unless asked, and keeps only checks made since a time.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from .identity import is_demo_id

__all__ = ["read_check_logs", "class_log_table", "select_records", "students_seen", "parse_since", "COLUMNS",
           "TIME_FORMAT"]

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"  # how the check log writes its "time" field

COLUMNS = ["lab", "qid", "attempted", "correct", "stuck", "share_stuck", "top_misconception"]


def read_check_logs(paths) -> tuple[list[dict], int]:
    """Read check-log lines from files (or folders of ``*.jsonl``); return (records, lines skipped as unreadable).

    >>> read_check_logs([])
    ([], 0)
    """
    records, skipped = [], 0
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(path.rglob("*.jsonl")))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"No such check log: {path}. Give check-log files (*.jsonl) or folders of them.")
    for file in files:
        with open(file, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except ValueError:
                    skipped += 1
                    continue
                if (isinstance(rec, dict) and isinstance(rec.get("qid"), str) and isinstance(rec.get("status"), str)
                        and isinstance(rec.get("student_id"), str)):
                    records.append(rec)
                else:
                    skipped += 1
    return records, skipped


def _qorder(qid: str):
    digits = "".join(ch for ch in qid if ch.isdigit())
    return (int(digits) if digits else 10 ** 6, qid)


def class_log_table(records: list[dict], lab: str | None = None) -> pd.DataFrame:
    """Per lab and question: students attempted, students correct, students stuck, share stuck, top misconception.

    "not answered" checks are not attempts. The top misconception is the most frequent misconception key among
    the stuck students' latest wrong checks, with its count.

    >>> recs = [{"lab": "L", "student_id": "a", "qid": "q1", "status": "not yet", "misconception": "reversed sign"},
    ...         {"lab": "L", "student_id": "a", "qid": "q1", "status": "correct", "misconception": None},
    ...         {"lab": "L", "student_id": "b", "qid": "q1", "status": "not yet", "misconception": "reversed sign"}]
    >>> class_log_table(recs).to_dict("records")[0]
    {'lab': 'L', 'qid': 'q1', 'attempted': 2, 'correct': 1, 'stuck': 1, 'share_stuck': 0.5, 'top_misconception': 'reversed sign (1)'}
    """
    attempted: dict[tuple, set] = defaultdict(set)
    passed: dict[tuple, set] = defaultdict(set)
    last_wrong: dict[tuple, dict] = defaultdict(dict)
    for rec in records:
        rec_lab = str(rec.get("lab") or "")
        if lab is not None and rec_lab != lab:
            continue
        key = (rec_lab, rec["qid"])
        student = rec["student_id"]
        if rec["status"] == "not answered":
            continue
        attempted[key].add(student)
        if rec["status"] == "correct":
            passed[key].add(student)
        else:
            last_wrong[key][student] = rec.get("misconception") or "wrong"
    rows = []
    for key in sorted(attempted, key=lambda k: (k[0], _qorder(k[1]))):
        stuck = attempted[key] - passed[key]
        counts = Counter(last_wrong[key][s] for s in stuck if s in last_wrong[key])
        top = counts.most_common(1)
        rows.append({"lab": key[0], "qid": key[1], "attempted": len(attempted[key]), "correct": len(passed[key]),
                     "stuck": len(stuck), "share_stuck": round(len(stuck) / len(attempted[key]), 3),
                     "top_misconception": f"{top[0][0]} ({top[0][1]})" if top else ""})
    return pd.DataFrame(rows, columns=COLUMNS)


_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)\s*$", re.IGNORECASE)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """Turn a ``--since`` value into an aware datetime.

    Accepts ``today`` (local midnight), a duration back from now (``90m``, ``2h``, ``1d``), a date
    (``2026-09-30``, local midnight) or a date and time (``2026-09-30T09:00`` local, or with an offset such as
    ``+0000``). Raises ValueError with the accepted forms otherwise.

    >>> now = datetime(2026, 9, 30, 10, 30, tzinfo=timezone.utc)
    >>> parse_since("2h", now).isoformat()
    '2026-09-30T08:30:00+00:00'
    >>> parse_since("today", now).isoformat()
    '2026-09-30T00:00:00+00:00'
    >>> parse_since("2026-09-30T09:00+0000").isoformat()
    '2026-09-30T09:00:00+00:00'
    """
    now = now or datetime.now().astimezone()
    value = str(text).strip()
    match = _RELATIVE.match(value)
    if match:
        amount, unit = float(match.group(1)), match.group(2).lower()
        minutes = amount * {"m": 1, "min": 1, "h": 60, "d": 1440}[unit]
        return now - timedelta(minutes=minutes)
    if value.lower() == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        try:
            when = datetime.strptime(value, TIME_FORMAT)
        except ValueError:
            raise ValueError(f"--since {text!r} is not a time I can read. Use 'today', a duration such as 90m, 2h "
                             "or 1d, a date such as 2026-09-30, or a date and time such as 2026-09-30T09:00.") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=now.tzinfo) if now.tzinfo else when.astimezone()
    return when


def _record_time(rec: dict) -> datetime | None:
    try:
        return datetime.strptime(str(rec.get("time")), TIME_FORMAT)
    except (TypeError, ValueError):
        return None


def select_records(records: list[dict], *, include_demo: bool = False, since: datetime | None = None
                   ) -> tuple[list[dict], dict[str, int]]:
    """Keep the records of the class view; return them and how many were left out, by reason.

    Demonstration and default ids are left out unless ``include_demo``; with ``since``, so are checks made before it
    and checks without a readable time.

    >>> recs = [{"student_id": "ana", "time": "2026-09-30T09:05:00+0000"},
    ...         {"student_id": "default", "time": "2026-09-30T09:06:00+0000"},
    ...         {"student_id": "ben", "time": "2026-09-29T15:00:00+0000"}]
    >>> kept, left_out = select_records(recs, since=datetime(2026, 9, 30, tzinfo=timezone.utc))
    >>> [r["student_id"] for r in kept], left_out
    (['ana'], {'demo or default id': 1, 'before --since': 1})
    """
    kept, left_out = [], Counter()
    for rec in records:
        if not include_demo and is_demo_id(rec["student_id"]):
            left_out["demo or default id"] += 1
            continue
        if since is not None:
            when = _record_time(rec)
            if when is None:
                left_out["no readable time"] += 1
                continue
            if when < since:
                left_out["before --since"] += 1
                continue
        kept.append(rec)
    return kept, dict(left_out)


def students_seen(records: list[dict], lab: str | None = None) -> list[str]:
    """The distinct student ids in the records (of one lab if given), sorted.

    >>> students_seen([{"student_id": "ben", "lab": "L"}, {"student_id": "ana", "lab": "L"},
    ...                {"student_id": "ben", "lab": "M"}])
    ['ana', 'ben']
    """
    return sorted({rec["student_id"] for rec in records if lab is None or str(rec.get("lab") or "") == lab})
