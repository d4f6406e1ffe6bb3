"""The detector: rules, the trained classifier and document facts over one segmented document.

Both rules and classifier produce findings. Where the classifier agrees with a rule on a
sentence, the rule's finding records it (``also_found_by: ["model"]`` and the probability) so a
person sees both; where only the classifier fires, it adds its own finding with its confidence.

:meth:`Detector.run` is the only way text is checked: files (``pipeline.scan_file``), pasted
snippets (``pipeline.scan_text``), a rule's own examples (``rules/examples.py``) and labelled
sentences in evaluation all go through it, so they cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..config import Config
from ..document import Block, Document
from ..errors import ConfigError
from ..findings import Evidence, Finding
from ..segment import get_nlp, segment, sentences_from_doc
from ..taxonomy import MODEL_CODES, polarity_of
from .model.explain import TEXT
from .rules.engine import RuleEngine
from .rules.loader import Rule, cached_rules
from .rules.registry import check_selectors, is_enabled, select_rules

# The model reads at most this many characters of a sentence; longer runs are tables or lists.
MODEL_MAX_CHARS = 1000
SEVERITY_BY_PROB = ((0.85, "medium"), (0.0, "low"))


@lru_cache(maxsize=8)
def _engine(rules_dir: str | None, select: tuple, ignore: tuple) -> RuleEngine:
    return RuleEngine(select_rules(cached_rules(rules_dir), select, ignore))


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
    rows: dict[tuple[int, int], list[str]] = {}
    for b in document.blocks:
        if b.table is not None:
            rows.setdefault((b.table[0], b.table[1]), []).append(b.text)
    lines.extend(": ".join(cells) for cells in rows.values() if len(cells) > 1)
    return lines


@dataclass
class Detection:
    """What the detector returns for a document: its findings and facts."""
    findings: list[Finding]
    facts: object  # detect.facts.Facts


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
        else:
            self.engine = RuleEngine(rules)
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
        findings = self.engine.detect(document, docs, facts, absence=whole_document)
        if self.model is not None and document.sentences:
            findings = self._add_model(document, findings)
        findings.sort(key=_order)
        return Detection(findings, facts)

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
    def _thresholds(self) -> dict:
        m = self.model
        return dict(getattr(m, "combined_thresholds_", None) or m.thresholds_)

    def _add_model(self, document: Document, findings: list[Finding]) -> list[Finding]:
        labels = list(self.model.labels_)
        probs = self.model.predict_proba([s.text[:MODEL_MAX_CHARS] for s in document.sentences])
        thresholds = self._thresholds()
        by_sentence: dict[tuple[int, str], Finding] = {}
        for f in findings:
            si = f.data.get("sentence_index")
            if si is not None:
                by_sentence.setdefault((si, f.category), f)
        out = list(findings)
        for si, row in enumerate(probs):
            for j, label in enumerate(labels):
                p = float(row[j])
                rule_f = by_sentence.get((si, label))
                if rule_f is not None:
                    rule_f.data["model_probability"] = round(p, 3)
                    if p >= thresholds[label]:
                        rule_f.also_found_by.append("model")
                    continue
                code = MODEL_CODES[label]
                if p < thresholds[label] or p < self.config.min_confidence:
                    continue
                if not is_enabled(code, self.config.select, self.config.ignore):
                    continue
                out.append(self._model_finding(document, si, label, p))
        return out

    @staticmethod
    def _model_finding(document: Document, si: int, label: str, p: float) -> Finding:
        sent = document.sentences[si]
        block = document.blocks[sent.block_index]
        t = TEXT[label]
        ev = Evidence(text=sent.text, page=block.page, paragraph=block.paragraph, start=sent.start,
                      end=sent.end, section=block.section, sentence=sent.text,
                      table=list(block.table) if block.table else None)
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
