"""Evidence is the document's own words (#16): quotes cover whole words and include the named
product, supplier, figure or period; whole-document findings quote nothing and explain themselves
in ``detail``; the tender-window finding points to where its dates are stated."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from barrier_scan import Config, scan_file, scan_text
from barrier_scan.detect.rules.spans import quote_span

SAMPLES = Path(__file__).parents[1] / "sample_tenders"
RULES = Config(use_model=False)


def quote(text: str, code: str) -> str:
    found = [f for f in scan_text(text, RULES).findings if f.code == code]
    assert found, f"{code} did not fire on {text!r}"
    return found[0].evidence.text


@pytest.mark.parametrize("sentence,code,want", [
    # a regex that stops after the capital letter of the name ("must use L")
    ("The Provider must use Lamplight for recording referrals and case notes.", "SP101",
     "must use Lamplight"),
    ("Sessions must use the memory box kits supplied by RemiCraft Ltd, which the provider buys.",
     "SP101", "supplied by RemiCraft Ltd"),
    # the rest of a capitalised name after the trigger
    ("The lead practitioner must hold Accredited Reminiscence Practitioner status.", "BP123",
     "must hold Accredited Reminiscence Practitioner"),
    # the figure and the period the requirement is about
    ("Bidders must have a minimum annual turnover of £2,000,000 in each of the last three "
     "financial years.", "BP101", "minimum annual turnover of £2,000,000"),
    ("All subcontracted artists must hold public liability insurance of £2 million.", "BP116",
     "insurance of £2 million"),
    ("Bidders must have delivered at least two contracts for a local authority or NHS body in "
     "the last three years, each with a value of £50,000 or more.", "BP122",
     "two contracts for a local authority or NHS body in the last three years"),
])
def test_quote_is_whole_words_and_names_the_thing(sentence, code, want):
    assert quote(sentence, code) == want


def _cut(sentence: str, text: str) -> bool:
    i = sentence.find(text)
    j = i + len(text)
    return (i > 0 and sentence[i - 1].isalnum() and text[:1].isalnum()) or \
        (j < len(sentence) and sentence[j].isalnum() and text[-1:].isalnum())


@pytest.fixture(scope="module")
def sample_results():
    return [scan_file(p, RULES) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".pdf", ".docx")]


def test_no_quote_in_the_samples_cuts_a_word(sample_results):
    checked = 0
    for r in sample_results:
        for f in r.findings:
            ev = f.evidence
            if ev.whole_document:
                continue
            assert ev.text and ev.text in ev.sentence, (r.path, f.code, ev.text)
            assert not _cut(ev.sentence, ev.text), (r.path, f.code, ev.text, ev.sentence)
            assert ev.text == ev.text.strip()
            checked += 1
    assert checked > 100


def test_whole_document_findings_quote_nothing_and_explain_in_detail(sample_results):
    whole = [f for r in sample_results for f in r.findings if f.evidence.whole_document]
    assert {f.code for f in whole} >= {"PD201", "OC201"}
    for f in whole:
        assert f.evidence.text == "" and f.evidence.section is None, f
        assert f.detail.startswith("nothing found in the whole document ("), f
        assert "sentences read" not in f.message


def test_tender_window_points_to_the_deadline_and_the_publication_date(tmp_path):
    doc = tmp_path / "itt.md"
    doc.write_text("# Invitation to tender\n\nThis notice was published on 1 March 2025.\n\n"
                   "The provider will run twelve workshops for older people.\n\n"
                   "The deadline for tenders is 20 March 2025 at noon.\n", encoding="utf-8")
    r = scan_file(doc, RULES)
    f = next(f for f in r.findings if f.code == "PD204")
    assert f.evidence.text == "20 March 2025 at noon"
    assert f.evidence.sentence == "The deadline for tenders is 20 March 2025 at noon."
    assert f.evidence.paragraph == 4
    assert [(e.text, e.paragraph) for e in f.related] == [("1 March 2025", 2)]
    assert f.detail.startswith("19-day tender window (01 Mar 2025 to 20 Mar 2025)")
    # round trip through the report's JSON (cache entries, saved reports)
    from barrier_scan.findings import finding_from_dict
    assert finding_from_dict(f.to_dict()) == f


def test_sentence_quantity_findings_carry_their_detail():
    f = next(f for f in scan_text("The contract is worth £100,000 per annum.\n\nBidders must have "
                                  "a minimum annual turnover of £1,000,000.", RULES).findings
             if f.code == "BP102")
    assert "10.0×" in f.detail and f.detail in f.message and f.evidence.text == "£1,000,000"


WORDS = st.lists(st.sampled_from(["must", "use", "Lamplight", "by", "RemiCraft", "Ltd", "£2,000",
                                  "of", "three", "years", "co-designed", "x", "A.B.", ","]),
                 min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(WORDS, st.data())
def test_quote_span_only_ever_widens_to_whole_words(words, data):
    text = " ".join(words)
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    s, e = quote_span(text, (a, b))
    assert 0 <= s <= e <= len(text)
    quoted = text[s:e]
    if quoted:
        assert quoted == quoted.strip()
        assert not (s > 0 and text[s - 1].isalnum() and text[s].isalnum())
        assert not (e < len(text) and text[e - 1].isalnum() and text[e].isalnum())
        # never loses a word character of the trigger
        core = text[a:b].strip(" ,.;:(")
        assert core == "" or core in quoted
