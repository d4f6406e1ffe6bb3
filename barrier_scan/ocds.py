"""Reading OCDS files: release packages, record packages and JSON Lines of releases, streamed.

``barrier-scan scan notices.jsonl fts-2025.json`` reads every tender in them, however large the
file: JSON Lines a line at a time (each line at most ``max_release_bytes``), JSON documents with
ijson's event parser so that one release at a time is held in memory (a release larger than the
limit is skipped with a message, without building it). Gzip-compressed files (``.json.gz``) are
read the same way.

What is read (OCDS 1.1): a release package's ``releases``; a record package's ``records``, each
by its ``compiledRelease`` (else its last embedded release); a bare release or an array of
releases; a JSON line holding any of those. Each release with tender words becomes a
:class:`~barrier_scan.extract.ocds.Notice`; one without (a planning or implementation release)
is counted and skipped; a malformed one is one :class:`DocumentResult` with the error
``malformed_notice`` naming the file, line or position and the problem, and the reading goes
on. A file that stops being valid JSON part way through is one error for the rest of it.

Local documents: with ``documents_dir`` (``--documents DIR``), every file there is indexed by its
name; a notice's ``tender.documents`` are matched by the file name their URL (or title) ends
in, and matched files are scanned with the notice (:func:`~barrier_scan.extract.ocds.notice_document`).
"""
from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .findings import DocumentResult
from .io import display_path

MB = 1024 * 1024
#: A release (or a JSON line) larger than this is refused: real notices are a few kB to 1 MB.
MAX_RELEASE_BYTES = 16 * MB
#: File names read as OCDS when named on the command line (optionally gzip-compressed).
JSON_SUFFIXES = (".json",)
LINES_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
_CHUNK = 1 << 20


def _base_suffix(path) -> str:
    name = os.fsdecode(Path(path).name).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1]


def is_ocds_path(path) -> bool:
    """Whether a path named on the command line is read as OCDS (by its extension)."""
    return _base_suffix(path) in JSON_SUFFIXES + LINES_SUFFIXES


def _malformed(label: str, message: str) -> DocumentResult:
    return DocumentResult(path=label, format="ocds",
                          error={"code": "malformed_notice", "message": message})


class DocumentIndex:
    """Local documents by file name (case-folded), for matching the files a notice names."""

    def __init__(self, folder: str | os.PathLike | None):
        self.by_name: dict[str, str] = {}
        self.digests: dict[str, str] = {}
        if folder is None:
            return
        from .pipeline import iter_files

        for p in iter_files([folder]):
            self.by_name.setdefault(Path(p).name.casefold(), os.path.abspath(p))

    def __bool__(self) -> bool:
        return bool(self.by_name)

    def digest(self, path: str) -> str:
        """SHA-256 of a local document (remembered: several notices may name one file)."""
        from .cache import file_digest

        if path not in self.digests:
            if len(self.digests) > 100_000:
                self.digests.clear()
            try:
                self.digests[path] = file_digest(path)
            except OSError:
                self.digests[path] = "<unreadable>"
        return self.digests[path]


