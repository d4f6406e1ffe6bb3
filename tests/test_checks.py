"""Quantity checks behind rules of kind 'quantity', tested directly on sentences and facts."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest

from barrier_scan.detect.rules.checks import CHECKS, CheckContext, annual_value


def run(name, text, facts=None, trigger=None, **params):
    m = re.search(trigger, text, re.I) if trigger else None
    return CHECKS[name](CheckContext(text=text, facts=facts, params=params,
                                     match=m.span() if m else None, nearby=text))


def facts(**kw):
    base = dict(contract_value_total=None, contract_value_annual=None, duration_years=None,
                regime=None, publication_date=None, deadline_date=None, light_touch=False,
                below_threshold=None)
    base.update(kw)
    return SimpleNamespace(**base)


def test_annual_value_spreads_total_over_years():
    assert annual_value(facts(contract_value_annual=50_000)) == 50_000
    assert annual_value(facts(contract_value_total=300_000, duration_years=3)) == 100_000
    assert annual_value(facts(contract_value_total=80_000)) == 80_000
    assert annual_value(None) is None


@pytest.mark.parametrize("text,annual,fires", [
    ("Minimum annual turnover of £500,000.", 100_000, True),
    ("Minimum annual turnover of £150,000.", 100_000, False),
    ("Minimum annual turnover of £200,000.", 100_000, False),  # exactly 2x is allowed
    ("A turnover of at least three times the contract value.", None, True),
    ("A turnover of two times the annual contract value.", None, False),
    ("Minimum annual turnover of £500,000.", None, False),  # no value known: no ratio
])
def test_turnover_ratio(text, annual, fires):
    res = run("turnover_ratio", text, facts(contract_value_annual=annual), trigger="turnover",
              max_ratio=2)
    assert (res is not None) == fires


def test_turnover_ratio_uses_total_over_duration():
    res = run("turnover_ratio", "Minimum turnover £500,000.",
              facts(contract_value_total=300_000, duration_years=3), trigger="turnover")
    assert res is not None and res.data["ratio"] == 5.0


@pytest.mark.parametrize("text,kinds,minimum,expect", [
    ("Public liability £10m and employer's liability £5m.", ["public"], 10e6, 10e6),
    ("Employer's liability £10m; public liability £2m.", ["public"], 10e6, None),
    ("Employer's liability insurance of £10,000,000.", ["any"], 1, None),  # EL is never counted
    ("£10 million public liability cover.", ["public"], 10e6, 10e6),  # kind after the amount
    ("Professional indemnity £2m, public liability £5m.", ["professional"], 1e6, 2e6),
])
def test_insurance_level(text, kinds, minimum, expect):
    res = run("insurance_level", text, kinds=kinds, min=minimum)
    assert (res.data["amount"] if res else None) == expect


@pytest.mark.parametrize("text,expect", [
    ("Public liability insurance of £5 million is required.", 5e6),
    ("Public liability of £7.5m for outdoor events.", 7.5e6),
    ("Public liability insurance of £10 million is required.", None),  # the higher tier's rule
    ("Public liability of £2m.", None),
    ("Public liability £5m and employer's liability £5m.", 5e6),
])
def test_insurance_level_tier_below(text, expect):
    """``below`` caps a tier so BP115 (£5m to under £10m) and BP112 (£10m+) never both fire."""
    res = run("insurance_level", text, kinds=["public"], min=5e6, below=10e6)
    assert (res.data["amount"] if res else None) == expect


@pytest.mark.parametrize("text,params,fires", [
    ("Quality 30%, price 70%.", {"keyword": r"\bprice\b", "max": 60}, True),
    ("Price 40%, quality 60%.", {"keyword": r"\bprice\b", "max": 60}, False),
    ("Quality 20% / Price 80%.", {"keyword": r"\bprice\b", "max": 60}, True),
    ("Quality 65%, price 30%, social value 5%.", {"keyword": r"\bsocial value\b", "min": 10}, True),
    ("Social value (15%) and price (25%).", {"keyword": r"\bsocial value\b", "min": 10}, False),
    ("70% price and 30% quality.", {"keyword": r"\bprice\b", "max": 60}, True),
])
def test_weight_for(text, params, fires):
    assert (run("weight_for", text, **params) is not None) == fires


@pytest.mark.parametrize("text,fires", [
    ("Invoices will be paid within 14 days.", True),
    ("Invoices will be paid within 30 days.", True),
    ("Invoices will be paid within 45 days.", False),
    ("Payment quarterly.", False),
])
def test_days_at_most(text, fires):
    assert (run("days_at_most", text, trigger="paid|payment", max=30) is not None) == fires


def test_days_over_for_payment_terms():
    assert run("days_over", "Paid within 60 days of invoice.", trigger="paid", max=30)
    assert run("days_over", "Paid within 30 days of invoice.", trigger="paid", max=30) is None
    # 30 working days are six calendar weeks: longer than the statutory 30 days
    assert run("days_over", "Paid within 30 working days.", trigger="paid", max=30)


@pytest.mark.parametrize("text,minimum,fires", [
    ("Audited accounts for the last three years.", 2, True),
    ("Accounts for the previous two financial years.", 2, True),  # works around quantities
    ("Accounts for the last year.", 2, False),
])
def test_years_at_least(text, minimum, fires):
    assert (run("years_at_least", text, trigger="accounts", min=minimum) is not None) == fires


def test_below_threshold_gate():
    assert run("below_threshold_gate", "PQQ stage", facts(below_threshold=False)) is None
    assert run("below_threshold_gate", "PQQ stage", facts(below_threshold=True)).severity == "high"
    assert run("below_threshold_gate", "PQQ stage", None).severity == "low"


def _window(days, regime="pa2023", light=False, value=500_000):
    start = dt.date(2025, 3, 3)
    return facts(publication_date=start, deadline_date=start + dt.timedelta(days=days),
                 regime=regime, light_touch=light, contract_value_total=value)


def test_tender_window_statutory_minimum_and_light_touch():
    below = run("tender_window", "", _window(20))
    assert below is not None and below.severity == "high"
    # "below the statutory minimum" only when the value and regime are known; else "short", saying
    # what is unknown
    unknown = run("tender_window", "", _window(20, value=None))
    assert unknown.severity is None and "statutory minimum" not in unknown.detail.split("(")[0]
    assert "the contract value not found" in unknown.detail
    no_regime = run("tender_window", "", _window(20, regime=None))
    assert no_regime.severity is None and "the procurement regime not found" in no_regime.detail
    light = run("tender_window", "", _window(10, light=True))
    assert light is not None and light.severity is None and light.data["statutory_minimum"] is None
    assert run("tender_window", "", _window(50)) is None
    assert run("tender_window", "", _window(32, regime="pcr2015")).severity is None  # short, legal


def test_tender_window_at_least():
    assert run("tender_window_at_least", "", _window(45), min=42)
    assert run("tender_window_at_least", "", _window(30), min=42) is None
    assert run("tender_window_at_least", "", None, min=42) is None


def test_below_threshold_window_is_short_not_unlawful():
    """A 14-day window on a below-threshold contract is a warning, never 'below the statutory minimum'."""
    from datetime import date
    from types import SimpleNamespace

    from barrier_scan.detect.rules.checks import CheckContext, tender_window

    facts = SimpleNamespace(publication_date=date(2025, 8, 4), deadline_date=date(2025, 8, 18),
                            regime="pa2023", light_touch=False, below_threshold=True)
    res = tender_window(CheckContext(text="", facts=facts, params={}))
    assert res is not None and "statutory" not in res.detail and res.severity is None
    facts.below_threshold = None  # value unknown: short, and says so
    res = tender_window(CheckContext(text="", facts=facts, params={}))
    assert res.severity is None and "the contract value not found" in res.detail
    facts.below_threshold = False  # stated to be above the threshold
    res = tender_window(CheckContext(text="", facts=facts, params={}))
    assert res.severity == "high" and "statutory minimum of 25 days" in res.detail


def test_turnover_per_lot_is_judged_against_the_lot_value():
    """PCR reg 58(11): a turnover asked per lot is compared with the lot, not the whole contract."""
    from types import SimpleNamespace

    from barrier_scan.detect.rules.checks import CheckContext, turnover_ratio

    facts = SimpleNamespace(contract_value_annual=300000.0, contract_value_total=None,
                            duration_years=None, lot_value=50000.0)
    text = "For each lot, bidders must have a minimum annual turnover of £250,000."
    res = turnover_ratio(CheckContext(text=text, facts=facts, params={"max_ratio": 2},
                                      match=(text.index("turnover"), text.index("turnover") + 8)))
    assert res is not None and "the value of the lot" in res.detail and res.data["ratio"] == 5.0
    whole = "Bidders must have a minimum annual turnover of £250,000."
    assert turnover_ratio(CheckContext(text=whole, facts=facts, params={"max_ratio": 2},
                                       match=(whole.index("turnover"), whole.index("turnover") + 8))) is None
