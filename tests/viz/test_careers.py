"""Career charts: text alternatives built from the same numbers, secondary figures drawn hollow, one date per dot
plot, and a plan builder whose every BLS figure carries its edition and date and whose controls are labelled."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from mhsm_lessons import load_dataset  # noqa: E402
from mhsm_lessons.viz import careers as v  # noqa: E402
from mhsm_lessons.viz.style import Chart  # noqa: E402

OUTLOOK, CPI = load_dataset("bls_mhsm_outlook"), load_dataset("cpi_u_annual")
SETTINGS, LADDER = load_dataset("bls_mhsm_pay_by_setting"), load_dataset("mhsm_career_ladder")
CREDS = load_dataset("mhsm_credentials")


def test_slope_chart_plots_every_edition_nominal_and_real_with_hollow_secondary_points():
    chart = v.plot_pay_by_edition(OUTLOOK, CPI)
    assert isinstance(chart, Chart) and chart.png.startswith(b"\x89PNG")
    nominal, real = chart.ax.get_lines()[0], chart.ax.get_lines()[1 + 2]   # two hollow overlays follow nominal
    assert list(nominal.get_ydata()) == OUTLOOK.sort_values("pay_reference")["median_annual_pay"].tolist()
    # May 2023 pay in 2024 dollars: 110,680 x 313.689 / 304.702
    assert real.get_ydata()[-2] == pytest.approx(110_680 * 313.689 / 304.702)
    hollow = [line for line in chart.ax.get_lines() if line.get_markerfacecolor() == "white" and
              len(line.get_xdata()) == 1]
    assert len(hollow) == 2 * (OUTLOOK["confidence"] != "V").sum()
    assert chart.caption == (
        "Nominal median pay rose from $94,500 (May 2015) to $110,680 (May 2023, the newest figure confirmed on a BLS "
        "page); in 2024 dollars it went from $125,070 to $113,944. The 2024-34 figure, $117,960 (May 2024), is from "
        "secondary sources only.")
    assert chart.alt.startswith("Slope chart of the median annual pay of medical and health services managers at 8 "
                                "BLS pay dates from May 2015 to May 2024")
    assert 'alt="Slope chart' in chart._repr_html_() and "<figcaption" in chart._repr_html_()


def test_setting_dot_plot_uses_one_date_and_marks_the_target():
    chart = v.plot_pay_by_setting(SETTINGS, highlight="Hospitals; state, local, and private")
    assert chart.caption.endswith("Your target, Hospitals; state, local, and private, is $119,450, 1.18 times the "
                                  "all-settings figure of the same date.")
    labels = [t.get_text() for t in chart.ax.get_yticklabels()]
    assert "Hospitals; state, local, and private  ◀ target" in labels and len(labels) == 5
    means = v.plot_pay_by_setting(SETTINGS, pay_reference="2019-05", statistic="mean")
    assert means.caption.startswith("Mean pay in May 2019 ranged from $97,300 (Nursing care facilities (skilled "
                                    "nursing facilities)) to $124,180 (General medical and surgical hospitals) "
                                    "against $115,160 for all settings.")
    with pytest.raises(ValueError, match=r"^No median pay for 2023-05; the table holds: mean 2019-05, median "
                                         r"2021-05\.$"):
        v.plot_pay_by_setting(SETTINGS, pay_reference="2023-05")


def test_timeline_counts_years_from_graduation_and_refuses_unknown_credentials():
    rows = v.timeline_rows(LADDER, CREDS, prior_years=3, chosen=["FACHE", "PMP", "NHA licence"])
    creds = rows[rows["kind"] != "role"].set_index("item")
    assert creds.loc["FACHE", "start"] == 2 and creds.loc["PMP", "start"] == 0
    assert creds.loc["NHA licence", "kind"] == "licence"
    chart = v.plot_career_timeline(LADDER, CREDS, prior_years=0, chosen=["CPHQ", "FACHE"])
    assert chart.caption == ("With 0 years of prior management experience, the typical ladder reaches Manager in "
                             "year 3 and Director in year 8 after graduation (illustrative). CPHQ: open to "
                             "students; FACHE: from year 5.")
    with pytest.raises(ValueError, match=r"^There is no credential 'MBA'; the credentials are: FACHE, CMPE"):
        v.timeline_rows(LADDER, CREDS, chosen=["MBA"])


def test_plan_builder_labels_every_figure_with_edition_and_date():
    state = v.plan_builder_state(OUTLOOK, SETTINGS, LADDER, CREDS, role="Director",
                                 setting="Nursing and residential care facilities", chosen=["FACHE", "NHA licence"],
                                 prior_years=2)
    assert state["figures"] == [
        "Occupation median, newest figure confirmed on a BLS page: $110,680 (May 2023; BLS OOH 2023-33 edition) [V]",
        "Occupation median, newest edition (secondary source, confirm before quoting): $117,960 (May 2024; BLS OOH "
        "2024-34 edition) [S]",
        "Nursing and residential care facilities median: $83,550 (May 2021; BLS OOH 2020-30 edition) [S]",
        "All settings median, same date: $101,340 (May 2021; BLS OOH 2020-30 edition) [S]; ratio 0.82"]
    assert state["band"] == ("Director pay band $120,000-$190,000 (illustrative teaching band, not a BLS figure) "
                             "[K]")
    assert state["timeline"][1] == "FACHE: possible from year 3 (ACHE) [S]"
    assert any("nursing home administrator licence" in n for n in state["notes"])
    hospital = v.plan_builder_state(OUTLOOK, SETTINGS, LADDER, CREDS, role="Manager",
                                    setting="Hospitals; state, local, and private")
    assert hospital["notes"][-1] == "No state licence is required to be a hospital or practice administrator."


def test_plan_builder_controls_are_labelled_and_recompute():
    box = v.plan_builder(OUTLOOK, SETTINGS, LADDER, CREDS)
    role, setting, creds, prior, out = box.children
    assert [c.description for c in (role, setting, creds, prior)] == [
        "Target role", "Work setting", "Credentials", "Prior management years"]
    assert "(May 2023; BLS OOH 2023-33 edition) [V]" in out.value
    creds.value = ("FACHE",)
    prior.value = 4
    assert "FACHE: possible from year 1 (ACHE) [S]" in out.value
    role.value = "Vice president / COO"
    assert "Vice president / COO pay band $190,000-$350,000" in out.value
