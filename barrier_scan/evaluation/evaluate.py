"""``barrier-scan evaluate``: rules, classifier and their combination scored on labelled sentences.

Three systems are always scored on the same sentences with the one scorer (``metrics.py``):

- ``rules``    — the categories the rules fire, each sentence checked on its own as a snippet
  (``Detector.run_sentences``: the same path a scanned file takes, minus absence rules);
- ``model``    — the classifier alone, probability >= its model-only thresholds;
- ``combined`` — what a scan reports: the learned combination of the model's probabilities and
  the rules' hits (``detect/model/compiled.py``), at its thresholds.

Options add, for reading while improving rules (never paste what you read into a rule): the
sentences a category misses or over-fires on (``errors``), and for each rule how often it fires
on sentences with and without its category (``by_rule``).
"""
from __future__ import annotations

import json
import time
from collections import Counter

import numpy as np

from ..taxonomy import SENTENCE_CATEGORIES as LABELS
from .metrics import SYSTEMS, apply_thresholds, prf_report
from .protocol import combined_decisions, rule_findings


def evaluate_file(path, *, model=None, rules_only: bool = False, predictions_out=None,
                  errors: str | None = None, by_rule: bool = False, rules_fn=None) -> dict:
    """Score rules, model and combined on a labelled JSONL file (LABELS.md format).

    ``rules_fn(texts) -> list[set[category]]`` replaces the rule engine (tests); ``by_rule`` then
    has nothing to count.
    """
    from ..detect.model.persist import load_model
    from .data import label_matrix, load_jsonl

    examples = load_jsonl(path)
    texts = [e.text for e in examples]
    Y = label_matrix(e.labels for e in examples)
    t0 = time.perf_counter()
    findings = rule_findings(texts) if rules_fn is None else [[] for _ in texts]
    rule_sets = [{f.category for f in fs if f.category in LABELS} for fs in findings] \
        if rules_fn is None else [set(s) & set(LABELS) for s in rules_fn(texts)]
    hits = [[(f.category, f.data.get("family"), f.severity) for f in fs] for fs in findings] \
        if rules_fn is None else [[(c, None, "medium") for c in s] for s in rule_sets]
    rules_seconds = time.perf_counter() - t0
    R = label_matrix(rule_sets)
    notes = []
    if rules_only:
        model = None
    elif model is None:
        model = load_model()
        if model is None:
            notes.append("model: none found; model and combined use probability 0")
    if model is None:
        P = Pc = np.zeros(Y.shape)
        mt = ct = {lab: 1.01 for lab in LABELS}
    else:
        P = model.predict_proba(texts)
        Pc = model.combine(P, hits) if hasattr(model, "combine") else P
        mt = dict(model.thresholds_)
        ct = dict(getattr(model, "combined_thresholds_", None) or model.thresholds_)
    C = combined_decisions(Pc, ct, texts, R)
    result = {"rules": prf_report(Y, R.astype(bool)), "model": prf_report(Y, apply_thresholds(P, mt)),
              "combined": prf_report(Y, C)}
    result.update(n=len(texts), path=str(path), thresholds={"model": mt, "combined": ct},
                  notes=notes, rules_only=rules_only, rules_seconds=round(rules_seconds, 3))
    if errors:
        j = LABELS.index(errors)
        result["errors"] = {
            "category": errors,
            "false_negatives": [e.text for i, e in enumerate(examples) if Y[i, j] and not R[i, j]],
            "false_positives": [e.text for i, e in enumerate(examples) if R[i, j] and not Y[i, j]]}
    if by_rule:
        hit, miss, cat = Counter(), Counter(), {}
        for e, fs in zip(examples, findings):
            for f in {f.code: f for f in fs}.values():
                cat[f.code] = f.category
                (hit if f.category in e.labels else miss)[f.code] += 1
        result["by_rule"] = {c: {"category": cat[c], "with_label": hit[c], "without": miss[c]}
                             for c in sorted(cat)}
    if predictions_out is not None:
        with open(predictions_out, "w", encoding="utf-8") as fh:
            for i, e in enumerate(examples):
                row = {"id": e.id,
                       "labels": [lab for j, lab in enumerate(LABELS) if C[i, j]],
                       "scores": {lab: round(float(P[i, j]), 4) for j, lab in enumerate(LABELS)}}
                fh.write(json.dumps(row) + "\n")
    return result


