"""HTML extraction with the standard library's ``html.parser`` (no network, no DTDs).

Only standard HTML character references are expanded (``convert_charrefs``); nothing is
fetched. Content of script/style/nav/header/footer/noscript/template/svg/head/aside/form
``select`` is skipped. h1-h6 set the section path; p/li/td/th/dt/dd/blockquote/pre/caption/
figcaption (and loose text in div/section/body) become blocks; table cells become
``kind="table_cell"`` with ``table=(t, row, col)`` (``colspan`` aware). ``paragraph`` is the
1-based block index.
"""
from __future__ import annotations

from html.parser import HTMLParser

from ..document import Block, Document
from ..errors import ScanError
from ._common import SectionTracker, heading_label, norm_ws, number_paragraphs
from .text import decode_text

_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "head",
         "select", "button", "iframe", "object", "math"}
_BLOCKS = {"p", "li", "td", "th", "dt", "dd", "blockquote", "pre", "caption", "figcaption",
           "div", "section", "article", "main", "body", "form", "fieldset", "legend", "address",
           "summary", "details", "ul", "ol", "dl", "table", "tr", "label"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.sections = SectionTracker()
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.buf: list[str] = []
        self.kind = "paragraph"
        self.heading_level: int | None = None
        self.list_depth = 0
        self.tables: list[dict] = []  # stack: {"index", "row", "col"}
        self.n_tables = 0
        self.cell: tuple[int, int, int] | None = None
        self.cell_stack: list = []

    # -- helpers
    def flush(self) -> None:
        text = norm_ws("".join(self.buf))
        self.buf = []
        if not text:
            return
        if self.heading_level is not None:
            self.sections.push(self.heading_level, heading_label(text))
            self.blocks.append(Block(text=text, kind="heading", section=self.sections.path,
                                     level=self.heading_level))
        elif self.cell is not None:
            self.blocks.append(Block(text=text, kind="table_cell", section=self.sections.path,
                                     table=self.cell))
        elif self.kind == "list_item":
            self.blocks.append(Block(text=text, kind="list_item", section=self.sections.path,
                                     level=max(0, self.list_depth - 1)))
        else:
            self.blocks.append(Block(text=text, kind="paragraph", section=self.sections.path))

    def handle_starttag(self, tag, attrs):
        if self.skip_depth:
            if tag in _SKIP:
                self.skip_depth += 1
            return
        if tag in _SKIP:
            self.flush()
            self.skip_depth = 1
            return
        if tag == "br":
            self.buf.append(" ")
            return
        if tag in _HEADINGS:
            self.flush()
            self.heading_level = _HEADINGS[tag]
            return
        if tag in _BLOCKS:
            self.flush()
        if tag in ("ul", "ol"):
            self.list_depth += 1
        elif tag == "li":
            self.kind = "list_item"
        elif tag == "table":
            self.cell_stack.append(self.cell)
            self.cell = None
            self.tables.append({"index": self.n_tables, "row": -1, "col": 0})
            self.n_tables += 1
        elif tag == "tr" and self.tables:
            self.tables[-1]["row"] += 1
            self.tables[-1]["col"] = 0
        elif tag in ("td", "th") and self.tables:
            t = self.tables[-1]
            row = max(t["row"], 0)
            self.cell = (t["index"], row, t["col"])
            span = dict(attrs).get("colspan") or "1"
            t["col"] += int(span) if span.isdigit() and 0 < int(span) < 1000 else 1

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag in _SKIP:
                self.skip_depth -= 1
            return
        if tag in _HEADINGS:
            self.flush()
            self.heading_level = None
            return
        if tag in _BLOCKS:
            self.flush()
        if tag in ("ul", "ol"):
            self.list_depth = max(0, self.list_depth - 1)
            self.kind = "list_item" if self.list_depth else "paragraph"
        elif tag == "li":
            self.kind = "paragraph"
        elif tag in ("td", "th"):
            self.cell = None
        elif tag == "table" and self.tables:
            self.tables.pop()
            self.cell = self.cell_stack.pop() if self.cell_stack else None

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and not self.skip_depth:
            self.buf.append(" ")

    def handle_data(self, data):
        if not self.skip_depth:
            self.buf.append(data)


def blocks_from_html(text: str) -> list[Block]:
    """Blocks of an HTML page's readable content (navigation, scripts and hidden parts dropped)."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    parser.flush()
    return number_paragraphs(parser.blocks)


def extract_html(path: str, data: bytes) -> Document:
    """A Document from HTML bytes."""
    text, warnings = decode_text(data, what="HTML")
    blocks = blocks_from_html(text)
    if not blocks:
        raise ScanError("no_text", "HTML page has no readable text outside scripts/navigation")
    return Document(path=path, format="html", blocks=blocks, warnings=warnings)
