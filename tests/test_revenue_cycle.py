"""Tests for mhsm_lessons.revenue_cycle: hand-worked examples, error messages, and identities."""
from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsm_lessons import revenue_cycle as rc

HYPOTHESIS = settings(max_examples=60, deadline=None, database=None)


def claims_frame(**columns) -> pd.DataFrame:
    """A small claims table; any ledger column not given is filled with blanks or zeros."""
    n = len(next(iter(columns.values())))
    defaults = {
        "service_date": ["2025-01-02"] * n, "submission_date": ["2025-01-03"] * n, "closed_date": [None] * n,
        "payment_date": [None] * n, "paid_amount": [0.0] * n, "patient_payment_date": [None] * n,
        "patient_paid_amount": [0.0] * n, "charge_amount": [100.0] * n, "allowed_amount": [40.0] * n,
    }
    defaults.update(columns)
    return pd.DataFrame(defaults)


# ---------------------------------------------------------------------------------------------------------
# Days in A/R and DNFB

def test_net_days_in_ar_uses_three_month_window():
    # Net A/R $1,500,000; NPSR Oct-Dec = 1,000,000 + 950,000 + 1,050,000 = 3,000,000 over 31 + 30 + 31 = 92 days.
    average_daily = 3_000_000 / 92
    expected = 1_500_000 / average_daily  # = 46.0
    assert rc.net_days_in_ar(1_500_000, [1_000_000, 950_000, 1_050_000], [31, 30, 31]) == pytest.approx(expected)
    assert rc.net_days_in_ar(1_500_000, 3_000_000, 92) == pytest.approx(46.0)


def test_gross_days_in_ar_uses_annual_charges_over_365():
    # Practice: A/R at charges $900,000; twelve months of charges $7,300,000 -> $20,000 a day -> 45 days.
    assert rc.gross_days_in_ar(900_000, 7_300_000) == pytest.approx(900_000 / (7_300_000 / 365))
    assert rc.gross_days_in_ar(900_000, 7_300_000) == pytest.approx(45.0)


def test_days_in_dnfb_divides_by_gross_not_net_revenue():
    # DNFB $400,000; gross charges of $8,280,000 over 92 days = $90,000 a day -> 4.44 days.
    assert rc.days_in_dnfb(400_000, 8_280_000, 92) == pytest.approx(400_000 / 90_000)


@pytest.mark.parametrize("call, message", [
    (lambda: rc.net_days_in_ar(1_000, 30_000, 0),
     "days must be greater than 0; you gave 0. A zero or negative days has no meaning here."),
    (lambda: rc.net_days_in_ar(1_000, 30_000, -90), "days must be greater than 0; you gave -90."),
    (lambda: rc.net_days_in_ar(1_000, 0, 90),
     "net_revenue is 0, so the net days in A/R cannot be calculated (it would divide by zero). Check that "
     "net_revenue covers the right period or group."),
    (lambda: rc.net_days_in_ar(-5, 30_000, 90),
     "net_ar must be at least 0; you gave -5. Check the sign and the units of this input."),
    (lambda: rc.net_days_in_ar("1000", 30_000, 90), "net_ar must be a number; you gave str '1000'."),
    (lambda: rc.net_days_in_ar(1_000, [10_000, -1], [30, 31]),
     "net_revenue must not contain values below 0; the smallest is -1."),
    (lambda: rc.gross_days_in_ar(1_000, 0), "gross_charges is 0, so the gross days in A/R cannot be calculated"),
    (lambda: rc.days_in_dnfb(-1, 100, 30), "dnfb_charges must be at least 0; you gave -1."),
])
def test_days_errors_name_the_argument(call, message):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert message in str(info.value)


# ---------------------------------------------------------------------------------------------------------
# Collections, cost, write-offs

