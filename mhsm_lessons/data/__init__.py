"""Seeded synthetic datasets: the registry, loaders, data dictionaries and the ``datasets/`` export.

The implementation lives in :mod:`mhsm_lessons.data.registry`; the generators, one module per topic, in
:mod:`mhsm_lessons.data.generators`.
"""
from __future__ import annotations

from .registry import (DEFAULT_STUDENT_ID, FIELD_TYPES, GENERATOR_MODULES, DataDictionary, DatasetNotFoundError,
                       DatasetSpec, Field, check_datasets, datapackage, describe_dataset, export_datasets,
                       list_datasets, load_dataset, normalize_student_id, seed_for)

__all__ = ["Field", "DatasetSpec", "DataDictionary", "DatasetNotFoundError", "load_dataset", "list_datasets",
           "describe_dataset", "normalize_student_id", "seed_for", "export_datasets", "check_datasets", "datapackage",
           "DEFAULT_STUDENT_ID", "FIELD_TYPES", "GENERATOR_MODULES"]

DatasetNotFoundError.__module__ = __name__  # students see mhsm_lessons.data.DatasetNotFoundError in a traceback
