"""Writing outputs whole or not at all."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _default_mode(fd: int) -> None:
    """mkstemp makes files 0600; give reports the mode a normal open() would (0666 less umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)


def atomic_write(path: str | os.PathLike, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``.

    A reader never sees a half-written report, and a crash leaves the old file (or none).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _default_mode(fd)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode(encoding) if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_stream(path: str | os.PathLike, encoding: str = "utf-8"):
    """A text stream for incremental writing (JSON Lines) that appears at ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    _default_mode(fd)
    fh = os.fdopen(fd, "w", encoding=encoding)
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.replace(tmp, path)
    except BaseException:
        fh.close()
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def display_path(path: str | os.PathLike) -> str:
    """A printable path even when the file name is not valid UTF-8 (shown with escapes)."""
    s = os.fspath(path)
    if isinstance(s, str):
        try:  # undo Python's surrogateescape so b"\xff" shows as \xff, not \udcff
            s = os.fsencode(s)
        except UnicodeEncodeError:
            return s.encode("utf-8", "backslashreplace").decode("utf-8")
    return s.decode("utf-8", "backslashreplace")


# Characters that must not reach a terminal, a log line or an HTML/CSV cell raw: controls (a
# newline could forge a second "error:" line, an escape sequence could rewrite the screen) and
# bidirectional overrides (which reorder what a reader sees).
_UNSAFE = {c: f"\\x{c:02x}" for c in range(0x20) if c != 0x09} | {0x7f: "\\x7f"} | {
    c: f"\\u{c:04x}" for c in (*range(0x202a, 0x202f), *range(0x2066, 0x206a), 0x200e, 0x200f,
                               0x061c)}


def display_text(text: str) -> str:
    """``text`` with control and bidi characters shown as escapes (for names printed anywhere)."""
    return str(text).translate(_UNSAFE)
