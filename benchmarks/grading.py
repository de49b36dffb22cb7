"""Benchmark `mhsm grade` against nbgrader and bare execution (run on demand, never as a timed test).

    python benchmarks/grading.py [N] [--quick] [--rounds R] [--no-nbgrader] [--no-notebooks]

The class is N (default 30; --quick: 4) correct Lab 01 submissions, one per student id, made from the solution
(as `mhsm demo-class` makes its correct students). Each timing is the median of R rounds (default 2; --quick: 1),
wall clock:

1. bare nbclient: every notebook executed one after another with `nbclient.NotebookClient`, same kernel
   environment (the floor any grader pays);
2. `mhsm grade --workers 1` and `--workers 2` through the command line, default sandbox, fresh `--out` each time,
   and `--workers 1 --isolation none` for the sandbox's cost per submission; then, on a machine with two or more
   cores, `--workers 1` held to one core and `--workers 2` to two (CPU affinity, inherited by every process it
   starts): the speed-up when each worker has a core of its own. Each line also gives the machine's busy CPU
   seconds (all cores, from /proc/stat) and the peak memory (PSS of the whole process tree, sampled
   every 0.2 s with psutil);
3. nbgrader `autograde`: nbgrader 0.9.6 in a benchmark-only virtual environment this script creates
   (benchmarks/.venv-nbgrader, never a dependency of mhsm_lessons), a course folder with the solution as the
   source, `generate_assignment`, the same notebooks as submissions, then `nbgrader autograde` timed. Its kernel
   is this environment's Python (a kernelspec in that venv points here), so both graders run the same code;
4. every notebook in notebooks/ and solutions/ executed with nbclient, against the empty-notebook floor (a
   notebook with no cells: kernel start and shutdown only), and against a notebook whose one cell imports what
   every lesson loads (pandas, matplotlib.pyplot, ipywidgets, mhsm_lessons);
5. `import mhsm_lessons` and `import pandas` in fresh interpreters (median of 7), and the difference.

Then it prints the issue's figures with their targets:
mhsm(2 workers)/nbgrader <= 0.5; mhsm per submission (1 worker) / bare nbclient <= 1.2; 1 -> 2 workers >= 1.7x;
notebooks / empty floor <= 1.5; import mhsm_lessons - import pandas <= 150 ms.
The machine should be quiet: the figures are wall-clock times (the script prints the load average it saw).
"""
from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from mhsm_lessons.grading.demo_class import _clean, _set_id  # noqa: E402

SOLUTION = ROOT / "solutions" / "01_budgeting_lab.ipynb"
NBGRADER_VENV = ROOT / "benchmarks" / ".venv-nbgrader"
NBGRADER = "nbgrader==0.9.6"
MHSM = [sys.executable, "-m", "mhsm_lessons.cli"]
ASSIGNMENT = "lab01"
LESSON_IMPORTS = "import pandas\nimport matplotlib.pyplot\nimport ipywidgets\nimport mhsm_lessons"


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


