"""DOCX extraction with python-docx, in body order, with safety checks before parsing.

Paragraph index (``Block.paragraph``) -- the exact definition, shared with the Word-comment
annotator: number every ``w:p`` element that is a descendant of ``w:body`` of
``word/document.xml`` in document (pre-)order, starting at 1 -- i.e. ``body.iter(w:p)``. This
counts empty paragraphs, paragraphs inside table cells (and nested tables), inside content
controls (``w:sdt``) and inside text boxes (a text-box paragraph is numbered right after the
paragraph whose run holds the text box). Headers, footers, footnotes and comments are not in
the body and are never counted. :func:`iter_body_paragraphs` yields python-docx ``Paragraph``
objects in exactly this order, so ``list(iter_body_paragraphs(doc))[block.paragraph - 1]`` is
the paragraph a block came from.

Blocks: one block per non-empty paragraph. Headings (style "Heading N"/"Title", a style based
on one, or an explicit ``w:outlineLvl``) become ``kind="heading"`` and set the section path
"Heading 1 text > Heading 2 text" -- unless the paragraph reads as a clause rather than a title
(``_common.reads_as_prose``): drafters put numbered clauses in heading styles, and such a clause
is body text that is checked like any other. Paragraphs with numbering (``w:numPr`` on the paragraph or
its style) or a "List ..." style become ``kind="list_item"`` with ``level`` = ``w:ilvl``
(0-based). Each non-empty paragraph in a table cell becomes ``kind="table_cell"`` with
``table=(t, row, col)``: ``t`` counts tables (including nested ones) in document order, ``col``
is the grid column (``w:gridSpan`` aware); cells continuing a vertical merge (``w:vMerge``
without ``restart``) and old-style ``w:hMerge`` continuations are skipped, so merged cells are
not repeated.

Safety (before python-docx sees the file): the zip's total uncompressed size must be at most
the configured ``max-docx-mb`` and no member may expand more than ``_MAX_RATIO`` times
(zip bomb) -> ``unsafe_content``; any XML part containing ``<!DOCTYPE`` or ``<!ENTITY`` ->
``unsafe_content``; a damaged zip -> ``corrupt_file``.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from typing import Iterator

from ..document import Block, Document
from ..errors import ScanError
from ._common import SectionTracker, heading_label, norm_ws, reads_as_prose

_MAX_RATIO = 200  # compressed -> uncompressed expansion allowed for one member (>1 MB)
_DTD_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_R, _MOVE_FROM, _DEL, _ALT_CHUNK = W + "r", W + "moveFrom", W + "del", W + "altChunk"
_MAX_CHUNK_DEPTH = 2  # an embedded DOCX may itself embed parts, this deep and no deeper
_P, _TBL, _TR, _TC, _SDT, _SDTCONTENT, _CUSTOMXML = (
    W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent", W + "customXml")
_T, _TAB, _BR, _CR, _NBH, _TXBX = W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "txbxContent"
_VAL = W + "val"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def check_docx_safety(path, max_uncompressed: int) -> int:
    """Open the zip ourselves and refuse bombs and DTDs (ScanError); return the total size its
    parts expand to."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > max_uncompressed:
                raise ScanError(
                    "unsafe_content",
                    f"DOCX expands to {total / 2**20:.0f} MB, over the limit of "
                    f"{max_uncompressed / 2**20:.0f} MB (possible zip bomb); refused for safety "
                    "(if the file is genuine, raise --max-docx-mb or max-docx-mb in barrier-scan.toml)",
                )
            for info in infos:
                if info.file_size > 2**20 and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
                    raise ScanError(
                        "unsafe_content",
                        f"DOCX part {info.filename} has an absurd compression ratio "
                        f"({info.file_size // max(info.compress_size, 1)}:1, possible zip bomb); refused for safety: "
                        "ask for a PDF copy",
                    )
            for info in infos:
                name = info.filename.lower()
                is_xml = name.endswith(".xml") or name.endswith(".rels")
                data = _inflate_checked(zf, info, keep=is_xml)
                if not is_xml:
                    continue
                if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    data = data.decode("utf-16", "replace").encode("utf-8", "replace")
                elif b"\0" in data[:4]:  # UTF-16/32 without a byte order mark
                    data = data.replace(b"\0", b"")
                if _DTD_RE.search(data):
                    raise ScanError("unsafe_content",
                                    f"DOCX part {info.filename} contains an XML DOCTYPE/entity "
                                    "declaration (can read local files); refused for safety: open it "
                                    "in Word, save as a new .docx and scan that")
            return total
    except zipfile.BadZipFile as exc:
        raise ScanError("corrupt_file", f"not a valid DOCX: damaged zip archive ({exc}); re-save it from Word") from None
    except PermissionError:
        raise
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, ValueError, zlib.error,
            struct.error, OSError, KeyError) as exc:
        # Damaged central directory / compressed data (found by tests/test_fuzz.py).
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ScanError("corrupt_file", f"not a valid DOCX: damaged zip archive ({detail}); "
                        "re-save it from Word") from None


