"""Where the time goes when `mhsm grade` runs one submission in the sandbox (run on demand, never as a test).

    python benchmarks/profile_grading.py [N] [--workers W] [--isolation bwrap|none]

Writes N (default 6) correct Lab 01 submissions, grades them in-process with W (default 1) workers, and times
each phase by wrapping the grader's own functions (no change to the code being measured):

* instructor side: scan and plan, staging the library, the per-submission set-up (read, hash, parse, temporary
  copy), the kernel start (sandbox process spawned until the kernel answers ``kernel_info``), the wait for a
  pre-started kernel (when the grader has one), every cell (by tag: set-up cells, answer cells, check cells,
  charts/explorers), the answer request and its decoding, killing the kernel, grading in the instructor's
  process (datasets and expected answers, checks), committing the manifest, and writing the outputs;
* kernel side: one sandboxed kernel, started by hand, runs the set-up cell's imports and ``start_lab`` piece by
  piece, so the cost of ``import pandas``, ``import mhsm_lessons``, the chart module and the data generation can be
  read separately.

Phases that overlap (a pre-started kernel starts while the previous submission runs) are timed where they run;
"wall per submission" is the real figure. Seconds are summed over the N submissions and divided by N.
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from mhsm_lessons.grading import GradeSettings, grade  # noqa: E402
from mhsm_lessons.grading import kernel as kernel_mod  # noqa: E402
from mhsm_lessons.grading import records as records_mod  # noqa: E402
from mhsm_lessons.grading import run as run_mod  # noqa: E402
from mhsm_lessons.grading import runner as runner_mod  # noqa: E402
from mhsm_lessons.grading import sandbox as sandbox_mod  # noqa: E402
from mhsm_lessons.grading.demo_class import _clean, _set_id  # noqa: E402

SOLUTION = ROOT / "solutions" / "01_budgeting_lab.ipynb"
TIMES: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)
LOCK = threading.Lock()


def add(phase: str, seconds: float) -> None:
    with LOCK:
        TIMES[phase] += seconds
        COUNTS[phase] += 1


def timed(owner, name: str, phase: str) -> None:
    """Wrap ``owner.name`` so each call adds its duration to ``phase`` (skipped if the grader has no such name)."""
    original = getattr(owner, name, None)
    if original is None:
        return

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            add(phase, time.perf_counter() - start)
    setattr(owner, name, wrapper)


def cell_phase(source: str) -> str:
    if "# injected by mhsm grade" in source:
        return "cell: the grader's id cell"
    if "start_lab(" in source or source.lstrip().startswith(("import ", "from ")):
        return "cell: set-up (imports, start_lab: data generated in the kernel)"
    if "lab.check(" in source and "BEGIN SOLUTION" not in source and "\n" not in source.strip():
        return "cell: check cells (recorded for grading)"
    if "lab.progress()" in source:
        return "cell: lab.progress()"
    if "_explorer(" in source or "plot_" in source:
        return "cell: charts and explorers"
    if "describe_dataset" in source or 'labor["month"] == "2026-09"].set_index' in source:
        return "cell: data description and tables"
    return "cell: answer cells"


def instrument() -> None:
    timed(run_mod, "_scan", "instructor: scan the submissions (read, hash, parse)")
    timed(run_mod, "stage_library", "instructor: stage the library (once per run)")
    timed(run_mod, "read_points", "instructor: read the solution's points")
    timed(run_mod, "_finish", "instructor: write gradebook, feedback pages, summary")
    timed(run_mod._Manifest, "commit", "instructor: commit the manifest")
    timed(run_mod, "_outcome_to_record", "instructor: grade the answers (datasets, expected answers, checks)")
    timed(runner_mod, "_collect", "kernel: answer request + decoding the reply")
    timed(kernel_mod.Kernel, "__init__", "kernel start: spawn the sandbox process")
    timed(kernel_mod.Kernel, "connect", "kernel start: until the kernel answers")
    timed(kernel_mod.Kernel, "kill", "kernel: kill and reap")
    if hasattr(runner_mod, "Prestart"):
        timed(runner_mod.Prestart, "take", "kernel start: wait for the pre-started kernel (critical path)")
        timed(runner_mod.Prestart, "_connect", "(overlapped) pre-start: connect, warm up, instructor's datasets")

    execute = kernel_mod.Kernel.execute

    def execute_wrapper(self, code, timeout, **kwargs):
        start = time.perf_counter()
        try:
            return execute(self, code, timeout, **kwargs)
        finally:
            if not kwargs.get("silent"):
                add(cell_phase(code), time.perf_counter() - start)
    kernel_mod.Kernel.execute = execute_wrapper

    grade_one = run_mod._grade_one

    def grade_one_wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return grade_one(*args, **kwargs)
        finally:
            add("= one submission in its worker (sum of the above that ran in it)", time.perf_counter() - start)
    run_mod._grade_one = grade_one_wrapper


def kernel_side(isolation: str) -> list[tuple[str, float]]:
    """Start one sandboxed kernel by hand and time the set-up cell's parts inside it."""
    from mhsm_lessons.grading.kernel import Kernel
    from mhsm_lessons.grading.sandbox import private_tmp, stage_library

    steps = [("import pandas", "import pandas as pd"),
             ("import mhsm_lessons (after pandas)", "import mhsm_lessons"),
             ("from mhsm_lessons import finance", "from mhsm_lessons import finance"),
             ("import the chart module (matplotlib)", "from mhsm_lessons.viz.budgeting import plot_variance_report"),
             ("start_lab (lazy: no data yet)", 'from mhsm_lessons import start_lab\n'
                                               'lab = start_lab("01_budgeting_lab", "p001")'),
             ("lab.data(...): generate the lab's datasets", "frames = [lab.data(n) for n in lab.spec.datasets]"),
             ("lab.data(...) again (cached)", "frames = [lab.data(n) for n in lab.spec.datasets]"),
             ("an empty cell", "pass")]
    lib = private_tmp("mhsm-gradelib-")
    tmp = private_tmp("mhsm-sandbox-")
    out = []
    try:
        stage_library(lib)
        nb = tmp / "submission.ipynb"
        nb.write_text("{}", encoding="utf-8")
        (tmp / "w").mkdir()
        start = time.perf_counter()
        kernel = Kernel(tmp / "w", nb, isolation=isolation, lib=lib, slot=0, memory=2048 * 2 ** 20,
                        cpu_seconds=120)
        try:
            spawned = time.perf_counter()
            kernel.connect(60)
            out.append(("spawn the sandbox process", spawned - start))
            out.append(("python + ipykernel start until kernel_info", time.perf_counter() - spawned))
            for label, code in steps:
                t = time.perf_counter()
                reply = kernel.execute(code, 60)
                assert reply.get("status") == "ok", (label, reply)
                out.append((label, time.perf_counter() - t))
        finally:
            kernel.kill()
    finally:
        import shutil
        shutil.rmtree(lib, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=6)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--isolation", default="bwrap", choices=("bwrap", "none"))
    args = parser.parse_args()
    os.environ["MHSM_CHECK_LOG"] = ""

    kernel_parts = kernel_side(args.isolation)
    instrument()
    base = _clean(nbformat.read(SOLUTION, as_version=4))
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "subs"
        subs.mkdir()
        for i in range(1, args.n + 1):
            nb = copy.deepcopy(base)
            _set_id(nb, f"p{i:03d}")
            nbformat.write(nb, subs / f"p{i:03d}_01_budgeting_lab.ipynb")
        start = time.perf_counter()
        run = grade([subs], Path(tmp) / "out", solution=SOLUTION, progress=None, isolation=args.isolation,
                    settings=GradeSettings(workers=args.workers))
        wall = time.perf_counter() - start
        assert run.executed == args.n and all(r["status"] == "graded" and r["total"] == 13 for r in run.rows), \
            [(r["status"], r["total"]) for r in run.rows]

    n = args.n
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"]
    print(f"{n} correct submissions of 01_budgeting_lab, {args.workers} worker(s), isolation {args.isolation}, "
          f"{os.cpu_count()} CPU cores, load average {' '.join(load)}")
    print(f"\nwall per submission: {wall / n:.3f} s   (whole run {wall:.2f} s)\n")
    print(f"{'phase':<75} {'s/submission':>12} {'calls':>6}")
    per_sub = [(p, s) for p, s in TIMES.items()]
    for phase, seconds in sorted(per_sub, key=lambda x: (x[0].startswith("="), -x[1])):
        print(f"{phase:<75} {seconds / n:12.3f} {COUNTS[phase]:6d}")
    print("\nkernel side, one sandboxed kernel started by hand (seconds, once):")
    for label, seconds in kernel_parts:
        print(f"  {label:<60} {seconds:8.3f}")


if __name__ == "__main__":
    main()
