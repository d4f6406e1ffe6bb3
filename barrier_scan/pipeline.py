"""The pipeline: extract -> segment -> detect -> score, for one file or one string, and the walk
that turns the paths a user gives into files.

Everything that scans goes through here: the CLI and the batch runner (``scan_file``), the
Python API (``scan_file``, ``scan_text``, ``analyse``), and the result cache (passed in to
``scan_file``; ``cache.py`` only stores results). Parallel runs over many files are
``batch.scan_batch``, which calls :func:`scan_item` in each worker: a file path, or an OCDS
notice (:class:`~barrier_scan.extract.ocds.Notice`, scanned by :func:`scan_notice`).

A document may state facts about itself outside its text (an OCDS notice's value and dates, in
``Document.meta["stated_facts"]``): :func:`analyse` puts them in place of the facts the text
parser read, below the user's own overrides (a value given on the command line still wins).
"""
from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .config import Config
from .document import Document
from .errors import ScanError
from .findings import DocumentResult
from .io import display_path


def engine_for(config: Config | None = None, detector=None):
    """The detector to use: the one given, else the process-wide one for ``config``."""
    if detector is not None:
        return detector
    from .detect import load_detector

    return load_detector(config or Config())


def analyse(document: Document, config: Config | None = None, detector=None, *,
            whole_document: bool = True) -> DocumentResult:
    """Detect and score an already-extracted document (segmented here)."""
    from .score import score_findings

    t0 = time.perf_counter()
    detector, stated = _with_stated_facts(engine_for(config, detector),
                                          document.meta.get("stated_facts"))
    det = detector.run(document, whole_document=whole_document)
    scored = score_findings(det.findings)
    facts = det.facts.to_dict()
    if stated:  # ``overridden`` lists these too; this says they came from the document itself
        facts["stated"] = sorted(stated)
    if document.meta.get("notice"):
        facts["notice"] = document.meta["notice"]
    return DocumentResult(
        path=document.path, format=document.format, pages=document.pages, findings=det.findings,
        score=scored.score, band=scored.band, breakdown=scored.breakdown,
        facts=facts, warnings=list(document.warnings),
        stats={"blocks": len(document.blocks), "sentences": len(document.sentences),
               "detect_seconds": round(time.perf_counter() - t0, 4)},
    )


def _with_stated_facts(detector, stated: dict | None):
    """(``detector`` whose facts take the document's stated values over those read from its
    text, the names applied). Values the user gave (``Config.fact_overrides``) are kept. A
    shallow copy: rules, spaCy and the model are shared, nothing is loaded again."""
    if not stated:
        return detector, {}
    import copy

    user = detector.config.fact_overrides()
    extra = {k: v for k, v in stated.items() if k not in user}
    if not extra:
        return detector, {}
    own = copy.copy(detector)
    read_from_text = detector.facts
    own.facts = lambda document: read_from_text(document).override(**extra)
    return own, extra


def scan_file(path: str | os.PathLike, config: Config | None = None, detector=None,
              cache=None) -> DocumentResult:
    """Scan one file. Never raises for bad input: the result carries ``error`` instead.

    ``cache``: a :class:`barrier_scan.cache.ResultCache` for the same configuration; a file
    whose bytes it has seen is not extracted or detected again.
    """
    detector = engine_for(config, detector)
    config = detector.config
    if cache is None or not _cacheable(path, config):
        return _scan(path, detector)
    try:
        digest = cache.digest(path)
    except OSError:  # unreadable: let the normal path report it
        return _scan(path, detector)
    hit = cache.get(digest)
    if hit is not None:
        hit.path = display_path(path)
        return hit
    result = _scan(path, detector)
    cache.put(digest, result)
    return result


def scan_notice(notice, config: Config | None = None, detector=None, cache=None) -> DocumentResult:
    """Scan one OCDS notice (and the local documents it names). Never raises for bad input.

    ``cache``: as for :func:`scan_file`, keyed by the notice's ``digest`` (its fields and the
    bytes of its documents).
    """
    detector = engine_for(config, detector)
    if cache is not None and notice.digest:
        hit = cache.get(notice.digest)
        if hit is not None:
            hit.path = notice.label
            return hit
    result = _scan_notice(notice, detector)
    if cache is not None and notice.digest:
        cache.put(notice.digest, result)
    return result


