"""Turn a file into a :class:`~barrier_scan.document.Document` of blocks with provenance.

Public API::

    extract(path, config=None) -> Document   # size and page limits from the Config;
                                             # .doc/.odt/.rtf through LibreOffice (convert.py)
    extract_text(text, path="<text>") -> Document
    sniff(path) -> str            # "pdf" | "docx" | "html" | "txt" | "md" (or raises ScanError)
    SCANNABLE                     # extensions looked for when a folder is walked

The type is decided from the bytes (magic numbers), not the extension alone; the extension only
decides between plain text and Markdown and names what the user expected in error messages.
Every failure on bad input is a :class:`~barrier_scan.errors.ScanError` with a code from
``ERROR_CODES`` and a one-line message saying what to do.
"""
from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from ..config import MB, Config
from ..document import Document
from ..errors import ScanError
from .convert import not_installed_message

__all__ = ["extract", "extract_text", "sniff", "TEXT_EXTENSIONS", "SUPPORTED_EXTENSIONS",
           "SCANNABLE"]

TEXT_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
SUPPORTED_EXTENSIONS = {".pdf", ".docx", *HTML_EXTENSIONS, *TEXT_EXTENSIONS}
# Formats we recognise but cannot read: looked for when walking a folder anyway, so the user is
# told to convert them rather than having them silently skipped.
LEGACY_EXTENSIONS = {".doc", ".docm", ".odt", ".rtf"}
SCANNABLE = SUPPORTED_EXTENSIONS | LEGACY_EXTENSIONS

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<!--",
                b"<?xml", b"<div", b"<p>", b"<h1", b"<table", b"<section", b"<article", b"<main")
_OTHER_MAGIC = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document (save it as .docx and scan again)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
]


def _human(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} bytes"


def _read_head(path: Path, n: int = 4096) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except IsADirectoryError:
        raise ScanError("unreadable", f"{path} is a directory, not a file") from None
    except PermissionError:
        raise ScanError("unreadable", f"permission denied reading {path}; check the file's permissions") from None
    except OSError as exc:
        raise ScanError("unreadable", f"could not read {path}: {exc.strerror or exc}") from None


def _sniff_zip(path: Path, ext: str) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mt = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mt == "application/vnd.oasis.opendocument.text":
                    raise ScanError("unsupported_type", not_installed_message("odt"))
                if mt.startswith("application/vnd.oasis.opendocument"):
                    kind = {"spreadsheet": ".ods", "presentation": ".odp"}.get(
                        mt.rsplit(".", 1)[-1], "OpenDocument")
                    raise ScanError("unsupported_type",
                                    f"OpenDocument {kind} file: save as .docx or PDF and scan again")
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                raise ScanError("unsupported_type",
                                "Excel spreadsheet (.xlsx) is not supported: save the text as .docx or PDF")
            if "ppt/presentation.xml" in names:
                raise ScanError("unsupported_type",
                                "PowerPoint (.pptx) is not supported: save as PDF and scan again")
    except zipfile.BadZipFile as exc:
        what = "DOCX" if ext == ".docx" else "zip/DOCX"
        raise ScanError("corrupt_file", f"not a valid {what}: damaged zip archive ({exc})") from None
    except (OSError, RuntimeError, ValueError, NotImplementedError) as exc:
        raise ScanError("corrupt_file", f"not a valid DOCX: could not read the zip archive ({exc})") from None
    raise ScanError("unsupported_type",
                    "zip archive without word/document.xml: not a Word .docx file; unzip it and scan the files inside")


