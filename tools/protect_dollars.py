"""Keep dollar amounts in Markdown cells from being typeset as LaTeX in JupyterLab.

JupyterLab's MathJax reads two ``$`` in one Markdown cell as the delimiters of inline mathematics, and an escaped
``\\$`` does not help in a plain Markdown cell (Markdown removes the backslash before MathJax runs; the browser
layer shows it). What works: wrap the cell in ``<div class="tex2jax_ignore mathjax_ignore">`` (blank lines inside,
so the Markdown is still rendered), which MathJax skips, and write each dollar inside it as the entity ``&#36;``
(shown as "$"), so that no text-level check mistakes it for a delimiter either. This tool does both, for every Markdown cell with two or more
dollar amounts, in the notebooks named (default: ``notebooks/`` and ``solutions/``); ``--check`` only lists them.
``tests/test_notebook_hygiene.py`` runs the check.

    python tools/protect_dollars.py [--check] [NOTEBOOK ...]
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OPEN = '<div class="tex2jax_ignore mathjax_ignore">'
CLOSE = "</div>"
AMOUNT = re.compile(r"(?:\\?\$|&#36;)(?=\s?[0-9])")  # a dollar amount: $, \$ or &#36;
DOLLAR = re.compile(r"\\?\$")  # a dollar sign, escaped or not
MARKERS = ("<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->")


def needs_protection(source: str) -> bool:
    """Two or more dollar amounts, or a cell already in the ignore div that still holds a dollar sign."""
    return len(AMOUNT.findall(source)) >= 2 or (OPEN in source and "$" in source.split(OPEN, 1)[1])


def is_protected(source: str) -> bool:
    """Wrapped in the ignore div (inside a solution region, if any), every dollar sign written as ``&#36;``."""
    body = source.replace(MARKERS[0], "").replace(MARKERS[1], "").strip()
    return body.startswith(OPEN) and body.endswith(CLOSE) and "$" not in body


def protect(source: str) -> str:
    """The cell's source wrapped in the ignore div, every dollar sign written ``&#36;`` (idempotent)."""
    head, tail = "", ""
    body = source.strip("\n")
    if body.startswith(MARKERS[0]):
        head, body = MARKERS[0] + "\n", body[len(MARKERS[0]):].strip("\n")
    if body.endswith(MARKERS[1]):
        tail, body = "\n" + MARKERS[1], body[: -len(MARKERS[1])].strip("\n")
    if body.startswith(OPEN) and body.endswith(CLOSE):
        body = body[len(OPEN):-len(CLOSE)].strip("\n")
    body = DOLLAR.sub("&#36;", body)
    return f"{head}{OPEN}\n\n{body}\n\n{CLOSE}{tail}"


def unprotected_cells(nb: dict) -> list[int]:
    return [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"
            and needs_protection("".join(c["source"])) and not is_protected("".join(c["source"]))]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    root = Path(__file__).resolve().parents[1]
    paths = [Path(a) for a in argv if a != "--check"] or sorted(
        p for folder in ("notebooks", "solutions") for p in (root / folder).glob("*.ipynb"))
    found = 0
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = unprotected_cells(nb)
        found += len(cells)
        for i in cells:
            print(f"{path}: cell {i} has dollar amounts MathJax would typeset")
            if not check:
                nb["cells"][i]["source"] = protect("".join(nb["cells"][i]["source"])).splitlines(True)
        if cells and not check:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if (check and found) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