def _scan_notice(notice, detector) -> DocumentResult:
    from .extract.ocds import notice_document

    t0 = time.perf_counter()
    try:
        document = notice_document(notice, detector.config)
        t1 = time.perf_counter()
        result = analyse(document, detector=detector)
        result.stats["extract_seconds"] = round(t1 - t0, 4)
        return result
    except ScanError as e:
        return DocumentResult(path=notice.label, format="ocds", error=e.to_dict())
    except MemoryError:
        return DocumentResult(path=notice.label, format="ocds", error={
            "code": "too_large", "message": "ran out of memory reading this notice"})
    except Exception as e:  # noqa: BLE001 - one bad notice must never stop a batch
        return DocumentResult(path=notice.label, format="ocds", error={
            "code": "internal_error",
            "message": f"unexpected error ({type(e).__name__}: {e}); please report it"})


def is_notice(item) -> bool:
    """Whether a batch item is an OCDS notice rather than a file path."""
    from .extract.ocds import Notice

    return isinstance(item, Notice)


def scan_item(item, config: Config | None = None, detector=None, cache=None) -> DocumentResult:
    """Scan one batch item: a file path (:func:`scan_file`) or a notice (:func:`scan_notice`)."""
    if not isinstance(item, (str, bytes, os.PathLike)) and is_notice(item):
        return scan_notice(item, config, detector, cache)
    return scan_file(item, config, detector, cache)


def item_label(item) -> str:
    """How a batch item is named in results and messages: its path, or the notice's ocid."""
    if not isinstance(item, (str, bytes, os.PathLike)) and is_notice(item):
        return item.label
    return display_path(item)


def _cacheable(path, config: Config) -> bool:
    """Only regular files within the size limit are hashed for the cache: hashing reads the whole
    file, which would block for ever on a named pipe and read gigabytes the size limit refuses."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size <= config.max_bytes


def _scan(path: str | os.PathLike, detector) -> DocumentResult:
    from .extract import extract

    shown = display_path(path)
    t0 = time.perf_counter()
    try:
        document = extract(path, detector.config)
        document.path = shown
        t1 = time.perf_counter()
        result = analyse(document, detector=detector)
        result.stats["extract_seconds"] = round(t1 - t0, 4)
        return result
    except ScanError as e:
        return DocumentResult(path=shown, error=e.to_dict())
    except MemoryError:
        return DocumentResult(path=shown, error={"code": "too_large",
                                                 "message": "ran out of memory reading this file"})
    except Exception as e:  # noqa: BLE001 - one bad file must never stop a batch
        return DocumentResult(path=shown, error={
            "code": "internal_error",
            "message": f"unexpected error ({type(e).__name__}: {e}); please report it"})


def scan_text(text: str, config: Config | None = None, path: str = "<text>",
              detector=None) -> DocumentResult:
    """Scan a pasted snippet (paragraphs on blank lines; Markdown headings understood).

    A snippet is not a whole tender, so nothing is concluded from what it does not say: absence
    rules ("no outcomes anywhere") do not run. Scan a file for those.
    """
    from .extract import extract_text

    return analyse(extract_text(text, path=path), config, detector, whole_document=False)


# ------------------------------------------------------------------------------ inputs
# Folder notes that are never tenders (a README beside the tenders describes them, quoting the
# very clauses we look for). Skipped only when walking a folder; named explicitly, they are scanned.
PROJECT_FILES = {"readme", "changelog", "license", "licence", "contributing"}


def _project_file(name) -> bool:
    return Path(os.fsdecode(name)).stem.lower() in PROJECT_FILES


def _hidden(name) -> bool:
    return os.fsdecode(name).startswith((".", "~$"))


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[str]:
    """Files under ``paths`` (recursive, sorted, symlink loops and hidden folders skipped).

    A path named explicitly is yielded whatever it is (``scan_file`` says if it cannot be read);
    in folders only files with a scannable extension are taken.
    """
    from .extract import SCANNABLE

    for p in paths:
        p = os.fspath(p)
        if not os.path.isdir(p):
            yield p
            continue
        seen: set[tuple[int, int]] = set()
        unlisted: list[OSError] = []  # folders os.walk could not list: reported, not dropped
        for root, dirs, files in os.walk(p, followlinks=True, onerror=unlisted.append):
            st = os.stat(root)
            if (st.st_dev, st.st_ino) in seen:  # a symlink loop: do not go round again
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs[:] = sorted(d for d in dirs if not _hidden(d))
            for name in sorted(files):
                if _hidden(name) or _project_file(name):
                    continue
                if Path(os.fsdecode(name)).suffix.lower() in SCANNABLE:
                    yield os.path.join(root, name)
        for err in unlisted:  # scan_file reports each as 'unreadable'
            if err.filename is not None:
                yield os.fspath(err.filename)
