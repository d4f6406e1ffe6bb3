"""Compare two versions of a specification: which findings were added, removed or kept.

Matching, in three passes:

1. **Same words** — findings with equal keys (:meth:`~barrier_scan.findings.Finding.key`: rule
   code + hash of the normalised sentence) are the same finding: *unchanged*. Re-pagination,
   renumbering, punctuation and case changes do not matter. Repeated identical clauses are
   paired one to one.
2. **Same rule, same clause** — of what is left, findings of the same rule code in the same
   clause (the numbered clause the sentence starts with, else the heading path it sits under)
   that state the same requirement (:func:`same_requirement`: same quoted words, same parsed
   quantity, or many words in common) are that requirement reworded ("three years' audited
   accounts" rewritten as "audited accounts for the last three years"): *changed*, most similar
   pairs first. A different product named in the same section is not a rewording.
3. **Same rule, similar sentence** — a clause moved to another section and reworded a little:
   same rule code and a ``difflib.SequenceMatcher`` ratio of at least :data:`FUZZY_RATIO` (0.85)
   between the normalised sentences: *changed*.

Everything else in the new version is *added*, everything else in the old one *removed*; only an
added barrier makes ``compare`` exit 1. Two documents with no finding in common and no heading
in common get a warning: they may not be versions of one specification.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .findings import DocumentResult, Finding, normalise_clause

FUZZY_RATIO = 0.85


@dataclass
class Comparison:
    """Findings of two versions matched: added, removed, reworded and unchanged."""
    old: DocumentResult
    new: DocumentResult
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    unchanged: list[tuple[Finding, Finding]] = field(default_factory=list)  # (old, new)
    changed: list[tuple[Finding, Finding, float]] = field(default_factory=list)  # reworded
    ratio: float = FUZZY_RATIO  # sentence similarity at or above which a clause is "reworded"
    warnings: list[str] = field(default_factory=list)

    @property
    def score_change(self) -> float | None:
        """New score minus old (None when either could not be scored)."""
        if self.old.score is None or self.new.score is None:
            return None
        return round(self.new.score - self.old.score, 1)

    def counts(self) -> dict:
        """Barriers and strengths added, removed, reworded and unchanged."""
        def split(fs):
            return {"barriers": sum(f.is_barrier for f in fs),
                    "strengths": sum(not f.is_barrier for f in fs)}
        return {"added": split(self.added), "removed": split(self.removed),
                "changed": split([n for _, n, _ in self.changed]),
                "unchanged": split([n for _, n in self.unchanged])}

    def to_dict(self) -> dict:
        """Plain JSON-ready data (the ``compare --format json`` body)."""
        def brief(f: Finding) -> dict:
            return {"key": f.key(), "code": f.code, "polarity": f.polarity, "severity": f.severity,
                    "message": f.message, "location": f.evidence.location(),
                    "quote": f.evidence.sentence or f.evidence.text}
        return {
            "old": {"path": self.old.path, "score": self.old.score, "band": self.old.band},
            "new": {"path": self.new.path, "score": self.new.score, "band": self.new.band},
            "score_change": self.score_change,
            "counts": self.counts(),
            "added": [brief(f) for f in self.added],
            "removed": [brief(f) for f in self.removed],
            "changed": [{"old": brief(o), "new": brief(n), "similarity": round(r, 3)}
                        for o, n, r in self.changed],
            "unchanged": [brief(n) for _, n in self.unchanged],
            "warnings": list(self.warnings),
        }


def _clause(f: Finding) -> str:
    return normalise_clause(f.evidence.sentence or f.evidence.text)


_CLAUSE_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)+)\.?\s")


def clause_of(f: Finding) -> str | None:
    """Which clause a finding is in: the clause number its sentence starts with ("4.2.1"), else
    the heading path it sits under; None for a whole-document finding or unstructured text."""
    ev = f.evidence
    if ev.whole_document:
        return None
    m = _CLAUSE_NUMBER.match(ev.sentence or "")
    if m:
        return "§" + m.group(1)
    return (ev.section or "").strip().lower() or None


# Parsed quantities that identify a requirement whatever its wording ("three years' accounts").
_QUANTITIES = ("years", "days", "amount", "percent", "required_turnover", "ratio", "cover")


def _words(f: Finding) -> set[str]:
    return {w for w in _clause(f).split() if len(w) > 3}


def same_requirement(o: Finding, n: Finding) -> bool:
    """Two findings of one rule in one clause that are the same requirement reworded: the same
    quoted words, the same parsed quantity, or a quarter of their longer words in common. (Two
    different named products in one section are two requirements, not one reworded.)"""
    if normalise_clause(o.evidence.text) and \
            normalise_clause(o.evidence.text) == normalise_clause(n.evidence.text):
        return True
    for k in _QUANTITIES:
        if k in o.data and k in n.data and o.data[k] == n.data[k]:
            return True
    a, b = _words(o), _words(n)
    return bool(a and b) and len(a & b) / len(a | b) >= 0.25


def _similarity(o: Finding, n: Finding) -> float:
    return difflib.SequenceMatcher(None, _clause(o), _clause(n), autojunk=False).ratio()


def _pair(left_old, left_new, candidates, cmp, used_o, used_n) -> None:
    for neg_r, i, j in sorted(candidates):
        if i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        cmp.changed.append((left_old[i], left_new[j], -neg_r))


def compare_results(old: DocumentResult, new: DocumentResult,
                    ratio: float = FUZZY_RATIO) -> Comparison:
    """Match the findings of ``old`` and ``new`` (same words, then same rule in the same clause,
    then same rule in a similar sentence)."""
    cmp = Comparison(old=old, new=new, ratio=ratio)
    # Pass 1: identical keys, paired in reading order.
    pool: dict[str, list[Finding]] = {}
    for f in old.findings:
        pool.setdefault(f.key(), []).append(f)
    left_new: list[Finding] = []
    for f in new.findings:
        bucket = pool.get(f.key())
        if bucket:
            cmp.unchanged.append((bucket.pop(0), f))
        else:
            left_new.append(f)
    old_pos = {id(f): i for i, f in enumerate(old.findings)}
    new_pos = {id(f): i for i, f in enumerate(new.findings)}
    left_old = sorted((f for fs in pool.values() for f in fs), key=lambda f: old_pos[id(f)])
    used_o: set[int] = set()
    used_n: set[int] = set()
    # Pass 2: same rule code in the same clause, whatever the wording; most similar first.
    same_clause = []
    for i, o in enumerate(left_old):
        co = clause_of(o)
        if co is None:
            continue
        for j, n in enumerate(left_new):
            if o.code == n.code and clause_of(n) == co and same_requirement(o, n):
                same_clause.append((-_similarity(o, n), i, j))
    _pair(left_old, left_new, same_clause, cmp, used_o, used_n)
    # Pass 3: same code, similar sentence anywhere; best-scoring pairs first.
    candidates = []
    for i, o in enumerate(left_old):
        if i in used_o:
            continue
        for j, n in enumerate(left_new):
            if j in used_n or o.code != n.code:
                continue
            sm = difflib.SequenceMatcher(None, _clause(o), _clause(n), autojunk=False)
            if sm.real_quick_ratio() < ratio or sm.quick_ratio() < ratio:
                continue
            r = sm.ratio()
            if r >= ratio:
                candidates.append((-r, i, j))
    _pair(left_old, left_new, candidates, cmp, used_o, used_n)
    cmp.changed.sort(key=lambda t: new_pos[id(t[1])])
    cmp.removed = [f for i, f in enumerate(left_old) if i not in used_o]
    cmp.added = [f for j, f in enumerate(left_new) if j not in used_n]
    if looks_unrelated(cmp):
        cmp.warnings.append(
            f"{old.path} and {new.path} have no finding and no heading in common: they may not be "
            "two versions of the same specification, so 'added' and 'removed' mean little")
    return cmp


def looks_unrelated(cmp: Comparison) -> bool:
    """True when both versions have passages with findings but share none of them (no finding
    matched, reworded or not) and no heading: probably two different documents."""
    def located(fs):
        return [f for f in fs if not f.evidence.whole_document]

    old_loc, new_loc = located(cmp.old.findings), located(cmp.new.findings)
    if len(old_loc) < 2 or len(new_loc) < 2:
        return False
    matched = [n for _, n in cmp.unchanged] + [n for _, n, _ in cmp.changed]
    if located(matched):
        return False
    heads = {(f.evidence.section or "").strip().lower() for f in old_loc} - {""}
    return not (heads & {(f.evidence.section or "").strip().lower() for f in new_loc})
