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
