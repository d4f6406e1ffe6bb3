"""Document-level facts that rules compare against: value, term, lots, regime, tender window.

``extract_facts`` reads a document's sentences (strings, or objects with a ``.text``) and
returns a :class:`Facts`; every value read from the text records the index of the sentence
it came from in ``Facts.sources`` so a finding can cite it. Values the user supplies on the
command line replace parsed ones through :meth:`Facts.override`.

Everything here is heuristic: a fact is left ``None`` rather than guessed when the text does
not say it clearly, because a rule firing on a wrong contract value is worse than a rule
that stays silent.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..taxonomy import REGIMES
from .quantities import (
    DateMention,
    Duration,
    parse_dates,
    parse_durations,
    parse_money,
    word_number,
)

__all__ = ["Facts", "extract_facts", "REGIMES", "PA_2023_START", "LOW_VALUE_LIMIT"]

# Procurements commenced on/after this date fall under the Procurement Act 2023 (PPN 002 para 5).
PA_2023_START = _dt.date(2025, 2, 24)
# Below this (ex-VAT) a contract is under every UK goods/services threshold. The lowest,
# central government goods/services, was £139,688 incl. VAT from 1 Jan 2024 (≈ £116,407 ex
# VAT); thresholds are revised every two years, so a round margin below it is used rather
# than the exact figure. Only "below" is inferred from value: "above" depends on buyer type.
LOW_VALUE_LIMIT = 100_000.0

_I = re.IGNORECASE


def _rx(pattern: str, flags: int = _I) -> re.Pattern:
    return re.compile(pattern, flags)


@dataclass
class Facts:
    """What a document says about itself, for rules to compare requirements against.

    ``contract_value_annual`` is what proportionality tests (turnover ≤ 2× value) use; it is
    derived from the total and the term when not stated (never above the total: a contract
    shorter than a year is not inflated to a yearly rate). ``duration_years`` includes
    optional extensions, as estimated values must (PCR reg 6); ``duration_initial_years`` is
    the initial term. ``lots`` is 1 when the text says the contract is not divided into lots.
    ``lot_value`` is the largest per-lot value stated. ``derived`` names fields computed from
    other facts, ``overridden`` fields supplied by the user.
    """

    contract_value_total: float | None = None
    contract_value_annual: float | None = None
    lot_value: float | None = None
    duration_years: float | None = None
    duration_initial_years: float | None = None
    lots: int | None = None
    lots_reason_given: bool = False
    regime: str | None = None  # 'pcr2015' | 'pa2023' | None
    regime_evidence: str = ""
    publication_date: _dt.date | None = None
    deadline_date: _dt.date | None = None
    light_touch: bool = False
    below_threshold: bool | None = None
    sources: dict[str, int] = field(default_factory=dict)
    derived: list[str] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)

    @property
    def tender_window_days(self) -> int | None:
        """Calendar days from publication to deadline; None if either is missing or the
        dates are the wrong way round (a misread date must not look like a 0-day window)."""
        if self.publication_date is None or self.deadline_date is None:
            return None
        days = (self.deadline_date - self.publication_date).days
        return days if days >= 0 else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly copy: dates as ISO strings, plus the computed tender window."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, _dt.date):
                v = v.isoformat()
            elif isinstance(v, (dict, list)):
                v = type(v)(v)
            out[f.name] = v
        out["tender_window_days"] = self.tender_window_days
        return out

    # CLI option names -> field names; field names are accepted as they are too.
    _ALIASES = {
        "contract_value": "contract_value_total",
        "total_value": "contract_value_total",
        "annual_value": "contract_value_annual",
        "duration": "duration_years",
    }

    def override(self, **user_values: Any) -> "Facts":
        """A copy with the user's values in place of parsed ones; ``None`` means "not given".

        Accepts ``contract_value``, ``annual_value``, ``lots``, ``regime`` (and any field
        name). Values derived from an overridden one (annual from total, total from annual,
        below_threshold from total) are recomputed; values read from the text are kept.
        """
        new = dataclasses.replace(self, sources=dict(self.sources), derived=list(self.derived),
                                  overridden=list(self.overridden))
        names = {f.name for f in dataclasses.fields(self)} - {"sources", "derived", "overridden"}
        given = {}
        for key, value in user_values.items():
            if value is None:
                continue
            name = self._ALIASES.get(key, key)
            if name not in names:
                raise ValueError(f"unknown fact: {key}")
            given[name] = _check_user_value(name, value)
        for name, value in given.items():
            setattr(new, name, value)
            new.sources.pop(name, None)
            if name in new.derived:
                new.derived.remove(name)
            if name not in new.overridden:
                new.overridden.append(name)
        # Let derived values follow the user's numbers, but never replace given or read ones.
        value_inputs = {"contract_value_total", "contract_value_annual", "duration_years"}
        for name in ("contract_value_total", "contract_value_annual", "below_threshold"):
            if value_inputs & given.keys() and name in new.derived and name not in given:
                setattr(new, name, None)
                new.derived.remove(name)
                new.sources.pop(name, None)
        _derive(new)
        return new


def _check_user_value(name: str, value: Any) -> Any:
    """Validate a user-supplied value; bad CLI input should fail loudly, not be guessed."""
    if name == "regime":
        v = str(value).lower().replace(" ", "").replace("_", "")
        v = {"pcr": "pcr2015", "pcr2015": "pcr2015", "pa": "pa2023", "pa2023": "pa2023",
             "pa23": "pa2023"}.get(v)
        if v is None:
            raise ValueError(f"regime must be one of {REGIMES}, not {value!r}")
        return v
    if name == "lots":
        if isinstance(value, bool) or int(value) != value or int(value) < 0:
            raise ValueError(f"lots must be a whole number >= 0, not {value!r}")
        return int(value)
    if name in ("contract_value_total", "contract_value_annual", "lot_value", "duration_years",
                "duration_initial_years"):
        v = float(value)
        if v < 0 or v != v:
            raise ValueError(f"{name} must be a positive number, not {value!r}")
        return v
    return value


# ---------------------------------------------------------------------------------------
# Contract value
# ---------------------------------------------------------------------------------------

# Sentences about what the supplier must have, not what the contract is worth.
_NOT_CONTRACT_VALUE = _rx(
    r"turnover|insurance|insured|indemnit|liabilit|guarantee|\bbond\b|net assets"
    r"|penalt|liquidated damages|salar(?:y|ies)|hourly|per hour|similar (?:contracts?|value)"
    r"|in the (?:last|past|previous) \w+ years")
_VALUE_CUE = _rx(
    r"(?<!social )(?<!added )\bvalue[sd]?\b(?! for money)|\bbudget|\bworth\b|estimated (?:spend|cost)"
    r"|\bspend\b|funding (?:available|of)|\bavailable for\b|contract price|\bpriced at\b")
_TOTAL_CUE = _rx(
    r"\btotal\b|whole[- ]life|lifetime|overall|aggregate|over the (?:life|lifetime|duration|term|period)"
    r"|for the (?:duration|whole|full|entire)|\bin total\b|\bover (?:a |the )?(?:\w+ )?(?:years?|months?)\b")
_ANNUAL_CUE = _rx(
    r"\bannual(?:ly)?\b|per annum|per year|a year|each year|yearly|p\.a\.")
_LOT_CUE = _rx(r"\b(?:each|per|this|the|a)\s+lot\b|\blot\s+\d+\b|\blot value")
_CONTRACT_WORD = _rx(r"contract|framework|agreement|service|lot\b|programme|commission")

# Periods the contract term is stated in (days and weeks are windows and deadlines).
_TERM_UNITS = ("month", "year")
_TERM_CUE = _rx(
    r"contract (?:period|term|duration|length)|\bduration\b|initial (?:term|period)|\bterm of\b"
    r"|period of\b|will run|\brun(?:ning)? for\b|commenc|for a period|\bextend|\bextension"
    r"|(?:contract|framework|agreement) (?:will|is|shall) (?:be )?(?:let )?for")
_NOT_TERM = _rx(
    r"turnover|accounts|trading|experience|established|in the (?:last|past|previous)"
    r"|(?:last|past|previous|preceding) \w+ (?:years|months)|insurance|references|retain|retention"
    r"|records|warrant|defects|insolven|years old|\baged?\b|liabilit|\bwithin\b")


@dataclass
class _ValueCandidate:
    kind: str  # 'total' | 'annual' | 'lot'
    value: float
    score: int
    index: int
    years: float | None  # term stated in the same sentence, if any


def _sentence_term_years(text: str) -> float | None:
    """Term stated alongside an amount; the initial term if the amount is for it
    ("£60m for the initial 4 year period, with any extension of up to 1 year")."""
    for d in parse_durations(text):
        if d.unit in _TERM_UNITS:
            return d.initial_days / 365.0 if re.search(r"\binitial\b", text, _I) else d.years
    return None


def _value_candidates(index: int, text: str) -> list[_ValueCandidate]:
    if _NOT_CONTRACT_VALUE.search(text):
        return []
    monies = parse_money(text)
    if not monies:
        return []
    has_cue = _VALUE_CUE.search(text) is not None
    years = _sentence_term_years(text)
    out = []
    for m in monies:
        before = text[max(0, m.start - 60):m.start]
        if m.per == "lot" or _LOT_CUE.search(before):
            kind, value = "lot", m.value
        elif m.per in ("year", "month", "week"):
            kind, value = "annual", m.value * {"year": 1, "month": 12, "week": 52}[m.per]
        elif _ANNUAL_CUE.search(before):
            kind, value = "annual", m.value
        else:
            kind, value = "total", m.value
        # A bare amount needs a value word in its sentence; a yearly one may instead sit in a
        # sentence about the contract ("the service will cost £150,000 per annum").
        if not has_cue and not (kind == "annual" and _CONTRACT_WORD.search(text)):
            continue
        score = 2 if has_cue else 1
        if kind == "total" and _TOTAL_CUE.search(text):
            score += 1
        if _CONTRACT_WORD.search(text):
            score += 1
        out.append(_ValueCandidate(kind, value, score, index, years))
    return out


def _best(cands: list[_ValueCandidate], kind: str) -> _ValueCandidate | None:
    """Highest score wins; ties go to the earliest (notices state the value up front)."""
    of_kind = [c for c in cands if c.kind == kind]
    return max(of_kind, key=lambda c: (c.score, -c.index)) if of_kind else None


# ---------------------------------------------------------------------------------------
# Term
# ---------------------------------------------------------------------------------------

def _term(sentences: list[str]) -> tuple[Duration, int] | None:
    best: tuple[int, int, Duration] | None = None
    for i, s in enumerate(sentences):
        if not s or _NOT_TERM.search(s):
            continue
        terms = [d for d in parse_durations(s) if d.unit in _TERM_UNITS]
        if not terms:
            continue
        score = (3 if _TERM_CUE.search(s) else 0) + (1 if _CONTRACT_WORD.search(s) else 0)
        if score and (best is None or score > best[0]):
            best = (score, i, max(terms, key=lambda d: d.days))
    if best is None:
        return None
    _, i, d = best
    # "The contract is for 3 years. It may be extended by a further 2 years." -- the
    # extension is often its own sentence.
    if not d.parts and i + 1 < len(sentences) and re.search(r"extend|extension", sentences[i + 1], _I):
        ext = [e for e in parse_durations(sentences[i + 1]) if e.unit in _TERM_UNITS]
        if ext and not _NOT_TERM.search(sentences[i + 1]):
            e = ext[0]
            d = Duration(d.days + e.days, d.start, d.end, d.text, d.unit,
                         (d.days + e.days) / d.days * d.value if d.days else d.value,
                         (d.days, e.days))
    return d, i


# ---------------------------------------------------------------------------------------
# Lots
# ---------------------------------------------------------------------------------------

_NOT_LOTTED = _rx(
    r"\bnot\s+(?:be(?:en|ing)?\s+)?(?:divided|split|separated|sub-?divided|broken\s+down)\s+(?:in)?to\s+"
    r"(?:\w+\s+)?lots\b|\bnot\s+(?:be(?:en|ing)?\s+)?lotted\b|\bsingle\s+lot\b|\bas\s+one\s+lot\b"
    r"|\bno\s+lots\b|\blots?\s*:\s*(?:no|none|n/?a)\b|divided\s+into\s+lots\s*[:?\-]?\s*no\b")
_COUNT_WORDS = r"[0-9]{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_DIVIDED_COUNT = _rx(rf"\b(?:divided|split|separated|broken\s+down)\s+(?:in)?to\s+({_COUNT_WORDS})\s+(?:\w+\s+)?lots\b")
_N_LOTS = _rx(rf"(?<!up to )(?<!maximum of )(?<!more than )\b({_COUNT_WORDS})\s+(?:separate\s+)?lots\b")
_LOT_REF = _rx(r"\blot\s+([0-9]{1,2})\b")
_REASON = _rx(
    r"\bbecause\b|\bdue to\b|\bowing to\b|\bas (?:the|this|it|a single|there|all)\b|\breasons?\b"
    r"|\bin order to\b|\bso as to\b|\bso that\b|\bsince\b|\bgiven (?:that|the)\b"
    r"|\bnot (?:be )?(?:considered )?(?:appropriate|practical|practicable|feasible|viable|suitable|possible)\b"
    r"|\bwould (?:not|result|lead|cause|increase|create|risk|undermine|make|be)\b|economies of scale"
    r"|\bto ensure\b|interdependen|\bintegrated\b|co-?ordinat")
_ABOUT_LOTS = _rx(r"\blot|divid|split|single (?:contract|provider|supplier)|one (?:contract|provider|supplier)")


def _lots(sentences: list[str]) -> tuple[int | None, bool, int | None]:
    """(lots, reason given for not lotting, source sentence)."""
    for i, s in enumerate(sentences):
        if _NOT_LOTTED.search(s):
            nearby = [s] + [t for t in sentences[i + 1:i + 2] if _ABOUT_LOTS.search(t)]
            return 1, any(_REASON.search(t) for t in nearby), i
    for rx in (_DIVIDED_COUNT, _N_LOTS):
        for i, s in enumerate(sentences):
            m = rx.search(s)
            if m:
                n = word_number(m.group(1).lower())
                if n and n >= 2:
                    return n, False, i
    best = None
    for i, s in enumerate(sentences):
        for m in _LOT_REF.finditer(s):
            n = int(m.group(1))
            if best is None or n > best[0]:
                best = (n, i)
    if best and best[0] >= 2:
        return best[0], False, best[1]
    return None, False, None


# ---------------------------------------------------------------------------------------
# Regime
# ---------------------------------------------------------------------------------------

# (side, weight, label, pattern). Acronyms are case-sensitive so "meat" or "mat" in prose
# do not count. Each label counts once per document: boilerplate repeated on every page is
# one piece of evidence, not thirty.
_REGIME_TERMS = [
    ("pa2023", 3, "Procurement Act 2023", _rx(r"Procurement Act 2023")),
    ("pa2023", 3, "PA 2023", re.compile(r"\bPA\s?2023\b|\bPA23\b")),
    ("pa2023", 2, "Procurement Act", _rx(r"\bProcurement Act\b(?!\s*2023)")),
    ("pa2023", 3, "Procurement Regulations 2024", _rx(r"Procurement Regulations 2024")),
    ("pa2023", 3, "Central Digital Platform", _rx(r"Central Digital Platform")),
    ("pa2023", 3, "competitive flexible procedure", _rx(r"competitive flexible procedure")),
    ("pa2023", 2, "conditions of participation", _rx(r"conditions of participation")),
    ("pa2023", 2, "tender notice", _rx(r"\btender notice\b")),
    ("pa2023", 2, "most advantageous tender", _rx(r"\bmost advantageous tender\b")),
    ("pa2023", 1, "MAT", re.compile(r"\bMAT\b")),
    ("pa2023", 2, "planned procurement notice", _rx(r"planned procurement notice")),
    ("pa2023", 2, "preliminary market engagement notice", _rx(r"preliminary market engagement notice")),
    ("pa2023", 2, "procurement specific questionnaire", _rx(r"procurement specific questionnaire|\bPSQ\b")),
    ("pa2023", 2, "covered procurement", _rx(r"\bcovered procurement\b")),
    ("pa2023", 1, "assessment summary", _rx(r"assessment summar(?:y|ies)")),
    ("pa2023", 1, "contract details notice", _rx(r"contract details notice")),
    ("pcr2015", 3, "Public Contracts Regulations 2015",
     _rx(r"Public Contracts? Regulations\s*(?:\(PCR\)\s*)?2015")),
    ("pcr2015", 3, "PCR 2015", re.compile(r"\bPCR\s?2015\b|\bPCRs\b")),
    ("pcr2015", 2, "Utilities/Concession Contracts Regulations 2016",
     _rx(r"(?:Utilities|Concession) Contracts Regulations 2016")),
    ("pcr2015", 2, "selection questionnaire", _rx(r"\bselection questionnaire\b")),
    ("pcr2015", 2, "most economically advantageous tender", _rx(r"most economically advantageous tender")),
    ("pcr2015", 2, "MEAT", re.compile(r"\bMEAT\b")),
    ("pcr2015", 2, "ESPD", _rx(r"\bESPD\b|European Single Procurement Document")),
    ("pcr2015", 1, "OJEU", _rx(r"\bOJEU\b|Official Journal")),
    ("pcr2015", 1, "Find a Tender", _rx(r"Find a Tender")),
    ("pcr2015", 1, "PQQ", _rx(r"\bPQQ\b|pre-qualification questionnaire")),
    ("pcr2015", 1, "contract notice", _rx(r"\bcontract notice\b")),
    ("pcr2015", 1, "Prior Information Notice", re.compile(r"\bPrior Information Notice\b|\bPIN\b", _I)),
]
# Sentences that name the other regime only to say it no longer applies.
_REGIME_CONTRAST = _rx(r"replac|supersed|no longer|repeal|instead of|rather than|revoked|transition")


def _regime(sentences: list[str], publication: _dt.date | None) -> tuple[str | None, str, int | None]:
    hits: dict[str, tuple[str, int, int]] = {}  # label -> (side, weight, sentence)
    for i, s in enumerate(sentences):
        if _REGIME_CONTRAST.search(s):
            continue
        for side, weight, label, rx in _REGIME_TERMS:
            if label not in hits and rx.search(s):
                hits[label] = (side, weight, i)
    score = {"pa2023": 0, "pcr2015": 0}
    for side, weight, _ in hits.values():
        score[side] += weight
    notes = [f"'{label}' (sentence {i}, {side} +{w})" for label, (side, w, i) in hits.items()]
    if publication is not None:
        # Weak: a notice can be published after 24 Feb 2025 for a procurement begun before it.
        side = "pa2023" if publication >= PA_2023_START else "pcr2015"
        score[side] += 1
        notes.append(f"publication date {publication.isoformat()} ({side} +1)")
    if not notes:
        return None, "", None
    pa, pcr = score["pa2023"], score["pcr2015"]
    regime = "pa2023" if pa > pcr else "pcr2015" if pcr > pa else None
    summary = f"pa2023 {pa} vs pcr2015 {pcr}" + ("" if regime else " (undecided)")
    source = None
    if regime:
        strongest = [(w, -i) for side, w, i in hits.values() if side == regime]
        source = -max(strongest)[1] if strongest else None
    return regime, summary + ": " + "; ".join(notes), source


# ---------------------------------------------------------------------------------------
# Light touch, threshold, tender window
# ---------------------------------------------------------------------------------------

_LIGHT_TOUCH = _rx(r"light[- ]touch|social and other specific services")
# "Schedule 3" alone is too common ("Joint Schedule 3 Insurance Requirements" in CCS
# frameworks); count it only next to words that place it in the Regulations.
_SCHEDULE_3 = _rx(r"\bSchedule 3\b")
_SCHEDULE_3_CONTEXT = _rx(r"Regulations|\bPCR|services listed|\bCPV\b|light")

_BELOW = _rx(
    r"below[- ](?:the\s+)?(?:relevant\s+|applicable\s+|UK\s+|procurement\s+|financial\s+|public\s+procurement\s+)?threshold"
    r"|sub-?threshold|under\s+(?:the\s+)?(?:relevant\s+|applicable\s+|procurement\s+)?threshold"
    r"|(?:does|will)\s+not\s+exceed\s+(?:the\s+)?(?:relevant\s+|applicable\s+|procurement\s+)?threshold")
_ABOVE = _rx(
    r"above[- ](?:the\s+)?(?:relevant\s+|applicable\s+|UK\s+|procurement\s+)?threshold"
    r"|(?<!not )exceeds?\s+(?:the\s+)?(?:relevant\s+|applicable\s+|procurement\s+)?threshold")

_PUB_CUE = _rx(
    r"publish|publication|issue date|date of issue|\bissued\b|date of (?:this )?notice|notice date"
    r"|dispatch|date sent")
_DEADLINE_CUE = _rx(
    r"deadline|closing date|\bclos(?:e|es|ing)\b|must be (?:submitted|received|returned|uploaded)"
    r"|no later than|not later than|\breturn(?:ed)? by|submitted by|received by|submission date"
    r"|latest date|tender return|(?:tenders|bids|responses|quotations|proposals) (?:must|should) be")
# Deadlines that are not for tenders, judged in a window around the cue word.
_NOT_TENDER_DEADLINE = _rx(
    r"clarification|question|quer(?:y|ies)|enquir|expression of interest|site visit|regist"
    r"|access to (?:the )?(?:procurement )?documents|award|commenc|start date|go[- ]live|mobilis"
    r"|completion|contract (?:start|end)|expir")


def _dated(sentences: list[str], cue: re.Pattern, exclude: re.Pattern | None) -> tuple[_dt.date, int] | None:
    """First date tied to a cue word: the nearest date after it, else the one just before."""
    for i, s in enumerate(sentences):
        if not cue.search(s):
            continue
        dates: list[DateMention] = parse_dates(s)
        if not dates:
            continue
        for m in cue.finditer(s):
            after = [d for d in dates if d.start >= m.end() and d.start - m.end() <= 120]
            before = [d for d in dates if d.end <= m.start() and m.start() - d.end <= 60]
            d = after[0] if after else before[-1] if before else None
            if d is None:
                continue
            # Judge only the words linking cue and date (and a little before the cue), so
            # "Tenders must be submitted by 1 May. Award is expected in June" still counts.
            lo, hi = max(0, min(m.start(), d.start) - 50), max(m.end(), d.start)
            if exclude and exclude.search(s, lo, hi):
                continue
            return d.date, i
    return None


# ---------------------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------------------

def _derive(f: Facts, years: float | None = None) -> None:
    """Fill total/annual/below_threshold from each other where the text left gaps;
    ``years`` is the term to convert with (default: the document's)."""
    years = years or f.duration_years
    if f.contract_value_total is None and f.contract_value_annual is not None and years:
        f.contract_value_total = f.contract_value_annual * years
        _mark_derived(f, "contract_value_total", f.sources.get("contract_value_annual"))
    if f.contract_value_annual is None and f.contract_value_total is not None and years:
        # A contract shorter than a year is not inflated to a yearly rate.
        f.contract_value_annual = f.contract_value_total / max(years, 1.0)
        _mark_derived(f, "contract_value_annual", f.sources.get("contract_value_total"))
    if f.below_threshold is None and f.contract_value_total is not None \
            and f.contract_value_total < LOW_VALUE_LIMIT:
        f.below_threshold = True
        _mark_derived(f, "below_threshold", f.sources.get("contract_value_total"))


def _mark_derived(f: Facts, name: str, source: int | None) -> None:
    if name not in f.derived:
        f.derived.append(name)
    if source is not None:
        f.sources[name] = source


def _texts(sentences: Iterable[Any]) -> list[str]:
    out = []
    for s in sentences or []:
        t = s if isinstance(s, str) else getattr(s, "text", "")
        out.append(t if isinstance(t, str) else "")
    return out


def extract_facts(sentences: Iterable[Any]) -> Facts:
    """Facts from a document's sentences, in reading order; indices in ``sources`` refer to
    positions in ``sentences``. Accepts strings or objects with a ``.text`` attribute."""
    texts = _texts(sentences)
    f = Facts()

    term = _term(texts)
    if term:
        d, i = term
        f.duration_years = round(d.years, 4)
        f.duration_initial_years = round(d.initial_days / 365.0, 4)
        f.sources["duration_years"] = f.sources["duration_initial_years"] = i

    cands = [c for i, s in enumerate(texts) if s for c in _value_candidates(i, s)]
    total, annual = _best(cands, "total"), _best(cands, "annual")
    if total:
        f.contract_value_total, f.sources["contract_value_total"] = total.value, total.index
    if annual:
        f.contract_value_annual, f.sources["contract_value_annual"] = annual.value, annual.index
    lots_vals = [c for c in cands if c.kind == "lot"]
    if lots_vals:
        top = max(lots_vals, key=lambda c: c.value)
        f.lot_value, f.sources["lot_value"] = top.value, top.index
    # A term stated next to the amount ("£150,000 per annum for 3 years") beats the
    # document's term when converting between total and annual.
    lone = (total or annual) if not (total and annual) else None
    if lone and lone.years:
        if f.duration_years is None:
            f.duration_years = f.duration_initial_years = round(lone.years, 4)
            f.sources["duration_years"] = f.sources["duration_initial_years"] = lone.index
        _derive(f, lone.years)

    f.lots, f.lots_reason_given, lot_src = _lots(texts)
    if lot_src is not None:
        f.sources["lots"] = lot_src

    pub = _dated(texts, _PUB_CUE, None)
    if pub:
        f.publication_date, f.sources["publication_date"] = pub
    deadline = _dated(texts, _DEADLINE_CUE, _NOT_TENDER_DEADLINE)
    if deadline:
        f.deadline_date, f.sources["deadline_date"] = deadline

    f.regime, f.regime_evidence, regime_src = _regime(texts, f.publication_date)
    if regime_src is not None:
        f.sources["regime"] = regime_src

    for i, s in enumerate(texts):
        if _LIGHT_TOUCH.search(s) or (_SCHEDULE_3.search(s) and _SCHEDULE_3_CONTEXT.search(s)):
            f.light_touch, f.sources["light_touch"] = True, i
            break

    for i, s in enumerate(texts):
        if _BELOW.search(s):
            f.below_threshold, f.sources["below_threshold"] = True, i
            break
        if _ABOVE.search(s):
            f.below_threshold, f.sources["below_threshold"] = False, i
            break

    _derive(f)
    return f
