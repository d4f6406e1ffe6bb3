"""The Dask runner's accounting of lost workers, with a scripted stand-in for the client: each
submission of an item follows a script (finish, die before/after finishing), so the rules in
``DaskRunner.run`` are checked exactly, without the races of a real cluster (tests/test_dask.py
covers the real one)."""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from distributed.scheduler import KilledWorker

from barrier_scan.config import Config
from barrier_scan.executors import MAX_RESCUES, DaskRunner, RunStats
from barrier_scan.findings import DocumentResult


class _Future:
    def __init__(self, key, status, value):
        self.key, self.status, self._value = key, status, value

    def done(self):
        return True

    def result(self):
        if self.status != "finished":
            raise self._value
        return self._value

    def exception(self):
        return None if self.status == "finished" else self._value

    def release(self):
        pass

    def add_done_callback(self, fn):
        fn(self)


class _Client:
    """Runs each submission by its item's script: "ok" (start, end, result), "lost" (start, then
    its worker dies), "done-lost" (start, end, then the worker holding the result dies),
    "queued-lost" (no start: lost while waiting), "rerun-lost" (start, end, Dask starts it
    again by itself, that worker dies too)."""

    def __init__(self, runner, scripts):
        self.runner, self.scripts, self.calls = runner, scripts, defaultdict(int)

    def submit(self, fn, items, token, config, cache_dir, report, pure, key):
        [item] = items
        n = self.calls[item]
        self.calls[item] += 1
        script = self.scripts.get(item, [])
        step = script[n] if n < len(script) else "ok"
        start = (0, {"token": token, "index": 0, "worker": "w", "pid": 1, "label": item})
        end = (0, {"token": token, "done": True, "worker": "w", "pid": 1})
        if step != "queued-lost":
            self.runner._on_start(start)
        if step in ("ok", "done-lost", "rerun-lost"):
            self.runner._on_start(end)
        if step == "rerun-lost":
            self.runner._on_start(start)
        if step == "ok":
            return _Future(key, "finished", [DocumentResult(path=item)])
        return _Future(key, "error", KilledWorker(key, "tcp://w", 0))

    def cancel(self, futures, force=False):
        pass


def _run(scripts, items=("a", "b", "c")):
    stats = RunStats()
    runner = DaskRunner(Config(use_model=False), jobs=2, timeout=0, stats=stats,
                        on_event=lambda msg: None)
    client = _Client(runner, scripts)
    runner.client = client
    out = list(runner.run(iter([(i, f"h-{i}") for i in items])))
    answers = Counter(r.path for r, _ in out)
    assert answers == Counter(items), answers  # every item answered exactly once
    return {r.path: r for r, _ in out}, client.calls, stats


def test_a_finished_item_whose_result_is_lost_is_sent_again_uncounted():
    by, calls, stats = _run({"a": ["done-lost", "done-lost"]})
    assert by["a"].ok and calls["a"] == 3
    assert stats.retried == 2


def test_rescues_are_bounded():
    by, calls, _ = _run({"a": ["done-lost"] * 10})
    assert not by["a"].ok and "died twice" in by["a"].error["message"]
    assert calls["a"] == MAX_RESCUES + 2  # the rescues, then one counted loss and its retry


def test_a_repeat_dask_starts_after_the_item_finished_is_free_once():
    by, calls, _ = _run({"a": ["rerun-lost"]})
    assert by["a"].ok and calls["a"] == 2


def test_an_item_that_kills_its_worker_twice_is_reported_and_others_are_not():
    by, calls, stats = _run({"a": ["lost", "lost"], "b": ["queued-lost"]})
    assert not by["a"].ok and "died twice" in by["a"].error["message"]
    assert calls["a"] == 2
    assert by["b"].ok and by["c"].ok
    assert stats.lost_workers >= 2


@pytest.mark.parametrize("first", ["done-lost", "queued-lost"])
def test_a_limit_is_not_reset_by_another_retry_path(first):
    """A bystander or a rescued item keeps its counters when it is sent again: two real losses
    after that still end in 'died twice', not a fresh allowance."""
    by, calls, _ = _run({"a": [first, "lost", "lost", "lost", "lost"]})
    assert not by["a"].ok
    assert calls["a"] == 3
