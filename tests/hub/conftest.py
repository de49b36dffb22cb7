"""Make the hub layer loud: its skip reason (node/npm missing) and its measured figures end the pytest report."""
from __future__ import annotations

import json


def pytest_terminal_summary(terminalreporter):
    from .test_hub import MEASUREMENTS, MISSING, NODE_SKIP
    ran = any("tests/hub/test_hub.py" in getattr(report, "nodeid", "")
              for key in ("passed", "failed", "skipped", "error")
              for report in terminalreporter.stats.get(key, []))
    if not ran:
        return
    if MISSING:
        terminalreporter.write_sep("!", "hub layer skipped", red=True, bold=True)
        terminalreporter.write_line(NODE_SKIP, red=True, bold=True)
    elif MEASUREMENTS.exists():
        terminalreporter.write_sep("-", "hub layer measurements (2 students, one after the other)")
        terminalreporter.write_line(json.dumps(json.loads(MEASUREMENTS.read_text())))
