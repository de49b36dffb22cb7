"""Tests for the revenue-cycle datasets: structure, internal consistency, the planted spike, benchmark ranges."""
from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from mhsm_lessons import revenue_cycle as rc
from mhsm_lessons.data import describe_dataset, load_dataset, seed_for
from mhsm_lessons.data.generators import revenue_cycle as gen

STUDENTS = ["default", "s001", "s002"]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FIELDS = [f.name for f in gen.CLAIMS_FIELDS if f.type == "date"]


@pytest.fixture(scope="module", params=STUDENTS)
def data(request):
    return load_dataset("rc_claims", request.param), load_dataset("rc_ar_monthly", request.param)


@pytest.fixture(scope="module")
def claims():
    return load_dataset("rc_claims")


# ---------------------------------------------------------------------------------------------------------
# Structure

def test_registered_with_documented_columns():
    for name, fields in (("rc_claims", gen.CLAIMS_FIELDS), ("rc_ar_monthly", gen.SNAPSHOT_FIELDS)):
        frame = load_dataset(name)
        assert list(frame.columns) == [f.name for f in fields]
        assert describe_dataset(name).fields["field"].tolist() == [f.name for f in fields]
    assert {s.seed_group for s in gen.DATASETS} == {"rc_ortho"}


def test_claims_size_ids_and_practice_only(claims):
    assert len(claims) >= 25_000
    assert claims["claim_id"].is_unique
    assert set(claims["provider"]) == set(gen.PROVIDERS)
    assert set(claims["plan_type"]) == set(gen.PLAN_TYPES)
    assert claims["service_date"].min() >= "2024-10-01" and claims["service_date"].max() <= "2025-12-31"
    # Professional claims of the practice only: no hospital facility claims, no MRI, no payer called Riverbend.
    assert set(claims["service_line"]) == {"Office visits", "Imaging", "Injections", "Surgery", "Physical therapy"}
    assert not claims["cpt_family"].str.contains("facility|MRI|G0463", case=False).any()
    assert not claims["payer"].str.contains("Riverbend").any()
    assert "Riverbend Orthopaedic Associates" in describe_dataset("rc_claims").description
    # The new physician assistant started on 1 March 2025.
    assert claims.loc[claims["provider"] == gen.NEW_PROVIDER, "service_date"].min() >= "2025-03-01"


def test_dates_are_iso_text_or_blank_and_never_after_the_extract(claims):
    for column in DATE_FIELDS:
        present = claims[column].dropna()
        assert present.map(lambda d: bool(ISO.match(d))).all(), column
        assert (present <= "2025-12-31").all(), column
    assert claims["service_date"].notna().all()


def test_money_is_rounded_to_cents(claims):
    for field in gen.CLAIMS_FIELDS:
        if field.unit == "USD":
            cents = claims[field.name].to_numpy() * 100
            assert np.allclose(cents, np.round(cents), atol=1e-6), field.name
            assert (claims[field.name] >= 0).all(), field.name


def test_kpis_are_the_same_after_a_csv_round_trip(claims):
    # Students may read datasets/rc_claims.csv instead of calling load_dataset: blanks become NaN.
    text = claims.to_csv(index=False, lineterminator="\n")
    again = pd.read_csv(io.StringIO(text))
    assert rc.initial_denial_rate(again) == rc.initial_denial_rate(claims)
    assert rc.initial_denial_rate(again, by="dollars") == rc.initial_denial_rate(claims, by="dollars")
    assert rc.clean_claim_rate(again) == rc.clean_claim_rate(claims)
    assert rc.claims_net_collection_rate(again) == rc.claims_net_collection_rate(claims)
    assert rc.aged_ar_share(again, "2025-12-31") == rc.aged_ar_share(claims, "2025-12-31")
    pd.testing.assert_frame_equal(rc.denial_pareto(again, by="carc"), rc.denial_pareto(claims, by="carc"))


