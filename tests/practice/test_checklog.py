"""MHSM_CHECK_LOG: ~ and environment variables expand; an unset variable never names a file literally."""
from __future__ import annotations

import json

from mhsm_lessons import start_lab
from mhsm_lessons.practice.checklog import check_log_path, expand_log_path


def test_environment_variables_expand(tmp_path, monkeypatch):
    monkeypatch.setenv("DROP", str(tmp_path))
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.setenv("MHSM_CHECK_LOG", "$DROP/${JUPYTERHUB_USER}.jsonl")
    assert check_log_path() == tmp_path / "ana.jsonl"


def test_tilde_expands(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("MHSM_CHECK_LOG", "~/logs/$USER_X.jsonl")
    monkeypatch.setenv("USER_X", "ben")
    assert check_log_path() == tmp_path / "logs" / "ben.jsonl"


def test_an_unset_or_empty_variable_falls_back_to_the_home_log(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("MHSM_CHECK_LOG", str(tmp_path / "drop" / "$JUPYTERHUB_USER.jsonl"))
    assert check_log_path() == tmp_path / ".mhsm" / "check-log.jsonl"
    monkeypatch.setenv("JUPYTERHUB_USER", "")
    assert check_log_path() == tmp_path / ".mhsm" / "check-log.jsonl"
    lab = start_lab("01_budgeting_lab", student_id="s101")
    lab.check("q1", 1.0)
    assert not (tmp_path / "drop").exists()
    assert json.loads((tmp_path / ".mhsm" / "check-log.jsonl").read_text())["student_id"] == "s101"


def test_expand_reports_missing_names_and_leaves_plain_dollars_alone():
    assert expand_log_path("/a/$1/b$", {}) == (expand_log_path("/a/$1/b$", {})[0], [])
    path, missing = expand_log_path("/a/${X}/$Y.jsonl", {"X": "x"})
    assert (str(path), missing) == ("/a/x/$Y.jsonl", ["Y"])


def test_a_check_writes_to_the_expanded_per_user_file(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.setenv("MHSM_CHECK_LOG", str(tmp_path) + "/$JUPYTERHUB_USER.jsonl")
    start_lab("01_budgeting_lab", student_id="ana").check("q1", 1.0)
    assert [p.name for p in tmp_path.iterdir()] == ["ana.jsonl"]


def test_the_start_page_demo_id_is_never_logged(tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("MHSM_CHECK_LOG", str(log))
    demo = start_lab("01_budgeting_lab", student_id="demo-student")
    assert demo.check("q1", "$180,000").status == "not yet"  # the check itself still works
    start_lab("01_budgeting_lab", student_id="demo-3").check("q1", 1.0)
    assert not log.exists()
    start_lab("01_budgeting_lab", student_id="").check("q1", 1.0)  # a forgotten id is still logged, as default
    assert json.loads(log.read_text())["student_id"] == "default"


def test_answer_fingerprints_tell_a_re_check_from_a_new_try():
    import numpy as np
    import pandas as pd

    from mhsm_lessons.practice.checklog import answer_fingerprint
    frame = pd.DataFrame({"line": ["RN"], "variance": [1200.0]})
    assert answer_fingerprint(frame) == answer_fingerprint(frame.copy())
    assert answer_fingerprint(frame) != answer_fingerprint(frame.assign(variance=1200.5))
    assert answer_fingerprint(np.float64(3.5)) == answer_fingerprint(np.float64(3.5))
    assert answer_fingerprint("Favorable") != answer_fingerprint("Unfavorable")
    assert answer_fingerprint(...) == answer_fingerprint(...)

    class Hostile:
        def __repr__(self):
            raise RuntimeError("no")
    first, second = answer_fingerprint(Hostile()), answer_fingerprint(Hostile())
    assert first.startswith("unique-") and first != second


def test_a_new_log_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    import stat
    log = tmp_path / "drop" / "ana.jsonl"
    monkeypatch.setenv("MHSM_CHECK_LOG", str(log))
    start_lab("01_budgeting_lab", student_id="ana").check("q1", 1.0)
    start_lab("01_budgeting_lab", student_id="ana").check("q1", 2.0)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert len(log.read_text().splitlines()) == 2
