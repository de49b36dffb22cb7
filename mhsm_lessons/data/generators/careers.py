"""Datasets for module 05, Career pathways: BLS figures for medical and health services managers, the role
ladder and management credentials.

The three ``bls_*`` datasets and ``mhsm_credentials`` are curated public figures, not synthetic: their
generators ignore ``rng`` and every student gets the same table. Each row carries its BLS edition, the
reference date of the figure, its source and a confidence flag from the shared domain sheet:

* ``V`` verified against the primary text (a bls.gov page);
* ``S`` secondary source: fine for teaching ranges, check before quoting as official;
* ``K`` standard knowledge or an illustrative value: confirm before relying on it.

BLS revises these numbers every year; always show the edition and date beside a figure.

Examples
--------
>>> import numpy as np
>>> outlook = bls_mhsm_outlook(np.random.default_rng(0))
>>> outlook.loc[outlook["edition"] == "2023-33", ["median_annual_pay", "employment_base_year"]].values.tolist()
[[110680, 562700]]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..registry import DatasetSpec, Field

__all__ = ["DATASETS", "bls_mhsm_outlook", "bls_mhsm_pay_by_setting", "bls_mhsm_wage_percentiles",
           "mhsm_career_ladder", "mhsm_credentials"]

MODULE = "05 Career pathways"

OOH_URL = "https://www.bls.gov/ooh/management/medical-and-health-services-managers.htm"
OES_2019_URL = "https://www.bls.gov/oes/2019/may/oes119111.htm"

_OOH_2019 = ("BLS Occupational Outlook Handbook, Medical and Health Services Managers, 2019-29 edition "
             f"({OOH_URL}; archived copy of the page as updated with May 2020 wages)")

# edition, period, base, target, pay reference, median pay, employment, growth %, new jobs, openings/yr,
# source, confidence, note
_OUTLOOK = [
    ("2019-29", 2019, 2029, "2019-05", 100_980, 422_300, 32.0, 133_200, None,
     "BLS OOH, Medical and Health Services Managers, 2019-29 edition (May 2019 wages); new jobs from "
     + _OOH_2019, "V", "Median pay as first published with the 2019-29 projections."),
    ("2019-29", 2019, 2029, "2020-05", 104_280, 422_300, 32.0, 133_200, None,
     _OOH_2019, "V", "Same projections, pay updated to May 2020 wages."),
    ("2020-30", 2020, 2030, "2021-05", 101_340, 429_800, 32.0, 139_600, None,
     "BLS OOH, Medical and Health Services Managers, 2020-30 edition (via DOMAIN.md, secondary)", "S",
     "Employment and new jobs are approximate (secondary source)."),
    ("2022-32", 2022, 2032, "2022-05", 104_830, 509_500, 28.0, 144_700, 54_700,
     f"BLS OOH, Medical and Health Services Managers, 2022-32 edition ({OOH_URL})", "V", ""),
    ("2023-33", 2023, 2033, "2023-05", 110_680, 562_700, 29.0, 160_600, 61_400,
     f"BLS OOH, Medical and Health Services Managers, 2023-33 edition ({OOH_URL})", "V", ""),
]


def bls_mhsm_outlook(rng=None) -> pd.DataFrame:
    """BLS OOH headline figures for SOC 11-9111, one row per edition and pay reference date (ignores rng)."""
    cols = ["edition", "base_year", "target_year", "pay_reference", "median_annual_pay", "employment_base_year",
            "projected_growth_pct", "new_jobs", "openings_per_year", "source", "confidence", "note"]
    frame = pd.DataFrame(_OUTLOOK, columns=cols)
    for c in ("new_jobs", "openings_per_year"):
        frame[c] = frame[c].astype("Int64")
    return frame


_SETTINGS = [
    ("All work settings", 101_340),
    ("Hospitals; state, local, and private", 119_450),
    ("Government", 117_000),
    ("Outpatient care centers", 99_540),
    ("Offices of physicians", 98_230),
    ("Nursing and residential care facilities", 83_550),
]


def bls_mhsm_pay_by_setting(rng=None) -> pd.DataFrame:
    """Median annual pay by work setting, May 2021 (BLS OOH 2020-30 edition; secondary, ignores rng)."""
    return pd.DataFrame({
        "work_setting": [s for s, _ in _SETTINGS],
        "median_annual_pay": [p for _, p in _SETTINGS],
        "pay_reference": "2021-05",
        "edition": "2020-30",
        "source": "BLS OOH, Medical and Health Services Managers, 2020-30 edition, Pay tab (via DOMAIN.md, secondary)",
        "confidence": "S",
    })


_PERCENTILES = [(10, 58_820, 28.28), (25, 76_770, 36.91), (50, 100_980, 48.55), (75, 133_520, 64.19),
                (90, 189_000, 90.86)]


def bls_mhsm_wage_percentiles(rng=None) -> pd.DataFrame:
    """Wage percentiles for SOC 11-9111, May 2019 (BLS OEWS; ignores rng)."""
    return pd.DataFrame({
        "percentile": [p for p, _, _ in _PERCENTILES],
        "annual_wage": [a for _, a, _ in _PERCENTILES],
        "hourly_wage": [h for _, _, h in _PERCENTILES],
        "pay_reference": "2019-05",
        "edition": "2019-29",
        "source": f"BLS Occupational Employment and Wages, May 2019, 11-9111 ({OES_2019_URL})",
        "confidence": "V",
    })


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


_CREDENTIALS = [
    ("FACHE", "Fellow of the American College of Healthcare Executives", "ACHE",
     "Director to executive",
     "Master's or other post-baccalaureate degree; a current executive healthcare management position; at least "
     "5 years of healthcare management experience; ACHE membership tenure; two references (one a structured "
     "interview with a Fellow); healthcare-related continuing education; pass the Board of Governors Exam in "
     "Healthcare Management.",
     "ACHE credentialing requirements (ache.org; requirements as restated by ACHE chapters)", "S"),
    ("CMPE", "Certified Medical Practice Executive", "MGMA (American College of Medical Practice Executives)",
     "Manager to director (medical groups)",
     "Current MGMA membership; at least 2 years of healthcare management experience; a bachelor's degree or "
     "equivalent college credit; pass the ACMPE certification exams.",
     "MGMA/ACMPE certification requirements (mgma.com), as summarized in secondary guides", "K"),
    ("CPHQ", "Certified Professional in Healthcare Quality", "NAHQ (National Association for Healthcare Quality)",
     "Analyst to director (quality)",
     "No mandatory degree or experience prerequisite; experience in healthcare quality is recommended; pass "
     "the CPHQ exam.",
     "NAHQ CPHQ candidate information (nahq.org), as summarized in secondary guides", "S"),
    ("PMP", "Project Management Professional", "PMI (Project Management Institute)",
     "Analyst to director (projects)",
     "Four-year degree with 36 months leading projects, or a secondary diploma/associate degree with 60 "
     "months; plus 35 contact hours of project-management education (or CAPM); pass the PMP exam; 60 PDUs "
     "every 3 years to maintain.",
     "PMI PMP Certification Handbook (pmi.org), as summarized in secondary guides", "S"),
    ("Lean Six Sigma belts", "Lean Six Sigma Yellow, Green and Black Belt", "No single body (e.g. ASQ, IASSC, "
     "employers, universities)",
     "Any stage (Green Belt common for analysts and managers)",
     "Yellow Belt: awareness training; Green Belt: training plus leading a small improvement project; Black "
     "Belt: advanced training, leading larger projects and coaching Green Belts. Requirements differ by "
     "certifying body.",
     "Standard knowledge; check the certifying body's requirements (for example ASQ CSSGB/CSSBB)", "K"),
    ("NHA licence", "Nursing home administrator licence", "State licensing board; NAB (National Association of "
     "Long Term Care Administrator Boards) exams",
     "Manager to executive (long-term care)",
     "A state licence is required to run a nursing home; pass the NAB national exam and any state exam; most "
     "states also require a degree and an administrator-in-training (AIT) internship, with hours set by the "
     "state.",
     "NAB (nabweb.org) and state licensing boards; requirements vary by state", "K"),
]


def mhsm_credentials(rng=None) -> pd.DataFrame:
    """Management credentials, who awards them and what they require (ignores rng)."""
    return pd.DataFrame(_CREDENTIALS, columns=["credential", "full_name", "awarding_body", "typical_stage",
                                               "requirements", "source", "confidence"])


_CONFIDENCE = ("Confidence flag: V = verified against the primary text; S = secondary source, check before "
               "quoting as official; K = standard knowledge or illustrative, confirm before relying on it.")
_SOURCE_FIELD = Field("source", "Source", "string", "", "Where the figure comes from (publication, edition, URL).")
_CONF_FIELD = Field("confidence", "Confidence", "string", "", _CONFIDENCE)
_EDITION_FIELD = Field("edition", "OOH edition", "string", "",
                       "BLS Occupational Outlook Handbook projections edition (for example 2023-33).")
_PAYREF_FIELD = Field("pay_reference", "Pay reference month", "yearmonth", "",
                      "Month the wage estimate refers to (BLS OEWS May estimates).")

DATASETS = [
    DatasetSpec(
        name="bls_mhsm_outlook",
        title="Medical and health services managers: BLS pay, jobs and outlook by edition",
        description=("Headline Occupational Outlook Handbook figures for medical and health services managers "
                     "(SOC 11-9111) from four projection editions: median annual pay (with its reference month), "
                     "employment in the base year, projected 10-year growth, new jobs and openings per year. "
                     "The 2019-29 edition appears twice because BLS updated its pay to May 2020 wages."),
        modelled_on="BLS Occupational Outlook Handbook, SOC 11-9111, editions 2019-29 to 2023-33",
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
                  "Projected employment change over the 10 years, as BLS rounds it (32 means +32 %)."),
            Field("new_jobs", "Employment change", "integer", "jobs",
                  "Projected employment change over the 10 years (blank where not recorded)."),
            Field("openings_per_year", "Openings per year", "integer", "openings",
                  "Projected average annual openings, including replacements (blank where not recorded)."),
            _SOURCE_FIELD, _CONF_FIELD,
            Field("note", "Note", "string", "", "Caveats for this row."),
        ),
        generator=bls_mhsm_outlook,
        synthetic=False,
        sources=(f"BLS Occupational Outlook Handbook, Medical and Health Services Managers ({OOH_URL})",),
    ),
    DatasetSpec(
        name="bls_mhsm_pay_by_setting",
        title="Medical and health services managers: median pay by work setting, May 2021",
        description=("Median annual pay of medical and health services managers in the largest work settings, "
                     "May 2021, with the all-settings median for comparison."),
        modelled_on="BLS Occupational Outlook Handbook 2020-30 edition, Pay tab (May 2021 wages); secondary copy",
        module=MODULE,
        fields=(
            Field("work_setting", "Work setting", "string", "", "Industry group as BLS names it."),
            Field("median_annual_pay", "Median annual pay", "integer", "USD (nominal)",
                  "Median annual wage in the setting at the pay reference month."),
            _PAYREF_FIELD, _EDITION_FIELD, _SOURCE_FIELD, _CONF_FIELD,
        ),
        generator=bls_mhsm_pay_by_setting,
        synthetic=False,
        sources=(f"BLS Occupational Outlook Handbook, 2020-30 edition ({OOH_URL}), via DOMAIN.md [S]",),
    ),
    DatasetSpec(
        name="bls_mhsm_wage_percentiles",
        title="Medical and health services managers: wage percentiles, May 2019",
        description=("Annual and hourly wage percentiles (10th, 25th, median, 75th, 90th) for SOC 11-9111, "
                     "May 2019: how spread out pay is across the occupation."),
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
        sources=(f"BLS OEWS May 2019, 11-9111 Medical and Health Services Managers ({OES_2019_URL})",),
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
        title="Health services management credentials and their requirements",
        description=("Six credentials a health services manager may earn (FACHE, CMPE, CPHQ, PMP, Lean Six "
                     "Sigma belts, nursing home administrator licence): who awards each, the career stage it "
                     "suits and what it requires. Requirements change: confirm with the awarding body."),
        modelled_on="requirements published by ACHE, MGMA/ACMPE, NAHQ, PMI, ASQ and NAB, summarized",
        module=MODULE,
        fields=(
            Field("credential", "Credential", "string", "", "Credential or designation."),
            Field("full_name", "Full name", "string", "", "What the letters stand for."),
            Field("awarding_body", "Awarding body", "string", "", "Organization that awards it."),
            Field("typical_stage", "Typical career stage", "string", "", "Where on the ladder it is usually earned."),
            Field("requirements", "Requirements", "string", "", "Eligibility and exam requirements, summarized."),
            _SOURCE_FIELD, _CONF_FIELD,
        ),
        generator=mhsm_credentials,
        synthetic=False,
        sources=("ACHE (ache.org)", "MGMA / ACMPE (mgma.com)", "NAHQ (nahq.org)", "PMI (pmi.org)",
                 "ASQ (asq.org)", "NAB (nabweb.org)"),
    ),
]
