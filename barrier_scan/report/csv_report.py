"""CSV reports for spreadsheets: ``render`` gives one row per document; ``render_findings`` one
row per finding (``--findings-csv``).

Cells are text from tenders, so a cell that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'`` (OWASP "CSV injection").
Numbers are written as numbers and never prefixed.
"""
from __future__ import annotations

import csv
import io

from ..findings import CATEGORIES, DocumentResult

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

DOCUMENT_COLUMNS = (["path", "format", "pages", "score", "band", "barriers", "strengths",
                     "high", "medium", "low"] + list(CATEGORIES)
                    + ["barrier_codes", "strength_codes", "warnings", "error_code", "error_message"])
FINDING_COLUMNS = ["path", "code", "name", "category", "polarity", "severity", "source",
                   "confidence", "also_found_by", "page", "paragraph", "section", "evidence",
                   "sentence", "message", "why", "suggestion", "citation"]


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    s = str(value)
    return "'" + s if s.startswith(FORMULA_START) else s


def _write(header: list[str], rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([safe_cell(row.get(k)) for k in header])
    return buf.getvalue()


def _codes(findings) -> str:
    seen: dict[str, None] = {}
    for f in findings:
        seen.setdefault(f.code)
    return " ".join(seen)


def document_row(r: DocumentResult) -> dict:
    row = {"path": r.path, "format": r.format, "pages": r.pages, "score": r.score, "band": r.band,
           "warnings": " | ".join(r.warnings)}
    if r.error:
        row.update(error_code=r.error.get("code"), error_message=r.error.get("message"))
        return row
    barriers = r.barriers()
    row.update(barriers=len(barriers), strengths=len(r.strengths()),
               barrier_codes=_codes(barriers), strength_codes=_codes(r.strengths()))
    for sev in ("high", "medium", "low"):
        row[sev] = sum(1 for f in barriers if f.severity == sev)
    for cat in CATEGORIES:
        row[cat] = sum(1 for f in r.findings if f.category == cat)
    return row


def finding_rows(r: DocumentResult):
    for f in r.findings:
        ev = f.evidence
        yield {"path": r.path, "code": f.code, "name": f.name, "category": f.category,
               "polarity": f.polarity, "severity": f.severity, "source": f.source,
               "confidence": f.confidence, "also_found_by": " ".join(f.also_found_by),
               "page": ev.page, "paragraph": ev.paragraph, "section": ev.section,
               "evidence": ev.text, "sentence": ev.sentence, "message": f.message, "why": f.why,
               "suggestion": f.suggestion, "citation": f.citation}


def render(results: list[DocumentResult], meta: dict | None = None) -> str:
    return _write(DOCUMENT_COLUMNS, (document_row(r) for r in results))


def render_findings(results: list[DocumentResult], meta: dict | None = None) -> str:
    return _write(FINDING_COLUMNS, (row for r in results for row in finding_rows(r)))
