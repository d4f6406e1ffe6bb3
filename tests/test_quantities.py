"""Tests for barrier_scan.detect.quantities: examples for every supported format, then properties."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barrier_scan.detect.quantities import (
    DAYS_PER_UNIT,
    parse_dates,
    parse_durations,
    parse_money,
    parse_percentages,
    word_number,
)

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only(items):
    assert len(items) == 1, items
    return items[0]


# --------------------------------------------------------------------------- word numbers

@pytest.mark.parametrize("words, value", [
    ("one", 1), ("twelve", 12), ("twenty", 20), ("thirty", 30), ("forty", 40), ("fifty", 50),
    ("sixty", 60), ("ninety", 90), ("twenty-five", 25), ("Ninety Nine", 99),
    ("one hundred", 100), ("one hundred and twenty", 120), ("two hundred and five", 205),
    ("one hundred and twenty thousand", 120_000), ("ten million", 10_000_000),
    ("two million five hundred thousand", 2_500_000), ("30", 30),
])
def test_word_number(words, value):
    assert word_number(words) == value


@pytest.mark.parametrize("junk", ["", "two three", "hundred", "and", "thirty and", "cat",
                                  "thousand million", "twenty twenty", None, 12])
def test_word_number_rejects_malformed(junk):
    assert word_number(junk) is None


# --------------------------------------------------------------------------- money

@pytest.mark.parametrize("text, value", [
    ("£1m", 1e6), ("£1.5m", 1.5e6), ("£1.5 million", 1.5e6), ("£1,000,000", 1e6),
    ("£1000000.00", 1e6), ("1 million pounds", 1e6), ("GBP 250,000", 250_000),
    ("£250k", 250_000), ("£250K", 250_000), ("£2bn", 2e9), ("250,000 GBP", 250_000),
    ("50000GBP", 50_000), ("ten million pounds", 1e7), ("£0.96 million", 960_000),
    ("£30,460,000.00", 30_460_000), ("£ 5,000", 5_000), ("£5mn", 5e6),
    ("sixty million pounds sterling", 6e7),
])
def test_money_formats(text, value):
    m = only(parse_money(f"The value is {text} in total."))
    assert m.value == pytest.approx(value)
    assert m.text == text
    assert not m.is_range


def test_money_restated_in_words_is_one_amount():
    m = only(parse_money("A budget of £10 million (ten million pounds) is available."))
    assert m.value == 1e7 and m.text == "£10 million"


def test_words_win_over_a_mistyped_figure():
    # Drafting convention: where a figure and its words disagree, the words are meant.
    m = only(parse_money("Total value: £120,00 (one hundred and twenty thousand pounds)."))
    assert m.value == 120_000 and m.text == "one hundred and twenty thousand pounds"


def test_money_survives_mojibake_pound_sign():
    # Windows-1252 mis-decoding of UTF-8 '£' is common in scraped notices.
    assert only(parse_money("value of Â£95,000 excluding VAT")).value == 95_000


@pytest.mark.parametrize("text, low, high", [
    ("£50,000–£75,000", 50_000, 75_000),
    ("£50,000 - £75,000", 50_000, 75_000),
    ("£50k to £75k", 50_000, 75_000),
    ("between £1m and £2m", 1e6, 2e6),
    ("£50,000 - 75,000", 50_000, 75_000),
    ("£1-2m", 1e6, 2e6),
    ("£50-75k", 50_000, 75_000),
    ("£500 to £1m", 500, 1e6),
])
def test_money_ranges(text, low, high):
    m = only(parse_money(f"Bids of {text} are expected."))
    assert m.is_range and m.low == low and m.high == high and m.value == high


def test_and_without_between_is_two_amounts():
    assert [m.value for m in parse_money("£5,000 and £7,000 respectively")] == [5_000, 7_000]


def test_money_range_needs_a_larger_second_number():
    m = only(parse_money("£50,000 - 75 staff"))
    assert not m.is_range and m.value == 50_000


@pytest.mark.parametrize("text, per", [
    ("£150,000 per annum", "year"), ("£150,000 p.a.", "year"), ("£150,000 pa", "year"),
    ("£150,000 per year", "year"), ("£150,000 a year", "year"), ("£150,000 annually", "year"),
    ("£150,000 excluding VAT per annum", "year"), ("£150,000 (excl. VAT) per annum", "year"),
    ("£5,000 per month", "month"), ("£500 per week", "week"), ("£20,000 per lot", "lot"),
    ("£150,000 for the contract", None),
])
def test_money_per(text, per):
    assert parse_money(text)[0].per == per


@pytest.mark.parametrize("text, qualifier", [
    ("up to £300,000", "max"), ("not to exceed £300,000", "max"),
    ("a maximum budget of £300,000", "max"), ("at least £300,000", "min"),
    ("in excess of £300,000", "min"), ("approximately £300,000", "approx"),
    ("circa £300,000", "approx"), ("c.450m GBP", "approx"), ("a turnover £300,000", None),
])
def test_money_qualifier(text, qualifier):
    m = parse_money(text)[0]
    assert m.qualifier == qualifier
    if qualifier == "max":
        assert m.high == m.value


@pytest.mark.parametrize("text", [
    "In 2025 the council", "clause 3.2.1 applies", "a weighting of 10%", "400 units",
    "1 million visitors", "Regulation 58(9)", "a £ sign alone", "the 1,000,000th visitor",
])
def test_not_money(text):
    assert parse_money(text) == []


# --------------------------------------------------------------------------- percentages

@pytest.mark.parametrize("text, value", [
    ("10%", 10), ("10 %", 10), ("ten per cent", 10), ("10 percent", 10), ("15 per cent", 15),
    ("12.5%", 12.5), ("twenty-five percent", 25), ("ten (10) per cent", 10), ("10 (ten) per cent", 10),
])
def test_percentage_formats(text, value):
    p = only(parse_percentages(f"Social value carries {text}. Quality follows."))
    assert p.value == value and p.text == text


def test_no_percentage_without_marker():
    assert parse_percentages("10 people per centre in 2025") == []


# --------------------------------------------------------------------------- durations

@pytest.mark.parametrize("text, days, unit", [
    ("30 days", 30, "day"), ("thirty (30) days", 30, "day"), ("45 calendar days", 45, "day"),
    ("3 years", 3 * 365, "year"), ("three years", 3 * 365, "year"), ("2 year", 730, "year"),
    ("6 months", 182.5, "month"), ("12-month", 365, "month"), ("four weeks", 28, "week"),
    ("3years", 3 * 365, "year"), ("36 months'", 3 * 365, "month"),
    ("10 working days", 14, "working day"),
])
def test_duration_formats(text, days, unit):
    d = only(parse_durations(f"It lasts {text} overall."))
    assert d.days == pytest.approx(days) and d.unit == unit and d.text == text


def test_duration_plus_structure():
    d = only(parse_durations("The contract is 2+1+1 years."))
    assert d.years == pytest.approx(4)
    assert [p / 365 for p in d.parts] == [2, 1, 1]
    assert d.initial_days == 730 and d.extension_days == 730


def test_duration_initial_term_with_extension():
    text = "An initial term of 3 years with an option to extend by 2 years."
    d = only(parse_durations(text))
    assert d.years == pytest.approx(5) and d.initial_days == 3 * 365
    assert text[d.start:d.end] == "3 years with an option to extend by 2 years"


def test_duration_times_structure():
    d = only(parse_durations("options to extend for 2 x 12 months"))
    assert d.years == pytest.approx(2) and len(d.parts) == 2


def test_separate_terms_are_not_joined():
    ds = parse_durations("Lot 1 runs for 2 years and Lot 2 for 3 years. Payment within 30 days.")
    assert [d.years for d in ds] == pytest.approx([2, 3, 30 / 365])


def test_year_numbers_are_not_durations():
    assert parse_durations("the 2025 year end") == []


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("text", [
    "1 April 2026", "1st April 2026", "April 1, 2026", "01/04/2026", "1.4.2026", "2026-04-01",
    "Wednesday 1 April 2026", "1 Apr 2026", "1st of April, 2026", "01/04/26",
])
def test_date_formats(text):
    d = only(parse_dates(f"Tenders close on {text} as stated."))
    assert d.date == dt.date(2026, 4, 1) and d.text == text and d.time is None


@pytest.mark.parametrize("text, date, time", [
    ("12:00 noon on 5 March 2026", dt.date(2026, 3, 5), dt.time(12)),
    ("22/10/2024 at 11:00", dt.date(2024, 10, 22), dt.time(11)),
    ("2pm on 14 February 2025", dt.date(2025, 2, 14), dt.time(14)),
    ("12 noon, 3rd January 2020", dt.date(2020, 1, 3), dt.time(12)),
    ("Monday 12 January 2026 at 5.30pm", dt.date(2026, 1, 12), dt.time(17, 30)),
])
def test_dates_with_times(text, date, time):
    d = only(parse_dates(f"Submit by {text}."))
    assert (d.date, d.time, d.text) == (date, time, text)


@pytest.mark.parametrize("text", ["31/02/2025", "32 January 2026", "13/13/2025", "April 2026",
                                  "clause 1.4.2", "Monday", "2026"])
def test_not_dates(text):
    assert parse_dates(text) == []


# --------------------------------------------------------------------------- properties

PLAIN_WORDS = st.lists(st.sampled_from(
    "the contract services arts council tender is for at of by with a community venue".split()),
    max_size=6).map(" ".join)
# Filler for money may hold numbers and symbols that are not money.
MONEY_FILLER = st.lists(st.sampled_from(
    "the contract value is estimated at for services 2025 clause 3.2 10% arts per annum Lot 1 VAT"
    .split()), max_size=6).map(" ".join)
TENDERISH = st.text(alphabet="£$0123456789.,-–+/:%() kKmMbnBGPgp aAdDyYeErsx\xa0\n", max_size=80)
ANY_TEXT = st.one_of(st.text(max_size=300), TENDERISH)
PARSERS = [parse_money, parse_percentages, parse_durations, parse_dates]


def embed(before: str, core: str, after: str) -> str:
    return " ".join(p for p in (before, core, after) if p)


@PROPERTY
@given(ANY_TEXT)
def test_parsers_never_raise_and_spans_match(text):
    for parse in PARSERS:
        for r in parse(text):
            assert 0 <= r.start <= r.end <= len(text)
            assert text[r.start:r.end] == r.text
    word_number(text)


def money_renderings():
    pounds = st.integers(1, 10**9).map(lambda n: (f"£{n:,}", n))
    pence = st.integers(1, 10**8).map(lambda n: (f"£{n / 100:,.2f}", n / 100))
    thousands = st.integers(1, 999).map(lambda n: (f"£{n}k", n * 1e3))
    millions = st.integers(1, 9999).map(lambda n: (f"£{n / 10:g}m", n / 10 * 1e6))
    words = st.integers(1, 999).map(lambda n: (f"£{n} million", n * 1e6))
    return st.one_of(pounds, pence, thousands, millions, words)


@PROPERTY
@given(MONEY_FILLER, money_renderings(), MONEY_FILLER)
def test_money_roundtrip(before, rendered, after):
    core, value = rendered
    text = embed(before, core, after)
    m = only(parse_money(text))
    assert m.value == pytest.approx(value, abs=0.005)
    assert m.text == core


# Independent renderer so word_number is not checked against itself.
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen " \
        "fifteen sixteen seventeen eighteen nineteen".split()
_TENS_W = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def to_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS_W[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + (" and " + to_words(rest) if rest else "")
    rest = n % 1000
    head = to_words(n // 1000) + " thousand"
    if not rest:
        return head
    return head + (" and " if rest < 100 else " ") + to_words(rest)


@PROPERTY
@given(st.integers(0, 999_999))
def test_word_number_roundtrip(n):
    assert word_number(to_words(n)) == n


def percentage_renderings():
    decimal = st.integers(0, 10000).map(lambda n: n / 100)
    numeric = st.tuples(decimal, st.sampled_from(["{}%", "{} %", "{} per cent", "{} percent"])).map(
        lambda t: (t[1].format(f"{t[0]:g}"), t[0]))
    worded = st.tuples(st.integers(1, 100), st.sampled_from(["{} per cent", "{} percent", "{}%"])).map(
        lambda t: (t[1].format(to_words(t[0])), float(t[0])))
    return st.one_of(numeric, worded)


@PROPERTY
@given(PLAIN_WORDS, percentage_renderings(), PLAIN_WORDS)
def test_percentage_roundtrip(before, rendered, after):
    core, value = rendered
    p = only(parse_percentages(embed(before, core, after)))
    assert p.value == pytest.approx(value) and p.text == core


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


DATE_FORMATS = [
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{ordinal(d.day)} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
    lambda d: f"12:00 noon on {d.day} {MONTHS[d.month - 1]} {d.year}",
]


@PROPERTY
@given(PLAIN_WORDS, st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
       st.sampled_from(DATE_FORMATS), PLAIN_WORDS)
def test_date_roundtrip(before, date, fmt, after):
    core = fmt(date)
    d = only(parse_dates(embed(before, core, after)))
    assert d.date == date and d.text == core


def duration_renderings():
    n = st.integers(1, 99)
    unit = st.sampled_from(["day", "week", "month", "year"])
    forms = st.sampled_from(["{n} {u}s", "{w} ({n}) {u}s", "{w} {u}s", "{n}-{u}", "{n} {u}"])
    return st.tuples(n, unit, forms).map(
        lambda t: (t[2].format(n=t[0], w=to_words(t[0]), u=t[1]), t[0] * DAYS_PER_UNIT[t[1]]))


@PROPERTY
@given(PLAIN_WORDS, duration_renderings(), PLAIN_WORDS)
def test_duration_roundtrip(before, rendered, after):
    core, days = rendered
    d = only(parse_durations(embed(before, core, after)))
    assert d.days == pytest.approx(days) and d.text == core


@pytest.mark.parametrize("text,days", [
    ("accounts for the previous two financial years", 730),
    ("three full years of trading", 1095),
    ("the last 3 trading years", 1095),
])
def test_durations_with_an_adjective_before_the_unit(text, days):
    assert parse_durations(text)[0].days == days
