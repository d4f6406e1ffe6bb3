"""Compare two versions of a specification: which findings were added, removed or kept.

Matching, in two passes:

1. **Same clause** — findings with equal keys (:meth:`~barrier_scan.findings.Finding.key`: rule
   code + hash of the normalised sentence) are the same finding: *unchanged*. Re-pagination, renumbering, punctuation and case
   changes do not matter. Repeated identical clauses are paired one to one.
2. **Reworded clause** — of what is left, a new finding is paired with an old finding of the same
   rule code when their normalised sentences have a ``difflib.SequenceMatcher`` ratio of at least
   :data:`FUZZY_RATIO` (0.85); best pairs first. These are reported as *changed*: the clause was
   edited but the finding is still there, so it counts as kept, not as one removed plus one added.

Everything else in the new version is *added*, everything else in the old one *removed*.
"""
from __future__ import annotations

import difflib
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
        }


def _clause(f: Finding) -> str:
    return normalise_clause(f.evidence.sentence or f.evidence.text)


def compare_results(old: DocumentResult, new: DocumentResult,
                    ratio: float = FUZZY_RATIO) -> Comparison:
    """Match the findings of ``old`` and ``new`` (same clause first, then reworded clauses)."""
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
    # Pass 2: same code, similar sentence; best-scoring pairs first.
    candidates = []
    for i, o in enumerate(left_old):
        for j, n in enumerate(left_new):
            if o.code != n.code:
                continue
            sm = difflib.SequenceMatcher(None, _clause(o), _clause(n), autojunk=False)
            if sm.real_quick_ratio() < ratio or sm.quick_ratio() < ratio:
                continue
            r = sm.ratio()
            if r >= ratio:
                candidates.append((-r, i, j))
    used_o, used_n = set(), set()
    for neg_r, i, j in sorted(candidates):
        if i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        cmp.changed.append((left_old[i], left_new[j], -neg_r))
    cmp.changed.sort(key=lambda t: new_pos[id(t[1])])
    cmp.removed = [f for i, f in enumerate(left_old) if i not in used_o]
    cmp.added = [f for j, f in enumerate(left_new) if j not in used_n]
    return cmp
