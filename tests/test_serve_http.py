"""The web app over real HTTP: ``barrier-scan serve`` started as a process on a free local port.

Security (CSRF, Origin, Host, headers, escaping, size limits), hostile uploads giving the CLI's
one-line reason, uploads deleted when the session ends and when the server stops, verdict
exports in the project's own formats, and 20 concurrent uploads with no mixed-up results.
"""
from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile
from barrier_scan.baseline import apply_baseline, from_dict
from barrier_scan.cli import cli
from barrier_scan.config import Config
from barrier_scan.pipeline import scan_file
from serve_support import SAMPLES, Client, start_server

DOCX = SAMPLES / "02_fenmarsh_museum_dementia_programme.docx"
MAX_MB = 1.0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("serve-http"), "--max-file-mb", str(MAX_MB))
    yield srv
    srv.stop()


@pytest.fixture()
def client(server):
    c = Client(server.url)
    c.home()
    return c


def cli_reason(path: Path) -> str:
    """The one-line reason ``barrier-scan scan`` gives for a file it cannot read (read from the
    JSON report: on a terminal the text report lists each failure once, at its top)."""
    import json

    res = CliRunner().invoke(cli, ["scan", str(path), "--max-file-mb", str(MAX_MB), "--format",
                                   "json", "-q"], env={"BARRIER_SCAN_NO_CONFIG": "1"})
    assert res.exit_code == 2, res.output
    return json.loads(res.stdout)["failures"][0]["message"]


def test_home_page_headers_and_cookie(server):
    c = Client(server.url)
    status, headers, body = c.get("/")
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert b"Drag and drop files here" in body
    assert b'type="file" multiple' in body


def test_state_changes_need_the_csrf_token_and_same_origin(server, client):
    before = {p: sorted(p.rglob("*")) for p in server.session_folders()}
    # no token, a wrong token, and the right token from another site: all refused, nothing kept
    for token, headers in (("", {}), ("forged", {}),
                           (client.csrf, {"Origin": "http://evil.example"})):
        status, body = client.upload(DOCX, token=token, headers=headers)
        assert status == 403, body
    assert {p: sorted(p.rglob("*")) for p in server.session_folders()} == before
    # a session-less request (no cookie) is refused too
    stranger = Client(server.url)
    status, _ = stranger.upload(DOCX, token="x")
    assert status == 403
    status, _, _ = client.post_form("/session/end", [("csrf", "nope")])
    assert status == 403


def test_foreign_host_names_are_refused(server):
    c = Client(server.url)
    status, _, _ = c.get("/", headers={"Host": "attacker.example:80"})
    assert status == 421  # a DNS-rebinding page cannot reach the app under another name
    status, _, _ = c.get("/", headers={"Host": "localhost"})
    assert status == 200


def test_upload_scan_review_and_downloads(server, client):
    status, body = client.upload(DOCX)
    assert status == 200, body
    doc = body["documents"][0]
    assert doc["name"] == DOCX.name
    st = client.wait(doc["id"])
    expected = scan_file(DOCX, Config())
    assert st["ok"] and st["score"] == expected.score
    assert st["barriers"] == len(expected.barriers())
    status, headers, page = client.get(doc["url"])
    assert status == 200
    text = page.decode()
    assert text.count('class="item ') == len(expected.findings)
    assert "<mark class=\"hl" in text
    # every download is there, named after the upload
    for kind, magic in (("docx", b"PK\x03\x04"), ("review", b"<!DOCTYPE html>"),
                        ("json", b"{")):
        status, headers, data = client.get(f"/doc/{doc['id']}/download/{kind}")
        assert status == 200, (kind, data[:200])
        assert data.startswith(magic)
        assert "attachment" in headers["Content-Disposition"]
        assert DOCX.stem in headers["Content-Disposition"]
    report = json.loads(client.get(f"/doc/{doc['id']}/download/json")[2])
    assert [f["code"] for f in report["documents"][0]["findings"]] == \
        [f.code for f in expected.findings]
    # another session cannot see it
    other = Client(server.url)
    other.home()
    assert other.get(doc["url"])[0] == 404
    assert other.get(f"/doc/{doc['id']}/download/docx")[0] == 404


