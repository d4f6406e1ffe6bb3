"""`barrier-scan annotate`: Word comments in a copy of the draft, the original untouched."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile

import docx

from barrier_scan.taxonomy import plural
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_BREAK
from lxml import etree

from barrier_scan.annotate import (AUTHOR, _segments, _split_run, anchor_span, annotate_docx,
                                   body_paragraphs, comment_text)
from barrier_scan.pipeline import scan_file
from barrier_scan.cli import cli
from barrier_scan.config import Config
from barrier_scan.findings import normalise_clause

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TURNOVER = "Bidders must have a minimum annual turnover of £500,000."
LAMPLIGHT = "The provider must use Lamplight to record attendance."
KODAK = "Only Kodak film will be accepted for the photography project."
NO_MODEL = Config(use_model=False)


def build_draft(path, *, header=True) -> None:
    d = docx.Document()
    if header:
        d.sections[0].header.paragraphs[0].text = "DRAFT - not for release"
        d.sections[0].footer.paragraphs[0].text = "Community Arts Programme specification"
    d.add_heading("Community Arts Programme", 1)
    d.add_paragraph("This specification describes a weekly creative programme for older residents.")
    d.add_heading("Financial standing", 2)
    p = d.add_paragraph("Bidders must have a ")
    p.add_run("minimum annual").bold = True  # the evidence span starts on a run boundary ...
    p.add_run(" turnover of £500,000. Accounts for two years must be supplied.")  # ... ends inside
    d.add_paragraph("")  # empty paragraphs count in the paragraph index
    d.add_heading("Delivery", 2)
    d.add_paragraph("Deliver weekly sessions in the library.", style="List Number")
    item = d.add_paragraph("The provider must use ", style="List Number")
    item.add_run("Lamplight").italic = True
    item.add_run(" to record attendance.")
    d.add_paragraph("Joint bids are welcome.")
    t = d.add_table(rows=2, cols=2)
    t.style = "Table Grid"
    t.cell(0, 0).text, t.cell(0, 1).text = "Requirement", "Detail"
    t.cell(1, 0).text = "Materials"
    t.cell(1, 1).text = KODAK
    brk = d.add_paragraph("Closing date is in the invitation letter.")
    brk.add_run().add_break(WD_BREAK.LINE)
    brk.add_run("Questions go through the portal.")
    d.save(path)


def sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def run_cli(args):
    return CliRunner().invoke(cli, args, env={"BARRIER_SCAN_NO_CONFIG": "1"})


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("annotate")
    src, dst = tmp / "draft.docx", tmp / "draft.reviewed.docx"
    build_draft(src)
    before = sha256(src)
    # every finding on its words (strengths too), to check anchoring on all of them
    r = run_cli(["annotate", str(src), "-o", str(dst), "--no-model", "--strengths-on-text"])
    return {"src": src, "dst": dst, "before": before, "cli": r,
            "result": scan_file(src, NO_MODEL)}


def anchored_text(document, comment_id: int) -> tuple[str, object]:
    """Text between this comment's range markers and the paragraph element holding the start."""
    body = document.element.body
    on, parts, start_p = False, [], None
    for el in body.iter():
        if el.tag == W + "commentRangeStart" and el.get(W + "id") == str(comment_id):
            on = True
            start_p = el.getparent()
        elif el.tag == W + "commentRangeEnd" and el.get(W + "id") == str(comment_id):
            break
        elif on and el.tag == W + "t":
            parts.append(el.text or "")
    return "".join(parts), start_p


# ------------------------------------------------------------------------------ the copy
def test_cli_writes_copy_and_leaves_original_alone(annotated):
    r = annotated["cli"]
    assert r.exit_code == 0, r.output
    assert annotated["dst"].exists()
    assert sha256(annotated["src"]) == annotated["before"]
    assert " comments (" in r.stderr and "openness" in r.stderr
    assert not docx.Document(str(annotated["src"])).comments.__len__()


def test_summary_comment_first(annotated):
    out = docx.Document(str(annotated["dst"]))
    res = annotated["result"]
    comments = list(out.comments)
    summary = comments[0]
    assert summary.author == AUTHOR and summary.initials == "BS"
    assert f"openness score {res.score:g}/100 ({res.band})" in summary.text
    assert plural(len(res.barriers()), "barrier") in summary.text
    assert plural(len(res.strengths()), "strength") in summary.text
    text, p = anchored_text(out, summary.comment_id)
    assert p is body_paragraphs(out)[0]._p and text == "Community Arts Programme"
    # Document-level findings (no paragraph) are listed in the summary, not lost.
    for f in res.findings:
        if f.evidence.paragraph is None:
            assert f.code in summary.text


