"""Every table in the committed outputs of notebooks/ and solutions/ has header cells and a caption (or an
aria-label) that says what it is (WCAG 2.1 1.3.1, Info and Relationships): the tables the library writes (dataset
descriptions, progress, PDSA logs) caption themselves, and the notebooks show DataFrames through
``viz.style.captioned`` (pandas marks column and index labels as ``<th>``). Tables are found with the standard
library's HTML parser.

Not checked here: the start page (notebooks/00_start_here.ipynb, which the lead maintains) shows
``list_datasets()`` as a plain DataFrame; explorers' result tables live in widget state, not in the saved outputs
(tests/viz/test_explorer.py and the browser layer check those).
"""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "solutions").glob("*.ipynb")])
#: (notebook, cell index) of tables known to have no caption yet, with the reason.
UNCAPTIONED: dict = {}  # (notebook, cell index) -> why a table there may go without a caption


class Tables(HTMLParser):
    """Each <table>'s caption / aria-label and how many <th> and <td> cells it has."""

    def __init__(self):
        super().__init__()
        self.tables, self._open = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._open.append({"label": bool(attrs.get("aria-label") or attrs.get("aria-labelledby")),
                               "caption": "", "th": 0, "td": 0, "in_caption": False})
        elif self._open and tag in ("th", "td"):
            self._open[-1][tag] += 1
        elif self._open and tag == "caption":
            self._open[-1]["in_caption"] = True

    def handle_data(self, data):
        if self._open and self._open[-1]["in_caption"]:
            self._open[-1]["caption"] += data

    def handle_endtag(self, tag):
        if tag == "caption" and self._open:
            self._open[-1]["in_caption"] = False
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())


def html_tables(path):
    """(cell index, is a plain pandas repr, table) for every table in the notebook's HTML outputs."""
    found = []
    for i, cell in enumerate(json.loads(path.read_text())["cells"]):
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html")
            if not page:
                continue
            page = "".join(page)
            parser = Tables()
            parser.feed(page)
            plain = page.lstrip().startswith("<div>\n<style scoped>")
            found += [(i, plain, t) for t in parser.tables]
    return found


def test_the_parser_sees_captions_and_headers():
    parser = Tables()
    parser.feed("<table><caption>Cap <b>x</b></caption><tr><th>h</th></tr><tr><td>1</td></tr></table><table>"
                "<tr><td>2</td></tr></table>")
    assert [(t["caption"], t["th"], t["td"]) for t in parser.tables] == [("Cap x", 1, 1), ("", 0, 1)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_table_has_header_cells_and_a_caption(path):
    tables = html_tables(path)
    no_headers = [i for i, _, t in tables if not t["th"]]
    assert not no_headers, (path.name, "tables without <th> in cells", no_headers)
    no_caption = [i for i, _, t in tables if not (t["caption"].strip() or t["label"])
                  and (path.name, i) not in UNCAPTIONED]
    assert not no_caption, (path.name, "tables without a caption in cells", no_caption)


def test_the_library_tables_are_found():
    """The check above is not vacuous: the dataset descriptions and progress tables are there, captioned."""
    captions = [t["caption"] for p in NOTEBOOKS for _, _, t in html_tables(p)]
    assert "The fields of medsurg_labor" in captions and "Progress, question by question" in captions
    assert "5 West variance report, September 2026 (dollars; variance = actual - flexible budget)" in captions
