"""The text of Word comments: one per finding, and the summary comment at the top.

``annotate.py`` places them in the document (anchoring on the evidence words); what they say is
decided here, beside every other rendering.
"""
from __future__ import annotations

import re

from ..findings import DocumentResult, Finding
from ..taxonomy import plural
from .base import finding_title


def comment_text(f: Finding) -> str:
    """Comment body: code, message, why, suggested rewrite, citation (one paragraph each)."""
    if f.polarity == "strength":
        lines = [f"STRENGTH {f.code} (keep this): {f.message}"]
        if f.why:
            lines.append(f"Why it helps: {f.why.strip()}")
    else:
        lines = [f"{f.code} barrier ({f.severity}): {f.message}"]
        if f.why:
            lines.append(f"Why it matters: {f.why.strip()}")
        if f.suggestion:
            lines.append(f"Suggested rewrite: {f.suggestion.strip()}")
    if f.citation:
        lines.append(f"Basis: {f.citation.strip()}")
    if f.source == "model":
        conf = f" (confidence {f.confidence:.0%})" if f.confidence is not None else ""
        lines.append(f"Found by the trained classifier{conf}, not a rule: please judge it.")
    elif f.also_found_by:
        lines.append(f"Also found by: {', '.join(f.also_found_by)}")
    return "\n".join(_clean(x) for x in lines)


def summary_text(result: DocumentResult, unanchored: list[Finding], barriers_only: bool,
                 strengths: list[Finding] = ()) -> str:
    """The summary comment: score, band, counts, whole-document findings, the strengths when
    they are not commented on the text (``strengths``), notes."""
    b, s = result.barriers(), result.strengths()
    sev = {k: sum(1 for f in b if f.severity == k) for k in ("high", "medium", "low", "info")}
    sev_txt = ", ".join(f"{n} {k}" for k, n in sev.items() if n)
    lines = [f"barrier-scan review: openness score {result.score:g}/100 ({result.band}).",
             plural(len(b), "barrier") + (f" ({sev_txt})" if sev_txt else "")
             + f", {plural(len(s), 'strength')}"
             + (f", {result.accepted} accepted in the baseline and not shown" if result.accepted else "")
             + "."]
    on_text = not barriers_only and not strengths and s
    lines.append("Each barrier has its own comment with the reason, a suggested rewrite and the "
                 "legal basis." + (" Comments starting STRENGTH mark wording to keep." if on_text
                                   else ""))
    shown_strengths = {id(f) for f in strengths}
    whole = [f for f in unanchored if id(f) not in shown_strengths]
    if whole:
        lines.append("About the document as a whole:")
        for f in whole:
            tag = "STRENGTH " if f.polarity == "strength" else ""
            lines.append(f"- {tag}{f.code} ({f.severity}): {f.message}"
                         + (f" Suggested: {f.suggestion.strip()}" if f.suggestion and f.is_barrier else ""))
    if strengths:
        lines.append("What the draft does well (keep this wording):")
        for f in strengths:
            where = "" if f.evidence.whole_document else f" ({f.evidence.location()})"
            words = f": “{f.evidence.text}”" if f.evidence.text else ""
            lines.append(f"- {f.code}{where} {finding_title(f)}{words}")
    for w in result.warnings:
        lines.append(f"Note: {w}")
    return "\n".join(_clean(x) for x in lines)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(s: str) -> str:
    """Text safe for XML (no control characters) on one line."""
    return _XML_BAD.sub("", " ".join(s.split()))
