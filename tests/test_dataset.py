"""The findings dataset: Parquet tables written by 'scan --format parquet', appends and resumed
runs that skip what is done, and 'barrier-scan report' (DuckDB league table, HTML report)."""
from __future__ import annotations

import json
import shutil
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from barrier_scan import dataset
from barrier_scan.cli import cli
from barrier_scan.report import league

FIXTURES = Path(__file__).parent / "fixtures" / "tenders"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "notices"

# Our own wording: a closed, a middling and an open tender (scores differ).
TEXTS = {
    "closed": "Bidders must have a minimum annual turnover of £2,000,000. Three years of audited "
              "accounts are required. Public liability insurance of £10,000,000 must be in place "
              "at the time of bidding.",
    "middle": "The service will offer creative workshops for older residents. Bidders must "
              "provide two references.",
    "open": "We welcome bids from consortia and voluntary organisations. A market engagement "
            "event will be held. The outcomes we want are that residents feel less isolated.",
}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def rel(ocid, buyer, year, kind, **extra):
    return {"ocid": ocid, "id": f"{ocid}-1", "date": f"{year}-05-01T00:00:00Z", "tag": ["tender"],
            "buyer": {"name": buyer},
            "tender": {"title": f"{kind} tender", "description": TEXTS[kind],
                       "tenderPeriod": {"startDate": f"{year}-05-01", "endDate": f"{year}-07-01"},
                       **extra}}


@pytest.fixture
def releases(tmp_path) -> Path:
    rows = []
    plan = [("Alpha Council", 2021, "closed"), ("Alpha Council", 2021, "closed"),
            ("ALPHA  council", 2022, "middle"), ("Alpha Council", 2023, "open"),
            ("Beta Trust", 2022, "open"), ("Beta Trust", 2023, "open"),
            ("Beta Trust", 2023, "middle"), ("<Gamma & Sons>", 2024, "middle")]
    for i, (buyer, year, kind) in enumerate(plan):
        # identical tender words under different ocids would be one content hash: vary them
        r = rel(f"ocds-t-{i}", buyer, year, kind)
        r["tender"]["title"] += f" {i}"
        rows.append(r)
    # a newer release of tender 0 (amended): the league table must count tender 0 once
    newer = rel("ocds-t-0", "Alpha Council", 2021, "middle")
    newer["id"], newer["date"] = "ocds-t-0-2", "2021-06-01T00:00:00Z"
    rows.append(newer)
    p = tmp_path / "releases.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return p


def scan_to(ds: Path, *inputs, extra=()):
    return run("scan", *inputs, "--no-model", "--format", "parquet", "-o", ds, "--jobs", "1",
               "--exit-zero", *extra)


def test_tables_written_and_read_back(tmp_path, releases):
    ds = tmp_path / "ds"
    r = scan_to(ds, releases, FIXTURES)
    assert r.exit_code == 0, r.output
    docs = pq.read_table(ds / "documents").to_pylist()
    finds = pq.read_table(ds / "findings").to_pylist()
    assert len(docs) == 9 + 4
    by_path = {d["path"]: d for d in docs}
    empty = by_path[str(FIXTURES / "d_empty_file.txt")]
    assert empty["error_code"] == "empty_file" and empty["score"] is None
    notice = next(d for d in docs if d["ocid"] == "ocds-t-4")
    assert (notice["buyer"], notice["year"], notice["kind"]) == ("Beta Trust", 2022, "notice")
    assert notice["published"].isoformat() == "2022-05-01" and len(notice["content_sha256"]) == 64
    assert all(d["dim_burden_of_proof"] is not None for d in docs if not d["error_code"])
    # one findings row per finding, each with its evidence and location
    assert len(finds) == sum(d["barriers"] + d["strengths"] for d in docs if not d["error_code"])
    assert all(f["location"] and f["doc_id"] for f in finds)
    assert all(f["evidence_text"] for f in finds if f["location"] != "document")
    assert {f["doc_id"] for f in finds} <= {d["doc_id"] for d in docs}
    manifest = json.loads((ds / "_dataset.json").read_text())
    assert len(manifest["runs"]) == 1 and manifest["runs"][0]["completed"]
    # the same results come back for the HTML report
    results = dataset.load_results(ds)
    assert sum(len(x.findings) for x in results if x.ok) <= len(finds)
    assert any(x.error and x.error["code"] == "empty_file" for x in results)


