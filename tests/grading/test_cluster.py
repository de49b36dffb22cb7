"""mhsm grade --scheduler: the same class graded on a Dask cluster (a LocalCluster of 2 worker processes here)
gives the same gradebook as a local run; a bad address, a worker that cannot sandbox and a worker that dies
mid-run are handled without writing anything false."""
from __future__ import annotations

import copy
import csv
import logging
import os
import signal
import socket
import threading
import time
from pathlib import Path

import nbformat
import pytest

from mhsm_lessons.grading import GradeSettings, GradingError, grade
from mhsm_lessons.grading import cluster as cluster_mod
from mhsm_lessons.grading.demo_class import EDITS, HOSTILE_CELLS, _before_progress, _clean, _insert, _set_id

from .classroom import SOLUTION, grader_temp_dirs, mhsm, our_processes

distributed = pytest.importorskip("distributed")

LIMITS = ["--cell-timeout", "30", "--notebook-timeout", "90", "--memory-mb", "2048"]
SETTINGS = GradeSettings(cell_timeout=30, notebook_timeout=90, memory_mb=2048, workers=2)


def local_cluster():
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                    silence_logs=logging.CRITICAL)


def write(folder: Path, kinds: dict[str, str | None], sleep: float = 0.0) -> None:
    """One submission per id: None is correct work; otherwise the source of a cell added before progress()."""
    base = _clean(nbformat.read(SOLUTION, as_version=4))
    folder.mkdir(parents=True)
    for sid, extra in kinds.items():
        nb = copy.deepcopy(base)
        _set_id(nb, "")
        if sleep:
            _insert(nb, _before_progress(nb), f"import time\ntime.sleep({sleep})")
        if extra:
            _insert(nb, _before_progress(nb), extra)
        nbformat.write(nb, folder / f"{sid}_01_budgeting_lab.ipynb")


