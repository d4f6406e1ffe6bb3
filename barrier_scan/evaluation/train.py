"""Train, cross-validate and save the sentence classifier (``barrier-scan train``).

Protocol (all folds grouped by source document, fixed seed):

1. Outer 5-fold grouped CV. In each outer training part every candidate configuration in
   ``GRID`` is fitted; its own grouped inner folds give out-of-fold probabilities on the
   training part, which (a) fit the Platt calibration, (b) choose the per-label thresholds
   (model-only, and combined with the rules) and (c) score the configuration (inner macro-F1
   of the combined decision). The outer test fold is then predicted with those thresholds:
   nothing about the test fold is used to choose anything.
2. "Nested" metrics: per outer fold, the configuration with the best *inner* score predicts
   that fold. These are the headline numbers. Per-configuration outer metrics are kept for the
   comparison table (they are honest per configuration; picking the best row afterwards is not).
3. The final configuration is the one with the best mean inner score; it is refitted on all the
   data and its thresholds are chosen on its grouped out-of-fold probabilities over all data.
"""
from __future__ import annotations

import logging
import platform
import shlex
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..taxonomy import SENTENCE_CATEGORIES as LABELS
from ..detect.model.classifier import SentenceModel
from ..detect.model.folds import grouped_folds
from .data import (default_data_paths, label_matrix, load_examples, repo_root,
                   rules_fingerprint, sha256_file)
from .metrics import apply_thresholds, choose_thresholds, prf_report, three_systems

log = logging.getLogger(__name__)

GRID = (
    {"name": "logreg-C1", "family": "logreg", "C": 1.0},
    {"name": "logreg-C4", "family": "logreg", "C": 4.0},
    {"name": "logreg-C16", "family": "logreg", "C": 16.0},
    {"name": "logreg-C4-lemmas", "family": "logreg", "C": 4.0, "lemmas": True},
    {"name": "svm-C0.1", "family": "svm", "C": 0.1},
    {"name": "svm-C0.5", "family": "svm", "C": 0.5},
    {"name": "cnb-a0.1", "family": "cnb", "alpha": 0.1},
    {"name": "logreg+cnb", "family": "logreg+cnb", "C": 4.0, "alpha": 0.1},
    {"name": "logreg+svm+cnb", "family": "logreg+svm+cnb", "C": 4.0, "svm_C": 0.1,
     "alpha": 0.1},
)
OUTER_FOLDS = 5


_TRAIN_ONLY = ("name", "corpus_weight")


def _params(cfg: dict) -> dict:
    """SentenceModel parameters of a grid entry."""
    return {k: v for k, v in cfg.items() if k not in _TRAIN_ONLY}


def _weights(cfg: dict, origins) -> np.ndarray | None:
    """Per-sentence weights: ``corpus_weight`` for corpus rows, 1 for the rest."""
    cw = cfg.get("corpus_weight")
    if cw is None or cw == 1:
        return None
    return np.where(np.asarray(origins) == "corpus", float(cw), 1.0)


def threshold_rows(origins) -> np.ndarray:
    """Rows whose held-out predictions choose the combined thresholds (and score configurations).

    The real corpus sentences when there are any: our own examples are denser in positives
    and easier than real tender text, and combined thresholds tuned on them are too low for
    real text (measured: see the model card). The own examples still train the model.

    Model-only thresholds use all rows: on corpus rows alone the weak ``over_specification``
    model's F1-optimal threshold collapses to ~0.1 (flag most "shall" sentences), which makes
    ``SentenceModel.predict`` useless on its own.
    """
    origins = np.asarray(origins)
    corpus = origins == "corpus"
    return corpus if corpus.any() else np.ones(len(origins), dtype=bool)


