"""The command line through click's CliRunner: rules, scan, configuration, exit codes."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from barrier_scan.cli import cli

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_tenders"

CLOSED = """# Creative activities tender

The contract is worth £100,000 per annum for three years.

Bidders must have a minimum annual turnover of £1,000,000.

The provider must use Lamplight to record attendance.
"""


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)


def test_rules_lists_codes_and_explains_one():
    r = run("rules")
    assert r.exit_code == 0
    assert "BP101" in r.output and "minimum-turnover" in r.output
    r = run("rules", "bp102")
    assert r.exit_code == 0
    for heading in ("What", "Why it matters", "Instead", "Legal basis", "Fires on"):
        assert heading in r.output


def test_rules_select_ignore_and_json():
    r = run("rules", "--select", "BP", "--ignore", "BP101", "--format", "json")
    codes = [x["code"] for x in json.loads(r.output)]
    assert codes and all(c.startswith("BP") for c in codes) and "BP101" not in codes


def test_rules_check_runs_examples():
    r = run("rules", "--check", "--select", "BP10")
    assert r.exit_code == 0 and "0 problems" in r.output


def test_unknown_rule_is_a_usage_error():
    r = CliRunner().invoke(cli, ["rules", "ZZ999"])
    assert r.exit_code == 3 and "no rule" in r.output


def test_scan_text_file_reports_findings_with_paragraphs(tmp_path):
    f = tmp_path / "tender.md"
    f.write_text(CLOSED)
    r = run("scan", f, "--format", "json", "--no-model", "-q")
    assert r.exit_code == 1  # barriers found
    doc = json.loads(r.output)["documents"][0]
    codes = {x["code"] for x in doc["findings"]}
    # BP102 reports a floor above twice the annual value; BP101 stays silent then (no duplicate)
    assert {"BP102", "SP101"} <= codes and "BP101" not in codes
    bp102 = next(x for x in doc["findings"] if x["code"] == "BP102")
    assert bp102["evidence"]["paragraph"] == 3 and "£1,000,000" in bp102["evidence"]["text"]
    assert "10.0×" in bp102["message"]


def test_fail_on_and_exit_zero(tmp_path):
    f = tmp_path / "tender.md"
    f.write_text("The contract is divided into three lots.\n\nWe welcome bids from consortia.\n")
    assert run("scan", f, "--no-model", "-q", "--select", "OP,BP").exit_code == 0
    g = tmp_path / "closed.md"
    g.write_text(CLOSED)
    assert run("scan", g, "--no-model", "-q", "--exit-zero").exit_code == 0
    assert run("scan", g, "--no-model", "-q", "--fail-on", "high", "--select", "OC101").exit_code == 0


def test_config_file_select_and_flag_override(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the configuration of the project you run in
    (tmp_path / "barrier-scan.toml").write_text('select = ["SP"]\nuse-model = false\n')
    f = tmp_path / "t.md"
    f.write_text(CLOSED)
    doc = json.loads(run("scan", f, "--format", "json", "-q").output)["documents"][0]
    assert {x["code"] for x in doc["findings"]} == {"SP101"}
    doc = json.loads(run("scan", f, "--format", "json", "-q", "--select", "BP102").output)["documents"][0]
    assert {x["code"] for x in doc["findings"]} == {"BP102"}


def test_pyproject_table_and_fact_override(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.barrier-scan]\nuse-model = false\nannual-value = 900000\n')
    f = tmp_path / "t.md"
    f.write_text(CLOSED)
    doc = json.loads(run("scan", f, "--format", "json", "-q").output)["documents"][0]
    assert "BP102" not in {x["code"] for x in doc["findings"]}  # £1m is under 2 x £900k
    assert doc["facts"]["contract_value_annual"] == 900000
    doc = json.loads(run("scan", f, "--format", "json", "-q", "--annual-value", "50000").output)["documents"][0]
    assert "BP102" in {x["code"] for x in doc["findings"]}


def test_bad_config_key_is_exit_3(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "barrier-scan.toml").write_text("colour = 'red'\n")
    f = tmp_path / "t.md"
    f.write_text(CLOSED)
    r = CliRunner().invoke(cli, ["scan", str(f)])
    assert r.exit_code == 3 and "unknown key 'colour'" in r.output


def test_unreadable_file_exit_2_and_batch_goes_on(tmp_path):
    (tmp_path / "good.md").write_text(CLOSED)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    r = run("scan", tmp_path, "--format", "json", "--no-model", "-q", "--jobs", "1")
    assert r.exit_code == 2
    data = json.loads(r.output)
    assert data["summary"] == {**data["summary"], "documents": 2, "scanned": 1, "failed": 1}
    assert data["failures"][0]["path"].endswith("broken.pdf")


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample_tenders/ missing")
def test_scan_samples_json_every_sample_with_located_evidence():
    """Issue 2 'done when': every sample listed, with findings located by page (PDF) or paragraph (DOCX)."""
    r = run("scan", SAMPLES, "--format", "json", "--exit-zero", "-q")
    data = json.loads(r.output)
    assert data["schema_version"]
    docs = {Path(d["path"]).name: d for d in data["documents"]}
    expected = {p.name for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx")}
    assert set(docs) == expected
    for name, d in docs.items():
        assert d["error"] is None and 0 <= d["score"] <= 100, name
        located = [f for f in d["findings"] if f["evidence"]["paragraph"] is not None]
        assert located, name
        for f in located:
            ev = f["evidence"]
            if name.endswith(".pdf"):
                assert ev["page"] >= 1, (name, f["code"])
            else:
                assert ev["page"] is None and ev["paragraph"] >= 1, (name, f["code"])
            for key in ("code", "category", "polarity", "severity", "message", "source",
                        "confidence", "citation", "suggestion"):
                assert key in f
            assert ev["text"] and ev["start"] is not None and ev["end"] > ev["start"]


def test_api_scan_text_and_scan_file(tmp_path):
    import barrier_scan

    r = barrier_scan.scan_text(CLOSED, barrier_scan.Config(use_model=False))
    assert r.error is None and {"BP102", "SP101"} <= {f.code for f in r.findings}
    missing = barrier_scan.scan_file(tmp_path / "nope.pdf")
    assert missing.error["code"] in ("not_found", "unreadable")


def test_snippets_get_no_whole_document_findings_but_any_file_does(tmp_path):
    """A pasted snippet says nothing about what the tender lacks; a file is a whole document,
    however short (a six-sentence specification with no outcomes gets "no outcomes")."""
    import barrier_scan

    cfg = barrier_scan.Config(use_model=False)
    short = "\n\n".join(f"Session {i} will take place in the hall." for i in range(6))
    for text in (short, "\n\n".join([short] * 3)):
        r = barrier_scan.scan_text(text, cfg)
        assert not [f for f in r.findings if f.data.get("kind") == "absence"]
    spec = tmp_path / "spec.md"
    spec.write_text(short)
    r = barrier_scan.scan_file(spec, cfg)
    assert "OC201" in {f.code for f in r.findings}  # a whole tender with no outcome stated


def test_broken_model_is_one_clear_configuration_error(tmp_path, monkeypatch):
    from barrier_scan.detect import detector as detect

    bad = tmp_path / "model"
    bad.mkdir()
    (bad / "model.json").write_text("{not json")
    (bad / "model.npz").write_bytes(b"not a model")
    (bad / "metadata.json").write_text("{}")
    detect._model.cache_clear()
    detect.load_detector.cache_clear()
    monkeypatch.setenv("BARRIER_SCAN_MODEL", str(bad))
    f = tmp_path / "t.md"
    f.write_text(CLOSED)
    try:
        r = CliRunner().invoke(cli, ["scan", str(f), "--jobs", "1"])
        assert r.exit_code == 3 and "cannot load the classifier" in r.output
        (tmp_path / "u.md").write_text(CLOSED)  # two files, two workers: still one clear error
        r = CliRunner().invoke(cli, ["scan", str(tmp_path), "--jobs", "2"])
        assert r.exit_code == 3 and "cannot load the classifier" in r.output
    finally:
        detect._model.cache_clear()
        detect.load_detector.cache_clear()


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_streaming_formats_keep_no_result_once_written(tmp_path, monkeypatch, fmt):
    """Memory stays flat: each document is written and dropped before the next arrives."""
    import gc
    import weakref

    import barrier_scan.batch as batch
    from barrier_scan.findings import DocumentResult, Evidence, Finding

    alive = []

    def fake_scan_batch(files, cfg, jobs=None, on_result=None, cache_dir=None, on_start=None, **_):
        for i in range(5):
            gc.collect()
            # The loop variable still holds the latest one until the next arrives: at most one.
            assert all(ref() is None for ref in alive[:-1]), "an earlier result is still held"
            f = Finding(code="BP101", category="burden_of_proof", polarity="barrier",
                        severity="medium", message="m", evidence=Evidence(text="x", paragraph=1))
            r = DocumentResult(path=f"t{i}.md", findings=[f], score=50.0, band="some barriers")
            alive.append(weakref.ref(r))
            yield r
            del r, f

    monkeypatch.setattr(batch, "scan_batch", fake_scan_batch)
    (tmp_path / "t.md").write_text("x")
    out = tmp_path / f"report.{fmt}"
    r = run("scan", tmp_path / "t.md", "--format", fmt, "-o", out, "--no-model", "-q",
            "--findings-csv", tmp_path / "f.csv")
    assert r.exit_code == 1  # the summaries still carry the barrier severities
    text = out.read_text(encoding="utf-8-sig")
    assert text.count("t4.md") == 1 and (tmp_path / "f.csv").read_text(encoding="utf-8-sig").count("BP101") == 5
    if fmt == "json":
        data = json.loads(text)
        assert data["summary"]["documents"] == 5 and data["summary"]["barriers"] == 5


def test_api_scan_paths_serial_and_parallel_agree(tmp_path):
    import barrier_scan

    (tmp_path / "a.md").write_text(CLOSED)
    (tmp_path / "b.md").write_text("We welcome bids from consortia.\n")
    cfg = barrier_scan.Config(use_model=False)
    one = list(barrier_scan.scan_paths([tmp_path], cfg))
    two = list(barrier_scan.scan_paths([tmp_path], cfg, jobs=2))
    assert [r.path for r in one] == [r.path for r in two] == [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    assert [[f.code for f in r.findings] for r in one] == [[f.code for f in r.findings] for r in two]
