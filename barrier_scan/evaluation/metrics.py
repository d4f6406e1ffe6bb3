"""The one scorer: per-label precision, recall and F1 (macro and micro), and per-label decision
thresholds chosen on held-out probabilities. Used by training, cross-validation, ``barrier-scan
evaluate`` and the tests.
"""
from __future__ import annotations

import numpy as np

from ..taxonomy import SENTENCE_CATEGORIES as LABELS

SYSTEMS = ("rules", "model", "combined")
# 1.01 = "never": lets the combined decision fall back to the rules alone for a label where the
# model only adds false positives on held-out data.
THRESHOLD_GRID = np.append(np.round(np.arange(0.05, 0.951, 0.01), 2), 1.01)


# -- metrics ----------------------------------------------------------------------------------
def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": int(tp), "fp": int(fp), "fn": int(fn), "support": int(tp + fn)}


def prf_report(Y_true, Y_pred, labels=LABELS) -> dict:
    """Per-label P/R/F1 plus macro (mean of per-label) and micro (pooled counts) averages."""
    Y_true = np.asarray(Y_true, dtype=bool)
    Y_pred = np.asarray(Y_pred, dtype=bool)
    if Y_true.size == 0:
        Y_true = Y_true.reshape(0, len(labels))
        Y_pred = Y_pred.reshape(0, len(labels))
    per = {}
    tot = np.zeros(3, dtype=np.int64)
    for j, lab in enumerate(labels):
        tp = int(np.sum(Y_true[:, j] & Y_pred[:, j]))
        fp = int(np.sum(~Y_true[:, j] & Y_pred[:, j]))
        fn = int(np.sum(Y_true[:, j] & ~Y_pred[:, j]))
        per[lab] = _prf(tp, fp, fn)
        tot += (tp, fp, fn)
    macro = {k: round(float(np.mean([per[lab][k] for lab in labels])), 4)
             for k in ("precision", "recall", "f1")}
    micro = {k: v for k, v in _prf(*tot).items() if k in ("precision", "recall", "f1")}
    return {"per_label": per, "macro": macro, "micro": micro, "n": int(len(Y_true))}


def f1_binary(y, pred) -> float:
    """F1 of one label's predictions."""
    y = np.asarray(y, dtype=bool)
    pred = np.asarray(pred, dtype=bool)
    tp = np.sum(y & pred)
    denom = np.sum(y) + np.sum(pred)
    return float(2 * tp / denom) if denom else 0.0


def best_threshold(y, p, rule=None, grid=THRESHOLD_GRID) -> float:
    """Threshold maximising F1 of ``rule OR p >= t``; ties go to the threshold nearest 0.5."""
    y = np.asarray(y, dtype=bool)
    p = np.asarray(p, dtype=np.float64)
    rule = np.zeros_like(y) if rule is None else np.asarray(rule, dtype=bool)
    scores = np.array([f1_binary(y, rule | (p >= t)) for t in grid])
    best = scores.max()
    cands = grid[np.isclose(scores, best)]
    return float(cands[np.argmin(np.abs(cands - 0.5))])


def choose_thresholds(Y, P, R=None, labels=LABELS) -> dict:
    """Per-label thresholds on held-out probabilities ``P`` (optionally OR'd with rules ``R``)."""
    Y = np.asarray(Y)
    return {lab: best_threshold(Y[:, j], P[:, j], None if R is None else np.asarray(R)[:, j])
            for j, lab in enumerate(labels)}


def apply_thresholds(P, thresholds, R=None, labels=LABELS) -> np.ndarray:
    """Decisions from probabilities (OR'd with the rules' labels when given)."""
    P = np.asarray(P)
    out = np.column_stack([P[:, j] >= thresholds[lab] for j, lab in enumerate(labels)]) \
        if len(P) else np.zeros((0, len(labels)), dtype=bool)
    if R is not None and len(P):
        out = out | np.asarray(R, dtype=bool)
    return out


def three_systems(Y, P, R, model_thresholds, combined_thresholds, labels=LABELS) -> dict:
    """Rules, model and combined scored on the same sentences."""
    return {
        "rules": prf_report(Y, np.asarray(R, dtype=bool), labels),
        "model": prf_report(Y, apply_thresholds(P, model_thresholds, None, labels), labels),
        "combined": prf_report(Y, apply_thresholds(P, combined_thresholds, R, labels), labels),
    }


