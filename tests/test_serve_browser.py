"""The web app in a real headless Chromium (Debian's ``chromium``, driven by Playwright): what a
commissioner does, click by click.

Upload a sample DOCX with the file button, see the highlights, filter them, jump from the list
to the passage, accept one finding with a reason, mark another wrong, upload the same file again
and see the finding still accepted, download the commented Word file and find the comments in
it with python-docx; drop two files on the page at once; upload a hostile file and see the CLI's
reason; use the review page at 400 px wide. No console errors (a Content-Security-Policy
violation is one). Screenshots go to tests/artifacts/.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from barrier_scan.cli import cli
from barrier_scan.config import Config
from barrier_scan.pipeline import scan_file
from serve_support import SAMPLES, launched_chromium, start_server

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not "
                                 "installed (pip install -e '.[test]')")

ARTIFACTS = Path(__file__).parent / "artifacts"
DOCX = SAMPLES / "02_fenmarsh_museum_dementia_programme.docx"


@pytest.fixture(scope="module")
def browser():
    yield from launched_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("serve-browser"))
    yield srv
    srv.stop()


@pytest.fixture()
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                              base_url=server.url)
    pg = ctx.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    ctx.close()


def shot(pg, name: str, full: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"serve-{name}.png"
    pg.screenshot(path=str(path), full_page=full)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def upload_with_button(pg, path: Path) -> None:
    pg.goto("/")
    pg.set_input_files("#files", str(path))
    pg.wait_for_url("**/doc/**")
    pg.wait_for_selector("#doc, #scan-error", timeout=120_000)


def item_of(pg, n: int):
    return pg.locator(f"#f-{n}")


def test_review_accept_reupload_and_download(page, server, tmp_path):
    pg = page
    expected = scan_file(DOCX, Config())
    upload_with_button(pg, DOCX)
    # highlights: every finding tied to a passage is marked in place
    marks = pg.locator("#doc mark.hl")
    assert marks.count() > 0
    placed = [n for n, f in enumerate(expected.findings) if f.evidence.paragraph is not None]
    for n in placed:
        assert pg.locator(f"#m-{n}").count() == 1, f"finding {n} is not highlighted"
    assert pg.locator("#side li.item").count() == len(expected.findings)
    first = expected.findings[placed[0]]
    assert first.evidence.text in pg.locator(f"#m-{placed[0]}").inner_text() or \
        pg.locator(f"#m-{placed[0]}").inner_text() in first.evidence.text
    shot(pg, "review")

    # filter: hide strengths; their list entries go and highlights that were only theirs fade
    strengths = [n for n, f in enumerate(expected.findings) if f.polarity == "strength"]
    barriers = [n for n, f in enumerate(expected.findings) if f.polarity == "barrier"
                and f.evidence.paragraph is not None]
    assert strengths and barriers
    pg.locator('#filters input[data-filter="group"][value="strength"]').uncheck()
    for n in strengths:
        assert item_of(pg, n).is_hidden()
    only_strength = pg.locator("#doc mark.hl.hl-strength")
    assert only_strength.count() > 0
    assert only_strength.evaluate_all("ms => ms.every(m => m.classList.contains('off'))")
    assert pg.locator("#doc mark.hl-high:not(.off)").count() > 0
    assert "Showing " + str(len(expected.findings) - len(strengths)) in \
        pg.locator("#filter-count").inner_text()
    shot(pg, "filtered")
    pg.locator('#filters input[data-filter="group"][value="strength"]').check()
    assert item_of(pg, strengths[0]).is_visible()

    # jump from the list to the passage
    target = barriers[-1]
    item_of(pg, target).locator("a.jump").click()
    mark = pg.locator(f"#m-{target}")
    assert "flash" in mark.get_attribute("class")
    assert mark.evaluate("m => { const r = m.getBoundingClientRect(); "
                         "return r.top >= 0 && r.bottom <= window.innerHeight; }")

    # accept one finding with a reason; mark another wrong
    acc = barriers[0]
    it = item_of(pg, acc)
    it.locator("details.decide > summary").click()
    it.locator('input[name="reason"]').first.fill("Our finance team requires this at this value")
    it.locator("button.accept").click()
    pg.wait_for_selector(f'#f-{acc}[data-verdict="accepted"]')
    assert "Accepted: Our finance team requires this" in item_of(pg, acc).inner_text()
    wrong = barriers[1]
    it = item_of(pg, wrong)
    it.locator("details.decide > summary").click()
    it.locator('form:has(input[value="wrong"]) input[name="reason"]').fill("just a description")
    it.locator("button.wrong").click()
    pg.wait_for_selector(f'#f-{wrong}[data-verdict="wrong"]')
    shot(pg, "accepted")

    # the same file again: the accepted finding is still accepted
    upload_with_button(pg, DOCX)
    again = item_of(pg, acc)
    assert again.get_attribute("data-verdict") == "accepted"
    assert "Accepted: Our finance team requires this" in again.inner_text()
    assert item_of(pg, wrong).get_attribute("data-verdict") == "wrong"
    # hiding decided findings hides them
    pg.locator('#filters input[data-filter="decided"]').uncheck()
    assert item_of(pg, acc).is_hidden()
    pg.locator('#filters input[data-filter="decided"]').check()

    # download the commented Word file and read the comments with python-docx
    with pg.expect_download() as dl:
        pg.get_by_text("Download the Word file with comments").click()
    out = tmp_path / dl.value.suggested_filename
    dl.value.save_as(out)
    assert out.name == DOCX.stem + ".reviewed.docx"
    import docx

    d = docx.Document(str(out))
    comments = list(d.comments)
    assert comments and all(c.author == "barrier-scan" for c in comments)
    texts = "\n".join(c.text for c in comments)
    assert "Openness" in texts or "openness" in texts  # the summary comment
    open_barriers = [f for n, f in enumerate(expected.findings)
                     if f.is_barrier and n not in (acc, wrong) and f.evidence.paragraph]
    assert any(f.code in texts for f in open_barriers)
    # nothing was fetched from anywhere but the app itself
    assert pg.requests and all(u.startswith(server.url) or u.startswith("data:")
                               for u in pg.requests), sorted(set(pg.requests))
    # accepted and wrong findings are not commented
    acc_f, wrong_f = expected.findings[acc], expected.findings[wrong]
    assert not any(c.text.startswith(f"{acc_f.code} barrier") and acc_f.message in c.text
                   for c in comments)
    assert not any(c.text.startswith(f"{wrong_f.code} barrier") and wrong_f.message in c.text
                   for c in comments)
    assert not pg.console_errors, pg.console_errors


def test_drop_several_files_and_see_them_ranked(page):
    pg = page
    pg.goto("/")
    files = [SAMPLES / "07_westmere_creative_health_very_open.docx",
             SAMPLES / "08_greyford_creative_activities_very_closed.pdf"]
    payload = [{"name": f.name, "b64": base64.b64encode(f.read_bytes()).decode()} for f in files]
    # A real drop event carrying real File objects, as dragging from the desktop makes.
    pg.evaluate("""files => {
        const dt = new DataTransfer();
        for (const f of files) {
            const bytes = Uint8Array.from(atob(f.b64), c => c.charCodeAt(0));
            dt.items.add(new File([bytes], f.name));
        }
        const zone = document.getElementById('drop');
        zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", payload)
    pg.wait_for_selector("#docs tr[data-id]", timeout=60_000)
    # (a Python-side wait: wait_for_function would evaluate a string, which the page's
    # Content-Security-Policy rightly forbids)
    playwright.expect(pg.locator('#docs tr[data-state="done"]')).to_have_count(2, timeout=120_000)
    shot(pg, "home")
    pg.goto("/folder")
    names = pg.locator("#ranking tbody td:nth-child(2) > a").all_inner_texts()
    scores = {f.name: scan_file(f, Config()).score for f in files}
    assert names[:2] == sorted(scores, key=scores.get)
    shot(pg, "folder")
    assert not pg.console_errors, pg.console_errors


def test_hostile_upload_shows_its_reason(page, tmp_path):
    bad = tmp_path / "draft-spec.docx"
    bad.write_bytes(b"%%not a word file%%" * 50)
    res = CliRunner().invoke(cli, ["scan", str(bad), "--format", "json", "-q"],
                             env={"BARRIER_SCAN_NO_CONFIG": "1"})
    reason = json.loads(res.stdout)["failures"][0]["message"]  # the CLI's one-line reason
    upload_with_button(page, bad)
    shown = page.locator("#scan-error").inner_text()
    assert shown == f"Could not scan {bad.name}: {reason}"
    shot(page, "hostile")
    assert not page.console_errors, page.console_errors


def test_review_page_at_400_px(browser, server):
    ctx = browser.new_context(viewport={"width": 400, "height": 800}, base_url=server.url)
    pg = ctx.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        upload_with_button(pg, DOCX)
        # nothing wider than the screen: no sideways scrolling
        assert pg.evaluate("document.documentElement.scrollWidth") <= 400
        assert pg.locator("#doc mark.hl").first.is_visible()
        side = pg.locator("#side").bounding_box()
        doc = pg.locator("#doc").bounding_box()
        assert side["width"] <= 400 and doc["width"] <= 400
        assert doc["y"] > side["y"]  # stacked: the findings above the text
        shot(pg, "review-400")
        # the list still jumps to the passage
        link = pg.locator("#side li.item a.jump").last
        n = link.get_attribute("data-n")
        link.click()
        assert pg.locator(f"#m-{n}").evaluate(
            "m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= "
            "window.innerHeight && r.right <= 400; }")
        shot(pg, "review-400-jump")
        assert not errors, errors
    finally:
        ctx.close()
