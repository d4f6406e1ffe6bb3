"""JSON report (schema documented in docs/json-schema.md), written a document at a time."""
from __future__ import annotations

import io
import json
import math

from ..findings import SCHEMA_VERSION, DocumentResult
from .base import Seen, summary


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
    """JSON text with NaN and infinities as null, non-ASCII kept."""
    return json.dumps(finite(obj), ensure_ascii=False, allow_nan=False, **kw)


def head(meta: dict | None) -> dict:
    """The report's opening keys."""
    return {"schema_version": SCHEMA_VERSION, "tool": {"name": "barrier-scan", **(meta or {})}}


class Writer:
    """The JSON report: ``documents`` first, then ``summary`` and ``failures`` (known at the end).

    Output is exactly ``json.dumps(report, indent=2)`` for the dict with the keys in that order.
    """

    def __init__(self, fh, meta: dict | None = None):
        self.fh, self.n = fh, 0
        start = dumps({**head(meta), "documents": []}, indent=2)
        assert start.endswith('"documents": []\n}')
        fh.write(start[:-len("[]\n}")] + "[")

    def add(self, r: DocumentResult) -> None:
        # Two levels deep: each line of the document's own dump moves four spaces right (JSON
        # strings never hold a raw newline, so this cannot touch the text).
        """Write one document."""
        doc = dumps(r.to_dict(), indent=2).replace("\n", "\n    ")
        self.fh.write(("," if self.n else "") + "\n    " + doc)
        self.n += 1

    def close(self, seen: list[Seen]) -> None:
        """Write the summary and the failures."""
        tail = dumps(summary(seen), indent=2)  # "{\n  "summary": ...\n}"
        self.fh.write(("\n  ]" if self.n else "]") + ",\n" + tail[2:] + "\n")


def render(results: list[DocumentResult], meta: dict | None = None) -> str:
    """The JSON report for a whole run."""
    out = io.StringIO()
    w = Writer(out, meta)
    for r in results:
        w.add(r)
    w.close([Seen.of(r) for r in results])
    return out.getvalue()
