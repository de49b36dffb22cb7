"""Career pathways: projections, growth rates and pay comparisons for medical and health services managers.

The figures come from the curated datasets ``bls_mhsm_outlook``, ``bls_mhsm_pay_by_setting``,
``bls_mhsm_wage_percentiles`` (BLS Occupational Outlook Handbook and OEWS, SOC 11-9111) and ``cpi_u_annual``
(BLS CPI-U), each row carrying its edition, reference date, source and confidence flag (V verified, S secondary,
K knowledge / illustrative). BLS revises them every year, so every figure shown should carry its edition and
date: :func:`figure_label` writes that label.

Pay comparisons are **nominal** unless a function says otherwise: :func:`real_growth_pct` and
:func:`constant_dollars` adjust for inflation with the CPI-U.

Examples
--------
>>> projected_employment(562_700, 29)          # 2023-33 edition: 562,700 x 1.29
725883.0
>>> round(annualized_growth_rate(29, years=10), 2)
2.58
>>> figure_label(110_680, edition="2023-33", reference="May 2023", confidence="V")
'$110,680 (May 2023; BLS OOH 2023-33 edition) [V]'
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mhsm_lessons import _validation as _v

__all__ = [
    "projected_employment",
    "annualized_growth_rate",
    "new_jobs_per_year",
    "replacement_openings_per_year",
    "pay_growth_pct",
    "real_growth_pct",
    "constant_dollars",
    "cpi_for",
    "percentile_rank",
    "compare_settings",
    "years_until_eligible",
    "relative_change_pct",
    "percentage_point_change",
    "PDSAEffect",
    "pdsa_effect",
    "month_label",
    "figure_label",
    "row_label",
]


def _growth_pct(name, value):
    pct = _v.number(name, value)
    if pct <= -100:
        raise ValueError(f"{name} must be above -100 (percent); you gave {value!r}. A fall of 100 % or more "
                         "would leave no jobs.")
    if pct != 0 and -1 < pct < 1:
        warnings.warn(f"{name}={value!r} looks like a proportion. This function expects a percent as BLS "
                      f"publishes it: give 32 for 32 % growth, not 0.32.", UserWarning, stacklevel=3)
    return pct


def projected_employment(base_employment, growth_pct) -> float:
    """Projected employment at the end of a BLS projection period: ``base x (1 + growth_pct / 100)``.

    BLS publishes the growth as a rounded percent, so this differs a little from BLS's own projected
    employment (base + published employment change): for 2023-33, 562,700 x 1.29 = 725,883, while
    562,700 + 160,600 = 723,300 (160,600 / 562,700 is 28.5 %, published as 29 %).

    Parameters
    ----------
    base_employment : number
        Jobs in the base year (``employment_base_year`` in ``bls_mhsm_outlook``).
    growth_pct : number
        Projected growth over the period in percent (``projected_growth_pct``: 29 means +29 %).

    Returns
    -------
    float

    References
    ----------
    BLS, *Occupational Outlook Handbook*, Medical and Health Services Managers (SOC 11-9111), Job Outlook tab;
    BLS Employment Projections methodology.

    Examples
    --------
    >>> projected_employment(422_300, 32)          # 2019-29 edition [V]: 422,300 x 1.32
    557436.0
    >>> projected_employment(-5, 32)
    Traceback (most recent call last):
    ...
    ValueError: base_employment must be at least 0; you gave -5. ...
    """
    base = _v.number("base_employment", base_employment, minimum=0)
    pct = _growth_pct("growth_pct", growth_pct)
    return base * (1.0 + pct / 100.0)


def annualized_growth_rate(total_growth_pct, years=10) -> float:
    """Compound annual growth rate (percent) equivalent to a total growth over ``years``.

    ``((1 + total / 100) ** (1 / years) - 1) x 100``. BLS projections run 10 years, so +29 % over 2023-33 is
    about 2.6 % a year, not 2.9 % (growth compounds).

    Source: standard compound-growth formula (any corporate-finance text); BLS projection periods are 10 years.

    Examples
    --------
    >>> round(annualized_growth_rate(32), 3)       # 1.32 ** (1/10) - 1
    2.815
    >>> round(annualized_growth_rate(9.61, years=4), 2)   # nominal pay growth May 2019 -> May 2023
    2.32
    >>> annualized_growth_rate(29, years=0)
    Traceback (most recent call last):
    ...
    ValueError: years must be greater than 0; you gave 0. ...
    """
    pct = _growth_pct("total_growth_pct", total_growth_pct)
    n = _v.number("years", years, positive=True)
    return ((1.0 + pct / 100.0) ** (1.0 / n) - 1.0) * 100.0


def pay_growth_pct(earlier_pay, later_pay) -> float:
    """Nominal pay growth between two figures, in percent: ``(later / earlier - 1) x 100``.

    Nominal: not adjusted for inflation. Consumer prices rose substantially between 2019 and 2023, so real
    (inflation-adjusted) growth was much smaller; say "nominal" whenever you report this. Compare figures
    for the same measure (for example the all-settings median) and state both reference dates.

    Source: BLS OOH median pay by edition (``bls_mhsm_outlook``).

    Examples
    --------
    >>> round(pay_growth_pct(100_980, 110_680), 2)  # May 2019 -> May 2023: 110,680 / 100,980 - 1
    9.61
    >>> pay_growth_pct(0, 110_680)
    Traceback (most recent call last):
    ...
    ValueError: earlier_pay must be greater than 0; you gave 0. ...
    """
    earlier = _v.number("earlier_pay", earlier_pay, positive=True)
    later = _v.number("later_pay", later_pay, positive=True)
    return (later / earlier - 1.0) * 100.0


def new_jobs_per_year(employment_change, years=10) -> float:
    """Average new jobs a year from growth alone: the projected employment change ÷ the years of the projection.

    New jobs are not openings. BLS's *openings* per year add the jobs that open when workers retire or move to
    another occupation (replacement needs), so openings are several times the new jobs.

    Source: BLS Employment Projections, "Occupational separations and openings" (openings = employment change ÷ 10
    + occupational separations, averaged over the decade).

    Examples
    --------
    >>> new_jobs_per_year(160_600)            # 2023-33 edition: 160,600 over 10 years
    16060.0
    >>> new_jobs_per_year(160_600, years=0)
    Traceback (most recent call last):
    ...
    ValueError: years must be greater than 0; you gave 0. ...
    """
    change = _v.number("employment_change", employment_change)
    n = _v.number("years", years, positive=True)
    return change / n


def replacement_openings_per_year(openings_per_year, employment_change, years=10) -> float:
    """The part of BLS's annual openings that replaces workers who leave: openings − new jobs per year.

    Examples
    --------
    >>> replacement_openings_per_year(61_400, 160_600)   # 61,400 - 16,060
    45340.0
    """
    openings = _v.number("openings_per_year", openings_per_year, minimum=0)
    return openings - new_jobs_per_year(employment_change, years)


def real_growth_pct(earlier_pay, later_pay, cpi_earlier, cpi_later) -> float:
    """Real (inflation-adjusted) pay growth in percent: ``(later / earlier) / (cpi_later / cpi_earlier) - 1``.

    Dividing the pay ratio by the price ratio says how much more (or less) the later pay buys. Subtracting the
    inflation rate from the nominal growth is only an approximation, poor when inflation is high.

    Parameters
    ----------
    earlier_pay, later_pay : number
        Nominal pay at the two dates (dollars).
    cpi_earlier, cpi_later : number
        CPI-U for the same two dates (``cpi_u_annual``; annual averages for May wages are an approximation).

    References
    ----------
    BLS, *Consumer Price Index*, "How to use the CPI for escalation / deflating" (real value = nominal ÷ CPI).

    Examples
    --------
    >>> round(real_growth_pct(100_980, 110_680, 255.657, 304.702), 2)   # May 2019 -> May 2023
    -8.04
    >>> real_growth_pct(100, 110, 0, 250)
    Traceback (most recent call last):
    ...
    ValueError: cpi_earlier must be greater than 0; you gave 0. ...
    """
    earlier = _v.number("earlier_pay", earlier_pay, positive=True)
    later = _v.number("later_pay", later_pay, positive=True)
    c0 = _v.number("cpi_earlier", cpi_earlier, positive=True)
    c1 = _v.number("cpi_later", cpi_later, positive=True)
    return ((later / earlier) / (c1 / c0) - 1.0) * 100.0


def constant_dollars(amount, cpi_from, cpi_to) -> float:
    """Express ``amount`` (dollars of the year whose CPI is ``cpi_from``) in dollars of the year of ``cpi_to``.

    ``amount × cpi_to ÷ cpi_from``. Use it to put a 2024 salary beside May 2019 percentiles, or to draw pay from
    several editions in one year's dollars.

    Examples
    --------
    >>> round(constant_dollars(200_000, cpi_from=313.689, cpi_to=255.657))   # 2024 dollars -> 2019 dollars
    163000
    """
    value = _v.number("amount", amount)
    c0 = _v.number("cpi_from", cpi_from, positive=True)
    c1 = _v.number("cpi_to", cpi_to, positive=True)
    return value * c1 / c0


def cpi_for(cpi_table, year) -> float:
    """The CPI-U annual average for ``year`` from a ``cpi_u_annual`` table.

    Examples
    --------
    >>> table = pd.DataFrame({"year": [2019, 2023], "cpi_u": [255.657, 304.702]})
    >>> cpi_for(table, 2023)
    304.702
    >>> cpi_for(table, 2018)
    Traceback (most recent call last):
    ...
    ValueError: The CPI table has no year 2018; it covers 2019 to 2023.
    """
    _v.columns("cpi_table", cpi_table, ["year", "cpi_u"])
    wanted = _v.number("year", year)
    if not wanted.is_integer():
        raise ValueError(f"year must be a whole year such as 2023; you gave {year!r}.")
    year = int(wanted)
    match = cpi_table.loc[pd.to_numeric(cpi_table["year"], errors="coerce") == year, "cpi_u"]
    if match.empty:
        raise ValueError(f"The CPI table has no year {int(year)}; it covers {int(cpi_table['year'].min())} to "
                         f"{int(cpi_table['year'].max())}.")
    cpi = _v.plain(match.iloc[0])
    if _v.placeholder(cpi) is not None:
        raise ValueError(f"The CPI table's cpi_u for {int(year)} is {_v.shown(cpi)}, {_v.placeholder(cpi)}. Fill in "
                         "the BLS CPI-U annual average for that year.")
    return _v.number("cpi_u", cpi, positive=True)


def percentile_rank(value, percentiles, *, percentile="percentile", wage="annual_wage") -> float:
    """Where a salary falls in a published wage distribution, by linear interpolation between percentiles.

    BLS publishes five points (10th, 25th, 50th, 75th, 90th). Between two of them this interpolates in a
    straight line; that is an approximation (pay is not spread evenly). Outside the 10th-90th range there is no
    point to interpolate towards, so the function refuses: the 90th percentile is **not** the maximum, one
    worker in ten earns more. BLS prints "#" for a wage at or above the highest amount it publishes (a lower
    bound, no number) and "*" for an estimate it did not release: such rows are left out of the interpolation,
    and a salary above the last published number is refused with a message that says so.

    Parameters
    ----------
    value : number
        The salary, in dollars of the same date as the percentiles.
    percentiles : pandas.DataFrame
        One row per percentile (``load_dataset("bls_mhsm_wage_percentiles")``).

    Returns
    -------
    float
        The approximate percentile (for example 82.6: about 82.6 % of workers earned less).

    Examples
    --------
    >>> p = pd.DataFrame({"percentile": [10, 25, 50, 75, 90],
    ...                   "annual_wage": [58_820, 76_770, 100_980, 133_520, 189_000]})
    >>> round(percentile_rank(161_260, p), 2)      # halfway between the 75th and the 90th
    82.5
    >>> percentile_rank(200_000, p)
    Traceback (most recent call last):
    ...
    ValueError: $200,000 is above the 90th percentile ($189,000), the highest point BLS publishes. ...
    """
    x = _v.number("value", value)
    _v.columns("percentiles", percentiles, [percentile, wage])
    ps_all, p_gaps = _v.float_values(percentile, percentiles[percentile])
    if p_gaps:
        raise ValueError(f"percentiles has a blank {percentile!r} in row {min(p_gaps)} (position from 0); every "
                         "row needs its percentile (10, 25, 50, 75 or 90).")
    ws_all, w_gaps = _v.float_values(wage, percentiles[wage])
    raw = percentiles[wage].astype(object).tolist()
    top = sorted(ps_all[i] for i in w_gaps if _v._normal_text(str(raw[i])) == "#")
    order = np.argsort(ps_all, kind="stable")
    known = np.array([i for i in order if i not in w_gaps], dtype=int)
    if known.size == 0:
        raise ValueError(f"percentiles has no published {wage!r}: every row is blank or a placeholder.")
    ps, ws = ps_all[known], ws_all[known]
    skipped = [f"the {ps_all[i]:g}th percentile ({_v.shown(raw[i])}: {w_gaps[i]})" for i in sorted(w_gaps)]
    if skipped:
        warnings.warn(f"percentile_rank left out {', '.join(skipped)}; it interpolates between the published "
                      "wages only.", UserWarning, stacklevel=2)
    if np.any(np.diff(ws) <= 0):
        raise ValueError("The wages must rise with the percentile; check the table.")
    if x > ws[-1]:
        if top:
            raise ValueError(f"${_money(x)} is above the {ps[-1]:g}th percentile (${_money(ws[-1])}), the highest "
                             f"wage BLS publishes as a number here: the {top[0]:g}th percentile is '#', BLS's mark "
                             "for a wage at or above its top-coded amount, so it is only a lower bound. Say 'above "
                             f"the {ps[-1]:g}th percentile'.")
        raise ValueError(f"${_money(x)} is above the {ps[-1]:g}th percentile (${_money(ws[-1])}), the highest point "
                         f"BLS publishes. Say 'above the {ps[-1]:g}th percentile': the {ps[-1]:g}th percentile is "
                         "not the maximum.")
    if x < ws[0]:
        raise ValueError(f"${_money(x)} is below the {ps[0]:g}th percentile (${_money(ws[0])}), the lowest point BLS "
                         f"publishes. Say 'below the {ps[0]:g}th percentile'.")
    return float(np.interp(x, ws, ps))


def _money(x: float) -> str:
    """Whole dollars with thousands separators; cents kept when the amount has them, so $189,000.40 never prints
    as the $189,000 it exceeds."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def compare_settings(pay_by_setting, *, setting="work_setting", pay="annual_pay",
                     overall="All work settings") -> pd.DataFrame:
    """Compare pay by work setting with the all-settings figure of the same date: difference ($) and ratio.

    Parameters
    ----------
    pay_by_setting : pandas.DataFrame
        One row per work setting, including the all-settings row, from ONE reference date and ONE statistic
        (filter ``load_dataset("bls_mhsm_pay_by_setting")`` first). If it has a ``pay_reference`` or a
        ``statistic`` column, every row must share one value.
    setting, pay : str
        Column names of the setting and its pay.
    overall : str
        The value in ``setting`` that marks the all-settings figure.

    Returns
    -------
    pandas.DataFrame
        The settings (without the overall row), highest pay first, with ``difference_vs_all`` (dollars) and
        ``ratio_to_all`` (1.18 means 18 % above the all-settings figure). A setting whose pay BLS did not publish
        ("*") or top-coded ("#", a lower bound with no number) is left out with a warning and a line in
        ``result.attrs["notes"]``.

    References
    ----------
    BLS OOH, Medical and Health Services Managers, Pay tab (median annual wages in the top industries).

    Examples
    --------
    >>> df = pd.DataFrame({"work_setting": ["All work settings", "Hospitals", "Physicians' offices"],
    ...                    "annual_pay": [100_000, 120_000, 95_000]})
    >>> compare_settings(df)
              work_setting  annual_pay  difference_vs_all  ratio_to_all
    0            Hospitals      120000              20000          1.20
    1  Physicians' offices       95000              -5000          0.95
    """
    _v.columns("pay_by_setting", pay_by_setting, [setting, pay])
    for column, what in (("pay_reference", "pay reference dates"), ("statistic", "statistics")):
        if column in pay_by_setting.columns and pay_by_setting[column].nunique() > 1:
            values = ", ".join(map(str, pay_by_setting[column].unique()))
            raise ValueError(f"pay_by_setting mixes {what} ({values}); compare settings from one edition, date "
                             "and statistic only.")
    is_overall = pay_by_setting[setting] == overall
    if is_overall.sum() != 1:
        raise ValueError(f"pay_by_setting needs exactly one row whose {setting!r} is {overall!r} (the "
                         f"all-settings figure to compare against); it has {int(is_overall.sum())}. Pass "
                         "overall='...' to name a different row.")
    values, gaps = _v.float_values(pay, pay_by_setting[pay])
    if np.nanmin(values, initial=0) < 0:
        raise ValueError(f"{pay} must not contain values below 0; the smallest is {np.nanmin(values):g}.")
    overall_pos = int(np.flatnonzero(is_overall.to_numpy())[0])
    if overall_pos in gaps:
        raise ValueError(f"The all-settings {pay} is {_v.shown(pay_by_setting[pay].iloc[overall_pos])}, "
                         f"{gaps[overall_pos]}, so there is nothing to compare against. Use an edition whose "
                         "all-settings figure is published.")
    base = float(values[overall_pos])
    if base <= 0:
        raise ValueError(f"The all-settings pay must be greater than 0; it is {base:g}.")
    keep = ~is_overall.to_numpy()
    notes = []
    for i in sorted(gaps):
        if keep[i]:
            keep[i] = False
            notes.append(f"{pay_by_setting[setting].iloc[i]} left out: its {pay} is "
                         f"{_v.shown(pay_by_setting[pay].iloc[i])}, {gaps[i]}.")
    out = pay_by_setting.loc[keep, [setting, pay]].copy()
    if notes:
        out[pay] = values[keep]
        warnings.warn(" ".join(notes), UserWarning, stacklevel=2)
    out["difference_vs_all"] = out[pay] - (pay_by_setting.loc[is_overall, pay].iloc[0] if not notes else base)
    out["ratio_to_all"] = out[pay] / base
    out = out.sort_values(pay, ascending=False, kind="stable").reset_index(drop=True)
    out.attrs["notes"] = notes
    return out


