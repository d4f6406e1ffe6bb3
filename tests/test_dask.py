"""The Dask executor on a real local cluster of two worker processes started by the tests:
same results as the local pool, a worker killed mid-run loses only its in-flight item (sent
again once, then reported), the per-item time limit, and the CLI with its own cluster."""
from __future__ import annotations

import json
import logging
import os
import signal
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from barrier_scan.cli import cli
from barrier_scan.config import Config
from barrier_scan.executors import RunStats, scan_inputs

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

FIXTURES = Path(__file__).parent / "fixtures" / "tenders"
CFG = Config(use_model=False)
PARA = ("The provider will deliver creative workshops for older residents in community venues. "
        "Bidders must hold public liability insurance of £10,000,000 at the time of bidding.\n\n")


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes on 127.0.0.1, as ``--executor dask`` starts them."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.scheduler.worker-saturation": 1.0}):
        c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                     silence_logs=logging.ERROR)
    yield c
    c.close()


def _wait_for_two(cluster):
    with distributed.Client(cluster, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=120)


@pytest.fixture
def inputs(tmp_path):
    d = tmp_path / "in"
    shutil.copytree(FIXTURES, d)
    for i in range(8):  # enough work that items are in flight when a worker is killed
        (d / f"m_{i:02d}.txt").write_text(f"Tender {i}.\n\n" + PARA * 40)
    rel = tmp_path / "releases.jsonl"
    rel.write_text("".join(json.dumps({
        "ocid": f"ocds-dask-{i}", "buyer": {"name": "Test Council"}, "tag": ["tender"],
        "tender": {"title": f"Creative programme {i}", "description": PARA * 5,
                   "value": {"amount": 50_000 + i, "currency": "GBP"}}}) + "\n" for i in range(6)))
    return [d, rel]


def _labels(results):
    return Counter(r.path for r, _ in results)


def _key(r):
    return (r.path, r.score, r.error and r.error["code"], tuple(f.code for f in r.findings))


def test_same_results_as_the_local_pool(cluster, inputs):
    _wait_for_two(cluster)
    local = list(scan_inputs(inputs, CFG, jobs=2, need_digest=True))
    stats = RunStats()
    remote = list(scan_inputs(inputs, CFG, executor="dask", scheduler=cluster.scheduler_address,
                              need_digest=True, stats=stats))
    assert sorted(_key(r) for r, _ in remote) == sorted(_key(r) for r, _ in local)
    assert sorted(d for _, d in remote) == sorted(d for _, d in local)
    assert len(remote) == 4 + 8 + 6 and stats.retried == 0
    # every worker loaded the engine once and scanned: both answered with a peak memory
    assert len(stats.worker_peak_mb) == 2 and all(v > 50 for v in stats.worker_peak_mb.values())


def test_a_worker_killed_mid_run_loses_only_its_item_which_is_sent_again(cluster, inputs):
    _wait_for_two(cluster)
    killed = []

    def kill_once(event):
        # the third item to start: kill the process running it, while it runs
        if event["token"] == "3" and not killed:
            killed.append(event["label"])
            os.kill(event["pid"], signal.SIGKILL)

    stats = RunStats()
    results = list(scan_inputs(inputs, CFG, executor="dask", scheduler=cluster.scheduler_address,
                               stats=stats, on_event=kill_once))
    assert killed, "no item was running when the test meant to kill its worker"
    counts = _labels(results)
    assert len(counts) == 18 and set(counts.values()) == {1}, counts  # every input exactly once
    assert stats.lost_workers >= 1 and stats.retried >= 1
    by = {r.path: r for r, _ in results}
    assert by[killed[0]].ok, by[killed[0]].error  # sent again, scanned on a live worker
    failed = {p: r.error for p, r in by.items() if not r.ok and not p.endswith("d_empty_file.txt")}
    assert not failed, failed


def test_an_item_whose_worker_dies_twice_is_reported(cluster, inputs, tmp_path):
    _wait_for_two(cluster)
    poison = inputs[0] / "p_poison.txt"
    poison.write_text("This file kills its worker.\n")
    deaths = []

    def kill_poison(event):
        if event["label"].endswith("p_poison.txt"):
            deaths.append(event["pid"])
            os.kill(event["pid"], signal.SIGKILL)

    stats = RunStats()
    results = list(scan_inputs(inputs, CFG, executor="dask", scheduler=cluster.scheduler_address,
                               stats=stats, on_event=kill_poison))
    counts = _labels(results)
    assert len(counts) == 19 and set(counts.values()) == {1}
    bad = next(r for r, _ in results if r.path.endswith("p_poison.txt"))
    assert bad.error["code"] == "internal_error" and "died twice" in bad.error["message"]
    # Tried, retried, then reported (never answered twice). Dask itself sometimes starts a task
    # again the moment its worker dies, before the client hears of the loss, so the item may
    # have run more than twice; the client counts what it sees (docs/robustness.md).
    assert len(deaths) >= 2, deaths
    others = {r.path: r.error for r, _ in results if not r.ok and not r.path.endswith("p_poison.txt")}
    assert sum(1 for r, _ in results if r.ok) == 17, others


def test_cli_with_its_own_cluster_time_limit_and_resume(tmp_path, inputs):
    """``--executor dask`` starts its own two-worker cluster; a file past --timeout has its
    worker killed and is answered 'timeout'; the dataset resumes without it done."""
    (inputs[0] / "z_huge.txt").write_text(PARA * 12_000)  # several seconds to scan
    ds = tmp_path / "ds"
    args = ["scan", *map(str, inputs), "--no-model", "--executor", "dask", "--jobs", "2",
            "--timeout", "1", "--format", "parquet", "-o", str(ds), "--exit-zero"]
    r = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "z_huge.txt: took longer than the 1 s limit" in r.stderr
    import pyarrow.parquet as pq

    docs = pq.read_table(ds / "documents").to_pylist()
    assert len(docs) == 19 and len({d["path"] for d in docs}) == 19
    huge = next(d for d in docs if d["path"].endswith("z_huge.txt"))
    assert huge["error_code"] == "timeout"
    # resumed: everything but the timed-out file is skipped; with a generous limit it is done
    args[args.index("--timeout") + 1] = "0"
    r = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "skipped 18 inputs already in" in r.stderr
    from barrier_scan.dataset import connect

    code = connect(ds).execute("SELECT error_code FROM documents WHERE path LIKE '%z_huge.txt'")
    assert code.fetchall() == [(None,)]


def test_inputs_that_fail_before_scanning_pass_through_the_cluster(cluster, tmp_path):
    """A malformed release is answered with its error, as on the local pool (not a crash)."""
    _wait_for_two(cluster)
    rel = tmp_path / "mixed.jsonl"
    good = {"ocid": "ocds-dask-ok", "buyer": {"name": "Test Council"}, "tag": ["tender"],
            "tender": {"title": "Creative programme", "description": PARA}}
    rel.write_text(json.dumps(good) + "\n" + '{"ocid": "ocds-bad", "tender": "not an object"}\n'
                   + "{broken json\n")
    local = list(scan_inputs([rel], CFG, jobs=1, need_digest=True))
    remote = list(scan_inputs([rel], CFG, executor="dask", scheduler=cluster.scheduler_address,
                              need_digest=True))
    assert sorted(_key(r) for r, _ in remote) == sorted(_key(r) for r, _ in local)
    errors = [r.error["code"] for r, _ in remote if r.error]
    assert errors and set(errors) <= {"malformed_notice"}
    assert any(r.ok for r, _ in remote)
