"""Run rule data against a segmented document.

Token and phrase patterns go through one spaCy Matcher and one PhraseMatcher per engine (built
once, run once per block), regexes run per sentence; every hit is mapped to the sentence it sits
in, then each rule's kind decides whether it fires.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ...document import Document
from ...findings import Evidence, Finding
from ...segment import get_nlp
from .checks import CHECKS, CheckContext
from .loader import Condition, Rule, compile_regex
from .prefilter import RegexPrefilter, required_literals
from .spans import quote_span

Hits = dict[int, list[tuple[int, int]]]  # sentence index -> spans inside that sentence


class _PatternSets:
    """All pattern sets of all rules, compiled once."""

    def __init__(self, rules: list[Rule]):
        nlp = get_nlp()
        self.matcher = Matcher(nlp.vocab)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.regexes: dict[str, list[re.Pattern]] = defaultdict(list)
        self.keys: list[str] = []
        for rule in rules:
            sets = [("trigger", rule.patterns)]
            if rule.requires:
                sets.append(("requires", rule.requires.patterns))
            if rule.unless:
                sets.append(("unless", rule.unless.patterns))
            for role, patterns in sets:
                if not patterns:
                    continue
                key = f"{rule.code}:{role}"
                self.keys.append(key)
                for p in patterns:
                    (kind, value), = p.items()
                    if kind == "regex":
                        self.regexes[key].append(compile_regex(value))
                    elif kind == "phrase":
                        self.phrases.add(key, [nlp.make_doc(value)])
                    elif kind == "lemma":
                        toks = nlp(value)
                        self.matcher.add(key, [[{"LEMMA": t.lemma_} for t in toks]])
                    elif kind == "tokens":
                        self.matcher.add(key, [value])
        # All regexes in (key, list) order, and a prefilter (prefilter.py) that tells from one
        # pass over a sentence which of them can match it: the others are not run (same hits).
        self._flat = [(key, rx) for key, rxs in self.regexes.items() for rx in rxs]
        self._prefilter = RegexPrefilter([required_literals(rx) for _, rx in self._flat])

    def run(self, document: Document, docs: list[Doc]) -> dict[str, Hits]:
        """Every pattern hit in ``document``: key -> sentence index -> spans."""
        hits: dict[str, Hits] = defaultdict(lambda: defaultdict(list))
        sents = document.sentences
        # Sentences are in block order; index the starts of each block's sentences once.
        by_block: dict[int, tuple[list[int], list[int]]] = {}
        for i, s in enumerate(sents):
            starts, idxs = by_block.setdefault(s.block_index, ([], []))
            starts.append(s.start)
            idxs.append(i)
        vocab_strings = get_nlp().vocab.strings
        for b, doc in enumerate(docs):
            if b not in by_block:
                continue
            starts, idxs = by_block[b]
            found = (list(self.matcher(doc)) if len(self.matcher) else []) + \
                (list(self.phrases(doc)) if len(self.phrases) else [])
            for match_id, ts, te in found:
                cs, ce = doc[ts].idx, doc[te - 1].idx + len(doc[te - 1])
                j = bisect.bisect_right(starts, cs) - 1
                if j < 0:
                    continue
                si = idxs[j]
                s = sents[si]
                if ce > s.end:  # a match that crosses a sentence end belongs to neither
                    continue
                hits[vocab_strings[match_id]][si].append((cs - s.start, ce - s.start))
        flat = self._flat
        for si, s in enumerate(sents):
            text = s.text
            done = set()  # keys already hit in this sentence: their later regexes are not tried
            for i in self._prefilter.candidates(text):
                key, rx = flat[i]
                if key in done:
                    continue
                m = rx.search(text)
                if m and m.end() > m.start():
                    hits[key][si].append((m.start(), m.end()))
                    done.add(key)
        return hits


class RuleEngine:
    """The selected rules compiled into one Matcher, one PhraseMatcher and a regex prefilter."""
    def __init__(self, rules: list[Rule]):
        self.rules = list(rules)
        self._patterns = _PatternSets(self.rules)

    # -- scope helpers -------------------------------------------------------------------------
    @staticmethod
    def _in_scope(cond: Condition, hits: Hits, si: int, document: Document) -> bool:
        if not hits:
            return False
        if cond.scope == "document":
            return True
        if cond.scope == "sentence":
            return si in hits
        if cond.scope == "block":
            b = document.sentences[si].block_index
            return any(document.sentences[j].block_index == b for j in hits)
        # nearby: within `window` sentences either side, in document order
        return any(abs(j - si) <= cond.window for j in hits)

    def _nearby_text(self, document: Document, si: int, window: int = 2) -> str:
        lo, hi = max(0, si - window), min(len(document.sentences), si + window + 1)
        return " ".join(s.text for s in document.sentences[lo:hi])

    # -- detection -----------------------------------------------------------------------------
    def detect(self, document: Document, docs: list[Doc], facts=None,
               absence: bool = True) -> list[Finding]:
        """Findings of every rule on ``document``; ``absence=False`` skips absence rules (a
        snippet or a single sentence says nothing about what the whole tender lacks)."""
        hits = self._patterns.run(document, docs)
        regime = getattr(facts, "regime", None) if facts is not None else None
        findings: list[Finding] = []
        # Absence rules run last: "nothing in the tender does X" must agree with every rule that
        # found X (``unless_fired``), e.g. no "no outcomes" barrier beside an outcome strength.
        ordered = [r for r in self.rules if r.kind != "absence"] + \
                  [r for r in self.rules if r.kind == "absence"]
        for rule in ordered:
            trig = hits.get(f"{rule.code}:trigger", {})
            req = hits.get(f"{rule.code}:requires", {})
            unl = hits.get(f"{rule.code}:unless", {})
            if rule.kind == "absence":
                if not absence:
                    continue
                fired = bool(rule.unless_fired) and any(
                    f.code.startswith(tuple(rule.unless_fired)) for f in findings)
                if not trig and not (rule.unless and unl) and not fired and document.sentences:
                    findings.append(self._document_finding(rule, document, regime))
                continue
            if rule.kind == "quantity" and not rule.patterns:
                res = CHECKS[rule.check["name"]](
                    CheckContext(text="", facts=facts, params=rule.check.get("params", {})))
                if res is not None:
                    findings.append(self._document_finding(rule, document, regime, res, facts))
                continue
            for si in sorted(trig):
                if rule.requires and not self._in_scope(rule.requires, req, si, document):
                    continue
                if rule.unless and self._in_scope(rule.unless, unl, si, document):
                    continue
                span = min(trig[si])
                others = trig[si]  # other hits of the trigger, joined to the quote if they touch
                res = None
                if rule.kind == "quantity":
                    res = CHECKS[rule.check["name"]](CheckContext(
                        text=document.sentences[si].text, facts=facts,
                        params=rule.check.get("params", {}), match=span,
                        nearby=self._nearby_text(document, si)))
                    if res is None:
                        continue
                    if res.span:
                        span, others = res.span, []
                findings.append(self._sentence_finding(rule, document, si, span, regime, res,
                                                       others))
        return findings

    def _sentence_finding(self, rule, document, si, span, regime, res=None, others=()) -> Finding:
        sent = document.sentences[si]
        s, e = quote_span(sent.text, span, list(others))
        return self._finding(rule, evidence_at(document, si, s, e), regime, res, sentence_index=si)

    def _document_finding(self, rule, document, regime, res=None, facts=None) -> Finding:
        """A finding about the whole document. It quotes nothing (there is no passage that says
        "no outcomes"): ``evidence.text`` stays empty and the tool's reasoning goes in
        ``detail``. A check that rests on stated facts (the tender window: a deadline and a
        publication date) points to where they are stated instead."""
        located = _fact_evidence(document, facts, res.at) if res is not None and facts else []
        ev = located[0] if located else Evidence(text="")
        f = self._finding(rule, ev, regime, res)
        f.related = located[1:]
        if res is None:
            f.detail = (f"nothing found in the whole document "
                        f"({len(document.sentences)} sentences read)")
        return f

    @staticmethod
    def _finding(rule: Rule, ev: Evidence, regime, res, sentence_index=None) -> Finding:
        message = rule.message
        data = {"family": rule.family, "kind": rule.kind, "evidence_tag": rule.evidence_tag}
        if sentence_index is not None:
            data["sentence_index"] = sentence_index
        detail = ""
        if res is not None:
            message = f"{message}: {res.detail}"
            detail = res.detail
            data.update(res.data)
        return Finding(
            code=rule.code, name=rule.name, category=rule.category, polarity=rule.polarity,
            severity=(res.severity if res is not None and res.severity else rule.severity),
            message=message, evidence=ev, source="rule", why=rule.why,
            suggestion=rule.suggestion, citation=rule.citation_for(regime), confidence=None,
            data=data, detail=detail,
        )


def evidence_at(document: Document, si: int, s: int, e: int) -> Evidence:
    """Evidence for characters ``s:e`` of sentence ``si``, with the block's provenance."""
    sent = document.sentences[si]
    block = document.blocks[sent.block_index]
    return Evidence(
        text=sent.text[s:e], page=block.page, paragraph=block.paragraph,
        start=sent.start + s, end=sent.start + e, section=block.section, sentence=sent.text,
        table=list(block.table) if block.table else None,
    )


