"""Matplotlib drawings of run charts and control charts from :mod:`mhsm_lessons.spc` results.

Each function draws on the ``ax`` it is given (or on a new figure) and returns the Axes. Nothing here changes
matplotlib's global settings, and nothing calls ``plt.show()``: in Jupyter the figure appears at the end of the
cell; in a script call ``fig.savefig(...)`` on ``ax.figure``.

Artists carry labels so they can be found again (and tested): ``"data"``, ``"median"``, ``"centre line"``,
``"upper limit"``, ``"lower limit"``, ``"signal"``, ``"part boundary"``, ``"end of baseline"``, and one text
annotation per PDSA cycle (gid ``"pdsa"``).

Examples
--------
>>> from mhsm_lessons.spc import run_chart
>>> ax = plot_run_chart(run_chart([5, 6, 4, 5, 7, 3, 5, 9, 10, 11, 12, 13, 12]))
>>> [line.get_label() for line in ax.get_lines()]
['data', 'median']
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""
from __future__ import annotations

import numpy as np

from ..spc import ControlChartResult, PDSALog, RunChartResult

__all__ = ["plot_run_chart", "plot_control_chart"]

SIGNAL_COLOUR = "#d95f02"
DATA_COLOUR = "#1b5e9b"
LINE_COLOUR = "#555555"


def _axes(ax, figsize=(8, 3.5)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # imported here so importing this module touches no pyplot state

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _x(x, n):
    if x is None:
        return np.arange(n)
    xs = list(x.tolist() if hasattr(x, "tolist") else x)
    if len(xs) != n:
        raise ValueError(f"x has {len(xs)} values but the chart has {n} points; give one x value per point.")
    try:
        import pandas as pd

        if all(isinstance(v, str) for v in xs):
            return pd.to_datetime(pd.Series(xs)).to_numpy()
    except (ValueError, TypeError):
        pass
    return np.asarray(xs)


def _annotate_pdsa(ax, pdsa, x, xs):
    if pdsa is None:
        return
    if isinstance(pdsa, PDSALog):
        if x is None:
            raise ValueError("To place PDSA cycles on the chart, give x: the date of each point (for example "
                             "df['week_start']).")
        notes = pdsa.annotations(x)
    else:
        notes = list(pdsa)
    for pos, label in notes:
        xpos = xs[pos] if (x is not None and isinstance(pdsa, PDSALog)) else pos
        if isinstance(xpos, str):
            xpos = np.datetime64(xpos)
        elif hasattr(xpos, "isoformat") and not isinstance(xpos, np.datetime64):
            xpos = np.datetime64(xpos.isoformat())
        ax.axvline(xpos, color=LINE_COLOUR, linestyle=":", linewidth=1, gid="pdsa")
        ax.annotate(label, xy=(xpos, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -2),
                    textcoords="offset points", va="top", ha="left", fontsize=8, rotation=90, gid="pdsa")


def _signals(ax, xs, y, mask):
    if mask.any():
        ax.scatter(xs[mask], y[mask], s=40, color=SIGNAL_COLOUR, zorder=3, label="signal")


def plot_run_chart(result: RunChartResult, *, x=None, ax=None, title: str | None = None, ylabel: str = "",
                   pdsa=None, show_signals: bool = True):
    """Draw a run chart: the data, the median, and the points in a signal highlighted.

    Parameters
    ----------
    result : RunChartResult
        From :func:`mhsm_lessons.spc.run_chart`.
    x : sequence, optional
        One x value per point (dates as ISO text or dates); default 0, 1, 2, ...
    ax : matplotlib Axes, optional
        Draw here; by default a new figure is made.
    title, ylabel : str, optional
    pdsa : PDSALog or list of (x, label), optional
        Vertical annotations; a :class:`~mhsm_lessons.spc.PDSALog` is placed at each cycle's start date
        (give ``x`` as dates to line them up with the points).
    show_signals : bool, default True
        Highlight the points belonging to a signal.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from mhsm_lessons.spc import run_chart
    >>> rc = run_chart([5, 6, 4, 5, 7, 3, 5, 9, 10, 11, 12, 13, 12], rules="ihi")
    >>> ax = plot_run_chart(rc, title="Weekly no-show rate")
    >>> len(ax.collections[0].get_offsets())  # highlighted points
    12
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    if not isinstance(result, RunChartResult):
        raise TypeError(f"plot_run_chart needs the result of run_chart(); you gave {type(result).__name__}.")
    ax = _axes(ax)
    pts = result.points
    y = pts["value"].to_numpy(dtype=float)
    xs = _x(x, len(y))
    ax.plot(xs, y, marker="o", color=DATA_COLOUR, linewidth=1.2, markersize=4, label="data")
    if result.median is not None:
        ax.plot(xs, pts["median"].to_numpy(dtype=float), color=LINE_COLOUR, linewidth=1.5, label="median")
    if show_signals:
        _signals(ax, xs, y, pts["signal"].to_numpy(dtype=bool))
    _annotate_pdsa(ax, pdsa, x, xs)
    if title:
        ax.set_title(title)
    if ylabel:
        ax.set_ylabel(ylabel)
    return ax


