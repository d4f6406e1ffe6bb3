"""Writing outputs whole or not at all, and showing untrusted names safely."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

_TMP_SUFFIX = ".tmp"
_TMP_EXTRA = 1 + 1 + 8 + len(_TMP_SUFFIX)  # "." + name + "." + mkstemp's 8 random characters + ".tmp"


class OutputError(OSError):
    """An output could not be written (no permission, disk full, a name too long): the previous
    file at ``path``, if any, is unchanged. Every command reports it in one line (exit 3)."""

    def __init__(self, path: str | os.PathLike, cause: OSError):
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.path = os.fspath(path)

    def __str__(self) -> str:
        return (f"could not write {display_path(self.path)}: {display_text(self.strerror)}; any "
                "previous file there is unchanged")


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def _temp_prefix(path: Path) -> str:
    """``.NAME.`` for the temporary file beside ``path``, with NAME shortened (in bytes) so the
    temporary name fits the file system even when ``path``'s own name is at the limit."""
    name = os.fsencode(path.name)
    room = max(1, _name_max(path.parent if path.parent.exists() else Path(".")) - _TMP_EXTRA)
    if len(name) > room:
        name = name[:room].decode("utf-8", "ignore").encode("utf-8") or b"out"
    return "." + os.fsdecode(name) + "."


def _mkstemp(path: Path) -> tuple[int, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix=_temp_prefix(path), suffix=_TMP_SUFFIX, dir=path.parent)


def _default_mode(fd: int) -> None:
    """mkstemp makes files 0600; give reports the mode a normal open() would (0666 less umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)


def atomic_write(path: str | os.PathLike, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``.

    A reader never sees a half-written report, and a crash leaves the old file (or none).
    Raises :class:`OutputError` when the file cannot be written.
    """
    path = Path(path)
    try:
        fd, tmp = _mkstemp(path)
    except OSError as e:
        raise OutputError(path, e) from None
    try:
        _default_mode(fd)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode(encoding) if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and not isinstance(e, OutputError):
            raise OutputError(path, e) from None
        raise


@contextlib.contextmanager
def atomic_stream(path: str | os.PathLike, encoding: str = "utf-8"):
    """A text stream for incremental writing (JSON Lines) that appears at ``path`` only on success.

    On any exception, including a signal turned into one, the temporary file is removed and
    the previous file at ``path`` is left as it was. Failures of the file itself (creating,
    flushing, renaming) raise :class:`OutputError`; errors of the caller pass through as they are.
    """
    path = Path(path)
    try:
        fd, tmp = _mkstemp(path)
        _default_mode(fd)
    except OSError as e:
        raise OutputError(path, e) from None
    fh = os.fdopen(fd, "w", encoding=encoding)
    try:
        yield fh
        try:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            os.replace(tmp, path)
        except OSError as e:
            raise OutputError(path, e) from None
    except BaseException:
        with contextlib.suppress(OSError):
            fh.close()
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def display_path(path: str | os.PathLike) -> str:
    """A path as it may be shown anywhere: bytes that are not UTF-8 as ``\\xNN``, and control
    and bidi characters escaped (:func:`display_text`). Every report names files this way."""
    s = os.fspath(path)
    if isinstance(s, bytes):
        s = s.decode("utf-8", "surrogateescape")
    return display_text(s)


# Characters that must not reach a terminal, a log line or an HTML/CSV cell raw: C0 and C1
# controls (a newline could forge a second "error:" line, ESC or CSI could rewrite the screen),
# line and paragraph separators, and bidirectional controls (which reorder what a reader sees).
_UNSAFE = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7f, 0xa0)) if c != 0x09} | {
    c: f"\\u{c:04x}" for c in (*range(0x202a, 0x202f), *range(0x2066, 0x206a), 0x200e, 0x200f,
                               0x061c, 0x2028, 0x2029)}


def display_text(text) -> str:
    """``text`` safe to print: control, separator and bidi characters shown as escapes, and bytes
    that were not UTF-8 (Python's surrogate escapes, e.g. from a file name) as ``\\xNN``."""
    s = str(text)
    try:  # undo surrogateescape so b"\xff" shows as \xff, not \udcff
        s = s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # other lone surrogates
        s = s.encode("utf-8", "backslashreplace").decode("utf-8")
    return s.translate(_UNSAFE)
