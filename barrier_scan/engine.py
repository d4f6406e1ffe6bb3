"""Sentence-level entry points of the combined engine, for evaluation and training.

``rule_sentence_labels`` answers "which sentence categories do the rules fire on this sentence?"
for labelled data in the LABELS.md format; ``combined_sentence_labels`` adds the classifier with
the same per-label thresholds ``scan`` uses, so evaluation measures what users get.
"""
from __future__ import annotations

from .config import Config
from .detect import Detector
from .document import Block, Document
from .model_findings import MODEL_CODES
from .segment import get_nlp, sentences_from_doc


def _single_sentence_docs(texts: list[str]):
    """Each text becomes its own one-block Document (document-level rules need a whole tender)."""
    nlp = get_nlp()
    for text, spacy_doc in zip(texts, nlp.pipe(texts, batch_size=256)):
        doc = Document(path="<sentence>", format="text", blocks=[Block(text=text, paragraph=1)])
        doc.sentences = sentences_from_doc(spacy_doc, 0)
        yield doc, [spacy_doc]


def rule_sentence_labels(texts: list[str], config: Config | None = None) -> list[set[str]]:
    det = Detector((config or Config()).with_overrides(use_model=False))
    out = []
    for doc, docs in _single_sentence_docs(texts):
        fs = det.engine.detect(doc, docs, facts=None)
        out.append({f.category for f in fs
                    if f.category in MODEL_CODES and f.data.get("sentence_index") is not None})
    return out
