"""Every chart of the course, checked as an accessibility reviewer would (WCAG 2.1 1.1.1 and 1.4.1).

* **Colour vision.** For every chart function (``CASES``: each drawn as the lessons and labs draw it), the colours
  are read from what the figure actually draws (lines, bars, markers, collections) and every pair of distinct
  colours is compared with CIEDE2000 under normal vision and simulated protanopia, deuteranopia and tritanopia
  (Machado et al. 2009, severity 1.0; tests/viz/colour_vision.py):
  - two marks told apart by colour ALONE (same line style, marker, hollowness and hatch) must keep
    ΔE00 >= ``MIN_DELTA_E_COLOUR_ONLY`` (20: many times a just-noticeable difference, ΔE00 ~ 1);
  - any two colours a chart uses must keep ΔE00 >= ``MIN_DELTA_E_ANY`` (10), even where a hatch, marker or line
    style also tells them apart, so no colour key collapses for a colour-blind reader.
* **Text alternative.** One test per chart function: the Chart has alt text and a caption, rendered as
  ``<img alt>`` and ``<figcaption>``, and they name the chart's key numbers, computed here from the data with
  pandas rather than through the function under test.
"""
from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.colors import to_hex, to_rgba  # noqa: E402

from mhsm_lessons import load_dataset, spc  # noqa: E402
from mhsm_lessons.viz import spc as sviz  # noqa: E402
from mhsm_lessons.viz.style import Chart, money  # noqa: E402

from . import chart_cases as cases  # noqa: E402
from .colour_vision import SIMULATIONS, ciede2000, delta_e  # noqa: E402

MIN_DELTA_E_COLOUR_ONLY = 20.0
MIN_DELTA_E_ANY = 10.0
VISIONS = (None, *SIMULATIONS)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------------------------------------ colour vision

def test_ciede2000_matches_sharma_wu_dalal_test_data():
    """Pairs and ΔE00 from Sharma, Wu & Dalal (2005), Table 1 (the standard check of an implementation)."""
    table = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425), ((50, 0, 0), (50, -1, 2), 2.3669),
             ((50, 2.49, -0.001), (50, -2.49, 0.0009), 7.1792), ((50, 2.49, -0.001), (50, -2.49, 0.0011), 7.2195),
             ((50, -0.001, 2.49), (50, 0.0011, -2.49), 4.7461), ((50, 2.5, 0), (50, 0, -2.5), 4.3065),
             ((50, 2.5, 0), (73, 25, -18), 27.1492), ((50, 2.5, 0), (61, -5, 29), 22.8977),
             ((50, 2.5, 0), (56, -27, -3), 31.9030), ((50, 2.5, 0), (50, 3.1736, 0.5854), 1.0),
             ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
             ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
             ((90.8027, -2.0831, 1.441), (91.1528, -1.6435, 0.0447), 1.4441),
             ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082)]
    for lab1, lab2, expected in table:
        assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
        assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def drawn_marks(figure):
    """(colour, encoding) of every mark the figure draws; the encoding is everything but the colour."""
    marks = []
    for ax in figure.axes:
        for line in ax.get_lines():
            marker = str(line.get_marker())
            if not len(line.get_xdata()) or to_rgba(line.get_color())[3] == 0:
                continue  # legend proxies and invisible lines
            if line.get_linestyle() in ("None", "", " ") and marker in ("None", "", " "):
                continue
            hollow = marker not in ("None", "", " ") and to_hex(line.get_markerfacecolor()) == "#ffffff"
            marks.append((to_hex(line.get_color()), ("line", line.get_linestyle(), marker, hollow)))
        for patch in ax.patches:
            face = to_rgba(patch.get_facecolor())
            if patch.get_visible() and face[3] > 0:
                marks.append((to_hex(face), ("patch", patch.get_hatch() or "")))
        for coll in ax.collections:
            if isinstance(coll, LineCollection):
                marks += [(to_hex(c), ("segments", str(coll.get_linestyle()))) for c in coll.get_color()]
                continue
            shape = coll.get_paths()[0].vertices.round(3).tobytes() if coll.get_paths() else b""
            marks += [(to_hex(c), ("points", shape)) for c in coll.get_facecolor() if c[3] > 0]
    return marks


@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_colours_that_carry_meaning_stay_distinct_under_colour_vision_deficiency(name, vision):
    drawn = cases.CASES[name]()
    figure = drawn.figure
    marks = drawn_marks(figure)
    encodings = {}
    for colour, encoding in marks:
        encodings.setdefault(colour, set()).add(encoding)
    assert len(encodings) >= 2, (name, "draws fewer than two colours: nothing to compare")
    too_close = []
    for a, b in itertools.combinations(sorted(encodings), 2):
        colour_only = bool(encodings[a] & encodings[b])  # some mark of each differs from the other by colour alone
        floor = MIN_DELTA_E_COLOUR_ONLY if colour_only else MIN_DELTA_E_ANY
        difference = delta_e(a, b, vision)
        if difference < floor:
            too_close.append((a, b, round(difference, 1), "colour only" if colour_only else "also shape/hatch"))
    assert not too_close, (name, vision or "normal vision", too_close)