def test_one_comment_per_finding_anchored_on_the_evidence(annotated):
    out = docx.Document(str(annotated["dst"]))
    res = annotated["result"]
    paras = body_paragraphs(out)
    located = [f for f in res.findings if f.evidence.paragraph is not None]
    codes = {f.code for f in located}
    assert {"BP101", "SP101", "OP101"} <= codes
    comments = list(out.comments)[1:]
    assert len(comments) == len(located)
    for f, c in zip(located, comments):
        assert c.author == AUTHOR
        assert c.text == comment_text(f)
        text, p = anchored_text(out, c.comment_id)
        assert p is paras[f.evidence.paragraph - 1]._p  # the right paragraph ...
        assert normalise_clause(text) == normalise_clause(f.evidence.text)  # ... the right words


def test_comment_text_has_code_message_why_rewrite_citation(annotated):
    out = docx.Document(str(annotated["dst"]))
    bp = next(c for c in out.comments if c.text.startswith("BP101"))
    f = next(f for f in annotated["result"].findings if f.code == "BP101")
    assert f.message in bp.text and f.citation in bp.text
    assert "Why it matters:" in bp.text and "Suggested rewrite:" in bp.text
    assert "twice the annual value" in bp.text  # from the rule's suggestion
    strength = next(c for c in out.comments if "OP101" in c.text)
    assert strength.text.startswith("STRENGTH OP101 (keep this)")
    assert "Suggested rewrite" not in strength.text


def test_table_cell_finding_is_anchored_inside_the_cell(annotated):
    out = docx.Document(str(annotated["dst"]))
    c = next(c for c in out.comments if c.text.startswith("SP101")
             and "Kodak" in anchored_text(out, c.comment_id)[0])
    _, p = anchored_text(out, c.comment_id)
    assert p.getparent().tag == W + "tc"
    assert out.tables[0].cell(1, 1).text == KODAK


def test_bold_run_split_keeps_formatting(annotated):
    out = docx.Document(str(annotated["dst"]))
    c = next(c for c in out.comments if c.text.startswith("BP101"))
    anchored, p = anchored_text(out, c.comment_id)

    def runs(p_el):
        return [("".join(t.text for t in r.iter(W + "t")), r.find(W + "rPr/" + W + "b") is not None)
                for r in p_el.iter(W + "r") if r.find(W + "commentReference") is None]
    got = runs(p)
    assert "".join(t for t, _ in got) == ("Bidders must have a minimum annual turnover of £500,000. "
                                          "Accounts for two years must be supplied.")
    assert [t for t, bold in got if bold] == ["minimum annual"]  # bold kept, nothing else bold
    assert ("minimum annual", True) in got  # bold kept
    assert (" turnover of £500,000", False) in got  # split at the span end, after the figure
    assert anchored == "minimum annual turnover of £500,000"