_CHUNK = 1 << 20


def _inflate_checked(zf: zipfile.ZipFile, info: zipfile.ZipInfo, keep: bool) -> bytes:
    """Inflate one member ourselves in bounded chunks and check it really is ``info.file_size``.

    The sizes in zip headers are written by whoever made the file. ``zipfile.read()`` decompresses
    a whole member in one call however large it really is (and stops at the declared size only
    afterwards), so a header that understates a member's size is a zip bomb that size limits based
    on the headers cannot see -- and python-docx uses ``zipfile.read()``. We never produce more
    than the declared size plus one chunk: a member that inflates past its declared size is
    refused before anything else reads it. Returns the data when ``keep`` (else b"").
    """
    if info.compress_type == zipfile.ZIP_STORED:
        with zf.open(info) as fh:
            return fh.read() if keep else b""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ScanError("corrupt_file", f"not a valid DOCX: part {info.filename} uses a compression "
                        "method Word never writes; re-save it from Word")
    fp = zf.fp
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    inflater = zlib.decompressobj(-15)
    out = []
    produced = 0
    limit = info.file_size
    pending = b""
    while True:
        if not inflater.unconsumed_tail:
            if left <= 0:
                break
            pending = fp.read(min(_CHUNK, left))
            if not pending:
                break
            left -= len(pending)
        else:
            pending = inflater.unconsumed_tail
        piece = inflater.decompress(pending, _CHUNK)
        produced += len(piece)
        if produced > limit:
            raise ScanError(
                "unsafe_content",
                f"DOCX part {info.filename} expands beyond the {limit:,} bytes its zip header declares "
                "(a tampered archive, possible zip bomb); refused for safety")
        if keep:
            out.append(piece)
        if inflater.eof:
            break
    if produced != limit:
        raise zipfile.BadZipFile(f"part {info.filename} is shorter than its zip header says")
    return b"".join(out)


def iter_body_paragraphs(docx_document) -> Iterator:
    """Yield python-docx ``Paragraph`` objects for every ``w:p`` in the body, in document order.

    ``Block.paragraph`` (1-based) indexes this sequence. ``docx_document`` is a
    ``docx.Document(...)`` result.
    """
    from docx.text.paragraph import Paragraph

    body = docx_document.element.body
    parent = docx_document._body  # noqa: SLF001 - the BlockItemContainer python-docx uses
    for p in body.iter(_P):
        yield Paragraph(p, parent)


def _off(el) -> bool:
    """A toggle property (``<w:vanish/>``) switched off by ``w:val``."""
    return (el.get(_VAL) or "true").lower() in ("0", "false", "off")


def _para_text(p, styles: "_StyleInfo | None" = None, skipped: dict | None = None) -> str:
    """The visible, final text of paragraph ``p`` (its own runs, not those of text boxes inside
    it). Like a tracked deletion, text moved away (``w:moveFrom``: it is read where it was moved
    to) and hidden text (``w:vanish``, directly or through the run's or paragraph's style) is
    not part of it; ``skipped`` counts the runs left out ("moved", "hidden")."""
    ppr_style = p.find(f"{W}pPr/{W}pStyle")
    para_hidden = styles.vanish(ppr_style.get(_VAL)) if (styles and ppr_style is not None) else None
    hidden_runs: dict = {}
    parts = []
    for el in p.iter(_T, _TAB, _BR, _CR, _NBH):
        run = None
        moved = False
        anc = el.getparent()
        while anc is not None and anc.tag != _P:
            if anc.tag == _R and run is None:
                run = anc
            elif anc.tag in (_MOVE_FROM, _DEL):
                moved = True
            anc = anc.getparent()
        if anc is not p:  # a text-box paragraph nested in this one: read on its own
            continue
        if run is not None and run not in hidden_runs:
            hidden_runs[run] = "moved" if moved else (
                "hidden" if _run_hidden(run, styles, para_hidden) else "")
            if skipped is not None and hidden_runs[run]:
                skipped[hidden_runs[run]] = skipped.get(hidden_runs[run], 0) + 1
        if moved or (run is not None and hidden_runs[run]):
            continue
        tag = el.tag
        if tag == _T:
            parts.append(el.text or "")
        elif tag == _NBH:
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts)