def test_same_student_same_data_and_other_students_differ():
    a = gen.rc_claims(np.random.default_rng(seed_for("rc_ortho", "s042")))
    b = gen.rc_claims(np.random.default_rng(seed_for("rc_ortho", "s042")))
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(load_dataset("rc_claims", "s043"))


def test_generator_leaves_global_random_state_alone():
    np.random.seed(7)
    expected = np.random.random()
    np.random.seed(7)
    gen.rc_ar_monthly(np.random.default_rng(1))
    assert np.random.random() == expected


# ---------------------------------------------------------------------------------------------------------
# The claim life cycle is internally consistent

def test_event_dates_follow_the_claim_life_cycle(claims):
    d = {c: pd.to_datetime(claims[c], format="%Y-%m-%d") for c in DATE_FIELDS}
    pairs = [("service_date", "submission_date"), ("submission_date", "first_remit_date"),
             ("first_remit_date", "payment_date"), ("payment_date", "closed_date"),
             ("service_date", "patient_payment_date"), ("patient_payment_date", "closed_date")]
    for earlier, later in pairs:
        both = d[earlier].notna() & d[later].notna()
        assert (d[earlier][both] <= d[later][both]).all(), (earlier, later)


def test_closed_claims_balance_to_the_cent(claims):
    closed = claims[claims["closed_date"].notna()]
    settled = (closed["paid_amount"] + closed["patient_paid_amount"] + closed["denial_writeoff_amount"]
               + closed["bad_debt_amount"])
    # What is left is the payer's shortfall below the contract, adjusted off at closing: never negative, and
    # exactly allowed - patient share - payer paid on the claims a payer paid.
    left = closed["allowed_amount"] - settled
    assert (left > -0.011).all()
    paid = closed["payment_date"].notna()
    expected_short = (closed["allowed_amount"] - closed["patient_resp_amount"] - closed["paid_amount"])[paid]
    assert np.allclose(left[paid], expected_short, atol=0.011)
    assert np.allclose(left[~paid], 0, atol=0.011)
    assert (claims["allowed_amount"] <= claims["charge_amount"]).all()
    assert (claims["patient_resp_amount"] <= claims["allowed_amount"] + 0.005).all()


def test_denial_fields_agree(claims):
    remitted = claims["first_remit_date"].notna()
    assert claims.loc[remitted, "initial_denial"].notna().all()
    assert claims.loc[~remitted, "initial_denial"].isna().all()
    assert claims.loc[claims["plan_type"] == "Self-pay", "first_remit_date"].isna().all()
    denied = claims[claims["initial_denial"].fillna(False).astype(bool)]
    assert denied[["carc_group", "carc_code", "denial_category", "appeal_filed"]].notna().all().all()
    assert set(denied["carc_group"]) <= set(rc.CARC_GROUPS) - {"CR"}
    assert denied["carc_code"].map(type).eq(str).all()  # alphanumeric codes, stored as text
    # The category stored with each denial is the one the library's CARC map gives, and no contractual
    # adjustment (CARC 45) or PR 1/2/3 is ever recorded as a denial.
    mapped = [rc.carc_category(code, group) for code, group in zip(denied["carc_code"], denied["carc_group"])]
    assert mapped == denied["denial_category"].tolist()
    known = denied["denial_category"] != "unclassified"
    assert all(rc.is_denial(code, group) for code, group in zip(denied.loc[known, "carc_code"],
                                                               denied.loc[known, "carc_group"]))
    # The only unclassified denials are the new PA's CO-B7 (not credentialed with one payer): never silent.
    unclassified = denied[~known]
    assert len(unclassified) > 0
    assert set(unclassified["carc_group"] + "-" + unclassified["carc_code"]) == {"CO-B7"}
    assert set(unclassified["provider"]) == {gen.NEW_PROVIDER} and set(unclassified["payer"]) == {gen.NEW_PROVIDER_PAYER}
    not_denied = claims[~claims["initial_denial"].fillna(False).astype(bool)]
    assert not_denied[["carc_group", "carc_code", "denial_category", "appeal_filed", "appeal_outcome"]
                      ].isna().all().all()
    outcomes = denied.loc[denied["appeal_filed"].astype(bool), "appeal_outcome"]
    assert set(outcomes) <= {"overturned", "upheld", "pending"}
    assert denied.loc[~denied["appeal_filed"].astype(bool), "appeal_outcome"].isna().all()


