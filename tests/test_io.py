"""Outputs are written whole or not at all, with ordinary permissions."""
import os
import stat

import pytest

from barrier_scan.findings import Evidence, Finding
from barrier_scan.io import atomic_stream, atomic_write


def test_atomic_write_replaces_whole_and_uses_umask_mode(tmp_path):
    target = tmp_path / "out" / "report.json"
    atomic_write(target, "first")
    atomic_write(target, "second")
    assert target.read_text() == "second"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_failed_stream_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "r.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_stream(target) as fh:
            fh.write("partial\n")
            raise RuntimeError("boom")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.jsonl"]


def _f(**ev):
    return Finding(code="OC201", category="outcome_language", polarity="barrier", severity="medium",
                   message="m", evidence=Evidence(**ev))


def test_whole_document_key_is_stable_across_edits():
    a = _f(text="nothing found in the whole document (41 sentences read)", section="whole document")
    b = _f(text="nothing found in the whole document (57 sentences read)", section="whole document")
    assert a.key() == b.key()


def test_clause_key_survives_renumbering_and_reflow_but_not_rewording():
    a = _f(text="x", sentence="3.2 Bidders must hold  ISO 9001.", paragraph=4)
    b = _f(text="x", sentence="4.2.1 bidders must hold ISO 9001", paragraph=9, page=2)
    c = _f(text="x", sentence="Bidders must hold ISO 14001.", paragraph=4)
    assert a.key() == b.key() != c.key()


def test_normalise_clause_drops_numbering():
    from barrier_scan.findings import normalise_clause

    assert normalise_clause("(b) Bidders must…") == normalise_clause("c) bidders MUST") == "bidders must"
    assert normalise_clause("2024 accounts are required") == "2024 accounts are required"


def test_json_reports_never_contain_nan_or_infinity():
    import json

    from barrier_scan.findings import DocumentResult
    from barrier_scan.report import json as json_report
    from barrier_scan.report import jsonl

    f = _f(text="x", sentence="x", paragraph=1)
    f.data["ratio"] = float("inf")
    r = DocumentResult(path="t.md", findings=[f], score=float("nan"))
    for text in (json_report.render([r]), jsonl.line(r)):
        assert "Infinity" not in text and "NaN" not in text
        json.loads(text)
