"""The web app: routes, security checks and page rendering (Starlette; Jinja2 with autoescaping).

Pages (GET, read-only)::

    /                         upload area and this session's documents
    /doc/{id}                 review page (a progress page while the file is being scanned)
    /doc/{id}/status          scan progress as JSON (polled by the page)
    /doc/{id}/download/{kind} docx (commented Word file) | review (HTML page) | json (report)
    /folder                   this session's tenders ranked, least open first (+ report downloads)
    /compare?old=ID&new=ID    two versions compared (report/compare.py)
    /export/baseline.json     accepted findings as a baseline file
    /export/labels.jsonl      "wrong" verdicts as labelled sentences (LABELS.md format)

State-changing requests (POST), each checked for the session's CSRF token and, when the browser
sends one, a same-origin ``Origin``::

    /upload                   one or more files (multipart)
    /doc/{id}/verdict         accept (with a reason), mark wrong, or clear a finding's verdict
    /session/end              delete this session's files now

Every response carries a strict Content-Security-Policy (scripts and styles only from /static;
the self-contained report pages get inline styles but no scripts at all), ``nosniff``, no
framing and no referrer. Requests whose ``Host`` is not this server's loopback name are refused
(a DNS-rebinding page cannot reach the app through another name).
"""
from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (HTMLResponse, JSONResponse, PlainTextResponse,
                                 RedirectResponse, Response)
from starlette.routing import Route

from ..config import Config
from ..report.htmlkit import css as report_css, source_line, where
from ..taxonomy import plural
from . import view
from .scanner import Scanner
from .sessions import Session, Sessions
from .uploads import UploadError, read_upload
from .verdicts import ACCEPTED, VerdictError, VerdictStore

COOKIE = "bs_session"
MAX_FILES = 50
SWEEP_EVERY = 60.0
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
CSP_REPORT = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
              "frame-ancestors 'none'; base-uri 'none'")
STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}


