"""What barrier-scan finds and what it calls things, in one place.

Categories, polarities, severities and sources of a finding; the five score dimensions of the
openness rubric and which category feeds each; the words reports use for all of them; the rule
code scheme (prefix <-> category <-> rules folder <-> barrier families, 1xx sentence rules and
2xx whole-document rules); and the classifier's own codes. The rule loader checks every rule file
against this module, and every other module reads it rather than spelling names again.
"""
from __future__ import annotations

from dataclasses import dataclass

# -- a finding ------------------------------------------------------------------------------
#: Sentence categories, in the column order of every classifier probability matrix
#: (the labels of ../shared/corpus/LABELS.md).
SENTENCE_CATEGORIES = ("over_specification", "burden_of_proof", "outcome_language", "openness")
#: Facts about the tender as a whole rather than one sentence (lots, windows, payment terms).
DOCUMENT_CATEGORIES = ("procurement_design",)
CATEGORIES = SENTENCE_CATEGORIES + DOCUMENT_CATEGORIES
POLARITIES = ("barrier", "strength")
SEVERITIES = ("info", "low", "medium", "high")  # in rising order: index comparisons rely on it
SOURCES = ("rule", "model")
REGIMES = ("pcr2015", "pa2023")
REGIME_NAMES = {"pcr2015": "Public Contracts Regulations 2015",
                "pa2023": "Procurement Act 2023"}

CATEGORY_WORDS = {
    "over_specification": "Over-specification",
    "burden_of_proof": "Burden of proof",
    "outcome_language": "Outcomes",
    "openness": "Openness",
    "procurement_design": "Procurement design",
}
SEVERITY_WORDS = {"high": "High", "medium": "Medium", "low": "Low", "info": "Note"}
POLARITY_WORDS = {"barrier": "Barrier", "strength": "Strength"}

# -- the score ------------------------------------------------------------------------------
#: The rubric's five dimensions (../shared/domain/openness-rubric.md), each 0-20, in report order.
DIMENSIONS = ("specification", "burden_of_proof", "outcomes", "procurement_design",
              "openness_signals")
DIMENSION_OF_CATEGORY = {
    "over_specification": "specification",
    "burden_of_proof": "burden_of_proof",
    "outcome_language": "outcomes",
    "procurement_design": "procurement_design",
    "openness": "openness_signals",
}
#: A rule finding counts in the rubric dimension of its barrier family (a strength too: "or
#: equivalent" is a specification strength, "lots" a procurement-design one, an alternative to
#: accounts a burden-of-proof one), as the rubric's table describes each dimension.
DIMENSION_OF_FAMILY = {
    "B1": "specification",
    "B2": "burden_of_proof", "B3": "burden_of_proof", "B4": "burden_of_proof",
    "B5": "burden_of_proof",
    "B6": "procurement_design", "B8": "procurement_design", "B10": "procurement_design",
    "B11": "procurement_design", "B12": "procurement_design", "B13": "procurement_design",
    "B7": "outcomes",
    "B9": "openness_signals",
}
#: Rules whose family would say otherwise: welcoming consortia, SMEs and the voluntary sector is
#: an openness signal in the rubric (their family, B6, is contract size).
DIMENSION_OF_CODE = {"OP101": "openness_signals", "OP102": "openness_signals"}
DIMENSION_LABELS = {
    "specification": "Specification: the what, not the how",
    "burden_of_proof": "Proof and paperwork asked of bidders",
    "outcomes": "Focus on outcomes for people",
    "procurement_design": "Contract size, lots, timescales and process",
    "openness_signals": "Signals that small and voluntary providers are welcome",
}
BANDS = ((70.0, "open"), (40.0, "some barriers"), (0.0, "closed"))  # lowest score of each band
BAND_TEXT = {
    "open": "Open: few or no barriers for small arts and cultural providers",
    "some barriers": "Some barriers: small providers could bid, but some clauses shut them out",
    "closed": "Closed: in practice only large organisations could bid",
}

# -- rule codes -----------------------------------------------------------------------------
#: The 13 barrier families of ../shared/domain/barriers.md.
FAMILIES = {
    "B1": "Over-prescriptive or closed specification",
    "B2": "Disproportionate financial thresholds",
    "B3": "Insurance up front or at disproportionate levels",
    "B4": "Experience, track record and certification gatekeeping",
    "B5": "Pre-qualification on low-value contracts",
    "B6": "Contract size and bundling (no lots)",
    "B7": "Outcomes versus outputs",
    "B8": "Social value design",
    "B9": "Market engagement and co-production",
    "B10": "Short timescales",
    "B11": "Payment terms and cash flow",
    "B12": "TUPE and pensions risk",
    "B13": "Disproportionate bid burden and terms",
}


@dataclass(frozen=True)
class CodePrefix:
    """One two-letter rule prefix: the folder its files live in and what its rules may be."""

    prefix: str
    folder: str
    title: str
    categories: frozenset
    families: frozenset


CODE_PREFIXES = {p.prefix: p for p in (
    CodePrefix("SP", "specification", "Specification", frozenset({"over_specification"}),
               frozenset({"B1"})),
    CodePrefix("BP", "burden_of_proof", "Burden of proof", frozenset({"burden_of_proof"}),
               frozenset({"B2", "B3", "B4", "B5"})),
    CodePrefix("OC", "outcomes", "Outcomes", frozenset({"outcome_language", "procurement_design"}),
               frozenset({"B7"})),
    CodePrefix("OP", "openness", "Openness", frozenset({"openness"}), frozenset(FAMILIES)),
    CodePrefix("PD", "procurement_design", "Procurement design",
               frozenset({"procurement_design"}),
               frozenset({"B6", "B8", "B9", "B10", "B11", "B12", "B13"})),
    CodePrefix("AC", "arts_closure", "Arts closure",
               frozenset({"over_specification", "burden_of_proof"}), frozenset({"B1", "B4"})),
)}
#: Rule numbers from here up are whole-document checks (absence, document facts); below, sentences.
DOCUMENT_LEVEL_FROM = 200

#: The classifier's finding codes, one per sentence category; select/ignore like rule codes.
MODEL_CODES = {
    "over_specification": "ML001",
    "burden_of_proof": "ML002",
    "outcome_language": "ML003",
    "openness": "ML004",
}
MODEL_PREFIX = "ML"
#: Which categories are strengths (good for small providers) rather than barriers.
STRENGTH_CATEGORIES = frozenset({"outcome_language", "openness"})


def polarity_of(category: str) -> str:
    """The polarity a classifier finding of ``category`` has."""
    return "strength" if category in STRENGTH_CATEGORIES else "barrier"


def all_codes(rule_codes) -> list[str]:
    """Every selectable code: the rules' codes plus the classifier's."""
    return sorted(set(rule_codes) | set(MODEL_CODES.values()))


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 tender', '10 tenders' ('barrier' -> 'barriers'; pass ``many`` for irregular words)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
