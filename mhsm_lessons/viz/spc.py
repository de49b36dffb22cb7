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

__all__ = ["plot_run_chart", "plot_control_chart", "run_chart_figure", "control_chart_figure",
           "simulate_process", "rule_performance", "signal_or_noise_explorer"]

# Okabe-Ito (viz.style): blue for the data, vermillion for signals (also drawn as a larger marker with a ring,
# so a signal never relies on colour alone).
SIGNAL_COLOUR = "#D55E00"
DATA_COLOUR = "#0072B2"
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
    for k, (pos, label) in enumerate(notes):
        xpos = xs[pos] if (x is not None and isinstance(pdsa, PDSALog)) else pos
        if isinstance(xpos, str):
            xpos = np.datetime64(xpos)
        elif hasattr(xpos, "isoformat") and not isinstance(xpos, np.datetime64):
            xpos = np.datetime64(xpos.isoformat())
        ax.axvline(xpos, color=LINE_COLOUR, linestyle=":", linewidth=1, gid="pdsa")
        # horizontal labels, staggered downwards so that cycles a week apart do not overlap; a cycle in the right
        # half of the chart is labelled to the left of its line, so the label never runs into the legend
        lo, hi = ax.get_xlim()
        right_half = hi > lo and (float(ax.xaxis.convert_units(xpos)) - lo) / (hi - lo) > 0.5
        ax.annotate(label, xy=(xpos, 0.97 - 0.085 * k), xycoords=("data", "axes fraction"),
                    xytext=(-3 if right_half else 3, 0), textcoords="offset points", va="top",
                    ha="right" if right_half else "left", fontsize=8, gid="pdsa",
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _signals(ax, xs, y, mask):
    if mask.any():
        ax.scatter(xs[mask], y[mask], s=55, color=SIGNAL_COLOUR, marker="D", edgecolors="black", linewidths=0.6,
                   zorder=3, label="signal")


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
                       show_parts: bool = True, show_2sigma: bool = False):
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
    show_2sigma : bool, default False
        Draw the 2-sigma lines (dotted), the zone the NHS 2-of-3 rule uses.

    Excluded points (``exclude=``) are drawn as open circles labelled ``"excluded"``.

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
    if show_2sigma and "ucl_2sigma" in pts:
        for col, label in (("ucl_2sigma", "upper 2-sigma line"), ("lcl_2sigma", "lower 2-sigma line")):
            ax.plot(xs, pts[col].to_numpy(dtype=float), color=LINE_COLOUR, linestyle=":", linewidth=1,
                    drawstyle="steps-mid", label=label)
    if "included" in pts and not pts["included"].all():
        out = ~pts["included"].to_numpy(dtype=bool)
        ax.scatter(xs[out], y[out], s=150, facecolors="white", edgecolors="black", zorder=2.5, label="excluded")
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


# --------------------------------------------------------------------------------------------------------------
# Charts with a text alternative (viz.style.as_chart)


def _fmt(v: float, percent: bool) -> str:
    if percent:
        return f"{100 * v:.1f}%"
    return f"{v:,.1f}" if abs(v) >= 1 else f"{v:.3g}"


def _weeks(points, excluded=()) -> str:
    return ", ".join(f"{int(p) + 1}{' (excluded)' if p in excluded else ''}" for p in points)


