"""One scanner for the whole server: rules and model loaded once, files scanned one at a time in
a background thread, with progress a page can poll.

Why a thread and not the request: a 50-page tender takes seconds; the event loop must keep
serving pages (other tabs, the progress poll, downloads) meanwhile. Why one thread: the
detector is loaded once (``pipeline.engine_for``) and scanning is CPU-bound Python, so a second
thread would only share the same core under the GIL. Jobs queue in upload order.

Progress: ``pipeline.scan_file`` runs extract -> detect -> score; the detector handed to it is a
thin wrapper that notes when extraction is over (the document's pages and paragraphs are then
known) and keeps the extracted document, whose blocks the review page shows in reading order.

Time limit: a file still scanning after ``Config.timeout`` seconds is interrupted with
``batch.FileTimeout`` raised asynchronously in the scanner thread (the same result and message
as a batch timeout). Like the batch's soft limit it stops Python code, not a single call stuck
inside a C library.
"""
from __future__ import annotations

import ctypes
import itertools
import queue
import threading
import time
from dataclasses import dataclass, field

from ..batch import FileTimeout, timeout_result
from ..config import Config
from ..findings import DocumentResult
from ..pipeline import engine_for, scan_file

QUEUED, READING, CHECKING, DONE = "queued", "reading", "checking", "done"
_WATCH_EVERY = 0.25


@dataclass
class Job:
    """One file to scan, and everything the pages show about it."""
    path: str
    name: str
    state: str = QUEUED
    seq: int = 0
    queued_at: float = field(default_factory=time.monotonic)
    started: float | None = None
    finished: float | None = None
    result: DocumentResult | None = None
    document: object = None  # the extracted Document (blocks in reading order)
    cancelled: bool = False
    interrupted: bool = False

    @property
    def done(self) -> bool:
        """True once the result (or its error) is known."""
        return self.state == DONE

    def elapsed(self) -> float:
        """Seconds spent scanning so far (or in all, once done)."""
        if self.started is None:
            return 0.0
        return round((self.finished or time.monotonic()) - self.started, 1)


class _Watched:
    """The detector as ``scan_file`` sees it, reporting to a job when extraction has finished."""

    def __init__(self, detector, job: Job):
        self._detector = detector
        self._job = job
        self.config = detector.config

    def run(self, document, **kw):
        self._job.document = document
        self._job.state = CHECKING
        return self._detector.run(document, **kw)


class Scanner:
    """Loads the detector once and scans submitted jobs in one background thread."""

    def __init__(self, config: Config | None = None, detector=None, timeout: float | None = None):
        self.config = config or Config()
        self._detector = detector
        self.timeout = self.config.timeout if timeout is None else timeout
        self.ready = threading.Event()
        self.load_error: str | None = None
        self._queue: queue.Queue = queue.Queue()
        self._pending: list[Job] = []  # queued, not yet started (for queue positions)
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._current: Job | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="barrier-scan-scanner", daemon=True)
        self._watchdog = threading.Thread(target=self._watch, name="barrier-scan-watchdog",
                                          daemon=True)

    # -- life ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start loading rules and model, then scanning, in the background."""
        self._thread.start()
        self._watchdog.start()

    def close(self, wait: float = 5.0) -> None:
        """Stop after the current file (queued files are dropped)."""
        self._stop.set()
        self._queue.put(None)
        self._thread.join(wait)

    @property
    def detector(self):
        """The loaded detector (None until ready)."""
        return self._detector if self.ready.is_set() else None

    # -- jobs ----------------------------------------------------------------------------------
    def submit(self, path: str, name: str) -> Job:
        """Queue ``path`` (shown as ``name``) for scanning."""
        job = Job(path=str(path), name=name, seq=next(self._seq))
        with self._lock:
            self._pending.append(job)
        self._queue.put(job)
        return job

    def refuse(self, path: str, name: str, error: dict) -> Job:
        """A job already finished with ``error`` (a file refused before it was queued)."""
        now = time.monotonic()
        message = error.get("message", "").replace(str(path), name)
        return Job(path=str(path), name=name, state=DONE, seq=next(self._seq), started=now,
                   finished=now, result=DocumentResult(path=name, error={**error,
                                                                         "message": message}))

    def cancel(self, job: Job) -> None:
        """Do not scan ``job`` if it has not started (its session ended)."""
        job.cancelled = True

    def ahead_of(self, job: Job) -> int:
        """How many files will be scanned before ``job`` (0 when it is next or running)."""
        with self._lock:
            if job.state != QUEUED:
                return 0
            ahead = sum(1 for j in self._pending if j.seq < job.seq and not j.cancelled)
            return ahead + (1 if self._current is not None else 0)

    # -- the thread ----------------------------------------------------------------------------
    def _loop(self) -> None:
        try:
            self._detector = engine_for(self.config, self._detector)
        except Exception as e:  # noqa: BLE001 - shown on every page instead of a dead server
            self.load_error = f"could not load the rules or model: {e}"
        self.ready.set()
        while not self._stop.is_set():
            try:
                job = self._queue.get()
                if job is None:
                    break
                self._run(job)
            except FileTimeout:  # landed after the file was finished: nothing to interrupt
                self._finish(self._current)

    def _run(self, job: Job) -> None:
        with self._lock:
            if job in self._pending:
                self._pending.remove(job)
            if job.cancelled:
                return
            self._current = job
            job.started = time.monotonic()
            job.state = READING
        try:
            job.result = self._scan(job)
        finally:
            self._finish(job)

    def _finish(self, job: Job | None) -> None:
        with self._lock:
            self._current = None
            if job is not None and job.state != DONE:
                if job.result is None:
                    job.result = timeout_result(job.name, self.timeout)
                job.finished = time.monotonic()
                job.state = DONE

    def _scan(self, job: Job) -> DocumentResult:
        if self.load_error:
            return DocumentResult(path=job.name, error={"code": "internal_error",
                                                        "message": self.load_error})
        try:
            result = scan_file(job.path, detector=_Watched(self._detector, job))
        except FileTimeout:
            result = timeout_result(job.name, self.timeout)
        # Reports and messages name the file the person uploaded, never the private folder.
        result.path = job.name
        if result.error and isinstance(result.error.get("message"), str):
            result.error = {**result.error,
                            "message": result.error["message"].replace(job.path, job.name)}
        return result

    def _watch(self) -> None:
        """Interrupt a file that runs past the time limit (see the module docstring)."""
        while not self._stop.wait(_WATCH_EVERY):
            if not self.timeout or self.timeout <= 0:
                continue
            with self._lock:
                job = self._current
                if job is None or job.started is None or job.interrupted or job.state == DONE:
                    continue
                if time.monotonic() - job.started <= self.timeout:
                    continue
                tid = self._thread.ident
                if tid is not None:
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid),
                                                              ctypes.py_object(FileTimeout))
                    job.interrupted = True  # once per file
