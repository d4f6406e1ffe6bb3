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
    text: str  # the sentence (or, for document-level checks, "")
    facts: object  # barrier_scan.facts.Facts
    params: dict
    match: tuple[int, int] | None = None  # the trigger span inside ``text``
    nearby: str = ""  # neighbouring sentences, for justification look-ups


@dataclass
class CheckResult:
    detail: str
    data: dict = field(default_factory=dict)
    span: tuple[int, int] | None = None  # narrower evidence span inside the sentence
    severity: str | None = None  # override the rule's severity (e.g. unknown contract value)


CHECKS: dict[str, Callable[[CheckContext], CheckResult | None]] = {}


def check(name: str):
    def deco(fn):
        CHECKS[name] = fn
        return fn

    return deco


def gbp(x: float) -> str:
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


@check("turnover_ratio")
def turnover_ratio(ctx: CheckContext) -> CheckResult | None:
    """Minimum turnover above ``max_ratio`` × the annual contract value (PCR reg 58(9))."""
    m = _money(ctx, after_trigger=True)
    if m is None:
        return None
    required = m.low if getattr(m, "is_range", False) and m.low else m.value
    max_ratio = float(ctx.params.get("max_ratio", 2))
    if re.search(r"\b(\d+|two|three|four|five)\s*(times|x)\b", ctx.text, re.I) and m is None:
        return None
    facts = ctx.facts
    annual = getattr(facts, "contract_value_annual", None) if facts is not None else None
    justified = re.search(ctx.params.get("justification", r"(?i)\b(justif|because|due to the (risk|nature))"),
                          ctx.nearby or ctx.text)
    if not annual:
        return None
    ratio = required / annual
    if ratio <= max_ratio:
        return None
    detail = (f"requires turnover of {gbp(required)}, {ratio:.1f}× the annual contract value of "
              f"{gbp(annual)}; the usual ceiling is {max_ratio:g}×")
    if justified:
        detail += " (a justification is given nearby: check it names a special risk)"
    return CheckResult(detail, {"required_turnover": required, "annual_value": annual,
                                "ratio": round(ratio, 2)}, span=(m.start, m.end),
                       severity="low" if justified else None)


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


@check("years_at_least")
def years_at_least(ctx: CheckContext) -> CheckResult | None:
    """A number of years (of accounts, trading history, experience) at or above ``min``."""
    items = _durations(ctx, 365)
    pos = ctx.match[0] if ctx.match else None
    best = _closest([d for d, _ in items], pos)
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
    p = _pct(ctx)
    limit = float(ctx.params.get("min", 10))
    if p is None or p.value >= limit:
        return None
    what = ctx.params.get("what", "weighting")
    return CheckResult(f"{what} of {p.value:g}% (below {limit:g}%)", {"percent": p.value},
                       span=(p.start, p.end))


@check("percent_above")
def percent_above(ctx: CheckContext) -> CheckResult | None:
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


@check("tender_window")
def tender_window(ctx: CheckContext) -> CheckResult | None:
    """Days between publication and deadline against the statutory minimum, or a short window."""
    f = ctx.facts
    start, end = getattr(f, "publication_date", None), getattr(f, "deadline_date", None)
    if not start or not end or end <= start:
        return None
    days = (end - start).days
    regime = getattr(f, "regime", None)
    light = bool(getattr(f, "light_touch", False))
    minimum = None if light else STATUTORY_MINIMUM.get(regime or "", None)
    warn_below = int(ctx.params.get("warn_below", 42))
    data = {"days": days, "published": start.isoformat(), "deadline": end.isoformat(),
            "statutory_minimum": minimum, "light_touch": light}
    if minimum is not None and days < minimum:
        return CheckResult(f"{days}-day tender window ({start:%d %b %Y} to {end:%d %b %Y}) is below "
                           f"the statutory minimum of {minimum} days", data, severity="high")
    holiday = _spans_holiday(start, end)
    if days < warn_below:
        extra = " and spans a holiday period" if holiday else ""
        return CheckResult(f"{days}-day tender window ({start:%d %b %Y} to {end:%d %b %Y}) is short "
                           f"for small organisations and consortia{extra}; six weeks or more is "
                           f"recommended", data)
    return None
