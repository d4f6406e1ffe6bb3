"""Opt-in result cache (``barrier-scan scan --cache DIR``): re-running over an unchanged folder
skips extraction and detection.

* Key: SHA-256 of the file's bytes (so a renamed or moved file still hits) under an **engine
  key**: SHA-256 of the package version, the package's own source files, every rule file (path
  and bytes), the classifier (model file bytes and metadata) and every setting of the
  :class:`~barrier_scan.config.Config` that can change a result (``Config.result_settings``: all
  fields but the file's path and the time limit, so a new setting is in the key by default).
  Change any of them and every entry is missed (and rewritten under the new key).
* Value: the :class:`DocumentResult` as JSON (never pickle), one file per document:
  ``DIR/<engine key[:16]>/<sha[:2]>/<sha>.json``, written to a temporary file and renamed, so
  a reader never sees half an entry.
* A missing, unreadable, corrupt or mismatching entry is a miss: the file is scanned and the entry
  rewritten. Only results that depend on nothing but the bytes and the engine are stored: scanned
  documents and input errors (encrypted, not a tender format, ...). Timeouts, crashes and
  out-of-memory results are not.
* On a hit the stored result is returned with this run's path, ``stats.cached = true`` and no
  extract/detect timings (they were the first run's).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .findings import DocumentResult, result_from_dict

CACHE_FORMAT = 1
# Error codes that do not follow from the bytes alone: never cached.
_TRANSIENT = {"timeout", "internal_error"}
_CHUNK = 1 << 20


def file_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _hash_tree(h, folder: Path, patterns: tuple[str, ...]) -> None:
    if not folder.is_dir():
        h.update(b"<absent>")
        return
    files = sorted({p for pat in patterns for p in folder.rglob(pat) if p.is_file()})
    for p in files:
        h.update(str(p.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())


def engine_key(config: Config) -> str:
    """Everything besides a file's bytes that can change its result, hashed."""
    from .version import __version__
    from .detect.model.persist import model_files
    from .detect.rules.loader import default_rules_dir

    h = hashlib.sha256()
    h.update(f"cache-format {CACHE_FORMAT}\0version {__version__}\0".encode())
    _hash_tree(h, Path(__file__).resolve().parent, ("*.py", "*.css"))
    h.update(b"rules\0")
    _hash_tree(h, Path(config.rules_dir) if config.rules_dir else default_rules_dir(), ("*.yml", "*.yaml"))
    h.update(b"model\0")
    if config.use_model:
        for p in model_files(config.model_dir):
            h.update(hashlib.sha256(p.read_bytes()).digest() if p.is_file() else b"<absent>")
    h.update(json.dumps(config.result_settings(), sort_keys=True, default=str).encode())
    return h.hexdigest()


@dataclass
class ResultCache:
    """A folder of cached results for one engine key (build with :meth:`for_config`)."""

    root: str
    engine: str
    hits: int = 0
    misses: int = 0

    @classmethod
    def for_config(cls, root: str | os.PathLike, config: Config) -> "ResultCache":
        """The cache folder ``root`` for the engine of ``config`` (its key hashed once)."""
        return cls(os.fspath(root), engine_key(config))

    @staticmethod
    def digest(path: str | os.PathLike) -> str:
        """The content key of a file (its SHA-256)."""
        return file_digest(path)

    def _entry(self, digest: str) -> Path:
        return Path(self.root) / self.engine[:16] / digest[:2] / f"{digest}.json"

    def get(self, digest: str) -> DocumentResult | None:
        """The stored result for these bytes, or None (missing, unreadable or corrupt)."""
        try:
            data = json.loads(self._entry(digest).read_text(encoding="utf-8"))
            if (data.get("format") != CACHE_FORMAT or data.get("engine") != self.engine
                    or data.get("sha256") != digest):
                raise ValueError("entry for another engine or file")
            result = result_from_dict(data["result"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        stats = {k: v for k, v in (result.stats or {}).items()
                 if k not in ("seconds", "extract_seconds", "detect_seconds")}
        stats["cached"] = True
        result.stats = stats
        return result

    @staticmethod
    def cacheable(result: DocumentResult) -> bool:
        """Whether a result depends only on the bytes and the engine (not timeouts or crashes)."""
        return not result.error or (result.error.get("code") not in _TRANSIENT
                                    and "ran out of memory" not in result.error.get("message", ""))

    def put(self, digest: str, result: DocumentResult) -> None:
        """Store atomically (temporary file + rename). A cache that cannot be written is skipped."""
        if not self.cacheable(result):
            return
        path = self._entry(digest)
        try:
            data = json.dumps({"format": CACHE_FORMAT, "engine": self.engine, "sha256": digest,
                               "result": result.to_dict()}, ensure_ascii=False)
        except (TypeError, ValueError):  # not representable as JSON: do not cache it
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{digest[:16]}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # read-only or full disk: scanning goes on without the cache
