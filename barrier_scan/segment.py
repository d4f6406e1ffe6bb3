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
from .extract._common import CLAUSE_NUMBER

# spaCy is given at most this many characters at once. A longer block (a plain-text file with
# single line breaks is one paragraph; a table flattened into one cell) is split into pieces at
# sentence ends, segmented piece by piece and joined back into one Doc: nothing is cut off.
CHUNK_CHARS = 100_000
_SENTENCE_END = re.compile(r"[.!?;:]['\")\]]*\s+")
# A sentence longer than this is split at semicolons / bullets so evidence quotes stay readable.
MAX_SENTENCE_CHARS = 600
# A clause number and nothing else: "171.21.", "3.2", "(b)", "iv)" (not "No.": one letter only).
_BARE_NUMBER = re.compile(CLAUSE_NUMBER)
_SOFT_BREAK = re.compile(r"(?<=[;:])\s+(?=\S)|\s+(?=[•▪●]\s)")


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The spaCy pipeline (blank English, sentencizer, lookup lemmas), built once per process."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lower_lemmas")
    nlp.max_length = CHUNK_CHARS + 10
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
    """Sentences of one block's spaCy Doc, with offsets into the block's text.

    A clause number the sentencizer cut off on its own ("171.21." then "The Supplier shall
    ...", one sentence in five of the corpus documents) is joined to the sentence it numbers,
    so the quoted sentence carries its clause number and no bare number counts as a sentence.
    """
    text = doc.text
    spans: list[tuple[int, int]] = []
    pending: int | None = None  # start of a bare clause number waiting for its sentence
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        # Trim whitespace so offsets point exactly at the words.
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if _BARE_NUMBER.fullmatch(text, s, e):
            pending = s if pending is None else pending
            continue
        spans.append((s if pending is None else pending, e))
        pending = None
    if pending is not None:  # a number with nothing after it stays what it is
        spans.append((pending, len(text.rstrip())))
    out: list[Sentence] = []
    for s, e in spans:
        for ps, pe in _split_long(text, s, e):
            out.append(Sentence(text=text[ps:pe], block_index=block_index, start=ps, end=pe))
    return out


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters that join back to it
    exactly, each ending after a sentence end where there is one in its second half, else after
    a space, else (one enormous word) anywhere."""
    out, start = [], 0
    while len(text) - start > size:
        lo, hi = start + size // 2, start + size
        cut = max((m.end() for m in _SENTENCE_END.finditer(text, lo, hi)), default=-1)
        if cut <= start:
            cut = text.rfind(" ", lo, hi) + 1
        if cut <= start:
            cut = hi
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def _docs(texts: list[str]):
    """One spaCy Doc per text, long texts segmented in pieces and joined (offsets unchanged)."""
    pieces, owner = [], []
    for i, t in enumerate(texts):
        for c in chunks(t):
            pieces.append(c)
            owner.append(i)
    parts: list[list[Doc]] = [[] for _ in texts]
    for i, doc in zip(owner, get_nlp().pipe(pieces, batch_size=256)):
        parts[i].append(doc)
    for p in parts:
        yield p[0] if len(p) == 1 else Doc.from_docs(p, ensure_whitespace=False)


def segment(document: Document, keep_docs: bool = False) -> list[Doc] | None:
    """Fill ``document.sentences``; optionally return the spaCy Docs (one per block).

    The Docs are returned rather than stored so that Documents stay plain data (picklable across
    worker processes, small in memory). Every character of every block is segmented, however
    long the block (see :func:`chunks`).
    """
    sentences: list[Sentence] = []
    docs: list[Doc] = []
    for i, doc in enumerate(_docs([b.text for b in document.blocks])):
        sentences.extend(sentences_from_doc(doc, i))
        if keep_docs:
            docs.append(doc)
    document.sentences = sentences
    return docs if keep_docs else None


def segment_text(text: str) -> list[Sentence]:
    """Sentences of one string (block index 0): used for labelled-sentence evaluation."""
    return sentences_from_doc(next(_docs([text])), 0)
