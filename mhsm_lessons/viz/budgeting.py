"""Charts and explorers for the budgeting module: the variance report, the variance bridge, the HPPD trend, and two
ipywidgets explorers.

Every chart follows the course's accessible convention (:mod:`mhsm_lessons.viz.style`): Okabe-Ito colours,
meaning never by colour alone (an "F"/"U" label and a hatch on every variance bar, a line style and marker per
series), x labels that do not collide, and a text alternative: each function returns a
:class:`~mhsm_lessons.viz.style.Chart` whose ``alt`` and ``caption`` are built from the same numbers it draws.
When the table a chart needs is still ``...`` (an exercise not done yet), it says so and draws nothing, so Run
All never fails.

Each explorer is a thin layer over a pure function (``variance_explorer_state``, ``break_even_state``) that the
tests call directly; the widget recomputes that function whenever a slider moves. Explorers open exactly at the
numbers they are given (slider ranges are laid on a grid through the starting value, so nothing snaps), every
slider's visible label is also its tooltip, and the results are a labelled table in a polite live region. Widget
HTML is not typeset by JupyterLab, so its dollars stay plain (no escaping, which would show a backslash).
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import finance
from ..finance import LaborVariances
from .explorer import Explorer
from .style import FAVORABLE_COLOR, PALETTE, UNFAVORABLE_COLOR, UNFAVORABLE_HATCH, as_chart, money, series_style

__all__ = ["plot_variance_report", "plot_variance_bridge", "plot_hppd_trend", "FAVORABLE_COLOR",
           "UNFAVORABLE_COLOR", "Explorer", "variance_explorer", "variance_explorer_state", "break_even_explorer",
           "break_even_state"]

NEUTRAL_COLOR = "#6E6E6E"
#: The HPPD chart's three lines: Okabe-Ito blue, orange and black stay apart under every simulated dichromacy
#: (blue and bluish green, the palette's third series colour, come close for a tritanope).
HPPD_COLORS = (PALETTE["blue"], PALETTE["orange"], PALETTE["black"])
_DOLLARS = FuncFormatter(lambda x, _: money(x))


def _not_ready(value, what: str) -> bool:
    if value is ... or value is None:
        print(f"Complete {what} first; the chart will appear here when it holds your answer.")
        return True
    return False


def _short(label: str) -> str:
    return {"Favorable": "F", "Unfavorable": "U"}.get(label, "")


def plot_variance_report(report, ax=None, title: str | None = None, exclude=("Allocated overhead",)):
    """Horizontal bars of each line item's variance, marked Favorable / Unfavorable by colour, hatch and an F/U label.

    ``report`` needs the columns line_item, variance and label (as from :func:`finance.variance_report`, where
    the variance is actual − flexible budget). Allocated overhead is left out by default: the unit manager does
    not control it. Returns a :class:`~mhsm_lessons.viz.style.Chart` (``.ax`` is the axes).

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> from mhsm_lessons.finance import variance_report
    >>> chart = plot_variance_report(variance_report(load_dataset("medsurg_statement"), "2026-09"))
    >>> len(chart.ax.patches)
    9
    >>> chart.caption.startswith("The largest variance is Net patient service revenue")
    True
    >>> plot_variance_report(...)
    Complete the variance report first; the chart will appear here when it holds your answer.
    """
    if _not_ready(report, "the variance report"):
        return None
    if not isinstance(report, pd.DataFrame) or not {"line_item", "variance", "label"} <= set(report.columns):
        print("The chart needs a DataFrame with the columns line_item, variance and label.")
        return None
    rows = report[~report["line_item"].isin(exclude)].iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 0.5 * len(rows) + 1.4))
    favorable = [label == "Favorable" for label in rows["label"]]
    bars = ax.barh(rows["line_item"], rows["variance"],
                   color=[FAVORABLE_COLOR if f else UNFAVORABLE_COLOR for f in favorable],
                   hatch=None, edgecolor="black", linewidth=0.6)
    for bar, fav in zip(bars, favorable):
        if not fav:
            bar.set_hatch(UNFAVORABLE_HATCH)
    span = float(np.nanmax(np.abs(rows["variance"]))) if len(rows) else 1.0
    span = span or 1.0
    for bar, value, label in zip(bars, rows["variance"], rows["label"]):
        x = bar.get_width()
        ax.annotate(f"{_short(label)} {money(value)}", (x, bar.get_y() + bar.get_height() / 2),
                    xytext=(4 if x >= 0 else -4, 0), textcoords="offset points", va="center",
                    ha="left" if x >= 0 else "right", fontsize=9)
    ax.set_xlim(-1.8 * span, 1.8 * span)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(_DOLLARS)
    ax.xaxis.set_major_locator(plt.MaxNLocator(5))
    basis = "flexible budget" if "flexible_budget" in report.columns else "budget"
    ax.set_xlabel(f"Variance, actual − {basis} (dollars); F = Favorable (solid), U = Unfavorable (hatched)")
    ax.set_title(title or f"Variance by line item, actual − {basis}")
    ax.figure.tight_layout()
    shown = rows.iloc[::-1]
    if len(shown):
        top = shown.loc[shown["variance"].abs().idxmax()]
        n_u = int((shown["label"] == "Unfavorable").sum())
        caption = (f"The largest variance is {top['line_item']}: {money(top['variance'])} ({top['label']}). "
                   f"{n_u} of {len(shown)} lines are Unfavorable.")
    else:
        caption = "The report has no lines to draw."
    alt = (f"Horizontal bar chart of {len(shown)} line items' variances against the {basis}: "
           + "; ".join(f"{r.line_item} {money(r.variance)} {r.label}" for r in shown.itertuples()) + ".")
    return as_chart(ax, alt, caption)


def plot_variance_bridge(variances: LaborVariances, ax=None, title: str = "From static budget to actual"):
    """A bridge (waterfall) from the static budget through the volume, quantity and price variances to actual.

    Variance steps carry an F/U label and Unfavorable steps a hatch, so the meaning never rests on colour.
    Returns a :class:`~mhsm_lessons.viz.style.Chart`.

    Examples
    --------
    >>> from mhsm_lessons.finance import labor_variances
    >>> chart = plot_variance_bridge(labor_variances(850, 900, 5.0, 46.5, 4600, 220_800))
    >>> [round(p.get_height()) for p in chart.ax.patches]
    [197625, 11625, 4650, 6900, 220800]
    >>> print(chart.caption)
    Actual $220,800 against a static budget of $197,625: volume $11,625 (U), quantity $4,650 (U), price $6,900 (U).
    """
    if _not_ready(variances, "the variance questions"):
        return None
    steps = [("Static budget", variances.static_budget, 0.0), ("Volume", variances.volume, variances.static_budget),
             ("Quantity", variances.quantity, variances.flexible_budget),
             ("Price", variances.price, variances.flexible_budget + variances.quantity),
             ("Actual", variances.actual, 0.0)]
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2))
    tops = []
    for name, height, bottom in steps:
        if name in ("Static budget", "Actual"):
            bar = ax.bar(name, height, bottom=bottom, color=NEUTRAL_COLOR, edgecolor="black", linewidth=0.6)[0]
            text = money(height)
        else:
            label = finance.variance_label(height)
            bar = ax.bar(name, height, bottom=bottom, edgecolor="black", linewidth=0.6,
                         color=UNFAVORABLE_COLOR if height > 0 else FAVORABLE_COLOR,
                         hatch=UNFAVORABLE_HATCH if height > 0 else None)[0]
            text = f"{_short(label)} {money(height)}".strip()
        top = max(bottom, bottom + height)
        tops.append(top)
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, top), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9)
    values = [variances.static_budget, variances.actual, variances.flexible_budget,
              variances.flexible_budget + variances.quantity]
    low, high = min(values), max(tops)
    pad = max(high - low, 1.0)
    ax.set_ylim(low - 0.6 * pad, high + 0.35 * pad)
    ax.yaxis.set_major_formatter(_DOLLARS)
    ax.set_ylabel("Dollars")
    ax.set_title(title)
    ax.figure.tight_layout()
    parts = ", ".join(f"{n.lower()} {money(v)} ({_short(finance.variance_label(v)) or 'on budget'})"
                      for n, v in (("Volume", variances.volume), ("Quantity", variances.quantity),
                                   ("Price", variances.price)))
    caption = (f"Actual {money(variances.actual)} against a static budget of {money(variances.static_budget)}: "
               f"{parts}.")
    alt = (f"Bridge chart from the static budget ({money(variances.static_budget)}) through the volume, quantity "
           f"and price variances to the actual ({money(variances.actual)}); the flexible budget is "
           f"{money(variances.flexible_budget)}.")
    return as_chart(ax, alt, caption)


def plot_hppd_trend(monthly: pd.DataFrame, ax=None, title: str = "Worked HPPD against the budgeted standard, "
                                                                  "and paid HPPD"):
    """Monthly worked HPPD (actual and budget) and paid HPPD, each with its own colour, line style and marker.

    ``monthly`` is indexed by month ('YYYY-MM') with the columns worked_hppd, budget_worked_hppd and paid_hppd.
    Returns a :class:`~mhsm_lessons.viz.style.Chart`.

    Examples
    --------
    >>> frame = pd.DataFrame({"worked_hppd": [7.9, 8.1], "budget_worked_hppd": [7.6, 7.6],
    ...                       "paid_hppd": [8.8, 9.0]}, index=["2026-08", "2026-09"])
    >>> print(plot_hppd_trend(frame).caption)
    In 2026-09 worked HPPD was 8.10 against a budgeted 7.60 (6.6% above); paid HPPD was 9.00.
    """
    columns = (("worked_hppd", "Worked HPPD (actual)"), ("budget_worked_hppd", "Worked HPPD (budget)"),
               ("paid_hppd", "Paid HPPD (actual)"))
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.8))
    x = np.arange(len(monthly))
    for i, (column, name) in enumerate(columns):
        style = {**series_style(i), "color": HPPD_COLORS[i]}
        ax.plot(x, monthly[column].to_numpy(), label=name, markersize=4, **style)
    labels = [str(m) for m in monthly.index]
    step = max(1, int(np.ceil(len(labels) / 8)))
    ax.set_xticks(x[::step], labels[::step], rotation=0)
    ax.set_ylabel("Hours per patient day (RN + CNA)")
    ax.set_xlabel("Month")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.figure.tight_layout()
    last = monthly.iloc[-1]
    gap = last["worked_hppd"] / last["budget_worked_hppd"] - 1
    caption = (f"In {labels[-1]} worked HPPD was {last['worked_hppd']:.2f} against a budgeted "
               f"{last['budget_worked_hppd']:.2f} ({abs(gap):.1%} {'above' if gap >= 0 else 'below'}); paid HPPD "
               f"was {last['paid_hppd']:.2f}.")
    alt = (f"Line chart of monthly RN + CNA hours per patient day from {labels[0]} to {labels[-1]}: worked HPPD "
           f"ranged {monthly['worked_hppd'].min():.2f} to {monthly['worked_hppd'].max():.2f}, the budgeted standard "
           f"{monthly['budget_worked_hppd'].min():.2f} to {monthly['budget_worked_hppd'].max():.2f}, paid HPPD "
           f"{monthly['paid_hppd'].min():.2f} to {monthly['paid_hppd'].max():.2f}.")
    return as_chart(ax, alt, caption)


def _slider(kind, value, low, high, step, description, width="210px"):
    """A slider that opens exactly at ``value``: its range is a whole number of steps either side of it."""
    below = max(0, int(np.floor((value - low) / step)))
    above = max(1, int(np.ceil((high - value) / step)))
    lo, hi = value - below * step, value + above * step
    # handle in Okabe-Ito blue: 5.2:1 against white (WCAG 1.4.11 asks 3:1 for a control's graphics)
    common = dict(description=description, style={"description_width": width, "handle_color": FAVORABLE_COLOR},
                  layout={"width": "620px"},  # the Explorer caps it at the output area's width
                  readout=False, continuous_update=False, tooltip=description)
    if kind is widgets.IntSlider:
        return widgets.IntSlider(value=int(value), min=int(lo), max=int(hi), step=int(step), **common)
    return widgets.FloatSlider(value=float(value), min=float(lo), max=float(hi), step=float(step), **common)


def _cell(value: str, label: str) -> str:
    """The value with its label in one cell: '$1,886 (Unfavorable)', '8,428 patient days against 9,674 planned'."""
    if not label:
        return value
    if label in ("Favorable", "Unfavorable", "On budget"):
        return f"{value} ({label})"
    return f"{value}: {label}" if value == "none" else f"{value} {label}"


def _table(caption: str, rows) -> str:
    """Two columns (item, value with its label), so the table fits a 320 px wide screen without scrolling."""
    body = "".join(f"<tr><th scope='row' style='text-align:left'>{html.escape(n)}</th>"
                   f"<td>{html.escape(_cell(v, label))}</td></tr>" for n, v, label in rows)
    # the Explorer makes the widget holding this table a polite live region (its content is replaced on a change)
    return (f"<table><caption style='text-align:left'>{html.escape(caption)}"
            f"</caption><tr><th scope='col'>Item</th><th scope='col'>Value</th></tr>{body}</table>")


def variance_explorer_state(budget_patient_days, budget_hppd, budget_rate, actual_patient_days, actual_hppd,
                            actual_rate) -> finance.LaborVariances:
    """The three variances for a nursing labor line when actual volume, worked HPPD and hourly rate change.

    >>> s = variance_explorer_state(850, 5.0, 46.5, 900, 5.2, 48.0)
    >>> round(s.volume), round(s.quantity), round(s.price), round(s.total)
    (11625, 8370, 7020, 27015)
    """
    actual_hours = actual_patient_days * actual_hppd
    return finance.labor_variances(budget_patient_days, actual_patient_days, budget_hppd, budget_rate,
                                   actual_hours, actual_hours * actual_rate)


def _variance_rows(state: finance.LaborVariances):
    return [("Static budget", money(state.static_budget), ""), ("Flexible budget", money(state.flexible_budget), ""),
            ("Actual", money(state.actual), ""),
            ("Volume variance", money(state.volume), finance.variance_label(state.volume)),
            ("Quantity variance", money(state.quantity), finance.variance_label(state.quantity)),
            ("Price variance", money(state.price), finance.variance_label(state.price)),
            ("Total variance", money(state.total), finance.variance_label(state.total))]


def variance_explorer(budget_patient_days=850, budget_hppd=5.0, budget_rate=46.5, actual_patient_days=None,
                      actual_hppd=None, actual_rate=None):
    """Sliders for actual patient days, worked HPPD and hourly rate; shows how the three variances move.

    It opens at the actuals given (the budget when they are omitted), exactly: nothing snaps to a slider step.
    Returns an :class:`Explorer` (an ``ipywidgets.VBox``): three sliders, a note with the budget, and an HTML
    table (``.children[-1]``) that lists the sliders' values and the variances; it is a polite live region.

    Examples
    --------
    >>> box = variance_explorer(850, 5.0, 46.5)
    >>> box.children[0].value = 900
    >>> "$11,625" in box.children[-1].value
    True
    >>> variance_explorer(771, 4.83, 48.82, 779, 4.9085, 49.43).children[2].value
    49.43
    """
    actual_patient_days = budget_patient_days if actual_patient_days is None else actual_patient_days
    actual_hppd = budget_hppd if actual_hppd is None else actual_hppd
    actual_rate = budget_rate if actual_rate is None else actual_rate
    pd_slider = _slider(widgets.IntSlider, int(round(actual_patient_days)), budget_patient_days * 0.7,
                        budget_patient_days * 1.3, 1, "Actual patient days")
    hppd_slider = _slider(widgets.FloatSlider, float(actual_hppd), budget_hppd * 0.7, budget_hppd * 1.3, 0.05,
                          "Actual worked HPPD")
    rate_slider = _slider(widgets.FloatSlider, float(actual_rate), budget_rate * 0.8, budget_rate * 1.4, 0.25,
                          "Actual hourly rate (dollars)")
    out = widgets.HTML()

    def update(_=None):
        state = variance_explorer_state(budget_patient_days, budget_hppd, budget_rate, pd_slider.value,
                                        hppd_slider.value, rate_slider.value)
        rows = [("Actual patient days", f"{pd_slider.value:,}", ""),
                ("Actual worked HPPD", f"{hppd_slider.value:.2f}", ""),
                ("Actual hourly rate", money(rate_slider.value, 2), "")] + _variance_rows(state)
        out.value = _table("Your settings and the RN variances they give", rows)

    for slider in (pd_slider, hppd_slider, rate_slider):
        slider.observe(update, names="value")
    update()
    note = widgets.HTML(html.escape(
        f"Budget: {budget_patient_days:,.0f} patient days × {budget_hppd:g} worked HPPD × "
        f"{money(budget_rate, 2)} per hour. Move the sliders (or use the arrow keys) to set the actuals."))
    return Explorer([pd_slider, hppd_slider, rate_slider, note, out])


def break_even_state(fixed_costs, revenue_per_unit, variable_cost_per_unit, planned_volume) -> dict:
    """Contribution margin, break-even volume and margin of safety (share of planned volume above break-even).

    >>> s = break_even_state(1_522_500, 2450, 420, 850)
    >>> s["contribution_margin"], s["break_even"], round(s["margin_of_safety"], 4)
    (2030.0, 750.0, 0.1176)
    """
    cm = finance.contribution_margin(revenue_per_unit, variable_cost_per_unit)
    if cm <= 0:
        return {"contribution_margin": cm, "break_even": None, "margin_of_safety": None}
    be = finance.break_even_volume(fixed_costs, revenue_per_unit, variable_cost_per_unit)
    return {"contribution_margin": cm, "break_even": be,
            "margin_of_safety": (planned_volume - be) / planned_volume if planned_volume else None}


def break_even_explorer(fixed_costs, revenue_per_unit, variable_cost_per_unit, planned_volume, unit="patient days"):
    """Sliders for net revenue and variable cost per unit and for fixed costs; shows break-even and safety margin.

    Opens exactly at the figures given. Returns an :class:`Explorer` whose ``.children[-1]`` is the results table.

    Examples
    --------
    >>> box = break_even_explorer(1_522_500, 2450, 420, 850)
    >>> "750 patient days" in box.children[-1].value
    True
    >>> break_even_explorer(15_123_456.78, 2525.74, 433.53, 9000).children[0].value
    2525.74
    """
    per = unit[:-1] if unit.endswith("s") else unit  # "patient days" -> "patient day"
    rev = _slider(widgets.FloatSlider, float(revenue_per_unit), revenue_per_unit * 0.6, revenue_per_unit * 1.3, 10,
                  f"Net revenue per {per} (dollars)", "260px")
    var = _slider(widgets.FloatSlider, float(variable_cost_per_unit), 0.0, max(revenue_per_unit, 1.0), 5,
                  f"Variable cost per {per} (dollars)", "260px")
    fixed = _slider(widgets.FloatSlider, float(fixed_costs), fixed_costs * 0.5, fixed_costs * 1.5,
                    max(1000.0, round(fixed_costs / 1000, -3)), "Fixed costs for the year (dollars)", "260px")
    out = widgets.HTML()

    def update(_=None):
        s = break_even_state(fixed.value, rev.value, var.value, planned_volume)
        rows = [("Net revenue per unit", money(rev.value, 2), ""), ("Variable cost per unit", money(var.value, 2), ""),
                ("Fixed costs", money(fixed.value), ""), ("Contribution margin per unit",
                                                          money(s["contribution_margin"], 2), "")]
        if s["break_even"] is None:
            rows.append(("Break-even", "none", "variable cost per unit is at or above net revenue per unit, so "
                                               "every extra unit loses money"))
        else:
            rows += [("Break-even", f"{s['break_even']:,.0f} {unit}", f"against {planned_volume:,.0f} planned"),
                     ("Margin of safety", f"{s['margin_of_safety']:.1%}", "of planned volume above break-even")]
        out.value = _table("Your settings and the break-even they give", rows)

    for slider in (rev, var, fixed):
        slider.observe(update, names="value")
    update()
    return Explorer([rev, var, fixed, out])
