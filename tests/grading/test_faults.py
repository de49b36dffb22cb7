"""A grading run that survives faults: Ctrl-C and SIGTERM mid-run, a second run into the same --out, a grader-side
failure, a missing sandbox, --isolation none, demo-class into a folder in use. One small class, graded in stages."""
from __future__ import annotations

import copy
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from mhsm_lessons.grading import GradeSettings, grade
from mhsm_lessons.grading import run as run_module
from mhsm_lessons.grading.demo_class import _clean, _set_id
from mhsm_lessons.grading.kernel import GraderFault, TailReader

from .classroom import ROOT, SOLUTION, grader_temp_dirs, mhsm, our_processes

SLOW = ["--workers", "2", "--cell-timeout", "30", "--notebook-timeout", "90", "--memory-mb", "2048"]


def write_class(folder: Path, n: int, sleep: float = 0.0) -> None:
    base = _clean(nbformat.read(SOLUTION, as_version=4))
    folder.mkdir(parents=True)
    for i in range(1, n + 1):
        nb = copy.deepcopy(base)
        _set_id(nb, "")
        if sleep:
            nb.cells.append(nbformat.v4.new_code_cell(f"import time\ntime.sleep({sleep})"))
        nbformat.write(nb, folder / f"a{i:02d}_01_budgeting_lab.ipynb")


