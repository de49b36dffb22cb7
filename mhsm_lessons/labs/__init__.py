"""Practice-check definitions for each lab, keyed by the lab notebook's stem.

Each module here defines ``LAB``, a :class:`mhsm_lessons.practice.spec.LabSpec`; adding a lab means adding a
module (for example ``revenue_cycle.py`` for ``02_revenue_cycle_lab``). Nothing here imports back up.
"""
from __future__ import annotations

import importlib
import pkgutil

LABS = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    _lab = importlib.import_module(f"{__name__}.{_info.name}").LAB
    LABS[_lab.lab_id] = _lab
