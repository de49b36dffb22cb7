"""Tests for mhsm_lessons.spc_plots: the artists drawn match the chart result."""
from __future__ import annotations

import importlib

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from mhsm_lessons import spc
from mhsm_lessons.viz import spc as spc_plots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _line(ax, label):
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert found, f"no line labelled {label!r}"
    return found


def test_import_changes_no_global_state():
    before = dict(matplotlib.rcParams)
    figs = plt.get_fignums()
    importlib.reload(spc_plots)
    assert dict(matplotlib.rcParams) == before
    assert plt.get_fignums() == figs


def test_run_chart_artists():
    rc = spc.run_chart([5, 6, 4, 5, 7, 3, 5, 9, 10, 11, 12, 13, 12])
    ax = spc_plots.plot_run_chart(rc, title="t", ylabel="rate")
    np.testing.assert_array_equal(_line(ax, "data")[0].get_ydata(), rc.points["value"])
    np.testing.assert_array_equal(_line(ax, "median")[0].get_ydata(), [7.0] * 13)
    highlighted = [c for c in ax.collections if c.get_label() == "signal"]
    assert len(highlighted[0].get_offsets()) == len(rc.signal_points())
    assert ax.get_title() == "t" and ax.get_ylabel() == "rate"


def test_run_chart_without_signals_has_no_highlight():
    rc = spc.run_chart([1, 3, 2, 4, 1, 3, 2, 4, 1, 3, 2, 4])
    assert not rc.signal
    ax = spc_plots.plot_run_chart(rc)
    assert len(ax.collections) == 0


def test_control_chart_lines_equal_limits():
    ch = spc.p_chart([12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22],
                     [50, 50, 50, 60, 60, 60, 50, 50, 50, 40, 40, 50, 50, 50, 50])
    fig, ax = plt.subplots()
    out = spc_plots.plot_control_chart(ch, ax=ax)
    assert out is ax
    np.testing.assert_allclose(_line(ax, "centre line")[0].get_ydata(), ch.cl)
    np.testing.assert_allclose(_line(ax, "upper limit")[0].get_ydata(), ch.ucl)
    np.testing.assert_allclose(_line(ax, "lower limit")[0].get_ydata(), ch.lcl)
    highlighted = [c for c in ax.collections if c.get_label() == "signal"]
    assert len(highlighted[0].get_offsets()) == len(ch.signal_points()) == 1


def test_baseline_part_boundaries_and_pdsa_annotations():
    values = [20, 22, 21, 23, 22, 21, 20, 22, 30, 31, 32, 29]
    weeks = [f"2024-{1 + i // 4:02d}-{1 + 7 * (i % 4):02d}" for i in range(12)]
    log = spc.PDSALog()
    log.add("Extra triage nurse", "median wait under 25 min", start=weeks[8])
    ax = spc_plots.plot_control_chart(spc.i_chart(values, baseline=8), x=weeks, pdsa=log)
    assert len(_line(ax, "end of baseline")) == 1
    texts = [t for t in ax.texts if t.get_gid() == "pdsa"]
    assert [t.get_text() for t in texts] == ["PDSA 1: Extra triage nurse"]
    # a cycle in the right half is labelled to the left of its line, so the label stays inside the plot
    assert texts[0].get_horizontalalignment() == "right"
    ax.figure.canvas.draw()
    assert texts[0].get_window_extent().x1 <= ax.get_window_extent().x1
    log.add("Early cycle", "fewer delays", start=weeks[1])
    early = [t for t in spc_plots.plot_control_chart(spc.i_chart(values, baseline=8), x=weeks, pdsa=log).texts
             if t.get_gid() == "pdsa"]
    assert [t.get_horizontalalignment() for t in early] == ["right", "left"]
    ax2 = spc_plots.plot_control_chart(spc.i_chart(values, parts=[4, 8]))
    assert len(_line(ax2, "part boundary")) == 2
    assert _line(ax2, "part boundary")[0].get_xdata()[0] == pytest.approx(3.5)


def test_wrong_result_type_message():
    with pytest.raises(TypeError, match="plot_run_chart needs the result of run_chart"):
        spc_plots.plot_run_chart(spc.i_chart([1, 2, 3]))
    with pytest.raises(ValueError, match="x has 2 values but the chart has 3 points"):
        spc_plots.plot_control_chart(spc.i_chart([1, 2, 3]), x=[1, 2])
    log = spc.PDSALog([spc.PDSACycle(1, "Huddle", "fewer delays", start="2024-01-08")])
    with pytest.raises(ValueError, match="To place PDSA cycles on the chart, give x"):
        spc_plots.plot_run_chart(spc.run_chart([1, 2, 3]), pdsa=log)


