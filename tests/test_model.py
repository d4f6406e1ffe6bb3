"""Sentence classifier: persistence, prediction, determinism, grouped CV, evaluation maths."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from barrier_scan.taxonomy import SENTENCE_CATEGORIES as LABELS
from barrier_scan.detect.model.classifier import SentenceModel
from barrier_scan.detect.model.folds import grouped_folds
from barrier_scan.evaluation.data import (label_matrix, load_jsonl, own_example_paths,
                                          rules_fingerprint, sha256_file)
from barrier_scan.evaluation.evaluate import evaluate_file
from barrier_scan.evaluation.metrics import best_threshold, prf_report, three_systems
from barrier_scan.detect.model import compiled
from barrier_scan.detect.model.persist import load_model, read_metadata

REPO = Path(__file__).resolve().parents[1]
OWN = REPO / "models" / "training" / "examples.jsonl"


def _own_subset(n_sources: int = 10):
    """A small, fast training set: the first ``n_sources`` pseudo-documents of our examples."""
    ex = load_jsonl(OWN)
    keep = []
    for s in dict.fromkeys(e.source for e in ex):
        keep.append(s)
        if len(keep) == n_sources:
            break
    ex = [e for e in ex if e.source in keep]
    return [e.text for e in ex], label_matrix(e.labels for e in ex), [e.group for e in ex]


@pytest.fixture(scope="module")
def small():
    X, Y, g = _own_subset()
    model = SentenceModel(calibration_folds=3).fit(X, Y, groups=g)
    return X, Y, g, model


# -- labels and data --------------------------------------------------------------------------
def test_labels_are_the_shared_sentence_categories():
    from barrier_scan.taxonomy import SENTENCE_CATEGORIES

    assert LABELS == ("over_specification", "burden_of_proof", "outcome_language", "openness")
    assert LABELS == SENTENCE_CATEGORIES


def test_own_examples_are_valid_and_grouped():
    ex = load_jsonl(OWN)
    assert len(ex) >= 250
    assert len({e.id for e in ex}) == len(ex)
    sources = {}
    for e in ex:
        assert e.source.startswith("own:")
        sources[e.source] = sources.get(e.source, 0) + 1
    assert all(8 <= n <= 25 for n in sources.values()), sources
    Y = label_matrix(e.labels for e in ex)
    assert (Y.sum(axis=0) >= 30).all()  # every label well represented
    assert (Y.sum(axis=1) == 0).sum() >= 100  # plenty of negatives


def test_load_jsonl_rejects_unknown_labels(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps({"id": "1", "text": "x", "labels": ["barrier"]}) + "\n")
    with pytest.raises(ValueError, match="unknown label"):
        load_jsonl(p)


def test_grouped_folds_never_split_a_source():
    rng = np.random.default_rng(0)
    groups = np.array([f"doc{i % 23}" for i in range(300)])
    Y = (rng.random((300, 4)) < 0.15).astype(int)
    folds = grouped_folds(groups, Y, n_splits=5, seed=0)
    assert len(folds) == 5
    seen = np.zeros(300, dtype=int)
    for tr, te in folds:
        assert not set(groups[tr]) & set(groups[te])
        assert len(set(tr) | set(te)) == 300
        seen[te] += 1
    assert (seen == 1).all()  # every sentence tested exactly once
    again = grouped_folds(groups, Y, n_splits=5, seed=0)
    assert all((a[1] == b[1]).all() for a, b in zip(folds, again))


# -- classifier -------------------------------------------------------------------------------
def test_predict_proba_shape_and_range(small):
    X, Y, g, model = small
    P = model.predict_proba(X[:7] + ["", "£5m"])
    assert P.shape == (9, 4)
    assert np.isfinite(P).all() and (P >= 0).all() and (P <= 1).all()
    assert model.predict_proba([]).shape == (0, 4)
    assert model.oof_proba_.shape == Y.shape
    preds = model.predict(X[:5])
    assert len(preds) == 5 and all(p <= set(LABELS) for p in preds)


def test_probabilities_rank_training_labels(small):
    X, Y, g, model = small
    P = model.predict_proba(X)
    for j in range(4):  # fitted data: positives score above negatives on average
        assert P[Y[:, j] == 1, j].mean() > P[Y[:, j] == 0, j].mean() + 0.2


def test_training_is_deterministic(small):
    X, Y, g, model = small
    again = SentenceModel(calibration_folds=3).fit(X, Y, groups=g)
    assert np.array_equal(model.predict_proba(X), again.predict_proba(X))
    assert np.array_equal(model.calibration_, again.calibration_)


def test_ensemble_family_stacks_members():
    X, Y, g = _own_subset(6)
    m = SentenceModel(family="logreg+cnb", calibration_folds=3).fit(X, Y, groups=g)
    assert m.calibration_.shape == (4, 3)  # one weight per member + intercept
    P = m.predict_proba(X)
    assert P.shape == (len(X), 4) and ((P >= 0) & (P <= 1)).all()
    with pytest.raises(ValueError, match="unknown family"):
        SentenceModel(family="logreg+forest").fit(X, Y)


def test_decide_combines_rules_and_thresholds(small):
    model = small[3]
    P = np.array([[0.9, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.1]])
    th = {lab: 0.5 for lab in LABELS}
    assert model.decide(P, thresholds=th) == [{"over_specification"}, set()]
    assert model.decide(P, thresholds=th, rule_labels=[set(), {"openness"}]) == \
        [{"over_specification"}, {"openness"}]


def test_wordwise_char_vectorizer_matches_sklearn():
    from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    from barrier_scan.detect.model.features import WordwiseCharVectorizer, normalise_text

    X = [normalise_text(t) for t in _own_subset(6)[0]]
    ref = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                          lowercase=False).fit(X[:60])
    ours = make_pipeline(WordwiseCharVectorizer((2, 5), 2),
                         TfidfTransformer(sublinear_tf=True)).fit(X[:60])
    assert ours[0].vocabulary_ == ref.vocabulary_
    assert abs(ref.transform(X) - ours.transform(X)).max() < 1e-6


def test_normalisation_hides_amounts():
    from barrier_scan.detect.model.features import normalise_text

    assert normalise_text("Turnover of £3 million and 2 years’ accounts") == \
        "turnover of zmoney and znum years' accounts"


# -- export and persistence -------------------------------------------------------------------
def _system(model):
    """A fitted stage 1 with a trivial combiner (weights only on the stage-1 logits)."""
    from sklearn.linear_model import LogisticRegression

    from barrier_scan.evaluation.protocol import System

    from barrier_scan.evaluation.protocol import LabelCombiner, combiner_columns

    families = [f"B{i}" for i in range(1, 14)]
    columns = combiner_columns(families, {"burden_of_proof": ["B2", "B4"]})
    rng = np.random.default_rng(0)
    X = np.column_stack([np.linspace(-3, 3, 40)] * 4 + [rng.integers(0, 2, (40, 8 + 13))])
    y = (np.arange(40) >= 20).astype(int)
    comb = [LabelCombiner(LogisticRegression().fit(X[:, cols], y), cols) for cols in columns]
    th = {lab: 0.5 for lab in LABELS}
    return System(stage1=model, combiner=comb, families=families,
                  thresholds=th, combined_thresholds=dict(th))


def test_each_label_is_combined_from_its_own_evidence_only():
    """Stage 2 of a label reads its logit, its rule hit and severity and its own families: the
    hit of a family whose rules never give the label does not move it."""
    from barrier_scan.detect.model.compiled import combiner_inputs
    from barrier_scan.evaluation.protocol import combiner_columns, combiner_proba

    system = _system(SentenceModel())
    families = system.families
    cols = combiner_columns(families, {"burden_of_proof": ["B2", "B4"]})
    k = len(LABELS)
    b = LABELS.index("burden_of_proof")
    assert cols[b] == [b, k + b, 2 * k + b, 3 * k + 1, 3 * k + 3]
    assert all(len(c) == 3 for j, c in enumerate(cols) if j != b)
    probs = np.full((1, k), 0.3)
    base = combiner_proba(system.combiner, combiner_inputs(probs, [[]], LABELS, families))
    other = combiner_proba(system.combiner, combiner_inputs(
        probs, [[("openness", "B9", "high")]], LABELS, families))
    assert other[0, b] == base[0, b]
    own = combiner_proba(system.combiner, combiner_inputs(
        probs, [[("openness", "B2", "high")]], LABELS, families))
    assert own[0, b] != base[0, b]


ODD = ["", "£1,000,000 turnover; 3 years' accounts (audited)", "Ça va — naïve café ™ ®",
       "a" * 300, "Bidders must hold ISO 9001 and Cyber Essentials Plus.",
       "We welcome consortia of small organisations!", "12 34 56 £7k £8m GBP 9 million"]


@pytest.mark.parametrize("lemmas", [False, True])
def test_exported_model_predicts_exactly_as_sklearn(tmp_path, lemmas):
    """The plain-array model scans with NumPy alone; its probabilities equal scikit-learn's."""
    from barrier_scan.evaluation.export import export
    from barrier_scan.evaluation.train import check_equivalence

    X, Y, g = _own_subset()
    m = SentenceModel(calibration_folds=3, lemmas=lemmas).fit(X, Y, groups=g)
    spec, arrays = export(_system(m))
    compiled.save(tmp_path / "m", spec, arrays)
    loaded = compiled.load(tmp_path / "m")
    held_out = [e.text for e in load_jsonl(OWN)][-60:] + ODD
    assert check_equivalence(_system(m), loaded, held_out) <= 1e-5
    assert np.abs(loaded.predict_proba(held_out) - m.predict_proba(held_out)).max() <= 1e-5
    # and a real difference is caught, in stage 1 or in the combination
    for name in ("coef", "combiner_coef"):
        bad = dict(arrays, **{name: arrays[name] * 1.01})
        compiled.save(tmp_path / f"bad-{name}", spec, bad)
        with pytest.raises(RuntimeError, match="differs"):
            check_equivalence(_system(m), compiled.load(tmp_path / f"bad-{name}"), held_out)


