"""Plain-text report for terminals.

File names and messages are printed through :func:`~barrier_scan.io.display_text`: a name with a
newline or a terminal escape in it cannot forge a line or rewrite the screen.

A long tender gives hundreds of findings, so the report leads with what matters: one line of
totals, the most serious barriers across the run (each with where it is and its quoted words),
the files that could not be read (each once), then document by document, and ends with the
ranking (least open first) when there is more than one tender. Findings come in reading order,
or with ``sort="severity"`` barriers first, most serious first.

Colour (``colour=True``) marks severities and the quoted words inside their sentence; the CLI
turns it on only for a terminal and never when ``NO_COLOR`` is set. Without colour the output is
plain text with no escape codes.
"""
from __future__ import annotations

import textwrap

from ..findings import DocumentResult, Finding
from ..io import display_text
from ..taxonomy import SEVERITIES, plural
from .base import WholeWriter, configuration_line, finding_title, location_note

SEV_MARK = {"high": "HIGH", "medium": "MED ", "low": "LOW ", "info": "INFO"}
SORTS = ("document", "severity")
TOP = 8  # most serious barriers listed at the top of a report
WIDTH = 100

_SEV_STYLE = {"high": {"fg": "red", "bold": True}, "medium": {"fg": "yellow", "bold": True},
              "low": {"fg": "cyan"}, "info": {"fg": "green"}}
_BAND_STYLE = {"open": {"fg": "green"}, "some barriers": {"fg": "yellow"}, "closed": {"fg": "red"}}


class _Paint:
    """ANSI styling when colour is on; the identity otherwise."""

    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, **style) -> str:
        if not self.on or not text:
            return text
        import click

        return click.style(text, **style)


def severity_rank(f: Finding) -> tuple:
    """Sort key: barriers before strengths, most severe first (stable within a level)."""
    sev = SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 0
    return (f.polarity != "barrier", -sev)


def ordered(findings: list[Finding], sort: str = "document") -> list[Finding]:
    """Findings in reading order, or by severity (barriers first) for ``sort="severity"``."""
    return sorted(findings, key=severity_rank) if sort == "severity" else list(findings)


def _wrap(label: str, text: str, width: int = WIDTH) -> list[str]:
    if not text:
        return []
    return textwrap.wrap(text, width=width, initial_indent=f"      {label}: ",
                         subsequent_indent=" " * (8 + len(label)))


def _quote_lines(sentence: str, text: str, paint: _Paint, indent: str = "      ") -> list[str]:
    """The sentence in quotes, wrapped; with colour the evidence words inside it are marked.

    Wrapped first and marked after, so colour never changes where lines break: each wrapped
    line is a piece of the quoted sentence, found again from a moving cursor.
    """
    full = f"“{sentence}”"
    lines = textwrap.wrap(full, width=WIDTH, initial_indent=indent, subsequent_indent=indent + " ",
                          break_on_hyphens=False)
    at = sentence.find(text) if paint.on and text else -1
    if at < 0:
        return lines
    lo, hi = at + 1, at + 1 + len(text)  # in ``full`` (after the opening quote mark)
    out, cursor = [], 0
    for n, line in enumerate(lines):
        pad = len(indent) + (1 if n else 0)
        content = line[pad:]
        pos = full.find(content, cursor)
        if pos < 0:
            return lines
        cursor = pos + len(content)
        a, b = max(lo, pos), min(hi, cursor)
        if a < b:
            content = (content[:a - pos] + paint(content[a - pos:b - pos], bold=True, underline=True)
                       + content[b - pos:])
        out.append(line[:pad] + content)
    return out


def finding_lines(f: Finding, brief: bool = False, colour: bool = False, note: str = "") -> list[str]:
    """One finding for a terminal: location, code, severity, message, the quote (or, for a
    finding about the whole document, what was concluded), why, instead, basis."""
    paint = _Paint(colour)
    loc = f.evidence.location() + ("" if f.evidence.whole_document else note)
    tag = "+" if f.polarity == "strength" else "-"
    src = f.source + (f"+{'+'.join(f.also_found_by)}" if f.also_found_by else "")
    conf = f" {f.confidence:.0%}" if f.confidence is not None else ""
    sev = paint(SEV_MARK.get(f.severity, f.severity), **_SEV_STYLE.get(f.severity, {}))
    lines = [f"  {tag} {loc:<14} {f.code} {sev} {f.message} [{src}{conf}]"]
    if brief:
        return lines
    ev = f.evidence
    if ev.whole_document:
        if f.detail:
            lines += textwrap.wrap(f"({f.detail})", width=WIDTH, initial_indent="      ",
                                   subsequent_indent="       ")
    else:
        lines += _quote_lines(ev.sentence or ev.text, ev.text, paint)
    for other in f.related:
        lines += textwrap.wrap(f"also {other.location()}: “{other.sentence or other.text}”",
                               width=WIDTH, initial_indent="      ", subsequent_indent="       ")
    if f.polarity == "barrier":
        lines += _wrap("why", f.why) + _wrap("instead", f.suggestion)
    lines += _wrap("basis", f.citation)
    return lines


