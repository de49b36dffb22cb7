"""The exercise records the library version it was released with; an older installed library is warned about."""
from __future__ import annotations

import pytest

from mhsm_lessons.practice.compat import library_version_warning, stamp_required_version, version_tuple


@pytest.mark.parametrize("required, installed, warns", [
    ("0.2.0", "0.1.0", True), ("0.1.1", "0.1.0", True), ("0.10.0", "0.9.9", True), ("1.0", "0.99.1", True),
    ("0.1.0", "0.1.0", False), ("0.1", "0.1.0", False), ("0.1.0", "0.2.0", False), ("0.1.0", "0.1.0.dev1", False),
    (None, "0.1.0", False), ("", "0.1.0", False), ("garbage", "0.1.0", False), ("0.2.0", "unknown", False),
])
def test_older_installed_library_warns(required, installed, warns):
    assert (library_version_warning(required, installed=installed) is not None) == warns


def test_the_warning_text():
    assert library_version_warning("0.2.0", installed="0.1.0") == (
        "WARNING: this exercise was released with mhsm_lessons 0.2.0, but this computer has 0.1.0. Some checks may "
        "be missing or give different messages. Tell your instructor: the course image (or your installation) "
        "needs updating to mhsm_lessons 0.2.0 or later.")
    assert library_version_warning("0.0.1") is None  # the installed library is newer


def test_stamping_the_setup_cell():
    setup = ('import pandas as pd\nfrom mhsm_lessons import start_lab\n\n'
             'lab = start_lab("01_budgeting_lab", student_id=STUDENT_ID)\nlabor = lab.data("medsurg_labor")')
    stamped = stamp_required_version(setup, "0.3.0")
    assert stamped == setup.replace("STUDENT_ID)", 'STUDENT_ID, requires="0.3.0")')
    assert stamp_required_version(stamped, "0.3.0") == stamped  # idempotent
    assert stamp_required_version(stamped, "0.4.0") == setup.replace("STUDENT_ID)", 'STUDENT_ID, requires="0.4.0")')
    assert stamp_required_version("lab = start_lab()", "1.0") == 'lab = start_lab(requires="1.0")'
    assert stamp_required_version("x = 1", "1.0") == "x = 1"
    compile(stamped, "setup", "exec")


def test_the_released_exercise_setup_cell_stamps_cleanly():
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    for path in (root / "exercises").glob("*.ipynb"):
        cells = json.loads(path.read_text())["cells"]
        setup = ["".join(c["source"]) for c in cells if "setup" in c["metadata"].get("tags", [])
                 and "start_lab(" in "".join(c["source"])]
        assert len(setup) == 1, path
        stamped = stamp_required_version(setup[0], "9.9.9")
        assert stamped.count('requires="9.9.9"') == 1
        compile(stamped, str(path), "exec")


def test_version_tuple():
    assert version_tuple("0.1.0") < version_tuple("0.10.0")
