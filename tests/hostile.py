"""Builders for the hostile / broken input corpus (issue 7), made in code so no binaries are committed.

Every builder writes one file (or folder) and returns its path. :func:`build_corpus` writes the
whole bad-input folder and returns what each file should produce. Randomness uses a fixed seed.

Builders that need optional packages (fpdf2, pikepdf, python-docx, msoffcrypto-tool) import them
lazily; :func:`build_corpus` records a case as skipped (``None`` builder result) when its package
is missing, so callers can ``pytest.skip`` just that case.
"""
from __future__ import annotations

import io
import os
import random
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# A tender paragraph that fires rules without the model (turnover far above the contract value,
# several years of audited accounts, high insurance).
BARRIER_TEXT = (
    "The total contract value is £60,000. Bidders must have a minimum annual turnover of "
    "£2,000,000. Bidders must provide three years of audited accounts. Public liability insurance "
    "of £10 million is required."
)
# Markup inside the sentences that produce findings, so it reaches every report as evidence.
HOSTILE_TEXT = ('The total contract value is £60,000. Bidders <script>alert(1)</script> must have a '
                'minimum annual turnover of £2,000,000 " onerror="alert(2). Bidders must provide '
                "three years of audited accounts <img src=x onerror=alert(3)>.")
SECRET = "TOPSECRET-7f3a9c-local-file-content"


# --------------------------------------------------------------------------- PDF

def pdf_bytes(paragraphs: list[str], pages: int = 1) -> bytes:
    """A small text PDF (fpdf2): ``paragraphs`` on each of ``pages`` pages, away from the edges."""
    import fpdf

    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(56, 200)
        for p in paragraphs:
            pdf.multi_cell(480, 14, p)
            pdf.ln(10)
    return bytes(pdf.output())


def write_pdf(path: Path, paragraphs: list[str] | None = None, pages: int = 1) -> Path:
    path.write_bytes(pdf_bytes(paragraphs or [BARRIER_TEXT], pages))
    return path


def truncated_pdf(path: Path) -> Path:
    """The first 40% of a valid PDF (an interrupted download)."""
    data = pdf_bytes([BARRIER_TEXT] * 3, pages=3)
    path.write_bytes(data[: int(len(data) * 0.4)])
    return path


def broken_xref_pdf(path: Path) -> Path:
    """A valid PDF whose xref offsets all point to the wrong bytes and whose ``startxref`` is off.

    Readers must rebuild the table by scanning the file (PDFium does); the text is intact.
    """
    data = pdf_bytes([BARRIER_TEXT])
    xref = data.rindex(b"\nxref") + 1
    head, table = data[:xref], data[xref:]
    lines = table.split(b"\n")
    for i, ln in enumerate(lines):
        if len(ln) >= 18 and ln[10:11] == b" " and ln.rstrip().endswith(b" n"):
            off = int(ln[:10]) + 37  # every object now "starts" 37 bytes late
            lines[i] = b"%010d" % off + ln[10:]
    table = b"\n".join(lines)
    table = table.replace(b"startxref\n%d" % xref, b"startxref\n%d" % (xref + 1000))
    path.write_bytes(head + table)
    return path


