"""JSON Lines: one scanned document per line, written as each file finishes.

Each line is the same object as one entry of ``documents`` in the JSON report (see
docs/json-schema.md) plus ``schema_version``. Failures are lines with ``error`` set.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..findings import SCHEMA_VERSION, DocumentResult
from .json import dumps


def line(result: DocumentResult) -> str:
    return dumps({"schema_version": SCHEMA_VERSION, **result.to_dict()}) + "\n"


def write(results: Iterable[DocumentResult], stream, meta: dict | None = None) -> int:
    """Write each result as soon as it arrives and flush (streaming). Returns the line count."""
    n = 0
    for r in results:
        stream.write(line(r))
        stream.flush()
        n += 1
    return n


def render(results: list[DocumentResult], meta: dict | None = None) -> str:
    return "".join(line(r) for r in results)
