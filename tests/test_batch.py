"""Batch scanning: parallel == serial (same results, same order), failures and crashes isolated per
file, per-file time limit (soft in-worker alarm and hard kill), Detector built once per worker,
streaming, progress line only on a terminal."""
from __future__ import annotations

import io
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

import barrier_scan.extract as extract_mod
from barrier_scan import batch
from barrier_scan.pipeline import iter_files
from barrier_scan.config import Config
from barrier_scan.findings import DocumentResult

FIXTURES = Path(__file__).parent / "fixtures" / "tenders"
CFG = Config(use_model=False)


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "in"
    shutil.copytree(FIXTURES, d)
    (d / "sub").mkdir()
    (d / "sub" / "e_fake.pdf").write_bytes(b"this is not a pdf at all")
    (d / "sub" / "f_old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (d / "sub" / "g_more.txt").write_text("Bidders must have a minimum annual turnover of £500,000.\n")
    return d


def strip(r: DocumentResult) -> dict:
    d = r.to_dict()
    d["stats"] = {k: v for k, v in d["stats"].items() if not k.endswith("seconds")}
    return d


def test_parallel_results_identical_to_serial_and_in_input_order(folder):
    files = list(iter_files([folder]))
    serial = list(batch.scan_batch([folder], CFG, jobs=1))
    parallel = list(batch.scan_batch([folder], CFG, jobs=2))
    assert [r.path for r in serial] == files
    assert [strip(r) for r in parallel] == [strip(r) for r in serial]
    errors = {Path(r.path).name: r.error["code"] for r in serial if r.error}
    assert errors == {"d_empty_file.txt": "empty_file", "e_fake.pdf": "corrupt_file",
                      "f_old.doc": "legacy_format"}
    assert all(r.score is not None for r in serial if r.ok)


def _slow_extract(real, marker: str, seconds: float, stuck: str | None = None):
    def fake(path, *a, **kw):
        if marker in os.path.basename(os.fspath(path)):
            if stuck == "sigmask":  # the in-worker alarm is blocked, as in some native code
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            elif stuck == "regex":  # catastrophic backtracking on hostile text (minutes at n=40);
                import re           # _sre checks for signals, so the in-worker alarm stops it
                re.match(r"(a+)+$", "a" * 40 + "b")
            time.sleep(seconds)
        return real(path, *a, **kw)
    return fake


@pytest.mark.parametrize("jobs", [1, 2])
def test_hung_file_times_out_and_the_batch_goes_on(folder, monkeypatch, jobs):
    (folder / "h_slow.txt").write_text("A tender that takes for ever to read.\n")
    monkeypatch.setattr(extract_mod, "extract", _slow_extract(extract_mod.extract, "slow", 60))
    results = list(batch.scan_batch([folder], Config(use_model=False, timeout=1.0), jobs=jobs))
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["h_slow.txt"].error["code"] == "timeout"
    assert "1 s" in by_name["h_slow.txt"].error["message"]
    assert by_name["b_closed_museum_learning.txt"].ok and by_name["g_more.txt"].ok
    assert [r.path for r in results] == list(iter_files([folder]))


@pytest.mark.parametrize("stuck", ["sigmask", "regex"])
def test_file_stuck_past_the_alarm_is_killed_and_others_rerun(folder, monkeypatch, stuck):
    """sigmask: only the parent's kill can stop it; regex: the alarm does. Either way: timeout."""
    serial = {r.path: strip(r) for r in batch.scan_batch([folder], CFG, jobs=1)}
    (folder / "h_stuck.txt").write_text("A tender stuck in native code.\n")
    monkeypatch.setattr(batch, "HARD_GRACE", 0.5)
    monkeypatch.setattr(extract_mod, "extract",
                        _slow_extract(extract_mod.extract, "stuck", 60, stuck=stuck))
    results = list(batch.scan_batch([folder], Config(use_model=False, timeout=1.0), jobs=2))
    stuck = [r for r in results if Path(r.path).name == "h_stuck.txt"][0]
    assert stuck.error["code"] == "timeout"
    others = {r.path: strip(r) for r in results if Path(r.path).name != "h_stuck.txt"}
    assert others == serial  # files in flight when the worker was killed were scanned again


def test_worker_crash_becomes_that_files_error(folder, monkeypatch):
    (folder / "c_crash.txt").write_text("This one takes the worker down.\n")
    real = extract_mod.extract

    def crashing(path, *a, **kw):
        if "crash" in os.path.basename(os.fspath(path)):
            os._exit(70)  # a segfault in a native library looks like this to the pool
        return real(path, *a, **kw)

    monkeypatch.setattr(extract_mod, "extract", crashing)
    results = list(batch.scan_batch([folder], CFG, jobs=2))
    crashed = [r for r in results if Path(r.path).name == "c_crash.txt"]
    assert len(crashed) == 1 and crashed[0].error["code"] == "internal_error"
    assert "stopped unexpectedly" in crashed[0].error["message"]
    ok = [r for r in results if r.ok]
    assert {Path(r.path).name for r in ok} >= {"a_open_arts_on_prescription.md", "g_more.txt"}
    assert [r.path for r in results] == list(iter_files([folder]))


def test_detector_is_built_once_per_worker(folder, tmp_path, monkeypatch):
    import barrier_scan.detect.detector as detect

    log = tmp_path / "inits.log"
    real_init = detect.Detector.__init__

    def counting_init(self, *a, **kw):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        real_init(self, *a, **kw)

    monkeypatch.setattr(detect.Detector, "__init__", counting_init)
    detect.load_detector.cache_clear()
    n_files = len(list(iter_files([folder])))
    results = list(batch.scan_batch([folder], CFG, jobs=2))
    assert len(results) == n_files
    pids = log.read_text().split()
    # Once, in the parent (pre-flight: a broken setup fails the run once); forked workers
    # inherit it. Never once per file.
    assert pids == [str(os.getpid())]
    detect.load_detector.cache_clear()


def test_results_stream_one_at_a_time(folder, monkeypatch):
    seen = []
    real = extract_mod.extract

    def spy(path, *a, **kw):
        seen.append(path)
        return real(path, *a, **kw)

    monkeypatch.setattr(extract_mod, "extract", spy)
    gen = batch.scan_batch([folder], CFG, jobs=1)
    first = next(gen)
    assert first.path == seen[0] and len(seen) == 1
    gen.close()


def test_progress_only_on_a_terminal():
    quiet = io.StringIO()
    p = batch.Progress(3, stream=quiet)
    p(DocumentResult(path="x.pdf"))
    p.close()
    assert quiet.getvalue() == "" and p.done == 1

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    p = batch.Progress(2, stream=tty)
    p(DocumentResult(path="a.pdf"))
    p(DocumentResult(path="b.pdf", error={"code": "timeout", "message": "m"}))
    assert "2/2" in tty.getvalue() and "1 failed" in tty.getvalue()
    p.close()
    assert tty.getvalue().endswith("\r")


def test_empty_input_yields_nothing(tmp_path):
    assert list(batch.scan_batch([tmp_path], CFG, jobs=2)) == []


def test_folder_walk_skips_readme_but_not_when_named(tmp_path):
    (tmp_path / "README.md").write_text("Bidders must have a minimum annual turnover of £1m.\n")
    (tmp_path / "tender.md").write_text("We welcome bids from consortia.\n")
    assert [Path(p).name for p in iter_files([tmp_path])] == ["tender.md"]
    assert list(iter_files([tmp_path / "README.md"])) == [str(tmp_path / "README.md")]
