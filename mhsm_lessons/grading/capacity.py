"""How much of this machine a local grading run may use: CPU cores and memory, as a container sees them.

A JupyterHub pod or a batch job often runs on a large host under a CPU and memory limit (a cgroup). The host's
core count and ``MemAvailable`` then overstate what the run may use, and too many workers get the pod killed for
its memory. These functions read the limits of the cgroups this process belongs to (v2, the unified hierarchy,
and v1) and keep the smallest along the path from its own cgroup up to the root.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

#: Memory one local worker may need: two kernels at once (the running one and the next, pre-started), each about
#: 190 MB of PSS for a lab at rest (``benchmarks/grading.py``), with room for a notebook's own data.
WORKER_MB = 400
#: cgroup v1 writes "no limit" as a huge number (the largest page-aligned 64-bit value); anything above this is none.
_NO_LIMIT = 2 ** 60


def _cgroup_dirs(controller: str, proc: Path, root: Path) -> list[Path]:
    """The folders of this process's cgroup for ``controller`` and of each parent up to the mount, most specific
    first: v2 (``0::/path`` under a unified mount) when that mount exists, else v1 (``N:cpu,cpuacct:/path``)."""
    try:
        lines = (proc / "self" / "cgroup").read_text(encoding="ascii").splitlines()
    except OSError:
        return []
    for line in lines:
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if number == "0" and controllers == "" and (root / "cgroup.controllers").exists():
            base = root
        elif controller in controllers.split(","):
            base = next((root / name for name in (controller, controllers) if (root / name).is_dir()), None)
            if base is None:
                continue
        else:
            continue
        here = base / path.strip("/") if path.strip("/") else base
        dirs = [here, *(p for p in here.parents if p == base or base in p.parents)]
        return [d for d in dirs if d.is_dir()]
    return []


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def cgroup_cpus(proc: Path = Path("/proc"), root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """The CPU limit of this process's cgroups in cores (quota / period: ``cpu.max`` in v2,
    ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us`` in v1), the smallest on the path; None when there is none."""
    limits = []
    for folder in _cgroup_dirs("cpu", proc, root):
        text = _read(folder / "cpu.max")
        if text is not None:
            quota, _, period = text.partition(" ")
        else:
            quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
        try:
            q, p = int(quota), int(period)
        except (TypeError, ValueError):  # "max" (v2) or a missing file: no limit here
            continue
        if q > 0 and p > 0:
            limits.append(q / p)
    return min(limits) if limits else None


def cgroup_memory_mb(proc: Path = Path("/proc"), root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """Memory this process's cgroups still allow, in MB (limit minus usage: ``memory.max`` and
    ``memory.current`` in v2, ``memory.limit_in_bytes`` and ``memory.usage_in_bytes`` in v1), the smallest on
    the path; None when no cgroup limits it."""
    room = []
    for folder in _cgroup_dirs("memory", proc, root):
        limit = _read(folder / "memory.max") or _read(folder / "memory.limit_in_bytes")
        used = _read(folder / "memory.current") or _read(folder / "memory.usage_in_bytes")
        try:
            limit_b = int(limit)
        except (TypeError, ValueError):  # "max" (v2): no limit here
            continue
        if limit_b >= _NO_LIMIT:
            continue
        try:
            used_b = int(used)
        except (TypeError, ValueError):
            used_b = 0
        room.append(max(0, limit_b - used_b) / 2 ** 20)
    return min(room) if room else None


def usable_cores() -> int:
    """The CPU cores this process may use: its affinity, lowered to a cgroup CPU limit (rounded down, at least 1)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    quota = cgroup_cpus()
    if quota is not None:
        cores = min(cores, math.floor(quota))
    return max(1, cores)


def available_mb() -> float | None:
    """Memory available for new processes, in MB: ``MemAvailable`` of /proc/meminfo, lowered to what this
    process's cgroup still allows; None when neither is known."""
    found = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    found = int(line.split()[1]) / 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    limit = cgroup_memory_mb()
    if limit is not None:
        found = limit if found is None else min(found, limit)
    return found


def worker_count(requested: int, submissions: int, cores: int, memory_mb: float | None) -> tuple[int, str | None]:
    """How many local workers to run, and the note to print when fewer than ``requested`` are used.

    At most one per submission, four per usable core, and as many as ``memory_mb`` holds at ``WORKER_MB`` each:
    more would only compete for the cores or push the machine into swap (where the out-of-memory killer may stop
    the instructor's own programs, or a hub its pod). The default (``--workers`` not given) is one per two cores.

    >>> worker_count(2, 30, 2, 16000.0)
    (2, None)
    >>> worker_count(3, 2, 8, None)
    (2, None)
    >>> worker_count(64, 600, 2, 16000.0)[0]
    8
    """
    most = 4 * cores
    if memory_mb is not None:
        most = min(most, max(1, int(memory_mb // WORKER_MB)))
    if requested <= most or submissions <= most:
        return min(requested, submissions), None
    memory = "" if memory_mb is None else f" and {memory_mb / 1024:.1f} GB of memory available"
    return most, (f"Using {most} worker{'s' if most != 1 else ''}, not {requested}: each worker runs two kernels at "
                  f"once (about {WORKER_MB} MB), and this machine has {cores} usable CPU core"
                  f"{'s' if cores != 1 else ''}{memory}; more workers would only compete for them.")
