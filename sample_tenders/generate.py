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
    _docx_table(doc, ["Key facts", ""], [list(f) for f in tender.facts], qn, OxmlElement)

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
        Plant("B8", "none", "strength", "supporting local VCSE groups"),
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


# @@TENDERS@@


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
