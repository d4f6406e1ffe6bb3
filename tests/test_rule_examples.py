"""Every rule's own examples run as tests: 'fire' examples must fire, 'pass' examples must not."""
import pytest

from barrier_scan.detect.rules.examples import run_on_text
from barrier_scan.detect.rules.loader import load_rules

RULES = load_rules()
CASES = [(r, "fire", ex) for r in RULES for ex in r.examples["fire"]] + \
        [(r, "pass", ex) for r in RULES for ex in r.examples["pass"]]


@pytest.mark.parametrize("rule,expect,example", CASES,
                         ids=[f"{r.code}-{e}-{i}" for i, (r, e, _) in enumerate(CASES)])
def test_rule_example(rule, expect, example):
    fired = any(f.code == rule.code for f in run_on_text([rule], example))
    assert fired == (expect == "fire"), f"{rule.code} {expect}: {example}"


def test_every_rule_has_examples_of_both_kinds():
    for r in RULES:
        assert r.examples["fire"] and r.examples["pass"], r.code
