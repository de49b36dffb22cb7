"""Seeded synthetic datasets: the registry, loaders, data dictionaries and the ``datasets/`` export.

Every dataset is produced by a generator in :mod:`mhsm_lessons.data.generators`. A generator is a plain function
``generator(rng) -> DataFrame`` that draws every random number from the ``numpy.random.Generator`` it is given,
so the same dataset name and student id give the same frame on every platform. The default student id
reproduces the files in ``datasets/`` exactly (``mhsm data export --check`` verifies it).

Examples
--------
>>> from mhsm_lessons import load_dataset, list_datasets
>>> "medsurg_labor" in list_datasets()["name"].tolist()
True
>>> a = load_dataset("medsurg_labor", student_id="s001")
>>> b = load_dataset("medsurg_labor", student_id="s001")
>>> a.equals(b)
True
>>> a.equals(load_dataset("medsurg_labor", student_id="s002"))
False
"""
from __future__ import annotations

import difflib
import hashlib
import html
import importlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .._html import table_html

__all__ = [
    "Field",
    "DatasetSpec",
    "DataDictionary",
    "DatasetNotFoundError",
    "load_dataset",
    "list_datasets",
    "describe_dataset",
    "normalize_student_id",
    "seed_for",
    "export_datasets",
    "check_datasets",
    "datapackage",
]

#: Modules that define ``DATASETS: list[DatasetSpec]``. Imported lazily, on first use of the registry.
GENERATOR_MODULES = (
    "mhsm_lessons.data.generators.budgeting",
    "mhsm_lessons.data.generators.revenue_cycle",
    "mhsm_lessons.data.generators.quality",
    "mhsm_lessons.data.generators.spc",
    "mhsm_lessons.data.generators.careers",
)

#: Frictionless Table Schema field types a dataset may use.
FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "yearmonth")

DEFAULT_STUDENT_ID = "default"
DATA_LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/"}


class DatasetNotFoundError(ValueError):
    """Raised when a dataset name is not in the registry; the message lists the valid names."""


@dataclass(frozen=True)
class Field:
    """One column of a dataset, as it appears in the data dictionary and in ``datapackage.json``."""

    name: str
    label: str
    type: str
    unit: str
    description: str

    def __post_init__(self):
        if self.type not in FIELD_TYPES:
            raise ValueError(f"Field {self.name!r}: type {self.type!r} is not one of {FIELD_TYPES}.")


@dataclass(frozen=True)
class DatasetSpec:
    """A registered dataset: its documentation and the seeded generator that makes it.

    ``seed_group`` lets related datasets share one random stream (for example a claims file and the monthly
    A/R snapshot computed from it), so that they stay consistent with each other for every student id.
    Set ``synthetic=False`` only for curated public figures (for example BLS statistics); such a generator
    ignores its ``rng`` and every student gets the same frame.
    """

    name: str
    title: str
    description: str
    modelled_on: str
    module: str
    fields: tuple[Field, ...]
    generator: Callable[[np.random.Generator], pd.DataFrame]
    seed_group: str = ""
    synthetic: bool = True
    sources: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        return self.seed_group or self.name

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


@lru_cache(maxsize=1)
def _registry() -> dict[str, DatasetSpec]:
    specs: dict[str, DatasetSpec] = {}
    for module_name in GENERATOR_MODULES:
        module = importlib.import_module(module_name)
        for spec in module.DATASETS:
            if spec.name in specs:
                raise RuntimeError(f"Dataset {spec.name!r} is registered twice.")
            specs[spec.name] = spec
    return specs


