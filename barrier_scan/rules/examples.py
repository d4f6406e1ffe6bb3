"""Run a rule's own examples (the pass/fail cases in its YAML), as tests and as ``rules --check``."""
from __future__ import annotations

from ..document import Block, Document
from ..findings import Finding
from ..segment import segment
from .engine import RuleEngine
from .loader import Rule


def with_referenced(rules: list[Rule]) -> list[Rule]:
    """``rules`` plus the catalogue rules their ``unless_fired`` names (an absence rule is only
    meaningful beside the rules that would find what it says is missing)."""
    prefixes = tuple(p for r in rules for p in r.unless_fired)
    if not prefixes:
        return list(rules)
    from .loader import cached_rules

    have = {r.code for r in rules}
    return list(rules) + [r for r in cached_rules() if r.code.startswith(prefixes) and r.code not in have]


def run_on_text(rules: list[Rule], text: str) -> list[Finding]:
    """Findings of ``rules`` on ``text`` treated as one small document (paragraphs on blank lines)."""
    from ..facts import extract_facts

    rules = with_referenced(rules)

    blocks = [Block(text=p.strip(), paragraph=i + 1)
              for i, p in enumerate(text.split("\n\n")) if p.strip()]
    doc = Document(path="<example>", format="text", blocks=blocks)
    docs = segment(doc, keep_docs=True)
    facts = extract_facts([s.text for s in doc.sentences])
    return RuleEngine(rules).detect(doc, docs, facts)


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
