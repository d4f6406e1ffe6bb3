"""The in-document protocol maps a scan's findings back to labelled sentences
(evaluation/in_document.py)."""
from __future__ import annotations

from barrier_scan.config import Config
from barrier_scan.detect.detector import Detector
from barrier_scan.evaluation.in_document import labels_in_document, table
from barrier_scan.extract import extract


def _docx(path):
    import docx

    d = docx.Document()
    d.add_heading("Selection", 1)
    d.add_paragraph("Bidders must have a minimum annual turnover of £2 million. "
                    "We welcome bids from consortia and voluntary organisations.")
    d.add_paragraph("The service runs across the district.")
    d.save(str(path))
    return path


def test_findings_go_to_the_labelled_sentence_they_overlap(tmp_path):
    document = extract(_docx(tmp_path / "t.docx"))
    findings = Detector(Config(use_model=False)).run(document).findings
    got = labels_in_document(document, findings, [
        "Bidders must have a minimum annual turnover of £2 million.",
        "We welcome bids from consortia and voluntary organisations.",
        "The service runs across the district.",
        "A sentence that is not in this document at all.",
    ])
    # same block, different sentences: each keeps its own finding
    assert got[0] == {"burden_of_proof"}
    assert got[1] == {"openness"}
    assert got[2] == set()
    assert got[3] is None


def test_a_labelled_unit_spanning_sentences_gets_all_of_them(tmp_path):
    document = extract(_docx(tmp_path / "t.docx"))
    findings = Detector(Config(use_model=False)).run(document).findings
    [got] = labels_in_document(document, findings, [
        "Bidders must have a minimum annual turnover of £2 million. We welcome bids from "
        "consortia and voluntary organisations."])
    assert got == {"burden_of_proof", "openness"}


def test_table_renders_both_columns():
    cell = {"precision": 0.5, "recall": 0.25, "f1": 0.333, "support": 4}
    rep = {"per_label": {lab: cell for lab in ("over_specification", "burden_of_proof",
                                                "outcome_language", "openness")},
           "macro": cell}
    lines = table({"held_out": "frameworks", "n": 10, "n_labelled": 12, "documents": 2,
                   "in_document": rep, "alone": {"combined": rep}})
    assert "10 of 12" in lines[0] and any("0.50 / 0.25 / **0.33**" in x for x in lines)
    assert table({}) == []


def test_matching_is_by_whole_words(tmp_path):
    """A short labelled text is not found inside a longer word, nor given a finding of a
    sentence it is only a fragment of by characters."""
    document = extract(_docx(tmp_path / "t.docx"))
    findings = Detector(Config(use_model=False)).run(document).findings
    got = labels_in_document(document, findings, ["ice runs across the district."])
    assert got == [None]  # "service runs ..." contains the characters, not the words
