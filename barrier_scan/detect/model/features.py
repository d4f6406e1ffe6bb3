"""Text features for training: normalisation (``textnorm.py``), then word and character n-gram TF-IDF.

Normalisation makes the features about the *kind* of requirement rather than its numbers: every
money amount becomes ``zmoney``, every other number ``znum``, curly quotes and the common UTF-8
mojibake of them are straightened. Optional lemma features add a third TF-IDF block over
lookup lemmas (spaCy's English lookup table from ``spacy-lookups-data``).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from .textnorm import lemmatise, normalise_text  # noqa: F401 - normalise_text is re-exported for tests

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


class _ArrayVocabulary:
    """Persist ``vocabulary_`` as one array of terms (in column order) instead of a dict.

    An object serialiser writes a dict entry by entry, which made loading ~40,000 n-grams take
    seconds; an array of strings is stored as a single ``.npy`` and the dict is rebuilt in
    ``__setstate__``.
    """

    def __getstate__(self):
        state = dict(super().__getstate__())
        vocab = state.pop("vocabulary_", None)
        if vocab is not None:
            terms = [""] * len(vocab)
            for term, i in vocab.items():
                terms[i] = term
            state["vocabulary_terms_"] = np.array(terms, dtype=str)
        return state

    def __setstate__(self, state):
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        if terms is not None:
            state["vocabulary_"] = {str(t): i for i, t in enumerate(terms.tolist())}
        super().__setstate__(state)


class CompactTfidfVectorizer(_ArrayVocabulary, TfidfVectorizer):
    """``TfidfVectorizer`` whose vocabulary is saved as an array (compact when exported)."""


class WordwiseCharVectorizer(_ArrayVocabulary, BaseEstimator, TransformerMixin):
    """``char_wb`` n-gram counts, computed once per distinct word of a batch.

    ``char_wb`` n-grams never cross a space, so a text's counts are the sum of its words'
    counts; building them per distinct word (and then a sparse product) gives exactly the
    output of ``CountVectorizer(analyzer="char_wb", lowercase=False)`` several times faster,
    which keeps a 2,000-sentence document well under a second.
    """

    def __init__(self, ngram_range=(2, 5), min_df: int = 2):
        self.ngram_range = ngram_range
        self.min_df = min_df

    def _analyzer(self):
        return CountVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range),
                               lowercase=False).build_analyzer()

    def fit(self, X, y=None):
        cv = CountVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range),
                             lowercase=False, min_df=self.min_df).fit(X)
        self.vocabulary_ = {k: int(v) for k, v in cv.vocabulary_.items()}
        return self

    def transform(self, X):
        texts = list(X)
        words: dict[str, int] = {}
        t_rows, t_cols = [], []
        for i, text in enumerate(texts):
            for w in text.split():
                j = words.get(w)
                if j is None:
                    j = words[w] = len(words)
                t_rows.append(i)
                t_cols.append(j)
        n_feat = len(self.vocabulary_)
        T = sp.csr_matrix((np.ones(len(t_rows), dtype=np.float32), (t_rows, t_cols)),
                          shape=(len(texts), len(words)))
        analyse = self._analyzer()
        vocab = self.vocabulary_
        w_rows, w_cols = [], []
        for w, j in words.items():
            for g in analyse(w):
                k = vocab.get(g)
                if k is not None:
                    w_rows.append(j)
                    w_cols.append(k)
        W = sp.csr_matrix((np.ones(len(w_rows), dtype=np.float32), (w_rows, w_cols)),
                          shape=(len(words), n_feat))
        out = (T @ W).tocsr()
        out.sum_duplicates()
        out.sort_indices()
        return out


def _tfidf(**kw) -> TfidfVectorizer:
    return CompactTfidfVectorizer(sublinear_tf=True, lowercase=False, dtype=np.float32, **kw)


def build_featuriser(*, word_ngrams=(1, 2), char_ngrams=(2, 5), min_df: int = 2,
                     lemmas: bool = False) -> Pipeline:
    """Normalise, then the union of word and char_wb TF-IDF (both sublinear tf).

    With ``lemmas=True`` a block of lemma uni/bigrams is added (the word and character blocks
    still see the surface text). ``word_ngrams`` or ``char_ngrams`` set to None drops that block.
    """
    blocks = []
    if word_ngrams:
        blocks.append(("word", _tfidf(ngram_range=tuple(word_ngrams), min_df=min_df)))
    if char_ngrams:
        blocks.append(("char", Pipeline([
            ("counts", WordwiseCharVectorizer(ngram_range=tuple(char_ngrams), min_df=min_df)),
            ("tfidf", TfidfTransformer(sublinear_tf=True))])))
    if lemmas:
        blocks.append(("lemma", Pipeline([("lemmatise", Lemmatiser()),
                                          ("tfidf", _tfidf(ngram_range=(1, 2),
                                                           min_df=min_df))])))
    return Pipeline([("norm", TextNormaliser()), ("union", FeatureUnion(blocks))])
