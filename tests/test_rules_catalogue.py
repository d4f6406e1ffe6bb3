"""The rule catalogue as a whole: coverage of families and categories, the code scheme, and a
regression guard on the labelled corpus (skipped when ../shared is absent)."""
from pathlib import Path

import pytest

from barrier_scan.findings import CATEGORIES, SENTENCE_CATEGORIES
from barrier_scan.rules.loader import load_rules
from barrier_scan.rules.schema import FAMILIES

RULES = load_rules()
CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus" / "labelled" / "train.jsonl"

# Code prefix -> (allowed categories, allowed families, folder). See docs/rules.md.
SCHEME = {
    "SP": ({"over_specification"}, {"B1"}, "specification"),
    "BP": ({"burden_of_proof"}, {"B2", "B3", "B4", "B5"}, "burden_of_proof"),
    "OC": ({"outcome_language", "procurement_design"}, {"B7"}, "outcomes"),
    "OP": ({"openness"}, set(FAMILIES), "openness"),
    "PD": ({"procurement_design"}, {"B6", "B8", "B9", "B10", "B11", "B12", "B13"},
           "procurement_design"),
    "AC": ({"over_specification", "burden_of_proof"}, {"B1", "B4"}, "arts_closure"),
}

# Floors a little below the measured rules-only scores (rules/README.md), as a regression guard.
# Measured 2026-11-25 with 84 rules: burden 0.98/0.82, openness 0.91/0.85, outcomes 0.77/0.54,
# over-specification 0.60/0.47. burden_of_proof must stay >= 0.85 precision and >= 0.80 recall.
FLOORS = {
    "burden_of_proof": (0.90, 0.80),
    "openness": (0.88, 0.82),
    "outcome_language": (0.72, 0.50),
    "over_specification": (0.55, 0.44),
}


def test_catalogue_size_and_coverage():
    assert len(RULES) >= 40
    assert {r.family for r in RULES} == set(FAMILIES), "every barrier family B1-B13 has a rule"
    assert {r.category for r in RULES} == set(CATEGORIES), "every category has a rule"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_code_scheme(rule):
    prefix, number = rule.code[:2], int(rule.code[2:])
    assert prefix in SCHEME, f"{rule.code}: unknown prefix"
    categories, families, folder = SCHEME[prefix]
    assert rule.category in categories, f"{rule.code}: category {rule.category}"
    assert rule.family in families, f"{rule.code}: family {rule.family}"
    assert Path(rule.path).parent.name == folder, f"{rule.code} belongs in rules/{folder}/"
    # 1xx: sentence patterns; 2xx: whole-document absence or quantity checks.
    assert (number >= 200) == rule.document_level, f"{rule.code}: numbering vs document level"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_text_is_complete(rule):
    for field in ("name", "message", "why", "suggestion", "citation"):
        assert len(getattr(rule, field).strip()) >= 5, f"{rule.code}: {field}"
    assert rule.polarity == ("strength" if rule.category == "openness" else rule.polarity)
    if rule.evidence_tag == "R":
        assert rule.severity in ("info", "low")
    assert len(rule.examples["pass"]) >= 2, f"{rule.code}: at least two near-miss pass examples"
    if not rule.document_level:
        assert len(rule.examples["fire"]) >= 2, f"{rule.code}: at least two fire examples"


def test_strengths_and_barriers_both_present_per_sentence_category():
    for cat in SENTENCE_CATEGORIES:
        assert any(r.category == cat for r in RULES)
    assert any(r.polarity == "strength" for r in RULES)
    assert any(r.polarity == "barrier" for r in RULES)


def test_regime_specific_citations_where_law_differs():
    with_regimes = [r for r in RULES if r.citations]
    assert len(with_regimes) >= 10
    for r in with_regimes:
        assert r.citation_for("pa2023") != r.citation_for("pcr2015") or len(r.citations) == 1


def test_employers_liability_never_flagged():
    from barrier_scan.rules.examples import run_on_text

    text = "Bidders must hold employer's liability insurance of £10 million as required by law."
    codes = {f.code for f in run_on_text(RULES, text)}
    assert not codes & {"BP112", "BP113", "BP114"}


def test_light_touch_window_never_below_statutory_minimum():
    from barrier_scan.rules.examples import run_on_text

    text = ("This notice was published on 1 March 2025 under the light touch regime.\n\n"
            "The Procurement Act 2023 applies.\n\nThe deadline for tenders is 12 March 2025.")
    fs = [f for f in run_on_text(RULES, text) if f.code == "PD204"]
    assert all(f.data.get("statutory_minimum") is None and f.severity != "high" for f in fs)


def test_parse_durations_financial_years():
    """quantities.parse_durations misses an adjective between number and unit ("two financial
    years"); checks.years_at_least works around it. Remove the xfail once quantities reads it."""
    from barrier_scan.quantities import parse_durations

    if not parse_durations("accounts for the previous two financial years"):
        pytest.xfail("quantities.parse_durations does not read 'two financial years' (worked "
                     "around in checks.years_at_least)")
    assert parse_durations("accounts for the previous two financial years")[0].days == 730


@pytest.fixture(scope="module")
def corpus_scores():
    if not CORPUS.is_file():
        pytest.skip(f"labelled corpus not found at {CORPUS} (../shared is absent)")
    from barrier_scan.rules.evaluate import evaluate_rows, read_jsonl

    scores, _, _ = evaluate_rows(read_jsonl(CORPUS))
    return scores


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_corpus_precision_recall_floors(corpus_scores, category):
    p_floor, r_floor = FLOORS[category]
    s = corpus_scores[category]
    assert s.precision >= p_floor, f"{category} precision {s.precision:.3f} < {p_floor}"
    assert s.recall >= r_floor, f"{category} recall {s.recall:.3f} < {r_floor}"
