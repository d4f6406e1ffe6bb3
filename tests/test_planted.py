"""Recall on the signals planted on purpose in the ten sample tenders (sample_tenders/planted.yaml).

Each planted signal is ``{family, label, polarity, contains}``. It counts as **found** when a finding
with the same polarity quotes a sentence that (whitespace-normalised, lower case) contains the
planted text, or is contained in it (a planted clause may span a sentence split; a contained
sentence must be at least four words, so a table cell such as "Fee" or "Lot" does not count).

Some barriers are about the document as a whole rather than one sentence, and the engine reports
them once per document with no quoted sentence. For those (family, polarity) pairs the matching
document-level rule having fired on that document also counts (``DOCUMENT_LEVEL`` below):

- B6 barrier (no lots)                    -> PD201 no lots and no reason given
- B7 barrier (outputs only, no outcomes)  -> OC201 no outcome statements in the document
- B9 barrier (no market engagement)       -> PD202 no engagement, event or co-design mentioned
- B10 barrier (deadline date)             -> PD204 tender window short / below the minimum
- B10 strength (long tender period)       -> OP201 six weeks or more to bid

Rules only (``Config(use_model=False)``) always runs; the combined run (rules + classifier) runs
only when a model is installed in models/default and loads. Recall per file and per family is
printed (``pytest -s``) and written to tests/artifacts/planted_recall.txt. The floors are a little
below the measured recall, as a regression guard: raise them when recall improves.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from barrier_scan import Config, scan_file

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "sample_tenders"
PLANTED = yaml.safe_load((SAMPLES / "planted.yaml").read_text(encoding="utf-8"))
MODEL_DIR = ROOT / "models" / "default"
ARTIFACT = ROOT / "tests" / "artifacts" / "planted_recall.txt"

DOCUMENT_LEVEL = {
    ("B6", "barrier"): {"PD201"},
    ("B7", "barrier"): {"OC201"},
    ("B9", "barrier"): {"PD202"},
    ("B10", "barrier"): {"PD204"},
    ("B10", "strength"): {"OP201"},
}

# Floors a little below what the rules achieve. Measured 2026-11-25 with 84 rules: rules only
# 145/145 (before this test and the rule work: 88/145), rules + model 145/145 (before: 117/145).
# The rules were improved while reading these samples, so this is recall on development data.
RULES_FLOOR_TOTAL = 0.97          # at most 4 of 145 missed
RULES_MAX_MISSES_PER_FILE = 2     # files hold 9 to 29 signals
RULES_MAX_MISSES_PER_FAMILY = 0.10  # share of a family's signals, but always at least one
# The learned combination can withhold a rule finding it does not confirm (#17); on the samples it
# withholds 7 of 145 planted strengths (TUPE clarity, "or any equivalent ...") whose wording the
# labelled real text rarely marks as openness. Measured 2026-12-04: 138/145.
COMBINED_FLOOR_TOTAL = 0.93


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def signal_found(signal: dict, result) -> bool:
    want = norm(signal["contains"])
    for f in result.findings:
        if f.polarity != signal["polarity"]:
            continue
        sent = norm(f.evidence.sentence)
        if sent and (want in sent or (sent in want and (sent == want or len(sent.split()) >= 4))):
            return True
    doc_codes = DOCUMENT_LEVEL.get((signal["family"], signal["polarity"]), set())
    # (the window findings now point to the deadline sentence, so a quoted sentence is allowed)
    return any(f.code in doc_codes and f.polarity == signal["polarity"] for f in result.findings)


def recall_table(results: dict) -> tuple[dict, dict, list, int, int]:
    per_file, per_family, misses = {}, defaultdict(lambda: [0, 0]), []
    hit = total = 0
    for name, signals in PLANTED.items():
        n = k = 0
        for s in signals:
            ok = signal_found(s, results[name])
            n += 1
            k += ok
            per_family[s["family"]][0] += ok
            per_family[s["family"]][1] += 1
            if not ok:
                misses.append((name, s["family"], s["polarity"], s["contains"]))
        per_file[name] = (k, n)
        hit += k
        total += n
    return per_file, dict(per_family), misses, hit, total


def report(title: str, results: dict) -> str:
    per_file, per_family, misses, hit, total = recall_table(results)
    lines = [f"{title}: {hit}/{total} = {hit / total:.2f}", "per file:"]
    lines += [f"  {name:55s} {k:3d}/{n:<3d} {k / n:.2f}" for name, (k, n) in per_file.items()]
    lines.append("per family:")
    fams = sorted(per_family, key=lambda f: int(f[1:]))
    lines += [f"  {f:4s} {per_family[f][0]:3d}/{per_family[f][1]:<3d} "
              f"{per_family[f][0] / per_family[f][1]:.2f}" for f in fams]
    if misses:
        lines.append("missed:")
        lines += [f"  {n[:30]} {fam} {pol}: {c}" for n, fam, pol, c in misses]
    return "\n".join(lines)


def _record(text: str) -> None:
    print("\n" + text)
    try:
        ARTIFACT.parent.mkdir(exist_ok=True)
        with open(ARTIFACT, "a", encoding="utf-8") as fh:
            fh.write(text + "\n\n")
    except OSError:  # a read-only checkout still runs the test
        pass


def _scan_all(config: Config) -> dict:
    results = {}
    for name in PLANTED:
        r = scan_file(SAMPLES / name, config)
        assert r.ok, f"{name}: {r.error}"
        results[name] = r
    return results


@pytest.fixture(scope="module")
def rules_results():
    if ARTIFACT.exists():
        ARTIFACT.unlink()
    return _scan_all(Config(use_model=False))


@pytest.fixture(scope="module")
def combined_results():
    if not (MODEL_DIR / "model.npz").is_file():
        pytest.skip(f"no trained model in {MODEL_DIR}: combined recall not measured")
    try:
        from barrier_scan.detect.model.persist import load_model

        load_model(str(MODEL_DIR))
    except Exception as e:  # noqa: BLE001 - a model still being built is not this test's failure
        pytest.skip(f"model in {MODEL_DIR} does not load ({type(e).__name__}: {e})")
    return _scan_all(Config(use_model=True, model_dir=str(MODEL_DIR)))


def test_planted_file_lists_every_sample():
    names = {p.name for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx")}
    assert set(PLANTED) == names
    assert sum(len(v) for v in PLANTED.values()) >= 140


def test_matching_is_strict():
    """The matcher itself: polarity must agree, and a short table cell is not a match."""
    from barrier_scan.findings import DocumentResult, Evidence, Finding

    def res(sentence, polarity="barrier", code="SP101"):
        ev = Evidence(text=sentence or "", sentence=sentence)
        return DocumentResult(path="x", findings=[Finding(code=code, category="over_specification",
                                                          polarity=polarity, severity="low",
                                                          message="m", evidence=ev)])

    sig = {"family": "B1", "polarity": "barrier", "contains": "must be hired from Acme Ltd"}
    assert signal_found(sig, res("All lights must be hired from  Acme Ltd only."))
    assert not signal_found(sig, res("All lights must be hired from Acme Ltd only.", "strength"))
    assert not signal_found(sig, res("Acme"))
    # a document-level finding counts only for its mapped family and polarity
    assert not signal_found(sig, res(None, code="PD201"))
    assert signal_found({**sig, "family": "B6"}, res(None, code="PD201"))
    assert not signal_found({**sig, "family": "B6", "polarity": "strength"},
                            res(None, "strength", code="PD201"))


def test_rules_only_recall(rules_results):
    text = report("rules only", rules_results)
    _record(text)
    per_file, per_family, _, hit, total = recall_table(rules_results)
    assert hit / total >= RULES_FLOOR_TOTAL, text
    for name, (k, n) in per_file.items():
        assert n - k <= RULES_MAX_MISSES_PER_FILE, f"{name}: {k}/{n}\n{text}"
    for fam, (k, n) in per_family.items():
        allowed = max(1, int(RULES_MAX_MISSES_PER_FAMILY * n))
        assert n - k <= allowed, f"{fam}: {k}/{n}\n{text}"


def test_combined_recall(rules_results, combined_results):
    text = report("rules + model", combined_results)
    _record(text)
    _, _, misses, hit, total = recall_table(combined_results)
    assert hit / total >= COMBINED_FLOOR_TOTAL, text
    # every planted barrier is still found: the combination withholds only strengths here
    assert not [m for m in misses if m[2] == "barrier"], text
