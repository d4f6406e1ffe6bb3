"""HTML pieces every page shares: escaping, the stylesheet, the page frame and the finding
fragment (badge, message, where, quote with the evidence highlighted, why, rewrite, basis,
source). The batch report, the review page, the comparison page and the web app all use these,
so a finding looks and reads the same everywhere.

Everything that comes from a document or a file name goes through :func:`esc`.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from importlib import resources

from ..findings import Finding
from ..taxonomy import SEVERITY_WORDS
from .base import HTML_GENERATOR, finding_title


def esc(value) -> str:
    """HTML-escape anything (quotes too)."""
    return html.escape("" if value is None else str(value), quote=True)


@lru_cache(maxsize=1)
def css() -> str:
    """The stylesheet every page inlines."""
    return resources.files(__package__).joinpath("templates/report.css").read_text(encoding="utf-8")


def page(title: str, body: str, *, lang: str = "en-GB", head: str = "") -> str:
    """A complete self-contained page: inline CSS, no scripts unless ``head`` brings one."""
    return ('<!DOCTYPE html><html lang="' + esc(lang) + '"><head><meta charset="utf-8">'
            + HTML_GENERATOR +  # marks the page as ours: a folder walk skips it (pipeline.py)
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="color-scheme" content="light">'
            f"<title>{esc(title)}</title><style>{css()}</style>{head}</head><body>"
            f"{body}</body></html>\n")


def generic_message(message: str) -> str:
    """A rule's message without the per-finding detail ("...: asks for 3 years of accounts")."""
    from types import SimpleNamespace

    return finding_title(SimpleNamespace(message=message))


def where(f: Finding, note: str = "", ev=None) -> str:
    """'Page 3, paragraph 12, table 1, row 2, column 1 · Section: …' (escaped); ``note`` follows
    the location (" (converted copy)" for a file read through a conversion)."""
    ev = ev or f.evidence
    parts = []
    if ev.page is not None:
        parts.append(f"Page {esc(ev.page)}")
    if ev.paragraph is not None:
        parts.append(f"paragraph {esc(ev.paragraph)}")
    if ev.table:
        t = list(ev.table) + [0, 0, 0]
        parts.append(f"table {esc(t[0] + 1)}, row {esc(t[1] + 1)}, column {esc(t[2] + 1)}")
    text = ", ".join(parts) or "Whole document"
    text = text[0].upper() + text[1:] + (esc(note) if parts else "")
    if ev.section and ev.section.strip().lower() not in ("whole document", "document"):
        text += f" · Section: {esc(ev.section)}"
    return text


def highlight(sentence: str | None, text: str | None) -> str:
    """The sentence escaped, with the evidence span inside it wrapped in <mark>."""
    sentence = sentence or ""
    text = text or ""
    if not sentence:
        return f"<mark>{esc(text)}</mark>" if text else ""
    if not text:
        return esc(sentence)
    i = sentence.find(text)
    if i < 0:
        i = sentence.lower().find(text.lower())
    if i < 0:
        return f"{esc(sentence)}<br><span class=\"muted\">Matched words:</span> <mark>{esc(text)}</mark>"
    j = i + len(text)
    return f"{esc(sentence[:i])}<mark>{esc(sentence[i:j])}</mark>{esc(sentence[j:])}"


def source_line(f: Finding) -> str:
    """Who found it and how sure: 'Found by a fixed rule; the trained classifier agrees (82% sure)'."""
    def word(s):
        return "a fixed rule" if s == "rule" else "the trained classifier"

    out = f"Found by {word(f.source)}"
    if f.confidence is not None:
        out += f" ({f.confidence:.0%} sure)"
    others = [word(s) for s in f.also_found_by]
    if others:
        prob = f.data.get("model_probability") if isinstance(f.data, dict) else None
        out += "; " + " and ".join(others) + " agrees" + \
            (f" ({prob:.0%} sure)" if isinstance(prob, (int, float)) else "")
    return out + f" · code {esc(f.code)}"


def badge(f: Finding) -> str:
    """The severity (or Strength) badge of a finding."""
    if f.polarity == "strength":
        return '<span class="sev strength">Strength</span>'
    return f'<span class="sev {esc(f.severity)}">{esc(SEVERITY_WORDS.get(f.severity, f.severity))}</span>'


def finding_html(f: Finding, extra: str = "", note: str = "", anchor: str = "") -> str:
    """One finding as a block: badge and message, where, the quoted words in their sentence (or,
    for a finding about the whole document, what was concluded), other passages it rests on,
    why / rewrite / basis, and who found it.

    The block's classes (``sev-high``, ``strength``, ``cat-burden_of_proof``) are what the batch
    report's filters act on.
    """
    strength = f.polarity == "strength"
    cls = ("finding strength" if strength else f"finding sev-{esc(f.severity)}") + \
        f" cat-{esc(f.category)}"
    ev = f.evidence
    quote = "" if ev.whole_document else highlight(ev.sentence, ev.text)
    rows = []
    if f.why:
        rows.append(("Why it helps" if strength else "Why it matters", f.why))
    if f.suggestion:
        rows.append(("Keep it" if strength else "Suggested rewrite", f.suggestion))
    if f.citation:
        rows.append(("Basis", f.citation))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    detail = ""
    if ev.whole_document and f.detail:
        detail = f'<p class="detail">What we found: {esc(f.detail)}</p>'
    related = "".join(
        f'<p class="where">Also: {where(f, note, other)}</p>'
        f"<blockquote>{highlight(other.sentence, other.text)}</blockquote>" for other in f.related)
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return (f'<div class="{cls}"{ident}><p class="title">{badge(f)}{esc(f.message)}</p>'
            f'<p class="where">{where(f, note)}</p>'
            + (f"<blockquote>{quote}</blockquote>" if quote else detail)
            + related
            + (f"<dl>{dl}</dl>" if dl else "")
            + f'<p class="src">{source_line(f)}</p>{extra}</div>')
