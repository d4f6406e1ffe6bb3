"""The one Finding type used by the engine, scores, reports, Word comments and baselines."""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

from .document import format_location

SCHEMA_VERSION = "1.1"  # 1.1: Finding.detail and Finding.related; evidence.text only document words

_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


# Leading clause numbers ("3.2.1", "(a)", "iv)", "•") change when a section is inserted earlier.
_LEADING_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)+\.?|\d+[.)]|\(?[a-z]{1,3}\)|[•▪●\-–*])\s+", re.I)


def normalise_clause(text: str) -> str:
    """Lower-case, drop clause numbering and punctuation, collapse whitespace.

    Keys built from it survive re-pagination, re-flowing and renumbering, but not rewording.
    """
    text = _LEADING_NUMBER.sub("", text)
    return _WS.sub(" ", _NON_WORD.sub(" ", text.lower())).strip()


@dataclass
class Evidence:
    """Where a finding is and the document's own words that triggered it.

    ``text`` only ever holds words of the document (whole words, as they stand): a finding about
    the document as a whole ("no outcomes anywhere") has no page, paragraph or sentence and an
    empty ``text``; what the tool concluded goes in :attr:`Finding.detail`, never here.
    """
    text: str  # the quoted span (the words that triggered the finding); "" for a whole document
    page: int | None = None
    paragraph: int | None = None
    start: int | None = None  # character offsets into the block's text
    end: int | None = None
    section: str | None = None
    sentence: str | None = None  # the whole sentence the span sits in, for context
    table: list[int] | None = None  # [table, row, col] when inside a table cell

    def location(self) -> str:
        """'p. 3, ¶ 12', or 'document' for a whole-document finding (table cells not spelled out)."""
        return format_location(self.page, self.paragraph, empty="document")

    @property
    def whole_document(self) -> bool:
        """True when the finding is about the document as a whole (no place in it to point to)."""
        return self.sentence is None and self.paragraph is None and self.page is None


@dataclass
class Finding:
    """One barrier or strength, with its evidence, reason, rewrite and legal basis."""
    code: str
    category: str
    polarity: str  # barrier | strength
    severity: str  # info | low | medium | high
    message: str
    evidence: Evidence
    source: str = "rule"  # rule | model
    name: str = ""
    why: str = ""
    suggestion: str = ""
    citation: str = ""
    confidence: float | None = None  # model probability; None for rules
    also_found_by: list[str] = field(default_factory=list)  # e.g. ["model"] when both agree
    data: dict = field(default_factory=dict)  # parsed quantities etc., for reports
    # What the tool worked out, in its own words ("nothing found in the whole document (95
    # sentences read)", "21-day tender window ... below the statutory minimum"); never a quote.
    detail: str = ""
    # Other passages the finding rests on (the tender window: where the publication date is
    # stated, besides the deadline in ``evidence``).
    related: list[Evidence] = field(default_factory=list)

    @property
    def is_barrier(self) -> bool:
        """True for a barrier, False for a strength."""
        return self.polarity == "barrier"

    def key(self) -> str:
        """Stable identity for baselines and compare: rule code + hash of the normalised clause.

        A whole-document finding (an absence check) has no clause (and no quote; its ``detail``
        "... (41 sentences read)" changes with any edit), so it is keyed by code + a fixed hash:
        there is at most one per rule per document.
        """
        ev = self.evidence
        if ev.whole_document:
            clause = "whole document"
        else:
            clause = ev.sentence or ev.text
        digest = hashlib.sha1(normalise_clause(clause).encode("utf-8")).hexdigest()[:16]
        return f"{self.code}:{digest}"

    def to_dict(self) -> dict:
        """Plain JSON-ready data (the report's ``findings`` entries)."""
        d = asdict(self)
        return d


@dataclass
class DocumentResult:
    """Everything known about one scanned file; reports read only this."""

    path: str
    format: str | None = None
    pages: int | None = None
    findings: list[Finding] = field(default_factory=list)
    score: float | None = None
    band: str | None = None
    breakdown: dict = field(default_factory=dict)  # one entry per rubric dimension (score.py)
    score_info: dict = field(default_factory=dict)  # what the score rests on, its range, floors
    facts: dict = field(default_factory=dict)  # regime, contract value, lots, ...
    error: dict | None = None  # {"code", "message"} when the file could not be scanned
    warnings: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)  # sentences, blocks, seconds
    accepted: int = 0  # findings hidden by a baseline

    @property
    def ok(self) -> bool:
        """True when the file was scanned (no ``error``)."""
        return self.error is None

    def barriers(self) -> list[Finding]:
        """The findings that shut small providers out."""
        return [f for f in self.findings if f.polarity == "barrier"]

    def strengths(self) -> list[Finding]:
        """The findings that open the door (wording to keep)."""
        return [f for f in self.findings if f.polarity == "strength"]

    def to_dict(self) -> dict:
        """Plain JSON-ready data (the report's ``findings`` entries)."""
        return {
            "path": self.path,
            "format": self.format,
            "pages": self.pages,
            "error": self.error,
            "score": self.score,
            "band": self.band,
            "breakdown": self.breakdown,
            "score_info": self.score_info,
            "facts": self.facts,
            "warnings": self.warnings,
            "stats": self.stats,
            "accepted": self.accepted,
            "findings": [f.to_dict() for f in self.findings],
        }


def finding_from_dict(d: dict) -> Finding:
    """The inverse of :meth:`Finding.to_dict` (cache entries, saved reports)."""
    ev = Evidence(**d["evidence"])
    rest = {k: v for k, v in d.items() if k not in ("evidence", "related")}
    related = [Evidence(**e) for e in d.get("related") or []]
    return Finding(evidence=ev, related=related, **rest)


def result_from_dict(d: dict) -> DocumentResult:
    """The inverse of :meth:`DocumentResult.to_dict` (cache entries, saved reports)."""
    r = DocumentResult(path=d["path"])
    for k in ("format", "pages", "score", "band", "breakdown", "score_info", "facts", "error",
              "warnings", "stats", "accepted"):
        if k in d:
            setattr(r, k, d[k])
    r.findings = [finding_from_dict(f) for f in d.get("findings", [])]
    return r
