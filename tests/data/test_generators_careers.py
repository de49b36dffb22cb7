"""Tests for the module 05 career datasets: the curated BLS figures match DOMAIN.md section 5 exactly."""
import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import careers as c
from mhsm_lessons.data import FIELD_TYPES
from mhsm_lessons.data.generators import careers as gen

SPECS = {s.name: s for s in gen.DATASETS}


def frame(name, seed=0):
    return SPECS[name].generator(np.random.default_rng(seed))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_contract(name):
    spec = SPECS[name]
    df = frame(name)
    assert spec.module == "05 Career pathways" and spec.sources
    assert list(df.columns) == spec.columns
    assert all(f.type in FIELD_TYPES for f in spec.fields)
    assert df.equals(frame(name, seed=99))                         # curated: the rng is ignored
    assert set(df["confidence"]) <= {"V", "S", "K"}
    if "source" in df:
        assert df["source"].str.len().gt(10).all()


def test_synthetic_flags():
    assert {n for n, s in SPECS.items() if not s.synthetic} == {
        "bls_mhsm_outlook", "bls_mhsm_pay_by_setting", "bls_mhsm_wage_percentiles", "mhsm_credentials"}
    assert SPECS["mhsm_career_ladder"].synthetic                  # illustrative, not public figures


def test_outlook_matches_domain_table():
    df = frame("bls_mhsm_outlook").set_index(["edition", "pay_reference"])
    expected = {  # DOMAIN.md section 5
        ("2019-29", "2019-05"): (100_980, 422_300, 32.0, "V"),
        ("2019-29", "2020-05"): (104_280, 422_300, 32.0, "V"),
        ("2020-30", "2021-05"): (101_340, 429_800, 32.0, "S"),
        ("2022-32", "2022-05"): (104_830, 509_500, 28.0, "V"),
        ("2023-33", "2023-05"): (110_680, 562_700, 29.0, "V"),
    }
    assert set(df.index) == set(expected)
    for key, (pay, jobs, growth, conf) in expected.items():
        row = df.loc[key]
        assert (row["median_annual_pay"], row["employment_base_year"], row["projected_growth_pct"],
                row["confidence"]) == (pay, jobs, growth, conf)
    assert df.loc[("2020-30", "2021-05"), "new_jobs"] == 139_600
    assert df.loc[("2022-32", "2022-05"), ["new_jobs", "openings_per_year"]].tolist() == [144_700, 54_700]
    assert df.loc[("2023-33", "2023-05"), ["new_jobs", "openings_per_year"]].tolist() == [160_600, 61_400]
    assert pd.isna(df.loc[("2020-30", "2021-05"), "openings_per_year"])
    assert (df.reset_index()["target_year"] - df.reset_index()["base_year"]).eq(10).all()


def test_outlook_new_jobs_consistent_with_rounded_growth():
    df = frame("bls_mhsm_outlook").dropna(subset=["new_jobs"])
    implied = 100 * df["new_jobs"] / df["employment_base_year"]
    assert (implied - df["projected_growth_pct"]).abs().max() < 1.0  # BLS rounds growth to whole percent


def test_pay_by_setting_and_percentiles_match_domain():
    s = frame("bls_mhsm_pay_by_setting").set_index("work_setting")["median_annual_pay"]
    assert s.to_dict() == {"All work settings": 101_340, "Hospitals; state, local, and private": 119_450,
                           "Government": 117_000, "Outpatient care centers": 99_540,
                           "Offices of physicians": 98_230, "Nursing and residential care facilities": 83_550}
    out = c.compare_settings(frame("bls_mhsm_pay_by_setting")).set_index("work_setting")
    assert out.loc["Hospitals; state, local, and private", "difference_vs_all"] == 119_450 - 101_340
    assert out.loc["Nursing and residential care facilities", "ratio_to_all"] == pytest.approx(83_550 / 101_340)
    p = frame("bls_mhsm_wage_percentiles").set_index("percentile")["annual_wage"]
    assert p.to_dict() == {10: 58_820, 25: 76_770, 50: 100_980, 75: 133_520, 90: 189_000}


def test_ladder_and_credentials():
    ladder = frame("mhsm_career_ladder")
    assert ladder["level"].tolist() == ["Coordinator / analyst", "Manager", "Director", "Vice president / COO"]
    assert ladder["pay_note"].str.startswith("Illustrative").all() and (ladder["confidence"] == "K").all()
    assert (ladder["pay_band_low"] < ladder["pay_band_high"]).all()
    assert ladder["pay_band_low"].is_monotonic_increasing
    creds = frame("mhsm_credentials").set_index("credential")
    assert creds.index.tolist() == ["FACHE", "CMPE", "CPHQ", "PMP", "Lean Six Sigma belts", "NHA licence"]
    assert "Board of Governors Exam" in creds.loc["FACHE", "requirements"]
    assert "5 years" in creds.loc["FACHE", "requirements"] and "Master's" in creds.loc["FACHE", "requirements"]
    assert "administrator-in-training" in creds.loc["NHA licence", "requirements"]
    assert "NAB" in creds.loc["NHA licence", "awarding_body"]
