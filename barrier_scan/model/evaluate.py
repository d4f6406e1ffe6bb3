"""Metrics for multi-label sentence decisions, threshold search, and ``evaluate_file``.

Three systems are always scored on the same sentences:

- ``rules``    — the labels the rule engine fires (``barrier_scan.engine.rule_sentence_labels``);
- ``model``    — the classifier alone, probability >= ``thresholds_``;
- ``combined`` — rules fire L, OR probability >= ``combined_thresholds_[L]`` (what users get).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from pathlib import Path

import numpy as np

from . import LABELS

log = logging.getLogger(__name__)
SYSTEMS = ("rules", "model", "combined")
# 1.01 = "never": lets the combined decision fall back to the rules alone for a label where the
# model only adds false positives on held-out data.
THRESHOLD_GRID = np.append(np.round(np.arange(0.05, 0.951, 0.01), 2), 1.01)


# -- rules ------------------------------------------------------------------------------------
def no_rules(texts: list[str]) -> list[set[str]]:
    """Stand-in when the rule engine is not importable: fires nothing."""
    return [set() for _ in texts]


def resolve_rules_fn(rules_fn=None):
    """(rules_fn, note). Lazily imports the rule engine when ``rules_fn`` is None."""
    if rules_fn is not None:
        return rules_fn, getattr(rules_fn, "__qualname__", "custom rules_fn")
    try:
        from barrier_scan.engine import rule_sentence_labels
    except Exception as exc:  # the engine is optional for the model package
        log.warning("rule engine not importable (%s): rules treated as firing nothing", exc)
        return no_rules, f"rule engine not importable ({type(exc).__name__}); rules fire nothing"

    def _rules(texts):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [set(s) & set(LABELS) for s in rule_sentence_labels(list(texts))]

    return _rules, "barrier_scan.engine.rule_sentence_labels"


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
    P = np.asarray(P)
    out = np.column_stack([P[:, j] >= thresholds[lab] for j, lab in enumerate(labels)]) \
        if len(P) else np.zeros((0, len(labels)), dtype=bool)
    if R is not None and len(P):
        out = out | np.asarray(R, dtype=bool)
    return out


def three_systems(Y, P, R, model_thresholds, combined_thresholds, labels=LABELS) -> dict:
    return {
        "rules": prf_report(Y, np.asarray(R, dtype=bool), labels),
        "model": prf_report(Y, apply_thresholds(P, model_thresholds, None, labels), labels),
        "combined": prf_report(Y, apply_thresholds(P, combined_thresholds, R, labels), labels),
    }


# -- files ------------------------------------------------------------------------------------
def evaluate_file(path, *, rules_fn=None, model=None, predictions_out=None) -> dict:
    """Score rules, model and combined on a labelled JSONL file (LABELS.md format).

    ``model`` defaults to ``persist.load_model()``; if there is none, the model contributes
    nothing (probabilities 0) and the result says so in ``notes``. ``predictions_out`` gets one
    JSON line per input sentence, in input order, with the combined decision and the model's
    per-label probabilities.
    """
    from .data import label_matrix, load_jsonl
    from .persist import load_model

    examples = load_jsonl(path)
    texts = [e.text for e in examples]
    Y = label_matrix(e.labels for e in examples)
    notes = []
    fn, rules_note = resolve_rules_fn(rules_fn)
    notes.append(f"rules: {rules_note}")
    rule_sets = [set(s) for s in fn(texts)] if texts else []
    R = label_matrix(rule_sets)
    if model is None:
        model = load_model()
    if model is None:
        notes.append("model: none found; model and combined use probability 0")
        P = np.zeros(Y.shape)
        mt = ct = {lab: 1.01 for lab in LABELS}
    else:
        P = model.predict_proba(texts)
        mt = dict(model.thresholds_)
        ct = dict(getattr(model, "combined_thresholds_", None) or model.thresholds_)
    result = three_systems(Y, P, R, mt, ct)
    result["n"] = len(texts)
    result["path"] = str(path)
    result["thresholds"] = {"model": mt, "combined": ct}
    result["notes"] = notes
    if predictions_out is not None:
        C = apply_thresholds(P, ct, R)
        with open(predictions_out, "w", encoding="utf-8") as fh:
            for i, e in enumerate(examples):
                row = {"id": e.id,
                       "labels": [lab for j, lab in enumerate(LABELS) if C[i, j]],
                       "scores": {lab: round(float(P[i, j]), 4) for j, lab in enumerate(LABELS)}}
                fh.write(json.dumps(row) + "\n")
    return result


def format_text(result: dict) -> str:
    """Plain-text tables: per-label P/R/F1 for each system, then macro/micro."""
    lines = []
    header = f"{'label':<20} " + "  ".join(f"{s:>20}" for s in SYSTEMS)
    sub = f"{'':<20} " + "  ".join(f"{'P':>6}{'R':>7}{'F1':>7}" for _ in SYSTEMS)
    lines += [f"n = {result.get('n')} sentences", header, sub]
    labels = list(result["model"]["per_label"])
    for lab in labels:
        cells = [result[s]["per_label"][lab] for s in SYSTEMS]
        lines.append(f"{lab:<20} " + "  ".join(
            f"{c['precision']:>6.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}" for c in cells))
    for avg in ("macro", "micro"):
        cells = [result[s][avg] for s in SYSTEMS]
        lines.append(f"{avg:<20} " + "  ".join(
            f"{c['precision']:>6.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}" for c in cells))
    for note in result.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)


format_table = format_text  # the name the CLI uses


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m barrier_scan.model.evaluate",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--predictions", default=None, help="write per-sentence JSON lines here")
    ap.add_argument("--format", choices=("text", "json"), default="text")
    ap.add_argument("--model", default=None, help="model directory (default: models/default)")
    args = ap.parse_args(argv)
    model = None
    if args.model:
        from .persist import load_model

        model = load_model(args.model)
    result = evaluate_file(Path(args.path), model=model, predictions_out=args.predictions)
    if args.format == "json":
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_text(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