def _finish_axes(ax, percent: bool) -> None:
    """Percent ticks when asked, and one legend entry per label, outside the plot so it never hides a point."""
    if percent:
        from matplotlib.ticker import PercentFormatter

        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    handles, labels = ax.get_legend_handles_labels()
    seen = {}
    for h, lab in zip(handles, labels):
        seen.setdefault(lab, h)
    ax.legend(seen.values(), seen.keys(), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _plural(what: str, n: int) -> str:
    return what if n == 1 else f"{what}s"


def run_chart_figure(result: RunChartResult, *, x=None, title: str = "Run chart", ylabel: str = "", pdsa=None,
                     percent: bool = False, what: str = "week"):
    """A run chart as a :class:`~mhsm_lessons.viz.style.Chart`: the drawing plus alt text and a caption.

    The caption states the centre line and every rule that fired with its points (numbered from 1, as
    ``what`` 1, 2, ...), from the same result the chart draws.

    Examples
    --------
    >>> from mhsm_lessons.spc import run_chart
    >>> chart = run_chart_figure(run_chart([5, 6, 4, 5, 7, 3, 5, 9, 10, 11, 12, 13, 12]), title="Waits")
    >>> print(chart.caption)
    Median 7.0. Signal: only 1 crossings of the median (fewer than 3).
    """
    from .style import as_chart

    ax = plot_run_chart(result, x=x, title=title, ylabel=ylabel, pdsa=pdsa, show_signals=False)
    # Mark the points of a shift or trend; "too few crossings/runs" concerns the whole chart and is in the caption.
    pts = result.points
    local = [r for r in ("shift", "trend") if r in pts]
    if local:
        xs = _x(x, len(pts))
        _signals(ax, xs, pts["value"].to_numpy(dtype=float), pts[local].any(axis=1).to_numpy(dtype=bool))
    _finish_axes(ax, percent)
    rules = "Anhøj" if result.rules == "anhoej" else "IHI"
    if result.median is None:
        alt = f"{title}: a run chart with no data."
        return as_chart(ax, alt, "No data: no analysis.")
    alt = (f"{title}: run chart of {result.n_obs} {what}s with the median at {_fmt(result.median, percent)} "
           f"({rules} rules); points in a shift or trend are marked with diamonds.")
    if result.signals:
        whole = ("crossings", "too_few_runs", "too_many_runs")  # these cover every useful point: no list
        caption = f"Median {_fmt(result.median, percent)}. " + " ".join(
            f"Signal: {s.description}." if s.rule in whole else
            f"Signal: {s.description} ({_plural(what, len(s.points))} {_weeks(s.points)})." for s in result.signals)
    else:
        caption = f"Median {_fmt(result.median, percent)}. No signal: only random variation by the {rules} rules."
    gap = _gap_sentence(pts, what)
    return as_chart(ax, alt, caption + (" " + gap[0] if gap else ""))


def control_chart_figure(result: ControlChartResult, *, x=None, title: str = "Control chart", ylabel: str = "",
                         pdsa=None, percent: bool = False, show_2sigma: bool = False, what: str = "week"):
    """A control chart as a :class:`~mhsm_lessons.viz.style.Chart` with alt text and a caption of its findings.

    Examples
    --------
    >>> from mhsm_lessons.spc import i_chart
    >>> chart = control_chart_figure(i_chart([49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]))
    >>> print(chart.caption)
    Centre line 50.8, limits 45.8 to 55.8. No point beyond the limits. Runs analysis: no signal.
    """
    from .style import as_chart

    ax = plot_control_chart(result, x=x, title=title, ylabel=ylabel, pdsa=pdsa, show_2sigma=show_2sigma)
    _finish_axes(ax, percent)
    pts = result.points
    parts = []
    for part, grp in pts.groupby("part", sort=True):
        lo, hi = grp["lcl"].dropna(), grp["ucl"].dropna()
        rng = (f"{_fmt(lo.iloc[0], percent)} to {_fmt(hi.iloc[0], percent)}" if lo.nunique() == 1 and
               hi.nunique() == 1 else "varying with the denominator")
        label = f"Part {part}: centre line" if pts["part"].nunique() > 1 else "Centre line"
        parts.append(f"{label} {_fmt(grp['cl'].iloc[0], percent)}, limits {rng}.")
    frozen = "" if pts["baseline"].all() else f" Limits frozen on the first {int(pts['baseline'].sum())} {what}s."
    alt = (f"{title}: {result.chart} chart of {len(pts)} {what}s with centre line and control limits."
           f"{frozen} Points in a signal are marked with diamonds; excluded points are open circles.")
    beyond = result.signal_points("beyond_limits")
    excluded = set(np.flatnonzero(~pts["included"].to_numpy(dtype=bool)).tolist()) if "included" in pts else set()
    sentences = parts + ([f"Beyond the limits: {_plural(what, len(beyond))} {_weeks(beyond, excluded)}."]
                         if beyond else ["No point beyond the limits."])
    for rule in ("shift", "trend", "two_of_three"):
        pos = result.signal_points(rule)
        if pos:
            sentences.append(f"NHS rule {rule.replace('_', ' ')}: {_plural(what, len(pos))} {_weeks(pos)}.")
    if result.runs:
        sentences.append("Runs analysis: signal." if result.runs_signal else "Runs analysis: no signal.")
    sentences += _gap_sentence(pts, what, skip_first=result.chart == "MR")
    return as_chart(ax, alt, " ".join(sentences) + frozen)


def _gap_sentence(pts, what: str, *, skip_first: bool = False) -> list[str]:
    """A sentence naming the periods with no value (drawn as gaps in the line), numbered from 1."""
    gaps = np.flatnonzero(np.isnan(pts["value"].to_numpy(dtype=float)))
    if skip_first:
        gaps = gaps[gaps > 0]
    if not gaps.size:
        return []
    gap = "left as a gap" if gaps.size == 1 else "left as gaps"
    return [f"No value for {_plural(what, gaps.size)} {_weeks(gaps)} ({gap} and out of the calculations)."]


# --------------------------------------------------------------------------------------------------------------
# "Signal or noise?" explorer


def simulate_process(n_before: int, n_after: int, shift: float, seed: int) -> np.ndarray:
    """A weekly measure: standard normal noise, mean 0 before and ``shift`` (in sigma) after the change.

    >>> simulate_process(3, 2, 0.0, seed=1).shape
    (5,)
    """
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0, n_before + n_after) + np.r_[np.zeros(n_before), np.full(n_after, float(shift))]


