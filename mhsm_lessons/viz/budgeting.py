"""Charts and explorers for the budgeting module: the variance report, the variance bridge, and two ipywidgets explorers.

Each function draws on a Matplotlib ``Axes`` (a new figure when none is given) and returns the ``Axes``. When the
table it needs is still ``...`` (an exercise not done yet), it says so and draws nothing, so Run All never fails.

Each explorer is a thin layer over a pure function (``variance_explorer_state``, ``break_even_state``) that the
tests call directly; the widget recomputes that function whenever a slider moves.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import finance
from ..finance import LaborVariances

__all__ = ["plot_variance_report", "plot_variance_bridge", "FAVORABLE_COLOR", "UNFAVORABLE_COLOR",
           "variance_explorer", "variance_explorer_state", "break_even_explorer", "break_even_state"]

FAVORABLE_COLOR = "#2e7d32"
UNFAVORABLE_COLOR = "#c62828"
_DOLLARS = FuncFormatter(lambda x, _: f"-${abs(x):,.0f}" if x < 0 else f"${x:,.0f}")


def _not_ready(value, what: str) -> bool:
    if value is ... or value is None:
        print(f"Complete {what} first; the chart will appear here when it holds your answer.")
        return True
    return False


def plot_variance_report(report, ax=None, title: str | None = None, exclude=("Allocated overhead",)):
    """Horizontal bars of each line item's variance (actual − budget), coloured Favorable / Unfavorable.

    ``report`` needs the columns line_item, variance and label (as from :func:`finance.variance_report`).
    Allocated overhead is left out by default: the unit manager does not control it.

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> from mhsm_lessons.finance import variance_report
    >>> ax = plot_variance_report(variance_report(load_dataset("medsurg_statement"), "2026-09"))
    >>> len(ax.patches)
    9
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
        _, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.2))
    colors = [FAVORABLE_COLOR if label == "Favorable" else UNFAVORABLE_COLOR for label in rows["label"]]
    ax.barh(rows["line_item"], rows["variance"], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(_DOLLARS)
    ax.set_xlabel("Variance, actual − budget (dollars)")
    ax.set_title(title or "Variance by line item (green: Favorable, red: Unfavorable)")
    ax.figure.tight_layout()
    return ax


def plot_variance_bridge(variances: LaborVariances, ax=None, title: str = "From static budget to actual"):
    """A bridge (waterfall) from the static budget through the volume, quantity and price variances to actual.

    Examples
    --------
    >>> from mhsm_lessons.finance import labor_variances
    >>> ax = plot_variance_bridge(labor_variances(850, 900, 5.0, 46.5, 4600, 220_800))
    >>> [round(p.get_height()) for p in ax.patches]
    [197625, 11625, 4650, 6900, 220800]
    """
    if _not_ready(variances, "the variance questions"):
        return None
    steps = [("Static budget", variances.static_budget, 0.0), ("Volume", variances.volume, variances.static_budget),
             ("Quantity", variances.quantity, variances.flexible_budget),
             ("Price", variances.price, variances.flexible_budget + variances.quantity),
             ("Actual", variances.actual, 0.0)]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for name, height, bottom in steps:
        if name in ("Static budget", "Actual"):
            color = "#607d8b"
        else:
            color = UNFAVORABLE_COLOR if height > 0 else FAVORABLE_COLOR
        ax.bar(name, height, bottom=bottom, color=color)
    low = min(variances.static_budget, variances.actual, variances.flexible_budget) * 0.9
    ax.set_ylim(bottom=low)
    ax.yaxis.set_major_formatter(_DOLLARS)
    ax.set_ylabel("Dollars")
    ax.set_title(title)
    ax.figure.tight_layout()
    return ax


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


def _money(x: float) -> str:
    return f"-${abs(x):,.0f}" if x < 0 else f"${x:,.0f}"


def _variance_html(state: finance.LaborVariances) -> str:
    rows = [("Static budget", state.static_budget, ""), ("Flexible budget", state.flexible_budget, ""),
            ("Actual", state.actual, ""),
            ("Volume variance", state.volume, finance.variance_label(state.volume)),
            ("Quantity variance", state.quantity, finance.variance_label(state.quantity)),
            ("Price variance", state.price, finance.variance_label(state.price)),
            ("Total variance", state.total, finance.variance_label(state.total))]
    body = "".join(f"<tr><td>{html.escape(n)}</td><td style='text-align:right'>{_money(v)}</td>"
                   f"<td>{html.escape(label)}</td></tr>" for n, v, label in rows)
    return f"<table><tr><th>Item</th><th>Dollars</th><th>Label</th></tr>{body}</table>"


def variance_explorer(budget_patient_days=850, budget_hppd=5.0, budget_rate=46.5):
    """Sliders for actual patient days, worked HPPD and hourly rate; shows how the three variances move.

    Returns an ``ipywidgets.VBox``; its ``.children[-1]`` is the HTML table of variances.

    Examples
    --------
    >>> box = variance_explorer(850, 5.0, 46.5)
    >>> box.children[0].value = 900
    >>> "$11,625" in box.children[-1].value
    True
    """
    pd_slider = widgets.IntSlider(value=int(budget_patient_days), min=int(budget_patient_days * 0.7),
                                  max=int(budget_patient_days * 1.3), description="Patient days",
                                  style={"description_width": "150px"}, layout={"width": "520px"})
    hppd_slider = widgets.FloatSlider(value=float(budget_hppd), min=round(budget_hppd * 0.7, 2),
                                      max=round(budget_hppd * 1.3, 2), step=0.05,
                                      description="Worked HPPD", style={"description_width": "150px"},
                                      layout={"width": "520px"})
    rate_slider = widgets.FloatSlider(value=float(budget_rate), min=round(budget_rate * 0.8, 2),
                                      max=round(budget_rate * 1.4, 2), step=0.25,
                                      description="Hourly rate ($)", style={"description_width": "150px"},
                                      layout={"width": "520px"})
    out = widgets.HTML()

    def update(_=None):
        state = variance_explorer_state(budget_patient_days, budget_hppd, budget_rate, pd_slider.value,
                                        hppd_slider.value, rate_slider.value)
        out.value = _variance_html(state)

    for slider in (pd_slider, hppd_slider, rate_slider):
        slider.observe(update, names="value")
    update()
    note = widgets.HTML(f"<b>Budget:</b> {budget_patient_days:,.0f} patient days × {budget_hppd:g} worked HPPD × "
                        f"${budget_rate:,.2f}/h. Move the sliders to set the actuals.")
    return widgets.VBox([pd_slider, hppd_slider, rate_slider, note, out])


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

    Examples
    --------
    >>> box = break_even_explorer(1_522_500, 2450, 420, 850)
    >>> "750" in box.children[-1].value
    True
    """
    style, layout = {"description_width": "190px"}, {"width": "560px"}
    rev = widgets.FloatSlider(value=float(revenue_per_unit), min=round(revenue_per_unit * 0.6, 0),
                              max=round(revenue_per_unit * 1.3, 0), step=10, description="Net revenue per unit ($)",
                              style=style, layout=layout)
    var = widgets.FloatSlider(value=float(variable_cost_per_unit), min=0.0, max=round(revenue_per_unit, 0), step=5,
                              description="Variable cost per unit ($)", style=style, layout=layout)
    fixed = widgets.FloatSlider(value=float(fixed_costs), min=round(fixed_costs * 0.5, -3),
                                max=round(fixed_costs * 1.5, -3), step=1000, description="Fixed costs ($)",
                                style=style, layout=layout)
    out = widgets.HTML()

    def update(_=None):
        s = break_even_state(fixed.value, rev.value, var.value, planned_volume)
        if s["break_even"] is None:
            out.value = ("<b>No break-even:</b> variable cost per unit is at or above net revenue per unit, so "
                         "every extra unit loses money.")
            return
        safety = s["margin_of_safety"]
        out.value = (f"Contribution margin: <b>{_money(s['contribution_margin'])}</b> per unit. Break-even: "
                     f"<b>{s['break_even']:,.0f} {unit}</b> against {planned_volume:,.0f} planned; margin of safety "
                     f"<b>{safety:.1%}</b>.")

    for slider in (rev, var, fixed):
        slider.observe(update, names="value")
    update()
    return widgets.VBox([rev, var, fixed, out])
