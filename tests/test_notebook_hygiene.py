"""Every committed notebook: python3 kernelspec, exercises without outputs, no dollar amounts typeset as LaTeX.

JupyterLab's MathJax reads two ``$`` in one text as inline mathematics. Markdown cells with two or more amounts
must be wrapped in the ignore div with dollars written ``&#36;`` (``tools/protect_dollars.py`` does it); in HTML outputs
MathJax honours ``\\$``, and attribute values (an image's alt text) are never typeset, so only text nodes count.
"""
from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import protect_dollars  # noqa: E402

NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "exercises") for p in (ROOT / folder).glob("*.ipynb"))
BARE_AMOUNT = re.compile(r"(?<![\\\w])\$(?=\s?[0-9])")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)  # an entity such as &#36; stays an entity, as MathJax sees it
        self.nodes: list[str] = []

    def handle_data(self, data):
        self.nodes.append(data)


def html_text_nodes(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return parser.nodes


def typeset_outputs(nb: dict) -> list[int]:
    """Cells whose HTML or Markdown output has a text node with two unescaped dollar amounts."""
    bad = []
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            texts = html_text_nodes("".join(data.get("text/html", "")))
            texts.append("".join(data.get("text/markdown", "")))
            if any(len(BARE_AMOUNT.findall(t)) >= 2 for t in texts):
                bad.append(i)
    return bad


def test_the_rules_catch_what_jupyterlab_would_typeset():
    cells = [{"cell_type": "markdown", "source": ["Cost $1,200 and $1,500"]},
             {"cell_type": "markdown", "source": ["Cost \\$1,200 and \\$1,500"]},
             {"cell_type": "markdown", "source": [protect_dollars.protect("Cost $1,200 and $1,500")]},
             {"cell_type": "markdown", "source": ["One amount: $1,200"]},
             {"cell_type": "code", "source": [], "outputs": [{"data": {"text/html": "<b>$5 or $6</b>"}}]},
             {"cell_type": "code", "source": [], "outputs": [{"data": {"text/html": '<img alt="$5 or $6"><i>\\$5 or \\$6</i>'}}]},
             {"cell_type": "code", "source": [], "outputs": [{"data": {"text/html": "<td>$5</td><td>$6</td>"}}]}]
    nb = {"cells": cells}
    assert protect_dollars.unprotected_cells(nb) == [0, 1]
    assert typeset_outputs(nb) == [4]
    once = protect_dollars.protect("<!-- BEGIN SOLUTION -->\nA $1 and $2 memo\n<!-- END SOLUTION -->")
    assert once == ('<!-- BEGIN SOLUTION -->\n<div class="tex2jax_ignore mathjax_ignore">\n\nA &#36;1 and &#36;2 memo\n\n'
                    "</div>\n<!-- END SOLUTION -->")
    assert protect_dollars.protect(once) == once


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_hygiene(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    if path.parent.name == "exercises":
        assert not any(c.get("outputs") for c in nb["cells"]), "an exercise must be released without outputs"
    assert protect_dollars.unprotected_cells(nb) == [], "run: python tools/protect_dollars.py"
    assert typeset_outputs(nb) == [], "escape dollars in HTML output with viz.style.escape_dollars"
