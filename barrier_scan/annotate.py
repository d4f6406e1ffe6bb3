"""Word comments in a copy of a draft: the commissioner's view of a scan.

``annotate_docx(src, dst)`` scans ``src`` and writes a copy with one Word comment (author
"barrier-scan") per finding, anchored on the words that triggered it, plus one summary comment on
the first paragraph with the openness score, its band and the counts. The original is only read.

How a finding is anchored
    ``Evidence.paragraph`` is the 1-based index of the body ``w:p`` in document order (the DOCX
    extractor's numbering: empty paragraphs and table-cell paragraphs count). In that paragraph
    the evidence span is looked up in the run text with whitespace normalised (the extractor
    collapses whitespace), taking the occurrence nearest ``Evidence.start``. Runs are split at
    the span boundaries when needed: the split copies the run with its ``w:rPr``, so formatting
    is kept; runs holding anything but plain text (fields, drawings, footnote references) are
    never split — the anchor widens to the whole run instead. If the span is not found the
    sentence is tried, then the whole paragraph. Findings about the whole document (no
    paragraph) and findings in headers/footers (Word allows comments only in the body) are
    listed in the summary comment instead.

Strengths (wording to keep) are listed in the summary comment by default, so the review pane
holds the problems to fix; ``strengths_on_text=True`` (``--strengths-on-text``) comments each on
its own words instead, starting "STRENGTH" so it cannot be mistaken for a problem, and
``barriers_only=True`` (``--barriers-only``) leaves them out altogether.

For PDF, HTML and text input there is no Word file to annotate: the review page of
``report/review.py`` is written instead. What each comment says is decided in
``report/comments.py``; this module only places comments in the document.
"""
from __future__ import annotations

import copy
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .findings import DocumentResult, Finding
from .io import atomic_write
from .pipeline import scan_file
from .report.comments import comment_text, summary_text
from .report.review import review_html

AUTHOR = "barrier-scan"
INITIALS = "BS"
DOCX_SUFFIXES = {".docx"}

_WS = re.compile(r"\s")
_INVISIBLE = set("\u00ad\u200b\u200c\u200d\u2060\ufeff")


class AnnotateError(Exception):
    """Annotation could not be done (bad paths); the message says why."""


@dataclass
class AnnotateReport:
    """What annotate did: the output, how many comments and how each was anchored."""
    result: DocumentResult
    output: str
    kind: str  # "docx" | "html"
    comments: int = 0
    anchored_span: int = 0  # anchored exactly on the evidence span
    anchored_paragraph: int = 0  # fell back to the sentence or whole paragraph
    unanchored: list[Finding] = field(default_factory=list)  # listed in the summary comment
    strengths_in_summary: list[Finding] = field(default_factory=list)  # not commented on the text


# ------------------------------------------------------------------------------ paragraphs
def body_paragraphs(document) -> list:
    """Body paragraphs in the extractor's ``Block.paragraph`` order (index 0 is paragraph 1)."""
    from .extract.docx import iter_body_paragraphs

    return list(iter_body_paragraphs(document))


# ------------------------------------------------------------------------------ runs
def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _child_text(el) -> str:
    """The text one run child contributes, as python-docx's ``Run.text`` reads it."""
    tag = el.tag
    if tag == _qn("w:t"):
        return el.text or ""
    if tag in (_qn("w:tab"), _qn("w:ptab")):
        return "\t"
    if tag == _qn("w:br"):
        return "\n" if el.get(_qn("w:type")) in (None, "textWrapping") else ""
    if tag == _qn("w:cr"):
        return "\n"
    if tag == _qn("w:noBreakHyphen"):
        return "-"
    return ""


def _simple(r) -> bool:
    """A run holding only formatting and plain text, safe to split in two."""
    ok = {_qn(t) for t in ("w:rPr", "w:t", "w:tab", "w:ptab", "w:br", "w:cr", "w:noBreakHyphen",
                           "w:softHyphen", "w:lastRenderedPageBreak")}
    return all(c.tag in ok for c in r)


@dataclass
class _Seg:
    r: object  # the w:r element
    start: int  # offsets into the paragraph's raw run text
    end: int


def _segments(p) -> tuple[str, list[_Seg]]:
    """Runs of paragraph element ``p`` in order with their text offsets: direct runs and runs
    nested in hyperlinks, insertions, smart tags, fields or content controls (as the DOCX
    extractor reads them), but not runs of text-box paragraphs nested inside ``p``."""
    w_p, w_r = _qn("w:p"), _qn("w:r")
    segs, parts, pos = [], [], 0
    for r in p.iter(w_r):
        anc = r.getparent()
        while anc is not None and anc.tag != w_p:
            anc = anc.getparent()
        if anc is not p:
            continue
        t = "".join(_child_text(c) for c in r)
        segs.append(_Seg(r, pos, pos + len(t)))
        parts.append(t)
        pos += len(t)
    return "".join(parts), segs


