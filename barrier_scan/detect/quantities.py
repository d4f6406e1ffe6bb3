"""Numbers in English tender prose: money, percentages, durations and dates.

Every result carries ``start``/``end`` offsets into the string it was parsed from, with
``text[start:end] == result.text``, so a finding can quote exactly what was read.

The parsers never raise. Tender text is messy (PDF extraction, mojibake such as "Â£",
stray clause numbers), and one unreadable number must cost one mention, not the document.
All patterns are compiled with ``re.ASCII``: with Unicode case-folding, "ſ" matches "s" and
the Kelvin sign matches "k", which would let odd input reach lookups that expect plain ASCII.
Non-breaking and thin spaces, common in PDF text, are matched explicitly instead.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field

__all__ = [
    "Money",
    "Percentage",
    "Duration",
    "DateMention",
    "parse_money",
    "parse_percentages",
    "parse_durations",
    "parse_dates",
    "word_number",
]

_FLAGS = re.ASCII | re.IGNORECASE

# Whitespace as found in extracted documents: ASCII plus no-break, thin and narrow no-break.
_SP = r"[ \t\r\n\f\v\xa0\u2009\u202f]"
_DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2212]"  # hyphen, en/em dashes, minus

# A decimal number that does not start in the middle of another number. The second
# lookbehind still lets "c.450m" through while refusing "234" inside "1,234".
_DIGITS = r"(?<![0-9])(?<![0-9][.,])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_PLAIN_DIGITS = r"(?<![0-9])(?<![0-9][.,])[0-9]+(?:\.[0-9]+)?"


# ---------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine".split())}
_TEENS = {w: i + 10 for i, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: (i + 2) * 10 for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Longest first, so the alternation tries "seventeen" before "seven".
_WORD_ALTS = "|".join(sorted([*_UNITS, *_TEENS, *_TENS, "hundred", *_SCALES], key=len, reverse=True))
_WORD = rf"(?:{_WORD_ALTS})(?![a-z])"
# A run of number words: "twenty-five", "one hundred and twenty thousand". The run is capped
# (no real amount needs more words) so a page of "one one one ..." cannot go quadratic.
_WORDS = rf"(?<![a-z]){_WORD}(?:(?:{_SP}+|-)(?:and{_SP}+)?{_WORD}){{0,12}}"


def word_number(s: str) -> int | None:
    """Value of a whole number written in English words, or ``None``.

    Accepts "thirty", "twenty-five", "one hundred and twenty thousand", "two million five
    hundred thousand"; plain ASCII digits ("30") are accepted too so callers can pass either
    half of "thirty (30)". Malformed sequences such as "two three" give ``None`` rather than
    a guessed sum, because a wrong number in a finding is worse than a missing one.
    """
    if not isinstance(s, str):
        return None
    s = s.strip().lower()
    if re.fullmatch(r"[0-9]+", s, re.ASCII):
        return int(s) if len(s) <= 30 else None  # int() refuses > 4300 digits; no real count is that long
    tokens = [t for t in re.split(r"[\s\-\xa0]+", s) if t]
    if not tokens:
        return None
    total = current = 0
    last = None  # kind of the previous number token
    last_scale = float("inf")
    for i, tok in enumerate(tokens):
        if tok == "and":
            # British "one hundred and twenty": only after hundred/thousand, never at the end.
            if last not in ("hundred", "scale") or i == len(tokens) - 1:
                return None
            continue
        if tok in _UNITS:
            if last in ("unit", "teen"):
                return None
            current += _UNITS[tok]
            last = "unit"
        elif tok in _TEENS or tok in _TENS:
            if last in ("unit", "teen", "tens"):
                return None
            current += _TEENS.get(tok) or _TENS[tok]
            last = "teen" if tok in _TEENS else "tens"
        elif tok == "hundred":
            if last != "unit" or not 1 <= current <= 9:
                return None
            current *= 100
            last = "hundred"
        elif tok in _SCALES:
            scale = _SCALES[tok]
            if current == 0 or scale >= last_scale:
                return None
            total += current * scale
            current, last, last_scale = 0, "scale", scale
        else:
            return None
    return total + current


def _number(text: str) -> float | None:
    """Float value of digits ("1,250.50") or words ("thirty"), else None."""
    t = text.strip()
    if t and t[0].isdigit():
        try:
            v = float(t.replace(",", ""))
        except ValueError:
            return None
        return v if math.isfinite(v) else None  # 400 digits -> inf, which JSON cannot carry
    w = word_number(t)
    return float(w) if w is not None else None


# "thirty (30)", "30 (thirty)", "30", "thirty": the written form is often doubled in contracts.
_COUNT = (
    rf"(?:(?P<w1>{_WORDS}){_SP}*\({_SP}*(?P<d1>[0-9]+(?:\.[0-9]+)?){_SP}*\)"
    rf"|(?P<d2>{_PLAIN_DIGITS}){_SP}*\({_SP}*(?P<w2>{_WORDS}){_SP}*\)"
    rf"|(?P<d3>{_PLAIN_DIGITS})"
    rf"|(?P<w3>{_WORDS}))"
)


def _count_value(m: re.Match) -> float | None:
    """Value of a _COUNT match; digits win when both forms are written."""
    for g in ("d1", "d2", "d3"):
        if m.group(g):
            return _number(m.group(g))
    for g in ("w1", "w2", "w3"):
        if m.group(g):
            return _number(m.group(g))
    return None


def _resolve_overlaps(items: list) -> list:
    """Keep the earliest, then longest, of overlapping matches; sorted by start."""
    out = []
    for it in sorted(items, key=lambda x: (x.start, -(x.end - x.start))):
        if out and it.start < out[-1].end:
            continue
        out.append(it)
    return out


# ---------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Money:
    """An amount in GBP.

    ``value`` is the upper bound for ranges ("£50k–£75k" -> 75000): a buyer is held to the
    most it says it may spend, and comparing requirements against the larger figure keeps
    proportionality checks from over-flagging. ``qualifier`` is 'max' ("up to", "maximum"),
    'min' ("at least", "in excess of") or 'approx' ("circa", "approximately").
    ``per`` is the period or unit the amount is quoted for, when it follows the amount.
    """

    value: float
    start: int
    end: int
    text: str
    per: str | None = None  # 'year' | 'month' | 'week' | 'lot' | None
    is_range: bool = False
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None


_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6,
         "bn": 1e9, "billion": 1e9}
# Letter suffixes must touch the number ("£5m"); a spaced "£5 m" is too often something else.
_MULT_RE = rf"(?:(?P<{{g}}>k|mn|m|bn)(?![a-z0-9])|{_SP}*(?P<{{g}}w>thousand|million|billion|mil)(?![a-z]))"


def _mult_re(g: str) -> str:
    return _MULT_RE.format(g=g)


_POUNDS_WORD = rf"(?:pounds?(?:{_SP}+sterling)?|sterling|GBP)(?![a-z])"
_MONEY_RE = re.compile(
    # £250k, GBP 1.5 million, £ 1,000
    rf"(?:£|(?<![a-z])GBP(?![a-z])){_SP}*(?P<n1>{_DIGITS}){_mult_re('m1')}?"
    # 50000GBP, 1 million pounds, c.450m GBP
    rf"|(?P<n2>{_DIGITS}){_mult_re('m2')}?{_SP}*{_POUNDS_WORD}"
    # ten million pounds
    rf"|(?P<w3>{_WORDS}){_SP}+{_POUNDS_WORD}",
    _FLAGS,
)

_WORD_MONEY_RE = re.compile(rf"{_WORDS}{_SP}+{_POUNDS_WORD}", _FLAGS)

# Second half of a range written without its own currency sign: "£50,000 - 75,000", "£1-2m".
_RANGE_TAIL_RE = re.compile(
    rf"{_SP}*(?:{_DASH}|to){_SP}*(?:£{_SP}*)?(?P<n>{_DIGITS}){_mult_re('m')}?", _FLAGS)
_RANGE_GAP_RE = re.compile(rf"{_SP}*(?:{_DASH}|to|and){_SP}*", _FLAGS)
_BETWEEN_RE = re.compile(rf"(?:between|from){_SP}+\Z", _FLAGS)
# Between a figure and its restatement; a stray ",00" is a mistyped figure ("£120,00").
_PAREN_GAP_RE = re.compile(rf"(?:[,.][0-9]{{1,2}})?{_SP}*\({_SP}*", _FLAGS)

_VAT = (rf"(?:\(?{_SP}*(?:excl(?:uding|usive{_SP}+of|\.)?|ex\.?|exc\.?|inc(?:l(?:uding|usive{_SP}+of|\.)?)?"
        rf"|plus|\+|net{_SP}+of){_SP}*VAT{_SP}*\)?)")
_PER_RE = re.compile(
    rf"{_SP}*(?:{_VAT}{_SP}*)?,?{_SP}*(?:"
    rf"(?P<year>per{_SP}+annum|p\.{_SP}?a\.?|pa|per{_SP}+(?:calendar{_SP}+)?year|a{_SP}+year|each{_SP}+year"
    rf"|every{_SP}+year|annually|yearly|/{_SP}*(?:year|yr|annum|pa))"
    rf"|(?P<month>per{_SP}+(?:calendar{_SP}+)?month|a{_SP}+month|each{_SP}+month|monthly|pcm|/{_SP}*(?:month|mth))"
    rf"|(?P<week>per{_SP}+week|a{_SP}+week|each{_SP}+week|weekly|/{_SP}*(?:week|wk))"
    rf"|(?P<lot>per{_SP}+lot|each{_SP}+lot|for{_SP}+each{_SP}+lot|/{_SP}*lot))(?![a-z])",
    _FLAGS,
)

# Qualifiers read from the ~40 characters just before an amount.
_QUALIFIER_RES = [
    ("max", re.compile(
        rf"(?<![a-z])(?:up{_SP}+to|not{_SP}+(?:to{_SP}+)?exceed(?:ing)?|no{_SP}+more{_SP}+than|capped{_SP}+at"
        rf"|ceiling{_SP}+of|at{_SP}+most|less{_SP}+than|maximum|max\.?|(?:maximum|max\.?)"
        rf"(?:{_SP}+[a-z]+){{1,3}}?{_SP}+(?:of|is))(?:{_SP}+(?:a|an|the))?{_SP}*:?{_SP}*\Z", _FLAGS)),
    ("min", re.compile(
        rf"(?<![a-z])(?:at{_SP}+least|minimum(?:{_SP}+of)?|min\.?|in{_SP}+excess{_SP}+of|more{_SP}+than|over"
        rf"|exceeding|above|no{_SP}+less{_SP}+than)(?:{_SP}+(?:a|an|the))?{_SP}*:?{_SP}*\Z", _FLAGS)),
    ("approx", re.compile(
        rf"(?<![a-z])(?:approx(?:imately|\.)?|circa|c\.?|ca\.|around|about|roughly|in{_SP}+the{_SP}+region{_SP}+of"
        rf"|estimated{_SP}+at|some|~){_SP}*\Z", _FLAGS)),
]


def _amount(num: str | None, mult_letter: str | None, mult_word: str | None) -> float | None:
    if not num:
        return None
    v = _number(num)
    if v is None:
        return None
    key = (mult_letter or mult_word or "").lower()
    v *= _MULT.get(key, 1.0)
    return v if math.isfinite(v) else None


def _single_money(text: str) -> list[Money]:
    """Amounts written with a currency marker, one per mention, before range merging."""
    out = []
    for m in _MONEY_RE.finditer(text):
        if m.group("n1"):
            v = _amount(m.group("n1"), m.group("m1"), m.group("m1w"))
        elif m.group("n2"):
            v = _amount(m.group("n2"), m.group("m2"), m.group("m2w"))
        else:
            v = _number(m.group("w3"))
        if v is None:
            continue
        out.append(Money(round(v, 2), m.start(), m.end(), m.group(0)))
    return out


def _multiplier_of(text: str) -> float:
    """Factor of the k/m/bn/million suffix an amount was written with (1 if none)."""
    m = re.search(r"(k|mn|m|bn|thousand|million|billion|mil)\s*(?:gbp|pounds?(?:\s+sterling)?|sterling)?\Z",
                  text.strip(), _FLAGS)
    return _MULT.get(m.group(1).lower(), 1.0) if m else 1.0


def _merge_ranges(text: str, singles: list[Money]) -> list[Money]:
    """Join "£a – £b", "£a to £b", "between £a and £b" and "£a-b[k]" into range Money."""
    out: list[Money] = []
    i = 0
    while i < len(singles):
        a = singles[i]
        b = singles[i + 1] if i + 1 < len(singles) else None
        if b is not None:
            gap = text[a.end:b.start]
            is_and = re.fullmatch(rf"{_SP}*and{_SP}*", gap, _FLAGS) is not None
            between = _BETWEEN_RE.search(text, max(0, a.start - 20), a.start) is not None
            if _RANGE_GAP_RE.fullmatch(gap) and (not is_and or between):
                out.append(_range(text, a, b.value, b.end, _multiplier_of(b.text)))
                i += 2
                continue
        tail = _RANGE_TAIL_RE.match(text, a.end)
        # Only when the next currency mention does not start inside the tail.
        if tail and (b is None or b.start >= tail.end()):
            hv = _amount(tail.group("n"), tail.group("m"), tail.group("mw"))
            if hv is not None:
                mult = _MULT.get((tail.group("m") or tail.group("mw") or "").lower(), 1.0)
                r = _range(text, a, hv, tail.end(), mult)
                if r.is_range:
                    out.append(r)
                    i += 1
                    continue
        out.append(a)
        i += 1
    return out


def _range(text: str, a: Money, high: float, end: int, high_mult: float) -> Money:
    low = a.value
    # "£1-2m", "£50-75k": a multiplier written once applies to both ends -- but only when the
    # bare low number is below the high one as written, so "£500 to £1m" stays £500.
    if high_mult > 1 and _multiplier_of(a.text) == 1 and low < high / high_mult:
        low *= high_mult
    if high < low:  # "£50,000 - 75 staff" is not a range of money
        return a
    return Money(round(high, 2), a.start, end, text[a.start:end], is_range=True,
                 low=round(low, 2), high=round(high, 2))


def _drop_restatements(text: str, items: list[Money]) -> list[Money]:
    """Keep one amount where a figure is restated in words: "£10 million (ten million pounds)".

    When the two disagree ("£120,00 (one hundred and twenty thousand pounds)") the words win,
    as they do in contract drafting: digits are the ones that get mistyped.
    """
    out: list[Money] = []
    for it in items:
        prev = out[-1] if out else None
        if prev is not None and _PAREN_GAP_RE.fullmatch(text[prev.end:it.start]):
            if abs(prev.value - it.value) <= 0.01 * max(prev.value, 1.0):
                continue
            if _WORD_MONEY_RE.fullmatch(it.text):
                out[-1] = it
                continue
        out.append(it)
    return out


def parse_money(text: str) -> list[Money]:
    """All GBP amounts in ``text``, in order, with ranges joined and periods attached.

    Needs a currency marker (£, GBP, pounds, sterling): a bare "2025" or "3.2" is never
    money. ``per`` is read from words right after the amount ("per annum", "p.a.",
    "a year", "annually", "per month", "per lot"), allowing a VAT remark in between.
    """
    if not isinstance(text, str) or not text:
        return []
    singles = _drop_restatements(text, _single_money(text))
    result = []
    for mo in _merge_ranges(text, singles):
        per = None
        pm = _PER_RE.match(text, mo.end)
        if pm:
            per = next(k for k in ("year", "month", "week", "lot") if pm.group(k))
        qualifier = None
        before = text[max(0, mo.start - 40):mo.start]
        for name, rx in _QUALIFIER_RES:
            if rx.search(before):
                qualifier = name
                break
        high = mo.high if mo.is_range else (mo.value if qualifier == "max" else None)
        low = mo.low if mo.is_range else (mo.value if qualifier == "min" else None)
        result.append(Money(mo.value, mo.start, mo.end, mo.text, per, mo.is_range, low, high,
                            qualifier))
    return result


# ---------------------------------------------------------------------------------------
# Percentages
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Percentage:
    """A percentage on the 0-100 scale ("10%" -> 10.0)."""

    value: float
    start: int
    end: int
    text: str


_PERCENT_RE = re.compile(
    rf"{_COUNT}{_SP}*(?:%|per{_SP}?cent(?![a-z])|percent(?![a-z])|pct(?![a-z]))", _FLAGS)


def parse_percentages(text: str) -> list[Percentage]:
    """Percentages written as "10%", "10 %", "ten per cent", "10 percent", "ten (10) per cent"."""
    if not isinstance(text, str) or not text:
        return []
    out = []
    for m in _PERCENT_RE.finditer(text):
        v = _count_value(m)
        if v is not None:
            out.append(Percentage(v, m.start(), m.end(), m.group(0)))
    return out


# ---------------------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------------------

DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": 365.0 / 12, "year": 365.0}
# "10 working days" are two calendar weeks; ``days`` is calendar-equivalent so that a
# payment term of "30 working days" compares as longer than the 30-day statutory term.
WORKING_DAY = 7.0 / 5.0


@dataclass(frozen=True)
class Duration:
    """A length of time. ``days`` is the calendar-equivalent total.

    ``unit`` is what was written ('day', 'working day', 'week', 'month', 'year') and
    ``value`` the total in that unit. ``parts`` (in days) is set when the mention has an
    initial term and extensions ("2+1+1 years", "3 years with an option to extend by
    2 years"): ``parts[0]`` is the initial term, the rest are the extension periods, and
    ``days`` is their sum, the longest the arrangement can last.
    """

    days: float
    start: int
    end: int
    text: str
    unit: str
    value: float = 0.0
    parts: tuple[float, ...] = field(default=())

    @property
    def years(self) -> float:
        return self.days / 365.0

    @property
    def initial_days(self) -> float:
        return self.parts[0] if self.parts else self.days

    @property
    def extension_days(self) -> float:
        return self.days - self.initial_days


_UNIT = (rf"(?:{_SP}*{_DASH}?{_SP}*)"
         rf"(?P<qual>(?:calendar|working|business|clear|further|additional|more|extra|consecutive"
         rf"|optional|subsequent|financial|full|complete|trading|accounting){_SP}*{_DASH}?{_SP}*)?"
         rf"(?P<unit>day|week|month|year|yr)s?'?(?![a-z])")
_DURATION_RE = re.compile(
    rf"(?:(?P<plus>{_PLAIN_DIGITS}(?:{_SP}*\+{_SP}*[0-9]+(?:\.[0-9]+)?){{1,10}})"
    rf"|(?P<times_n>{_PLAIN_DIGITS}){_SP}*[x\u00d7]{_SP}*(?P<times_v>[0-9]+(?:\.[0-9]+)?)"
    rf"|{_COUNT}){_UNIT}",
    _FLAGS,
)
# Words between an initial term and an extension: "with an option to extend by".
_EXTENSION_GAP_RE = re.compile(
    r"extend|extension|further|additional|optional|option|plus|\+|renew", _FLAGS)
_SENTENCE_BREAK_RE = re.compile(r"[.;!?](?:\s|$)")
_MAX_DAYS = 100 * 365.0  # "the 2025 year end" is not a 2025-year contract


def _simple_durations(text: str) -> list[Duration]:
    out = []
    for m in _DURATION_RE.finditer(text):
        unit = m.group("unit").lower()
        unit = "year" if unit == "yr" else unit
        qual = (m.group("qual") or "").lower()
        per_unit = DAYS_PER_UNIT[unit]
        if unit == "day" and ("working" in qual or "business" in qual):
            unit, per_unit = "working day", WORKING_DAY
        if m.group("plus"):
            nums = [float(x) for x in re.split(r"[^0-9.]+", m.group("plus")) if x]
        elif m.group("times_n"):
            n = float(m.group("times_n"))
            nums = [float(m.group("times_v"))] * int(n) if n == int(n) and 1 <= n <= 20 else []
        else:
            v = _count_value(m)
            nums = [v] if v is not None else []
        if not nums or len(nums) > 20:
            continue
        total = sum(nums)
        if total <= 0 or total * per_unit > _MAX_DAYS:
            continue
        parts = tuple(n * per_unit for n in nums) if len(nums) > 1 else ()
        out.append(Duration(total * per_unit, m.start(), m.end(), m.group(0), unit, total, parts))
    return out


def _merge_extensions(text: str, items: list[Duration]) -> list[Duration]:
    """Join "initial term of 3 years ... extend by a further 2 years" into one Duration.

    Only month/year terms are joined (contract terms), only within one sentence and when
    the words in between or the second mention speak of an extension.
    """
    out: list[Duration] = []
    for d in items:
        prev = out[-1] if out else None
        if (prev is not None and prev.unit in ("month", "year") and d.unit in ("month", "year")
                and d.start - prev.end <= 120):
            gap = text[prev.end:d.start]
            if not _SENTENCE_BREAK_RE.search(gap) and _EXTENSION_GAP_RE.search(gap + " " + d.text):
                parts = (prev.parts or (prev.days,)) + (d.parts or (d.days,))
                days = sum(parts)
                out[-1] = Duration(days, prev.start, d.end, text[prev.start:d.end], prev.unit,
                                   days / DAYS_PER_UNIT[prev.unit], parts)
                continue
        out.append(d)
    return out


def parse_durations(text: str) -> list[Duration]:
    """Durations: "30 days", "thirty (30) days", "45 calendar days", "10 working days",
    "3 years", "12-month", "four weeks", "2+1+1 years", "2 x 12 months", and an initial
    term joined with its extension ("3 years with an option to extend by 2 years")."""
    if not isinstance(text, str) or not text:
        return []
    return _merge_extensions(text, _simple_durations(text))


# ---------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DateMention:
    """A calendar date, with the time of day when one is written next to it."""

    date: _dt.date
    start: int
    end: int
    text: str
    time: _dt.time | None = None


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])")
_WEEKDAY = (r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
            r"\.?,?")
_DAY_NUM = r"(?<![0-9])(?P<day>3[01]|[12][0-9]|0?[1-9])"
_DAY = _DAY_NUM + r"(?:st|nd|rd|th)?(?![0-9])"
_YEAR = r"(?P<year>(?:19|20)[0-9]{2})(?![0-9])"

_DATE_RES = [
    # 1 April 2026, 1st April 2026, Monday 12 January 2026, 1st of April, 2026, 1-Apr-2026
    re.compile(rf"(?:(?<![a-z]){_WEEKDAY}{_SP}+(?:the{_SP}+)?)?{_DAY}(?:{_SP}+of)?(?:{_SP}*{_DASH}{_SP}*|{_SP}+)"
               rf"{_MONTH},?(?:{_SP}*{_DASH}{_SP}*|{_SP}+){_YEAR}", _FLAGS),
    # April 1, 2026; Monday, April 1st 2026
    re.compile(rf"(?:(?<![a-z]){_WEEKDAY}{_SP}+)?(?<![a-z]){_MONTH}{_SP}+{_DAY},?{_SP}+{_YEAR}", _FLAGS),
    # 01/04/2026, 1.4.2026, 1-4-2026, 01/04/26 (day first, as UK documents write them)
    re.compile(rf"(?<![0-9./]){_DAY_NUM}(?P<sep>[/.\-])(?P<month>1[0-2]|0?[1-9])"
               rf"(?P=sep)(?P<year>(?:19|20)[0-9]{{2}}|(?<=/)[0-9]{{2}})(?![0-9]|[./\-][0-9])", _FLAGS),
    # 2026-04-01
    re.compile(r"(?<![0-9\-])(?P<year>(?:19|20)[0-9]{2})-(?P<month>1[0-2]|0[1-9])-(?P<day>3[01]|[12][0-9]|0[1-9])"
               r"(?![0-9])", _FLAGS),
]

_TIME = (rf"(?:(?P<h>2[0-3]|[01]?[0-9])[:.](?P<mi>[0-5][0-9])(?:{_SP}*(?P<ap>[ap]\.m\.|[ap]m|hrs|hours|h)(?![a-z]))?"
         rf"(?:{_SP}*(?P<noon>noon|midday))?"
         rf"|(?P<h2>1[0-2]|0?[1-9]){_SP}*(?P<ap2>[ap]\.m\.|[ap]m)(?![a-z])"
         rf"|(?:12{_SP}*)?(?P<noon2>noon|midday)|(?P<midnight>midnight))")
_TIME_BEFORE_RE = re.compile(
    rf"(?<![0-9.:]){_TIME}{_SP}*(?:\((?:UK|GMT|BST)[^()]{{0,12}}\){_SP}*)?(?:,|on|{_DASH})?{_SP}*(?:the{_SP}+)?\Z",
    _FLAGS)
_TIME_AFTER_RE = re.compile(rf"{_SP}*(?:,|at|@|{_DASH})?{_SP}*(?:at{_SP}+)?{_TIME}(?![0-9])", _FLAGS)


def _time_of(m: re.Match) -> _dt.time | None:
    """Time of day from a _TIME match; None for "midnight" (start or end of day is unclear)."""
    if m.group("midnight"):
        return None
    if m.group("noon2"):
        return _dt.time(12, 0)
    if m.group("h2"):
        h, mi, ap = int(m.group("h2")), 0, m.group("ap2")
    else:
        h, mi, ap = int(m.group("h")), int(m.group("mi")), m.group("ap") or ""
    ap = ap.lower().replace(".", "")
    if ap in ("am", "pm"):
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ap == "pm" else 0)
    return _dt.time(h, mi)


def _date_of(m: re.Match) -> _dt.date | None:
    gd = m.groupdict()
    try:
        year = int(gd["year"])
        if year < 100:
            year += 2000
        month = _MONTHS[gd["mon"][:3].lower()] if gd.get("mon") else int(gd["month"])
        return _dt.date(year, month, int(gd["day"]))
    except (ValueError, KeyError, TypeError):  # 31 February and the like
        return None


def parse_dates(text: str) -> list[DateMention]:
    """UK-style dates: "1 April 2026", "1st April 2026", "April 1, 2026", "01/04/2026"
    (day first), "1.4.2026", "2026-04-01", "Monday 12 January 2026", "12 Jan 2026".

    A time written just before or after ("12:00 noon on 5 March 2026", "22/10/2024 at
    11:00") is folded into the mention's span and ``time``.
    """
    if not isinstance(text, str) or not text:
        return []
    found = []
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            d = _date_of(m)
            if d is not None:
                found.append(DateMention(d, m.start(), m.end(), m.group(0)))
    out = []
    for dm in _resolve_overlaps(found):
        start, end, when = dm.start, dm.end, None
        lo = max(0, start - 40, out[-1].end if out else 0)
        before = _TIME_BEFORE_RE.search(text, lo, start)
        if before:
            when, start = _time_of(before), before.start()
        after = _TIME_AFTER_RE.match(text, end)
        if after and not before:
            when, end = _time_of(after), after.end()
        out.append(DateMention(dm.date, start, end, text[start:end], when))
    return out
