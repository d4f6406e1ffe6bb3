"""Openness score: findings -> 0-100 with a breakdown by dimension.

Method (documented for users in docs/scoring.md):

* Start from a neutral ``BASE`` (a tender with nothing notable either way).
* Each barrier subtracts ``SEVERITY_POINTS[severity] x confidence`` (rules count with confidence
  1; classifier findings with their probability; rules resting on unverified law count half).
* Each strength adds ``STRENGTH_POINTS x confidence``; all bonuses together add at most 30.
* Caps keep one repeated clause from dominating: a rule code counts at most ``PER_CODE_CAP``
  times its single weight, and each dimension has a ceiling on what it can take away or add.
* The score is clamped to 0-100 and named by band.

Every step is monotone: removing a barrier finding can never lower the score and adding a
strength can never lower it (tests check this with hypothesis).
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import NamedTuple

from .findings import Finding
from .taxonomy import BANDS, DIMENSION_LABELS, DIMENSION_OF_CATEGORY

BASE = 70.0
SEVERITY_POINTS = {"high": 12.0, "medium": 7.0, "low": 3.0, "info": 0.0}
STRENGTH_POINTS = 3.0
PER_CODE_CAP = 1.5  # a code's repeats together count at most 1.5x its single weight
# Most a dimension can take away (barriers) or add (strengths).
PENALTY_CAP = {"specification": 25.0, "burden_of_proof": 35.0, "outcomes": 15.0,
               "procurement_design": 30.0, "openness_signals": 15.0}
# Bonuses add up to at most 30 = 100 - BASE: strengths can make up for some barriers, but a
# tender reaches 100 only with no barriers at all. (Tuned on sample_tenders: with larger caps the
# tender with a planted "two previous NHS/LA contracts" barrier scored 75, "open".)
BONUS_CAP = {"specification": 3.0, "burden_of_proof": 3.0, "outcomes": 9.0,
             "procurement_design": 3.0, "openness_signals": 12.0}


class Scored(NamedTuple):
    """A score, its band and its breakdown by dimension."""
    score: float
    band: str
    breakdown: dict


def band_for(score: float) -> str:
    """The band a score falls in."""
    return next(name for cut, name in BANDS if score >= cut)


def weight(f: Finding) -> float:
    """Points one finding is worth before caps (always >= 0)."""
    conf = 1.0 if f.confidence is None else float(f.confidence)
    conf = 0.0 if math.isnan(conf) else min(1.0, max(0.0, conf))
    if f.data.get("evidence_tag") == "R":
        conf *= 0.5
    if f.polarity == "barrier":
        return SEVERITY_POINTS.get(f.severity, 0.0) * conf
    return STRENGTH_POINTS * conf


def dimension_of(f: Finding) -> str:
    """The rubric dimension a finding counts in."""
    return DIMENSION_OF_CATEGORY.get(f.category, "procurement_design")


def score_findings(findings: list[Finding]) -> Scored:
    """Return (score, band, breakdown).

    Findings are grouped by (dimension, code, polarity) -- never by code alone, so removing one
    finding can never move a whole group into another dimension with a different cap.
    """
    groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    counts: dict[str, dict[str, int]] = {d: {"barriers": 0, "strengths": 0} for d in PENALTY_CAP}
    for f in findings:
        dim = dimension_of(f)
        groups[(dim, f.code, f.polarity)].append(weight(f))
        counts[dim]["barriers" if f.is_barrier else "strengths"] += 1
    dim_pen: dict[str, float] = defaultdict(float)
    dim_bonus: dict[str, float] = defaultdict(float)
    for (dim, _code, polarity), ws in groups.items():
        total = min(sum(ws), PER_CODE_CAP * max(ws))
        if polarity == "barrier":
            dim_pen[dim] += total
        else:
            dim_bonus[dim] += total
    breakdown = {}
    score = BASE
    for dim in PENALTY_CAP:
        pen = min(dim_pen[dim], PENALTY_CAP[dim])
        bon = min(dim_bonus[dim], BONUS_CAP[dim])
        score += bon - pen
        breakdown[dim] = {"label": DIMENSION_LABELS[dim], "penalty": round(pen, 2),
                          "bonus": round(bon, 2), "points": round(bon - pen, 2), **counts[dim]}
    score = round(max(0.0, min(100.0, score)), 1)
    return Scored(score, band_for(score), breakdown)
