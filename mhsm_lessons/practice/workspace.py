"""A student's own copy of a lab: ``mhsm start 01`` copies ``exercises/01_budgeting_lab.ipynb`` into ``work/``.

``exercises/`` stays exactly as :mod:`mhsm_lessons.authoring.release` wrote it (JupyterLab autosaves whatever
notebook is open, and ``mhsm release`` rewrites ``exercises/``), so students answer in ``work/``, a folder git
ignores. An existing copy is never overwritten: it holds the student's answers.
"""
from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["WORK_DIR", "resolve_lab", "start_exercise"]

WORK_DIR = "work"


def resolve_lab(name: str, exercises: Path) -> Path:
    """The exercise notebook that ``name`` ("01", "1", "01_budgeting_lab" or "budgeting") names.

    Raises
    ------
    ValueError
        When no exercise, or more than one, matches; the message lists the labs.
    """
    labs = sorted(exercises.glob("*_lab.ipynb"))
    key = str(name).strip().lower().removesuffix(".ipynb")
    if key.isdigit():
        key = f"{int(key):02d}"
    hits = [p for p in labs if p.stem == key or p.stem.split("_")[0] == key or key in p.stem.split("_")[1:-1]]
    if len(hits) != 1:
        names = ", ".join(p.stem for p in labs) or "none"
        raise ValueError(f"No single lab matches {name!r}. The labs are: {names}. For example: mhsm start 01")
    return hits[0]


def start_exercise(name: str, root: Path, work: str = WORK_DIR) -> tuple[Path, bool]:
    """Copy the exercise ``name`` into ``root/work/``; return (path of the copy, whether it was created now).

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "exercises").mkdir()
    >>> _ = (root / "exercises" / "01_budgeting_lab.ipynb").write_text("{}")
    >>> path, created = start_exercise("01", root)
    >>> path.relative_to(root).as_posix(), created
    ('work/01_budgeting_lab.ipynb', True)
    >>> start_exercise("budgeting", root)[1]
    False
    """
    source = resolve_lab(name, Path(root) / "exercises")
    dest_dir = Path(root) / work
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / source.name
    if dest.exists():
        return dest, False
    shutil.copyfile(source, dest)
    return dest, True
