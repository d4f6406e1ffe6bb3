"""The HTML report in a real browser: Debian's Chromium driven by Playwright (no browser is
downloaded). Checked at 1,400 and 400 px wide, with screenshots saved to tests/artifacts/
(gitignored):

- it loads with no console errors, the hostile evidence stays text (no script element, no alert,
  no event-handler attribute) and is visible as written;
- each tender is a collapsed ``<details>``, least open first, and a link from the ranking opens it;
- the severity and category boxes hide and show findings (CSS only);
- at 400 px nothing is wider than the screen: the ranking becomes one card per tender.

``.ci/run`` installs the Debian packages ``chromium`` and ``chromium-driver``; where Chromium (or
the ``playwright`` package of the test extra) is missing, these tests are skipped with the reason.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from barrier_scan import Config, scan_file
from barrier_scan.report import html as html_report
from serve_support import launched_chromium
from test_reports import ATTR, META, XSS, sample_results

pytest.importorskip("playwright.sync_api", reason="the playwright package is not "
                                 "installed (pip install -e '.[test]')")

ARTIFACTS = Path(__file__).parent / "artifacts"
SAMPLES = Path(__file__).parents[1] / "sample_tenders"


@pytest.fixture(scope="module")
def browser():
    yield from launched_chromium()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    """The ten sample tenders (rules only) plus the hostile and failed documents of test_reports."""
    results = [scan_file(p, Config(use_model=False)) for p in sorted(SAMPLES.iterdir())
               if p.suffix in (".pdf", ".docx")] + sample_results()
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html_report.render(results, META), encoding="utf-8")
    return path


def _open(browser, path: Path, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 1000})
    pg = ctx.new_page()
    pg.errors, pg.dialogs = [], []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # an alert(1) that ran
    pg.goto(path.resolve().as_uri())
    return ctx, pg


def _screenshot(pg, name: str) -> Path:
    """A full-page screenshot in tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    pg.evaluate("window.scrollTo(0, 0)")
    pg.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    return shot


def _visible(pg, css: str) -> int:
    # checkVisibility: false under display:none and inside a closed <details> (content-visibility)
    return pg.evaluate("css => [...document.querySelectorAll(css)].filter(e => e.checkVisibility())"
                       ".length", css)


def test_wide_report_collapses_filters_and_keeps_hostile_text_inert(browser, report_file):
    ctx, pg = _open(browser, report_file, 1400)
    try:
        # Hostile evidence: shown as the characters it is, never run.
        assert pg.dialogs == []
        assert pg.locator("script").count() == 0
        assert pg.evaluate("document.querySelectorAll('[onerror],[onload],[onclick]').length") == 0
        page_text = pg.evaluate("document.body.textContent")
        assert XSS in page_text and ATTR in page_text

        # One collapsed <details> per document, least open first.
        details = pg.locator("details.tender")
        assert details.count() == 14
        assert pg.evaluate("[...document.querySelectorAll('details.tender')].some(d => d.open)") is False
        scores = [float(t.split("/")[0]) for t in
                  pg.locator("details.tender > summary .score").all_inner_texts()]
        assert scores == sorted(scores) and len(scores) == 13  # the failed file has no score
        assert _visible(pg, ".finding") == 0  # closed: the page is a list, not 100 screens
        height_closed = pg.evaluate("document.documentElement.scrollHeight")
        assert height_closed < 9000, height_closed

        # A link in the ranking opens its tender; its most serious findings come first.
        first = pg.locator("table.ranking tbody tr td.path a").first
        target = first.get_attribute("href").split("#")[1]
        first.click()
        pg.wait_for_function("id => document.getElementById(id).parentElement.open", arg=target)
        assert pg.locator(f"#{target} .top li .sev.high").first.is_visible()

        # Filters: untick High, then an area; tick them back.
        high = _visible(pg, "details[open] .finding.sev-high")
        assert high and _visible(pg, "details[open] .finding.cat-burden_of_proof")
        pg.click("#f-high")
        assert _visible(pg, "details[open] .finding.sev-high") == 0
        assert _visible(pg, "details[open] .finding.sev-medium")  # others stay
        pg.click("#f-high")
        assert _visible(pg, "details[open] .finding.sev-high") == high
        pg.click("#f-cat-burden_of_proof")
        assert _visible(pg, "details[open] .finding.cat-burden_of_proof") == 0
        pg.click("#f-cat-burden_of_proof")

        assert pg.errors == []
        _screenshot(pg, "report-1400.png")
    finally:
        ctx.close()


def test_narrow_report_fits_a_phone(browser, report_file):
    ctx, pg = _open(browser, report_file, 400)
    try:
        assert pg.evaluate("window.innerWidth") == 400
        summaries = pg.locator("details.tender > summary")
        for i in range(3):
            summaries.nth(i).click()  # open a few tenders: findings, quotes, breakdowns must fit
        scroll_width, width, wide = pg.evaluate("""() => {
            const w = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')].filter(e => {
                const r = e.getBoundingClientRect();
                return r.width > 0 && r.right > w + 1 && !e.closest('.scroll');
            });
            return [document.documentElement.scrollWidth, w, wide.slice(0, 5).map(e => e.outerHTML.slice(0, 80))];
        }""")
        assert scroll_width <= width and not wide, (scroll_width, width, wide)
        assert pg.locator("table.ranking").bounding_box()["width"] <= 400
        # one card per tender: cells stacked, each named
        cell = pg.locator("table.ranking tbody tr td[data-label='Score']").first
        assert cell.evaluate("e => getComputedStyle(e).display") == "block"
        assert "Score" in cell.evaluate("e => getComputedStyle(e, '::before').content")
        assert pg.errors == []
        _screenshot(pg, "report-400.png")
    finally:
        ctx.close()
