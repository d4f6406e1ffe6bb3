"""``barrier-scan serve``: a local web app for people who never open a terminal.

Start it once (``barrier-scan serve --open``); it listens on 127.0.0.1 only, loads the rules and
model once in the background, and opens the browser. Drop tender files on the page; each opens
in a review page with its text, every finding highlighted in place, the score and its
breakdown; accept or mark findings wrong (kept in a local SQLite database); download the Word
file with comments, the review page, the JSON report, a comparison of two versions or the ranked
list of several tenders. Uploaded files are kept in a private temporary folder and deleted when
the session ends, after a set idle time, or when the server stops. Nothing leaves the machine.

Modules: ``app`` (routes, security checks, pages), ``scanner`` (the one background scanner and
its progress), ``sessions`` (sessions, their folders, expiry and CSRF tokens), ``uploads``
(streaming multipart into the session folder within the size limits), ``verdicts`` (SQLite,
baseline and labelled-sentence exports), ``view`` (what the review page shows, as data);
``templates/`` (Jinja2, autoescaped) and ``static/`` (one stylesheet, one small script).
"""
from __future__ import annotations

import socket
import sys
import threading
import webbrowser

from ..config import Config

DEFAULT_PORT = 8765


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    """The address people type for the app on ``sock``."""
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(config: Config | None = None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          open_browser: bool = False, db_path=None, keep_minutes: float = 120.0,
          say=print) -> None:
    """Run the app until interrupted (Ctrl+C)."""
    import uvicorn

    from .app import create_app

    sock = bind(host, port)
    url = url_of(sock, host)
    app = create_app(config, db_path=db_path, keep_minutes=keep_minutes, host=host)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on",
                                           access_log=False, timeout_graceful_shutdown=3))

    def announce():
        # uvicorn sets ``started`` once the socket is served: only then is the URL worth opening.
        while not server.started and not server.should_exit:
            threading.Event().wait(0.02)
        if server.started:
            say(f"barrier-scan is running at {url}  (Ctrl+C to stop)")
            sys.stdout.flush()
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    server.run(sockets=[sock])
