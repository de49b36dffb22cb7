"""Charts and the denial-prevention ROI explorer for the revenue-cycle module.

Every chart function returns :func:`mhsm_lessons.viz.style.as_chart`: the drawn axes plus a text alternative
(``alt``) and a one- or two-sentence finding (``caption``) built from the same numbers, so a screen reader gets
what a sighted reader sees. Colours come from the Okabe-Ito palette, and no series is told apart by colour
alone (hatches, markers and direct labels carry the same meaning).

The explorer is a thin ipywidgets layer over a pure function, :func:`denial_prevention_state`, which the
tests call directly.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from .. import revenue_cycle as rc
from ..spc import ControlChartResult
from .spc import plot_control_chart
from .style import PALETTE, SERIES_COLORS, as_chart, money

__all__ = ["plot_auth_denial_p_chart", "plot_denial_pareto", "plot_ar_aging_by_payer", "plot_revenue_leakage",
           "denial_prevention_baseline", "denial_prevention_state", "denial_prevention_explorer",
           "PREVENTABLE_CATEGORIES"]

#: Denial categories a front end and coding team can prevent, with the explorer's slider labels.
PREVENTABLE_CATEGORIES = ("authorization", "eligibility/COB", "coding")
_HATCHES = ("", "..", "//", "xx", "\\\\")


def _new_axes(figsize):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _pct(x: float, decimals: int = 1) -> str:
    return f"{100 * x:.{decimals}f}%"


def _week_label(iso: str) -> str:
    return pd.Timestamp(iso).strftime("%-d %b %Y")


# ------------------------------------------------------------------------------------------------------------
# Authorization-denial p chart

def plot_auth_denial_p_chart(weeks: pd.DataFrame, chart: ControlChartResult, payer: str, ax=None, *,
                             category: str = "authorization"):
    """The weekly authorization-denial p chart (limits frozen on a baseline), with its finding as the caption.

    Parameters
    ----------
    weeks : pandas.DataFrame
        From :func:`mhsm_lessons.revenue_cycle.weekly_denials` (``week_start``, ``remitted``, ``denials``).
    chart : ControlChartResult
        ``spc.p_chart(weeks["denials"], weeks["remitted"], baseline=...)`` on the same weeks.
    payer : str
        The payer's name (or "All payers"), for the title and text.
    category : str, default "authorization"
        The denial category the weeks count, for the title and text.

    Returns
    -------
    Chart

    Examples
    --------
    >>> from mhsm_lessons import load_dataset, spc
    >>> weeks = rc.weekly_denials(load_dataset("rc_claims"), payer="Summit Senior Advantage",
    ...                           start="2025-01-06", end="2025-10-31")
    >>> ch = spc.p_chart(weeks["denials"], weeks["remitted"], baseline=16)
    >>> c = plot_auth_denial_p_chart(weeks, ch, "Summit Senior Advantage")
    >>> c.caption.split(":")[0]
    '15 of 43 weeks are above the upper control limit'
    """
    if len(weeks) != len(chart.points):
        raise ValueError(f"weeks has {len(weeks)} rows but the chart has {len(chart.points)} points; draw the "
                         "chart from the same weeks.")
    ax = ax or _new_axes((9, 3.8))
    x = pd.to_datetime(weeks["week_start"]).to_numpy()
    plot_control_chart(chart, x=x, ax=ax, ylabel=f"Share of remitted claims denied\nfor {category}")
    ax.yaxis.set_major_formatter(_percent_formatter())
    pts = chart.points
    above = (pts["value"] > pts["ucl"]).to_numpy()
    base = pts["baseline"].to_numpy(dtype=bool)
    n_base = int(base.sum())
    ax.set_title(f"{payer}: {category} denials by week of service (limits from the first {n_base} weeks)")
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel("Week of service (each point is a week, dated by its Monday)")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    start, end = weeks["week_start"].iloc[0], weeks["week_start"].iloc[-1]
    owner = f"{payer}'" if payer.endswith("s") else f"{payer}'s"
    alt = (f"p chart of the weekly share of {owner} remitted claims denied for {category}, weeks of "
           f"{_week_label(start)} to {_week_label(end)}; centre line {_pct(chart.centre, 2)} with 3-sigma limits "
           f"computed from the first {n_base} weeks; highlighted points are signals.")
    if above.any():
        first, last = weeks["week_start"][above].iloc[0], weeks["week_start"][above].iloc[-1]
        peak = float(pts["value"].max())
        caption = (f"{int(above.sum())} of {len(weeks)} weeks are above the upper control limit: from the week of "
                   f"{_week_label(first)} to the week of {_week_label(last)}, peaking at {_pct(peak)} against a "
                   f"baseline of {_pct(chart.centre, 2)}. That is a special cause to find and fix, not noise.")
    else:
        caption = (f"No week is above the upper control limit; the baseline share is {_pct(chart.centre, 2)}.")
    return as_chart(ax, alt, caption)


def _percent_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda y, _: f"{100 * y:.0f}%")


# ------------------------------------------------------------------------------------------------------------
# Denial Pareto, by count and by dollars

def plot_denial_pareto(claims: pd.DataFrame, by: str = "category"):
    """Two Pareto charts side by side: denials ranked by count (left) and by gross charges (right).

    Bars are the denials of each category (or CARC), largest first; the line is the cumulative share. The
    caption names the top category in each view, so a reader sees at once when count and dollars disagree.

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> c = plot_denial_pareto(load_dataset("rc_claims"))
    >>> c.caption.split(";")[0]
    'By count the top denial category is missing information (26.8% of denials)'
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    tables = {}
    for ax, weight in zip(axes, ("count", "dollars")):
        table = rc.denial_pareto(claims, by=by, weight=weight)
        tables[weight] = table
        key = table.columns[0]
        labels = table[key].tolist()
        color = PALETTE["blue"] if weight == "count" else PALETTE["orange"]
        hatch = "" if weight == "count" else "//"
        ax.bar(range(len(labels)), table["denials"], color=color, hatch=hatch, edgecolor="black", linewidth=0.5,
               label="denials")
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=40, ha="right", fontsize=8)
        if weight == "dollars":
            ax.yaxis.set_major_formatter(_dollar_formatter())
            ax.set_ylabel("Gross charges of denied claims")
            ax.set_title("By dollars")
        else:
            ax.set_ylabel("Denied claims")
            ax.set_title("By count")
        twin = ax.twinx()
        twin.plot(range(len(labels)), table["cumulative_share"], color="black", marker="o", markersize=3,
                  linewidth=1.2, label="cumulative share")
        twin.set_ylim(0, 1.05)
        twin.yaxis.set_major_formatter(_percent_formatter())
        twin.set_ylabel("Cumulative share", fontsize=8)
    fig.suptitle("Initial denials by category: the ranking depends on what you count")
    fig.tight_layout()
    count, dollars = tables["count"], tables["dollars"]
    key = count.columns[0]
    alt = ("Two Pareto charts of initial denials by " + ("category" if by == "category" else "claim adjustment "
           "reason code") + ". Left, by number of denied claims: " + ", ".join(
               f"{k} {int(n):,}" for k, n in zip(count[key], count["denials"])) + ". Right, by gross charges: "
           + ", ".join(f"{k} {money(d)}" for k, d in zip(dollars[key], dollars["denials"]))
           + ". A line on each shows the cumulative share.")
    top_c, top_d = count.iloc[0], dollars.iloc[0]
    caption = (f"By count the top denial category is {top_c[key]} ({_pct(top_c['share'])} of denials); by dollars "
               f"it is {top_d[key]} ({_pct(top_d['share'])} of denied charges).")
    if top_c[key] != top_d[key]:
        caption += " Few claims, many dollars: rank by dollars when the question is cash."
    return as_chart(axes[0], alt, caption)