def test_net_collection_rate_hand_example():
    # Charges 250,000; contractual adjustments 140,000 -> 110,000 collectible.
    # Payments 106,700, refunds 1,100 -> 105,600 net. 105,600 / 110,000 = 0.96.
    assert rc.net_collection_rate(106_700, 250_000, 140_000, refunds=1_100) == pytest.approx(105_600 / 110_000)
    assert rc.net_collection_rate(106_700, 250_000, 140_000, refunds=1_100) == pytest.approx(0.96)


def test_net_collection_rate_errors():
    with pytest.raises(ValueError, match=r"contractual_adjustments \(300.00\) cannot exceed charges \(200.00\)"):
        rc.net_collection_rate(10, 200, 300)
    with pytest.raises(ValueError) as info:
        rc.net_collection_rate(10, 200, 200)
    assert str(info.value).startswith("charges minus contractual_adjustments is 0, so the net collection rate "
                                      "cannot be calculated")
    with pytest.raises(ValueError, match="refunds must be at least 0; you gave -5"):
        rc.net_collection_rate(10, 200, 100, refunds=-5)


def test_cost_to_collect_and_denial_writeoff_rate():
    # $450,000 revenue-cycle cost against $15,000,000 collected = 3%.
    assert rc.cost_to_collect(450_000, 15_000_000) == pytest.approx(450_000 / 15_000_000)
    # $11,400,000 cash on $12,000,000 NPSR = 95%.
    assert rc.cash_collection_rate(11_400_000, 12_000_000) == pytest.approx(11_400_000 / 12_000_000)
    # $240,000 denial write-offs on $12,000,000 NPSR = 2%.
    assert rc.denial_writeoff_rate(240_000, 12_000_000) == pytest.approx(0.02)
    with pytest.raises(ValueError, match="cash_collected is 0, so the cost to collect cannot be calculated"):
        rc.cost_to_collect(1, 0)
    with pytest.raises(ValueError, match="net_patient_revenue is 0"):
        rc.denial_writeoff_rate(1, 0)
    with pytest.raises(ValueError, match="net_patient_revenue is 0, so the cash collection rate cannot be"):
        rc.cash_collection_rate(1, 0)


# ---------------------------------------------------------------------------------------------------------
# CARC classification

@pytest.mark.parametrize("code, category", [
    (4, "coding"), (11, "coding"), (15, "authorization"), (197, "authorization"), (198, "authorization"),
    (16, "missing information"), (252, "missing information"), (18, "duplicate"), (22, "eligibility/COB"),
    (27, "eligibility/COB"), (109, "eligibility/COB"), (29, "timely filing"), (50, "medical necessity"),
    (151, "medical necessity"), (96, "non-covered"), (167, "non-covered"), (204, "non-covered"),
    (97, "bundling"), (119, "benefit maximum"),
])
def test_carc_map_matches_domain_sheet(code, category):
    assert rc.carc_category(code) == category
    assert rc.carc_category(f"CO-{code}") == category
    assert rc.is_denial(code, "CO")


def test_contractual_and_patient_responsibility_are_not_denials():
    assert rc.carc_category(45, "CO") == "contractual adjustment (not a denial)"
    for code in (1, 2, 3, 66):
        assert rc.carc_category(code, "PR") == "patient responsibility (not a denial)"
        assert not rc.is_denial(f"PR-{code}")
    assert not rc.is_denial(45, "CO")
    assert rc.carc_category(999) == "unclassified"


@pytest.mark.parametrize("code, group", [("253", "CO"), (24, "CO"), (59, "CO"), (94, "CO"), (23, "OA"),
                                         ("CO-253", None), ("OA-23", None)])
def test_payer_adjustments_are_not_denials(code, group):
    """Sequestration, capitation, multiple-procedure rules, excess-of-charges and prior-payer adjustments."""
    assert rc.carc_category(code, group) == "payer adjustment (not a denial)"
    assert not rc.is_denial(code, group)


@pytest.mark.parametrize("code, group", [("B7", "CO"), ("b7", "co"), ("CO-B7", None), ("A1", "CO"), ("P2", "CO"),
                                         (None, "CO"), ("", "CO"), (float("nan"), "CO"), (pd.NA, "CO"),
                                         (16, "XX"), ("abcd", None), ("1-2-3", None), (19.5, "CO"), (2, "CO"),
                                         (True, "CO"), ([197], "CO")])