def test_overturned_denials_are_paid_and_lost_ones_written_off(claims):
    denied = claims[claims["initial_denial"].fillna(False).astype(bool)]
    overturned = denied[denied["appeal_outcome"] == "overturned"]
    assert (overturned["paid_amount"] > 0).all() and overturned["payment_date"].notna().all()
    written_off = denied[denied["denial_writeoff_amount"] > 0]
    assert (written_off["paid_amount"] == 0).all()
    assert np.allclose(written_off["denial_writeoff_amount"], written_off["allowed_amount"])
    assert (claims.loc[~claims["initial_denial"].fillna(False).astype(bool), "denial_writeoff_amount"] == 0).all()


def test_only_what_the_practice_loses_is_written_off(claims):
    denied = claims[claims["initial_denial"].fillna(False).astype(bool)]
    # PR-group denials (PR-27 coverage ended, PR-119 benefit maximum) move the balance to the patient.
    pr = denied[denied["carc_group"] == "PR"]
    assert len(pr) > 20 and (pr["denial_writeoff_amount"] == 0).all()
    moved = pr[(pr["appeal_outcome"] != "overturned") & pr["closed_date"].notna()]
    assert len(moved) > 0
    assert np.allclose(moved["patient_resp_amount"], moved["allowed_amount"])
    assert np.allclose(moved["patient_paid_amount"] + moved["bad_debt_amount"], moved["allowed_amount"])
    # A duplicate (OA-18) is resolved by the original claim's payment: never a loss.
    duplicates = denied[denied["carc_code"] == "18"]
    assert len(duplicates) > 0 and (duplicates["denial_writeoff_amount"] == 0).all()
    # Every write-off is a CO, OA or PI denial that was not overturned.
    written = claims[claims["denial_writeoff_amount"] > 0]
    assert set(written["carc_group"]) <= {"CO", "OA", "PI"}
    assert (written["appeal_outcome"] != "overturned").all()


def test_real_underpayments_are_planted_at_one_payer(data):
    claims, _ = data
    paid = claims[claims["payment_date"].notna()]
    short = paid["allowed_amount"] - paid["patient_resp_amount"] - paid["paid_amount"]
    by_payer = short[short > 0.005].groupby(paid["payer"]).sum().sort_values(ascending=False)
    assert by_payer.index[0] == gen.UNDERPAYING_PAYER
    assert by_payer.iloc[0] > 0.8 * by_payer.sum()
    # "paid < allowed" flags every claim with a deductible or copay: many times the real underpayments.
    naive = (paid["allowed_amount"] - paid["paid_amount"]).sum()
    assert naive > 10 * by_payer.sum()


def test_prior_authorization_fields(claims):
    required = claims["prior_auth_required"]
    assert claims.loc[~required, "prior_auth_obtained"].isna().all()
    assert claims.loc[required, "prior_auth_obtained"].notna().all()