def test_resumed_run_skips_what_is_done_and_appends_only_new(tmp_path, releases):
    ds = tmp_path / "ds"
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    assert scan_to(ds, releases, folder).exit_code == 0
    first = pq.read_table(ds / "documents").num_rows
    again = scan_to(ds, releases, folder)
    assert "skipped 13 inputs already in" in again.stderr
    assert pq.read_table(ds / "documents").num_rows == first
    (folder / "e_new.txt").write_text(TEXTS["closed"] + "\n")
    (folder / "f_copy.txt").write_text(TEXTS["closed"] + "\n")  # same bytes: scanned once
    third = scan_to(ds, releases, folder)
    assert "skipped 1 duplicate input" in third.stderr
    docs = pq.read_table(ds / "documents").to_pylist()
    assert len(docs) == first + 1
    runs = {d["run_id"] for d in docs}
    assert len(runs) == 2 and len(list((ds / "documents").iterdir())) == 2  # the empty run wrote none
    assert len(json.loads((ds / "_dataset.json").read_text())["runs"]) == 3


def test_transient_errors_are_retried_on_resume(tmp_path, releases):
    ds = tmp_path / "ds"
    assert scan_to(ds, releases).exit_code == 0
    # Forge a later run in which one tender timed out (newer than its good row).
    table = pq.read_table(next((ds / "documents").glob("run=*/part-*.parquet"))).to_pylist()
    row = dict(table[0], doc_id="run=x/0", run_id="x", error_code="timeout",
               error_message="took too long", score=None)
    row["scanned_at"] = row["scanned_at"] + __import__("datetime").timedelta(microseconds=1)
    import pyarrow as pa

    (ds / "documents" / "run=x").mkdir()
    pq.write_table(pa.Table.from_pylist([row], schema=dataset._schemas()["documents"]),
                   ds / "documents" / "run=x" / "part-00000.parquet")
    assert row["content_sha256"] not in dataset.done_hashes(ds)
    r = scan_to(ds, releases)
    assert "skipped 8 inputs" in r.stderr  # everything else; the timed-out one is scanned again
    con = dataset.connect(ds)
    latest = con.execute("SELECT error_code FROM documents WHERE content_sha256 = ?",
                         [row["content_sha256"]]).fetchall()
    assert latest == [(None,)]


def test_engine_mismatch_lock_and_foreign_folder_are_refused(tmp_path, releases):
    ds = tmp_path / "ds"
    assert scan_to(ds, releases).exit_code == 0
    r = scan_to(ds, releases, extra=("--select", "BP"))
    assert r.exit_code == 3 and "other rules, model or settings" in r.output
    writer = dataset.DatasetWriter(ds, json.loads((ds / "_dataset.json").read_text())["engine"])
    with writer:
        r = scan_to(ds, releases)
        assert r.exit_code == 3 and "another barrier-scan run is writing" in r.output
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    r = scan_to(other, releases)
    assert r.exit_code == 3 and "not empty" in r.output
    assert run("scan", releases, "--format", "parquet").exit_code == 3  # no -o


def test_orphans_and_temporary_files_are_ignored(tmp_path, releases):
    ds = tmp_path / "ds"
    assert scan_to(ds, releases).exit_code == 0
    before = dataset.totals(ds)
    n_find = dataset.connect(ds).execute("SELECT count(*) FROM findings").fetchone()[0]
    # a crash between the findings and documents renames leaves findings of no document
    import pyarrow as pa

    part = next((ds / "findings").glob("run=*/part-*.parquet"))
    orphan = [dict(f, doc_id="run=crashed/0") for f in pq.read_table(part).to_pylist()]
    (ds / "findings" / "run=crashed").mkdir()
    pq.write_table(pa.Table.from_pylist(orphan, schema=dataset._schemas()["findings"]),
                   ds / "findings" / "run=crashed" / "part-00000.parquet")
    (part.parent / ".part-00001.parquet.x.tmp").write_bytes(b"half a file")
    assert dataset.totals(ds) == before
    assert dataset.connect(ds).execute("SELECT count(*) FROM findings").fetchone()[0] == n_find


def test_parts_are_flushed_so_memory_stays_bounded(tmp_path, releases):
    rows = [json.loads(x) for x in releases.read_text().splitlines()]
    engine = "e" * 64
    from barrier_scan.pipeline import scan_item
    from barrier_scan.extract.ocds import notice_from_release
    from barrier_scan.config import Config

    with dataset.DatasetWriter(tmp_path / "ds", engine, flush_documents=3) as w:
        for r in rows:
            w.add(scan_item(notice_from_release(r), Config(use_model=False)), None)
            assert len(w.docs) < 3
    parts = sorted((tmp_path / "ds" / "documents").glob("run=*/part-*.parquet"))
    assert len(parts) == 3 and pq.read_table(tmp_path / "ds" / "documents").num_rows == len(rows)


