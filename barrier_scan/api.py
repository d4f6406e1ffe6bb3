"""Public Python API: ``scan_file``, ``scan_text``, ``scan_paths``, ``iter_files``."""
from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .config import Config
from .detect import Detector
from .document import Document
from .errors import ScanError
from .findings import DocumentResult
from .io import display_path
from .score import score_findings

# Extensions looked for when a folder is scanned. Legacy formats are included on purpose so the
# user is told to convert them rather than having them silently skipped.
SCANNABLE = {".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".doc", ".odt", ".rtf", ".docm"}


def _limits(config: Config):
    from .extract import Limits

    return Limits(max_bytes=config.max_bytes, max_pages=config.max_pages,
                  max_docx_uncompressed=config.max_docx_uncompressed)


def analyse(document: Document, config: Config | None = None,
            detector: Detector | None = None) -> DocumentResult:
    """Detect and score an already-extracted document."""
    t0 = time.perf_counter()
    detector = detector or Detector(config)
    det = detector.run(document)
    score, band, breakdown = score_findings(det.findings)
    facts = det.facts.to_dict() if hasattr(det.facts, "to_dict") else {}
    return DocumentResult(
        path=document.path, format=document.format, pages=document.pages, findings=det.findings,
        score=score, band=band, breakdown=breakdown, facts=facts,
        warnings=list(document.warnings),
        stats={"blocks": len(document.blocks), "sentences": len(document.sentences),
               "detect_seconds": round(time.perf_counter() - t0, 4)},
    )


def scan_file(path: str | os.PathLike, config: Config | None = None,
              detector: Detector | None = None, cache=None) -> DocumentResult:
    """Scan one file. Never raises for bad input: the result carries ``error`` instead.

    ``cache``: a :class:`barrier_scan.cache.ResultCache` built for the same configuration; a
    file whose bytes it has seen is not extracted or detected again.
    """
    if cache is None or not _cacheable(path, config or (detector.config if detector else Config())):
        return _scan_file(path, config, detector)
    shown = display_path(path)
    try:
        digest = cache_digest(path)
    except OSError:  # unreadable: let the normal path report it
        return _scan_file(path, config, detector)
    hit = cache.get(digest)
    if hit is not None:
        hit.path = shown
        return hit
    result = _scan_file(path, config, detector)
    cache.put(digest, result)
    return result


def _cacheable(path, config: Config) -> bool:
    """Only regular files within the size limit are hashed for the cache: hashing reads the whole
    file, which would block for ever on a named pipe and read gigabytes the size limit refuses."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    import stat

    return stat.S_ISREG(st.st_mode) and st.st_size <= config.max_bytes


def cache_digest(path) -> str:
    from .cache import file_digest

    return file_digest(path)


def _scan_file(path: str | os.PathLike, config: Config | None = None,
               detector: Detector | None = None) -> DocumentResult:
    from .extract import extract

    config = config or (detector.config if detector else Config())
    shown = display_path(path)
    t0 = time.perf_counter()
    try:
        document = extract(path, limits=_limits(config))
        document.path = shown
        t1 = time.perf_counter()
        result = analyse(document, config, detector)
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


def scan_text(text: str, config: Config | None = None, path: str = "<text>") -> DocumentResult:
    """Scan a string (paragraphs separated by blank lines; Markdown headings understood)."""
    from .extract import extract_text

    return analyse(extract_text(text, path=path), config)


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[str]:
    """Files under ``paths`` (recursive, sorted, symlink loops and hidden folders skipped)."""
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
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
        else:
            yield p  # named explicitly: scan it whatever it is, and say if we cannot


# Folder notes that are never tenders (a README beside the tenders describes them, quoting the
# very clauses we look for). Skipped only when walking a folder; named explicitly, they are scanned.
PROJECT_FILES = {"readme", "changelog", "license", "licence", "contributing"}


def _project_file(name) -> bool:
    return Path(os.fsdecode(name)).stem.lower() in PROJECT_FILES


def _hidden(name) -> bool:
    return os.fsdecode(name).startswith((".", "~$"))


def scan_paths(paths: Iterable[str | os.PathLike], config: Config | None = None,
               jobs: int = 1) -> Iterator[DocumentResult]:
    """Scan files and folders (recursively), yielding results in input order.

    ``jobs=1`` scans in this process; more uses worker processes (:mod:`barrier_scan.batch`,
    which also applies the per-file time limit of ``config.timeout``).
    """
    from .batch import scan_batch

    return scan_batch(paths, config, jobs=jobs)