def test_unknown_letter_blank_or_odd_codes_are_unclassified_never_a_crash_or_a_denial(code, group):
    assert rc.carc_category(code, group) == "unclassified"
    assert rc.is_denial(code, group) is False


def test_codes_read_as_floats_or_text_are_the_same_code():
    """pandas reads a numeric CARC column with blanks as floats: 197.0 is code 197."""
    for code in (197, 197.0, "197", "197.0", " 197 ", np.int64(197), np.float64(197.0), "0197"):
        assert rc.carc_code(code) == "197"
        assert rc.carc_category(code, "CO") == "authorization"
    assert rc.carc_code(16.0) == "16" and rc.carc_code("b7") == "B7"
    assert rc.classify_adjustment(197.0, "co").carc == "CO-197"


def test_group_code_decides_who_bears_a_denial():
    """PR: the balance moves to the patient (never the practice's write-off); CO/OA/PI: the practice's loss."""
    pr = rc.classify_adjustment(27, "PR")
    assert (pr.category, pr.denial, pr.billed_to_patient) == ("eligibility/COB", True, True)
    co = rc.classify_adjustment(27, "CO")
    assert (co.category, co.denial, co.billed_to_patient) == ("eligibility/COB", True, False)
    assert rc.classify_adjustment("PR-119") == rc.Adjustment("PR-119", "PR", "119", "benefit maximum", True, True)
    assert rc.classify_adjustment("CR-197").category == "correction or reversal (not a denial)"
    assert rc.classify_adjustment("CO-1").category == "unclassified"  # cost sharing is never a CO adjustment


def test_classify_adjustments_on_a_frame_as_read_from_csv():
    frame = pd.read_csv(io.StringIO("carc_group,carc_code\nCO,197\nPR,2\nCO,\nCO,45\nOA,23\nCO,253\n"))
    assert frame["carc_code"].dtype == float  # the blank made pandas read the codes as 197.0, 2.0, ...
    table = rc.classify_adjustments(frame)
    assert table["carc"].tolist() == ["CO-197", "PR-2", "CO-?", "CO-45", "OA-23", "CO-253"]
    assert table["category"].tolist() == ["authorization", "patient responsibility (not a denial)", "unclassified",
                                          "contractual adjustment (not a denial)", "payer adjustment (not a denial)",
                                          "payer adjustment (not a denial)"]
    assert table["denial"].tolist() == [True, False, False, False, False, False]
    assert table["billed_to_patient"].tolist() == [False, True, False, False, False, False]


def test_denial_pareto_ranks_unknown_codes_as_unclassified():
    claims = pd.DataFrame({"initial_denial": [True, True, True], "carc_group": ["CO", "CO", "CO"],
                           "carc_code": ["B7", "197", None], "charge_amount": [100.0, 300.0, 50.0]})
    table = rc.denial_pareto(claims, weight="dollars")
    assert table["category"].tolist() == ["authorization", "unclassified"]
    assert table["denials"].tolist() == [300.0, 150.0]
    assert rc.denial_pareto(claims, by="carc")["carc"].tolist() == ["CO-197", "CO-?", "CO-B7"]


# ---------------------------------------------------------------------------------------------------------
# Aging

def test_aging_bucket_edges_are_inclusive_at_30_60_90_120():
    ages = [0, 30, 31, 60, 61, 90, 91, 120, 121]
    table = rc.aging_buckets(ages, [1.0] * 9)
    assert table["accounts"].tolist() == [2, 2, 2, 2, 1]