def _fit_fold(cfg, texts, Y, R, groups, origins, tr, te, seed, scope="corpus"):
    """Fit one configuration on one outer training part; predict the outer test part."""
    Xtr = [texts[i] for i in tr]
    w = _weights(cfg, origins[tr])
    m = SentenceModel(**_params(cfg), random_state=seed).fit(Xtr, Y[tr], groups=groups[tr],
                                                             sample_weight=w)
    # model-only thresholds: all rows (see threshold_rows); combined: corpus rows
    tm = choose_thresholds(Y[tr], m.oof_proba_)
    inner_model = prf_report(Y[tr], apply_thresholds(m.oof_proba_, tm))["macro"]["f1"]
    rows = threshold_rows(origins[tr]) if scope == "corpus" else np.ones(len(tr), bool)
    oof, Ytr, Rtr = m.oof_proba_[rows], Y[tr][rows], R[tr][rows]
    tc = choose_thresholds(Ytr, oof, Rtr)
    inner = prf_report(Ytr, apply_thresholds(oof, tc, Rtr))["macro"]["f1"]
    P = m.predict_proba([texts[i] for i in te])
    return {"te": te, "P": P, "tm": tm, "tc": tc, "inner": inner, "inner_model": inner_model}


def _systems_on(mask, Y, R, Pm, Pc):
    """rules/model/combined reports restricted to rows in ``mask``."""
    return {"rules": prf_report(Y[mask], R[mask].astype(bool)),
            "model": prf_report(Y[mask], Pm[mask]),
            "combined": prf_report(Y[mask], Pc[mask])}


def cross_validate(texts, Y, R, groups, origins, *, grid=GRID, seed=0, n_folds=OUTER_FOLDS,
                   n_jobs=1, scope="corpus"):
    """Outer grouped CV over ``grid``; see the module docstring. Returns a results dict."""
    from joblib import Parallel, delayed

    folds = grouped_folds(groups, Y, n_splits=n_folds, seed=seed)
    jobs = [(c, k) for c in range(len(grid)) for k in range(len(folds))]
    outs = Parallel(n_jobs=n_jobs)(
        delayed(_fit_fold)(grid[c], texts, Y, R, groups, origins, folds[k][0], folds[k][1],
                           seed, scope)
        for c, k in jobs)
    res = {(c, k): o for (c, k), o in zip(jobs, outs)}
    n = len(texts)
    corpus = origins == "corpus"
    per_config = []
    pred = {}
    for c, cfg in enumerate(grid):
        P = np.zeros(Y.shape)
        Pm = np.zeros(Y.shape, dtype=bool)
        Pc = np.zeros(Y.shape, dtype=bool)
        for k in range(len(folds)):
            o = res[(c, k)]
            te = o["te"]
            P[te] = o["P"]
            Pm[te] = apply_thresholds(o["P"], o["tm"])
            Pc[te] = apply_thresholds(o["P"], o["tc"], R[te])
        pred[c] = (P, Pm, Pc)
        row = {"name": cfg["name"], "params": _params(cfg),
               "inner_macro_f1_mean": round(float(np.mean([res[(c, k)]["inner"]
                                                           for k in range(len(folds))])), 4),
               "all": _systems_on(np.ones(n, bool), Y, R, Pm, Pc)}
        if corpus.any():
            row["corpus"] = _systems_on(corpus, Y, R, Pm, Pc)
        per_config.append(row)
    # nested: per outer fold, the configuration with the best inner score
    Pm = np.zeros(Y.shape, dtype=bool)
    Pc = np.zeros(Y.shape, dtype=bool)
    P = np.zeros(Y.shape)
    chosen = []
    for k in range(len(folds)):
        c = max(range(len(grid)), key=lambda c: (res[(c, k)]["inner"], -c))
        chosen.append(grid[c]["name"])
        te = folds[k][1]
        P[te] = pred[c][0][te]
        Pm[te] = pred[c][1][te]
        Pc[te] = pred[c][2][te]
    nested = {"chosen_per_fold": chosen, "all": _systems_on(np.ones(n, bool), Y, R, Pm, Pc)}
    if corpus.any():
        nested["corpus"] = _systems_on(corpus, Y, R, Pm, Pc)
    if (~corpus).any():
        nested["own"] = _systems_on(~corpus, Y, R, Pm, Pc)
    best = max(range(len(grid)), key=lambda c: (per_config[c]["inner_macro_f1_mean"], -c))
    fold_sizes = [{"train": int(len(tr)), "test": int(len(te)),
                   "test_groups": int(len(np.unique(groups[te])))} for tr, te in folds]
    return {"folds": fold_sizes, "per_config": per_config, "nested": nested,
            "final_config": grid[best]["name"], "final_cfg": dict(grid[best]),
            "oof_proba_nested": P}


