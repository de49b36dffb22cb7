"""Charts and the plan builder for the career-pathways module.

Every chart returns a :class:`mhsm_lessons.viz.style.Chart` (``as_chart``): the drawn axes, a text alternative
and a caption built from the same numbers. Every BLS figure the plan builder shows carries its edition and
reference date (:func:`mhsm_lessons.careers.figure_label`); secondary or illustrative figures carry their flag.

* :func:`plot_pay_by_edition`: a slope chart of the all-settings median pay, edition by edition, nominal and in
  constant dollars (CPI-U); secondary figures are drawn hollow.
* :func:`plot_pay_by_setting`: a dot plot of pay by work setting for ONE date and statistic, against the
  all-settings figure of the same date.
* :func:`plot_career_timeline`: the ladder stages and the year each credential's experience requirement is met.
* :func:`plan_builder` (ipywidgets) over the pure function :func:`plan_builder_state`.
"""
from __future__ import annotations

import html

import pandas as pd

from .. import careers
from .style import PALETTE, as_chart, money, series_style

__all__ = ["plot_pay_by_edition", "plot_pay_by_setting", "plot_career_timeline", "plan_builder_state",
           "plan_builder", "timeline_rows"]


def _axes(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def _dollars_axis(axis):
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda x, _: f"${x / 1000:,.0f}k"))


def plot_pay_by_edition(outlook, cpi, *, dollars_year=None, ax=None):
    """Slope chart of the all-settings median pay by edition, nominal and in constant ``dollars_year`` dollars.

    Each point is labelled with its edition; figures flagged S (secondary) are drawn as hollow markers, so the
    flag does not depend on colour. The real series deflates each May figure with the CPI-U annual average of
    its year (an approximation).

    Parameters
    ----------
    outlook : pandas.DataFrame
        ``load_dataset("bls_mhsm_outlook")``.
    cpi : pandas.DataFrame
        ``load_dataset("cpi_u_annual")``; must cover every pay year and ``dollars_year``.
    dollars_year : int, optional
        Year whose dollars the real series uses (default: the latest year in ``cpi``).

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> chart = plot_pay_by_edition(load_dataset("bls_mhsm_outlook"), load_dataset("cpi_u_annual"))
    >>> chart.caption.split(";")[0]
    'Nominal median pay rose from $94,500 (May 2015) to $110,680 (May 2023, the newest figure confirmed on a BLS page)'
    """
    table = outlook.sort_values("pay_reference").reset_index(drop=True)
    year = int(dollars_year or cpi["year"].max())
    target_cpi = careers.cpi_for(cpi, year)
    x = table["pay_reference"].map(lambda r: int(r[:4]) + (int(r[5:]) - 0.5) / 12)
    real = [careers.constant_dollars(p, careers.cpi_for(cpi, int(r[:4])), target_cpi)
            for p, r in zip(table["median_annual_pay"], table["pay_reference"])]
    table = table.assign(x=x, real=real)
    ax = _axes(ax, (9, 4.8))
    for i, (column, name) in enumerate((("median_annual_pay", "Nominal (dollars of each date)"),
                                        ("real", f"Real ({year} dollars, CPI-U)"))):
        style = series_style(i)
        ax.plot(table["x"], table[column], color=style["color"], linestyle=style["linestyle"], linewidth=1.6,
                marker=style["marker"], markersize=7, label=name)
        for _, row in table[table["confidence"] != "V"].iterrows():
            ax.plot(row["x"], row[column], marker=style["marker"], markersize=7, linestyle="none",
                    color=style["color"], markerfacecolor="white")
    for _, row in table.iterrows():
        ax.annotate(row["edition"], (row["x"], row["median_annual_pay"]), xytext=(0, -14),
                    textcoords="offset points", ha="center", fontsize=7.5)
    ax.plot([], [], marker="o", linestyle="none", color=PALETTE["black"], markerfacecolor="white",
            label="Hollow marker: secondary source [S]")
    _dollars_axis(ax.yaxis)
    ax.set_xlabel("Pay reference date (May of each year); labels give the OOH edition")
    ax.set_ylabel("Median annual pay")
    ax.set_title("Medical and health services managers: median pay by BLS edition")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    low = min(table["median_annual_pay"].min(), table["real"].min())
    high = max(table["median_annual_pay"].max(), table["real"].max())
    ax.set_ylim(low - 0.06 * (high - low), high + 0.04 * (high - low))
    ax.set_xlim(table["x"].min() - 0.6, table["x"].max() + 0.6)
    verified = table[table["confidence"] == "V"]
    first, last_v, last = table.iloc[0], verified.iloc[-1], table.iloc[-1]
    caption = (f"Nominal median pay rose from {money(first['median_annual_pay'])} "
               f"({careers.month_label(first['pay_reference'])}) to {money(last_v['median_annual_pay'])} "
               f"({careers.month_label(last_v['pay_reference'])}, the newest figure confirmed on a BLS page); "
               f"in {year} dollars it went from {money(first['real'])} to {money(last_v['real'])}. "
               f"The {last['edition']} figure, {money(last['median_annual_pay'])} "
               f"({careers.month_label(last['pay_reference'])}), is from secondary sources only.")
    alt = (f"Slope chart of the median annual pay of medical and health services managers at {len(table)} BLS pay "
           f"dates from {careers.month_label(first['pay_reference'])} to "
           f"{careers.month_label(last['pay_reference'])}, one point per edition, as a nominal line and as a line "
           f"in {year} dollars; hollow markers show figures from secondary sources.")
    return as_chart(ax, alt, caption)


