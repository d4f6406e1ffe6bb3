"""Table rows read as one line, so a rule sees a label and its value together.

Tenders put their tests in label/value tables: "Public liability | £10,000,000", "Minimum
annual turnover | £2,000,000". Read cell by cell, the label cell has no amount and the amount
cell has no words, so "public liability of £10 million or more" never matches and the turnover
check cannot read the figure. Here each row of short cells is joined into one line ("Public
liability: £10,000,000"), the rules are run on those lines, and what they find is mapped back
to the cell the match sits in: the quote is still only the document's own words (the value
cell), and the other cells of the row go in ``related``. Only quantity rules are read this way:
they are the ones that need a label and a figure together.

A row finding replaces a finding of the same rule on a cell of that row (it read more: the
turnover check now has its amount); a rule that fired on a cell but not on the whole row keeps
its cell finding. Rows with a long cell are left alone: a long cell is a sentence in its own
right and mixing it with its neighbours would blur what it says.
"""
from __future__ import annotations

import re

from ..document import Block, Document
from ..findings import Evidence, Finding
from ..segment import segment
from .rules.engine import evidence_at
from .rules.spans import quote_span

ROW_CELL_WORDS = 20  # every cell of a row read as one line is at most this long
ROW_JOIN = ": "
_WORD = re.compile(r"\S+")


def row_lines(document: Document) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """Each table row of two or more non-empty short cells, as ``(line, cells)`` where
    ``cells`` lists ``(block index, start, end)`` of each cell's text inside ``line``."""
    out = []
    for row in document.table_rows():
        blocks = [b for b in row if document.blocks[b].text.strip()]
        if len(blocks) < 2 or any(len(_WORD.findall(document.blocks[b].text)) > ROW_CELL_WORDS
                                  for b in blocks):
            continue
        parts, cells, pos = [], [], 0
        for b in blocks:
            text = document.blocks[b].text
            cells.append((b, pos, pos + len(text)))
            parts.append(text)
            pos += len(text) + len(ROW_JOIN)
        out.append((ROW_JOIN.join(parts), cells))
    return out


def row_findings(engine, document: Document, facts, findings: list[Finding]) -> list[Finding]:
    """``findings`` with ``engine``'s findings on whole table rows added (see the module doc);
    ``engine`` holds the quantity rules (``detector.quantity_engine``)."""
    rows = row_lines(document)
    if not rows:
        return findings
    lines = [line for line, _ in rows]
    mini = Document(path=document.path, format=document.format,
                    blocks=[Block(text=line, paragraph=i + 1) for i, line in enumerate(lines)])
    docs = segment(mini, keep_docs=True)
    found = engine.detect(mini, docs, facts, absence=False)
    block_sentences: dict[int, list[int]] = {}
    for si, s in enumerate(document.sentences):
        block_sentences.setdefault(s.block_index, []).append(si)
    replaced: set[tuple[str, int]] = set()  # (code, block) of cell findings a row finding replaces
    added: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for f in found:
        if f.data.get("sentence_index") is None:
            continue
        row = mini.sentences[f.data["sentence_index"]].block_index
        cells = rows[row][1]
        mapped = _map(document, block_sentences, cells, f.evidence.start, f.evidence.end)
        if mapped is None:
            continue
        si, ev = mapped
        row_blocks = {b for b, _, _ in cells}
        same = [g for g in findings if g.code == f.code and g.data.get("sentence_index") is not None
                and document.sentences[g.data["sentence_index"]].block_index in row_blocks]
        if same and not _reads_more(f, same):
            continue  # the cell alone said as much
        if (f.code, row) in seen:
            continue
        seen.add((f.code, row))
        replaced.update((g.code, document.sentences[g.data["sentence_index"]].block_index)
                        for g in same)
        f.evidence = ev
        f.related = [_cell_evidence(document, b) for b, _, _ in cells
                     if b != document.sentences[si].block_index]
        f.data["sentence_index"] = si
        f.data["context"] = "table row"
        added.append(f)
    kept = [g for g in findings if g.data.get("sentence_index") is None or
            (g.code, document.sentences[g.data["sentence_index"]].block_index) not in replaced]
    return kept + added


def _reads_more(row_finding: Finding, cell_findings: list[Finding]) -> bool:
    """Whether the row reading adds to the cells' own: a quantity it could read, or a different
    conclusion (severity) once label and value are seen together."""
    return any(g.severity != row_finding.severity or g.detail != row_finding.detail
               for g in cell_findings)


def _map(document: Document, block_sentences: dict, cells, start: int, end: int):
    """The document sentence and evidence for characters ``start:end`` of a row line: the cell
    where the match starts, cut to that cell, widened to whole words."""
    for b, cs, ce in cells:
        if cs <= start < ce or (start >= ce and b == cells[-1][0]):
            s, e = max(start, cs) - cs, min(end, ce) - cs
            for si in block_sentences.get(b, []):
                sent = document.sentences[si]
                if sent.start <= s < sent.end or (s >= sent.end and si == block_sentences[b][-1]):
                    ls = max(0, s - sent.start)
                    le = max(ls + 1, min(len(sent.text), e - sent.start))
                    return si, evidence_at(document, si, *quote_span(sent.text, (ls, le)))
            return None
    return None


def _cell_evidence(document: Document, b: int) -> Evidence:
    block = document.blocks[b]
    return Evidence(text=block.text, page=block.page, paragraph=block.paragraph, start=0,
                    end=len(block.text), section=block.section, sentence=block.text,
                    table=list(block.table) if block.table else None)
