"""The check log written by Lab.check, and `mhsm class-log` (which question is the room stuck on)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mhsm_lessons import start_lab
from mhsm_lessons.practice.classlog import class_log_table, read_check_logs
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
        "01_budgeting_lab q10          2        0      2        100% labels by sign (2)\n")
    assert out.stderr == "(2 unreadable lines skipped)\n"
    missing = subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", "class-log", "nope.jsonl"],
                             capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert missing.returncode == 2
    assert missing.stderr == "No such check log: nope.jsonl. Give check-log files (*.jsonl) or folders of them.\n"
