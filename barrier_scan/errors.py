"""Errors a person can act on.

Every failure that reaches a user is a :class:`ScanError` with a stable ``code`` (used in JSON
reports and by scripts) and a one-line ``message`` that says what is wrong and what to do.
Extraction code converts library exceptions into these so that nothing else escapes a batch.
"""
from __future__ import annotations


class ScanError(Exception):
    """A file could not be scanned, for a reason we can name."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def to_dict(self) -> dict:
        """``{code, message}`` as the JSON report's ``error``."""
        return {"code": self.code, "message": self.message}

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


# Stable error codes. Documented in docs/json-schema.md; never renamed, only added to.
ERROR_CODES = {
    "not_found": "the path does not exist",
    "unsupported_type": "the file is not a PDF, DOCX, HTML, TXT or MD file",
    "empty_file": "the file has no bytes",
    "corrupt_file": "the file is damaged or not what its name says",
    "encrypted": "the file is password-protected",
    "no_text_layer": "a scanned PDF with no text layer",
    "no_text": "the file has no readable text",
    "too_large": "the file exceeds a configured size limit",
    "too_many_pages": "the PDF exceeds the configured page limit",
    "unsafe_content": "the file contains content refused for safety (XML entities, zip bomb)",
    "legacy_format": "an old binary format that must be converted first",
    "timeout": "the file took longer than the per-file time limit",
    "unreadable": "the file could not be opened (permissions, bad name, I/O error)",
    "link_outside": "a symbolic link in a scanned folder leads outside the folders given (not followed)",
    "internal_error": "an unexpected error inside barrier-scan (please report it)",
    "malformed_notice": "an OCDS release or record that is not valid JSON or not a readable tender",
}


class ConfigError(Exception):
    """Bad configuration or rule data; the message names the file and the key."""


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM, SIGHUP): raised in the main thread so the run
    unwinds as it does for Ctrl-C (workers stopped, temporary files removed, no partial output).
    A BaseException, like KeyboardInterrupt, so that no per-file ``except Exception`` swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