def _fact_evidence(document: Document, facts, names) -> list[Evidence]:
    """Where each named fact (a date) is stated, from ``facts.sources``; facts the user gave or
    the parser could not place are skipped. The quote is the date itself when it can be found
    in the sentence, else the whole sentence."""
    from ..quantities import parse_dates

    out: list[Evidence] = []
    sources = getattr(facts, "sources", {}) or {}
    for name in names:
        i, value = sources.get(name), getattr(facts, name, None)
        if i is None:
            continue
        candidates = _sentences_of_fact_line(document, i)
        best = None
        for si in candidates:
            text = document.sentences[si].text
            hit = next((m for m in parse_dates(text) if m.date == value), None)
            if hit is not None:
                best = (si, *quote_span(text, (hit.start, hit.end)))
                break
        if best is None and len(candidates) == 1:
            si = candidates[0]
            best = (si, 0, len(document.sentences[si].text))
        if best is not None:
            ev = evidence_at(document, *best)
            if all((ev.paragraph, ev.page, ev.start) != (o.paragraph, o.page, o.start) for o in out):
                out.append(ev)
    return out


def _sentences_of_fact_line(document: Document, i: int) -> list[int]:
    """Sentence indices behind line ``i`` of the fact parser's input: the sentences first, then
    one line per table row of two or more cells, in the order ``detector.fact_lines`` builds
    them (a key fact often sits in a "Deadline | 5 May 2025" row)."""
    n = len(document.sentences)
    if i < n:
        return [i]
    multi = [row for row in document.table_rows() if len(row) > 1]
    k = i - n
    if not 0 <= k < len(multi):
        return []
    wanted = set(multi[k])
    return [si for si, s in enumerate(document.sentences) if s.block_index in wanted]
