"""The document model: Document -> Block -> Sentence.

Extractors build blocks with provenance; the segmenter fills in sentences whose character
offsets point back into their block's text, so every finding can quote exactly what it saw.
"""
from __future__ import annotations

from dataclasses import dataclass, field


def format_location(page: int | None, paragraph: int | None, table=None, empty: str = "-") -> str:
    """'p. 3, ¶ 12' style location shared by blocks, evidence and every report."""
    parts = []
    if page is not None:
        parts.append(f"p. {page}")
    if paragraph is not None:
        parts.append(f"¶ {paragraph}")
    if table is not None:
        t, r, c = table
        parts.append(f"table {t + 1} row {r + 1} col {c + 1}")
    return ", ".join(parts) or empty


@dataclass
class Block:
    """A paragraph-sized piece of text with where it came from."""

    text: str
    kind: str = "paragraph"  # paragraph | heading | list_item | table_cell
    page: int | None = None  # 1-based page number (PDF)
    paragraph: int | None = None  # 1-based paragraph index in reading order (DOCX, text, PDF)
    section: str | None = None  # heading path, e.g. "3 Requirements > 3.2 Finance"
    table: tuple[int, int, int] | None = None  # (table index, row, column), 0-based
    level: int | None = None  # heading level or list depth

    def location(self) -> str:
        """Short human location, e.g. 'p. 3, ¶ 12, table 1 row 2 col 1'."""
        return format_location(self.page, self.paragraph, self.table, empty="-")


@dataclass
class Sentence:
    """A sentence inside one block; ``start``/``end`` are offsets into ``block.text``."""

    text: str
    block_index: int
    start: int
    end: int


@dataclass
class Document:
    """One extracted file: its blocks in reading order, and the sentences segmentation finds."""
    path: str
    format: str  # pdf | docx | html | txt | md | text
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    sentences: list[Sentence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The whole text, blocks separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks)

    def table_rows(self) -> list[list[int]]:
        """The block indices of each table row's cells, rows in reading order."""
        rows: dict[tuple[int, int], list[int]] = {}
        for b, block in enumerate(self.blocks):
            if block.table is not None:
                rows.setdefault((block.table[0], block.table[1]), []).append(b)
        return list(rows.values())
