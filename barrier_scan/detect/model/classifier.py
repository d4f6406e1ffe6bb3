"""The sentence classifier: TF-IDF features, one linear model per label, Platt calibration.

``SentenceModel`` follows scikit-learn conventions (parameters in ``__init__``, ``fit`` returns
self, learned attributes end in ``_``). Calibration is done the classic way (Platt 1999):
out-of-fold decision scores from a grouped k-fold inside the training data are mapped to
probabilities by a one-dimensional logistic fit per label; the per-label models used at
prediction time are then refitted on all the training data. The out-of-fold probabilities are
kept in ``oof_proba_`` (dropped before saving) so the trainer can choose thresholds on them.

Decisions:

- ``thresholds_`` — per-label thresholds for the model on its own (``predict``).
- ``combined_thresholds_`` — per-label thresholds for "rules fire OR probability >= threshold",
  chosen on held-out predictions together with the rules (``predict_combined``; the scanner uses
  these).
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from ...taxonomy import SENTENCE_CATEGORIES as LABELS
from .features import build_featuriser
from .folds import grouped_folds, strat_key

FAMILIES = ("logreg", "svm", "cnb")
# Bump when the fitted attributes change shape; persist.load_model refuses other versions.
FORMAT_VERSION = 2


class SentenceModel(ClassifierMixin, BaseEstimator):
    """Multi-label sentence classifier with calibrated per-label probabilities.

    Parameters
    ----------
    family : "logreg" (L2 logistic regression, balanced class weights), "svm" (LinearSVC,
        balanced) or "cnb" (ComplementNB), or several joined by "+" (e.g. "logreg+svm"): then
        each member's out-of-fold scores are inputs to one logistic calibration (stacking).
    C : inverse regularisation strength for "logreg" and "svm".
    svm_C : C for the "svm" member when it differs from ``C`` (None: use ``C``).
    alpha : smoothing for "cnb".
    word_ngrams, char_ngrams, min_df, lemmas : passed to ``features.build_featuriser``.
    class_weight : class weights for "logreg" and "svm" ("balanced" or None).
    calibration_folds : folds for the out-of-fold scores that fit the Platt calibration
        (grouped by ``groups`` when given to ``fit``).
    random_state : seed for the folds and the solvers.
    """

    def __init__(self, family: str = "logreg", C: float = 4.0, alpha: float = 0.3,
                 svm_C: float | None = None,
                 word_ngrams=(1, 2), char_ngrams=(2, 5), min_df: int = 2, lemmas: bool = False,
                 calibration_folds: int = 5, class_weight="balanced", random_state: int = 0):
        self.family = family
        self.C = C
        self.alpha = alpha
        self.svm_C = svm_C
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.lemmas = lemmas
        self.calibration_folds = calibration_folds
        self.class_weight = class_weight
        self.random_state = random_state

    # -- pieces -----------------------------------------------------------------------------
    def _members(self) -> list[str]:
        members = self.family.split("+")
        bad = [m for m in members if m not in FAMILIES]
        if bad:
            raise ValueError(f"unknown family {self.family!r}; expected members of {FAMILIES}")
        return members

    def _base(self, family: str):
        if family == "logreg":
            return LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear",
                                      max_iter=1000, random_state=self.random_state)
        if family == "svm":
            return LinearSVC(C=self.C if self.svm_C is None else self.svm_C, class_weight=self.class_weight, max_iter=5000,
                             random_state=self.random_state)
        if family == "cnb":
            return ComplementNB(alpha=self.alpha)
        raise ValueError(f"unknown family {family!r}; expected one of {FAMILIES}")

    @staticmethod
    def _score(est, F) -> np.ndarray:
        if hasattr(est, "decision_function"):
            return np.asarray(est.decision_function(F), dtype=np.float64)
        lp = est.predict_log_proba(F)
        return np.asarray(lp[:, 1] - lp[:, 0], dtype=np.float64)

    def _folds(self, Y, groups):
        if groups is not None:
            return grouped_folds(groups, Y, n_splits=self.calibration_folds,
                                 seed=self.random_state)
        key = strat_key(Y)
        k = max(2, min(self.calibration_folds, int(np.bincount(key).min()) or 2))
        skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=self.random_state)
        return list(skf.split(np.zeros(len(Y)), key))

    # -- estimator API ----------------------------------------------------------------------
    def fit(self, X, y, groups=None, sample_weight=None):
        """Fit on texts ``X`` and a (n, 4) 0/1 label matrix ``y`` (columns in ``LABELS`` order).

        ``groups`` (e.g. source document per sentence) makes the calibration folds grouped;
        ``sample_weight`` weights sentences in the per-label models (not in the calibration).
        """
        texts = list(X)
        Y = np.asarray(y, dtype=np.int64)
        if Y.ndim != 2 or Y.shape != (len(texts), len(LABELS)):
            raise ValueError(f"y must have shape (n, {len(LABELS)}), got {Y.shape}")
        self.labels_ = tuple(LABELS)
        self.format_version_ = FORMAT_VERSION
        self.featuriser_ = build_featuriser(word_ngrams=self.word_ngrams,
                                            char_ngrams=self.char_ngrams,
                                            min_df=self.min_df, lemmas=self.lemmas)
        F = self.featuriser_.fit_transform(texts)
        folds = self._folds(Y, groups)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        members = self._members()
        n_lab, n_mem = len(LABELS), len(members)
        oof = np.zeros((len(texts), n_lab, n_mem), dtype=np.float64)
        self.estimators_ = []
        # calibration_[j] = (weight of each member's score..., intercept)
        calib = np.zeros((n_lab, n_mem + 1), dtype=np.float64)
        for j in range(n_lab):
            yj = Y[:, j]
            for tr, te in folds:
                if len(np.unique(yj[tr])) < 2:
                    oof[te, j, :] = 10.0 if yj[tr][0] else -10.0
                    continue
                for k, fam in enumerate(members):
                    est = self._base(fam).fit(F[tr], yj[tr],
                                              sample_weight=None if w is None else w[tr])
                    oof[te, j, k] = self._score(est, F[te])
            if len(np.unique(yj)) < 2:  # nothing to learn: constant prior
                self.estimators_.append(None)
                calib[j, -1] = _logit(np.clip(yj.mean(), 1e-3, 1 - 1e-3))
                continue
            platt = LogisticRegression(C=100.0, solver="lbfgs").fit(oof[:, j, :], yj)
            calib[j, :n_mem] = platt.coef_[0]
            calib[j, -1] = platt.intercept_[0]
            self.estimators_.append([self._base(fam).fit(F, yj, sample_weight=w)
                                     for fam in members])
        self.calibration_ = calib
        self.oof_proba_ = np.column_stack([
            _sigmoid(oof[:, j, :] @ calib[j, :n_mem] + calib[j, -1]) for j in range(n_lab)])
        self.thresholds_ = {lab: 0.5 for lab in LABELS}
        self.combined_thresholds_ = dict(self.thresholds_)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """(n, 4) calibrated probabilities, columns in ``LABELS`` order."""
        texts = list(X)
        out = np.zeros((len(texts), len(self.labels_)), dtype=np.float64)
        if not texts:
            return out
        F = self.featuriser_.transform(texts)
        for j, ests in enumerate(self.estimators_):
            z = np.full(len(texts), self.calibration_[j, -1])
            for k, est in enumerate(ests or []):
                z += self.calibration_[j, k] * self._score(est, F)
            out[:, j] = _sigmoid(z)
        return out

    def decide(self, proba, *, rule_labels=None, thresholds=None) -> list[set[str]]:
        """Label sets from probabilities: ``rules fire L`` OR ``p_L >= threshold_L``."""
        thresholds = thresholds or self.thresholds_
        proba = np.asarray(proba)
        out = []
        for i, row in enumerate(proba):
            found = {lab for j, lab in enumerate(self.labels_) if row[j] >= thresholds[lab]}
            if rule_labels is not None:
                found |= set(rule_labels[i]) & set(self.labels_)
            out.append(found)
        return out

    def predict(self, X) -> list[set[str]]:
        """Model-only decision with ``thresholds_``."""
        return self.decide(self.predict_proba(X))

    def predict_combined(self, X, rule_labels) -> list[set[str]]:
        """Combined decision: the rules' labels plus the model at ``combined_thresholds_``."""
        return self.decide(self.predict_proba(X), rule_labels=rule_labels,
                           thresholds=self.combined_thresholds_)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def _logit(p):
    return float(np.log(p / (1 - p)))
