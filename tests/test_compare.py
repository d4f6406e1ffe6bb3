"""Version compare: added / removed / reworded / unchanged, score change, formats, CLI."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from barrier_scan.cli import cli
from barrier_scan.compare import FUZZY_RATIO, compare_results
from barrier_scan.report.compare import render_html, render_json, render_text
from barrier_scan.findings import DocumentResult, Evidence, Finding

TURNOVER = "Bidders must have a minimum annual turnover of £500,000."
LAMPLIGHT = "The provider must use Lamplight to record attendance."
KODAK = "Only Kodak film will be accepted for the photography project."


def _f(code, sentence, polarity="barrier", paragraph=1):
    return Finding(code=code, category="over_specification", polarity=polarity, severity="high",
                   message=f"message {code}",
                   evidence=Evidence(text=sentence[:15], sentence=sentence, paragraph=paragraph))


def _r(path, score, band, *findings):
    return DocumentResult(path=path, findings=list(findings), score=score, band=band)


def test_unit_matching():
    old = _r("v1.docx", 45.0, "some barriers",
             _f("BP101", TURNOVER, paragraph=2),
             _f("SP101", LAMPLIGHT, paragraph=5),
             _f("SP101", KODAK, paragraph=9),
             _f("OP101", "Joint bids are welcome.", polarity="strength", paragraph=12))
    new = _r("v2.docx", 62.5, "some barriers",
             _f("BP101", TURNOVER.upper(), paragraph=30),  # moved and re-cased: same key
             # reworded a little: still the same finding, reported as changed
             _f("SP101", "The provider must use Lamplight to record all attendance.", paragraph=31),
             _f("SP101", "Only Ilford paper will be accepted for prints.", paragraph=32))
    cmp = compare_results(old, new)
    assert [(o.code, n.evidence.paragraph) for o, n in cmp.unchanged] == [("BP101", 30)]
    assert [(o.evidence.sentence, n.code) for o, n, _ in cmp.changed] == [(LAMPLIGHT, "SP101")]
    assert cmp.changed[0][2] >= FUZZY_RATIO
    assert [f.evidence.sentence for f in cmp.added] == ["Only Ilford paper will be accepted for prints."]
    assert sorted(f.code for f in cmp.removed) == ["OP101", "SP101"]
    assert cmp.score_change == 17.5
    c = cmp.counts()
    assert c["removed"] == {"barriers": 1, "strengths": 1}
    assert c["changed"]["barriers"] == 1 and c["unchanged"]["barriers"] == 1


def test_fuzzy_needs_same_code_and_threshold():
    old = _r("a", 50.0, "x", _f("SP101", LAMPLIGHT))
    new = _r("b", 50.0, "x", _f("BP101", LAMPLIGHT + " Always."))
    cmp = compare_results(old, new)
    assert not cmp.changed and len(cmp.added) == 1 and len(cmp.removed) == 1
    assert compare_results(old, _r("b", 50.0, "x", _f("SP101", LAMPLIGHT + " x")), ratio=1.0).changed == []


def test_repeated_clauses_pair_one_to_one():
    old = _r("a", 50.0, "x", _f("SP101", LAMPLIGHT, paragraph=1))
    new = _r("b", 40.0, "x", _f("SP101", LAMPLIGHT, paragraph=1), _f("SP101", LAMPLIGHT, paragraph=7))
    cmp = compare_results(old, new)
    assert len(cmp.unchanged) == 1 and [f.evidence.paragraph for f in cmp.added] == [7]
    assert cmp.score_change == -10.0


def test_formats_escape_and_report_everything():
    nasty = 'The provider must use <script>alert("x")</script> & Lamplight to record attendance.'
    old = _r("old <v1>.docx", 50.0, "some barriers", _f("SP101", LAMPLIGHT))
    new = _r("new.docx", 38.0, "closed", _f("SP101", nasty), _f("BP101", TURNOVER))
    cmp = compare_results(old, new)
    page = render_html(cmp)
    assert page.startswith("<!DOCTYPE html>") and "<script>" not in page
    assert "&lt;script&gt;" in page and "old &lt;v1&gt;.docx" in page
    assert "<link" not in page and "src=" not in page  # self-contained
    text = render_text(cmp)
    assert "score change: -12 (band some barriers → closed)" in text
    assert "Added in the new version:" in text and "BP101" in text
    d = json.loads(render_json(cmp, {"version": "t"}))
    assert d["score_change"] == -12.0 and d["new"]["band"] == "closed"
    # the <script> sentence is too different from the old one to count as reworded
    assert [a["code"] for a in d["added"]] == ["SP101", "BP101"]
    assert [a["code"] for a in d["removed"]] == ["SP101"]
    assert d["added"][1]["key"] == new.findings[1].key()


# ------------------------------------------------------------------------------ CLI
def _run(args):
    return CliRunner().invoke(cli, args, env={"BARRIER_SCAN_NO_CONFIG": "1"})


@pytest.fixture
def versions(tmp_path):
    v1 = tmp_path / "v1.txt"
    v2 = tmp_path / "v2.txt"
    v1.write_text(f"# Specification\n\n{TURNOVER}\n\n{LAMPLIGHT}\n", encoding="utf-8")
    v2.write_text(f"# Specification\n\nIntroduction added here.\n\n{TURNOVER}\n\n{KODAK}\n",
                  encoding="utf-8")
    return v1, v2


def test_cli_compare_text_json_html(tmp_path, versions):
    v1, v2 = versions
    r = _run(["compare", str(v1), str(v2), "--no-model"])
    assert r.exit_code == 1, r.output  # the new version adds a barrier
    assert "Added in the new version:" in r.stdout and "Kodak" in r.stdout
    assert "Removed (no longer found):" in r.stdout and "Lamplight" in r.stdout

    r = _run(["compare", str(v1), str(v2), "--no-model", "--format", "json", "--exit-zero"])
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert [a["code"] for a in d["added"]] == ["SP101"]
    assert [a["code"] for a in d["removed"]] == ["SP101"]
    assert "BP101" in [u["code"] for u in d["unchanged"]]
    assert d["score_change"] == round(d["new"]["score"] - d["old"]["score"], 1)

    out = tmp_path / "cmp.html"
    r = _run(["compare", str(v1), str(v2), "--no-model", "--format", "html", "-o", str(out)])
    assert r.exit_code == 1
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    # Removing a barrier only: exit 0.
    r = _run(["compare", str(v2), str(v1), "--no-model"])
    assert r.exit_code == 1  # v1 has Lamplight, which v2 lacks: added going backwards
    v3 = tmp_path / "v3.txt"
    v3.write_text(f"# Specification\n\n{TURNOVER}\n", encoding="utf-8")
    assert _run(["compare", str(v1), str(v3), "--no-model"]).exit_code == 0


def test_cli_compare_fact_override_changes_findings(tmp_path, versions):
    v1, _ = versions
    plain = json.loads(_run(["compare", str(v1), str(v1), "--no-model", "--format", "json"]).stdout)
    assert "BP102" not in [u["code"] for u in plain["unchanged"]]
    r = _run(["compare", str(v1), str(v1), "--no-model", "--format", "json",
              "--annual-value", "100000"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert "BP102" in [u["code"] for u in d["unchanged"]]  # £500k turnover is 5x £100k
    assert d["added"] == [] and d["removed"] == []


def test_cli_compare_unreadable(tmp_path, versions):
    v1, _ = versions
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 garbage")
    r = _run(["compare", str(v1), str(bad), "--no-model"])
    assert r.exit_code == 2
    assert "error:" in r.output


# ------------------------------------------------------------------------------ #16
ACCOUNTS_V1 = "Bidders must submit three years' audited accounts with their tender."
ACCOUNTS_V2 = "Tenderers shall provide audited accounts covering the last three years with the bid."


def test_a_reworded_clause_is_reworded_and_removing_barriers_exits_0(tmp_path):
    """An edit that only removes barriers, while rewording the three-years-of-accounts clause in
    place, is not "removed + added" and exits 0 (#16)."""
    v1 = tmp_path / "v1.md"
    v2 = tmp_path / "v2.md"
    v1.write_text(f"# 4 Selection\n\n## 4.2 Finance\n\n{ACCOUNTS_V1}\n\n{TURNOVER}\n\n"
                  f"# 5 Specification\n\n{LAMPLIGHT}\n", encoding="utf-8")
    v2.write_text(f"# 4 Selection\n\n## 4.2 Finance\n\n{ACCOUNTS_V2}\n\n"
                  "# 5 Specification\n\nThe provider will record attendance in a system of its choice.\n",
                  encoding="utf-8")
    r = _run(["compare", str(v1), str(v2), "--no-model", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [a for a in d["added"] if a["polarity"] == "barrier"] == []
    reworded = {c["new"]["code"] for c in d["changed"]}
    assert {"BP103", "BP104"} <= reworded  # audited accounts, three years
    removed = {a["code"] for a in d["removed"]}
    assert "SP101" in removed and "BP103" not in removed and d["warnings"] == []


def test_same_clause_needs_the_same_requirement():
    """Two different named products in one section are not one clause reworded."""
    def f(code, sentence, section, text, **data):
        x = _f(code, sentence)
        x.evidence.section, x.evidence.text, x.data = section, text, data
        return x

    old = _r("a", 50.0, "x", f("SP101", LAMPLIGHT, "5 Spec", "must use Lamplight"),
             f("BP104", ACCOUNTS_V1, "4.2 Finance", "three years'", years=3))
    new = _r("b", 50.0, "x", f("SP101", KODAK, "5 Spec", "Only Kodak film will be accepted"),
             f("BP104", ACCOUNTS_V2, "4.2 Finance", "last three years", years=3))
    cmp = compare_results(old, new)
    assert [(o.code, n.code) for o, n, _ in cmp.changed] == [("BP104", "BP104")]
    assert [f.code for f in cmp.added] == ["SP101"] and [f.code for f in cmp.removed] == ["SP101"]


def test_unrelated_documents_get_a_warning(tmp_path):
    a = tmp_path / "a.md"
    b = tmp_path / "b.md"
    a.write_text(f"# Finance\n\n{TURNOVER}\n\n{ACCOUNTS_V1}\n", encoding="utf-8")
    b.write_text(f"# Delivery\n\n{KODAK}\n\n{LAMPLIGHT}\n", encoding="utf-8")
    r = _run(["compare", str(a), str(b), "--no-model"])
    assert "warning:" in r.stderr and "no finding and no heading in common" in r.stderr
    assert r.stdout.startswith("warning: ")
    same = _run(["compare", str(a), str(a), "--no-model", "--format", "json"])
    assert json.loads(same.stdout)["warnings"] == []
