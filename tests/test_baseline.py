"""Accepted-findings baselines: create, validate on load, apply (with expiry), CLI round trip."""
from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from barrier_scan.baseline import (BASELINE_VERSION, Baseline, BaselineError, apply_baseline,
                                   create, from_dict, load)
from barrier_scan.cli import cli
from barrier_scan.findings import DocumentResult, Evidence, Finding

TURNOVER = "Bidders must have a minimum annual turnover of £500,000."
LAMPLIGHT = "The provider must use Lamplight to record attendance."
TODAY = date(2026, 6, 1)


def _finding(code, sentence, polarity="barrier", paragraph=3, page=None):
    return Finding(code=code, category="burden_of_proof", polarity=polarity, severity="medium",
                   message=f"message {code}",
                   evidence=Evidence(text=sentence[:20], sentence=sentence, paragraph=paragraph,
                                     page=page, start=0, end=20))


def _result(*findings, path="draft.docx"):
    return DocumentResult(path=path, findings=list(findings), score=55.0, band="some barriers")


# ------------------------------------------------------------------------------ create
def test_create_records_barriers_with_empty_review_fields():
    r = _result(_finding("BP101", TURNOVER), _finding("SP101", LAMPLIGHT),
                _finding("OP101", "Joint bids are welcome.", polarity="strength"))
    b = create([r], on=TODAY)
    assert [e.code for e in b.entries] == ["BP101", "SP101"]  # strengths are not "accepted"
    d = b.to_dict()
    assert d["version"] == BASELINE_VERSION and d["created"] == "2026-06-01"
    e = d["entries"][0]
    assert e["key"] == r.findings[0].key()
    assert e["justification"] == "" and e["reviewer"] == "" and e["expires"] is None
    assert e["quote"] == TURNOVER and e["path"] == "draft.docx"
    assert len(create([r], on=TODAY, include_strengths=True).entries) == 3


def test_create_sets_review_fields_for_all_and_dedupes_keys():
    r = _result(_finding("BP101", TURNOVER, paragraph=3), _finding("BP101", TURNOVER, paragraph=9))
    b = create([r, _result()], reviewer="A. Buyer", justification="finance rule",
               expires=date(2027, 1, 31), on=TODAY)
    assert len(b.entries) == 1
    e = b.entries[0].to_dict()
    assert (e["reviewer"], e["justification"], e["expires"]) == ("A. Buyer", "finance rule",
                                                                 "2027-01-31")


def test_create_skips_failed_files():
    bad = DocumentResult(path="x.pdf", error={"code": "corrupt_file", "message": "damaged"})
    assert create([bad], on=TODAY).entries == []


# ------------------------------------------------------------------------------ load / validate
def _write(tmp_path, data) -> str:
    p = tmp_path / "accepted.json"
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(p)


def test_round_trip(tmp_path):
    b = create([_result(_finding("BP101", TURNOVER))], reviewer="R", expires=date(2027, 1, 1),
               on=TODAY)
    loaded = load(_write(tmp_path, b.dumps()))
    assert loaded.to_dict() == b.to_dict()


GOOD_KEY = "BP101:0123456789abcdef"


