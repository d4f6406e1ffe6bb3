"""What the review page shows, worked out in plain data for the templates to lay out.

* the document's blocks in reading order (headings, paragraphs, list items, tables, page
  breaks), each block's text cut into segments at the edges of every finding's evidence span,
  so overlapping findings highlight in place without nesting marks;
* the findings grouped by severity (barriers high to low, then strengths) and category, each
  with its verdict;
* the score breakdown as chart rows, read generically from ``DocumentResult.breakdown``: a
  label, the points, the maximum when there is one, a ``why`` when there is one.

Everything here is data; escaping happens once, in the autoescaping templates.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import DocumentResult, Finding
from ..taxonomy import (BAND_TEXT, CATEGORY_WORDS, DIMENSION_LABELS, SENTENCE_CATEGORIES,
                        SEVERITIES, SEVERITY_WORDS)

GROUP_ORDER = ("high", "medium", "low", "info", "strength")
GROUP_WORDS = {**{s: SEVERITY_WORDS[s] for s in SEVERITIES}, "strength": "Strengths"}
GROUP_WORDS["info"] = "Notes"


def group_of(f: Finding) -> str:
    """The side-list group: the severity of a barrier, or 'strength'."""
    return "strength" if f.polarity == "strength" else f.severity


@dataclass
class Item:
    """One finding as the page shows it."""
    n: int  # its index in result.findings: the id of its highlight and list entry
    finding: Finding
    key: str
    group: str
    verdict: object = None  # verdicts.Verdict or None
    placed: bool = False  # highlighted in the text

    @property
    def category_words(self) -> str:
        """The category as people read it."""
        return CATEGORY_WORDS.get(self.finding.category, self.finding.category)


@dataclass
class Segment:
    """A run of block text and the findings (item numbers) covering it."""
    text: str
    items: list[int] = field(default_factory=list)
    cls: str = ""  # the colour class of the strongest finding covering it
    starts: list[int] = field(default_factory=list)  # items whose highlight begins here


@dataclass
class Piece:
    """One thing in the document column: a block, a table, or a page break."""
    kind: str  # heading | paragraph | list_item | table | page
    segments: list[Segment] = field(default_factory=list)
    level: int = 0
    page: int | None = None
    rows: list[list[list[Segment]]] = field(default_factory=list)  # tables: rows of cells


def _colour(items: list[Item]) -> str:
    barriers = [it for it in items if it.group != "strength"]
    if barriers:
        best = max(barriers, key=lambda it: SEVERITIES.index(it.finding.severity)
                   if it.finding.severity in SEVERITIES else 0)
        return f"hl-{best.group}"
    return "hl-strength"


def _span(block_text: str, f: Finding) -> tuple[int, int] | None:
    """Where ``f``'s evidence sits in its block: the recorded offsets when they still quote the
    same words, else the words found again (then the sentence), else nowhere."""
    ev = f.evidence
    if (ev.start is not None and ev.end is not None and 0 <= ev.start < ev.end <= len(block_text)
            and block_text[ev.start:ev.end] == ev.text):
        return ev.start, ev.end
    low = block_text.lower()
    for words in (ev.text, ev.sentence):
        if words:
            i = low.find(words.lower())
            if i >= 0:
                return i, i + len(words)
    return None


def _segments(text: str, spans: list[tuple[int, int, Item]]) -> list[Segment]:
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        covering = [it for s, e, it in spans if s <= a and b <= e]
        starts = [it.n for s, _, it in spans if s == a]
        out.append(Segment(text[a:b], [it.n for it in covering],
                           _colour(covering) if covering else "", starts))
    return out or [Segment(text)]


def _block_key(page, paragraph, table) -> tuple:
    return (page, paragraph, tuple(table) if table else None)


def _index(document) -> dict[tuple, int]:
    index: dict[tuple, int] = {}
    for i, b in enumerate(document.blocks):
        index.setdefault(_block_key(b.page, b.paragraph, b.table), i)
    return index


def locate(document, f: Finding, index: dict | None = None) -> tuple[int, int, int] | None:
    """(block index, start, end) of ``f``'s evidence in ``document``, or None when it cannot be
    highlighted (a finding about the whole document, or text no longer found)."""
    ev = f.evidence
    if document is None or (ev.page is None and ev.paragraph is None):
        return None
    bi = (index if index is not None else _index(document)).get(
        _block_key(ev.page, ev.paragraph, ev.table))
    if bi is None:
        return None
    got = _span(document.blocks[bi].text, f)
    return (bi, *got) if got else None


def layout(document, items: list[Item]) -> list[Piece]:
    """The document column: blocks in reading order with every placeable finding marked."""
    if document is None:
        return []
    blocks = document.blocks
    index = _index(document)
    spans: dict[int, list[tuple[int, int, Item]]] = {}
    for it in items:
        got = locate(document, it.finding, index)
        if got:
            bi, start, end = got
            spans.setdefault(bi, []).append((start, end, it))
            it.placed = True
    pieces: list[Piece] = []
    page = None
    table_piece: Piece | None = None
    table_id = None
    for i, b in enumerate(blocks):
        if b.page is not None and b.page != page:
            page = b.page
            pieces.append(Piece(kind="page", page=page))
            table_piece = None
        segs = _segments(b.text, spans.get(i, []))
        if b.kind == "table_cell" and b.table:
            t, r, c = b.table
            if table_piece is None or table_id != t:
                table_piece, table_id = Piece(kind="table"), t
                pieces.append(table_piece)
            while len(table_piece.rows) <= r:
                table_piece.rows.append([])
            row = table_piece.rows[r]
            while len(row) <= c:
                row.append([])
            row[c] = (row[c] + [Segment(" ")] if row[c] else []) + segs
            continue
        table_piece = None
        kind = b.kind if b.kind in ("heading", "list_item") else "paragraph"
        level = min(max(int(b.level or 1), 1), 4) if kind == "heading" else int(b.level or 0)
        pieces.append(Piece(kind=kind, segments=segs, level=level))
    return pieces


def items_for(result: DocumentResult, verdicts: dict) -> list[Item]:
    """Every finding of ``result`` with its key, group and verdict."""
    out = []
    for n, f in enumerate(result.findings):
        k = f.key()
        out.append(Item(n=n, finding=f, key=k, group=group_of(f), verdict=verdicts.get(k)))
    return out


def grouped(items: list[Item]) -> list[tuple[str, str, list[tuple[str, str, list[Item]]]]]:
    """Items by group (high, medium, low, notes, strengths) then category, in reading order."""
    out = []
    for g in GROUP_ORDER:
        mine = [it for it in items if it.group == g]
        if not mine:
            continue
        cats: dict[str, list[Item]] = {}
        for it in mine:
            cats.setdefault(it.finding.category, []).append(it)
        out.append((g, GROUP_WORDS[g], [(c, CATEGORY_WORDS.get(c, c), its)
                                        for c, its in cats.items()]))
    return out


def categories(items: list[Item]) -> list[tuple[str, str]]:
    """The categories present, in taxonomy order, with their words (the filter chips)."""
    present = {it.finding.category for it in items}
    return [(c, w) for c, w in CATEGORY_WORDS.items() if c in present] + \
        [(c, c) for c in sorted(present - set(CATEGORY_WORDS))]


@dataclass
class Bar:
    """One row of the breakdown chart."""
    label: str
    points: float | None
    max: float | None
    why: str
    x: float  # bar start, 0-100 (percent of the track)
    width: float  # 0-100
    positive: bool


def chart(breakdown) -> list[Bar]:
    """Chart rows for whatever breakdown the score gives (see the module docstring).

    With a maximum, a bar fills points/max of its track. Without one (points that add to or
    take from a base), bars go left or right of a centre line, scaled to the largest.
    """
    rows = []
    entries = breakdown.items() if isinstance(breakdown, dict) else enumerate(breakdown or [])
    for key, e in entries:
        if not isinstance(e, dict):
            e = {"points": e}
        pts = e.get("points", e.get("score"))
        pts = float(pts) if isinstance(pts, (int, float)) and not isinstance(pts, bool) else None
        mx = e.get("max")
        mx = float(mx) if isinstance(mx, (int, float)) and not isinstance(mx, bool) and mx > 0 else None
        label = e.get("label") or DIMENSION_LABELS.get(str(key)) or str(key).replace("_", " ")
        rows.append([str(label), pts, mx, str(e.get("why") or "")])
    scale = max((abs(p) for _, p, m, _ in rows if p is not None and m is None), default=0) or 1.0
    bars = []
    for label, pts, mx, why in rows:
        if pts is None:
            bars.append(Bar(label, None, mx, why, 0, 0, True))
        elif mx is not None:
            bars.append(Bar(label, pts, mx, why, 0, max(0.0, min(100.0, 100 * pts / mx)), True))
        else:
            w = 50 * min(1.0, abs(pts) / scale)
            bars.append(Bar(label, pts, None, why, 50 if pts >= 0 else 50 - w, w, pts >= 0))
    return bars


def band_text(band: str | None) -> str:
    """The sentence explaining a band."""
    return BAND_TEXT.get(band or "", "")


LABEL_CHOICES = [(c, CATEGORY_WORDS[c]) for c in SENTENCE_CATEGORIES]
