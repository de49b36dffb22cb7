"""Benchmark `mhsm grade` (run on demand, never as a timed test).

    python benchmarks/grading.py [N]

Writes N (default 30) correct submissions of Lab 01 for different student ids, then times
1. bare papermill execution of the same notebooks, one after another (the floor a grader cannot beat);
2. `grade` with 1 worker without a sandbox (--isolation none) and in the default bubblewrap sandbox, and
3. `grade` in the sandbox with 2 workers (fresh output folders, so nothing is skipped).
Prints seconds per submission, the sandbox's cost per submission (sandboxed minus unsandboxed, 1 worker), the
ratio of grading (1 worker, sandboxed) to bare papermill, and the 2-worker speed-up.
Targets: grading <= 1.2x bare execution; 2 workers >= 1.7x faster than 1 (needs 2 free cores).
"""
from __future__ import annotations

import copy
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mhsm_lessons.grading.demo_class import _clean, _set_id  # noqa: E402
from mhsm_lessons.grading import GradeSettings, grade  # noqa: E402


def main(n: int = 30) -> None:
    os.environ["MHSM_CHECK_LOG"] = ""
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    base = _clean(nbformat.read(ROOT / "solutions" / "01_budgeting_lab.ipynb", as_version=4))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs = tmp / "submissions"
        subs.mkdir()
        for i in range(1, n + 1):
            nb = copy.deepcopy(base)
            _set_id(nb, f"b{i:03d}")
            nbformat.write(nb, subs / f"b{i:03d}_01_budgeting_lab.ipynb")
        files = sorted(subs.glob("*.ipynb"))

        env_backend = {"MPLBACKEND": "Agg"}
        os.environ.update(env_backend)
        start = time.perf_counter()
        for path in files:
            papermill.execute_notebook(str(path), str(tmp / "pm-out.ipynb"), kernel_name="python3",
                                       progress_bar=False, cwd=str(tmp), log_output=False)
        bare = time.perf_counter() - start

        times = {}
        for label, workers, isolation in (("none", 1, "none"), (1, 1, "bwrap"), (2, 2, "bwrap")):
            start = time.perf_counter()
            run = grade([subs], tmp / f"out-{label}", solution=ROOT / "solutions" / "01_budgeting_lab.ipynb",
                        settings=GradeSettings(workers=workers), progress=None, isolation=isolation)
            times[label] = time.perf_counter() - start
            assert run.executed == n and all(r["status"] == "graded" and r["total"] == 13 for r in run.rows)

    print(f"{n} correct submissions of 01_budgeting_lab, {os.cpu_count()} CPU cores")
    print(f"bare papermill, one after another: {bare / n:6.2f} s per submission ({bare:.0f} s)")
    print(f"mhsm grade, 1 worker, no sandbox:  {times['none'] / n:6.2f} s per submission ({times['none']:.0f} s)")
    for workers in (1, 2):
        seconds = times[workers]
        print(f"mhsm grade, {workers} worker{'s' if workers > 1 else ' '}, sandboxed: {seconds / n:6.2f} s per "
              f"submission ({seconds:.0f} s)")
    print(f"sandbox cost per submission:       {(times[1] - times['none']) / n:+6.2f} s "
          f"({100 * (times[1] / times['none'] - 1):+.0f}%)")
    print(f"grading / bare execution (1 worker): {times[1] / bare:.2f}x (target <= 1.2x)")
    print(f"speed-up with 2 workers:             {times[1] / times[2]:.2f}x (target >= 1.7x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
