"""The cores and memory a local grading run may use, read as a container sees them (cgroup v2 and v1)."""
from __future__ import annotations

from pathlib import Path

import pytest

from mhsm_lessons.grading import capacity


def _tree(tmp_path: Path, cgroup_lines: str, files: dict[str, str], unified: bool) -> tuple[Path, Path]:
    proc, root = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "cgroup").write_text(cgroup_lines, encoding="ascii")
    root.mkdir()
    if unified:
        (root / "cgroup.controllers").write_text("cpu memory pids\n", encoding="ascii")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="ascii")
    return proc, root


def test_a_kubernetes_pod_under_cgroup_v2_is_read_to_its_tightest_limit(tmp_path):
    # a hub pod limited to 2 CPUs and 2 GiB (half used); its container adds no limit of its own
    proc, root = _tree(tmp_path, "0::/kubepods/pod1/c1\n", {
        "kubepods/pod1/cpu.max": "200000 100000", "kubepods/pod1/c1/cpu.max": "max 100000",
        "kubepods/pod1/memory.max": "2147483648", "kubepods/pod1/memory.current": "1073741824",
        "kubepods/pod1/c1/memory.max": "max", "kubepods/pod1/c1/memory.current": "1000000",
        "kubepods/memory.max": "8589934592", "kubepods/memory.current": "4294967296"}, unified=True)
    assert capacity.cgroup_cpus(proc, root) == 2.0
    assert capacity.cgroup_memory_mb(proc, root) == 1024.0  # 2 GiB - 1 GiB used, tighter than 8 - 4 GiB


def test_a_docker_container_under_cgroup_v1(tmp_path):
    proc, root = _tree(tmp_path, "5:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n", {
        "memory/docker/abc/memory.limit_in_bytes": "1073741824",
        "memory/docker/abc/memory.usage_in_bytes": "268435456",
        "memory/memory.limit_in_bytes": "9223372036854771712",
        "cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "150000", "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000",
        "cpu,cpuacct/cpu.cfs_quota_us": "-1", "cpu,cpuacct/cpu.cfs_period_us": "100000"}, unified=False)
    assert capacity.cgroup_cpus(proc, root) == 1.5
    assert capacity.cgroup_memory_mb(proc, root) == 768.0


@pytest.mark.parametrize("lines, files, unified", [
    ("0::/\n", {"cpu.max": "max 100000", "memory.max": "max"}, True),                     # v2, no limits
    ("4:memory:/\n1:cpu:/\n", {"memory/memory.limit_in_bytes": "9223372036854771712",
                               "cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"}, False),
    ("0::/\n", {}, False),                                                                 # nothing mounted
    ("garbage\n", {"cpu.max": "nonsense"}, True),
])
def test_no_limit_or_nothing_readable_is_none(tmp_path, lines, files, unified):
    proc, root = _tree(tmp_path, lines, files, unified)
    assert capacity.cgroup_cpus(proc, root) is None
    assert capacity.cgroup_memory_mb(proc, root) is None


def test_the_host_count_is_lowered_to_the_container_limit(monkeypatch):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(64)))
    monkeypatch.setattr(capacity, "cgroup_cpus", lambda: 1.5)
    assert capacity.usable_cores() == 1  # 1.5 CPUs of quota: one whole core
    monkeypatch.setattr(capacity, "cgroup_cpus", lambda: 6.0)
    assert capacity.usable_cores() == 6
    monkeypatch.setattr(capacity, "cgroup_cpus", lambda: None)
    assert capacity.usable_cores() == 64
    monkeypatch.setattr(capacity, "cgroup_memory_mb", lambda: 512.0)
    assert capacity.available_mb() == 512.0  # the host's MemAvailable is larger than what the pod may use
    # a 64-core node, a 2-CPU pod with 1 GiB left: --workers 16 becomes 2
    assert capacity.worker_count(16, 40, 2, 1024.0) == (2, (
        "Using 2 workers, not 16: each worker runs two kernels at once (about 400 MB), and this machine has 2 "
        "usable CPU cores and 1.0 GB of memory available; more workers would only compete for them."))
