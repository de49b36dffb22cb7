"""Tests for the module 05 career datasets: the curated figures as confirmed on BLS pages, flags, and the seeded
planning tables (every student's PDSA result shows a real shift)."""
import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import careers as c
from mhsm_lessons.data import FIELD_TYPES
from mhsm_lessons.data.generators import careers as gen

SPECS = {s.name: s for s in gen.DATASETS}


SEEDED = {"career_plan_scenario", "career_pdsa_weeks"}


def frame(name, seed=0):
    return SPECS[name].generator(np.random.default_rng(seed))


@pytest.mark.parametrize("name", sorted(set(SPECS) - SEEDED))
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
        "bls_mhsm_outlook", "bls_mhsm_pay_by_setting", "bls_mhsm_wage_percentiles", "cpi_u_annual",
        "mhsm_credentials"}
    assert SPECS["mhsm_career_ladder"].synthetic                  # illustrative, not public figures
    assert SEEDED <= {n for n, s in SPECS.items() if s.synthetic}


def test_every_real_figure_carries_source_edition_and_date_in_the_data_package():
    from mhsm_lessons.data import datapackage
    resources = {r["name"]: r for r in datapackage()["resources"]}
    for name in ("bls_mhsm_outlook", "bls_mhsm_pay_by_setting", "bls_mhsm_wage_percentiles"):
        fields = [f["name"] for f in resources[name]["schema"]["fields"]]
        assert {"edition", "pay_reference", "source", "confidence"} <= set(fields), name
        assert resources[name]["sources"] and not resources[name]["mhsm:synthetic"]
        df = frame(name)
        assert df[["edition", "pay_reference", "source", "confidence"]].notna().all().all()
    cpi_fields = [f["name"] for f in resources["cpi_u_annual"]["schema"]["fields"]]
    assert {"year", "series_id", "source", "confidence"} <= set(cpi_fields)


def test_outlook_matches_the_bls_pages():
    df = frame("bls_mhsm_outlook").set_index(["edition", "pay_reference"])
    expected = {  # Quick Facts of each edition's BLS page (2020-30 and 2024-34: secondary copies only)
        ("2014-24", "2015-05"): (94_500, 333_000, 17.0, "V"),
        ("2016-26", "2016-05"): (96_540, 352_200, 20.0, "V"),
        ("2019-29", "2019-05"): (100_980, 422_300, 32.0, "V"),
        ("2019-29", "2020-05"): (104_280, 422_300, 32.0, "V"),
        ("2020-30", "2021-05"): (101_340, 429_800, 32.0, "S"),
        ("2022-32", "2022-05"): (104_830, 509_500, 28.0, "V"),
        ("2023-33", "2023-05"): (110_680, 562_700, 29.0, "V"),
        ("2024-34", "2024-05"): (117_960, 616_200, 23.0, "S"),
    }
    assert set(df.index) == set(expected)
    for key, (pay, jobs, growth, conf) in expected.items():
        row = df.loc[key]
        assert (row["median_annual_pay"], row["employment_base_year"], row["projected_growth_pct"],
                row["confidence"]) == (pay, jobs, growth, conf)
    assert df.loc[("2020-30", "2021-05"), "new_jobs"] == 139_600
    assert df.loc[("2022-32", "2022-05"), ["new_jobs", "openings_per_year"]].tolist() == [144_700, 54_700]
    assert df.loc[("2023-33", "2023-05"), ["new_jobs", "openings_per_year"]].tolist() == [160_600, 61_400]
    assert df.loc[("2019-29", "2019-05"), "new_jobs"] == 133_200
    assert pd.isna(df.loc[("2020-30", "2021-05"), "openings_per_year"])
    newest = df.loc[("2024-34", "2024-05")]
    assert "NOT confirmed on a BLS page" in newest["source"] and pd.isna(newest["new_jobs"])
    assert (df.reset_index()["target_year"] - df.reset_index()["base_year"]).eq(10).all()


def test_outlook_new_jobs_consistent_with_rounded_growth():
    df = frame("bls_mhsm_outlook").dropna(subset=["new_jobs"])
    implied = 100 * df["new_jobs"] / df["employment_base_year"]
    assert (implied - df["projected_growth_pct"]).abs().max() < 1.0  # BLS rounds growth to whole percent