def _split_run(r, k: int):
    """Split simple run ``r`` at text offset ``k`` (0 < k < len); return the right-hand run.

    Both halves keep the run's ``w:rPr`` (and attributes), so formatting is unchanged.
    """
    right = copy.deepcopy(r)
    r.addnext(right)
    for side, run in (("L", r), ("R", right)):
        pos = 0
        for c in list(run):
            if c.tag == _qn("w:rPr"):
                continue
            t = _child_text(c)
            a, b = pos, pos + len(t)
            pos = b
            where = ("L" if a < k else "R") if a == b else "L" if b <= k else "R" if a >= k else "S"
            if where == "S":  # only a w:t can straddle the cut
                c.text = t[: k - a] if side == "L" else t[k - a:]
                _preserve_space(c)
            elif where != side:
                run.remove(c)
    return right


def _preserve_space(t_el) -> None:
    t_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _norm_map(raw: str) -> tuple[str, list[int]]:
    """Whitespace-collapsed, invisible-free text and, per character, its offset in ``raw``."""
    out, idx = [], []
    pending_space = None
    for i, ch in enumerate(raw):
        if ch in _INVISIBLE:
            continue
        if _WS.match(ch):
            if out and pending_space is None:
                pending_space = i
            continue
        if pending_space is not None:
            out.append(" ")
            idx.append(pending_space)
            pending_space = None
        out.append(ch)
        idx.append(i)
    return "".join(out), idx


def _norm(text: str) -> str:
    return _norm_map(text)[0]


