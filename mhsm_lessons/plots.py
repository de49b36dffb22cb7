"""Charts for the budgeting module: the monthly variance report and the variance bridge.

Each function draws on a Matplotlib ``Axes`` (a new figure when none is given) and returns the ``Axes``. When the
table it needs is still ``...`` (an exercise not done yet), it says so and draws nothing, so Run All never fails.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .finance import LaborVariances

__all__ = ["plot_variance_report", "plot_variance_bridge", "FAVORABLE_COLOR", "UNFAVORABLE_COLOR"]

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