class NoticeReader:
    """Reads OCDS files into notices (and one error result per malformed release).

    Counts what it read: ``releases`` seen, ``notices`` yielded, ``no_text`` skipped because
    they have no tender words, ``malformed`` reported.
    """

    def __init__(self, documents_dir: str | os.PathLike | None = None,
                 max_release_bytes: int = MAX_RELEASE_BYTES):
        self.index = DocumentIndex(documents_dir)
        self.documents_dir = documents_dir
        self.max_release_bytes = max_release_bytes
        self.releases = self.notices = self.no_text = self.malformed = 0

    # -- one release -------------------------------------------------------------------------
    def _notice(self, release, where: str):
        from .extract.ocds import NoticeError, notice_digest, notice_from_release

        self.releases += 1
        ocid = release.get("ocid") if isinstance(release, dict) else None
        label = f"{where} ({ocid})" if isinstance(ocid, str) and ocid.strip() else where
        try:
            notice = notice_from_release(release, origin=where)
        except NoticeError as e:
            self.malformed += 1
            return _malformed(label, f"malformed OCDS release: {e}")
        except RecursionError:
            self.malformed += 1
            return _malformed(label, "malformed OCDS release: nested too deeply to read safely")
        if not notice.has_text:
            self.no_text += 1
            return None
        if self.documents_dir is not None:
            for name in notice.named_documents:
                path = self.index.by_name.get(name.casefold())
                if path is None:
                    notice.missing.append(name)
                elif path not in notice.documents:
                    notice.documents.append(path)
        notice.digest = notice_digest(notice, [(os.path.basename(p), self.index.digest(p))
                                               for p in notice.documents])
        self.notices += 1
        return notice

    def _record(self, record, where: str):
        if not isinstance(record, dict):
            self.releases += 1
            self.malformed += 1
            return _malformed(where, f"malformed OCDS record: a record must be a JSON object, "
                                     f"not {type(record).__name__}")
        compiled = record.get("compiledRelease")
        if isinstance(compiled, dict):
            return self._notice(compiled, where)
        embedded = [r for r in record.get("releases") or [] if isinstance(r, dict) and "ocid" in r]
        if embedded:
            latest = max(embedded, key=lambda r: str(r.get("date") or ""))
            return self._notice(latest, where)
        self.releases += 1
        self.malformed += 1
        ocid = record.get("ocid")
        return _malformed(f"{where} ({ocid})" if isinstance(ocid, str) else where,
                          "OCDS record has no compiledRelease and no embedded releases (only "
                          "links to them): fetch the release package instead")

    def _value(self, obj, where: str) -> Iterator:
        """A parsed top-level value or JSON line: a package, a record package, a release."""
        if isinstance(obj, dict) and ("releases" in obj or "records" in obj) and "ocid" not in obj:
            for key, handle in (("releases", self._notice), ("records", self._record)):
                items = obj.get(key)
                if items is None:
                    continue
                if not isinstance(items, list):
                    self.malformed += 1
                    yield _malformed(where, f"malformed OCDS package: '{key}' must be an array")
                    continue
                for i, item in enumerate(items):
                    yield handle(item, f"{where} {key[:-1]} {i + 1}")
        elif isinstance(obj, list):
            for i, item in enumerate(obj):
                yield self._notice(item, f"{where} release {i + 1}")
        else:
            yield self._notice(obj, where)

    # -- files -------------------------------------------------------------------------------
    def read(self, path: str | os.PathLike) -> Iterator[object]:
        """Notices and error results from one OCDS file, as they are read."""
        shown = display_path(path)
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as e:
            yield DocumentResult(path=shown, format="ocds", error={
                "code": "not_found" if isinstance(e, FileNotFoundError) else "unreadable",
                "message": f"could not open the OCDS file: {e.strerror or e}"})
            return
        try:
            fh = gzip.GzipFile(fileobj=raw) if raw.peek(2)[:2] == b"\x1f\x8b" else raw
            lines = _base_suffix(path) in LINES_SUFFIXES
            source = self._lines(fh, shown) if lines else self._stream(fh, shown)
            for item in source:
                if item is not None:
                    yield item
        except (OSError, EOFError, gzip.BadGzipFile) as e:
            yield DocumentResult(path=shown, format="ocds", error={
                "code": "unreadable", "message": f"could not read the OCDS file ({e}); the rest "
                                                 "of it was not read"})
        finally:
            raw.close()

    def _lines(self, fh, shown: str) -> Iterator:
        limit = self.max_release_bytes
        n = 0
        while True:
            line = fh.readline(limit + 1)
            if not line:
                return
            n += 1
            where = f"{shown} line {n}"
            if len(line) > limit and not line.endswith(b"\n"):
                while True:  # skip the rest of the over-long line without holding it
                    chunk = fh.readline(_CHUNK)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                self.releases += 1
                self.malformed += 1
                yield _malformed(where, f"line is larger than the {limit // MB} MB limit for one "
                                        "release; it was skipped")
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as e:
                self.releases += 1
                self.malformed += 1
                yield _malformed(where, f"not valid JSON ({str(e)[:120]})")
                continue
            yield from self._value(obj, where)

    def _stream(self, fh, shown: str) -> Iterator:
        import ijson

        events = ijson.parse(fh, use_float=True, multiple_values=True)
        count = 0
        try:
            for _, ev, value in events:
                count += 1
                where = shown if count == 1 else f"{shown} value {count}"
                if ev == "start_map":
                    yield from self._object(events, where)
                elif ev == "start_array":
                    i = 0
                    for _, ev2, v2 in events:
                        if ev2 == "end_array":
                            break
                        i += 1
                        item = _build(ev2, v2, events, self.max_release_bytes)
                        yield self._checked(item, f"{where} release {i}", self._notice)
                else:
                    self.malformed += 1
                    yield _malformed(where, "not an OCDS release or package (a JSON "
                                            f"{ev.replace('_', ' ')} at the top level)")
        except ijson.JSONError as e:
            self.malformed += 1
            yield _malformed(shown, f"not valid JSON ({str(e)[:160]}); the rest of the file was "
                                    "not read")

    def _checked(self, item, where: str, handle):
        if isinstance(item, _TooLarge):
            self.releases += 1
            self.malformed += 1
            return _malformed(where, f"larger than the {self.max_release_bytes // MB} MB limit for "
                                     "one release; it was skipped")
        return handle(item, where)

    def _object(self, events, where: str) -> Iterator:
        top: dict = {}
        package = False
        size = 0
        for _, ev, key in events:
            if ev == "end_map":
                break
            _, ev2, v2 = next(events)
            if key in ("releases", "records") and ev2 == "start_array":
                package = True
                handle = self._notice if key == "releases" else self._record
                i = 0
                for _, ev3, v3 in events:
                    if ev3 == "end_array":
                        break
                    i += 1
                    item = _build(ev3, v3, events, self.max_release_bytes)
                    yield self._checked(item, f"{where} {key[:-1]} {i}", handle)
                continue
            value = _build(ev2, v2, events, self.max_release_bytes)
            size += value.size if isinstance(value, _TooLarge) else _cost(value)
            top[key] = value if size <= self.max_release_bytes else None
        if not package:
            if size > self.max_release_bytes or any(isinstance(v, _TooLarge) for v in top.values()):
                yield self._checked(_TooLarge(size), where, self._notice)
            else:
                yield from self._value(top, where)


