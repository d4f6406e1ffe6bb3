"""Quantity checks: the numeric tests behind rules of kind ``quantity``.

A rule names a check and gives its parameters in YAML; the check reads numbers parsed from the
sentence (money, durations, percentages) and document facts (contract value, regime, dates) and
says whether the rule fires, with a detail a commissioner can act on ("£2,000,000 is 13.3× the
annual contract value of £150,000; the limit is 2×").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable


@dataclass
class CheckContext:
    """What a quantity check sees: the sentence, the document facts and the rule's parameters."""
    text: str  # the sentence (or, for document-level checks, "")
    facts: object  # barrier_scan.facts.Facts
    params: dict
    match: tuple[int, int] | None = None  # the trigger span inside ``text``
    nearby: str = ""  # neighbouring sentences, for justification look-ups


@dataclass
class CheckResult:
    """A check that fired: the detail shown to people, parsed numbers, a narrower span, a severity."""
    detail: str
    data: dict = field(default_factory=dict)
    span: tuple[int, int] | None = None  # narrower evidence span inside the sentence
    severity: str | None = None  # override the rule's severity (e.g. unknown contract value)
    # For a document-level check: the facts (``Facts`` field names) it rests on, in the order to
    # show them. The finding then points to where the text states them, not to the whole document.
    at: tuple[str, ...] = ()


CHECKS: dict[str, Callable[[CheckContext], CheckResult | None]] = {}


def check(name: str):
    """Register a quantity check under ``name`` (rules name it in ``check.name``)."""
    def deco(fn):
        CHECKS[name] = fn
        return fn

    return deco


def gbp(x: float) -> str:
    """An amount as '£1,234'."""
    return f"£{x:,.0f}"


def _closest(items, pos: int | None):
    """The parsed quantity nearest the trigger (a sentence may carry several amounts)."""
    if not items:
        return None
    if pos is None:
        return items[0]
    return min(items, key=lambda q: abs(q.start - pos))


def _money(ctx: CheckContext, after_trigger: bool = False):
    from ..quantities import parse_money

    items = parse_money(ctx.text)
    if after_trigger and ctx.match:
        later = [m for m in items if m.start >= ctx.match[0]]
        items = later or items
    return _closest(items, ctx.match[0] if ctx.match else None)


_MULTIPLE_RE = re.compile(
    r"\b(\d+(?:\.\d+)?|one|two|three|four|five|six|ten)\s*(?:\(\s*\d+\s*\)\s*)?(?:times|x)\b"
    r"[^.;]{0,40}\b(?:contract|annual|estimated|lot)\b", re.I)


def _number_word(s: str) -> float | None:
    from ..quantities import word_number

    try:
        return float(s)
    except ValueError:
        w = word_number(s)
        return float(w) if w is not None else None


def annual_value(facts) -> float | None:
    """The annual contract value: stated, or the total spread over the duration in years.

    With only a total and no duration the total is used (it is at least the annual value, so a
    ratio against it can only under-state the problem, never invent one).
    """
    if facts is None:
        return None
    annual = getattr(facts, "contract_value_annual", None)
    if annual:
        return float(annual)
    total = getattr(facts, "contract_value_total", None)
    if not total:
        return None
    years = getattr(facts, "duration_years", None)
    if years and years >= 1:
        return float(total) / float(years)
    return float(total)


_LOT_RE = re.compile(r"\b(per|each|every|for the|for a|any one|individual) lots?\b", re.I)


@dataclass
class _Turnover:
    """A turnover floor read from a sentence, judged against the contract value when known."""

    ratio: float | None  # required / annual value (or the stated multiple)
    detail: str
    data: dict
    span: tuple[int, int] | None
    justified: bool = False