@pytest.mark.parametrize("data, message", [
    ("{not json", "not valid JSON (line 1"),
    ([], "must be a JSON object"),
    ({"entries": []}, "missing 'version'"),
    ({"version": 2, "entries": []}, "unsupported baseline version 2"),
    ({"version": 1}, "'entries' must be a list"),
    ({"version": 1, "entries": [], "extra": 1}, "unknown top-level key(s): extra"),
    ({"version": 1, "entries": ["x"]}, "entry 1: must be an object"),
    ({"version": 1, "entries": [{"key": "BP101"}]}, "entry 1: 'key' must look like"),
    ({"version": 1, "entries": [{"key": GOOD_KEY, "expiry": "2027-01-01"}]},
     "entry 1: unknown key(s) expiry"),
    ({"version": 1, "entries": [{"key": GOOD_KEY, "expires": "31/01/2027"}]},
     "entry 1: 'expires' must be a date YYYY-MM-DD"),
    ({"version": 1, "entries": [{"key": GOOD_KEY, "expires": "2027-02-30"}]},
     "is not a real date"),
    ({"version": 1, "entries": [{"key": GOOD_KEY, "reviewer": 5}]},
     "'reviewer' must be text or null"),
    ({"version": 1, "entries": [{"key": GOOD_KEY, "code": "SP101"}]}, "does not match the key"),
    ({"version": 1, "entries": [{"key": GOOD_KEY}, {"key": GOOD_KEY}]}, "entry 2: duplicate key"),
])
def test_load_rejects_bad_files_with_clear_messages(tmp_path, data, message):
    path = _write(tmp_path, data)
    with pytest.raises(BaselineError) as e:
        load(path)
    assert message in str(e.value)
    assert path in str(e.value)


def test_load_missing_file(tmp_path):
    with pytest.raises(BaselineError, match="baseline file not found"):
        load(tmp_path / "nope.json")


def test_minimal_hand_written_entry_is_accepted():
    b = from_dict({"version": 1, "entries": [{"key": GOOD_KEY, "justification": None}]})
    assert b.entries[0].code == "BP101" and b.entries[0].expires is None


# ------------------------------------------------------------------------------ apply
def test_apply_hides_accepted_and_counts_them():
    base = create([_result(_finding("BP101", TURNOVER))], on=TODAY)
    r = _result(_finding("BP101", TURNOVER), _finding("SP101", LAMPLIGHT))
    apply_baseline(r, base, TODAY)
    assert [f.code for f in r.findings] == ["SP101"]
    assert r.accepted == 1
    assert r.score == 55.0  # the score describes the document, accepted or not


def test_keys_survive_repagination_and_edits_elsewhere_but_not_rewording():
    base = create([_result(_finding("BP101", TURNOVER, paragraph=3))], on=TODAY)
    moved = _finding("BP101", "Bidders must have a minimum annual turnover of £500,000",
                     paragraph=40, page=7)  # moved, renumbered, full stop lost
    reworded = _finding("BP101", "Bidders must have a minimum annual turnover of £750,000.")
    r = _result(moved, reworded, path="draft-v2.docx")
    apply_baseline(r, base, TODAY)
    assert r.accepted == 1
    assert [f.evidence.sentence for f in r.findings] == [reworded.evidence.sentence]


def test_document_level_findings_keep_their_key_across_edits():
    def absent(n):  # an absence check: no sentence, evidence text names the sentence count
        return Finding(code="OC201", category="outcome_language", polarity="barrier",
                       severity="medium", message="no outcomes",
                       evidence=Evidence(text=f"nothing found in the whole document ({n} sentences read)",
                                         section="whole document"))
    base = create([_result(absent(41))], on=TODAY)
    r = apply_baseline(_result(absent(57)), base, TODAY)
    assert r.accepted == 1 and r.findings == []


@pytest.mark.parametrize("expires, on, hidden", [
    (date(2026, 6, 1), date(2026, 6, 1), True),  # the expiry day itself still holds
    (date(2026, 6, 1), date(2026, 6, 2), False),  # the day after, the finding is back
    (None, date(2099, 1, 1), True),
])
def test_expiry(expires, on, hidden):
    base = create([_result(_finding("BP101", TURNOVER))], expires=expires, on=TODAY)
    r = apply_baseline(_result(_finding("BP101", TURNOVER)), base, on)
    assert (r.accepted, len(r.findings)) == ((1, 0) if hidden else (0, 1))
    assert any("expired on 2026-06-01" in w for w in r.warnings) == (not hidden)


def test_apply_leaves_failed_results_alone():
    bad = DocumentResult(path="x", error={"code": "corrupt_file", "message": "m"})
    assert apply_baseline(bad, Baseline(), TODAY).accepted == 0


# ------------------------------------------------------------------------------ CLI
DRAFT = f"""# Specification

{TURNOVER}

{LAMPLIGHT}
"""


