"""The web app's parts on their own: the scanner's queue, progress and time limit; sessions and
their expiry; safe upload names; the review layout and the generic breakdown chart; the verdicts
database; the ``serve`` command line."""
from __future__ import annotations

import threading
import time

import pytest
from click.testing import CliRunner

from barrier_scan.cli import cli
from barrier_scan.config import Config
from barrier_scan.findings import Evidence, Finding
from barrier_scan.pipeline import engine_for, scan_file
from barrier_scan.serve import view
from barrier_scan.serve.app import progress_words
from barrier_scan.serve.scanner import CHECKING, DONE, QUEUED, Scanner
from barrier_scan.serve.sessions import Sessions, safe_name
from barrier_scan.serve.verdicts import VerdictError, VerdictStore
from serve_support import SAMPLES

DOCX = SAMPLES / "02_fenmarsh_museum_dementia_programme.docx"


class Gate:
    """The real detector, held at the start of detection until the test opens the gate."""

    def __init__(self, detector, hold: float | None = None):
        self.inner, self.config = detector, detector.config
        self.open = threading.Event()
        self.entered = threading.Event()
        self.hold = hold

    def run(self, document, **kw):
        self.entered.set()
        if self.hold is not None:  # busy Python, as a pathological file would be
            end = time.monotonic() + self.hold
            while time.monotonic() < end:
                sum(range(1000))
        else:
            self.open.wait(60)
        return self.inner.run(document, **kw)


@pytest.fixture(scope="module")
def detector():
    return engine_for(Config())


def test_scanner_queue_progress_and_results(detector):
    gate = Gate(detector)
    sc = Scanner(Config(), detector=gate)
    sc.start()
    try:
        a = sc.submit(str(DOCX), "a.docx")
        b = sc.submit(str(SAMPLES / "01_kestrel_vale_creative_minds.pdf"), "b.pdf")
        assert gate.entered.wait(60)
        assert a.state == CHECKING and a.document is not None and a.document.blocks
        assert b.state == QUEUED and sc.ahead_of(b) == 1
        st = {"state": "checking", "elapsed": 1.0, "pages": None,
              "paragraphs": len(a.document.blocks), "name": "a.docx"}
        assert progress_words(st) == f"Checking {len(a.document.blocks)} paragraphs for barriers… (1 s)"
        assert progress_words({"state": "queued", "engine_ready": True, "ahead": 1}) == \
            "Waiting: 1 document ahead of this one"
        gate.open.set()
        deadline = time.monotonic() + 60
        while not (a.done and b.done) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert a.done and b.done and b.state == DONE
        # the result is the pipeline's, named after the upload, not the private path
        direct = scan_file(DOCX, Config())
        assert a.result.path == "a.docx"
        assert [f.key() for f in a.result.findings] == [f.key() for f in direct.findings]
        assert a.result.score == direct.score
    finally:
        gate.open.set()
        sc.close()


def test_scanner_time_limit_stops_a_runaway_file(detector):
    sc = Scanner(Config(timeout=1), detector=Gate(detector, hold=30))
    sc.start()
    try:
        job = sc.submit(str(DOCX), "slow.docx")
        t0 = time.monotonic()
        while not job.done and time.monotonic() - t0 < 20:
            time.sleep(0.05)
        assert job.done, "the time limit did not stop the scan"
        assert job.result.error["code"] == "timeout"
        assert "1 s limit" in job.result.error["message"]
        # and the scanner goes on with the next file
        nxt = sc.submit(str(SAMPLES / "a_missing_file.docx"), "missing.docx")
        t0 = time.monotonic()
        while not nxt.done and time.monotonic() - t0 < 20:
            time.sleep(0.05)
        assert nxt.done and nxt.result.error["code"] == "not_found"
        assert "missing.docx" in nxt.result.error["message"]
        assert str(SAMPLES) not in nxt.result.error["message"]
    finally:
        sc.close()


def test_sessions_expire_and_delete_their_folders(tmp_path):
    ss = Sessions(keep_seconds=60, root=str(tmp_path))
    a, b = ss.create(), ss.create()
    assert a.folder.is_dir() and (a.folder.stat().st_mode & 0o777) == 0o700
    assert (ss.root.stat().st_mode & 0o777) == 0o700
    (a.folder / "x.docx").write_bytes(b"x")
    assert ss.get(a.id) is a
    ended = []
    ss.on_end = ended.append
    b.last_seen -= 61
    assert ss.sweep() == 1
    assert ended == [b] and not b.folder.exists() and ss.get(b.id) is None
    assert ss.get(a.id) is a
    assert not a.check_csrf("") and not a.check_csrf("x") and a.check_csrf(a.csrf)
    ss.close()
    assert not ss.root.exists()