def test_several_files_in_one_upload_and_the_ranked_folder(server, client):
    files = [SAMPLES / "07_westmere_creative_health_very_open.docx",
             SAMPLES / "08_greyford_creative_activities_very_closed.pdf",
             SAMPLES / "03_brackenmoor_library_reading_groups.docx"]
    status, body = client.upload(*files, accept_json=False)
    assert status == 303  # the plain form (no JavaScript) redirects to the list
    status, _, page = client.get("/")
    ids = re.findall(r'data-id="([^"]+)"', page.decode())
    assert len(ids) == 3
    for i in ids:
        client.wait(i)
    status, _, page = client.get("/folder")
    text = page.decode()
    ranked = re.findall(r'<a href="/doc/[^"]+">([^<]+)</a>', text)
    scores = {f.name: scan_file(f, Config()).score for f in files}
    assert ranked == sorted(scores, key=lambda n: (scores[n], n))
    status, headers, csv = client.get("/folder?download=csv")
    assert status == 200 and csv.count(b"\n") >= 4
    # compare two versions
    status, headers, page = client.get(f"/compare?old={ids[0]}&new={ids[1]}")
    assert status == 200 and b"Specification versions compared" in page
    assert "script-src" not in headers["Content-Security-Policy"]  # no scripts at all there


@pytest.mark.parametrize("case", ["corrupt_docx", "legacy_doc", "png_as_pdf", "too_large",
                                  "empty", "xxe", "zip_bomb"])
def test_hostile_upload_shows_the_cli_reason(server, client, tmp_path, case):
    p = tmp_path / {"corrupt_docx": "spec.docx", "legacy_doc": "old.doc",
                    "png_as_pdf": "scan.pdf", "too_large": "huge.txt", "empty": "blank.txt",
                    "xxe": "entities.docx", "zip_bomb": "bomb.docx"}[case]
    if case == "corrupt_docx":
        p.write_bytes(b"this is not a zip archive at all" * 10)
    elif case == "legacy_doc":
        hostile.legacy_doc(p)
    elif case == "png_as_pdf":
        p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    elif case == "too_large":
        p.write_text("Bidders must hold ISO 9001.\n" * int(MAX_MB * 1024 * 1024 / 20))
    elif case == "empty":
        p.write_bytes(b"")
    elif case == "xxe":
        secret = tmp_path / "secret.txt"
        secret.write_text(hostile.SECRET)
        hostile.xxe_docx(p, secret)
    else:
        hostile.bomb_docx(p, expanded_mb=120)
    reason = cli_reason(p)
    status, body = client.upload(p)
    assert status == 200, body
    doc = body["documents"][0]
    if case in ("corrupt_docx", "legacy_doc", "png_as_pdf", "empty"):
        # refused by its bytes at upload: no waiting behind other scans
        assert client.status(doc["id"])["state"] == "done"
    st = client.wait(doc["id"])
    assert st["ok"] is False
    assert st["error"] == reason
    page = client.get(doc["url"])[2].decode()
    assert f"Could not scan {p.name}: " in page
    import html
    assert html.escape(reason, quote=True) in page
    assert hostile.SECRET not in page


def test_evidence_is_escaped(server, client, tmp_path):
    p = tmp_path / "hostile.docx"
    hostile.write_docx(p, [hostile.HOSTILE_TEXT])
    status, body = client.upload(p)
    doc = body["documents"][0]
    assert client.wait(doc["id"])["ok"]
    page = client.get(doc["url"])[2].decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_verdicts_and_their_exports(server, client, tmp_path):
    status, body = client.upload(DOCX)
    doc = body["documents"][0]
    client.wait(doc["id"])
    result = scan_file(DOCX, Config())
    barriers = [n for n, f in enumerate(result.findings) if f.is_barrier and f.evidence.sentence]
    accept_n, wrong_n = barriers[0], barriers[1]
    url = f"/doc/{doc['id']}/verdict"
    # accepting needs a reason
    status, _, body = client.post_form(url, [("csrf", client.csrf), ("n", str(accept_n)),
                                             ("verdict", "accepted"), ("reason", " ")])
    assert status == 400 and b"why" in body
    status, headers, _ = client.post_form(url, [("csrf", client.csrf), ("n", str(accept_n)),
                                                ("verdict", "accepted"),
                                                ("reason", "finance team insists")])
    assert status == 303 and headers["Location"].endswith(f"#f-{accept_n}")
    status, _, _ = client.post_form(url, [("csrf", client.csrf), ("n", str(wrong_n)),
                                          ("verdict", "wrong"), ("reason", "only a description"),
                                          ("labels", "openness")])
    assert status == 303
    # the baseline export is a real baseline: it hides exactly the accepted finding
    base = from_dict(json.loads(client.get("/export/baseline.json")[2]))
    keys = {e.key for e in base.entries}
    assert result.findings[accept_n].key() in keys
    again = scan_file(DOCX, Config())
    apply_baseline(again, base)
    assert result.findings[accept_n].key() not in {f.key() for f in again.findings}
    assert again.accepted >= 1
    # the "wrong" export is LABELS.md JSON Lines the training code reads
    labels = tmp_path / "wrong.jsonl"
    labels.write_bytes(client.get("/export/labels.jsonl")[2])
    from barrier_scan.evaluation.data import load_jsonl

    rows = load_jsonl(labels)
    mine = [r for r in rows if r.text == result.findings[wrong_n].evidence.sentence]
    assert mine and mine[0].labels == frozenset({"openness"})
    # a verdict without the token changes nothing
    status, _, _ = client.post_form(url, [("csrf", "forged"), ("n", str(wrong_n)),
                                          ("verdict", "clear")])
    assert status == 403
    # clearing works
    status, _, _ = client.post_form(url, [("csrf", client.csrf), ("n", str(wrong_n)),
                                          ("verdict", "clear")])
    assert status == 303
    assert not any(r.text == result.findings[wrong_n].evidence.sentence
                   for r in load_jsonl(_write(tmp_path / "w2.jsonl",
                                              client.get("/export/labels.jsonl")[2])))


