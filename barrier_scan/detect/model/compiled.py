"""The trained model as plain arrays, and prediction with NumPy alone.

Training (``evaluation/train.py``) fits scikit-learn estimators; what a scan needs of them is a
handful of numbers: vocabularies, IDF weights, per-label coefficients, calibration, the
second-stage (combiner) weights and the thresholds. Those are exported to ``model.npz``
(NumPy arrays, loaded with ``allow_pickle=False``) and ``model.json`` (vocabularies and
settings). Loading reads numbers and strings only: there is no object graph to trust, which is
stricter than pickle-free formats that rebuild objects, and scanning never imports
scikit-learn (start-up ~1.5 s faster). ``tests/test_model.py`` checks that predictions here equal
the scikit-learn pipeline's to 1e-5.

Stage 1, :class:`TextModel`: normalised text -> word (1,2)-gram, ``char_wb`` (2,5)-gram and
lemma (1,2)-gram TF-IDF blocks (sublinear tf, L2 per block, exactly as scikit-learn computes
them) -> per-label logistic decision -> Platt calibration.

Stage 2, :class:`Combiner`: per label, a logistic model over that label's own evidence in
:func:`combiner_inputs` (its stage-1 logit; whether a rule of its category fired and the highest
severity; the hits of the barrier families whose rules can give it). The other columns carry
zero weight, so every label is one row of one matrix.
Its per-label thresholds were chosen on held-out real text; a sentence gets label L when its
combined probability reaches the threshold, whatever the rules alone said.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np

from .textnorm import lemmatise, normalise_text

FORMAT = 3  # bump when the exported layout changes; load refuses other versions
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
_MULTI_SPACE = re.compile(r"\s\s+")
SEVERITY_RANK = {"info": 0.0, "low": 1 / 3, "medium": 2 / 3, "high": 1.0}


class ModelFormatError(RuntimeError):
    """The model files were written by an incompatible version of this code."""


def word_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """scikit-learn's word analyzer (default token pattern, no stop words)."""
    tokens = _TOKEN.findall(text)
    if hi == 1:
        return tokens
    out = list(tokens) if lo == 1 else []
    n_tok = len(tokens)
    for n in range(max(lo, 2), min(hi + 1, n_tok + 1)):
        out.extend(" ".join(tokens[i:i + n]) for i in range(n_tok - n + 1))
    return out


def char_wb_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """scikit-learn's ``char_wb`` analyzer: n-grams inside space-padded words."""
    out = []
    for w in _MULTI_SPACE.sub(" ", text).split():
        w = " " + w + " "
        w_len = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            out.append(w[offset:offset + n])
            while offset + n < w_len:
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:  # the word is shorter than n: counted once
                break
    return out


class _Block:
    """One TF-IDF block: a vocabulary, IDF weights and how to cut text into terms."""

    def __init__(self, kind: str, ngram: tuple[int, int], terms: list[str], idf: np.ndarray):
        self.kind, self.ngram = kind, tuple(ngram)
        self.index = {t: i for i, t in enumerate(terms)}
        self.idf = idf.astype(np.float64)

    def terms(self, normalised: str) -> list[str]:
        lo, hi = self.ngram
        if self.kind == "char":
            return char_wb_ngrams(normalised, lo, hi)
        if self.kind == "lemma":
            return word_ngrams(lemmatise(normalised), lo, hi)
        return word_ngrams(normalised, lo, hi)

    def row(self, normalised: str) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        index = self.index
        for t in self.terms(normalised):
            j = index.get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
        vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))))
        vals *= self.idf[cols]
        norm = math.sqrt(float(vals @ vals))
        return cols, (vals / norm if norm else vals)


class TextModel:
    """Stage 1: calibrated per-label probabilities from the sentence's words."""

    def __init__(self, blocks: list[_Block], coef: np.ndarray, intercept: np.ndarray,
                 calibration: np.ndarray):
        self.blocks = blocks
        self.offsets = np.cumsum([0] + [len(b.idf) for b in blocks])[:-1]
        self.coef, self.intercept, self.calibration = coef, intercept, calibration

    def decision(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.coef.shape[0]))
        for i, text in enumerate(texts):
            norm = normalise_text(text)
            z = self.intercept.copy()
            for block, off in zip(self.blocks, self.offsets):
                cols, vals = block.row(norm)
                if len(cols):
                    z += self.coef[:, off + cols] @ vals
            out[i] = z
        return out

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        z = self.decision(list(texts))
        return _sigmoid(z * self.calibration[:, 0] + self.calibration[:, 1])


