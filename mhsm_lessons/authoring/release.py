"""Generate student exercise notebooks from solution notebooks, and check that they are in step.

``solutions/NN_topic_lab.ipynb`` is the only source of a lab. :func:`release_notebook` turns it into the exercise:

* code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` lines (``### BEGIN SOLUTION`` is accepted too) becomes a
  stub. When the region's last statement assigns names, the stub assigns ``...`` to them
  (``rn_flexible_budget = ...  # YOUR CODE HERE``), so checks report "not answered" and Run All still works;
  otherwise it is a ``# YOUR CODE HERE`` comment;
* the same markers in a Markdown cell (for example a sample memo) become an invitation to write;
* outputs and execution counts are cleared, and the kernelspec is normalised to ``python3``;
* cells tagged ``setup`` or ``check`` are locked with the standard ``deletable: false`` / ``editable: false``
  metadata.

:func:`check_release` reports stale or missing exercises and any solution line that leaks into an exercise.
"""
from __future__ import annotations

import ast
import copy
import re
import textwrap
from pathlib import Path

import nbformat

from .. import __version__
from ..practice.compat import stamp_required_version

__all__ = ["release_notebook", "release", "check_release", "solution_lines", "ReleaseError"]

BEGIN = re.compile(r"^\s*(?:#{1,3}|<!--)\s*BEGIN SOLUTION\s*(?:-->)?\s*$")
END = re.compile(r"^\s*(?:#{1,3}|<!--)\s*END SOLUTION\s*(?:-->)?\s*$")
LOCKED_TAGS = ("setup", "check")
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
MARKDOWN_STUB = "_Write your answer here._"
CODE_STUB_COMMENT = "# YOUR CODE HERE"


class ReleaseError(ValueError):
    """A solution notebook that cannot be turned into an exercise (unbalanced markers, invalid code)."""


def _regions(lines: list[str], where: str):
    """Yield (begin, end) line indices of each solution region; raise on unbalanced markers."""
    start = None
    for i, line in enumerate(lines):
        if BEGIN.match(line):
            if start is not None:
                raise ReleaseError(f"{where}: BEGIN SOLUTION at line {i + 1} inside another solution region.")
            start = i
        elif END.match(line):
            if start is None:
                raise ReleaseError(f"{where}: END SOLUTION at line {i + 1} without a BEGIN SOLUTION.")
            yield start, i
            start = None
    if start is not None:
        raise ReleaseError(f"{where}: BEGIN SOLUTION at line {start + 1} has no END SOLUTION.")


def _stub_for(code: str, indent: str, where: str) -> list[str]:
    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError as exc:
        raise ReleaseError(f"{where}: the solution code is not valid Python ({exc.msg}, line {exc.lineno}).") from None
    names: list[str] = []
    if tree.body:
        last = tree.body[-1]
        targets = last.targets if isinstance(last, ast.Assign) else [last.target] if isinstance(
            last, ast.AnnAssign) else []
        for target in targets:
            for node in ([target] if isinstance(target, ast.Name) else getattr(target, "elts", [])):
                if isinstance(node, ast.Name):
                    names.append(node.id)
    if not names:
        return [f"{indent}{CODE_STUB_COMMENT}"]
    return [f"{indent}{name} = ...  {CODE_STUB_COMMENT}" for name in names]


def _strip_cell(cell, where: str):
    lines = cell.source.split("\n")
    regions = list(_regions(lines, where))
    if not regions:
        return cell.source
    out: list[str] = []
    cursor = 0
    for begin, end in regions:
        out.extend(lines[cursor:begin])
        indent = re.match(r"\s*", lines[begin]).group(0)
        body = "\n".join(lines[begin + 1:end])
        if cell.cell_type == "code":
            out.extend(_stub_for(body, indent, where))
        else:
            out.append(MARKDOWN_STUB)
        cursor = end + 1
    out.extend(lines[cursor:])
    return "\n".join(out)


def release_notebook(solution: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """Return the exercise version of a solution notebook (the input is not modified)."""
    nb = copy.deepcopy(solution)
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index + 1}"
        cell.source = _strip_cell(cell, where)
        tags = cell.get("metadata", {}).get("tags", [])
        keep = {k: v for k, v in cell.get("metadata", {}).items() if k in ("tags", "mhsm")}
        if any(t in LOCKED_TAGS for t in tags):
            keep["deletable"] = False
            keep["editable"] = False
        cell.metadata = nbformat.from_dict(keep)
        if cell.cell_type == "code" and "setup" in tags:  # the exercise records the library it was released with
            cell.source = stamp_required_version(cell.source, __version__)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    meta = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    if "mhsm" in nb.metadata:
        meta["mhsm"] = nb.metadata["mhsm"]
    nb.metadata = nbformat.from_dict(meta)
    return nb


def _text(nb) -> str:
    return nbformat.writes(nb) + "\n"


def _expected(solutions_dir: Path) -> dict[str, str]:
    files = {}
    for path in sorted(Path(solutions_dir).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        files[path.name] = _text(release_notebook(nb, path.name))
    return files


def release(solutions_dir: str | Path, exercises_dir: str | Path) -> list[Path]:
    """Write ``exercises_dir/X.ipynb`` for every ``solutions_dir/X.ipynb``; return the paths written."""
    exercises_dir = Path(exercises_dir)
    exercises_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in _expected(Path(solutions_dir)).items():
        path = exercises_dir / filename
        tmp = path.with_suffix(".ipynb.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written


def solution_lines(solution: nbformat.NotebookNode) -> set[str]:
    """The stripped, meaningful lines inside solution regions that do not also appear outside them."""
    inside, outside = set(), set()
    for cell in solution.cells:
        lines = cell.source.split("\n")
        marked = set()
        for begin, end in _regions(lines, "solution"):
            marked.update(range(begin + 1, end))
        for i, line in enumerate(lines):
            text = line.strip()
            (inside if i in marked else outside).add(text)
    meaningful = {t for t in inside - outside
                  if len(t) >= 4 and not t.startswith("#") and t not in ("pass", "else:", "try:", "return")}
    return meaningful


def check_release(solutions_dir: str | Path, exercises_dir: str | Path) -> list[str]:
    """Problems that make ``exercises/`` untrustworthy; empty when it matches ``solutions/`` exactly."""
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    problems = []
    try:
        expected = _expected(solutions_dir)
    except ReleaseError as exc:
        return [str(exc)]
    for filename, text in expected.items():
        path = exercises_dir / filename
        if not path.exists():
            problems.append(f"{path}: missing (run `mhsm release`)")
            continue
        actual = path.read_text(encoding="utf-8")
        if actual != text:
            problems.append(f"{path}: out of date with {solutions_dir / filename} (run `mhsm release`)")
        try:
            exercise = nbformat.reads(actual, as_version=4)
        except Exception as exc:  # noqa: BLE001 - a hand-broken file
            problems.append(f"{path}: not a readable notebook ({type(exc).__name__})")
            continue
        secret = solution_lines(nbformat.read(solutions_dir / filename, as_version=4))
        for index, cell in enumerate(exercise.cells):
            for line in cell.source.split("\n"):
                if line.strip() in secret:
                    problems.append(f"{path}, cell {index + 1}: solution text leaks into the exercise: "
                                    f"{line.strip()[:60]!r}")
    for path in sorted(exercises_dir.glob("*.ipynb")):
        if path.name not in expected:
            problems.append(f"{path}: no solution notebook makes this exercise (delete it or add "
                            f"{solutions_dir / path.name})")
    return problems
