"""Build the sample tender documents in sample_tenders/ (PDF and DOCX).

Every tender is held below as structured data (title, buyer, key facts, numbered sections with
paragraphs, numbered and bulleted lists and tables) and rendered deterministically:

* PDF with fpdf2 (core font Helvetica, A4, running header, "Page N of M" footer, fixed
  creation date and producer string);
* DOCX with python-docx (Title / Heading 1 / Heading 2, 'List Number' and 'List Bullet',
  'Table Grid' tables with a header row, header and footer text, fixed core properties), then
  re-zipped with fixed member timestamps so the bytes do not depend on the clock.

All buyers, people, places, products and reference numbers are fictional. The text was written
for this project; it is not taken from real tenders or from the shared corpus.

Each tender also lists the barrier signals planted in it (family B1-B13 from
/work/shared/domain/barriers.md, sentence label from corpus/LABELS.md, polarity and a short exact
substring). They are written to sample_tenders/planted.yaml so tests can measure recall.

Usage:  .venv/bin/python sample_tenders/generate.py [--out DIR] [--only NAME ...]
"""
from __future__ import annotations

import argparse
import datetime as _dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Library versions the committed files were built with. tests/test_sample_tenders.py compares
# bytes only when the installed versions match these; otherwise it compares extracted text.
BUILT_WITH = {"fpdf2": "2.8.9", "python-docx": "1.2.0"}

FIXED_DATE = _dt.datetime(2025, 1, 6, 9, 0, 0, tzinfo=_dt.timezone.utc)
ZIP_DATE = (2025, 1, 6, 9, 0, 0)
PRODUCER = "barrier-scan sample_tenders/generate.py"


# --------------------------------------------------------------------------------------------
# Structured content
# --------------------------------------------------------------------------------------------
@dataclass
class P:
    """A body paragraph."""

    text: str


@dataclass
class OL:
    """A numbered list."""

    items: list[str]


@dataclass
class UL:
    """A bulleted list."""

    items: list[str]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # relative column widths


@dataclass
class Sub:
    """A numbered subsection (Heading 2) inside a section."""

    heading: str
    blocks: list


@dataclass
class Section:
    heading: str
    blocks: list


@dataclass
class Plant:
    family: str
    label: str
    polarity: str  # barrier | strength
    contains: str


@dataclass
class Tender:
    file: str  # file name inside sample_tenders/, extension decides the format
    title: str
    buyer: str
    short: str  # short title used in the running header
    reference: str
    doc_type: str  # e.g. "Invitation to Tender"
    facts: list[tuple[str, str]]  # key facts table (label, value)
    sections: list[Section]
    subject: str  # one-line subject for README / metadata
    plants: list[Plant] = field(default_factory=list)

    @property
    def fmt(self) -> str:
        return self.file.rsplit(".", 1)[1]

    @property
    def header_text(self) -> str:
        return f"{self.buyer} - {self.short} - OFFICIAL"


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------
_LATIN1_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u2022": "-", "\u00a0": " ", "\u2011": "-", "\u2212": "-",
}


def latin1(text: str) -> str:
    """Make text safe for the PDF core fonts (latin-1 only); the pound sign is kept."""
    out = "".join(_LATIN1_MAP.get(ch, ch) for ch in text)
    out.encode("latin-1")  # raise early if anything else slipped through
    return out


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def numbered(tender: Tender):
    """Yield (kind, number, heading, blocks) for sections and subsections in order."""
    for i, sec in enumerate(tender.sections, start=1):
        yield "h1", f"{i}.", sec.heading, None
        j = 0
        for block in sec.blocks:
            if isinstance(block, Sub):
                j += 1
                yield "h2", f"{i}.{j}", block.heading, None
                for inner in block.blocks:
                    yield "block", None, None, inner
            else:
                yield "block", None, None, block