def _turnover(ctx: CheckContext) -> _Turnover | None:
    """Read the floor ("£500,000", "three times the contract value") and its ratio to the annual
    value (the lot's value when the floor is asked per lot: PCR reg 58(11)). None when no floor
    is stated in the sentence."""
    max_ratio = float(ctx.params.get("max_ratio", 2))
    times = _MULTIPLE_RE.search(ctx.text)
    if times:
        n = _number_word(times.group(1))
        if n is not None:
            return _Turnover(n, f"requires turnover of {n:g}× the contract value; the usual ceiling "
                             f"is {max_ratio:g}×", {"ratio": n}, times.span(0))
    m = _money(ctx, after_trigger=True)
    if m is None:
        return None
    required = m.low if getattr(m, "is_range", False) and m.low else m.value
    facts = ctx.facts
    annual, basis = annual_value(facts), "the annual contract value"
    lot = getattr(facts, "lot_value", None) if facts is not None else None
    if lot and _LOT_RE.search(ctx.text):
        # The lot value may be stated for the whole term, so it is used as stated: that can only
        # under-state the ratio, never invent one.
        annual, basis = float(lot), "the value of the lot"
    if not annual:
        return _Turnover(None, f"requires turnover of {gbp(required)}; the contract value was not "
                         f"found, so it cannot be checked against the {max_ratio:g}× ceiling",
                         {"required_turnover": required}, (m.start, m.end))
    ratio = required / annual
    justified = bool(re.search(ctx.params.get("justification",
                                              r"(?i)\b(justif|because|due to the (risk|nature))"),
                               ctx.nearby or ctx.text))
    return _Turnover(ratio, f"requires turnover of {gbp(required)}, {ratio:.1f}× {basis} of "
                     f"{gbp(annual)}; the usual ceiling is {max_ratio:g}×",
                     {"required_turnover": required, "annual_value": annual,
                      "ratio": round(ratio, 2)}, (m.start, m.end), justified)


@check("turnover_ratio")
def turnover_ratio(ctx: CheckContext) -> CheckResult | None:
    """A turnover floor above ``max_ratio`` × the annual value (PCR reg 58(9)): a barrier."""
    t = _turnover(ctx)
    if t is None or t.ratio is None or t.ratio <= float(ctx.params.get("max_ratio", 2)):
        return None
    if t.justified:
        return CheckResult(t.detail + " (a justification is given nearby: check it names a "
                           "special risk)", t.data, span=t.span, severity="low")
    return CheckResult(t.detail, t.data, span=t.span)


def _with_trigger(ctx: CheckContext, span):
    """The quote runs from the rule's trigger words to the figure ("minimum turnover of £2m")."""
    if span is None or ctx.match is None:
        return span or ctx.match
    return (min(span[0], ctx.match[0]), max(span[1], ctx.match[1]))


@check("turnover_floor")
def turnover_floor(ctx: CheckContext) -> CheckResult | None:
    """Any turnover floor, its severity decided by the quantity: within the ceiling it is at
    most ``info`` with the ratio shown; above it ``turnover_ratio`` reports it (so this stays
    silent); with no contract value found it keeps the rule's severity and says so."""
    t = _turnover(ctx)
    if t is None:
        return CheckResult("the amount was not read; check it is no more than twice the annual "
                           "contract value", {})
    max_ratio = float(ctx.params.get("max_ratio", 2))
    if t.ratio is None:
        return CheckResult(t.detail, t.data, span=_with_trigger(ctx, t.span))
    if t.ratio > max_ratio:
        return None
    return CheckResult(t.detail.replace(f"the usual ceiling is {max_ratio:g}×",
                                        f"within the {max_ratio:g}× ceiling"),
                       t.data, span=_with_trigger(ctx, t.span), severity="info")


@check("money_at_least")
def money_at_least(ctx: CheckContext) -> CheckResult | None:
    """An amount in the sentence at or above ``min`` (e.g. public liability of £10m)."""
    m = _money(ctx, after_trigger=True)
    if m is None:
        return None
    threshold = float(ctx.params["min"])
    value = m.high if getattr(m, "is_range", False) and m.high else m.value
    if value < threshold:
        return None
    what = ctx.params.get("what", "the amount")
    return CheckResult(f"{what} of {gbp(value)} (at or above {gbp(threshold)})",
                       {"amount": value, "threshold": threshold}, span=(m.start, m.end))


def _durations(ctx: CheckContext, unit_days: float):
    from ..quantities import parse_durations

    return [(d, d.days / unit_days) for d in parse_durations(ctx.text)]