def test_no_show_called(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() was called"))
    spc_plots.plot_run_chart(spc.run_chart([1, 2, 3]))
    spc_plots.plot_control_chart(spc.c_chart([1, 2, 3]))


# ------------------------------------------------------------------------------------------------------------
# Charts with text alternatives, excluded points, 2-sigma lines, and the "signal or noise?" explorer


def test_run_chart_figure_has_alt_and_caption_from_the_result():
    from mhsm_lessons.viz.style import Chart

    rc = spc.run_chart([5, 5, 5, 5, 5, 5, 9, 9, 9, 9, 9, 9, 9, 9], rules="ihi", median=7)
    chart = spc_plots.run_chart_figure(rc, title="Weekly no-show rate")
    assert isinstance(chart, Chart)
    assert chart.alt.startswith("Weekly no-show rate: run chart of 14 weeks with the median at 7.0 (IHI rules)")
    assert chart.caption.startswith("Median 7.0. Signal: 6 points in a row below the median (6 or more) (weeks 1, 2, "
                                    "3, 4, 5, 6).")
    assert 'alt="Weekly no-show rate' in chart._repr_html_()


def test_control_chart_figure_reports_frozen_limits_exclusions_and_runs():
    ch = spc.i_chart([20, 22, 21, 23, 22, 60, 21, 20, 22, 21, 22, 23, 30, 31, 32, 29], baseline=12, exclude=[5])
    chart = spc_plots.control_chart_figure(ch, title="ED door-to-provider", show_2sigma=True)
    assert "Limits frozen on the first 12 weeks." in chart.alt
    assert "Beyond the limits: weeks 6 (excluded), 13, 14, 15, 16." in chart.caption
    labels = [ln.get_label() for ln in chart.ax.get_lines()]
    assert "upper 2-sigma line" in labels and "lower 2-sigma line" in labels
    excluded = [c for c in chart.ax.collections if c.get_label() == "excluded"]
    assert len(excluded[0].get_offsets()) == 1


def test_signal_or_noise_explorer_labels_and_reveal():
    import ipywidgets as widgets

    box = spc_plots.signal_or_noise_explorer(seed=4)
    controls = box.children[0].children
    described = [w for w in controls if isinstance(w, widgets.ValueWidget)]
    assert [w.description for w in described] == ["Weeks before change", "Weeks after change",
                                                  "Shift size (sigma)", "Random seed", "Your call"]
    buttons = box.children[1].children
    assert [b.description for b in buttons] == ["Reveal the rules", "Compare IHI and Anhøj"]
    assert all(b.tooltip == b.description for b in buttons)
    verdict = box.children[4]
    assert box.children[2].value.startswith('<img src="data:image/png;base64,iVBORw0KGgo')
    assert 'alt="Run chart of the weekly measure. Chart: 26 weekly values around a median of' in box.children[2].value
    assert box.children[3].value.startswith("<p><small>Chart: 26 weekly values around a median of")
    assert verdict.value == "<p>Look at the chart, make your call, then reveal the rules.</p>"
    controls[4].value = "Signal"
    buttons[0].click()
    y = spc_plots.simulate_process(16, 10, 1.0, 4)
    ihi = spc.run_chart(y, rules="ihi")
    assert verdict.value.startswith("<p>You called it <b>signal</b>. The process had a real shift. IHI rules: "
                                    + ("signal" if ihi.signal else "no signal"))
    controls[2].value = 0.0
    buttons[0].click()
    assert "The process had noise only (no shift)." in verdict.value


def test_rule_performance_false_alarms_and_detection():
    table = spc_plots.rule_performance((12, 24), shift=2.0, reps=60, seed=1)
    assert table["points"].tolist() == [12, 24]
    assert (table["IHI detection"] > table["IHI false alarms"]).all()
    assert (table["Anhøj detection"] > table["Anhøj false alarms"]).all()
    assert table.iloc[:, 1:].le(1).all().all()


def test_compare_button_fills_the_table(monkeypatch):
    import pandas as pd

    monkeypatch.setattr(spc_plots, "rule_performance", lambda **k: pd.DataFrame(
        {"points": [12], "IHI false alarms": [0.1], "Anhøj false alarms": [0.05], "IHI detection": [0.5],
         "Anhøj detection": [0.6]}))
    box = spc_plots.signal_or_noise_explorer()
    box.children[1].children[1].click()
    assert "Share of 150 simulated charts that signal" in box.children[5].value and "60%" in box.children[5].value
