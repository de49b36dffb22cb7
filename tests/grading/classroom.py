"""The shared graded class for tests/grading: the demo class plus the hostile class, graded once per session.

It is graded through the ``mhsm`` command, as an instructor would, under the default sandbox, with short limits
(15 s per cell, 60 s per notebook, 2 GB per kernel, 2 workers); then graded again (everything skipped), then a
late folder is graded into the same ``--out``.
"""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import threading
import time
from pathlib import Path

import nbformat

from mhsm_lessons.grading.demo_class import write_demo_class
from mhsm_lessons.labs import LABS

from .hostile import MARKER, VICTIM, write_hostile

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "01_budgeting_lab.ipynb"
LAB = "01_budgeting_lab"
SPEC = LABS[LAB]
LIMITS = ["--workers", "2", "--cell-timeout", "15", "--notebook-timeout", "60", "--memory-mb", "2048"]
CLASS_SIZE = 19  # 18 students (one submits twice), every special kind once, two correct; plus one roster-only


def mhsm(*args, cwd=ROOT, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=env)


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() + f":{p.stat().st_mtime_ns}"
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fingerprint(folder: Path, skip=(".venv", ".git", "__pycache__")) -> dict[str, tuple]:
    """Size and mtime of every file (for big trees: the course folder and the venv), compiled bytecode aside."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in skip]
        for name in filenames:
            if not name.endswith(".pyc"):
                st = os.lstat(os.path.join(dirpath, name))
                out[os.path.join(dirpath, name)] = (st.st_size, st.st_mtime_ns)
    return out


def content(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".mhsm-grade.lock"}


def our_processes() -> list[str]:
    """Command lines of processes a grading run may have left: kernels, sandboxes, the hostile daemons."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmd = open(f"/proc/{entry}/cmdline", "rb").read().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            # Kernels are counted only if they run this checkout's Python, so another checkout's run on the same
            # machine (a second worktree, another CI job) is not mistaken for a leak of ours.
            if MARKER in cmd or ("/run/mhsm-kernel/connection.json" in cmd and sys.executable in cmd):
                found.append(cmd[:200])
    return found


def grader_temp_dirs() -> set[str]:
    import glob
    import tempfile
    # The folder the grader's private_tmp() uses: TMPDIR when its path is short enough, else /tmp.
    base = tempfile.gettempdir() if len(tempfile.gettempdir()) <= 40 else "/tmp"
    return {p for p in glob.glob(f"{base}/mhsm-sandbox-*") + glob.glob(f"{base}/mhsm-gradelib-*")}


class Listener:
    """A TCP server on the loopback that no submission should reach."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def grade_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    log = base / "check-log.jsonl"
    course = base / "course"
    shutil.copytree(ROOT / "solutions", course / "solutions")
    shutil.copytree(ROOT / "datasets", course / "datasets")
    students = write_demo_class(SOLUTION, base, CLASS_SIZE)
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(900)", VICTIM])
    listener = Listener()
    venv_site = Path(sysconfig.get_paths()["purelib"])
    kinds = write_hostile(SOLUTION, base / "submissions", base / "roster.csv", root=ROOT, course=course,
                          out=base / "out", venv_site=venv_site, victim_pid=victim.pid, port=listener.port)
    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = 'STUDENT_ID = "S042"'
    nbformat.write(nb, base / "submissions" / "S042_01_budgeting_lab.ipynb")
    with open(base / "roster.csv", "a", encoding="utf-8") as fh:
        fh.write("s042,\"Upper, Case\",MHA 610,99042,SIS42,s42\n")
    args = [str(base / "submissions"), "--out", str(base / "out"), "--roster", str(base / "roster.csv"),
            "--solution", str(course / "solutions" / "01_budgeting_lab.ipynb"), *LIMITS]
    before = {"subs": hashes(base / "submissions"), "course": content(course), "root": fingerprint(ROOT),
              "venv": fingerprint(Path(sys.prefix), skip=("__pycache__",)), "temp": grader_temp_dirs()}
    try:
        first = mhsm("grade", *args, env_extra={"MHSM_CHECK_LOG": str(log)})
        after = {"subs": hashes(base / "submissions"), "course": content(course), "root": fingerprint(ROOT),
                 "venv": fingerprint(Path(sys.prefix), skip=("__pycache__",)), "temp": grader_temp_dirs(),
                 "out": content(base / "out"), "processes": our_processes(), "victim_alive": victim.poll() is None,
                 "connections": listener.connections}
        time.sleep(1.0)  # time for anything left behind to act
        second = mhsm("grade", *args, "--quiet", env_extra={"MHSM_CHECK_LOG": str(log)})
        after_second = {"subs": hashes(base / "submissions"), "out": content(base / "out")}
    finally:
        victim.kill()
        listener.close()
    with open(base / "out" / "gradebook.csv", newline="", encoding="utf-8") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    with open(base / "out" / "gradebook.csv", "rb") as fh:
        raw_gradebook = fh.read()
    late = base / "late"
    late.mkdir()
    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = 'STUDENT_ID = ""'
    nbformat.write(nb, late / "s019_01_budgeting_lab.ipynb")
    third = mhsm("grade", str(late), "--out", str(base / "out"), "--roster", str(base / "roster.csv"),
                 "--solution", str(course / "solutions" / "01_budgeting_lab.ipynb"), *LIMITS, "--quiet")
    with open(base / "out" / "gradebook.csv", newline="", encoding="utf-8") as fh:
        late_rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    return {"base": base, "students": {s.student_id: s for s in students}, "first": first, "second": second,
            "third": third, "rows": rows, "late_rows": late_rows, "before": before["subs"], "after": after["subs"],
            "after_second": after_second["subs"], "log": log, "kinds": kinds, "fs_before": before,
            "fs_after": after, "out_second": after_second["out"], "raw_gradebook": raw_gradebook,
            "course": course, "venv_site": venv_site}


