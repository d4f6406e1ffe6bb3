"""Legacy word-processor files (.doc, .odt, .rtf) read through LibreOffice.

Councils still publish tenders as Word 97 ``.doc`` files. Where LibreOffice is installed
(``soffice`` on the PATH, or ``BARRIER_SCAN_SOFFICE``), such a file is converted to DOCX and read
by the DOCX extractor; where it is not, the file keeps its one-line error, which now says how to
install LibreOffice.

The conversion is kept away from the user's files and from other conversions:

- the input is copied into a private temporary folder (mode 0700) and converted there, so
  LibreOffice never writes lock files or output beside the original, which is only read;
- LibreOffice runs headless with its own throw-away profile (``-env:UserInstallation``), so it
  neither touches the user's LibreOffice settings nor waits on a LibreOffice already open, and
  parallel workers do not share a profile;
- it runs in its own process group with a time limit; on time-out or any interruption (the
  batch's per-file limit) the whole group is killed and the folder removed.

Paragraph numbers of a converted file are those of the converted DOCX, which follow the original
closely but not always exactly; the document carries a warning saying so and every report marks
its locations as referring to the converted copy.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import ScanError

#: Seconds LibreOffice may take to convert one file (a longer per-file --timeout is not needed:
#: a healthy conversion of a 100-page tender takes a few seconds).
CONVERT_TIMEOUT = 90.0
INSTALL_HINT = ("or install LibreOffice so barrier-scan can convert it "
                "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui)")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NAMES = {"doc": "legacy Word .doc", "odt": "OpenDocument .odt", "rtf": "RTF"}


def soffice() -> str | None:
    """The LibreOffice program to convert with, or None when it is not installed.

    ``BARRIER_SCAN_SOFFICE`` names another program; set to an empty value it turns conversion off.
    """
    override = os.environ.get("BARRIER_SCAN_SOFFICE")
    if override is not None:
        return (shutil.which(override) or (override if os.path.isfile(override) else None)) \
            if override else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def legacy_kind(path: str | os.PathLike) -> str | None:
    """"doc", "odt" or "rtf" when the bytes say the file is one of those, else None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            if head.startswith(_OLE2):
                fh.seek(0)
                data = fh.read(8 * 1024 * 1024)
                if "EncryptedPackage".encode("utf-16-le") in data:
                    return None  # a password-protected file: conversion cannot help
                # a Word 97-2003 file has a WordDocument stream; other OLE2 files (.xls, .ppt, or
                # junk) are not Word text LibreOffice Writer could convert
                return "doc" if "WordDocument".encode("utf-16-le") in data else None
            if head.startswith(b"{\\rtf"):
                return "rtf"
            if head.startswith(b"PK\x03\x04"):
                with zipfile.ZipFile(path) as zf:
                    if "mimetype" in zf.namelist():
                        mt = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
                        if mt == "application/vnd.oasis.opendocument.text":
                            return "odt"
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, NotImplementedError):
        return None
    return None


def not_installed_message(kind: str) -> str:
    """The one-line error for a legacy file when LibreOffice is not installed."""
    return f"{NAMES[kind]} format: save as .docx (or PDF) and scan again, {INSTALL_HINT}"


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.wait(timeout=10)


@contextlib.contextmanager
def converted(path: str | os.PathLike, kind: str, timeout: float | None = None,
              program: str | None = None):
    """Convert ``path`` (a ``kind`` file) to DOCX in a private folder; yield the DOCX's path.

    The folder and everything in it are removed on leaving the block. Raises
    :class:`ScanError` (``legacy_format`` or ``unsupported_type`` as before, ``timeout``) when
    LibreOffice is missing, fails or takes too long.
    """
    code = "legacy_format" if kind == "doc" else "unsupported_type"
    program = program or soffice()
    if program is None:
        raise ScanError(code, not_installed_message(kind))
    limit = CONVERT_TIMEOUT if not timeout or timeout <= 0 else min(CONVERT_TIMEOUT, timeout)
    with tempfile.TemporaryDirectory(prefix="barrier-scan-convert-") as tmp:
        work = Path(tmp)
        src = work / f"input.{kind}"
        shutil.copyfile(path, src)  # LibreOffice only ever sees this copy
        out = work / "out"
        out.mkdir()
        cmd = [program, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nologo",
               "--nodefault", f"-env:UserInstallation={(work / 'profile').as_uri()}",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd=tmp, env=env,
                                start_new_session=True)
        try:
            try:
                log, _ = proc.communicate(timeout=limit)
            except subprocess.TimeoutExpired:
                raise ScanError("timeout", f"LibreOffice took longer than {limit:g} s to convert this "
                                f"{NAMES[kind]} file; save it as .docx and scan again") from None
        finally:
            _kill_group(proc)  # also any helper process LibreOffice left behind
        result = out / "input.docx"
        if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            detail = (log or b"").decode("utf-8", "replace").strip().splitlines()
            why = f" ({detail[-1][:120]})" if detail else ""
            raise ScanError(code, f"LibreOffice could not convert this {NAMES[kind]} file{why}; "
                                  "open it and save it as .docx, then scan again")
        yield str(result)


def note(kind: str) -> str:
    """The warning a converted document carries."""
    return (f"converted from {NAMES[kind]} to .docx with LibreOffice to read it: paragraph "
            "numbers refer to the converted copy")