@dataclass
class _Span:
    days: float
    start: int
    end: int


# "two financial years", "3 full years", "the last three (3) accounting years": quantities.py
# reads "two years" but not an adjective between the number and "years" (see
# tests/test_rules_catalogue.py::test_parse_durations_financial_years).
_YEAR_PHRASE_RE = re.compile(
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s*(?:\(\s*\d{1,2}\s*\)\s*)?"
    r"(?:full|financial|complete|consecutive|accounting|trading|audited)\s+years?\b", re.I)


def _year_phrases(text: str) -> list[_Span]:
    out = []
    for m in _YEAR_PHRASE_RE.finditer(text):
        n = _number_word(m.group(1))
        if n:
            out.append(_Span(n * 365, m.start(), m.end()))
    return out


@check("years_at_least")
def years_at_least(ctx: CheckContext) -> CheckResult | None:
    """A number of years (of accounts, trading history, experience) at or above ``min``."""
    items = [d for d, _ in _durations(ctx, 365)] or _year_phrases(ctx.text)
    pos = ctx.match[0] if ctx.match else None
    best = _closest(items, pos)
    if best is None:
        return None
    years = best.days / 365
    if years + 1e-6 < float(ctx.params.get("min", 2)):
        return None
    what = ctx.params.get("what", "history")
    return CheckResult(f"asks for {years:g} years of {what}", {"years": round(years, 2)},
                       span=(best.start, best.end))


@check("days_over")
def days_over(ctx: CheckContext) -> CheckResult | None:
    """A number of days above ``max`` (payment terms beyond 30 days)."""
    items = [d for d, _ in _durations(ctx, 1)]
    pos = ctx.match[0] if ctx.match else None
    limit = float(ctx.params.get("max", 30))
    over = [d for d in items if d.days > limit + 1e-6 and d.days <= 366]
    best = _closest(over, pos)
    if best is None:
        return None
    what = ctx.params.get("what", "period")
    return CheckResult(f"{what} of {best.days:g} days (limit {limit:g})", {"days": best.days},
                       span=(best.start, best.end))


def _pct(ctx: CheckContext):
    from ..quantities import parse_percentages

    return _closest(parse_percentages(ctx.text), ctx.match[0] if ctx.match else None)


@check("percent_below")
def percent_below(ctx: CheckContext) -> CheckResult | None:
    """A percentage below ``min`` (e.g. social value under 10%)."""
    p = _pct(ctx)
    limit = float(ctx.params.get("min", 10))
    if p is None or p.value >= limit:
        return None
    what = ctx.params.get("what", "weighting")
    return CheckResult(f"{what} of {p.value:g}% (below {limit:g}%)", {"percent": p.value},
                       span=(p.start, p.end))


@check("percent_above")
def percent_above(ctx: CheckContext) -> CheckResult | None:
    """A percentage above ``max`` (e.g. price over 60%)."""
    p = _pct(ctx)
    limit = float(ctx.params.get("max", 60))
    if p is None or p.value <= limit:
        return None
    what = ctx.params.get("what", "weighting")
    return CheckResult(f"{what} of {p.value:g}% (above {limit:g}%)", {"percent": p.value},
                       span=(p.start, p.end))


# Statutory minimum tender windows in days (see barriers.md B10). Light-touch contracts have
# none, so they are never flagged as below a statutory minimum.
STATUTORY_MINIMUM = {"pcr2015": 30, "pa2023": 25}


def _spans_holiday(start: date, end: date) -> bool:
    d = start
    while d <= end:
        if (d.month == 12 and d.day >= 20) or (d.month == 1 and d.day <= 3) or d.month == 8:
            return True
        d = date.fromordinal(d.toordinal() + 1)
    return False


def _window(facts) -> tuple[date, date, int] | None:
    """(published, deadline, days between) when both dates were read and are in order."""
    start = getattr(facts, "publication_date", None)
    end = getattr(facts, "deadline_date", None)
    if not start or not end or end <= start:
        return None
    return start, end, (end - start).days


