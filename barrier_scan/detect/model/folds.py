"""Grouped, label-stratified folds: used to calibrate the classifier and to cross-validate it."""
from __future__ import annotations

import numpy as np


def strat_key(Y: np.ndarray) -> np.ndarray:
    """One class per row for stratification: the rarest label present (0 = none)."""
    counts = Y.sum(axis=0)
    order = np.argsort(counts, kind="stable")  # rarest first
    key = np.zeros(len(Y), dtype=np.int64)
    for j in order[::-1]:  # commonest first, so the rarest present label wins
        key[Y[:, j] == 1] = j + 1
    return key


def grouped_folds(groups, Y: np.ndarray, n_splits: int = 5, seed: int = 0):
    """Deterministic grouped, label-stratified folds: no group is ever on both sides.

    Returns a list of (train_index, test_index). Falls back to fewer folds when there are fewer
    groups than ``n_splits``.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    groups = np.asarray(list(groups))
    n_groups = len(np.unique(groups))
    k = min(n_splits, n_groups)
    if k < 2:
        raise ValueError("grouped cross-validation needs at least two groups")
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    X_dummy = np.zeros(len(groups))
    return [(tr, te) for tr, te in splitter.split(X_dummy, strat_key(Y), groups)]
