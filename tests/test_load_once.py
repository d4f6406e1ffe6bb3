"""Rules, spaCy and the classifier are loaded once per process, never once per file (issue 8):
loads are counted per process id across a batch of several files, serial and with 2 workers."""
from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

import barrier_scan.detect.detector as detect
import barrier_scan.detect.model.persist as persist
import barrier_scan.detect.rules.loader as loader
import barrier_scan.segment as segment
from barrier_scan import batch
from barrier_scan.config import Config

SAMPLES = Path(__file__).resolve().parents[1] / "sample_tenders"


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for p in sorted(SAMPLES.iterdir())[:6]:
        if p.suffix in (".pdf", ".docx"):
            shutil.copy(p, d / p.name)
    for i in range(3):
        (d / f"t{i}.md").write_text(f"# Tender {i}\n\nBidders must have a turnover of £{i + 1} million.\n",
                                    encoding="utf-8")
    return d


@pytest.mark.parametrize("jobs", [1, 2])
def test_loaded_once_per_process(folder, tmp_path, monkeypatch, jobs):
    log = tmp_path / "loads.log"

    def counting(name, real):
        def wrapper(*a, **kw):
            with open(log, "a") as fh:
                fh.write(f"{name} {os.getpid()}\n")
            return real(*a, **kw)
        return wrapper

    # Start cold, as a fresh process would (the caches are per process; workers fork from here).
    for fn in (detect._engine, detect._model, detect.load_detector, loader.cached_rules,
               segment.get_nlp):
        fn.cache_clear()
    monkeypatch.setattr(loader, "load_rules", counting("rules", loader.load_rules))
    monkeypatch.setattr(persist, "load_model", counting("model", persist.load_model))
    monkeypatch.setattr(segment.spacy, "blank", counting("spacy", segment.spacy.blank))
    cfg = Config(use_model=True)
    results = list(batch.scan_batch([folder], cfg, jobs=jobs))
    n_files = len(results)
    assert n_files >= 6 and all(r.ok for r in results)
    loads = Counter(tuple(line.split()) for line in log.read_text().splitlines())
    assert {name for name, _ in loads} == {"rules", "model", "spacy"}
    assert all(n == 1 for n in loads.values()), loads  # each thing at most once per process
    pids = {pid for _, pid in loads}
    assert len(pids) <= 1 + (jobs if jobs > 1 else 0)  # parent + workers, not one per file
    for fn in (detect._engine, detect._model, detect.load_detector, loader.cached_rules,
               segment.get_nlp):
        fn.cache_clear()  # leave no counting wrappers cached for other tests
