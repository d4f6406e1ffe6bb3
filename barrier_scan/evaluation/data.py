"""Labelled sentences: loading, label matrices, data locations and fingerprints."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..taxonomy import SENTENCE_CATEGORIES as LABELS

CORPUS_RELATIVE = Path("shared") / "corpus"


def repo_root() -> Path:
    """The repository folder (parent of the package)."""
    return Path(__file__).resolve().parents[2]


def corpus_dir() -> Path:
    """The shared corpus: ``<repo>/../shared/corpus`` (read at run time, never copied)."""
    return repo_root().parent / CORPUS_RELATIVE


def corpus_train_path() -> Path:
    """The first hand-labelled file, ``labelled/train.jsonl``."""
    return corpus_dir() / "labelled" / "train.jsonl"


def labelled_paths() -> list[Path]:
    """Every labelled file of the corpus (``labelled/*.jsonl``), sorted; empty when absent."""
    return sorted((corpus_dir() / "labelled").glob("*.jsonl"))


def own_examples_dir() -> Path:
    """``models/training``: the sentences the team wrote."""
    return repo_root() / "models" / "training"


def own_example_paths() -> list[Path]:
    """The JSONL files of our own written examples."""
    return sorted(own_examples_dir().glob("*.jsonl"))


def default_data_paths() -> list[Path]:
    """Every labelled corpus file (when present), then the project's own written examples."""
    return labelled_paths() + own_example_paths()


@dataclass
class Example:
    """One labelled sentence and where it came from."""

    id: str
    text: str
    labels: frozenset = field(default_factory=frozenset)
    source: str = ""
    origin: str = ""  # the file: "corpus" (train.jsonl), "own", or the file's stem
    family: str = ""  # source family: frameworks, notices, notices_2026, own (protocol.py)
    buyer: str | None = None  # normalised buyer of a 2026 notice (for the dev slice)

    @property
    def group(self) -> str:
        """Grouping key for cross-validation: the source document (one notice = one source)."""
        return f"{self.origin}|{self.source or self.id}"


def origin_of(path: Path) -> str:
    """Which family a labelled file belongs to (``corpus``, ``own`` or its name)."""
    path = Path(path)
    if path.resolve() == corpus_train_path().resolve() or path.name == "train.jsonl":
        return "corpus"
    if path.resolve().parent == own_examples_dir().resolve():
        return "own"
    return path.stem


def family_of(origin: str, source: str) -> str:
    """The source family of a labelled row (see ``protocol.py``)."""
    if origin == "own":
        return "own"
    if origin == "notices_2026":
        return "notices_2026"
    if origin == "frameworks_2026":
        return "frameworks"
    if origin == "corpus":
        return "notices" if source.startswith("notice:") else "frameworks"
    return origin


def normalise_buyer(buyer: str) -> str:
    """A buyer name reduced to its place or body ("Chorley Borough Council" -> "chorley")."""
    import re

    b = re.sub(r"\(.*?\)", "", buyer.lower())
    b = re.sub(r"\b(borough|city|county|metropolitan|district|council|the|of)\b", "", b)
    return " ".join(b.split())


def _notice_buyers() -> dict[str, str]:
    path = corpus_dir() / "notices" / "notices_2026.jsonl"
    if not path.is_file():
        return {}
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                out[str(row.get("id"))] = normalise_buyer(str(row.get("buyer") or ""))
    return out


def load_jsonl(path, *, origin: str | None = None, require_labels: bool = True) -> list[Example]:
    """Read one LABELS.md-format JSON Lines file; unknown labels are an error, not ignored."""
    path = Path(path)
    origin = origin or origin_of(path)
    buyers = _notice_buyers() if origin == "notices_2026" else {}
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
            source = str(row.get("source", ""))
            out.append(Example(id=str(row.get("id", f"{path.stem}:{n}")), text=row["text"],
                               labels=frozenset(labels), source=source, origin=origin,
                               family=family_of(origin, source),
                               buyer=buyers.get(source.partition(":")[2]) if buyers else None))
    return out


def load_examples(paths=None) -> list[Example]:
    """Every example of ``paths`` (default: the corpus and our own examples)."""
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


def sha256_file(path) -> str:
    """SHA-256 of a file (data fingerprints in model metadata)."""
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
    from ..detect.rules.loader import default_rules_dir

    d = Path(directory) if directory else default_rules_dir()
    files = sorted((p.relative_to(d).as_posix(), p) for p in d.rglob("*.y*ml") if p.is_file())
    h = hashlib.sha256()
    for rel, p in files:
        data = p.read_bytes()
        h.update(rel.encode("utf-8") + b"\0")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return {"sha256": h.hexdigest(), "files": len(files)}
