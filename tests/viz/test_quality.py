"""Tests for mhsm_lessons.viz.quality: the charts draw what their tables say and carry alt text and captions."""
from __future__ import annotations

import importlib

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import load_dataset, quality, start_lab
from mhsm_lessons.viz import quality as qviz
from mhsm_lessons.viz.style import Chart


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_import_changes_no_global_state():
    before = dict(matplotlib.rcParams)
    importlib.reload(qviz)
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("sid", [None, "s101", "s202", "s303"])
def test_funnel_points_limits_and_caption(sid):
    falls = load_dataset("falls_unit_months", sid)
    ms = falls[falls["unit_type"] == "Med-surg"]
    chart = qviz.plot_funnel(ms, focus="5 South")
    assert isinstance(chart, Chart) and chart.png.startswith(b"\x89PNG")
    table, target = qviz.funnel_table(ms)
    assert target == pytest.approx(ms["falls"].sum() / ms["patient_days"].sum() * 1000)
    points = {ln.get_label(): ln for ln in chart.ax.get_lines() if ln.get_linestyle() == "None"}
    assert set(points) == {"5 West", "5 South", "6 North", "6 South"}
    for unit, line in points.items():
        assert line.get_ydata()[0] == pytest.approx(table.loc[unit, "rate"])
    # 5 South has the most falls but sits inside the funnel, for every student (the generator guarantees it).
    assert table.loc["5 South", "position"] == "inside"
    assert "5 South: " in chart.caption and "the most of any unit shown" in chart.caption
    assert "inside the funnel" in chart.caption
    assert chart.alt.startswith("Funnel plot of 4 units")
    assert f"{target:.2f}" in chart.caption


def test_funnel_limits_bracket_the_target_and_narrow():
    lim = quality.funnel_limits(np.array([2000, 8000, 32000]), 3.0)
    assert (np.diff(lim["upper_95"]) < 0).all() and (np.diff(lim["lower_95"]) > 0).all()


def test_sir_chart_has_intervals_reference_line_and_not_calculated_rows():
    frame = pd.DataFrame({"unit": ["A", "B", "C"], "clabsi": [12, 1, 1], "clabsi_predicted": [6.0, 4.0, 0.5]})
    table = qviz.sir_table(frame)
    chart = qviz.plot_sir(table)
    assert isinstance(chart, Chart)
    ref = [ln for ln in chart.ax.get_lines() if ln.get_label() == "1.0 = as predicted"]
    assert ref and list(ref[0].get_xdata()) == [1.0, 1.0]
    assert table.loc[0, "lower"] > 1.0                     # 12 observed vs 6 predicted: above 1 beyond chance
    assert chart.caption.startswith("Above 1.0 beyond chance: A.")
    assert "1 group(s) not calculated (fewer than 1.0 predicted)." in chart.caption
    assert "Not calculated (fewer than 1.0 predicted): C." in chart.alt
    texts = [t.get_text() for t in chart.ax.texts]
    assert "not calculated: 0.50 predicted (< 1.0)" in texts


def test_hrrp_simulator_state_and_widget_labels():
    pay = {"HF": 1_200_000, "AMI": 800_000}
    state = qviz.hrrp_simulator_state(pay, {"HF": 1.10, "AMI": 0.95}, {"HF": 1.0, "AMI": 1.0}, 60_000_000,
                                      21_000_000, neutrality_modifier=0.95)
    assert state["factor"] == pytest.approx(1 - 1_200_000 * 0.10 * 0.95 / 60_000_000)
    assert state["dollars"] == pytest.approx((1 - state["factor"]) * 21_000_000)
    worst = qviz.hrrp_simulator_state(pay, {"HF": 2.5, "AMI": 2.5}, {"HF": 1.0, "AMI": 1.0}, 10_000_000, 1_000_000)
    assert worst["capped"] and worst["factor"] == pytest.approx(0.97)
    box = qviz.hrrp_penalty_simulator(pay, {"HF": 1.0, "AMI": 1.0}, {"HF": 1.0, "AMI": 1.0}, 60_000_000, 21_000_000)
    sliders = box.children[:2]
    assert [s.description for s in sliders] == ["HF ERR", "AMI ERR"]   # the visible label is the description
    sliders[0].value = 1.3
    assert "Payment adjustment factor:</b> 0.9940" in box.children[-1].value
    assert "$0" not in box.children[-1].value.split("Dollars withheld")[1][:30]


@pytest.mark.parametrize("sid", [None, "s101"])
def test_err_bars_add_up_to_the_dollars_withheld(sid):
    hrrp = load_dataset("hrrp_discharges", sid)
    table = quality.readmissions_by_condition(hrrp)
    g = hrrp.groupby("condition")
    h = hrrp.iloc[0]
    args = (g["base_drg_payment"].sum(), table["excess_readmission_ratio"], g["peer_median_err"].first(),
            h["total_base_operating_payments"], h["fy_base_operating_payments"])
    chart = qviz.plot_err_vs_peer_median(*args, neutrality_modifier=h["neutrality_modifier"],
                                         discharges=table["discharges"])
    state = qviz.hrrp_simulator_state(*args, neutrality_modifier=h["neutrality_modifier"],
                                      discharges=table["discharges"])
    conditions = [t.get_text() for t in chart.ax.get_xticklabels()]
    excess = table["excess_readmission_ratio"] - g["peer_median_err"].first()
    assert [p.get_height() for p in chart.ax.patches] == pytest.approx(excess.loc[conditions].tolist())
    assert f"together they withhold ${state['dollars']:,.0f}." in chart.caption
    assert state["dollars"] == pytest.approx(start_lab("03_quality_metrics_lab", sid).expected("q8"))
    hatched = [p for p in chart.ax.patches if p.get_hatch()]
    assert len(hatched) == int((state["excess_by_condition"] > 0).sum()) > 0   # meaning not by colour alone
    if sid == "s101":
        assert chart.caption.endswith("Pneumonia has an ERR above 1.0 but below its peer median, so it adds nothing.")
