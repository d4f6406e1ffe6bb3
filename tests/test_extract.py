"""Extraction layer: PDFs built with fpdf2, DOCX built with python-docx, HTML/text, bad input."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from barrier_scan.errors import ERROR_CODES, ScanError
from barrier_scan.config import Config
from barrier_scan.extract import extract, extract_text, sniff

import fpdf  # noqa: E402

# --------------------------------------------------------------------------- builders

HEADER = "Northshire Council - Community Arts Tender NC-2041"


def _pdf_with_pages(path: Path, pages: list[list], header: bool = True) -> Path:
    """Each page is a list of ("line", text, bold) / ("gap",) / ("table", rows) items."""
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    n = len(pages)
    for i, items in enumerate(pages, 1):
        pdf.add_page()
        if header:
            pdf.set_font("Helvetica", size=8)
            pdf.set_xy(56, 30)
            pdf.cell(400, 10, HEADER)
            pdf.set_xy(56, 800)
            pdf.cell(400, 10, f"Page {i} of {n}")
        y = 90.0
        for item in items:
            if item[0] == "gap":
                y += 14
            elif item[0] == "line":
                _, text, bold = item
                pdf.set_font("Helvetica", "B" if bold else "", 11)
                pdf.set_xy(56, y)
                pdf.cell(480, 14, text)
                y += 14
            elif item[0] == "table":
                pdf.set_font("Helvetica", size=10)
                for row in item[1]:
                    x = 56.0
                    for cell in row:
                        pdf.set_xy(x, y)
                        pdf.cell(160, 20, cell, border=1)
                        x += 160
                    y += 20
                y += 10
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "tender.pdf"
    page1 = [
        ("line", "1. Introduction", True),
        ("line", "This tender invites small arts organisations to deliver a programme of", False),
        ("line", "workshops in libraries across the district during the autumn.", False),
        ("gap",),
        ("line", "3. Requirements", True),
        ("line", "Bidders must meet all the require-", False),
        ("line", "ments set out below and describe their co-", False),
        ("line", "production approach with local groups.", False),
    ]
    page2 = [
        ("line", "3.2 Finance", True),
        ("line", "The minimum annual turnover is shown in the table below.", False),
        ("gap",),
        ("table", [["Requirement", "Threshold"], ["Annual turnover", "GBP 250,000"],
                   ["Public liability", "GBP 5 million"]]),
        ("line", "Evidence of insurance must be provided before contract award.", False),
    ]
    page3 = [
        ("line", "4. Evaluation", True),
        ("line", "Quality carries 70 percent of the marks and price carries 30 percent.", False),
    ]
    return _pdf_with_pages(path, [page1, page2, page3])


# --------------------------------------------------------------------------- PDF


def test_pdf_pages_and_paragraph_indices(sample_pdf):
    doc = extract(sample_pdf)
    assert doc.format == "pdf"
    assert doc.pages == 3
    assert [b.paragraph for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
    assert all(b.page in (1, 2, 3) for b in doc.blocks)
    assert all(b.text and b.text == b.text.strip() and "  " not in b.text for b in doc.blocks)
    pages = {b.page for b in doc.blocks}
    assert pages == {1, 2, 3}


def test_pdf_running_header_footer_and_page_numbers_removed(sample_pdf):
    doc = extract(sample_pdf)
    text = doc.text
    assert "Northshire Council" not in text
    assert "Page 1 of 3" not in text and "Page 2 of 3" not in text
    assert doc.meta["running_lines_removed"] >= 6


def test_pdf_hyphen_repair_and_paragraph_rebuild(sample_pdf):
    doc = extract(sample_pdf)
    para = next(b for b in doc.blocks if "Bidders must" in b.text)
    assert "requirements set out below" in para.text
    assert "co-production approach" in para.text
    assert para.page == 1
    intro = next(b for b in doc.blocks if b.text.startswith("This tender invites"))
    assert intro.text.endswith("during the autumn.")  # two lines joined into one block


def test_pdf_headings_set_sections(sample_pdf):
    doc = extract(sample_pdf)
    headings = [b for b in doc.blocks if b.kind == "heading"]
    assert [h.text for h in headings] == ["1. Introduction", "3. Requirements", "3.2 Finance", "4. Evaluation"]
    para = next(b for b in doc.blocks if "minimum annual turnover" in b.text)
    assert para.section == "3. Requirements > 3.2 Finance"
    last = next(b for b in doc.blocks if b.text.startswith("Quality carries"))
    assert last.section == "4. Evaluation" and last.page == 3


def test_pdf_table_cells(sample_pdf):
    doc = extract(sample_pdf)
    cells = {b.table: b.text for b in doc.blocks if b.kind == "table_cell"}
    assert cells[(0, 0, 0)] == "Requirement"
    assert cells[(0, 1, 1)] == "GBP 250,000"
    assert cells[(0, 2, 0)] == "Public liability"
    assert all(b.page == 2 for b in doc.blocks if b.kind == "table_cell")
    # table text is not duplicated as paragraphs, and reading order is kept
    assert not any("GBP 250,000" in b.text for b in doc.blocks if b.kind != "table_cell")
    order = [b.text for b in doc.blocks]
    assert order.index("Requirement") < order.index(
        "Evidence of insurance must be provided before contract award.")


def test_pdf_partial_text_layer_warns(tmp_path):
    pdf = fpdf.FPDF(unit="pt")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(56, 90, "Some real text on the first page of this document.")
    pdf.add_page()
    pdf.rect(50, 50, 300, 400, style="F")
    path = tmp_path / "partial.pdf"
    pdf.output(str(path))
    doc = extract(path)
    assert doc.pages == 2
    assert any("no text layer on page 2" in w for w in doc.warnings)


def test_pdf_too_many_pages(sample_pdf):
    with pytest.raises(ScanError) as ei:
        extract(sample_pdf, Config(max_pages=2))
    assert ei.value.code == "too_many_pages"
    assert "3 pages" in ei.value.message and "2" in ei.value.message


def test_pdf_image_only_is_no_text_layer(tmp_path):
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(ScanError) as ei:
        extract(path)
    assert ei.value.code == "no_text_layer"
    assert "OCR" in ei.value.message and "1 of 1" in ei.value.message


def test_pdf_encrypted(sample_pdf, tmp_path):
    import pikepdf

    path = tmp_path / "locked.pdf"
    with pikepdf.open(sample_pdf) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(ScanError) as ei:
        extract(path)
    assert ei.value.code == "encrypted"
    assert "password" in ei.value.message


def test_pdf_empty_user_password_is_scanned(sample_pdf, tmp_path):
    import pikepdf

    path = tmp_path / "owner-only.pdf"
    with pikepdf.open(sample_pdf) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user=""))
    doc = extract(path)
    assert any("Bidders must" in b.text for b in doc.blocks)


def test_pdf_truncated(sample_pdf, tmp_path):
    path = tmp_path / "truncated.pdf"
    path.write_bytes(sample_pdf.read_bytes()[:400])
    with pytest.raises(ScanError) as ei:
        extract(path)
    assert ei.value.code in ("corrupt_file", "no_text_layer", "no_text")
    assert ei.value.code == "corrupt_file"


# --------------------------------------------------------------------------- DOCX


def _make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "RUNNING HEADER SECRET"
    sec.footer.paragraphs[0].text = "FOOTER TEXT SECRET"
    d.add_heading("Invitation to Tender", level=0)  # Title            -> p1
    d.add_heading("3 Requirements", level=1)  # p2
    d.add_paragraph("Suppliers must hold   public liability\tinsurance.")  # p3
    d.add_paragraph("")  # p4 (empty, still counted)
    d.add_heading("3.2 Finance", level=2)  # p5
    d.add_paragraph("Submit three years of audited accounts.", style="List Number")  # p6
    d.add_paragraph("Provide a bank reference.", style="List Bullet 2")  # p7
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "Criterion"  # p8
    t.cell(0, 1).text = "Weight"  # p9
    t.cell(1, 0).text = "Quality"  # p10
    t.cell(1, 1).text = "70%"  # p11
    merged = t.cell(2, 0).merge(t.cell(2, 1))
    merged.text = "Social value is scored separately"  # p12 (merged cell: one w:tc)
    d.add_heading("4 Evaluation", level=1)  # p13
    d.add_paragraph("Price counts for 30%.")  # p14
    d.save(str(path))
    return path


def test_docx_structure(tmp_path):
    from barrier_scan.extract.docx import iter_body_paragraphs

    path = _make_docx(tmp_path / "t.docx")
    doc = extract(path)
    assert doc.format == "docx"
    by_text = {b.text: b for b in doc.blocks}
    assert "RUNNING HEADER SECRET" not in doc.text and "FOOTER TEXT SECRET" not in doc.text
    assert by_text["Invitation to Tender"].kind == "heading"
    req = by_text["Suppliers must hold public liability insurance."]
    assert req.kind == "paragraph"
    assert req.section == "Invitation to Tender > 3 Requirements" or req.section == "3 Requirements"
    assert by_text["3.2 Finance"].kind == "heading"
    item = by_text["Submit three years of audited accounts."]
    assert item.kind == "list_item" and item.section.endswith("3 Requirements > 3.2 Finance")
    assert item.level == 0
    # table cells in reading order, merged cell once
    cells = [(b.table, b.text) for b in doc.blocks if b.kind == "table_cell"]
    assert cells == [((0, 0, 0), "Criterion"), ((0, 0, 1), "Weight"), ((0, 1, 0), "Quality"),
                     ((0, 1, 1), "70%"), ((0, 2, 0), "Social value is scored separately")]
    assert by_text["Price counts for 30%."].section.endswith("4 Evaluation")
    # paragraph indices follow iter_body_paragraphs exactly (empty paragraph counted)
    import docx

    paras = list(iter_body_paragraphs(docx.Document(str(path))))
    for b in doc.blocks:
        assert " ".join(paras[b.paragraph - 1].text.split()) == b.text
    assert req.paragraph == 3
    assert by_text["3.2 Finance"].paragraph == 5
    assert by_text["Criterion"].paragraph == 8
    assert by_text["Social value is scored separately"].paragraph == 12
    assert by_text["Price counts for 30%."].paragraph == 14


def test_clause_in_a_heading_style_is_body_text(tmp_path):
    """Drafters put numbered clauses in heading styles; such a clause is a paragraph that is
    checked, and it does not become the section path of what follows. Real titles stay."""
    import docx

    from barrier_scan import pipeline

    d = docx.Document()
    d.add_heading("How to bid", 1)
    d.add_heading("Bidders must have a minimum annual turnover of £2 million and provide three "
                  "years of audited accounts.", 2)
    d.add_heading("Annex D Security Requirements - Lots 4 & 5 Only.", 2)
    d.add_paragraph("Submit your bid through the portal.")
    path = tmp_path / "clauses.docx"
    d.save(str(path))
    doc = extract(path)
    by_text = {b.text: b for b in doc.blocks}
    clause = next(b for t, b in by_text.items() if t.startswith("Bidders must"))
    assert clause.kind == "paragraph" and clause.section == "How to bid"
    assert by_text["Annex D Security Requirements - Lots 4 & 5 Only."].kind == "heading"
    assert by_text["Submit your bid through the portal."].section == \
        "How to bid > Annex D Security Requirements - Lots 4 & 5 Only."
    result = pipeline.scan_file(path, Config(use_model=False))
    assert any(f.category == "burden_of_proof" and f.evidence.text in clause.text
               for f in result.findings), [f.code for f in result.findings]


@pytest.mark.parametrize("text, prose", [
    ("3.2 Finance", False),
    ("2. The Outcomes We Want to Achieve", False),
    ("Lot 1. Creative Activities", False),
    ("Part B. Selection Questionnaire", False),
    ("Annex D. Security Requirements", False),
    ("Appendix 3. Pricing Schedule", False),
    ("St. Mary's Library Services", False),
    ("4.1. Financial standing", False),
    ("What we want to achieve", False),
    ("Annex D Security Requirements - Lots 4 & 5 Only.", False),
    ("Health Building Notes (HBN) and Health Technical Memorandums (HTM).", False),
    ("Getting started - How to register on the Supplier Registration Service (SRS)?", False),
    ("Your prices are to exclude VAT.", True),
    ("You may submit a tender for one or more lots.", True),
    ("Check for messages in the e-Sourcing Suite throughout the competition.", True),
    ("Each question must be answered. You must not cross-refer.", True),
])
def test_reads_as_prose(text, prose):
    from barrier_scan.extract._common import reads_as_prose

    assert reads_as_prose(text) is prose


def _rewrite_zip(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, edit(info.filename, data))
    return dst


def test_docx_with_doctype_or_entity_is_refused(tmp_path):
    src = _make_docx(tmp_path / "ok.docx")

    def add_dtd(name, data):
        if name == "word/document.xml":
            head, rest = data.split(b"?>", 1)
            return head + b'?><!DOCTYPE w:document [<!ENTITY x "boom">]>' + rest
        return data

    bad = _rewrite_zip(src, tmp_path / "xxe.docx", add_dtd)
    with pytest.raises(ScanError) as ei:
        extract(bad)
    assert ei.value.code == "unsafe_content"
    assert "DOCTYPE" in ei.value.message


def test_docx_zip_bomb_and_size_limit(tmp_path):
    src = _make_docx(tmp_path / "ok.docx")
    bomb = _rewrite_zip(src, tmp_path / "bomb.docx", lambda n, d: d)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/pad.bin", b"\0" * (5 * 2**20))
    with pytest.raises(ScanError) as ei:
        extract(bomb)
    assert ei.value.code == "unsafe_content"
    with pytest.raises(ScanError) as ei:
        extract(src, Config(max_docx_mb=1000 / 2**20))
    assert ei.value.code == "unsafe_content"


def test_docx_corrupt_zip(tmp_path):
    src = _make_docx(tmp_path / "ok.docx")
    path = tmp_path / "cut.docx"
    path.write_bytes(src.read_bytes()[: len(src.read_bytes()) // 2])
    with pytest.raises(ScanError) as ei:
        extract(path)
    assert ei.value.code == "corrupt_file"


def test_encrypted_ooxml(tmp_path):
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    data += "EncryptedPackage".encode("utf-16-le") + b"\0" * 200
    path = tmp_path / "locked.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ScanError) as ei:
        extract(path)
    assert ei.value.code == "encrypted"


# --------------------------------------------------------------------------- HTML / text


def test_html_blocks(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>"
        "<nav>Home | Menu</nav><header>Site header</header>"
        "<h1>Guidance</h1><p>Bidders&nbsp;must &amp; should\n  read this.</p>"
        "<h2>Finance</h2><ul><li>Turnover of &pound;1m</li><li>Insurance</li></ul>"
        "<table><tr><th>Item</th><th>Score</th></tr><tr><td>Quality</td><td>60</td></tr></table>"
        "<script>var x = 'hidden';</script><footer>Footer text</footer></body></html>",
        encoding="utf-8",
    )
    doc = extract(path)
    assert doc.format == "html"
    texts = [b.text for b in doc.blocks]
    assert "Bidders must & should read this." in texts
    assert not any(t in doc.text for t in ("Home | Menu", "Site header", "hidden", "Footer text"))
    li = [b for b in doc.blocks if b.kind == "list_item"]
    assert [b.text for b in li] == ["Turnover of £1m", "Insurance"]
    assert li[0].section == "Guidance > Finance"
    cells = {b.table: b.text for b in doc.blocks if b.kind == "table_cell"}
    assert cells == {(0, 0, 0): "Item", (0, 0, 1): "Score", (0, 1, 0): "Quality", (0, 1, 1): "60"}
    assert [b.paragraph for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))


def test_markdown_and_text(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes("\ufeff# Tender\n\nLine one of a para-\ngraph.\n\n## Lots\n\n- first lot\n  1. nested\n* second\n".encode())
    doc = extract(path)
    assert doc.format == "md"
    assert [(b.kind, b.text, b.section) for b in doc.blocks] == [
        ("heading", "Tender", "Tender"),
        ("paragraph", "Line one of a paragraph.", "Tender"),
        ("heading", "Lots", "Tender > Lots"),
        ("list_item", "first lot", "Tender > Lots"),
        ("list_item", "nested", "Tender > Lots"),
        ("list_item", "second", "Tender > Lots"),
    ]
    assert [b.level for b in doc.blocks if b.kind == "list_item"] == [0, 1, 0]
    assert [b.paragraph for b in doc.blocks] == [1, 2, 3, 4, 5, 6]


def test_text_cp1252_fallback_warns(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Turnover of \u00a3500,000 \u2013 minimum.".encode("cp1252"))
    doc = extract(path)
    assert doc.format == "txt"
    assert doc.blocks[0].text == "Turnover of £500,000 – minimum."
    assert any("cp1252" in w for w in doc.warnings)


def test_extract_text_string():
    doc = extract_text("Para one\ncontinues.\n\n1. A numbered item", path="<stdin>")
    assert doc.path == "<stdin>" and doc.format == "text"
    assert [(b.kind, b.text, b.paragraph) for b in doc.blocks] == [
        ("paragraph", "Para one continues.", 1), ("list_item", "A numbered item", 2)]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "name,data,code",
    [
        ("empty.pdf", b"", "empty_file"),
        ("random.pdf", os.urandom(2048).replace(b"%PDF", b"xxxx"), "corrupt_file"),
        ("random.docx", b"\x13\x37" + os.urandom(2048), "corrupt_file"),
        ("data.xyz", b"hello world", "unsupported_type"),
        ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le"), "legacy_format"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "corrupt_file"),
        ("binary.txt", b"abc\x00\x01\x02def" * 50, "corrupt_file"),
        ("blank.txt", b"   \n\n  \t\n", "no_text"),
        ("notpdf.pdf", b"just some text that is not a pdf", "corrupt_file"),
        ("fake.pdf", b"%PDF-1.7\n garbage garbage", "corrupt_file"),
    ],
)
def test_bad_input(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ScanError) as ei:
        extract(path)
    assert ei.value.code == code, ei.value.message
    assert ei.value.code in ERROR_CODES
    assert ei.value.message and "\n" not in ei.value.message


def test_odt_is_refused(tmp_path):
    path = tmp_path / "doc.odt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(ScanError) as ei:
        extract(path)
    assert ei.value.code == "unsupported_type"
    assert ".odt" in ei.value.message and ".docx" in ei.value.message


def test_sniff_ignores_misleading_extension(tmp_path, sample_pdf):
    path = tmp_path / "actually_pdf.docx"
    path.write_bytes(sample_pdf.read_bytes())
    assert sniff(path) == "pdf"
    assert extract(path).format == "pdf"


def test_not_found_and_too_large(tmp_path, sample_pdf):
    with pytest.raises(ScanError) as ei:
        extract(tmp_path / "missing.pdf")
    assert ei.value.code == "not_found"
    with pytest.raises(ScanError) as ei:
        extract(sample_pdf, Config(max_file_mb=100 / 2**20))
    assert ei.value.code == "too_large"
    with pytest.raises(ScanError) as ei:
        extract(tmp_path)
    assert ei.value.code == "unreadable"


@pytest.mark.parametrize("text, sentences", [
    ("1. Please provide a name for this standard.", ["1. Please provide a name for this standard."]),
    ("4.2. Bidders must hold insurance. 4.3. Accounts are not needed.",
     ["4.2. Bidders must hold insurance.", "4.3. Accounts are not needed."]),
    ("3.2 Bidders must hold insurance.", ["3.2 Bidders must hold insurance."]),
    ("(b) The provider will run 40 sessions. Prices exclude VAT.",
     ["(b) The provider will run 40 sessions.", "Prices exclude VAT."]),
    ("Section 4.", ["Section 4."]),
    ("12.", ["12."]),  # a number with nothing after it stays what it is
    ("Answer Yes or No. No. The supplier must reply.",
     ["Answer Yes or No.", "No.", "The supplier must reply."]),  # "No." is a word, not a number
])
def test_a_clause_number_stays_with_its_sentence(text, sentences):
    """The sentencizer cuts "1." off as a sentence of its own (one sentence in five of the
    corpus documents); segmentation joins it to the sentence it numbers."""
    from barrier_scan.segment import segment_text

    got = segment_text(text)
    assert [s.text for s in got] == sentences
    assert all(text[s.start:s.end] == s.text for s in got)
