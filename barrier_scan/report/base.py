"""What every report shares: the run's metadata, the per-document summary a run keeps, and the
writer for formats that are rendered whole.

A national audit is tens of thousands of tenders: the JSON, JSON Lines and CSV reports are
written a document at a time, and the run keeps one :class:`Seen` per file (path, error and
barrier severities: what totals, the failure list and the exit code need), never the findings.
Text and HTML reports are read as a whole by people, so their writers collect every result.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone

from ..findings import DocumentResult
from ..version import __version__

# Marks on the reports a folder walk could mistake for tenders (HTML pages, text reports written
# to a file): pipeline.walk_inputs skips files that carry them, so a report saved among the
# tenders is not scanned as a tender on the next run.
HTML_GENERATOR = f'<meta name="generator" content="barrier-scan {__version__}">'
_HTML_MARK = b'<meta name="generator" content="barrier-scan '
TEXT_HEADER = "barrier-scan report"


def text_header(meta: dict | None = None) -> str:
    """The first line of a text report written to a file (not to a terminal)."""
    when = (meta or {}).get("generated")
    return f"{TEXT_HEADER} (version {__version__}{', generated ' + when if when else ''})"


def is_own_report(head: bytes, kind: str) -> bool:
    """Whether the first bytes of a file are those of one of our reports (``kind``: "html" or
    "text"). Our HTML pages carry the generator tag near the top; our text reports written to
    a file start with :data:`TEXT_HEADER`."""
    if kind == "html":
        return _HTML_MARK in head[:1024].lower()
    return head.lstrip(b"\xef\xbb\xbf").startswith(TEXT_HEADER.encode() + b" (version ")


def run_meta(config=None, **extra) -> dict:
    """Facts about the run every report header carries: version, time, configuration used.

    ``configuration`` names the file read (or null) and every setting that differs from the
    defaults, so a reader can tell when a result was changed by settings.
    """
    meta = {"version": __version__,
            "generated": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
    if config is not None:
        meta.update(configuration=config.describe(), select=list(config.select),
                    ignore=list(config.ignore), model=config.use_model)
    meta.update(extra)
    return meta


def configuration_line(meta: dict | None) -> str:
    """One sentence on the configuration, or "" when defaults were used (text, HTML, CSV)."""
    conf = (meta or {}).get("configuration") or {}
    changed, path = conf.get("changed") or {}, conf.get("file")
    if not changed and not path:
        return ""
    settings = "; ".join(f"{k} = {v}" for k, v in changed.items()) or "no setting changed"
    return f"Configuration: {path or 'command line'} ({settings})"


@dataclass(frozen=True)
class Seen:
    """What the run remembers of one document after its report lines are written (enough for
    totals, the failure list, the exit code and the closing ranking)."""

    path: str
    error: dict | None
    barrier_severities: tuple[str, ...]
    strengths: int
    score: float | None = None
    band: str | None = None

    @classmethod
    def of(cls, r: DocumentResult) -> "Seen":
        """The summary of one result."""
        return cls(r.path, r.error, tuple(f.severity for f in r.barriers()), len(r.strengths()),
                   r.score, r.band)

    @property
    def barriers(self) -> int:
        return len(self.barrier_severities)


def finding_title(f) -> str:
    """What a finding is called in every table, chart and summary: the rule's message without
    the per-finding detail ("...: asks for 3 years of accounts") or classifier confidence."""
    message = re.sub(r"\s*\(classifier confidence \d+%\)$", "", f.message or "")
    head, sep, _ = message.partition(": ")
    return head if sep and len(head) >= 15 else message


#: Formats converted to DOCX before reading (extract/convert.py): their paragraph numbers are
#: those of the converted copy, which every report says next to each location.
CONVERTED_FORMATS = ("doc", "odt", "rtf")


def location_note(r: DocumentResult) -> str:
    """" (converted copy)" after a location in a file read through a conversion, else ""."""
    return " (converted copy)" if r.format in CONVERTED_FORMATS else ""


def summary(seen: list[Seen]) -> dict:
    """Totals and the list of failures for the end of a report."""
    failures = [{"path": s.path, **s.error} for s in seen if s.error]
    return {
        "summary": {"documents": len(seen), "scanned": len(seen) - len(failures),
                    "failed": len(failures), "barriers": sum(s.barriers for s in seen),
                    "strengths": sum(s.strengths for s in seen)},
        "failures": failures,
    }


class WholeWriter:
    """Writer for formats read as a whole: collects results, renders them on ``close`` with the
    ``render`` function of the module that defines the subclass."""

    def __init__(self, fh, meta: dict | None = None, **options):
        self.fh, self.meta, self.options, self.results = fh, meta, options, []

    def add(self, r: DocumentResult) -> None:
        """Keep one result for the final render."""
        self.results.append(r)

    def close(self, seen: list[Seen]) -> None:
        """Render everything kept to the output."""
        render = sys.modules[type(self).__module__].render
        self.fh.write(render(self.results, self.meta, **self.options))