def plot_pay_by_setting(pay_by_setting, *, pay_reference="2021-05", statistic="median", highlight=None, ax=None):
    """Dot plot of pay by work setting for one reference date and statistic, with the all-settings line.

    The highlighted setting (your target) is drawn with a larger square marker and a bold label.

    Raises
    ------
    ValueError
        When no rows match ``pay_reference`` and ``statistic`` (the message lists what the table holds).

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> chart = plot_pay_by_setting(load_dataset("bls_mhsm_pay_by_setting"), highlight="Offices of physicians")
    >>> chart.caption.split(".")[0]
    'Median pay in May 2021 ranged from $83,550 (Nursing and residential care facilities) to $119,450 (Hospitals; state, local, and private) against $101,340 for all settings'
    """
    block = pay_by_setting[(pay_by_setting["pay_reference"] == pay_reference)
                           & (pay_by_setting["statistic"] == statistic)]
    if block.empty:
        have = sorted({(r, s) for r, s in zip(pay_by_setting["pay_reference"], pay_by_setting["statistic"])})
        raise ValueError(f"No {statistic} pay for {pay_reference}; the table holds: "
                         f"{', '.join(f'{s} {r}' for r, s in have)}.")
    table = careers.compare_settings(block).iloc[::-1].reset_index(drop=True)
    overall = float(block.loc[block["work_setting"] == "All work settings", "annual_pay"].iloc[0])
    edition = block["edition"].iloc[0]
    flag = block["confidence"].iloc[0]
    ax = _axes(ax, (9, 0.55 * len(table) + 1.6))
    style = series_style(0)
    for i, row in table.iterrows():
        mine = row["work_setting"] == highlight
        ax.hlines(i, overall, row["annual_pay"], color=PALETTE["sky blue"], linewidth=1.2)
        ax.plot(row["annual_pay"], i, marker="s" if mine else style["marker"], markersize=11 if mine else 8,
                color=PALETTE["vermillion"] if mine else style["color"], linestyle="none")
        below = row["annual_pay"] < overall
        ax.annotate(f"{money(row['annual_pay'])} ({row['ratio_to_all']:.2f}×)", (row["annual_pay"], i),
                    xytext=(-9 if below else 9, 0), textcoords="offset points", va="center",
                    ha="right" if below else "left", fontsize=8.5, fontweight="bold" if mine else "normal")
    ax.axvline(overall, color=PALETTE["black"], linestyle="--", linewidth=1)
    ax.annotate(f"All settings {money(overall)}", (overall, len(table) - 0.5), xytext=(4, 0),
                textcoords="offset points", fontsize=8.5)
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels([s + ("  ◀ target" if s == highlight else "") for s in table["work_setting"]])
    for label in ax.get_yticklabels():
        if label.get_text().endswith("target"):
            label.set_fontweight("bold")
    lo, hi = table["annual_pay"].min(), table["annual_pay"].max()
    ax.set_xlim(min(lo, overall) * 0.86, max(hi, overall) * 1.12)
    ax.set_ylim(-0.6, len(table) - 0.1)
    _dollars_axis(ax.xaxis)
    ax.set_xlabel(f"Annual {statistic} pay, {careers.month_label(pay_reference)} "
                  f"({'BLS ' + edition if edition.startswith('OEWS') else 'BLS OOH ' + edition + ' edition'}) "
                  f"[{flag}]")
    ax.set_title(f"Pay by work setting, one date only: {careers.month_label(pay_reference)}")
    low, high = table.iloc[0], table.iloc[-1]
    caption = (f"{statistic.capitalize()} pay in {careers.month_label(pay_reference)} ranged from "
               f"{money(low['annual_pay'])} ({low['work_setting']}) to {money(high['annual_pay'])} "
               f"({high['work_setting']}) against {money(overall)} for all settings. ")
    if highlight in set(table["work_setting"]):
        mine = table.set_index("work_setting").loc[highlight]
        caption += (f"Your target, {highlight}, is {money(mine['annual_pay'])}, {mine['ratio_to_all']:.2f} times "
                    "the all-settings figure of the same date.")
    else:
        caption += "Compare settings only with the all-settings figure of the same date and statistic."
    alt = (f"Dot plot of annual {statistic} pay in {len(table)} work settings in "
           f"{careers.month_label(pay_reference)}, each joined by a line to a dashed reference line at the "
           f"all-settings {statistic} of {money(overall)}" + (f"; {highlight} is marked as the target." if highlight
                                                              else "."))
    return as_chart(ax, alt, caption)


