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
* The key is the hash of the bytes that were scanned: on a miss the file is copied (and hashed
  while copying) to a private scratch folder and the copy is scanned, so a file that changes
  while it is being scanned can never store one content's result under another's hash.
* A missing, unreadable, corrupt, malformed or mismatching entry is a miss: the file is scanned
  and the entry rewritten. Entries are opened without following symbolic links and without
  blocking (a FIFO or device planted in the cache is a miss), read up to ``MAX_ENTRY_BYTES``,
  and checked field by field against :class:`DocumentResult` before use, so a bad entry can
  neither crash the run nor reach a report. Only results that depend on nothing but the bytes and the engine are stored: scanned
  documents and input errors (encrypted, not a tender format, ...). Timeouts, crashes and
  out-of-memory results are not.
* On a hit the stored result is returned with this run's path, ``stats.cached = true`` and no
  extract/detect timings (they were the first run's).
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
import shutil
import stat
import tempfile
import types
import typing
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .findings import DocumentResult, Evidence, Finding, result_from_dict
from .taxonomy import BANDS, CATEGORIES, POLARITIES, SEVERITIES, SOURCES

CACHE_FORMAT = 2
# Error codes that do not follow from the bytes alone: never cached.
_TRANSIENT = {"timeout", "internal_error"}
_CHUNK = 1 << 20
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a 3,000-page tender's entry is ~3 MB
_MAX_DEPTH = 8  # nesting allowed in an entry's free-form parts (facts, stats, finding data)


def _open_regular(path: str | os.PathLike, *, follow: bool = True) -> int:
    """A read-only descriptor of a regular file; OSError for anything else (a FIFO is opened
    without blocking and refused, a device or directory refused, a final symlink refused when
    ``follow`` is false)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{os.fspath(path)!r} is not a regular file")
        os.set_blocking(fd, True)
        return fd
    except BaseException:
        os.close(fd)
        raise


def file_digest(path: str | os.PathLike, limit: int | None = None) -> str:
    """SHA-256 of a regular file's bytes, read in chunks (OSError past ``limit`` bytes)."""
    h = hashlib.sha256()
    read = 0
    with os.fdopen(_open_regular(path), "rb") as fh:
        while chunk := fh.read(_CHUNK):
            read += len(chunk)
            if limit is not None and read > limit:
                raise OSError(f"{os.fspath(path)!r} is larger than the size limit")
            h.update(chunk)
    return h.hexdigest()


# -- entry validation ---------------------------------------------------------------------------
class _Bad(ValueError):
    """A cache entry that does not hold a well-formed result."""


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _plain(v, depth: int = 0) -> bool:
    """JSON data of bounded depth with finite numbers."""
    if depth > _MAX_DEPTH:
        return False
    if v is None or isinstance(v, (str, bool)) or _number(v):
        return True
    if isinstance(v, list):
        return all(_plain(x, depth + 1) for x in v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and _plain(x, depth + 1) for k, x in v.items())
    return False


_CHECKERS: dict = {}


def _checker(hint):
    """A function telling whether parsed JSON fits the type annotation ``hint`` of a dataclass
    field (built once per annotation: entries are checked on every cache hit)."""
    key = hint
    if key in _CHECKERS:
        return _CHECKERS[key]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        subs = [_checker(a) for a in args]
        fn = lambda v: any(c(v) for c in subs)  # noqa: E731
    elif hint is type(None):
        fn = lambda v: v is None  # noqa: E731
    elif hint is bool:
        fn = lambda v: isinstance(v, bool)  # noqa: E731
    elif hint is int:
        fn = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
    elif hint is float:
        fn = _number
    elif hint is str:
        fn = lambda v: isinstance(v, str)  # noqa: E731
    elif dataclasses.is_dataclass(hint):
        fields = typing.get_type_hints(hint)
        names = set(fields)
        checks = [(k, _checker(h)) for k, h in fields.items()]
        fn = lambda v: (isinstance(v, dict) and v.keys() == names  # noqa: E731
                        and all(c(v[k]) for k, c in checks))
    elif origin in (list, tuple) or hint in (list, tuple):
        item = _checker(args[0]) if args else (lambda v: _plain(v, 1))
        fn = lambda v: isinstance(v, list) and all(item(x) for x in v)  # noqa: E731
    elif origin is dict or hint is dict:
        value = _checker(args[1]) if args else (lambda v: _plain(v, 1))
        fn = lambda v: isinstance(v, dict) and all(  # noqa: E731
            isinstance(k, str) and value(x) for k, x in v.items())
    else:  # dates (ISO strings), Any
        fn = _plain
    _CHECKERS[key] = fn
    return fn


def _facts_ok(facts: dict) -> bool:
    """Known facts of their declared types; anything else plain JSON."""
    from .detect.facts import Facts

    if Facts not in _CHECKERS:
        _CHECKERS[Facts] = {k: _checker(h) for k, h in typing.get_type_hints(Facts).items()}
    checks = _CHECKERS[Facts]
    return all(checks[k](x) if k in checks else _plain(x, 1) for k, x in facts.items())


_BREAKDOWN_TEXT = {"label", "why"}  # the score's words; "floored" is true/false; the rest numbers


def _breakdown_entry_ok(x: dict) -> bool:
    return all(isinstance(v, str) if k in _BREAKDOWN_TEXT else
               isinstance(v, bool) if k == "floored" else _number(v) for k, v in x.items())


def check_result(d) -> None:
    """Raise ``_Bad`` unless ``d`` is a well-formed :meth:`DocumentResult.to_dict` that every
    report can render (the types reports rely on, the names they look up)."""
    if not _checker(DocumentResult)({**d, "findings": []} if isinstance(d, dict) else d):
        raise _Bad("not a result")
    finding = _checker(Finding)
    if not (isinstance(d.get("findings"), list) and all(finding(f) for f in d["findings"])):
        raise _Bad("malformed findings")
    for f in d["findings"]:
        if not (f["category"] in CATEGORIES and f["polarity"] in POLARITIES
                and f["severity"] in SEVERITIES and f["source"] in SOURCES
                and _plain(f["data"]) and (f["evidence"]["table"] is None
                                           or len(f["evidence"]["table"]) == 3)):
            raise _Bad("finding out of range")
    err = d["error"]
    if err is not None and not (set(err) == {"code", "message"}
                                and all(isinstance(x, str) for x in err.values())):
        raise _Bad("malformed error")
    if d["band"] is not None and d["band"] not in {b for _, b in BANDS}:
        raise _Bad("unknown band")
    if not (_facts_ok(d["facts"]) and _plain(d["stats"]) and _plain(d.get("score_info", {}))
            and all(isinstance(x, dict) and _breakdown_entry_ok(x) for x in d["breakdown"].values())):
        raise _Bad("malformed facts, stats or breakdown")


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
    max_bytes: int | None = None  # files larger than this are neither hashed nor copied
    scratch: str | None = None  # where copies being scanned go (see open_scratch)

    @classmethod
    def for_config(cls, root: str | os.PathLike, config: Config) -> "ResultCache":
        """The cache folder ``root`` for the engine of ``config`` (its key hashed once)."""
        return cls(os.fspath(root), engine_key(config), max_bytes=config.max_bytes)

    def digest(self, path: str | os.PathLike) -> str:
        """The content key of a file (its SHA-256); OSError for anything but a regular file
        within the size limit."""
        return file_digest(path, self.max_bytes)

    # -- scanning the bytes that are hashed ------------------------------------------------------
    def open_scratch(self) -> None:
        """Make a private folder for this run's copies (removed by :meth:`close_scratch`). The
        batch runner opens it in the parent, so copies left by a worker it had to kill are
        removed too. Without one, each copy gets its own temporary folder."""
        with contextlib.suppress(OSError):
            Path(self.root).mkdir(parents=True, exist_ok=True)
            self.scratch = tempfile.mkdtemp(prefix=".scratch-", dir=self.root)

    def close_scratch(self) -> None:
        """Remove the run's copies."""
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    @contextlib.contextmanager
    def snapshot(self, path: str | os.PathLike):
        """Copy ``path`` to a private folder, hashing the bytes as they are copied; yields
        ``(sha256, copy)``. Scan the copy and store its result under that hash: what is stored
        is then exactly what those bytes give, whatever happens to ``path`` meanwhile."""
        folder = tempfile.mkdtemp(prefix="scan-", dir=self.scratch)
        try:
            copy = os.path.join(folder, "document" + Path(os.fsdecode(path)).suffix)
            h = hashlib.sha256()
            copied = 0
            with os.fdopen(_open_regular(path), "rb") as src, open(copy, "xb") as dst:
                while chunk := src.read(_CHUNK):
                    copied += len(chunk)
                    if self.max_bytes is not None and copied > self.max_bytes:
                        raise OSError(f"{os.fspath(path)!r} grew past the size limit")
                    h.update(chunk)
                    dst.write(chunk)
            yield h.hexdigest(), copy
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _entry(self, digest: str) -> Path:
        return Path(self.root) / self.engine[:16] / digest[:2] / f"{digest}.json"

    def _read_entry(self, digest: str) -> bytes:
        fd = _open_regular(self._entry(digest), follow=False)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_ENTRY_BYTES + 1)
        if len(data) > MAX_ENTRY_BYTES:
            raise OSError("cache entry over the size limit")
        return data

    def get(self, digest: str) -> DocumentResult | None:
        """The stored result for these bytes, or None (missing, unreadable, corrupt, malformed,
        a link, a pipe or too large: a miss, and the entry is rewritten after the scan)."""
        try:
            data = json.loads(self._read_entry(digest).decode("utf-8"))
            if (not isinstance(data, dict) or data.get("format") != CACHE_FORMAT
                    or data.get("engine") != self.engine or data.get("sha256") != digest):
                raise _Bad("entry for another engine or file")
            check_result(data["result"])
            result = result_from_dict(data["result"])
        except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is only a miss
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
