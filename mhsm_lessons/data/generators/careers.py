"""Datasets for module 05, Career pathways: BLS figures for medical and health services managers (SOC 11-9111),
a CPI-U table, management credentials, the role ladder, and two small per-student planning tables.

The ``bls_*`` datasets, ``cpi_u_annual`` and ``mhsm_credentials`` are curated public figures, not synthetic: their
generators ignore ``rng`` and every student gets the same table. Each row carries the edition or release of the
figure, its reference date, its source and a confidence flag:

* ``V`` verified against the primary text (a bls.gov page, an archived copy of one, or the awarding body's own
  page);
* ``S`` secondary source (a copy on another site): fine for teaching, check before quoting as official;
* ``K`` standard knowledge or an illustrative value: confirm before relying on it.

BLS revises these numbers every year; always show the edition and date beside a figure
(:func:`mhsm_lessons.careers.figure_label`).

``career_plan_scenario`` and ``career_pdsa_weeks`` are synthetic and seeded per student: a target work setting,
prior management experience and a salary posting to place in the pay distribution, and the weekly result of a
PDSA cycle at Riverbend Community Hospital (5 West, discharges before noon) to turn into an honest resume bullet.

Examples
--------
>>> import numpy as np
>>> outlook = bls_mhsm_outlook(np.random.default_rng(0))
>>> outlook.loc[outlook["edition"] == "2023-33", ["median_annual_pay", "employment_base_year"]].values.tolist()
[[110680, 562700]]
>>> outlook.loc[outlook["edition"] == "2024-34", "confidence"].item()   # not confirmed on a BLS page
'S'
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..registry import DatasetSpec, Field

__all__ = ["DATASETS", "bls_mhsm_outlook", "bls_mhsm_pay_by_setting", "bls_mhsm_wage_percentiles", "cpi_u_annual",
           "mhsm_career_ladder", "mhsm_credentials", "career_plan_scenario", "career_pdsa_weeks"]

MODULE = "05 Career pathways"

OOH_URL = "https://www.bls.gov/ooh/management/medical-and-health-services-managers.htm"
OOH_2019_ARCHIVE = ("https://webarchive.library.unt.edu/web/20191121210325/https://www.bls.gov/ooh/management/"
                    "medical-and-health-services-managers.htm")
OES_2019_URL = "https://www.bls.gov/oes/2019/may/oes119111.htm"

_OOH = "BLS Occupational Outlook Handbook, Medical and Health Services Managers"

# edition, base year, target year, pay reference, median pay, employment (base year), growth %, employment change,
# openings per year, source, confidence, note
_OUTLOOK = [
    ("2014-24", 2014, 2024, "2015-05", 94_500, 333_000, 17.0, 56_300, None,
     f"{_OOH}, 2014-24 edition, Quick Facts ({OOH_URL}, copy of the page as published then)", "V",
     "Pay updated to May 2015 wages within the 2014-24 edition."),
    ("2016-26", 2016, 2026, "2016-05", 96_540, 352_200, 20.0, 69_800, None,
     f"{_OOH}, 2016-26 edition, Quick Facts ({OOH_URL}, copy of the page as published then)", "V", ""),
    ("2019-29", 2019, 2029, "2019-05", 100_980, 422_300, 32.0, 133_200, None,
     f"Pay: BLS OEWS May 2019, 11-9111 ({OES_2019_URL}); projections: {_OOH}, 2019-29 edition "
     f"({OOH_2019_ARCHIVE})", "V", "Median pay as first published with the 2019-29 projections (May 2019 wages)."),
    ("2019-29", 2019, 2029, "2020-05", 104_280, 422_300, 32.0, 133_200, None,
     f"{_OOH}, 2019-29 edition as updated with May 2020 wages ({OOH_2019_ARCHIVE})", "V",
     "Same projections, pay updated to May 2020 wages: a legitimate row, BLS updates pay inside an edition."),
    ("2020-30", 2020, 2030, "2021-05", 101_340, 429_800, 32.0, 139_600, None,
     f"{_OOH}, 2020-30 edition (secondary copy; not seen on a BLS page)", "S",
     "Employment and employment change are approximate (secondary source)."),
    ("2022-32", 2022, 2032, "2022-05", 104_830, 509_500, 28.0, 144_700, 54_700,
     f"{_OOH}, 2022-32 edition, Quick Facts and Job Outlook ({OOH_URL}, copy of the page as published then)",
     "V", ""),
    ("2023-33", 2023, 2033, "2023-05", 110_680, 562_700, 29.0, 160_600, 61_400,
     f"{_OOH}, 2023-33 edition, Quick Facts and Job Outlook ({OOH_URL}, copy of the page as published then)",
     "V", ""),
    ("2024-34", 2024, 2034, "2024-05", 117_960, 616_200, 23.0, None, None,
     "Secondary copies of the 2024-34 edition (for example careerlaunchkit.com, citing BLS); NOT confirmed on a "
     "BLS page", "S",
     "Newest edition, reported by secondary sources only: confirm on bls.gov before quoting. Employment change "
     "and openings not recorded."),
]


def bls_mhsm_outlook(rng=None) -> pd.DataFrame:
    """BLS OOH headline figures for SOC 11-9111, one row per edition and pay reference date (ignores rng)."""
    cols = ["edition", "base_year", "target_year", "pay_reference", "median_annual_pay", "employment_base_year",
            "projected_growth_pct", "new_jobs", "openings_per_year", "source", "confidence", "note"]
    frame = pd.DataFrame(_OUTLOOK, columns=cols)
    for c in ("new_jobs", "openings_per_year"):
        frame[c] = frame[c].astype("Int64")
    return frame


_OOH_2020_SRC = f"{_OOH}, 2020-30 edition, Pay tab (secondary copy; not seen on a BLS page)"
_OES_2019_SRC = f"BLS OEWS May 2019, 11-9111, national estimate and industry profile ({OES_2019_URL})"

# work setting, statistic, annual pay, pay reference, edition or release, source, confidence
_SETTINGS = [
    ("All work settings", "median", 101_340, "2021-05", "2020-30", _OOH_2020_SRC, "S"),
    ("Hospitals; state, local, and private", "median", 119_450, "2021-05", "2020-30", _OOH_2020_SRC, "S"),
    ("Government", "median", 117_000, "2021-05", "2020-30", _OOH_2020_SRC, "S"),
    ("Outpatient care centers", "median", 99_540, "2021-05", "2020-30", _OOH_2020_SRC, "S"),
    ("Offices of physicians", "median", 98_230, "2021-05", "2020-30", _OOH_2020_SRC, "S"),
    ("Nursing and residential care facilities", "median", 83_550, "2021-05", "2020-30", _OOH_2020_SRC, "S"),
    ("All work settings", "mean", 115_160, "2019-05", "OEWS May 2019", _OES_2019_SRC, "V"),
    ("General medical and surgical hospitals", "mean", 124_180, "2019-05", "OEWS May 2019", _OES_2019_SRC, "V"),
    ("Offices of physicians", "mean", 108_750, "2019-05", "OEWS May 2019", _OES_2019_SRC, "V"),
    ("Outpatient care centers", "mean", 110_530, "2019-05", "OEWS May 2019", _OES_2019_SRC, "V"),
    ("Nursing care facilities (skilled nursing facilities)", "mean", 97_300, "2019-05", "OEWS May 2019",
     _OES_2019_SRC, "V"),
    ("Home health care services", "mean", 97_560, "2019-05", "OEWS May 2019", _OES_2019_SRC, "V"),
]


def bls_mhsm_pay_by_setting(rng=None) -> pd.DataFrame:
    """Annual pay by work setting: May 2021 medians (OOH 2020-30, secondary) and May 2019 means (OEWS, verified)."""
    return pd.DataFrame(_SETTINGS, columns=["work_setting", "statistic", "annual_pay", "pay_reference", "edition",
                                            "source", "confidence"])


_PERCENTILES = [(10, 58_820, 28.28), (25, 76_770, 36.91), (50, 100_980, 48.55), (75, 133_520, 64.19),
                (90, 189_000, 90.86)]


def bls_mhsm_wage_percentiles(rng=None) -> pd.DataFrame:
    """Wage percentiles for SOC 11-9111, May 2019 (BLS OEWS; ignores rng)."""
    return pd.DataFrame({
        "percentile": [p for p, _, _ in _PERCENTILES],
        "annual_wage": [a for _, a, _ in _PERCENTILES],
        "hourly_wage": [h for _, _, h in _PERCENTILES],
        "pay_reference": "2019-05",
        "edition": "OEWS May 2019",
        "source": f"BLS Occupational Employment and Wages, May 2019, 11-9111 ({OES_2019_URL})",
        "confidence": "V",
    })


CPI_SERIES = "CUUR0000SA0"
_CPI_FR = {2017: ("734.269", "83 FR 27026 (2018)"), 2020: ("775.284", "86 FR 56985 (2021)"),
           2022: ("876.664", "88 FR 43146 (2023)")}
# year, annual average (1982-84=100)
_CPI = [(2014, 236.736), (2015, 237.017), (2016, 240.007), (2017, 245.120), (2018, 251.107), (2019, 255.657),
        (2020, 258.811), (2021, 270.970), (2022, 292.655), (2023, 304.702), (2024, 313.689)]


def _cpi_source(year: int) -> tuple[str, str]:
    base = f"BLS CPI-U, U.S. city average, all items, not seasonally adjusted, annual average (series {CPI_SERIES})"
    if year in _CPI_FR:
        value, citation = _CPI_FR[year]
        return (f"{base}; cross-checked against the Secretary of Labor's Federal Register certification of the "
                f"same annual average on the 1967=100 base ({value}, {citation}), which rebases to this value",
                "V")
    if year in (2019, 2020):
        return f"{base}; a secondary copy rounded to one decimal agrees; not seen on a bls.gov page", "S"
    return f"{base}; value as published by BLS, not re-checked on a bls.gov page in this build", "K"


def cpi_u_annual(rng=None) -> pd.DataFrame:
    """CPI-U annual averages, 1982-84=100, for converting nominal pay to constant dollars (ignores rng)."""
    rows = []
    for year, value in _CPI:
        source, confidence = _cpi_source(year)
        rows.append((year, value, CPI_SERIES, "1982-84=100", source, confidence))
    return pd.DataFrame(rows, columns=["year", "cpi_u", "series_id", "base_period", "source", "confidence"])


_LADDER_NOTE = ("Illustrative round numbers for teaching, not a BLS statistic or salary survey; pay varies "
                "by region, organization size and setting. Check a current survey (MGMA, ACHE) for your market.")
_LADDER = [
    (1, "Coordinator / analyst", 0, 3, "Practice coordinator; quality or decision-support analyst; "
     "administrative fellow", 55_000, 80_000),
    (2, "Manager", 3, 8, "Practice manager; nurse manager; revenue-cycle manager; quality improvement manager",
     80_000, 125_000),
    (3, "Director", 8, 15, "Director of quality; director of patient financial services; service-line director",
     120_000, 190_000),
    (4, "Vice president / COO", 15, None, "Vice president of operations; chief operating officer; "
     "hospital administrator", 190_000, 350_000),
]


def mhsm_career_ladder(rng=None) -> pd.DataFrame:
    """The management role ladder with typical experience and illustrative pay bands (ignores rng)."""
    frame = pd.DataFrame(_LADDER, columns=["stage", "level", "years_experience_min", "years_experience_max",
                                           "example_titles", "pay_band_low", "pay_band_high"])
    frame["years_experience_max"] = frame["years_experience_max"].astype("Int64")
    frame["pay_note"] = _LADDER_NOTE
    frame["confidence"] = "K"
    return frame


_FACHE_SRC = ("ACHE Fellow requirements as restated by ACHE chapters (for example wisconsin.ache.org, "
              "easternpa.ache.org); confirm at ache.org")
# credential, full name, awarding body, typical stage, open to students, years of experience (minimum),
# licence (legally required for a role), required for, requirements, source, confidence
_CREDENTIALS = [
    ("FACHE", "Fellow of the American College of Healthcare Executives", "ACHE", "Director to executive", False, 5,
     False, "",
     "Master's or other post-baccalaureate degree; a current executive healthcare management position; at least 5 "
     "years of healthcare management experience; ACHE Member with at least one year of tenure (Student Associate "
     "time does not count); two references (one a structured interview with a Fellow); 36 hours of healthcare "
     "management continuing education in the last three years; pass the Board of Governors Exam in Healthcare "
     "Management. Not an entry credential.", _FACHE_SRC, "S"),
    ("CMPE", "Certified Medical Practice Executive", "MGMA (American College of Medical Practice Executives)",
     "Student to director (medical groups)", True, 0, False, "",
     "MGMA membership and an application, then one of three pathways. Pathway 1: 2+ years of healthcare "
     "experience and a bachelor's degree or 120 college credit hours. Pathway 2 (students and early careerists): "
     "still completing the experience or the degree, with less than 3 years left; pass the multiple-choice exam to "
     "become 'board eligible', certified once the rest is met. Pathway 3: 6+ years of healthcare experience, 4 of "
     "them in healthcare management or leadership. All: pass the multiple-choice and scenario-based exams and "
     "earn 50 continuing education hours.",
     "MGMA, 'Apply for certification' and ACMPE board certification pages (mgma.com)", "V"),
    ("CPHQ", "Certified Professional in Healthcare Quality", "NAHQ (National Association for Healthcare Quality)",
     "Analyst to director (quality)", True, 0, False, "",
     "No degree or experience prerequisite; experience in healthcare quality is recommended; pass the CPHQ exam.",
     "NAHQ CPHQ candidate information (nahq.org), as summarized in secondary guides", "S"),
    ("PMP", "Project Management Professional", "PMI (Project Management Institute)",
     "Analyst to director (projects)", False, 3, False, "",
     "Four-year degree with 36 months leading projects, or a secondary diploma/associate degree with 60 months; "
     "plus 35 contact hours of project-management education (or the CAPM); pass the PMP exam; 60 PDUs every 3 "
     "years to maintain.", "PMI PMP Certification Handbook (pmi.org), as summarized in secondary guides", "S"),
    ("CAPM", "Certified Associate in Project Management", "PMI (Project Management Institute)",
     "Student to analyst (projects)", True, 0, False, "",
     "Secondary diploma and 23 contact hours of project-management education; pass the CAPM exam.",
     "PMI CAPM handbook (pmi.org); not re-checked in this build", "K"),
    ("Lean Six Sigma Green Belt", "Lean Six Sigma Green Belt (Yellow and Black Belts also exist)",
     "No single body (for example ASQ, IASSC, employers, universities)", "Any stage (analysts and managers)",
     True, 0, False, "",
     "Training plus, for most programmes, leading a small improvement project; Black Belt adds advanced training, "
     "larger projects and coaching Green Belts. Requirements differ by certifying body.",
     "Standard knowledge; check the certifying body's requirements (for example ASQ CSSGB)", "K"),
    ("CHFP", "Certified Healthcare Financial Professional", "HFMA (Healthcare Financial Management Association)",
     "Analyst to director (finance, revenue cycle)", True, 0, False, "",
     "HFMA membership; pass the two CHFP modules (business and operational acumen; strategic leadership).",
     "HFMA certification pages (hfma.org); not re-checked in this build", "K"),
    ("CRCR", "Certified Revenue Cycle Representative", "HFMA (Healthcare Financial Management Association)",
     "Entry to manager (revenue cycle)", True, 0, False, "",
     "No prerequisite; complete the online course and pass the exam; renew every two years.",
     "HFMA certification pages (hfma.org); not re-checked in this build", "K"),
    ("NHA licence", "Nursing home administrator licence", "State licensing board; NAB (National Association of "
     "Long Term Care Administrator Boards) exams", "Manager to executive (long-term care)", False, 0, True,
     "Nursing home (nursing facility) administrator, in every state",
     "A state licence is required to run a nursing home in every state (federal Medicaid rules require states to "
     "license nursing home administrators, 42 CFR 431 Subpart N); pass the NAB national exam and any state exam; "
     "most states also require a degree and an administrator-in-training (AIT) internship, with hours set by the "
     "state.", "NAB (nabweb.org), state licensing boards and 42 CFR 431.700-715; requirements vary by state", "S"),
    ("Assisted living administrator licence", "Assisted living / residential care administrator licence or "
     "certification", "State licensing board (some use NAB's residential care / assisted living exam)",
     "Manager to executive (assisted living)", False, 0, True, "Assisted living administrator, in several states",
     "Several states license or certify assisted-living administrators (some through NAB's RC/AL exam); "
     "requirements, including training hours and any exam, differ by state, and some states require none.",
     "NAB (nabweb.org) and state licensing boards; requirements vary by state", "S"),
]


def mhsm_credentials(rng=None) -> pd.DataFrame:
    """Management credentials and licences, who awards them and what they require (ignores rng)."""
    frame = pd.DataFrame(_CREDENTIALS, columns=[
        "credential", "full_name", "awarding_body", "typical_stage", "open_to_students",
        "min_years_experience", "licence", "required_for", "requirements", "source", "confidence"])
    return frame


TARGET_SETTINGS = ("Hospitals; state, local, and private", "Outpatient care centers", "Offices of physicians",
                   "Nursing and residential care facilities")
POSTING_YEAR = 2024
_CPI_RATIO_2024_2019 = 313.689 / 255.657


def career_plan_scenario(rng) -> pd.DataFrame:
    """One student's planning scenario: target setting, prior management experience and a salary posting."""
    setting = TARGET_SETTINGS[int(rng.integers(len(TARGET_SETTINGS)))]
    prior = int(rng.integers(0, 4))
    # A posting that sits between the 75th and 90th percentiles of May 2019 pay once expressed in 2019 dollars.
    in_2019_dollars = rng.uniform(145_000, 182_000)
    posting = int(round(in_2019_dollars * _CPI_RATIO_2024_2019 / 500.0) * 500)
    return pd.DataFrame([{
        "target_setting": setting,
        "prior_management_years": prior,
        "posting_title": "Director of operations, large health system",
        "posting_salary": posting,
        "posting_year": POSTING_YEAR,
    }])


