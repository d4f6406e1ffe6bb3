"""Where a batch runs: the local process pool (default) or a Dask cluster (``--executor dask``).

:func:`scan_inputs` is the one entry point. It turns the paths given into batch items (files
found in folders, and the notices of OCDS files, streamed: see :mod:`barrier_scan.ocds`),
skips items whose content hash is already answered (``skip``: a resumed run) or was already
seen in this run (the same tender in two releases), and yields ``(result, content hash)`` as
results come back.

* ``local``: :func:`barrier_scan.batch.scan_items`, the process pool with its per-file time
  limit and crash isolation, in input order. Notices are fed in chunks so that a file of a
  million releases is never held in memory.
* ``dask``: the same per-item scan (:func:`barrier_scan.pipeline.scan_item`) as Dask tasks, on a
  cluster at ``scheduler`` or, by default, a local cluster of ``jobs`` single-threaded worker
  processes bound to 127.0.0.1. See :class:`DaskRunner` for what happens on a timeout or when a
  worker dies.

``jobs``, ``timeout`` and the limits of the :class:`~barrier_scan.config.Config` mean the same
on both: files (or notices) scanned at once, seconds allowed per item before it is answered
``timeout``, the size and page limits inside the scan.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .config import Config
from .findings import DocumentResult

EXECUTORS = ("local", "dask")
#: Notices handed to the local pool at a time (its input list is held in memory).
LOCAL_CHUNK = 2000
HARD_GRACE = 2.0  # seconds past --timeout before a Dask worker running the item is killed
START_TOPIC = "barrier-scan-started"
_POLL = 0.25


@dataclass
class RunStats:
    """What a run did besides scanning: skipped as already answered, duplicates, retries."""

    items: int = 0
    skipped_done: int = 0
    skipped_duplicate: int = 0
    retried: int = 0
    lost_workers: int = 0
    timeouts_killed: int = 0
    worker_peak_mb: dict = field(default_factory=dict)


def _digest(item, config: Config) -> str | None:
    from .cache import file_digest
    from .pipeline import _cacheable, is_notice

    if is_notice(item):
        return item.digest or None
    if not _cacheable(item, config):  # not a regular file within the size limit: no hash
        return None
    try:
        return file_digest(item)
    except OSError:
        return None


def _items(paths, config: Config, reader, skip: set | None, need_digest: bool,
           stats: RunStats, follow_links: bool = False,
           on_skip=None) -> Iterator[tuple[object, str | None]]:
    """(item, content hash) for every input not already answered; error results pass through."""
    from .ocds import expand

    seen: set[bytes] = set()
    for item in expand(paths, reader, follow_links=follow_links, on_skip=on_skip):
        if isinstance(item, DocumentResult):  # a malformed release, an unreadable OCDS file
            stats.items += 1
            yield item, None
            continue
        digest = _digest(item, config) if (need_digest or skip) else None
        if digest is not None:
            if skip and digest in skip:
                stats.skipped_done += 1
                continue
            key = bytes.fromhex(digest)[:16]
            if key in seen:
                stats.skipped_duplicate += 1
                continue
            seen.add(key)
        stats.items += 1
        yield item, digest


def scan_inputs(paths: Iterable[str | os.PathLike], config: Config | None = None, *,
                executor: str = "local", scheduler: str | None = None, jobs: int | None = None,
                timeout: float | None = None, cache_dir: str | os.PathLike | None = None,
                documents_dir: str | os.PathLike | None = None, skip: set | None = None,
                need_digest: bool = False, stats: RunStats | None = None, reader=None,
                on_result: Callable[[DocumentResult], None] | None = None,
                on_start: Callable[[int], None] | None = None,
                on_event: Callable[[dict], None] | None = None,
                follow_links: bool = False,
                on_skip: Callable[[str, str], None] | None = None,
                ) -> Iterator[tuple[DocumentResult, str | None]]:
    """Scan files, folders and OCDS files on the chosen executor; yield (result, hash).

    ``skip``: content hashes already answered (not scanned again). ``need_digest``: hash every
    input (for a dataset). ``stats``: filled in as the run goes. ``on_event``: told when a Dask
    task starts (``{"token", "worker", "pid"}``; tests use it to kill a worker mid-run).
    ``follow_links``, ``on_skip``: as for :func:`~barrier_scan.pipeline.walk_inputs`.
    """
    from .ocds import NoticeReader, is_ocds_path

    config = config or Config()
    stats = stats if stats is not None else RunStats()
    paths = [os.fspath(p) for p in paths]
    given_timeout, timeout = timeout, config.timeout if timeout is None else timeout
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r} (known: {', '.join(EXECUTORS)})")
    plain = not any(os.path.isfile(p) and is_ocds_path(p) for p in paths)
    if executor == "local" and plain and not need_digest and not skip:
        # Files only, nothing to hash: exactly the classic batch (progress knows the total).
        from .batch import scan_batch

        extra = {} if given_timeout is None else {"timeout": given_timeout}
        for r in scan_batch(paths, config, jobs=jobs, on_result=on_result, cache_dir=cache_dir,
                            on_start=on_start, follow_links=follow_links, on_skip=on_skip,
                            **extra):
            stats.items += 1
            yield r, None
        return
    reader = reader or NoticeReader(documents_dir)
    items = _items(paths, config, reader, skip, need_digest, stats, follow_links, on_skip)
    if executor == "local":
        source = _local(items, config, jobs, timeout, cache_dir)
    else:
        source = _dask(items, config, scheduler, jobs, timeout, cache_dir, stats, on_event)
    for result, digest in source:
        if on_result:
            on_result(result)
        yield result, digest


# ------------------------------------------------------------------------------ local
def _local(items, config: Config, jobs, timeout, cache_dir) -> Iterator[tuple[DocumentResult, str | None]]:
    from .batch import scan_items

    cache = None
    if cache_dir is not None:
        from .cache import ResultCache

        cache = ResultCache.for_config(cache_dir, config)
        cache.open_scratch()  # one folder for the run's copies, removed at the end
    chunk: list = []
    digests: list = []

    def run():
        yield from zip(scan_items(chunk, config, jobs, timeout, cache=cache), digests)

    try:
        for item, digest in items:
            if isinstance(item, DocumentResult):
                yield item, digest
                continue
            chunk.append(item)
            digests.append(digest)
            if len(chunk) >= LOCAL_CHUNK:
                yield from run()
                chunk, digests = [], []
        if chunk:
            yield from run()
    finally:
        if cache is not None:
            cache.close_scratch()


# ------------------------------------------------------------------------------ dask: workers
_STATE: dict = {}


def _worker_state(config: Config, cache_dir):
    """The detector (and cache) of this worker process, built once."""
    key = (config, None if cache_dir is None else os.fspath(cache_dir))
    if key not in _STATE:
        try:
            from .pipeline import engine_for
            from .segment import get_nlp

            detector = engine_for(config)
            get_nlp()
            cache = None
            if cache_dir is not None:
                from .cache import ResultCache

                cache = ResultCache.for_config(cache_dir, config)
            _STATE[key] = (detector, cache, None)
        except BaseException as e:  # noqa: BLE001 - reported per item instead of killing the worker
            _STATE[key] = (None, None, f"{type(e).__name__}: {e}")
    return _STATE[key]


def _preload_plugin(config: Config, cache_dir):
    from distributed.diagnostics.plugin import WorkerPlugin

    class Preload(WorkerPlugin):
        """Loads rules, spaCy and the classifier when a worker starts (and restarts)."""

        name = "barrier-scan-preload"

        def setup(self, worker):
            _worker_state(config, cache_dir)

    return Preload()


def _dask_task(items: list, token: str, config: Config, cache_dir,
               report_start: bool = True) -> list[DocumentResult]:
    """A few items on a Dask worker (one file, or a batch of small notices): the same scan as
    the local pool, each item's start reported (the client's clock for the time limit)."""
    from .batch import crash_result
    from .pipeline import item_label, scan_item

    try:
        from distributed import get_worker

        w = get_worker()
    except Exception:  # noqa: BLE001 - only the time limit needs it
        w = None
    detector, cache, error = _worker_state(config, cache_dir)
    out = []
    for k, item in enumerate(items):
        if w is not None and report_start:
            w.log_event(START_TOPIC, {"token": token, "index": k, "worker": w.address,
                                      "pid": os.getpid(), "label": item_label(item)})
        if detector is None:
            out.append(DocumentResult(path=item_label(item), error={
                "code": "internal_error",
                "message": f"could not start the scanner ({error}); please report it"}))
            continue
        t0 = time.perf_counter()
        try:
            result = scan_item(item, detector=detector, cache=cache)
        except Exception as e:  # noqa: BLE001 - scan_item catches bad input; this is a fault
            out.append(crash_result(item, f"{type(e).__name__}: {e}"))
            continue
        result.stats["seconds"] = round(time.perf_counter() - t0, 4)
        out.append(result)
    if w is not None and report_start:
        # The task ran to its end here: if this worker dies before the result is fetched (and
        # Dask computes it again elsewhere), the loss is not this task's doing.
        w.log_event(START_TOPIC, {"token": token, "done": True, "worker": w.address,
                                  "pid": os.getpid()})
    return out


def _peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ------------------------------------------------------------------------------ dask: client
@dataclass
class _Task:
    items: list  # [(item, content hash)]: one file, or a batch of notices
    token: str = ""
    attempts: int = 0  # times its worker died under it (only single-item tasks are retried)
    silent: int = 0  # times Dask itself ran it again after its worker died
    spared: int = 0  # times it was lost with a worker before it had started (a bystander)
    rescued: int = 0  # times it was sent again after it had finished once (its result was lost)

    def again(self, pair, **changes) -> "_Task":
        """One of its items as a task of its own, sent again: its counters carried over (so no
        retry path resets a limit), changed as given."""
        counts = {"attempts": self.attempts, "spared": self.spared, "rescued": self.rescued}
        counts.update(changes)
        return _Task([pair], **counts)


#: Notices sent to a worker in one task: a notice takes milliseconds, about what Dask spends
#: scheduling a task, so they travel in batches; files (seconds each) go one at a time.
NOTICE_BATCH = 32
#: Times a task that had finished (its result lost with a dying worker) is sent again without
#: counting against it.
MAX_RESCUES = 2


class DaskRunner:
    """A Dask client (and, without ``scheduler``, its own local cluster) for one run.

    * Workers load rules, spaCy and the model once, when they start (a worker plugin).
    * At most ``jobs`` items run at once and as many wait in the cluster; more are read from
      the input only as results come back, so memory stays flat however long the input.
    * Results are yielded as they finish (not in input order). Files go one per task; notices
      in batches of :data:`NOTICE_BATCH` (a notice costs about what scheduling a task does).
    * Time limit: each task reports its start; one still running ``timeout`` + 2 s later has its
      worker killed (a thread cannot be interrupted safely; the nanny starts a fresh worker) and
      is answered ``timeout``. Other items that were on that worker (the rest of its batch too)
      are sent again, one per task, without counting against them.
    * A worker that dies (killed, out of memory, a crash in native code): the items it was
      running are sent again once, each on its own; an item whose worker dies a second time is
      answered ``internal_error``. Items only queued on it, not yet started, are bystanders:
      sent again without counting against them, once. Items that had finished (when starts are
      reported, each task also reports its end) but whose result went with a dying worker are
      sent again uncounted, up to :data:`MAX_RESCUES` times. The local cluster sets
      ``allowed-failures`` to 0 so that this one retry is the only one; with your own scheduler set ``distributed.scheduler.allowed-failures``
      to 0 for the same behaviour (its default lets Dask retry three times first).
    """

    def __init__(self, config: Config, scheduler: str | None = None, jobs: int | None = None,
                 timeout: float | None = None, cache_dir=None, stats: RunStats | None = None,
                 on_event: Callable[[dict], None] | None = None):
        self.config, self.scheduler, self.cache_dir = config, scheduler, cache_dir
        self.jobs = jobs
        self.timeout = config.timeout if timeout is None else timeout
        self.stats = stats if stats is not None else RunStats()
        self.on_event = on_event
        self.cluster = self.client = None
        self._started: dict[str, tuple[str, int, float]] = {}
        self._starts: dict[tuple[str, int], int] = {}  # (task, item) -> times it started
        self._done: dict[str, int] = {}  # task -> its starts when it first ran to its end
        self._lock = threading.Lock()
        self._n = 0
        self._finished = threading.Event()  # set by any future finishing: wakes the loop

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> "DaskRunner":
        import dask
        from distributed import Client, LocalCluster

        from .batch import default_jobs

        if self.scheduler:
            self.client = Client(self.scheduler, set_as_default=False, timeout="30s")
        else:
            n = self.jobs or default_jobs()
            with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                                  "distributed.scheduler.worker-saturation": 1.0}):
                self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                            silence_logs=logging.ERROR)
            self.client = Client(self.cluster, set_as_default=False)
        try:
            self.client.register_plugin(_preload_plugin(self.config, self.cache_dir))
            self.client.subscribe_topic(START_TOPIC, self._on_start)
            if not self.jobs:
                info = self.client.scheduler_info(n_workers=-1)
                self.jobs = sum(w.get("nthreads", 1) for w in info["workers"].values()) or 1
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.client is not None:
                try:
                    self.stats.worker_peak_mb = self.client.run(_peak_rss_mb, on_error="ignore")
                except Exception:  # noqa: BLE001 - a closing cluster need not answer
                    pass
                self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()

    def _on_start(self, event) -> None:
        _, msg = event
        if msg.get("done"):
            with self._lock:  # the starts it took to finish (a run Dask repeats adds one)
                token = msg["token"]
                self._done.setdefault(token, max(
                    (n for (t, _), n in self._starts.items() if t == token), default=1))
            return
        with self._lock:
            self._started[msg["token"]] = (msg["worker"], int(msg["pid"]), time.monotonic(),
                                           int(msg.get("index", 0)))
            key = (msg["token"], int(msg.get("index", 0)))
            self._starts[key] = self._starts.get(key, 0) + 1
            if self._starts[key] > 1:  # Dask ran it again after a worker died: act on it now
                self._finished.set()
        if self.on_event:
            self.on_event(msg)

    # -- running -----------------------------------------------------------------------------
    def _submit(self, task: _Task):
        self._n += 1
        task.token = f"{self._n}"
        # Starts are reported only when something listens: the time limit or a test's hook.
        report = bool(self.timeout and self.timeout > 0) or self.on_event is not None
        fut = self.client.submit(_dask_task, [item for item, _ in task.items], task.token,
                                 self.config, self.cache_dir, report, pure=False,
                                 key=f"barrier-scan-{task.token}-{os.getpid()}")
        fut.add_done_callback(lambda _: self._finished.set())
        return fut

    @staticmethod
    def _tasks(items: Iterator) -> Iterator:
        """Tasks from the item stream: a file alone, notices in batches; error results as they are."""
        from .pipeline import is_notice

        batch: list = []
        for item, digest in items:
            if isinstance(item, DocumentResult):
                yield item, digest
            elif is_notice(item):
                batch.append((item, digest))
                if len(batch) >= NOTICE_BATCH:
                    yield _Task(batch)
                    batch = []
            else:
                yield _Task([(item, digest)])
        if batch:
            yield _Task(batch)

    def run(self, items: Iterator) -> Iterator[tuple[DocumentResult, str | None]]:
        """Yield (result, hash) for every item as it finishes."""
        from .batch import crash_result

        inflight: dict = {}  # future -> _Task
        retry: list[_Task] = []
        innocent: set[str] = set()  # tokens lost with a worker we killed on purpose
        tasks = self._tasks(items)
        exhausted = False
        hard = None if not self.timeout or self.timeout <= 0 else self.timeout + HARD_GRACE
        # Tasks waiting in the cluster: enough that no worker idles between two (the scheduler
        # queues them; worker-saturation keeps them off busy workers).
        window = max(8, 2 * max(1, self.jobs))
        try:
            while True:
                while len(inflight) < window and (retry or not exhausted):
                    if retry:
                        task = retry.pop()
                    else:
                        try:
                            task = next(tasks)
                        except StopIteration:
                            exhausted = True
                            break
                        if not isinstance(task, _Task):  # (result, hash): failed before a scan
                            yield task
                            continue
                    inflight[self._submit(task)] = task
                if not inflight:
                    return
                self._finished.clear()
                done = [f for f in inflight if f.done()]
                if not done:
                    # Sleep until a future finishes (its callback sets the event); wake anyway
                    # now and then to check the time limit.
                    self._finished.wait(_POLL)
                for fut in done:
                    task = inflight.pop(fut)
                    self._note_reruns(task)
                    started = self._ran(task)
                    with self._lock:
                        finished_once = task.token in self._done
                    self._forget(task)
                    if fut.status == "finished":
                        try:
                            results = fut.result()
                        except Exception:  # noqa: BLE001 - its result died with its worker
                            # It ran to the end; only fetching it failed: send it again, uncounted.
                            fut.release()
                            retry.extend(task.again(pair) for pair in task.items)
                            continue
                        fut.release()
                        yield from zip(results, (d for _, d in task.items))
                        continue
                    try:
                        exc = fut.exception()
                    except Exception as e:  # noqa: BLE001 - e.g. cancelled by a lost connection
                        exc = e
                    fut.release()
                    if exc is None:
                        # Done and then "lost": it had finished, but its result went with its
                        # worker before it was read (no error was raised). Send it again,
                        # uncounted, as when fetching a finished result fails.
                        retry.extend(task.again(pair) for pair in task.items)
                        continue
                    if not _worker_lost(exc):
                        for item, digest in task.items:
                            yield crash_result(item, f"{type(exc).__name__}: {exc}"), digest
                        continue
                    lost = task.token not in innocent
                    innocent.discard(task.token)
                    if lost:
                        self.stats.lost_workers += 1
                    if finished_once and task.rescued < MAX_RESCUES:
                        # It had finished; its result went with a worker that died (of another
                        # item, or of returning it). Sent again, not counted against it, at most
                        # MAX_RESCUES times; after that its losses count like any other.
                        self.stats.retried += len(task.items)
                        retry.extend(task.again(pair, rescued=task.rescued + 1)
                                     for pair in task.items)
                        continue
                    if lost and not started and not task.spared:
                        # Lost with its worker before its start was heard of: most likely
                        # queued behind another item's crash. Sent again without counting
                        # against it, once (a start event that never arrived must not let a
                        # real culprit run for ever).
                        self.stats.retried += len(task.items)
                        retry.extend(task.again(pair, spared=1) for pair in task.items)
                        continue
                    for item, digest in task.items:
                        attempts = task.attempts + task.silent + (1 if lost else 0)
                        if attempts > 1:
                            yield crash_result(item, "its worker process died twice"), digest
                        else:
                            self.stats.retried += 1
                            retry.append(task.again((item, digest), attempts=attempts))
                yield from self._rerun_by_dask(inflight, retry)
                if hard is not None:
                    yield from self._kill_overdue(inflight, hard, innocent, retry)
        finally:
            if inflight:
                self.client.cancel(list(inflight), force=True)

    def _note_reruns(self, task: _Task) -> None:
        """Count the runs Dask started again by itself (see :meth:`_rerun_by_dask`)."""
        with self._lock:
            runs = max((self._starts.get((task.token, k), 0) for k in range(len(task.items))),
                       default=0)
            done_at = self._done.get(task.token)
        if done_at is not None:
            # It had run to its end; Dask computes it again because the worker holding its
            # result died: that first repeat is not this task's fault. Repeats beyond it are
            # counted as usual, so a task that kills its worker after finishing (a huge result)
            # is still stopped.
            runs -= done_at
        if runs - 1 > task.silent:
            self.stats.lost_workers += runs - 1 - task.silent
            self.stats.retried += runs - 1 - task.silent
            task.silent = runs - 1

    def _ran(self, task: _Task) -> bool:
        """Whether any item of ``task`` reported its start."""
        with self._lock:
            return any(self._starts.get((task.token, k), 0) for k in range(len(task.items)))

    def _forget(self, task: _Task) -> None:
        with self._lock:
            self._done.pop(task.token, None)
            self._started.pop(task.token, None)
            for k in range(len(task.items)):
                self._starts.pop((task.token, k), None)

    def _rerun_by_dask(self, inflight: dict, retry: list):
        """Dask may run a task again by itself after its worker died (a worker removed "safely",
        or a scheduler allowing retries): an item that starts a second time under one task has
        lost a run. Counted like a loss we saw; an item lost twice is reported, not run again."""
        from .batch import crash_result

        with self._lock:
            starts = dict(self._starts)
        for fut, task in list(inflight.items()):
            runs = [starts.get((task.token, k), 0) for k in range(len(task.items))]
            self._note_reruns(task)
            if task.attempts + task.silent <= 1:
                continue
            inflight.pop(fut)
            self.client.cancel([fut], force=True)
            self._forget(task)
            k = runs.index(max(runs))
            for j, (item, digest) in enumerate(task.items):
                if j == k:
                    yield crash_result(item, "its worker process died twice"), digest
                else:
                    retry.append(task.again((item, digest)))

    def _kill_overdue(self, inflight: dict, hard: float, innocent: set, retry: list):
        from .batch import timeout_result

        now = time.monotonic()
        with self._lock:
            started = dict(self._started)
        for fut, task in list(inflight.items()):
            s = started.get(task.token)
            if fut.done() or s is None or now - s[2] <= hard:
                continue
            worker, pid, _, k = s
            # Others on the same worker are lost with it through no fault of their own.
            for other in inflight.values():
                if other is not task and started.get(other.token, (None,))[0] == worker:
                    innocent.add(other.token)
            try:
                assigned = {str(x) for x in self.client.processing(workers=[worker]).get(worker, [])}
            except Exception:  # noqa: BLE001
                assigned = set()
            for other_fut, other in inflight.items():
                if other is not task and str(other_fut.key) in assigned:
                    innocent.add(other.token)
            inflight.pop(fut)
            self.client.cancel([fut], force=True)
            self._kill(worker, pid)
            self.stats.timeouts_killed += 1
            self._forget(task)
            item, digest = task.items[k]
            yield timeout_result(item, self.timeout), digest
            # The rest of its batch (done or not: results come back per task) goes again.
            retry.extend(task.again(pair) for j, pair in enumerate(task.items) if j != k)

    def _kill(self, worker: str, pid: int) -> None:
        import signal

        if self.cluster is not None:  # our own workers, on this machine: the nanny restarts it
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            return
        threading.Thread(target=self.client.restart_workers, args=([worker],),
                         kwargs={"raise_for_error": False}, daemon=True).start()


def _worker_lost(exc) -> bool:
    from distributed.scheduler import KilledWorker

    return isinstance(exc, KilledWorker) or type(exc).__name__ in ("KilledWorker", "FutureCancelledError") \
        and "worker" in str(exc).lower()


def _dask(items, config: Config, scheduler, jobs, timeout, cache_dir, stats: RunStats,
          on_event) -> Iterator[tuple[DocumentResult, str | None]]:
    with DaskRunner(config, scheduler, jobs, timeout, cache_dir, stats, on_event) as runner:
        yield from runner.run(items)
