"""Labelled sentences: loading, label matrices, data locations and grouped folds."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import LABELS

CORPUS_RELATIVE = Path("shared") / "corpus" / "labelled" / "train.jsonl"


def repo_root() -> Path:
    import barrier_scan

    return Path(barrier_scan.__file__).resolve().parents[1]


def corpus_train_path() -> Path:
    """The shared hand-labelled corpus: ``<repo>/../shared/corpus/labelled/train.jsonl``."""
    return repo_root().parent / CORPUS_RELATIVE


def own_examples_dir() -> Path:
    return repo_root() / "models" / "training"


def own_example_paths() -> list[Path]:
    return sorted(own_examples_dir().glob("*.jsonl"))


def default_data_paths() -> list[Path]:
    """Corpus (when present) followed by the project's own written examples."""
    paths = [corpus_train_path()] if corpus_train_path().is_file() else []
    return paths + own_example_paths()


@dataclass
class Example:
    id: str
    text: str
    labels: frozenset = field(default_factory=frozenset)
    source: str = ""
    origin: str = ""  # "corpus" or "own" (or the file stem for anything else)

    @property
    def group(self) -> str:
        """Grouping key for cross-validation: the source document (one notice = one source)."""
        return f"{self.origin}|{self.source or self.id}"


def origin_of(path: Path) -> str:
    path = Path(path)
    if path.resolve() == corpus_train_path().resolve() or path.name == "train.jsonl":
        return "corpus"
    if path.resolve().parent == own_examples_dir().resolve():
        return "own"
    return path.stem


def load_jsonl(path, *, origin: str | None = None, require_labels: bool = True) -> list[Example]:
    """Read one LABELS.md-format JSON Lines file; unknown labels are an error, not ignored."""
    path = Path(path)
    origin = origin or origin_of(path)
    out: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if "text" not in row:
                raise ValueError(f"{path}:{n}: no 'text' field")
            labels = row.get("labels")
            if labels is None:
                if require_labels:
                    raise ValueError(f"{path}:{n}: no 'labels' field")
                labels = []
            bad = set(labels) - set(LABELS)
            if bad:
                raise ValueError(f"{path}:{n}: unknown label(s) {sorted(bad)}")
            out.append(Example(id=str(row.get("id", f"{path.stem}:{n}")), text=row["text"],
                               labels=frozenset(labels), source=str(row.get("source", "")),
                               origin=origin))
    return out


def load_examples(paths=None) -> list[Example]:
    paths = default_data_paths() if paths is None else [Path(p) for p in paths]
    out: list[Example] = []
    for p in paths:
        out.extend(load_jsonl(p))
    return out


def label_matrix(label_sets, labels=LABELS) -> np.ndarray:
    """(n, len(labels)) 0/1 int matrix from an iterable of label sets."""
    sets = list(label_sets)
    Y = np.zeros((len(sets), len(labels)), dtype=np.int64)
    for i, s in enumerate(sets):
        for j, lab in enumerate(labels):
            Y[i, j] = lab in s
    return Y


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


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def rules_fingerprint(directory=None) -> dict:
    """sha256 over the rule files (the ``*.y*ml`` files the loader reads), sorted by path.

    Each file contributes its path relative to the rules folder (``/`` separators), its byte
    length and its bytes, so renaming, adding, removing or editing any rule changes the digest.
    ``rules/README.md`` is not a rule file and does not count. The combined thresholds in
    ``metadata.json`` depend on what the rules fire, so a model is stale when this differs from
    the fingerprint it was trained with.
    """
    from barrier_scan.rules.loader import default_rules_dir

    d = Path(directory) if directory else default_rules_dir()
    files = sorted((p.relative_to(d).as_posix(), p) for p in d.rglob("*.y*ml") if p.is_file())
    h = hashlib.sha256()
    for rel, p in files:
        data = p.read_bytes()
        h.update(rel.encode("utf-8") + b"\0")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return {"sha256": h.hexdigest(), "files": len(files)}