PDSA_START = "2026-03-02"
PDSA_BASELINE_WEEKS = 12
PDSA_CHANGE_WEEKS = 12


def _longest_run_above(values: np.ndarray, centre: float) -> int:
    best = run = 0
    for v in values:
        run = run + 1 if v > centre else 0
        best = max(best, run)
    return best


def career_pdsa_weeks(rng) -> pd.DataFrame:
    """Weekly discharges before noon on 5 West, 12 baseline weeks then 12 weeks after a PDSA change.

    The change is real in every student's data (a sustained shift, not one good week): the generator redraws
    until the 12 post-change weeks contain a run of at least 9 weeks above the baseline median.
    """
    weeks = pd.date_range(PDSA_START, periods=PDSA_BASELINE_WEEKS + PDSA_CHANGE_WEEKS, freq="7D")
    base_p = rng.uniform(0.15, 0.22)
    lift = rng.uniform(0.11, 0.15)
    while True:
        discharges = rng.poisson(34, size=len(weeks)).clip(20, None)
        p = np.r_[np.full(PDSA_BASELINE_WEEKS, base_p), np.full(PDSA_CHANGE_WEEKS, base_p + lift)]
        before = rng.binomial(discharges, p)
        pct = 100.0 * before / discharges
        centre = float(np.median(pct[:PDSA_BASELINE_WEEKS]))
        if _longest_run_above(pct[PDSA_BASELINE_WEEKS:], centre) >= 9:
            break
    return pd.DataFrame({
        "week_start": weeks.strftime("%Y-%m-%d"),
        "phase": ["baseline"] * PDSA_BASELINE_WEEKS + ["after change"] * PDSA_CHANGE_WEEKS,
        "discharges": discharges.astype(int),
        "discharged_before_noon": before.astype(int),
        "pct_before_noon": np.round(pct, 1),
    })


