"""Text features: light normalisation, then word and character n-gram TF-IDF.

Normalisation makes the features about the *kind* of requirement rather than its numbers: every
money amount becomes ``zmoney``, every other number ``znum``, curly quotes and the common UTF-8
mojibake of them are straightened. Optional lemma features add a third TF-IDF block over
lookup lemmas (spaCy's English lookup table from ``spacy-lookups-data``).
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

_MOJIBAKE = {
    "â€™": "'", "â€˜": "'", "â€œ": '"', "â€\x9d": '"', "â€“": "-", "â€”": "-", "â€¢": "•",
    "Â£": "£", "Â": " ",
}
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                         "\u00a0": " "})
_MONEY = re.compile(
    r"(?:£|\bgbp\s?|€|\$)\s?\d[\d,]*(?:\.\d+)?\s*(?:million|mill|billion|bn|m|k)?\b"
    r"|\b\d[\d,]*(?:\.\d+)?\s*(?:million|m|k)?\s*(?:pounds|gbp)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*\.?")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z]+")


def normalise_text(text: str) -> str:
    """Lower-case text with money as ``zmoney`` and other numbers as ``znum``."""
    for bad, good in _MOJIBAKE.items():
        if bad in text:
            text = text.replace(bad, good)
    text = text.translate(_QUOTES).lower()
    text = _MONEY.sub(" zmoney ", text)
    text = _NUMBER.sub(" znum ", text)
    text = re.sub(r"(?:\bznum\s+){2,}", "znum ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _lemma_table():
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def lemmatise(text: str) -> str:
    """Space-joined lookup lemmas of the words of an already-normalised text."""
    table = _lemma_table()
    return " ".join(table.get(w, w) for w in _WORD.findall(text))


class TextNormaliser(BaseEstimator, TransformerMixin):
    """Stateless transformer: list of raw texts -> list of normalised texts."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [normalise_text(t) for t in X]


class Lemmatiser(BaseEstimator, TransformerMixin):
    """Stateless transformer: normalised texts -> space-joined lookup lemmas."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [lemmatise(t) for t in X]


def _tfidf(**kw) -> TfidfVectorizer:
    return TfidfVectorizer(sublinear_tf=True, lowercase=False, dtype=np.float32, **kw)


def build_featuriser(*, word_ngrams=(1, 2), char_ngrams=(2, 5), min_df: int = 2,
                     lemmas: bool = False) -> Pipeline:
    """Normalise, then the union of word and char_wb TF-IDF (both sublinear tf).

    With ``lemmas=True`` a third block of lemma uni/bigrams is added (the word and character
    blocks still see the surface text).
    """
    blocks = [
        ("word", _tfidf(ngram_range=tuple(word_ngrams), min_df=min_df)),
        ("char", _tfidf(analyzer="char_wb", ngram_range=tuple(char_ngrams), min_df=min_df)),
    ]
    if lemmas:
        blocks.append(("lemma", Pipeline([("lemmatise", Lemmatiser()),
                                          ("tfidf", _tfidf(ngram_range=(1, 2),
                                                           min_df=min_df))])))
    return Pipeline([("norm", TextNormaliser()), ("union", FeatureUnion(blocks))])
