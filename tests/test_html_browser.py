"""The HTML report in a real browser: Debian's Chromium driven by Selenium through Debian's
chromedriver (no browser is downloaded). Checked at 1,400 and 400 px wide, with screenshots saved
to tests/artifacts/ (gitignored):

- it loads with no console errors, the hostile evidence stays text (no script element, no alert,
  no event-handler attribute) and is visible as written;
- each tender is a collapsed ``<details>``, least open first, and a link from the ranking opens it;
- the severity and category boxes hide and show findings (CSS only);
- at 400 px nothing is wider than the screen: the ranking becomes one card per tender.

``.ci/run`` installs the Debian packages ``chromium`` and ``chromium-driver``; where they (or the
``selenium`` package of the test extra) are missing, these tests are skipped with the reason.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from barrier_scan import Config, scan_file
from barrier_scan.report import html as html_report
from test_reports import ATTR, META, XSS, sample_results

ARTIFACTS = Path(__file__).parent / "artifacts"
SAMPLES = Path(__file__).parents[1] / "sample_tenders"


def _exe(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def driver():
    webdriver = pytest.importorskip("selenium.webdriver",
                                    reason="selenium is not installed (pip install -e '.[test]')")
    chromium = _exe("chromium", "chromium-browser")
    chromedriver = _exe("chromedriver")
    if not chromium or not chromedriver:
        pytest.skip("Chromium or chromedriver is not installed (Debian: apt-get install chromium "
                    "chromium-driver; .ci/run does this in CI)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--window-size=1400,1000"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    from selenium.webdriver.chrome.service import Service

    drv = webdriver.Chrome(service=Service(executable_path=chromedriver), options=opts)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    """The ten sample tenders (rules only) plus the hostile and failed documents of test_reports."""
    results = [scan_file(p, Config(use_model=False)) for p in sorted(SAMPLES.iterdir())
               if p.suffix in (".pdf", ".docx")] + sample_results()
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html_report.render(results, META), encoding="utf-8")
    return path


def _width(drv, width: int, height: int = 1000) -> None:
    # Exact CSS pixels whatever the window manager allows (desktop windows have a minimum width).
    drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def _load(drv, path: Path, width: int) -> None:
    _width(drv, width)
    drv.get(path.resolve().as_uri())
    drv.get_log("browser")  # start each page with an empty console log


def _screenshot(drv, name: str) -> Path:
    """A full-page screenshot (the page's own height) in tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    if shot.exists():
        shot.unlink()
    drv.execute_script("window.scrollTo(0, 0)")
    width = drv.execute_script("return window.innerWidth")
    height = min(drv.execute_script("return document.documentElement.scrollHeight"), 16000)
    _width(drv, width, height)
    drv.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    return shot


def _visible(drv, css: str) -> list:
    return [e for e in drv.find_elements("css selector", css) if e.is_displayed()]


def test_wide_report_collapses_filters_and_keeps_hostile_text_inert(driver, report_file):
    from selenium.common.exceptions import NoAlertPresentException

    _load(driver, report_file, 1400)
    # Hostile evidence: shown as the characters it is, never run.
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # an alert(1) that ran would be open now
    assert driver.find_elements("tag name", "script") == []
    assert driver.execute_script("return document.querySelectorAll('[onerror],[onload],[onclick]').length") == 0
    page_text = driver.execute_script("return document.body.textContent")
    assert XSS in page_text and ATTR in page_text

    # One collapsed <details> per document, least open first.
    details = driver.find_elements("css selector", "details.tender")
    assert len(details) == 14 and not any(d.get_attribute("open") for d in details)
    scores = [float(s.text.split("/")[0]) for s in driver.find_elements(
        "css selector", "details.tender > summary .score")]
    assert scores == sorted(scores) and len(scores) == 13  # the failed file has no score
    assert _visible(driver, ".finding") == []  # closed: the page is a list, not 100 screens
    height_closed = driver.execute_script("return document.documentElement.scrollHeight")
    assert height_closed < 9000, height_closed

    # A link in the ranking opens its tender; its most serious findings come first.
    first = driver.find_element("css selector", "table.ranking tbody tr td.path a")
    target = first.get_attribute("href").split("#")[1]
    first.click()
    opened = driver.find_element("css selector", f"#{target}").find_element("xpath", "./..")
    assert opened.tag_name == "details" and opened.get_attribute("open") is not None
    assert opened.find_element("css selector", ".top li .sev.high").is_displayed()

    # Filters: untick High, then an area; tick them back.
    high = _visible(driver, "details[open] .finding.sev-high")
    burden = _visible(driver, "details[open] .finding.cat-burden_of_proof")
    assert high and burden
    driver.find_element("id", "f-high").click()
    assert _visible(driver, "details[open] .finding.sev-high") == []
    assert _visible(driver, "details[open] .finding.sev-medium")  # others stay
    driver.find_element("id", "f-high").click()
    assert len(_visible(driver, "details[open] .finding.sev-high")) == len(high)
    driver.find_element("id", "f-cat-burden_of_proof").click()
    assert _visible(driver, "details[open] .finding.cat-burden_of_proof") == []
    driver.find_element("id", "f-cat-burden_of_proof").click()

    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    _screenshot(driver, "report-1400.png")


def test_narrow_report_fits_a_phone(driver, report_file):
    _load(driver, report_file, 400)
    assert driver.execute_script("return window.innerWidth") == 400
    for summary in driver.find_elements("css selector", "details.tender > summary")[:3]:
        summary.click()  # open a few tenders: findings, quotes and breakdowns must fit too
    overflow = driver.execute_script("""
        const w = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > w + 1 && !e.closest('.scroll');
        });
        return [document.documentElement.scrollWidth, w, wide.slice(0, 5).map(e => e.outerHTML.slice(0, 80))];
    """)
    scroll_width, width, wide = overflow
    assert scroll_width <= width and not wide, overflow
    table = driver.find_element("css selector", "table.ranking")
    assert table.rect["width"] <= 400
    # one card per tender: cells stacked, each named
    cell = driver.find_element("css selector", "table.ranking tbody tr td[data-label='Score']")
    assert driver.execute_script("return getComputedStyle(arguments[0]).display", cell) == "block"
    assert "Score" in driver.execute_script(
        "return getComputedStyle(arguments[0], '::before').content", cell)
    _screenshot(driver, "report-400.png")