def _spec(name) -> DatasetSpec:
    registry = _registry()
    if isinstance(name, str) and name in registry:
        return registry[name]
    valid = sorted(registry)
    close = difflib.get_close_matches(str(name), valid, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise DatasetNotFoundError(
        f"There is no dataset called {name!r}.{hint} The available datasets are: {', '.join(valid)}. "
        "Run list_datasets() to see what each one holds."
    )


def normalize_student_id(student_id=None) -> str:
    """Return the canonical form of a student id: lower case, runs of spaces folded to one, or ``"default"`` when blank.

    Ids that differ only in capital letters or spacing get the same data: ``"S042"`` is ``"s042"`` and
    ``"Jane  Doe"`` is ``"jane doe"``.

    >>> normalize_student_id(None), normalize_student_id("  "), normalize_student_id(" s042 "), normalize_student_id(42)
    ('default', 'default', 's042', '42')
    >>> normalize_student_id("S042"), normalize_student_id("Jane  Doe"), normalize_student_id("jane doe")
    ('s042', 'jane doe', 'jane doe')
    """
    if student_id is None or student_id is ...:
        return DEFAULT_STUDENT_ID
    if isinstance(student_id, bool) or not isinstance(student_id, (str, int, np.integer)):
        raise TypeError(
            f"A student id should be text such as 's042' or a whole number; you gave {type(student_id).__name__} "
            f"{student_id!r}. Put your id in quotes, for example STUDENT_ID = 's042'."
        )
    text = " ".join(str(student_id).split()).lower()
    return text if text else DEFAULT_STUDENT_ID


def seed_for(group: str, student_id=None) -> int:
    """The 64-bit seed for a dataset group and student id (SHA-256 based, identical on every platform).

    >>> seed_for("medsurg", None) == seed_for("medsurg", "default") == seed_for("medsurg", "")
    True
    >>> seed_for("medsurg", "s001") != seed_for("medsurg", "s002")
    True
    """
    sid = normalize_student_id(student_id)
    digest = hashlib.sha256(f"mhsm-lessons|{group}|{sid}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little")


@lru_cache(maxsize=64)
def _generate(name: str, sid: str) -> pd.DataFrame:
    spec = _spec(name)
    rng = np.random.default_rng(seed_for(spec.group, sid))
    frame = spec.generator(rng)
    if list(frame.columns) != spec.columns:
        raise RuntimeError(
            f"Generator for {name!r} returned columns {list(frame.columns)}, but its data dictionary lists "
            f"{spec.columns}."
        )
    return frame.reset_index(drop=True)


def load_dataset(name: str, student_id=None) -> pd.DataFrame:
    """Return a fresh copy of a synthetic dataset for one student.

    Parameters
    ----------
    name : str
        A dataset name from :func:`list_datasets`.
    student_id : str or int, optional
        Your student id. Blank or None gives the course's default data (the files in ``datasets/``).

    Returns
    -------
    pandas.DataFrame
        The same frame for the same ``name`` and ``student_id`` on every run and platform.

    Examples
    --------
    >>> df = load_dataset("medsurg_labor")
    >>> df.shape[0]
    72
    >>> load_dataset("medsurg_budget")
    Traceback (most recent call last):
    ...
    mhsm_lessons.data.DatasetNotFoundError: There is no dataset called 'medsurg_budget'...
    """
    return _generate(_spec(name).name, normalize_student_id(student_id)).copy()


def list_datasets() -> pd.DataFrame:
    """A table of every dataset: name, module, title, rows, and whether it is synthetic.

    >>> list_datasets().columns.tolist()
    ['name', 'module', 'title', 'synthetic']
    """
    rows = [
        {"name": s.name, "module": s.module, "title": s.title, "synthetic": s.synthetic}
        for s in _registry().values()
    ]
    return pd.DataFrame(rows, columns=["name", "module", "title", "synthetic"])


@dataclass
class DataDictionary:
    """What :func:`describe_dataset` returns: the title, the story of the data and one row per field."""

    name: str
    title: str
    description: str
    modelled_on: str
    synthetic: bool
    fields: pd.DataFrame = field(repr=False)
    sources: tuple[str, ...] = ()

    def _provenance(self) -> str:
        if self.synthetic:
            return f"Synthetic data, modelled on {self.modelled_on}. No real patient or employee appears."
        return f"Curated public figures (not synthetic): {self.modelled_on}."

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.title}", self.description, self._provenance(), ""]
        lines.append(self.fields.to_string(index=False))
        if self.sources:
            lines += ["", "Sources:"] + [f"  - {s}" for s in self.sources]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape
        parts = [f"<h4>{esc(self.name)}: {esc(self.title)}</h4>", f"<p>{esc(self.description)}</p>",
                 f"<p><em>{esc(self._provenance())}</em></p>",
                 table_html(self.fields, f"The fields of {self.name}", index=False)]
        if self.sources:
            parts.append("<p>Sources:</p><ul>" + "".join(f"<li>{esc(s)}</li>" for s in self.sources) + "</ul>")
        # Escape dollars as viz.style.escape_dollars does (data sits below viz, so it does not import it).
        return "\n".join(parts).replace("\\$", "$").replace("$", "\\$")