def test_the_simulation_can_fail_a_red_green_pair():
    """The check above has teeth: Module 01's former green/red pair (CIEDE2000 63.5) collapses to 6.6."""
    assert delta_e("#2e7d32", "#c62828") == pytest.approx(63.5, abs=0.1)
    assert delta_e("#2e7d32", "#c62828", "deuteranopia") == pytest.approx(6.6, abs=0.1)
    assert delta_e("#2e7d32", "#c62828", "deuteranopia") < MIN_DELTA_E_ANY


def test_marks_are_read_from_the_drawing_not_a_list():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color="#2e7d32")
    ax.plot([0, 1], [1, 0], color="#c62828")
    marks = drawn_marks(fig)
    assert sorted(c for c, _ in marks) == ["#2e7d32", "#c62828"] and marks[0][1] == marks[1][1]


# ------------------------------------------------------------------------------------------- text alternatives

def accessible(chart) -> str:
    """The chart's alt text and caption together, after checking that both exist and render in the HTML."""
    assert isinstance(chart, Chart)
    assert chart.alt.strip() and chart.caption.strip()
    page = chart._repr_html_()
    assert page.startswith("<figure") and ' alt="' in page and "<figcaption" in page
    return chart.alt + " " + chart.caption


def test_variance_report_names_every_line_and_the_largest_variance():
    month = load_dataset("medsurg_statement").query("month == '2026-09' and line_item != 'Allocated overhead'")
    flex = np.where(month["cost_behavior"] == "variable",
                    month["budget"] * month["actual_patient_days"] / month["budget_patient_days"], month["budget"])
    variance = month["actual"] - flex
    unfavourable = np.where(month["line_type"] == "revenue", variance < 0, variance > 0)
    text = accessible(cases.CASES["budgeting.plot_variance_report"]())
    for item, v in zip(month["line_item"], variance):
        assert f"{item} {money(v)}" in text
    top = int(np.argmax(np.abs(variance.to_numpy())))
    assert f"{month['line_item'].iloc[top]}: {money(variance.iloc[top])}" in text
    assert f"{int(unfavourable.sum())} of {len(month)} lines are Unfavorable" in text


def test_variance_bridge_names_static_flexible_actual_and_each_variance():
    rn = cases.rn_row()
    static = rn["budget_patient_days"] * rn["budget_worked_hppd"] * rn["budget_hourly_rate"]
    flexible = rn["actual_patient_days"] * rn["budget_worked_hppd"] * rn["budget_hourly_rate"]
    quantity = (rn["actual_worked_hours"] - rn["actual_patient_days"] * rn["budget_worked_hppd"]) * rn[
        "budget_hourly_rate"]
    price = rn["actual_worked_cost"] - rn["actual_worked_hours"] * rn["budget_hourly_rate"]
    text = accessible(cases.CASES["budgeting.plot_variance_bridge"]())
    for amount in (static, flexible, rn["actual_worked_cost"], flexible - static, quantity, price):
        assert money(amount) in text, money(amount)


def test_hppd_trend_names_the_last_month_and_each_series_range():
    labor = load_dataset("medsurg_labor").query("job_class in ['RN', 'CNA']")
    by_month = labor.groupby("month")
    days = by_month["actual_patient_days"].first()
    worked = by_month["actual_worked_hours"].sum() / days
    budget = by_month["budget_worked_hours"].sum() / by_month["budget_patient_days"].first()
    paid = by_month["actual_paid_hours"].sum() / days
    text = accessible(cases.CASES["budgeting.plot_hppd_trend"]())
    last = f"In {worked.index[-1]} worked HPPD was {worked.iloc[-1]:.2f} against a budgeted {budget.iloc[-1]:.2f}"
    assert last in text
    for series in (worked, budget, paid):
        assert f"{series.min():.2f} to {series.max():.2f}" in text


def test_auth_denial_p_chart_names_the_baseline_and_the_weeks_above_the_limit():
    weeks, _ = cases.summit_weeks()
    p = weeks["denials"].iloc[:16].sum() / weeks["remitted"].iloc[:16].sum()
    share = weeks["denials"] / weeks["remitted"]
    above = share > p + 3 * np.sqrt(p * (1 - p) / weeks["remitted"])
    text = accessible(cases.CASES["revenue_cycle.plot_auth_denial_p_chart"]())
    assert f"{int(above.sum())} of {len(weeks)} weeks are above the upper control limit" in text
    assert f"baseline of {100 * p:.2f}%" in text and f"peaking at {100 * share.max():.1f}%" in text