def encrypted_pdf(path: Path, user: str) -> Path:
    """Encrypted with owner password "o" and the given user password ("" = opens without one)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes([BARRIER_TEXT]))) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user=user))
    return path


def scanned_pdf(path: Path, pages: int = 3) -> Path:
    """Image-only pages (a photographed/scanned document): no text layer at all."""
    import fpdf
    from PIL import Image, ImageDraw

    img = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(img)
    for y in range(40, 520, 18):  # grey bars that look like lines of text
        draw.rectangle((30, y, 30 + (y * 37) % 300 + 40, y + 8), fill=60)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    for _ in range(pages):
        pdf.add_page()
        buf.seek(0)
        pdf.image(buf, x=40, y=40, w=500)
    pdf.output(str(path))
    return path


def many_pages_pdf(path: Path, pages: int = 3000) -> Path:
    """``pages`` copies of one small text page (pikepdf; ~1 s for 3000 pages, ~400 KB)."""
    import pikepdf

    one = pdf_bytes(["Suppliers must hold public liability insurance of £10 million."])
    with pikepdf.open(io.BytesIO(one)) as src, pikepdf.new() as out:
        for _ in range(pages):
            out.pages.append(src.pages[0])
        out.save(path)
    return path


def placed_pdf(path: Path, pages: list[list[tuple[float, str]]], size: int = 10) -> Path:
    """One page per list of (y in points from the top, text) lines, each on one line."""
    import fpdf

    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=size)
        for y, text in lines:
            pdf.text(40, y, text)
    pdf.output(str(path))
    return path


def blank_pdf(path: Path, pages: int = 3) -> Path:
    """Pages with nothing on them (a blank export, a placeholder)."""
    import fpdf

    pdf = fpdf.FPDF(unit="pt", format="A4")
    for _ in range(pages):
        pdf.add_page()
    pdf.output(str(path))
    return path


# --------------------------------------------------------------------------- DOCX

def docx_bytes(paragraphs: list[str] | None = None, table: list[list[str]] | None = None) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs or []:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write_docx(path: Path, paragraphs: list[str] | None = None) -> Path:
    path.write_bytes(docx_bytes(paragraphs or [BARRIER_TEXT]))
    return path


def tables_only_docx(path: Path) -> Path:
    """Every word of the tender in table cells (a common "specification table" layout)."""
    data = docx_bytes([], table=[
        ["Requirement", "Detail"],
        ["Contract value", "The total contract value is £60,000."],
        ["Turnover", "Bidders must have a minimum annual turnover of £2,000,000."],
        ["Accounts", "Bidders must provide three years of audited accounts."],
    ])
    path.write_bytes(data)
    return path


def _edit_zip(data: bytes, member: str, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            zout.writestr(info.filename, edit(body) if info.filename == member else body)
    return out.getvalue()


def xxe_docx(path: Path, secret_file: Path) -> Path:
    """word/document.xml declares an external entity reading ``secret_file`` and uses it in the text."""
    url = secret_file.resolve().as_uri().encode()

    def add(xml: bytes) -> bytes:
        decl_end = xml.index(b"?>") + 2
        xml = (xml[:decl_end] + b'\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "' + url + b'">]>'
               + xml[decl_end:])
        return xml.replace(b"Bidders", b"&xxe; Bidders", 1)

    path.write_bytes(_edit_zip(docx_bytes([BARRIER_TEXT]), "word/document.xml", add))
    return path


def bomb_docx(path: Path, expanded_mb: int = 150) -> Path:
    """A ~150 KB DOCX whose word/document.xml inflates to ``expanded_mb`` MB of spaces."""
    base = docx_bytes([BARRIER_TEXT])
    with zipfile.ZipFile(io.BytesIO(base)) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    xml = parts.pop("word/document.xml")
    cut = xml.index(b"<w:body>") + len(b"<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, body in parts.items():
            z.writestr(name, body)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(xml[:cut])
            chunk = b" " * (1 << 20)
            for _ in range(expanded_mb):
                fh.write(chunk)
            fh.write(xml[cut:])
    return path


def lying_bomb_docx(path: Path, real_mb: int = 64) -> Path:
    """A DOCX whose zip headers *claim* document.xml is 2 KB while it inflates to ``real_mb`` MB.

    Limits based on the declared sizes alone would let it through; readers must stop at the
    declared size (Python's zipfile does, then fails the CRC check).
    """
    bomb_docx(path, expanded_mb=real_mb)
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    real = real_mb * (1 << 20)
    # Local header (PK\3\4) and central directory (PK\1\2) entries: patch the uncompressed size
    # field and, as we wrote with zip64, the zip64 extra field.
    for sig, size_off, name_len_off, extra_len_off, hdr in ((b"PK\x03\x04", 22, 26, 28, 30),
                                                           (b"PK\x01\x02", 24, 28, 30, 46)):
        pos = 0
        while True:
            pos = data.find(sig, pos)
            if pos < 0:
                break
            n = struct.unpack_from("<H", data, pos + name_len_off)[0]
            if bytes(data[pos + hdr: pos + hdr + n]) == name:
                if struct.unpack_from("<I", data, pos + size_off)[0] != 0xFFFFFFFF:
                    struct.pack_into("<I", data, pos + size_off, 2048)
                extra = pos + hdr + n
                e_len = struct.unpack_from("<H", data, pos + extra_len_off)[0]
                q = extra
                while q < extra + e_len:
                    tag, ln = struct.unpack_from("<HH", data, q)
                    if tag == 1:  # zip64: uncompressed size first
                        if struct.unpack_from("<Q", data, q + 4)[0] >= real:
                            struct.pack_into("<Q", data, q + 4, 2048)
                    q += 4 + ln
            pos += 4
    path.write_bytes(bytes(data))
    return path


def altchunk_docx(path: Path, parts: list[tuple[str, str, bytes]],
                  body: list[str] | None = None) -> Path:
    """A DOCX whose body embeds ``parts`` ((file name, content type, bytes)) with ``w:altChunk``,
    as Word does for pasted HTML or a merged document: Word shows their text in the body."""
    base = docx_bytes(body or ["The council invites proposals for a creative health programme."])
    rels, overrides, chunks = [], [], []
    for i, (name, ctype, _data) in enumerate(parts, 1):
        rels.append(f'<Relationship Id="rIdAlt{i}" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/aFChunk" Target="{name}"/>')
        overrides.append(f'<Override PartName="/word/{name}" ContentType="{ctype}"/>')
        chunks.append(f'<w:altChunk r:id="rIdAlt{i}"/>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr", "".join(chunks).encode() + b"<w:sectPr", 1)
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", "".join(rels).encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", "".join(overrides).encode() + b"</Types>")
            zout.writestr(info.filename, data)
        for name, _ctype, data in parts:
            zout.writestr(f"word/{name}", data)
    path.write_bytes(out.getvalue())
    return path


def tracked_docx(path: Path, moved: str, hidden: str, styled_hidden: str) -> Path:
    """A DOCX where ``moved`` was moved (tracked: ``w:moveFrom`` at the top, ``w:moveTo`` at the
    end), ``hidden`` is formatted hidden (``w:vanish``) and ``styled_hidden`` is hidden by its
    character style."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    secret = d.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True

    def wrap(run, tag: str, n: int):
        el = OxmlElement(tag)
        for k, v in (("w:id", str(n)), ("w:author", "Editor"), ("w:date", "2024-01-01T00:00:00Z")):
            el.set(qn(k), v)
        run._r.addprevious(el)
        el.append(run._r)

    d.add_paragraph("The council invites proposals for a creative health programme.")
    wrap(d.add_paragraph().add_run(moved), "w:moveFrom", 1)
    d.add_paragraph("Sessions will run in libraries across the district.")
    d.add_paragraph().add_run(hidden).font.hidden = True
    d.add_paragraph().add_run(styled_hidden, style="Secret")
    wrap(d.add_paragraph().add_run(moved), "w:moveTo", 2)
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def encrypted_docx(path: Path, password: str = "secret") -> Path | None:
    """A real password-protected DOCX (OLE2 with EncryptedPackage), via msoffcrypto-tool."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return None
    plain = io.BytesIO(docx_bytes([BARRIER_TEXT]))
    with open(path, "wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    return path


# --------------------------------------------------------------------------- OLE2 / legacy

def ole2_bytes(streams: dict[str, bytes]) -> bytes:
    """A minimal valid Compound File Binary (v3, 512-byte sectors) holding ``streams``.

    Every stream is padded to at least 4096 bytes so it lives in ordinary sectors (no mini
    stream). Enough for olefile and for format sniffers; not a full Word document.
    """
    SECT, ENDCHAIN, FREE, FATSECT, NOSTREAM = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    dir_sectors = (len(names) + 1 + 3) // 4
    fat = [FATSECT] + [ENDCHAIN if i == dir_sectors - 1 else 1 + i + 1 for i in range(dir_sectors)]
    starts = []
    nxt = 1 + dir_sectors
    for d in datas:
        k = (len(d) + SECT - 1) // SECT
        starts.append(nxt)
        fat += [nxt + j + 1 for j in range(k - 1)] + [ENDCHAIN]
        nxt += k
    assert len(fat) <= SECT // 4, "ole2_bytes: keep streams small"
    fat += [FREE] * (SECT // 4 - len(fat))

    def entry(name: str, kind: int, child=NOSTREAM, right=NOSTREAM, start=ENDCHAIN, size=0) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        e = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
        e += struct.pack("<III", NOSTREAM, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
        return e + struct.pack("<IQ", start, size)

    entries = [entry("Root Entry", 5, child=1 if names else NOSTREAM)]
    for i, (n, d, s) in enumerate(zip(names, datas, starts)):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        entries.append(entry(n, 2, right=right, start=s, size=len(d)))
    directory = b"".join(entries).ljust(dir_sectors * SECT, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDCHAIN, 0, ENDCHAIN, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    assert len(header) == 512
    body = struct.pack(f"<{SECT // 4}I", *fat) + directory + b"".join(d.ljust(-(-len(d) // SECT) * SECT, b"\0") for d in datas)
    return header + body


def legacy_doc(path: Path) -> Path:
    """A Word 97-2003 style container: OLE2 with WordDocument and 1Table streams."""
    path.write_bytes(ole2_bytes({"WordDocument": b"\xec\xa5" + b"\0" * 30, "1Table": b"\0" * 64}))
    return path


def odt(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", '<?xml version="1.0"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return path


# --------------------------------------------------------------------------- the corpus

@dataclass
class Case:
    name: str  # file name (str) or, for the non-UTF-8 one, shown name
    code: str | None  # expected error code, None = scanned
    message: tuple[str, ...] = ()  # substrings the one-line message must contain
    path: Path | bytes | None = None
    findings: bool = False  # a scanned file that must produce at least one finding
    note: str = ""
    extra: dict = field(default_factory=dict)


def build_corpus(folder: Path, *, many_pages: int = 3000) -> dict[str, Case]:
    """Write the hostile corpus into ``folder``; return {shown name: Case}.

    Scan it with ``--max-pages`` below ``many_pages`` (the many-pages PDF must be refused).
    ``folder / "loop"`` holds a symlink back to ``folder`` (a loop) and there is a dangling link.
    """
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name, code, message=(), builder=None, **kw):
        path = folder / name
        if builder is not None:
            built = builder(path)
            if built is None:
                return
        cases.append(Case(name, code, tuple(message), path, **kw))

    add("good.txt", None, builder=lambda p: p.write_text(BARRIER_TEXT + "\n"), findings=True)
    add("good.pdf", None, builder=write_pdf, findings=True)
    add("good.docx", None, builder=write_docx, findings=True)
    add("tables_only.docx", None, builder=tables_only_docx, findings=True)
    add("hostile_markup.txt", None, builder=lambda p: p.write_text(HOSTILE_TEXT + "\n"), findings=True)
    add("owner_password_only.pdf", None, builder=lambda p: encrypted_pdf(p, ""), findings=True)
    add("broken_xref.pdf", None, builder=broken_xref_pdf, findings=True,
        extra={"warning": "cross-reference"})
    add("zero_bytes.pdf", "empty_file", ("0 bytes",), builder=lambda p: p.write_bytes(b""))
    add("random.pdf", "corrupt_file", ("not a valid PDF",),
        builder=lambda p: p.write_bytes(bytes(rng.getrandbits(8) for _ in range(4096)).replace(b"%PDF", b"xxxx")))
    add("random.docx", "corrupt_file", ("not a valid DOCX",),
        builder=lambda p: p.write_bytes(b"\x13\x37" + bytes(rng.getrandbits(8) for _ in range(4096))))
    add("truncated.pdf", "corrupt_file", ("truncated", "download"), builder=truncated_pdf)
    add("user_password.pdf", "encrypted", ("password",), builder=lambda p: encrypted_pdf(p, "u"))
    add("scanned.pdf", "no_text_layer", ("no text layer on 3 of 3 pages", "OCR"), builder=scanned_pdf)
    add("many_pages.pdf", "too_many_pages", (f"{many_pages} pages", "--max-pages"),
        builder=lambda p: many_pages_pdf(p, many_pages))
    add("zip_bomb.docx", "unsafe_content", ("zip bomb", "--max-docx-mb"), builder=bomb_docx)
    add("lying_zip_bomb.docx", "unsafe_content", ("zip header", "zip bomb"), builder=lying_bomb_docx)
    secret = folder.parent / f"{folder.name}-secret.txt"
    secret.write_text(SECRET)
    add("blank.pdf", "no_text", ("blank", "all 2 pages"), builder=lambda p: blank_pdf(p, 2))
    # A link to a file outside the folder (the secret beside it): listed, never read.
    os.symlink(secret, folder / "outside_link.txt")
    cases.append(Case("outside_link.txt", "link_outside", ("outside the folders given",),
                      folder / "outside_link.txt"))
    # A report of ours saved among the tenders: skipped by the walk, so in no report.
    from barrier_scan.report.htmlkit import page

    (folder / "last_week.html").write_text(page("report", "<p>" + BARRIER_TEXT + "</p>"))
    add("xxe.docx", "unsafe_content", ("DOCTYPE", "refused for safety"),
        builder=lambda p: xxe_docx(p, secret), extra={"secret": SECRET})
    add("password.docx", "encrypted", ("password",), builder=encrypted_docx)
    add("legacy.doc", "legacy_format", (".doc", "save as .docx"), builder=legacy_doc)
    add("opendocument.odt", "unsupported_type", (".odt", ".docx"), builder=odt)
    add("formatted.rtf", "unsupported_type", ("RTF", ".docx"),
        builder=lambda p: p.write_bytes(b"{\\rtf1\\ansi Bidders must have insurance.}"))
    add("png_named.pdf", "corrupt_file", ("PNG",),
        builder=lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64))
    add("binary.txt", "corrupt_file", (), builder=lambda p: p.write_bytes(b"abc\x00\x01\x02def" * 50))
    # A named pipe with a document's name: reading it would block for ever.
    os.mkfifo(folder / "pipe.txt")
    cases.append(Case("pipe.txt", "unreadable", ("not a regular file",), folder / "pipe.txt"))
    # A dangling symlink (the target was deleted) and a symlink loop.
    os.symlink(folder / "deleted-long-ago.pdf", folder / "dangling_link.pdf")
    cases.append(Case("dangling_link.pdf", "not_found", ("link",), folder / "dangling_link.pdf"))
    (folder / "loop").mkdir()
    os.symlink(folder, folder / "loop" / "back_to_top")
    (folder / "loop" / "inside_loop.txt").write_text(BARRIER_TEXT + "\n")
    cases.append(Case("loop/inside_loop.txt", None, (), folder / "loop" / "inside_loop.txt", findings=True))
    # A file name that is not valid UTF-8 (Linux allows any bytes but "/" and NUL).
    raw = os.fsencode(folder) + b"/tender-\xff\xfe.txt"
    with open(raw, "wb") as fh:
        fh.write((BARRIER_TEXT + "\n").encode())
    cases.append(Case("tender-\\xff\\xfe.txt", None, (), raw, findings=True))
    return {c.name: c for c in cases}


def mutate(data: bytes, rng: random.Random, edits: int | None = None) -> bytes:
    """Flip, insert or delete a few random bytes (or a random slice)."""
    buf = bytearray(data)
    for _ in range(edits or rng.randint(1, 8)):
        op = rng.random()
        i = rng.randrange(len(buf)) if buf else 0
        if op < 0.45 and buf:
            buf[i] ^= 1 << rng.randrange(8)
        elif op < 0.65:
            buf[i:i] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
        elif op < 0.85 and buf:
            del buf[i:i + rng.randint(1, 64)]
        elif buf:  # overwrite a run with one byte value (e.g. zeroed sector, digits)
            buf[i:i + rng.randint(1, 32)] = bytes([rng.choice(b"\x000 9%<>/\xff")]) * rng.randint(1, 32)
    return bytes(buf)
