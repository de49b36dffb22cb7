"""MHSM Lessons: datasets, reference calculations and practice checks for health services management labs.

The public surface is small: the data layer, the lab entry point, and one module per topic
(``finance``, ``revenue_cycle``, ``quality``, ``spc``, ``careers``), loaded on first use so that importing the
package stays fast and changes no global state.

>>> import mhsm_lessons
>>> mhsm_lessons.finance.variance_label(1200, "expense")
'Unfavorable'
"""
from __future__ import annotations

import importlib

from .data import describe_dataset, list_datasets, load_dataset
from .practice.session import list_labs, start_lab

__version__ = "0.1.0"

#: The reference calculations students import, plus ``viz`` (charts and explorers); each loads on first use.
TOPIC_MODULES = ("finance", "revenue_cycle", "quality", "spc", "careers", "viz")

__all__ = ["load_dataset", "list_datasets", "describe_dataset", "start_lab", "list_labs", "__version__",
           *TOPIC_MODULES]


def __getattr__(name: str):
    if name in TOPIC_MODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'mhsm_lessons' has no attribute {name!r}. Its public names are: "
                         f"{', '.join(__all__)}.")
