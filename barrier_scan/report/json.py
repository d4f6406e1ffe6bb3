"""JSON report (schema documented in docs/json-schema.md)."""
from __future__ import annotations

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
    failures = [{"path": r.path, **r.error} for r in results if r.error]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "barrier-scan", **(meta or {})},
        "summary": {
            "documents": len(results),
            "scanned": sum(1 for r in results if r.ok),
            "failed": len(failures),
            "barriers": sum(len(r.barriers()) for r in results),
            "strengths": sum(len(r.strengths()) for r in results),
        },
        "failures": failures,
        "documents": [r.to_dict() for r in results],
    }


def render(results: list[DocumentResult], meta: dict | None = None) -> str:
    return dumps(as_dict(results, meta), indent=2) + "\n"
