"""Reading an upload straight into the session's private folder, within the size limits.

The multipart body is parsed as it streams in (python-multipart), each file written to its own
folder under the session, never to a shared temporary directory. Limits:

* each file: ``Config.max_bytes`` (``max-file-mb``), the limit the CLI applies. Bytes past it
  are counted but not kept, and the file is then extended (sparsely: no disk used) to its real
  size, so that the extract code refuses it with exactly the one-line reason the CLI gives
  ("file is 250.0 MB, over the limit of 200.0 MB; ..."). The type is checked by the same
  extract code too (``extract.sniff``, from the bytes), when the file is scanned.
* the whole request: ``max_files`` files and at most ``max_files`` times the file limit; past
  that the upload is refused (413) and everything it wrote deleted.
* form fields: few and small.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header

from .sessions import safe_name

MAX_FIELDS = 50
MAX_FIELD_BYTES = 64 * 1024


class UploadError(Exception):
    """The request is not an acceptable upload; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class SavedFile:
    """One file of an upload, on disk in its own folder."""
    id: str
    name: str  # as given by the browser, made safe
    path: Path
    size: int  # the real size, even past the limit
    folder: Path


@dataclass
class Form:
    """An upload's fields and files."""
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[SavedFile] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        """The first value of field ``name``."""
        vals = self.fields.get(name)
        return vals[0] if vals else None

    def discard(self) -> None:
        """Delete every file this upload wrote."""
        for f in self.files:
            shutil.rmtree(f.folder, ignore_errors=True)


class _Reader:
    def __init__(self, new_folder: Callable[[], tuple[str, Path]], max_file_bytes: int,
                 max_files: int):
        self.new_folder = new_folder
        self.max_file = max_file_bytes
        self.max_files = max_files
        self.form = Form()
        self.n_fields = 0
        self._hname = b""
        self._hvalue = b""
        self._disposition = b""
        self._field: str | None = None
        self._filename: str | None = None
        self._buf = bytearray()
        self._fh = None
        self._saved: SavedFile | None = None

    # python-multipart callbacks -------------------------------------------------------------
    def on_part_begin(self):
        self._disposition, self._field, self._filename = b"", None, None
        self._buf = bytearray()
        self._fh, self._saved = None, None

    def on_header_field(self, data, start, end):
        self._hname += data[start:end]

    def on_header_value(self, data, start, end):
        self._hvalue += data[start:end]
        if len(self._hvalue) > 8192:
            raise UploadError("a part header is too long")

    def on_header_end(self):
        if self._hname.strip().lower() == b"content-disposition":
            self._disposition = self._hvalue
        self._hname, self._hvalue = b"", b""

    def on_headers_finished(self):
        _, opts = parse_options_header(self._disposition)
        name = opts.get(b"name")
        if name is None:
            raise UploadError("a form part has no name")
        self._field = name.decode("utf-8", "replace")
        if b"filename" not in opts:
            self.n_fields += 1
            if self.n_fields > MAX_FIELDS:
                raise UploadError("too many form fields")
            return
        raw = opts[b"filename"].decode("utf-8", "replace")
        if not raw:  # the file button left empty
            self._filename = ""
            return
        if len(self.form.files) >= self.max_files:
            raise UploadError(f"too many files in one upload (at most {self.max_files})", 413)
        uid, folder = self.new_folder()
        self._filename = safe_name(raw)
        path = folder / self._filename
        self._saved = SavedFile(id=uid, name=self._filename, path=path, size=0, folder=folder)
        self.form.files.append(self._saved)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh = os.fdopen(fd, "wb")

    def on_part_data(self, data, start, end):
        n = end - start
        if self._saved is not None:
            s = self._saved
            keep = max(0, min(n, self.max_file - s.size))
            if keep:
                self._fh.write(data[start:start + keep])
            s.size += n
        elif self._filename is None:  # a plain field
            if len(self._buf) + n > MAX_FIELD_BYTES:
                raise UploadError(f"form field '{self._field}' is too long")
            self._buf += data[start:end]

    def on_part_end(self):
        if self._saved is not None:
            self._fh.close()
            self._fh = None
            if self._saved.size > self.max_file:
                # Sparse extension to the real size: see the module docstring.
                os.truncate(self._saved.path, self._saved.size)
        elif self._filename is None and self._field is not None:
            self.form.fields.setdefault(self._field, []).append(self._buf.decode("utf-8", "replace"))

    def close(self):
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()


async def read_upload(request, new_folder: Callable[[], tuple[str, Path]], max_file_bytes: int,
                      max_files: int = 50) -> Form:
    """Parse the multipart ``request`` into the session's folder (see the module docstring).

    ``new_folder()`` gives a fresh (id, folder) for each file. Raises :class:`UploadError`;
    on any failure the files already written are deleted.
    """
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadError("send the files as multipart/form-data (the upload form does)", 415)
    cap = max_files * max_file_bytes + 1024 * 1024
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > cap:
        raise UploadError(f"upload too large (at most {max_files} files of "
                          f"{max_file_bytes / 1024 / 1024:g} MB)", 413)
    reader = _Reader(new_folder, max_file_bytes, max_files)
    callbacks = {name: getattr(reader, name) for name in (
        "on_part_begin", "on_header_field", "on_header_value", "on_header_end",
        "on_headers_finished", "on_part_data", "on_part_end")}
    total = 0
    try:
        parser = MultipartParser(params[b"boundary"], callbacks)
        async for chunk in request.stream():
            total += len(chunk)
            if total > cap:
                raise UploadError("upload too large", 413)
            parser.write(chunk)
        parser.finalize()
    except UploadError:
        reader.close()
        reader.form.discard()
        raise
    except Exception as e:  # noqa: BLE001 - a malformed body is the client's fault, not ours
        reader.close()
        reader.form.discard()
        raise UploadError(f"could not read the upload ({type(e).__name__})") from None
    reader.close()
    return reader.form
