"""CSV reports for spreadsheets: one row per document (``--format csv``) or one row per finding
(``--findings-csv``), both written a document at a time.

Cells are text from tenders, so a cell that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'`` (OWASP "CSV injection").
Numbers are written as numbers and never prefixed.

The last column, ``configuration``, states on every row the configuration file and the settings
that changed the result (or ``defaults``): a spreadsheet has no header block to put it in, a
comment line above the column names would break CSV readers, and a row copied elsewhere keeps it.
"""
from __future__ import annotations

import csv
import io

from ..findings import DocumentResult
from ..taxonomy import CATEGORIES
from .base import configuration_line

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

DOCUMENT_COLUMNS = (["path", "format", "pages", "score", "band", "barriers", "strengths",
                     "high", "medium", "low"] + list(CATEGORIES)
                    + ["barrier_codes", "strength_codes", "warnings", "error_code", "error_message",
                      "configuration"])
FINDING_COLUMNS = ["path", "code", "name", "category", "polarity", "severity", "source",
                   "confidence", "also_found_by", "page", "paragraph", "section", "evidence",
                   "sentence", "message", "why", "suggestion", "citation", "detail",
                   "configuration"]


def safe_cell(value):
    """A cell a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    s = str(value)
    return "'" + s if s.startswith(FORMULA_START) else s


def configuration_cell(meta: dict | None) -> str:
    """What the ``configuration`` column says: the file and changed settings, or ``defaults``."""
    if meta is None:
        return ""
    return configuration_line(meta).removeprefix("Configuration: ") or "defaults"


def _codes(findings) -> str:
    return " ".join(dict.fromkeys(f.code for f in findings))


def document_rows(r: DocumentResult):
    """The row of ``--format csv`` for one document."""
    row = {"path": r.path, "format": r.format, "pages": r.pages, "score": r.score, "band": r.band,
           "warnings": " | ".join(r.warnings)}
    if r.error:
        row.update(error_code=r.error.get("code"), error_message=r.error.get("message"))
        return [row]
    barriers = r.barriers()
    row.update(barriers=len(barriers), strengths=len(r.strengths()),
               barrier_codes=_codes(barriers), strength_codes=_codes(r.strengths()))
    for sev in ("high", "medium", "low"):
        row[sev] = sum(1 for f in barriers if f.severity == sev)
    for cat in CATEGORIES:
        row[cat] = sum(1 for f in r.findings if f.category == cat)
    return [row]


def finding_rows(r: DocumentResult):
    """One ``--findings-csv`` row per finding."""
    for f in r.findings:
        ev = f.evidence
        yield {"path": r.path, "code": f.code, "name": f.name, "category": f.category,
               "polarity": f.polarity, "severity": f.severity, "source": f.source,
               "confidence": f.confidence, "also_found_by": " ".join(f.also_found_by),
               "page": ev.page, "paragraph": ev.paragraph, "section": ev.section,
               "evidence": ev.text, "sentence": ev.sentence, "message": f.message, "why": f.why,
               "suggestion": f.suggestion, "citation": f.citation, "detail": f.detail}


class Writer:
    """One row per document (``--format csv``)."""

    columns = DOCUMENT_COLUMNS
    rows = staticmethod(document_rows)

    def __init__(self, fh, meta: dict | None = None):
        self.w = csv.writer(fh, lineterminator="\r\n")
        self.w.writerow(self.columns)
        self.configuration = configuration_cell(meta)

    def add(self, r: DocumentResult) -> None:
        """Write the rows of one document."""
        for row in self.rows(r):
            row["configuration"] = self.configuration
            self.w.writerow([safe_cell(row.get(k)) for k in self.columns])

    def close(self, seen) -> None:
        """Nothing to add at the end."""
        pass


class FindingsWriter(Writer):
    """One row per finding (``--findings-csv``)."""

    columns = FINDING_COLUMNS
    rows = staticmethod(finding_rows)


def _render(writer_cls, results, meta) -> str:
    buf = io.StringIO()
    w = writer_cls(buf, meta)
    for r in results:
        w.add(r)
    return buf.getvalue()


def render(results: list[DocumentResult], meta: dict | None = None) -> str:
    """The ``--format csv`` report for a whole run."""
    return _render(Writer, results, meta)


def render_findings(results: list[DocumentResult], meta: dict | None = None) -> str:
    """The ``--findings-csv`` file for a whole run at once."""
    return _render(FindingsWriter, results, meta)
