"""Duties every supplier has clear classifier-only barrier findings (detect/duties.py)."""
from __future__ import annotations

import pytest

from barrier_scan.config import Config
from barrier_scan.detect import duties
from barrier_scan.detect.duties import duties_in


@pytest.mark.parametrize("text, label", [
    ("Bidders must provide a copy of their Modern Slavery Statement.", "burden_of_proof"),
    ("The provider must hold all licences required by law to deliver the service.",
     "burden_of_proof"),
    ("Door staff must hold a valid SIA licence.", "over_specification"),
    ("Have you been convicted of fraud or bribery in the last five years?", "burden_of_proof"),
    ("Are you bankrupt or the subject of insolvency proceedings?", "burden_of_proof"),
    ("All staff working with children must have an enhanced DBS check.", "over_specification"),
    ("The supplier must comply with the UK GDPR and the Data Protection Act 2018.",
     "over_specification"),
    ("The supplier will assist the Council with Freedom of Information requests.",
     "over_specification"),
])
def test_a_duty_everyone_has_is_recognised(text, label):
    assert duties_in(text, label)


@pytest.mark.parametrize("text, label", [
    ("Bidders must have a minimum annual turnover of £2 million.", "burden_of_proof"),
    ("Please provide three years of audited accounts.", "burden_of_proof"),
    ("ISO 9001 certification is required.", "burden_of_proof"),
    ("The provider will run 40 sessions a year at the Central Library.", "over_specification"),
    ("Public liability insurance of £10,000,000 is required at tender stage.", "burden_of_proof"),
    # the duty is not the whole demand: left to the classifier
    ("Please provide your last three years' tax returns and a bank reference.", "burden_of_proof"),
    ("All practitioners must be DBS checked and hold a Level 5 qualification in arts therapy.",
     "burden_of_proof"),
    ("All practitioners must be DBS checked and hold a Level 5 qualification in arts therapy.",
     "over_specification"),
    ("Please provide a copy of your anti-fraud and anti-bribery policy.", "burden_of_proof"),
    ("Bidders must provide a modern slavery statement and three years of audited accounts.",
     "burden_of_proof"),
        # strengths are never cleared: a duty named in an openness sentence stays openness
    ("Consortia are welcome; each member must pass the exclusion grounds.", "openness"),
])
def test_ordinary_barriers_are_not_duties(text, label):
    assert not duties_in(text, label)


LICENCE = "The provider must hold all licences required by law to deliver the service."


def test_the_detector_does_not_raise_a_classifier_barrier_on_a_duty(monkeypatch):
    """The shipped classifier flags this sentence as a burden; the duty clears it, and the
    stats say so. Without the duties the same classifier finding comes back."""
    from barrier_scan.pipeline import scan_text

    r = scan_text(LICENCE, Config())
    assert not [f for f in r.findings if f.polarity == "barrier"]
    assert r.stats["model_findings_not_raised_duty"] == 1
    monkeypatch.setattr(duties, "DUTIES", ())
    r = scan_text(LICENCE, Config())
    assert [f.source for f in r.findings if f.polarity == "barrier"] == ["model"]
    assert r.stats["model_findings_not_raised_duty"] == 0


def test_rules_still_fire_beside_a_duty():
    from barrier_scan.pipeline import scan_text

    r = scan_text("Bidders must provide a modern slavery statement and three years of audited "
                  "accounts.", Config())
    assert any(f.category == "burden_of_proof" and f.source == "rule" for f in r.findings)

