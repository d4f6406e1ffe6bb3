"""The detector: rules, the trained classifier and document facts over one segmented document.

With the model on, each sentence's four labels are decided by the learned combination
(``model/compiled.py``): stage-1 probabilities from the words, plus what the rules found there.
For a label the combination confirms, the rules' findings stand (recording the model's and the
combination's probabilities, and ``also_found_by: ["model"]`` when the classifier alone agrees);
where no rule fired, the classifier adds its own finding with the combined probability as its
confidence. A rule finding the combination does not confirm is withheld and counted in the
result's stats (``rule_findings_not_confirmed``): rules with poor precision on held-out text no
longer create findings on their own. A sentence naming a duty every supplier has (the
exclusion grounds, a modern slavery statement, a licence the law requires, data-protection or
safeguarding law: ``duties.py``) gets no barrier finding from the classifier alone; its rules
still decide for themselves. Procurement-design and whole-document rules are not
sentence labels and always stand. ``--no-model`` gives the rules alone.

Context: the rules also read each table row of short cells as one line ("Public liability:
£10,000,000", ``rows.py``), so a label and its value are judged together; the classifier reads a
table cell too short to stand alone with its row's first cell (the question it answers); a
heading, or a one-word line, is never a finding.

:meth:`Detector.run` is the only way text is checked: files (``pipeline.scan_file``), pasted
snippets (``pipeline.scan_text``), a rule's own examples (``rules/examples.py``) and labelled
sentences in evaluation all go through it, so they cannot disagree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..config import Config
from ..document import Block, Document
from ..errors import ConfigError
from ..findings import Finding
from ..segment import get_nlp, segment, sentences_from_doc
from ..taxonomy import MODEL_CODES, polarity_of
from .duties import duties_in
from .model.explain import TEXT
from .rows import ROW_JOIN, row_findings
from .rules.engine import RuleEngine, evidence_at
from .rules.loader import Rule, cached_rules
from .rules.registry import check_selectors, is_enabled, select_rules

# The model reads at most this many characters of a sentence; longer runs are tables or lists.
MODEL_MAX_CHARS = 1000
SEVERITY_BY_PROB = ((0.85, "medium"), (0.0, "low"))
MIN_WORDS = 2  # a one-word line ("Lots", "Pass/Fail" is two) is never a finding
SHORT_CELL_WORDS = 8  # a table cell this short is read together with its row's first cell
_WORDS = re.compile(r"[A-Za-z]{2,}")
_NUMBERING = re.compile(r"^\s*(\(?[\divxlc]{1,4}[.)]|\d+(\.\d+)*\.?|[a-z][.)])\s+", re.I)
_TOC_PAGE = re.compile(r"(?<=[A-Za-z])\s+\d{1,3}$")  # "Purpose 3": a contents line's page
_SUBSTANCE = re.compile(r"[£$€%\d]|\b(must|shall|required?|will|should|may|can|not)\b", re.I)


@lru_cache(maxsize=8)
def _engine(rules_dir: str | None, select: tuple, ignore: tuple) -> RuleEngine:
    return RuleEngine(select_rules(cached_rules(rules_dir), select, ignore))


@lru_cache(maxsize=8)
def _row_engine(rules_dir: str | None, select: tuple, ignore: tuple) -> RuleEngine | None:
    return quantity_engine(_engine(rules_dir, select, ignore).rules)


def quantity_engine(rules: list[Rule]) -> RuleEngine | None:
    """The quantity rules of ``rules`` alone, for table rows (``rows.py``): they are the rules
    that need a label and a figure together, and only their findings are kept there. A pattern
    rule has been judged on its own cell, and joining cells would defeat its whole-line
    exceptions ("^FVRA ...$")."""
    rules = [r for r in rules if r.kind == "quantity"]
    return RuleEngine(rules) if rules else None


@lru_cache(maxsize=2)
def _model(model_dir: str | None):
    from .model.persist import load_model

    try:
        return load_model(model_dir) if model_dir else load_model()
    except Exception as e:  # noqa: BLE001 - any failure to load is a setup problem, not a file's
        # A damaged or untrusted model must stop the run with one clear line (exit 3), not turn
        # every document into an internal error.
        raise ConfigError(f"cannot load the classifier ({type(e).__name__}: {e}); "
                          "retrain with 'barrier-scan train' or scan with --no-model") from None


def fact_lines(document: Document) -> list[str]:
    """Sentences to read document facts from, with each table row also read as one line.

    Key facts often sit in a two-column table ("Contract value" | "£150,000 per annum"); joining
    a row's cells ("Contract value: £150,000 per annum") lets the fact parser see label and value
    together. Rows come after the sentences so sentence indices in ``Facts.sources`` stay valid.
    """
    lines = [s.text for s in document.sentences]
    lines.extend(ROW_JOIN.join(document.blocks[b].text for b in row)
                 for row in document.table_rows() if len(row) > 1)
    return lines


@dataclass
class Detection:
    """What the detector returns for a document: its findings and facts."""

    findings: list[Finding]
    facts: object  # detect.facts.Facts
    withheld: list[Finding] = field(default_factory=list)  # rule findings not confirmed
    duty_cleared: int = 0  # classifier-only barrier findings not raised: a duty everyone has


def heading_like(text: str) -> bool:
    """A short line that reads as a title: at most six words, no sentence ending, no figures and
    no obligation ("3.1 Sessions", "What we want to achieve", "Lot 1: Community music"), also
    as a contents line with its page number ("6. CONTINUOUS IMPROVEMENT 4")."""
    body = _TOC_PAGE.sub("", _NUMBERING.sub("", text).strip())
    return (len(_WORDS.findall(body)) <= 6 and not body.endswith((".", ":", ";", "?", "!", ")"))
            and not _SUBSTANCE.search(body))


def readable(document: Document, si: int) -> bool:
    """Whether a sentence can be a finding: not a heading, not a one-word line, and not a
    heading-like paragraph of its own (table cells are judged on their words alone)."""
    sent = document.sentences[si]
    block = document.blocks[sent.block_index]
    if block.kind == "heading" or len(_WORDS.findall(sent.text)) < MIN_WORDS:
        return False
    if block.table is None and sent.text.strip() == block.text.strip() and heading_like(sent.text):
        return False
    return True


def model_texts(document: Document) -> list[str]:
    """What the classifier reads per sentence: the sentence, with the question it answers when
    it is a short cell of a table row (questionnaires are tables of questions)."""
    first_cells: dict[tuple[int, int], str] = {}
    for b in document.blocks:
        if b.table is not None and b.table[2] == 0:
            first_cells.setdefault((b.table[0], b.table[1]), b.text)
    out = []
    for s in document.sentences:
        b = document.blocks[s.block_index]
        text = s.text
        if b.table is not None and b.table[2] > 0 and len(_WORDS.findall(text)) < SHORT_CELL_WORDS:
            question = first_cells.get((b.table[0], b.table[1]))
            if question:
                text = f"{question} {text}"
        out.append(text[:MODEL_MAX_CHARS])
    return out


class Detector:
    """Rules + model, configured once and reused for every document in a process.

    ``rules`` replaces the configured selection with exactly these rules (a rule's own examples
    are run this way).
    """

    def __init__(self, config: Config | None = None, rules: list[Rule] | None = None):
        self.config = config or Config()
        c = self.config
        if rules is None:
            check_selectors(cached_rules(c.rules_dir), c.select, c.ignore)
            self.engine = _engine(c.rules_dir, tuple(c.select), tuple(c.ignore))
            # Built here, with the main engine, so a batch builds it once in the parent before
            # forking (a Matcher built lazily inside a forked worker crashed there).
            self.row_engine = _row_engine(c.rules_dir, tuple(c.select), tuple(c.ignore))
        else:
            self.engine = RuleEngine(rules)
            self.row_engine = quantity_engine(rules)
        self.model = _model(c.model_dir) if c.use_model else None

    def facts(self, document: Document):
        """Document facts (value, term, lots, regime, dates), with the user's overrides applied."""
        from .facts import extract_facts

        facts = extract_facts(fact_lines(document))
        overrides = self.config.fact_overrides()
        return facts.override(**overrides) if overrides else facts

    def run(self, document: Document, *, whole_document: bool = True, docs=None) -> Detection:
        """Findings and facts for ``document`` (segmented here unless ``docs`` are given).

        ``whole_document=False`` for a pasted snippet or a single sentence: nothing is concluded
        from what the text does not say (absence rules do not run).
        """
        if docs is None:
            docs = segment(document, keep_docs=True)
        facts = self.facts(document)
        findings = self.rule_pass(document, docs, facts, whole_document=whole_document)
        withheld: list[Finding] = []
        cleared = 0
        if self.model is not None and document.sentences:
            findings, withheld, cleared = self.model_pass(document, findings)
        findings.sort(key=_order)
        return Detection(findings, facts, withheld, cleared)

    def rule_pass(self, document: Document, docs, facts, *, whole_document: bool = True):
        """The rules' findings: sentences, then table rows for the quantity rules; headings and
        one-word lines dropped. (The first half of :meth:`run`; ``bench`` times it alone.)"""
        findings = self.engine.detect(document, docs, facts, absence=whole_document)
        if self.row_engine is not None:
            findings = row_findings(self.row_engine, document, facts, findings)
        # A row finding was read with its whole row: its cell may be a bare figure.
        return [f for f in findings if f.data.get("sentence_index") is None
                or f.data.get("context") == "table row"
                or readable(document, f.data["sentence_index"])]

    def run_sentences(self, texts: list[str]) -> list[list[Finding]]:
        """Each text checked on its own as a one-paragraph snippet (labelled-data evaluation)."""
        out = []
        for text, doc in zip(texts, get_nlp().pipe(texts, batch_size=256)):
            document = Document(path="<sentence>", format="text",
                                blocks=[Block(text=text, paragraph=1)])
            document.sentences = sentences_from_doc(doc, 0)
            out.append(self.run(document, whole_document=False, docs=[doc]).findings)
        return out

    # -- model ---------------------------------------------------------------------------------
    def model_pass(self, document: Document, findings: list[Finding]):
        """Decide each sentence label with the learned combination (see the module docstring):
        (findings kept or added, rule findings withheld, classifier barriers a duty cleared).
        The second half of :meth:`run`; ``bench`` times it alone."""
        m = self.model
        labels = list(m.labels_)
        texts = model_texts(document)  # what the classifier reads; the duty veto reads the same
        probs = m.predict_proba(texts)
        hits: list[list] = [[] for _ in document.sentences]
        by_sentence: dict[tuple[int, str], list[Finding]] = {}
        kept: list[Finding] = []
        for f in findings:
            si = f.data.get("sentence_index")
            if si is None or f.category not in labels:
                kept.append(f)  # whole-document and procurement-design findings always stand
                continue
            hits[si].append((f.category, f.data.get("family"), f.severity))
            by_sentence.setdefault((si, f.category), []).append(f)
        combined = m.combine(probs, hits)
        withheld: list[Finding] = []
        cleared = 0
        for si in range(len(document.sentences)):
            ok = readable(document, si)
            for j, label in enumerate(labels):
                p, pc = float(probs[si, j]), float(combined[si, j])
                rule_fs = by_sentence.get((si, label), [])
                confirmed = pc >= m.combined_thresholds_[label]
                for f in rule_fs:
                    f.data["model_probability"] = round(p, 3)
                    f.data["combined_probability"] = round(pc, 3)
                    if confirmed and p >= m.thresholds_[label]:
                        f.also_found_by.append("model")
                    (kept if confirmed else withheld).append(f)
                if rule_fs or not confirmed or not ok or pc < self.config.min_confidence:
                    continue
                if not is_enabled(MODEL_CODES[label], self.config.select, self.config.ignore):
                    continue
                if duties_in(texts[si], label):
                    cleared += 1  # a duty everyone has (duties.py): not a classifier finding
                    continue
                finding = self._model_finding(document, si, label, pc)
                finding.data["model_probability"] = round(p, 3)
                kept.append(finding)
        return kept, withheld, cleared

    @staticmethod
    def _model_finding(document: Document, si: int, label: str, p: float) -> Finding:
        t = TEXT[label]
        ev = evidence_at(document, si, 0, len(document.sentences[si].text))  # the whole sentence
        polarity = polarity_of(label)
        severity = "info" if polarity == "strength" else \
            next(s for cut, s in SEVERITY_BY_PROB if p >= cut)
        return Finding(code=MODEL_CODES[label], name=t["name"], category=label,
                       polarity=polarity, severity=severity,
                       message=f"{t['message']} (classifier confidence {p:.0%})", evidence=ev,
                       source="model", why=t["why"], suggestion=t["suggestion"],
                       citation=t["citation"], confidence=round(p, 3),
                       data={"sentence_index": si})


@lru_cache(maxsize=8)
def load_detector(config: Config) -> Detector:
    """The detector for ``config``, built once per process (rules, spaCy and model load once)."""
    return Detector(config)


def _order(f: Finding):
    ev = f.evidence
    return (ev.page or 0, ev.paragraph or 0, ev.start or 0, f.code)
