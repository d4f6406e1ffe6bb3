"""Property-based tests (hypothesis) for what hostile text can reach: quantity parsing and
sentence segmentation offsets.

tests/test_quantities.py already checks that the parsers never raise on short arbitrary text and
that each span's text matches; this file adds what it does not cover: results in order and not
overlapping, values finite (``inf`` made the JSON report invalid) and non-negative, very long
digit runs, and the offsets of segmented sentences.
"""
from __future__ import annotations

import datetime as dt
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barrier_scan.document import Block, Document
from barrier_scan.detect.quantities import (
    parse_dates,
    parse_durations,
    parse_money,
    parse_percentages,
    word_number,
)
from barrier_scan.segment import CHUNK_CHARS, segment, segment_text

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

TOKENS = ("£5m £250,000 £1.5 million 10% 12.5 per cent 3 years 2+1+1 years 6 months 1 April 2026 "
          "01/04/2026 2026-04-01 up to between and to from per annum per lot million k thousand "
          "percent of the 12:00 noon on - – / ( ) , . ; : thirty (30) twenty-five days weeks").split()
TENDER_WORDS = st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join)
LONG_DIGITS = st.tuples(st.sampled_from(["£", "", "$", "GBP "]), st.integers(300, 6000),
                        st.sampled_from(["", "%", " per cent", " million", "m", " years", " days"])
                        ).map(lambda t: f"turnover of {t[0]}{'9' * t[1]}{t[2]} required")
ANY = st.one_of(st.text(max_size=400), TENDER_WORDS, LONG_DIGITS,
                st.text(alphabet="£0123456789.,%-– kKmM\xa0()/:", max_size=200))


def _ordered_disjoint(items) -> bool:
    return all(a.end <= b.start for a, b in zip(items, items[1:]))


@PROPERTY
@given(ANY)
def test_quantities_ordered_disjoint_finite(text):
    for parse in (parse_money, parse_percentages, parse_durations, parse_dates):
        found = parse(text)
        assert _ordered_disjoint(found), (parse.__name__, found)
        for r in found:
            assert 0 <= r.start < r.end <= len(text) and text[r.start:r.end] == r.text
    for m in parse_money(text):
        assert math.isfinite(m.value) and m.value >= 0, m
        if m.is_range:
            assert m.low is not None and m.high is not None and 0 <= m.low <= m.high, m
        assert m.per in (None, "year", "month", "week", "lot", "day", "hour", "session", "annum"), m.per
    for p in parse_percentages(text):
        assert math.isfinite(p.value) and p.value >= 0, p
    for d in parse_durations(text):
        assert math.isfinite(d.days) and d.days >= 0, d
        if d.parts:
            assert math.isclose(sum(d.parts), d.days, rel_tol=1e-9), d
    for d in parse_dates(text):
        assert isinstance(d.date, dt.date) and 1900 <= d.date.year <= 2099
        assert d.time is None or isinstance(d.time, dt.time)
    # whatever was found can go into a strict JSON report
    json.dumps([[m.value for m in parse_money(text)], [p.value for p in parse_percentages(text)],
                [d.days for d in parse_durations(text)]], allow_nan=False)


@PROPERTY
@given(st.text(alphabet="0123456789", min_size=1, max_size=6000))
def test_word_number_never_raises_on_digit_runs(digits):
    v = word_number(digits)
    assert v is None or (v == int(digits) and len(digits) <= 30)


# --------------------------------------------------------------------------- segmentation

BLOCK_TEXT = st.one_of(
    st.text(max_size=500),
    st.lists(st.sampled_from(
        ["Bidders must", "e.g.", "St. Ives", "3.2", "£5m.", "Yes.", "No!", "Why?", "(a)", "•", "▪",
         ";", ":", "\n", "  ", "\t", "\u00a0", "...", "Mr.", "i.e.", "etc.", "U.K.", "a" * 80]),
        max_size=60).map(" ".join),
    st.text(alphabet="ab .;:•\n", min_size=550, max_size=1500),  # long: exercises _split_long
)


def _check_sentences(blocks: list[str], sentences) -> None:
    last = (-1, -1)
    for s in sentences:
        text = blocks[s.block_index]
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert (s.block_index, s.start) >= last, "sentences out of order or overlapping"
        last = (s.block_index, s.end)
    # nothing lost: every visible character of a block is in a sentence
    covered: dict[int, set[int]] = {}
    for s in sentences:
        covered.setdefault(s.block_index, set()).update(range(s.start, s.end))
    for i, text in enumerate(blocks):
        for j, ch in enumerate(text):
            if not ch.isspace():
                assert j in covered.get(i, ()), (i, j, ch, text)


@PROPERTY
@given(st.lists(BLOCK_TEXT, min_size=1, max_size=6))
def test_segment_offsets_point_into_blocks(texts):
    doc = Document(path="<prop>", format="text", blocks=[Block(text=t) for t in texts])
    segment(doc)
    _check_sentences(texts, doc.sentences)


@PROPERTY
@given(BLOCK_TEXT)
def test_segment_text_offsets(text):
    _check_sentences([text], segment_text(text))


def test_very_long_block_is_segmented_to_its_end():
    text = ("Bidders must hold insurance. " * 8000)[: 2 * CHUNK_CHARS + 5000]
    doc = Document(path="<long>", format="text", blocks=[Block(text=text)])
    segment(doc)
    _check_sentences([text], doc.sentences)
    assert doc.sentences[-1].end == len(text.rstrip())