def test_denial_pareto_names_every_category_and_the_top_one_by_count_and_by_dollars():
    claims = load_dataset("rc_claims")
    denied = claims[claims["initial_denial"].fillna(False).astype(bool)]
    counts = denied["denial_category"].value_counts()
    dollars = denied.groupby("denial_category")["charge_amount"].sum().sort_values(ascending=False)
    text = accessible(cases.CASES["revenue_cycle.plot_denial_pareto"]())
    top = f"By count the top denial category is {counts.index[0]} ({100 * counts.iloc[0] / counts.sum():.1f}%"
    assert top in text
    assert f"by dollars it is {dollars.index[0]} ({100 * dollars.iloc[0] / dollars.sum():.1f}%" in text
    for category, n in counts.items():
        assert f"{category} {n:,}" in text


def test_ar_aging_names_each_payer_and_the_overall_share_over_90_days():
    from mhsm_lessons import revenue_cycle as rc

    claims = load_dataset("rc_claims")
    balance = rc.ar_balances(claims, "2025-12-31")  # the open balance of each claim: the module's own definition
    age = (pd.Timestamp("2025-12-31") - pd.to_datetime(claims["service_date"])).dt.days
    frame = pd.DataFrame({"payer": claims["payer"], "balance": balance.to_numpy(), "old": (age > 90).to_numpy()})
    over90 = frame["balance"].where(frame["old"], 0.0).sum() / frame["balance"].sum()
    by_payer = frame.groupby("payer").apply(lambda g: g["balance"].where(g["old"], 0).sum() / g["balance"].sum(),
                                            include_groups=False)
    text = accessible(cases.CASES["revenue_cycle.plot_ar_aging_by_payer"]())
    assert f"Overall {100 * over90:.1f}% of billed A/R is over 90 days." in text
    assert f"{by_payer.idxmax()} has the oldest A/R ({100 * by_payer.max():.0f}% over 90 days)" in text
    for payer, total in frame.groupby("payer")["balance"].sum().items():
        assert f"{payer}: {money(total)}, {100 * by_payer[payer]:.0f}% over 90 days" in text


def test_revenue_leakage_names_gross_charges_each_leak_and_cash():
    claims = load_dataset("rc_claims")
    gross, allowed = claims["charge_amount"].sum(), claims["allowed_amount"].sum()
    cash = claims["paid_amount"].fillna(0).sum() + claims["patient_paid_amount"].fillna(0).sum()
    text = accessible(cases.CASES["revenue_cycle.plot_revenue_leakage"]())
    for amount in (gross, gross - allowed, allowed, cash, claims["denial_writeoff_amount"].fillna(0).sum(),
                   claims["bad_debt_amount"].fillna(0).sum()):
        assert money(amount) in text, money(amount)


def test_funnel_names_the_pooled_rate_and_every_unit_rate():
    falls = load_dataset("falls_unit_months").query("unit_type == 'Med-surg'")
    units = falls.groupby("unit")[["falls", "patient_days"]].sum()
    pooled = units["falls"].sum() / units["patient_days"].sum() * 1000
    text = accessible(cases.CASES["quality.plot_funnel"]())
    assert f"Pooled rate {pooled:.2f} falls per 1,000 patient days" in text
    for unit, row in units.iterrows():
        rate = row["falls"] / row["patient_days"] * 1000
        assert f"{unit} {rate:.2f} on {row['patient_days']:,.0f} patient days" in text
    assert f"5 South: {units.loc['5 South', 'falls']:,.0f} falls" in text


def test_sir_chart_names_every_groups_ratio():
    groups = cases.sir_groups().groupby("group")[["clabsi", "clabsi_predicted"]].sum()
    text = accessible(cases.CASES["quality.plot_sir"]())
    for group, row in groups.iterrows():
        if row["clabsi_predicted"] >= 1:
            assert f"{group} {row['clabsi'] / row['clabsi_predicted']:.2f} (95% interval" in text
        else:
            assert "Not calculated" in text and group in text


