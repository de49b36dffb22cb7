"""The check log written by Lab.check, and `mhsm class-log` (which question is the room stuck on)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mhsm_lessons import start_lab
from mhsm_lessons.practice.classlog import (class_log_table, parse_since, read_check_logs, select_records,
                                            students_seen)
from mhsm_lessons.practice.checklog import check_log_path

ROOT = Path(__file__).resolve().parents[2]


def test_each_check_appends_one_json_line(tmp_path, monkeypatch):
    log = tmp_path / "sub" / "log.jsonl"
    monkeypatch.setenv("MHSM_CHECK_LOG", str(log))
    lab = start_lab("01_budgeting_lab", student_id="s101")
    lab.check("q1", ...)
    lab.check("q2", "$12")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [{k: r[k] for k in ("lab", "student_id", "qid", "status", "misconception")} for r in records] == [
        {"lab": "01_budgeting_lab", "student_id": "s101", "qid": "q1", "status": "not answered", "misconception": None},
        {"lab": "01_budgeting_lab", "student_id": "s101", "qid": "q2", "status": "not yet", "misconception": "text"}]
    assert len(records[0]["time"]) == len("2026-09-30T10:00:00+0000")


def test_an_empty_variable_turns_the_log_off_and_the_default_is_in_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MHSM_CHECK_LOG", "")
    assert check_log_path() is None
    monkeypatch.delenv("MHSM_CHECK_LOG")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert check_log_path() == tmp_path / ".mhsm" / "check-log.jsonl"


def test_a_log_that_cannot_be_written_never_disturbs_the_check(tmp_path, monkeypatch):
    monkeypatch.setenv("MHSM_CHECK_LOG", str(tmp_path))  # a folder: opening it for appending fails
    lab = start_lab("01_budgeting_lab", student_id="s101")
    assert lab.check("q1", 12.0).status == "not yet"
    assert lab.check("q1", 12.0).status == "not yet"  # and the failed file is not tried again


def _write(path: Path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "not json\n")


def test_class_log_reports_where_the_room_is_stuck(tmp_path):
    def rec(student, qid, status, mis=None):
        return {"time": "2026-09-30T10:00:00+0000", "lab": "01_budgeting_lab", "student_id": student, "qid": qid,
                "status": status, "misconception": mis}
    _write(tmp_path / "a.jsonl", [rec("s1", "q2", "not yet", "reversed sign"), rec("s1", "q2", "correct"),
                                  rec("s1", "q10", "not yet", "labels by sign"), rec("s1", "q1", "not answered")])
    _write(tmp_path / "b.jsonl", [rec("s2", "q2", "not yet", "reversed sign"), rec("s2", "q10", "not yet", "wrong"),
                                  rec("s2", "q10", "not yet", "labels by sign")])
    records, skipped = read_check_logs([tmp_path])
    assert (len(records), skipped) == (7, 2)
    table = class_log_table(records)
    assert table.to_dict("records") == [
        {"lab": "01_budgeting_lab", "qid": "q2", "attempted": 2, "correct": 1, "stuck": 1, "share_stuck": 0.5,
         "top_misconception": "reversed sign (1)"},
        {"lab": "01_budgeting_lab", "qid": "q10", "attempted": 2, "correct": 0, "stuck": 2, "share_stuck": 1.0,
         "top_misconception": "labels by sign (2)"}]
    out = subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", "class-log", str(tmp_path / "a.jsonl"),
                          str(tmp_path / "b.jsonl")], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 0
    assert out.stdout == (
        "             lab qid  attempted  correct  stuck share_stuck  top_misconception\n"
        "01_budgeting_lab  q2          2        1      1         50%  reversed sign (1)\n"
        "01_budgeting_lab q10          2        0      2        100% labels by sign (2)\n"
        "2 students seen: s1, s2\n")
    assert out.stderr == "(2 unreadable lines skipped)\n"
    missing = subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", "class-log", "nope.jsonl"],
                             capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert missing.returncode == 2
    assert missing.stderr == "No such check log: nope.jsonl. Give check-log files (*.jsonl) or folders of them.\n"


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", "class-log", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def _rec(student, when, qid="q1", status="not yet", mis="reversed sign"):
    return {"time": when, "lab": "01_budgeting_lab", "student_id": student, "qid": qid, "status": status,
            "misconception": mis}


def test_class_log_leaves_out_demo_and_default_ids_unless_asked(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in [
        _rec("ana", "2026-09-30T09:05:00+0000"), _rec("default", "2026-09-30T09:06:00+0000"),
        _rec("demo-student", "2026-09-30T09:07:00+0000"), _rec("demo-3", "2026-09-30T09:07:00+0000")]))
    out = _cli(log, cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.splitlines()[1:] == [
        "01_budgeting_lab  q1          1        0      1        100% reversed sign (1)", "1 student seen: ana"]
    assert out.stderr == "(3 checks left out: demo or default id (--include-demo shows them))\n"
    everyone = _cli(log, "--include-demo", cwd=tmp_path)
    assert everyone.stdout.splitlines()[-1] == "4 students seen: ana, default, demo-3, demo-student"
    assert everyone.stderr == ""


def test_class_log_since_keeps_today_only(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in [
        _rec("ana", "2026-09-30T09:05:00+0000"), _rec("ben", "2026-09-29T15:00:00+0000"),
        {**_rec("cy", "yesterday"), "time": "yesterday"}]))
    out = _cli(log, "--since", "2026-09-30T00:00+0000", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.splitlines()[-1] == "1 student seen: ana"
    assert out.stderr == ("(1 check left out: before --since)\n(1 check left out: no readable time)\n")
    bad = _cli(log, "--since", "last tuesday", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr == ("--since 'last tuesday' is not a time I can read. Use 'today', a duration such as 90m, 2h "
                          "or 1d, a date such as 2026-09-30, or a date and time such as 2026-09-30T09:00.\n")
    empty = _cli(log, "--since", "1m", cwd=tmp_path)
    assert empty.stdout == "No checks recorded yet.\n0 students seen\n"


def test_since_forms():
    from datetime import datetime, timezone
    now = datetime(2026, 9, 30, 10, 30, tzinfo=timezone.utc)
    assert parse_since("90m", now) == datetime(2026, 9, 30, 9, 0, tzinfo=timezone.utc)
    assert parse_since("1d", now) == datetime(2026, 9, 29, 10, 30, tzinfo=timezone.utc)
    assert parse_since("2026-09-30", now) == datetime(2026, 9, 30, tzinfo=timezone.utc)
    assert parse_since("2026-09-30T09:15", now) == datetime(2026, 9, 30, 9, 15, tzinfo=timezone.utc)


def test_select_and_count_students_in_the_library():
    recs = [_rec("ana", "2026-09-30T09:05:00+0000"), _rec("default", "2026-09-30T09:06:00+0000"),
            _rec("ana", "2026-09-30T09:08:00+0000", qid="q2")]
    kept, left_out = select_records(recs)
    assert (len(kept), left_out, students_seen(kept), students_seen(kept, lab="other")) == (
        2, {"demo or default id": 1}, ["ana"], [])
