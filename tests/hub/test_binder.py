"""binder/: the students' image. Only what students need, the root pins, the course installed non-editable."""
from __future__ import annotations

import os
import sys
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
    # That a non-editable install works with the repository out of sight is tests/test_wheel.py's job.