class _TooLarge:
    def __init__(self, size: int):
        self.size = size


def _cost(value) -> int:
    if isinstance(value, str):
        return len(value) + 2
    if isinstance(value, dict):
        return sum(len(k) + 3 + _cost(v) for k, v in value.items()) + 2
    if isinstance(value, list):
        return sum(_cost(v) + 1 for v in value) + 2
    return 8


def _build(ev, value, events, limit: int):
    """The JSON value starting with event ``ev``, read from ``events``; :class:`_TooLarge`
    (after reading past it without keeping it) when its text exceeds ``limit`` bytes."""
    from ijson.common import ObjectBuilder

    if ev not in ("start_map", "start_array"):
        return value
    builder = ObjectBuilder()
    builder.event(ev, value)
    depth, size = 1, 0
    for _, ev, value in events:
        if builder is not None:
            size += len(value) + 3 if isinstance(value, str) else 4
            if size > limit:
                builder = None
            else:
                builder.event(ev, value)
        if ev in ("start_map", "start_array"):
            depth += 1
        elif ev in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return builder.value if builder is not None else _TooLarge(size)


def expand(paths: Iterable[str | os.PathLike], reader: NoticeReader, follow_links: bool = False,
           on_skip=None) -> Iterator[object]:
    """Batch items for ``paths``: OCDS files named explicitly become their notices (and error
    results), everything else the files :func:`~barrier_scan.pipeline.walk_inputs` finds (a
    file it refuses, such as a link out of the folders, as its error result)."""
    from .pipeline import walk_inputs

    def walk(group):  # one walk per run of plain paths: a link between two of them is inside
        for path, refusal in walk_inputs(group, follow_links=follow_links, on_skip=on_skip):
            yield path if refusal is None else DocumentResult(path=display_path(path),
                                                              error=refusal.to_dict())

    group: list = []
    for p in paths:
        if os.path.isfile(p) and is_ocds_path(p):
            yield from walk(group)
            group = []
            yield from reader.read(p)
        else:
            group.append(p)
    yield from walk(group)
