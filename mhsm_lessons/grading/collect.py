"""Reading submissions: notebooks, lab ids, student ids, the roster, the points and the settings."""
from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ._common import GradingError


_START_LAB = re.compile(r"""start_lab\(\s*(?:lab_id\s*=\s*)?["']([^"']+)["']""")


def _parse_notebook(raw: bytes):
    """Return (notebook, None) or (None, detail) for a submission's bytes."""
    import nbformat

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON at line {exc.lineno}, column {exc.colno}"
    except RecursionError:
        return None, "JSON nested too deeply"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "nbformat" not in data:
        return None, "JSON, but not in the notebook format"
    try:
        nb = nbformat.reads(text, as_version=4)
        for cell in nb.cells:
            if not isinstance(cell.get("source", ""), str) or cell.get("cell_type") not in (
                    "code", "markdown", "raw"):
                raise ValueError("bad cell")
    except Exception:  # noqa: BLE001 - any malformed notebook
        return None, "JSON, but not in the notebook format"
    return nb, None


def notebook_lab(nb) -> str | None:
    """The lab a notebook belongs to: its ``mhsm.lab`` metadata, else the first ``start_lab("...")`` call."""
    meta = nb.metadata.get("mhsm")
    if isinstance(meta, dict) and isinstance(meta.get("lab"), str):
        return meta["lab"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = _START_LAB.search(cell.source)
            if found:
                return found.group(1)
    return None


def student_id_from_notebook(nb) -> str | None:
    """The ``STUDENT_ID = "..."`` string in the notebook's ``parameters`` cell (read, never executed), if set.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('STUDENT_ID = " s042 "  # mine',
    ...                                      metadata={"tags": ["parameters"]})])
    >>> student_id_from_notebook(nb)
    's042'
    """
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        found = None
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id == "STUDENT_ID" and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, (str, int)) and not isinstance(node.value.value, bool)):
                found = str(node.value.value).strip()
        if found:
            return found
    return None


def student_id_from_filename(path: Path, lab_id: str) -> str:
    """A student id from a submission's file name: the stem without the lab id, else the folder's name.

    Punctuation inside the id is kept, so ``jane-smith`` and ``jane.smith`` stay two students.

    >>> student_id_from_filename(Path("in/s042_01_budgeting_lab.ipynb"), "01_budgeting_lab")
    's042'
    >>> student_id_from_filename(Path("in/s042/01_budgeting_lab.ipynb"), "01_budgeting_lab")
    's042'
    >>> student_id_from_filename(Path("jane.smith - 01_budgeting_lab.ipynb"), "01_budgeting_lab")
    'jane.smith'
    """
    rest = _file_id(path, lab_id)
    return rest or path.parent.name or path.stem


def _file_id(path: Path, lab_id: str) -> str:
    stem = path.name[: -len(".ipynb")] if path.name.endswith(".ipynb") else path.stem
    rest = stem.replace(lab_id, " ")
    return re.sub(r"^[\s_\-.]+|[\s_\-.]+$", "", rest)


_STRAY = re.compile(r"(-Copy\d*|\s\(\d+\)|\.checkpoint)$|^Untitled\d*$", re.IGNORECASE)


def stray_kind(path: Path) -> str | None:
    """Why a file is a stray copy Jupyter or a download made, not a submission (None: it is a submission).

    >>> stray_kind(Path("a/.ipynb_checkpoints/01_budgeting_lab-checkpoint.ipynb"))
    'a Jupyter checkpoint'
    >>> stray_kind(Path("s042_01_budgeting_lab-Copy1.ipynb")), stray_kind(Path("Untitled3.ipynb"))
    ('a copy (-Copy)', 'an untitled notebook')
    """
    stem = path.name[: -len(".ipynb")] if path.name.endswith(".ipynb") else path.stem
    if ".ipynb_checkpoints" in path.parts or stem.endswith("-checkpoint"):
        return "a Jupyter checkpoint"
    if re.search(r"-Copy\d*$", stem, re.IGNORECASE):
        return "a copy (-Copy)"
    if re.match(r"^Untitled\d*$", stem, re.IGNORECASE):
        return "an untitled notebook"
    return None


