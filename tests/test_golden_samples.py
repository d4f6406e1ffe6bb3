"""Golden files for the ten sample tenders: sample_tenders/expected/<file>.json.

Each holds the rules-only result (``Config(use_model=False)``: the classifier is retrained from
time to time, the rules are the stable contract) as the score, the band and a sorted list of
findings ``{code, polarity, severity, page, paragraph, evidence, sentence}``. The test compares
them exactly and shows a line diff (one finding a line) when they differ.

After an intended change to rules, extraction, segmentation or scoring, regenerate and review:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_samples.py

and commit the changed files under sample_tenders/expected/ with the change that caused them.
"""
from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from barrier_scan import Config, scan_file

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "sample_tenders"
EXPECTED = SAMPLES / "expected"
FILES = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def finding_row(f) -> dict:
    ev = f.evidence
    return {"code": f.code, "polarity": f.polarity, "severity": f.severity, "page": ev.page,
            "paragraph": ev.paragraph, "evidence": ev.text, "sentence": ev.sentence}


def _key(row: dict):
    return (row["page"] or 0, row["paragraph"] or 0, row["code"], row["polarity"],
            row["evidence"] or "", row["sentence"] or "")


def golden_text(name: str, result) -> str:
    """Stable JSON: top-level keys sorted, one finding a line so a diff reads finding by finding."""
    rows = sorted((finding_row(f) for f in result.findings), key=_key)
    lines = ["{", f'  "file": {json.dumps(name)},', f'  "score": {json.dumps(result.score)},',
             f'  "band": {json.dumps(result.band)},', '  "findings": [']
    body = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows]
    lines += [f"    {b}," for b in body[:-1]] + ([f"    {body[-1]}"] if body else [])
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def config():
    return Config(use_model=False)


def test_every_sample_has_a_golden_file():
    if UPDATE:
        pytest.skip("regenerating")
    missing = [n for n in FILES if not (EXPECTED / f"{n}.json").is_file()]
    assert not missing, f"no golden file for {missing}: run UPDATE_GOLDEN=1 pytest {__file__}"
    extra = sorted(p.name for p in EXPECTED.glob("*.json") if p.name[:-5] not in FILES)
    assert not extra, f"golden files with no sample tender: {extra}"


@pytest.mark.parametrize("name", FILES)
def test_sample_matches_golden(name, config):
    result = scan_file(SAMPLES / name, config)
    assert result.ok, result.error
    got = golden_text(name, result)
    json.loads(got)  # always valid JSON
    path = EXPECTED / f"{name}.json"
    if UPDATE:
        EXPECTED.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}: run UPDATE_GOLDEN=1 pytest {__file__}"
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(
            want.splitlines(keepends=True), got.splitlines(keepends=True),
            fromfile=f"expected/{name}.json", tofile="now", n=0))
        pytest.fail(f"{name}: findings or score changed (- expected, + now). If intended, run "
                    f"UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_samples.py and review "
                    f"the diff before committing.\n{diff}", pytrace=False)


def test_golden_text_is_stable_and_readable():
    """The serialiser: sorted findings, one a line, valid JSON even with no findings."""
    from barrier_scan.findings import DocumentResult, Evidence, Finding

    def f(code, page, para, text):
        return Finding(code=code, category="openness", polarity="strength", severity="info",
                       message="m", evidence=Evidence(text=text, page=page, paragraph=para,
                                                      sentence=text))

    r = DocumentResult(path="x", score=80.0, band="open",
                       findings=[f("OP104", 2, 1, "or équivalent"), f("OP101", 1, 3, "a")])
    text = golden_text("x.pdf", r)
    data = json.loads(text)
    assert [row["code"] for row in data["findings"]] == ["OP101", "OP104"]
    assert "équivalent" in text  # readable, not \u-escaped
    assert len(text.splitlines()) == 9
    assert json.loads(golden_text("y.pdf", DocumentResult(path="y")))["findings"] == []