def _dollar_formatter():
    from matplotlib.ticker import FuncFormatter

    def fmt(y, _):
        if abs(y) >= 1_000_000:
            return f"${y / 1_000_000:,.1f}M"
        return f"${y / 1000:,.0f}k" if abs(y) >= 1000 else f"${y:,.0f}"

    return FuncFormatter(fmt)


# ------------------------------------------------------------------------------------------------------------
# A/R aging by payer

def plot_ar_aging_by_payer(claims: pd.DataFrame, as_of: str = "2025-12-31", basis: str = "service"):
    """Stacked horizontal bars of billed A/R by aging bucket for each payer (aged from ``basis``).

    Each bucket has its own colour AND hatch; the share over 90 days is printed at the end of each bar.

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> c = plot_ar_aging_by_payer(load_dataset("rc_claims"))
    >>> c.caption.split(" (")[0]
    'Summit Senior Advantage has the oldest A/R'
    >>> c.caption.split(". ")[1]
    'Overall 24.8% of billed A/R is over 90 days.'
    """
    balances = rc.ar_balances(claims, as_of).to_numpy()
    start = "service_date" if basis == "service" else "submission_date"
    ages = (pd.Timestamp(as_of) - pd.to_datetime(claims[start], format="%Y-%m-%d")).dt.days.to_numpy()
    rows = []
    for payer in sorted(claims["payer"].astype(str).unique()):
        keep = (claims["payer"] == payer).to_numpy() & (balances != 0)
        if keep.any():
            aging = rc.aging_buckets(ages[keep], balances[keep])
            rows.append(aging.set_index("bucket")["balance"].rename(payer))
    table = pd.DataFrame(rows).fillna(0.0)
    table = table.loc[table.sum(axis=1).sort_values().index]
    over90 = table[["91-120", ">120"]].sum(axis=1) / table.sum(axis=1)
    ax = _new_axes((9, 0.45 * len(table) + 1.8))
    left = np.zeros(len(table))
    for i, bucket in enumerate(table.columns):
        ax.barh(table.index, table[bucket], left=left, color=SERIES_COLORS[i], hatch=_HATCHES[i],
                edgecolor="black", linewidth=0.4, label=f"{bucket} days")
        left += table[bucket].to_numpy()
    for y, (total, share) in enumerate(zip(left, over90)):
        ax.text(total, y, f"  {_pct(share, 0)} > 90 d", va="center", fontsize=8)
    ax.xaxis.set_major_formatter(_dollar_formatter())
    ax.set_xlim(0, left.max() * 1.22)
    ax.set_xlabel(f"Billed A/R at charges, {as_of}")
    ax.set_title(f"A/R aging by payer, aged from the date of {'service' if basis == 'service' else 'billing'}")
    ax.legend(loc="lower right", fontsize=8, title="Age", title_fontsize=8)
    total = table.to_numpy().sum()
    overall = table[["91-120", ">120"]].to_numpy().sum() / total
    worst = over90.idxmax()
    biggest = table[["91-120", ">120"]].sum(axis=1).idxmax()
    alt = ("Stacked bar chart of billed A/R by payer and age bucket (0-30, 31-60, 61-90, 91-120, over 120 days), "
           f"at {as_of}. " + "; ".join(f"{p}: {money(t)}, {_pct(s, 0)} over 90 days"
                                       for p, t, s in zip(table.index[::-1], table.sum(axis=1)[::-1],
                                                          over90[::-1])) + ".")
    dollars90 = money(table.loc[biggest, ["91-120", ">120"]].sum())
    if worst == biggest:
        first = (f"{worst} has the oldest A/R ({_pct(over90[worst], 0)} over 90 days) and the most dollars over 90 "
                 f"days ({dollars90}).")
    else:
        first = (f"{worst} has the oldest A/R ({_pct(over90[worst], 0)} over 90 days); {biggest} holds the most "
                 f"dollars over 90 days ({dollars90}).")
    caption = f"{first} Overall {_pct(overall)} of billed A/R is over 90 days."
    return as_chart(ax, alt, caption)


