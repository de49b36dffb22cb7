"""Career pathways: projections, growth rates and pay comparisons for medical and health services managers.

The figures come from the curated datasets ``bls_mhsm_outlook``, ``bls_mhsm_pay_by_setting`` and
``bls_mhsm_wage_percentiles`` (BLS Occupational Outlook Handbook and OEWS, SOC 11-9111), each row carrying its
edition, reference date, source and confidence flag (V verified, S secondary, K knowledge / illustrative).
BLS revises them every year, so every figure shown should carry its edition and date:
:func:`figure_label` writes that label.

All pay comparisons here are **nominal** (not adjusted for inflation).

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

import pandas as pd

from mhsm_lessons import _validation as _v

__all__ = [
    "projected_employment",
    "annualized_growth_rate",
    "pay_growth_pct",
    "compare_settings",
    "figure_label",
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


def compare_settings(pay_by_setting, *, setting="work_setting", pay="median_annual_pay",
                     overall="All work settings") -> pd.DataFrame:
    """Compare median pay by work setting with the all-settings median: difference ($) and ratio.

    Parameters
    ----------
    pay_by_setting : pandas.DataFrame
        One row per work setting, including the all-settings row (``load_dataset("bls_mhsm_pay_by_setting")``).
        If it has a ``pay_reference`` column, every row must share one reference date.
    setting, pay : str
        Column names of the setting and its median pay.
    overall : str
        The value in ``setting`` that marks the all-settings median.

    Returns
    -------
    pandas.DataFrame
        The settings (without the overall row), highest pay first, with ``difference_vs_all`` (dollars) and
        ``ratio_to_all`` (1.18 means 18 % above the all-settings median).

    References
    ----------
    BLS OOH, Medical and Health Services Managers, Pay tab (median annual wages in the top industries).

    Examples
    --------
    >>> df = pd.DataFrame({"work_setting": ["All work settings", "Hospitals", "Physicians' offices"],
    ...                    "median_annual_pay": [100_000, 120_000, 95_000]})
    >>> compare_settings(df)
              work_setting  median_annual_pay  difference_vs_all  ratio_to_all
    0            Hospitals             120000              20000          1.20
    1  Physicians' offices              95000              -5000          0.95
    """
    _v.columns("pay_by_setting", pay_by_setting, [setting, pay])
    is_overall = pay_by_setting[setting] == overall
    if is_overall.sum() != 1:
        raise ValueError(f"pay_by_setting needs exactly one row whose {setting!r} is {overall!r} (the "
                         f"all-settings median to compare against); it has {int(is_overall.sum())}. Pass "
                         "overall='...' to name a different row.")
    if "pay_reference" in pay_by_setting.columns and pay_by_setting["pay_reference"].nunique() > 1:
        dates = ", ".join(map(str, pay_by_setting["pay_reference"].unique()))
        raise ValueError(f"pay_by_setting mixes pay reference dates ({dates}); compare settings from one "
                         "edition and date only.")
    _v.array(pay, pay_by_setting[pay], minimum=0)
    base = float(pay_by_setting.loc[is_overall, pay].iloc[0])
    if base <= 0:
        raise ValueError(f"The all-settings median pay must be greater than 0; it is {base:g}.")
    out = pay_by_setting.loc[~is_overall, [setting, pay]].copy()
    out["difference_vs_all"] = out[pay] - pay_by_setting.loc[is_overall, pay].iloc[0]
    out["ratio_to_all"] = out[pay] / base
    return out.sort_values(pay, ascending=False, kind="stable").reset_index(drop=True)


def figure_label(value, *, edition, reference, confidence=None, kind="dollars") -> str:
    """Format a BLS figure with its reference date, edition and confidence flag, as every figure shown must be.

    Parameters
    ----------
    value : number
    edition : str
        OOH projections edition, for example ``"2023-33"``.
    reference : str
        When the figure refers to, for example ``"May 2023"`` or ``"2023"``.
    confidence : {"V", "S", "K"}, optional
        The row's confidence flag.
    kind : {"dollars", "count", "percent"}

    Examples
    --------
    >>> figure_label(562_700, edition="2023-33", reference="2023", kind="count")
    '562,700 (2023; BLS OOH 2023-33 edition)'
    >>> figure_label(32, edition="2020-30", reference="2020-30", confidence="S", kind="percent")
    '32% (2020-30; BLS OOH 2020-30 edition) [S]'
    """
    number = _v.number("value", value)
    formats = {"dollars": f"${number:,.0f}", "count": f"{number:,.0f}", "percent": f"{number:g}%"}
    if kind not in formats:
        raise ValueError(f"kind must be one of {', '.join(formats)}; you gave {kind!r}.")
    if confidence not in (None, "V", "S", "K"):
        raise ValueError(f"confidence must be 'V', 'S', 'K' or None; you gave {confidence!r}.")
    flag = f" [{confidence}]" if confidence else ""
    return f"{formats[kind]} ({reference}; BLS OOH {edition} edition){flag}"
