"""Result cache (``scan --cache DIR``, barrier_scan/cache.py): a second run over unchanged files
skips extraction and detection, and any change to the engine (rules, configuration) or the bytes
invalidates it; entries are JSON, written atomically, and corrupt ones are rewritten."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import barrier_scan.extract as extract_mod
from barrier_scan import batch
from barrier_scan.pipeline import scan_file
from barrier_scan.cache import CACHE_FORMAT, ResultCache, engine_key
from barrier_scan.cli import main
from barrier_scan.config import Config
from barrier_scan.detect.rules.loader import default_rules_dir

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_tenders"

TENDER = """# Creative health programme

Providers must hold a minimum annual turnover of £2,000,000 and three years of audited accounts.

Bidders must have public liability insurance of at least £10 million.

We welcome bids from consortia and small community organisations.
"""


@pytest.fixture(scope="module")
def CFG(tmp_path_factory):
    # A private copy of the rules: the engine key hashes them, and must not change mid-test.
    rules = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(default_rules_dir(), rules)
    return Config(use_model=False, rules_dir=str(rules))


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "tenders"
    d.mkdir()
    (d / "a.md").write_text(TENDER, encoding="utf-8")
    (d / "b.txt").write_text(TENDER.replace("£2,000,000", "£500,000"), encoding="utf-8")
    shutil.copy(SAMPLES / "01_kestrel_vale_creative_minds.pdf", d / "c.pdf")
    shutil.copy(SAMPLES / "02_fenmarsh_museum_dementia_programme.docx", d / "d.docx")
    return d


def _strip(results):
    out = []
    for r in results:
        d = r.to_dict()
        d.pop("stats")
        out.append(d)
    return out


def _forbid_extract(monkeypatch):
    def boom(*a, **kw):
        raise AssertionError("extract called although the result was cached")

    monkeypatch.setattr(extract_mod, "extract", boom)


def _count_extract(monkeypatch) -> list:
    calls = []
    real = extract_mod.extract

    def spy(path, *a, **kw):
        calls.append(Path(path).name)
        return real(path, *a, **kw)

    monkeypatch.setattr(extract_mod, "extract", spy)
    return calls


@pytest.mark.parametrize("jobs", [1, 2])
def test_second_run_hits_the_cache(CFG, folder, tmp_path, monkeypatch, jobs):
    cache = tmp_path / "cache"
    first = list(batch.scan_batch([folder], CFG, jobs=jobs, cache_dir=cache))
    assert all(r.ok for r in first) and len(first) == 4
    assert not any(r.stats.get("cached") for r in first)
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 4
    for e in entries:  # JSON documents, never pickle
        data = json.loads(e.read_text(encoding="utf-8"))
        assert data["format"] == CACHE_FORMAT and len(data["sha256"]) == 64 and "findings" in data["result"]
    _forbid_extract(monkeypatch)
    second = list(batch.scan_batch([folder], CFG, jobs=jobs, cache_dir=cache))
    assert all(r.stats.get("cached") for r in second)
    assert _strip(second) == _strip(first)
    assert not list(cache.rglob("*.tmp"))  # atomic writes leave no temporary files


def test_cache_is_keyed_by_content_not_path(CFG, folder, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=cache))
    moved = tmp_path / "moved"
    shutil.copytree(folder, moved)
    (moved / "a.md").rename(moved / "renamed.md")
    _forbid_extract(monkeypatch)
    results = list(batch.scan_batch([moved], CFG, jobs=1, cache_dir=cache))
    assert all(r.stats.get("cached") for r in results)
    assert {Path(r.path).name for r in results} == {"renamed.md", "b.txt", "c.pdf", "d.docx"}


def test_changed_file_is_rescanned(CFG, folder, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=cache))
    (folder / "a.md").write_text(TENDER + "\nNo minimum turnover applies.\n", encoding="utf-8")
    calls = _count_extract(monkeypatch)
    results = list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=cache))
    assert calls == ["document.md"]  # a private copy of a.md: the bytes hashed are those scanned
    assert [Path(r.path).name for r in results if not r.stats.get("cached")] == ["a.md"]


def test_config_change_invalidates(CFG, folder, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=cache))
    calls = _count_extract(monkeypatch)
    changed = [CFG.with_overrides(ignore=("BP",)), CFG.with_overrides(contract_value=50_000.0),
               CFG.with_overrides(select=("SP",)), CFG.with_overrides(min_confidence=0.5),
               CFG.with_overrides(use_model=True)]
    keys = {engine_key(CFG)} | {engine_key(c) for c in changed}
    assert len(keys) == len(changed) + 1
    list(batch.scan_batch([folder], changed[0], jobs=1, cache_dir=cache))
    assert len(calls) == 4
    # ... and the original configuration still finds its own entries.
    calls.clear()
    list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=cache))
    assert calls == []


def test_rule_change_invalidates(CFG, folder, tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(CFG.rules_dir, rules)
    cfg = CFG.with_overrides(rules_dir=str(rules))
    key = engine_key(cfg)
    cache = tmp_path / "cache"
    list(batch.scan_batch([folder], cfg, jobs=1, cache_dir=cache))
    rule = sorted(rules.rglob("*.yml"))[0]
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert engine_key(cfg) != key
    calls = _count_extract(monkeypatch)
    list(batch.scan_batch([folder], cfg, jobs=1, cache_dir=cache))
    assert len(calls) == 4


def test_corrupt_entries_are_ignored_and_rewritten(CFG, folder, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    first = list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=cache_dir))
    entries = sorted(cache_dir.rglob("*.json"))
    entries[0].write_text("{not json", encoding="utf-8")
    entries[1].write_bytes(b"\x00\xff" * 10)
    data = json.loads(entries[2].read_text(encoding="utf-8"))
    data["result"]["findings"] = [{"nonsense": 1}]
    entries[2].write_text(json.dumps(data), encoding="utf-8")
    calls = _count_extract(monkeypatch)
    second = list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=cache_dir))
    assert len(calls) == 3
    assert _strip(second) == _strip(first)
    for e in entries[:3]:  # rewritten: valid again
        assert json.loads(e.read_text(encoding="utf-8"))["result"]["path"]
    calls.clear()
    list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=cache_dir))
    assert calls == []


def test_errors_from_bytes_are_cached_but_not_timeouts(CFG, tmp_path):
    cache = ResultCache.for_config(tmp_path / "cache", CFG)
    bad = tmp_path / "fake.pdf"
    bad.write_bytes(b"not a pdf at all")
    r = scan_file(bad, CFG, cache=cache)
    assert r.error and cache.misses == 1
    r2 = scan_file(bad, CFG, cache=cache)
    assert r2.error == r.error and cache.hits == 1
    assert not cache.cacheable(batch.timeout_result(bad, 1.0))
    assert not cache.cacheable(batch.crash_result(bad))


def test_unwritable_cache_does_not_stop_the_scan(CFG, folder, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    results = list(batch.scan_batch([folder], CFG, jobs=1, cache_dir=blocker))
    assert len(results) == 4 and all(r.ok for r in results)


def test_cli_cache_option(CFG, folder, tmp_path, monkeypatch):
    monkeypatch.setenv("BARRIER_SCAN_NO_CONFIG", "1")
    monkeypatch.setenv("BARRIER_SCAN_RULES", CFG.rules_dir)  # a private, unchanging rule set
    cache = tmp_path / "cache"
    out1, out2 = tmp_path / "r1.json", tmp_path / "r2.json"
    args = ["scan", str(folder), "--format", "json", "--no-model", "--exit-zero", "-q",
            "--jobs", "2", "--cache", str(cache)]
    with pytest.raises(SystemExit) as e:
        main(args + ["-o", str(out1)])
    assert e.value.code == 0
    _forbid_extract(monkeypatch)
    with pytest.raises(SystemExit) as e:
        main(args + ["-o", str(out2)])
    assert e.value.code == 0
    docs1 = json.loads(out1.read_text(encoding="utf-8"))["documents"]
    docs2 = json.loads(out2.read_text(encoding="utf-8"))["documents"]
    assert all(d["stats"].get("cached") for d in docs2)
    for d in docs1 + docs2:
        d.pop("stats")
    assert docs1 == docs2
