"""OCDS in: release packages, record packages and JSON Lines of releases become tenders; the
notice's value and dates feed the checks; local documents are scanned with their notice;
malformed releases are one line each and the batch goes on; big files stream."""
from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from barrier_scan.cli import cli
from barrier_scan.config import Config
from barrier_scan.extract.ocds import notice_from_release, stated_facts
from barrier_scan.executors import scan_inputs
from barrier_scan.ocds import NoticeReader
from barrier_scan.pipeline import scan_item

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
OCDS = SHARED / "ocds"
NOTICES = SHARED / "notices"
CFG = Config(use_model=False)


def needs(path: Path):
    if not path.exists():
        pytest.skip(f"{path} is not available (the shared corpus lives in ../shared/corpus)")


def release(ocid="ocds-test-1", description="The council wants creative activities for older "
            "residents.", **tender) -> dict:
    """A release of our own wording (never corpus text)."""
    t = {"title": "Creative ageing programme", "description": description, **tender}
    return {"ocid": ocid, "id": f"{ocid}-01", "date": "2025-03-01T09:00:00Z", "tag": ["tender"],
            "buyer": {"id": "GB-TEST-1", "name": "Test Borough Council"}, "tender": t}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def releases_from_notices(files, out: Path) -> int:
    """JSON Lines of OCDS releases built at run time from the shared notices (id -> ocid,
    buyer -> buyer.name, title and text -> tender.title and tender.description)."""
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for f in files:
            for line in open(f, encoding="utf-8"):
                row = json.loads(line)
                fh.write(json.dumps({"ocid": row["id"], "id": row["id"] + "-tender",
                                     "date": row["date"], "tag": ["tender"],
                                     "buyer": {"name": row["buyer"]},
                                     "tender": {"title": row["title"],
                                                "description": row["text"]}}) + "\n")
                n += 1
    return n


# ------------------------------------------------------------------------------ shared examples
def test_release_package_example_feeds_value_and_window():
    needs(OCDS)
    items = list(NoticeReader().read(OCDS / "ocds-213czf-000-00001-02-tender.json"))
    assert len(items) == 1
    n = items[0]
    assert (n.ocid, n.buyer, n.value, n.currency) == ("ocds-213czf-000-00001", "London Borough of Barnet",
                                                      1_100_000.0, "GBP")
    facts = stated_facts(n)
    assert facts["contract_value_total"] == 1_100_000.0
    assert (facts["publication_date"].isoformat(), facts["deadline_date"].isoformat()) == \
        ("2010-03-01", "2010-04-01")
    r = scan_item(n, CFG)
    assert r.ok and r.path == "ocds-213czf-000-00001" and r.format == "ocds"
    assert r.facts["tender_window_days"] == 31
    assert set(r.facts["stated"]) >= {"contract_value_total", "publication_date", "deadline_date"}
    assert r.facts["notice"]["buyer"] == "London Borough of Barnet"
    window = [f for f in r.findings if f.code == "PD204"]
    assert window and "31-day tender window" in window[0].message
    # every finding quotes the notice's own words or says what it measured
    sections = {f.evidence.section for f in r.findings}
    assert sections <= {"Title", "Description", "Award criteria", "whole document", None}


def test_record_package_uses_the_compiled_release():
    needs(OCDS)
    items = list(NoticeReader().read(OCDS / "ocds-213czf-000-00001.json"))
    assert len(items) == 1
    n = items[0]
    assert n.release_id.startswith("ocds-213czf-000-00001-2011")  # the compiled release
    assert n.deadline == "2010-04-08"  # the amended tender period
    assert scan_item(n, CFG).facts["tender_window_days"] == 38


def test_notices_from_the_shared_corpus_as_releases(tmp_path):
    needs(NOTICES)
    src = tmp_path / "releases.jsonl"
    n = releases_from_notices(sorted(NOTICES.glob("notices*.jsonl")), src)
    reader = NoticeReader()
    notices = list(reader.read(src))
    assert reader.releases == n and reader.malformed == 0
    assert len(notices) == reader.notices == n - reader.no_text
    assert all(x.buyer and x.title for x in notices)
    # scanned through the same path as files (local pool), a sample keeps the test short
    results = [r for r, _ in scan_inputs([src], CFG, jobs=1)][:5]
    assert all(r.ok and r.score is not None for r in results)


