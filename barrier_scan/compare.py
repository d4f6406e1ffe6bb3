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
import html
import json
from dataclasses import dataclass, field

from .findings import DocumentResult, Finding, normalise_clause

FUZZY_RATIO = 0.85


@dataclass
class Comparison:
    old: DocumentResult
    new: DocumentResult
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    unchanged: list[tuple[Finding, Finding]] = field(default_factory=list)  # (old, new)
    changed: list[tuple[Finding, Finding, float]] = field(default_factory=list)  # reworded

    @property
    def score_change(self) -> float | None:
        if self.old.score is None or self.new.score is None:
            return None
        return round(self.new.score - self.old.score, 1)

    def counts(self) -> dict:
        def split(fs):
            return {"barriers": sum(f.is_barrier for f in fs),
                    "strengths": sum(not f.is_barrier for f in fs)}
        return {"added": split(self.added), "removed": split(self.removed),
                "changed": split([n for _, n, _ in self.changed]),
                "unchanged": split([n for _, n in self.unchanged])}

    def to_dict(self) -> dict:
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
    cmp = Comparison(old=old, new=new)
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


# ------------------------------------------------------------------------------ formats
def _line(f: Finding) -> str:
    tag = "+" if f.polarity == "strength" else "-"
    quote = f.evidence.sentence or f.evidence.text
    if len(quote) > 160:
        quote = quote[:159] + "…"
    return f"  {tag} {f.code} {f.severity:<6} {f.evidence.location():<10} {f.message}\n      “{quote}”"


def render_text(cmp: Comparison) -> str:
    o, n = cmp.old, cmp.new
    c = cmp.counts()
    delta = cmp.score_change
    out = [f"old: {o.path}: openness {o.score:g}/100 ({o.band})",
           f"new: {n.path}: openness {n.score:g}/100 ({n.band})",
           f"score change: {delta:+g}" + (f" (band {o.band} → {n.band})" if o.band != n.band else ""),
           "",
           f"added: {c['added']['barriers']} barrier(s), {c['added']['strengths']} strength(s); "
           f"removed: {c['removed']['barriers']} barrier(s), {c['removed']['strengths']} strength(s); "
           f"reworded: {len(cmp.changed)}; unchanged: {len(cmp.unchanged)}"]
    if cmp.added:
        out += ["", "Added in the new version:"] + [_line(f) for f in cmp.added]
    if cmp.removed:
        out += ["", "Removed (no longer found):"] + [_line(f) for f in cmp.removed]
    if cmp.changed:
        out += ["", f"Reworded but still found (sentence similarity ≥ {FUZZY_RATIO}):"]
        for old_f, new_f, r in cmp.changed:
            out.append(_line(new_f) + f"\n      was: “{old_f.evidence.sentence or old_f.evidence.text}” "
                       f"({r:.0%} similar)")
    if cmp.unchanged:
        out += ["", "Unchanged:"] + [f"  {'+' if not nf.is_barrier else '-'} {nf.code} "
                                     f"{nf.evidence.location()} {nf.message}"
                                     for _, nf in cmp.unchanged]
    return "\n".join(out) + "\n"


def render_json(cmp: Comparison, meta: dict | None = None) -> str:
    d = {"tool": {"name": "barrier-scan", **(meta or {})}, **cmp.to_dict()}
    return json.dumps(d, indent=2, ensure_ascii=False) + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1b1b1b;line-height:1.45}h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
.f{border-left:4px solid #b00;padding:.3rem .8rem;margin:.6rem 0;background:#fafafa}
.f.strength{border-color:#2a7}.q{font-style:italic;color:#333}.was{color:#666}
.meta{color:#555;font-size:.9rem}"""


def _h(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _finding_html(f: Finding, extra: str = "") -> str:
    kind = "strength" if f.polarity == "strength" else "barrier"
    quote = f.evidence.sentence or f.evidence.text
    return (f'<div class="f {kind}"><strong>{_h(f.code)}</strong> {_h(kind)}, {_h(f.severity)} — '
            f'{_h(f.message)} <span class="meta">({_h(f.evidence.location())})</span>'
            f'<div class="q">“{_h(quote)}”</div>{extra}</div>')


def render_html(cmp: Comparison) -> str:
    o, n = cmp.old, cmp.new
    c = cmp.counts()
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>barrier-scan compare: {_h(o.path)} → {_h(n.path)}</title>",
             f"<style>{_CSS}</style></head><body>",
             "<h1>Specification versions compared</h1>",
             "<table><tr><th></th><th>file</th><th>openness</th><th>band</th></tr>",
             f"<tr><td>old</td><td>{_h(o.path)}</td><td>{_h(o.score)}</td><td>{_h(o.band)}</td></tr>",
             f"<tr><td>new</td><td>{_h(n.path)}</td><td>{_h(n.score)}</td><td>{_h(n.band)}</td></tr>",
             "</table>",
             f"<p>Score change: <strong>{_h(f'{cmp.score_change:+g}' if cmp.score_change is not None else 'n/a')}</strong>. "
             f"Added {c['added']['barriers']} barrier(s) and {c['added']['strengths']} strength(s); "
             f"removed {c['removed']['barriers']} barrier(s) and {c['removed']['strengths']} strength(s); "
             f"{len(cmp.changed)} reworded; {len(cmp.unchanged)} unchanged.</p>"]
    sections = [("Added in the new version", [_finding_html(f) for f in cmp.added]),
                ("Removed (no longer found)", [_finding_html(f) for f in cmp.removed]),
                ("Reworded but still found",
                 [_finding_html(nf, f'<div class="was">was: “{_h(of.evidence.sentence or of.evidence.text)}” '
                                    f'({r:.0%} similar)</div>') for of, nf, r in cmp.changed]),
                ("Unchanged", [_finding_html(nf) for _, nf in cmp.unchanged])]
    for title, items in sections:
        if items:
            parts.append(f"<h2>{_h(title)} ({len(items)})</h2>")
            parts.extend(items)
    parts.append('<p class="meta">Generated by barrier-scan. Findings are matched by rule code and '
                 'normalised sentence; reworded clauses by sentence similarity of at least '
                 f'{FUZZY_RATIO}.</p></body></html>')
    return "\n".join(parts) + "\n"
