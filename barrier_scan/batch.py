"""Scan many files: in parallel across CPU cores, in input order, one failure never stops a batch.

Design (see docs/reports.md, "Batches"):

* ``scan_batch(paths, config, jobs=N)`` yields one :class:`DocumentResult` per file **in input
  order** (results that finish early wait in a small buffer of ``DocumentResult`` objects; no
  documents are kept), so a parallel run gives exactly what a serial run gives.
* ``jobs == 1`` runs in this process. ``jobs > 1`` uses a ``ProcessPoolExecutor`` whose
  initializer builds the :class:`Detector` once per worker (rules, spaCy and the classifier load
  once per process, never per file).
* At most ``jobs`` files are in flight, so every submitted file is really running. Each worker
  reports ``(file index, pid, start time)`` on a queue when it starts a file; that is the clock the
  per-file time limit runs on.
* Time limit, two layers: inside the worker a ``SIGALRM`` timer interrupts a file still running
  after ``timeout`` seconds (works for anything executing Python); if the file is still not back
  ``HARD_GRACE`` seconds later (stuck in C code, signals blocked), the parent kills that worker
  process. Killing a worker breaks the pool, so the other files that were in flight are put back
  in the queue (not counted against them) and a fresh pool is started.
* A worker that dies by itself (a crash in a native library) also breaks the pool. We cannot tell
  which of the in-flight files did it, so each is retried once on its own; a file that breaks
  the pool when it runs alone gets an ``internal_error`` result and the batch goes on.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from .config import Config
from .findings import DocumentResult
from .io import display_path
from .pipeline import engine_for, item_label, scan_item, walk_inputs

HARD_GRACE = 2.0  # seconds after the soft limit before the worker process is killed
STARTUP_GRACE = 60.0  # extra allowance for a file whose start was never reported (worker start-up)
_POLL = 0.05


class FileTimeout(BaseException):
    """Raised inside a scan when its time is up (BaseException: ``scan_file`` must not catch it)."""


def timeout_result(path, timeout: float) -> DocumentResult:
    """The result for a file that ran past the per-file time limit."""
    return DocumentResult(path=item_label(path), error={
        "code": "timeout",
        "message": f"took longer than the {timeout:g} s limit per file and was skipped "
                   f"(raise it with --timeout)"})


def crash_result(path, detail: str = "") -> DocumentResult:
    """The result for a file whose worker process died."""
    msg = "the worker process scanning this file stopped unexpectedly"
    return DocumentResult(path=item_label(path), error={
        "code": "internal_error",
        "message": f"{msg}{f' ({detail})' if detail else ''}; please report it"})


def default_jobs() -> int:
    """Worker processes by default: the CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ------------------------------------------------------------------------------ time limit