def test_analyzers_match_sklearn():
    from sklearn.feature_extraction.text import CountVectorizer

    from barrier_scan.detect.model.compiled import char_wb_ngrams, word_ngrams

    word = CountVectorizer(ngram_range=(1, 2), lowercase=False).build_analyzer()
    char = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False).build_analyzer()
    for text in ODD + ["a b", "x", "  two   spaces  ", "tab\tand\nnewline"]:
        assert word_ngrams(text, 1, 2) == word(text), text
        assert char_wb_ngrams(text, 2, 5) == char(text), text


def test_model_files_hold_numbers_and_strings_only(tmp_path):
    """An array of Python objects (what pickle would need) is refused when loading."""
    from barrier_scan.evaluation.export import export

    X, Y, g = _own_subset()
    spec, arrays = export(_system(SentenceModel(calibration_folds=3).fit(X, Y, groups=g)))
    arrays["coef"] = np.array([object()] * 3, dtype=object)
    with open(tmp_path / "model.npz", "wb") as fh:
        np.savez(fh, **arrays)
    (tmp_path / "model.json").write_text(json.dumps({"format": compiled.FORMAT, **spec}))
    with pytest.raises(ValueError, match="allow_pickle"):
        compiled.load(tmp_path)


def test_stale_model_format_is_refused(tmp_path):
    (tmp_path / "model.json").write_text(json.dumps({"format": 1}))
    np.savez(tmp_path / "model.npz", x=np.zeros(1))
    with pytest.raises(compiled.ModelFormatError, match="retrain"):
        compiled.load(tmp_path)