def test_aging_bucket_errors():
    with pytest.raises(ValueError, match="These inputs must have the same length, one value per period: ages has "
                                         "2, balances has 1."):
        rc.aging_buckets([1, 2], [5.0])
    with pytest.raises(ValueError, match="ages must not contain values below 0; the smallest is -3."):
        rc.aging_buckets([-3], [5.0])
    with pytest.raises(ValueError, match="buckets must be contiguous; bucket 'a' ends at 30 but the next starts at 40"):
        rc.aging_buckets([1], [1.0], buckets=(("a", 0, 30), ("b", 40, None)))
    with pytest.raises(ValueError, match="the last bucket must be open-ended"):
        rc.aging_buckets([1], [1.0], buckets=(("a", 0, 30), ("b", 31, 60)))


@HYPOTHESIS
@given(st.lists(st.tuples(st.integers(0, 2_000), st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=60))
def test_aging_buckets_partition_total_ar(rows):
    ages, balances = zip(*rows)
    table = rc.aging_buckets(ages, balances)
    assert table["accounts"].sum() == len(rows)
    assert table["balance"].sum() == pytest.approx(sum(balances), abs=0.01 * len(table) + 1e-9)
    if sum(balances) > 0:
        assert table["share"].sum() == pytest.approx(1.0)


def test_ar_balances_gross_and_net_hand_example():
    claims = claims_frame(
        service_date=["2025-11-01", "2025-12-01", "2025-12-29", "2025-08-15"],
        submission_date=["2025-11-03", "2025-12-03", None, "2025-08-18"],
        closed_date=[None, None, None, "2025-10-01"],
        payment_date=["2025-12-10", None, None, "2025-09-20"],
        paid_amount=[320.0, 0.0, 0.0, 500.0],
        patient_payment_date=[None, None, None, "2025-10-01"],
        patient_paid_amount=[0.0, 0.0, 0.0, 100.0],
        charge_amount=[1_000.0, 600.0, 900.0, 1_500.0],
        allowed_amount=[400.0, 240.0, 360.0, 600.0],
    )
    # Claim 1: payer paid 320 with the contractual adjustment -> gross = net = 400 - 320 = 80.
    # Claim 2: billed, nothing posted -> gross 600 (charges), net 240.
    # Claim 3: not billed (DNFB) -> only with include_unbilled: gross 900, net 360.
    # Claim 4: closed 1 October -> 0.
    assert rc.ar_balances(claims, "2025-12-31").tolist() == [80.0, 600.0, 0.0, 0.0]
    assert rc.ar_balances(claims, "2025-12-31", balance="net").tolist() == [80.0, 240.0, 0.0, 0.0]
    assert rc.ar_balances(claims, "2025-12-31", include_unbilled=True).tolist() == [80.0, 600.0, 900.0, 0.0]
    # On 30 November claim 1 was billed and unpaid (gross 1,000), claim 2 not yet performed.
    assert rc.ar_balances(claims, "2025-11-30").tolist() == [1_000.0, 0.0, 0.0, 0.0]
    # On 25 September claim 4 was open with the payer's 500 posted: 600 - 500 = 100.
    assert rc.ar_balances(claims, "2025-09-25").tolist() == [0.0, 0.0, 0.0, 100.0]


def test_ar_aging_and_aged_share_by_service_and_billing_date():
    claims = claims_frame(
        service_date=["2025-12-15", "2025-10-20", "2025-08-01"],
        submission_date=["2025-12-16", "2025-10-22", "2025-10-05"],
        charge_amount=[500.0, 300.0, 200.0],
    )
    # Ages at 31 Dec from service: 16, 72, 152 days -> 0-30, 61-90, >120.
    table = rc.ar_aging(claims, "2025-12-31")
    assert table.set_index("bucket")["balance"].to_dict() == {"0-30": 500.0, "31-60": 0.0, "61-90": 300.0,
                                                              "91-120": 0.0, ">120": 200.0}
    assert rc.aged_ar_share(claims, "2025-12-31") == pytest.approx(200 / 1_000)
    # From billing: 15, 70, 87 days -> nothing over 90; the same A/R looks younger.
    assert rc.aged_ar_share(claims, "2025-12-31", basis="billing") == 0.0
    assert rc.aged_ar_share(claims, "2025-12-31", over=60) == pytest.approx(500 / 1_000)


def test_aging_errors_name_the_argument():
    claims = claims_frame(service_date=["2025-12-15"])
    with pytest.raises(ValueError, match="basis must be one of 'service', 'billing'; you gave 'discharge'"):
        rc.ar_aging(claims, "2025-12-31", basis="discharge")
    with pytest.raises(ValueError, match="balance must be one of 'gross', 'net'; you gave 'total'"):
        rc.ar_balances(claims, "2025-12-31", balance="total")
    with pytest.raises(ValueError, match="as_of must be a date such as '2025-12-31'; you gave 'December'"):
        rc.ar_balances(claims, "December")
    with pytest.raises(ValueError, match="total billed A/R is 0, so the aged A/R share cannot be calculated"):
        rc.aged_ar_share(claims, "2024-12-31")
    with pytest.raises(ValueError, match=r"claims is missing the column\(s\) 'closed_date'"):
        rc.ar_balances(claims.drop(columns="closed_date"), "2025-12-31")
    bad = claims_frame(service_date=["12/15/2025"])
    with pytest.raises(ValueError, match="claims column 'service_date' must hold dates written 'YYYY-MM-DD'"):
        rc.ar_balances(bad, "2025-12-31")


# ---------------------------------------------------------------------------------------------------------
# Denials

def denial_claims() -> pd.DataFrame:
    return pd.DataFrame({
        "first_remit_date": ["2025-02-01"] * 8 + [None, None],
        "initial_denial": [True, True, True, False, False, False, False, False, None, None],
        "carc_group": ["CO", "CO", "OA", None, None, None, None, None, None, None],
        "carc_code": pd.array([197, 16, 18, None, None, None, None, None, None, None], dtype="Int64"),
        "charge_amount": [1_000.0, 200.0, 300.0, 500.0, 500.0, 500.0, 500.0, 500.0, 9_000.0, 9_000.0],
        # The first denial was overturned on appeal: it is still an initial denial.
        "appeal_outcome": ["overturned", None, None, None, None, None, None, None, None, None],
    })


def test_initial_denial_rate_count_and_dollars():
    claims = denial_claims()
    # 3 of the 8 remitted claims were denied; the 2 not yet remitted are in neither count.
    assert rc.initial_denial_rate(claims) == pytest.approx(3 / 8)
    # Dollars: (1,000 + 200 + 300) / (1,500 + 5 x 500) = 1,500 / 4,000.
    assert rc.initial_denial_rate(claims, by="dollars") == pytest.approx(1_500 / 4_000)


def test_initial_denial_rate_errors():
    claims = denial_claims()
    with pytest.raises(ValueError, match="by must be one of 'count', 'dollars'; you gave 'percent'"):
        rc.initial_denial_rate(claims, by="percent")
    with pytest.raises(ValueError, match=r"claims is missing the column\(s\) 'initial_denial'"):
        rc.initial_denial_rate(claims.drop(columns="initial_denial"))
    with pytest.raises(ValueError, match="the number of remitted claims is 0"):
        rc.initial_denial_rate(claims.iloc[8:])
    broken = claims.copy()
    broken.loc[0, "initial_denial"] = None
    with pytest.raises(ValueError, match="1 remitted claim\\(s\\) have a blank initial_denial"):
        rc.initial_denial_rate(broken)
    with pytest.raises(TypeError, match="claims must be a pandas DataFrame; you gave list"):
        rc.initial_denial_rate([1, 2])


def test_denial_pareto_by_category_and_carc():
    claims = denial_claims()
    table = rc.denial_pareto(claims)
    # Three denials, one each: ties ranked alphabetically, shares 1/3, cumulative 1/3, 2/3, 1.
    assert table["category"].tolist() == ["authorization", "duplicate", "missing information"]
    assert table["share"].tolist() == pytest.approx([1 / 3] * 3)
    assert table["cumulative_share"].tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])
    dollars = rc.denial_pareto(claims, by="carc", weight="dollars")
    assert dollars["carc"].tolist() == ["CO-197", "OA-18", "CO-16"]
    assert dollars["denials"].tolist() == [1_000.0, 300.0, 200.0]
    assert dollars["share"].tolist() == pytest.approx([1_000 / 1_500, 300 / 1_500, 200 / 1_500])