# ------------------------------------------------------------------------------ preservation
def _canonical_document_xml(path) -> bytes:
    """document.xml without comment markers/references, adjacent same-format runs merged."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    for el in list(root.iter(W + "commentRangeStart", W + "commentRangeEnd")):
        el.getparent().remove(el)
    for ref in list(root.iter(W + "commentReference")):
        r = ref.getparent()
        r.getparent().remove(r)

    simple = {W + t for t in ("rPr", "t", "tab", "br", "cr", "noBreakHyphen", "softHyphen",
                              "lastRenderedPageBreak")}

    def plain(r):
        return r.tag == W + "r" and all(c.tag in simple for c in r)

    def fmt(r):
        rpr = r.find(W + "rPr")
        return (dict(r.attrib), b"" if rpr is None else etree.tostring(rpr, method="c14n"))

    for parent in list(root.iter()):  # merge adjacent plain runs with the same formatting
        prev = None
        for k in list(parent):
            if prev is not None and plain(prev) and plain(k) and fmt(prev) == fmt(k):
                for c in list(k):
                    if c.tag != W + "rPr":
                        prev.append(c)
                parent.remove(k)
                continue
            prev = k
    for r in root.iter(W + "r"):  # then adjacent w:t inside one run
        prev = None
        for c in list(r):
            if prev is not None and prev.tag == W + "t" and c.tag == W + "t":
                prev.text = (prev.text or "") + (c.text or "")
                r.remove(c)
                continue
            prev = c
    for t in root.iter(W + "t"):
        t.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)
    return etree.tostring(root, method="c14n")


def _part(path, name) -> bytes | None:
    with zipfile.ZipFile(path) as z:
        return z.read(name) if name in z.namelist() else None


def test_copy_keeps_text_styles_tables_numbering(annotated):
    src, dst = annotated["src"], annotated["dst"]
    a, b = docx.Document(str(src)), docx.Document(str(dst))
    pa, pb = body_paragraphs(a), body_paragraphs(b)
    assert [p.text for p in pa] == [p.text for p in pb]
    assert [p.style.name for p in pa] == [p.style.name for p in pb]

    def numpr(p):
        n = p._p.find(W + "pPr/" + W + "numPr")
        return None if n is None else etree.tostring(n, method="c14n")
    assert [numpr(p) for p in pa] == [numpr(p) for p in pb]
    assert any(p.style.name == "List Number" for p in pb)
    assert [[c.text for c in row.cells] for t in a.tables for row in t.rows] == \
           [[c.text for c in row.cells] for t in b.tables for row in t.rows]
    assert b.sections[0].header.paragraphs[0].text == "DRAFT - not for release"
    assert b.sections[0].footer.paragraphs[0].text == "Community Arts Programme specification"
    for part in ("word/styles.xml", "word/numbering.xml"):
        assert _part(src, part) == _part(dst, part)
    assert _canonical_document_xml(src) == _canonical_document_xml(dst)
    assert _part(src, "word/comments.xml") is None and _part(dst, "word/comments.xml")


def test_strengths_go_in_the_summary_by_default(tmp_path):
    """Strengths crowded the review pane (12 of 22 comments in a sample draft): by default they
    are listed in the summary comment and only barriers are commented on the text (#16)."""
    src = tmp_path / "d.docx"
    build_draft(src, header=False)
    r = run_cli(["annotate", str(src), "-o", str(tmp_path / "o.docx"), "--no-model"])
    assert r.exit_code == 0, r.output
    assert "listed in the summary" in r.stderr
    out = docx.Document(str(tmp_path / "o.docx"))
    comments = list(out.comments)
    res = scan_file(src, NO_MODEL)
    strengths = res.strengths()
    assert strengths and not any(c.text.startswith("STRENGTH") for c in comments[1:])
    assert len(comments) == 1 + sum(1 for f in res.barriers() if f.evidence.paragraph is not None)
    summary = comments[0].text
    assert "What the draft does well (keep this wording):" in summary
    for f in strengths:
        assert f.code in summary
    assert "welcome" in summary.lower()  # the strength's own words are quoted
    # --strengths-on-text puts them back on their words
    r = run_cli(["annotate", str(src), "-o", str(tmp_path / "p.docx"), "--no-model",
                 "--strengths-on-text"])
    texts = [c.text for c in docx.Document(str(tmp_path / "p.docx")).comments]
    assert sum(t.startswith("STRENGTH") for t in texts) == sum(
        1 for f in strengths if f.evidence.paragraph is not None)
    assert "What the draft does well" not in texts[0]


def test_barriers_only(tmp_path):
    src = tmp_path / "d.docx"
    build_draft(src, header=False)
    r = run_cli(["annotate", str(src), "-o", str(tmp_path / "o.docx"), "--no-model",
                 "--barriers-only"])
    assert r.exit_code == 0, r.output
    texts = [c.text for c in docx.Document(str(tmp_path / "o.docx")).comments]
    assert not any(t.startswith("STRENGTH") for t in texts)
    assert any(t.startswith("SP101") for t in texts)
    assert "What the draft does well" not in texts[0]


def test_default_output_name(tmp_path):
    src = tmp_path / "spec.docx"
    build_draft(src, header=False)
    r = run_cli(["annotate", str(src), "--no-model"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "spec.reviewed.docx").exists()


def test_refuses_to_overwrite_input(tmp_path):
    src = tmp_path / "d.docx"
    build_draft(src, header=False)
    before = sha256(src)
    for target in (str(src), os.path.join(str(tmp_path), ".", "d.docx")):
        r = run_cli(["annotate", str(src), "-o", target, "--no-model"])
        assert r.exit_code == 3
        assert "refusing to overwrite the input" in r.output
    assert sha256(src) == before


def test_unreadable_input_exit_2(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    r = run_cli(["annotate", str(bad), "-o", str(tmp_path / "o.docx"), "--no-model"])
    assert r.exit_code == 2 and "error:" in r.stderr
    assert not (tmp_path / "o.docx").exists()


# ------------------------------------------------------------------------------ facts
def test_fact_override_adds_turnover_ratio_finding(tmp_path):
    src = tmp_path / "d.docx"
    d = docx.Document()
    d.add_paragraph(TURNOVER)
    d.save(src)
    plain = run_cli(["annotate", str(src), "-o", str(tmp_path / "a.docx"), "--no-model"])
    assert plain.exit_code == 0, plain.output
    assert not any(c.text.startswith("BP102") for c in docx.Document(str(tmp_path / "a.docx")).comments)
    r = run_cli(["annotate", str(src), "-o", str(tmp_path / "b.docx"), "--no-model",
                 "--annual-value", "100000"])
    assert r.exit_code == 0, r.output
    bp102 = [c for c in docx.Document(str(tmp_path / "b.docx")).comments if c.text.startswith("BP102")]
    assert len(bp102) == 1
    assert "£500,000" in bp102[0].text and "£100,000" in bp102[0].text


# ------------------------------------------------------------------------------ other formats
def test_text_input_gets_escaped_html_page(tmp_path):
    src = tmp_path / "draft.txt"
    src.write_text(f"# Spec\n\nThe provider must use Lamplight <script>x</script> to record "
                   f"attendance.\n\n{TURNOVER}\n", encoding="utf-8")
    r = run_cli(["annotate", str(src), "-o", str(tmp_path / "draft.reviewed.docx"), "--no-model"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "draft.reviewed.html"  # .docx output renamed for non-Word input
    assert "HTML review page" in r.stderr and str(out) in r.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "BP101" in page and "Suggested rewrite" in page and "openness score" in page.lower()


def test_pdf_input_gets_html_page(tmp_path):
    import fpdf

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in ("Bidders must have a minimum annual turnover of GBP 500,000.", LAMPLIGHT):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    src = tmp_path / "tender.pdf"
    pdf.output(str(src))
    r = run_cli(["annotate", str(src), "--no-model"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "tender.review.html"
    assert out.exists() and "PDF input cannot carry Word comments" in r.stderr
    assert "SP101" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ run surgery
def _para(*runs):
    d = docx.Document()
    p = d.add_paragraph()
    for text, bold in runs:
        p.add_run(text).bold = bold
    return d, p


def test_split_run_keeps_format_and_text():
    d, p = _para(("Hello\tbig world", True))
    r = p.runs[0]._r
    right = _split_run(r, 7)
    assert [x.text for x in p.runs] == ["Hello\tb", "ig world"]
    assert all(x.bold for x in p.runs) and right is p.runs[1]._r


def test_anchor_falls_back_to_sentence_then_paragraph():
    d, p = _para(("First part. ", False), ("Second part here.", False))
    first, last, how = anchor_span(p._p, "not in the text", None,
                                   fallbacks=(("sentence", "Second part here."),))
    assert how == "sentence" and first is last and first is p.runs[1]._r
    first, last, how = anchor_span(p._p, "absent", None, fallbacks=(("sentence", "also absent"),))
    assert how == "paragraph" and first is p.runs[0]._r and last is p.runs[1]._r


def test_anchor_picks_occurrence_nearest_start_and_skips_unsplittable_runs():
    d, p = _para(("use Lamplight here and use Lamplight there", False))
    text = "use Lamplight here and use Lamplight there"
    first, last, how = anchor_span(p._p, "Lamplight", text.rindex("Lamplight"), ())
    assert how == "span"
    raw, segs = _segments(p._p)
    assert [raw[s.start:s.end] for s in segs] == ["use Lamplight here and use ", "Lamplight",
                                                   " there"]
    # A run with a field character is never split: the anchor widens to the whole run.
    d, p = _para(("field run text", False))
    p.runs[0]._r.append(etree.SubElement(p.runs[0]._r, W + "fldChar"))
    first, last, how = anchor_span(p._p, "run", None, ())
    assert first is last and len(p.runs) == 1


# ------------------------------------------------------------------------------ LibreOffice
@pytest.mark.slow
def test_copy_opens_in_libreoffice(annotated, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed; cannot check the copy opens there")
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    for fmt, ext in (("pdf", "pdf"), ("fodt", "fodt")):
        subprocess.run([soffice, profile, "--headless", "--convert-to", fmt, "--outdir",
                        str(tmp_path), str(annotated["dst"])], check=True, timeout=180,
                       capture_output=True)
    assert (tmp_path / "draft.reviewed.pdf").stat().st_size > 1000
    fodt = (tmp_path / "draft.reviewed.fodt").read_text(encoding="utf-8")
    n = len(docx.Document(str(annotated["dst"])).comments)
    assert fodt.count("<office:annotation ") + fodt.count("<office:annotation>") == n
    assert fodt.count("<dc:creator>barrier-scan</dc:creator>") == n


# ------------------------------------------------------------------------------ a real document
CORPUS = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "shared", "corpus", "documents")


@pytest.mark.corpus
def test_real_word_document_round_trip(tmp_path):
    src = os.path.join(CORPUS, "RM1557.15-G-Cloud-15-Attachment-1-About-the-framework-open-framework-v2.0-1.docx")
    if not os.path.exists(src):
        pytest.skip("../shared/corpus is not available")
    before = sha256(src)
    dst = tmp_path / "reviewed.docx"
    rep = annotate_docx(src, dst, NO_MODEL, strengths_on_text=True)
    assert sha256(src) == before
    located = [f for f in rep.result.findings if f.evidence.paragraph is not None]
    assert located and rep.anchored_span == len(located)  # every one on its exact words
    assert len(docx.Document(str(dst)).comments) == 1 + len(located)
    assert _canonical_document_xml(src) == _canonical_document_xml(dst)
