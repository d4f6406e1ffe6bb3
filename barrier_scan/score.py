"""Openness score: findings -> 0-100 with a breakdown by dimension.

Method (documented for users in docs/scoring.md):

* Start from a neutral ``BASE`` (a tender with nothing notable either way).
* Each barrier subtracts ``SEVERITY_POINTS[severity] x confidence`` (rules count with confidence
  1; classifier findings with their probability; rules resting on unverified law count half).
* Each strength adds ``STRENGTH_POINTS x confidence``.
* Caps keep one repeated clause from dominating: a rule code counts at most ``PER_CODE_CAP``
  times its single weight, and each dimension has a ceiling on what it can take away or add.
* The score is clamped to 0-100 and named by band.

Every step is monotone: removing a barrier finding can never lower the score and adding a
strength can never lower it (tests check this with hypothesis).
"""
from __future__ import annotations

from collections import defaultdict

from .findings import Finding

BASE = 70.0
SEVERITY_POINTS = {"high": 12.0, "medium": 7.0, "low": 3.0, "info": 0.0}
STRENGTH_POINTS = 4.0
PER_CODE_CAP = 1.5  # a code's repeats together count at most 1.5x its single weight
DIMENSIONS = {
    "over_specification": "specification",
    "burden_of_proof": "burden_of_proof",
    "outcome_language": "outcomes",
    "procurement_design": "procurement_design",
    "openness": "openness_signals",
}
# Most a dimension can take away (barriers) or add (strengths).
PENALTY_CAP = {"specification": 25.0, "burden_of_proof": 35.0, "outcomes": 15.0,
               "procurement_design": 30.0, "openness_signals": 15.0}
BONUS_CAP = {"specification": 5.0, "burden_of_proof": 5.0, "outcomes": 15.0,
             "procurement_design": 10.0, "openness_signals": 20.0}
BANDS = ((70.0, "open"), (40.0, "some barriers"), (0.0, "closed"))


def band_for(score: float) -> str:
    return next(name for cut, name in BANDS if score >= cut)


def weight(f: Finding) -> float:
    conf = 1.0 if f.confidence is None else float(f.confidence)
    if f.data.get("evidence_tag") == "R":
        conf *= 0.5
    if f.polarity == "barrier":
        return SEVERITY_POINTS.get(f.severity, 0.0) * conf
    return STRENGTH_POINTS * conf


def score_findings(findings: list[Finding]) -> tuple[float, str, dict]:
    """Return (score, band, breakdown)."""
    per_code: dict[tuple[str, str], list[float]] = defaultdict(list)
    for f in findings:
        per_code[(f.code, f.polarity)].append(weight(f))
    dim_pen: dict[str, float] = defaultdict(float)
    dim_bonus: dict[str, float] = defaultdict(float)
    counts: dict[str, dict[str, int]] = {d: {"barriers": 0, "strengths": 0} for d in PENALTY_CAP}
    code_dim = {}
    for f in findings:
        code_dim[(f.code, f.polarity)] = DIMENSIONS.get(f.category, "procurement_design")
        counts[code_dim[(f.code, f.polarity)]]["barriers" if f.is_barrier else "strengths"] += 1
    for key, ws in per_code.items():
        dim = code_dim[key]
        total = min(sum(ws), PER_CODE_CAP * max(ws))
        if key[1] == "barrier":
            dim_pen[dim] += total
        else:
            dim_bonus[dim] += total
    breakdown = {}
    score = BASE
    for dim in PENALTY_CAP:
        pen = min(dim_pen[dim], PENALTY_CAP[dim])
        bon = min(dim_bonus[dim], BONUS_CAP[dim])
        score += bon - pen
        breakdown[dim] = {"penalty": round(pen, 2), "bonus": round(bon, 2),
                          "points": round(bon - pen, 2), **counts[dim]}
    score = round(max(0.0, min(100.0, score)), 1)
    return score, band_for(score), breakdown