# A window finding points to the deadline first (what a commissioner would move), then to the
# publication date.
WINDOW_FACTS = ("deadline_date", "publication_date")


@check("tender_window")
def tender_window(ctx: CheckContext) -> CheckResult | None:
    """Days between publication and deadline against the statutory minimum, or a short window."""
    window = _window(ctx.facts)
    if window is None:
        return None
    f = ctx.facts
    start, end, days = window
    regime = getattr(f, "regime", None)
    light = bool(getattr(f, "light_touch", False))
    # Light-touch and below-threshold contracts have no statutory minimum window (barriers.md
    # B10): they are only ever warned about as short, never as unlawful.
    threshold = getattr(f, "below_threshold", None)
    below = threshold is True
    # A statutory minimum applies only when the regime is known and the value is known to be
    # at or above the threshold (stated so, or a stated value that is not below it).
    value_known = threshold is False or (
        threshold is None and bool(getattr(f, "contract_value_total", None)
                                   or getattr(f, "contract_value_annual", None)))
    minimum = None if light or below else STATUTORY_MINIMUM.get(regime or "", None)
    known = minimum is not None and value_known
    warn_below = int(ctx.params.get("warn_below", 42))
    data = {"days": days, "published": start.isoformat(), "deadline": end.isoformat(),
            "statutory_minimum": minimum if known else None, "light_touch": light,
            "below_threshold": below}
    window = f"{days}-day tender window ({start:%d %b %Y} to {end:%d %b %Y})"
    if known and days < minimum:
        return CheckResult(f"{window} is below the statutory minimum of {minimum} days", data,
                           severity="high", at=WINDOW_FACTS)
    if days < warn_below:
        extra = " and spans a holiday period" if _spans_holiday(start, end) else ""
        unknown = []
        if not light and not below:
            if not regime:
                unknown.append("the procurement regime")
            if not value_known:
                unknown.append("the contract value")
        note = (f" ({' and '.join(unknown)} not found, so whether a statutory minimum applies "
                "is unknown)") if unknown else ""
        return CheckResult(f"{window} is short for small organisations and consortia{extra}; six "
                           f"weeks or more is recommended{note}", data, at=WINDOW_FACTS)
    return None


@check("tender_window_at_least")
def tender_window_at_least(ctx: CheckContext) -> CheckResult | None:
    """A strength: publication to deadline is at least ``min`` days (six weeks by default)."""
    window = _window(ctx.facts)
    if window is None:
        return None
    start, end, days = window
    minimum = int(ctx.params.get("min", 42))
    if days < minimum:
        return None
    return CheckResult(f"{days}-day tender window ({start:%d %b %Y} to {end:%d %b %Y})",
                       {"days": days, "published": start.isoformat(), "deadline": end.isoformat()},
                       at=WINDOW_FACTS)


@check("days_at_most")
def days_at_most(ctx: CheckContext) -> CheckResult | None:
    """A strength: a number of days at or below ``max`` (payment within 30 days or sooner)."""
    items = [d for d, _ in _durations(ctx, 1) if d.unit in ("day", "working day")]
    pos = ctx.match[0] if ctx.match else None
    best = _closest(items, pos)
    limit = float(ctx.params.get("max", 30))
    if best is None or best.days > limit + 1e-6:
        return None
    what = ctx.params.get("what", "period")
    return CheckResult(f"{what} of {best.value:g} {best.unit}s", {"days": best.days},
                       span=(best.start, best.end))


# The kind of cover an amount belongs to: the nearest of these written before it (or just after).
_COVER_RE = re.compile(
    r"\b(employer'?s'?|employers|public|product|professional|indemnity|motor|cyber|contract works"
    r"|third party)\b", re.I)
_COVER_KIND = {"employer's": "employers", "employers'": "employers", "employers": "employers",
               "employer": "employers", "public": "public", "third party": "public",
               "product": "product", "professional": "professional", "indemnity": "professional",
               "motor": "other", "cyber": "other", "contract works": "other"}