def years_until_eligible(min_years_experience, experience_years) -> float:
    """Years still to work before an experience requirement is met: ``max(0, required − experience so far)``.

    Examples
    --------
    >>> years_until_eligible(5, 2)       # FACHE: 5 years of healthcare management experience, 2 already done
    3.0
    >>> years_until_eligible(0, 2)       # CPHQ: no experience prerequisite
    0.0
    """
    need = _v.number("min_years_experience", min_years_experience, minimum=0)
    have = _v.number("experience_years", experience_years, minimum=0)
    return max(0.0, need - have)


def relative_change_pct(before, after) -> float:
    """Relative change in percent: ``(after − before) ÷ before × 100``.

    For a rate (a percent of discharges), this is not the change in percentage points: from 20 % to 30 % is
    +10 percentage points but +50 %. Report both, and say which is which.

    Examples
    --------
    >>> relative_change_pct(20, 30)
    50.0
    """
    b = _v.number("before", before, positive=True)
    a = _v.number("after", after)
    return (a - b) / b * 100.0


def percentage_point_change(before_pct, after_pct) -> float:
    """Absolute change between two percentages, in percentage points: ``after − before``.

    Examples
    --------
    >>> percentage_point_change(20, 30)
    10.0
    """
    return _v.number("after_pct", after_pct) - _v.number("before_pct", before_pct)


