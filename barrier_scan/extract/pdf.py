"""PDF extraction: pypdfium2 text layer + pdfplumber's table algorithm on pdfium vector edges.

Design and measurements (corpus: the 6 PDFs, 601 pages, in ../shared/corpus/documents,
2-core container, pypdfium2 5.15.2, pdfplumber 0.11.10):

* Raw pypdfium2 ``get_textpage().get_text_range()`` over all pages: 3.2 s, ~185 pages/s.
* pdfplumber ``page.find_tables()`` on every page: ~0.15 s/page on most files but ~1.1 s/page
  on ``SQ_DPS_PROFILE_CONSTRUCTION_SERVICES--v9.pdf`` (pdfminer re-parses the heavy content
  streams: ~270k PostScript tokens per page), i.e. >5 minutes for the corpus -- it would
  dominate everything, so we never let pdfminer parse a page.
* Instead we read the vector graphics with pdfium (path objects' bounding boxes, recursing into
  form XObjects): for all 601 pages this takes ~0.2 s. The resulting horizontal/vertical edges
  are fed to pdfplumber's own table algorithm (``pdfplumber.table.merge_edges``,
  ``edges_to_intersections``, ``intersections_to_cells``, ``cells_to_tables``, ``Table.rows``),
  and each cell's text is read with pdfium ``get_text_bounded``. Only grids with at least two
  columns count as tables (single-column boxes around answers stay ordinary paragraphs). Pages
  with more than ``_MAX_EDGES`` edges skip table detection (the intersection step is O(v*h)).
* Line geometry (needed for running headers/footers, paragraphs and headings) costs four cheap
  ctypes calls per line (loose char box of first and last character, font size, font weight).
* A text-only table signal (two pdfium lines side by side on one row) was tried as the gate and
  rejected: it caught only 31 of the 77 corpus pages with a >=2-column ruled table, because
  pdfium merges the cells of a row into one text line.
* Full pipeline (``extract()`` on all 6 PDFs / 601 pages, best of 3 runs, same session):

  ======================================  =========  ==========
  run                                      seconds    pages/s
  ======================================  =========  ==========
  raw pypdfium2 get_text_range (quiet)       2.50       240
  this extractor (quiet machine)             3.95       152
  raw pypdfium2 (machine under load)         3.94       152
  this extractor, tables off (under load)    4.21       143
  this extractor (under load)                5.79       104
  ======================================  =========  ==========

  i.e. ~1.5x raw pypdfium2; about 2/3 of the overhead is table detection (mostly walking the
  page objects through ctypes), the rest line geometry and paragraph rebuilding. Opening pages
  (``PdfDocument.get_page``) dominates both.

Text clean-up rules (documented because findings quote this text):

* Running headers/footers (:func:`_strip_running`): a line among the top-6 / bottom-6 lines of a
  page (by position, and within the top/bottom 15% of the page) that repeats in the same zone on
  at least ``max(2, min(4, ceil(text_pages / 2)))`` pages -- word for word, or differing only in
  its page number ("Page 3 of 12") -- is removed, unless it states an obligation or a figure
  (money, percentage, amount, period): such a line is a clause, however often it repeats. No
  page loses all its text. Bare page numbers ("3", "Page 3 of 12", "- 3 -", "iv", "3 | Page")
  in those zones are removed. Both counts are in ``Document.meta`` and the result's stats.
* Hyphenation: see :func:`barrier_scan.extract._common.join_hyphenated`. PDFium reports some
  in-word hyphens as U+FFFE; they are restored to "-".
* Paragraphs: lines are joined until a break: a bullet/number start, a vertical step larger
  than 1.6x the font size (or moving up the page), a font size change over 1pt, or a previous
  line that ends well short of the right margin (its paragraph's last line) followed by a line
  starting with a capital, digit or bullet. Page boundaries always break (a block has one page).
* Headings (set ``section``): a one- or two-line paragraph of at most 14 words, not ending in
  , ; or . (a trailing period after a number is fine), and one of: multi-level number
  ("3.2 Finance"), single number when bold or larger than body text ("3. Requirements"),
  "Part/Section/Annex/Appendix/Schedule N", ALL CAPS (6+ letters, not "(VCSE)"/"[INSERT ..]"),
  or font >= 1.5x body size (1.2x when bold). Single-number headings need <= 8 words and no
  "?" (numbered questions in forms are bold too). A heading text that occurs 4+ times in the
  document (form banners, "Guidance" labels) is kept as a paragraph and does not set sections.
"""
from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Block, Document
from ..errors import ScanError
from ._common import (
    BULLET_RE,
    NUMBERED_RE,
    SectionTracker,
    heading_label,
    join_hyphenated,
    norm_ws,
    number_paragraphs,
)

