"""Charts and an explorer for the quality module: a funnel plot, an SIR chart and an HRRP penalty simulator.

Every chart returns a :class:`mhsm_lessons.viz.style.Chart` (``as_chart``): the drawn axes, a text alternative
and a caption built from the same numbers. The simulator is a thin ipywidgets layer over
:func:`hrrp_simulator_state`, a pure function the tests call directly.

Examples
--------
>>> import pandas as pd
>>> units = pd.DataFrame({"unit": ["A", "B", "C"], "falls": [30, 60, 45], "patient_days": [10000, 20000, 9000]})
>>> chart = plot_funnel(units, focus="B")
>>> chart.caption.startswith("Pooled rate 3.46 falls per 1,000 patient days")
True
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from .. import quality
from .style import PALETTE, as_chart, money, series_style

__all__ = ["plot_funnel", "funnel_table", "plot_sir", "sir_table", "plot_err_vs_peer_median", "hrrp_simulator_state",
           "hrrp_penalty_simulator"]

_GREY = "#555555"


def _axes(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # imported here so importing this module touches no pyplot state

    _, ax = plt.subplots(figsize=figsize)
    return ax


# ------------------------------------------------------------------------------------------------------ funnel plot

def funnel_table(units: pd.DataFrame, *, label="unit", events="falls", days="patient_days", target_rate=None,
                 per=1000.0) -> tuple[pd.DataFrame, float]:
    """Each unit's pooled rate, expected count and position against the 95 % and 99.8 % funnel limits.

    Returns ``(table, target)``: the table has ``rate``, ``expected``, ``lower_95``, ``upper_95``, ``lower_998``,
    ``upper_998`` and ``position`` ("above 99.8%", "above 95%", "inside", "below 95%", "below 99.8%"); the
    target is the pooled rate of the units given unless ``target_rate`` is set.

    Examples
    --------
    >>> units = pd.DataFrame({"unit": ["A", "B"], "falls": [30, 90], "patient_days": [10000, 20000]})
    >>> t, target = funnel_table(units)
    >>> round(target, 2), t["position"].tolist()
    (4.0, ['inside', 'inside'])
    """
    frame = units.groupby(label, sort=False)[[events, days]].sum()
    target = float(frame[events].sum() / frame[days].sum() * per) if target_rate is None else float(target_rate)
    limits = quality.funnel_limits(frame[days].to_numpy(), target, per=per)
    limits.index = frame.index
    table = pd.concat([frame, limits.drop(columns="days")], axis=1)
    table["rate"] = table[events] / table[days] * per

    def position(row):
        if row["rate"] > row["upper_998"]:
            return "above 99.8%"
        if row["rate"] > row["upper_95"]:
            return "above 95%"
        if row["rate"] < row["lower_998"]:
            return "below 99.8%"
        if row["rate"] < row["lower_95"]:
            return "below 95%"
        return "inside"

    table["position"] = table.apply(position, axis=1)
    return table, target


def plot_funnel(units: pd.DataFrame, *, label="unit", events="falls", days="patient_days", target_rate=None,
                focus=None, per=1000.0, what="falls", ax=None, title=None):
    """Funnel plot: each unit's rate against its denominator, with exact Poisson control limits.

    The limits are drawn around the pooled rate of the units shown (or ``target_rate``) at 95 % (dashed, "alert")
    and 99.8 % (dotted, "alarm"), computed by :func:`mhsm_lessons.quality.funnel_limits` (exact Poisson with
    interpolation; Spiegelhalter DJ, *Stat Med* 2005;24:1185-1202). A unit outside the funnel differs from the
    pooled rate by more than chance alone explains; a unit inside does not, however it ranks.

    Parameters
    ----------
    units : DataFrame
        One or more rows per unit with the event count and the denominator (rows are added up per unit).
    focus : str, optional
        A unit to name in the caption (for example "5 South").
    what : str
        The events, for the axis label and caption ("falls", "CLABSIs").

    Returns
    -------
    Chart
    """
    table, target = funnel_table(units, label=label, events=events, days=days, target_rate=target_rate, per=per)
    den = "patient days" if days == "patient_days" else days.replace("_", " ")
    ax = _axes(ax, (8, 4.6))
    lo_n, hi_n = float(table[days].min()), float(table[days].max())
    grid = np.linspace(max(lo_n * 0.5, 1.0), hi_n * 1.25, 200)
    lim = quality.funnel_limits(grid, target, per=per)
    ax.axhline(target, color=_GREY, linewidth=1.2, label=f"pooled rate {target:.2f}")
    ax.plot(grid, lim["upper_95"], color=PALETTE["blue"], linestyle="--", linewidth=1, label="95% limits")
    ax.plot(grid, lim["lower_95"], color=PALETTE["blue"], linestyle="--", linewidth=1)
    ax.plot(grid, lim["upper_998"], color=PALETTE["vermillion"], linestyle=":", linewidth=1.4,
            label="99.8% limits")
    ax.plot(grid, lim["lower_998"], color=PALETTE["vermillion"], linestyle=":", linewidth=1.4)
    for i, (name, row) in enumerate(table.iterrows()):
        style = series_style(i)
        ax.plot(row[days], row["rate"], linestyle="none", marker=style["marker"], color=style["color"],
                markersize=8, markeredgecolor="black", label=str(name))
        ax.annotate(str(name), (row[days], row["rate"]), xytext=(6, 4), textcoords="offset points", fontsize=9)
    ax.set_xlabel(f"{den.capitalize()} (denominator)")
    ax.set_ylabel(f"{what.capitalize()} per {per:,.0f} {den}")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_title(title or f"Funnel plot: {what} per {per:,.0f} {den} against the pooled rate")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.figure.tight_layout()

    outside = table[table["position"] != "inside"]
    unit_word = "units" if len(table) != 1 else "unit"
    alt = (f"Funnel plot of {len(table)} {unit_word}: {what} per {per:,.0f} {den} (vertical) against {den} "
           f"(horizontal), with the pooled rate {target:.2f} as a horizontal line and 95% and 99.8% exact Poisson "
           "limits narrowing as the denominator grows. Points: "
           + "; ".join(f"{n} {r['rate']:.2f} on {r[days]:,.0f} {den} ({r['position']})" for n, r in table.iterrows())
           + ".")
    caption = f"Pooled rate {target:.2f} {what} per {per:,.0f} {den}. "
    if outside.empty:
        caption += f"All {len(table)} {unit_word} lie inside the 95% limits: the differences are within chance."
    else:
        caption += ("Outside the 95% limits: " + ", ".join(f"{n} ({r['position']})" for n, r in outside.iterrows())
                    + "; the others are within chance.")
    if focus is not None and focus in table.index:
        r = table.loc[focus]
        caption += (f" {focus}: {r[events]:,.0f} {what}, the most of any unit shown, " if r[events] == table[events].max()
                    else f" {focus}: {r[events]:,.0f} {what}, ")
        caption += f"rate {r['rate']:.2f}, {r['position']} the funnel."
    return as_chart(ax, alt, caption)


# -------------------------------------------------------------------------------------------------------- SIR chart

def sir_table(frame: pd.DataFrame, *, label="unit", observed="clabsi", predicted="clabsi_predicted",
              level=0.95) -> pd.DataFrame:
    """Pooled SIR and exact Poisson interval per group (rows added up per ``label``); NaN when predicted < 1.

    Examples
    --------
    >>> t = sir_table(pd.DataFrame({"unit": ["A", "B"], "clabsi": [6, 0], "clabsi_predicted": [7.5, 0.6]}))
    >>> t["sir"].round(2).tolist(), t["calculated"].tolist()
    ([0.8, nan], [True, False])
    """
    g = frame.groupby(label, sort=False)[[observed, predicted]].sum()
    rows = []
    for name, r in g.iterrows():
        res = quality.standardized_infection_ratio(r[observed], r[predicted])
        lo, hi = quality.sir_confidence_interval(r[observed], r[predicted], level)
        rows.append({label: name, "observed": float(r[observed]), "predicted": float(r[predicted]),
                     "sir": res.sir, "lower": lo, "upper": hi, "calculated": res.calculated})
    return pd.DataFrame(rows)


def plot_sir(table: pd.DataFrame, *, label="unit", what="CLABSI", ax=None, title=None):
    """SIR dot plot with 95 % exact Poisson intervals and a 1.0 reference line (a table from :func:`sir_table`).

    Rows whose predicted count is below 1.0 are listed as "not calculated" at the left edge instead of a dot.

    Returns
    -------
    Chart
    """
    ax = _axes(ax, (8, 0.6 * len(table) + 1.6))
    ys = np.arange(len(table))[::-1]
    right = float(np.nanmax(np.r_[table["upper"].to_numpy(dtype=float), 2.0])) * 1.05
    ax.axvline(1.0, color="black", linewidth=1, label="1.0 = as predicted")
    for y, (_, r) in zip(ys, table.iterrows()):
        if r["calculated"]:
            ax.plot([r["lower"], r["upper"]], [y, y], color=PALETTE["blue"], linewidth=2)
            ax.plot(r["sir"], y, marker="o", color=PALETTE["blue"], markeredgecolor="black", markersize=8)
            ax.annotate(f"{r['sir']:.2f} ({r['observed']:.0f} / {r['predicted']:.1f})", (r["upper"], y),
                        xytext=(5, -3), textcoords="offset points", fontsize=9)
        else:
            ax.annotate(f"not calculated: {r['predicted']:.2f} predicted (< 1.0)", (0.02, y), fontsize=9,
                        va="center", color=_GREY)
    ax.set_yticks(ys)
    ax.set_yticklabels(table[label].astype(str))
    ax.set_xlim(0, right * 1.25)
    ax.set_ylim(-0.7, len(table) - 0.3)
    ax.set_xlabel(f"{what} SIR (observed ÷ predicted) with 95% exact Poisson interval; lower is better")
    ax.set_title(title or f"{what} standardized infection ratio")
    ax.legend(loc="lower right", fontsize=8)
    ax.figure.tight_layout()

    calc = table[table["calculated"]]
    parts = [f"{r[label]} {r['sir']:.2f} (95% interval {r['lower']:.2f} to {r['upper']:.2f})"
             for _, r in calc.iterrows()]
    skipped = table.loc[~table["calculated"], label].astype(str).tolist()
    alt = (f"Dot plot of the {what} SIR for {len(table)} groups, each with a horizontal 95% interval, and a vertical "
           f"reference line at 1.0. " + "; ".join(parts) + "."
           + (f" Not calculated (fewer than 1.0 predicted): {', '.join(skipped)}." if skipped else ""))
    above = calc[calc["lower"] > 1.0][label].astype(str).tolist()
    below = calc[calc["upper"] < 1.0][label].astype(str).tolist()
    if not above and not below:
        caption = (f"Every interval crosses 1.0: no group's {what} count differs from the prediction by more "
                   "than chance.")
    else:
        caption = ((f"Above 1.0 beyond chance: {', '.join(above)}. " if above else "")
                   + (f"Below 1.0 beyond chance: {', '.join(below)}." if below else "")).strip()
    if skipped:
        caption += f" {len(skipped)} group(s) not calculated (fewer than 1.0 predicted)."
    return as_chart(ax, alt, caption)


# ------------------------------------------------------------------------------------------------ HRRP simulator

def hrrp_simulator_state(payments, err, peer_median_err, total_base_payments, fy_base_payments, *,
                         neutrality_modifier=1.0, discharges=None) -> dict:
    """Factor, uncapped reduction, dollars withheld and each condition's share of the excess, for given ERRs.

    All per-condition arguments are dicts or Series keyed by condition.

    Examples
    --------
    >>> s = hrrp_simulator_state({"HF": 1_200_000, "AMI": 800_000}, {"HF": 1.10, "AMI": 0.95},
    ...                          {"HF": 1.00, "AMI": 1.00}, 60_000_000, 21_000_000, neutrality_modifier=0.95)
    >>> round(s["factor"], 6), round(s["dollars"]), s["capped"]
    (0.9981, 39900, False)
    """
    pay = pd.Series(payments, dtype=float)
    e = pd.Series(err, dtype=float).reindex(pay.index)
    m = pd.Series(peer_median_err, dtype=float).reindex(pay.index)
    counts = (pd.Series(discharges, dtype=float).reindex(pay.index) >= quality.HRRP_MIN_DISCHARGES
              if discharges is not None else pd.Series(True, index=pay.index))
    excess = (pay * np.maximum(e - m, 0.0) * neutrality_modifier).where(counts, 0.0)
    uncapped = float(excess.sum() / total_base_payments)
    factor = quality.hrrp_payment_adjustment_factor(pay, e, m, total_base_payments,
                                                    neutrality_modifier=neutrality_modifier,
                                                    discharges=discharges)
    return {"factor": factor, "uncapped_reduction": uncapped, "capped": uncapped > quality.HRRP_MAX_REDUCTION,
            "dollars": quality.hrrp_dollars_at_risk(factor, fy_base_payments), "excess_by_condition": excess}


def plot_err_vs_peer_median(payments, err, peer_median_err, total_base_payments, fy_base_payments, *,
                            neutrality_modifier=1.0, discharges=None, fiscal_year="FY2026", ax=None, title=None):
    """Bars of each condition's ERR minus its peer-group median, annotated with the dollars it adds to the penalty.

    A bar above 0 (vermillion, hatched) adds to the penalty; a bar at or below 0 (blue) adds nothing, even when the
    ERR itself is above 1.0. Each condition's dollars are its share of the excess payments times the total
    withheld in the fiscal year (:func:`hrrp_simulator_state`, which takes the same arguments).

    Returns
    -------
    Chart

    Examples
    --------
    >>> chart = plot_err_vs_peer_median({"HF": 9e6, "AMI": 6e6}, {"HF": 1.05, "AMI": 1.01}, {"HF": 1.0, "AMI": 1.02},
    ...                                 2e8, 7e7)
    >>> chart.caption
    'FY2026: 1 of 2 conditions above their peer-group median (HF); together they withhold $157,500. AMI has an ERR above 1.0 but below its peer median, so it adds nothing.'
    """
    state = hrrp_simulator_state(payments, err, peer_median_err, total_base_payments, fy_base_payments,
                                 neutrality_modifier=neutrality_modifier, discharges=discharges)
    pay = pd.Series(payments, dtype=float)
    e = pd.Series(err, dtype=float).reindex(pay.index)
    m = pd.Series(peer_median_err, dtype=float).reindex(pay.index)
    diff = e - m
    excess = state["excess_by_condition"]
    dollars = excess / excess.sum() * state["dollars"] if excess.sum() > 0 else excess * 0.0
    ax = _axes(ax, (8, 4.2))
    xs = np.arange(len(pay))
    for x, c in zip(xs, pay.index):
        adds = excess[c] > 0
        ax.bar(x, diff[c], color=PALETTE["vermillion"] if adds else PALETTE["blue"], hatch="//" if adds else None,
               edgecolor="black", linewidth=0.6)
        label = f"{money(dollars[c])}" if adds else "$0"
        offset = 6 if diff[c] >= 0 else -12
        ax.annotate(f"ERR {e[c]:.3f}\n{label}", (x, diff[c]), xytext=(0, offset), textcoords="offset points",
                    ha="center", va="bottom" if diff[c] >= 0 else "top", fontsize=8)
    ax.axhline(0, color="black", linewidth=1)
    ax.set_xticks(xs)
    ax.set_xticklabels([str(c) for c in pay.index])
    span = float(np.nanmax(np.abs(diff.to_numpy()))) if len(diff) else 0.01
    ax.set_ylim(-1.6 * span - 0.005, 1.6 * span + 0.005)
    ax.set_ylabel("ERR minus peer-group median")
    ax.set_title(title or f"{fiscal_year} HRRP: excess readmission ratio against the peer-group median")
    ax.figure.tight_layout()

    above = [str(c) for c in pay.index if excess[c] > 0]
    misread = [str(c) for c in pay.index if e[c] > 1.0 and excess[c] <= 0]
    alt = (f"Bar chart of ERR minus the peer-group median for {len(pay)} conditions, with a zero line; bars above zero "
           "are hatched and labelled with the dollars they add. "
           + "; ".join(f"{c}: ERR {e[c]:.3f}, median {m[c]:.3f}, {money(dollars[c])}" for c in pay.index) + ".")
    caption = (f"{fiscal_year}: {len(above)} of {len(pay)} conditions above their peer-group median"
               + (f" ({', '.join(above)})" if above else "")
               + f"; together they withhold {money(state['dollars'])}.")
    below_one = [str(c) for c in pay.index if e[c] <= 1.0 and excess[c] > 0]
    if below_one:
        verb = "adds" if len(below_one) == 1 else "add"
        caption += f" {', '.join(below_one)} {verb} to the penalty with an ERR below 1.0."
    if misread:
        verb = "has" if len(misread) == 1 else "have"
        caption += (f" {', '.join(misread)} {verb} an ERR above 1.0 but below {'its' if len(misread) == 1 else 'their'}"
                    f" peer median, so {'it adds' if len(misread) == 1 else 'they add'} nothing.")
    return as_chart(ax, alt, caption)


def _simulator_html(state: dict, fiscal_year: str) -> str:
    rows = "".join(f"<tr><th scope='row'>{html.escape(str(c))}</th><td style='text-align:right'>{money(v)}</td></tr>"
                   for c, v in state["excess_by_condition"].items())
    cap = (" The 3% cap binds: the uncapped reduction would be "
           f"{state['uncapped_reduction']:.2%}." if state["capped"] else "")
    return (f"<b>Payment adjustment factor:</b> {state['factor']:.4f} (reduction {1 - state['factor']:.2%}).{cap}<br>"
            f"<b>Dollars withheld in {html.escape(fiscal_year)}:</b> {money(state['dollars'])} of base operating DRG "
            "payments for all Medicare discharges.<br><table><caption style='text-align:left'>Excess payments by "
            "condition</caption><tr><th scope='col'>Condition</th><th scope='col'>Excess payments × "
            f"modifier</th></tr>{rows}</table>")


def hrrp_penalty_simulator(payments, err, peer_median_err, total_base_payments, fy_base_payments, *,
                           neutrality_modifier=1.0, discharges=None, fiscal_year="FY2026"):
    """ipywidgets explorer: one ERR slider per condition (labelled "<condition> ERR"), the factor and the dollars.

    Each slider starts at the hospital's ERR; its visible label is its ``description``, so a screen reader
    announces the same text. The output states the factor, whether the 3 % cap binds, and the dollars withheld.

    Returns
    -------
    ipywidgets.VBox
        Children: the sliders, a note, and (last) the HTML result.

    Examples
    --------
    >>> box = hrrp_penalty_simulator({"HF": 1_200_000}, {"HF": 1.0}, {"HF": 1.0}, 60_000_000, 21_000_000)
    >>> box.children[0].description
    'HF ERR'
    >>> box.children[0].value = 1.2
    >>> "0.9960" in box.children[-1].value
    True
    """
    import ipywidgets as widgets

    from .explorer import Explorer

    pay = pd.Series(payments, dtype=float)
    start = pd.Series(err, dtype=float).reindex(pay.index)
    style, layout = {"description_width": "130px"}, {"width": "480px"}
    sliders = [widgets.FloatSlider(value=round(float(start[c]), 4), min=0.80, max=1.30, step=0.005,
                                   readout_format=".3f", description=f"{c} ERR", style=style, layout=layout)
               for c in pay.index]
    out = widgets.HTML()

    def update(_=None):
        errs = {c: s.value for c, s in zip(pay.index, sliders)}
        out.value = _simulator_html(hrrp_simulator_state(pay, errs, peer_median_err, total_base_payments,
                                                         fy_base_payments, neutrality_modifier=neutrality_modifier,
                                                         discharges=discharges), fiscal_year)

    for s in sliders:
        s.observe(update, names="value")
    update()
    medians = pd.Series(peer_median_err, dtype=float).reindex(pay.index)
    note = widgets.HTML("Peer-group medians: " + ", ".join(f"{html.escape(str(c))} {medians[c]:.4f}"
                                                           for c in pay.index)
                        + f". Neutrality modifier {neutrality_modifier:.4f}. Move a slider above its median to "
                          "see the penalty grow; the factor never falls below 0.97.")
    return Explorer([*sliders, note, out])