def test_denial_pareto_errors():
    claims = denial_claims()
    with pytest.raises(ValueError, match="claims has no initial denials"):
        rc.denial_pareto(claims.iloc[3:])
    with pytest.raises(ValueError, match="weight must be one of 'count', 'dollars'; you gave 'charges'"):
        rc.denial_pareto(claims, weight="charges")


@HYPOTHESIS
@given(st.dictionaries(st.sampled_from(rc.DENIAL_CATEGORIES), st.integers(0, 500), min_size=1)
       .filter(lambda d: sum(d.values()) > 0))
def test_pareto_shares_sum_to_one_and_cumulate(counts):
    table = rc.pareto(counts)
    assert table["share"].sum() == pytest.approx(1.0)
    assert table["cumulative_share"].iloc[-1] == 1.0
    assert (np.diff(table["value"].to_numpy()) <= 0).all()
    assert (np.diff(table["cumulative_share"].to_numpy()) >= -1e-12).all()
    assert table["cumulative_share"].to_numpy() == pytest.approx(table["share"].cumsum().to_numpy())


def test_pareto_rejects_empty_totals():
    with pytest.raises(ValueError, match="the total of counts is 0"):
        rc.pareto({"coding": 0})
    with pytest.raises(ValueError, match="counts must not contain values below 0"):
        rc.pareto({"coding": -1, "duplicate": 2})