def timeline_rows(ladder, credentials, *, prior_years=0, chosen=None) -> pd.DataFrame:
    """The rows of the career timeline: each ladder stage and chosen credential with its start year.

    Years count from graduation; prior management experience brings every experience requirement closer.

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> rows = timeline_rows(load_dataset("mhsm_career_ladder"), load_dataset("mhsm_credentials"), prior_years=2,
    ...                      chosen=["CPHQ", "FACHE"])
    >>> rows[["item", "start", "open_to_students"]].values.tolist()[-2:]
    [['CPHQ', 0.0, True], ['FACHE', 3.0, False]]
    """
    rows = []
    for _, stage in ladder.iterrows():
        start = careers.years_until_eligible(stage["years_experience_min"], prior_years)
        end_raw = stage["years_experience_max"]
        end = careers.years_until_eligible(end_raw, prior_years) if pd.notna(end_raw) else start + 5.0
        rows.append({"kind": "role", "item": stage["level"], "start": start, "end": max(end, start + 0.5)})
    creds = credentials.set_index("credential")
    for name in (chosen if chosen is not None else []):
        if name not in creds.index:
            raise ValueError(f"There is no credential {name!r}; the credentials are: {', '.join(creds.index)}.")
        year = careers.years_until_eligible(creds.loc[name, "min_years_experience"], prior_years)
        rows.append({"kind": "licence" if creds.loc[name, "licence"] else "credential", "item": name,
                     "start": year, "end": year, "open_to_students": bool(creds.loc[name, "open_to_students"])})
    frame = pd.DataFrame(rows, columns=["kind", "item", "start", "end", "open_to_students"])
    frame["open_to_students"] = frame["open_to_students"].fillna(False).astype(bool)
    return frame