def _cover_kind(text: str, start: int, end: int) -> str | None:
    before = list(_COVER_RE.finditer(text, max(0, start - 90), start))
    if before:
        return _COVER_KIND.get(before[-1].group(1).lower(), "other")
    after = _COVER_RE.search(text, end, min(len(text), end + 40))
    if after:
        return _COVER_KIND.get(after.group(1).lower(), "other")
    return None


@check("insurance_level")
def insurance_level(ctx: CheckContext) -> CheckResult | None:
    """An insurance amount of a given kind at or above ``min`` (and below ``below``, if given, so
    two rules can split levels into tiers without both firing on one amount).

    ``kinds`` lists the covers that count (public, product, professional, other, any). Employers'
    liability is never counted: £5m of cover is a legal duty for employers (ELCI Regs 1998 reg 3).
    An amount with no named kind counts only when ``kinds`` includes ``any``.
    """
    from ..quantities import parse_money

    kinds = set(ctx.params.get("kinds", ["public"]))
    threshold = float(ctx.params.get("min", 0))
    ceiling = float(ctx.params["below"]) if "below" in ctx.params else None
    best = None
    for m in parse_money(ctx.text):
        kind = _cover_kind(ctx.text, m.start, m.end)
        if kind == "employers":
            continue
        if kind is None:
            kind = "unnamed"
            if "any" not in kinds:
                continue
        elif kind not in kinds and "any" not in kinds:
            continue
        value = m.high if getattr(m, "is_range", False) and m.high else m.value
        if ceiling is not None and value >= ceiling:
            continue
        if value >= threshold and (best is None or value > best[0]):
            best = (value, m, kind)
    if best is None:
        return None
    value, m, kind = best
    what = ctx.params.get("what", f"{kind} liability cover")
    return CheckResult(f"{what} of {gbp(value)}", {"amount": value, "cover": kind},
                       span=(m.start, m.end))


@check("weight_for")
def weight_for(ctx: CheckContext) -> CheckResult | None:
    """The percentage weighting written next to ``keyword`` (price, social value), against
    ``max`` (fires above) or ``min`` (fires below).

    The percentage is the one right after the keyword ("Price 70%", "social value (5%)") or, failing
    that, right before it ("70% price"); other percentages in the sentence belong to other criteria.
    """
    from ..quantities import parse_percentages

    kw = re.compile(ctx.params["keyword"], re.I)
    pcts = parse_percentages(ctx.text)
    if not pcts:
        return None
    found = None
    for k in kw.finditer(ctx.text):
        after = [(p.start - k.end(), p) for p in pcts
                 if 0 <= p.start - k.end() <= int(ctx.params.get("after", 40))]
        before = [(k.start() - p.end, p) for p in pcts
                  if 0 <= k.start() - p.end <= int(ctx.params.get("before", 6))]
        if after or before:
            found = min(after + before, key=lambda gp: gp[0])[1]
            break
    if found is None:
        return None
    what = ctx.params.get("what", "weighting")
    if "max" in ctx.params and found.value > float(ctx.params["max"]):
        return CheckResult(f"{what} of {found.value:g}% (above {float(ctx.params['max']):g}%)",
                           {"percent": found.value}, span=(found.start, found.end))
    if "min" in ctx.params and found.value < float(ctx.params["min"]):
        return CheckResult(f"{what} of {found.value:g}% (below {float(ctx.params['min']):g}%)",
                           {"percent": found.value}, span=(found.start, found.end))
    return None


@check("below_threshold_gate")
def below_threshold_gate(ctx: CheckContext) -> CheckResult | None:
    """A shortlisting / pre-qualification stage: unlawful below the threshold (PCR reg 111,
    PA 2023 s.85), lawful above it. Unknown value: a low-severity prompt to check."""
    below = getattr(ctx.facts, "below_threshold", None) if ctx.facts is not None else None
    if below is False:
        return None
    if below:
        return CheckResult("a pre-qualification or shortlisting stage on a contract below the "
                           "procurement threshold", {"below_threshold": True}, severity="high")
    return CheckResult("a pre-qualification or shortlisting stage; unlawful if the contract is "
                       "below the procurement threshold (value not found)",
                       {"below_threshold": None}, severity="low")
