"""The openness score against expert ratings (tests/data/openness_ratings.json, issue #12).

The agreement test rescans the 34 rated documents with the current engine and refits the score
by leave-one-group-out cross-validation, so it fails when a rule, model or score change makes the
score disagree with the raters; it needs ../shared (skipped without it) and takes a minute or two.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from barrier_scan.taxonomy import DIMENSIONS

RATINGS = Path(__file__).parent / "data" / "openness_ratings.json"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def test_ratings_are_two_independent_complete_ratings_without_document_text():
    docs = json.loads(RATINGS.read_text(encoding="utf-8"))["documents"]
    assert len(docs) >= 20
    assert {d["kind"] for d in docs} == {"corpus_document", "notice", "sample_tender"}
    for d in docs:
        a, b = d["ratings"]["A"], d["ratings"]["B"]
        for r in (a, b):
            assert set(r["dimensions"]) == set(DIMENSIONS)
            assert all(0 <= v <= 20 for v in r["dimensions"].values())
            assert sum(r["dimensions"].values()) == r["overall"]
            assert len(r["note"]) < 600  # a note, not the document's text
        assert abs(a["overall"] - b["overall"]) <= 10 or "settled" in d, d["id"]
        assert d["mean"]["overall"] == (a["overall"] + b["overall"]) / 2


@pytest.mark.corpus
@pytest.mark.slow
def test_score_agrees_with_the_raters_cross_validated():
    if not (SHARED / "documents").is_dir():
        pytest.skip("../shared/corpus is not present: the rated documents cannot be scanned")
    from barrier_scan.evaluation.score_fit import run
    from barrier_scan.score import parameters

    rep = run(write=False)
    cv = rep["cross_validated"]
    assert cv["spearman"] >= 0.85, cv
    assert cv["mean_absolute_difference"] <= 8.0, cv
    # the committed parameters were fitted on what the engine finds now (refit if this fails:
    # barrier-scan evaluate --score --write)
    assert abs(parameters()["cv_spearman"] - cv["spearman"]) <= 0.03
    assert rep["in_use"]["mean_absolute_difference"] <= 8.0