@pytest.fixture
def draft(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text(DRAFT, encoding="utf-8")
    return p


def _run(args, env=None):
    return CliRunner().invoke(cli, args, env={"BARRIER_SCAN_NO_CONFIG": "1", **(env or {})})


def test_cli_create_then_scan_shows_only_new(tmp_path, draft):
    out = tmp_path / "accepted.json"
    r = _run(["baseline", "create", str(draft), "-o", str(out), "--no-model",
              "--reviewer", "A. Buyer", "--justification", "agreed with finance",
              "--expires", "2027-03-31"])
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    codes = sorted(e["code"] for e in data["entries"])
    assert {"BP101", "SP101"} <= set(codes)
    assert all(e["reviewer"] == "A. Buyer" and e["expires"] == "2027-03-31"
               for e in data["entries"])

    # Everything accepted: no barriers shown, exit 0, counts reported.
    r = _run(["scan", str(draft), "--no-model", "--baseline", str(out), "--format", "json"],
             env={"BARRIER_SCAN_TODAY": "2027-03-31"})
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)["documents"][0]
    assert doc["accepted"] == len(codes)
    assert not [f for f in doc["findings"] if f["polarity"] == "barrier"]

    # A new barrier shows up on its own; the accepted ones are counted in the text report.
    draft.write_text(DRAFT + "\nOnly Kodak film will be accepted for the photography project.\n",
                     encoding="utf-8")
    r = _run(["scan", str(draft), "--no-model", "--baseline", str(out)],
             env={"BARRIER_SCAN_TODAY": "2027-01-01"})
    assert r.exit_code == 1
    assert f"{len(codes)} accepted" in r.stdout
    assert "Kodak" in r.stdout and "Lamplight" not in r.stdout

    # After expiry everything comes back, with a warning saying why.
    r = _run(["scan", str(draft), "--no-model", "--baseline", str(out)],
             env={"BARRIER_SCAN_TODAY": "2027-04-01"})
    assert r.exit_code == 1
    assert "Lamplight" in r.stdout and "expired on 2027-03-31" in r.stdout


def test_cli_bad_baseline_is_a_usage_error(tmp_path, draft):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 7, "entries": []}', encoding="utf-8")
    r = _run(["scan", str(draft), "--no-model", "--baseline", str(bad)])
    assert r.exit_code == 3
    assert "unsupported baseline version 7" in r.output


def test_cli_bad_expires_date(tmp_path, draft):
    r = _run(["baseline", "create", str(draft), "-o", str(tmp_path / "a.json"),
              "--expires", "next year"])
    assert r.exit_code == 3
    assert "YYYY-MM-DD" in r.output
    assert not (tmp_path / "a.json").exists()


def test_baseline_stores_a_path_relative_to_itself_and_works_elsewhere(tmp_path):
    """No absolute path in a baseline file: it names the document relative to its own folder, so
    the pair can be moved to another folder or machine and still work (#16)."""
    import shutil

    docs, review = tmp_path / "site" / "docs", tmp_path / "site" / "review"
    docs.mkdir(parents=True)
    src = docs / "draft.txt"
    src.write_text(DRAFT, encoding="utf-8")
    out = review / "accepted.json"
    r = _run(["baseline", "create", str(src.resolve()), "-o", str(out), "--no-model"])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert str(tmp_path) not in text
    assert {e["path"] for e in json.loads(text)["entries"]} == {"../docs/draft.txt"}
    moved = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "site", moved)
    r = _run(["scan", str(moved / "docs" / "draft.txt"), "--no-model", "--format", "json",
              "--baseline", str(moved / "review" / "accepted.json")])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["documents"][0]["accepted"] >= 2
    # the Python API without a folder records just the file name
    from barrier_scan.baseline import create
    from barrier_scan.findings import DocumentResult
    res = DocumentResult(path=str(src), findings=[_finding("BP101", TURNOVER)], score=50.0, band="x")
    assert create([res]).entries[0].path == "draft.txt"