def _write(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


def test_ending_the_session_deletes_its_files(server):
    c = Client(server.url)
    c.home()
    status, body = c.upload(DOCX)
    doc = body["documents"][0]
    c.wait(doc["id"])
    mine = [p for p in server.session_folders() if any(p.rglob(DOCX.name))]
    assert len(mine) >= 1
    before = set(server.session_folders())
    status, headers, _ = c.post_form("/session/end", [("csrf", c.csrf)])
    assert status == 303
    gone = before - set(server.session_folders())
    assert gone and all(not p.exists() for p in gone)
    assert any(p in gone for p in mine)
    assert c.get(doc["url"])[0] == 404


def test_twenty_concurrent_uploads_get_their_own_results(server):
    files = sorted(SAMPLES.glob("*.docx")) + sorted(SAMPLES.glob("*.pdf"))
    files = (files * 2)[:20]
    expected = {f.name: scan_file(f, Config()) for f in set(files)}
    clients = [Client(server.url) for _ in files]
    for c in clients:
        c.home()
    out: dict[int, tuple] = {}
    errors: list[BaseException] = []

    def one(i: int):
        try:
            c, f = clients[i], files[i]
            status, body = c.upload(f)
            assert status == 200, body
            doc = body["documents"][0]
            st = c.wait(doc["id"], timeout=300)
            report = json.loads(c.get(f"/doc/{doc['id']}/download/json")[2])
            out[i] = (doc, st, report)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(files))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(400)
    assert not errors, errors
    assert len(out) == 20
    for i, (doc, st, report) in out.items():
        exp = expected[files[i].name]
        got = report["documents"][0]
        assert doc["name"] == files[i].name == got["path"]
        assert st["score"] == exp.score == got["score"]
        assert [f["code"] for f in got["findings"]] == [f.code for f in exp.findings]
        assert [f["evidence"]["text"] for f in got["findings"]] == \
            [f.evidence.text for f in exp.findings]
    # each session sees only its own document
    for i, (doc, _, _) in out.items():
        j = (i + 1) % 20
        assert clients[j].get(doc["url"])[0] == 404


def test_stopping_the_server_deletes_every_upload(tmp_path):
    srv = start_server(tmp_path / "srv")
    c = Client(srv.url)
    c.home()
    status, body = c.upload(DOCX)  # stored before the reply; no need to wait for the scan
    assert status == 200
    assert srv.upload_roots() and any(srv.upload_roots()[0].rglob(DOCX.name))
    assert srv.stop() == 0
    assert srv.upload_roots() == []


def _long_tender(path: Path, pages: int = 50) -> Path:
    """A long tender: the sample tender PDFs joined (pypdfium2) to ``pages`` pages."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(f) for f in sorted(SAMPLES.glob("*.pdf"))]
    while len(doc) < pages:
        for src in sources:
            take = min(len(src), pages - len(doc))
            if take > 0:
                doc.import_pages(src, list(range(take)))
    doc.save(str(path))
    return path


def test_progress_while_long_documents_scan_and_pages_stay_usable(server, client, tmp_path):
    long = _long_tender(tmp_path / "long-tender.pdf")
    status, body = client.upload(long, long, long)
    assert status == 200
    docs = body["documents"]
    last = docs[-1]
    st = client.status(last["id"])  # two 50-page scans are ahead of it: still waiting
    assert st["state"] == "queued" and st["ahead"] >= 1
    assert st["message"].startswith("Waiting: ")
    status, _, page = client.get(last["url"])
    assert status == 200 and b'id="progress"' in page and st["message"].encode() in page
    # the rest of the app answers meanwhile
    assert client.get("/")[0] == 200
    assert client.get("/folder")[0] == 200
    seen = set()
    for d in docs:
        while True:
            s = client.status(d["id"])
            seen.add(s["state"])
            if s["state"] == "done":
                break
            if s["state"] == "checking":
                assert s["pages"] == 50 and s["message"].startswith("Checking 50 pages")
        assert s["ok"]
    assert "done" in seen