class App:
    """The server's state: settings, the one scanner, the sessions and the verdicts database."""

    def __init__(self, config: Config | None = None, *, db_path, keep_seconds: float,
                 host: str = "127.0.0.1", detector=None, temp_root: str | None = None):
        self.config = config or Config()
        self.scanner = Scanner(self.config, detector=detector)
        self.sessions = Sessions(keep_seconds, root=temp_root)
        self.sessions.on_end = self._session_ended
        self.store = VerdictStore(db_path)
        self.host = host
        self.started = time.time()
        self.env = Environment(loader=PackageLoader("barrier_scan.serve", "templates"),
                               autoescape=True, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(plural=plural, where=lambda f: Markup(where(f)),
                                source_line=lambda f: Markup(source_line(f)),
                                label_choices=view.LABEL_CHOICES, band_text=view.band_text)
        self._sweeper: asyncio.Task | None = None

    # -- life ----------------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def lifespan(self, _app):
        """Start the scanner (it loads rules and model in the background) and the sweeper."""
        self.scanner.start()
        self._sweeper = asyncio.create_task(self._sweep())
        try:
            yield
        finally:
            self._sweeper.cancel()
            self.scanner.close()
            self.sessions.close()

    async def _sweep(self):
        while True:
            await asyncio.sleep(SWEEP_EVERY)
            self.sessions.sweep()

    def _session_ended(self, s: Session) -> None:
        for u in s.uploads.values():
            self.scanner.cancel(u.job)

    # -- helpers -------------------------------------------------------------------------------
    def render(self, template: str, request: Request, code: int = 200, **ctx) -> HTMLResponse:
        """A page from ``template`` (autoescaped)."""
        s = ctx.get("session")
        html = self.env.get_template(template).render(
            csrf=s.csrf if s else "", ready=self.scanner.ready.is_set(),
            load_error=self.scanner.load_error, **ctx)
        return HTMLResponse(html, status_code=code)

    def session(self, request: Request) -> Session | None:
        """The request's live session, if any."""
        return self.sessions.get(request.cookies.get(COOKIE))

    def allowed_host(self, request: Request) -> bool:
        """Loopback names only, unless the server was bound elsewhere on purpose."""
        if self.host not in LOOPBACK_NAMES:
            return True
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
        return name in LOOPBACK_NAMES

    def same_origin(self, request: Request) -> bool:
        """True unless the browser says the request comes from another site."""
        origin = request.headers.get("origin")
        if origin is None:
            return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
        return origin == f"http://{request.headers.get('host', '')}"

    def csrf_ok(self, request: Request, s: Session | None, token: str | None) -> bool:
        """A state-changing request: same origin and the session's token."""
        return s is not None and self.same_origin(request) and s.check_csrf(token)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _forbidden(request: Request, what: str = "this form has expired or came from another "
                                               "site; reload the page and try again") -> Response:
    if _wants_json(request):
        return JSONResponse({"error": what}, status_code=403)
    return PlainTextResponse(what, status_code=403)


def _status(upload, scanner: Scanner) -> dict:
    job = upload.job
    d = {"id": upload.id, "name": upload.name, "state": job.state, "elapsed": job.elapsed(),
         "ahead": scanner.ahead_of(job), "engine_ready": scanner.ready.is_set(),
         "ok": None, "error": None, "score": None, "band": None}
    doc = job.document
    if doc is not None:
        d["pages"] = doc.pages
        d["paragraphs"] = len(doc.blocks)
    if job.done:
        r = job.result
        d.update(ok=r.ok, error=r.error["message"] if r.error else None,
                 score=r.score, band=r.band, barriers=len(r.barriers()),
                 strengths=len(r.strengths()))
    d["message"] = progress_words(d)
    return d


def progress_words(d: dict) -> str:
    """What the progress line says."""
    state = d["state"]
    if state == "queued":
        if not d.get("engine_ready"):
            return "Waiting: the rules and model are still loading…"
        ahead = d.get("ahead", 0)
        return f"Waiting: {plural(ahead, 'document')} ahead of this one" if ahead else "Starting…"
    if state == "reading":
        return f"Reading the file… ({d['elapsed']:g} s)"
    if state == "checking":
        size = (f"{plural(d['pages'], 'page')}, " if d.get("pages") else "") + \
            plural(d.get("paragraphs") or 0, "paragraph")
        return f"Checking {size} for barriers… ({d['elapsed']:g} s)"
    if d.get("error"):
        return f"Could not scan {d['name']}: {d['error']}"
    return f"Done in {d['elapsed']:g} s"


# ------------------------------------------------------------------------------ handlers
def build(app: App) -> Starlette:
    """The Starlette application for ``app``."""

    def with_cookie(resp: Response, s: Session) -> Response:
        resp.set_cookie(COOKIE, s.id, httponly=True, samesite="strict", path="/")
        return resp

    def upload_of(request: Request):
        s = app.session(request)
        if s is None:
            return None, None
        return s, s.uploads.get(request.path_params["uid"])

    async def home(request: Request):
        s = app.session(request) or app.sessions.create()
        uploads = [(u, _status(u, app.scanner)) for u in reversed(list(s.uploads.values()))]
        done = [u for u in s.uploads.values() if u.job.done and u.job.result.ok]
        resp = app.render("home.html", request, session=s, uploads=uploads, done=done,
                          max_mb=app.config.max_file_mb, max_files=MAX_FILES,
                          keep_minutes=round(app.sessions.keep / 60))
        return with_cookie(resp, s)

    async def upload(request: Request):
        s = app.session(request)
        header_token = request.headers.get("x-csrf-token")
        if s is None or not app.same_origin(request) or (
                header_token is not None and not s.check_csrf(header_token)):
            return _forbidden(request)
        try:
            form = await read_upload(request, lambda: app.sessions.new_upload_dir(s),
                                     app.config.max_bytes, MAX_FILES)
        except UploadError as e:
            if _wants_json(request):
                return JSONResponse({"error": str(e)}, status_code=e.status)
            return PlainTextResponse(str(e), status_code=e.status)
        if not app.csrf_ok(request, s, header_token or form.first("csrf")):
            form.discard()
            return _forbidden(request)
        if not form.files:
            form.discard()
            if _wants_json(request):
                return JSONResponse({"error": "choose at least one file"}, status_code=400)
            return RedirectResponse("/", status_code=303)
        from ..errors import ScanError
        from ..extract import sniff
        from .sessions import Upload

        added = []
        for f in form.files:
            # The type check the scan would make first (from the bytes), done now so that a file
            # that cannot be read says so at once instead of after the queue.
            try:
                await asyncio.to_thread(sniff, f.path)
            except ScanError as e:
                job = app.scanner.refuse(str(f.path), f.name, e.to_dict())
            else:
                job = app.scanner.submit(str(f.path), f.name)
            u = Upload(id=f.id, name=f.name, path=f.path, job=job)
            s.uploads[u.id] = u
            added.append(u)
        if _wants_json(request):
            return JSONResponse({"documents": [{"id": u.id, "name": u.name, "url": f"/doc/{u.id}"}
                                               for u in added]})
        return RedirectResponse(f"/doc/{added[0].id}" if len(added) == 1 else "/", status_code=303)

    async def status(request: Request):
        s, u = upload_of(request)
        if u is None:
            return JSONResponse({"error": "no such document in this session"}, status_code=404)
        return JSONResponse(_status(u, app.scanner))

    def review_context(s: Session, u):
        r = u.job.result
        items = view.items_for(r, app.store.for_keys(f.key() for f in r.findings)) if r.ok else []
        pieces = view.layout(u.job.document, items) if r.ok else []
        return dict(session=s, upload=u, result=r, items=items, pieces=pieces,
                    groups=view.grouped(items), bars=view.chart(r.breakdown),
                    categories=view.categories(items),
                    unplaced=[it for it in items if not it.placed],
                    is_docx=(r.format == "docx"),
                    others=[o for o in s.uploads.values() if o.id != u.id and o.job.done
                            and o.job.result.ok])

    async def document(request: Request):
        s, u = upload_of(request)
        if u is None:
            return app.render("missing.html", request, code=404, session=s)
        if not u.job.done:
            return app.render("progress.html", request, session=s, upload=u,
                              status=_status(u, app.scanner))
        return app.render("review.html", request, **review_context(s, u))

    async def verdict(request: Request):
        s, u = upload_of(request)
        if s is None or not app.same_origin(request):
            return _forbidden(request)
        form = await request.form(max_files=0, max_fields=20, max_part_size=16 * 1024)
        if not app.csrf_ok(request, s, request.headers.get("x-csrf-token") or form.get("csrf")):
            return _forbidden(request)
        if u is None or not u.job.done or not u.job.result.ok:
            return PlainTextResponse("no such document in this session", status_code=404)
        r = u.job.result
        try:
            n = int(form.get("n", ""))
            f = r.findings[n]
        except (ValueError, IndexError):
            return PlainTextResponse("no such finding", status_code=400)
        if form.get("key") and form.get("key") != f.key():
            return PlainTextResponse("the finding changed; reload the page", status_code=409)
        kind = form.get("verdict")
        error = None
        try:
            if kind == "clear":
                app.store.clear(f.key())
            else:
                app.store.decide(f, kind, form.get("reason", ""), form.getlist("labels"),
                                 path=u.name)
        except VerdictError as e:
            error = str(e)
        if _wants_json(request):
            key = f.key()
            item = view.Item(n=n, finding=f, key=key, group=view.group_of(f),
                             verdict=app.store.for_keys([key]).get(key),
                             placed=view.locate(u.job.document, f) is not None)
            html = app.env.get_template("_item.html").module.item(item, u, s.csrf, error)
            return JSONResponse({"html": str(html), "verdict": item.verdict.verdict
                                 if item.verdict else None, "error": error},
                                status_code=400 if error else 200)
        if error:
            return PlainTextResponse(error, status_code=400)
        return RedirectResponse(f"/doc/{u.id}#f-{n}", status_code=303)

    def attachment(data: bytes | str, name: str, media: str) -> Response:
        disp = f"attachment; filename*=UTF-8''{quote(name)}"
        return Response(data, media_type=media, headers={"Content-Disposition": disp})

    def open_findings(u):
        """The result without findings accepted or marked wrong (for the commented copy)."""
        r = copy.copy(u.job.result)
        verdicts = app.store.for_keys(f.key() for f in r.findings)
        r.findings = [f for f in r.findings if f.key() not in verdicts]
        r.accepted = sum(1 for v in verdicts.values() if v.verdict == ACCEPTED)
        return r

    async def download(request: Request):
        s, u = upload_of(request)
        if u is None or not u.job.done:
            return PlainTextResponse("no such document in this session", status_code=404)
        r = u.job.result
        if not r.ok:
            return PlainTextResponse(f"could not scan {u.name}: {r.error['message']}",
                                     status_code=409)
        kind, stem = request.path_params["kind"], Path(u.name).stem
        if kind == "docx":
            if r.format != "docx":
                return PlainTextResponse("only Word files can carry comments; download the "
                                         "review page instead", status_code=409)
            from ..annotate import annotate_docx

            out = u.path.parent / f".{stem}.reviewed.docx"
            await asyncio.to_thread(annotate_docx, u.path, out, app.config, result=open_findings(u))
            data = out.read_bytes()
            out.unlink()
            return attachment(data, f"{stem}.reviewed.docx", "application/vnd.openxmlformats-"
                              "officedocument.wordprocessingml.document")
        if kind == "review":
            from ..report.review import review_html

            return attachment(review_html(open_findings(u)), f"{stem}.review.html",
                              "text/html; charset=utf-8")
        if kind == "json":
            from ..report import render
            from ..report.base import run_meta

            return attachment(render("json", [r], run_meta(app.config)), f"{stem}.barrier-scan.json",
                              "application/json")
        return PlainTextResponse("unknown download", status_code=404)

    async def folder(request: Request):
        s = app.session(request)
        if s is None:
            return RedirectResponse("/", status_code=303)
        ups = list(s.uploads.values())
        done = [u for u in ups if u.job.done]
        ranked = sorted((u for u in done if u.job.result.ok),
                        key=lambda u: (u.job.result.score, u.name))
        failed = [u for u in done if not u.job.result.ok]
        waiting = [u for u in ups if not u.job.done]
        fmt = request.query_params.get("download")
        if fmt in ("html", "csv", "json"):
            from ..report import render
            from ..report.base import run_meta

            results = [u.job.result for u in ranked + failed]
            media = {"html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8",
                     "json": "application/json"}[fmt]
            return attachment(render(fmt, results, run_meta(app.config)), f"tenders.{fmt}", media)
        return app.render("folder.html", request, session=s, ranked=ranked, failed=failed,
                          waiting=waiting, bars={u.id: view.chart(u.job.result.breakdown)
                                                 for u in ranked})

    async def compare(request: Request):
        s = app.session(request)
        if s is None:
            return RedirectResponse("/", status_code=303)
        a = s.uploads.get(request.query_params.get("old", ""))
        b = s.uploads.get(request.query_params.get("new", ""))
        if not (a and b and a.job.done and b.job.done and a.job.result.ok and b.job.result.ok):
            return PlainTextResponse("choose two scanned documents of this session to compare",
                                     status_code=400)
        from ..compare import compare_results
        from ..report.compare import render_html

        page = render_html(compare_results(a.job.result, b.job.result))
        if request.query_params.get("download"):
            return attachment(page, f"{Path(a.name).stem}-vs-{Path(b.name).stem}.html",
                              "text/html; charset=utf-8")
        return HTMLResponse(page, headers={"Content-Security-Policy": CSP_REPORT})

    async def export(request: Request):
        if app.session(request) is None:
            return RedirectResponse("/", status_code=303)
        if request.path_params["what"] == "baseline.json":
            return attachment(app.store.baseline().dumps(), "accepted.baseline.json",
                              "application/json")
        return attachment(app.store.labels_jsonl(), "wrong-findings.jsonl",
                          "application/jsonl; charset=utf-8")

    async def end(request: Request):
        s = app.session(request)
        form = await request.form(max_files=0, max_fields=5, max_part_size=4096)
        if s is not None:
            if not app.csrf_ok(request, s, form.get("csrf")):
                return _forbidden(request)
            app.sessions.end(s)
        resp = RedirectResponse("/?ended=1", status_code=303)
        resp.delete_cookie(COOKIE, path="/")
        return resp

    async def static(request: Request):
        name = request.path_params["name"]
        if name == "report.css":
            return Response(report_css(), media_type="text/css; charset=utf-8")
        if name not in STATIC:
            return PlainTextResponse("not found", status_code=404)
        data = resources.files(__package__).joinpath("static", name).read_bytes()
        return Response(data, media_type=STATIC[name], headers={"Cache-Control": "no-cache"})

    routes = [
        Route("/", home),
        Route("/upload", upload, methods=["POST"]),
        Route("/doc/{uid}", document),
        Route("/doc/{uid}/status", status),
        Route("/doc/{uid}/verdict", verdict, methods=["POST"]),
        Route("/doc/{uid}/download/{kind}", download),
        Route("/folder", folder),
        Route("/compare", compare),
        Route("/export/{what:str}", export),
        Route("/session/end", end, methods=["POST"]),
        Route("/static/{name}", static),
    ]
    star = Starlette(routes=routes, lifespan=app.lifespan)
    star.state.app = app
    return _Guard(star, app)


class _Guard:
    """ASGI middleware: refuse foreign Host names, and add the security headers to every reply."""

    def __init__(self, inner, app: App):
        self.inner, self.app = inner, app
        self.state = inner.state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        request = Request(scope)
        if not self.app.allowed_host(request):
            return await PlainTextResponse("unknown host", status_code=421)(scope, receive, send)

        async def send_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {b"content-security-policy": CSP.encode(),
                         b"x-content-type-options": b"nosniff", b"x-frame-options": b"DENY",
                         b"referrer-policy": b"no-referrer",
                         b"cross-origin-opener-policy": b"same-origin",
                         b"cache-control": b"no-store"}
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.inner(scope, receive, send_headers)


def create_app(config: Config | None = None, *, db_path=None, keep_minutes: float = 120.0,
               host: str = "127.0.0.1", detector=None, temp_root: str | None = None):
    """The ASGI application (``uvicorn`` runs it; tests may too)."""
    from .verdicts import default_db_path

    app = App(config, db_path=db_path or default_db_path(), keep_seconds=keep_minutes * 60,
              host=host, detector=detector, temp_root=temp_root)
    return build(app)