def resolve_out_dir(out_dir) -> Path:
    """The model folder to write (``models/default`` means the repository's)."""
    out = Path(out_dir)
    if not out.is_absolute() and out == Path("models") / "default":
        return repo_root() / out
    return out


def _versions() -> dict:
    import numpy
    import scipy
    import sklearn
    import skops

    v = {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
         "numpy": numpy.__version__, "scipy": scipy.__version__, "skops": skops.__version__}
    try:
        import spacy

        v["spacy"] = spacy.__version__
    except ImportError:  # pragma: no cover
        v["spacy"] = None
    try:
        from importlib.metadata import version

        v["spacy-lookups-data"] = version("spacy-lookups-data")
    except Exception:  # pragma: no cover
        v["spacy-lookups-data"] = None
    return v


def _rel(p: Path) -> str:
    p = Path(p).resolve()
    for base in (repo_root(), repo_root().parent):
        try:
            return str(p.relative_to(base))
        except ValueError:
            continue
    return str(p)


def time_inference(model, texts, n=2000, repeats=3) -> dict:
    """Best-of-three seconds to score ``n`` sentences."""
    sample = (list(texts) * (n // max(1, len(texts)) + 1))[:n]
    model.predict_proba(sample[:10])  # warm
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        model.predict_proba(sample)
        best = min(best, time.perf_counter() - t0)
    return {"sentences": n, "seconds_best_of_3": round(best, 3)}


def train_model(out_dir="models/default", *, data_paths=None, seed=0, rules_fn=None,
                grid=GRID, n_jobs=None, cv=True, write=True) -> dict:
    """Cross-validate, fit the final model and write ``out_dir`` (model, metadata, card).

    ``out_dir``: the default ``models/default`` means the repository's committed model folder
    (the one ``persist.load_model()`` reads) wherever the command is run from; any other
    relative path is relative to the working directory.
    ``data_paths`` default: the shared corpus (if present) + ``models/training/*.jsonl``.
    ``rules_fn(texts) -> list[set[str]]`` defaults to the rule engine (or nothing, if it is not
    importable). Returns the metrics dict that is also stored in ``metadata.json``.
    """
    t_start = time.perf_counter()
    out_dir = resolve_out_dir(out_dir)
    paths = [Path(p) for p in (default_data_paths() if data_paths is None else data_paths)]
    if not paths:
        raise FileNotFoundError("no training data: neither the corpus nor models/training/*.jsonl")
    examples = load_examples(paths)
    texts = [e.text for e in examples]
    Y = label_matrix(e.labels for e in examples)
    groups = np.array([e.group for e in examples])
    origins = np.array([e.origin for e in examples])
    if rules_fn is None:
        from .evaluate import rule_labels as fn
        rules_note = "barrier_scan.evaluation.evaluate.rule_labels"
    else:
        fn, rules_note = rules_fn, getattr(rules_fn, "__qualname__", "custom rules_fn")
    # what the rules fire decides the combined thresholds: record which rules those were
    # (only for the engine's own rules; a custom rules_fn has no files to fingerprint)
    rules_fp = rules_fingerprint() if rules_fn is None else None
    t0 = time.perf_counter()
    R = label_matrix(fn(texts))
    rules_seconds = time.perf_counter() - t0
    if n_jobs is None:
        import os

        n_jobs = min(2, os.cpu_count() or 1)
    notes = [f"rules: {rules_note}"]
    if not any(o == "corpus" for o in origins):
        notes.append("corpus not found: trained and cross-validated on own examples only")
    if R.sum() == 0:
        notes.append("rules fired on no training sentence: combined == model-only")

    cvres = None
    final_cfg = dict(grid[0])
    if cv:
        cvres = cross_validate(texts, Y, R, groups, origins, grid=grid, seed=seed,
                               n_jobs=n_jobs)
        final_cfg = cvres["final_cfg"]
        if (origins == "corpus").any() and (origins != "corpus").any():
            # the alternative we did not pick: thresholds chosen on all held-out rows
            alt = cross_validate(texts, Y, R, groups, origins, grid=[final_cfg], seed=seed,
                                 n_jobs=n_jobs, scope="all")["per_config"][0]
            mine = next(r for r in cvres["per_config"] if r["name"] == final_cfg["name"])
            cvres["threshold_scope"] = {
                name: {scope: {s: r[scope][s]["macro"]["f1"] for s in ("model", "combined")}
                       for scope in ("all", "corpus")}
                for name, r in (("corpus rows", mine), ("all rows", alt))}
    model = SentenceModel(**_params(final_cfg), random_state=seed).fit(
        texts, Y, groups=groups, sample_weight=_weights(final_cfg, origins))
    oof = model.oof_proba_
    rows = threshold_rows(origins)
    model.thresholds_ = choose_thresholds(Y, oof)
    model.combined_thresholds_ = choose_thresholds(Y[rows], oof[rows], R[rows])
    final_oof = three_systems(Y, oof, R, model.thresholds_, model.combined_thresholds_)
    speed = time_inference(model, texts)
    train_seconds = time.perf_counter() - t_start

    data_files = [{"path": _rel(p), "sha256": sha256_file(p),
                   "sentences": sum(1 for line in open(p, encoding="utf-8") if line.strip())}
                  for p in paths]
    counts = {"sentences": len(examples),
              "groups": int(len(np.unique(groups))),
              "by_origin": {o: int((origins == o).sum()) for o in sorted(set(origins))},
              "groups_by_origin": {o: int(len(np.unique(groups[origins == o])))
                                   for o in sorted(set(origins))},
              "positives": {lab: int(Y[:, j].sum()) for j, lab in enumerate(LABELS)},
              "positives_by_origin": {o: {lab: int(Y[origins == o, j].sum())
                                          for j, lab in enumerate(LABELS)}
                                      for o in sorted(set(origins))},
              "rules_fired": {lab: int(R[:, j].sum()) for j, lab in enumerate(LABELS)}}
    metrics = {
        "protocol": "outer 5-fold StratifiedGroupKFold by source document; thresholds and "
                    "configuration chosen on inner grouped out-of-fold predictions of each "
                    "outer training part (nested), using its corpus sentences when present",
        "threshold_rows": "corpus" if (origins == "corpus").any() else "all",
        "seed": seed,
        "nested_cv": None if cvres is None else cvres["nested"],
        "comparison": None if cvres is None else [
            {"name": r["name"], "params": r["params"], "inner_macro_f1_mean":
             r["inner_macro_f1_mean"],
             "model_macro_f1": r["all"]["model"]["macro"]["f1"],
             "combined_macro_f1": r["all"]["combined"]["macro"]["f1"],
             "model_micro_f1": r["all"]["model"]["micro"]["f1"],
             "corpus_model_macro_f1": r.get("corpus", {}).get("model", {}).get("macro",
                                                                              {}).get("f1"),
             "corpus_combined_macro_f1": r.get("corpus", {}).get("combined", {}).get(
                 "macro", {}).get("f1"),
             "per_label_model_f1": {lab: r["all"]["model"]["per_label"][lab]["f1"]
                                    for lab in LABELS}}
            for r in cvres["per_config"]],
        "folds": None if cvres is None else cvres["folds"],
        "threshold_scope_comparison": None if cvres is None else cvres.get("threshold_scope"),
        "final_config": None if cvres is None else cvres["final_config"],
        "final_oof_optimistic": final_oof,
        "inference": speed,
    }
    metadata = {
        "name": Path(out_dir).name,
        "labels": list(LABELS),
        "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_by": _command_line(),
        "training_seconds": round(train_seconds, 1),
        "rules_seconds": round(rules_seconds, 1),
        "versions": _versions(),
        "params": {**model.get_params()},
        "config": final_cfg,
        "thresholds": {"model": model.thresholds_, "combined": model.combined_thresholds_},
        "data_files": data_files,
        "rules_fingerprint": rules_fp,
        "counts": counts,
        "metrics": metrics,
        "notes": notes,
    }
    if write:
        from ..detect.model.persist import save_model
        from .card import render_card

        save_model(model, out_dir, metadata=_jsonable(metadata), card=render_card(metadata))
    return _jsonable(metadata)


def _command_line() -> str:
    argv = list(sys.argv)
    name = Path(argv[0]).name if argv else ""
    if name == "barrier-scan":
        head = ["barrier-scan"]
    else:
        head = ["python", name]
    return " ".join(shlex.quote(a) for a in head + argv[1:])


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return None
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    return obj
