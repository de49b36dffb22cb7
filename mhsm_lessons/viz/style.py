"""The course's accessible chart convention, defined once and used by every chart module in :mod:`mhsm_lessons.viz`.

* **Palette.** Okabe & Ito's colour-blind-safe set (Okabe M, Ito K. *Color Universal Design*, 2008): blue and
  vermillion carry favourable / unfavourable, and a series never relies on colour alone (line styles and markers
  cycle with it; favourable / unfavourable bars also carry an "F" / "U" label and a hatch).
* **Text alternative.** A chart is returned as a :class:`Chart`: the drawn ``Axes`` plus ``alt`` (what the chart
  shows, for a screen reader) and ``caption`` (the finding in one or two sentences, built from the same numbers).
  In JupyterLab it renders as an HTML ``<figure>`` whose ``<img>`` carries the alt text, with the caption as a
  visible ``<figcaption>`` (WCAG 2.1 success criterion 1.1.1, Non-text Content).
* **Tables.** :func:`captioned` shows a DataFrame exactly as pandas does (same numbers, same display options) with
  a ``<caption>`` saying what it is; pandas already marks column and index labels as header cells (1.3.1).
* **Money in text.** :func:`money` formats dollars; :func:`escape_dollars` escapes ``$`` in HTML output and
  :func:`markdown_dollars` in Markdown output, so that JupyterLab never typesets two amounts as LaTeX mathematics.

>>> money(-1234.6)
'-$1,235'
>>> escape_dollars("from $1,200 to $1,500")
'from \\\\$1,200 to \\\\$1,500'
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

__all__ = ["PALETTE", "SERIES_COLORS", "LINE_STYLES", "MARKERS", "FAVORABLE_COLOR", "UNFAVORABLE_COLOR",
           "UNFAVORABLE_HATCH", "Chart", "as_chart", "money", "escape_dollars", "markdown_dollars", "series_style",
           "Captioned", "captioned"]

#: Okabe-Ito colours by name.
PALETTE = {
    "black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7",
}
#: The order in which series take colours (yellow last: low contrast on white).
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
LINE_STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
FAVORABLE_COLOR = PALETTE["blue"]
UNFAVORABLE_COLOR = PALETTE["vermillion"]
UNFAVORABLE_HATCH = "//"


def series_style(i: int) -> dict:
    """Matplotlib keyword arguments for the ``i``-th series: colour, line style and marker all differ.

    >>> series_style(1)
    {'color': '#E69F00', 'linestyle': '--', 'marker': 's'}
    """
    return {"color": SERIES_COLORS[i % len(SERIES_COLORS)], "linestyle": LINE_STYLES[i % len(LINE_STYLES)],
            "marker": MARKERS[i % len(MARKERS)]}


def money(x: float, decimals: int = 0) -> str:
    """Dollars with thousands separators and a leading minus sign: ``-$1,235``."""
    sign = "-" if x < 0 else ""
    return f"{sign}${abs(x):,.{decimals}f}"


def escape_dollars(text: str) -> str:
    """Escape every ``$`` as ``\\$`` for HTML output (JupyterLab typesets ``$...$`` in HTML output as LaTeX).

    Checked in JupyterLab 4.6 (tests/browser): in an HTML output ``\\$`` shows as a plain ``$``. In Markdown
    (cells and ``text/markdown`` output) it does NOT: Markdown turns ``\\$`` back into ``$`` before MathJax
    runs; use :func:`markdown_dollars` there. ipywidgets' HTML is not typeset: leave its dollars alone.
    """
    return str(text).replace("\\$", "$").replace("$", "\\$")


def markdown_dollars(text: str) -> str:
    """Escape every ``$`` for Markdown output as ``\\\\$`` (Markdown keeps one backslash for MathJax to honour).

    Markdown cells are better wrapped in ``<div class="tex2jax_ignore mathjax_ignore">`` (blank lines inside),
    which every renderer shows as plain text.

    >>> print(markdown_dollars("$1 and $2"))
    \\\\$1 and \\\\$2
    """
    return str(text).replace("\\$", "$").replace("$", "\\\\$")


@dataclass
class Chart:
    """A drawn chart and its text alternative.

    Attributes
    ----------
    ax : matplotlib.axes.Axes
        The axes drawn on (``ax.figure`` is the figure); tests read its artists.
    alt : str
        What the chart shows, in words, for a screen reader (the ``alt`` of the image).
    caption : str
        The finding in one or two sentences, with the chart's key numbers (shown under the chart).
    """

    ax: object
    alt: str
    caption: str
    png: bytes = b""

    @property
    def figure(self):
        return self.ax.figure

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (f'<figure style="margin:0.5em 0;max-width:100%"><img src="data:image/png;base64,{data}" '
                f'alt="{html.escape(self.alt, quote=True).replace("$", "&#36;")}" style="max-width:100%;height:auto">'
                f'<figcaption style="font-size:0.95em;margin-top:0.3em">{escape_dollars(html.escape(self.caption))}'
                "</figcaption>"
                "</figure>")

    def __repr__(self) -> str:
        return f"Chart: {self.alt}\n{self.caption}"


def as_chart(ax, alt: str, caption: str, dpi: int = 100) -> Chart:
    """Render the figure of ``ax`` once, close it (so the inline backend does not draw it twice) and return a Chart.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        A drawn axes.
    alt, caption : str
        The text alternative and the one- or two-sentence finding (both required, never empty).

    Raises
    ------
    ValueError
        When ``alt`` or ``caption`` is empty.
    """
    if not str(alt).strip() or not str(caption).strip():
        raise ValueError("A chart needs both a text alternative (alt) and a caption; one of them was empty.")
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    plt.close(ax.figure)
    return Chart(ax, str(alt), str(caption), buffer.getvalue())


class Captioned:
    """A DataFrame shown as pandas shows it, with a caption (see :func:`captioned`)."""

    def __init__(self, frame, caption: str):
        self.frame, self.caption = frame, str(caption)

    def _repr_html_(self):
        page = self.frame._repr_html_()
        if not page or "<table" not in page:
            return page
        start = page.index("<table")
        end = page.index(">", start) + 1
        caption = escape_dollars(html.escape(self.caption))
        return f'{page[:end]}<caption style="text-align:left">{caption}</caption>{page[end:]}'

    def __repr__(self) -> str:
        return repr(self.frame)


def captioned(frame, caption: str):
    """Show ``frame`` (a DataFrame, or a Series as a one-column table) with ``caption`` as its table caption.

    The text form is the frame's own; anything that is not a table (an exercise's ``...``) is returned as it is.

    >>> import pandas as pd
    >>> table = captioned(pd.DataFrame({"beds": [32]}, index=["5 West"]), "Licensed beds by unit")
    >>> '<caption style="text-align:left">Licensed beds by unit</caption>' in table._repr_html_()
    True
    >>> print(table)
            beds
    5 West    32
    >>> captioned(..., "not done yet")
    Ellipsis
    """
    if hasattr(frame, "to_frame") and not hasattr(frame, "columns"):
        frame = frame.to_frame()
    if not hasattr(frame, "_repr_html_"):
        return frame
    return Captioned(frame, caption)