def describe_dataset(name: str) -> DataDictionary:
    """The data dictionary of a dataset: field, label, type, unit and description for every column.

    >>> d = describe_dataset("medsurg_labor")
    >>> d.fields.columns.tolist()
    ['field', 'label', 'type', 'unit', 'description']
    """
    spec = _spec(name)
    fields = pd.DataFrame(
        [{"field": f.name, "label": f.label, "type": f.type, "unit": f.unit, "description": f.description}
         for f in spec.fields]
    )
    return DataDictionary(spec.name, spec.title, spec.description, spec.modelled_on, spec.synthetic, fields,
                          spec.sources)


# --------------------------------------------------------------------------------------------------------------
# Export to datasets/ (default seed) and the drift check.

def _csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def datapackage() -> dict:
    """The Frictionless Data Package descriptor for every dataset (what ``datasets/datapackage.json`` holds)."""
    resources = []
    for spec in _registry().values():
        provenance = (f"Synthetic, modelled on {spec.modelled_on}." if spec.synthetic
                      else f"Not synthetic: curated public figures from {spec.modelled_on}.")
        resources.append({
            "name": spec.name,
            "path": f"{spec.name}.csv",
            "title": spec.title,
            "description": f"{spec.description} {provenance}",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "licenses": [DATA_LICENSE],
            "sources": [{"title": s} for s in spec.sources] or [{"title": "Generated by mhsm_lessons"}],
            "schema": {"fields": [
                {"name": f.name, "title": f.label, "type": f.type, "description": f.description,
                 **({"unit": f.unit} if f.unit else {})}
                for f in spec.fields
            ]},
            "mhsm:module": spec.module,
            "mhsm:synthetic": spec.synthetic,
        })
    return {
        "name": "mhsm-lessons-datasets",
        "title": "MHSM Lessons datasets (default student id)",
        "description": ("Datasets for the MHSM Lessons curriculum, exported with the default student id. "
                        "Synthetic resources are generated by committed, seeded code in mhsm_lessons.data.generators; "
                        "no real person appears. Regenerate with `mhsm data export`."),
        "licenses": [DATA_LICENSE],
        "resources": resources,
    }


def _datapackage_text() -> str:
    return json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"


def _expected_files() -> dict[str, str]:
    files = {f"{name}.csv": _csv_text(load_dataset(name)) for name in _registry()}
    files["datapackage.json"] = _datapackage_text()
    return files


def export_datasets(dest: str | Path) -> list[Path]:
    """Write every dataset (default student id) as CSV plus ``datapackage.json`` into ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in _expected_files().items():
        path = dest / filename
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(path)
        written.append(path)
    return written


def check_datasets(dest: str | Path) -> list[str]:
    """Compare ``dest`` with the generators; return one problem per line (empty when in step)."""
    dest = Path(dest)
    problems = []
    expected = _expected_files()
    for filename, text in expected.items():
        path = dest / filename
        if not path.exists():
            problems.append(f"{path}: missing (run `mhsm data export`)")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path}: differs from its generator (run `mhsm data export`, or revert the edit)")
    if dest.exists():
        for path in sorted(dest.glob("*.csv")):
            if path.name not in expected:
                problems.append(f"{path}: no generator makes this file (delete it, or register a dataset)")
    return problems
