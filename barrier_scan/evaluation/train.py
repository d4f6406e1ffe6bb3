"""Train, validate and export the classifier and the learned combination (``barrier-scan train``).

Steps (see ``protocol.py`` for the families, the dev slice and the protocols):

1. Every labelled sentence is checked by the rules as a snippet (``Detector.run_sentences``).
2. Validation: leave one source family out, and grouped 5-fold cross-validation by document
   (each fold refits stage 1, the combiner and all thresholds on its training rows only).
3. The shipped system is fitted on every row outside the dev slice and scored on the dev slice.
4. It is exported as plain arrays (``detect/model/compiled.py``); the export is checked to give
   the same probabilities as the scikit-learn estimators before anything is written.
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
from .data import corpus_dir, default_data_paths, repo_root, rules_fingerprint, sha256_file
from .in_document import in_document
from .export import export
from .protocol import (DEV_SALT, build_dataset, dev_slice, fit_system, grouped_cv,
                       leave_one_family_out)

log = logging.getLogger(__name__)
EQUIVALENCE_TOLERANCE = 1e-5


def resolve_out_dir(out_dir) -> Path:
    """The model folder to write (``models/default`` means the repository's)."""
    out = Path(out_dir)
    if not out.is_absolute() and out == Path("models") / "default":
        return repo_root() / out
    return out


def check_equivalence(system, compiled, texts: list[str]) -> float:
    """Largest difference between the exported model's probabilities and scikit-learn's."""
    from ..detect.model.compiled import combiner_inputs
    from .protocol import combiner_proba

    a = system.stage1.predict_proba(texts)
    b = compiled.predict_proba(texts)
    diff = float(np.max(np.abs(a - b))) if len(texts) else 0.0
    # Stage 2 as well, with no rule hit and with a hit of every label and family in turn.
    for hit in [None] + [(lab, fam, "high") for lab in LABELS for fam in system.families]:
        hits = [[hit] if hit else [] for _ in texts]
        x = combiner_inputs(a, hits, LABELS, system.families)
        if len(texts):
            diff = max(diff, float(np.max(np.abs(combiner_proba(system.combiner, x)
                                                   - compiled.combine(a, hits)))))
    if diff > EQUIVALENCE_TOLERANCE:
        raise RuntimeError(f"exported model differs from the trained one by {diff:.2e}")
    return diff


def _versions() -> dict:
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for pkg in ("scikit-learn", "numpy", "scipy", "spacy", "spacy-lookups-data"):
        try:
            out[pkg] = version(pkg)
        except Exception:  # pragma: no cover
            out[pkg] = None
    return out


def _rel(p: Path) -> str:
    p = Path(p).resolve()
    for base in (repo_root(), repo_root().parent):
        try:
            return str(p.relative_to(base))
        except ValueError:
            continue
    return str(p)


def train_model(out_dir="models/default", *, data_paths=None, seed: int = 0, cv: bool = True,
                write: bool = True, progress=None) -> dict:
    """Validate, fit and (when ``write``) export the model with its metadata and card.

    Returns the metadata (also written as ``metadata.json``).
    """
    say = progress or log.info
    t0 = time.perf_counter()
    out_dir = resolve_out_dir(out_dir)
    paths = [Path(p) for p in (default_data_paths() if data_paths is None else data_paths)]
    if not paths:
        raise FileNotFoundError("no training data: neither the corpus nor models/training/*.jsonl")
    say(f"reading {len(paths)} labelled files and checking every sentence with the rules")
    ds = build_dataset(paths)
    validation = {}
    if cv:
        validation["leave_one_family_out"] = leave_one_family_out(ds, seed, log=say)
        validation["grouped_cv"] = grouped_cv(ds, seed=seed, log=say)
        validation["in_document"] = in_document(ds, corpus_dir() / "documents", seed, log=say)
    say("fitting the shipped system on every row outside the dev slice")
    system = fit_system(ds, np.where(~ds.dev)[0], seed)
    validation["dev_slice"] = dev_slice(system, ds)
    spec, arrays = export(system)
    from ..detect.model import compiled

    counts = {
        "sentences": len(ds.texts), "dev_slice": int(ds.dev.sum()),
        "by_family": {f: int((ds.family == f).sum()) for f in sorted(set(ds.family))},
        "positives_by_family": {f: {lab: int(ds.Y[ds.family == f, j].sum())
                                    for j, lab in enumerate(LABELS)}
                                for f in sorted(set(ds.family))},
    }
    meta = {
        "name": out_dir.name,
        "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_by": " ".join(shlex.quote(a) for a in ["barrier-scan", *sys.argv[1:]])
        if sys.argv and Path(sys.argv[0]).name == "barrier-scan" else "train_model()",
        "seed": seed, "dev_salt": DEV_SALT, "versions": _versions(),
        "stage1": spec["stage1"], "combiner": spec["combiner"], "thresholds": spec["thresholds"],
        "data_files": [{"path": _rel(p), "sha256": sha256_file(p),
                        "sentences": sum(1 for line in open(p, encoding="utf-8") if line.strip())}
                       for p in paths],
        "rules_fingerprint": rules_fingerprint(), "counts": counts, "validation": validation,
        "training_seconds": None,
    }
    spec["meta"] = {"created_at": meta["created_at"], "rules_fingerprint": meta["rules_fingerprint"]}
    if write:
        import json
        import tempfile

        from .card import render_card

        with tempfile.TemporaryDirectory() as tmp:  # export, reload and compare before writing
            compiled.save(tmp, spec, arrays)
            reloaded = compiled.load(tmp)
            sample = [ds.texts[i] for i in range(0, len(ds.texts), max(1, len(ds.texts) // 400))]
            meta["export_max_difference"] = check_equivalence(system, reloaded, sample)
        meta["training_seconds"] = round(time.perf_counter() - t0, 1)
        compiled.save(out_dir, spec, arrays)
        (out_dir / "metadata.json").write_text(json.dumps(_jsonable(meta), indent=2) + "\n",
                                                encoding="utf-8")
        (out_dir / "MODEL_CARD.md").write_text(render_card(_jsonable(meta)), encoding="utf-8")
        for stale in ("model.skops",):
            (out_dir / stale).unlink(missing_ok=True)
    meta["training_seconds"] = round(time.perf_counter() - t0, 1)
    return _jsonable(meta)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    return obj
