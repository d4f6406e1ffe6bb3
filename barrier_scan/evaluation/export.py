"""A fitted system (``protocol.System``) as the arrays and JSON spec a scan loads
(``detect/model/compiled.py``). One place, used by ``train`` for the shipped model and by the
in-document protocol for a held-out system, so what is measured is what is shipped."""
from __future__ import annotations

import numpy as np

from ..taxonomy import SENTENCE_CATEGORIES as LABELS
from .protocol import COMBINER_C, STAGE1


def export(system) -> tuple[dict, dict]:
    """(spec, arrays) of a fitted system for ``compiled.save``."""
    m = system.stage1
    union = m.featuriser_.named_steps["union"]
    blocks, arrays = [], {}
    ngram = {"word": m.word_ngrams, "char": m.char_ngrams, "lemma": (1, 2)}
    for name, est in union.transformer_list:
        if name == "word":
            vocab, idf = est.vocabulary_, est.idf_
        elif name == "char":
            vocab, idf = est.named_steps["counts"].vocabulary_, est.named_steps["tfidf"].idf_
        else:
            vocab, idf = est.named_steps["tfidf"].vocabulary_, est.named_steps["tfidf"].idf_
        terms = [""] * len(vocab)
        for t, i in vocab.items():
            terms[i] = t
        blocks.append({"kind": name, "ngram": list(ngram[name]), "terms": terms})
        arrays[f"idf_{name}"] = np.asarray(idf, dtype=np.float64)
    n_feat = sum(len(b["terms"]) for b in blocks)
    coef = np.zeros((len(LABELS), n_feat))
    intercept = np.zeros(len(LABELS))
    calibration = np.zeros((len(LABELS), 2))
    for j, ests in enumerate(m.estimators_):
        calibration[j, 1] = m.calibration_[j, -1]
        if ests:
            coef[j] = ests[0].coef_[0]
            intercept[j] = ests[0].intercept_[0]
            calibration[j, 0] = m.calibration_[j, 0]
    arrays.update(coef=coef, intercept=intercept, calibration=calibration)
    n_comb = len(LABELS) * 3 + len(system.families)
    ccoef, cint = np.zeros((len(LABELS), n_comb)), np.zeros(len(LABELS))
    for j, label_model in enumerate(system.combiner):
        ccoef[j], cint[j] = label_model.full_coef(n_comb)
    arrays.update(combiner_coef=ccoef, combiner_intercept=cint)
    spec = {"labels": list(LABELS), "blocks": blocks, "families": list(system.families),
            "thresholds": {"model": system.thresholds, "combined": system.combined_thresholds},
            "stage1": {**STAGE1, "word_ngrams": list(m.word_ngrams),
                       "char_ngrams": list(m.char_ngrams)},
            "combiner": {"kind": "logistic regression per label over its own evidence, balanced",
                         "C": COMBINER_C}}
    return spec, arrays
