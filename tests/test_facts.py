"""Tests for barrier_scan.detect.facts: document-level facts from sentences."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barrier_scan.document import Sentence
from barrier_scan.detect.facts import Facts, extract_facts

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


# --------------------------------------------------------------------------- contract value

def test_annual_value_with_term_in_same_sentence_gives_total():
    f = extract_facts(["The Council seeks a provider of community arts workshops.",
                       "The service will cost £150,000 per annum for 3 years."])
    assert f.contract_value_annual == 150_000
    assert f.contract_value_total == pytest.approx(450_000)
    assert f.duration_years == pytest.approx(3)
    assert f.sources["contract_value_annual"] == 1 and f.sources["contract_value_total"] == 1
    assert "contract_value_total" in f.derived and "contract_value_annual" not in f.derived


def test_total_over_term_gives_annual():
    f = extract_facts(["The total contract value is £450,000 over three years."])
    assert f.contract_value_total == 450_000
    assert f.contract_value_annual == pytest.approx(150_000)
    assert f.derived == ["contract_value_annual"]


def test_total_and_annual_both_stated():
    f = extract_facts(["The budget is £60,000 (£20,000 per year)."])
    assert (f.contract_value_total, f.contract_value_annual) == (60_000, 20_000)
    assert f.derived == [] or f.derived == ["below_threshold"]


def test_total_uses_document_term_from_another_sentence():
    f = extract_facts(["The contract will run for an initial term of 3 years with an option to extend "
                       "for a further 1 year.",
                       "The estimated value of the contract is £400,000."])
    assert f.duration_years == pytest.approx(4) and f.duration_initial_years == pytest.approx(3)
    assert f.contract_value_annual == pytest.approx(100_000)
    assert f.sources["duration_years"] == 0 and f.sources["contract_value_total"] == 1


def test_extension_in_following_sentence_counts_towards_term():
    f = extract_facts(["The contract period is 2 years.", "It may be extended by a further 12 months."])
    assert f.duration_years == pytest.approx(3) and f.duration_initial_years == pytest.approx(2)


def test_short_contract_is_not_inflated_to_a_yearly_rate():
    f = extract_facts(["The contract is for a period of 6 months.", "The budget is £50,000."])
    assert f.contract_value_annual == 50_000


def test_annual_without_term_leaves_total_unknown():
    f = extract_facts(["The annual budget for the service is £80,000."])
    assert f.contract_value_annual == 80_000 and f.contract_value_total is None


def test_monthly_value_is_annualised():
    f = extract_facts(["The contract value is £5,000 per month."])
    assert f.contract_value_annual == 60_000


def test_explicit_total_preferred_over_vaguer_mentions():
    f = extract_facts(["Funding of £2m was secured for the wider regeneration scheme in 2019.",
                       "The total contract value is £300,000."])
    assert f.contract_value_total == 300_000 and f.sources["contract_value_total"] == 1


def test_turnover_insurance_and_liability_amounts_are_not_contract_values():
    f = extract_facts([
        "Bidders must have a minimum annual turnover of £500,000.",
        "Public liability insurance of £10,000,000 is required.",
        "Professional indemnity cover of £2m per claim.",
        "Employer's liability of £5m is a statutory requirement.",
    ])
    assert f.contract_value_total is None and f.contract_value_annual is None


def test_amounts_without_value_words_are_ignored():
    f = extract_facts(["Last year the festival attracted £2m of sponsorship."])
    assert f.contract_value_total is None


def test_per_lot_value():
    f = extract_facts(["The contract is divided into 3 lots.", "Each lot is valued at up to £40,000 per lot."])
    assert f.lot_value == 40_000 and f.contract_value_total is None


# --------------------------------------------------------------------------- lots

def test_not_divided_into_lots_with_reason():
    f = extract_facts(["This contract is not divided into lots because the services are integrated."])
    assert f.lots == 1 and f.lots_reason_given and f.sources["lots"] == 0


def test_not_divided_into_lots_without_reason():
    f = extract_facts(["The contract has not been divided into lots.", "Bidders must register on the portal."])
    assert f.lots == 1 and not f.lots_reason_given


def test_reason_for_not_lotting_in_next_sentence():
    f = extract_facts(["The requirement will not be lotted.",
                       "A single provider is needed to ensure a coordinated programme."])
    assert f.lots == 1 and f.lots_reason_given


@pytest.mark.parametrize("sentences, lots", [
    (["The contract is divided into three lots."], 3),
    (["The Framework is split into 4 Lots."], 4),
    (["Lot 1 covers music.", "Lot 2 covers dance.", "Lot 3 covers visual arts."], 3),
    (["Bidders may bid for one or more lots."], None),
    (["A lot of residents take part in the programme."], None),
    (["Lot 1: the whole service."], None),
])
def test_lot_counts(sentences, lots):
    assert extract_facts(sentences).lots == lots


# --------------------------------------------------------------------------- regime

def test_pa2023_vocabulary():
    f = extract_facts(["This procurement is conducted under the Procurement Act 2023.",
                       "Suppliers must meet the conditions of participation.",
                       "Contracts will be awarded to the most advantageous tender."])
    assert f.regime == "pa2023" and f.sources["regime"] == 0
    assert "Procurement Act 2023" in f.regime_evidence


def test_pcr2015_vocabulary():
    f = extract_facts(["This is an open procedure under the Public Contracts Regulations 2015.",
                       "Complete the selection questionnaire.",
                       "The contract will be awarded on the basis of MEAT."])
    assert f.regime == "pcr2015"


def test_no_regime_evidence():
    f = extract_facts(["We want to commission a creative ageing programme."])
    assert f.regime is None and f.regime_evidence == ""


@pytest.mark.parametrize("published, regime", [("24 February 2025", "pa2023"),
                                               ("23 February 2025", "pcr2015")])
def test_publication_date_is_weak_regime_evidence(published, regime):
    f = extract_facts([f"This notice was published on {published}."])
    assert f.regime == regime


def test_date_does_not_outweigh_terminology():
    f = extract_facts(["This notice was published on 1 March 2025.",
                       "The Public Contracts Regulations 2015 apply to this procurement."])
    assert f.regime == "pcr2015"


def test_repeated_boilerplate_counts_once():
    f = extract_facts(["Submit the selection questionnaire."] * 5
                      + ["This procurement is run under the Procurement Act 2023."])
    assert f.regime == "pa2023"


def test_sentence_contrasting_old_regime_is_ignored():
    f = extract_facts(["The Procurement Act 2023 replaced the Public Contracts Regulations 2015.",
                       "Suppliers must meet the conditions of participation."])
    assert f.regime == "pa2023"


def test_lowercase_meat_is_not_evidence():
    assert extract_facts(["Catering will include meat and vegetarian options."]).regime is None


def test_tied_evidence_is_undecided():
    f = extract_facts(["See the tender notice and the selection questionnaire."])
    assert f.regime is None and "undecided" in f.regime_evidence


# --------------------------------------------------------------------------- light touch, threshold

@pytest.mark.parametrize("sentence, expected", [
    ("The services fall under the light touch regime.", True),
    ("These are social and other specific services.", True),
    ("The services are listed in Schedule 3 to the Public Contracts Regulations 2015.", True),
    ("See Joint Schedule 3 (Insurance Requirements).", False),
    ("The council will commission arts workshops.", False),
])
def test_light_touch(sentence, expected):
    assert extract_facts([sentence]).light_touch is expected


@pytest.mark.parametrize("sentences, expected", [
    (["This is a below-threshold procurement."], True),
    (["The value is below the relevant threshold."], True),
    (["The contract value does not exceed the threshold."], True),
    (["The contract value is above the threshold."], False),
    (["The contract value is £40,000."], True),  # under every goods/services threshold
    (["The contract value is £400,000."], None),  # depends on the buyer: not guessed
    (["We commission arts."], None),
])
def test_below_threshold(sentences, expected):
    assert extract_facts(sentences).below_threshold is expected


# --------------------------------------------------------------------------- tender window

def test_publication_and_deadline():
    f = extract_facts(["Date of this notice: 2 March 2026.",
                       "Deadline for clarification questions: 16 March 2026.",
                       "Tenders must be submitted by 12:00 noon on 30 March 2026."])
    assert f.publication_date == dt.date(2026, 3, 2) and f.deadline_date == dt.date(2026, 3, 30)
    assert f.tender_window_days == 28
    assert f.sources["publication_date"] == 0 and f.sources["deadline_date"] == 2


@pytest.mark.parametrize("sentence", [
    "Closing date: 30/03/2026.", "Responses must be received no later than 30 March 2026.",
    "Please return by 30.3.2026.", "The deadline for tenders is Monday 30 March 2026 at 5pm.",
    "Completed quotations should be returned by noon on 30th March 2026.",
])
def test_deadline_phrasings(sentence):
    assert extract_facts([sentence]).deadline_date == dt.date(2026, 3, 30)


@pytest.mark.parametrize("sentence", [
    "The contract will commence no later than 1 May 2026.",
    "Access to the procurement documents will close at 12 noon on 2 April 2026.",
    "Tenders must be submitted through the portal.",
])
def test_not_tender_deadlines(sentence):
    assert extract_facts([sentence]).deadline_date is None


def test_deadline_survives_later_award_mention():
    f = extract_facts(["Tenders must be submitted by 1 May 2026. Award is expected in June."])
    assert f.deadline_date == dt.date(2026, 5, 1)


def test_reversed_dates_give_no_window():
    f = extract_facts(["Issue date: 30 March 2026.", "Closing date: 1 March 2026."])
    assert f.tender_window_days is None


# --------------------------------------------------------------------------- dict and override

def test_to_dict_is_json_friendly():
    f = extract_facts(["Issue date: 2 March 2026.", "Closing date: 30 March 2026.",
                       "The total value is £90,000 over 3 years."])
    d = json.loads(json.dumps(f.to_dict()))
    assert d["publication_date"] == "2026-03-02" and d["tender_window_days"] == 28
    assert d["contract_value_total"] == 90_000 and d["sources"]["contract_value_total"] == 2


def test_override_wins_and_rederives():
    f = extract_facts(["The contract will run for 3 years.", "The total value is £90,000."])
    g = f.override(contract_value=300_000, annual_value=None, lots=2, regime="PA")
    assert g.contract_value_total == 300_000 and g.contract_value_annual == pytest.approx(100_000)
    assert g.lots == 2 and g.regime == "pa2023"
    assert set(g.overridden) == {"contract_value_total", "lots", "regime"}
    assert "contract_value_total" not in g.sources
    assert g.below_threshold is None  # was derived from the parsed £90,000
    assert f.contract_value_total == 90_000 and f.overridden == []  # original untouched


def test_override_keeps_values_read_from_text():
    f = extract_facts(["The budget is £60,000 (£20,000 per year)."])
    g = f.override(contract_value=90_000)
    assert g.contract_value_annual == 20_000


def test_override_annual_derives_total():
    f = extract_facts(["The contract period is 2 years."])
    g = f.override(annual_value=50_000)
    assert g.contract_value_total == pytest.approx(100_000) and "contract_value_total" in g.derived


@pytest.mark.parametrize("kwargs", [{"regime": "eu"}, {"lots": -1}, {"lots": 1.5},
                                    {"contract_value": -5}, {"colour": "red"}])
def test_override_rejects_bad_values(kwargs):
    with pytest.raises(ValueError):
        Facts().override(**kwargs)


def test_accepts_sentence_objects():
    s = Sentence(text="The total contract value is £450,000 over three years.", block_index=0,
                 start=0, end=55)
    assert extract_facts([s]).contract_value_total == 450_000


# --------------------------------------------------------------------------- robustness

@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=120), st.sampled_from([
    "The total contract value is £450,000 over three years.", "Closing date: 30/03/2026.",
    "This contract is not divided into lots.", "Procurement Act 2023", "Lot 7", "£5m per annum",
])), max_size=12))
def test_extract_facts_never_raises_and_sources_point_at_sentences(sentences):
    f = extract_facts(sentences)
    json.dumps(f.to_dict())
    assert all(0 <= i < len(sentences) for i in f.sources.values())


@pytest.mark.corpus
def test_real_notices_smoke():
    path = CORPUS / "notices" / "notices.jsonl"
    if not path.exists():
        pytest.skip("shared corpus not available at ../shared/corpus")
    money = re.compile(r"£|GBP|pounds", re.I)
    for line in path.read_text(encoding="utf-8").splitlines():
        text = json.loads(line).get("text") or ""
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
        f = extract_facts(sentences)
        for name in ("contract_value_total", "contract_value_annual", "lot_value"):
            if name in f.sources and name not in f.derived:
                assert money.search(sentences[f.sources[name]])
        if f.tender_window_days is not None:
            assert f.tender_window_days >= 0
