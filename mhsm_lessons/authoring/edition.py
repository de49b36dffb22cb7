"""The student edition: what students pull onto a JupyterHub or open on Binder, with no worked answers in it.

The course repository is the *instructor edition*: solutions, tests, tools and the library source, for instructors
and self-learners. ``mhsm release --student-edition DIR`` writes the *student edition* into ``DIR``:

* ``notebooks/`` (the start page and the lessons, with their outputs) and ``exercises/`` (as released from the
  solutions; the writer refuses when ``exercises/`` is out of step, see :func:`~.release.check_release`);
* ``datasets/`` (the default-data files the lessons name), ``LICENSE`` and a short student ``README.md``;
* a ``.mhsm-student-edition`` file recording the library version and the source commit.

Nothing else: no solutions, tests, tools, benchmarks or library source (students get the library from the course's
user image). Instructor-only text in a lesson's Markdown is removed: cells tagged ``instructor``, and text between
``<!-- BEGIN INSTRUCTOR -->`` and ``<!-- END INSTRUCTOR -->`` (whole lines or inline). As a safety net, Markdown that
still names the solutions folder loses the smallest unit that names it (a parenthesis, a list item, a paragraph), and
each such cut is reported as a note. Finally every file written is scanned: if the solutions folder is named
anywhere, or a solution line leaks, the writer stops with an :class:`EditionError` and removes what it wrote.

``DIR`` may be a git checkout (for example a ``student`` branch in a worktree): everything in it except ``.git`` is
replaced, but only when it is empty, holds a previous student edition, or ``force=True``.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = ["write_student_edition", "EditionError", "EditionReport", "strip_instructor_text", "scan_for_solutions",
           "MARKER_FILE", "SOLUTIONS_MENTION"]

MARKER_FILE = ".mhsm-student-edition"
#: What "names the solutions folder" means: ``solutions/`` as a path (not the English word "solutions").
SOLUTIONS_MENTION = re.compile(r"(?<![A-Za-z0-9_-])solutions/")
_BLOCK = re.compile(r"<!--\s*BEGIN INSTRUCTOR\s*-->.*?<!--\s*END INSTRUCTOR\s*-->(?:[ \t]*\n)?", re.DOTALL)
_PAREN = re.compile(r"\s?\([^()]*?solutions/[^()]*?\)", re.DOTALL)
_ITEM_START = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+")


class EditionError(RuntimeError):
    """The student edition cannot be written safely (stale exercises, a leak, a folder that is not ours)."""


@dataclass
class EditionReport:
    """What was written where, and the instructor-only text that was cut automatically."""

    out: Path
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for path in self.files:
            rel = path.relative_to(self.out).parts
            top = f"{rel[0]}/" if len(rel) > 1 else rel[0]
            kinds[top] = kinds.get(top, 0) + 1
        parts = ", ".join(f"{top} ({n})" if top.endswith("/") else top for top, n in kinds.items())
        return f"wrote the student edition to {self.out}: {parts}; no solutions, tests, tools or library source"


def _markdown_units(text: str) -> list[tuple[int, int, bool]]:
    """Split Markdown lines into paragraphs and list items: (first line, end line, is a list item)."""
    lines = text.split("\n")
    units, start, item = [], None, False
    for i, line in enumerate(lines):
        if not line.strip():
            if start is not None:
                units.append((start, i, item))
                start = None
            continue
        if _ITEM_START.match(line):
            if start is not None:
                units.append((start, i, item))
            start, item = i, True
        elif start is None:
            start, item = i, False
    if start is not None:
        units.append((start, len(lines), item))
    return units


def strip_instructor_text(text: str) -> tuple[str, list[str]]:
    """Remove instructor-only text from Markdown; return the new text and a note for each automatic cut.

    Marked blocks go silently; a parenthesis, list item or paragraph that still names the solutions folder is cut
    with a note.

    >>> strip_instructor_text("Intro.<!-- BEGIN INSTRUCTOR --> Key: 42.<!-- END INSTRUCTOR --> More.")
    ('Intro. More.', [])
    >>> text, notes = strip_instructor_text("The lab (`solutions/a.ipynb` for instructors, `exercises/a.ipynb` "
    ...                                     "for students).")
    >>> text, len(notes)
    ('The lab.', 1)
    >>> strip_instructor_text("* Students: open exercises/.\\n* Others: see\\n  solutions/x.ipynb.\\n\\nEnd.")[0]
    '* Students: open exercises/.\\n\\nEnd.'
    """
    notes: list[str] = []
    if _BLOCK.search(text):
        text = re.sub(r"\n{3,}", "\n\n", _BLOCK.sub("", text)).rstrip()

    def paren(match: re.Match) -> str:
        notes.append(f"cut the parenthesis {' '.join(match.group(0).split())[:70]!r}")
        return ""

    text = _PAREN.sub(paren, text)
    if not SOLUTIONS_MENTION.search(text):
        return text, notes
    lines = text.split("\n")
    drop: set[int] = set()
    for first, end, item in _markdown_units(text):
        unit = "\n".join(lines[first:end])
        if SOLUTIONS_MENTION.search(unit):
            kind = "list item" if item else "paragraph"
            notes.append(f"cut the {kind} {' '.join(unit.split())[:70]!r}")
            drop.update(range(first, end))
    kept = [line for i, line in enumerate(lines) if i not in drop]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return out, notes


def _clean_notebook(nb, name: str, notes: list[str]):
    cells = []
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index + 1}"
        if "instructor" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            cell.source, cut = strip_instructor_text(cell.source)
            notes.extend(f"{where}: {note}" for note in cut)
            if not cell.source.strip():
                continue
        elif cell.cell_type == "code" and SOLUTIONS_MENTION.search(json.dumps(cell.get("outputs", []))):
            cell.outputs = []
            cell.execution_count = None
            notes.append(f"{where}: cleared outputs that name the solutions folder")
        cells.append(cell)
    nb.cells = cells
    return nb


def scan_for_solutions(folder: Path, secret_lines=None) -> list[str]:
    """Every place in ``folder`` (its text files) that names the solutions folder, or an exercise with a solution line.

    ``secret_lines`` maps an exercise's file name to its own solution's lines (:func:`~.release.solution_lines`), as
    ``mhsm release --check`` does; a plain set applies to every exercise. Lessons may show the same code as a solution
    (they teach the method on the default data); exercises may not.
    """
    problems = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and ".git" not in p.parts):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            if SOLUTIONS_MENTION.search(line):
                problems.append(f"{path}:{number}: names the solutions folder: {line.strip()[:80]!r}")
        secret = secret_lines.get(path.name, set()) if isinstance(secret_lines, dict) else (secret_lines or set())
        if path.suffix == ".ipynb" and secret and path.parent.name == "exercises":
            nb = nbformat.reads(text, as_version=4)
            for index, cell in enumerate(nb.cells):
                for line in cell.source.split("\n"):
                    if line.strip() in secret:
                        problems.append(f"{path}, cell {index + 1}: solution text: {line.strip()[:60]!r}")
    return problems


def _cross_lab_notes(out: Path, secrets: dict[str, set[str]]) -> list[str]:
    """Lines an exercise shows that sit inside ANOTHER lab's solution region (allowed, but worth knowing)."""
    notes = []
    for path in sorted((out / "exercises").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        shown = {line.strip() for cell in nb.cells for line in cell.source.split("\n")}
        for other, secret in sorted(secrets.items()):
            if other != path.name and shown & secret:
                example = sorted(shown & secret)[0]
                notes.append(f"exercises/{path.name} shows {len(shown & secret)} line(s) from the worked answers "
                             f"of {other[:-len('.ipynb')]}, e.g. {example[:60]!r}")
    return notes


def _git_commit(root: Path) -> str:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


STUDENT_README = """\
# MHSM Lessons: student edition

Jupyter labs for medical and health services management. This is the **student edition**: the lessons and the
lab exercises, without worked answers. Your instructor hands it out, usually as a JupyterHub link that copies it
into a folder in your home.

## Start here

1. Open `notebooks/00_start_here.ipynb` and run it: it shows how practice checks and hints work.
2. Read the module's lesson in `notebooks/` (for example `notebooks/01_budgeting.ipynb`).
3. Do the lab in `exercises/` (for example `exercises/01_budgeting_lab.ipynb`): run the cells from the top, write
   each answer where it says `# YOUR CODE HERE`, and run the check cell below it.

## Your student id

Each id gets its own numbers. On a JupyterHub the lab uses your hub user name when the `STUDENT_ID` cell is
blank, and the first cell's output says which id it used. Elsewhere, type the id your instructor gave you between
the quotes. A blank id everywhere shows a warning: you would be working on the shared default data.

## Your work is safe

Clicking the course link again brings your instructor's updates but never overwrites a file you changed. If the
instructor fixes a line you also edited, you keep your version: to get the fresh copy, rename your notebook (for
example add `-mine` to its name) and click the link again.

## What is where

| Folder | What it holds |
|---|---|
| `notebooks/` | the start page and one lesson per module |
| `exercises/` | the lab notebooks you complete |
| `datasets/` | the course's default data, as CSV files |

Practice checks show how you are doing; they do not record a grade. Hand in your lab as your instructor asks.

## For instructors and self-learners

This edition is written from the full course (the *instructor edition*, with worked answers, tests and the
course tools) by `mhsm release --student-edition`. Self-learners who want to compare with worked answers use the
full course. Code is MIT-licensed; text and data are CC BY 4.0 (see `LICENSE`).
"""


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise EditionError(f"{out} is a file; give a folder for the student edition.")
    if out.exists():
        contents = [p for p in out.iterdir() if p.name != ".git"]
        if contents and not (out / MARKER_FILE).exists() and not force:
            raise EditionError(f"{out} is not empty and holds no previous student edition; choose an empty folder "
                               "or pass --force to replace its contents (a .git folder is always kept).")
        for path in contents:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def write_student_edition(root: str | Path, out: str | Path, *, force: bool = False) -> EditionReport:
    """Write the student edition of the course at ``root`` into ``out``; see the module docstring.

    Raises
    ------
    EditionError
        ``exercises/`` is out of step with ``solutions/`` (or leaks), ``out`` is not ours to replace, ``out`` is
        inside the course, or the written edition names the solutions folder or holds a solution line.
    """
    from .. import __version__
    from .release import check_release, solution_lines

    root, out = Path(root).resolve(), Path(out).resolve()
    if out == root or root in out.parents:
        raise EditionError(f"Write the student edition outside the course folder ({root}), for example next to it.")
    for needed in ("notebooks", "exercises", "solutions"):
        if not (root / needed).is_dir():
            raise EditionError(f"{root} is not the course folder: it has no {needed}/.")
    problems = check_release(root / "solutions", root / "exercises")
    if problems:
        raise EditionError("exercises/ is not in step with solutions/; run `mhsm release` first:\n  "
                           + "\n  ".join(problems))
    secrets = {path.name: solution_lines(nbformat.read(path, as_version=4))
               for path in sorted((root / "solutions").glob("*.ipynb"))}

    _prepare(out, force)
    report = EditionReport(out)
    for folder in ("notebooks", "exercises"):
        (out / folder).mkdir()
        for path in sorted((root / folder).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            if folder == "notebooks":
                nb = _clean_notebook(nb, f"{folder}/{path.name}", report.notes)
            dest = out / folder / path.name
            dest.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
            report.files.append(dest)
    if (root / "datasets").is_dir():
        (out / "datasets").mkdir()
        for path in sorted((root / "datasets").iterdir()):
            if path.is_file() and path.suffix in (".csv", ".json"):
                shutil.copy2(path, out / "datasets" / path.name)
                report.files.append(out / "datasets" / path.name)
    if (root / "LICENSE").exists():
        # the licence lists the folders its text covers; this edition's folders are notebooks/ and exercises/
        text = (root / "LICENSE").read_text(encoding="utf-8")
        text = text.replace(", solutions/ and ", " and ").replace("solutions/, ", "")
        (out / "LICENSE").write_text(text, encoding="utf-8")
        report.files.append(out / "LICENSE")
    (out / "README.md").write_text(STUDENT_README, encoding="utf-8")
    report.files.append(out / "README.md")
    (out / MARKER_FILE).write_text(json.dumps({"edition": "student", "library_version": __version__,
                                               "source_commit": _git_commit(root)}, indent=1) + "\n",
                                   encoding="utf-8")
    report.notes.extend(_cross_lab_notes(out, secrets))
    leaks = scan_for_solutions(out, secrets)
    if leaks:
        _prepare(out, force=True)
        (out / MARKER_FILE).unlink(missing_ok=True)
        raise EditionError("The student edition would reveal solutions; nothing was written:\n  "
                           + "\n  ".join(leaks))
    return report
