"""The rule catalogue as a whole: coverage of families and categories, the code scheme, and a
regression guard on the labelled corpus (skipped when ../shared is absent)."""
from pathlib import Path

import pytest

from barrier_scan.detect.rules.loader import load_rules
from barrier_scan.taxonomy import (CATEGORIES, CODE_PREFIXES, DOCUMENT_LEVEL_FROM, FAMILIES,
                                   SENTENCE_CATEGORIES)

RULES = load_rules()
CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus" / "labelled" / "train.jsonl"

# Floors a little below the measured rules-only scores (rules/README.md), as a regression guard.
# Measured 2026-12-04 with 90 rules: burden 0.95/0.86, openness 0.88/0.85, outcomes 0.78/0.57,
# over-specification 0.55/0.47 (2026-11-25, 84 rules: 0.98/0.82, 0.91/0.85, 0.77/0.54, 0.60/0.47). burden_of_proof must stay >= 0.85 precision and >= 0.80 recall.
FLOORS = {
    "burden_of_proof": (0.90, 0.82),
    "openness": (0.85, 0.82),
    "outcome_language": (0.74, 0.54),
    "over_specification": (0.52, 0.44),
}


def test_readme_catalogue_is_generated_from_the_rules():
    """rules/README.md's table and counts come from the rule files (UPDATE_GOLDEN=1 rewrites)."""
    import os

    from barrier_scan.detect.rules.catalogue import replace_in

    readme = Path(__file__).parents[1] / "rules" / "README.md"
    text = readme.read_text(encoding="utf-8")
    want = replace_in(text, RULES)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        readme.write_text(want, encoding="utf-8")
    assert text == want, "rules/README.md is out of date: run UPDATE_GOLDEN=1 pytest " \
                         "tests/test_rules_catalogue.py"
    assert "| BP101 | B2 |" in text


def test_catalogue_size_and_coverage():
    assert len(RULES) >= 40
    assert {r.family for r in RULES} == set(FAMILIES), "every barrier family B1-B13 has a rule"
    assert {r.category for r in RULES} == set(CATEGORIES), "every category has a rule"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_code_scheme(rule):
    """The code scheme of barrier_scan/taxonomy.py (the loader enforces it; this states it)."""
    prefix = CODE_PREFIXES[rule.code[:2]]
    assert rule.category in prefix.categories and rule.family in prefix.families
    assert Path(rule.path).parent.name == prefix.folder, f"{rule.code} belongs in rules/{prefix.folder}/"
    # 1xx: sentence patterns; 2xx: whole-document absence or quantity checks.
    assert (int(rule.code[2:]) >= DOCUMENT_LEVEL_FROM) == rule.document_level


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
    from barrier_scan.detect.rules.examples import run_on_text

    text = "Bidders must hold employer's liability insurance of £10 million as required by law."
    codes = {f.code for f in run_on_text(RULES, text)}
    assert not codes & {"BP112", "BP113", "BP114"}


def test_light_touch_window_never_below_statutory_minimum():
    from barrier_scan.detect.rules.examples import run_on_text

    text = ("This notice was published on 1 March 2025 under the light touch regime.\n\n"
            "The Procurement Act 2023 applies.\n\nThe deadline for tenders is 12 March 2025.")
    fs = [f for f in run_on_text(RULES, text) if f.code == "PD204"]
    assert all(f.data.get("statutory_minimum") is None and f.severity != "high" for f in fs)


def test_parse_durations_financial_years():
    """quantities.parse_durations misses an adjective between number and unit ("two financial
    years"); checks.years_at_least works around it. Remove the xfail once quantities reads it."""
    from barrier_scan.detect.quantities import parse_durations

    if not parse_durations("accounts for the previous two financial years"):
        pytest.xfail("quantities.parse_durations does not read 'two financial years' (worked "
                     "around in checks.years_at_least)")
    assert parse_durations("accounts for the previous two financial years")[0].days == 730


@pytest.fixture(scope="module")
def corpus_scores():
    if not CORPUS.is_file():
        pytest.skip(f"labelled corpus not found at {CORPUS} (../shared is absent)")
    from barrier_scan.evaluation.evaluate import evaluate_file

    return evaluate_file(CORPUS, rules_only=True)["rules"]["per_label"]


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_corpus_precision_recall_floors(corpus_scores, category):
    p_floor, r_floor = FLOORS[category]
    s = corpus_scores[category]
    assert s["precision"] >= p_floor, f"{category} precision {s['precision']:.3f} < {p_floor}"
    assert s["recall"] >= r_floor, f"{category} recall {s['recall']:.3f} < {r_floor}"
