"""JSON Lines: one scanned document per line, written as each file finishes.

Each line is the same object as one entry of ``documents`` in the JSON report (see
docs/json-schema.md) plus ``schema_version``. Failures are lines with ``error`` set.
"""
from __future__ import annotations

from ..findings import SCHEMA_VERSION, DocumentResult
from .json import dumps


def line(result: DocumentResult) -> str:
    """One document as a JSON line."""
    return dumps({"schema_version": SCHEMA_VERSION, **result.to_dict()}) + "\n"


class Writer:
    """Writes a line per document as it arrives."""
    def __init__(self, fh, meta: dict | None = None):
        self.fh = fh

    def add(self, r: DocumentResult) -> None:
        """Write one document's line."""
        self.fh.write(line(r))

    def close(self, seen) -> None:
        """Nothing to add at the end."""
        pass


def render(results: list[DocumentResult], meta: dict | None = None) -> str:
    """The JSON Lines report for a whole run."""
    return "".join(line(r) for r in results)