def _cells(result: dict, systems) -> tuple[list[str], list[str]]:
    header = f"{'label':<20} " + "  ".join(f"{s:>20}" for s in systems)
    sub = f"{'':<20} " + "  ".join(f"{'P':>6}{'R':>7}{'F1':>7}" for _ in systems)
    lines = []
    for lab in LABELS:
        cells = [result[s]["per_label"][lab] for s in systems]
        lines.append(f"{lab:<20} " + "  ".join(
            f"{c['precision']:>6.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}" for c in cells))
    for avg in ("macro", "micro"):
        cells = [result[s][avg] for s in systems]
        lines.append(f"{avg:<20} " + "  ".join(
            f"{c['precision']:>6.3f}{c['recall']:>7.3f}{c['f1']:>7.3f}" for c in cells))
    return [header, sub], lines


def format_text(result: dict) -> str:
    """Plain-text tables: per-label P/R/F1 for each system, then macro/micro."""
    systems = ("rules",) if result.get("rules_only") else SYSTEMS
    head, rows = _cells(result, systems)
    lines = [f"{result.get('path')}: n = {result.get('n')} sentences", *head, *rows]
    lines += [f"note: {n}" for n in result.get("notes", [])]
    return "\n".join(lines + _extras(result))


def format_markdown(result: dict) -> str:
    """A Markdown table per system (rules/README.md and the model card quote these)."""
    systems = ("rules",) if result.get("rules_only") else SYSTEMS
    lines = [f"`{result.get('path')}`, {result.get('n')} sentences:", ""]
    for s in systems:
        lines += [f"**{s}**", "", "| category | precision | recall | F1 | TP | FP | FN | support |",
                  "|---|---|---|---|---|---|---|---|"]
        for lab in LABELS:
            c = result[s]["per_label"][lab]
            lines.append(f"| {lab} | {c['precision']:.2f} | {c['recall']:.2f} | {c['f1']:.2f} | "
                         f"{c['tp']} | {c['fp']} | {c['fn']} | {c['support']} |")
        lines.append("")
    return "\n".join(lines + _extras(result))


def _extras(result: dict) -> list[str]:
    out = []
    if "errors" in result:
        e = result["errors"]
        out += ["", f"## false negatives ({e['category']})"]
        out += [f"- {t[:300]}" for t in e["false_negatives"]]
        out += ["", f"## false positives ({e['category']})"]
        out += [f"- {t[:300]}" for t in e["false_positives"]]
    if "by_rule" in result:
        out += ["", "| rule | category | fires with its label | without |", "|---|---|---|---|"]
        out += [f"| {c} | {d['category']} | {d['with_label']} | {d['without']} |"
                for c, d in result["by_rule"].items()]
    return out


def run_protocol(progress=None) -> dict:
    """The numbers ``make evaluate`` prints: leave one family out and grouped CV (each fold
    refitted), and the committed model (rules + classifier + combination) on the dev slice."""
    import numpy as np

    from ..detect.model.persist import load_model
    from .card import ceiling_lines, headline, table
    from .data import corpus_dir
    from .in_document import in_document
    from .in_document import table as in_document_table
    from .protocol import build_dataset, grouped_cv, leave_one_family_out

    say = progress or (lambda m: None)
    say("reading every labelled file and checking each sentence with the rules")
    ds = build_dataset()
    res = {"leave_one_family_out": leave_one_family_out(ds, log=say),
           "grouped_cv": grouped_cv(ds, log=say)}
    res["in_document"] = in_document(ds, corpus_dir() / "documents", log=say)
    model = load_model()
    rows = np.where(ds.dev)[0]
    if model is not None and len(rows):
        texts = [ds.texts[i] for i in rows]
        P = model.predict_proba(texts)
        Pc = model.combine(P, [ds.hits[i] for i in rows])
        Y = ds.Y[rows]
        res["dev_slice"] = {"n": int(len(rows)), "rules": prf_report(Y, ds.R[rows]),
                            "model": prf_report(Y, apply_thresholds(P, model.thresholds_)),
                            "combined": prf_report(Y, combined_decisions(
                                Pc, model.combined_thresholds_, texts, ds.R[rows]))}
    meta = {"validation": res}
    text = ["Combined = what a scan reports. Leave-one-family-out trains without the family it "
            "tests; the dev slice is text nobody read and the committed model never trained on.",
            ""] + headline(meta) + [""]
    for fam, block in (res["leave_one_family_out"].get("families") or {}).items():
        text += table(block, f"Leave-one-family-out, {fam} held out")
    if res["leave_one_family_out"].get("pooled"):
        text += table(res["leave_one_family_out"]["pooled"], "Leave-one-family-out, pooled")
        text += ceiling_lines(res["leave_one_family_out"].get("ceiling"))
    if res.get("dev_slice"):
        text += table(res["dev_slice"], "Dev slice, committed model")
    text += in_document_table(res["in_document"])
    res["text"] = "\n".join(text)
    return res