def test_err_chart_names_each_condition_and_the_dollars_withheld():
    hrrp = load_dataset("hrrp_discharges")
    h = hrrp.iloc[0]
    table, _ = cases.readmissions()
    counts = table["discharges"] >= 25
    excess = (table["payments"] * np.maximum(table["excess_readmission_ratio"] - table["peer_median_err"], 0)
              * h["neutrality_modifier"]).where(counts, 0.0)
    factor = 1 - min(0.03, excess.sum() / h["total_base_operating_payments"])
    withheld = (1 - factor) * h["fy_base_operating_payments"]
    text = accessible(cases.CASES["quality.plot_err_vs_peer_median"]())
    assert f"together they withhold {money(withheld)}" in text
    assert f"{int((excess > 0).sum())} of {len(table)} conditions above their peer-group median" in text
    for condition, row in table.iterrows():
        assert f"{condition}: ERR {row['excess_readmission_ratio']:.3f}, median {row['peer_median_err']:.3f}" in text


def test_run_chart_figure_names_the_median_and_the_rules():
    rates = cases.clinic()["no_show_rate"]
    text = accessible(cases.CASES["spc.run_chart_figure"]())
    assert f"Median {100 * rates.iloc[:26].median():.1f}%" in text
    assert "run chart of 52 weeks" in text and "(IHI rules)" in text


def test_control_chart_figure_names_centre_line_limits_and_points_beyond_them():
    ed = load_dataset("ed_door_to_provider")["median_minutes"]
    base = ed.iloc[:30]
    centre, amr = base.mean(), base.diff().abs().mean()
    lcl, ucl = centre - 2.66 * amr, centre + 2.66 * amr
    beyond = [i + 1 for i, v in enumerate(ed) if v > ucl + 1e-9 or v < lcl - 1e-9]
    chart = sviz.control_chart_figure(spc.i_chart(ed, baseline=30), title="ED door-to-provider")
    text = accessible(chart)
    assert f"Centre line {centre:,.1f}, limits {lcl:,.1f} to {ucl:,.1f}." in text
    assert "Limits frozen on the first 30 weeks." in text
    assert f"Beyond the limits: week{'s' if len(beyond) > 1 else ''} {', '.join(map(str, beyond))}." in text
    accessible(cases.CASES["spc.control_chart_figure"]())  # the excluded-week version used in the lesson


def test_pay_by_edition_names_first_and_newest_confirmed_pay():
    outlook = load_dataset("bls_mhsm_outlook").sort_values("pay_reference")
    verified = outlook[outlook["confidence"] == "V"]
    text = accessible(cases.CASES["careers.plot_pay_by_edition"]())
    assert f"rose from {money(outlook['median_annual_pay'].iloc[0])}" in text
    assert f"to {money(verified['median_annual_pay'].iloc[-1])}" in text
    assert f"at {len(outlook)} BLS pay dates" in text


def test_pay_by_setting_names_the_range_the_reference_and_the_target():
    block = load_dataset("bls_mhsm_pay_by_setting").query("pay_reference == '2021-05' and statistic == 'median'")
    overall = block.loc[block["work_setting"] == "All work settings", "annual_pay"].iloc[0]
    settings = block[block["work_setting"] != "All work settings"].set_index("work_setting")["annual_pay"]
    text = accessible(cases.CASES["careers.plot_pay_by_setting"]())
    assert (f"ranged from {money(settings.min())} ({settings.idxmin()}) to {money(settings.max())} "
            f"({settings.idxmax()}) against {money(overall)} for all settings") in text
    target = settings["Offices of physicians"]
    assert f"Offices of physicians, is {money(target)}, {target / overall:.2f} times" in text


def test_career_timeline_names_the_year_each_stage_and_credential_is_reached():
    ladder = load_dataset("mhsm_career_ladder").set_index("level")
    creds = load_dataset("mhsm_credentials").set_index("credential")
    text = accessible(cases.CASES["careers.plot_career_timeline"]())
    assert (f"reaches Manager in year {ladder.loc['Manager', 'years_experience_min']:g} and Director in year "
            f"{ladder.loc['Director', 'years_experience_min']:g}") in text
    for name in ("CPHQ", "CMPE", "PMP", "FACHE", "NHA licence"):
        c = creds.loc[name]
        assert (f"{name}: open to students" if c["open_to_students"]
                else f"{name}: from year {c['min_years_experience']:g}") in text


def test_every_chart_function_is_covered():
    """A new chart function in viz/ must be added to chart_cases.CASES (and get a text-alternative test here;
    plot_run_chart and plot_control_chart return bare Axes that run_chart_figure / control_chart_figure wrap)."""
    import inspect

    from mhsm_lessons.viz import budgeting, careers, quality, revenue_cycle, spc as spc_viz

    found = {f"{m.__name__.rsplit('.', 1)[-1]}.{n}" for m in (budgeting, careers, quality, revenue_cycle, spc_viz)
             for n, f in inspect.getmembers(m, inspect.isfunction)
             if f.__module__ == m.__name__ and (n.startswith("plot_") or n.endswith("_figure"))}
    assert found == set(cases.CASES)
