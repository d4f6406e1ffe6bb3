"""Where the trained model lives and how it is loaded.

A model folder holds ``model.json`` and ``model.npz`` (``compiled.py``: numbers and strings,
loaded with ``allow_pickle=False``; nothing is unpickled or rebuilt as objects), plus
``metadata.json`` (how it was trained and validated) and ``MODEL_CARD.md``.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

MODEL_FILES = ("model.json", "model.npz")
METADATA_FILE = "metadata.json"
CARD_FILE = "MODEL_CARD.md"
ENV_VAR = "BARRIER_SCAN_MODEL"


def default_model_dir() -> Path:
    """``models/default`` of the repository."""
    return Path(__file__).resolve().parents[3] / "models" / "default"


def resolve_model_dir(path=None) -> Path:
    """``path``, else ``$BARRIER_SCAN_MODEL``, else ``models/default`` (a folder)."""
    if path is None:
        path = os.environ.get(ENV_VAR) or default_model_dir()
    path = Path(path).expanduser()
    if path.suffix in (".json", ".npz"):
        path = path.parent
    return path.resolve()


def model_files(path=None) -> list[Path]:
    """The files a model is read from (what the result cache fingerprints)."""
    folder = resolve_model_dir(path)
    return [folder / name for name in (*MODEL_FILES, METADATA_FILE)]


@lru_cache(maxsize=4)
def _load_cached(folder: str):
    from .compiled import load

    return load(folder)


def load_model(path=None):
    """The trained model (``compiled.Model``), or None when the folder has no model.

    Loaded once per process per folder. A damaged model raises (the caller turns that into one
    clear configuration error).
    """
    folder = resolve_model_dir(path)
    if not any((folder / name).exists() for name in MODEL_FILES):
        return None
    return _load_cached(str(folder))


def read_metadata(path=None) -> dict | None:
    """The model's metadata.json (None when there is none)."""
    p = resolve_model_dir(path) / METADATA_FILE
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None