class Usage:
    """While a step runs: the machine's busy CPU seconds (all cores), and the peak proportional set size (PSS, shared pages split between processes) of this process and
    all its descendants, sampled every 0.2 s with psutil (None when psutil is missing)."""

    def __init__(self):
        self.peak_mb = None
        self._stop = threading.Event()

    def _sample(self):
        import psutil
        me = psutil.Process()
        self.peak_mb = 0.0
        while not self._stop.wait(0.2):
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_full_info().pss
                except (psutil.Error, OSError):
                    pass
            self.peak_mb = max(self.peak_mb, total / 2 ** 20)

    def __enter__(self):
        self._cpu = self._cpu_now()
        self.start = time.perf_counter()
        self._thread = None
        if importlib.util.find_spec("psutil") is not None:  # a dependency of ipykernel; optional here
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.start
        self.cpu = self._cpu_now() - self._cpu
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    @staticmethod
    def _cpu_now() -> float:
        """Busy CPU seconds of the whole machine (all cores) from /proc/stat: a sandboxed kernel is not a
        waited-for child, so this process's rusage would miss it; the machine must be quiet (the load is printed)."""
        fields = Path("/proc/stat").read_text().split("\n")[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def median_time(fn, rounds: int, usage: dict | None = None) -> float:
    """The median wall time of ``rounds`` calls; ``usage`` (when given) receives the CPU seconds and peak memory
    of the median round."""
    runs = []
    for _ in range(rounds):
        with Usage() as u:
            fn()
        runs.append(u)
    runs.sort(key=lambda u: u.wall)
    middle = runs[(len(runs) - 1) // 2] if len(runs) % 2 else runs[len(runs) // 2 - 1]
    if usage is not None:
        usage.update(cpu=middle.cpu, peak_mb=middle.peak_mb)
    return statistics.median(u.wall for u in runs)


def write_class(folder: Path, n: int) -> list[Path]:
    base = _clean(nbformat.read(SOLUTION, as_version=4))
    folder.mkdir(parents=True)
    for i in range(1, n + 1):
        nb = copy.deepcopy(base)
        _set_id(nb, f"b{i:03d}")
        nbformat.write(nb, folder / f"b{i:03d}_01_budgeting_lab.ipynb")
    return sorted(folder.glob("*.ipynb"))


def nbclient_run(path: Path, cwd: Path) -> None:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(cwd)}}).execute()


def mhsm_grade(subs: Path, out: Path, workers: int, isolation: str = "bwrap", cores: set[int] | None = None) -> None:
    """``mhsm grade`` through the command line; ``cores``: the CPUs it (and every process it starts) may use."""
    if out.exists():
        shutil.rmtree(out)
    done = subprocess.run([*MHSM, "grade", str(subs), "--out", str(out), "--solution", str(SOLUTION),
                           "--workers", str(workers), "--quiet", "--isolation", isolation], cwd=ROOT,
                          capture_output=True, text=True,
                          preexec_fn=None if cores is None else (lambda: os.sched_setaffinity(0, cores)))
    if done.returncode not in (0,):
        raise SystemExit(f"mhsm grade failed ({done.returncode}): {done.stderr[-2000:]}")


# ---- nbgrader, in its own environment -------------------------------------------------------------------------

def nbgrader_env() -> Path:
    """benchmarks/.venv-nbgrader with nbgrader installed, and a python3 kernelspec pointing at this Python."""
    python = NBGRADER_VENV / "bin" / "python"
    if not (NBGRADER_VENV / ".installed").exists():
        print(f"creating {NBGRADER_VENV} and installing {NBGRADER} (once)...", flush=True)
        venv.create(NBGRADER_VENV, with_pip=True, clear=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", NBGRADER], check=True,
                       stderr=subprocess.DEVNULL)
        (NBGRADER_VENV / ".installed").write_text(NBGRADER + "\n")
    kernel = NBGRADER_VENV / "share" / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True, exist_ok=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (mhsm_lessons benchmark)", "language": "python"}), encoding="utf-8")
    return NBGRADER_VENV / "bin" / "nbgrader"


def nbgrader_source() -> nbformat.NotebookNode:
    """The solution as an nbgrader source notebook: answer cells are solution cells, each check cell an
    autograded test cell worth the question's points (``assert lab.check(...).passed``)."""
    nb = _clean(nbformat.read(SOLUTION, as_version=4))
    points = nb.metadata["mhsm"]["points"]
    for i, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        check = re.fullmatch(r'lab\.check\("(q\d+)", (\w+)\)', cell.source.strip())
        if cell.cell_type == "markdown":  # the memo is ungraded: its markers go
            cell.source = cell.source.replace("<!-- BEGIN SOLUTION -->", "").replace("<!-- END SOLUTION -->", "")
        elif "BEGIN SOLUTION" in cell.source:
            cell.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False, "task": False,
                                         "grade_id": f"answer-{i}", "schema_version": 3}
        elif "check" in tags and check:
            qid, variable = check.groups()
            cell.source = f'assert lab.check("{qid}", {variable}).passed'
            cell.metadata["nbgrader"] = {"solution": False, "grade": True, "locked": True, "task": False,
                                         "points": points[qid], "grade_id": f"check-{qid}", "schema_version": 3}
    return nb


