"""Duties that apply to everyone: never a barrier found by the classifier alone.

LABELS.md is explicit that a legal duty every supplier has, stated plainly, is neither
over-specification nor a burden of proof: safeguarding checks, data-protection and
health-and-safety law, the standard exclusion grounds (convictions, tax, insolvency), a licence
the law requires for the work. The classifier learns words, not law, so it flags such sentences
("must hold a licence", "shall comply with", "provide a statement") as barriers; issue #17 lists
the modern slavery statement (a duty that only starts at £36m turnover), licences required by
law, and Freedom of Information requests among its false alarms.

What this does and does not do: a sentence that names one of these duties, and makes no other
demand (``OTHER_DEMAND``: a qualification, accreditation, accounts, references, insurance, a
policy, trading history, an amount), gets no barrier finding *from the classifier alone*.
Rules still fire on it (their own ``unless`` lists decide), and a sentence with another demand
is left to the classifier: "a modern slavery statement and three years' audited accounts" keeps
its burden finding whichever found it. The
detector counts what it set aside (``stats.model_findings_not_raised_duty``), and the evaluation
applies the same veto (``protocol.predict_system``), so the measured numbers are the scanner's.

The patterns name laws and duties, not tender habits: they were written from LABELS.md, the
domain brief and the issue, not by reading labelled sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Duty:
    """One duty every supplier has, the barrier labels it clears, and why."""

    name: str
    labels: tuple[str, ...]
    pattern: re.Pattern
    why: str


def _p(text: str) -> re.Pattern:
    return re.compile(text, re.I)


_BOTH = ("burden_of_proof", "over_specification")

DUTIES: tuple[Duty, ...] = (
    Duty("modern slavery", _BOTH,
         _p(r"\bmodern slavery\b|\bslavery and human trafficking\b"),
         "Modern Slavery Act 2015: a statement is a legal duty above £36m turnover, and "
         "the offences apply to everyone"),
    Duty("exclusion grounds", ("burden_of_proof",),
         _p(r"\b(mandatory|discretionary) (grounds? for )?exclusion|\bexclusion grounds?\b|"
            r"\bgrounds? for (mandatory |discretionary )?exclusion|\bconvicted\b|\bconviction\b|"
            r"\bbankrupt|\binsolven|\bwinding[- ]up\b|\badministration order\b|"
            r"\btax (evasion|avoidance|obligations)\b|social security contributions|"
            r"\bprofessional misconduct\b"),
         "the standard exclusion grounds (PCR 2015 reg. 57, Procurement Act 2023 Schedules 6 "
         "and 7) apply to every supplier and are not a test of size"),
    Duty("licence required by law", _BOTH,
         _p(r"\blicen[cs]e[sd]?\b[^.;]{0,80}\b(required|needed|necessary) (by|under) "
            r"(law|statute|legislation|the act)|\b(statutory|legal(ly)?)[- ](required )?"
            r"licen[cs]|\bSecurity Industry Authority\b|\bSIA licen[cs]|\bwaste carrier|"
            r"\bpremises licen[cs]e\b|\bTV licen[cs]e\b|\bperforming rights\b"),
         "a licence the law requires for the work applies to every provider of it"),
    Duty("data protection law", ("over_specification",),
         _p(r"\b(UK )?GDPR\b|\bgeneral data protection regulation\b|\bdata protection "
            r"(act|law|legislation|regulations?)\b|\bFreedom of Information\b|\bFOIA?\b|"
            r"\bEnvironmental Information Regulations\b"),
         "data-protection and information law apply to every supplier"),
    Duty("health and safety law", ("over_specification",),
         _p(r"\bhealth and safety at work\b|\bhealth and safety (law|legislation|regulations)\b|"
            r"\bCOSHH\b|\bRIDDOR\b|\bEquality Act\b|\bpublic sector equality duty\b"),
         "health-and-safety and equality law apply to every supplier"),
    Duty("safeguarding checks", _BOTH,
         _p(r"\bDBS\b|\bdisclosure and barring\b|\bsafeguarding (law|legislation|duties)\b|"
            r"\bkeeping children safe in education\b|\bworking together to safeguard\b|"
            r"\bchildren act\b|\bcare act 2014\b"),
         "safeguarding checks and duties are the law for anyone working with children or "
         "adults at risk"),
)

BARRIER_LABELS = frozenset(label for d in DUTIES for label in d.labels)

# Another demand in the same sentence: then the duty is not the whole of it, and the sentence is
# left to the classifier ("must be DBS checked and hold a Level 5 qualification", "tax returns
# and a bank reference", "an anti-fraud policy").
OTHER_DEMAND = re.compile(
    r"\b(qualifi\w*|accredit\w*|certif\w*|ISO|turnover|accounts?|audit\w*|references?|"
    r"experience|track record|insurance|insured|indemnity|bank|credit|ratio|guarantee|bond|"
    r"trading|polic(y|ies)|level \d|registered with|membership|case stud\w*)\b|[£$€]\s?\d",
    re.I)


def duties_in(text: str, label: str) -> list[Duty]:
    """The duties ``text`` names that clear ``label`` (empty: no veto). Nothing is cleared when
    the sentence makes another demand besides the duty."""
    if label not in BARRIER_LABELS:
        return []
    found = [d for d in DUTIES if label in d.labels and d.pattern.search(text)]
    if found and OTHER_DEMAND.search(text):
        return []
    return found


def duty_mask(texts: list[str], labels) -> "list[list[bool]]":
    """Per text and label: whether a duty there clears a classifier-only barrier finding."""
    labels = list(labels)
    return [[bool(duties_in(t, lab)) for lab in labels] for t in texts]