def rows(out: Path, name: str = "gradebook.csv") -> list[dict]:
    with open(out / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_cluster_grades_the_class_exactly_like_local_workers(tmp_path):
    subs = tmp_path / "subs"
    write(subs, {"c01": None, "c02": None, "w01": EDITS["partly wrong"], "x01": HOSTILE_CELLS["os._exit"]})
    temp_before = grader_temp_dirs()
    local = grade([subs], tmp_path / "local", solution=SOLUTION, settings=SETTINGS, progress=None)
    assert [r["total"] for r in local.rows if r["student_id"].startswith("c")] == [13, 13]
    with local_cluster() as cluster:
        done = mhsm("grade", str(subs), "--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address,
                    "--solution", str(SOLUTION), *LIMITS)
        assert done.returncode == 0, done.stderr
        assert "on the Dask cluster at tcp://" in done.stderr
        again = mhsm("grade", str(subs), "--out", str(tmp_path / "dask"), "--scheduler",
                     cluster.scheduler_address, "--solution", str(SOLUTION), *LIMITS, "--quiet")
    assert again.returncode == 0 and again.stdout.startswith(
        "4 students (1 crashed, 3 graded); 0 submissions run, 4 already graded"), again.stdout  # resumed
    for name in ("gradebook.csv", "submissions.csv", "class_summary.csv"):
        assert rows(tmp_path / "dask", name) == rows(tmp_path / "local", name), name
    statuses = {r["student_id"]: (r["status"], r["total"]) for r in rows(tmp_path / "dask")}
    assert statuses["c01"] == ("graded", "13") and statuses["x01"][0] == "crashed"
    assert statuses["w01"][0] == "graded" and float(statuses["w01"][1]) < 13
    for page in (tmp_path / "local" / "feedback").iterdir():
        assert (tmp_path / "dask" / "feedback" / page.name).read_bytes() == page.read_bytes()
    assert our_processes() == [] and grader_temp_dirs() == temp_before


def test_a_bad_scheduler_address_stops_before_anything_is_written(tmp_path):
    write(tmp_path / "subs", {"c01": None})
    address = f"tcp://127.0.0.1:{free_port()}"
    done = mhsm("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--scheduler", address,
                "--solution", str(SOLUTION), env_extra={"MHSM_SCHEDULER_TIMEOUT": "3"})
    assert done.returncode == 2
    assert done.stderr.startswith(f"Could not reach a Dask scheduler at {address!r} within 3 s (")
    assert "Check the address (for example tcp://scheduler-host:8786)" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_workers_that_cannot_sandbox_or_run_another_version_are_named(monkeypatch):
    class Client:
        def wait_for_workers(self, n, timeout):
            pass

        def run(self, func, *args):
            return {"tcp://w1:1": ("another", None),
                    "tcp://w2:2": (cluster_mod.fingerprint(), "mhsm grade runs each submission in a bubblewrap "
                                   "sandbox, but the bwrap command was not found.")}

        def nthreads(self):
            return {"tcp://w1:1": 1, "tcp://w2:2": 1}
    with pytest.raises(GradingError) as err:
        cluster_mod.check_workers(Client(), "bwrap")
    assert str(err.value) == (
        "Some Dask workers cannot grade: tcp://w1:1: it runs another version of mhsm_lessons or of the labs than "
        "this machine; tcp://w2:2: mhsm grade runs each submission in a bubblewrap sandbox, but the bwrap command "
        "was not found. Every worker host needs bubblewrap and the same pinned environment as this machine (see "
        "the README).")
    assert cluster_mod.worker_status("bwrap") == (cluster_mod.fingerprint(), None)  # this host can


@pytest.mark.parametrize("hostile", ["open to all", "not a folder"])
def test_a_slot_lock_folder_planted_by_another_account_is_refused(tmp_path, monkeypatch, hostile):
    # another account (or a stray file) in the shared temporary folder must not hold this user's slots
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / f"mhsm-grade-slots-{os.getuid()}"
    if hostile == "open to all":
        planted.mkdir()
        planted.chmod(0o777)
        mode = "drwxrwxrwx"
    else:
        planted.write_text("not a folder")
        mode = "-rw-r--r--"
        planted.chmod(0o644)
    owner = os.getuid()
    expected = (f"the slot-lock folder {planted} is not a folder of user id {owner} closed to other users (owner "
                f"{owner}, mode {mode}); remove it and restart the Dask worker")
    with pytest.raises(PermissionError) as err:
        cluster_mod._claim_slot()
    assert err.value.strerror == expected
    assert cluster_mod.worker_status("bwrap") == (cluster_mod.fingerprint(), expected)
    assert planted.exists()  # refused, never deleted or changed behind the instructor's back
    assert (planted.stat().st_mode & 0o777) == (0o777 if hostile == "open to all" else 0o644)


def test_a_worker_whose_temporary_folder_is_gone_is_named_before_the_run(tmp_path, monkeypatch):
    import tempfile
    gone = tmp_path / "no-such-tmp"
    monkeypatch.setattr(tempfile, "tempdir", str(gone))
    assert cluster_mod.worker_status("bwrap") == (cluster_mod.fingerprint(), (
        f"its temporary folder cannot hold slot locks ([Errno 2] No such file or directory: "
        f"'{gone}/mhsm-grade-slots-{os.getuid()}')"))


def test_slot_locks_are_per_user_and_exclusive(tmp_path, monkeypatch):
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first, first_lock = cluster_mod._claim_slot()
    second, second_lock = cluster_mod._claim_slot()
    try:
        assert (first, second) == (cluster_mod.REMOTE_SLOT_BASE, cluster_mod.REMOTE_SLOT_BASE + 1)
        folder = tmp_path / f"mhsm-grade-slots-{os.getuid()}"
        assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700
    finally:
        first_lock.close()
    third, third_lock = cluster_mod._claim_slot()  # the freed slot is taken again
    third_lock.close()
    second_lock.close()
    assert third == cluster_mod.REMOTE_SLOT_BASE


def test_a_worker_that_dies_mid_run_never_costs_a_student_points(tmp_path):
    subs = tmp_path / "subs"
    write(subs, {"d01": None, "d02": None}, sleep=8)
    temp_before = grader_temp_dirs()
    with local_cluster() as cluster, distributed.Client(cluster, set_as_default=False) as client:
        result = {}
        thread = threading.Thread(target=lambda: result.update(run=grade(
            [subs], tmp_path / "out", solution=SOLUTION, settings=SETTINGS, progress=None,
            scheduler=cluster.scheduler_address)))
        thread.start()
        end = time.monotonic() + 120
        while not any(client.processing().values()):
            assert time.monotonic() < end, "nothing started"
            time.sleep(0.2)
        time.sleep(3)  # the kernel is inside the notebook by now
        busy = next(address for address, keys in client.processing().items() if keys)
        os.kill(client.run(os.getpid, workers=[busy])[busy], signal.SIGKILL)
        thread.join(timeout=300)
    run = result["run"]
    assert run.grader_errors == 0
    assert [(r["student_id"], r["status"], r["total"]) for r in run.rows] == [("d01", "graded", 13.0),
                                                                              ("d02", "graded", 13.0)]
    assert our_processes() == [] and grader_temp_dirs() == temp_before


def test_ctrl_c_stops_the_cluster_run_kills_its_sandboxes_and_keeps_what_was_graded(tmp_path):
    import json
    import subprocess
    import sys

    from .classroom import ROOT

    subs, out = tmp_path / "subs", tmp_path / "out"
    write(subs, {f"e{i:02d}": None for i in range(1, 6)}, sleep=6)
    with local_cluster() as cluster:
        args = [sys.executable, "-m", "mhsm_lessons.cli", "grade", str(subs), "--out", str(out), "--scheduler",
                cluster.scheduler_address, "--solution", str(SOLUTION), *LIMITS]
        first = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def kept() -> dict:
            try:
                return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["entries"]
            except (OSError, ValueError, KeyError):
                return {}
        end = time.monotonic() + 240
        while not kept():
            assert time.monotonic() < end and first.poll() is None, "nothing was graded"
            time.sleep(0.2)
        sent = time.monotonic()
        first.send_signal(signal.SIGINT)
        _, err = first.communicate(timeout=60)
        assert first.returncode == 130 and time.monotonic() - sent < 15, err
        done = len(kept())
        assert f"Stopped by SIGINT: {done} of 5 submissions were graded" in err and 1 <= done < 5
        time.sleep(1.0)
        assert our_processes() == []  # the sandboxes on the workers were killed, not left to finish
        rest = subprocess.run([*args, "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rest.returncode == 0, rest.stderr
    assert rest.stdout.startswith(f"5 students (5 graded); {5 - done} submissions run, {done} already graded")
    graded = rows(out)
    assert [r["total"] for r in graded] == ["13"] * 5, [r for r in graded if r["total"] != "13"]
