"""Plain-text report for terminals: grouped by document, findings in reading order."""
from __future__ import annotations

import textwrap

from ..findings import DocumentResult, Finding
from ..taxonomy import plural
from .base import WholeWriter, configuration_line

SEV_MARK = {"high": "HIGH", "medium": "MED ", "low": "LOW ", "info": "INFO"}


def _wrap(label: str, text: str, width: int = 100) -> list[str]:
    if not text:
        return []
    return textwrap.wrap(text, width=width, initial_indent=f"      {label}: ",
                         subsequent_indent=" " * (8 + len(label)))


def finding_lines(f: Finding, brief: bool = False) -> list[str]:
    """One finding for a terminal: location, code, severity, message, quote, why, instead, basis."""
    loc = f.evidence.location()
    tag = "+" if f.polarity == "strength" else "-"
    src = f.source + (f"+{'+'.join(f.also_found_by)}" if f.also_found_by else "")
    conf = f" {f.confidence:.0%}" if f.confidence is not None else ""
    lines = [f"  {tag} {loc:<14} {f.code} {SEV_MARK.get(f.severity, f.severity)} {f.message} [{src}{conf}]"]
    if brief:
        return lines
    quote = f.evidence.sentence or f.evidence.text
    lines += textwrap.wrap(f"“{quote}”", width=100, initial_indent="      ", subsequent_indent="       ")
    if f.polarity == "barrier":
        lines += _wrap("why", f.why) + _wrap("instead", f.suggestion)
    lines += _wrap("basis", f.citation)
    return lines


def render(results: list[DocumentResult], meta: dict | None = None, brief: bool = False) -> str:
    """The text report for a run."""
    out: list[str] = []
    conf = configuration_line(meta)
    if conf:
        out += [conf, ""]
    for r in results:
        if r.error:
            out.append(f"{r.path}: ERROR [{r.error['code']}] {r.error['message']}")
            out.append("")
            continue
        nb, ns = len(r.barriers()), len(r.strengths())
        out.append(f"{r.path}: openness {r.score:g}/100 ({r.band}) — {plural(nb, 'barrier')}, {plural(ns, 'strength')}"
                   + (f", {r.accepted} accepted" if r.accepted else ""))
        for w in r.warnings:
            out.append(f"  ! {w}")
        for f in r.findings:
            out.extend(finding_lines(f, brief))
        out.append("")
    ok = [r for r in results if r.ok]
    failed = [r for r in results if r.error]
    out.append(f"{plural(len(results), 'file')}: {len(ok)} scanned, {len(failed)} failed; "
               f"{plural(sum(len(r.barriers()) for r in ok), 'barrier')}, "
               f"{plural(sum(len(r.strengths()) for r in ok), 'strength')}")
    for r in failed:
        out.append(f"  failed: {r.path}: {r.error['message']}")
    return "\n".join(out) + "\n"


class Writer(WholeWriter):
    """Collects the run's results; the page is rendered on ``close``."""
