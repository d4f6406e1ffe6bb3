"""Fit the score's parameters to expert ratings and measure agreement (``evaluate --score``).

The rated set (``tests/data/openness_ratings.json``): 34 documents (framework documents and
notices from ``../shared/corpus``, and the ten sample tenders) each rated on the rubric's five
dimensions by two independent raters. Each document is scanned with the full engine; the score
then depends only on each dimension's barrier and strength mass (``score.masses``), so fitting
is a small least-squares problem per dimension: ``base``, ``gain``, ``loss`` and the two
saturation scales, bounded so that barriers can only take points and strengths only add them.

Agreement is measured by **leave-one-group-out** cross-validation: documents of the same
framework (RM number), the same notice or the same sample are one group, refitted without and
predicted. Reported: Spearman rank correlation and mean absolute difference of the total against
the raters' mean, per-dimension mean absolute difference, and the same for the parameters in
use before the fit.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..taxonomy import DIMENSIONS
from .data import corpus_dir, repo_root

RATINGS = repo_root() / "tests" / "data" / "openness_ratings.json"
BOUNDS = {"base": (0.0, 20.0), "gain": (0.0, 20.0), "loss": (0.0, 20.0),
          "k_barrier": (0.3, 30.0), "k_strength": (0.3, 30.0)}
NAMES = tuple(BOUNDS)


def load_ratings(path: Path = RATINGS) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["documents"]


def notice_text(notice_id: str) -> str | None:
    """A notice from ``notices.jsonl`` as one document: title, buyer, date and text."""
    path = corpus_dir() / "notices" / "notices.jsonl"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if str(row.get("id", "")).startswith(notice_id):
                return (f"# {row.get('title', '')}\n\nBuyer: {row.get('buyer', '')}\n\n"
                        f"Date: {row.get('date', '')}\n\n{row.get('text', '')}")
    return None


def scan_rated(ratings: list[dict], config=None) -> list:
    """The engine's result for each rated document (None where its source is absent)."""
    from ..extract import extract_text
    from ..pipeline import analyse, engine_for, scan_file

    detector = engine_for(config)
    out = []
    for r in ratings:
        if r["kind"] == "corpus_document":
            path = corpus_dir() / "documents" / r["source"]
            out.append(scan_file(path, detector=detector) if path.is_file() else None)
        elif r["kind"] == "notice":
            text = notice_text(r["source"]) if (corpus_dir() / "notices").is_dir() else None
            out.append(analyse(extract_text(text, path=r["source"]), detector=detector)
                       if text else None)
        else:
            out.append(scan_file(repo_root() / "sample_tenders" / r["source"], detector=detector))
    return out


def features(results) -> np.ndarray:
    """(documents, dimensions, 2): barrier and strength mass per dimension."""
    from ..score import masses

    X = np.zeros((len(results), len(DIMENSIONS), 2))
    for i, r in enumerate(results):
        m = masses(r.findings, r.stats.get("sentences"))
        for j, d in enumerate(DIMENSIONS):
            X[i, j] = (m[d]["B"], m[d]["S"])
    return X


def _points(theta: np.ndarray, BS: np.ndarray) -> np.ndarray:
    base, gain, loss, kb, ks = theta
    raw = base + gain * (1 - np.exp(-BS[:, 1] / ks)) - loss * (1 - np.exp(-BS[:, 0] / kb))
    return np.clip(raw, 0.0, 20.0)


def fit(X: np.ndarray, T: np.ndarray) -> dict:
    """Least-squares parameters per dimension (targets ``T``: raters' mean, documents x dims)."""
    from scipy.optimize import least_squares

    lo = np.array([BOUNDS[n][0] for n in NAMES])
    hi = np.array([BOUNDS[n][1] for n in NAMES])
    out = {}
    for j, d in enumerate(DIMENSIONS):
        best = None
        for start in ((10, 5, 8, 2, 2), (14, 4, 12, 4, 1), (8, 8, 6, 1, 3)):
            res = least_squares(lambda th: _points(th, X[:, j]) - T[:, j], np.array(start, float),
                                bounds=(lo, hi))
            if best is None or res.cost < best.cost:
                best = res
        out[d] = {n: round(float(v), 4) for n, v in zip(NAMES, best.x)}
    return out


def predict(params: dict, X: np.ndarray) -> np.ndarray:
    """Totals (documents,) and per-dimension points (documents, dims) for ``params``."""
    P = np.column_stack([_points(np.array([params[d][n] for n in NAMES]), X[:, j])
                         for j, d in enumerate(DIMENSIONS)])
    return P.sum(axis=1), P


