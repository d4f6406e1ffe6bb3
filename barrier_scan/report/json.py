"""JSON report (schema documented in docs/json-schema.md)."""
from __future__ import annotations

import json

from ..findings import SCHEMA_VERSION, DocumentResult


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
    return json.dumps(as_dict(results, meta), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
