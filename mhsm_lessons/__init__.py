"""MHSM Lessons: datasets, reference calculations and practice checks for health services management labs.

Notebooks import only the public names listed in ``__all__``. Importing the package changes no global state.
"""
from __future__ import annotations

from .data import describe_dataset, list_datasets, load_dataset
from .lab import list_labs, start_lab

__version__ = "0.1.0"

__all__ = ["load_dataset", "list_datasets", "describe_dataset", "start_lab", "list_labs", "__version__"]