_MAX_EDGES = 3000
_ZONE_LINES = 6  # running header/footer candidates: this many lines at the top and bottom ...
_ZONE = 0.15  # ... that also lie within this fraction of the page height from the edge
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_PAGE_NO = re.compile(
    r"^(?:page\s*)?[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?(?:\s*\|\s*page)?$"
    r"|^[-–—]\s*[0-9]{1,4}\s*[-–—]$|^[ivxlcdm]{1,7}$",
    re.I,
)
_NUM_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,3})*)\.?\s+(\S.*)$")
_NAMED_HEADING = re.compile(r"^(part|section|annex|appendix|schedule|chapter|attachment)\s+[0-9A-Z]{1,4}\b", re.I)


@dataclass
class _Line:
    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    table: int | None = None
    drop: bool = False


@dataclass
class _Table:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom (top-down coordinates)
    cells: list[tuple[int, int, str]]  # (row, col, text)
    emitted: bool = False


_PDFIUM_HYPHEN = re.compile("([A-Za-z]*)[\ufffe\u0002]\\s*(.?)")


def _clean(s: str) -> str:
    """Resolve PDFium's line-end hyphen marker.

    When PDFium sees a word hyphenated across a line end it joins the two lines itself and
    reports the hyphen as U+FFFE (or U+0002): "require\ufffements". Apply the same rule as
    :func:`join_hyphenated` (drop the hyphen before a lower-case continuation unless the
    fragment is a common prefix such as "co", "sub", "non", "self").
    """
    if "\ufffe" not in s and "\u0002" not in s:
        return s

    def fix(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        if right and right.islower():
            return join_hyphenated(left + "-", right)
        return left + "-" + right

    return _PDFIUM_HYPHEN.sub(fix, s)


# --------------------------------------------------------------------------- vector edges


def _collect_paths(container, count_fn, get_fn, matrix, out, depth=0):
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    get_type = pdfium_c.FPDFPageObj_GetType
    get_bounds = pdfium_c.FPDFPageObj_GetBounds
    path_t, form_t = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    for k in range(count_fn(container)):
        obj = get_fn(container, k)
        typ = get_type(obj)
        if typ == path_t:
            if get_bounds(obj, l, b, r, t):
                out.append(_transform_box(matrix, l.value, b.value, r.value, t.value))
                if len(out) > _MAX_EDGES:
                    return
        elif typ == form_t and depth < 4:
            # Bounds of objects inside a form XObject are in form space; compose the matrix.
            m = pdfium_c.FS_MATRIX()
            if pdfium_c.FPDFPageObj_GetMatrix(obj, m):
                inner = (m.a, m.b, m.c, m.d, m.e, m.f)
            else:
                inner = (1, 0, 0, 1, 0, 0)
            _collect_paths(
                obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                _mul(inner, matrix), out, depth + 1,
            )


def _mul(m1, m2):
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2, a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2,
    )