def test_pay_by_setting_and_percentiles_match_the_sources():
    df = frame("bls_mhsm_pay_by_setting")
    medians = df[df["statistic"] == "median"]
    assert set(medians["pay_reference"]) == {"2021-05"} and set(medians["confidence"]) == {"S"}
    s = medians.set_index("work_setting")["annual_pay"]
    assert s.to_dict() == {"All work settings": 101_340, "Hospitals; state, local, and private": 119_450,
                           "Government": 117_000, "Outpatient care centers": 99_540,
                           "Offices of physicians": 98_230, "Nursing and residential care facilities": 83_550}
    means = df[df["statistic"] == "mean"].set_index("work_setting")
    assert set(means["pay_reference"]) == {"2019-05"} and set(means["confidence"]) == {"V"}
    assert means.loc["All work settings", "annual_pay"] == 115_160                  # OEWS May 2019 mean
    assert means.loc["General medical and surgical hospitals", "annual_pay"] == 124_180
    with pytest.raises(ValueError, match="mixes pay reference dates"):
        c.compare_settings(df)                                                      # never across blocks
    out = c.compare_settings(medians).set_index("work_setting")
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
    assert creds.index.tolist() == ["FACHE", "CMPE", "CPHQ", "PMP", "CAPM", "Lean Six Sigma Green Belt", "CHFP",
                                    "CRCR", "NHA licence", "Assisted living administrator licence"]
    fache = creds.loc["FACHE"]
    assert "Board of Governors Exam" in fache["requirements"] and "Not an entry credential" in fache["requirements"]
    assert "5 years" in fache["requirements"] and "Master's" in fache["requirements"]
    assert fache["min_years_experience"] == 5 and not fache["open_to_students"]
    assert "Pathway 1" in creds.loc["CMPE", "requirements"] and "Pathway 3" in creds.loc["CMPE", "requirements"]
    assert creds.loc["CMPE", "open_to_students"] and creds.loc["CMPE", "confidence"] == "V"
    assert creds.loc["CPHQ", "min_years_experience"] == 0
    assert "administrator-in-training" in creds.loc["NHA licence", "requirements"]
    assert "NAB" in creds.loc["NHA licence", "awarding_body"]
    licences = creds[creds["licence"]]
    assert licences.index.tolist() == ["NHA licence", "Assisted living administrator licence"]
    assert not creds["required_for"].str.contains("hospital", case=False).any()   # hospitals: no licence


def test_cpi_table_years_and_flags():
    cpi = frame("cpi_u_annual").set_index("year")
    assert cpi.index.tolist() == list(range(2014, 2025))
    assert cpi.loc[2019, "cpi_u"] == 255.657 and cpi.loc[2023, "cpi_u"] == 304.702
    assert cpi.loc[2024, "cpi_u"] == 313.689 and (cpi["series_id"] == "CUUR0000SA0").all()
    assert cpi["cpi_u"].is_monotonic_increasing
    # The Federal Register certifications use the 1967=100 base; each rebases to the same 1982-84 value.
    for year, old_base in {2017: 734.269, 2020: 775.284, 2022: 876.664}.items():
        assert old_base / cpi.loc[year, "cpi_u"] == pytest.approx(2.99555, abs=2e-5)
        assert cpi.loc[year, "confidence"] == "V"
    assert set(cpi["confidence"]) == {"V", "S", "K"}


@pytest.mark.parametrize("seed", range(12))
def test_scenario_posting_sits_between_the_75th_and_90th_percentile_in_2019_dollars(seed):
    s = frame("career_plan_scenario", seed).iloc[0]
    assert s["target_setting"] in gen.TARGET_SETTINGS and 0 <= s["prior_management_years"] <= 3
    in_2019 = c.constant_dollars(s["posting_salary"], 313.689, 255.657)
    assert 133_520 < in_2019 < 189_000


@pytest.mark.parametrize("seed", range(12))
def test_every_pdsa_result_is_a_sustained_shift(seed):
    w = frame("career_pdsa_weeks", seed)
    assert len(w) == 24 and w["phase"].value_counts().to_dict() == {"baseline": 12, "after change": 12}
    assert (w["discharged_before_noon"] <= w["discharges"]).all()
    assert w["pct_before_noon"].round(1).equals(
        (100 * w["discharged_before_noon"] / w["discharges"]).round(1))
    effect = c.pdsa_effect(w)
    assert effect.signal and effect.change_points > 5
