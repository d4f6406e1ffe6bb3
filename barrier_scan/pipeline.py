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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .config import Config
from .document import Document
from .errors import ScanError
from .findings import DocumentResult
from .io import display_path, display_text


# What extraction removed or could not read, counted in every result's stats so nothing is
# dropped unseen (docs/robustness.md).
STATS_FROM_META = ("running_lines_removed", "running_lines_kept", "blank_pages",
                   "hidden_runs_skipped", "moved_runs_skipped", "parts_not_read")


def engine_for(config: Config | None = None, detector=None):
    """The detector to use: the one given, else the process-wide one for ``config``."""
    if detector is not None:
        return detector
    from .detect import load_detector

    return load_detector(config or Config())


def analyse(document: Document, config: Config | None = None, detector=None, *,
            whole_document: bool = True) -> DocumentResult:
    """Detect and score an already-extracted document (segmented here)."""
    from .score import score_findings, score_info, template_warning

    t0 = time.perf_counter()
    detector, stated = _with_stated_facts(engine_for(config, detector),
                                          document.meta.get("stated_facts"))
    det = detector.run(document, whole_document=whole_document)
    scored = score_findings(det.findings, len(document.sentences))
    warnings = list(document.warnings)
    template = template_warning((b.text for b in document.blocks), len(document.blocks))
    if template:
        warnings.append(template)
    facts = det.facts.to_dict()
    if stated:  # ``overridden`` lists these too; this says they came from the document itself
        facts["stated"] = sorted(stated)
    if document.meta.get("notice"):
        facts["notice"] = document.meta["notice"]
    return DocumentResult(
        path=document.path, format=document.format, pages=document.pages, findings=det.findings,
        score=scored.score, band=scored.band, breakdown=scored.breakdown,
        score_info=score_info(det.findings, scored.breakdown),
        facts=facts, warnings=warnings,
        stats={"blocks": len(document.blocks), "sentences": len(document.sentences),
               **{k: document.meta[k] for k in STATS_FROM_META if k in document.meta},
               "rule_findings_not_confirmed": len(det.withheld),
               "model_findings_not_raised_duty": det.duty_cleared,
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
    except OSError:  # unreadable, not a regular file, too large: let the normal path report it
        return _scan(path, detector)
    hit = cache.get(digest)
    if hit is not None:
        hit.path = display_path(path)
        return hit
    # A miss: scan a private copy and store its result under the hash of the copied bytes, so
    # a file that changes after it was hashed cannot put one content's result under another's key.
    try:
        with cache.snapshot(path) as (digest, copy):
            result = _scan(copy, detector, shown=display_path(path))
            cache.put(digest, result)
            return result
    except OSError:  # could not copy it: scan the file itself and store nothing
        return _scan(path, detector)


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


def _scan(path: str | os.PathLike, detector, shown: str | None = None) -> DocumentResult:
    """Extract and analyse ``path``; ``shown`` names it in the result when ``path`` is a copy."""
    from .extract import extract

    copy = os.fspath(path) if shown is not None else None
    shown = display_path(path) if shown is None else shown
    t0 = time.perf_counter()
    try:
        document = extract(path, detector.config)
        document.path = shown
        t1 = time.perf_counter()
        result = analyse(document, detector=detector)
        result.stats["extract_seconds"] = round(t1 - t0, 4)
        return result
    except ScanError as e:  # messages may quote the path or a link's target: shown escaped
        message = e.message.replace(copy, shown) if copy else e.message
        return DocumentResult(path=shown, error={"code": e.code, "message": display_text(message)})
    except MemoryError:
        return DocumentResult(path=shown, error={"code": "too_large",
                                                 "message": "ran out of memory reading this file"})
    except Exception as e:  # noqa: BLE001 - one bad file must never stop a batch
        return DocumentResult(path=shown, error={
            "code": "internal_error",
            "message": display_text(f"unexpected error ({type(e).__name__}: {e}); please report it")})


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
_REVIEWED_DOCX = ".reviewed.docx"  # annotate's default output name


def _project_file(name) -> bool:
    return Path(os.fsdecode(name)).stem.lower() in PROJECT_FILES


def _hidden(name) -> bool:
    return os.fsdecode(name).startswith((".", "~$"))


def _head(path: str, n: int = 1024) -> bytes:
    """The first bytes of a regular file, without following a final symlink into a device or
    blocking on a pipe (b"" for anything else)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, n)
    except OSError:
        return b""
    finally:
        os.close(fd)


def own_output(path: str) -> str | None:
    """Why ``path`` is one of barrier-scan's own outputs (an HTML report or review page, a text
    report written to a file, a Word copy with our comments), or None when it is not.

    Decided from the file's content (the marks ``report.base`` writes); a Word copy is only
    looked into when it has annotate's default name, so walking a folder of DOCX tenders never
    opens their zips.
    """
    from .report.base import is_own_report

    name = os.fsdecode(os.path.basename(path))
    ext = Path(name).suffix.lower()
    if ext in (".html", ".htm", ".xhtml"):
        return "a barrier-scan HTML report" if is_own_report(_head(path), "html") else None
    if ext in (".txt", ".text", ".md", ".markdown"):
        return "a barrier-scan text report" if is_own_report(_head(path, 64), "text") else None
    if name.lower().endswith(_REVIEWED_DOCX) and _head(path, 4).startswith(b"PK"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                info = zf.getinfo("word/comments.xml")
                if info.file_size > 64 * 1024 * 1024:
                    return None
                ours = b'w:author="barrier-scan"' in zf.read(info)
        except (OSError, KeyError, ValueError, RuntimeError, NotImplementedError,
                zipfile.BadZipFile, EOFError):
            return None
        return "a barrier-scan Word copy with review comments (annotate)" if ours else None
    return None


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _escaping_link(path: str, roots: list[str]) -> ScanError | None:
    """The refusal for a symbolic link that leads outside the folders given, else None."""
    if not os.path.islink(path):
        return None
    target = os.path.realpath(path)
    if _inside(target, roots):
        return None
    from .io import display_path

    return ScanError("link_outside", f"symbolic link to {display_path(target)}, outside the folders "
                     "given: not followed (name it, or the folder it points to, to scan it; or "
                     "use --follow-links)")


def walk_inputs(paths: Iterable[str | os.PathLike], *, follow_links: bool = False,
                on_skip: Callable[[str, str], None] | None = None
                ) -> Iterator[tuple[str, ScanError | None]]:
    """Every file ``paths`` stand for, as ``(path, refusal)``: ``refusal`` is None for a file to
    scan, or the :class:`ScanError` to report instead of scanning it.

    A path named explicitly is yielded whatever it is (``scan_file`` says if it cannot be read).
    Folders are walked recursively in sorted order, taking files with a scannable extension and
    skipping hidden files and folders, project notes (README...), symlink loops, and
    barrier-scan's own reports (``on_skip(path, reason)`` is told of each). A symbolic link whose
    target lies outside every folder given is not followed but reported (``link_outside``),
    unless ``follow_links``: a link in a tender folder must not pull /etc into the report.
    """
    from .extract import SCANNABLE

    paths = [os.fspath(p) for p in paths]
    roots = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
    for p in paths:
        if not os.path.isdir(p):
            yield p, None
            continue
        seen: set[tuple[int, int]] = set()
        unlisted: list[OSError] = []  # folders os.walk could not list: reported, not dropped
        for root, dirs, files in os.walk(p, followlinks=True, onerror=unlisted.append):
            st = os.stat(root)
            if (st.st_dev, st.st_ino) in seen:  # a symlink loop: do not go round again
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            keep = []
            for d in sorted(d for d in dirs if not _hidden(d)):
                full = os.path.join(root, d)
                outside = None if follow_links else _escaping_link(full, roots)
                if outside:
                    yield full, outside
                    continue
                keep.append(d)
            dirs[:] = keep
            for name in sorted(files):
                if _hidden(name) or _project_file(name):
                    continue
                if Path(os.fsdecode(name)).suffix.lower() not in SCANNABLE:
                    continue
                full = os.path.join(root, name)
                outside = None if follow_links else _escaping_link(full, roots)
                if outside:
                    yield full, outside
                    continue
                why = own_output(full)
                if why:
                    if on_skip:
                        on_skip(full, why)
                    continue
                yield full, None
        for err in unlisted:  # scan_file reports each as 'unreadable'
            if err.filename is not None:
                yield os.fspath(err.filename), None


def iter_files(paths: Iterable[str | os.PathLike], *, follow_links: bool = False) -> Iterator[str]:
    """The files :func:`walk_inputs` would scan (links outside the folders and our own reports
    left out)."""
    for path, refusal in walk_inputs(paths, follow_links=follow_links):
        if refusal is None:
            yield path