def start(subs: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mhsm_lessons.cli", "grade", str(subs), "--out", str(out), *SLOW],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def entries(out: Path) -> dict:
    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["entries"]
    except (OSError, ValueError, KeyError):
        return {}


def wait_for(predicate, timeout: float = 240.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.1)


def locked(path: Path) -> bool:
    """Whether some process holds an flock on ``path`` (read from /proc/locks: looking never takes the lock)."""
    try:
        inode = os.stat(path).st_ino
        return any(line.split()[1] == "FLOCK" and line.split()[5].endswith(f":{inode}")
                   for line in Path("/proc/locks").read_text().splitlines() if len(line.split()) > 5)
    except OSError:
        return False


def stop(proc: subprocess.Popen, signum: int) -> tuple[int, str, float]:
    sent = time.monotonic()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err, time.monotonic() - sent


def test_sigint_and_sigterm_stop_promptly_keep_the_graded_and_resume(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_class(subs, 6, sleep=6)
    temp_before = grader_temp_dirs()

    first = start(subs, out)
    wait_for(lambda: len(entries(out)) >= 1)
    code, err, seconds = stop(first, signal.SIGINT)
    kept = entries(out)
    assert code == 128 + signal.SIGINT, err
    assert seconds < 15
    assert (f"Stopped by SIGINT: {len(kept)} of 6 submissions were graded and kept in {out / 'manifest.json'}; every "
            "sandbox was stopped. Run the same command again to grade the rest.") in err
    assert 1 <= len(kept) <= 3 and all(e["status"] == "graded" for e in kept.values())
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(kept)  # the gradebook so far
    assert our_processes() == [] and grader_temp_dirs() == temp_before

    second = start(subs, out)
    wait_for(lambda: locked(out / ".mhsm-grade.lock"))
    blocked = mhsm("grade", str(subs), "--out", str(out), *SLOW)  # a second run into the same --out
    wait_for(lambda: len(entries(out)) > len(kept))
    assert blocked.returncode == 2
    assert blocked.stderr == (f"Another mhsm grade run is writing into {out}. Wait for it to finish (or stop it), "
                              "or choose another --out folder.\n")
    code, err, seconds = stop(second, signal.SIGTERM)
    kept_second = entries(out)
    assert code == 128 + signal.SIGTERM and seconds < 15, err
    assert "Stopped by SIGTERM: " in err and set(kept) <= set(kept_second)
    assert our_processes() == [] and grader_temp_dirs() == temp_before

    third = mhsm("grade", str(subs), "--out", str(out), *SLOW, "--quiet")
    assert third.returncode == 0, third.stderr
    done = len(kept_second)
    assert third.stdout.startswith(f"6 students (6 graded); {6 - done} submissions run, {done} already graded")
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        assert [r["total"] for r in csv.DictReader(fh)] == ["13"] * 6


def test_a_grader_side_failure_is_shown_and_never_stored(tmp_path, monkeypatch):
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_class(subs, 2)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(run_module, "run_submission", disk_full)
    first = grade([subs], out, settings=GradeSettings(workers=1), progress=None)
    assert [(r["status"], r["reason"]) for r in first.rows] == [("grader error", (
        "The grader could not run this notebook (the disk is full). This is not the student's doing and was not "
        "recorded: run mhsm grade again to grade it."))] * 2
    assert first.grader_errors == 2 and entries(out) == {}

    def no_sandbox(*args, **kwargs):
        raise GraderFault("the kernel did not start in time", "File \"/home/prof/.venv/lib/x.py\", line 1")
    monkeypatch.setattr(run_module, "run_submission", no_sandbox)
    again = grade([subs], out, settings=GradeSettings(workers=1), progress=None)
    assert again.executed == 2 and entries(out) == {}  # not cached: tried again, and again not stored
    assert {r["reason"] for r in again.rows} == {
        "The grader could not run this notebook (the kernel did not start in time). This is not the student's doing "
        "and was not recorded: run mhsm grade again to grade it."}  # the log line with a path is not in it
    page = (out / "feedback" / "a01.html").read_text(encoding="utf-8")
    assert "/home/prof" not in page and "Traceback" not in page


def test_more_workers_than_the_machine_holds_are_capped_with_a_note(tmp_path, monkeypatch, capsys):
    # an instructor typing --workers 64 on a laptop would start 128 kernels at once
    from mhsm_lessons.grading.capacity import worker_count
    assert worker_count(64, 600, 2, 16 * 1024.0) == (8, (
        "Using 8 workers, not 64: each worker runs two kernels at once (about 400 MB), and this machine has 2 usable "
        "CPU cores and 16.0 GB of memory available; more workers would only compete for them."))
    assert worker_count(64, 600, 16, 2048.0) == (5, (
        "Using 5 workers, not 64: each worker runs two kernels at once (about 400 MB), and this machine has 16 "
        "usable CPU cores and 2.0 GB of memory available; more workers would only compete for them."))
    assert worker_count(9, 600, 1, None) == (4, (
        "Using 4 workers, not 9: each worker runs two kernels at once (about 400 MB), and this machine has 1 usable "
        "CPU core; more workers would only compete for them."))
    assert worker_count(64, 3, 8, None) == (3, None)  # never more than the submissions: nothing to cap
    assert worker_count(4, 600, 1, 100.0) == (1, (
        "Using 1 worker, not 4: each worker runs two kernels at once (about 400 MB), and this machine has 1 usable "
        "CPU core and 0.1 GB of memory available; more workers would only compete for them."))

    subs, out = tmp_path / "subs", tmp_path / "out"
    write_class(subs, 3)
    monkeypatch.setattr(run_module, "usable_cores", lambda: 1)
    monkeypatch.setattr(run_module, "available_mb", lambda: 800.0)
    capsys.readouterr()
    result = grade([subs], out, settings=GradeSettings(workers=3), progress=None)
    assert capsys.readouterr().err == (
        "Using 2 workers, not 3: each worker runs two kernels at once (about 400 MB), and this machine has 1 usable "
        "CPU core and 0.8 GB of memory available; more workers would only compete for them.\n")
    assert [(r["status"], r["total"]) for r in result.rows] == [("graded", 13.0)] * 3  # every student still graded


def test_without_bubblewrap_the_grader_refuses_and_says_how_to_install_it(tmp_path):
    write_class(tmp_path / "subs", 1)
    done = mhsm("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"),
                env_extra={"PATH": str(Path(sys.executable).parent)})
    assert done.returncode == 2
    assert done.stderr == ("mhsm grade runs each submission in a bubblewrap sandbox, but the bwrap command was not "
                           "found. Install it with: sudo apt-get install bubblewrap  (Fedora: sudo dnf install "
                           "bubblewrap). Only if you trust every notebook, run again with --isolation none.\n")
    assert not (tmp_path / "out").exists()
    container = mhsm("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--isolation", "container")
    assert container.returncode == 2 and "--isolation container is not available" in container.stderr


def test_isolation_none_warns_what_a_hostile_notebook_can_do(tmp_path):
    write_class(tmp_path / "subs", 1)
    done = mhsm("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--isolation", "none", "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("WARNING: --isolation none runs every submitted notebook with YOUR user rights")
    assert "read the solutions, the roster, classmates' notebooks" in done.stderr
    assert "leave processes running after the run" in done.stderr
    assert done.stdout.startswith("1 students (1 graded); 1 submissions run")


def test_demo_class_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "roster.csv").write_text("student_id\nreal001\n", encoding="utf-8")
    refused = mhsm("demo-class", "--out", str(tmp_path), "-n", "19")
    assert refused.returncode == 2
    assert refused.stderr == (f"{tmp_path} is not empty: mhsm demo-class writes submissions/ and roster.csv there and "
                              "would overwrite what is in it. Choose a new or empty folder, or pass --force.\n")
    assert (tmp_path / "roster.csv").read_text(encoding="utf-8") == "student_id\nreal001\n"
    forced = mhsm("demo-class", "--out", str(tmp_path), "-n", "19", "--force")
    assert forced.returncode == 0, forced.stderr


def test_logs_are_read_from_the_tail_only():
    read_fd, write_fd = os.pipe()
    reader = TailReader(io.open(read_fd, "rb", buffering=0))
    reader.start()
    for i in range(64):
        os.write(write_fd, (f"{i:04d}" + "x" * 65532).encode())
    os.write(write_fd, b"\nthe last line")
    os.close(write_fd)
    reader.join(timeout=10)
    tail = reader.tail()
    assert tail.endswith("the last line") and len(tail) <= 16 * 1024 and reader.size <= 16 * 1024 + 65536


def test_the_kernel_sees_none_of_the_instructors_environment(tmp_path):
    from mhsm_lessons.authoring.release import release_notebook

    base = _clean(nbformat.read(SOLUTION, as_version=4))
    nb = release_notebook(base, SOLUTION.name)
    _set_id(nb, "")
    nb.cells.append(nbformat.v4.new_code_cell(
        'import os\nrn_flexible_budget = "env:" + os.environ.get("MHSM_TEST_SECRET", "none") + ":" + os.getcwd()'))
    (tmp_path / "subs").mkdir()
    nbformat.write(nb, tmp_path / "subs" / "e01_01_budgeting_lab.ipynb")
    done = mhsm("grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--quiet",
                env_extra={"MHSM_TEST_SECRET": "hunter2"})
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out" / "feedback" / "e01.html").read_text(encoding="utf-8")
    assert "Your answer is text (&#x27;env:none:/home/student&#x27;)" in page and "hunter2" not in page
