"""Tests for the module 03 quality datasets: contract, determinism and benchmark ranges (DOMAIN.md section 3).

Frames are built from this module's own DATASETS with data.seed_for, exactly as load_dataset does, so these
tests do not depend on other topics' generators.
"""
import time

import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import quality as q
from mhsm_lessons.data import FIELD_TYPES, seed_for
from mhsm_lessons.data.generators import quality as gen

SPECS = {s.name: s for s in gen.DATASETS}
STUDENTS = ["default", "s001", "s002"]


def frame(name, student_id="default"):
    spec = SPECS[name]
    return spec.generator(np.random.default_rng(seed_for(spec.group, student_id)))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_contract(name):
    spec = SPECS[name]
    assert spec.module == "03 Quality metrics" and spec.synthetic and spec.sources
    assert all(f.type in FIELD_TYPES and f.label and f.description for f in spec.fields)
    start = time.perf_counter()
    df = frame(name)
    assert time.perf_counter() - start < 1.0
    assert list(df.columns) == spec.columns
    assert df.equals(frame(name))                                  # deterministic
    assert not df.equals(frame(name, "s001"))                      # personalized
    for f in spec.fields:
        col = df[f.name]
        if f.type == "integer":
            assert pd.api.types.is_integer_dtype(col)
        elif f.type == "number":
            assert pd.api.types.is_float_dtype(col)
            assert (col.round(4) == col).all()                     # rounded for a stable CSV
        elif f.type == "boolean":
            assert pd.api.types.is_bool_dtype(col)
        elif f.type == "yearmonth":
            assert col.str.fullmatch(r"\d{4}-\d{2}").all()
        if f.name != "response":
            assert col.notna().all(), f.name


def test_hai_and_falls_share_units_and_patient_days():
    for sid in STUDENTS:
        hai, falls = frame("hai_unit_months", sid), frame("falls_unit_months", sid)
        assert hai[["unit", "month", "patient_days"]].equals(falls[["unit", "month", "patient_days"]])
    hai = frame("hai_unit_months")
    assert len(hai) == 7 * 24
    assert (hai["central_line_days"] <= hai["patient_days"]).all()
    assert (hai["urinary_catheter_days"] <= hai["patient_days"]).all()
    falls = frame("falls_unit_months")
    assert (falls["injury_falls"] <= falls["falls"]).all()


@pytest.mark.parametrize("sid", STUDENTS)
def test_hai_benchmarks(sid):
    g = frame("hai_unit_months", sid).groupby("unit_type").sum(numeric_only=True)
    clabsi = q.clabsi_rate(g["clabsi"], g["central_line_days"])
    cauti = q.cauti_rate(g["cauti"], g["urinary_catheter_days"])
    dur = q.device_utilization_ratio(g["central_line_days"], g["patient_days"])
    assert 0.8 <= clabsi["ICU"] <= 1.5
    assert 0.5 <= clabsi["Med-surg"] <= 1.0
    assert 0.5 <= clabsi["Step-down"] <= 1.0                      # [K] step-down treated as a ward
    assert ((cauti >= 0.5) & (cauti <= 1.5)).all()
    assert 0.35 <= dur["ICU"] <= 0.55
    assert 0.10 <= dur["Med-surg"] <= 0.20
    # SIR: the 24-month ICU total is calculable; a single unit-month is not (predicted < 1.0).
    icu = q.standardized_infection_ratio(g.loc["ICU", "clabsi"], g.loc["ICU", "clabsi_predicted"])
    assert icu.calculated and 0.5 < icu.sir < 1.5
    one = frame("hai_unit_months", sid).iloc[0]
    assert not q.standardized_infection_ratio(one["clabsi"], one["clabsi_predicted"]).calculated


@pytest.mark.parametrize("sid", STUDENTS)
def test_falls_benchmarks(sid):
    g = frame("falls_unit_months", sid).groupby("unit_type").sum(numeric_only=True)
    rate = q.falls_rate(g["falls"], g["patient_days"])
    assert 2.5 <= rate["Med-surg"] <= 4.0
    assert rate["ICU"] < rate["Step-down"] < rate["Med-surg"]
    assert (q.injury_falls_rate(g["injury_falls"], g["patient_days"]) < rate).all()


READMISSION_RANGES = {"AMI": (0.13, 0.15), "HF": (0.19, 0.21), "Pneumonia": (0.15, 0.17), "COPD": (0.18, 0.20),
                      "CABG": (0.10, 0.12), "THA/TKA": (0.04, 0.05)}


