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

from barrier_scan import report  # noqa: E402
from barrier_scan.report import csv as csv_report, html as html_report, htmlkit, jsonl  # noqa: E402
from barrier_scan.report.base import Seen  # noqa: E402

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
    assert htmlkit.highlight("Abc DEF ghi", "def") == "Abc <mark>DEF</mark> ghi"
    out = htmlkit.highlight("One <b> two", "zzz")
    assert "&lt;b&gt;" in out and "<mark>zzz</mark>" in out
    assert htmlkit.highlight(None, "x<y") == "<mark>x&lt;y</mark>"


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

    # the writer puts each document's line out as it is added, not at the end
    s = _io.StringIO()
    w = report.writer("jsonl", s, META)
    for i, r in enumerate(results, 1):
        w.add(r)
        assert s.getvalue().count("\n") == i
    w.close([])
    assert s.getvalue() == text


def test_formatters_registered():
    """One registry; every format has the same two entry points (render, Writer)."""
    assert set(report.FORMATS) == {"html", "csv", "jsonl", "json", "text"}
    for name in report.FORMATS:
        mod = report.module(name)
        assert callable(mod.render) and all(hasattr(mod.Writer, m) for m in ("add", "close"))
        buf = _io.StringIO()
        w = report.writer(name, buf, META)
        for r in sample_results():
            w.add(r)
        w.close([Seen.of(r) for r in sample_results()])
        assert buf.getvalue() == report.render(name, sample_results(), META), name


# ============================================================================ scan command end to end
import os  # noqa: E402
from pathlib import Path  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from barrier_scan.cli import cli  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden" / "report.json"
# A fixed set of rule codes keeps the golden file stable while the rule catalogue grows.
GOLDEN_SELECT = "BP101,BP103,BP104,OC101,OC201,OP101,SP101"


@pytest.fixture
def pipeline(monkeypatch):
    monkeypatch.setenv("BARRIER_SCAN_NO_CONFIG", "1")


@pytest.fixture
def tenders(tmp_path, pipeline) -> Path:
    import shutil

    d = tmp_path / "tenders"
    shutil.copytree(FIXTURES / "tenders", d)
    return d


def run(args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=kw.pop("catch", True), **kw)


def normalise(report: dict) -> dict:
    """Drop what changes from run to run: time, timings, version, where config came from."""
    report = json.loads(json.dumps(report))
    for k in ("generated", "version", "config"):
        report["tool"].pop(k, None)
    for d in report["documents"]:
        d["stats"] = {k: v for k, v in d["stats"].items() if not k.endswith("seconds")}
    return report