def combiner_inputs(probs: np.ndarray, rule_hits: list[list[tuple[str, str, str]]],
                    labels: tuple, families: list[str]) -> np.ndarray:
    """Stage-2 features per sentence: logit of each stage-1 probability; per sentence label, did
    a rule of that category fire and its highest severity (0-1); per barrier family, did a rule
    of that family fire. ``rule_hits[i]`` lists (category, family, severity) of sentence i."""
    n, k = len(rule_hits), len(labels)
    fam_index = {f: j for j, f in enumerate(families)}
    X = np.zeros((n, k + 2 * k + len(families)))
    p = np.clip(probs, 1e-4, 1 - 1e-4)
    X[:, :k] = np.log(p / (1 - p))
    for i, hits in enumerate(rule_hits):
        for category, family, severity in hits:
            if category in labels:
                j = labels.index(category)
                X[i, k + j] = 1.0
                X[i, 2 * k + j] = max(X[i, 2 * k + j], SEVERITY_RANK.get(severity, 0.0))
            f = fam_index.get(family)
            if f is not None:
                X[i, 3 * k + f] = 1.0
    return X


class Combiner:
    """Stage 2: per-label logistic model over :func:`combiner_inputs`."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, families: list[str]):
        self.coef, self.intercept, self.families = coef, intercept, families

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return _sigmoid(X @ self.coef.T + self.intercept)


class Model:
    """What a scan loads: stage 1, stage 2 and the thresholds for each."""

    def __init__(self, labels, text: TextModel, combiner: Combiner, thresholds: dict,
                 combined_thresholds: dict, meta: dict | None = None):
        self.labels_ = tuple(labels)
        self.text, self.combiner = text, combiner
        self.thresholds_ = dict(thresholds)  # stage 1 alone
        self.combined_thresholds_ = dict(combined_thresholds)  # stage 2
        self.meta = meta or {}

    def predict_proba(self, texts) -> np.ndarray:
        """Stage-1 probabilities (columns in ``labels_`` order)."""
        return self.text.predict_proba(list(texts))

    def combine(self, probs: np.ndarray, rule_hits) -> np.ndarray:
        """Stage-2 probabilities from stage-1 probabilities and the rules' hits per sentence."""
        return self.combiner.predict_proba(
            combiner_inputs(probs, rule_hits, self.labels_, self.combiner.families))


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


# ------------------------------------------------------------------------------ files
def save(folder: str | Path, spec: dict, arrays: dict) -> None:
    """Write ``model.json`` (spec: vocabularies and settings) and ``model.npz`` (arrays)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.json").write_text(json.dumps({"format": FORMAT, **spec}, ensure_ascii=False,
                                                  separators=(",", ":")) + "\n",
                                       encoding="utf-8")
    with open(folder / "model.npz", "wb") as fh:
        np.savez_compressed(fh, **arrays)


def load(folder: str | Path) -> Model:
    """Read a model written by :func:`save` (numbers and strings only; no objects rebuilt)."""
    folder = Path(folder)
    spec = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    if spec.get("format") != FORMAT:
        raise ModelFormatError(f"{folder}: model format {spec.get('format')}, this code reads "
                               f"format {FORMAT}; retrain with 'barrier-scan train'")
    with np.load(folder / "model.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    blocks = [_Block(b["kind"], tuple(b["ngram"]), b["terms"], arrays[f"idf_{b['kind']}"])
              for b in spec["blocks"]]
    text = TextModel(blocks, arrays["coef"], arrays["intercept"], arrays["calibration"])
    combiner = Combiner(arrays["combiner_coef"], arrays["combiner_intercept"], spec["families"])
    return Model(spec["labels"], text, combiner, spec["thresholds"]["model"],
                 spec["thresholds"]["combined"], spec.get("meta"))
