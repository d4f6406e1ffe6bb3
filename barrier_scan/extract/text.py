"""Plain text and Markdown extraction.

Paragraphs are split on blank lines; within a paragraph, lines are joined with hyphen repair.
Markdown ATX headings (``#`` .. ``######``) and setext underlines (``===``/``---``) set the
section path; list lines ("- ", "* ", "+ ", "1. ", "1) ") become ``kind="list_item"`` with
``level`` = indentation // 2 (0-based). ``paragraph`` is the 1-based block index.

Decoding: UTF-8 (BOM stripped); UTF-16 with a BOM; otherwise cp1252 with a warning. NUL bytes
or mostly non-text bytes mean this is not a text file (``corrupt_file``).
"""
from __future__ import annotations

import re

from ..document import Block, Document
from ..errors import ScanError
from ._common import SectionTracker, heading_label, join_hyphenated, norm_ws, number_paragraphs

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_LIST = re.compile(r"^(\s*)(?:[-*+\u2022]|\d{1,3}[.)]|[a-zA-Z][.)])\s+(\S.*)$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HR = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def decode_text(data: bytes, what: str = "text file") -> tuple[str, list[str]]:
    """Bytes as text: BOMs honoured, UTF-8 first, then cp1252."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError:
            raise ScanError("corrupt_file", f"not a valid {what}: broken UTF-16 text") from None
    if b"\x00" in data[:65536]:
        raise ScanError("corrupt_file",
                        f"not a valid {what}: it contains NUL bytes (binary data); check the file type")
    sample = data[:65536]
    if sample:
        bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
        if bad / len(sample) > 0.05:
            raise ScanError("unsupported_type",
                            f"not a {what}: mostly binary data; barrier-scan reads PDF, DOCX, HTML, TXT and MD")
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        warnings.append("file is not valid UTF-8; decoded as Windows-1252 (cp1252): check for odd characters")
        return data.decode("cp1252", errors="replace"), warnings


def blocks_from_text(text: str, markdown: bool = True) -> list[Block]:
    """Paragraph, heading and list blocks of plain text or Markdown."""
    blocks: list[Block] = []
    sections = SectionTracker()
    para: list[str] = []
    list_item: tuple[int, list[str]] | None = None
    in_fence = False

    def flush_para() -> None:
        nonlocal para
        if para:
            joined = ""
            for ln in para:
                joined = join_hyphenated(joined, ln.strip()) if joined else ln.strip()
            t = norm_ws(joined)
            if t:
                blocks.append(Block(text=t, kind="paragraph", section=sections.path))
        para = []

    def flush_item() -> None:
        nonlocal list_item
        if list_item:
            level, lines = list_item
            joined = ""
            for ln in lines:
                joined = join_hyphenated(joined, ln.strip()) if joined else ln.strip()
            t = norm_ws(joined)
            if t:
                blocks.append(Block(text=t, kind="list_item", section=sections.path, level=level))
        list_item = None

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if markdown and _FENCE.match(line):
            flush_item()
            flush_para()
            in_fence = not in_fence
            continue
        if in_fence:
            para.append(line)
            continue
        if not line.strip():
            flush_item()
            flush_para()
            continue
        if markdown:
            m = _ATX.match(line)
            if m:
                flush_item()
                flush_para()
                htext = norm_ws(m.group(2))
                if htext:
                    level = len(m.group(1))
                    sections.push(level, heading_label(htext))
                    blocks.append(Block(text=htext, kind="heading", section=sections.path, level=level))
                continue
            if _SETEXT.match(line) and para and list_item is None and len(para) == 1:
                htext = norm_ws(para[0])
                para = []
                level = 1 if line.strip().startswith("=") else 2
                sections.push(level, heading_label(htext))
                blocks.append(Block(text=htext, kind="heading", section=sections.path, level=level))
                continue
            if _HR.match(line):
                flush_item()
                flush_para()
                continue
        m = _LIST.match(line)
        if m:
            flush_item()
            flush_para()
            indent = len(m.group(1).expandtabs(4))
            list_item = (indent // 2, [m.group(2)])
            continue
        if list_item is not None:
            list_item[1].append(line)
            continue
        para.append(line)
    flush_item()
    flush_para()
    return number_paragraphs(blocks)


def extract_text_file(path: str, data: bytes, fmt: str) -> Document:
    """A Document from a .txt or .md file's bytes."""
    text, warnings = decode_text(data)
    # Markdown syntax is honoured in .txt too: "# Title" lines are rare in plain text and when
    # present they are meant as headings.
    blocks = blocks_from_text(text, markdown=True)
    if not blocks:
        raise ScanError("no_text", "file has no readable text (only whitespace)")
    return Document(path=path, format=fmt, blocks=blocks, warnings=warnings)
