"""Practice-check definitions for each lab, keyed by the lab notebook's stem."""
from __future__ import annotations

from .budgeting import LAB as _BUDGETING

LABS = {lab.lab_id: lab for lab in (_BUDGETING,)}
