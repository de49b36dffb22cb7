"""Tests for mhsm_lessons.data.generators.spc: contract, ranges, and detection of each documented special cause."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import spc
from mhsm_lessons.data import describe_dataset, load_dataset
from mhsm_lessons.data.registry import seed_for
from mhsm_lessons.data.generators import spc as gen

NAMES = [s.name for s in gen.DATASETS]
STUDENTS = [None, "s001", "s002", "s017", "42"]


def test_registered_and_loadable():
    assert NAMES == ["clinic_no_shows", "ed_door_to_provider", "ed_operations_log", "central_line_bundle"]
    for name in ("clinic_no_shows", "ed_door_to_provider", "central_line_bundle"):
        spec = next(s for s in gen.DATASETS if s.name == name)
        df = load_dataset(name, student_id="s1")
        assert list(df.columns) == spec.columns
        assert spec.module == "04 PDSA and SPC"
        assert "special cause" in spec.description.lower()
        assert describe_dataset(name).fields["field"].tolist() == spec.columns


def test_operations_log_names_each_students_short_staffed_ed_week():
    """The notes share ed_door_to_provider's random stream: the logged week is that dataset's outlier."""
    for student in ("default", "s101", "s202"):
        ed = load_dataset("ed_door_to_provider", student)
        log = load_dataset("ed_operations_log", student)
        staffed = log.loc[log["note"].str.startswith("two emergency physicians"), "week"].tolist()
        assert staffed == [int(ed.loc[ed["median_minutes"].idxmax(), "week"])]
        assert 8 <= staffed[0] <= 26


@pytest.mark.parametrize("name", NAMES)
def test_field_types_match_the_frame(name):
    spec = next(s for s in gen.DATASETS if s.name == name)
    df = load_dataset(name)
    for f in spec.fields:
        col = df[f.name]
        if f.type == "integer":
            assert pd.api.types.is_integer_dtype(col), f.name
        elif f.type == "number":
            assert pd.api.types.is_float_dtype(col), f.name
        elif f.type == "boolean":
            assert pd.api.types.is_bool_dtype(col), f.name
        elif f.type == "date":
            assert col.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), f.name
        else:
            assert pd.api.types.is_string_dtype(col), f.name


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_and_personal(name):
    a, b = load_dataset(name, student_id="s001"), load_dataset(name, student_id="s001")
    assert a.equals(b)
    assert not a.equals(load_dataset(name, student_id="s002"))


def test_generators_draw_only_from_rng_and_are_fast():
    for spec in gen.DATASETS:
        np.random.seed(0)
        first = spec.generator(np.random.default_rng(5))
        np.random.seed(1)
        start = time.perf_counter()
        second = spec.generator(np.random.default_rng(5))
        assert time.perf_counter() - start < 0.5
        assert first.equals(second)


@pytest.mark.parametrize("student", STUDENTS)
def test_clinic_no_shows_ranges_and_sms_shift_detected(student):
    df = load_dataset("clinic_no_shows", student_id=student)
    assert len(df) == 52 and (df["no_shows"] <= df["appointments"]).all()
    before, after = df[df["week"] <= 26], df[df["week"] >= 31]
    assert 0.15 <= before["no_shows"].sum() / before["appointments"].sum() <= 0.26
    assert 0.09 <= after["no_shows"].sum() / after["appointments"].sum() <= 0.15
    assert (df["no_show_rate"] == (df["no_shows"] / df["appointments"]).round(4)).all()
    # the answer is not in a column: no period or change flag
    assert not {"period", "sms_reminders", "note"} & set(df.columns)
    # holiday weeks as documented, with fewer appointments on average
    assert df.loc[df["holiday_week"], "week"].tolist() == list(gen.HOLIDAY_WEEKS)
    assert df.loc[df["holiday_week"], "appointments"].mean() < df.loc[~df["holiday_week"], "appointments"].mean()
    # the ramp: weeks 27-29 sit between the baseline and the sustained level on average
    ramp = df[df["week"].between(27, 29)]
    assert after["no_show_rate"].mean() < ramp["no_show_rate"].mean() < before["no_show_rate"].mean()
    # one post-change point above the baseline median
    base_median = df["no_show_rate"].iloc[:26].median()
    assert df.loc[df["week"] == gen.HIGH_POST_CHANGE_WEEK, "no_show_rate"].item() > base_median
    # The documented special cause, found by the run-chart rules ...
    for rules in ("anhoej", "ihi"):
        rc = spc.run_chart(df["no_show_rate"], rules=rules, median=base_median)
        shifts = [s for s in rc.signals if s.rule == "shift"]
        assert any(max(s.points) >= 26 for s in shifts), rules
    # ... and by a p chart with limits frozen on the 26 weeks before the change.
    ch = spc.p_chart(df["no_shows"], df["appointments"], baseline=26)
    low = [i for i in ch.signal_points() if ch.points.loc[i, "value"] < ch.points.loc[i, "lcl"]]
    assert len(low) >= 8 and min(low) >= 26
    # the balancing measure rises after the change
    cancel = df["same_day_cancellations"] / df["appointments"]
    assert cancel.iloc[30:].mean() > cancel.iloc[:26].mean()


@pytest.mark.parametrize("student", STUDENTS)
def test_ed_door_to_provider_ranges_split_flow_and_staffing_week_detected(student):
    df = load_dataset("ed_door_to_provider", student_id=student)
    assert "note" not in df.columns
    log = gen.operations_log(np.random.default_rng(seed_for("ed_door_to_provider", student)))
    sick = log.loc[log["note"].str.contains("off sick"), "week"].tolist()
    assert len(sick) == 1 and 8 <= sick[0] <= 26
    flagged = sick[0] - 1
    normal = df.drop(index=flagged).iloc[:30]
    assert 15 <= normal["median_minutes"].median() <= 35
    assert (df["mean_minutes"] > df["median_minutes"]).mean() > 0.9  # right-skewed
    ch = spc.i_chart(df["median_minutes"], baseline=30)
    assert ch.points.loc[flagged, "value"] > ch.points.loc[flagged, "ucl"]
    assert [i for i in ch.signal_points("beyond_limits") if ch.points.loc[i, "value"] > ch.points.loc[i, "ucl"]] \
        == [flagged]
    # split flow: a sustained fall after week 35 (runs analysis around the frozen baseline mean)
    assert df["median_minutes"].iloc[34:].mean() < 0.85 * normal["median_minutes"].mean()
    assert ch.runs_signal
    # LWBS, the balancing measure, holds apart from the short-staffed week
    assert (df["lwbs"] <= df["ed_visits"]).all()
    rate = df["lwbs"] / df["ed_visits"]
    assert abs(rate.drop(index=flagged).iloc[34:].mean() - rate.drop(index=flagged).iloc[:30].mean()) < 0.01
    assert list(log.columns) == ["week_start", "week", "unit", "note"]


@pytest.mark.parametrize("student", STUDENTS)
def test_central_line_bundle_ranges_and_shortage_week_detected(student):
    df = load_dataset("central_line_bundle", student_id=student)
    assert (df["bundle_compliant"] <= df["lines_audited"]).all()
    assert df["lines_audited"].between(20, 40).all()
    flagged = df.index[df["note"] != ""].tolist()
    assert len(flagged) == 1 and 14 <= flagged[0] <= 39
    usual = df.drop(index=flagged)
    assert 0.82 <= usual["bundle_compliant"].sum() / usual["lines_audited"].sum() <= 0.96
    ch = spc.p_chart(df["bundle_compliant"], df["lines_audited"])
    assert flagged[0] in ch.signal_points()
    assert ch.points.loc[flagged[0], "value"] < ch.points.loc[flagged[0], "lcl"]