def _run_hidden(run, styles: "_StyleInfo | None", para_hidden: bool | None) -> bool:
    rpr = run.find(W + "rPr")
    if rpr is not None:
        v = rpr.find(W + "vanish")
        if v is not None:
            return not _off(v)
        rs = rpr.find(W + "rStyle")
        if rs is not None and styles is not None:
            h = styles.vanish(rs.get(_VAL))
            if h is not None:
                return h
    return bool(para_hidden)


class _StyleInfo:
    """Heading level / list-ness of paragraph styles and hidden text of styles, cached by id."""

    def __init__(self, doc) -> None:
        self._doc = doc
        self._cache: dict[str, tuple[int | None, bool, bool]] = {}
        self._vanish: dict[str, bool | None] = {}
        try:
            self._styles = {s.style_id: s for s in doc.styles}
        except Exception:  # noqa: BLE001 - broken styles part: treat as no styles
            self._styles = {}

    def vanish(self, style_id: str | None) -> bool | None:
        """Whether a style (or one it is based on) hides its text; None when none says."""
        if not style_id:
            return None
        if style_id not in self._vanish:
            found, style, depth = None, self._styles.get(style_id), 0
            while style is not None and depth < 5 and found is None:
                v = style.element.find(f"{W}rPr/{W}vanish")
                if v is not None:
                    found = not _off(v)
                try:
                    style = style.base_style
                except Exception:  # noqa: BLE001 - a broken style chain: stop there
                    style = None
                depth += 1
            self._vanish[style_id] = found
        return self._vanish[style_id]

    def info(self, style_id: str | None) -> tuple[int | None, bool, bool]:
        """(heading level, is list style, style has numbering)"""
        if not style_id:
            style_id = ""
        if style_id in self._cache:
            return self._cache[style_id]
        level, is_list, has_num = None, False, False
        style = self._styles.get(style_id)
        if style is None and not style_id:
            try:
                style = self._doc.styles.default(1)  # WD_STYLE_TYPE.PARAGRAPH
            except Exception:  # noqa: BLE001
                style = None
        depth = 0
        while style is not None and depth < 5:
            name = (style.name or "").strip()
            m = _HEADING_STYLE.match(name)
            el = style.element
            if level is None:
                if m:
                    level = int(m.group(1))
                elif name.lower() == "title":
                    level = 1
                else:
                    ol = el.find(f"{W}pPr/{W}outlineLvl")
                    if ol is not None and (ol.get(_VAL) or "").isdigit() and int(ol.get(_VAL)) < 9:
                        level = int(ol.get(_VAL)) + 1
            if name.lower().startswith("list") and "table" not in name.lower():
                is_list = True
            if el.find(f"{W}pPr/{W}numPr") is not None:
                has_num = True
            try:
                style = style.base_style
            except Exception:  # noqa: BLE001
                style = None
            depth += 1
        self._cache[style_id] = (level, is_list, has_num)
        return self._cache[style_id]


