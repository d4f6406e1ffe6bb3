"""JSON report (schema documented in docs/json-schema.md)."""
from __future__ import annotations

import io
import json
import math

from ..findings import SCHEMA_VERSION, DocumentResult


def finite(obj):
    """Replace NaN and infinities with null: JSON has no such numbers and strict readers reject them."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj


def dumps(obj, **kw) -> str:
    return json.dumps(finite(obj), ensure_ascii=False, allow_nan=False, **kw)


def as_dict(results: list[DocumentResult], meta: dict | None = None) -> dict:
    from .stream import Seen, summary

    return {"schema_version": SCHEMA_VERSION, "tool": {"name": "barrier-scan", **(meta or {})},
            "documents": [r.to_dict() for r in results],
            **summary([Seen.of(r) for r in results])}


def render(results: list[DocumentResult], meta: dict | None = None) -> str:
    out = io.StringIO()
    write(results, meta, out)
    return out.getvalue()


def write(results, meta: dict | None, fh) -> None:
    """Write the report a document at a time (see :class:`~barrier_scan.report.stream.JsonWriter`)."""
    from .stream import JsonWriter, Seen

    writer, seen = JsonWriter(fh, meta), []
    for r in results:
        writer.add(r)
        seen.append(Seen.of(r))
    writer.close(seen)