def rule_performance(n_points=(12, 16, 20, 24, 32, 40), shift: float = 1.0, reps: int = 200, seed: int = 2024):
    """Share of simulated charts that signal, by rule set and length: false alarms (no shift) and detection.

    The shift (in sigma) starts halfway along each chart; the median is computed from the whole chart, as on a
    run chart without a baseline. A rule set signals when any of its rules fires (IHI: shift, trend, too few or
    too many runs; Anhøj: shift, crossings). Returns a DataFrame with one row per length.

    >>> table = rule_performance((12,), reps=20)
    >>> table.columns.tolist()
    ['points', 'IHI false alarms', 'Anhøj false alarms', 'IHI detection', 'Anhøj detection']
    """
    import pandas as pd

    from ..spc import run_chart

    rng = np.random.default_rng(seed)
    rows = []
    for n in n_points:
        counts = {"IHI false alarms": 0, "Anhøj false alarms": 0, "IHI detection": 0, "Anhøj detection": 0}
        half = n // 2
        for _ in range(reps):
            noise = rng.normal(0.0, 1.0, n)
            shifted = noise + np.r_[np.zeros(half), np.full(n - half, shift)]
            for name, series in (("false alarms", noise), ("detection", shifted)):
                counts[f"IHI {name}"] += run_chart(series, rules="ihi").signal
                counts[f"Anhøj {name}"] += run_chart(series, rules="anhoej").signal
        rows.append({"points": n, **{k: v / reps for k, v in counts.items()}})
    return pd.DataFrame(rows)


