"""Rules-only precision / recall / F1 per sentence category on a LABELS.md-format JSONL file.

    python -m barrier_scan.rules.evaluate FILE.jsonl [--markdown] [--errors CATEGORY] [--by-rule]

Each line is ``{"id", "source", "text", "labels": [...]}``. Every sentence is scanned on its own
with the rule engine only (``barrier_scan.engine.rule_sentence_labels``), so document-level rules
(absence, tender window) never take part: this measures the sentence rules.

``--errors CATEGORY`` lists that category's false negatives and false positives (for reading while
improving patterns; never paste them into rules). ``--by-rule`` shows which rule codes fire on
labelled and unlabelled sentences.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..findings import SENTENCE_CATEGORIES


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "support": self.support}


def read_jsonl(path: Path | str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{n}: not valid JSON: {e}") from None
            if not isinstance(row.get("text"), str) or not isinstance(row.get("labels"), list):
                raise SystemExit(f"{path}:{n}: each line needs 'text' (string) and 'labels' (list)")
            rows.append(row)
    return rows


def score(gold: list[set[str]], pred: list[set[str]],
          categories=SENTENCE_CATEGORIES) -> dict[str, Score]:
    out = {c: Score() for c in categories}
    for g, p in zip(gold, pred):
        for c in categories:
            if c in p and c in g:
                out[c].tp += 1
            elif c in p:
                out[c].fp += 1
            elif c in g:
                out[c].fn += 1
    return out


def predict(texts: list[str]) -> list[set[str]]:
    from ..engine import rule_sentence_labels

    return rule_sentence_labels(texts)


def evaluate_rows(rows: list[dict]) -> tuple[dict[str, Score], list[set[str]], float]:
    texts = [r["text"] for r in rows]
    t0 = time.perf_counter()
    pred = predict(texts)
    elapsed = time.perf_counter() - t0
    gold = [set(r["labels"]) for r in rows]
    return score(gold, pred), pred, elapsed


def rule_count() -> int:
    from .loader import load_rules

    return len(load_rules())


def markdown_table(scores: dict[str, Score]) -> str:
    lines = ["| category | precision | recall | F1 | TP | FP | FN | support |",
             "|---|---|---|---|---|---|---|---|"]
    for c, s in scores.items():
        lines.append(f"| {c} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.tp} | {s.fp} "
                     f"| {s.fn} | {s.support} |")
    return "\n".join(lines)


def plain_table(scores: dict[str, Score]) -> str:
    lines = [f"{'category':<20} {'P':>5} {'R':>5} {'F1':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'n':>4}"]
    for c, s in scores.items():
        lines.append(f"{c:<20} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f} {s.tp:4d} {s.fp:4d} "
                     f"{s.fn:4d} {s.support:4d}")
    return "\n".join(lines)


def _codes_by_sentence(texts: list[str]) -> list[set[str]]:
    """Rule codes firing on each sentence (for --by-rule)."""
    from ..config import Config
    from ..detect import Detector
    from ..engine import _single_sentence_docs

    det = Detector(Config().with_overrides(use_model=False))
    out = []
    for doc, docs in _single_sentence_docs(texts):
        out.append({f.code for f in det.engine.detect(doc, docs, facts=None)
                    if f.data.get("sentence_index") is not None})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m barrier_scan.rules.evaluate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", help="labelled sentences, JSON Lines (LABELS.md format)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--errors", metavar="CATEGORY", choices=SENTENCE_CATEGORIES,
                    help="list false negatives and false positives of one category")
    ap.add_argument("--by-rule", action="store_true",
                    help="how often each rule fires on sentences with / without each label")
    args = ap.parse_args(argv)
    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: file not found", file=sys.stderr)
        return 2
    rows = read_jsonl(path)
    scores, pred, elapsed = evaluate_rows(rows)
    n_rules = rule_count()
    if args.json:
        print(json.dumps({"file": str(path), "sentences": len(rows), "rules": n_rules,
                          "seconds": round(elapsed, 3),
                          "scores": {c: s.as_dict() for c, s in scores.items()}}, indent=2))
    elif args.markdown:
        print(f"Rules only, {n_rules} rules, {len(rows)} sentences from `{path.name}` "
              f"({time.strftime('%Y-%m-%d')}; {elapsed:.2f} s):\n")
        print(markdown_table(scores))
    else:
        print(f"{n_rules} rules, {len(rows)} sentences, {elapsed:.2f} s")
        print(plain_table(scores))
    if args.errors:
        c = args.errors
        print(f"\n## false negatives ({c})")
        for r, p in zip(rows, pred):
            if c in r["labels"] and c not in p:
                print(f"- [{r.get('id', '')}] {r['text'][:300]}")
        print(f"\n## false positives ({c})")
        for r, p in zip(rows, pred):
            if c in p and c not in r["labels"]:
                print(f"- [{r.get('id', '')}] {r['text'][:300]}")
    if args.by_rule:
        from collections import Counter

        codes = _codes_by_sentence([r["text"] for r in rows])
        hit, miss = Counter(), Counter()
        from .loader import load_rules

        cat = {r.code: r.category for r in load_rules()}
        for r, cs in zip(rows, codes):
            for code in cs:
                (hit if cat.get(code) in r["labels"] else miss)[code] += 1
        print("\n| rule | category | fires on a sentence with its label | without |")
        print("|---|---|---|---|")
        for code in sorted(set(hit) | set(miss)):
            print(f"| {code} | {cat.get(code)} | {hit[code]} | {miss[code]} |")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