def test_load_model_missing_and_env(tmp_path, monkeypatch):
    assert load_model(tmp_path / "nothing-here") is None
    monkeypatch.setenv("BARRIER_SCAN_MODEL", str(REPO / "models" / "default"))
    assert load_model() is not None
    monkeypatch.setenv("BARRIER_SCAN_MODEL", str(tmp_path / "nothing-here"))
    assert load_model() is None


# -- evaluation maths -------------------------------------------------------------------------
def test_prf_report_hand_computed():
    Y = np.array([[1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
    Yp = np.array([[1, 0, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0], [0, 0, 0, 1]])
    r = prf_report(Y, Yp)
    over = r["per_label"]["over_specification"]  # tp 1, fp 1, fn 1
    assert (over["precision"], over["recall"], over["f1"]) == (0.5, 0.5, 0.5)
    assert r["per_label"]["burden_of_proof"]["f1"] == 1.0
    assert r["per_label"]["outcome_language"]["f1"] == 0.0  # no support, no predictions
    assert r["per_label"]["openness"]["precision"] == 0.0
    assert r["macro"]["f1"] == pytest.approx((0.5 + 1.0 + 0 + 0) / 4)
    # micro: tp 2, fp 2, fn 1 -> P 0.5, R 2/3, F1 4/7
    assert r["micro"]["precision"] == 0.5
    assert r["micro"]["recall"] == pytest.approx(0.6667, abs=1e-4)
    assert r["micro"]["f1"] == pytest.approx(0.5714, abs=1e-4)


def test_best_threshold_accounts_for_rules():
    y = np.array([1, 1, 0, 0])
    p = np.array([0.9, 0.3, 0.6, 0.1])
    # alone: t in (0.1, 0.3] finds both positives with one false alarm (F1 0.8); tie -> nearest 0.5
    assert best_threshold(y, p) == 0.3
    # the rule already finds the second positive, so a high threshold is best
    rule = np.array([0, 1, 0, 0])
    t = best_threshold(y, p, rule)
    assert 0.6 < t <= 0.9


class FixedModel:
    """Stand-in model: probabilities looked up by text."""

    def __init__(self, table):
        self.table = table
        self.labels_ = LABELS
        self.thresholds_ = {lab: 0.5 for lab in LABELS}
        self.combined_thresholds_ = {lab: 0.7 for lab in LABELS}

    def predict_proba(self, texts):
        return np.array([self.table[t] for t in texts], dtype=float).reshape(-1, 4)

    def combine(self, probs, hits):
        """A stand-in combination: a rule hit lifts its label to 0.9, else the model's own."""
        out = np.array(probs, dtype=float)
        for i, h in enumerate(hits):
            for category, _, _ in h:
                out[i, LABELS.index(category)] = 0.9
        return out


def test_evaluate_file_three_systems(tmp_path):
    rows = [
        ("a", "Turnover of £1m required.", ["burden_of_proof"]),
        ("b", "We welcome consortia.", ["openness"]),
        ("c", "Deadline is noon.", []),
        ("d", "Three years of audited accounts.", ["burden_of_proof"]),
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps({"id": i, "source": "s", "text": t, "labels": lab}) + "\n"
                            for i, t, lab in rows))
    table = {
        "Turnover of £1m required.": [0, 0.6, 0, 0],  # model-only yes, combined (0.7) no
        "We welcome consortia.": [0, 0, 0, 0.9],
        "Deadline is noon.": [0, 0.8, 0, 0],  # a false positive in both
        "Three years of audited accounts.": [0, 0.1, 0, 0],
    }
    rules = {"Turnover of £1m required.": {"burden_of_proof"}, "Three years of audited accounts.":
             {"burden_of_proof"}}
    out = tmp_path / "pred.jsonl"
    res = evaluate_file(path, rules_fn=lambda ts: [rules.get(t, set()) for t in ts],
                        model=FixedModel(table), predictions_out=out)
    b = "burden_of_proof"
    assert res["rules"]["per_label"][b]["f1"] == 1.0
    assert res["rules"]["per_label"]["openness"]["recall"] == 0.0
    m = res["model"]["per_label"][b]  # tp 1 (a), fp 1 (c), fn 1 (d)
    assert (m["precision"], m["recall"], m["f1"]) == (0.5, 0.5, 0.5)
    c = res["combined"]["per_label"][b]  # rules lift a, d to 0.9; c (0.8) passes 0.7 alone
    assert (c["tp"], c["fp"], c["fn"]) == (2, 1, 0)
    assert c["precision"] == pytest.approx(0.6667, abs=1e-4) and c["recall"] == 1.0
    assert res["combined"]["per_label"]["openness"]["f1"] == 1.0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c", "d"]
    assert lines[0]["labels"] == [b] and lines[1]["labels"] == ["openness"]
    assert lines[2]["labels"] == [b] and lines[2]["scores"][b] == 0.8
    assert set(lines[3]["scores"]) == set(LABELS)
    from barrier_scan.evaluation.evaluate import format_text

    table = format_text(res)
    assert all(lab in table for lab in LABELS) and "macro" in table and "micro" in table


def test_three_systems_with_silent_rules_equals_model():
    Y = np.array([[1, 0, 0, 1], [0, 1, 0, 0]])
    P = np.array([[0.8, 0.2, 0.1, 0.4], [0.3, 0.9, 0.2, 0.1]])
    th = {lab: 0.5 for lab in LABELS}
    r = three_systems(Y, P, np.zeros_like(Y), th, th)
    assert r["model"] == r["combined"]
    assert r["rules"]["macro"]["f1"] == 0.0


def test_dev_slice_is_by_buyer_and_stable():
    from barrier_scan.evaluation.protocol import is_dev

    assert is_dev(None) is False and is_dev("") is False
    buyers = [f"buyer {i}" for i in range(400)]
    share = sum(is_dev(b) for b in buyers) / len(buyers)
    assert 0.18 < share < 0.32  # about one in four buyers
    assert [is_dev(b) for b in buyers] == [is_dev(b) for b in buyers]


# -- training end to end (small data) ---------------------------------------------------------
def test_train_model_writes_a_loadable_model(tmp_path):
    from barrier_scan.evaluation.train import train_model

    X, Y, g = _own_subset(12)
    ex = [e for e in load_jsonl(OWN) if e.text in set(X)]
    data = tmp_path / "examples.jsonl"
    data.write_text("".join(json.dumps({"id": e.id, "source": e.source, "text": e.text,
                                        "labels": sorted(e.labels)}) + "\n" for e in ex))
    meta = train_model(tmp_path / "out", data_paths=[data], seed=0, cv=False)
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} == {"model.json", "model.npz", "metadata.json",
                                              "MODEL_CARD.md"}
    md = json.loads((out / "metadata.json").read_text())
    assert set(md["thresholds"]) == {"model", "combined"}
    assert md["data_files"][0]["sha256"] == sha256_file(data)
    assert md["export_max_difference"] <= 1e-5
    assert md["rules_fingerprint"]["files"] > 50
    assert "## Results" in (out / "MODEL_CARD.md").read_text()
    json.dumps(meta)
    loaded = load_model(out)
    assert loaded.combined_thresholds_ == md["thresholds"]["combined"]
    P = loaded.predict_proba(X[:20])
    assert P.shape == (20, 4)
    Pc = loaded.combine(P, [[("burden_of_proof", "B2", "high")]] + [[]] * 19)
    assert Pc.shape == (20, 4) and ((0 <= Pc) & (Pc <= 1)).all()


# -- the committed model ----------------------------------------------------------------------
OBVIOUS = [
    ("Bidders must have a minimum annual turnover of £3 million.", "burden_of_proof"),
    ("Tenderers must submit three years of audited accounts with their bid.", "burden_of_proof"),
    ("We welcome bids from consortia and from voluntary and community organisations.",
     "openness"),
    ("The contract has been divided into four lots and you may bid for any of them.",
     "openness"),
    ("The service should reduce loneliness and improve the wellbeing of older residents.",
     "outcome_language"),
    ("Each library must host exactly 40 craft sessions a year using the Council's own "
     "lesson plans.", "over_specification"),
]


@pytest.fixture(scope="module")
def committed():
    model = load_model(REPO / "models" / "default")
    if model is None:
        pytest.fail("models/default has no model: run `barrier-scan train`")
    return model


def test_committed_system_finds_obvious_sentences():
    """Rules and model together, as a scan sees them (one snippet per sentence)."""
    from barrier_scan import Config, scan_text

    cfg = Config(use_model=True)
    for text, label in OBVIOUS:
        cats = {f.category for f in scan_text(text, cfg).findings}
        assert label in cats, (text, cats)
    for neutral in ("Tenders must be submitted through the portal by noon on 3 March.",
                    "The Council may terminate the contract on three months' notice."):
        cats = {f.category for f in scan_text(neutral, cfg).findings}
        assert not cats & {"over_specification", "burden_of_proof"}, (neutral, cats)


def test_committed_model_metadata_matches_committed_data(committed):
    md = read_metadata(REPO / "models" / "default")
    assert set(md["thresholds"]["combined"]) == set(LABELS)
    assert committed.combined_thresholds_ == md["thresholds"]["combined"]
    own = {Path(f["path"]).name: f["sha256"] for f in md["data_files"]
           if f["path"].startswith("models/")}
    assert own == {p.name: sha256_file(p) for p in own_example_paths()}, \
        "models/training changed since the committed model was trained: retrain"
    size = sum((REPO / "models" / "default" / n).stat().st_size for n in ("model.json", "model.npz"))
    assert size < 10_000_000


def test_committed_model_was_trained_with_the_current_rules():
    """The combination weighs what the rules fire: a rule change needs a retrain."""
    md = read_metadata(REPO / "models" / "default")
    recorded = (md or {}).get("rules_fingerprint")
    current = rules_fingerprint(REPO / "rules")
    assert recorded, ("models/default/metadata.json has no rules_fingerprint: "
                      "retrain: barrier-scan train")
    assert recorded == current, (
        f"rules/ changed since the committed model was trained (model: {recorded['files']} "
        f"files {recorded['sha256'][:12]}, now: {current['files']} files "
        f"{current['sha256'][:12]}): the combined thresholds no longer match the rules; "
        "retrain: barrier-scan train")


def test_rules_fingerprint_sees_every_rule_change(tmp_path):
    rules = tmp_path / "rules"
    (rules / "openness").mkdir(parents=True)
    (rules / "openness" / "OP900.yml").write_text("code: OP900\n")
    (rules / "README.md").write_text("notes\n")
    base = rules_fingerprint(rules)
    assert base["files"] == 1
    assert rules_fingerprint(rules) == base  # deterministic
    (rules / "README.md").write_text("other notes\n")  # not a rule file
    assert rules_fingerprint(rules) == base
    (rules / "openness" / "OP900.yml").write_text("code: OP900 \n")  # one byte more
    edited = rules_fingerprint(rules)
    assert edited["sha256"] != base["sha256"]
    (rules / "openness" / "OP900.yml").rename(rules / "openness" / "OP901.yml")  # renamed
    assert rules_fingerprint(rules)["sha256"] != edited["sha256"]
    (rules / "openness" / "OP902.yml").write_text("code: OP902\n")  # added
    assert rules_fingerprint(rules)["files"] == 2


CORPUS = REPO.parent / "shared" / "corpus" / "labelled" / "train.jsonl"


@pytest.mark.corpus
def test_evaluate_committed_model_on_corpus(tmp_path, committed):
    if not CORPUS.is_file():
        pytest.skip("../shared/corpus/labelled/train.jsonl not present")
    out = tmp_path / "pred.jsonl"
    res = evaluate_file(CORPUS, model=committed, predictions_out=out,
                        rules_fn=lambda ts: [set() for _ in ts])
    n = sum(1 for line in CORPUS.open() if line.strip())
    assert res["n"] == n
    assert len(out.read_text().splitlines()) == n
    assert res["rules"]["macro"]["f1"] == 0.0  # rules silenced
    assert res["model"]["macro"]["f1"] > 0.5  # the model has seen these sentences


def test_threshold_ceiling_tells_ranking_from_thresholds():
    """A perfect ranking has ceiling 1.0 whatever the thresholds; a reversed one stays low."""
    import numpy as np

    from barrier_scan.evaluation.protocol import threshold_ceiling

    Y = np.zeros((20, 4), int)
    Y[:5] = 1
    good = np.linspace(1, 0, 20)[:, None].repeat(4, 1)  # positives ranked first
    c = threshold_ceiling(Y, good)
    assert c["macro_max_f1"] == 1.0 and c["burden_of_proof"]["recall_at_precision_0.80"] == 1.0
    bad = good[::-1]
    c = threshold_ceiling(Y, bad)
    assert c["burden_of_proof"]["max_f1"] < 0.5
    assert c["burden_of_proof"]["recall_at_precision_0.80"] == 0.0
