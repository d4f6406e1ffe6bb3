"""Reports: HTML (escaped, self-contained), CSV (formula-safe), JSON Lines (streamed), golden JSON,
and the scan command end to end (formats, --output, --jobs, failures, exit codes)."""
from __future__ import annotations

from barrier_scan.findings import DocumentResult, Evidence, Finding
from barrier_scan.score import score_findings

XSS = '<script>alert(1)</script>'
ATTR = '"onerror=alert(2) x="'


def finding(code="BP102", category="burden_of_proof", polarity="barrier", severity="high",
            text="£2 million", sentence="Bidders must have a turnover of £2 million.", page=None,
            paragraph=4, section="4 Selection > 4.2 Finance", source="rule", confidence=None,
            message="Minimum turnover is far above the contract value", **kw) -> Finding:
    return Finding(code=code, category=category, polarity=polarity, severity=severity,
                   message=message, name=kw.pop("name", "turnover-too-high"),
                   evidence=Evidence(text=text, page=page, paragraph=paragraph, section=section,
                                     sentence=sentence),
                   source=source, confidence=confidence,
                   why=kw.pop("why", "Small providers rarely turn over that much."),
                   suggestion=kw.pop("suggestion", "Ask for no more than twice the annual value."),
                   citation=kw.pop("citation", "Procurement Act 2023 s.22"), **kw)


def result(path, findings, **kw) -> DocumentResult:
    score, band, breakdown = score_findings(findings)
    return DocumentResult(path=path, format=kw.pop("format", "docx"), findings=findings,
                          score=score, band=band, breakdown=breakdown, **kw)


def sample_results() -> list[DocumentResult]:
    hostile = finding(code="SP101", category="over_specification", severity="medium",
                      text=XSS, sentence=f"Use the {XSS} system {ATTR} only.", page=2,
                      paragraph=None, section=f"Spec {XSS}", message=f"Names a product {ATTR}",
                      why=f"why {XSS}", suggestion=f"=HYPERLINK(\"http://evil\") {ATTR}",
                      citation="@SUM(A1)")
    open_doc = result("tenders/open.md", [
        finding(code="OP101", category="openness", polarity="strength", severity="info",
                text="welcome bids from consortia", message="Welcomes consortia",
                sentence="We welcome bids from consortia and voluntary organisations.", name="consortia"),
    ], format="md")
    closed_doc = result("tenders/closed.pdf", [
        finding(page=3, paragraph=None),
        finding(code="BP101", text="ISO 9001", sentence="Bidders must hold ISO 9001.", page=3,
                paragraph=None, severity="medium", message="Requires a certificate"),
        finding(code="ML002", source="model", confidence=0.91, text="Provide audited accounts.",
                sentence="Provide audited accounts.", severity="medium", message="Possibly heavy proof",
                page=3, paragraph=None),
    ], format="pdf", pages=5)
    hostile_doc = result(f"tenders/{XSS}{ATTR}.docx", [hostile], warnings=[f"odd {XSS}"])
    failed = DocumentResult(path="tenders/old.doc", error={"code": "legacy_format",
                                                         "message": "an old Word file; save as .docx"})
    return [open_doc, closed_doc, hostile_doc, failed]


# ============================================================================ HTML
import csv  # noqa: E402
import io as _io  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

import pytest  # noqa: E402

from barrier_scan.report import get_formatter  # noqa: E402
from barrier_scan.report import csv_report, html as html_report, jsonl  # noqa: E402

META = {"version": "0.1.0", "generated": "2026-01-01T00:00:00+00:00", "model": False}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.stack, self.errors = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_html_escapes_everything_from_documents():
    page = html_report.render(sample_results(), META)
    assert "<script" not in page.lower()
    assert XSS not in page and ATTR not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    p = _Tags()
    p.feed(page)
    assert "script" not in p.tags
    assert not any(name.startswith("on") for name, _ in p.attrs)  # no event handler attributes


def test_html_is_self_contained():
    page = html_report.render(sample_results(), META)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "<style>" in page and "<svg" in page