def _transform_box(m, x0, y0, x1, y1):
    if m == (1, 0, 0, 1, 0, 0):
        return x0, y0, x1, y1
    a, b, c, d, e, f = m
    pts = [(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _page_edges(page, height: float) -> list[dict]:
    boxes: list = []
    _collect_paths(page, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject,
                   (1, 0, 0, 1, 0, 0), boxes)
    if len(boxes) > _MAX_EDGES:
        return []
    edges = []
    for x0, y0, x1, y1 in boxes:
        w, h = x1 - x0, y1 - y0
        top, bottom = height - y1, height - y0
        if w <= 3 and h > 3:
            xm = (x0 + x1) / 2
            edges.append(dict(x0=xm, x1=xm, top=top, bottom=bottom, width=0, height=h, orientation="v"))
        elif h <= 3 and w > 3:
            ym = (top + bottom) / 2
            edges.append(dict(x0=x0, x1=x1, top=ym, bottom=ym, width=w, height=0, orientation="h"))
        elif w > 3 and h > 3:
            edges += [
                dict(x0=x0, x1=x1, top=top, bottom=top, width=w, height=0, orientation="h"),
                dict(x0=x0, x1=x1, top=bottom, bottom=bottom, width=w, height=0, orientation="h"),
                dict(x0=x0, x1=x0, top=top, bottom=bottom, width=0, height=h, orientation="v"),
                dict(x0=x1, x1=x1, top=top, bottom=bottom, width=0, height=h, orientation="v"),
            ]
    return edges


def _intersections_to_cells(inter: dict) -> list[tuple]:
    """pdfplumber's ``intersections_to_cells`` with edge sets precomputed as sets of bboxes.

    Same algorithm and output; pdfplumber rebuilds the sets (via typed helpers) inside its
    innermost loop, which made it ~2 s of the corpus run.
    """
    vsets = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in d["v"]} for p, d in inter.items()}
    hsets = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in d["h"]} for p, d in inter.items()}

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not vsets[p1].isdisjoint(vsets[p2]):
            return True
        return p1[1] == p2[1] and not hsets[p1].isdisjoint(hsets[p2])

    points = sorted(inter)
    by_x: dict = {}
    by_y: dict = {}
    for p in points:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    cells = []
    for pt in points:
        below = [q for q in by_x[pt[0]] if q > pt]
        right = [q for q in by_y[pt[1]] if q > pt]
        found = None
        for b in below:
            if not connects(pt, b):
                continue
            for r in right:
                if not connects(pt, r):
                    continue
                br = (r[0], b[1])
                if br in inter and connects(br, r) and connects(br, b):
                    found = (pt[0], pt[1], br[0], br[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _three_overlapping_columns(vs: list[dict]) -> bool:
    for i, a in enumerate(vs):
        xs = {round(a["x0"] / 3)}
        for b in vs[i + 1:]:
            if b["top"] < a["bottom"] and b["bottom"] > a["top"]:
                xs.add(round(b["x0"] / 3))
                if len(xs) >= 3:
                    return True
    return False


def _area(bb) -> float:
    return (bb[2] - bb[0]) * (bb[3] - bb[1])


def _inside(inner, outer, tol: float = 2.0) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol
            and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def _rulings_cut_text(textpage, cells, bbox, height: float) -> bool:
    """True when an interior vertical cell border runs through a character.

    Real table rulings sit between words; boxes drawn behind text (highlights, shaded phrases)
    produce grids whose borders cross letters. Probes a few points per interior border with
    pdfium's ``get_index`` (tolerance 0.5pt), so it costs a handful of ctypes calls per table.
    """
    probes = 0
    for x0, top, x1, bottom in cells:
        for x in (x0, x1):
            if abs(x - bbox[0]) < 1 or abs(x - bbox[2]) < 1:
                continue
            for frac in (0.25, 0.5, 0.75):
                y = height - (top + (bottom - top) * frac)
                probes += 1
                if textpage.get_index(x, y, 0.5, 0.5) is not None:
                    return True
                if probes > 200:
                    return False
    return False


def _find_tables(page, textpage, height: float) -> list[_Table]:
    from pdfplumber import table as pt

    edges = _page_edges(page, height)
    if len(edges) < 4 or len(edges) > _MAX_EDGES:
        return []
    edges = pt.merge_edges(edges, 3, 3, 3, 3)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    # Cheap gate before the O(v*h) intersection search: a grid with two columns needs three
    # distinct vertical rulings that overlap vertically, and at least two horizontals.
    vs = sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: e["x0"])
    if len(vs) < 3 or len(edges) - len(vs) < 2 or not _three_overlapping_columns(vs):
        return []
    cells = _intersections_to_cells(pt.edges_to_intersections(edges, 3, 3))
    out: list[_Table] = []
    accepted: list[tuple] = []
    groups = sorted(pt.cells_to_tables(cells), key=lambda g: -_area(pt.Table(None, g).bbox))
    for group in groups:
        table = pt.Table(None, group)
        rows = table.rows
        if not rows or max(sum(1 for c in r.cells if c is not None) for r in rows) < 2:
            continue
        if any(_inside(table.bbox, bb) for bb in accepted):
            continue  # a grid inside an accepted table (cell shading, highlights): same text
        if _rulings_cut_text(textpage, group, table.bbox, height):
            continue  # "cells" slice through words: highlight boxes, not a table
        accepted.append(table.bbox)
        found = []
        for ri, row in enumerate(rows):
            for ci, cell in enumerate(row.cells):
                if cell is None:
                    continue
                x0, top, x1, bottom = cell
                raw = textpage.get_text_bounded(left=x0, bottom=height - bottom, right=x1, top=height - top)
                text = _join_lines([_clean(s) for s in _LINE_SPLIT.split(raw)])
                if text:
                    found.append((ri, ci, text))
        if found:
            out.append(_Table(bbox=table.bbox, cells=found))
    return out


# --------------------------------------------------------------------------- lines


def _join_lines(lines: list[str]) -> str:
    text = ""
    for ln in lines:
        ln = norm_ws(ln)
        if ln:
            text = join_hyphenated(text, ln) if text else ln
    return text


_NAME_BUF = ctypes.create_string_buffer(256)
_FLAGS = ctypes.c_int()


def _bold_name(textpage, index: int) -> bool:
    """Bold by font name (standard-14 fonts such as Helvetica-Bold report weight 0)."""
    n = pdfium_c.FPDFText_GetFontInfo(textpage, index, _NAME_BUF, len(_NAME_BUF), ctypes.byref(_FLAGS))
    if not n:
        return False
    name = _NAME_BUF.value.decode("latin-1", "replace").lower()
    return "bold" in name or "black" in name or "heavy" in name or (_FLAGS.value >> 18) & 1 == 1


def _page_lines(textpage, text: str, pageno: int, height: float) -> list[_Line]:
    lines = []
    pos = 0
    for m in list(_LINE_SPLIT.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        seg = text[pos:end]
        stripped = seg.strip()
        if stripped:
            i0 = pos + (len(seg) - len(seg.lstrip()))
            i1 = pos + len(seg.rstrip()) - 1
            try:
                l0, b0, r0, t0 = textpage.get_charbox(i0, loose=True)
                _l1, b1, r1, t1 = textpage.get_charbox(i1, loose=True)
            except Exception:  # noqa: BLE001 - geometry is best effort
                l0 = b0 = r0 = t0 = b1 = r1 = t1 = 0.0
            # Largest plausible size among first, middle and last character: list numbers use
            # other sizes, and PDFium reports 1.0 for text scaled by its matrix (Tf 1 + Tm),
            # in which case the loose box height stands in.
            sizes = [float(pdfium_c.FPDFText_GetFontSize(textpage, i) or 0.0) for i in (i0, (i0 + i1) // 2, i1)]
            size = max((v for v in sizes if v >= 3.0), default=0.0) or max(
                0.0, (max(t0, t1) - min(b0, b1)) / 1.15)
            bold = pdfium_c.FPDFText_GetFontWeight(textpage, i0) >= 600 or _bold_name(textpage, i0)
            lines.append(
                _Line(
                    text=norm_ws(_clean(stripped)), page=pageno, x0=l0, x1=max(r0, r1),
                    top=height - max(t0, t1), bottom=height - min(b0, b1), size=size,
                    bold=bold,
                )
            )
        if m is None:
            break
        pos = m.end()
    return [ln for ln in lines if ln.text]


def _zone_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


# A repeated line at a page edge is only removed when it says nothing a tender can require: a
# clause repeated at the top of every page ("Lot 2: bidders must have a turnover of £X") is
# content, not a running header, even though it repeats.
_OBLIGATION = re.compile(
    r"\b(must|shall|required?|requires|requirement|mandatory|obliged|need(?:s)? to|expected to"
    r"|minimum|maximum|at least|no (?:less|more) than|not (?:less|more) than|turnover|insurance"
    r"|accounts|accredit\w*|certif\w*)\b", re.I)
_FIGURE = re.compile(
    r"[£$€]\s?\d|\d\s?%|\bper ?cent\b|\b\d{1,3}(?:,\d{3})+\b"
    r"|\b\d+(?:\.\d+)?\s?(?:k|m|bn|million|billion|thousand)\b"
    r"|\b\d+\s*(?:days?|weeks?|months?|years?|hours?)\b", re.I)
_INT = re.compile(r"\d+")


def carries_content(text: str) -> bool:
    """Whether a line states an obligation or a figure (money, percentage, amount, period)."""
    return bool(_OBLIGATION.search(text) or _FIGURE.search(text))


def _page_numbered(members: list[_Line]) -> list[_Line]:
    """Of lines that differ only in their numbers, those that are one running line: where one
    number counts pages (never going down from page to page) while the others stay the same
    ("Page 3 of 12", "© 2021 ... 4/163" with pages missing, an appendix restarting at "1/9"),
    in runs of at least two pages. Numbers that vary any other way mark different content."""
    ordered = sorted(members, key=lambda m: m.page)
    ints = [[int(n) for n in _INT.findall(ln.text)] for ln in ordered]
    width = len(ints[0]) if ints else 0
    if not width or any(len(x) != width for x in ints):
        return []
    best: list[_Line] = []
    for k in range(width):  # try each number as the counter
        runs: dict[tuple, list[int]] = {}
        for i, x in enumerate(ints):
            runs.setdefault(tuple(x[:k] + x[k + 1:]), []).append(i)
        got = [ordered[i] for run in runs.values() if len(run) >= 2
               and all(ints[a][k] <= ints[b][k] for a, b in zip(run, run[1:])) for i in run]
        if len(got) > len(best):
            best = got
    return best


def _strip_running(pages: dict[int, list[_Line]], heights: dict[int, float]) -> tuple[int, int]:
    """Mark running headers/footers and bare page numbers as dropped.

    Only lines among the top/bottom ``_ZONE_LINES`` of a page and within ``_ZONE`` of its edge
    are candidates. A candidate goes when it is a bare page number, or when the same line (the
    same text, or text differing only in a page number) is in that zone on at least
    ``max(2, min(4, ceil(pages / 2)))`` pages -- unless it carries an obligation or a figure
    (:func:`carries_content`). No page loses all its text: a page left with nothing keeps its
    repeated lines. Returns (lines removed, repeated lines kept because they carry content).
    """
    zones: dict[int, list[tuple[str, _Line]]] = {}
    exact: Counter = Counter()
    groups: dict[tuple[str, str], list[_Line]] = {}
    for pno, lines in pages.items():
        flow = [ln for ln in lines if ln.table is None]
        if not flow:
            continue
        h = heights[pno]
        by_pos = sorted(flow, key=lambda ln: ln.top)
        cand = [("top", ln) for ln in by_pos[:_ZONE_LINES] if ln.top < _ZONE * h]
        cand += [("bottom", ln) for ln in by_pos[-_ZONE_LINES:] if ln.bottom > (1 - _ZONE) * h
                 and ln.top >= _ZONE * h]
        zones[pno] = cand
        for key in {(z, ln.text.lower()) for z, ln in cand}:
            exact[key] += 1
        firsts: dict = {}
        for z, ln in cand:  # one line per page and digit-insensitive key
            firsts.setdefault((z, _zone_key(ln.text)), ln)
        for key, ln in firsts.items():
            groups.setdefault(key, []).append(ln)
    n = len(zones)
    threshold = max(2, min(4, math.ceil(n / 2)))
    numbered = {id(ln) for members in groups.values() if len(members) >= threshold
                for ln in _page_numbered(members)}
    dropped = kept = 0
    for pno, cand in zones.items():
        mine = []
        for z, ln in cand:
            if ln.drop:
                continue
            if _PAGE_NO.match(ln.text):
                ln.drop = True
                dropped += 1
                continue
            if n < 2 or not (exact[(z, ln.text.lower())] >= threshold or id(ln) in numbered):
                continue
            if carries_content(ln.text):
                kept += 1
                continue
            mine.append(ln)
        has_table = any(ln.table is not None for ln in pages[pno])
        rest = [ln for ln in pages[pno] if ln.table is None and not ln.drop and ln not in mine]
        if mine and not rest and not has_table:  # never all of a page
            kept += len(mine)
            continue
        for ln in mine:
            ln.drop = True
        dropped += len(mine)
    return dropped, kept


# --------------------------------------------------------------------------- paragraphs


def _is_list_start(text: str) -> bool:
    return bool(BULLET_RE.match(text) or NUMBERED_RE.match(text))


def _heading_level(text: str, lines: list[_Line], body_size: float) -> int | None:
    words = text.split()
    if len(lines) > 2 or len(words) > 14 or len(text) > 120:
        return None
    if text[-1] in ",;" or (text[-1] == "." and not re.search(r"^\d+(\.\d+)*\.$", text)):
        return None
    size = max(ln.size for ln in lines)
    bold = all(ln.bold for ln in lines)
    bigger = body_size > 0 and size >= body_size + 0.5
    m = _NUM_HEADING.match(text)
    if m and m.group(2)[:1].isupper():
        depth = m.group(1).count(".") + 1
        if depth >= 2 and not text.endswith(":"):
            return depth
        if (bold or bigger) and len(words) <= 8 and not text.endswith("?"):
            return depth
    if text.endswith(":"):
        return None
    if _NAMED_HEADING.match(text) and (bold or bigger or len(words) <= 8):
        return 1
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 6 and all(c.isupper() for c in letters) and len(words) <= 10 \
            and text[0] not in "([":
        return 1
    if body_size > 0 and letters and (size >= 1.5 * body_size or (bold and size >= 1.2 * body_size)):
        return 1 if size >= 1.5 * body_size else 2
    return None


def _strip_bullet(text: str) -> str:
    m = BULLET_RE.match(text)
    return text[m.end():] if m else text


def _paragraphs(lines: list[_Line], right_edge: float) -> list[list[_Line]]:
    paras: list[list[_Line]] = []
    cur: list[_Line] = []
    for ln in lines:
        if cur:
            prev = cur[-1]
            height = min(prev.bottom - prev.top, ln.bottom - ln.top)
            overlap = min(prev.bottom, ln.bottom) - max(prev.top, ln.top)
            if ln.x0 >= prev.x1 - 2 and height > 0 and overlap > 0.3 * height:
                # Continues the same row (a footnote marker, a change of font mid-line).
                if ln.size < 0.8 * prev.size and len(ln.text) <= 3 and not ln.text.isalpha():
                    continue  # superscript footnote reference: drop it
                cur.append(ln)
                continue
            size = max(prev.size, ln.size, 1.0)
            step = ln.bottom - prev.bottom
            short_prev = right_edge > 0 and prev.x1 < right_edge - 0.15 * max(right_edge - prev.x0, 1)
            first = ln.text[:1]
            brk = (
                _is_list_start(ln.text)
                or step > 1.6 * size
                or ln.top < prev.top - 2
                or abs(ln.size - prev.size) > 1.0
                or (short_prev and (first.isupper() or first.isdigit() or not first.isalnum()))
            )
            if brk:
                paras.append(cur)
                cur = []
        cur.append(ln)
    if cur:
        paras.append(cur)
    return paras


# --------------------------------------------------------------------------- main


_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_OBJ_AT = re.compile(rb"\s*\d+\s+\d+\s+obj\b")
_XREF_HEAD = re.compile(rb"\s*xref\s+\d+\s+\d+\s")
_XREF_ENTRY = re.compile(rb"(\d{10}) \d{5} ([nf])")


def structure_problems(path: str) -> set[str]:
    """Cheap checks of the file's skeleton, read from its last 2 KB and a few offsets.

    ``"eof"``: no ``%%EOF`` marker near the end (truncated, e.g. an interrupted download).
    ``"xref"``: ``startxref`` is missing or does not point at a cross-reference table/stream, or
    most of the first few table entries do not point at ``N G obj`` (PDFium then rebuilds the
    table by scanning the whole file, silently). Checked: no false alarm on the 6 corpus PDFs
    and the sample tenders.
    """
    found: set[str] = set()
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - 2048))
            tail = fh.read()
            if b"%%EOF" not in tail:
                found.add("eof")
            m = None
            for m in _STARTXREF.finditer(tail):
                pass
            if m is None or int(m.group(1)) >= size:
                found.add("xref")
                return found
            off = int(m.group(1))
            fh.seek(off)
            head = fh.read(64)
            x = _XREF_HEAD.match(head)
            if x is None:
                if not _OBJ_AT.match(head):
                    found.add("xref")
                return found
            fh.seek(off + x.end())
            entries = [int(e.group(1)) for e in _XREF_ENTRY.finditer(fh.read(24 * 20)) if e.group(2) == b"n"]
            bad = 0
            for o in entries[:8]:
                fh.seek(o)
                bad += not _OBJ_AT.match(fh.read(40))
            if entries and bad * 2 >= min(len(entries), 8):
                found.add("xref")
    except (OSError, ValueError):
        pass
    return found


_MARKS_STROKES = 4  # more outlines than a frame or a rule or two: a drawing or outlined text
_FILL_MODE, _STROKE = ctypes.c_int(), ctypes.c_int()


_RGBA = [ctypes.c_uint() for _ in range(4)]


def _white(obj) -> bool:
    """A white (or fully transparent) fill: a page background, not a mark."""
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, *_RGBA):
        return False
    r, g, b, a = (v.value for v in _RGBA)
    return a == 0 or min(r, g, b) >= 250


def _has_marks(container, count_fn=None, get_fn=None, depth: int = 0) -> bool:
    """Whether a page without text shows anything (an image, a shading, a filled shape, a
    drawing, text turned into outlines) rather than being blank: a blank page needs no OCR, a
    scanned one does. A few stroked lines (a frame, a rule) still leave a page blank."""
    count_fn = count_fn or pdfium_c.FPDFPage_CountObjects
    get_fn = get_fn or pdfium_c.FPDFPage_GetObject
    strokes = 0
    for k in range(count_fn(container)):
        obj = get_fn(container, k)
        typ = pdfium_c.FPDFPageObj_GetType(obj)
        if typ in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING):
            return True
        if typ == pdfium_c.FPDF_PAGEOBJ_PATH:
            filled = (pdfium_c.FPDFPath_GetDrawMode(obj, _FILL_MODE, _STROKE)
                      and _FILL_MODE.value != pdfium_c.FPDF_FILLMODE_NONE and not _white(obj))
            strokes += 1
            if filled or strokes > _MARKS_STROKES:
                return True
        elif typ == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4 and _has_marks(
                get_fn(container, k), pdfium_c.FPDFFormObj_CountObjects,
                pdfium_c.FPDFFormObj_GetObject, depth + 1):
            return True
    return False