# ---------------------------------------------------------------------------------------------------------
# Clean claims, net collection on claims, payer mix, charge lag

def test_clean_claim_rate_counts_only_submitted_claims():
    claims = pd.DataFrame({"submission_date": ["2025-01-05"] * 5 + [None],
                           "clean_claim": [True, True, True, True, False, None]})
    assert rc.clean_claim_rate(claims) == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="every submitted claim needs clean_claim True or False"):
        rc.clean_claim_rate(claims.assign(clean_claim=[True, None, True, True, False, None]))


def test_claims_net_collection_rate_uses_closed_claims():
    claims = pd.DataFrame({
        "closed_date": ["2025-03-01", "2025-04-01", "2025-05-01", None],
        "charge_amount": [1_000.0, 500.0, 500.0, 8_000.0],
        "allowed_amount": [400.0, 200.0, 200.0, 3_000.0],
        "paid_amount": [350.0, 200.0, 0.0, 0.0],     # claim 3: denial written off
        "patient_paid_amount": [50.0, 0.0, 0.0, 0.0],
    })
    # Closed: charges 2,000, contractual (1,000-400)+(500-200)+(500-200) = 1,200 -> 800 collectible; paid 600.
    assert rc.claims_net_collection_rate(claims) == pytest.approx(600 / 800)
    with pytest.raises(ValueError, match="claims has no closed claims"):
        rc.claims_net_collection_rate(claims.iloc[3:])


def test_payer_mix_by_charges_and_payments():
    claims = pd.DataFrame({
        "plan_type": ["Medicare FFS", "Commercial PPO", "Medicaid managed care", "Medicare FFS"],
        "payer": ["Medicare", "Bluepoint", "Riverbend", "Medicare"],
        "charge_amount": [400.0, 300.0, 200.0, 100.0],
        "paid_amount": [150.0, 160.0, 40.0, 30.0],
        "patient_paid_amount": [20.0, 0.0, 0.0, 0.0],
    })
    assert rc.payer_mix(claims).to_dict() == pytest.approx({"Medicare FFS": 0.5, "Commercial PPO": 0.3,
                                                            "Medicaid managed care": 0.2})
    # Payments: Medicare 150 + 20 + 30 = 200, commercial 160, Medicaid 40, of 400.
    mix = rc.payer_mix(claims, by="payments", level="payer")
    assert mix.to_dict() == pytest.approx({"Medicare": 0.5, "Bluepoint": 0.4, "Riverbend": 0.1})
    assert mix.index.tolist() == ["Medicare", "Bluepoint", "Riverbend"]
    with pytest.raises(ValueError, match="level must be one of 'plan_type', 'payer'; you gave 'setting'"):
        rc.payer_mix(claims, level="setting")