def test_html_content_for_a_commissioner():
    page = html_report.render(sample_results(), META)
    assert "How to read this report" in page
    # ranked least open first: closed.pdf before open.md in the ranking table
    table = page[page.index('class="ranking"'):page.index("</table>", page.index('class="ranking"'))]
    assert table.index("closed.pdf") < table.index("open.md")
    # evidence highlighted inside its sentence, with location, why, rewrite and basis
    assert "Bidders must have a turnover of <mark>£2 million</mark>." in page
    assert "Page 3" in page and "Suggested rewrite" in page and "Procurement Act 2023 s.22" in page
    assert "Why it matters" in page
    # failures listed with advice
    assert "tenders/old.doc" in page and "legacy_format" in page and "Save it as .docx" in page
    # counts per rule across the batch
    assert "Barriers and strengths across all tenders" in page
    assert "(91% sure)" in page


def test_highlight_falls_back_when_span_not_in_sentence():
    assert html_report.highlight("Abc DEF ghi", "def") == "Abc <mark>DEF</mark> ghi"
    out = html_report.highlight("One <b> two", "zzz")
    assert "&lt;b&gt;" in out and "<mark>zzz</mark>" in out
    assert html_report.highlight(None, "x<y") == "<mark>x&lt;y</mark>"


def test_html_with_only_failures_and_empty_batch():
    failed = [r for r in sample_results() if r.error]
    assert "could not be read" in html_report.render(failed, META)
    assert "<html" in html_report.render([], META)


# ============================================================================ CSV
def _rows(text):
    return list(csv.DictReader(_io.StringIO(text)))


def test_csv_one_row_per_document_with_counts_and_errors():
    rows = _rows(csv_report.render(sample_results(), META))
    assert [r["path"] for r in rows][:2] == ["tenders/open.md", "tenders/closed.pdf"]
    closed = rows[1]
    assert closed["band"] and float(closed["score"]) < 70
    assert closed["barriers"] == "3" and closed["high"] == "1" and closed["burden_of_proof"] == "3"
    assert closed["barrier_codes"] == "BP102 BP101 ML002"
    failed = rows[3]
    assert failed["error_code"] == "legacy_format" and failed["score"] == ""


def test_findings_csv_one_row_per_finding_and_formula_safe():
    rows = _rows(csv_report.render_findings(sample_results(), META))
    assert len(rows) == sum(len(r.findings) for r in sample_results())
    hostile = [r for r in rows if r["code"] == "SP101"][0]
    assert hostile["suggestion"].startswith("'=HYPERLINK")
    assert hostile["citation"] == "'@SUM(A1)"
    assert hostile["evidence"] == XSS  # CSV is data: kept verbatim, only formulas defused
    model = [r for r in rows if r["code"] == "ML002"][0]
    assert model["confidence"] == "0.91" and model["source"] == "model" and model["page"] == "3"
    for r in rows:
        for v in r.values():
            assert not (v or " ")[0] in "=+-@\t\r"


def test_safe_cell():
    assert csv_report.safe_cell("-1+2") == "'-1+2"
    assert csv_report.safe_cell("+44 20") == "'+44 20"
    assert csv_report.safe_cell(-3.5) == -3.5  # numbers stay numbers
    assert csv_report.safe_cell("ok") == "ok" and csv_report.safe_cell(None) == ""


# ============================================================================ JSON Lines
def test_jsonl_one_document_per_line_streamed():
    results = sample_results()
    text = jsonl.render(results, META)
    lines = text.splitlines()
    assert len(lines) == len(results)
    docs = [json.loads(x) for x in lines]
    assert [d["path"] for d in docs] == [r.path for r in results]
    assert docs[3]["error"]["code"] == "legacy_format"

    class Spy(_io.StringIO):
        flushes = 0

        def flush(self):
            Spy.flushes += 1

    def gen():
        for r in results:
            yield r
            # by the time the next result is requested, the previous one is written and flushed
            assert Spy.flushes >= 1

    s = Spy()
    assert jsonl.write(gen(), s) == len(results)
    assert s.getvalue() == text


def test_formatters_registered():
    for name in ("html", "csv", "jsonl", "json", "text"):
        assert callable(get_formatter(name).render)