# ------------------------------------------------------------------------------ facts in the checks
def test_stated_value_feeds_the_turnover_check(tmp_path):
    text = "Bidders must have a minimum annual turnover of £500,000."
    with_value = release(description=text, value={"amount": 100_000, "currency": "GBP"},
                         contractPeriod={"durationInDays": 365})
    r = scan_item(notice_from_release(with_value), CFG)
    bp102 = [f for f in r.findings if f.code == "BP102"]
    assert bp102 and bp102[0].data["ratio"] == 5.0 and bp102[0].data["annual_value"] == 100_000
    assert bp102[0].evidence.text == "£500,000" and bp102[0].evidence.section == "Description"
    # without a stated value there is nothing to compare with
    r = scan_item(notice_from_release(release(description=text)), CFG)
    assert not [f for f in r.findings if f.code == "BP102"]
    # a value in another currency is carried, never compared with pounds
    euros = release(description=text, value={"amount": 100_000, "currency": "EUR"})
    assert "contract_value_total" not in stated_facts(notice_from_release(euros))
    # the user's own value still wins over the notice's
    r = scan_item(notice_from_release(with_value), Config(use_model=False, annual_value=400_000))
    assert not [f for f in r.findings if f.code == "BP102"]
    assert r.facts["contract_value_annual"] == 400_000


def test_stated_dates_feed_the_window_check():
    short = release(tenderPeriod={"startDate": "2025-06-02T00:00:00Z",
                                  "endDate": "2025-06-16T12:00:00Z"},
                    legalBasis={"scheme": "UKPGA", "id": "2023/54"})
    r = scan_item(notice_from_release(short), CFG)
    assert r.facts["regime"] == "pa2023"
    # without a value, whether a statutory minimum applies is unknown: only "short"
    window = [f for f in r.findings if f.code == "PD204"]
    assert window and window[0].severity != "high" and "unknown" in window[0].message
    # the notice's stated value (above the thresholds) makes it a statutory breach
    short["tender"]["value"] = {"amount": 900_000, "currency": "GBP"}
    r = scan_item(notice_from_release(short), CFG)
    window = [f for f in r.findings if f.code == "PD204"]
    assert window and window[0].severity == "high" and "below the statutory minimum of 25" in window[0].message


def test_lots_and_criteria_become_sections():
    rel = release(lots=[{"id": "1", "title": "Music", "description": "Music sessions in care homes.",
                         "value": {"amount": 40_000, "currency": "GBP"}},
                        {"id": "2", "title": "Dance", "description": "Dance for health.",
                         "value": {"amount": 60_000, "currency": "GBP"},
                         "selectionCriteria": {"criteria": [{"description": "Three years of audited accounts are required."}]}}],
                  awardCriteriaDetails="Quality 70%, price 30%.")
    n = notice_from_release(rel)
    facts = stated_facts(n)
    assert facts["lots"] == 2 and facts["lot_value"] == 60_000
    r = scan_item(n, CFG)
    sections = {f.evidence.section for f in r.findings}
    assert "Lot 2: Dance > Selection criteria" in sections
    assert r.facts["lots"] == 2


# ------------------------------------------------------------------------------ local documents
def test_local_documents_named_in_the_release_are_scanned_with_it(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Spec Final.txt").write_text("Bidders must hold public liability insurance of "
                                         "£10,000,000 at the time of bidding.\n")
    rel = release(value={"amount": 80_000, "currency": "GBP"},
                  documents=[{"id": "1", "url": "https://example.org/files/Spec%20Final.txt?v=2"},
                             {"id": "2", "url": "https://example.org/files/absent.pdf"}])
    src = tmp_path / "one.json"
    src.write_text(json.dumps({"releases": [rel]}))
    results = [r for r, _ in scan_inputs([src], CFG, documents_dir=docs, jobs=1)]
    assert len(results) == 1
    r = results[0]
    assert r.facts["notice"]["documents"] == ["Spec Final.txt"]
    assert r.facts["notice"]["missing_documents"] == ["absent.pdf"]
    assert any("absent.pdf" in w for w in r.warnings)
    ins = [f for f in r.findings if f.evidence.section and f.evidence.section.startswith("Spec Final.txt")]
    assert ins and "£10,000,000" in ins[0].evidence.sentence
    # the document's bytes are part of the notice's identity
    before = list(NoticeReader(docs).read(src))[0].digest
    (docs / "Spec Final.txt").write_text("Something else entirely.\n")
    assert list(NoticeReader(docs).read(src))[0].digest != before