# ------------------------------------------------------------------------------------------------------------
# Revenue-leakage waterfall

def plot_revenue_leakage(claims: pd.DataFrame):
    """Waterfall from gross charges to cash: contractual adjustments, denial write-offs, bad debt, underpayments
    and what is still in A/R, each a falling bar labelled with its dollars (see
    :func:`mhsm_lessons.revenue_cycle.revenue_leakage`).

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> c = plot_revenue_leakage(load_dataset("rc_claims"))
    >>> [round(p.get_height()) for p in c.ax.patches][:2] == [round(x) for x in
    ...     rc.revenue_leakage(load_dataset("rc_claims")).iloc[:2]]
    True
    """
    steps = rc.revenue_leakage(claims)
    ax = _new_axes((10, 4.4))
    names = list(steps.index)
    level = steps.iloc[0]
    for i, name in enumerate(names):
        amount = float(steps.iloc[i])
        if i == 0 or name == "cash collected":
            ax.bar(i, amount, color=PALETTE["blue"], edgecolor="black", linewidth=0.5)
            top = amount
        else:
            level -= amount
            hatch = "//" if name != "still in A/R" else ".."
            color = PALETTE["vermillion"] if name != "still in A/R" else PALETTE["sky blue"]
            ax.bar(i, amount, bottom=level, color=color, hatch=hatch, edgecolor="black", linewidth=0.5)
            top = level + amount
        sign = "" if i == 0 or name == "cash collected" else "−"
        ax.text(i, top, f"{sign}{money(amount)}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([n[0].upper() + n[1:] for n in names], rotation=20, ha="right", fontsize=9)
    ax.yaxis.set_major_formatter(_dollar_formatter())
    ax.set_ylim(0, steps.iloc[0] * 1.1)
    ax.set_ylabel("Dollars")
    ax.set_title("Where the charges went: gross charges to cash (solid: totals; hatched: deductions)")
    gross, contractual, denial, bad, under, still, cash = (float(x) for x in steps)
    allowed = gross - contractual
    alt = ("Waterfall chart from gross charges to cash collected: " + "; ".join(
        f"{n} {money(float(a))}" for n, a in steps.items()) + ".")
    caption = (f"Of {money(allowed)} the contracts allowed, {money(cash)} is cash and {money(still)} still in A/R; "
               f"denial write-offs ({money(denial)}), bad debt ({money(bad)}) and underpayments ({money(under)}) "
               f"leaked {_pct((denial + bad + under) / allowed)} of it.")
    return as_chart(ax, alt, caption)


# ------------------------------------------------------------------------------------------------------------
# Denial-prevention ROI explorer

def denial_prevention_baseline(claims: pd.DataFrame, start: str = "2025-01-01", end: str = "2025-12-31") -> dict:
    """The inputs the ROI explorer starts from, measured on the claims of services from ``start`` to ``end``.

    Returns a dict: for each of :data:`PREVENTABLE_CATEGORIES`, ``denials`` (count) and ``average_allowed``
    (dollars per denied claim); ``appeal_success`` (overturned ÷ decided appeals, all categories);
    ``days_to_cash`` (mean days from first remittance to payment on overturned denials); ``npsr`` (the allowed
    dollars of the period, standing in for net revenue with no reserve for uncollectible accounts, so the A/R
    effect is approximate) and ``days`` (calendar days in the period).

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> b = denial_prevention_baseline(load_dataset("rc_claims"))
    >>> sorted(b["categories"]) == sorted(PREVENTABLE_CATEGORIES), b["days"]
    (True, 365)
    """
    rows = claims[(claims["service_date"] >= start) & (claims["service_date"] <= end)]
    denied = rows[rows["initial_denial"].fillna(False).astype(bool)]
    categories = {}
    for cat in PREVENTABLE_CATEGORIES:
        part = denied[denied["denial_category"] == cat]
        categories[cat] = {"denials": int(len(part)),
                           "average_allowed": float(part["allowed_amount"].mean()) if len(part) else 0.0}
    overturned = denied[denied["appeal_outcome"] == "overturned"]
    delay = (pd.to_datetime(overturned["payment_date"]) - pd.to_datetime(overturned["first_remit_date"])).dt.days
    return {"categories": categories,
            "appeal_success": rc.appeal_overturn_rate(rows),
            "days_to_cash": float(delay.mean()),
            "npsr": float(rows["allowed_amount"].sum()),
            "days": int((pd.Timestamp(end) - pd.Timestamp(start)).days) + 1}


def denial_prevention_state(baseline: dict, reductions: dict, cost_per_rework: float, appeal_success: float,
                            minutes_per_rework: float) -> dict:
    """What preventing a share of each category's denials is worth in a year.

    Model (stated so the numbers can be checked by hand): prevented denials P = reduction × denials, per
    category. Without prevention a share ``appeal_success`` of them would have been overturned (paid late) and
    the rest written off. So:

    * cash recovered = Σ P × average allowed × (1 − appeal_success) (write-offs avoided);
    * rework cost saved = Σ P × cost per rework;
    * staff hours saved = Σ P × minutes per rework ÷ 60, and FTEs = hours ÷ 2,080;
    * change in days in A/R = − Σ P × appeal_success × average allowed × days to cash ÷ NPSR × days in the
      period (the overturned claims no longer wait for an appeal: average A/R falls by that money × the days it
      waited ÷ the days in the period, and days in A/R fall by that ÷ average daily revenue).

    Examples
    --------
    >>> base = {"categories": {"authorization": {"denials": 100, "average_allowed": 1000.0}},
    ...         "appeal_success": 0.6, "days_to_cash": 73.0, "npsr": 3_650_000.0, "days": 365}
    >>> s = denial_prevention_state(base, {"authorization": 0.5}, 60, 0.6, 30)
    >>> s["prevented"], s["cash_recovered"], s["rework_saved"], s["hours_saved"], round(s["days_in_ar_change"], 2)
    (50.0, 20000.0, 3000.0, 25.0, -0.6)
    """
    prevented = cash = delayed = 0.0
    for cat, values in baseline["categories"].items():
        p = float(reductions.get(cat, 0.0)) * values["denials"]
        prevented += p
        cash += p * values["average_allowed"] * (1 - appeal_success)
        delayed += p * values["average_allowed"] * appeal_success
    hours = prevented * minutes_per_rework / 60
    daily_revenue = baseline["npsr"] / baseline["days"]
    days_change = -(delayed * baseline["days_to_cash"] / baseline["days"]) / daily_revenue if daily_revenue else 0.0
    return {"prevented": prevented, "cash_recovered": cash, "rework_saved": prevented * cost_per_rework,
            "hours_saved": hours, "fte_saved": hours / 2080, "days_in_ar_change": days_change}


def _state_html(state: dict) -> str:
    rows = [("Denials prevented a year", f"{state['prevented']:,.0f}"),
            ("Cash recovered a year (write-offs avoided)", money(state["cash_recovered"])),
            ("Rework cost saved a year", money(state["rework_saved"])),
            ("Staff hours saved a year", f"{state['hours_saved']:,.0f} h ({state['fte_saved']:.2f} FTE)"),
            ("Change in net days in A/R", f"{state['days_in_ar_change']:+.1f} days")]
    body = "".join(f"<tr><th scope='row' style='text-align:left'>{html.escape(n)}</th>"
                   f"<td style='text-align:right'><b>{html.escape(v)}</b></td></tr>" for n, v in rows)
    return (f"<table><caption style='text-align:left'>What preventing these denials is worth a year</caption>"
            f"<tr><th scope='col'>Result</th><th scope='col'>Value</th></tr>{body}</table>")


def denial_prevention_explorer(baseline: dict):
    """Sliders for the reduction in authorization, eligibility and coding denials, the cost per rework, the
    appeal success rate and the minutes per rework; shows cash recovered, change in days in A/R and staff
    hours saved (see :func:`denial_prevention_state`).

    Every slider's ``description`` is its visible label. Returns an ``ipywidgets.VBox`` whose last child is the
    results table.

    Examples
    --------
    >>> base = {"categories": {"authorization": {"denials": 100, "average_allowed": 1000.0}},
    ...         "appeal_success": 0.6, "days_to_cash": 73.0, "npsr": 3_650_000.0, "days": 365}
    >>> box = denial_prevention_explorer(base)
    >>> box.children[0].description, box.children[0].value
    ('Authorization denials prevented (%)', 0)
    >>> box.children[0].value = 50
    >>> "$20,000" in box.children[-1].value
    True
    """
    import ipywidgets as widgets

    from .explorer import Explorer

    style, layout = {"description_width": "260px"}, {"width": "620px"}
    labels = {"authorization": "Authorization denials prevented (%)",
              "eligibility/COB": "Eligibility denials prevented (%)",
              "coding": "Coding denials prevented (%)"}
    reductions = {cat: widgets.IntSlider(value=0, min=0, max=100, step=5, description=labels[cat], style=style,
                                         layout=layout)
                  for cat in baseline["categories"] if cat in labels}
    cost = widgets.IntSlider(value=60, min=25, max=120, step=5, description="Cost per rework ($)", style=style,
                             layout=layout)
    success = widgets.IntSlider(value=int(round(100 * baseline["appeal_success"])), min=0, max=100, step=1,
                                description="Appeal success rate (%)", style=style, layout=layout)
    minutes = widgets.IntSlider(value=30, min=5, max=90, step=5, description="Minutes of staff time per rework",
                                style=style, layout=layout)
    out = widgets.HTML()

    def update(_=None):
        state = denial_prevention_state(baseline, {c: s.value / 100 for c, s in reductions.items()}, cost.value,
                                        success.value / 100, minutes.value)
        out.value = _state_html(state)

    controls = [*reductions.values(), cost, success, minutes]
    for control in controls:
        control.observe(update, names="value")
    update()
    return Explorer([*controls, out])
