"""The package works from a built wheel installed outside the repository (no repo files needed at run time)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import pathlib, sys
import mhsm_lessons
from mhsm_lessons import describe_dataset, list_datasets, load_dataset, start_lab
site = pathlib.Path(sys.argv[1]).resolve()
assert pathlib.Path(mhsm_lessons.__file__).resolve().is_relative_to(site), mhsm_lessons.__file__
assert load_dataset("medsurg_labor", "s001").equals(load_dataset("medsurg_labor", "s001"))
assert len(list_datasets()) >= 2 and "medsurg_labor" in str(describe_dataset("medsurg_labor"))
lab = start_lab("01_budgeting_lab", "s001")
assert lab.check("q1", lab.expected("q1")).status == "correct"
from mhsm_lessons.cli import main
assert main(["data", "export", "--out", "exported"]) == 0
print("wheel ok", len(list(pathlib.Path("exported").glob("*.csv"))))
"""


def test_built_wheel_works_outside_the_repository(tmp_path):
    dist, site, work = tmp_path / "dist", tmp_path / "site", tmp_path / "elsewhere"
    work.mkdir()
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("mhsm_lessons-*.whl"))
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site),
                              str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(site)], cwd=work, capture_output=True, text=True,
                         timeout=300, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg",
                              "MHSM_CHECK_LOG": ""})
    assert run.returncode == 0, run.stderr[-3000:]
    last = run.stdout.splitlines()[-1]
    assert last.startswith("wheel ok ") and int(last.split()[-1]) >= 2