def plot_career_timeline(ladder, credentials, *, prior_years=0, chosen=("CPHQ", "CMPE", "FACHE"), horizon=15,
                         ax=None):
    """Gantt-style timeline: ladder stages as bars, and the year each chosen credential becomes possible.

    Stage years are the ladder's typical experience (illustrative, flagged K); credential years are the
    experience requirement of the fastest pathway, less your prior management experience.

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> chart = plot_career_timeline(load_dataset("mhsm_career_ladder"), load_dataset("mhsm_credentials"),
    ...                              prior_years=1)
    >>> chart.caption
    'With 1 year of prior management experience, the typical ladder reaches Manager in year 2 and Director in year 7 after graduation (illustrative). CPHQ: open to students; CMPE: open to students; FACHE: from year 4.'
    """
    rows = timeline_rows(ladder, credentials, prior_years=prior_years, chosen=list(chosen))
    roles, creds = rows[rows["kind"] == "role"], rows[rows["kind"] != "role"]
    ax = _axes(ax, (9, 0.5 * len(rows) + 1.6))
    labels = list(roles["item"]) + list(creds["item"])
    for i, (_, r) in enumerate(roles.iterrows()):
        end = min(r["end"], horizon)
        # one colour: the y labels name the stages; alternate hatches only separate neighbouring bars
        ax.barh(i, end - r["start"], left=r["start"], height=0.55, color=PALETTE["sky blue"],
                hatch="//" if i % 2 else None, edgecolor=PALETTE["black"], linewidth=0.6)
        span = f"years {r['start']:g}-{r['end']:g}" if pd.notna(ladder["years_experience_max"].iloc[i]) else \
            f"from year {r['start']:g}"
        if end + 3 < horizon:
            ax.annotate(span, (end, i), xytext=(5, 0), textcoords="offset points", va="center", fontsize=8.5)
        else:
            ax.annotate(span, (r["start"], i), xytext=(-5, 0), textcoords="offset points", va="center",
                        ha="right", fontsize=8.5)
    for j, (_, r) in enumerate(creds.iterrows()):
        y = len(roles) + j
        licence = r["kind"] == "licence"  # told apart by shape and by its label, not by colour alone
        ax.plot(r["start"], y, marker="s" if licence else "D", markersize=9,
                color=PALETTE["vermillion"] if licence else PALETTE["blue"], linestyle="none")
        text = "open to students" if r["open_to_students"] else f"possible from year {r['start']:g}"
        if r["kind"] == "licence":
            text += " (state licence: exam, state rules, often an AIT internship)"
        ax.annotate(text, (r["start"], y), xytext=(8, 0), textcoords="offset points", va="center", fontsize=8.5)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlim(-0.5, horizon)
    ax.set_xlabel("Years after graduation (role years are illustrative)")
    ax.set_title("Career ladder and credential timeline")
    ax.grid(axis="x", alpha=0.3)
    by_role = roles.set_index("item")["start"]
    plural = "" if prior_years == 1 else "s"
    caption = (f"With {prior_years:g} year{plural} of prior management experience, the typical ladder reaches "
               f"Manager in year {by_role['Manager']:g} and Director in year {by_role['Director']:g} after "
               "graduation (illustrative). "
               + "; ".join(f"{r['item']}: " + ("open to students" if r["open_to_students"] else
                                                f"from year {r['start']:g}") for _, r in creds.iterrows())
               + ".")
    alt = (f"Timeline over {horizon} years after graduation: bars for the ladder stages "
           f"{', '.join(roles['item'])}, and diamond markers for the year each of "
           f"{', '.join(creds['item'])} becomes possible"
           + (" (a square for a state licence)." if (creds["kind"] == "licence").any() else "."))
    return as_chart(ax, alt, caption)


def plan_builder_state(outlook, pay_by_setting, ladder, credentials, *, role, setting, chosen=(),
                       prior_years=0) -> dict:
    """Everything the plan builder shows, as labelled text lines (the widget renders these; tests read them).

    Returns a dict with ``figures`` (every BLS figure with its edition and date), ``band`` (the illustrative pay
    band of the role), ``timeline`` (one line per credential) and ``notes`` (licence and comparison warnings).

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> s = plan_builder_state(load_dataset("bls_mhsm_outlook"), load_dataset("bls_mhsm_pay_by_setting"),
    ...                        load_dataset("mhsm_career_ladder"), load_dataset("mhsm_credentials"),
    ...                        role="Manager", setting="Offices of physicians", chosen=["CPHQ"], prior_years=1)
    >>> s["figures"][0]
    'Occupation median, newest figure confirmed on a BLS page: $110,680 (May 2023; BLS OOH 2023-33 edition) [V]'
    """
    verified = outlook[outlook["confidence"] == "V"].sort_values("pay_reference").iloc[-1]
    newest = outlook.sort_values("pay_reference").iloc[-1]
    block = pay_by_setting[(pay_by_setting["statistic"] == "median")]
    ref = block["pay_reference"].max()
    block = block[block["pay_reference"] == ref]
    settings = block.set_index("work_setting")
    if setting not in settings.index:
        raise ValueError(f"There is no setting {setting!r}; the settings are: {', '.join(settings.index)}.")
    s_row, all_row = settings.loc[setting], settings.loc["All work settings"]
    figures = [
        f"Occupation median, newest figure confirmed on a BLS page: {careers.row_label(verified)}",
        f"Occupation median, newest edition (secondary source, confirm before quoting): {careers.row_label(newest)}",
        f"{setting} median: " + careers.figure_label(s_row["annual_pay"], edition=s_row["edition"], reference=ref,
                                                     confidence=s_row["confidence"]),
        "All settings median, same date: " + careers.figure_label(all_row["annual_pay"], edition=all_row["edition"],
                                                                  reference=ref, confidence=all_row["confidence"])
        + f"; ratio {s_row['annual_pay'] / all_row['annual_pay']:.2f}",
    ]
    stage = ladder.set_index("level")
    if role not in stage.index:
        raise ValueError(f"There is no role {role!r}; the roles are: {', '.join(stage.index)}.")
    r = stage.loc[role]
    band = (f"{role} pay band {money(r['pay_band_low'])}-{money(r['pay_band_high'])} (illustrative teaching band, "
            "not a BLS figure) [K]")
    reach = careers.years_until_eligible(r["years_experience_min"], prior_years)
    creds = credentials.set_index("credential")
    timeline = [f"{role}: typically from year {reach:g} after graduation (illustrative)"]
    for name in chosen:
        c = creds.loc[name]
        year = careers.years_until_eligible(c["min_years_experience"], prior_years)
        start = "open to students" if c["open_to_students"] else f"possible from year {year:g}"
        timeline.append(f"{name}: {start} ({c['awarding_body']}) [{c['confidence']}]")
    notes = [f"The setting medians are {careers.month_label(ref)} figures: compare them with the all-settings "
             f"median of {careers.month_label(ref)}, not with the {careers.month_label(verified['pay_reference'])} "
             "figure above."]
    if "Nursing" in setting:
        notes.append("Running a nursing home requires a state nursing home administrator licence (NAB exam, "
                     "state requirements, usually an AIT internship).")
    else:
        notes.append("No state licence is required to be a hospital or practice administrator.")
    return {"figures": figures, "band": band, "timeline": timeline, "notes": notes}


