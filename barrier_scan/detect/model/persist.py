"""Saving and loading the classifier with skops (never pickle/joblib).

Loading passes an explicit list of trusted types to ``skops.io.load``; anything else in the file
(beyond the types skops itself treats as safe: scikit-learn, NumPy, SciPy containers) makes the
load fail with ``UntrustedModelError`` before any object is built.
"""
from __future__ import annotations

import io
import json
import os
import re
import zipfile
from functools import lru_cache
from pathlib import Path

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
CARD_FILE = "MODEL_CARD.md"
ENV_VAR = "BARRIER_SCAN_MODEL"

# Our own classes inside the saved object. scikit-learn/NumPy/SciPy types used by the pipeline
# (Pipeline, FeatureUnion, TfidfVectorizer, LogisticRegression, LinearSVC, ComplementNB, ndarray,
# csr_matrix, ...) are on skops' built-in safe list; they are repeated here so the whole set of
# types a model may contain is written down in one place.
TRUSTED_TYPES = [
    "barrier_scan.detect.model.classifier.SentenceModel",
    "barrier_scan.detect.model.features.TextNormaliser",
    "barrier_scan.detect.model.features.Lemmatiser",
    "barrier_scan.detect.model.features.WordwiseCharVectorizer",
    "barrier_scan.detect.model.features.CompactTfidfVectorizer",
    "sklearn.pipeline.Pipeline",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.svm._classes.LinearSVC",
    "sklearn.naive_bayes.ComplementNB",
    "numpy.ndarray",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
]

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# CPython object ids as skops writes them (memo ids, array file names, _stop_words_id).
_OBJECT_ID = re.compile(r"(?<![\w.])\d{9,}(?!\w)")


class UntrustedModelError(RuntimeError):
    """The model file contains a type that is not on ``TRUSTED_TYPES``."""


class ModelFormatError(RuntimeError):
    """The model file was written by an incompatible version of the classifier code."""


def default_model_dir() -> Path:
    """``models/default`` of the repository."""
    return Path(__file__).resolve().parents[3] / "models" / "default"


def resolve_model_path(path=None) -> Path:
    """``path`` (dir or .skops file), else ``$BARRIER_SCAN_MODEL``, else ``models/default``."""
    if path is None:
        path = os.environ.get(ENV_VAR) or default_model_dir()
    path = Path(path).expanduser()
    if path.suffix != ".skops":
        path = path / MODEL_FILE
    return path.resolve()


def dumps_model(model) -> bytes:
    """skops bytes that depend only on the model, so retraining on the same data is a no-op.

    skops names arrays and memo entries after ``id()`` of the Python objects, and
    ``TfidfVectorizer`` stores ``id(stop_words)``; these differ from process to process. They are
    renumbered in order of first appearance (consistently, so shared references still resolve)
    and zip timestamps are fixed.
    """
    import skops.io as sio

    if hasattr(model, "oof_proba_"):  # training-only attribute; not needed to predict
        model = _without(model, "oof_proba_")
    raw = sio.dumps(model, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    with zipfile.ZipFile(io.BytesIO(raw)) as zin:
        members = {info.filename: zin.read(info.filename) for info in zin.infolist()}
    schema = members.pop("schema.json").decode("utf-8")
    mapping: dict[str, str] = {}

    def renumber(m):
        return mapping.setdefault(m.group(0), str(len(mapping) + 1))

    schema = _OBJECT_ID.sub(renumber, schema)
    renamed = {}
    for name, data in members.items():
        stem, dot, ext = name.partition(".")
        renamed[(mapping.get(stem, stem) + dot + ext)] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for name, data in [("schema.json", schema.encode("utf-8"))] + sorted(renamed.items()):
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    return out.getvalue()


def save_model(model, out_dir, *, metadata: dict | None = None, card: str | None = None) -> Path:
    """Write ``model.skops`` (+ ``metadata.json``, ``MODEL_CARD.md`` when given) to ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MODEL_FILE
    path.write_bytes(dumps_model(model))
    if metadata is not None:
        (out_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2, sort_keys=False)
                                             + "\n", encoding="utf-8")
    if card is not None:
        (out_dir / CARD_FILE).write_text(card, encoding="utf-8")
    return path


def read_model_file(path, trusted=None):
    """Load a .skops file, refusing any type outside ``trusted`` (default ``TRUSTED_TYPES``)."""
    import skops.io as sio

    trusted = list(TRUSTED_TYPES if trusted is None else trusted)
    path = Path(path)
    untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in trusted]
    if untrusted:
        raise UntrustedModelError(f"{path}: refusing to load untrusted type(s): {untrusted}")
    model = sio.load(path, trusted=trusted)
    from .classifier import FORMAT_VERSION

    found = getattr(model, "format_version_", 1)
    if found != FORMAT_VERSION:
        raise ModelFormatError(f"{path}: model format {found}, this code reads format "
                               f"{FORMAT_VERSION}; retrain with `barrier-scan train`")
    return model


@lru_cache(maxsize=4)
def _load_cached(path: str):
    return read_model_file(path)


def load_model(path=None):
    """The trained ``SentenceModel`` or None when there is no model file.

    ``path`` may be a model directory or a ``.skops`` file; default ``$BARRIER_SCAN_MODEL`` or
    ``<repo>/models/default``. Loaded once per process per path.
    """
    p = resolve_model_path(path)
    if not p.is_file():
        return None
    return _load_cached(str(p))


def read_metadata(path=None) -> dict | None:
    """The model's metadata.json (None when there is none)."""
    p = resolve_model_path(path).parent / METADATA_FILE
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None


def _without(model, attr):
    import copy

    clone = copy.copy(model)
    clone.__dict__ = {k: v for k, v in model.__dict__.items() if k != attr}
    return clone
