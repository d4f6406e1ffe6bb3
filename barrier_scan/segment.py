"""Sentence segmentation with spaCy: ``blank("en")`` + sentencizer + lookup lemmatizer.

No statistical model can be installed (or downloaded at run time), so we use spaCy's rule-based
pieces: the tokenizer (which already keeps "e.g.", "St." and clause numbers like "3.2" whole), the
punctuation sentencizer, and lookup lemmas from ``spacy-lookups-data``. The pipeline is built once
per process.
"""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .document import Document, Sentence

# Very long blocks (a table flattened into one cell, say) are cut so spaCy never sees megabytes.
MAX_BLOCK_CHARS = 100_000
# A sentence longer than this is split at semicolons / bullets so evidence quotes stay readable.
MAX_SENTENCE_CHARS = 600
_SOFT_BREAK = re.compile(r"(?<=[;:])\s+(?=\S)|\s+(?=[•▪●]\s)")


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The spaCy pipeline (blank English, sentencizer, lookup lemmas), built once per process."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lower_lemmas")
    nlp.max_length = MAX_BLOCK_CHARS + 10
    return nlp


@lru_cache(maxsize=1)
def _lemma_table():
    try:
        from spacy.lookups import load_lookups

        # A spaCy Table keys on string hashes; .get() accepts the string itself.
        return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    except Exception:  # pragma: no cover - only when spacy-lookups-data is missing
        return {}


@Language.component("lower_lemmas")
def lower_lemmas(doc: Doc) -> Doc:
    """Lookup lemmas on the lower-cased token.

    spaCy's lookup lemmatizer is case-sensitive ("Bidders" stays "Bidders"); tender text is full
    of capitalised defined terms, so we look up the lower-case form and store lower-case lemmas.
    That lets one rule pattern {"LEMMA": "bidder"} match "Bidders", "bidder" and "BIDDERS".
    """
    table = _lemma_table()
    for tok in doc:
        low = tok.lower_
        tok.lemma_ = table.get(low, low)
    return doc


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split an over-long sentence at soft breaks so each piece stays quotable."""
    if end - start <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    pieces, cur = [], start
    for m in _SOFT_BREAK.finditer(text, start, end):
        if m.start() - cur >= 40:
            pieces.append((cur, m.start()))
            cur = m.end()
    pieces.append((cur, end))
    return pieces


def sentences_from_doc(doc: Doc, block_index: int) -> list[Sentence]:
    """Sentences of one block's spaCy Doc, with offsets into the block's text."""
    text = doc.text
    out: list[Sentence] = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        # Trim whitespace so offsets point exactly at the words.
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        for ps, pe in _split_long(text, s, e):
            out.append(Sentence(text=text[ps:pe], block_index=block_index, start=ps, end=pe))
    return out


def segment(document: Document, keep_docs: bool = False) -> list[Doc] | None:
    """Fill ``document.sentences``; optionally return the spaCy Docs (one per block).

    The Docs are returned rather than stored so that Documents stay plain data (picklable across
    worker processes, small in memory).
    """
    nlp = get_nlp()
    texts = [b.text[:MAX_BLOCK_CHARS] for b in document.blocks]
    sentences: list[Sentence] = []
    docs: list[Doc] = []
    for i, doc in enumerate(nlp.pipe(texts, batch_size=256)):
        sentences.extend(sentences_from_doc(doc, i))
        if keep_docs:
            docs.append(doc)
    document.sentences = sentences
    return docs if keep_docs else None


def segment_text(text: str) -> list[Sentence]:
    """Sentences of one string (block index 0): used for labelled-sentence evaluation."""
    return sentences_from_doc(get_nlp()(text[:MAX_BLOCK_CHARS]), 0)