def _state_html(state: dict) -> str:
    def items(lines):
        return "".join(f"<li>{html.escape(line)}</li>" for line in lines)

    return (f"<b>Pay, every figure with its edition and date</b><ul>{items(state['figures'])}</ul>"
            f"<b>Pay band for the role</b><ul>{items([state['band']])}</ul>"
            f"<b>Timeline</b><ul>{items(state['timeline'])}</ul>"
            f"<b>Notes</b><ul>{items(state['notes'])}</ul>")


def plan_builder(outlook, pay_by_setting, ladder, credentials, *, role="Manager", setting=None, chosen=("CPHQ",),
                 prior_years=0):
    """A plan builder: pick a role, setting, credentials and prior experience; see pay and timeline, all dated.

    Each control's ``description`` is its visible label (what a screen reader announces). Returns an
    ``ipywidgets.VBox`` whose last child is the HTML summary.

    Examples
    --------
    >>> from mhsm_lessons import load_dataset
    >>> box = plan_builder(load_dataset("bls_mhsm_outlook"), load_dataset("bls_mhsm_pay_by_setting"),
    ...                    load_dataset("mhsm_career_ladder"), load_dataset("mhsm_credentials"))
    >>> [c.description for c in box.children[:4]]
    ['Target role', 'Work setting', 'Credentials', 'Prior management years']
    >>> box.children[1].value = "Nursing and residential care facilities"
    >>> "nursing home administrator licence" in box.children[-1].value
    True
    """
    import ipywidgets as widgets

    from .explorer import Explorer

    block = pay_by_setting[pay_by_setting["statistic"] == "median"]
    block = block[block["pay_reference"] == block["pay_reference"].max()]
    setting_options = [s for s in block["work_setting"] if s != "All work settings"]
    style, layout = {"description_width": "190px"}, {"width": "620px"}
    role_box = widgets.Dropdown(options=list(ladder["level"]), value=role, description="Target role", style=style,
                                layout=layout)
    setting_box = widgets.Dropdown(options=setting_options, value=setting or setting_options[0],
                                   description="Work setting", style=style, layout=layout)
    cred_box = widgets.SelectMultiple(options=list(credentials["credential"]), value=tuple(chosen),
                                      description="Credentials", rows=6, style=style, layout=layout)
    prior_box = widgets.IntSlider(value=int(prior_years), min=0, max=10, description="Prior management years",
                                  style=style, layout=layout)
    out = widgets.HTML()

    def update(_=None):
        state = plan_builder_state(outlook, pay_by_setting, ladder, credentials, role=role_box.value,
                                   setting=setting_box.value, chosen=list(cred_box.value),
                                   prior_years=prior_box.value)
        out.value = _state_html(state)

    for control in (role_box, setting_box, cred_box, prior_box):
        control.observe(update, names="value")
    update()
    return Explorer([role_box, setting_box, cred_box, prior_box, out])
