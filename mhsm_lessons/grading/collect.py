"""Reading submissions: notebooks, lab ids, student ids, the roster, the points and the settings."""
from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
from collections import Counter
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


def _assigned_id(source: str) -> str | None:
    """The last top-level ``STUDENT_ID = "..."`` constant in a cell's code (read with ast, never run)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found = None
    for node in tree.body:
        if (isinstance(node, (ast.Assign, ast.AnnAssign))
                and any(isinstance(t, ast.Name) and t.id == "STUDENT_ID"
                        for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, (str, int))
                and not isinstance(node.value.value, bool)):
            found = str(node.value.value).strip()
    return found


def _assigns_id(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(isinstance(t, ast.Name) and t.id == "STUDENT_ID" for node in tree.body
               if isinstance(node, (ast.Assign, ast.AnnAssign))
               for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))


def student_id_from_notebook(nb) -> str | None:
    """The ``STUDENT_ID = "..."`` string the notebook sets (read, never executed), if any.

    The ``parameters`` cell first; when no cell carries that tag (Colab and VS Code may drop it) or it is blank,
    the first code cell that assigns ``STUDENT_ID`` a non-blank constant, found by reading the code.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('STUDENT_ID = " s042 "  # mine',
    ...                                      metadata={"tags": ["parameters"]})])
    >>> student_id_from_notebook(nb)
    's042'
    >>> untagged = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1\\nSTUDENT_ID = "s7"')])
    >>> student_id_from_notebook(untagged)
    's7'
    """
    tagged = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    for cell in tagged + [c for c in nb.cells if c.cell_type == "code" and c not in tagged]:
        found = _assigned_id(cell.source)
        if found:
            return found
    return None


def start_lab_id(nb) -> str | None:
    """The id a notebook passes to ``start_lab`` as a constant (``start_lab("01_budgeting_lab", "t043")`` or
    ``student_id="t043"``), read with ast; None when it passes a variable or nothing.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     'lab = start_lab("01_budgeting_lab", student_id="t043")')])
    >>> start_lab_id(nb)
    't043'
    """
    for cell in nb.cells:
        if cell.cell_type != "code" or "start_lab" not in cell.source:
            continue
        try:
            tree = ast.parse(cell.source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    == "start_lab"):
                continue
            args = node.args[1:2] + [k.value for k in node.keywords if k.arg == "student_id"]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, (str, int)) and str(arg.value).strip():
                    return str(arg.value).strip()
    return None


def injection_index(nb) -> int:
    """Where the grader's id cell goes: after the last ``parameters`` cell; without that tag, after the first
    code cell that assigns ``STUDENT_ID`` (found by reading the code) before the lab starts; else first."""
    at = None
    for i, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            at = i + 1
    if at is not None:
        return at
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if _assigns_id(cell.source):
            return i + 1
        if "start_lab" in cell.source:
            break
    return 0


_ASSIGNMENT = "^[ \t]*{}[ \t]*(?::[^=\n]*)?=(?!=)"


def converted_cells(nb, variables) -> dict[str, list]:
    """Answer variables assigned only in Markdown or raw cells (a cell whose type was changed): variable ->
    ``[1-based cell number, "Markdown" or "raw"]``. Such a cell never runs, so its answer is missing for a reason the student can fix."""
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    found = {}
    for variable in variables:
        pattern = re.compile(_ASSIGNMENT.format(re.escape(variable)), re.MULTILINE)
        if pattern.search(code):
            continue
        for i, cell in enumerate(nb.cells):
            if cell.cell_type in ("markdown", "raw") and pattern.search(cell.source):
                found[variable] = [i + 1, "Markdown" if cell.cell_type == "markdown" else "raw"]
                break
    return found


def student_id_from_filename(path: Path, lab_id: str) -> str:
    """A student id from a submission's file name: the stem without the lab id, else the folder's name.

    Punctuation inside the id is kept, so ``jane-smith`` and ``jane.smith`` stay two students. Copy decorations
    (``Copy of ``, ``-Copy1``, `` (1)``, ``-1``) and the extensions a browser adds (``.txt``, ``.json``) are
    stripped first.

    >>> student_id_from_filename(Path("in/s042_01_budgeting_lab.ipynb"), "01_budgeting_lab")
    's042'
    >>> student_id_from_filename(Path("in/s042/01_budgeting_lab.ipynb"), "01_budgeting_lab")
    's042'
    >>> student_id_from_filename(Path("jane.smith - 01_budgeting_lab.ipynb"), "01_budgeting_lab")
    'jane.smith'
    >>> student_id_from_filename(Path("Copy of s042_01_budgeting_lab (1).ipynb.txt"), "01_budgeting_lab")
    's042'
    """
    rest = _file_id(path, lab_id)
    return rest or path.parent.name or path.stem


_EXTENSIONS = (".ipynb.txt", ".ipynb.json", ".ipynb", ".zip", ".json", ".txt")
_DECORATIONS = re.compile(r"(?:-Copy\d*|\s\(\d+\)|-\d+)$", re.IGNORECASE)


def bare_stem(name: str) -> str:
    """A file name without its extension(s): ``.ipynb``, ``.ipynb.txt``, ``.ipynb.json``, ``.zip``, ...

    >>> bare_stem("s042_lab.ipynb.txt"), bare_stem("s203_01_budgeting_lab.zip"), bare_stem("notes.pdf")
    ('s042_lab', 's203_01_budgeting_lab', 'notes')
    """
    lower = name.lower()
    for ext in _EXTENSIONS:
        if lower.endswith(ext) and len(name) > len(ext):
            return name[: -len(ext)]
    return Path(name).stem if "." in name.lstrip(".") else name


def undecorated(stem: str, lab_id: str | None = None) -> tuple[str, bool]:
    """``stem`` without copy decorations (``Copy of ``, ``-Copy1``, `` (1)``, and ``-1`` after the lab id), and
    whether there were any.

    >>> undecorated("Copy of s042_01_budgeting_lab (1)", "01_budgeting_lab")
    ('s042_01_budgeting_lab', True)
    >>> undecorated("okaforben_LATE_50312_8800533_01_budgeting_lab-1", "01_budgeting_lab")
    ('okaforben_LATE_50312_8800533_01_budgeting_lab', True)
    >>> undecorated("s-1", "01_budgeting_lab")
    ('s-1', False)
    """
    text, changed = stem.strip(), False
    while True:
        before = text
        if text.lower().startswith("copy of "):
            text = text[8:].strip()
        found = _DECORATIONS.search(text)
        if found:
            plain = text[: found.start()]
            numeric = re.fullmatch(r"-\d+", found.group(0)) is not None
            if not numeric or (lab_id and plain.endswith(lab_id)) or plain.lower().endswith(".ipynb"):
                text = plain.strip()
        if text == before:
            return text, changed
        changed = True


def _file_id(path: Path, lab_id: str) -> str:
    stem, _ = undecorated(bare_stem(path.name), lab_id)
    rest = stem.replace(lab_id, " ")
    return re.sub(r"^[\s_\-.]+|[\s_\-.]+$", "", rest)


def stray_kind(path: Path) -> str | None:
    """Why a file is a stray Jupyter or the system made, never a submission (None: it may be a submission).

    A copy (``-Copy1``) is a stray only when its student also has the original: see :mod:`.identity`.

    >>> stray_kind(Path("a/.ipynb_checkpoints/01_budgeting_lab-checkpoint.ipynb"))
    'a Jupyter checkpoint'
    >>> stray_kind(Path("Untitled3.ipynb")), stray_kind(Path("__MACOSX/._s042_lab.ipynb"))
    ('an untitled notebook', 'a system file')
    """
    stem = bare_stem(path.name)
    if ".ipynb_checkpoints" in path.parts or stem.endswith("-checkpoint"):
        return "a Jupyter checkpoint"
    if "__MACOSX" in path.parts or path.name.startswith("._") or path.name in (".DS_Store", "Thumbs.db",
                                                                               "desktop.ini"):
        return "a system file"
    if re.match(r"^Untitled\d*$", undecorated(stem)[0], re.IGNORECASE):
        return "an untitled notebook"
    return None


def copy_kind(path: Path, lab_id: str) -> str | None:
    """The copy decoration on a file name, if any, quoted as it appears (``-Copy1`` is Jupyter's; the others a
    browser's or Drive's).

    >>> copy_kind(Path("s002_01_budgeting_lab-Copy1.ipynb"), "01_budgeting_lab")
    'a copy (its name carries "-Copy1")'
    >>> copy_kind(Path("Copy of s042_01_budgeting_lab (1).ipynb"), "01_budgeting_lab")
    'a copy (its name carries "Copy of" and "(1)")'
    """
    stem = bare_stem(path.name)
    jupyter = re.search(r"-Copy\d*$", stem, re.IGNORECASE)
    if jupyter:
        return _copy_phrase([jupyter.group(0)])
    plain, changed = undecorated(stem, lab_id)
    if not changed:
        return None
    marks = []  # (position in the name, the text), so they are quoted in the order they appear
    if stem.lower().startswith("copy of "):
        marks.append((0, stem[:7]))
    numbered = re.search(r"\s(\(\d+\))", stem)
    if numbered:
        marks.append((numbered.start(1), numbered.group(1)))
    dashed = re.search(r"(-\d+)(\s\(\d+\))?$", stem)
    if dashed:
        marks.append((dashed.start(1), dashed.group(1)))
    return _copy_phrase([text for _, text in sorted(marks)]) if marks else "a copy"


def _copy_phrase(marks: list[str]) -> str:
    quoted = [f'"{m}"' for m in marks]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    return f"a copy (its name carries {listed})"


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
    workers: int = 0  # 0: one per two usable CPU cores (see n_workers)

    @property
    def n_workers(self) -> int:
        """``workers``, or by default one worker per two CPU cores this process may use (at least one).

        A worker starts its next sandboxed kernel while the current notebook runs, so one worker keeps 1.6 to 1.8
        cores busy (``benchmarks/grading.py`` on a 2-core machine: 1.58 with 10 submissions, 1.76 with 30, where a
        second worker made grading no faster and cost about 190 MB more memory). The usable cores are those of
        :func:`mhsm_lessons.grading.capacity.usable_cores` (CPU affinity and a container's CPU limit).
        """
        if self.workers:
            return max(1, self.workers)
        from .capacity import usable_cores
        return max(1, usable_cores() // 2)


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
    member: str | None = None  # the notebook's name inside an archive (zip) it was read from
    archive: bool = False  # an archive that holds no single notebook (parse_error says why)
    start_lab_id: str | None = None  # the id the notebook passes to start_lab as a constant, if any
    converted: dict | None = None  # answer variable -> cell number of a Markdown/raw cell that assigns it


#: More files than this under the folders given is not a class: a home, course or project folder given by mistake.
MAX_FILES = 20_000
#: Folders never searched for submissions: version control, caches and Python or Node environments (a GitHub
#: Classroom download holds a .git folder per student; a course folder holds .venv).
_NOT_SEARCHED = {".git": "version-control", ".hg": "version-control", ".svn": "version-control",
                 "__pycache__": "cache", "node_modules": "Node.js package", "site-packages": "Python environment"}


def _not_searched(folder: Path) -> str | None:
    """Why ``folder`` holds no submissions (its kind, as in :data:`_NOT_SEARCHED`), or None to search it."""
    if folder.name in _NOT_SEARCHED:
        return _NOT_SEARCHED[folder.name]
    if (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta").is_dir():
        return "Python environment"
    return None


def _collect(paths, skipped: Counter | None = None) -> list[tuple[Path, str, bool]]:
    """Every file under the folders given (whatever its extension: content decides, see :func:`scan_file`), and
    the files given: ``(path, name shown to the instructor, found in a folder)``. Symbolic links are skipped, and
    so are version-control, cache and environment folders (counted by kind in ``skipped``).

    Raises
    ------
    GradingError
        A path that does not exist, or more than :data:`MAX_FILES` files (the walk stops there: a home folder
        given by mistake is not read to its end).
    """
    found: list[tuple[Path, str, bool]] = []
    for arg in map(Path, paths):
        if arg.is_dir():
            here = []
            for root, dirs, files in os.walk(arg):  # symbolic links to folders are listed but not followed
                keep = []
                for name in dirs:
                    why = _not_searched(Path(root) / name)
                    if why is None:
                        keep.append(name)
                    elif skipped is not None:
                        skipped[why] += 1
                dirs[:] = sorted(keep)  # a fixed order: the same folder named when the walk stops
                for name in files:
                    path = Path(root) / name
                    if path.is_file() and not path.is_symlink():
                        here.append(path)
                if len(found) + len(here) > MAX_FILES:
                    raise GradingError(
                        f"The folders given hold more than {MAX_FILES:,} files (the search stopped in {root}): this "
                        "looks like a home, course or project folder, not a class's submissions. Give the folder of "
                        "downloaded submissions (for example the unzipped LMS download), or the notebooks themselves.")
            found.extend((path, path.relative_to(arg).as_posix(), True) for path in sorted(here))
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


# Reading a file: its content decides what it is, never its extension.

MAX_NOTEBOOK_BYTES = 512 * 2 ** 20  # a notebook file (or archive) larger than this is not read whole
MAX_MEMBER_BYTES = 256 * 2 ** 20  # a notebook inside an archive is read, in memory, up to this size
MAX_MEMBERS = 1000  # an archive listing more members than this is not opened further
_CHUNK = 2 ** 20


def _read_capped(path: Path) -> tuple[str, bytes | None, int]:
    """``(sha256, bytes or None when too large to parse, size)``: hashed in chunks, never held twice."""
    import hashlib

    digest, size, parts, keep = hashlib.sha256(), 0, [], True
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            if keep and size <= MAX_NOTEBOOK_BYTES:
                parts.append(chunk)
            elif keep:
                keep, parts = False, []
    return digest.hexdigest(), (b"".join(parts) if keep else None), size


def _looks_like_json(raw: bytes) -> bool:
    head = raw[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def _is_zip(raw: bytes) -> bool:
    return raw[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _shown(name: str) -> str:
    """A member name safe to show: printable, short (it is never used as a path)."""
    text = "".join(ch if ch.isprintable() else "?" for ch in name)
    return text if len(text) <= 120 else text[:117] + "..."


def _read_member(zf, info) -> bytes | None:
    """A member's bytes, read in memory and never beyond :data:`MAX_MEMBER_BYTES` (None: too large)."""
    if info.file_size > MAX_MEMBER_BYTES:
        return None
    parts, size = [], 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_MEMBER_BYTES:  # the header understated the size: a zip bomb stops here
                return None
            parts.append(chunk)
    return b"".join(parts)


def _archive_notebook(raw: bytes) -> tuple[str | None, bytes | None, str]:
    """The one notebook inside a zip archive: ``(member name, its bytes, "")`` or ``(None, None, why not)``.

    Nothing is written to disk: members are read in memory with a size cap, names are only shown, nested
    archives are not opened, and an archive listing more than :data:`MAX_MEMBERS` members is not searched.
    """
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None, None, "a damaged archive (zip) that cannot be opened"
    with zf:
        if len(infos) > MAX_MEMBERS:
            return None, None, f"an archive (zip) listing {len(infos):,} files, more than the {MAX_MEMBERS:,} searched"
        if any(i.filename == "[Content_Types].xml" for i in infos):
            return None, None, "an Office document (Word, Excel or PowerPoint), not a notebook"
        notebooks, too_big, damaged = [], [], []
        for info in infos:
            parts = info.filename.replace("\\", "/").split("/")
            if info.is_dir() or "__MACOSX" in parts or ".ipynb_checkpoints" in parts or parts[-1].startswith("."):
                continue
            if "." in parts[-1] and not parts[-1].lower().endswith((".ipynb", ".json", ".txt")):
                continue  # only names a notebook could have are read (.ipynb, .ipynb.txt, .ipynb.json, none)
            try:
                data = _read_member(zf, info)
            except Exception:  # noqa: BLE001 - encrypted, damaged or unsupported member
                damaged.append(_shown(info.filename))
                continue
            if data is None:
                too_big.append(_shown(info.filename))
                continue
            if _looks_like_json(data) and _parse_notebook(data)[0] is not None:
                notebooks.append((info.filename, data))
            else:
                del data
    if len(notebooks) == 1:
        return notebooks[0][0], notebooks[0][1], ""
    if notebooks:
        names = ", ".join(_shown(n) for n, _ in notebooks[:5])
        return None, None, (f"an archive (zip) holding {len(notebooks)} notebooks ({names}); it must hold exactly "
                            "one")
    if too_big:
        return None, None, f"an archive (zip) whose notebook is larger than {MAX_MEMBER_BYTES // 2 ** 20} MB"
    return None, None, "an archive (zip) with no notebook in it"


_KINDS = ((b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x1f\x8b", "a gzip archive"))


def scan_file(path: Path, name: str, in_folder: bool) -> Submission:
    """Read one file for its hash, what it is (by content), its lab and ids; the bytes are let go after."""
    sha, raw, size = _read_capped(path)
    sub = Submission(path, name, sha, path.stat().st_mtime, in_folder)
    if raw is None:
        sub.parse_error = f"a file of {size / 2 ** 20:,.0f} MB, too large to be a notebook"
        return sub
    nb_raw = raw
    if _is_zip(raw):
        member, nb_raw, why = _archive_notebook(raw)
        if member is None:
            sub.archive, sub.parse_error = True, why
            return sub
        sub.member = member
    elif not _looks_like_json(raw):
        kind = next((k for magic, k in _KINDS if raw.startswith(magic)), None)
        if kind:
            sub.parse_error = f"{kind}, not a notebook"
            return sub
    nb, sub.parse_error = _parse_notebook(nb_raw)
    if nb is not None:
        sub.lab, sub.notebook_id, sub.start_lab_id = notebook_lab(nb), student_id_from_notebook(nb), start_lab_id(nb)
    return sub


def notebook_bytes(sub: Submission, raw: bytes) -> bytes:
    """The notebook to run from a file's bytes: the file itself, or the one notebook inside its archive."""
    if sub.member is None:
        return raw
    member, data, why = _archive_notebook(raw)
    if member != sub.member or data is None:
        raise ValueError(why or "the archive changed")
    return data
