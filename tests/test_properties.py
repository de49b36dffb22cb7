"""Property-based tests (issue 16): random gaps, placeholders and pandas dtypes, for every public function of
finance, revenue_cycle, quality, spc and careers.

* A pandas or numpy form of a value (numpy scalar, 0-d array, Series element, nullable Int64, categorical,
  numeric text in an object column) gives exactly the result of the plain value.
* A gap or placeholder (NaN, None, pandas.NA, blank, "N/A", "Not Available", "Too Few to Report", "*", "**",
  "#") either raises ValueError or TypeError whose message names the argument, or gives a result that says so
  (NaN, "not calculated", a gap); it never raises anything else, and in a sequence it never changes the result
  computed from the known values alone.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mhsm_lessons import careers, finance, load_dataset, quality, revenue_cycle as rc, spc

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PLACEHOLDERS = [float("nan"), None, pd.NA, "", "  ", "N/A", "n/a", "Not Available", "Not Applicable",
                "Too Few to Report", "*", "**", "#"]


def dtype_variants(value):
    """The same number as pandas and numpy hand it over."""
    out = [np.float64(value), np.array(value), pd.Series([value]).iloc[0]]
    if float(value).is_integer():
        out += [np.int64(int(value)), pd.Series([int(value)], dtype="Int64").iloc[0]]
    return out


def equal(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_dtype=False)
    elif isinstance(a, np.ndarray):
        np.testing.assert_allclose(a, b, equal_nan=True)
    elif isinstance(a, (spc.ControlChartResult,)):
        pd.testing.assert_frame_equal(a.points, b.points, check_dtype=False)
    elif isinstance(a, spc.RunChartResult):
        assert (a.median, a.n_useful, a.signals) == (b.median, b.n_useful, b.signals)
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b)
    elif hasattr(a, "_asdict"):
        assert a == b
    else:
        assert a == b


def call(fn, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(**kwargs)


def refused_or_flagged(fn, kwargs, arg):
    """A placeholder either raises ValueError/TypeError naming ``arg`` or the call completes (any other
    exception fails the test)."""
    try:
        return True, call(fn, kwargs)
    except (ValueError, TypeError) as exc:
        assert arg in str(exc), f"{fn.__name__}({arg}=...) raised without naming {arg!r}: {exc}"
        return False, None


# ------------------------------------------------------------------------------------------------------------
# Functions of single numbers (and the text arguments beside them)

SCALAR_CALLS = [
    (finance.static_budget, dict(budget_volume=850, budget_input_per_unit=5.0, budget_price=46.5)),
    (finance.flexible_budget, dict(actual_volume=900, budget_input_per_unit=5.0, budget_price=46.5)),
    (finance.variance, dict(actual=105_000, budget=100_000)),
    (finance.variance_label, dict(variance_amount=5_000, line_type="expense")),
    (finance.labor_variances, dict(budget_volume=850, actual_volume=900, budget_input_per_unit=5.0, budget_price=46.5,
                                   actual_input=4_700, actual_cost=223_250)),
    (finance.hppd, dict(hours=4_250, patient_days=850)),
    (finance.days_in_month, dict(month="2026-02")),
    (finance.fte, dict(hours=5_200, days=30)),
    (finance.productive_fte_from_hppd, dict(worked_hppd=8.0, average_daily_census=28)),
    (finance.paid_fte_from_hppd, dict(worked_hppd=8.0, average_daily_census=28, nonproductive_hours_per_fte=224)),
    (finance.productive_share, dict(worked_hours=900, paid_hours=1_000)),
    (finance.contribution_margin, dict(net_revenue_per_unit=1_500, variable_cost_per_unit=600)),
    (finance.break_even_volume, dict(fixed_costs=900_000, net_revenue_per_unit=1_500, variable_cost_per_unit=600)),
    (careers.projected_employment, dict(base_employment=562_700, growth_pct=29)),
    (careers.annualized_growth_rate, dict(total_growth_pct=29, years=10)),
    (careers.pay_growth_pct, dict(earlier_pay=100_980, later_pay=110_680)),
    (careers.new_jobs_per_year, dict(employment_change=160_600, years=10)),
    (careers.replacement_openings_per_year, dict(openings_per_year=61_400, employment_change=160_600, years=10)),
    (careers.real_growth_pct, dict(earlier_pay=100_980, later_pay=110_680, cpi_earlier=255.657, cpi_later=304.702)),
    (careers.constant_dollars, dict(amount=200_000, cpi_from=313.689, cpi_to=255.657)),
    (careers.years_until_eligible, dict(min_years_experience=5, experience_years=2)),
    (careers.relative_change_pct, dict(before=20, after=30)),
    (careers.percentage_point_change, dict(before_pct=20, after_pct=30)),
    (careers.month_label, dict(reference="2023-05")),
    (careers.figure_label, dict(value=110_680, edition="2023-33", reference="May 2023", confidence="V")),
    (rc.net_days_in_ar, dict(net_ar=1_380_000, net_revenue=2_760_000, days=92)),
    (rc.gross_days_in_ar, dict(gross_ar=500_000, gross_charges=5_000_000, days=365)),
    (rc.days_in_dnfb, dict(dnfb_charges=250_000, gross_charges=4_500_000, days=90)),
    (rc.net_collection_rate, dict(payments=38_900, charges=100_000, contractual_adjustments=60_000, refunds=300)),
    (rc.cost_to_collect, dict(revenue_cycle_cost=30_000, cash_collected=1_000_000)),
    (rc.cash_collection_rate, dict(cash_collected=980_000, net_patient_revenue=1_000_000)),
    (rc.denial_writeoff_rate, dict(denial_writeoffs=15_000, net_patient_revenue=1_000_000)),
    (rc.carc_code, dict(code=197)),
    (rc.classify_adjustment, dict(code=197, group="CO")),
    (rc.carc_category, dict(code=197, group="CO")),
    (rc.is_denial, dict(code=16, group="CO")),
    (quality.rate_per_1000, dict(events=7, days=2_800)),
    (quality.clabsi_rate, dict(clabsi=2, central_line_days=1_600)),
    (quality.cauti_rate, dict(cauti=3, urinary_catheter_days=2_500)),
    (quality.falls_rate, dict(falls=9, patient_days=2_700)),
    (quality.injury_falls_rate, dict(injury_falls=2, patient_days=2_500)),
    (quality.device_utilization_ratio, dict(device_days=450, patient_days=1_000)),
    (quality.standardized_infection_ratio, dict(observed=6, predicted=7.5)),
    (quality.sir_confidence_interval, dict(observed=6, predicted=7.5, level=0.95)),
    (quality.readmission_rate, dict(readmissions=40, discharges=200)),
    (quality.excess_readmission_ratio, dict(predicted=44.0, expected=40.0, discharges=300)),
    (quality.hrrp_dollars_at_risk, dict(payment_adjustment_factor=0.9965, fy_base_operating_payments=70_000_000)),
    (quality.hcahps_sample_size_note, dict(completed_surveys=1_200)),
    (spc.anhoej_limits, dict(n_useful=24)),
    (spc.ihi_runs_limits, dict(n_useful=20)),
    (spc.swed_eisenhart_runs_limits, dict(n_useful=20)),
]
SCALAR_IDS = [f"{fn.__module__.split('.')[-1]}.{fn.__name__}" for fn, _ in SCALAR_CALLS]


@pytest.mark.parametrize("fn, kwargs", SCALAR_CALLS, ids=SCALAR_IDS)
@SETTINGS
@given(data=st.data())
def test_scalar_functions_read_pandas_and_numpy_numbers_as_plain_values(fn, kwargs, data):
    numeric = [k for k, v in kwargs.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numeric:
        return
    arg = data.draw(st.sampled_from(numeric))
    variant = data.draw(st.sampled_from(dtype_variants(kwargs[arg])))
    equal(call(fn, kwargs), call(fn, {**kwargs, arg: variant}))


@pytest.mark.parametrize("fn, kwargs", SCALAR_CALLS, ids=SCALAR_IDS)
@SETTINGS
@given(data=st.data())
def test_scalar_functions_refuse_or_flag_placeholders(fn, kwargs, data):
    arg = data.draw(st.sampled_from(sorted(kwargs)))
    value = data.draw(st.sampled_from(PLACEHOLDERS))
    completed, result = refused_or_flagged(fn, {**kwargs, arg: value}, arg)
    if completed and fn in (quality.standardized_infection_ratio,):
        assert not result.calculated
    if completed and isinstance(result, float) and fn.__module__.endswith(("quality", "finance")):
        assert math.isnan(result) or fn in (quality.excess_readmission_ratio,)


# ------------------------------------------------------------------------------------------------------------
# Functions of sequences: a gap never changes the result from the known values alone

def _with_gaps(values, positions, gap):
    out = list(values)
    for p in sorted(positions):
        out.insert(p, gap)
    return out


BASE = [24, 18, 21, 17, 22, 20, 19, 16, 20, 18, 19, 19, 23, 17, 25, 21]
DEN = [900, 850, 910, 880, 870, 905, 890, 860, 900, 875, 880, 895, 910, 870, 860, 900]

CHARTS = {
    "run_chart": lambda v: spc.run_chart(v),
    "run_chart_ihi": lambda v: spc.run_chart(v, rules="ihi"),
    "i_chart": lambda v: spc.i_chart(v),
    "i_chart_nhs": lambda v: spc.i_chart(v, rules="nhs"),
    "c_chart": lambda v: spc.c_chart(v),
}
RATE_CHARTS = {"p_chart": spc.p_chart, "u_chart": spc.u_chart, "p_prime_chart": spc.p_prime_chart,
               "u_prime_chart": spc.u_prime_chart}


def _known_part(result, gaps):
    """The per-point table of a chart without its gap rows, renumbered (positions shift by the gaps)."""
    pts = result.points.drop(index=sorted(gaps)).reset_index(drop=True)
    return pts[[c for c in ("value", "cl", "lcl", "ucl", "median") if c in pts]]


gap_positions = st.sets(st.integers(0, len(BASE) - 1), min_size=1, max_size=3)


@pytest.mark.parametrize("name", sorted(CHARTS))
@SETTINGS
@given(positions=gap_positions, gap=st.sampled_from(PLACEHOLDERS))
def test_chart_gaps_leave_the_known_values_result_unchanged(name, positions, gap):
    values = _with_gaps(BASE, positions, gap)
    gaps = [i for i, v in enumerate(values) if v is gap]
    result = CHARTS[name](pd.Series(values, dtype=object))
    known = CHARTS[name](BASE)
    if isinstance(result, spc.RunChartResult):
        assert result.median == known.median and result.n_useful == known.n_useful
        assert [s.rule for s in result.signals] == [s.rule for s in known.signals]
    elif name.startswith("i_chart"):
        # the known values stay in their periods: no moving range spans a gap (qicharts2)
        x = np.array([np.nan if i in gaps else v for i, v in enumerate(_fill(values))], dtype=float)
        assert result.centre == pytest.approx(np.nanmean(x))
        mr = np.abs(np.diff(x))
        if name == "i_chart":
            assert result.amr[0] == pytest.approx(np.nanmean(mr))
    else:
        pd.testing.assert_frame_equal(_known_part(result, gaps), _known_part(known, []), check_dtype=False)
    assert all(math.isnan(result.points.loc[g, "value"]) for g in gaps)


@SETTINGS
@given(positions=gap_positions, gap=st.sampled_from(PLACEHOLDERS))
def test_mr_chart_gaps_leave_the_centre_of_the_known_moving_ranges(positions, gap):
    values = _with_gaps(BASE, positions, gap)
    result = spc.mr_chart(values)
    x = np.array([np.nan if isinstance(v, str) or v is None or v is pd.NA else v for v in values], dtype=float)
    mr = np.abs(np.diff(x))
    assert result.centre == pytest.approx(np.nanmean(mr))


@pytest.mark.parametrize("name", sorted(RATE_CHARTS))
@SETTINGS
@given(positions=gap_positions, gap=st.sampled_from(PLACEHOLDERS + ["zero"]), where=st.sampled_from(["num", "den"]))
def test_rate_chart_gaps_and_zero_exposure_leave_the_known_values_result_unchanged(name, positions, gap, where):
    if isinstance(gap, str) and gap == "zero":
        num, den = _with_gaps(BASE, positions, 0), _with_gaps(DEN, positions, 0)
    else:
        num = _with_gaps(BASE, positions, gap if where == "num" else 5)
        den = _with_gaps(DEN, positions, gap if where == "den" else 800)
        if where == "num":
            den = _with_gaps(DEN, positions, 800)
        else:
            num = _with_gaps(BASE, positions, 5)
    gaps = sorted(p for p in range(len(num)) if p not in _original_positions(len(BASE), positions))
    result = RATE_CHARTS[name](num, den)
    known = RATE_CHARTS[name](BASE, DEN)
    assert result.points.loc[gaps, "value"].isna().all()
    if name in ("p_chart", "u_chart"):
        pd.testing.assert_frame_equal(_known_part(result, gaps), _known_part(known, []), check_dtype=False)
    else:
        # Laney: same centre; sigma-z from the z moving ranges of consecutive known periods (none spans a gap)
        assert result.centre == pytest.approx(known.centre)
        y = result.points["value"].to_numpy(dtype=float)
        n = result.points["denominator"].to_numpy(dtype=float)
        c = known.centre
        sd = np.sqrt(c * (1 - c) / n) if name == "p_prime_chart" else np.sqrt(c / n)
        assert result.amr[0] == pytest.approx(np.nanmean(np.abs(np.diff((y - c) / sd))))


def _fill(values):
    return [np.nan if (v is None or v is pd.NA or isinstance(v, str)) else v for v in values]


def _original_positions(n, inserted):
    total = n + len(inserted)
    gaps = set()
    for p in sorted(inserted):
        gaps.add(p)
    return [i for i in range(total) if i not in gaps]


RATE_FUNCTIONS = [quality.rate_per_1000, quality.clabsi_rate, quality.cauti_rate, quality.falls_rate,
                  quality.injury_falls_rate, quality.device_utilization_ratio, quality.readmission_rate]


@pytest.mark.parametrize("fn", RATE_FUNCTIONS, ids=[f.__name__ for f in RATE_FUNCTIONS])
@SETTINGS
@given(positions=gap_positions, gap=st.sampled_from(PLACEHOLDERS + ["zero"]),
       form=st.sampled_from(["list", "Series", "Int64", "object"]))
def test_rate_functions_keep_gaps_in_place(fn, positions, gap, form):
    events, days = BASE, DEN
    if isinstance(gap, str) and gap == "zero":
        e, d = _with_gaps(events, positions, 0), _with_gaps(days, positions, 0)
    else:
        e, d = _with_gaps(events, positions, gap), _with_gaps(days, positions, 500)
    if form == "Series":
        e = pd.Series(e, dtype=object)
    elif form == "Int64" and not (isinstance(gap, str) and gap != "zero"):
        e = pd.Series([pd.NA if (x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))) else x
                       for x in e], dtype="Int64")
    elif form == "object":
        e = np.array([str(x) if isinstance(x, int) else x for x in e], dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = np.asarray(fn(e, d), dtype=float)
    known = np.asarray(fn(events, days), dtype=float)
    inserted = set(positions)
    assert np.isnan(out[sorted(inserted)]).all()
    np.testing.assert_allclose(np.delete(out, sorted(inserted)), known)


# ------------------------------------------------------------------------------------------------------------
# Keyed and listed inputs

@SETTINGS
@given(gap=st.sampled_from(PLACEHOLDERS), discharges=st.sampled_from([None, 18, "Too Few to Report"]))
def test_hrrp_condition_without_ratio_never_changes_the_factor_of_the_others(gap, discharges):
    known = quality.hrrp_payment_adjustment_factor({"HF": 1.2e6, "AMI": 0.8e6}, {"HF": 1.103, "AMI": 1.05},
                                                   {"HF": 1.0, "AMI": 1.0}, 60e6)
    dis = None if discharges is None else {"HF": 310, "AMI": 200, "CABG": discharges}
    got = quality.hrrp_payment_adjustment_factor({"HF": 1.2e6, "AMI": 0.8e6, "CABG": 0.3e6},
                                                 {"HF": 1.103, "AMI": 1.05, "CABG": gap},
                                                 {"HF": 1.0, "AMI": 1.0, "CABG": gap}, 60e6, discharges=dis)
    assert float(got) == pytest.approx(float(known))
    assert list(got.left_out) == ["CABG"]


@SETTINGS
@given(gap=st.sampled_from(PLACEHOLDERS), where=st.integers(0, 4))
def test_hcahps_placeholders_are_left_out_like_blanks(gap, where):
    answers = ["Always", "Usually", "Always", "Never"]
    with_gap = answers[:where] + [gap] + answers[where:]
    assert quality.hcahps_top_box(with_gap) == quality.hcahps_top_box(answers)
    assert quality.hcahps_linear_mean(pd.Series(with_gap, dtype=object)) == quality.hcahps_linear_mean(answers)


@SETTINGS
@given(gap=st.sampled_from(PLACEHOLDERS), arg=st.sampled_from(["ages", "balances", "counts", "days"]))
def test_sequence_inputs_that_need_every_value_refuse_gaps_by_name(gap, arg):
    ages, balances = [5, 40, 100, 200], [100.0, 50.0, 30.0, 20.0]
    calls = {"ages": lambda: rc.aging_buckets(ages[:1] + [gap] + ages[2:], balances),
             "balances": lambda: rc.aging_buckets(ages, balances[:1] + [gap] + balances[2:]),
             "counts": lambda: rc.pareto(pd.Series({"a": 5, "b": gap, "c": 2})),
             "days": lambda: quality.funnel_limits([5000, gap], 3.0)}
    with pytest.raises((ValueError, TypeError)) as err:
        calls[arg]()
    assert arg in str(err.value)


@SETTINGS
@given(form=st.sampled_from(["Int64", "category", "object", "float"]))
def test_sequence_inputs_read_pandas_dtypes_as_plain_values(form):
    def conv(values):
        s = pd.Series(values)
        return {"Int64": s.astype("Int64"), "category": s.astype("category"), "object": s.astype(str).astype(object),
                "float": s.astype(float)}[form]

    ages, balances = [5, 40, 100, 200], [100, 50, 30, 20]
    equal(rc.aging_buckets(ages, balances), rc.aging_buckets(conv(ages), conv(balances)))
    equal(quality.funnel_limits([5000, 20000], 3.0), quality.funnel_limits(conv([5000, 20000]), 3.0))
    equal(spc.p_chart(BASE, DEN), spc.p_chart(conv(BASE), conv(DEN)))
    equal(spc.c_chart(BASE), spc.c_chart(conv(BASE)))
    equal(spc.mr_chart(BASE), spc.mr_chart(conv(BASE)))
    equal(spc.run_chart(BASE), spc.run_chart(conv(BASE)))
    assert quality.hrrp_payment_adjustment_factor(conv([1_200_000, 800_000]), [1.10, 0.95], [1.0, 1.0], 60e6) == \
        quality.hrrp_payment_adjustment_factor([1_200_000, 800_000], [1.10, 0.95], [1.0, 1.0], 60e6)
    equal(rc.pareto(pd.Series({"a": 5, "b": 3, "c": 2})),
          rc.pareto(pd.Series(conv([5, 3, 2]).tolist(), index=["a", "b", "c"])) if form != "object" else
          rc.pareto(pd.Series({"a": 5, "b": 3, "c": 2})))


# ------------------------------------------------------------------------------------------------------------
# Functions of tables: pandas dtypes give the same result; a placeholder in a cell is refused by name or handled

CLAIMS = load_dataset("rc_claims").head(3000)
SNAPSHOT = load_dataset("rc_ar_monthly")
HRRP = load_dataset("hrrp_discharges")
HCAHPS = load_dataset("hcahps_responses").head(1500)
STATEMENT = load_dataset("medsurg_statement")
WEEKS = load_dataset("career_pdsa_weeks")
PAY = load_dataset("bls_mhsm_pay_by_setting")
PAY = PAY[(PAY["pay_reference"] == PAY["pay_reference"].iloc[0]) & (PAY["statistic"] == PAY["statistic"].iloc[0])]
PCT = load_dataset("bls_mhsm_wage_percentiles")
CPI = load_dataset("cpi_u_annual")
OUTLOOK = load_dataset("bls_mhsm_outlook")

TABLE_CALLS = {
    "ar_balances": (lambda t: rc.ar_balances(t, "2024-12-31"), "claims", CLAIMS),
    "ar_aging": (lambda t: rc.ar_aging(t, "2024-12-31"), "claims", CLAIMS),
    "aged_ar_share": (lambda t: rc.aged_ar_share(t, "2024-12-31"), "claims", CLAIMS),
    "initial_denial_rate": (lambda t: rc.initial_denial_rate(t, by="dollars"), "claims", CLAIMS),
    "denial_pareto": (lambda t: rc.denial_pareto(t, by="carc"), "claims", CLAIMS),
    "clean_claim_rate": (rc.clean_claim_rate, "claims", CLAIMS),
    "claims_net_collection_rate": (rc.claims_net_collection_rate, "claims", CLAIMS),
    "payer_mix": (lambda t: rc.payer_mix(t, by="payments"), "claims", CLAIMS),
    "charge_lag_days": (rc.charge_lag_days, "claims", CLAIMS),
    "charge_lag_summary": (lambda t: rc.charge_lag_summary(t, by="payer"), "claims", CLAIMS),
    "weekly_denials": (lambda t: rc.weekly_denials(t, "any"), "claims", CLAIMS),
    "appeal_overturn_rate": (rc.appeal_overturn_rate, "claims", CLAIMS),
    "underpayments": (lambda t: rc.underpayments(t, by="payer"), "claims", CLAIMS),
    "revenue_leakage": (rc.revenue_leakage, "claims", CLAIMS),
    "classify_adjustments": (rc.classify_adjustments, "frame", CLAIMS),
    "snapshot_net_days_in_ar": (lambda t: rc.snapshot_net_days_in_ar(t, "2025-12"), "snapshot", SNAPSHOT),
    "snapshot_days_in_dnfb": (lambda t: rc.snapshot_days_in_dnfb(t, "2025-12"), "snapshot", SNAPSHOT),
    "readmissions_by_condition": (quality.readmissions_by_condition, "discharges", HRRP),
    "hcahps_item_scores": (quality.hcahps_item_scores, "responses", HCAHPS),
    "hcahps_composite_scores": (quality.hcahps_composite_scores, "responses", HCAHPS),
    "variance_report": (lambda t: finance.variance_report(t, "2026-09"), "statement", STATEMENT),
    "pdsa_effect": (careers.pdsa_effect, "weeks", WEEKS),
    "compare_settings": (careers.compare_settings, "pay_by_setting", PAY),
    "percentile_rank": (lambda t: careers.percentile_rank(120_000, t), "percentiles", PCT),
    "cpi_for": (lambda t: careers.cpi_for(t, 2023), "cpi_table", CPI),
    "row_label": (lambda t: [careers.row_label(r) for _, r in t.iterrows()], "row", OUTLOOK),
}


def _as_form(frame, form):
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if form == "category" and (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            out[col] = s.astype("category")
        elif form == "nullable" and pd.api.types.is_integer_dtype(s.dtype):
            out[col] = s.astype("Int64")
        elif form == "float" and pd.api.types.is_integer_dtype(s.dtype):
            out[col] = s.astype(float)
        elif form == "object" and pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.astype(object)
    return out


@pytest.mark.parametrize("name", sorted(TABLE_CALLS))
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(form=st.sampled_from(["category", "nullable", "float", "object"]))
def test_table_functions_read_pandas_dtypes_as_plain_values(name, form):
    fn, _, frame = TABLE_CALLS[name]
    equal(_plain(fn(frame)), _plain(fn(_as_form(frame, form))))


def _plain(result):
    if isinstance(result, pd.DataFrame):
        return result.reset_index().astype({c: object for c in result.reset_index().columns
                                            if isinstance(result.reset_index()[c].dtype, pd.CategoricalDtype)})
    if isinstance(result, pd.Series):
        out = result.copy()
        out.index = out.index.astype(str) if isinstance(out.index, pd.CategoricalIndex) else out.index
        return out
    return result


@pytest.mark.parametrize("name", sorted(TABLE_CALLS))
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_table_functions_refuse_or_handle_a_placeholder_cell(name, data):
    fn, arg, frame = TABLE_CALLS[name]
    column = data.draw(st.sampled_from(list(frame.columns)))
    row = data.draw(st.integers(0, len(frame) - 1))
    gap = data.draw(st.sampled_from(PLACEHOLDERS))
    broken = frame.astype({column: object}).copy()
    broken.iloc[row, broken.columns.get_loc(column)] = gap
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(broken)
    except (ValueError, TypeError) as exc:
        text = str(exc)
        assert arg in text or column in text or "column" in text, f"{name}: {text}"


# ------------------------------------------------------------------------------------------------------------
# PDSA cycle log: dates in every form pandas and numpy use; blanks are "not known yet"

DATE_FORMS = [lambda d: d, lambda d: f"  {d} ", lambda d: pd.Timestamp(d), lambda d: np.datetime64(d),
              lambda d: pd.Timestamp(d).date(), lambda d: pd.Series([d], dtype="category").iloc[0]]


@SETTINGS
@given(form=st.sampled_from(DATE_FORMS), blank=st.sampled_from(PLACEHOLDERS[:6]))
def test_pdsa_cycle_and_log_read_dates_in_every_form(form, blank):
    plain = spc.PDSACycle(1, "SMS reminder", "fewer no-shows", "", "adopt", "2024-07-01", "2024-07-28")
    other = spc.PDSACycle(np.int64(1), "SMS reminder", "fewer no-shows", "", "Adopt", form("2024-07-01"),
                          form("2024-07-28"))
    assert other == plain
    assert spc.PDSACycle(1, "x", "y", start=blank).start is None
    log = spc.PDSALog([plain])
    dates = ["2024-06-03", "2024-06-24", "2024-07-15", "2024-08-05"]
    assert log.annotations(x=[form(d) for d in dates]) == log.annotations(x=dates) == [(2, plain.label)]
    with pytest.raises(ValueError) as err:
        log.annotations(x=dates[:2] + [blank] + dates[3:])
    assert str(err.value).startswith("x has a missing date")
    with pytest.raises(ValueError, match=r"^x has the date 2024-06-24 twice"):
        log.annotations(x=dates[:2] + dates[1:])
