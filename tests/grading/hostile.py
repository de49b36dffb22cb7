"""A test-only hostile class: every attack of the grading-integrity issue, as notebooks a student could submit.

Each cheat starts from the blank exercise (so it can score only by forging) or, for the attacks on others and on
identity, from correct work. The attacks name real paths (the course copy, --out, the roster, a classmate's
file, the venv, a process to kill, a port to reach) the way a student who read them from /proc or the job file
would. Nothing here is harmful if it escapes: writes go to the test's own copies or are inert comment lines.
"""
from __future__ import annotations

import copy
import csv
from pathlib import Path

import nbformat

from mhsm_lessons.authoring.release import release_notebook
from mhsm_lessons.grading.demo_class import _before_progress, _clean, _insert, _set_id
from mhsm_lessons.labs import LABS

MARKER = "MHSM-HOSTILE-DAEMON-7f3c"
VICTIM = "mhsm-victim-process-5d1e"  # in the command line of the test's stand-in for a classmate's kernel

FILL_FROM_EXPECTED = """
for _q in lab.spec.questions:
    try:
        globals()[_q.variable] = lab.expected(_q.qid)
    except Exception:
        pass
"""

QUESTION_OBJECTS = """
import importlib
for _name in ("mhsm_lessons.labs", "mhsm_lessons.labs.budgeting"):
    try:
        _mod = importlib.import_module(_name)
        _spec = _mod.LABS["01_budgeting_lab"] if hasattr(_mod, "LABS") else _mod.LAB
        for _q in _spec.questions:
            try:
                globals()[_q.variable] = _q.expected(lab)
            except Exception:
                pass
    except Exception:
        pass
"""

READ_SOLUTION = """
import glob, json, os, pathlib
import mhsm_lessons
_candidates = [pathlib.Path(mhsm_lessons.__file__).resolve().parents[1] / "solutions" / "01_budgeting_lab.ipynb",
               pathlib.Path({root!r}) / "solutions" / "01_budgeting_lab.ipynb",
               pathlib.Path({course!r}) / "solutions" / "01_budgeting_lab.ipynb"]
_candidates += [pathlib.Path(p) / "solutions" / "01_budgeting_lab.ipynb" for p in glob.glob("/proc/*/cwd")]
_candidates += [pathlib.Path(p) for p in glob.glob("/proc/*/root" + {root!r} + "/solutions/*.ipynb")]
for _path in _candidates:
    try:
        _sol = json.loads(_path.read_text())
    except Exception:
        continue
    for _cell in _sol["cells"]:
        if _cell["cell_type"] == "code" and "parameters" not in _cell.get("metadata", {{}}).get("tags", []):
            try:
                exec("".join(_cell["source"]), globals())
            except Exception:
                pass
    break
"""

PATCH_JSON_AND_HOOKS = """
import json
_forged = json.dumps({{"format": "mhsm-answers-1", "answers": {{v: {{"type": "float", "value": 1.0}}
                                                                for v in {variables!r}}}}})
_dumps, _dump = json.dumps, json.dump

def _forging_dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and (obj.get("format") == "mhsm-answers-1" or "type" in obj):
        return _forged
    return _dumps(obj, *args, **kwargs)

json.dumps = _forging_dumps
json.dump = lambda obj, fh, *a, **k: fh.write(_forged)

def _mhsm_forge(*args, **kwargs):
    for _v in {variables!r}:
        try:
            globals()[_v] = lab.expected("q1")
        except Exception:
            globals()[_v] = 1.0
get_ipython().events.register("pre_run_cell", _mhsm_forge)
get_ipython().events.register("post_run_cell", _mhsm_forge)
get_ipython().events.register("post_execute", _mhsm_forge)
"""

DAEMON = """
import atexit, os, subprocess, sys
_targets = {targets!r}
_script = ("import time\\n"
           "for _ in range(240):\\n"
           "    for t in %r:\\n"
           "        try:\\n"
           "            open(t, 'a').write('forged by a daemon\\\\n')\\n"
           "        except Exception:\\n"
           "            pass\\n"
           "    time.sleep(0.5)\\n"
           "# {marker}") % (_targets,)
subprocess.Popen([sys.executable, "-c", _script], start_new_session=True, stdin=subprocess.DEVNULL,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", _script])
    os._exit(0)

def _rewrite():
    for t in _targets:
        try:
            open(t, "a").write("forged at exit\\n")
        except Exception:
            pass
atexit.register(_rewrite)
"""

TAMPER_FILES = """
import os
for _path in {writes!r}:
    try:
        with open(_path, "a") as _fh:
            _fh.write("# changed by a submission\\n")
    except Exception:
        pass
for _path in {reads!r}:
    try:
        _stolen = open(_path).read()
        open(os.path.expanduser("~/stolen.txt"), "a").write(_stolen)
    except Exception:
        pass
"""