def _lower(s: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


def _find(norm: str, target: str, near: int | None) -> int | None:
    """Index of ``target`` in ``norm`` (exact case first), the occurrence nearest ``near``."""
    if not target:
        return None
    for hay, needle in ((norm, target), (_lower(norm), _lower(target))):
        hits, i = [], hay.find(needle)
        while i >= 0:
            hits.append(i)
            i = hay.find(needle, i + 1)
        if hits:
            return min(hits, key=lambda h: abs(h - (near or 0)))
    return None


def _top(el, p):
    """The ancestor of ``el`` (or ``el``) that is a direct child of paragraph ``p``."""
    while el.getparent() is not p:
        el = el.getparent()
    return el


def anchor_span(p, text: str, near: int | None, fallbacks=()) -> tuple[object, object, str] | None:
    """Split runs of paragraph element ``p`` so ``text`` is covered by whole runs.

    Returns ``(first, last, how)``: the direct children of ``p`` to put the comment range
    around and ``how`` in {"span", "sentence", "paragraph"}; None when ``p`` has no text.
    """
    raw, segs = _segments(p)
    segs = [s for s in segs if s.end > s.start]
    if not segs:
        return None
    norm, idx = _norm_map(raw)
    span = None
    for how, candidate in (("span", text), *fallbacks):
        target = _norm(candidate or "")
        at = _find(norm, target, near if how == "span" else None)
        if at is not None:
            span = (idx[at], idx[at + len(target) - 1] + 1, how)
            break
    if span is None:
        return _top(segs[0].r, p), _top(segs[-1].r, p), "paragraph"
    rs, re_, how = span
    first = next(s for s in segs if s.start <= rs < s.end)
    last = next(s for s in segs if s.start < re_ <= s.end)
    first_r, last_r = first.r, last.r
    same = first_r is last_r
    if re_ < last.end and _simple(last_r) and last_r.getparent() is p:
        _split_run(last_r, re_ - last.start)  # right-hand remainder is a new run after it
    if rs > first.start and _simple(first_r) and first_r.getparent() is p:
        right = _split_run(first_r, rs - first.start)
        first_r = right
        if same:
            last_r = right
    return _top(first_r, p), _top(last_r, p), how


def mark_range(first, last, comment_id: int) -> None:
    """Comment range markers around ``first``..``last`` and the reference run after them,
    as python-docx's ``Run.mark_comment_range`` writes them."""
    from docx.oxml import OxmlElement

    first.addprevious(OxmlElement("w:commentRangeStart", attrs={_qn("w:id"): str(comment_id)}))
    ref = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:rStyle", attrs={_qn("w:val"): "CommentReference"}))
    ref.append(rpr)
    ref.append(OxmlElement("w:commentReference", attrs={_qn("w:id"): str(comment_id)}))
    last.addnext(ref)
    last.addnext(OxmlElement("w:commentRangeEnd", attrs={_qn("w:id"): str(comment_id)}))


# ------------------------------------------------------------------------------ DOCX
def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when ``a`` and ``b`` are the same file (so the input is never overwritten)."""
    try:
        if os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.abspath(a) == os.path.abspath(b)


def _scanned(src, dst, config, result, baseline, today) -> DocumentResult:
    """Refuse to overwrite the input, scan it unless already scanned, apply the baseline."""
    if same_file(src, dst):
        raise AnnotateError(f"refusing to overwrite the input {os.fspath(src)}; "
                            "choose another output file with -o")
    if result is None:
        result = scan_file(src, config)
    if result.ok and baseline is not None:
        from .baseline import apply_baseline
        apply_baseline(result, baseline, today)
    return result


def annotate_docx(src: str | os.PathLike, dst: str | os.PathLike, config: Config | None = None,
                  barriers_only: bool = False, result: DocumentResult | None = None,
                  baseline=None, today=None, strengths_on_text: bool = False) -> AnnotateReport:
    """Scan ``src`` (a .docx) and write a commented copy to ``dst`` atomically.

    Barriers are commented on their words; strengths are listed in the summary comment unless
    ``strengths_on_text`` (then commented on their words) or ``barriers_only`` (then left out).

    ``result`` may be passed to skip the scan. Raises :class:`AnnotateError` when ``dst`` is the
    input; a file that cannot be scanned gives a report whose ``result.error`` is set and
    writes nothing.
    """
    import docx

    result = _scanned(src, dst, config, result, baseline, today)
    rep = AnnotateReport(result=result, output=os.fspath(dst), kind="docx")
    if not result.ok:
        return rep
    with open(src, "rb") as fh:
        data = fh.read()
    document = docx.Document(io.BytesIO(data))
    paras = body_paragraphs(document)
    wanted = [f for f in result.findings if f.is_barrier or (strengths_on_text and not barriers_only)]
    if not barriers_only and not strengths_on_text:
        rep.strengths_in_summary = result.strengths()

    placed: list[tuple[Finding, object, object]] = []
    for f in wanted:
        ev = f.evidence
        n = ev.paragraph
        if n is None or not (1 <= n <= len(paras)) or ev.section == "whole document":
            rep.unanchored.append(f)
            continue
        p = paras[n - 1]._p
        got = anchor_span(p, ev.text, ev.start, fallbacks=(("sentence", ev.sentence),))
        if got is None:
            rep.unanchored.append(f)
            continue
        first, last, how = got
        placed.append((f, first, last))
        if how == "span":
            rep.anchored_span += 1
        else:
            rep.anchored_paragraph += 1

    # The summary goes first so it is comment 0 and shows at the top of the margin.
    first_p = next((p._p for p in paras if _segments(p._p)[0].strip()), None)
    summary = summary_text(result, rep.unanchored, barriers_only,
                           strengths=rep.strengths_in_summary)
    if first_p is not None:
        _, segs = _segments(first_p)
        segs = [s for s in segs if s.end > s.start]
        c = document.comments.add_comment(text=summary, author=AUTHOR, initials=INITIALS)
        mark_range(_top(segs[0].r, first_p), _top(segs[-1].r, first_p), c.comment_id)
        rep.comments += 1
    for f, first, last in placed:
        c = document.comments.add_comment(text=comment_text(f), author=AUTHOR, initials=INITIALS)
        mark_range(first, last, c.comment_id)
        rep.comments += 1
    out = io.BytesIO()
    document.save(out)
    atomic_write(dst, out.getvalue())
    return rep


def annotate_other(src: str | os.PathLike, dst: str | os.PathLike, config: Config | None = None,
                   barriers_only: bool = False, result: DocumentResult | None = None,
                   baseline=None, today=None) -> AnnotateReport:
    """PDF, HTML, text: write an HTML review page to ``dst``."""
    result = _scanned(src, dst, config, result, baseline, today)
    rep = AnnotateReport(result=result, output=os.fspath(dst), kind="html")
    if result.ok:
        atomic_write(dst, review_html(result, barriers_only))
    return rep


def default_output(src: str | os.PathLike) -> str:
    """NAME.reviewed.docx beside a Word input; NAME.review.html for anything else."""
    p = Path(src)
    if p.suffix.lower() in DOCX_SUFFIXES:
        return str(p.with_name(p.stem + ".reviewed.docx"))
    return str(p.with_name(p.stem + ".review.html"))


def annotate(src, dst=None, config: Config | None = None, barriers_only: bool = False,
             baseline=None, today=None, strengths_on_text: bool = False) -> AnnotateReport:
    """DOCX -> commented copy; anything else -> HTML review page (``dst`` ending .docx is
    changed to .html for those)."""
    dst = os.fspath(dst) if dst else default_output(src)
    if Path(src).suffix.lower() in DOCX_SUFFIXES:
        return annotate_docx(src, dst, config, barriers_only, baseline=baseline, today=today,
                             strengths_on_text=strengths_on_text)
    if Path(dst).suffix.lower() in (".docx", ".docm"):
        dst = str(Path(dst).with_suffix(".html"))
    return annotate_other(src, dst, config, barriers_only, baseline=baseline, today=today)