def test_charge_lag_mean_and_median():
    claims = pd.DataFrame({"setting": ["P", "P", "P", "H", "H"],
                           "service_date": ["2025-03-03"] * 5,
                           "submission_date": ["2025-03-04", "2025-03-05", "2025-03-17", "2025-03-06", None]})
    # Lags 1, 2, 14, 3 days (the unbilled claim is excluded): mean 20/4 = 5, median (2+3)/2 = 2.5.
    summary = rc.charge_lag_summary(claims)
    assert summary.loc[0, "claims"] == 4
    assert summary.loc[0, "mean_days"] == pytest.approx(5.0)
    assert summary.loc[0, "median_days"] == pytest.approx(2.5)
    by_setting = rc.charge_lag_summary(claims, by="setting")
    assert by_setting.loc["P", "mean_days"] == pytest.approx(17 / 3)
    assert by_setting.loc["H", "median_days"] == 3.0


def test_charge_lag_rejects_submission_before_service():
    claims = pd.DataFrame({"service_date": ["2025-03-03"], "submission_date": ["2025-03-01"]})
    with pytest.raises(ValueError, match="1 claim\\(s\\) have a submission_date before their service_date"):
        rc.charge_lag_days(claims)


# ---------------------------------------------------------------------------------------------------------
# Snapshot helpers

def test_snapshot_helpers_use_an_explicit_window():
    snap = pd.DataFrame({"month": ["2025-09", "2025-10", "2025-11", "2025-12"],
                         "days_in_month": [30, 31, 30, 31],
                         "net_patient_revenue": [990_000, 1_000_000, 950_000, 1_050_000],
                         "net_ar": [0, 0, 0, 1_500_000],
                         "gross_charges": [2_600_000, 2_700_000, 2_650_000, 2_930_000],
                         "dnfb_charges": [0, 0, 0, 410_000]})
    # Three months: 3,000,000 / 92 a day.
    assert rc.snapshot_net_days_in_ar(snap, "2025-12") == pytest.approx(1_500_000 / (3_000_000 / 92))
    # Two months: (950,000 + 1,050,000) / 61 a day.
    assert rc.snapshot_net_days_in_ar(snap, "2025-12", window_months=2) == pytest.approx(
        1_500_000 / (2_000_000 / 61))
    assert rc.snapshot_days_in_dnfb(snap, "2025-12") == pytest.approx(410_000 / (8_280_000 / 92))
    with pytest.raises(ValueError, match="a 3-month window ending 2025-10 needs 3 months of revenue, but the "
                                         "snapshot starts at 2025-09"):
        rc.snapshot_net_days_in_ar(snap, "2025-10")
    with pytest.raises(ValueError, match="month '2026-01' is not in the snapshot; it has 2025-09 to 2025-12"):
        rc.snapshot_net_days_in_ar(snap, "2026-01")
    with pytest.raises(ValueError, match="window_months must be a whole number of months; you gave 2.5"):
        rc.snapshot_net_days_in_ar(snap, "2025-12", window_months=2.5)


@HYPOTHESIS
@given(ar=st.floats(0, 1e8), revenue=st.floats(1, 1e8), days=st.integers(1, 366),
       factor=st.floats(0.01, 100))
def test_days_in_ar_scales_with_ar_and_inversely_with_revenue(ar, revenue, days, factor):
    base = rc.net_days_in_ar(ar, revenue, days)
    assert rc.net_days_in_ar(ar * factor, revenue, days) == pytest.approx(base * factor, rel=1e-9, abs=1e-9)
    assert rc.net_days_in_ar(ar, revenue * factor, days) == pytest.approx(base / factor, rel=1e-9, abs=1e-9)
    assert math.isfinite(base) and base >= 0