def plot_control_chart(result: ControlChartResult, *, x=None, ax=None, title: str | None = None,
                       ylabel: str = "", pdsa=None, show_signals: bool = True, show_baseline: bool = True,
                       show_parts: bool = True):
    """Draw a control chart: data, centre line, control limits (stepping where they vary), signals, boundaries.

    Parameters
    ----------
    result : ControlChartResult
        From one of the chart functions in :mod:`mhsm_lessons.spc`.
    x, ax, title, ylabel, pdsa, show_signals
        As for :func:`plot_run_chart`.
    show_baseline : bool, default True
        Draw a dashed vertical line after the last baseline point when the limits were frozen.
    show_parts : bool, default True
        Draw a vertical line where each new part (separate limits) begins.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from mhsm_lessons.spc import i_chart
    >>> ch = i_chart([49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1])
    >>> ax = plot_control_chart(ch)
    >>> [line.get_label() for line in ax.get_lines()]
    ['data', 'centre line', 'upper limit', 'lower limit']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    if not isinstance(result, ControlChartResult):
        raise TypeError("plot_control_chart needs the result of a chart function such as p_chart(); "
                        f"you gave {type(result).__name__}.")
    ax = _axes(ax)
    pts = result.points
    y = pts["value"].to_numpy(dtype=float)
    xs = _x(x, len(y))
    ax.plot(xs, y, marker="o", color=DATA_COLOUR, linewidth=1.2, markersize=4, label="data")
    ax.plot(xs, pts["cl"].to_numpy(dtype=float), color=LINE_COLOUR, linewidth=1.5, drawstyle="steps-mid",
            label="centre line")
    ax.plot(xs, pts["ucl"].to_numpy(dtype=float), color=LINE_COLOUR, linestyle="--", linewidth=1,
            drawstyle="steps-mid", label="upper limit")
    ax.plot(xs, pts["lcl"].to_numpy(dtype=float), color=LINE_COLOUR, linestyle="--", linewidth=1,
            drawstyle="steps-mid", label="lower limit")
    if show_signals:
        _signals(ax, xs, y, pts["signal"].to_numpy(dtype=bool))
    if show_parts:
        part = pts["part"].to_numpy()
        for i in np.flatnonzero(np.diff(part) != 0) + 1:
            ax.axvline(_midpoint(xs, i), color=LINE_COLOUR, linewidth=1, label="part boundary")
    base = pts["baseline"].to_numpy(dtype=bool)
    if show_baseline and not base.all():
        last = int(np.flatnonzero(base)[-1]) + 1
        ax.axvline(_midpoint(xs, last), color=LINE_COLOUR, linestyle="-.", linewidth=1, label="end of baseline")
    _annotate_pdsa(ax, pdsa, x, xs)
    if title:
        ax.set_title(title)
    if ylabel:
        ax.set_ylabel(ylabel)
    return ax


def _midpoint(xs, i):
    """Halfway between point i-1 and point i (works for numbers and datetimes)."""
    a, b = xs[i - 1], xs[i]
    return a + (b - a) / 2