def test_golden_json_report(pipeline, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    res = run(["scan", "tenders", "--format", "json", "--no-model", "--select", GOLDEN_SELECT,
               "--jobs", "1", "--quiet"])
    assert res.exit_code == 2, res.output  # the empty file cannot be read
    got = normalise(json.loads(res.stdout))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert GOLDEN.is_file(), "no golden file: run with UPDATE_GOLDEN=1 to create it"
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got == want, "report changed; if intended, regenerate with UPDATE_GOLDEN=1 and review the diff"


@pytest.mark.parametrize("fmt", ["text", "json", "html", "csv", "jsonl"])
def test_every_format_lists_failures_and_findings(tenders, fmt):
    res = run(["scan", tenders, "--format", fmt, "--no-model", "--jobs", "1", "--quiet"])
    assert res.exit_code == 2, res.output
    out = res.stdout
    assert "d_empty_file.txt" in out and ("empty_file" in out or "empty file" in out)
    assert "b_closed_museum_learning.txt" in out
    if fmt == "json":
        report = json.loads(out)
        assert report["failures"][0]["code"] == "empty_file"
        assert report["summary"]["failed"] == 1
    if fmt == "jsonl":
        lines = [json.loads(x) for x in out.splitlines()]
        assert len(lines) == 4 and lines[3]["error"]["code"] == "empty_file"
    if fmt == "csv":
        rows = _rows(out)
        assert rows[3]["error_code"] == "empty_file" and rows[1]["score"]


def test_jobs_1_and_2_give_identical_json(tenders):
    outs = []
    for jobs in ("1", "2"):
        res = run(["scan", tenders, "--format", "json", "--no-model", "--jobs", jobs, "--quiet"])
        assert res.exit_code == 2, res.output
        outs.append(normalise(json.loads(res.stdout)))
    assert outs[0] == outs[1]


def test_output_files_are_written_atomically_and_not_into_the_input(tenders, tmp_path):
    before = sorted(p.name for p in tenders.rglob("*"))
    out_dir = tmp_path / "reports"
    for fmt, name in (("html", "r.html"), ("json", "r.json"), ("csv", "r.csv"), ("jsonl", "r.jsonl"),
                      ("text", "r.txt")):
        args = ["scan", tenders, "--format", fmt, "--no-model", "--output", out_dir / name,
                "--exit-zero", "--quiet"]
        if fmt == "html":
            args += ["--findings-csv", out_dir / "findings.csv"]
        res = run(args)
        assert res.exit_code == 0, res.output
        assert res.stdout == ""
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        ["r.html", "r.json", "r.csv", "r.jsonl", "r.txt", "findings.csv"])  # no temp files left
    assert sorted(p.name for p in tenders.rglob("*")) == before
    findings = _rows((out_dir / "findings.csv").read_text(encoding="utf-8-sig"))
    assert {r["code"] for r in findings} >= {"BP102", "SP101"}
    assert all(r["path"] and (r["evidence"] or r["detail"]) for r in findings)
    # evidence holds only the document's words: a whole-document finding quotes nothing (#16)
    whole = [r for r in findings if not r["paragraph"] and not r["page"]]
    assert whole and all(r["evidence"] == "" and r["sentence"] == "" and r["detail"] for r in whole)
    assert (out_dir / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads £ right
    page = (out_dir / "r.html").read_text(encoding="utf-8")
    assert "<mark>" in page and "b_closed_museum_learning.txt" in page


def test_a_failed_render_leaves_the_old_report(tenders, tmp_path, monkeypatch):
    from barrier_scan.report import html as html_mod

    target = tmp_path / "report.html"
    target.write_text("OLD")

    def boom(*a, **kw):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(html_mod, "render", boom)
    res = run(["scan", tenders, "--format", "html", "--no-model", "--output", target, "--quiet"])
    assert res.exit_code != 0 and isinstance(res.exception, RuntimeError)
    assert target.read_text() == "OLD"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_jsonl_streams_to_a_temp_file_renamed_at_the_end(tenders, tmp_path, monkeypatch):
    import barrier_scan.batch as batch_mod

    target = tmp_path / "out.jsonl"
    real = batch_mod.scan_batch
    seen_tmp = []

    def interrupted(*a, **kw):
        for i, r in enumerate(real(*a, **kw)):
            if i == 2:
                seen_tmp.extend(p.read_text() for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
                raise KeyboardInterrupt
            yield r

    monkeypatch.setattr(batch_mod, "scan_batch", interrupted)
    res = run(["scan", tenders, "--format", "jsonl", "--no-model", "--jobs", "1", "--output", target,
               "--quiet"])
    assert res.exit_code != 0
    assert len(seen_tmp) == 1 and len(seen_tmp[0].splitlines()) == 2  # streamed, flushed
    assert not target.exists() and list(tmp_path.iterdir()) == [tenders]


def test_html_report_escapes_hostile_tender_text(pipeline, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    name = 'x<img src=y>".txt'
    (d / name).write_text(
        "The provider must use Lamplight <script>alert(1)</script> to record attendance.\n\n"
        'Bidders must have a minimum annual turnover of £900,000 "onerror=alert(2) in each year.\n')
    res = run(["scan", d, "--format", "html", "--no-model", "--quiet"])
    assert res.exit_code == 1, res.output
    page = res.stdout
    assert "<script>" not in page and "<img" not in page and '"onerror=' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&quot;onerror=alert(2)" in page
    assert "x&lt;img src=y&gt;&quot;.txt" in page
    assert page.count('class="finding') >= 2


@pytest.mark.parametrize("name,code", [("a_open_arts_on_prescription.md", 0),
                                       ("b_closed_museum_learning.txt", 1),
                                       ("d_empty_file.txt", 2)])
def test_exit_codes(tenders, name, code):
    res = run(["scan", tenders / name, "--no-model", "--select", GOLDEN_SELECT, "--quiet"])
    assert res.exit_code == code, res.output


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--format", "pdf"], ["--timeout", "-1"],
                                  ["--no-such-option"]])
def test_usage_errors_exit_3(tenders, args):
    res = run(["scan", tenders, "--no-model", *args])
    assert res.exit_code == 3, res.output


def test_exit_zero_and_missing_path(tenders, tmp_path):
    assert run(["scan", tenders, "--no-model", "--exit-zero", "--quiet"]).exit_code == 0
    assert run(["scan", tmp_path / "nope", "--no-model"]).exit_code == 3


def test_timeout_option_reaches_the_batch(tenders, monkeypatch):
    import barrier_scan.batch as batch_mod

    seen = {}
    real = batch_mod.scan_batch

    def spy(paths, config, **kw):
        seen["timeout"], seen["jobs"] = config.timeout, kw.get("jobs")
        return real(paths, config, **kw)

    monkeypatch.setattr(batch_mod, "scan_batch", spy)
    res = run(["scan", tenders, "--no-model", "--timeout", "7.5", "--jobs", "1", "--quiet", "--exit-zero"])
    assert res.exit_code == 0 and seen == {"timeout": 7.5, "jobs": 1}


# ============================================================================ HTML, #16
def _whole_doc_finding():
    return Finding(
        code="OC201", category="outcome_language", polarity="barrier", severity="medium",
        message="The document states no outcomes for people or communities",
        evidence=Evidence(text=""), detail="nothing found in the whole document (41 sentences read)")


def test_html_tenders_collapse_least_open_first_with_top_findings():
    page = html_report.render(sample_results(), META)
    assert page.count('<details class="tender"') == 4 and "<details class=\"tender\" open" not in page
    order = [page.index(f'id="{a}"') for a in ("t2", "t3", "t1", "t4")]  # closed, hostile, open, failed
    assert order == sorted(order)
    top = page[page.index('id="t2"'):page.index("</ol>", page.index('id="t2"'))]
    assert "Most serious barriers" in top and "Minimum turnover is far above the contract value" in top
    assert top.index("sev high") < top.index("sev medium")
    # one tender alone is open
    assert '<details class="tender" open' in html_report.render(sample_results()[:1], META)


def test_html_filters_and_classes_for_them():
    page = html_report.render(sample_results(), META)
    for ident in ("f-high", "f-medium", "f-strength", "f-cat-burden_of_proof", "f-cat-openness"):
        assert f'id="{ident}"' in page
    assert 'id="f-low"' not in page  # only kinds present are offered
    assert 'class="finding sev-high cat-burden_of_proof"' in page
    assert 'class="finding strength cat-openness"' in page
    assert "body:has(#f-high:not(:checked)) .finding.sev-high" in page


def test_html_same_title_for_a_code_in_chart_and_tables():
    page = html_report.render(sample_results(), META)
    chart = dict(re.findall(r'<g class="bar" data-code="([A-Z]{2}\d{3})"><title>[A-Z]{2}\d{3} ([^:<]+):', page))
    table = dict(re.findall(r'<tr data-code="([A-Z]{2}\d{3})"><td>([^<]+?) <span class="code">', page))
    assert chart and all(table[code] == title for code, title in chart.items()), (chart, table)
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end">([A-Z]{2}\d{3}) ([^<]+)</text>', page)
    assert labels and all(table[c].startswith(t.rstrip("…")) for c, t in labels)
    # the ranking's "most serious" column uses the same title
    assert "<td data-label=\"Most serious\">Minimum turnover is far above the contract value</td>" in page


def test_html_whole_document_findings_show_no_quote_box_but_what_was_found():
    r = result("t.docx", [_whole_doc_finding()])
    page = html_report.render([r], META)
    block = page[page.index('class="finding sev-medium'):]
    block = block[:block.index('<p class="src">')]
    assert "<blockquote>" not in block and "<mark>" not in block
    assert "What we found: nothing found in the whole document (41 sentences read)" in block
    assert "Whole document" in block


def test_html_breakdown_is_rendered_generically():
    r = result("t.docx", [])
    r.breakdown = {"specification": {"label": "Specification", "points": 14, "max": 20,
                                     "why": "one named product"},
                   "outcomes": {"label": "Outcomes", "points": 20, "max": 20}}
    page = html_report.render([r], META)
    assert "Specification<div class=\"why\">one named product</div>" in page
    table = page[page.index('<table class="breakdown">'):]
    table = table[:table.index("</table>")]
    assert '14 <span class="muted">/ 20</span>' in table and "Barriers</th>" not in table