# --------------------------------------------------------------------------------------------
# PDF rendering (fpdf2)
# --------------------------------------------------------------------------------------------
def build_pdf(tender: Tender) -> tuple[bytes, dict]:
    """Render a tender to PDF bytes; also return layout stats (pages, split paragraphs)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    header_text = latin1(tender.header_text)

    class TenderPDF(FPDF):
        def header(self):  # noqa: D401 - fpdf2 hook
            self.set_font("Helvetica", "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, header_text, align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(150, 150, 150)
            self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
            self.set_y(self.get_y() + 5)
            self.set_text_color(0, 0, 0)

        def footer(self):
            self.set_y(-14)
            self.set_font("Helvetica", "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = TenderPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(latin1(tender.title))
    pdf.set_author(latin1(tender.buyer))
    pdf.set_subject(latin1(tender.subject))
    pdf.set_keywords(latin1(f"{tender.reference} tender"))
    pdf.set_creator(PRODUCER)
    pdf.set_producer(PRODUCER)
    pdf.set_lang("en-GB")
    pdf.add_page()

    body_w = pdf.w - pdf.l_margin - pdf.r_margin
    stats = {"split_paragraphs": 0, "tables": 0}

    # Title block
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 6, latin1(tender.buyer), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 17)
    pdf.multi_cell(0, 8, latin1(tender.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 6, latin1(f"{tender.doc_type} - Reference {tender.reference}"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _pdf_table(pdf, ["Key facts", ""], [list(f) for f in tender.facts], [0.3, 0.7], FontFace)
    stats["tables"] += 1
    pdf.ln(4)

    for kind, num, heading, block in numbered(tender):
        if kind == "h1":
            if pdf.get_y() > pdf.h - 45:
                pdf.add_page()
            pdf.ln(3)
            pdf.start_section(latin1(f"{num} {heading}"), level=0)
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, latin1(f"{num} {heading}"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "h2":
            if pdf.get_y() > pdf.h - 38:
                pdf.add_page()
            pdf.ln(1)
            pdf.start_section(latin1(f"{num} {heading}"), level=1)
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, latin1(f"{num} {heading}"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(block, P):
            pdf.set_font("Helvetica", "", 10)
            before = pdf.page_no()
            pdf.multi_cell(0, 5, latin1(block.text), new_x="LMARGIN", new_y="NEXT")
            if pdf.page_no() != before:
                stats["split_paragraphs"] += 1
            pdf.ln(2.5)
        elif isinstance(block, (OL, UL)):
            pdf.set_font("Helvetica", "", 10)
            for n, item in enumerate(block.items, start=1):
                marker = f"{n}." if isinstance(block, OL) else "-"
                y0 = pdf.get_y()
                if y0 > pdf.h - 30:
                    pdf.add_page()
                pdf.set_x(pdf.l_margin + 4)
                pdf.cell(8, 5, marker)
                pdf.set_x(pdf.l_margin + 12)
                pdf.multi_cell(body_w - 12, 5, latin1(item), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
            pdf.ln(1.5)
        elif isinstance(block, Table):
            widths = block.widths or [1.0] * len(block.header)
            _pdf_table(pdf, block.header, block.rows, widths, FontFace)
            stats["tables"] += 1
            pdf.ln(4)
        else:  # pragma: no cover - authoring error
            raise TypeError(f"unknown block {block!r}")

    stats["pages"] = pdf.pages_count
    return bytes(pdf.output()), stats


def _pdf_table(pdf, header, rows, widths, FontFace) -> None:
    total = sum(widths)
    body_w = pdf.w - pdf.l_margin - pdf.r_margin
    col_widths = tuple(body_w * w / total for w in widths)
    pdf.set_font("Helvetica", "", 9)
    with pdf.table(
        col_widths=col_widths,
        width=body_w,
        text_align="LEFT",
        line_height=4.6,
        padding=1.5,
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
        first_row_as_headings=True,
    ) as table:
        head = table.row()
        for h in header:
            head.cell(latin1(h))
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(latin1(c))


# --------------------------------------------------------------------------------------------
# DOCX rendering (python-docx)
# --------------------------------------------------------------------------------------------
def build_docx(tender: Tender) -> tuple[bytes, dict]:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(22)
    sec.top_margin = sec.bottom_margin = Mm(22)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10.5)

    # Header and footer live in their own parts, so extractors reading the body never see them.
    hp = sec.header.paragraphs[0]
    hp.text = tender.header_text
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("Page ")
    _field(fp, "PAGE", "1", OxmlElement, qn)
    fp.add_run(" of ")
    _field(fp, "NUMPAGES", "1", OxmlElement, qn)

    cp = doc.core_properties
    cp.title = tender.title
    cp.author = tender.buyer
    cp.last_modified_by = tender.buyer
    cp.subject = tender.subject
    cp.keywords = f"{tender.reference} tender"
    cp.comments = "Fictional sample tender generated for barrier-scan."
    cp.category = tender.doc_type
    cp.language = "en-GB"
    cp.revision = 1
    naive = FIXED_DATE.replace(tzinfo=None)
    cp.created = naive
    cp.modified = naive
    cp.last_printed = naive

    buyer_p = doc.add_paragraph()
    buyer_p.add_run(tender.buyer).bold = True
    doc.add_heading(tender.title, 0)
    doc.add_paragraph(f"{tender.doc_type} - Reference {tender.reference}")
    _docx_table(doc, ["Key facts", ""], [list(f) for f in tender.facts], qn, OxmlElement,
                [0.32, 0.68])

    stats = {"tables": 1, "numbered_lists": 0, "headings": 0}
    for kind, num, heading, block in numbered(tender):
        if kind == "h1":
            doc.add_heading(f"{num} {heading}", 1)
            stats["headings"] += 1
        elif kind == "h2":
            doc.add_heading(f"{num} {heading}", 2)
            stats["headings"] += 1
        elif isinstance(block, P):
            doc.add_paragraph(block.text)
        elif isinstance(block, OL):
            num_id = _restart_numbering(doc)
            for item in block.items:
                para = doc.add_paragraph(item, style="List Number")
                _set_num(para, num_id, OxmlElement, qn)
            stats["numbered_lists"] += 1
        elif isinstance(block, UL):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _docx_table(doc, block.header, block.rows, qn, OxmlElement, block.widths)
            stats["tables"] += 1
        else:  # pragma: no cover - authoring error
            raise TypeError(f"unknown block {block!r}")

    raw = io.BytesIO()
    doc.save(raw)
    return _fix_zip(raw.getvalue()), stats


def _field(paragraph, instr: str, placeholder: str, OxmlElement, qn) -> None:
    run = paragraph.add_run()
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    inner = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = placeholder
    inner.append(t)
    fld.append(inner)
    run._r.addnext(fld)


def _docx_table(doc, header, rows, qn, OxmlElement, widths=None) -> None:
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    hdr = table.rows[0]
    trPr = hdr._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trPr.append(flag)
    for cell, text in zip(hdr.cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for r in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, r):
            cell.text = text
    if widths:
        total = sum(widths)
        table.autofit = False
        for col, w in zip(table.columns, widths):
            col.width = Mm(166 * w / total)
        for row in table.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Mm(166 * w / total)
    doc.add_paragraph()


def _restart_numbering(doc) -> int:
    """Create a new w:num for the 'List Number' abstract definition starting again at 1."""
    numbering = doc.part.numbering_part.numbering_definitions._numbering
    style = doc.styles["List Number"]
    style_num_id = style.element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _set_num(paragraph, num_id: int, OxmlElement, qn) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    numPr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    numPr.append(ilvl)
    numPr.append(nid)
    pPr.append(numPr)


def _fix_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps and attributes (byte-stable output)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Tender texts
# --------------------------------------------------------------------------------------------
TENDERS: list[Tender] = []


def tender(t: Tender) -> Tender:
    TENDERS.append(t)
    return t


# 1. Community arts for mental wellbeing (PDF) - mostly open, a few barriers ---------------
tender(Tender(
    file="01_kestrel_vale_creative_minds.pdf",
    title="Creative Minds: Community Arts for Mental Wellbeing",
    buyer="Kestrel Vale District Council",
    short="Creative Minds Tender",
    reference="KVDC/PH/2025/014",
    doc_type="Invitation to Tender",
    subject="Community arts service for adult mental wellbeing (mixed, mostly open)",
    facts=[
        ("Reference", "KVDC/PH/2025/014"),
        ("Buyer", "Kestrel Vale District Council, Public Health and Communities"),
        ("Contract value", "£90,000 per annum; maximum £270,000 over 3 years excluding VAT"),
        ("Term", "2 years from 1 July 2025, with an option to extend by 1 year"),
        ("Date of issue", "3 March 2025"),
        ("Tender deadline", "12:00 noon on Friday 4 April 2025"),
        ("Procedure", "Below-threshold open competition, Procurement Act 2023 (Part 6)"),
    ],
    sections=[
        Section("Introduction and Background", [
            P("Kestrel Vale District Council (the Council) invites tenders for a community arts "
              "service that supports the mental wellbeing of adults living in the district. The "
              "service forms part of the Healthy Kestrel Vale Strategy 2024-2029 and is funded "
              "from the Public Health grant."),
            P("Our 2023 residents' survey found that about one adult in five reported low life "
              "satisfaction, with the highest rates in the wards of Marlowe, Hythe Common and "
              "Saltcote. GP practices in those wards tell us they see growing numbers of patients "
              "with mild to moderate anxiety who do not meet the threshold for NHS Talking "
              "Therapies but who would benefit from regular contact with other people."),
            P("Since 2021 the Council has grant-funded three small creative wellbeing projects. "
              "An evaluation published in 2024 found that participants valued groups that met "
              "regularly, were led by practising artists and could be joined without a formal "
              "referral. This tender brings that learning into one contracted service."),
        ]),
        Section("Service Specification", [
            Sub("Purpose and outcomes", [
                P("The purpose of the service is to offer regular, welcoming creative activity "
                  "so that adults experiencing low mood, anxiety or loneliness feel more connected "
                  "to other people and to their community."),
                P("The outcomes we want to achieve over the life of the contract are:"),
                OL([
                    "Participants report improved mental wellbeing after twelve weeks of taking part.",
                    "Participants report feeling less lonely and more confident about joining other "
                    "community activities.",
                    "Residents of the three priority wards, and men aged 40 to 64, take part in "
                    "numbers at least in line with their share of the district's population.",
                    "Participants know where to find further help, and those who need it are "
                    "supported to reach it.",
                ]),
            ]),
            Sub("Service model", [
                P("Bidders are invited to propose the art forms, group sizes and session formats "
                  "that they believe will best achieve the outcomes above. Visual art, music, "
                  "creative writing, dance, photography, craft and digital making are all in scope, "
                  "and a mix of art forms across the district is encouraged."),
                P("Sessions must be delivered weekly between 10:00 and 12:00 at the Marlowe "
                  "Community Hall, which the Council will provide free of charge, together with at "
                  "least one further weekly session in Hythe Common or Saltcote at a venue of the "
                  "provider's choosing."),
                P("The service must also:"),
                UL([
                    "accept self-referrals as well as referrals from GP practices, social "
                    "prescribing link workers and the Council's community hubs;",
                    "be free at the point of use, with materials provided;",
                    "be physically accessible, with adjustments for people with sensory "
                    "impairments or limited English;",
                    "have a named safeguarding lead and follow the Kestrel Vale Safeguarding Adults "
                    "Board procedures.",
                ]),
            ]),
            Sub("Monitoring", [
                P("The provider will report each quarter on attendance, the profile of participants "
                  "and progress against the outcomes. Change in wellbeing should be measured with "
                  "a validated short scale. The Council uses SWEMWBS in its other public health "
                  "contracts but will consider any equivalent tool proposed by the bidder."),
                P("We expect monitoring to be proportionate to the value of the contract. A short "
                  "quarterly return and an annual review meeting will be sufficient; participant "
                  "stories and photographs are welcome as part of the annual report."),
            ]),
        ]),
        Section("Contract Value, Term and Payment", [
            P("The contract will run for two years from 1 July 2025, with an option to extend for "
              "one further year. The budget is £90,000 per annum, giving a maximum total value of "
              "£270,000 excluding VAT. Bids above £90,000 per annum will not be considered."),
            P("The contract price will be paid in four equal instalments each year, invoiced "
              "quarterly in arrears. Valid and undisputed invoices will be paid within 30 days of "
              "receipt."),
        ]),
        Section("Conditions of Participation", [
            Sub("Economic and financial standing", [
                P("The Council will review your two most recent years of accounts to confirm that "
                  "your organisation can sustain a contract of this size. We will look at income, "
                  "reserves and committed costs in the round rather than applying a single pass mark."),
                P("If your organisation is not required to have its accounts audited, independently "
                  "examined accounts or receipts-and-payments accounts approved by your trustees are "
                  "acceptable. Organisations formed in the last two years may instead provide "
                  "management accounts and a letter from their bank."),
            ]),
            Sub("Insurance", [
                P("Bidders will be asked to confirm that they hold, or will obtain before the "
                  "contract starts, the following cover. Certificates are needed only from the "
                  "successful bidder."),
                UL([
                    "Employer's liability insurance of £5 million (the statutory minimum), where "
                    "you employ staff.",
                    "Public liability insurance of £2 million for any one claim.",
                ]),
            ]),
            Sub("Technical and professional ability", [
                P("Bidders must have delivered at least two contracts for a local authority or NHS "
                  "body in the last three years, each with a value of £50,000 or more. Please give "
                  "contact details for each contract."),
                P("Lead practitioners should hold a relevant arts or arts-in-health qualification, "
                  "or be able to show equivalent professional experience of leading community "
                  "groups."),
            ]),
            Sub("Consortia and subcontracting", [
                P("We welcome bids from consortia and partnerships of local arts organisations. One "
                  "member must act as lead partner and hold the contract, and the bid should "
                  "explain how the partners will share delivery, payment and risk."),
            ]),
        ]),
        Section("Evaluation", [
            P("Tenders will be assessed to identify the most advantageous tender using the "
              "criteria and weightings below. Quality questions are scored 0 to 5 and weighted."),
            Table(["Criterion", "Weighting"], [
                ["Service model and how it will achieve the outcomes", "35%"],
                ["Reaching the priority wards and groups", "15%"],
                ["Safeguarding, staffing and volunteer support", "10%"],
                ["Social value", "10%"],
                ["Price", "30%"],
            ], [3, 1]),
            P("Price will be scored by dividing the lowest compliant price by the bidder's price "
              "and multiplying by 30. Each quality answer is limited to 750 words."),
        ]),
        Section("Timetable", [
            Table(["Stage", "Date"], [
                ["Tender notice published on the Central Digital Platform", "Monday 3 March 2025"],
                ["Online supplier briefing", "Wednesday 12 March 2025, 14:00 to 15:00"],
                ["Deadline for clarification questions", "Friday 21 March 2025"],
                ["Tender deadline", "12:00 noon, Friday 4 April 2025"],
                ["Presentations (shortlisted bidders)", "w/c 28 April 2025"],
                ["Contract award notice and standstill", "May 2025"],
                ["Service start", "1 July 2025"],
            ], [3, 2]),
            P("The online supplier briefing on 12 March will be recorded, and the slides and answers "
              "to all questions will be shared with every organisation that has registered an "
              "interest, whether or not it attended."),
        ]),
        Section("Contract Terms and Procedure", [
            P("The contract will be let on the Council's short-form terms for services, which are "
              "included in the tender pack. Liability is capped at 125% of the annual contract value."),
            P("The Council does not currently fund this service through a contract and its view is "
              "that no staff will transfer under TUPE."),
            P("This is a below-threshold procurement under Part 6 of the Procurement Act 2023. The "
              "tender notice and all documents are available free of charge on the Central Digital "
              "Platform and the Council's e-tendering portal."),
        ]),
    ],
    plants=[
        Plant("B7", "outcome_language", "strength", "feel more connected to other people and to their community"),
        Plant("B7", "outcome_language", "strength", "Participants report feeling less lonely"),
        Plant("B1", "over_specification", "barrier", "Sessions must be delivered weekly between 10:00 and 12:00 at the Marlowe Community Hall"),
        Plant("B7", "openness", "strength", "Bidders are invited to propose the art forms, group sizes and session formats"),
        Plant("B1", "openness", "strength", "will consider any equivalent tool proposed by the bidder"),
        Plant("B11", "none", "barrier", "invoiced quarterly in arrears"),
        Plant("B2", "openness", "strength", "If your organisation is not required to have its accounts audited"),
        Plant("B3", "openness", "strength", "or will obtain before the contract starts"),
        Plant("B4", "burden_of_proof", "barrier", "must have delivered at least two contracts for a local authority or NHS body"),
        Plant("B4", "openness", "strength", "or be able to show equivalent professional experience"),
        Plant("B6", "openness", "strength", "We welcome bids from consortia and partnerships of local arts organisations"),
        Plant("B9", "openness", "strength", "answers to all questions will be shared with every organisation"),
        Plant("B13", "openness", "strength", "Liability is capped at 125% of the annual contract value"),
        Plant("B12", "openness", "strength", "no staff will transfer under TUPE"),
    ],
))


# 2. Museum learning programme for people living with dementia (DOCX) - mixed ---------------
tender(Tender(
    file="02_fenmarsh_museum_dementia_programme.docx",
    title="Museum Learning Programme for People Living with Dementia and their Carers",
    buyer="Fenmarsh County Council",
    short="Museums Dementia Programme ITT",
    reference="FCC-CUL-0931",
    doc_type="Invitation to Tender",
    subject="Museum object-handling and learning sessions for people with dementia (mixed)",
    facts=[
        ("Reference", "FCC-CUL-0931"),
        ("Service area", "Fenmarsh Museums Service, Culture and Communities Directorate"),
        ("Estimated value", "£240,000 over three years (about £80k per year)"),
        ("Contract period", "1 April 2025 to 31 March 2028"),
        ("Issued", "14/01/2025"),
        ("Closing date", "14:00 on 21/02/2025"),
        ("Regulations", "Public Contracts Regulations 2015, Part 4 (below threshold), single stage"),
    ],
    sections=[
        Section("Background", [
            P("Fenmarsh Museums Service runs four museums: the County Museum in Fenmarsh, the "
              "Waterways Museum at Ketton Lock, the Rural Life Museum at Sallowby and the Mill "
              "House in Upwell St Mary. Together they hold around 180,000 objects, including large "
              "handling collections of domestic, agricultural and wartime material."),
            P("About 9,400 people in the county are living with a diagnosis of dementia, and the "
              "number is expected to rise by a third by 2035. Between 2022 and 2024 the Service ran "
              "a pilot of monthly reminiscence afternoons at two sites. Carers told us the sessions "
              "were one of the few outings they could share with the person they care for."),
            P("The programme described here was co-designed with members of the Fenmarsh Dementia "
              "Voices group and with carers from the pilot, who helped write the outcomes and the "
              "evaluation questions."),
        ]),
        Section("What We Want to Achieve", [
            P("The programme should help people living with dementia to maintain a sense of "
              "identity and enjoyment, and give carers a break from routine in a setting where "
              "they feel welcome."),
            OL([
                "People living with dementia experience improved mood and engagement during and "
                "immediately after sessions.",
                "Carers feel less isolated and more confident about visiting cultural venues.",
                "Museum staff and volunteers become more skilled and confident in welcoming "
                "visitors with dementia.",
                "More people from rural parts of the county, where services are thinnest, take part.",
            ]),
        ]),
        Section("Service Requirements", [
            Sub("Sessions", [
                P("The provider will run small-group sessions at each of the four museums and a "
                  "programme of outreach visits to care homes and day centres. We expect around 120 "
                  "sessions a year in total, but bidders may propose a different pattern if they "
                  "can show it will reach more people."),
                P("All sessions must follow the Memory Threads object-handling method, including "
                  "its fixed six-stage session plan and recording sheets."),
                P("Staff leading sessions must have completed the Fenmarsh Dementia Champions "
                  "course before the contract start date."),
            ]),
            Sub("Training for museum staff", [
                P("The provider will deliver awareness training to museum front-of-house staff and "
                  "volunteers, and will mentor at least two members of the Service's learning team "
                  "so that the approach is embedded after the contract ends."),
            ]),
            Sub("Safeguarding and information", [
                UL([
                    "All staff and volunteers working with participants must have an enhanced DBS check.",
                    "The provider must comply with UK GDPR and the Council's data sharing agreement.",
                    "Accessible information must be produced in consultation with participants.",
                ]),
            ]),
        ]),
        Section("Selection Criteria", [
            Sub("Financial standing", [
                P("Bidders must provide audited accounts for the last three financial years. The "
                  "Council will also obtain a credit report, and a score below 30 on the Council's "
                  "credit reference agency scale will result in exclusion."),
            ]),
            Sub("Insurance", [
                P("Copies of current insurance certificates must be uploaded with your tender. "
                  "Required levels are employer's liability £5m, public liability £5m and "
                  "professional indemnity £1m."),
            ]),
            Sub("Experience", [
                P("Please describe up to three examples of relevant work. Examples may come from "
                  "grant-funded, commissioned or voluntary projects, and organisations working "
                  "together may draw on the experience of any partner."),
            ]),
        ]),
        Section("Award Criteria", [
            P("The contract will be awarded to the most economically advantageous tender on the "
              "basis of the criteria below."),
            Table(["Criterion", "Weighting"], [
                ["Approach to achieving the outcomes", "30%"],
                ["Reaching rural communities", "15%"],
                ["Training and legacy for the Museums Service", "15%"],
                ["Social value", "10%"],
                ["Price", "30%"],
            ], [3, 1]),
        ]),
        Section("Timetable", [
            Table(["Activity", "Date"], [
                ["Invitation to tender issued", "14/01/2025"],
                ["Provider question and answer session (online)", "28/01/2025"],
                ["Clarification questions close", "07/02/2025"],
                ["Tender closing date", "21/02/2025, 14:00"],
                ["Notification of award", "14/03/2025"],
                ["Contract start", "01/04/2025"],
            ], [3, 2]),
        ]),
        Section("Contract Terms", [
            P("Payment will be made monthly in arrears within 30 days of a valid invoice. For the "
              "first quarter of the contract, the Council is willing to pay in advance to help "
              "with set-up costs."),
            P("The outgoing pilot was delivered by Museum staff and the current provider has "
              "confirmed that no staff are wholly or mainly assigned to it, so TUPE is not "
              "expected to apply."),
            P("This procurement is below the light-touch threshold. The Council is following an "
              "open, single-stage process in line with Part 4 of the Public Contracts Regulations "
              "2015, and there is no separate selection stage."),
        ]),
    ],
    plants=[
        Plant("B9", "openness", "strength", "co-designed with members of the Fenmarsh Dementia Voices group"),
        Plant("B7", "outcome_language", "strength", "help people living with dementia to maintain a sense of identity"),
        Plant("B7", "outcome_language", "strength", "Carers feel less isolated and more confident"),
        Plant("B7", "openness", "strength", "bidders may propose a different pattern"),
        Plant("B1", "over_specification", "barrier", "All sessions must follow the Memory Threads object-handling method"),
        Plant("B4", "burden_of_proof", "barrier", "must have completed the Fenmarsh Dementia Champions course"),
        Plant("B2", "burden_of_proof", "barrier", "must provide audited accounts for the last three financial years"),
        Plant("B2", "burden_of_proof", "barrier", "a score below 30 on the Council's credit reference agency scale will result in exclusion"),
        Plant("B3", "burden_of_proof", "barrier", "Copies of current insurance certificates must be uploaded with your tender"),
        Plant("B4", "openness", "strength", "Examples may come from grant-funded, commissioned or voluntary projects"),
        Plant("B11", "openness", "strength", "the Council is willing to pay in advance"),
        Plant("B12", "openness", "strength", "TUPE is not expected to apply"),
    ],
))


# 3. Library reading groups for isolated older people (DOCX) - two-stage below threshold -----
tender(Tender(
    file="03_brackenmoor_library_reading_groups.docx",
    title="Reading Together: Library Reading Groups for Older People at Risk of Isolation",
    buyer="Brackenmoor Metropolitan Borough Council",
    short="Reading Together - Request for Quotation",
    reference="BMBC/LIB/24/077",
    doc_type="Request for Quotation (two stages)",
    subject="Reading groups in branch libraries and sheltered housing for isolated older people",
    facts=[
        ("Reference", "BMBC/LIB/24/077"),
        ("Commissioner", "Brackenmoor Libraries and Information Service"),
        ("Budget", "£35,000 per annum (£70,000 for the two-year term)"),
        ("Contract term", "2 years from 3 March 2025"),
        ("Published", "4 November 2024"),
        ("Stage 1 return date", "5pm, 22 November 2024"),
        ("Stage 2 return date", "5pm, 13 December 2024"),
        ("Regulations", "Public Contracts Regulations 2015 and the Council's Contract Procedure Rules"),
    ],
    sections=[
        Section("Introduction", [
            P("Brackenmoor Libraries run eleven branch libraries and a home library service that "
              "delivers books to 640 housebound residents. Staff and volunteers regularly meet "
              "older people whose only conversation in a week is with the person who brings their "
              "books."),
            P("The Council's 2024 Joint Strategic Needs Assessment estimates that 11,200 residents "
              "aged 65 or over live alone, and that around a third of them have contact with family "
              "or friends less than once a week. Libraries are one of the few free, warm and "
              "non-stigmatising places that older people tell us they are happy to visit."),
            P("The Council wishes to appoint a provider to set up and run reading groups in "
              "libraries, sheltered housing schemes and community centres, aimed at residents aged "
              "65 and over who live alone or have recently been bereaved."),
        ]),
        Section("The Service", [
            Sub("Aims", [
                P("Over the two years we want fewer older residents to report feeling lonely, more "
                  "of them to use their local library, and those taking part to feel that they "
                  "have something to look forward to each week."),
                P("Providers are invited to explain how they will reach people who do not already "
                  "use libraries, including those referred by adult social care and housing officers."),
            ]),
            Sub("Requirements", [
                P("The provider will establish at least eight groups across the borough. Each group "
                  "must have no more than 12 members and meet for 90 minutes every week, reading "
                  "aloud from a short story and a poem chosen by the facilitator."),
                P("The provider must also:"),
                UL([
                    "recruit, train and support volunteer facilitators, with the aim that groups "
                    "continue after the contract ends;",
                    "arrange transport or accompanied walking for members who cannot travel alone;",
                    "provide large-print and audio copies of texts;",
                    "work with the home library service to invite housebound readers to join by "
                    "telephone or video call.",
                ]),
            ]),
        ]),
        Section("How to Respond", [
            P("This is a two-stage process. Stage 1 is a selection questionnaire covering "
              "financial standing, insurance and experience. Only the five highest-scoring "
              "organisations at Stage 1 will be invited to submit a full tender at Stage 2."),
            P("At Stage 2 you will be asked to submit:"),
            OL([
                "a method statement of no more than 2,000 words;",
                "a delivery plan showing where and when groups will be set up;",
                "a price schedule for each year of the contract;",
                "a social value statement.",
            ]),
        ]),
        Section("Selection Questionnaire (Stage 1)", [
            Sub("Financial standing", [
                P("Organisations must have a minimum annual turnover of £100,000 in each of the last "
                  "two financial years."),
            ]),
            Sub("Insurance", [
                P("Public liability insurance of £5 million and employer's liability insurance of "
                  "£5 million are required for this contract."),
            ]),
            Sub("Experience", [
                P("Please give two examples of similar work. Experience gained through grant-funded "
                  "or volunteer-led projects will be given equal weight to contracted work."),
            ]),
        ]),
        Section("Evaluation at Stage 2", [
            Table(["Criterion", "Weighting"], [
                ["Method statement: reaching isolated residents", "35%"],
                ["Volunteer recruitment and sustainability", "20%"],
                ["Social value", "15%"],
                ["Price", "30%"],
            ], [3, 1]),
            P("For social value, bidders may describe their commitments in a short qualitative "
              "statement. We are particularly interested in volunteering opportunities for older "
              "residents and in links with local writers and reading charities."),
        ]),
        Section("Key Dates", [
            Table(["Stage", "Date"], [
                ["Opportunity published on Contracts Finder", "4 November 2024"],
                ["Stage 1 questionnaire deadline", "5pm, 22 November 2024"],
                ["Shortlist notified", "27 November 2024"],
                ["Stage 2 tender deadline", "5pm, 13 December 2024"],
                ["Award", "January 2025"],
                ["Start", "3 March 2025"],
            ], [3, 2]),
        ]),
        Section("Monitoring", [
            P("The provider will keep a simple record of group membership and attendance and will "
              "ask members to complete a short loneliness questionnaire when they join, after six "
              "months and at the end of the contract. The Council will supply the questionnaire and "
              "a spreadsheet template, so no specialist software is needed."),
            P("Every six months the provider will meet the Reader Development Manager to review "
              "progress, share members' comments and agree any changes to the number or location "
              "of groups. We expect the pattern of groups to change as the provider learns where "
              "demand is greatest."),
        ]),
        Section("Contract Terms", [
            Sub("Payment", [
                P("The Council will pay monthly, and invoices will be settled within 20 days of receipt."),
            ]),
            Sub("Staffing and TUPE", [
                P("There is no existing contracted service. The reading groups currently held in "
                  "three branches are run by library staff, who will stay with the Council, so the "
                  "Council does not consider that the Transfer of Undertakings (Protection of "
                  "Employment) Regulations 2006 will apply."),
            ]),
            Sub("Terms and conditions", [
                P("The Council's standard conditions for services will apply. The provider will be "
                  "responsible for the conduct of its volunteers, for safeguarding training and for "
                  "ensuring that anyone visiting a resident at home has been appropriately checked."),
                P("Questions about this opportunity must be sent through the messaging function of "
                  "the Council's e-tendering portal by 15 November 2024 for Stage 1 and by 6 December "
                  "2024 for Stage 2. Answers will be published to all registered organisations "
                  "without identifying who asked."),
            ]),
        ]),
    ],
    plants=[
        Plant("B7", "outcome_language", "strength", "we want fewer older residents to report feeling lonely"),
        Plant("B7", "outcome_language", "strength", "Providers are invited to explain how they will reach people"),
        Plant("B1", "over_specification", "barrier", "must have no more than 12 members and meet for 90 minutes every week"),
        Plant("B5", "burden_of_proof", "barrier", "Only the five highest-scoring organisations at Stage 1 will be invited"),
        Plant("B2", "burden_of_proof", "barrier", "minimum annual turnover of £100,000"),
        Plant("B3", "burden_of_proof", "barrier", "Public liability insurance of £5 million"),
        Plant("B4", "openness", "strength", "will be given equal weight to contracted work"),
        Plant("B8", "openness", "strength", "bidders may describe their commitments in a short qualitative statement"),
        Plant("B11", "openness", "strength", "invoices will be settled within 20 days of receipt"),
    ],
))


# 4. Social prescribing creative activities (PDF) - lots, PME, but PbR and named software ----
tender(Tender(
    file="04_severnmoor_icb_social_prescribing_creative.pdf",
    title="Creative Activities for Social Prescribing",
    buyer="NHS Severnmoor Integrated Care Board",
    short="Creative Social Prescribing Tender",
    reference="SVM-ICB-2025-0117",
    doc_type="Tender Document",
    subject="Creative activities for people referred by social prescribing link workers (three lots)",
    facts=[
        ("Reference", "SVM-ICB-2025-0117"),
        ("Contracting authority", "NHS Severnmoor Integrated Care Board (the ICB)"),
        ("Total value", "£450k over 3 years (£150k a year across three lots)"),
        ("Lots", "Lot 1 North Severnmoor £60,000 a year; Lot 2 Central £50,000 a year; "
                 "Lot 3 South and Rural £40,000 a year"),
        ("Tender notice published", "Monday 2 June 2025"),
        ("Deadline for tenders", "Thursday 10 July 2025 at 12:00"),
        ("Procedure", "Open procedure under the Procurement Act 2023"),
    ],
    sections=[
        Section("Background", [
            P("Social prescribing link workers in Severnmoor's 14 primary care networks received "
              "more than 21,000 referrals in 2024/25. The most common reasons were loneliness, low "
              "mood and long-term conditions affecting daily life. Link workers have told the ICB "
              "that the creative groups they most often want to refer people to are either full, "
              "short-lived or unavailable outside the main towns."),
            P("The ICB, working with Severnmoor County Council and the three Place partnerships, "
              "wishes to commission a stable offer of creative activity that link workers can "
              "refer into with confidence. The arts are one part of a wider social prescribing "
              "menu that also includes physical activity, green space and advice services."),
            P("These services are non-clinical community activities. The ICB has concluded that "
              "they are not health care services within the meaning of the Health Care Services "
              "(Provider Selection Regime) Regulations 2023, and they are therefore being procured "
              "under the Procurement Act 2023."),
        ]),
        Section("Market Engagement", [
            P("A preliminary market engagement notice was published on the Central Digital Platform "
              "in January 2025. Two market engagement events were held in February 2025, one in "
              "Wyreford and one online, attended by 37 organisations."),
            P("Feedback from those events changed the design of this procurement. In particular, "
              "the service has been divided into three lots by Place, the contract length has been "
              "extended from two to three years, and the ICB has removed a proposed requirement "
              "for providers to hold their own premises."),
        ]),
        Section("Service Specification", [
            Sub("Outcomes", [
                P("The service should enable people referred by link workers to take part in "
                  "regular creative activity so that they feel less isolated, more in control of "
                  "their own wellbeing and more connected to their local community."),
                P("The ICB will measure the success of the service against three outcomes:"),
                OL([
                    "Improved self-reported wellbeing among people who attend six or more sessions.",
                    "Reduced loneliness, measured at referral and after three months.",
                    "An increase in the proportion of participants who go on to join other "
                    "community groups or volunteer.",
                ]),
            ]),
            Sub("Delivery", [
                P("Providers are free to propose the art forms, venues and timetable that suit "
                  "their Place. We expect offers to include daytime and evening options and at "
                  "least some activity in rural market towns in Lot 3."),
                P("Providers must use the ReferWell case management system for all referrals and "
                  "attendance records, licensed at the provider's own cost."),
                P("The ICB expects providers to work closely with link workers, to give feedback on "
                  "each referral within ten working days and to support participants who stop "
                  "attending to return or to find something more suitable."),
            ]),
            Sub("Workforce", [
                P("Practitioners should be experienced community artists. A qualification in "
                  "arts and health is desirable but not required."),
            ]),
        ]),
        Section("Conditions of Participation", [
            P("Conditions of participation are assessed on a pass/fail basis and will be "
              "applied to each lot separately."),
            Sub("Financial standing", [
                P("Where the ICB considers turnover, it will be assessed per lot and will not exceed "
                  "twice the annual value of the lot or lots bid for."),
            ]),
            Sub("Insurance", [
                P("Suppliers must confirm that the following insurance will be in place from the "
                  "contract start date: employer's liability at the statutory minimum, public "
                  "liability of £5 million, and professional indemnity insurance of at least £2 "
                  "million."),
            ]),
            Sub("Safeguarding", [
                P("All practitioners working with adults at risk must have an enhanced DBS check, "
                  "and providers must have safeguarding policies reviewed within the last two years."),
            ]),
        ]),
        Section("Payment Mechanism", [
            P("80% of the annual lot value will be paid monthly in arrears, within 30 days of a "
              "valid invoice."),
            P("The remaining 20% of each year's payment will be withheld and released only on "
              "achievement of the outcome targets agreed at mobilisation, assessed at the end of "
              "each contract year."),
        ]),
        Section("Award Criteria", [
            Table(["Criterion", "Sub-criterion", "Weighting"], [
                ["Quality", "Service design and outcomes", "30%"],
                ["Quality", "Partnership with link workers and the Place", "15%"],
                ["Quality", "Reaching people facing health inequalities", "15%"],
                ["Social value", "Tackling health inequalities and supporting local VCSE groups", "10%"],
                ["Price", "Cost per participant and total price", "30%"],
            ], [1.2, 3, 1]),
            P("The ICB will award each lot to the most advantageous tender (MAT) for that lot. A "
              "supplier may win more than one lot."),
        ]),
        Section("Timetable", [
            Table(["Event", "Date"], [
                ["Tender notice published", "2 June 2025"],
                ["Bidder webinar", "11 June 2025, 10:00"],
                ["Clarification questions close", "26 June 2025"],
                ["Tender deadline", "10 July 2025, 12:00"],
                ["Evaluation and moderation", "July 2025"],
                ["Contract award notice; standstill (8 working days)", "August 2025"],
                ["Mobilisation", "September 2025"],
                ["Services start", "1 October 2025"],
            ], [3, 2]),
        ]),
        Section("Other Terms", [
            P("TUPE: the ICB currently funds creative groups through small grants. No employees "
              "are expected to transfer."),
            P("The contract will be the NHS Standard Contract (shorter form), with liability capped "
              "at the annual value of each lot."),
        ]),
    ],
    plants=[
        Plant("B9", "openness", "strength", "Two market engagement events were held in February 2025"),
        Plant("B6", "openness", "strength", "the service has been divided into three lots by Place"),
        Plant("B7", "outcome_language", "strength", "so that they feel less isolated, more in control of their own wellbeing"),
        Plant("B7", "openness", "strength", "Providers are free to propose the art forms, venues and timetable"),
        Plant("B1", "over_specification", "barrier", "Providers must use the ReferWell case management system"),
        Plant("B4", "openness", "strength", "desirable but not required"),
        Plant("B2", "openness", "strength", "will not exceed twice the annual value of the lot"),
        Plant("B3", "burden_of_proof", "barrier", "professional indemnity insurance of at least £2 million"),
        Plant("B7", "none", "barrier", "withheld and released only on achievement of the outcome targets"),
        Plant("B8", "openness", "strength", "supporting local VCSE groups"),
        Plant("B12", "openness", "strength", "No employees are expected to transfer"),
    ],
))


# 5. Summer festival programme (PDF) - named supplier, blanket PL, liquidated damages --------
tender(Tender(
    file="05_castlebridge_summer_festival.pdf",
    title="Castlebridge Summer Festival 2025: Artistic Programme and Delivery",
    buyer="Castlebridge City Council",
    short="Summer Festival 2025 ITT",
    reference="CCC/EVENTS/2025/03",
    doc_type="Invitation to Tender",
    subject="Producing a free three-day outdoor arts festival (mixed)",
    facts=[
        ("Reference", "CCC/EVENTS/2025/03"),
        ("Department", "Castlebridge City Council, Events and Culture Team"),
        ("Fee", "£85,000 fixed fee, inclusive of all artist, production and marketing costs "
                "(excluding VAT)"),
        ("Festival dates", "Friday 25 to Sunday 27 July 2025"),
        ("Issue date", "10th February 2025"),
        ("Return date", "Friday 14th March 2025, 4.00pm"),
        ("Regulations", "Public Contracts Regulations 2015; below-threshold cultural services"),
    ],
    sections=[
        Section("About the Festival", [
            P("The Castlebridge Summer Festival has taken place every July since 2009. It is free to "
              "attend and last year welcomed an estimated 18,000 visitors over three days, with "
              "music, street theatre, family activities and a community parade."),
            P("The Council's audience survey in 2024 found that most visitors already attend arts "
              "events regularly, and that residents of the Eastgate and Tanners Quay estates were "
              "under-represented. The Council wants the 2025 festival to change that."),
        ]),
        Section("Aims of the 2025 Festival", [
            P("We want the festival to be shaped by local people, so that residents who do not "
              "usually attend arts events feel the festival is for them and take part as "
              "performers, makers and volunteers as well as audiences."),
            UL([
                "Increase attendance from the Eastgate and Tanners Quay estates.",
                "Give local artists and community groups paid opportunities to perform and exhibit.",
                "Build pride in the city centre and support local traders.",
            ]),
        ]),
        Section("Scope of Services", [
            Sub("Artistic programme", [
                P("The appointed producer will curate, contract and manage an artistic programme "
                  "across three days, including a main stage, a family area, street theatre and "
                  "the community parade on Saturday 26 July."),
                P("At least 40% of the programme budget should go to artists and groups based in "
                  "Castlebridge and the surrounding district. Bids from consortia of artists and "
                  "producers are welcome, provided one organisation takes the lead."),
            ]),
            Sub("Production and site", [
                P("The main stage must be located in Victoria Gardens and must replicate the site "
                  "layout used in 2024, a plan of which is attached at Appendix B."),
                P("All staging, lighting and sound equipment must be hired from Apex Staging Ltd, "
                  "the Council's approved supplier for outdoor events."),
                P("The producer will prepare an event safety plan in line with the Purple Guide or "
                  "an equivalent recognised standard, and will attend the Safety Advisory Group "
                  "meetings in April and June."),
            ]),
            Sub("Marketing and evaluation", [
                P("The producer will deliver the festival marketing campaign using the Council's "
                  "brand guidelines, and will carry out an audience survey of at least 400 people "
                  "over the three days."),
            ]),
        ]),
        Section("Requirements of Bidders", [
            Sub("Insurance", [
                P("The producer must hold public liability insurance of £10 million. All "
                  "subcontracted artists and community groups, including those running craft and "
                  "storytelling tents, must each hold public liability insurance of £10 million."),
                P("Evidence of cover will be requested from the preferred bidder before the "
                  "contract is signed."),
            ]),
            Sub("Experience", [
                P("Please provide details of two outdoor events of a similar scale that your "
                  "organisation, or the members of your consortium, have produced. Events funded by "
                  "grants or run on a voluntary basis are equally relevant."),
            ]),
        ]),
        Section("Evaluation Criteria", [
            Table(["Criterion", "Weighting"], [
                ["Artistic vision and programme", "30%"],
                ["Engaging Eastgate and Tanners Quay residents", "25%"],
                ["Production, safety and delivery plan", "20%"],
                ["Local artists and economy (social value)", "10%"],
                ["Value for money", "15%"],
            ], [3, 1]),
        ]),
        Section("Timetable", [
            Table(["Milestone", "Date"], [
                ["ITT published on Contracts Finder", "10th February 2025"],
                ["Site visit, Victoria Gardens", "20th February 2025, 11am"],
                ["Final date for questions", "5th March 2025"],
                ["Return date", "14th March 2025, 4.00pm"],
                ["Interviews", "25th and 26th March 2025"],
                ["Appointment", "w/c 31st March 2025"],
                ["Festival", "25th to 27th July 2025"],
            ], [3, 2]),
        ]),
        Section("Contract and Payment", [
            P("40% of the fee will be paid on signature of the contract to allow artists to be "
              "booked, 40% on 1 July 2025 and the balance within 30 days of the final report."),
            P("If a programmed performance is cancelled for reasons within the producer's "
              "control, the Council will deduct liquidated damages of £1,500 for each cancelled "
              "performance."),
            P("This contract is for recreational and cultural services and its value is below the "
              "threshold for the light-touch regime. It is advertised on Contracts Finder in line "
              "with Part 4 of the Public Contracts Regulations 2015."),
        ]),
    ],
    plants=[
        Plant("B7", "outcome_language", "strength", "so that residents who do not usually attend arts events feel the festival is for them"),
        Plant("B6", "openness", "strength", "Bids from consortia of artists and producers are welcome"),
        Plant("B1", "over_specification", "barrier", "must replicate the site layout used in 2024"),
        Plant("B1", "over_specification", "barrier", "must be hired from Apex Staging Ltd"),
        Plant("B1", "openness", "strength", "or an equivalent recognised standard"),
        Plant("B3", "burden_of_proof", "barrier", "must each hold public liability insurance of £10 million"),
        Plant("B3", "openness", "strength", "Evidence of cover will be requested from the preferred bidder"),
        Plant("B4", "openness", "strength", "Events funded by grants or run on a voluntary basis are equally relevant"),
        Plant("B11", "openness", "strength", "40% of the fee will be paid on signature of the contract"),
        Plant("B13", "none", "barrier", "liquidated damages of £1,500 for each cancelled performance"),
    ],
))


# 6. Early help for families through creative play (DOCX) - lots and co-design, opaque TUPE -
tender(Tender(
    file="06_oakhollow_early_help_creative_play.docx",
    title="Early Help: Creative Play for Families with Young Children",
    buyer="Oakhollow Borough Council",
    short="Creative Play Early Help Tender",
    reference="OBC-CS-25-0208",
    doc_type="Tender Pack",
    subject="Creative play sessions for families in three Family Hub localities (mixed)",
    facts=[
        ("Reference", "OBC-CS-25-0208"),
        ("Service", "Children's Services, Early Help and Family Hubs"),
        ("Value", "£187,500 per annum across three lots; Lot 1 Northfield £75,000 p.a., Lot 2 "
                  "Riverside £62,500 p.a., Lot 3 Oakhollow Town £50,000 p.a."),
        ("Duration", "3 years from 1 January 2026"),
        ("Tender notice date", "08/09/2025"),
        ("Tender submission deadline", "17/10/2025 at 12 noon"),
        ("Legal framework", "Procurement Act 2023 - competitive tendering procedure"),
    ],
    sections=[
        Section("Context", [
            P("Oakhollow has three Family Hubs, in Northfield, Riverside and the town centre. Each "
              "offers midwifery, health visiting, parenting support and stay-and-play sessions. "
              "Attendance by families with children under five has fallen since 2020, and staff "
              "report that parents who are struggling are the least likely to come."),
            P("Creative play - music, movement, messy play, storytelling and puppetry - has proved "
              "one of the most effective ways of bringing families through the door. In 2024 the "
              "Council funded a six-month pilot with two local arts organisations. Families who "
              "attended told us they had made friends and felt less judged than in other services."),
            P("In spring 2025 we ran co-design workshops with parents at each Family Hub and with "
              "early years practitioners. The outcomes below are taken from those conversations."),
        ]),
        Section("Outcomes and Approach", [
            Sub("Outcomes for families", [
                P("By the end of the contract we want more families to use their Family Hub, and "
                  "we want parents to feel more confident in playing with their children and in "
                  "asking for help early, before problems become serious."),
                OL([
                    "Parents report increased confidence and enjoyment in play and communication "
                    "with their child.",
                    "Children show progress in early language and social skills, as observed by "
                    "practitioners and parents.",
                    "Families are connected to other Hub services, including health visiting and "
                    "parenting programmes, when they need them.",
                ]),
            ]),
            Sub("Approach", [
                P("We are open to different creative approaches. Bidders should describe the "
                  "activities they will offer, how they will adapt them for children with special "
                  "educational needs and disabilities, and how they will work alongside Family Hub "
                  "staff."),
                P("Sessions take place with a parent or carer present throughout."),
                P("Providers must be registered with Ofsted on the Early Years Register."),
            ]),
            Sub("Working with Family Hubs", [
                P("In each lot the provider will be expected to:"),
                UL([
                    "offer sessions at the Family Hub and in at least two community venues such as "
                    "libraries, children's centres, faith buildings or parks;",
                    "hold some sessions on Saturdays so that working parents can attend;",
                    "share concerns about a child's welfare with the Hub's designated safeguarding "
                    "lead on the same day;",
                    "tell families about other Hub services and help them to book, with consent;",
                    "train at least one Hub practitioner each year to lead simple creative play "
                    "activities of their own.",
                ]),
            ]),
            Sub("Monitoring", [
                P("The Council will agree a short set of measures with each provider during "
                  "mobilisation. We expect to use a brief parent questionnaire at the start and end "
                  "of each block of sessions, practitioner observations and attendance data, "
                  "reviewed at a quarterly meeting with the Family Hub manager. Providers may "
                  "suggest other ways of capturing change, including photographs, film or parents' "
                  "own words."),
            ]),
        ]),
        Section("Lots", [
            P("The contract is divided into three lots, one for each Family Hub locality. "
              "Bidders may bid for one, two or all three lots, and smaller organisations may "
              "find a single lot a better fit for their capacity."),
            Table(["Lot", "Locality", "Annual value", "Indicative reach"], [
                ["1", "Northfield", "£75,000", "220 families a year"],
                ["2", "Riverside", "£62,500", "180 families a year"],
                ["3", "Oakhollow Town", "£50,000", "150 families a year"],
            ], [0.6, 2, 1.4, 2]),
        ]),
        Section("Conditions of Participation", [
            Sub("Economic and financial standing", [
                P("Bidders must have been trading for at least three years at the date of the "
                  "tender deadline."),
                P("Financial standing will be assessed for each lot separately, against the value "
                  "of the lots bid for."),
            ]),
            Sub("Insurance", [
                P("Please confirm that you will have the following insurance prior to contract "
                  "commencement: employer's liability £5m and public liability £2m."),
            ]),
        ]),
        Section("Assessment", [
            Table(["Criterion", "Weighting"], [
                ["Approach to outcomes and creative offer", "35%"],
                ["Inclusion of children with SEND and their families", "15%"],
                ["Partnership with Family Hubs", "10%"],
                ["Social value", "10%"],
                ["Price", "30%"],
            ], [3, 1]),
        ]),
        Section("Timetable", [
            Table(["Step", "Date"], [
                ["Tender notice published on the Central Digital Platform", "08/09/2025"],
                ["Clarification deadline", "03/10/2025"],
                ["Submission deadline", "17/10/2025, 12 noon"],
                ["Evaluation", "20/10/2025 to 07/11/2025"],
                ["Contract award notice", "14/11/2025"],
                ["Contract start", "01/01/2026"],
            ], [3, 2]),
        ]),
        Section("Commercial Terms", [
            P("Payment will be made quarterly in arrears, on receipt of the monitoring return "
              "for the quarter."),
            P("TUPE may apply to staff employed on the current pilot. Employee liability "
              "information will be provided to the successful bidder after contract award."),
            P("The provider shall indemnify the Council against all losses, claims and costs "
              "arising in connection with the services, without limit."),
        ]),
    ],
    plants=[
        Plant("B9", "openness", "strength", "we ran co-design workshops with parents at each Family Hub"),
        Plant("B7", "outcome_language", "strength", "parents to feel more confident in playing with their children"),
        Plant("B7", "outcome_language", "strength", "Parents report increased confidence and enjoyment in play"),
        Plant("B1", "openness", "strength", "We are open to different creative approaches"),
        Plant("B4", "burden_of_proof", "barrier", "must be registered with Ofsted on the Early Years Register"),
        Plant("B6", "openness", "strength", "Bidders may bid for one, two or all three lots"),
        Plant("B2", "burden_of_proof", "barrier", "must have been trading for at least three years"),
        Plant("B2", "openness", "strength", "Financial standing will be assessed for each lot separately"),
        Plant("B3", "openness", "strength", "prior to contract commencement"),
        Plant("B11", "none", "barrier", "quarterly in arrears, on receipt of the monitoring return"),
        Plant("B12", "none", "barrier", "Employee liability information will be provided to the successful bidder after contract award"),
        Plant("B13", "none", "barrier", "shall indemnify the Council against all losses"),
    ],
))


# 7. VERY OPEN tender (DOCX) -----------------------------------------------------------------
tender(Tender(
    file="07_westmere_creative_health_very_open.docx",
    title="Creative Health Westmere: Arts, Culture and Wellbeing Programme 2026-2029",
    buyer="Westmere City Council",
    short="Creative Health Westmere",
    reference="WCC/CH/2026/001",
    doc_type="Tender Notice Supporting Document",
    subject="Outcomes-based arts and wellbeing programme in five lots (deliberately open)",
    facts=[
        ("Reference", "WCC/CH/2026/001"),
        ("Commissioners", "Westmere City Council with NHS Westmere Place Partnership"),
        ("Total value", "£1.2 million total over three years, across five lots"),
        ("Lot values", "Lot 1 £300,000; Lot 2 £300,000; Lot 3 £240,000; Lot 4 £210,000; "
                       "Lot 5 £150,000 (each over three years)"),
        ("Tender notice published", "Monday 2 March 2026"),
        ("Deadline for tenders", "Monday 27 April 2026, 12:00 (eight weeks)"),
        ("Regime", "Light-touch contract, Procurement Act 2023 - competitive flexible procedure"),
    ],
    sections=[
        Section("Why We Are Commissioning This Programme", [
            P("Westmere has some of the widest gaps in healthy life expectancy of any English city, "
              "and more than 40 voluntary and community arts organisations already working in its "
              "neighbourhoods. This programme is designed to build on that strength rather than "
              "replace it."),
            P("The specification was co-designed with residents and providers over six months. "
              "Forty-two people with lived experience of poor mental health, loneliness or long-term "
              "illness took part in workshops alongside artists, librarians, museum staff and "
              "link workers, and their priorities are reflected throughout this document."),
            P("A preliminary market engagement notice was published in September 2025. Three "
              "market engagement events were held in October and November 2025, in the evening, "
              "online and at a fully accessible community venue, and a further provider "
              "forum will take place during the tender period on 18 March 2026."),
        ]),
        Section("The Outcomes We Want to Achieve", [
            P("We are buying outcomes, not a fixed set of activities. The outcomes we want to "
              "achieve are:"),
            OL([
                "Residents taking part feel better in themselves, with measurable improvements in "
                "wellbeing and reduced anxiety.",
                "Fewer people feel lonely, and more people have someone they can turn to.",
                "More residents from neighbourhoods with low cultural participation take part in "
                "arts and heritage activity, and continue to do so after the programme.",
                "Local creative and community organisations are stronger at the end of the "
                "programme than at the start.",
            ]),
            P("Bidders may propose their own methodology, art forms, venues and timetables to "
              "achieve these outcomes. We are open to alternative approaches and variant bids, "
              "and we would rather fund a small number of things done well than a long list of "
              "sessions."),
            P("Outcomes may be measured with SWEMWBS, ONS4 or any equivalent validated measure, and "
              "creative methods such as participant diaries, film or group reflection are equally "
              "acceptable as evidence."),
        ]),
        Section("Lots", [
            P("The programme is divided into five lots by area and art form. Bidders may bid for "
              "any number of lots, and each lot will be evaluated separately."),
            Table(["Lot", "Scope", "Value over three years"], [
                ["1", "North Westmere neighbourhoods - any art form", "£300,000"],
                ["2", "South Westmere neighbourhoods - any art form", "£300,000"],
                ["3", "City centre and students - any art form", "£240,000"],
                ["4", "Music and singing for older people - citywide", "£210,000"],
                ["5", "Museums, libraries and heritage - citywide", "£150,000"],
            ], [0.6, 3, 1.5]),
            P("Consortia, partnerships and VCSE organisations are welcome, and no specific legal "
              "form is required to bid. Lead organisations may subcontract to local artists and "
              "groups, and we encourage them to do so."),
        ]),
        Section("Conditions of Participation", [
            Sub("Financial standing", [
                P("Financial standing will be assessed proportionately to the value of the lots bid "
                  "for. We will not set a minimum turnover."),
                P("If you do not have audited accounts, you may provide charity accruals accounts, "
                  "independently examined accounts, management accounts with a cash-flow forecast, "
                  "or a letter from your bank; newly established organisations may provide a "
                  "business plan and confirmation of funding instead."),
            ]),
            Sub("Insurance", [
                P("Insurance only needs to be in place before the contract start date. At "
                  "tender stage you simply confirm that you will obtain it. Levels will be "
                  "proportionate to the activity: £1 million public liability is sufficient for "
                  "workshops, groups and talks, with employer's liability at the statutory minimum "
                  "where you employ staff."),
            ]),
            Sub("Experience and accreditation", [
                P("Evidence of relevant experience can come from any setting, including unpaid, "
                  "voluntary or grant-funded work, and consortium members may rely on one "
                  "another's experience."),
                P("Where we mention a quality mark or standard, such as a youth arts quality "
                  "mark or a named safeguarding training course, an equivalent accreditation or "
                  "equivalent evidence will be accepted."),
            ]),
            Sub("Process", [
                P("There is no separate shortlisting stage. All compliant tenders will be evaluated "
                  "in full."),
            ]),
        ]),
        Section("Evaluation", [
            Table(["Criterion", "Weighting"], [
                ["How your approach will achieve the outcomes", "40%"],
                ["Working with communities and other partners", "15%"],
                ["Social value, including cultural participation and VCSE supply chains", "15%"],
                ["Price and value for money", "30%"],
            ], [3, 1]),
            P("Social value is worth 15% of the total score and includes cultural participation, "
              "community wellbeing and spending with local VCSE organisations. It is assessed "
              "through a short qualitative statement; no monetised proxy values are used."),
            P("Written answers are limited to 1,000 words per lot. You may instead submit a video "
              "or audio answer of up to eight minutes, and we will offer a conversation with the "
              "evaluation panel to any bidder who would find that easier."),
        ]),
        Section("Timetable", [
            Table(["Stage", "Date"], [
                ["Tender notice published on the Central Digital Platform", "Monday 2 March 2026"],
                ["Provider forum (in person and online)", "Wednesday 18 March 2026, 17:30"],
                ["Clarification questions close", "Friday 10 April 2026"],
                ["Tender deadline", "Monday 27 April 2026, 12:00"],
                ["Conversations with bidders", "w/c 11 May 2026"],
                ["Contract award notice", "June 2026"],
                ["Programme starts", "1 September 2026"],
            ], [3, 2]),
            P("The tender period is eight weeks. This is a light-touch contract, so no statutory "
              "minimum period applies, but we have allowed extra time for consortia to form. All "
              "clarification questions and answers will be published to every bidder."),
        ]),
        Section("Contract Terms", [
            P("Successful providers will be paid monthly in advance, and any other valid invoice "
              "will be paid within 10 days of receipt."),
            P("Prices should reflect full cost recovery, including a fair share of your overheads, "
              "management and volunteer support costs."),
            P("TUPE is not expected to apply, because this is a new programme and no staff are "
              "currently employed to deliver it."),
            P("The contract is the Council's short-form services contract. Liability is capped at "
              "the value of the lot, and reporting will be proportionate: one six-monthly return "
              "and an annual learning conversation."),
            P("Feedback will be offered to all bidders, successful or not, and the Council will "
              "run a free bid-writing clinic for unsuccessful local organisations after award."),
        ]),
    ],
    plants=[
        Plant("B9", "openness", "strength", "The specification was co-designed with residents and providers"),
        Plant("B9", "openness", "strength", "market engagement events were held in October and November 2025"),
        Plant("B7", "outcome_language", "strength", "We are buying outcomes, not a fixed set of activities"),
        Plant("B7", "outcome_language", "strength", "Fewer people feel lonely, and more people have someone they can turn to"),
        Plant("B1", "openness", "strength", "Bidders may propose their own methodology"),
        Plant("B1", "openness", "strength", "or any equivalent validated measure"),
        Plant("B6", "openness", "strength", "divided into five lots by area and art form"),
        Plant("B6", "openness", "strength", "Consortia, partnerships and VCSE organisations are welcome"),
        Plant("B2", "openness", "strength", "We will not set a minimum turnover"),
        Plant("B2", "openness", "strength", "If you do not have audited accounts, you may provide charity accruals accounts"),
        Plant("B3", "openness", "strength", "Insurance only needs to be in place before the contract start date"),
        Plant("B3", "openness", "strength", "Levels will be proportionate to the activity"),
        Plant("B4", "openness", "strength", "an equivalent accreditation or equivalent evidence will be accepted"),
        Plant("B4", "openness", "strength", "including unpaid, voluntary or grant-funded work"),
        Plant("B5", "openness", "strength", "There is no separate shortlisting stage"),
        Plant("B8", "openness", "strength", "Social value is worth 15% of the total score and includes cultural participation"),
        Plant("B10", "openness", "strength", "The tender period is eight weeks"),
        Plant("B11", "openness", "strength", "paid monthly in advance"),
        Plant("B11", "openness", "strength", "within 10 days of receipt"),
        Plant("B12", "openness", "strength", "TUPE is not expected to apply, because this is a new programme"),
        Plant("B13", "openness", "strength", "Liability is capped at the value of the lot"),
        Plant("B13", "openness", "strength", "Feedback will be offered to all bidders"),
    ],
))


# 8. VERY CLOSED tender (PDF, long) ------------------------------------------------------------
tender(Tender(
    file="08_greyford_creative_activities_very_closed.pdf",
    title="Creative Activities Service for Adults with Mental Health Needs",
    buyer="Greyford Borough Council",
    short="Creative Activities Service ITT",
    reference="GBC/ASC/2024/1187",
    doc_type="Invitation to Tender (Open Procedure)",
    subject="Single borough-wide creative activities contract with many barriers (deliberately closed)",
    facts=[
        ("Reference", "GBC/ASC/2024/1187"),
        ("Directorate", "Adult Social Care and Health, Greyford Borough Council"),
        ("Contract value", "£150,000 per annum (£750,000 over the maximum 5-year term)"),
        ("Contract term", "3 years from 1 April 2025, with an option to extend for up to 2 years"),
        ("Date of issue", "Monday 16 December 2024"),
        ("Tender return deadline", "Monday 6 January 2025 at 10:00"),
        ("Procedure", "Open procedure, Public Contracts Regulations 2015 (Regulation 27)"),
    ],
    sections=[
        Section("Introduction", [
            P("Greyford Borough Council (the Authority) invites tenders from suitably qualified and "
              "experienced organisations for the provision of a Creative Activities Service for "
              "adults aged 18 and over who are known to the Authority's community mental health "
              "teams or who are eligible for support under the Care Act 2014."),
            P("The service is currently delivered by a single provider under a contract that "
              "expires on 31 March 2025. The Authority wishes to secure continuity of provision "
              "from 1 April 2025."),
            P("The specification has been developed with the current provider. The Authority has "
              "not held market engagement events for this procurement, as the requirement is "
              "well established."),
            P("This Invitation to Tender (ITT) comprises this document together with the Pricing "
              "Schedule (Appendix A), the Selection Questionnaire (Appendix B), the Form of Tender "
              "(Appendix C) and the Authority's Terms and Conditions for the Provision of Services "
              "(Appendix D). Bidders must read all of these documents before submitting a tender."),
        ]),
        Section("Instructions to Bidders", [
            Sub("Access to documents", [
                P("The tender documents are available through the Authority's e-tendering portal. "
                  "An administration fee of £50 is payable to access the full tender pack, and "
                  "documents will be released once payment has been received."),
            ]),
            Sub("Format of tenders", [
                P("Tenders must be submitted in English through the portal using the response "
                  "templates provided. Responses submitted by email, post or in any other format "
                  "will be rejected. Each method statement response must not exceed four sides "
                  "of A4 in Arial 11 point, and any content beyond the page limit will not be "
                  "evaluated."),
                P("Bidders must answer all of the 14 method statement questions, the 96 questions "
                  "in the Selection Questionnaire and the pricing schedule. Appendices, "
                  "brochures and case studies will not be read unless specifically requested."),
            ]),
            Sub("Variant bids", [
                P("Variant bids will not be accepted. Bidders must price and describe the service "
                  "exactly as specified in Section 3."),
            ]),
            Sub("Clarifications", [
                P("Clarification questions must be received no later than 12:00 on Friday 20 "
                  "December 2024. The Authority will not respond to questions received after "
                  "this time. The Authority offices will be closed from 24 December 2024 to 1 "
                  "January 2025 inclusive and no clarifications will be answered during this "
                  "period."),
            ]),
            Sub("Late tenders", [
                P("The portal will close automatically at the deadline. Tenders that are not fully "
                  "uploaded by 10:00 on Monday 6 January 2025 will not be considered, regardless "
                  "of the reason for the delay, including technical problems with the bidder's "
                  "own systems or internet connection."),
            ]),
            Sub("Canvassing and collusion", [
                P("Any bidder who directly or indirectly canvasses any member or officer of the "
                  "Authority concerning the award of this contract, or who fixes or adjusts the "
                  "amount of its tender by arrangement with another person, will be disqualified."),
            ]),
            Sub("Freedom of information", [
                P("The Authority is subject to the Freedom of Information Act 2000 and may be "
                  "required to disclose information submitted by bidders. Bidders should identify "
                  "any information they consider to be commercially sensitive, giving reasons, "
                  "although the Authority's decision on disclosure will be final."),
            ]),
        ]),
        Section("Service Specification", [
            Sub("Service description", [
                P("The Provider shall deliver a programme of group creative activities, including "
                  "painting, drawing, pottery, textiles, woodwork and other craft workshops, for "
                  "adults referred by the Authority's community mental health teams."),
                P("The Provider shall replicate the current service in all respects, including "
                  "session content, venues, days and times, with no change for service users at "
                  "the point of transfer."),
            ]),
            Sub("Service inputs", [
                P("The Provider shall deliver the following fixed inputs in each contract year:"),
                OL([
                    "deliver 48 sessions of 2 hours at each of the three existing venues, being "
                    "144 sessions in total;",
                    "maintain a staff ratio of 1:6 at all times during each session, with no fewer "
                    "than two staff present;",
                    "open each session at exactly the advertised time, with set-up and clearing "
                    "away carried out outside the 2-hour session;",
                    "provide all materials, tools and kilns required for each session;",
                    "deliver sessions on Tuesdays, Wednesdays and Thursdays only, between 10:00 and "
                    "12:00 or 13:30 and 15:30, in line with the current timetable.",
                ]),
            ]),
            Sub("Staffing", [
                P("All session leaders must hold a clinical qualification, being registration as a "
                  "mental health nurse, occupational therapist or practitioner psychologist. "
                  "Artists without a clinical qualification may attend only as assistants and "
                  "will not count towards the staff ratio."),
                P("The Provider shall ensure that all staff hold an enhanced DBS check with a check "
                  "of the adults' barred list, renewed every three years."),
            ]),
            Sub("Registration and standards", [
                P("The Provider must be registered with the Care Quality Commission for the "
                  "regulated activity of personal care before the contract start date."),
                P("All venues used for the service must comply with BS 8300-2:2018."),
                P("The Provider must use Lamplight for recording referrals, attendance and case "
                  "notes, and must provide the Authority with read-only access to its Lamplight "
                  "database."),
            ]),
            Sub("Performance monitoring", [
                P("Performance will be measured by the number of sessions delivered and the number "
                  "of attendances recorded each month, against the targets below."),
                Table(["Key performance indicator", "Target", "Service credit if missed"], [
                    ["Sessions delivered as scheduled", "100%", "£500 per session missed"],
                    ["Average attendance per session", "12 service users", "2% of monthly payment"],
                    ["Monthly activity report received by the 5th working day", "100%", "£250 per day late"],
                    ["Referrals contacted within 2 working days", "98%", "1% of monthly payment"],
                ], [3, 1.4, 2]),
                P("The Provider shall submit a monthly activity report, a quarterly contract "
                  "monitoring return, an annual report and any ad hoc information requested by the "
                  "Authority within five working days of the request."),
            ]),
        ]),
        Section("Selection Criteria", [
            P("Bidders must complete the Selection Questionnaire at Appendix B. The selection "
              "criteria are assessed on a pass/fail basis and a bidder that fails any criterion "
              "will be excluded from the competition and its tender will not be evaluated."),
            Sub("Economic and financial standing", [
                P("Bidders must have a minimum annual turnover of £2,000,000 in each of the last "
                  "three financial years."),
                P("Bidders must submit three years' audited accounts with their tender. Management "
                  "accounts, independently examined accounts or other financial information will "
                  "not be accepted as an alternative."),
                P("Bidders must have been trading for a minimum of 5 years at the date of this ITT."),
            ]),
            Sub("Insurance", [
                P("Bidders must hold the following insurances, and copies of the insurance "
                  "certificates must be submitted with the tender:"),
                UL([
                    "Public Liability insurance of £10,000,000 for any one occurrence, covering all "
                    "craft workshops, including pottery and woodwork;",
                    "Employer's Liability insurance of £10,000,000;",
                    "Professional Indemnity insurance of £5,000,000;",
                    "Product Liability insurance of £5,000,000.",
                ]),
            ]),
            Sub("Technical and professional ability", [
                P("Bidders must have delivered at least three contracts for the NHS or a local "
                  "authority, each of a similar value to this contract, within the last three "
                  "years, and must provide a reference from each of those public sector clients."),
                P("ISO 9001 certification is required. Bidders must upload a copy of their current "
                  "ISO 9001 certificate."),
            ]),
        ]),
        Section("Award Criteria", [
            P("The contract will be awarded on the basis of the most economically advantageous "
              "tender using the following criteria."),
            Table(["Criterion", "Weighting"], [
                ["Price", "80%"],
                ["Quality (method statements)", "15%"],
                ["Social value", "5%"],
            ], [3, 1]),
            P("Quality therefore accounts for 20% of the total score, of which social value is 5%."),
            P("Social value will be evaluated using the Authority's social value calculator, in "
              "which bidders commit to measures such as apprenticeships, local jobs and supply-chain "
              "spend, each converted to a financial proxy value."),
            P("The price score will be calculated by awarding the maximum score to the lowest "
              "priced tender. All other tenders will be scored in proportion to the lowest price. "
              "Tenders with a price more than 10% above the budget will be rejected."),
        ]),
        Section("Pricing", [
            P("Bidders must complete the Pricing Schedule at Appendix A in full. Prices must be "
              "firm for the initial three-year term and must include all costs of delivering the "
              "service, including staff, venues, materials, travel, equipment, insurance, the "
              "Lamplight licence and any costs arising from TUPE."),
            Table(["Pricing element", "Basis", "Notes"], [
                ["Session delivery", "Price per 2-hour session", "144 sessions per year"],
                ["Materials and equipment", "Fixed annual sum", "Including kiln firing"],
                ["Management and overheads", "Fixed annual sum", "Must not exceed 10% of total"],
                ["Mobilisation", "One-off sum", "Payable only after 3 months of delivery"],
            ], [2, 2, 2]),
            P("Bidders must not include any allowance for inflation. No price increase will be "
              "considered during the initial term or any extension period. Any arithmetical errors "
              "in the Pricing Schedule will be corrected by the Authority, and the corrected price "
              "will be binding on the bidder."),
            P("Abnormally low tenders will be investigated in accordance with Regulation 69 of the "
              "Public Contracts Regulations 2015, and the Authority may reject any tender that it "
              "considers cannot be delivered for the price submitted."),
        ]),
        Section("Contract Scope", [
            P("The contract will be awarded as a single borough-wide contract to one provider. The "
              "requirement will not be divided into lots."),
            P("Subcontracting of any part of the service will not be permitted without the prior "
              "written consent of the Authority, which may be withheld at its absolute discretion."),
        ]),
        Section("Procurement Timetable", [
            Table(["Activity", "Date"], [
                ["Contract notice published and ITT issued", "Monday 16 December 2024"],
                ["Clarification deadline", "Friday 20 December 2024 at 12:00"],
                ["Authority offices closed", "24 December 2024 to 1 January 2025"],
                ["Tender return deadline", "Monday 6 January 2025 at 10:00"],
                ["Evaluation", "6 to 17 January 2025"],
                ["Award decision notified", "Friday 24 January 2025"],
                ["Standstill period ends", "Tuesday 4 February 2025"],
                ["Contract start", "Tuesday 1 April 2025"],
            ], [3, 2]),
            P("The Authority reserves the right to amend the timetable at any time. Bidders will not "
              "be entitled to claim any costs arising from such changes."),
        ]),
        Section("Contract Terms", [
            Sub("Payment", [
                P("Payment will be made quarterly, 60 days in arrears, following receipt and "
                  "verification of the quarterly monitoring return and a valid invoice."),
            ]),
            Sub("TUPE", [
                P("TUPE will apply to this contract. Bidders should make their own assessment of "
                  "the staff who may transfer and the associated costs, including any pension "
                  "liabilities. The Authority is not in a position to provide staff information "
                  "during the tender period."),
            ]),
            Sub("Liability and indemnity", [
                P("The Provider's liability under the contract shall be unlimited. The Provider shall "
                  "indemnify the Authority in full against all claims, losses, damages and costs "
                  "arising in any way from the performance of the contract."),
                P("The Authority may terminate the contract at any time on one month's notice "
                  "without compensation, and may exercise step-in rights at the Provider's cost if "
                  "any key performance indicator is missed for two consecutive months."),
            ]),
            Sub("Data protection and information governance", [
                P("The Provider shall act as a processor on behalf of the Authority and shall comply "
                  "with UK GDPR, the Data Protection Act 2018 and the Authority's information "
                  "governance policies. The Provider shall complete the NHS Data Security and "
                  "Protection Toolkit to the standard of 'Standards Met' before the contract start "
                  "date and annually thereafter."),
                P("Any data breach must be reported to the Authority within 12 hours of discovery. "
                  "The Provider shall bear all costs arising from any breach, including the "
                  "Authority's costs of investigation and notification."),
            ]),
            Sub("Mobilisation and exit", [
                P("The Provider shall attend weekly mobilisation meetings from contract award until "
                  "the service start date and shall provide a detailed mobilisation plan within five "
                  "working days of award. At the end of the contract the Provider shall transfer all "
                  "records, in a format specified by the Authority, to any successor provider at no "
                  "additional cost."),
            ]),
            Sub("General", [
                P("The Authority's Terms and Conditions at Appendix D are not open to negotiation. "
                  "Tenders that qualify or seek to amend any of the terms will be rejected."),
                P("The Authority does not bind itself to accept the lowest or any tender and will not "
                  "reimburse any costs incurred by bidders in preparing their tenders."),
            ]),
        ]),
        Section("Declarations", [
            P("Bidders must complete and sign the Form of Tender, the Certificate of Non-Collusion "
              "and the declaration in Part 2 of the Selection Questionnaire confirming that none of "
              "the mandatory or discretionary exclusion grounds in Regulation 57 of the Public "
              "Contracts Regulations 2015 apply."),
            P("By submitting a tender, the bidder confirms that it has read and understood all of the "
              "tender documents, that its tender will remain valid for 120 days from the return "
              "deadline, and that it accepts the Authority's Terms and Conditions in full."),
        ]),
    ],
    plants=[
        Plant("B9", "none", "barrier", "The specification has been developed with the current provider"),
        Plant("B9", "none", "barrier", "has not held market engagement events for this procurement"),
        Plant("B13", "none", "barrier", "An administration fee of £50 is payable to access the full tender pack"),
        Plant("B13", "none", "barrier", "must not exceed four sides of A4"),
        Plant("B1", "over_specification", "barrier", "Variant bids will not be accepted"),
        Plant("B1", "over_specification", "barrier", "shall replicate the current service in all respects"),
        Plant("B1", "over_specification", "barrier", "deliver 48 sessions of 2 hours"),
        Plant("B1", "over_specification", "barrier", "maintain a staff ratio of 1:6"),
        Plant("B4", "burden_of_proof", "barrier", "All session leaders must hold a clinical qualification"),
        Plant("B4", "burden_of_proof", "barrier", "must be registered with the Care Quality Commission"),
        Plant("B1", "over_specification", "barrier", "must comply with BS 8300-2:2018"),
        Plant("B1", "over_specification", "barrier", "The Provider must use Lamplight"),
        Plant("B7", "none", "barrier", "Performance will be measured by the number of sessions delivered"),
        Plant("B2", "burden_of_proof", "barrier", "minimum annual turnover of £2,000,000"),
        Plant("B2", "burden_of_proof", "barrier", "must submit three years' audited accounts"),
        Plant("B2", "burden_of_proof", "barrier", "will not be accepted as an alternative"),
        Plant("B2", "burden_of_proof", "barrier", "must have been trading for a minimum of 5 years"),
        Plant("B3", "burden_of_proof", "barrier", "copies of the insurance certificates must be submitted with the tender"),
        Plant("B3", "burden_of_proof", "barrier", "Public Liability insurance of £10,000,000"),
        Plant("B4", "burden_of_proof", "barrier", "must have delivered at least three contracts for the NHS or a local authority"),
        Plant("B4", "burden_of_proof", "barrier", "ISO 9001 certification is required"),
        Plant("B4", "burden_of_proof", "barrier", "Data Security and Protection Toolkit"),
        Plant("B8", "none", "barrier", "each converted to a financial proxy value"),
        Plant("B8", "none", "barrier", "of which social value is 5%"),
        Plant("B6", "none", "barrier", "The requirement will not be divided into lots"),
        Plant("B10", "none", "barrier", "Monday 6 January 2025 at 10:00"),
        Plant("B11", "none", "barrier", "quarterly, 60 days in arrears"),
        Plant("B12", "none", "barrier", "The Authority is not in a position to provide staff information"),
        Plant("B13", "none", "barrier", "liability under the contract shall be unlimited"),
    ],
))


# 9. Heritage volunteering / reminiscence for older people (PDF) - mixed ----------------------
tender(Tender(
    file="09_rookhaven_heritage_reminiscence.pdf",
    title="Shared Memories: Heritage Volunteering and Reminiscence for Older People",
    buyer="Rookhaven Borough Council",
    short="Shared Memories Quotation",
    reference="RBC/HER/25/019",
    doc_type="Request for Tender",
    subject="Heritage volunteering and reminiscence sessions with older people (mixed)",
    facts=[
        ("Reference", "RBC/HER/25/019"),
        ("Service", "Rookhaven Heritage Centre and Adult Social Care (joint commission)"),
        ("Contract value", "£96k over two years (£48,000 a year)"),
        ("Contract period", "1 October 2025 to 30 September 2027"),
        ("Issued", "Monday 4 August 2025"),
        ("Submission deadline", "Monday 18 August 2025, 17:00"),
        ("Procedure", "Below-threshold competitive tender, Procurement Act 2023"),
    ],
    sections=[
        Section("Background", [
            P("Rookhaven Heritage Centre holds the borough's collections of photographs, oral "
              "history recordings and objects relating to the docks, the rope works and the "
              "seaside holiday trade. Many of the people who remember those industries are now in "
              "their seventies and eighties, and a growing number live alone or in residential care."),
            P("This project was co-produced with the Rookhaven Older People's Forum, whose members "
              "asked for activities that treat older people as experts on the town's history rather "
              "than as recipients of a service."),
        ]),
        Section("What the Project Should Achieve", [
            P("We want older people to feel valued for their knowledge and memories, to make new "
              "friends, and to stay involved in community life for longer."),
            OL([
                "Older residents, including those in care homes, take part in regular reminiscence "
                "sessions using the Centre's collections.",
                "At least 30 older people are recruited and supported as heritage volunteers, for "
                "example recording oral histories, cataloguing photographs or guiding visitors.",
                "Participants report that they feel less lonely and more confident.",
                "New material gathered through the project is added to the Centre's archive.",
            ]),
        ]),
        Section("Requirements", [
            Sub("Delivery", [
                P("The provider will plan and run reminiscence sessions in the Heritage Centre, in "
                  "sheltered housing and in at least six care homes, and will recruit, train and "
                  "support older volunteers."),
                P("Reminiscence sessions must use the memory box kits supplied by RemiCraft Ltd, "
                  "which will be purchased by the provider from the contract budget."),
                P("The lead practitioner must hold Accredited Reminiscence Practitioner status from "
                  "the Reminiscence Practice Council."),
            ]),
            Sub("Volunteers", [
                P("Volunteers should be offered training, out-of-pocket expenses and regular "
                  "supervision. The provider should make it possible for people with limited "
                  "mobility or early-stage dementia to volunteer, for example from home."),
            ]),
        ]),
        Section("Who Can Apply", [
            P("Community heritage groups, museums, arts organisations and partnerships are "
              "encouraged to apply. A partnership may be led by any member."),
            Sub("Financial information", [
                P("Applicants must have been operating for at least three years."),
                P("Where audited accounts are not available, we will accept your latest annual "
                  "return to the Charity Commission, or income and expenditure statements signed "
                  "by two trustees."),
            ]),
            Sub("Insurance", [
                P("Public liability insurance of £10 million is required for all reminiscence "
                  "sessions and volunteer activity. Evidence of insurance must be uploaded with "
                  "your tender."),
            ]),
        ]),
        Section("Scoring", [
            Table(["Criterion", "Weighting"], [
                ["Approach and understanding of older people's needs", "35%"],
                ["Volunteer recruitment and support", "25%"],
                ["Partnership with the Heritage Centre and care homes", "10%"],
                ["Social value", "10%"],
                ["Cost", "20%"],
            ], [3, 1]),
        ]),
        Section("Timetable", [
            Table(["Stage", "Date"], [
                ["Tender notice published", "Monday 4 August 2025"],
                ["Questions close", "Monday 11 August 2025"],
                ["Submission deadline", "Monday 18 August 2025, 17:00"],
                ["Interviews at the Heritage Centre", "Thursday 4 September 2025"],
                ["Contract start", "Wednesday 1 October 2025"],
            ], [3, 2]),
        ]),
        Section("Contract Terms", [
            P("The Council will pay monthly in arrears, with correct invoices paid within 14 days."),
            P("No staff currently deliver this service, so TUPE does not arise."),
            P("The Council's below-threshold services contract will be used. It runs to eleven "
              "pages and is attached for information."),
        ]),
    ],
    plants=[
        Plant("B9", "openness", "strength", "co-produced with the Rookhaven Older People's Forum"),
        Plant("B7", "outcome_language", "strength", "We want older people to feel valued for their knowledge and memories"),
        Plant("B7", "outcome_language", "strength", "Participants report that they feel less lonely and more confident"),
        Plant("B1", "over_specification", "barrier", "must use the memory box kits supplied by RemiCraft Ltd"),
        Plant("B4", "burden_of_proof", "barrier", "must hold Accredited Reminiscence Practitioner status"),
        Plant("B6", "openness", "strength", "partnerships are encouraged to apply"),
        Plant("B2", "burden_of_proof", "barrier", "must have been operating for at least three years"),
        Plant("B2", "openness", "strength", "we will accept your latest annual return to the Charity Commission"),
        Plant("B3", "burden_of_proof", "barrier", "Public liability insurance of £10 million is required for all reminiscence sessions"),
        Plant("B3", "burden_of_proof", "barrier", "Evidence of insurance must be uploaded with your tender"),
        Plant("B10", "none", "barrier", "Monday 18 August 2025, 17:00"),
        Plant("B11", "openness", "strength", "correct invoices paid within 14 days"),
    ],
))


# 10. Youth theatre early intervention (DOCX) - mixed, light-touch PCR -----------------------
tender(Tender(
    file="10_ravensworth_youth_theatre_early_intervention.docx",
    title="Stage Left: Youth Theatre for Early Intervention",
    buyer="Ravensworth Council",
    short="Stage Left ITT",
    reference="RC/YJS/2024/062",
    doc_type="Invitation to Tender",
    subject="Youth theatre for young people at risk of entering the youth justice system (mixed)",
    facts=[
        ("Reference", "RC/YJS/2024/062"),
        ("Commissioner", "Ravensworth Youth Justice Service and Community Safety Partnership"),
        ("Value", "£240,000 per annum for three years (£720,000 in total)"),
        ("Start date", "1 April 2025"),
        ("Published", "7 October 2024"),
        ("Closing date", "18 November 2024 at 12.00pm"),
        ("Regime", "Light-touch regime, Regulations 74 to 76 of the Public Contracts Regulations 2015"),
    ],
    sections=[
        Section("Purpose", [
            P("Ravensworth Council wants to reduce the number of young people entering the youth "
              "justice system for the first time, and to help young people who have been in trouble "
              "to build the confidence, skills and relationships that make reoffending less likely."),
            P("Young people from the Ravensworth Youth Council helped to write this specification. "
              "They told us that what works is a trusted adult, a group to belong to, and "
              "something to be proud of in front of family and friends."),
            P("In 2023/24, 74 young people in Ravensworth received a first caution or conviction, "
              "and more than half of them had been known to Early Help or children's social care "
              "beforehand. Three neighbourhoods, Brookfield, Cold Ashby and the Ferry Road estate, "
              "account for almost half of all first-time entrants."),
            P("Since 2019 the Youth Justice Service has funded a youth theatre programme through "
              "a grant. This tender replaces that grant with a three-year contract, to give the "
              "provider and the young people more stability."),
        ]),
        Section("The Service", [
            Sub("Who it is for", [
                P("The service is for young people aged 11 to 17 who are referred by schools, the "
                  "Early Help service, the police or the Youth Justice Service because they are at "
                  "risk of offending, exclusion or exploitation. We expect around 150 young people "
                  "a year to take part."),
            ]),
            Sub("What we expect", [
                P("We expect weekly youth theatre groups in at least three neighbourhoods, "
                  "intensive holiday projects, and one-to-one mentoring for young people who need "
                  "more support. Bidders should set out their own model and explain why it will work."),
                UL([
                    "Rehearsals and performances must take place at the Civic Theatre, Ravensworth.",
                    "All participants must work towards a Bronze Arts Award.",
                    "The provider must work with the Youth Justice Service case manager for every "
                    "young person referred by that service.",
                ]),
            ]),
            Sub("Safeguarding", [
                P("Many young people referred to the service will have experienced trauma, "
                  "exploitation or exclusion. The provider must have a designated safeguarding lead, "
                  "follow the Ravensworth Safeguarding Children Partnership procedures and share "
                  "information with the Youth Justice Service in line with the information sharing "
                  "agreement."),
            ]),
            Sub("Measuring success", [
                P("The Council and the provider will agree a monitoring framework during "
                  "mobilisation, based on the outcomes below."),
                OL([
                    "Fewer first-time entrants to the youth justice system from participating "
                    "neighbourhoods.",
                    "Improved school attendance among participants.",
                    "Young people report greater confidence, resilience and sense of belonging.",
                ]),
            ]),
        ]),
        Section("Selection Stage", [
            Sub("Financial", [
                P("Bidders will be required to achieve a minimum credit score of 60 from Creditsafe. "
                  "Bidders scoring below 60 will be excluded."),
            ]),
            Sub("Insurance", [
                P("Professional indemnity insurance of £5 million is required in addition to public "
                  "liability and employer's liability cover."),
            ]),
            Sub("Experience", [
                P("Please provide at least two references from public sector clients for whom you "
                  "have delivered youth services in the last three years."),
                P("Joint bids from theatre companies, youth organisations and community groups are "
                  "welcome, and the experience of all partners will be taken into account."),
            ]),
        ]),
        Section("Award", [
            Table(["Criterion", "Weighting"], [
                ["Delivery model and theory of change", "35%"],
                ["Engaging and keeping young people involved", "20%"],
                ["Safeguarding and partnership working", "15%"],
                ["Social value", "10%"],
                ["Price", "20%"],
            ], [3, 1]),
            P("Social value will be assessed using the National TOMs framework, with commitments "
              "converted to a monetised value and scored relative to the highest value offered."),
        ]),
        Section("Key Dates", [
            Table(["Milestone", "Date"], [
                ["ITT published", "7 October 2024"],
                ["Bidder information session (online)", "16 October 2024, 4pm"],
                ["Clarification deadline", "8 November 2024"],
                ["Closing date", "18 November 2024, 12.00pm"],
                ["Award", "January 2025"],
                ["Service start", "1 April 2025"],
            ], [3, 2]),
        ]),
        Section("Commercial", [
            P("Invoices will be paid within 45 days of receipt."),
            P("The current provider employs four staff on this service. Anonymised TUPE "
              "information, including salaries, terms and pension arrangements, is provided in "
              "Appendix C of this pack."),
            P("The Council will cap the provider's liability at £1 million for each claim, except "
              "where the law does not allow liability to be limited."),
            P("This is a light-touch procurement under Regulations 74 to 76 of the Public Contracts "
              "Regulations 2015. The Council has set a tender period that it considers reasonable "
              "and proportionate for a service of this kind."),
        ]),
    ],
    plants=[
        Plant("B7", "outcome_language", "strength", "reduce the number of young people entering the youth justice system"),
        Plant("B9", "openness", "strength", "Young people from the Ravensworth Youth Council helped to write this specification"),
        Plant("B7", "openness", "strength", "Bidders should set out their own model and explain why it will work"),
        Plant("B1", "over_specification", "barrier", "Rehearsals and performances must take place at the Civic Theatre"),
        Plant("B1", "over_specification", "barrier", "All participants must work towards a Bronze Arts Award"),
        Plant("B7", "outcome_language", "strength", "Young people report greater confidence, resilience and sense of belonging"),
        Plant("B2", "burden_of_proof", "barrier", "minimum credit score of 60 from Creditsafe"),
        Plant("B3", "burden_of_proof", "barrier", "Professional indemnity insurance of £5 million is required"),
        Plant("B4", "burden_of_proof", "barrier", "at least two references from public sector clients"),
        Plant("B6", "openness", "strength", "Joint bids from theatre companies, youth organisations and community groups are welcome"),
        Plant("B8", "none", "barrier", "converted to a monetised value"),
        Plant("B11", "none", "barrier", "Invoices will be paid within 45 days of receipt"),
        Plant("B12", "openness", "strength", "Anonymised TUPE information, including salaries, terms and pension arrangements"),
        Plant("B13", "openness", "strength", "cap the provider's liability at £1 million for each claim"),
    ],
))


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------
def build(t: Tender) -> tuple[bytes, dict]:
    return build_pdf(t) if t.fmt == "pdf" else build_docx(t)


def planted_yaml() -> str:
    lines = [
        "# Planted signals in the sample tenders: generated by sample_tenders/generate.py.",
        "# family: barrier family (B1-B13, /work/shared/domain/barriers.md);",
        "# label: sentence label (corpus/LABELS.md); polarity: barrier | strength;",
        "# contains: exact substring of the sentence, matched against whitespace-normalised text.",
    ]
    for t in TENDERS:
        lines.append(f"{t.file}:")
        for p in t.plants:
            contains = p.contains.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(
                f"  - {{family: {p.family}, label: {p.label}, polarity: {p.polarity}, "
                f'contains: "{contains}"}}'
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: sample_tenders/)")
    ap.add_argument("--only", nargs="*", help="build only these file names")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for t in TENDERS:
        if args.only and t.file not in args.only:
            continue
        data, stats = build(t)
        (args.out / t.file).write_bytes(data)
        print(f"{t.file}: {len(data)} bytes {stats}")
    (args.out / "planted.yaml").write_text(planted_yaml(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