class _alarm:
    """Interrupt the block after ``seconds`` with :class:`FileTimeout` (main thread, POSIX only)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.armed = bool(seconds and seconds > 0 and hasattr(signal, "setitimer")
                          and threading.current_thread() is threading.main_thread())

    def __enter__(self):
        if self.armed:
            self.old = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    @staticmethod
    def _fire(signum, frame):
        raise FileTimeout()

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)
        return False


def _scan_one(path: str, detector, timeout: float | None, cache=None) -> DocumentResult:
    t0 = time.perf_counter()
    try:
        with _alarm(timeout):
            result = scan_item(path, detector=detector, cache=cache)
    except FileTimeout:
        return timeout_result(path, timeout)
    result.stats["seconds"] = round(time.perf_counter() - t0, 4)
    return result


# ------------------------------------------------------------------------------ workers
_W: dict = {}


def _init_worker(config: Config, started, timeout: float | None, cache=None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    # The parent turns SIGTERM/SIGHUP into an exception (cli.stop_signals_raise); a forked worker
    # inherits that handler, and the pool would report the exception and carry on. A worker
    # told to stop must stop.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    _W.update(started=started, timeout=timeout, detector=None, error=None, cache=cache)
    try:
        from .segment import get_nlp

        _W["detector"] = engine_for(config)
        get_nlp()  # load spaCy now, not inside the first file's time limit
    except BaseException as e:  # noqa: BLE001 - reported per file instead of breaking the pool
        _W["error"] = f"{type(e).__name__}: {e}"


def _work(index: int, path: str) -> tuple[int, DocumentResult]:
    _W["started"].put((index, os.getpid(), time.monotonic()))
    if _W["detector"] is None:
        return index, DocumentResult(path=item_label(path), error={
            "code": "internal_error",
            "message": f"could not start the scanner ({_W['error']}); please report it"})
    return index, _scan_one(path, _W["detector"], _W["timeout"], _W.get("cache"))


def _context():
    # fork: workers inherit the parent's loaded modules (fast start; test monkeypatches apply).
    methods = mp.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux"):
        return mp.get_context("fork")
    return mp.get_context("spawn")


@dataclass
class _Task:
    index: int
    path: str
    attempts: int = 0  # times it was in flight when the pool broke for an unknown reason
    submitted: float = 0.0  # monotonic time it was handed to the pool
    solo: bool = False  # run with nothing else in flight (crash suspect)


class _Pool:
    """One ProcessPoolExecutor generation plus what we know about its running files."""

    def __init__(self, jobs: int, config: Config, timeout: float | None, cache=None):
        ctx = _context()
        # SimpleQueue: put() writes to the pipe at once (no feeder thread), so the start message
        # is out before the file is opened even if the scan then blocks in native code.
        self.started = ctx.SimpleQueue()
        self.executor = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx,
                                            initializer=_init_worker,
                                            initargs=(config, self.started, timeout, cache))
        self.running: dict[int, tuple[int, float]] = {}  # index -> (pid, monotonic start)
        self.closed = False

    def drain_started(self, active: set[int]) -> None:
        """Record which in-flight files have started, and in which worker."""
        while True:
            try:
                if self.started.empty():
                    return
                index, pid, t = self.started.get()
            except (OSError, ValueError, EOFError):
                return
            if index in active:
                self.running[index] = (pid, t)

    def kill_all(self) -> None:
        """Stop every worker now (used when the batch is abandoned half way)."""
        for proc in list(getattr(self.executor, "_processes", {}).values()):
            proc.kill()

    def kill(self, pid: int) -> None:
        """Kill one worker process (a file stuck past the hard limit)."""
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.started.close()


def _parallel(paths: list[tuple[int, str]], config: Config, jobs: int,
              timeout: float | None, cache=None) -> Iterator[tuple[int, DocumentResult]]:
    """Yield (index, result) for each (index, path) as files finish (any order)."""
    todo: deque[_Task] = deque(_Task(i, p) for i, p in paths)
    jobs = max(1, min(jobs, len(paths)))
    pool = _Pool(jobs, config, timeout, cache)
    inflight: dict = {}  # future -> _Task
    hard = None if not timeout or timeout <= 0 else timeout + HARD_GRACE
    try:
        while todo or inflight:
            # Submit: solo tasks only into an empty pool, and nothing joins a solo task.
            broken = False
            while todo and len(inflight) < jobs:
                if any(t.solo for t in inflight.values()):
                    break
                if todo[0].solo and inflight:
                    break
                task = todo.popleft()
                task.submitted = time.monotonic()
                try:
                    inflight[pool.executor.submit(_work, task.index, task.path)] = task
                except BrokenProcessPool:
                    # A worker died since the last wait: the task never started. Put it back
                    # and handle the break below like one noticed through a future.
                    todo.appendleft(task)
                    broken = True
                    break
            done, _ = wait(inflight, timeout=_POLL, return_when=FIRST_COMPLETED)
            pool.drain_started({t.index for t in inflight.values()})
            for fut in done:
                task = inflight.pop(fut)
                pool.running.pop(task.index, None)
                exc = fut.exception()
                if exc is None:
                    yield fut.result()
                elif isinstance(exc, BrokenProcessPool):
                    broken = True
                    inflight[fut] = task  # handled with the rest below
                else:  # e.g. a result that could not be pickled
                    yield task.index, crash_result(task.path, f"{type(exc).__name__}: {exc}")
            # Overdue files: kill their worker; the pool breaks and is replaced below.
            killed: set[int] = set()
            if hard is not None:
                now = time.monotonic()
                for fut, task in list(inflight.items()):
                    if fut.done():
                        continue
                    pid_t = pool.running.get(task.index)
                    if pid_t and now - pid_t[1] > hard:
                        pool.kill(pid_t[0])
                    elif not pid_t and now - task.submitted > hard + STARTUP_GRACE:
                        pool.kill_all()  # never reported starting: we cannot tell which worker
                    else:
                        continue
                    killed.add(task.index)
                    inflight.pop(fut)
                    yield task.index, timeout_result(task.path, timeout)
            if not (broken or killed):
                continue
            # The pool is (or is about to be) broken: collect every in-flight file and restart.
            wait(inflight)  # all futures fail promptly once the pool notices the dead worker
            requeue = []
            for fut, task in inflight.items():
                if not fut.exception():
                    yield fut.result()
                    continue
                if killed and not broken:  # we broke it on purpose: the others are innocent
                    requeue.append(task)
                elif task.solo or task.attempts >= 1:
                    yield task.index, crash_result(task.path)
                else:
                    task.attempts += 1
                    task.solo = True
                    requeue.append(task)
            inflight.clear()
            todo.extendleft(sorted(requeue, key=lambda t: -t.index))
            pool.close()
            if todo:
                pool = _Pool(jobs, config, timeout, cache)
    finally:
        if inflight:  # abandoned early (Ctrl-C, consumer error): do not wait for running files
            pool.kill_all()
        pool.close()


def _serial(paths: list[tuple[int, str]], config: Config,
            timeout: float | None, cache=None) -> Iterator[tuple[int, DocumentResult]]:
    detector = engine_for(config)
    for i, p in paths:
        yield i, _scan_one(p, detector, timeout, cache)


def scan_batch(paths: Iterable[str | os.PathLike], config: Config | None = None, jobs: int | None = None,
               timeout: float | None = None,
               on_result: Callable[[DocumentResult], None] | None = None,
               cache_dir: str | os.PathLike | None = None,
               on_start: Callable[[int], None] | None = None,
               follow_links: bool = False,
               on_skip: Callable[[str, str], None] | None = None) -> Iterator[DocumentResult]:
    """Scan files and folders (recursively) and yield results in input order.

    ``jobs``: worker processes (default: all cores; 1 = this process). ``timeout``: seconds per
    file (default ``config.timeout``; 0 or None = no limit). ``on_start(n)`` is told the number of
    files once the paths are walked, ``on_result`` each result as it is yielded (progress).
    ``cache_dir``: reuse and store results there (:mod:`barrier_scan.cache`: keyed by the file's
    bytes and the engine version). ``follow_links`` and ``on_skip``: see
    :func:`~barrier_scan.pipeline.walk_inputs` (a link leading outside the folders is reported
    as a ``link_outside`` result, not scanned).
    """
    config = config or Config()
    entries = list(walk_inputs(paths, follow_links=follow_links, on_skip=on_skip))
    if on_start:
        on_start(len(entries))
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    timeout = config.timeout if timeout is None else timeout
    if not entries:
        return
    waiting: dict[int, DocumentResult] = {  # answers known without scanning
        i: DocumentResult(path=display_path(p), error=refusal.to_dict())
        for i, (p, refusal) in enumerate(entries) if refusal is not None}
    files = [(i, os.fspath(p)) for i, (p, refusal) in enumerate(entries) if refusal is None]
    cache = None
    if cache_dir is not None and files:
        from .cache import ResultCache

        cache = ResultCache.for_config(cache_dir, config)  # engine key hashed once, here
        cache.open_scratch()  # removed below, even when a worker had to be killed mid-copy
    yield from _in_order(files, waiting, config, jobs, timeout, on_result, cache)


def scan_items(items: list, config: Config, jobs: int | None = None,
               timeout: float | None = None,
               on_result: Callable[[DocumentResult], None] | None = None,
               cache=None) -> Iterator[DocumentResult]:
    """Scan a list of batch items (file paths or OCDS notices) and yield results in their order.

    As :func:`scan_batch`, without walking folders; ``cache`` is a ready
    :class:`~barrier_scan.cache.ResultCache` (or None) whose scratch folder the caller manages.
    """
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    timeout = config.timeout if timeout is None else timeout
    yield from _in_order(list(enumerate(items)), {}, config, jobs, timeout, on_result, cache,
                         close_scratch=False)


def _in_order(files: list[tuple[int, object]], waiting: dict[int, DocumentResult], config: Config,
              jobs: int, timeout, on_result, cache, close_scratch: bool = True
              ) -> Iterator[DocumentResult]:
    """Scan ``(index, item)`` pairs and yield results, with those already in ``waiting``, in
    index order."""
    if jobs > 1 and len(files) > 1:
        # Load rules and model here first: a broken setup (bad rule file, untrusted model) stops
        # the run with one clear error instead of failing every file, and forked workers inherit
        # the loaded engine rather than each building it again.
        engine_for(config)
    if not files:
        source = (x for x in ())
    elif jobs == 1 or len(files) == 1:
        source = _serial(files, config, timeout, cache)
    else:
        source = _parallel(files, config, jobs, timeout, cache)
    nxt = 0

    def release():  # the results that are next in input order
        nonlocal nxt
        while nxt in waiting:
            r = waiting.pop(nxt)
            nxt += 1
            if on_result:
                on_result(r)
            yield r

    try:
        yield from release()
        for index, result in source:
            waiting[index] = result
            yield from release()
    finally:  # abandoned (Ctrl-C, SIGTERM, a report that cannot be written): stop the workers now
        source.close()
        if cache is not None and close_scratch:
            cache.close_scratch()


# ------------------------------------------------------------------------------ progress
class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int = 0, stream=None, enabled: bool | None = None, width: int = 28):
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.failed = 0
        self.width = width
        self.enabled = (self.stream.isatty() if hasattr(self.stream, "isatty") else False) \
            if enabled is None else enabled
        self.t0 = time.monotonic()

    def start(self, total: int) -> None:
        """Set the number of files (known once the paths are walked)."""
        self.total = total

    def __call__(self, result: DocumentResult) -> None:
        self.done += 1
        self.failed += bool(result.error)
        if not self.enabled:
            return
        frac = self.done / self.total if self.total else 1.0
        filled = int(frac * self.width)
        name = os.path.basename(result.path)
        if len(name) > 30:
            name = "…" + name[-29:]
        fail = f", {self.failed} failed" if self.failed else ""
        line = (f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total}"
                f"{fail} {time.monotonic() - self.t0:4.0f}s {name}")
        self.stream.write(line.ljust(80)[:100])
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


def scan_paths(paths: Iterable[str | os.PathLike], config: Config | None = None, jobs: int = 1,
               **options) -> Iterator[DocumentResult]:
    """Public API: scan files and folders, yielding results in input order.

    Serial by default (a library call should not fork unasked); ``jobs`` > 1 uses worker
    processes with the per-file time limit. Options as for :func:`scan_batch`.
    """
    return scan_batch(paths, config, jobs=jobs, **options)
