"""Table rows read as one line (#17 context): a label cell and its value cell are judged
together by the quantity rules, the quote stays the document's own words, and rows of long
cells or rules that already fired on a cell are left as they were."""
from __future__ import annotations

import docx
import pytest

from barrier_scan import Config, scan_file
from barrier_scan.detect.rows import ROW_JOIN, row_lines
from barrier_scan.extract import extract
from barrier_scan.segment import segment

RULES = Config(use_model=False)


def _tender(path, rows, heading="Insurance and financial standing"):
    d = docx.Document()
    d.add_heading(heading, 1)
    d.add_paragraph("Bidders must meet the requirements in the table below.")
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            t.cell(r, c).text = text
    d.save(path)
    return path


@pytest.fixture()
def label_value(tmp_path):
    return _tender(tmp_path / "t.docx", [("Type of cover", "Level"),
                                         ("Public liability", "£10,000,000"),
                                         ("Minimum annual turnover", "£2,000,000")])


def _by_code(result, code):
    return [f for f in result.findings if f.code == code]


def test_a_label_and_its_value_in_one_row_are_read_together(label_value):
    res = scan_file(label_value, RULES)
    pl = _by_code(res, "BP112")
    assert len(pl) == 1, [f.code for f in res.findings]
    f = pl[0]
    assert f.evidence.text == "£10,000,000"  # the document's own words, in the value cell
    assert f.evidence.table == [0, 1, 1]
    assert [r.text for r in f.related] == ["Public liability"]
    assert f.data["context"] == "table row"


def test_a_row_reading_replaces_the_cells_weaker_finding(label_value):
    """The turnover cell alone says 'amount not read'; with its row the amount is read, and the
    cell's own finding gives way to the row's (one BP101, not two)."""
    res = scan_file(label_value, RULES)
    turnover = _by_code(res, "BP101")
    assert len(turnover) == 1
    assert "£2,000,000" in turnover[0].detail
    assert "not read" not in turnover[0].detail


def test_rows_with_a_long_cell_are_not_joined(tmp_path):
    long_cell = " ".join(["The provider will describe how it works with local groups"] * 3)
    path = _tender(tmp_path / "long.docx", [("Public liability", long_cell),
                                           ("Employer's liability", "£5,000,000")])
    doc = extract(path)
    segment(doc)
    lines = [line for line, _ in row_lines(doc)]
    assert lines == [f"Employer's liability{ROW_JOIN}£5,000,000"]


def test_row_cells_map_back_to_their_blocks(label_value):
    doc = extract(label_value)
    segment(doc)
    for line, cells in row_lines(doc):
        for b, s, e in cells:
            assert line[s:e] == doc.blocks[b].text


def test_without_the_row_reading_the_value_would_be_missed(tmp_path):
    """The same figures written as separate paragraphs are not a row: BP112 needs its label and
    figure in one sentence, so it does not fire (the row reading is what finds it above)."""
    d = docx.Document()
    d.add_paragraph("Public liability")
    d.add_paragraph("£10,000,000")
    d.save(tmp_path / "p.docx")
    assert not _by_code(scan_file(tmp_path / "p.docx", RULES), "BP112")


def test_only_quantity_rules_read_rows(tmp_path):
    """A pattern rule is judged on its cell: a whole-line exception of the cell still holds
    when the cell sits in a row."""
    path = _tender(tmp_path / "q.docx", [("Bidder", "Financial Viability Risk Assessment (FVRA)")])
    res = scan_file(path, RULES)
    assert not [f for f in res.findings if f.data.get("context") == "table row"]
