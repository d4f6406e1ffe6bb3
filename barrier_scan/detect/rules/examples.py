"""Run a rule's own examples (the pass/fail cases in its YAML), as tests and as ``rules --check``.

Each example is checked as a small whole document through :meth:`Detector.run`, the same path a
scanned file takes, so an example behaves exactly as the same words would in a tender.
"""
from __future__ import annotations

from ...config import Config
from ...findings import Finding
from .loader import Rule, cached_rules


def with_referenced(rules: list[Rule]) -> list[Rule]:
    """``rules`` plus the catalogue rules their ``unless_fired`` names (an absence rule is only
    meaningful beside the rules that would find what it says is missing)."""
    prefixes = tuple(p for r in rules for p in r.unless_fired)
    if not prefixes:
        return list(rules)
    have = {r.code for r in rules}
    return list(rules) + [r for r in cached_rules() if r.code.startswith(prefixes) and r.code not in have]


def run_on_text(rules: list[Rule], text: str) -> list[Finding]:
    """Findings of ``rules`` on ``text`` as one small document (paragraphs on blank lines)."""
    from ...extract import extract_text
    from ..detector import Detector

    detector = Detector(Config(use_model=False), rules=with_referenced(rules))
    return detector.run(extract_text(text, path="<example>")).findings


def check_examples(rule: Rule) -> list[str]:
    """Problems with a rule's examples: a 'fire' example that does not fire, a 'pass' that does."""
    problems = []
    for ex in rule.examples.get("fire", []):
        if not any(f.code == rule.code for f in run_on_text([rule], ex)):
            problems.append(f"{rule.code}: should fire but does not: {ex!r}")
    for ex in rule.examples.get("pass", []):
        if any(f.code == rule.code for f in run_on_text([rule], ex)):
            problems.append(f"{rule.code}: should not fire but does: {ex!r}")
    return problems