def test_snapshot_is_computed_from_the_same_claims(data):
    claims, snapshot = data
    pd.testing.assert_frame_equal(snapshot, gen.monthly_snapshot(claims))
    assert snapshot["month"].tolist() == ["2024-10", "2024-11", "2024-12"] + [f"2025-{m:02d}" for m in range(1, 13)]
    for month_end in ("2024-12-31", "2025-09-30", "2025-12-31"):
        row = snapshot.set_index("month_end").loc[month_end]
        billed = rc.ar_balances(claims, month_end)
        assert row["gross_ar_billed"] == pytest.approx(billed.sum(), abs=0.01)
        assert row["gross_ar"] == pytest.approx(
            rc.ar_balances(claims, month_end, include_unbilled=True).sum(), abs=0.01)
        assert row["net_ar"] == pytest.approx(
            rc.ar_balances(claims, month_end, balance="net", include_unbilled=True).sum()
            * (1 - gen.UNCOLLECTIBLE_RESERVE), abs=0.01)
        share = rc.aged_ar_share(claims, month_end)
        assert row["billed_ar_over_90"] / row["gross_ar_billed"] == pytest.approx(share, abs=1e-9)
        # Total A/R = billed A/R + DNFB charges, less copays already collected at check-in on unbilled visits.
        unbilled = (claims["service_date"] <= month_end) & ~(claims["submission_date"].fillna("9999") <= month_end)
        copays = claims.loc[unbilled & (claims["patient_payment_date"].fillna("9999") <= month_end),
                            "patient_paid_amount"].sum()
        assert row["gross_ar"] == pytest.approx(row["gross_ar_billed"] + row["dnfb_charges"] - copays, abs=0.02)
    assert snapshot["gross_charges"].sum() == pytest.approx(claims["charge_amount"].sum(), abs=0.05)
    assert snapshot["gross_charges"].sum() == pytest.approx(
        snapshot["contractual_adjustments"].sum() + claims["allowed_amount"].sum(), abs=0.05)
    assert snapshot["cash_collections"].sum() == pytest.approx(
        claims["paid_amount"].sum() + claims["patient_paid_amount"].sum(), abs=0.05)
    assert snapshot["denial_writeoffs"].sum() == pytest.approx(claims["denial_writeoff_amount"].sum(), abs=0.05)
    assert snapshot["claims_submitted"].sum() == claims["submission_date"].notna().sum()


# ---------------------------------------------------------------------------------------------------------
# The planted authorization spike

def test_one_payer_has_an_authorization_denial_spike_from_may_to_the_summer(data):
    claims, _ = data
    auth = claims[(claims["denial_category"] == "authorization")]
    table = pd.crosstab(auth["payer"], auth["service_date"].str.slice(0, 7))
    spike = ["2025-05", "2025-06"]
    spike_cells = table.loc[gen.SPIKE_PAYER, spike]
    quiet = table.loc[gen.SPIKE_PAYER].drop(["2025-05", "2025-06", "2025-07", "2025-08"])
    assert spike_cells.min() >= 4 * max(quiet.max(), 1)
    # No other payer-month comes close: the largest cells all belong to the spike payer's spike.
    largest = table.stack().sort_values(ascending=False).index[:3]
    assert {payer for payer, _ in largest} == {gen.SPIKE_PAYER}
    assert {month for _, month in largest} <= {"2025-05", "2025-06", "2025-07", "2025-08"}
    assert gen.SPIKE_PAYER in describe_dataset("rc_claims").description


def test_the_spike_ends_on_a_monday_that_differs_by_student():
    """The front desk caught the change on one of five Mondays, drawn per student from a child stream."""
    ends = set()
    for sid in ("default", "s101", "s202", "s303", "s404", "s505"):
        claims = load_dataset("rc_claims", sid)
        spike = claims[(claims["payer"] == gen.SPIKE_PAYER) & (claims["denial_category"] == "authorization")
                       & (claims["service_date"] >= gen.SPIKE_START)]
        weekly = spike.groupby(pd.to_datetime(spike["service_date"]).dt.to_period("W-SUN")).size()
        last_busy = weekly[weekly >= 5].index.max().start_time.strftime("%Y-%m-%d")
        caught = [d for d in gen.SPIKE_CAUGHT if d > last_busy][0]
        ends.add(caught)
    assert len(ends) >= 3


