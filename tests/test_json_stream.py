"""The JSON report is written a document at a time (report/json.py ``Writer``, for flat memory on
big batches); its text must be exactly the one-shot ``dumps(report_dict, indent=2)``."""
from __future__ import annotations

import io

import pytest

from barrier_scan import scan_text
from barrier_scan.config import Config
from barrier_scan.findings import DocumentResult
from barrier_scan.report import json as json_report
from barrier_scan.report.base import Seen, summary

TEXT = ("Bidders must have a minimum annual turnover of £2 million.\n\n"
        "We welcome consortia — “small” organisations too.\n\nLine one\nline two.")


def _results():
    ok = scan_text(TEXT, Config(use_model=False), path="a/ok.md")
    odd = scan_text(TEXT.replace("£2 million", "£500,000"), Config(use_model=False), path='b/"odd"\n.md')
    odd.stats["nan"] = float("nan")
    bad = DocumentResult(path="c.pdf", error={"code": "encrypted", "message": "locked\nfile"})
    return [ok, bad, odd]


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_streamed_json_is_identical_to_one_shot(n):
    results = _results()[:n]
    meta = {"version": "x", "select": ["ALL"], "weird": "é\n\""}
    whole = {**json_report.head(meta), "documents": [r.to_dict() for r in results],
             **summary([Seen.of(r) for r in results])}
    one_shot = json_report.dumps(whole, indent=2) + "\n"
    out = io.StringIO()
    w = json_report.Writer(out, meta)
    for r in results:
        w.add(r)
    w.close([Seen.of(r) for r in results])
    assert out.getvalue() == one_shot == json_report.render(results, meta)