def agreement(pred: np.ndarray, target: np.ndarray) -> dict:
    from scipy.stats import spearmanr

    rho = spearmanr(pred, target).statistic
    return {"spearman": round(float(rho), 3),
            "mean_absolute_difference": round(float(np.mean(np.abs(pred - target))), 2)}


def cross_validate(X: np.ndarray, T: np.ndarray, groups: list[str]) -> dict:
    """Leave-one-group-out: refit without each group, predict it."""
    total = np.zeros(len(X))
    dims = np.zeros(T.shape)
    for g in sorted(set(groups)):
        test = np.array([x == g for x in groups])
        params = fit(X[~test], T[~test])
        t, p = predict(params, X[test])
        total[test], dims[test] = t, p
    out = agreement(total, T.sum(axis=1))
    out["per_dimension_mad"] = {d: round(float(np.mean(np.abs(dims[:, j] - T[:, j]))), 2)
                                for j, d in enumerate(DIMENSIONS)}
    out["predictions"] = [round(float(v), 1) for v in total]
    return out


def run(write: bool = False, progress=None) -> dict:
    """Scan the rated documents, cross-validate, fit on all and (``write``) save the parameters."""
    from ..score import parameters

    say = progress or (lambda m: None)
    ratings = load_ratings()
    say(f"scanning {len(ratings)} rated documents")
    results = scan_rated(ratings)
    keep = [i for i, r in enumerate(results) if r is not None and r.ok]
    if len(keep) < 10:
        raise RuntimeError("fewer than ten rated documents could be scanned (is ../shared there?)")
    rated = [ratings[i] for i in keep]
    X = features([results[i] for i in keep])
    T = np.array([[r["mean"]["dimensions"][d] for d in DIMENSIONS] for r in rated])
    groups = [r["group"] for r in rated]
    before = agreement(np.array([results[i].score for i in keep]), T.sum(axis=1))
    current_params = parameters()["dimensions"]
    current = agreement(predict(current_params, X)[0], T.sum(axis=1))
    cv = cross_validate(X, T, groups)
    params = fit(X, T)
    fitted = agreement(predict(params, X)[0], T.sum(axis=1))
    report = {"documents": len(rated), "groups": len(set(groups)), "in_use": current,
              "engine_scores": before, "cross_validated": cv, "fitted_in_sample": fitted,
              "rows": [{"id": r["id"], "group": r["group"], "rated": r["mean"]["overall"],
                        "cv_predicted": cv["predictions"][k], "engine": results[i].score}
                       for k, (i, r) in enumerate(zip(keep, rated))]}
    if write:
        path = Path(__file__).resolve().parents[1] / "score_parameters.json"
        path.write_text(json.dumps({
            "about": "Fitted by `barrier-scan evaluate --score --write` on "
                     "tests/data/openness_ratings.json (see docs/scoring.md).",
            "cv_spearman": cv["spearman"],
            "cv_mean_absolute_difference": cv["mean_absolute_difference"],
            "documents": len(rated), "strength_length_ref": 100.0, "strength_length_power": 0.5,
            "dimensions": params}, indent=2) + "\n", encoding="utf-8")
        from .. import score

        score.parameters.cache_clear()
    report["parameters"] = params
    return report


def format_report(rep: dict) -> str:
    cv = rep["cross_validated"]
    lines = [f"{rep['documents']} rated documents in {rep['groups']} groups",
             f"scores as scanned (parameters in use): Spearman {rep['engine_scores']['spearman']:.2f}, "
             f"mean |difference| {rep['engine_scores']['mean_absolute_difference']:.1f}",
             f"leave-one-group-out cross-validated: Spearman {cv['spearman']:.2f}, "
             f"mean |difference| {cv['mean_absolute_difference']:.1f}",
             "per dimension mean |difference|: " + ", ".join(
                 f"{d} {v:.1f}" for d, v in cv["per_dimension_mad"].items()),
             f"fitted on all (in-sample): Spearman {rep['fitted_in_sample']['spearman']:.2f}, "
             f"mean |difference| {rep['fitted_in_sample']['mean_absolute_difference']:.1f}", "",
             "| id | group | rated | cross-validated | as scanned |", "|---|---|---:|---:|---:|"]
    lines += [f"| {r['id']} | {r['group']} | {r['rated']:.1f} | {r['cv_predicted']:.1f} | "
              f"{r['engine']:.1f} |" for r in rep["rows"]]
    return "\n".join(lines)

