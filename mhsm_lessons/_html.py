"""HTML tables the library writes: every one has a caption and header cells (WCAG 2.1 1.3.1, Info and
Relationships). Imports nothing from the package, so every layer can use it.

>>> import pandas as pd
>>> print(table_html(pd.DataFrame({"a": [1]}), "One row <of> data", index=False))  # doctest: +NORMALIZE_WHITESPACE
<table border="1" class="dataframe"><caption style="text-align:left">One row &lt;of&gt; data</caption>
  <thead>
    <tr style="text-align: right;">
      <th>a</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <td>1</td>
    </tr>
  </tbody>
</table>
"""
from __future__ import annotations

import html

__all__ = ["table_html", "add_caption"]


def add_caption(table: str, caption: str) -> str:
    """Put ``<caption>caption</caption>`` (escaped) right after the first ``<table ...>`` tag of ``table``."""
    start = table.index("<table")
    end = table.index(">", start) + 1
    return f'{table[:end]}<caption style="text-align:left">{html.escape(caption)}</caption>{table[end:]}'


def table_html(frame, caption: str, **to_html) -> str:
    """``frame.to_html(**to_html)`` with a caption; column labels are ``<th>`` (and the index too, when shown)."""
    return add_caption(frame.to_html(**to_html), caption)