# ------------------------------------------------------------------------------ malformed input
def test_malformed_releases_are_one_line_each_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "mixed.jsonl"
    good = [release(ocid=f"ocds-good-{i}", description=f"Workshop number {i} for carers.")
            for i in range(3)]
    lines = [json.dumps(good[0]),
             "{not json at all",
             json.dumps({"id": "no-ocid", "tender": {"title": "x"}}),
             json.dumps(good[1]),
             json.dumps({"ocid": "ocds-bad-tender", "tender": "a string, not an object"}),
             json.dumps({"ocid": "ocds-bad-lots", "tender": {"title": "t", "lots": {"a": 1}}}),
             "[" * 100_000 + "]" * 100_000,
             json.dumps({"ocid": "ocds-planning-only", "planning": {"rationale": "later"}}),
             json.dumps(good[2])]
    src.write_text("\n".join(lines) + "\n")
    r = run("scan", src, "--no-model", "--format", "jsonl", "--jobs", "1")
    assert r.exit_code == 2, r.output
    docs = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    ok = [d["path"] for d in docs if not d["error"]]
    bad = [d for d in docs if d["error"]]
    assert ok == ["ocds-good-0", "ocds-good-1", "ocds-good-2"]
    assert len(bad) == 5 and all(d["error"]["code"] == "malformed_notice" for d in bad)
    errors = [x for x in r.stderr.splitlines() if x.startswith("error:")]
    assert len(errors) == 5
    assert any("line 2" in e and "not valid JSON" in e for e in errors)
    assert any("line 3" in e and "ocid" in e for e in errors)
    assert any("ocds-bad-tender" in e and "'tender' must be a JSON object" in e for e in errors)
    assert any("ocds-bad-lots" in e and "tender.lots" in e for e in errors)
    assert "1 without tender text (skipped)" in r.stderr


def test_too_large_release_is_skipped_and_the_rest_read(tmp_path):
    big = release(ocid="ocds-huge", description="x " * 60_000)
    pkg = {"uri": "test", "releases": [release(ocid="ocds-a"), big, release(ocid="ocds-b")]}
    src = tmp_path / "pkg.json"
    src.write_text(json.dumps(pkg))
    items = list(NoticeReader(max_release_bytes=50_000).read(src))
    assert [getattr(i, "ocid", None) for i in items] == ["ocds-a", None, "ocds-b"]
    assert items[1].error["code"] == "malformed_notice" and "limit" in items[1].error["message"]
    # JSON Lines: the same limit per line
    lines = tmp_path / "l.jsonl"
    lines.write_text("\n".join(json.dumps(x) for x in pkg["releases"]) + "\n")
    items = list(NoticeReader(max_release_bytes=50_000).read(lines))
    assert [getattr(i, "ocid", None) for i in items] == ["ocds-a", None, "ocds-b"]


def test_truncated_package_reports_the_rest_unread(tmp_path):
    src = tmp_path / "cut.json"
    text = json.dumps({"releases": [release(ocid="ocds-a"), release(ocid="ocds-b")]})
    src.write_text(text[: len(text) - 40])
    items = list(NoticeReader().read(src))
    assert items[0].ocid == "ocds-a"
    assert items[-1].error["code"] == "malformed_notice" and "rest of the file" in items[-1].error["message"]


def test_gzip_and_bare_release_and_array(tmp_path):
    gz = tmp_path / "r.jsonl.gz"
    with gzip.open(gz, "wt") as fh:
        fh.write(json.dumps(release(ocid="ocds-gz")) + "\n")
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(release(ocid="ocds-bare")))
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([release(ocid="ocds-x"), release(ocid="ocds-y")]))
    got = [getattr(i, "ocid", None) for p in (gz, bare, arr) for i in NoticeReader().read(p)]
    assert got == ["ocds-gz", "ocds-bare", "ocds-x", "ocds-y"]


def test_a_large_package_streams_a_release_at_a_time(tmp_path):
    """20 MB of releases are read with a few MB of Python memory: one release at a time."""
    src = tmp_path / "big.json"
    filler = "Creative sessions for residents in libraries and community halls. " * 50
    with open(src, "w") as fh:
        fh.write('{"uri": "test", "releases": [')
        for i in range(6000):
            fh.write(("," if i else "") + json.dumps(release(ocid=f"ocds-{i}", description=filler)))
        fh.write("]}")
    assert src.stat().st_size > 20_000_000
    reader = NoticeReader()
    tracemalloc.start()
    count = sum(1 for _ in reader.read(src))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 6000
    assert peak < 4_000_000, f"peak {peak / 1e6:.1f} MB: the package was not streamed"