_CONFIDENCE = ("Confidence flag: V = verified against the primary text (a bls.gov page or archived copy, or the "
               "awarding body's page); S = secondary source, check before quoting as official; K = standard "
               "knowledge or illustrative, confirm before relying on it.")
_SOURCE_FIELD = Field("source", "Source", "string", "", "Where the figure comes from (publication, edition, URL).")
_CONF_FIELD = Field("confidence", "Confidence", "string", "", _CONFIDENCE)
_EDITION_FIELD = Field("edition", "Edition or release", "string", "",
                       "BLS Occupational Outlook Handbook projections edition (for example 2023-33), or the OEWS "
                       "release (for example OEWS May 2019) for figures taken straight from OEWS.")
_PAYREF_FIELD = Field("pay_reference", "Pay reference month", "yearmonth", "",
                      "Month the wage estimate refers to (BLS OEWS May estimates).")

DATASETS = [
    DatasetSpec(
        name="bls_mhsm_outlook",
        title="Medical and health services managers: BLS pay, jobs and outlook by edition",
        description=("Headline Occupational Outlook Handbook figures for medical and health services managers "
                     "(SOC 11-9111) from seven projection editions, 2014-24 to 2024-34: median annual pay (with "
                     "its reference month), employment in the base year, projected 10-year growth, employment "
                     "change and openings per year. The 2019-29 edition appears twice because BLS updated its pay "
                     "to May 2020 wages. The 2024-34 row is from secondary copies only (flag S)."),
        modelled_on="BLS Occupational Outlook Handbook, SOC 11-9111, editions 2014-24 to 2024-34",
        module=MODULE,
        fields=(
            _EDITION_FIELD,
            Field("base_year", "Base year", "integer", "year", "First year of the 10-year projection."),
            Field("target_year", "Target year", "integer", "year", "Last year of the 10-year projection."),
            _PAYREF_FIELD,
            Field("median_annual_pay", "Median annual pay", "integer", "USD (nominal)",
                  "Median annual wage for the occupation at the pay reference month, all work settings."),
            Field("employment_base_year", "Employment (base year)", "integer", "jobs",
                  "Number of jobs in the base year."),
            Field("projected_growth_pct", "Projected growth", "number", "percent",
                  "Projected employment change over the 10 years, as BLS rounds it (32 means +32 % in total)."),
            Field("new_jobs", "Employment change", "integer", "jobs",
                  "Projected employment change over the 10 years (new jobs; blank where not recorded)."),
            Field("openings_per_year", "Openings per year", "integer", "openings",
                  "Projected average annual openings, including replacements for workers who leave (blank where "
                  "not recorded)."),
            _SOURCE_FIELD, _CONF_FIELD,
            Field("note", "Note", "string", "", "Caveats for this row."),
        ),
        generator=bls_mhsm_outlook,
        synthetic=False,
        sources=(f"BLS Occupational Outlook Handbook, Medical and Health Services Managers ({OOH_URL}): "
                 "2014-24, 2016-26, 2022-32 and 2023-33 editions as published [V]",
                 f"Archived 2019-29 edition with May 2020 wages ({OOH_2019_ARCHIVE}) [V]",
                 f"BLS OEWS May 2019, 11-9111 ({OES_2019_URL}) [V]",
                 "2020-30 edition: secondary copy [S]",
                 "2024-34 edition (May 2024 pay $117,960, 616,200 jobs in 2024, +23 %): secondary copies only, "
                 "not confirmed on a BLS page [S]"),
    ),
    DatasetSpec(
        name="bls_mhsm_pay_by_setting",
        title="Medical and health services managers: pay by work setting (May 2021 medians, May 2019 means)",
        description=("Annual pay of medical and health services managers in the largest work settings, each "
                     "block with its own all-settings row: May 2021 MEDIANS from the OOH 2020-30 edition "
                     "(secondary copy) and May 2019 MEANS from OEWS (verified). Compare a setting only with the "
                     "all-settings figure of the same statistic and reference month."),
        modelled_on=("BLS OOH 2020-30 edition, Pay tab (May 2021 medians, secondary copy) and BLS OEWS May 2019 "
                     "industry profile for 11-9111 (annual mean wages)"),
        module=MODULE,
        fields=(
            Field("work_setting", "Work setting", "string", "", "Industry group as BLS names it."),
            Field("statistic", "Statistic", "string", "",
                  "median or mean: the median is the middle wage; the mean is pulled up by the highest earners."),
            Field("annual_pay", "Annual pay", "integer", "USD (nominal)",
                  "Annual wage (the statistic named in 'statistic') in the setting at the pay reference month."),
            _PAYREF_FIELD, _EDITION_FIELD, _SOURCE_FIELD, _CONF_FIELD,
        ),
        generator=bls_mhsm_pay_by_setting,
        synthetic=False,
        sources=(f"BLS Occupational Outlook Handbook, 2020-30 edition ({OOH_URL}), Pay tab: secondary copy [S]",
                 f"BLS OEWS May 2019, 11-9111, industry profile ({OES_2019_URL}) [V]"),
    ),
    DatasetSpec(
        name="bls_mhsm_wage_percentiles",
        title="Medical and health services managers: wage percentiles, May 2019",
        description=("Annual and hourly wage percentiles (10th, 25th, median, 75th, 90th) for SOC 11-9111, "
                     "May 2019: how spread out pay is across the occupation. The 90th percentile is not the "
                     "maximum: one manager in ten earned more."),
        modelled_on="BLS Occupational Employment and Wages (OEWS), May 2019, 11-9111",
        module=MODULE,
        fields=(
            Field("percentile", "Percentile", "integer", "percentile", "Wage percentile (50 = median)."),
            Field("annual_wage", "Annual wage", "integer", "USD (nominal)", "Annual wage at the percentile."),
            Field("hourly_wage", "Hourly wage", "number", "USD per hour (nominal)", "Hourly wage at the percentile."),
            _PAYREF_FIELD, _EDITION_FIELD, _SOURCE_FIELD, _CONF_FIELD,
        ),
        generator=bls_mhsm_wage_percentiles,
        synthetic=False,
        sources=(f"BLS OEWS May 2019, 11-9111 Medical and Health Services Managers ({OES_2019_URL}) [V]",),
    ),
    DatasetSpec(
        name="cpi_u_annual",
        title="Consumer Price Index for All Urban Consumers (CPI-U), annual averages 2014-2024",
        description=("CPI-U annual averages (U.S. city average, all items, not seasonally adjusted, 1982-84=100; "
                     "BLS series CUUR0000SA0), to turn nominal pay into constant (real) dollars: pay in year B "
                     "dollars = pay × CPI(B) ÷ CPI(year of the pay). May wages are deflated with the annual "
                     "average of the same year, an approximation. Each value carries its own confidence flag."),
        modelled_on=f"BLS Consumer Price Index, CPI-U annual averages, series {CPI_SERIES}",
        module=MODULE,
        fields=(
            Field("year", "Year", "integer", "year", "Calendar year of the annual average."),
            Field("cpi_u", "CPI-U annual average", "number", "index (1982-84=100)",
                  "Average of the twelve monthly CPI-U values of the year."),
            Field("series_id", "BLS series", "string", "", "BLS series identifier."),
            Field("base_period", "Base period", "string", "", "Index base (1982-84 = 100)."),
            _SOURCE_FIELD, _CONF_FIELD,
        ),
        generator=cpi_u_annual,
        synthetic=False,
        sources=(f"BLS CPI-U, U.S. city average, all items, series {CPI_SERIES}, annual averages",
                 "2017, 2020 and 2022 cross-checked against the Secretary of Labor's Federal Register CPI-U "
                 "certifications (83 FR 27026; 86 FR 56985; 88 FR 43146) [V]; other years [S] or [K]"),
    ),
    DatasetSpec(
        name="mhsm_career_ladder",
        title="Health services management career ladder with illustrative pay bands",
        description=("Four stages from coordinator or analyst to vice president or COO, with typical years of "
                     "experience, example titles and ILLUSTRATIVE pay bands. The pay bands are teaching "
                     "values, not statistics: compare them with the BLS percentiles and a current salary survey."),
        modelled_on=("common US hospital and medical-group management career paths; pay bands are illustrative "
                     "round numbers loosely anchored to the BLS May 2019 wage percentiles for SOC 11-9111 "
                     "(10th $58,820, median $100,980, 90th $189,000), flagged K"),
        module=MODULE,
        fields=(
            Field("stage", "Stage", "integer", "", "Step on the ladder, 1 (entry) to 4 (executive)."),
            Field("level", "Level", "string", "", "Role level."),
            Field("years_experience_min", "Years of experience (from)", "integer", "years",
                  "Typical years of healthcare experience on reaching this stage."),
            Field("years_experience_max", "Years of experience (to)", "integer", "years",
                  "Typical upper end (blank: no upper end)."),
            Field("example_titles", "Example titles", "string", "", "Typical job titles at this stage."),
            Field("pay_band_low", "Pay band low (illustrative)", "integer", "USD per year",
                  "Illustrative low end of base pay; not a BLS figure."),
            Field("pay_band_high", "Pay band high (illustrative)", "integer", "USD per year",
                  "Illustrative high end of base pay; not a BLS figure."),
            Field("pay_note", "Pay note", "string", "", "Why the pay bands are illustrative."),
            _CONF_FIELD,
        ),
        generator=mhsm_career_ladder,
        sources=("Illustrative; anchored to BLS OEWS May 2019 percentiles for 11-9111",),
    ),
    DatasetSpec(
        name="mhsm_credentials",
        title="Health services management credentials and licences, with eligibility",
        description=("Ten credentials and licences a health services manager may need or earn (FACHE, CMPE, "
                     "CPHQ, PMP, CAPM, Lean Six Sigma Green Belt, CHFP, CRCR, the nursing home administrator "
                     "licence and assisted-living administrator licences): who awards each, the career stage it "
                     "suits, whether a student can start it, the minimum years of experience, whether it is a "
                     "licence a role legally requires, and what it requires. Hospital administrators need no "
                     "state licence. Requirements change: confirm with the awarding body."),
        modelled_on="requirements published by ACHE, MGMA/ACMPE, NAHQ, PMI, HFMA, ASQ, NAB and state boards",
        module=MODULE,
        fields=(
            Field("credential", "Credential", "string", "", "Credential, designation or licence."),
            Field("full_name", "Full name", "string", "", "What the letters stand for."),
            Field("awarding_body", "Awarding body", "string", "", "Organization that awards it."),
            Field("typical_stage", "Typical career stage", "string", "", "Where on the ladder it is usually earned."),
            Field("open_to_students", "Open to students", "boolean", "",
                  "True when a student can start or earn it before graduating (CMPE: Pathway 2)."),
            Field("min_years_experience", "Minimum experience", "integer", "years",
                  "Fewest years of (management or project) experience the fastest pathway requires."),
            Field("licence", "Licence", "boolean", "",
                  "True for a state licence that a role legally requires (not a voluntary credential)."),
            Field("required_for", "Required for", "string", "", "The role that legally requires it, if any."),
            Field("requirements", "Requirements", "string", "", "Eligibility and exam requirements, summarized."),
            _SOURCE_FIELD, _CONF_FIELD,
        ),
        generator=mhsm_credentials,
        synthetic=False,
        sources=("ACHE chapter pages restating FACHE requirements [S]", "MGMA / ACMPE (mgma.com) [V]",
                 "NAHQ (nahq.org) [S]", "PMI (pmi.org) [S/K]", "HFMA (hfma.org) [K]", "ASQ (asq.org) [K]",
                 "NAB (nabweb.org) and 42 CFR 431 Subpart N [S]"),
    ),
    DatasetSpec(
        name="career_plan_scenario",
        title="Your career-plan scenario: target setting, prior experience and a salary posting",
        description=("One row per student: the work setting you target, your years of healthcare management "
                     "experience before the MHA, and a 2024 salary posting for a director of operations to place "
                     "in the pay distribution."),
        modelled_on=("the four largest employing settings in the BLS OOH Pay tab; postings drawn so that, in "
                     "2019 dollars, they sit between the 75th and 90th percentiles of May 2019 pay"),
        module=MODULE,
        fields=(
            Field("target_setting", "Target setting", "string", "", "Work setting, as BLS names it."),
            Field("prior_management_years", "Prior management experience", "integer", "years",
                  "Years of healthcare management experience before the MHA."),
            Field("posting_title", "Posting title", "string", "", "The job the salary posting is for."),
            Field("posting_salary", "Posted salary", "integer", "USD per year (nominal)",
                  "Base salary in the posting, in dollars of the posting year."),
            Field("posting_year", "Posting year", "integer", "year", "Year of the posting."),
        ),
        generator=career_plan_scenario,
    ),
    DatasetSpec(
        name="career_pdsa_weeks",
        title="5 West discharges before noon: 12 baseline weeks and 12 weeks after a PDSA change",
        description=("Weekly discharges and discharges before noon on 5 West (32-bed med-surg unit, Riverbend "
                     "Community Hospital), 12 weeks before and 12 weeks after a PDSA change (a daily discharge "
                     "huddle) that you led: the raw material for an honest resume bullet."),
        modelled_on=("discharge-before-noon improvement projects in US hospitals (baseline rates of roughly "
                     "15-25 %); binomial weekly counts with a sustained lift of 11-15 percentage points"),
        module=MODULE,
        fields=(
            Field("week_start", "Week starting", "date", "", "Monday that starts the week."),
            Field("phase", "Phase", "string", "", "baseline or after change."),
            Field("discharges", "Discharges", "integer", "patients", "Inpatient discharges in the week."),
            Field("discharged_before_noon", "Discharged before noon", "integer", "patients",
                  "Discharges with a discharge time before 12:00."),
            Field("pct_before_noon", "Percent before noon", "number", "percent",
                  "discharged_before_noon ÷ discharges × 100, to one decimal."),
        ),
        generator=career_pdsa_weeks,
    ),
]
