"""The instructor's live view: which question is the room stuck on (``mhsm class-log``).

Each practice check appends one JSON line to a check log (see :func:`mhsm_lessons.practice.checklog.check_log_path`):
``{"time", "lab", "student_id", "qid", "status", "misconception"}``. Collect the students' logs (or point every
kernel of a JupyterHub at one shared file with ``MHSM_CHECK_LOG``) and aggregate them here. A student counts as
correct on a question once any of their checks of it passed; a student who attempted a question but never passed
it is stuck on it.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

__all__ = ["read_check_logs", "class_log_table", "COLUMNS"]

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