@pytest.mark.parametrize("given, expected", [
    ("spec.docx", "spec.docx"),
    ("C:\\Users\\me\\Draft Spec.DOCX", "Draft Spec.DOCX"),
    ("../../etc/passwd", "passwd"),
    (".hidden.md", "hidden.md"),
    ("", "upload"),
    ("..", "upload"),
    ("a\x00b\n.txt", "ab.txt"),
    ("x" * 300 + ".pdf", "x" * 117 + ".pdf"),
])
def test_safe_name(given, expected):
    assert safe_name(given) == expected


def _finding(text, sentence, start, end, paragraph=1, severity="high", polarity="barrier",
             code="BP101"):
    return Finding(code=code, category="burden_of_proof", polarity=polarity, severity=severity,
                   message="m", evidence=Evidence(text=text, paragraph=paragraph, start=start,
                                                  end=end, sentence=sentence))


def test_overlapping_findings_highlight_without_nesting():
    from barrier_scan.document import Block, Document

    text = "Bidders must have audited accounts for three years."
    doc = Document(path="x", format="txt", blocks=[Block(text=text, paragraph=1)])
    f1 = _finding("audited accounts for three years", text, 18, 50)
    f2 = _finding("accounts", text, 26, 34, severity="low", code="BP102")
    f3 = _finding("Bidders", text, 0, 7, polarity="strength", severity="info", code="OP101")
    f4 = _finding("nowhere to be seen", "A sentence from another page.", None, None)
    items = [view.Item(n=i, finding=f, key=f.key(), group=view.group_of(f))
             for i, f in enumerate([f1, f2, f3, f4])]
    (piece,) = view.layout(doc, items)
    assert "".join(s.text for s in piece.segments) == text
    by_text = {s.text: s for s in piece.segments}
    assert by_text["accounts"].items == [0, 1] and by_text["accounts"].cls == "hl-high"
    assert by_text["Bidders"].cls == "hl-strength" and by_text["Bidders"].starts == [2]
    assert by_text["audited "].starts == [0] and by_text["accounts"].starts == [1]
    assert [it.placed for it in items] == [True, True, True, False]


def test_chart_reads_any_breakdown():
    # today's shape: points added to or taken from a base, no maximum
    bars = view.chart({"specification": {"label": "Spec", "points": -10.0},
                       "outcomes": {"label": "Outcomes", "points": 5.0}})
    assert [(b.label, b.x, b.width, b.positive) for b in bars] == [
        ("Spec", 0.0, 50.0, False), ("Outcomes", 50.0, 25.0, True)]
    # the #12 shape: 0-20 per dimension with a maximum and a why
    bars = view.chart({"specification": {"label": "Spec", "points": 15, "max": 20,
                                         "why": "two prescriptive clauses"},
                       "burden_of_proof": {"points": 0, "max": 20}})
    assert bars[0].width == 75.0 and bars[0].why == "two prescriptive clauses"
    assert bars[1].label == "Proof and paperwork asked of bidders" and bars[1].width == 0
    # odd entries do not break the page
    assert [b.points for b in view.chart({"x": 3, "y": {"label": "Y"}, "z": "n/a"})] == \
        [3.0, None, None]


def test_verdict_store(tmp_path):
    store = VerdictStore(tmp_path / "v.sqlite3")
    assert (store.path.stat().st_mode & 0o777) == 0o600
    f = _finding("audited accounts", "Bidders must have audited accounts.", 18, 34)
    with pytest.raises(VerdictError):
        store.decide(f, "accepted", "")
    with pytest.raises(VerdictError):
        store.decide(f, "maybe", "x")
    with pytest.raises(VerdictError):
        store.decide(f, "wrong", "x", labels=["not_a_label"])
    store.decide(f, "accepted", "agreed with finance", path="spec.docx")
    # reopened: the same key, whatever the file
    again = VerdictStore(tmp_path / "v.sqlite3")
    v = again.for_keys([f.key()])[f.key()]
    assert v.verdict == "accepted" and v.reason == "agreed with finance"
    assert again.baseline().entries[0].justification == "agreed with finance"
    store.decide(f, "wrong", "", labels=["openness"])
    assert store.for_keys([f.key()])[f.key()].verdict == "wrong"
    assert '"labels": ["openness"]' in store.labels_jsonl()
    assert store.baseline().entries == []
    assert store.clear(f.key()) and not store.clear(f.key())


def test_serve_command_line():
    res = CliRunner().invoke(cli, ["serve", "--help"])
    assert res.exit_code == 0
    assert "--port" in res.output and "--open" in res.output and "--host" in res.output
    res = CliRunner().invoke(cli, ["serve", "--port", "99999"])
    assert res.exit_code == 3
    res = CliRunner().invoke(cli, ["serve", "--max-file-mb", "-1"],
                             env={"BARRIER_SCAN_NO_CONFIG": "1"})
    assert res.exit_code == 3 and "max-file-mb" in res.output