def extract_docx(path: str, max_uncompressed: int, *, data: bytes | None = None,
                 depth: int = 0) -> Document:
    """Body paragraphs, headings and tables of a DOCX in reading order (zip bombs and XML
    entities refused), with the parts Word would merge in (``w:altChunk``: embedded HTML, text
    or DOCX) read in place. ``data``: the file's bytes instead of ``path`` (an embedded DOCX)."""
    source = io.BytesIO(data) if data is not None else path
    expanded = check_docx_safety(source, max_uncompressed)
    import docx  # python-docx

    from lxml import etree

    if data is not None:
        source.seek(0)
    _keep_alt_chunks_raw()
    try:
        d = docx.Document(source)
    except KeyError as exc:
        raise ScanError("corrupt_file", f"not a valid DOCX: missing part {exc}; re-save it from Word") from None
    except etree.XMLSyntaxError as exc:
        detail = str(exc).splitlines()[0][:120]
        raise ScanError("corrupt_file", f"not a valid DOCX: damaged XML inside ({detail}); open it in Word "
                        "(it may offer to repair it), save and scan again") from None
    except ValueError as exc:
        if "is not a Word file" in str(exc):
            raise ScanError("unsupported_type", "Word macro-enabled document or template (.docm/.dotx/"
                            ".dotm): save it as a .docx document and scan again") from None
        raise ScanError("corrupt_file", "not a valid DOCX: its internal structure is damaged "
                        f"({str(exc)[:100]}); re-save it from Word") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise ScanError("corrupt_file", "not a valid DOCX: damaged zip archive (a part cannot be "
                        "decompressed); re-save it from Word") from None
    except (AttributeError, TypeError, IndexError):
        # python-docx on parts whose root element is not the expected one (tests/test_fuzz.py)
        raise ScanError("corrupt_file", "not a valid DOCX: its internal structure is damaged (a part "
                        "does not hold what its name says); re-save it from Word") from None
    body = getattr(d.element, "body", None)
    if body is None or d.element.tag != W + "document":
        raise ScanError("corrupt_file", "not a valid DOCX: word/document.xml is not a Word document body; "
                        "re-save it from Word")
    index = {p: i for i, p in enumerate(body.iter(_P), 1)}
    styles = _StyleInfo(d)
    sections = SectionTracker()
    blocks: list[Block] = []
    warnings: list[str] = []
    skipped: dict[str, int] = {}
    not_read: list[str] = []
    budget = [max_uncompressed - expanded]  # what embedded parts may expand to, all together
    n_tables = 0

    def alt_chunk(el, table=None) -> None:
        """Content Word merges in when it opens the file (an HTML page, text or a whole DOCX
        pasted as a part): read like the body, or named in a warning when it cannot be."""
        nonlocal n_tables
        got = _alt_chunk_blocks(d, el.get(_R_ID), budget, depth)
        if isinstance(got, str):
            not_read.append(got)
            return
        chunk_blocks, chunk_tables, chunk_warnings = got
        outer = sections.path
        for b in chunk_blocks:
            b.paragraph = None  # not a paragraph of this file's body: located by section
            b.section = " > ".join(x for x in (outer, b.section) if x) or None
            if b.table is not None:
                b.table = (b.table[0] + n_tables, b.table[1], b.table[2])
            elif table is not None:
                b.kind, b.table = "table_cell", table
            blocks.append(b)
        n_tables += chunk_tables
        warnings.extend(chunk_warnings)

    def paragraph(p, table=None) -> None:
        text = norm_ws(_para_text(p, styles, skipped))
        if text:
            ppr = p.find(W + "pPr")
            style_id = None
            num_pr = outline = None
            if ppr is not None:
                ps = ppr.find(W + "pStyle")
                style_id = ps.get(_VAL) if ps is not None else None
                num_pr = ppr.find(W + "numPr")
                outline = ppr.find(W + "outlineLvl")
            level, is_list_style, style_num = styles.info(style_id)
            if outline is not None and (outline.get(_VAL) or "").isdigit() and int(outline.get(_VAL)) < 9:
                level = int(outline.get(_VAL)) + 1
            num_id = None
            ilvl = 0
            if num_pr is not None:
                ni = num_pr.find(W + "numId")
                num_id = ni.get(_VAL) if ni is not None else None
                il = num_pr.find(W + "ilvl")
                if il is not None and (il.get(_VAL) or "").isdigit():
                    ilvl = int(il.get(_VAL))
            numbered = (num_pr is not None and num_id not in (None, "0")) or (num_pr is None and style_num)
            para_no = index.get(p)
            if table is not None:
                blocks.append(Block(text=text, kind="table_cell", paragraph=para_no,
                                    section=sections.path, table=table))
            elif level is not None and len(text) <= 200 and not reads_as_prose(text):
                sections.push(level, heading_label(text))
                blocks.append(Block(text=text, kind="heading", paragraph=para_no,
                                    section=sections.path, level=level))
            elif numbered or is_list_style:
                blocks.append(Block(text=text, kind="list_item", paragraph=para_no,
                                    section=sections.path, level=ilvl))
            else:
                blocks.append(Block(text=text, kind="paragraph", paragraph=para_no,
                                    section=sections.path))
        # Text-box paragraphs nested in this paragraph, in document order.
        for inner in p.iter(_P):
            if inner is not p and inner.getparent() is not None:
                # only direct text-box paragraphs (deeper ones are reached recursively)
                anc = inner.getparent()
                fallback = False
                while anc is not None and anc.tag != _P:
                    fallback = fallback or anc.tag == _MC_FALLBACK
                    anc = anc.getparent()
                if anc is p and not fallback:  # mc:Fallback repeats the text box as VML
                    paragraph(inner, table)

    def table_el(tbl) -> None:
        nonlocal n_tables
        t = n_tables
        n_tables += 1
        for r, tr in enumerate(tbl.iterchildren(_TR)):
            col = 0
            for tc in tr.iterchildren(_TC):
                tcpr = tc.find(W + "tcPr")
                span = 1
                skip = False
                if tcpr is not None:
                    gs = tcpr.find(W + "gridSpan")
                    if gs is not None and (gs.get(_VAL) or "").isdigit():
                        span = max(1, int(gs.get(_VAL)))
                    vm = tcpr.find(W + "vMerge")
                    if vm is not None and vm.get(_VAL) != "restart":
                        skip = True
                    hm = tcpr.find(W + "hMerge")
                    if hm is not None and hm.get(_VAL) != "restart":
                        skip = True
                if not skip:
                    walk(tc, (t, r, col))
                col += span

    def walk(container, table=None) -> None:
        for child in container.iterchildren():
            tag = child.tag
            if tag == _P:
                paragraph(child, table)
            elif tag == _TBL:
                table_el(child)
            elif tag == _ALT_CHUNK:
                alt_chunk(child, table)
            elif tag in (_SDT, _CUSTOMXML, _SDTCONTENT, W + "ins", W + "moveTo", W + "smartTag"):
                walk(child, table)

    walk(body)
    doc = Document(path=path, format="docx", blocks=blocks, warnings=warnings)
    if skipped.get("hidden"):
        doc.warnings.append(f"{skipped['hidden']} run(s) of hidden text (Word's Hidden font "
                            "setting) were not scanned; show hidden text in Word if they are "
                            "meant to be read")
    for what in not_read:
        doc.warnings.append(f"{what} was not read; open the file in Word and save it (Word "
                            "merges such parts into the text), then scan again")
    doc.meta.update({"tables": n_tables, "body_paragraphs": len(index),
                     "hidden_runs_skipped": skipped.get("hidden", 0),
                     "moved_runs_skipped": skipped.get("moved", 0),
                     "parts_not_read": len(not_read)})
    if not blocks:
        raise ScanError("no_text", "DOCX has no text in its body")
    return doc