def test_authorization_denials_are_few_by_count_but_first_by_dollars(data):
    """The Pareto lesson: by count the top category is missing information; by dollars it is authorization."""
    claims, _ = data
    by_count = rc.denial_pareto(claims)
    by_dollars = rc.denial_pareto(claims, weight="dollars")
    assert by_count["category"].iloc[0] == "missing information"
    assert by_dollars["category"].iloc[0] == "authorization"
    assert by_count.set_index("category").loc["authorization", "share"] < 0.2
    assert by_dollars["share"].iloc[0] > 1.2 * by_dollars["share"].iloc[1]


def test_cash_falls_in_q3_while_visits_hold(data):
    claims, snapshot = data
    by_month = snapshot.set_index("month")
    q2 = by_month.loc["2025-04":"2025-06", "cash_collections"].sum()
    q3 = by_month.loc["2025-07":"2025-09", "cash_collections"].sum()
    assert q3 - q2 < -40_000
    visits = claims["service_date"].str.slice(0, 7).value_counts()
    v2 = visits[["2025-04", "2025-05", "2025-06"]].sum()
    v3 = visits[["2025-07", "2025-08", "2025-09"]].sum()
    assert abs(v3 / v2 - 1) < 0.05


# ---------------------------------------------------------------------------------------------------------
# Headline KPIs fall in the DOMAIN.md §2 benchmark ranges for synthetic data

def test_denial_rates_in_benchmark_range(data):
    claims, _ = data
    remitted = claims["first_remit_date"].notna().sum()
    assert 0.10 <= rc.initial_denial_rate(claims) <= 0.12
    by_category = claims["denial_category"].value_counts() / remitted
    assert 0.010 <= by_category["authorization"] <= 0.020      # DOMAIN: about 1.5% of all claims
    assert 0.007 <= by_category["medical necessity"] <= 0.013  # DOMAIN: about 1% of all claims
    # Denied claims are larger on average (surgery and imaging authorizations): the dollar rate is higher.
    assert rc.initial_denial_rate(claims, by="dollars") > rc.initial_denial_rate(claims)
    pareto = rc.denial_pareto(claims)
    assert set(pareto["category"]) == set(rc.DENIAL_CATEGORIES) | {"unclassified"}


def test_ar_kpis_in_benchmark_range(data):
    claims, snapshot = data
    assert 40 <= rc.snapshot_net_days_in_ar(snapshot, "2025-12") <= 55
    assert 0.15 <= rc.aged_ar_share(claims, "2025-12-31") <= 0.30
    assert 3 <= rc.snapshot_days_in_dnfb(snapshot, "2025-12") <= 7
    lag = rc.charge_lag_summary(claims)
    assert lag.loc[0, "median_days"] <= lag.loc[0, "mean_days"] <= 7


def test_claim_and_collection_kpis_in_benchmark_range(data):
    claims, snapshot = data
    assert 0.75 <= rc.clean_claim_rate(claims) <= 0.90
    assert rc.claims_net_collection_rate(claims) >= 0.95
    writeoffs = rc.denial_writeoff_rate(snapshot["denial_writeoffs"].sum(), snapshot["net_patient_revenue"].sum())
    assert 0.005 <= writeoffs <= 0.05


def test_payer_mix_is_plausible(data):
    claims, _ = data
    mix = rc.payer_mix(claims)
    medicare = mix["Medicare FFS"] + mix["Medicare Advantage"]
    commercial = mix["Commercial PPO"] + mix["Commercial HMO"]
    assert 0.38 <= medicare <= 0.50
    assert 0.14 <= mix["Medicaid managed care"] <= 0.25
    assert 0.25 <= commercial <= 0.35
    assert 0.03 <= mix["Self-pay"] + mix["Workers' comp"] <= 0.10
    # Commercial plans pay the highest share of charges, so their share of payments exceeds their share of charges.
    payments = rc.payer_mix(claims, by="payments")
    assert payments["Commercial PPO"] + payments["Commercial HMO"] > commercial
    assert payments["Medicaid managed care"] < mix["Medicaid managed care"]
