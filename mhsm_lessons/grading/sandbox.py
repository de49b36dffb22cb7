"""Where a submission's kernel runs: a bubblewrap sandbox (default), or no isolation when the instructor insists.

The sandbox (``bwrap``, Debian/Ubuntu package ``bubblewrap``) gives the kernel a root folder of its own built from:

* read-only: ``/usr`` (and the ``/bin``, ``/lib`` links), the Python installation, the virtual environment, and a
  copy of ``mhsm_lessons`` made for grading (no question definitions, no expected answers, no authoring or grading
  code);
* writable: a private, size-capped ``/home/student`` holding a copy of the submission, a size-capped ``/tmp``, and
  one folder of the grader's for the kernel's sockets;
* a fresh ``/proc`` and ``/dev``, new PID, network, IPC and UTS namespaces (nothing but its own processes, no
  network), an empty environment apart from the variables the grader sets, and ``--die-with-parent``: when the
  grader kills the sandbox, every process in it dies.

Run as root, the kernel is switched to an unprivileged user id of its own (61000 + worker slot, no capabilities,
``no_new_privs``); run as an ordinary user, bubblewrap maps the instructor's id into a user namespace. Inside,
limits are set before Python starts: address space (``--memory-mb``), CPU seconds, file size, core dumps off and,
as root, processes per sandbox user.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ._common import GradingError

ISOLATIONS = ("bwrap", "container", "none")
INSTALL_BWRAP = "sudo apt-get install bubblewrap  (Fedora: sudo dnf install bubblewrap)"
NONE_WARNING = (
    "WARNING: --isolation none runs every submitted notebook with YOUR user rights and no sandbox. A hostile "
    "notebook can then read the solutions, the roster, classmates' notebooks and your files; edit the gradebook, "
    "the manifest, the solutions' points, the datasets and your Python environment (for the next run too); "
    "reach the network; kill other processes you own; and leave processes running after the run. Use it only "
    "for notebooks you trust.")
SANDBOX_HOME = "/home/student"
SANDBOX_LIB = "/opt/mhsm/lib"
SANDBOX_KERNEL_DIR = "/run/mhsm-kernel"
SANDBOX_UID_BASE = 61000
TMP_BYTES = 512 * 2 ** 20
FILE_BYTES = 256 * 2 ** 20
NPROC = 256


def check_isolation(isolation: str) -> None:
    """Raise :class:`GradingError` when ``isolation`` cannot be used here (with what to do about it)."""
    if isolation not in ISOLATIONS:
        raise GradingError(f"Unknown --isolation {isolation!r}: use one of {', '.join(ISOLATIONS)}.")
    if isolation == "container":
        raise GradingError("--isolation container is not available in this version of mhsm grade. On Linux use "
                           f"the default sandbox (install it with: {INSTALL_BWRAP}); on macOS or Windows grade "
                           "inside a Linux virtual machine or container that has bubblewrap.")
    if isolation == "bwrap":
        problem = bwrap_problem()
        if problem:
            raise GradingError(f"mhsm grade runs each submission in a bubblewrap sandbox, but {problem} Install "
                               f"it with: {INSTALL_BWRAP}. Only if you trust every notebook, run again with "
                               "--isolation none.")


_PROBLEM: dict[str, str | None] = {}


def bwrap_problem() -> str | None:
    """None when ``bwrap`` can build a sandbox here; else why not (one sentence)."""
    if "bwrap" in _PROBLEM:
        return _PROBLEM["bwrap"]
    problem = None
    if not sys.platform.startswith("linux"):
        problem = "bubblewrap runs only on Linux."
    elif shutil.which("bwrap") is None:
        problem = "the bwrap command was not found."
    else:
        cmd = ["bwrap", *_namespaces(), "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "true"]
        try:
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
            if done.returncode != 0:
                detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
                problem = f"bwrap could not create a sandbox here ({detail[0][:200]})."
        except (OSError, subprocess.TimeoutExpired) as exc:
            problem = f"bwrap could not be started ({type(exc).__name__})."
    _PROBLEM["bwrap"] = problem
    return problem


def _namespaces() -> list[str]:
    ns = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if os.geteuid() != 0:
        ns.insert(0, "--unshare-user")
    return ns


def stage_library(dest: Path) -> Path:
    """Copy ``mhsm_lessons`` to ``dest/mhsm_lessons`` for the grading kernel, without its answer key.

    ``labs/`` is replaced by a module that lists each lab's questions (id, title, answer variable, hints) and
    nothing that computes an answer; ``grading/`` and ``authoring/`` are left out. Returns ``dest``.
    """
    import mhsm_lessons

    src = Path(mhsm_lessons.__file__).resolve().parent
    pkg = dest / "mhsm_lessons"
    shutil.copytree(src, pkg, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "labs", "grading",
                                                            "authoring"))
    (pkg / "labs").mkdir()
    (pkg / "labs" / "__init__.py").write_text(_labs_stub(), encoding="utf-8")
    _stage_font_cache(dest)
    for path in [dest, *dest.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest


def _stage_font_cache(dest: Path) -> Path | None:
    """Write matplotlib's font list (``fontlist-v<N>.json``, the cache it would otherwise rebuild by reading every
    system font file) to ``dest``, once per run; each kernel gets its own writable copy (see
    :func:`font_cache`). Every kernel starts with an empty private ``MPLCONFIGDIR``, so without the copy each one
    rebuilt the list: about 0.2 s per submission with this machine's 39 fonts, more on a desktop with hundreds.
    Returns the file, or None when matplotlib is missing or the list cannot be written (kernels then build it).
    """
    try:
        from matplotlib import font_manager
    except ImportError:
        return None
    target = dest / f"fontlist-v{font_manager.FontManager.__version__}.json"
    font_manager.json_dump(font_manager.fontManager, str(target))  # logs (never raises) when it cannot write
    return target if target.is_file() else None


def font_cache(lib: Path) -> Path | None:
    """The font list staged in ``lib`` by :func:`stage_library`, if any."""
    found = sorted(lib.glob("fontlist-v*.json"))
    return found[-1] if found else None


def _labs_stub() -> str:
    from ..labs import LABS

    labs = {lab_id: {"title": s.title, "datasets": list(s.datasets), "solution_path": s.solution_path,
                     "questions": [{"qid": q.qid, "title": q.title, "variable": q.variable, "hints": list(q.hints)}
                                   for q in s.questions]} for lab_id, s in LABS.items()}
    return ('"""Grading copy of the lab list: question ids, titles, answer variables and hints; no answers."""\n'
            "from ..practice.checks import Question\nfrom ..practice.spec import LabSpec\n\n"
            f"_LABS = {labs!r}\n"
            "LABS = {k: LabSpec(k, v['title'], tuple(v['datasets']), tuple(Question(q['qid'], q['title'], "
            "q['variable'], None, None, hints=tuple(q['hints'])) for q in v['questions']), v['solution_path']) "
            "for k, v in _LABS.items()}\n")


def kernel_env(home: str, lib: str, tmp: str) -> dict[str, str]:
    """The whole environment of a grading kernel (nothing of the instructor's is passed on)."""
    return {"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin", "HOME": home,
            "PYTHONPATH": lib, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": f"{tmp}/matplotlib", "IPYTHONDIR": f"{tmp}/ipython", "JUPYTER_CONFIG_DIR":
            f"{tmp}/jupyter", "JUPYTER_PLATFORM_DIRS": "1", "MHSM_GRADING": "1", "MHSM_CHECK_LOG": "",
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1", "TMPDIR": tmp, "USER": "student"}


_LIMITER = ("import os,resource as r,sys\n"
            "for k,v in ((r.RLIMIT_AS,int(sys.argv[1])),(r.RLIMIT_CPU,int(sys.argv[2])),(r.RLIMIT_FSIZE,"
            "int(sys.argv[3])),(r.RLIMIT_CORE,0),(r.RLIMIT_NPROC,int(sys.argv[4]))):\n"
            "    if v>=0:\n        try:\n            r.setrlimit(k,(v,v))\n        except (ValueError,OSError):\n"
            "            pass\n"
            "os.execv(sys.argv[5],sys.argv[5:])")


def limited(cmd: list[str], memory: int, cpu_seconds: int, nproc: int) -> list[str]:
    """``cmd`` started under resource limits (Linux; elsewhere the limits that exist are set)."""
    return [sys.executable, "-c", _LIMITER, str(memory or -1), str(cpu_seconds), str(FILE_BYTES), str(nproc),
            *cmd]


def _dirs_for(path: str, made: set[str]) -> list[str]:
    out = []
    parts = Path(path).parts
    for i in range(2, len(parts)):
        parent = str(Path(*parts[:i]))
        if parent not in made:
            made.add(parent)
            out += ["--perms", "0755", "--dir", parent]
    return out


def bwrap_command(kernel_cmd: list[str], *, lib: Path, kernel_dir: Path, notebook_fd: int, slot: int,
                  memory: int, cpu_seconds: int, font_fd: int | None = None, font_name: str = "") -> list[str]:
    """The full command that starts ``kernel_cmd`` (paths as seen inside) in a bubblewrap sandbox.

    ``font_fd``: an open file of the staged matplotlib font list, copied (not bound: the kernel may rewrite it)
    to ``/tmp/matplotlib/<font_name>``, the kernel's private ``MPLCONFIGDIR``."""
    cmd = ["bwrap", *_namespaces(), "--die-with-parent", "--clearenv"]
    made: set[str] = set()
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
            made.add(top)
    cmd += ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev"]
    for top in ("/bin", "/sbin", "/lib", "/lib64") :
        if top not in made and os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    etc = [p for p in ("/etc/ld.so.cache", "/etc/localtime", "/etc/ssl/certs") if os.path.exists(p)]
    made.update({"/usr", "/proc", "/dev", "/tmp", "/etc"})
    cmd += ["--perms", "0755", "--dir", "/etc"]
    for p in etc:
        cmd += ["--ro-bind", p, p]
    cmd += ["--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    if font_fd is not None:
        cmd += ["--perms", "1777", "--dir", "/tmp/matplotlib", "--perms", "0666", "--file", str(font_fd),
                f"/tmp/matplotlib/{font_name}"]
    roots = sorted({str(Path(p).resolve()) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)})
    for root in roots:
        if not root.startswith("/usr/") and root != "/usr":
            cmd += _dirs_for(root, made) + ["--ro-bind", root, root]
    venv_bin = str(Path(sys.executable).parent)  # the venv's own path, where its python link lives
    if not any(venv_bin == r or venv_bin.startswith(r + "/") for r in roots):
        cmd += _dirs_for(venv_bin, made) + ["--ro-bind", venv_bin, venv_bin]
    cmd += _dirs_for(SANDBOX_LIB, made) + ["--ro-bind", str(lib), SANDBOX_LIB]
    cmd += _dirs_for(SANDBOX_KERNEL_DIR, made) + ["--bind", str(kernel_dir), SANDBOX_KERNEL_DIR]
    cmd += _dirs_for(SANDBOX_HOME, made) + ["--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", SANDBOX_HOME,
                                            "--perms", "0666", "--file", str(notebook_fd),
                                            f"{SANDBOX_HOME}/submission.ipynb", "--chdir", SANDBOX_HOME]
    for key, value in kernel_env(SANDBOX_HOME, SANDBOX_LIB, "/tmp").items():
        cmd += ["--setenv", key, value]
    inner = limited(kernel_cmd, memory, cpu_seconds, NPROC if os.geteuid() == 0 else -1)
    if os.geteuid() == 0:
        uid = str(sandbox_uid(slot))
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--", "setpriv", "--reuid", uid,
                "--regid", uid, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--", *inner]
    else:
        cmd += ["--", *inner]
    return cmd


def sandbox_uid(slot: int) -> int:
    """The user id a sandboxed kernel runs as when the grader runs as root (one per parallel worker)."""
    return SANDBOX_UID_BASE + slot


def private_tmp(prefix: str, base: str | Path | None = None) -> Path:
    """A fresh temporary folder (in ``base``, else the temporary folder) whose path is short enough for the
    kernel's socket names."""
    limit = 40 if base is None else 60  # a socket path is at most 107 bytes: base + about 40 of ours
    base = str(base) if base is not None else tempfile.gettempdir()
    if len(base) > limit:
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))