def _png(fig) -> bytes:
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def signal_or_noise_explorer(seed: int = 4):
    """The "signal or noise?" explorer: make a process, call it, then let the rules reveal the answer.

    Controls (each ``description`` is its visible label): "Weeks before change", "Weeks after change",
    "Shift size (sigma)", "Random seed", "Your call", and the buttons "Reveal the rules" and "Compare IHI and
    Anhøj". The first panel draws the run chart without revealing anything (an image, with a text description
    below it); "Reveal the rules" shows the IHI and Anhøj verdicts and the truth. The second panel simulates the
    false-alarm rate and the detection rate of both rule sets as the number of points grows.

    Returns an ``ipywidgets.VBox``; ``.children`` are the controls, the buttons, the chart (``Image``), its text
    description (HTML), the verdict (HTML) and the comparison table (HTML).
    """
    import base64
    import html

    import ipywidgets as widgets

    import matplotlib.pyplot as plt

    from .._html import table_html
    from .explorer import Explorer

    from ..spc import run_chart

    style, layout = {"description_width": "150px"}, {"width": "420px"}
    before = widgets.IntSlider(value=16, min=6, max=30, description="Weeks before change", style=style,
                               layout=layout)
    after = widgets.IntSlider(value=10, min=0, max=30, description="Weeks after change", style=style,
                              layout=layout)
    size = widgets.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.25, description="Shift size (sigma)",
                               style=style, layout=layout)
    seed_box = widgets.BoundedIntText(value=seed, min=0, max=10_000, description="Random seed", style=style,
                                      layout=layout)
    call = widgets.ToggleButtons(options=["Signal", "Noise"], value=None, description="Your call", style=style)
    reveal = widgets.Button(description="Reveal the rules", tooltip="Reveal the rules")
    compare = widgets.Button(description="Compare IHI and Anhøj", tooltip="Compare IHI and Anhøj")
    image = widgets.HTML()  # the chart as an <img> with alt text (an Image widget cannot carry one)
    described = widgets.HTML()
    prompt = "<p>Look at the chart, make your call, then reveal the rules.</p>"
    verdict = widgets.HTML(value=prompt)
    comparison = widgets.HTML()

    def series():
        return simulate_process(before.value, after.value, size.value, seed_box.value)

    def draw(_=None):
        verdict.value = prompt
        y = series()
        result = run_chart(y, rules="anhoej")
        fig, ax = plt.subplots(figsize=(7, 2.8))
        plot_run_chart(result, ax=ax, title="Weekly measure", show_signals=False)
        png = base64.b64encode(_png(fig)).decode("ascii")
        plt.close(fig)
        words = (f"Chart: {len(y)} weekly values around a median of {result.median:.2f}; "
                 "the rules are not shown until you reveal them.")
        image.value = (f'<img src="data:image/png;base64,{png}" alt="Run chart of the weekly measure. '
                       f'{html.escape(words, quote=True)}" style="width:640px;max-width:100%;height:auto">')
        described.value = f"<p><small>{words}</small></p>"

    def on_reveal(_=None):
        y = series()
        ihi, anhoej = run_chart(y, rules="ihi"), run_chart(y, rules="anhoej")
        truth = "a real shift" if after.value and size.value else "noise only (no shift)"
        guess = "" if call.value is None else f"You called it <b>{call.value.lower()}</b>. "

        def said(result):
            found = "; ".join(s.description for s in result.signals)
            return ("signal (" + html.escape(found) + ")") if result.signals else "no signal"

        verdict.value = f"<p>{guess}The process had {truth}. IHI rules: {said(ihi)}. Anhøj rules: {said(anhoej)}.</p>"

    def on_compare(_=None):
        table = rule_performance(shift=max(size.value, 0.5), reps=150)
        comparison.value = (f"<p>Share of 150 simulated charts that signal, shift of {max(size.value, 0.5):g} "
                            "sigma in the second half:</p>"
                            + table_html(table, "Share of simulated charts that signal, by rule set and number "
                                         "of points", index=False, float_format=lambda v: f"{v:.0%}"))

    for w in (before, after, size, seed_box):
        w.observe(draw, names="value")
    reveal.on_click(on_reveal)
    compare.on_click(on_compare)
    draw()
    controls = widgets.VBox([before, after, size, seed_box, call])
    return Explorer([controls, widgets.HBox([reveal, compare]), image, described, verdict, comparison],
                    live=[described, verdict, comparison])
