"""Helpers for the web app tests: start ``barrier-scan serve`` as a real process on a free local
port, and talk to it over HTTP with a cookie jar (one jar = one browser session)."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_tenders"
START_TIMEOUT = 60.0


def _command() -> list[str]:
    exe = Path(sys.executable).with_name("barrier-scan")
    if exe.is_file():
        return [str(exe)]
    return [sys.executable, "-c", "from barrier_scan.cli import main; main()"]


@dataclass
class Server:
    """A running ``barrier-scan serve`` process."""
    proc: subprocess.Popen
    url: str
    tmp: Path  # its TMPDIR: the private upload root is made inside
    db: Path
    log: Path

    def stop(self) -> int:
        """Stop it as Ctrl+C would; its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.returncode

    def upload_roots(self) -> list[Path]:
        """The server's private upload roots (one while it runs)."""
        return sorted(self.tmp.glob("barrier-scan-serve-*"))

    def session_folders(self) -> list[Path]:
        """Every live session's folder."""
        return [p for root in self.upload_roots() for p in root.iterdir()]


def start_server(folder: Path, *args: str) -> Server:
    """Start the app on a free port (``--port 0``) with its files under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "tmp"
    tmp.mkdir(exist_ok=True)
    db = folder / "reviews.sqlite3"
    log = folder / "server.log"
    env = {**os.environ, "TMPDIR": str(tmp), "BARRIER_SCAN_NO_CONFIG": "1",
           "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as fh:
        proc = subprocess.Popen([*_command(), "serve", "--port", "0", "--db", str(db), *args],
                                stdout=subprocess.PIPE, stderr=fh, env=env, cwd=folder)
    deadline = time.monotonic() + START_TIMEOUT
    line = b""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        m = re.search(rb"(http://127\.0\.0\.1:\d+/)", line)
        if m:
            return Server(proc, m.group(1).decode(), tmp, db, log)
    proc.kill()
    raise RuntimeError(f"server did not start: {line!r}\n{log.read_text(errors='replace')}")


class Client:
    """One browser session: cookies kept, the CSRF token read from the pages."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())
        self.csrf = ""

    def request(self, method: str, path: str, data: bytes | None = None,
                headers: dict | None = None, timeout: float = 60):
        """(status, headers, body bytes); HTTP errors are returned, not raised."""
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def home(self) -> str:
        """Open the home page (starting the session) and keep its CSRF token."""
        status, _, body = self.get("/")
        assert status == 200, body[:500]
        page = body.decode()
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        return page

    def post_form(self, path: str, fields: list[tuple[str, str]], headers: dict | None = None):
        data = urllib.parse.urlencode(fields).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, data, h)

    def upload(self, *files: Path | tuple[str, bytes], token: str | None = None,
               headers: dict | None = None, accept_json: bool = True):
        """POST the files as the upload form does; (status, parsed JSON or body)."""
        boundary = uuid.uuid4().hex
        parts = []
        tok = self.csrf if token is None else token
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
                     f"{tok}\r\n".encode())
        for f in files:
            name, data = (f.name, f.read_bytes()) if isinstance(f, Path) else f
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                         f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                         .encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        h = {"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})}
        if accept_json:
            h["Accept"] = "application/json"
        status, _, body = self.request("POST", "/upload", b"".join(parts), h)
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body

    def status(self, doc_id: str) -> dict:
        s, _, body = self.get(f"/doc/{doc_id}/status")
        assert s == 200, body
        return json.loads(body)

    def wait(self, doc_id: str, timeout: float = 180) -> dict:
        """Poll until the document is scanned; its last status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.status(doc_id)
            if st["state"] == "done":
                return st
            time.sleep(0.2)
        raise AssertionError(f"{doc_id} not scanned within {timeout} s: {st}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):  # let the test see 303s
        return None


def chromium_path() -> str | None:
    """Debian's chromium, if installed."""
    for p in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if p and os.path.exists(p):
            return p
    return None


# Chromium flags for a headless run in a container (no sandbox as root, no background traffic).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]


def launched_chromium():
    """A generator for a module-scoped pytest fixture: Debian's Chromium driven by Playwright,
    or a skip with the reason (Chromium or the playwright package missing)."""
    import pytest

    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not "
                                   "installed (pip install -e '.[test]')")
    exe = chromium_path()
    if exe is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium chromium-driver; "
                    ".ci/run does this in CI)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        yield b
        b.close()