def nbgrader_course(course: Path, files: list[Path]) -> None:
    """An nbgrader course folder: the converted solution as the source, the class as submissions (each the source
    notebook, solutions in place, with the student's id)."""
    if course.exists():
        shutil.rmtree(course)
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'mhsm-bench'\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(course / 'gradebook.db')!r}\n"
        "c.ExecutePreprocessor.timeout = 600\n", encoding="utf-8")
    source = nbgrader_source()
    nbformat.write(source, course / "source" / ASSIGNMENT / SOLUTION.name)
    with open(course / "students.csv", "w", encoding="utf-8") as fh:
        fh.write("id\n" + "".join(f"{p.name.split('_')[0]}\n" for p in files))
    for path in files:
        sid = path.name.split("_")[0]
        dest = course / "submitted" / sid / ASSIGNMENT
        dest.mkdir(parents=True)
        nb = copy.deepcopy(source)
        _set_id(nb, sid)
        nbformat.write(nb, dest / SOLUTION.name)


def nbgrader_cmd(nbgrader: Path, course: Path, *args: str) -> None:
    env = dict(os.environ, PATH=f"{nbgrader.parent}{os.pathsep}{os.environ.get('PATH', '')}",
               JUPYTER_DATA_DIR=str(NBGRADER_VENV / "share" / "jupyter"))
    done = subprocess.run([str(nbgrader), *args], cwd=course, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed ({done.returncode}): {done.stderr[-3000:]}")


# ---- notebooks and imports ----------------------------------------------------------------------------------

def import_ms(module: str, rounds: int = 7) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT,
                       env=dict(os.environ, MHSM_CHECK_LOG=""))
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=None, help="submissions in the class (default 30)")
    parser.add_argument("--quick", action="store_true", help="4 submissions, 1 round: a smoke run")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--no-nbgrader", action="store_true")
    parser.add_argument("--no-notebooks", action="store_true")
    args = parser.parse_args()
    n = args.n or (4 if args.quick else 30)
    rounds = args.rounds or (1 if args.quick else 2)
    os.environ["MHSM_CHECK_LOG"] = ""
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    loads = [load()]
    results: dict[str, float] = {}
    usage: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="mhsm-bench-") as tmp:
        tmp = Path(tmp)
        files = write_class(tmp / "submissions", n)

        results["bare"] = median_time(lambda: [nbclient_run(p, tmp) for p in files], rounds,
                                      usage.setdefault("bare", {}))
        for workers in (1, 2):
            results[f"mhsm{workers}"] = median_time(
                lambda: mhsm_grade(tmp / "submissions", tmp / f"out-{workers}", workers), rounds,
                usage.setdefault(f"mhsm{workers}", {}))
        results["none1"] = median_time(lambda: mhsm_grade(tmp / "submissions", tmp / "out-none", 1, "none"), rounds,
                                       usage.setdefault("none1", {}))
        if len(os.sched_getaffinity(0)) >= 2:  # a worker per core: 1 worker on 1 core, then 2 workers on 2 cores
            first_two = set(sorted(os.sched_getaffinity(0))[:2])
            for workers in (1, 2):
                cores = set(sorted(first_two)[:workers])
                results[f"pinned{workers}"] = median_time(
                    lambda: mhsm_grade(tmp / "submissions", tmp / f"out-p{workers}", workers, cores=cores), rounds,
                    usage.setdefault(f"pinned{workers}", {}))
        loads.append(load())
        if not args.no_nbgrader:
            nbgrader = nbgrader_env()

            def autograde():
                nbgrader_course(tmp / "course", files)
                nbgrader_cmd(nbgrader, tmp / "course", "generate_assignment", ASSIGNMENT, "--force")
                nbgrader_cmd(nbgrader, tmp / "course", "db", "student", "import", "students.csv")
                start = time.perf_counter()
                nbgrader_cmd(nbgrader, tmp / "course", "autograde", ASSIGNMENT, "--force")
                return time.perf_counter() - start
            results["nbgrader"] = statistics.median(autograde() for _ in range(rounds))
        notebooks = []
        if not args.no_notebooks:
            empty = tmp / "empty.ipynb"
            nbformat.write(nbformat.v4.new_notebook(), empty)
            results["empty"] = median_time(lambda: nbclient_run(empty, tmp), max(3, rounds))
            imports = tmp / "imports.ipynb"  # what every lesson loads before its first step of its own
            nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(LESSON_IMPORTS)]), imports)
            results["imports"] = median_time(lambda: nbclient_run(imports, tmp), max(3, rounds))
            for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb")):
                notebooks.append((path.relative_to(ROOT), median_time(lambda: nbclient_run(path, path.parent),
                                                                       rounds)))
        loads.append(load())
    pandas_ms, mhsm_ms = import_ms("pandas"), import_ms("mhsm_lessons")

    print(f"\n{n} correct submissions of 01_budgeting_lab; {os.cpu_count()} CPU cores; median of {rounds} "
          f"round(s); load average before/middle/after: {' | '.join(loads)}")
    def cost(key: str) -> str:
        u = usage.get(key, {})
        if "cpu" not in u:
            return ""
        peak = "" if u.get("peak_mb") is None else f", peak memory {u['peak_mb']:.0f} MB PSS"
        return (f"; CPU {u['cpu'] / n:.2f} s per submission, {u['cpu'] / results[key]:.2f} cores busy on average"
                f"{peak}")

    print(f"bare nbclient, serial:       {results['bare']:7.1f} s  ({results['bare'] / n:.2f} s per submission"
          f"{cost('bare')})")
    for workers in (1, 2):
        t = results[f"mhsm{workers}"]
        print(f"mhsm grade --workers {workers}:     {t:7.1f} s  ({t / n:.2f} s per submission{cost(f'mhsm{workers}')})")
    t = results["none1"]
    print(f"mhsm grade --workers 1 --isolation none: {t:7.1f} s  ({t / n:.2f} s per submission; the sandbox costs "
          f"{(results['mhsm1'] - t) / n:+.2f} s per submission{cost('none1')})")
    for workers in (1, 2):
        if f"pinned{workers}" in results:
            t = results[f"pinned{workers}"]
            print(f"mhsm grade --workers {workers} on {workers} core(s): {t:7.1f} s  ({t / n:.2f} s per submission"
                  f"{cost(f'pinned{workers}')})")
    if "nbgrader" in results:
        print(f"nbgrader autograde (0.9.6):  {results['nbgrader']:7.1f} s  ({results['nbgrader'] / n:.2f} s per "
              "submission)")
    print()
    if "nbgrader" in results:
        print(f"mhsm (2 workers) / nbgrader:              {results['mhsm2'] / results['nbgrader']:.2f}  "
              "(target <= 0.5)")
    print(f"mhsm per submission (1 worker) / bare:    {results['mhsm1'] / results['bare']:.2f}  (target <= 1.2)")
    print(f"speed-up 1 -> 2 workers:                  {results['mhsm1'] / results['mhsm2']:.2f}x (target >= 1.7x)")
    if "pinned2" in results:
        print(f"speed-up 1 worker on 1 core -> 2 on 2:    {results['pinned1'] / results['pinned2']:.2f}x (the same "
              "target, each worker given a core of its own)")
    if notebooks:
        total = sum(t for _, t in notebooks)
        floor = results["empty"]
        print(f"\nempty-notebook floor (kernel start + shutdown): {floor:.2f} s")
        for path, t in notebooks:
            print(f"  {str(path):<45} {t:6.2f} s  {t / floor:5.2f}x floor")
        print(f"all {len(notebooks)} notebooks: {total:.1f} s = {total / (floor * len(notebooks)):.2f}x "
              f"{len(notebooks)} empty notebooks (target <= 1.5x)")
        print(f"a notebook with only the lessons' imports ({LESSON_IMPORTS.replace(chr(10), '; ')}): "
              f"{results['imports']:.2f} s = {results['imports'] / floor:.2f}x floor; the notebooks are "
              f"{total / (results['imports'] * len(notebooks)):.2f}x that")
    print(f"\nimport pandas {pandas_ms:.0f} ms, import mhsm_lessons {mhsm_ms:.0f} ms: difference "
          f"{mhsm_ms - pandas_ms:.0f} ms (target <= 150 ms)")


if __name__ == "__main__":
    main()
