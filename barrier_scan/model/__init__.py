"""Trained sentence classifier: four multi-label sentence categories, calibrated per label.

Public pieces (imported lazily so ``import barrier_scan.model`` stays cheap):

- ``LABELS`` — the label order of every probability matrix.
- ``persist.load_model(path=None)`` — the committed model (or ``$BARRIER_SCAN_MODEL``), cached.
- ``classifier.SentenceModel`` — ``predict_proba(texts)``, ``predict(texts)``, ``thresholds_``.
- ``train.train_model(...)`` and ``evaluate.evaluate_file(...)`` — used by the CLI.
"""
from __future__ import annotations

LABELS = ("over_specification", "burden_of_proof", "outcome_language", "openness")

__all__ = ["LABELS", "SentenceModel", "load_model", "train_model", "evaluate_file"]


def __getattr__(name):  # PEP 562: lazy imports keep sklearn out of light code paths
    if name == "SentenceModel":
        from .classifier import SentenceModel

        return SentenceModel
    if name == "load_model":
        from .persist import load_model

        return load_model
    if name == "train_model":
        from .train import train_model

        return train_model
    if name == "evaluate_file":
        from .evaluate import evaluate_file

        return evaluate_file
    raise AttributeError(name)
