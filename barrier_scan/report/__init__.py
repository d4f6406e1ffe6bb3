"""Stage 5, report: the only place results are rendered.

One registry of output formats (the CLI reads its ``--format`` choices from :data:`FORMATS`).
Every format module has the same two entry points (bandit-style):

- ``render(results, meta, **options) -> str`` for a whole run at once;
- ``Writer(fh, meta, **options)`` with ``add(result)`` per document and ``close(seen)`` at the
  end, so JSON, JSON Lines and CSV stream a document at a time; text and HTML are read whole by
  people, so their writers collect results and render on ``close``.

Single-document pages live here too: the review page (``review.py``), the comparison of two
versions (``compare.py``) and the text of Word comments (``comments.py``), sharing escaping, CSS
and the finding fragment (``htmlkit.py``) with the batch HTML report.
"""
from __future__ import annotations

import importlib

#: format name -> (module, one-line description)
FORMATS = {
    "text": ("text", "findings grouped by document, for a terminal"),
    "json": ("json", "the full report as one JSON document (docs/json-schema.md)"),
    "jsonl": ("jsonl", "one JSON document per line, written as each file finishes"),
    "csv": ("csv", "one row per document, for spreadsheets"),
    "html": ("html", "a self-contained page for people, tenders ranked least open first"),
}


def module(name: str):
    """The module rendering format ``name`` (imported on first use)."""
    if name not in FORMATS:
        raise KeyError(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
    return importlib.import_module(f"{__name__}.{FORMATS[name][0]}")


def render(name: str, results, meta: dict | None = None, **options) -> str:
    """Format ``name`` of a whole run at once."""
    return module(name).render(list(results), meta, **options)


def writer(name: str, fh, meta: dict | None = None, **options):
    """A writer of format ``name`` on ``fh``."""
    return module(name).Writer(fh, meta, **options)