@pytest.mark.parametrize("sid", STUDENTS)
def test_readmission_benchmarks(sid):
    df = frame("hrrp_discharges", sid)
    assert set(df["condition"]) == set(q.HRRP_CONDITIONS)
    assert df["discharge_id"].is_unique and df["age"].min() >= 65
    assert df[["expected_readmission_prob", "predicted_readmission_prob"]].gt(0).all().all()
    assert df[["expected_readmission_prob", "predicted_readmission_prob"]].lt(1).all().all()
    t = q.readmissions_by_condition(df)
    for condition, (lo, hi) in READMISSION_RANGES.items():
        assert lo <= t.loc[condition, "readmission_rate"] <= hi, condition
    assert t["counts_in_hrrp"].all()
    assert t["excess_readmission_ratio"].between(0.85, 1.15).all()
    payments = df.groupby("condition")["base_drg_payment"].sum()
    factor = q.hrrp_payment_adjustment_factor(payments, t["excess_readmission_ratio"], dict.fromkeys(payments.index, 1.0),
                                              payments.sum() * 4)
    assert 0.97 <= factor <= 1.0


HCAHPS_RANGES = {"nurse_comm": (77, 83), "doctor_comm": (79, 85), "responsiveness": (66, 74),
                 "hospital_rating": (68, 75)}


@pytest.mark.parametrize("sid", STUDENTS)
def test_hcahps_benchmarks(sid):
    df = frame("hcahps_responses", sid)
    assert df["survey_id"].nunique() == 1000
    assert len(df) == 1000 * len(gen.HCAHPS_ITEMS)
    blank = df["response"].isna()
    assert set(df.loc[blank, "item_id"]) == {"Q11"}               # only the skip-pattern item is ever blank
    comp = q.hcahps_composite_scores(df).set_index("measure")
    for measure, (lo, hi) in HCAHPS_RANGES.items():
        assert lo <= comp.loc[measure, "top_box_pct"] <= hi, measure
    assert q.hcahps_sample_size_note(df["survey_id"].nunique()).startswith("1,000 completed surveys: meets")


def test_one_hospital_agrees_with_module_01():
    """Riverbend Community Hospital: 300 licensed beds; 5 West is a 32-bed med-surg unit (as in Module 01)."""
    beds = {unit: (kind, n) for unit, kind, n in gen.UNITS}
    assert gen.HOSPITAL == "Riverbend Community Hospital" and gen.LICENSED_BEDS == 300
    assert beds["5 West"] == ("Med-surg", 32)
    assert sum(n for _, n in beds.values()) == 188 <= gen.LICENSED_BEDS
    assert max(beds, key=lambda u: beds[u][1]) == "5 South"
    for spec in gen.DATASETS:
        text = spec.description + spec.modelled_on
        assert "348" not in text and "DOMAIN" not in text, spec.name
    for name in ("hai_unit_months", "falls_unit_months", "hrrp_discharges"):
        assert "Riverbend Community Hospital" in SPECS[name].description
        assert "300 licensed beds" in SPECS[name].description


@pytest.mark.parametrize("sid", ["default", "s101", "s202", "s303", "s001", "s017"])
def test_falls_story_and_sir_story_hold_for_every_student(sid):
    falls = frame("falls_unit_months", sid)
    assert gen._falls_story_holds(falls)
    hai = frame("hai_unit_months", sid)
    assert gen._sir_story_holds(hai["unit"].to_numpy(), hai["unit_type"].to_numpy(), hai["clabsi"].to_numpy(),
                                hai["clabsi_predicted"].to_numpy())


@pytest.mark.parametrize("sid", ["default", "s101", "s202", "s303"])
def test_hrrp_program_inputs(sid):
    df = frame("hrrp_discharges", sid)
    hospital = ["neutrality_modifier", "total_base_operating_payments", "fy_base_operating_payments",
                "hrrp_fiscal_year"]
    assert (df[hospital].nunique() == 1).all()
    assert (df.groupby("condition")["peer_median_err"].nunique() == 1).all()
    assert df["peer_median_err"].between(0.97, 1.03).all()
    assert df["hrrp_fiscal_year"].iloc[0] == "FY2026"
    payments = df.groupby("condition")["base_drg_payment"].sum()
    share = payments.sum() / df["total_base_operating_payments"].iloc[0]
    assert 0.2 < share < 0.3                                       # the six cohorts are part of all payments
    err, above_median, above_one, reduction, naive = gen._program_terms(
        df, df.groupby("condition")["peer_median_err"].first().to_dict(), df["neutrality_modifier"].iloc[0],
        df["total_base_operating_payments"].iloc[0])
    assert above_median != above_one and 0.001 < reduction < 0.015 and abs(reduction - naive) > 0.0003