def _top_lines(r: DocumentResult, f: Finding, paint: _Paint, show_path: bool) -> list[str]:
    """Two lines for the head of the report: severity, code and title; then where and the words."""
    sev = paint(SEV_MARK.get(f.severity, f.severity), **_SEV_STYLE.get(f.severity, {}))
    where = f.evidence.location() + ("" if f.evidence.whole_document else location_note(r))
    if show_path:
        where = f"{display_text(r.path)}, {where}"
    quote = f.evidence.text
    if len(quote) > 70:
        quote = quote[:69] + "…"
    second = f"{where}: “{quote}”" if quote else f"{where}: {f.detail}"
    return [f"  {sev} {f.code} {finding_title(f)}",
            *textwrap.wrap(second, width=WIDTH, initial_indent="         ",
                           subsequent_indent="           ")]


def summary_lines(results: list[DocumentResult], colour: bool = False, top: int = TOP) -> list[str]:
    """The head of the report: totals, the most serious barriers, failures (each once)."""
    paint = _Paint(colour)
    ok = [r for r in results if r.ok]
    failed = [r for r in results if r.error]
    barriers = [(r, f) for r in ok for f in r.barriers()]
    by_sev = {s: sum(1 for _, f in barriers if f.severity == s) for s in ("high", "medium", "low")}
    sev_txt = ", ".join(f"{n} {s}" for s, n in by_sev.items() if n)
    out = [paint(f"{plural(len(results), 'file')}: {len(ok)} scanned, {len(failed)} failed; "
                 f"{plural(len(barriers), 'barrier')}" + (f" ({sev_txt})" if sev_txt else "")
                 + f", {plural(sum(len(r.strengths()) for r in ok), 'strength')}", bold=True)]
    worst = sorted(barriers, key=lambda rf: severity_rank(rf[1]))[:top]
    worst = [rf for rf in worst if rf[1].severity in ("high", "medium")] or worst
    if worst:
        more = len(barriers) - len(worst)
        out += ["", paint("Most serious barriers" + (f" (of {len(barriers)})" if more else ""),
                          bold=True)]
        for r, f in worst:
            out += _top_lines(r, f, paint, show_path=len(results) > 1)
    if failed:
        out += ["", paint("Could not be read", bold=True)]
        out += [f"  {display_text(r.path)}: {display_text(r.error['message'])} [{r.error['code']}]"
                for r in failed]
    return out


def ranking_lines(items, colour: bool = False) -> list[str]:
    """Tenders least open first: rank, score, band, barriers (high), path. ``items`` are
    DocumentResults or :class:`~barrier_scan.report.base.Seen` summaries."""
    paint = _Paint(colour)
    scored = [s for s in items if not s.error and s.score is not None]
    scored.sort(key=lambda s: (s.score, s.path))
    out = [paint("Ranking, least open first", bold=True)]
    for i, s in enumerate(scored, 1):
        sevs = list(s.barrier_severities) if hasattr(s, "barrier_severities") else \
            [f.severity for f in s.barriers()]
        high = sevs.count("high")
        band = paint(f"{s.band:<13}", **_BAND_STYLE.get(s.band, {}))
        out.append(f"  {i:>3}. {s.score:5.1f} {band} {plural(len(sevs), 'barrier'):>12}"
                   f"{f' ({high} high)' if high else '':<10} {display_text(s.path)}")
    return out


def render(results: list[DocumentResult], meta: dict | None = None, brief: bool = False,
           sort: str = "document", colour: bool = False) -> str:
    """The text report for a run."""
    paint = _Paint(colour)
    out: list[str] = summary_lines(results, colour)
    conf = configuration_line(meta)
    if conf:
        out += ["", conf]
    for r in results:
        if r.error:
            continue  # listed once, at the top
        nb, ns = len(r.barriers()), len(r.strengths())
        out += ["", paint(f"{display_text(r.path)}: openness {r.score:g}/100 ({r.band})", bold=True)
                + f" — {plural(nb, 'barrier')}, {plural(ns, 'strength')}"
                + (f", {r.accepted} accepted" if r.accepted else "")]
        for w in r.warnings:
            out.append(f"  ! {w}")
        note = location_note(r)
        for f in ordered(r.findings, sort):
            out.extend(finding_lines(f, brief, colour, note))
    if sum(1 for r in results if r.ok) > 1:
        out += [""] + ranking_lines(results, colour)
    ok = [r for r in results if r.ok]
    failed = [r for r in results if r.error]
    out += ["", f"{plural(len(results), 'file')}: {len(ok)} scanned, {len(failed)} failed"
            + (" (listed at the top)" if failed else "") + "; "
            f"{plural(sum(len(r.barriers()) for r in ok), 'barrier')}, "
            f"{plural(sum(len(r.strengths()) for r in ok), 'strength')}"]
    return "\n".join(out) + "\n"


class Writer(WholeWriter):
    """Collects the run's results; the report is rendered on ``close``."""
