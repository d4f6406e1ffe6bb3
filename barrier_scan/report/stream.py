"""Report writers that write each document as it finishes and keep only a small summary of it.

A national audit is tens of thousands of tenders: the JSON, JSON Lines and CSV reports are
written a document at a time, and the run keeps one :class:`Seen` per file (path, error and
barrier severities: what totals, the failure list and the exit code need), never the findings.
Text and HTML reports are read as a whole by people, so they still collect every result.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

from ..findings import SCHEMA_VERSION, DocumentResult
from . import csv_report
from .json import dumps

STREAMING_FORMATS = ("json", "jsonl", "csv")


@dataclass(frozen=True)
class Seen:
    """What the run remembers of one document after its report lines are written."""

    path: str
    error: dict | None
    barrier_severities: tuple[str, ...]
    strengths: int

    @classmethod
    def of(cls, r: DocumentResult) -> "Seen":
        return cls(r.path, r.error, tuple(f.severity for f in r.barriers()), len(r.strengths()))

    @property
    def barriers(self) -> int:
        return len(self.barrier_severities)


def summary(seen: list[Seen]) -> dict:
    failures = [{"path": s.path, **s.error} for s in seen if s.error]
    return {
        "summary": {"documents": len(seen), "scanned": len(seen) - len(failures),
                    "failed": len(failures), "barriers": sum(s.barriers for s in seen),
                    "strengths": sum(s.strengths for s in seen)},
        "failures": failures,
    }


class JsonWriter:
    """The JSON report: ``documents`` first, then ``summary`` and ``failures`` (known at the end).

    Output is exactly ``json.dumps(report, indent=2)`` for the dict with the keys in that order.
    """

    def __init__(self, fh, meta: dict | None):
        self.fh, self.n = fh, 0
        head = dumps({"schema_version": SCHEMA_VERSION, "tool": {"name": "barrier-scan", **(meta or {})},
                      "documents": []}, indent=2)
        assert head.endswith('"documents": []\n}')
        fh.write(head[:-len("[]\n}")] + "[")

    def add(self, r: DocumentResult) -> None:
        # Two levels deep: each line of the document's own dump moves four spaces right (JSON
        # strings never hold a raw newline, so this cannot touch the text).
        doc = dumps(r.to_dict(), indent=2).replace("\n", "\n    ")
        self.fh.write(("," if self.n else "") + "\n    " + doc)
        self.n += 1

    def close(self, seen: list[Seen]) -> None:
        tail = dumps(summary(seen), indent=2)  # "{\n  "summary": ...\n}"
        self.fh.write(("\n  ]" if self.n else "]") + ",\n" + tail[2:] + "\n")


class JsonlWriter:
    def __init__(self, fh, meta: dict | None):
        self.fh = fh

    def add(self, r: DocumentResult) -> None:
        from .jsonl import line

        self.fh.write(line(r))

    def close(self, seen: list[Seen]) -> None:
        pass


class _CsvWriter:
    columns: list[str] = []

    def __init__(self, fh, meta: dict | None):
        self.fh = fh
        self.w = csv.writer(fh, lineterminator="\r\n")
        self.w.writerow(self.columns)

    def rows(self, r: DocumentResult):
        raise NotImplementedError

    def add(self, r: DocumentResult) -> None:
        for row in self.rows(r):
            self.w.writerow([csv_report.safe_cell(row.get(k)) for k in self.columns])

    def close(self, seen: list[Seen]) -> None:
        pass


class CsvWriter(_CsvWriter):
    """One row per document (``--format csv``)."""

    columns = csv_report.DOCUMENT_COLUMNS

    def rows(self, r):
        return [csv_report.document_row(r)]


class FindingsCsvWriter(_CsvWriter):
    """One row per finding (``--findings-csv``)."""

    columns = csv_report.FINDING_COLUMNS

    def rows(self, r):
        return csv_report.finding_rows(r)


WRITERS = {"json": JsonWriter, "jsonl": JsonlWriter, "csv": CsvWriter}
