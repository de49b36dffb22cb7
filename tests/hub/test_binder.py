"""binder/: the students' image. Only what students need, the root pins, the course installed non-editable."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from pins import read_pins  # noqa: E402

STUDENT_NEEDS = {"jupyterlab", "ipykernel", "ipywidgets", "numpy", "pandas", "scipy", "matplotlib", "nbgitpuller"}
DEVELOPERS_ONLY = {"pytest", "nbval", "hypothesis", "frictionless", "jupyterhub", "papermill", "nbclient"}


def test_binder_installs_what_students_need_at_the_root_pins():
    binder, root = read_pins(ROOT / "binder" / "environment.yml"), read_pins(ROOT / "environment.yml")
    assert STUDENT_NEEDS <= set(binder)
    assert not DEVELOPERS_ONLY & set(binder)
    assert {name: pin for name, pin in binder.items() if root.get(name) != pin} == {}
    text = (ROOT / "binder" / "environment.yml").read_text()
    assert "python=3.11" in text and "conda-forge" in text
    assert "-e ." not in text.replace("# ", "")  # never editable in the image


def test_postbuild_installs_the_course_non_editable():
    script = (ROOT / "binder" / "postBuild")
    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert "pip install --no-cache-dir --no-deps ." in text and " -e " not in text


def test_the_course_works_from_a_non_editable_install_when_the_source_is_gone(tmp_path):
    """Build the wheel, unpack it somewhere else, and start a lab with the repository out of sight."""
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("mhsm_lessons-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert not [n for n in names if n.startswith(("solutions/", "tests/", "exercises/"))]
    code = ("import mhsm_lessons, pathlib; "
            "print(pathlib.Path(mhsm_lessons.__file__).parent); "
            "lab = mhsm_lessons.start_lab('01_budgeting_lab', 's101'); "
            "print(lab.check('q1', lab.expected('q1')).status)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(site), "MHSM_CHECK_LOG": ""})
    assert run.returncode == 0, run.stderr[-2000:]
    where, status = run.stdout.split("\n")[:2]
    assert Path(where) == site / "mhsm_lessons" and status == "correct"