@dataclass(frozen=True)
class RosterEntry:
    """One roster row: the student id and, when given, name, section, Canvas ids and a file name."""

    student_id: str
    name: str = ""
    section: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    file: str = ""


def read_roster(path: str | Path) -> list[RosterEntry]:
    """Read a roster CSV: a ``student_id`` column, optionally ``name``, ``section``, ``file``, ``canvas_id``,
    ``sis_user_id`` and ``sis_login_id``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise GradingError(f"Cannot read the roster {path} ({exc.strerror or exc}). Check the path.") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "student_id" not in fields:
        raise GradingError(f"The roster {path} has no 'student_id' column. Its columns are: "
                           f"{', '.join(fields) or 'none'}. Add a header row with student_id (and optionally "
                           "name, section, file, canvas_id, sis_user_id, sis_login_id).")
    entries = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if row.get("student_id"):
            entries.append(RosterEntry(**{k: row.get(k, "") for k in RosterEntry.__dataclass_fields__}))
    return entries


def read_points(solution: str | Path, spec) -> dict[str, float]:
    """Points per question from the solution notebook's ``mhsm.points`` metadata, checked against the lab."""
    import nbformat

    solution = Path(solution)
    if not solution.exists():
        raise GradingError(f"The solution notebook {solution} does not exist. Points per question are read from "
                           "it: run mhsm grade from the course folder or pass --solution PATH.")
    nb = nbformat.read(solution, as_version=4)
    meta = nb.metadata.get("mhsm", {})
    points = meta.get("points") if isinstance(meta, dict) else None
    if not isinstance(points, dict):
        raise GradingError(f"{solution} has no points: add notebook metadata "
                           '"mhsm": {"lab": "...", "points": {"q1": 1, ...}}.')
    missing = [q for q in spec.qids if q not in points]
    unknown = [q for q in points if q not in spec.qids]
    if missing or unknown:
        raise GradingError(f"The points in {solution} do not match lab {spec.lab_id!r}: "
                           + "; ".join(p for p in (f"missing {', '.join(missing)}" if missing else "",
                                                   f"unknown {', '.join(unknown)}" if unknown else "") if p)
                           + f". The lab's questions are {', '.join(spec.qids)}.")
    bad = [q for q, p in points.items() if isinstance(p, bool) or not isinstance(p, (int, float)) or p < 0]
    if bad:
        raise GradingError(f"The points for {', '.join(bad)} in {solution} are not non-negative numbers.")
    return {q: float(points[q]) for q in spec.qids}


# Settings, submissions and results.

@dataclass(frozen=True)
class GradeSettings:
    """Limits of a grading run. Defaults suit a classroom laptop; tests use shorter limits."""

    cell_timeout: float = 120.0
    notebook_timeout: float = 600.0
    memory_mb: int = 4096
    workers: int = 0  # 0: one per CPU core

    @property
    def n_workers(self) -> int:
        return max(1, self.workers or os.cpu_count() or 1)


@dataclass
class Submission:
    """One file found: read once for its hash, lab and ids, then let go (re-read when it is run)."""

    path: Path
    name: str  # the path as shown to the instructor (relative to the folder given)
    sha256: str
    mtime: float
    in_folder: bool = True
    parse_error: str | None = None
    lab: str | None = None
    notebook_id: str | None = None  # STUDENT_ID in the parameters cell (read, never run)
    student_id: str = ""
    roster: RosterEntry | None = None
    kind: str = "submission"  # or "stray" or "unmatched"
    note: str = ""  # identity remarks for the reason column


def _collect(paths) -> list[tuple[Path, str, bool]]:
    """Every ``*.ipynb`` under the folders given (checkpoints included, to be listed), and the files given:
    ``(path, name shown to the instructor, found in a folder)``."""
    found: list[tuple[Path, str, bool]] = []
    for arg in map(Path, paths):
        if arg.is_dir():
            for path in sorted(arg.rglob("*.ipynb")):
                if path.is_file() and not path.is_symlink():
                    found.append((path, path.relative_to(arg).as_posix(), True))
        elif arg.is_file():
            found.append((arg, arg.name, False))
        else:
            raise GradingError(f"No such file or folder: {arg}. Give submitted notebooks or folders of them.")
    seen, unique = set(), []
    for path, name, in_folder in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, name, in_folder))
    return unique