def _keep_alt_chunks_raw() -> None:
    """Make python-docx load ``w:altChunk`` parts as plain bytes. It picks a part's class by
    content type, so an embedded DOCX typed as a document body (what the Open XML SDK writes)
    is parsed as XML and the whole file fails to open; we read those parts ourselves."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import Part, PartFactory

    current = PartFactory.part_class_selector
    if getattr(current, "keeps_alt_chunks_raw", False):
        return

    def selector(content_type, reltype):
        if reltype == RT.A_F_CHUNK:
            return Part
        return current(content_type, reltype) if current else None

    selector.keeps_alt_chunks_raw = True
    PartFactory.part_class_selector = selector


_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain"}


def _alt_chunk_blocks(d, rid: str | None, budget: list[int], depth: int):
    """(blocks, tables, warnings) of the part ``rid`` names, or a description of the part for a
    warning when it cannot be read (RTF, MHT, an external link, nesting too deep, over the size
    budget ``budget[0]`` that all embedded parts of one file share: a part used many times must
    not multiply the DOCX size limit)."""
    from .html import blocks_from_html
    from .text import blocks_from_text, decode_text

    rel = d.part.rels.get(rid) if rid else None
    if rel is None or rel.is_external:
        return "an embedded part (w:altChunk) that is missing or outside the file"
    part = rel.target_part
    name = str(part.partname).lstrip("/")
    ctype = (part.content_type or "").split(";")[0].strip().lower()
    blob = part.blob
    size = len(blob)
    if blob[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(blob)) as zf:
                size = sum(i.file_size for i in zf.infolist())
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
            return f"an embedded Word document that is damaged ({name})"
    if size > budget[0]:
        return f"an embedded part over the DOCX size limit ({name}; raise --max-docx-mb)"
    budget[0] -= size
    try:
        if ctype in _HTML_TYPES or name.lower().endswith((".htm", ".html", ".xhtml")):
            blocks = blocks_from_html(decode_text(blob, what="HTML")[0])
        elif ctype in _TEXT_TYPES or name.lower().endswith(".txt"):
            blocks = blocks_from_text(decode_text(blob)[0], markdown=False)
        elif blob[:4] == b"PK\x03\x04":
            if depth >= _MAX_CHUNK_DEPTH:
                return f"an embedded Word document nested too deeply ({name})"
            inner = extract_docx(name, size + budget[0], data=blob, depth=depth + 1)
            return inner.blocks, inner.meta.get("tables", 0), inner.warnings
        else:
            return f"an embedded part in a format barrier-scan cannot read ({name}, {ctype or 'no type'})"
    except ScanError as e:
        return f"an embedded part ({name}: {e.message})"
    tables = len({b.table[0] for b in blocks if b.table is not None})
    return blocks, tables, []