@dataclass(frozen=True)
class PDSAEffect:
    """What a PDSA result supports: medians before and after, the absolute and relative change, n and the window.

    ``signal`` is True when the run chart (Anhøj rules, centre line at the baseline median) shows non-random
    variation after the change: only then may a resume bullet claim an improvement.
    """

    baseline_median: float
    after_median: float
    change_points: float
    change_pct: float
    baseline_weeks: int
    after_weeks: int
    after_discharges: int
    window: str
    signal: bool

    def bullet(self, what="discharges before noon", where="on a 32-bed med-surg unit") -> str:
        """A resume bullet that claims only what the data show (or says there is nothing to claim yet)."""
        if not self.signal:
            return (f"No claim yet: the run chart shows no signal after the change ({what}, {self.window}). "
                    "Keep measuring; one good week is not a result.")
        return (f"Led a PDSA cycle that raised {what} {where} from a median {self.baseline_median:.1f}% to "
                f"{self.after_median:.1f}% of discharges ({self.change_points:+.1f} percentage points, "
                f"{self.change_pct:+.0f}% relative) over {self.after_weeks} weeks ({self.window}; "
                f"n = {self.after_discharges:,} discharges), a sustained shift on the run chart.")


def pdsa_effect(weeks, *, value="pct_before_noon", phase="phase", baseline="baseline",
                denominator="discharges", date="week_start") -> PDSAEffect:
    """Summarise a before/after PDSA result for a resume: medians, change in points and percent, n, window, signal.

    The centre line is the median of the baseline weeks, and the signal test is the Anhøj run-chart rules of
    :func:`mhsm_lessons.spc.run_chart` (Anhøj & Olesen 2014). The effect is the change in the MEDIAN weekly
    value, not the best single week. The weeks must be in time order, one row per week, baseline weeks first:
    unsorted or duplicated dates are refused with a message (a run chart read out of order is meaningless).

    Examples
    --------
    >>> df = pd.DataFrame({"week_start": [f"2026-01-{d:02d}" for d in range(1, 21)],
    ...                    "phase": ["baseline"] * 10 + ["after change"] * 10,
    ...                    "discharges": [30] * 20,
    ...                    "pct_before_noon": [18, 20, 19, 21, 17, 20, 22, 19, 18, 20,
    ...                                        30, 31, 29, 33, 32, 30, 34, 31, 29, 32]})
    >>> e = pdsa_effect(df)
    >>> e.baseline_median, e.after_median, e.change_points, round(e.change_pct, 1), e.signal
    (19.5, 31.0, 11.5, 59.0, True)
    """
    from . import spc  # a sibling topic module; imported here so that importing careers stays light

    _v.columns("weeks", weeks, [value, phase, denominator, date])
    dates = pd.to_datetime(weeks[date].astype(str).str.strip(), format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        bad = weeks[date].iloc[int(np.flatnonzero(dates.isna().to_numpy())[0])]
        raise ValueError(f"weeks column {date!r} must hold dates written 'YYYY-MM-DD'; {bad!r} is not one.")
    if dates.duplicated().any():
        dup = weeks[date].iloc[int(np.flatnonzero(dates.duplicated().to_numpy())[0])]
        raise ValueError(f"weeks has more than one row for {date} {str(dup).strip()}: give one row per week "
                         "(add up duplicated weeks first).")
    if not dates.is_monotonic_increasing:
        raise ValueError(f"weeks must be in time order (earliest {date} first): the rows are not sorted. Sort "
                         f"them first, for example weeks.sort_values({date!r}).")
    is_base = (weeks[phase].astype(str).str.strip() == baseline).to_numpy()
    if is_base.any() and (~is_base).any() and np.flatnonzero(is_base).max() > np.flatnonzero(~is_base).min():
        raise ValueError(f"Every {baseline!r} week must come before the weeks after the change; in weeks a "
                         f"{baseline!r} row follows a row after the change. Check the {phase!r} column.")
    if is_base.sum() == 0 or (~is_base).sum() == 0:
        raise ValueError(f"weeks needs both {baseline!r} rows and rows after the change in {phase!r}.")
    values, _ = _v.float_values(value, weeks[value])
    base, after = pd.Series(values[is_base]), pd.Series(values[~is_base])
    b_med, a_med = float(base.median()), float(after.median())
    chart = spc.run_chart(values, baseline=int(is_base.sum()))
    after_dates = weeks.loc[~is_base, date].astype(str).str.strip()
    counts, _ = _v.float_values(denominator, weeks[denominator])
    return PDSAEffect(b_med, a_med, percentage_point_change(b_med, a_med), relative_change_pct(b_med, a_med),
                      int(is_base.sum()), int((~is_base).sum()), int(np.nansum(counts[~is_base])),
                      f"{after_dates.iloc[0]} to {after_dates.iloc[-1]}", bool(chart.signal))


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def month_label(reference) -> str:
    """Turn a ``YYYY-MM`` reference month into words: ``"2023-05"`` → ``"May 2023"`` (other text is kept).

    >>> month_label("2023-05"), month_label("2024")
    ('May 2023', '2024')
    """
    text = str(reference)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
        return f"{_MONTHS[int(text[5:]) - 1]} {text[:4]}"
    return text


def figure_label(value, *, edition, reference, confidence=None, kind="dollars") -> str:
    """Format a BLS figure with its reference date, edition and confidence flag, as every figure shown must be.

    Parameters
    ----------
    value : number
    edition : str
        OOH projections edition, for example ``"2023-33"``, or an OEWS release such as ``"OEWS May 2019"``.
    reference : str
        When the figure refers to, for example ``"May 2023"``, ``"2023-05"`` or ``"2023"``.
    confidence : {"V", "S", "K"}, optional
        The row's confidence flag.
    kind : {"dollars", "count", "percent"}

    Examples
    --------
    >>> figure_label(562_700, edition="2023-33", reference="2023", kind="count")
    '562,700 (2023; BLS OOH 2023-33 edition)'
    >>> figure_label(32, edition="2020-30", reference="2020-30", confidence="S", kind="percent")
    '32% (2020-30; BLS OOH 2020-30 edition) [S]'
    >>> figure_label(189_000, edition="OEWS May 2019", reference="2019-05", confidence="V")
    '$189,000 (May 2019; BLS OEWS May 2019) [V]'
    """
    number = _v.number("value", value)
    formats = {"dollars": f"${number:,.0f}", "count": f"{number:,.0f}", "percent": f"{number:g}%"}
    if not isinstance(kind, str) or kind not in formats:
        raise ValueError(f"kind must be one of {', '.join(formats)}; you gave {kind!r}.")
    if confidence is not None and (not isinstance(confidence, str) or confidence not in ("V", "S", "K")):
        raise ValueError(f"confidence must be 'V', 'S', 'K' or None; you gave {confidence!r}.")
    flag = f" [{confidence}]" if confidence else ""
    source = f"BLS {edition}" if str(edition).startswith("OEWS") else f"BLS OOH {edition} edition"
    return f"{formats[kind]} ({month_label(reference)}; {source}){flag}"


def row_label(row, column="median_annual_pay", kind="dollars") -> str:
    """:func:`figure_label` for one row of a BLS dataset (it reads the edition, pay reference and confidence).

    Examples
    --------
    >>> row = pd.Series({"edition": "2023-33", "pay_reference": "2023-05", "median_annual_pay": 110_680,
    ...                  "confidence": "V"})
    >>> row_label(row)
    '$110,680 (May 2023; BLS OOH 2023-33 edition) [V]'
    """
    reference = row["pay_reference"] if kind == "dollars" and "pay_reference" in row else row.get("base_year", "")
    return figure_label(row[column], edition=row["edition"], reference=reference,
                        confidence=row.get("confidence"), kind=kind)
