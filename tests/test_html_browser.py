"""The HTML report in a real headless Chromium: it loads without console errors, the ranked table
and findings are in the rendered DOM, and a screenshot is saved to tests/artifacts/.

Chromium comes from Debian (``chromium``). When it is missing the test installs it only when
running as root with ``CI`` or ``BARRIER_SCAN_INSTALL_BROWSER=1`` set; otherwise it is skipped.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from barrier_scan.report import html as html_report
from test_reports import META, XSS, sample_results

ARTIFACTS = Path(__file__).parent / "artifacts"
INSTALL_TIMEOUT = 600


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = _chromium()
    if exe:
        return exe
    allowed = os.environ.get("CI") or os.environ.get("BARRIER_SCAN_INSTALL_BROWSER") == "1"
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and allowed):
        pytest.skip("chromium is not installed (install the Debian packages 'chromium "
                    "chromium-driver', or run as root with BARRIER_SCAN_INSTALL_BROWSER=1)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for cmd in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium",
                     "chromium-driver"]):
            subprocess.run(cmd, check=True, env=env, timeout=INSTALL_TIMEOUT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (subprocess.SubprocessError, OSError) as e:
        pytest.skip(f"could not install chromium: {e}")
    exe = _chromium()
    if not exe:
        pytest.skip("chromium still missing after apt-get install")
    return exe


def _run(chromium: str, tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           "--window-size=1280,2000", *extra, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


CONSOLE_ERROR = re.compile(r"Uncaught|CONSOLE\(\d+\).*(error|Error)|Refused to|Failed to load resource",
                           re.I)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html_report.render(sample_results(), META), encoding="utf-8")
    return path


def test_report_renders_in_chromium(chromium, report_file, tmp_path):
    url = report_file.resolve().as_uri()
    dom = _run(chromium, tmp_path, url, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = dom.stdout
    assert '<table class="ranking">' in text
    assert text.count('class="finding') >= 4
    assert "<mark>£2 million</mark>" in text
    assert "tenders/old.doc" in text  # failures listed
    assert "<script" not in text.lower()  # the hostile evidence stayed text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    errors = [ln for ln in dom.stderr.splitlines() if CONSOLE_ERROR.search(ln)]
    assert not errors, errors

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    if shot.exists():
        shot.unlink()
    pic = _run(chromium, tmp_path, url, f"--screenshot={shot}")
    assert pic.returncode == 0, pic.stderr[-2000:]
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert XSS  # (imported for the DOM check above)