def _looks_html(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if h.startswith(b"<?xml"):
        return b"<html" in head.lower()
    return h.startswith(_HTML_STARTS) and (b"<html" in head.lower() or b"<body" in head.lower()
                                            or b"<p" in head.lower() or b"<h" in head.lower()
                                            or b"<!doctype html" in head.lower())


def sniff(path: str | os.PathLike) -> str:
    """Return the format of ``path`` from its bytes, or raise ScanError naming the problem."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise ScanError("not_found", f"{p} is a broken link: its target {os.readlink(p)} does not "
                            "exist; fix or delete the link") from None
        raise ScanError("not_found", f"{p} does not exist; check the path") from None
    except OSError as exc:
        raise ScanError("unreadable", f"could not open {p}: {exc.strerror or exc}") from None
    if p.is_dir():
        try:
            with os.scandir(p):
                pass
        except OSError as exc:
            raise ScanError("unreadable", f"could not list the folder {p} ({exc.strerror or exc}); its "
                            "files were not scanned: check its permissions") from None
        raise ScanError("unreadable", f"{p} is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block the reader; a device never ends
        raise ScanError("unreadable", f"{p} is not a regular file (a pipe, socket or device); "
                        "copy the document to a normal file and scan that")
    if st.st_size == 0:
        raise ScanError("empty_file", "empty file (0 bytes): nothing to scan; the download or copy "
                        "probably failed, fetch the file again")
    head = _read_head(p)
    ext = p.suffix.lower()
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(p, ext)
    if head.startswith(_OLE2):
        try:
            data = p.read_bytes() if st.st_size <= 64 * MB else head
        except OSError:
            data = head
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ScanError("encrypted",
                            "password-protected Word/Office file: remove the password (File > Info > "
                            "Protect Document) and scan again")
        if "WordDocument".encode("utf-16-le") in data or ext == ".doc":
            # the message when LibreOffice cannot convert it (extract() tries when it can)
            raise ScanError("legacy_format", not_installed_message("doc"))
        raise ScanError("legacy_format",
                        "old Office binary (OLE2) file, e.g. .xls/.ppt: save as .docx or PDF and scan again")
    if head.startswith(b"{\\rtf") and ext != ".pdf":
        raise ScanError("unsupported_type", not_installed_message("rtf"))
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            if ext == ".pdf":
                raise ScanError("corrupt_file", f"not a valid PDF: the file is {what}")
            raise ScanError("unsupported_type", f"unsupported file: this is {what}")
    if ext == ".pdf":
        raise ScanError("corrupt_file", "not a valid PDF: the file does not start with %PDF; re-export it as PDF")
    if ext == ".docx":
        raise ScanError("corrupt_file", "not a valid DOCX: the file is not a zip archive; re-save it from Word")
    if ext == ".doc":
        raise ScanError("legacy_format", not_installed_message("doc"))
    if ext == ".odt":
        raise ScanError("unsupported_type", not_installed_message("odt"))
    if ext in HTML_EXTENSIONS or (ext not in TEXT_EXTENSIONS and _looks_html(head)):
        return "html"
    if ext in TEXT_EXTENSIONS:
        return TEXT_EXTENSIONS[ext]
    supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
    raise ScanError("unsupported_type",
                    f"unsupported file type '{ext or '(no extension)'}': barrier-scan reads {supported}")


def extract(path: str | os.PathLike, config: Config | None = None) -> Document:
    """Read ``path`` into a Document, within ``config``'s size and page limits.

    Raises ScanError (only) for any bad input.
    """
    config = config or Config()
    p = Path(path)
    try:
        fmt = sniff(p)
    except ScanError as e:
        if e.code not in ("legacy_format", "unsupported_type"):
            raise
        from .convert import legacy_kind

        kind = legacy_kind(p)
        if kind is None:
            raise
        return _extract_converted(p, kind, config)
    size = p.stat().st_size
    if size > config.max_bytes:
        raise ScanError("too_large",
                        f"file is {_human(size)}, over the limit of {_human(config.max_bytes)}; "
                        "split it, or raise the limit (--max-file-mb, or max-file-mb in barrier-scan.toml)")
    try:
        if fmt == "pdf":
            from .pdf import extract_pdf

            doc = extract_pdf(str(p), config.max_pages)
        elif fmt == "docx":
            from .docx import extract_docx

            doc = extract_docx(str(p), config.max_docx_bytes)
        elif fmt == "html":
            from .html import extract_html

            doc = extract_html(str(p), p.read_bytes())
        else:
            from .text import extract_text_file

            doc = extract_text_file(str(p), p.read_bytes(), fmt)
    except ScanError:
        raise
    except MemoryError:
        raise ScanError("too_large", f"ran out of memory reading this {fmt.upper()}; split the file") from None
    except PermissionError:
        raise ScanError("unreadable", f"permission denied reading {p}") from None
    except RecursionError:
        raise ScanError("unsafe_content", f"{fmt.upper()} is nested too deeply to read safely") from None
    except Exception as exc:  # noqa: BLE001 - library errors on bad input become ScanErrors
        detail = str(exc).splitlines()[0][:160] if str(exc) else ""
        name = {"pdf": "PDF", "docx": "DOCX", "html": "HTML"}.get(fmt, "text file")
        raise ScanError(
            "corrupt_file",
            f"not a valid {name}: {type(exc).__name__}{': ' + detail if detail else ''}; "
            "re-save or re-export the file and scan again",
        ) from exc
    return doc


def _extract_converted(p: Path, kind: str, config: Config) -> Document:
    """A .doc/.odt/.rtf file converted to DOCX by LibreOffice (convert.py) and read as DOCX,
    within the same size limits; without LibreOffice, the one-line error says how to get it."""
    from .convert import converted, note

    size = p.stat().st_size
    if size > config.max_bytes:
        raise ScanError("too_large",
                        f"file is {_human(size)}, over the limit of {_human(config.max_bytes)}; "
                        "split it, or raise the limit (--max-file-mb, or max-file-mb in barrier-scan.toml)")
    with converted(p, kind, timeout=config.timeout) as docx_path:
        doc = extract(docx_path, config)
    doc.path = str(p)
    doc.format = kind
    doc.warnings.append(note(kind))
    return doc


def extract_text(text: str, path: str = "<text>") -> Document:
    """Build a Document from a plain string (Markdown-aware), as used by ``scan_text``."""
    from .text import blocks_from_text

    doc = Document(path=path, format="text", blocks=blocks_from_text(text, markdown=True))
    return doc