KILL_AND_NETWORK = """
import os, signal, socket
for _pid in [{victim_pid}] + [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    try:
        _cmd = open(f"/proc/{{_pid}}/cmdline", "rb").read()
    except Exception:
        _cmd = b""
    if _pid == {victim_pid} or {victim!r}.encode() in _cmd:
        try:
            os.kill(_pid, signal.SIGKILL)
        except Exception:
            pass
try:
    _s = socket.create_connection(("127.0.0.1", {port}), timeout=2)
    _s.sendall(b"exfiltrated")
    _s.close()
except Exception:
    pass
"""

CHANGE_ID = 'STUDENT_ID = "s001"\nlab = start_lab("01_budgeting_lab", student_id=STUDENT_ID)'
STDERR_FLOOD = "import os\nfor _ in range(300):\n    os.write(2, b'x' * 2 ** 20)"


def write_hostile(solution: Path, subs: Path, roster: Path, *, root: Path, course: Path, out: Path,
                  venv_site: Path, victim_pid: int, port: int) -> dict[str, str]:
    """Add the cheats to ``subs`` and their students to ``roster``; return student id -> kind."""
    base = _clean(nbformat.read(solution, as_version=4))
    variables = [q.variable for q in LABS["01_budgeting_lab"].questions]
    blank = release_notebook(base, solution.name)
    victim_file = subs / "s001" / "01_budgeting_lab.ipynb"
    targets = [str(out / "manifest.json"), str(out / "gradebook.csv"), str(victim_file)]
    writes = [str(course / "solutions" / "01_budgeting_lab.ipynb"), str(course / "datasets" / "medsurg_labor.csv"),
              str(roster), str(victim_file), str(out / "manifest.json"),
              str(venv_site / "zz_mhsm_planted.pth")]
    reads = [str(roster), str(victim_file), str(root / "solutions" / "01_budgeting_lab.ipynb")]
    cheats = {
        "h01": ("lab.expected", blank, FILL_FROM_EXPECTED),
        "h02": ("question objects", blank, QUESTION_OBJECTS),
        "h03": ("read the solution", blank, READ_SOLUTION.format(root=str(root), course=str(course))),
        "h04": ("patched json and hooks", blank, PATCH_JSON_AND_HOOKS.format(variables=variables)),
        "h05": ("daemon and atexit", blank, DAEMON.format(targets=targets, marker=MARKER)),
        "h06": ("tamper with files", blank, TAMPER_FILES.format(writes=writes, reads=reads)),
        "h07": ("kill and network", blank, KILL_AND_NETWORK.format(victim_pid=victim_pid, port=port, victim=VICTIM)),
        "h08": ("changes STUDENT_ID", base, CHANGE_ID),
        "h09": ("stderr flood", base, STDERR_FLOOD),
    }
    kinds = {}
    for sid, (kind, nb, source) in cheats.items():
        nb = copy.deepcopy(nb)
        _set_id(nb, sid)
        setup = [i for i, c in enumerate(nb.cells) if "start_lab(" in c.source][0]
        _insert(nb, setup + 1 if sid == "h08" else _before_progress(nb), source)
        nbformat.write(nb, subs / f"{sid}_01_budgeting_lab.ipynb")
        kinds[sid] = kind
    extra = []
    # Impersonation: h10's file names s001 in its STUDENT_ID.
    nb = copy.deepcopy(base)
    _set_id(nb, "s001")
    nbformat.write(nb, subs / "h10_01_budgeting_lab.ipynb")
    kinds["h10"] = "names a classmate"
    # Two ids that differ only in punctuation never merge.
    for sid in ("jane-smith", "jane.smith"):
        nb = copy.deepcopy(base)
        _set_id(nb, "")
        nbformat.write(nb, subs / f"{sid}_01_budgeting_lab.ipynb")
        kinds[sid] = "punctuation"
    # A formula in an id and a name (CSV injection).
    nb = copy.deepcopy(base)
    _set_id(nb, "")
    nbformat.write(nb, subs / "=cmd_01_budgeting_lab.ipynb")
    kinds["=cmd"] = "formula id"
    extra.append(["=cmd", "-2+3 Evil", "MHA 610", "99001", "@SIS", "+login"])
    # Stray copies: listed, never graded.
    nbformat.write(copy.deepcopy(base), subs / "s002_01_budgeting_lab-Copy1.ipynb")
    nbformat.write(copy.deepcopy(base), subs / "Untitled.ipynb")
    (subs / "s003" / ".ipynb_checkpoints").mkdir(parents=True, exist_ok=True)
    nbformat.write(copy.deepcopy(base), subs / "s003" / ".ipynb_checkpoints" / "01_budgeting_lab-checkpoint.ipynb")
    # A file that names nobody on the roster.
    nbformat.write(copy.deepcopy(base), subs / "zz999_01_budgeting_lab.ipynb")
    with open(roster, "a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for i, sid in enumerate([*cheats, "h10", "jane-smith", "jane.smith"], start=1):
            writer.writerow([sid, f"Hostile, Student {i:02d}", "MHA 610", str(95000 + i), f"HSIS{i:03d}", f"h{i:02d}"])
        writer.writerows(extra)
    return kinds
