"""What a notebook pays to import: heavy modules load only when a step needs them (issue: grading speed).

Measured in a fresh interpreter, because a module loaded once stays in ``sys.modules`` for the rest of a test
run. Times are in ``benchmarks/`` (tests never assert on wall-clock time); these tests assert on which modules
load, which is what the time follows.
"""
from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import json, sys
import mhsm_lessons
from mhsm_lessons import list_datasets, load_dataset, quality, spc
heavy = ("matplotlib", "scipy", "ipywidgets", "IPython")
seen = {"import": sorted(m for m in heavy if m in sys.modules)}
for name in list_datasets()["name"]:
    load_dataset(name, student_id="probe")
rates = [0.31, 0.28, 0.35, 0.30, 0.27, 0.33, 0.29, 0.36, 0.25, 0.32, 0.30, 0.34, 0.22, 0.21, 0.20, 0.19]
spc.run_chart(rates, rules="anhoej")
spc.run_chart(rates, rules="ihi")
spc.p_chart([12, 15, 11, 14, 13, 16, 12, 11, 15, 13, 14, 12], [200] * 12)
quality.funnel_limits([5000, 20000], 3.0)
quality.sir_confidence_interval(6, 7.5)
seen["used"] = sorted(m for m in sys.modules if m in ("scipy.stats", "matplotlib", "ipywidgets"))
print(json.dumps(seen))
"""


def test_importing_the_library_loads_no_plotting_widget_or_scipy_module():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["import"] == []
    # every dataset, run charts, p chart, funnel and SIR interval: none needs scipy.stats (about half a second to
    # import in a kernel) or a plotting module
    assert seen["used"] == []