def test_league_table_matches_a_direct_computation(tmp_path, releases):
    ds = tmp_path / "ds"
    assert scan_to(ds, releases).exit_code == 0
    rows = dataset.league_table(ds, min_tenders=1)
    # the same numbers computed in Python from the rows, newest release per ocid
    docs = pq.read_table(ds / "documents").to_pylist()
    newest = {}
    for d in sorted(docs, key=lambda d: (d["release_date"], d["scanned_at"])):
        newest[d["ocid"]] = d
    by_buyer = defaultdict(list)
    for d in newest.values():
        by_buyer[" ".join(d["buyer"].split()).lower()].append(d)
    assert len(newest) == 8 and len(rows) == 3
    for row in rows:
        group = by_buyer[" ".join(row["buyer"].split()).lower()]
        assert row["tenders"] == len(group)
        assert row["median_score"] == pytest.approx(statistics.median(d["score"] for d in group))
        years = defaultdict(list)
        for d in group:
            years[d["year"]].append(d["score"])
        assert [(t["year"], t["tenders"]) for t in row["trend"]] == sorted(
            (y, len(v)) for y, v in years.items())
    alpha = next(r for r in rows if r["buyer"] == "Alpha Council")  # commonest spelling
    assert alpha["tenders"] == 4  # tender 0 counted once (its newer release)
    assert [r["median_score"] for r in rows] == sorted(r["median_score"] for r in rows)
    finds = pq.read_table(ds / "findings").to_pylist()
    alpha_docs = {d["doc_id"] for d in by_buyer["alpha council"]}
    counts = Counter(c for c in {(f["doc_id"], f["code"]) for f in finds
                                 if f["doc_id"] in alpha_docs and f["polarity"] == "barrier"})
    per_code = Counter(code for _, code in counts)
    top = sorted(per_code.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    assert [(b["code"], b["tenders"]) for b in alpha["barriers"]] == top


def test_report_command_writes_pages_and_prints_the_table(tmp_path, releases):
    ds = tmp_path / "ds"
    assert scan_to(ds, releases).exit_code == 0
    out = tmp_path / "out"
    r = run("report", ds, "-o", out, "--min-tenders", "1")
    assert r.exit_code == 0, r.output
    assert "Alpha Council" in r.stdout and "Beta Trust" in r.stdout
    page = (out / "league.html").read_text()
    assert "&lt;Gamma &amp; Sons&gt;" in page and "<Gamma" not in page
    report = (out / "report.html").read_text()
    assert "ocds-t-4" in report and "Tenders ranked, least open first" in report
    csv_text = (out / "league.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("buyer,tenders,median_score")
    md = run("report", ds, "--format", "markdown", "--min-tenders", "2")
    assert md.stdout.startswith("| buyer |") and "Gamma" not in md.stdout
    js = json.loads(run("report", ds, "--format", "json", "--min-tenders", "1").stdout)
    assert js["totals"]["tenders"] == 8 and len(js["buyers"]) == 3
    bad = run("report", tmp_path)
    assert bad.exit_code == 3 and "no barrier-scan dataset" in bad.output
    cut = run("report", ds, "-o", tmp_path / "cut", "--max-tenders", "2")
    assert "the 2 least open of 8 tenders" in cut.stderr
    assert (tmp_path / "cut" / "report.html").read_text().count('class="tender"') == 2


def test_usage_errors(tmp_path, releases):
    r = run("scan", releases, "--executor", "local", "--scheduler", "tcp://127.0.0.1:1")
    assert r.exit_code == 3 and "--scheduler needs --executor dask" in r.output
    r = run("scan", releases, "--format", "json", "-o", tmp_path)
    assert r.exit_code == 3 and "is a folder" in r.output


def test_markdown_escapes_pipes():
    row = {"buyer": "A|B", "tenders": 1, "median_score": 50.0, "closed": 0, "open": 0,
           "barriers": [], "trend": [], "slope_per_year": None, "mean_score": 50.0}
    assert "A\\|B" in league.render_markdown([row])
    assert league.render_csv([dict(row, buyer="=cmd()")]).splitlines()[1].startswith("'=cmd()")


@pytest.mark.corpus
def test_league_table_on_the_shared_notices(tmp_path):
    if not SHARED.exists():
        pytest.skip("../shared/corpus/notices is not available")
    src = tmp_path / "releases.jsonl"
    with open(src, "w") as fh:
        for f in sorted(SHARED.glob("notices*.jsonl")):
            for line in open(f):
                row = json.loads(line)
                fh.write(json.dumps({"ocid": row["id"], "date": row["date"], "tag": ["tender"],
                                     "buyer": {"name": row["buyer"]},
                                     "tender": {"title": row["title"],
                                                "description": row["text"]}}) + "\n")
    ds = tmp_path / "ds"
    r = run("scan", src, "--no-model", "--format", "parquet", "-o", ds, "--exit-zero", "--jobs", "2")
    assert r.exit_code == 0
    rows = dataset.league_table(ds, min_tenders=20)
    assert len(rows) >= 8
    assert all(row["tenders"] >= 20 and 0 <= row["median_score"] <= 100 for row in rows)
    assert all(row["barriers"] and row["trend"] for row in rows)