def _open(path: str):
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise ScanError(
                "encrypted", "password-protected PDF: open it with the password, save an unprotected "
                "copy (or ask the buyer for one) and scan that"
            ) from None
        if "eof" in structure_problems(path):
            raise ScanError(
                "corrupt_file", "not a valid PDF: it is truncated (no end-of-file marker; an interrupted "
                "download?); download or export it again") from None
        reason = re.sub(r"^Failed to load document \(PDFium: (.*)\)\.?$", r"\1", msg) or msg
        raise ScanError("corrupt_file", f"not a valid PDF: damaged file ({reason.rstrip('.').lower()}); "
                        "re-export it as PDF and scan again") from None


def extract_pdf(path: str, max_pages: int = 2000) -> Document:
    """Text of a PDF page by page (pypdfium2), tables by pdfplumber, running heads and page numbers removed."""
    pdf = _open(path)
    try:
        n_pages = len(pdf)
        if n_pages > max_pages:
            raise ScanError(
                "too_many_pages",
                f"PDF has {n_pages} pages, over the limit of {max_pages}; split it, or raise "
                "the limit (--max-pages, or max-pages in barrier-scan.toml)",
            )
        if n_pages == 0:
            raise ScanError("no_text", "PDF has no pages")
        pages: dict[int, list[_Line]] = {}
        heights: dict[int, float] = {}
        rights: dict[int, float] = {}
        tables: dict[int, list[_Table]] = {}
        no_text: list[int] = []  # pages with images or drawings but no text: need OCR
        blank: list[int] = []  # pages with nothing on them
        size_weights: Counter = Counter()
        damaged: list[int] = []  # pages PDFium cannot load (found by tests/test_fuzz.py)
        for i in range(n_pages):
            pno = i + 1
            try:
                page = pdf[i]
            except pdfium.PdfiumError:
                damaged.append(pno)
                continue
            try:
                width, height = page.get_size()
                try:
                    textpage = page.get_textpage()
                except pdfium.PdfiumError:
                    damaged.append(pno)
                    continue
                try:
                    text = textpage.get_text_range()
                    if len(text) - text.count(" ") - text.count("\r") - text.count("\n") <= 0 \
                            or not text.strip():
                        (no_text if _has_marks(page) else blank).append(pno)
                        continue
                    lines = _page_lines(textpage, text, pno, height)
                    page_tables = _find_tables(page, textpage, height)
                finally:
                    textpage.close()
            finally:
                page.close()
            for ti, tb in enumerate(page_tables):
                x0, top, x1, bottom = tb.bbox
                for ln in lines:
                    cy = (ln.top + ln.bottom) / 2
                    if x0 - 1 <= ln.x0 <= x1 + 1 and top - 1 <= cy <= bottom + 1:
                        ln.table = ti
            for ln in lines:
                if ln.table is None:
                    size_weights[round(ln.size * 2) / 2] += len(ln.text)
            pages[pno] = lines
            heights[pno] = height
            flow_right = [ln.x1 for ln in lines if ln.table is None]
            rights[pno] = max(flow_right) if flow_right else width
            tables[pno] = page_tables
        if not pages and no_text:
            also = f" ({len(blank)} blank)" if blank else ""
            raise ScanError(
                "no_text_layer",
                f"scanned PDF: no text layer on {len(no_text)} of {n_pages} pages{also}; "
                "run OCR first (e.g. ocrmypdf) and scan again",
            )
        if not pages and damaged:
            also = f"; the other {len(blank)} are blank" if blank else ""
            raise ScanError("corrupt_file", f"not a valid PDF: none of its {n_pages} page(s) can be read "
                            f"(damaged file{also}); re-export it as PDF and scan again")
        if not pages:  # every page blank: nothing to OCR either
            raise ScanError(
                "no_text", f"PDF is blank: {'its page has' if n_pages == 1 else f'all {n_pages} pages have'} "
                "no text and no images; check this is the right file")
    finally:
        pdf.close()

    body_size = size_weights.most_common(1)[0][0] if size_weights else 0.0
    dropped, kept = _strip_running(pages, heights)

    # Pass 1: paragraphs and tables per page, in reading order.
    items: list[tuple] = []  # ("para", pno, text, heading_level, lines, left) | ("table", pno, _Table)
    for pno in sorted(pages):
        page_tables = tables[pno]
        run: list[_Line] = []

        def flush() -> None:
            left = min((ln.x0 for ln in run), default=0.0)
            for para in _paragraphs(run, rights[pno]):
                text = _join_lines([ln.text for ln in para])
                if text:
                    items.append(("para", pno, text, _heading_level(text, para, body_size), para, left))
            run.clear()

        for ln in pages[pno]:
            if ln.drop:
                continue
            if ln.table is not None:
                flush()
                tb = page_tables[ln.table]
                if not tb.emitted:
                    tb.emitted = True
                    items.append(("table", pno, tb))
                continue
            run.append(ln)
        flush()
        for tb in page_tables:
            if not tb.emitted:
                tb.emitted = True
                items.append(("table", pno, tb))

    # A "heading" repeated 4+ times is a form banner or a label ("Guidance"), not a section.
    heading_counts = Counter(it[2] for it in items if it[0] == "para" and it[3] is not None)

    # Pass 2: blocks with sections.
    blocks: list[Block] = []
    sections = SectionTracker()
    n_tables = 0
    for it in items:
        if it[0] == "table":
            _, pno, tb = it
            for r, c, text in tb.cells:
                blocks.append(Block(text=text, kind="table_cell", page=pno, section=sections.path,
                                    table=(n_tables, r, c)))
            n_tables += 1
            continue
        _, pno, text, level, para, left = it
        if level is not None and heading_counts[text] < 4:
            sections.push(level, heading_label(text))
            blocks.append(Block(text=text, kind="heading", page=pno, section=sections.path, level=level))
        elif _is_list_start(text):
            body = norm_ws(_strip_bullet(text))
            if body:
                lvl = min(5, max(0, int((para[0].x0 - left) // 18)))  # 0-based depth
                blocks.append(Block(text=body, kind="list_item", page=pno, section=sections.path, level=lvl))
        else:
            blocks.append(Block(text=text, kind="paragraph", page=pno, section=sections.path))

    number_paragraphs(blocks)
    doc = Document(path=path, format="pdf", blocks=blocks, pages=n_pages)
    if no_text:
        shown = ", ".join(map(str, no_text[:20])) + (" …" if len(no_text) > 20 else "")
        doc.warnings.append(f"no text layer on page{'s' if len(no_text) > 1 else ''} {shown}: run OCR "
                            "(e.g. ocrmypdf) to scan them")
    if damaged:
        shown = ", ".join(map(str, damaged[:20])) + (" …" if len(damaged) > 20 else "")
        doc.warnings.append(f"page{'s' if len(damaged) > 1 else ''} {shown} could not be read (damaged) "
                            "and were skipped; re-export the PDF to include them")
    problems = structure_problems(path)
    if "eof" in problems:
        doc.warnings.append("PDF seems truncated (no end-of-file marker): pages may be missing; "
                            "download the file again")
    elif "xref" in problems:
        doc.warnings.append("PDF cross-reference table is damaged and was rebuilt while reading; "
                            "if text seems missing, re-save the PDF and scan again")
    doc.meta.update({"tables": n_tables, "running_lines_removed": dropped,
                     "running_lines_kept": kept, "blank_pages": len(blank),
                     "body_font_size": body_size})
    if not blocks:
        raise ScanError("no_text", "PDF has a text layer but no readable text after clean-up")
    return doc
