"""The regex prefilter (barrier_scan/detect/rules/prefilter.py) is a pure speed-up: it may only skip a
regex that cannot match. Checked on every rule regex against rule examples, sample tenders and
generated text (odd case, the four case-folding special characters, literal fragments)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barrier_scan.config import Config
from barrier_scan.detect import Detector
from barrier_scan.detect.rules.prefilter import RegexPrefilter, lowered, required_literals

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engine():
    return Detector(Config(use_model=False)).engine


def _skipped_but_matching(prefilter: RegexPrefilter, regexes, text: str) -> list[str]:
    cand = set(prefilter.candidates(text))
    bad = []
    for i, rx in enumerate(regexes):
        if i in cand:
            continue
        m = rx.search(text)
        if m and m.end() > m.start():
            bad.append(rx.pattern)
    return bad


@pytest.mark.parametrize("pattern,text", [
    (r"\b(CQC|Care Quality Commission)\b", "registered with the care QUALITY commission"),
    (r"(?-i:TOMs?)\b", "our TOMs"),
    (r"\bor (an? )?(equivalent|other)\b", "or an Equivalent"),
    (r"\b\d+(\.\d+)?\s?(FTE|WTE)\b", "2.5 fte"),
    (r"(?<=£)\d+", "£100"),
    (r"\bturnover\b", "TURNOVER"),
    (r"x{2,}", "aXXb"),
    (r"(a|)b", "b"),
    (r"[k]ey", "\u212aey"),  # Kelvin sign folds to k under IGNORECASE
    (r"class", "cla\u017fs"),  # long s folds to s
])
def test_literals_are_necessary(pattern, text):
    rx = re.compile(pattern, re.IGNORECASE)
    assert rx.search(text)
    pf = RegexPrefilter([required_literals(rx)])
    assert pf.candidates(text) == [0]


def test_literals_skip_what_cannot_match():
    rx = re.compile(r"\b(minimum|at least)\b[^.;]{0,40}\bturnover\b", re.IGNORECASE)
    assert required_literals(rx) == frozenset({"turnover"})
    pf = RegexPrefilter([required_literals(rx), None])
    assert pf.candidates("No financial thresholds apply.") == [1]  # None: always a candidate
    assert pf.candidates("Minimum TURNOVER of £1m") == [0, 1]
    assert lowered("ſ") is None and lowered("Abc") == "abc"


def test_no_literals_when_unprovable():
    assert required_literals(re.compile(r"\w+\s\d")) is None
    assert required_literals(re.compile(r"(a|)b")) == frozenset({"b"})
    assert required_literals("(unbalanced") is None


def test_every_rule_regex_on_rule_examples(engine):
    ps = engine._patterns
    regexes = [rx for _, rx in ps._flat]
    texts = [e for r in engine.rules for kind in ("fire", "pass") for e in r.examples.get(kind, [])]
    assert texts and regexes
    bad = {t: b for t in texts if (b := _skipped_but_matching(ps._prefilter, regexes, t))}
    assert not bad


def test_engine_hits_unchanged_on_sample_tenders(engine):
    from barrier_scan.extract import extract
    from barrier_scan.segment import segment

    ps = engine._patterns
    real = ps._prefilter
    files = sorted(p for p in (ROOT / "sample_tenders").iterdir() if p.suffix in (".pdf", ".docx"))
    assert files
    for f in files:
        doc = extract(f)
        docs = segment(doc, keep_docs=True)
        with_pf = ps.run(doc, docs)
        try:
            ps._prefilter = RegexPrefilter([None] * len(ps._flat))
            without = ps.run(doc, docs)
        finally:
            ps._prefilter = real
        assert {k: dict(v) for k, v in with_pf.items()} == {k: dict(v) for k, v in without.items()}


_FRAGMENT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,;£%'’\u0130\u0131\u017f\u212a"


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_generated_text_never_skips_a_match(engine, data):
    ps = engine._patterns
    regexes = [rx for _, rx in ps._flat]
    lits = sorted({x for rx in regexes for x in (required_literals(rx) or ())})
    pieces = data.draw(st.lists(st.one_of(
        st.sampled_from(lits).map(lambda s: "".join(
            c.upper() if i % 2 else c for i, c in enumerate(s))),
        st.text(alphabet=_FRAGMENT_CHARS, max_size=12)), min_size=1, max_size=12))
    text = " ".join(pieces)
    assert _skipped_but_matching(ps._prefilter, regexes, text) == []
