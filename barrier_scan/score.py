"""Stage 4, score: findings -> the openness rubric's five dimensions, 0-20 each, summing to 0-100.

The rubric (``../shared/domain/openness-rubric.md``) rates specification, burden of proof,
outcomes, procurement design and openness signals from 0 (closed) to 20 (open). A finding counts
in the dimension of its barrier family (``taxonomy.DIMENSION_OF_FAMILY``; classifier findings by
category), so "or equivalent" lifts specification and "lots" procurement design. Per dimension:

* **barrier mass** ``B``: the sum, over the *distinct codes* of its barriers, of the heaviest
  finding of that code (severity weight x confidence; a rule counts with confidence 1, a
  classifier finding with its probability). A clause repeated forty times counts once, so a long
  document is not sunk by repetition.
* **strength mass** ``S``: the same for its strengths, divided by the square root of the
  document's length in hundreds of sentences (at least 1): three outcome sentences in a
  1,000-sentence framework are not the outcome focus of a two-page brief. Barriers are not
  diluted, so length neither hides nor compounds them.
* ``points = clip(base + gain x (1 - exp(-S / k_s)) - loss x (1 - exp(-B / k_b)), 0, 20)``:
  both effects saturate, barriers only ever take points away and strengths only ever add them.

``base``, ``gain`` and ``loss`` per dimension and the two scales were fitted to expert ratings of
34 documents (``tests/data/openness_ratings.json``; ``barrier-scan evaluate --score`` refits and
reports leave-one-group-out cross-validated agreement, see docs/scoring.md). Every dimension says
in words why it got its points; a dimension that would go below 0 says it was floored.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from .findings import Finding
from .taxonomy import (BANDS, DIMENSION_LABELS, DIMENSION_OF_CATEGORY, DIMENSION_OF_CODE,
                       DIMENSION_OF_FAMILY, DIMENSIONS)

MAX_POINTS = 20.0
#: Relative weight of one finding by severity (info findings are notes: they weigh little).
SEVERITY_WEIGHT = {"info": 0.2, "low": 1.0, "medium": 2.0, "high": 3.0}
#: Strengths are not graded by severity (they are all "info"); each counts 1 x confidence.
STRENGTH_WEIGHT = 1.0


class Scored(NamedTuple):
    """A score, its band and its breakdown by dimension."""

    score: float
    band: str
    breakdown: dict


@lru_cache(maxsize=1)
def parameters() -> dict:
    """The fitted parameters (``score_parameters.json``, written by ``evaluate --score --write``)."""
    text = resources.files(__package__).joinpath("score_parameters.json").read_text(encoding="utf-8")
    return json.loads(text)


def band_for(score: float) -> str:
    """The band a score falls in."""
    return next(name for cut, name in BANDS if score >= cut)


def dimension_of(f: Finding) -> str:
    """The rubric dimension a finding counts in: by code where the taxonomy says so, else by its
    barrier family (rules), else by its category (classifier findings)."""
    if f.code in DIMENSION_OF_CODE:
        return DIMENSION_OF_CODE[f.code]
    family = f.data.get("family") if isinstance(f.data, dict) else None
    return DIMENSION_OF_FAMILY.get(family) or DIMENSION_OF_CATEGORY.get(f.category,
                                                                      "procurement_design")


def weight(f: Finding) -> float:
    """What one finding weighs before the per-code maximum (always >= 0)."""
    conf = 1.0 if f.confidence is None else float(f.confidence)
    conf = 0.0 if math.isnan(conf) else min(1.0, max(0.0, conf))
    if f.data.get("evidence_tag") == "R":  # legal basis not yet verified: a warning only
        conf *= 0.5
    if f.polarity == "barrier":
        return SEVERITY_WEIGHT.get(f.severity, 0.0) * conf
    return STRENGTH_WEIGHT * conf


def length_scale(sentences: int | None) -> float:
    """What strength mass is divided by: sqrt(sentences / 100), at least 1."""
    p = parameters()
    ref, power = p.get("strength_length_ref", 100.0), p.get("strength_length_power", 0.5)
    return max(1.0, (sentences or 0) / ref) ** power


def masses(findings: list[Finding], sentences: int | None = None) -> dict[str, dict]:
    """Per dimension: barrier and strength mass (distinct codes, heaviest finding of each;
    strengths scaled by document length) and the codes behind them, heaviest first."""
    best: dict[tuple[str, str, str], float] = defaultdict(float)
    for f in findings:
        key = (dimension_of(f), f.polarity, f.code)
        best[key] = max(best[key], weight(f))
    out = {d: {"B": 0.0, "S": 0.0, "barriers": [], "strengths": []} for d in DIMENSIONS}
    for (dim, polarity, code), w in best.items():
        if w <= 0:
            continue
        side = "barriers" if polarity == "barrier" else "strengths"
        out[dim]["B" if side == "barriers" else "S"] += w
        out[dim][side].append((code, w))
    scale = length_scale(sentences)
    for d in out.values():
        d["S"] /= scale
        d["barriers"].sort(key=lambda cw: (-cw[1], cw[0]))
        d["strengths"].sort(key=lambda cw: (-cw[1], cw[0]))
    return out


def dimension_points(B: float, S: float, p: dict) -> tuple[float, float, float]:
    """(points before clipping, what barriers take, what strengths add) for one dimension."""
    take = p["loss"] * (1 - math.exp(-B / p["k_barrier"]))
    add = p["gain"] * (1 - math.exp(-S / p["k_strength"]))
    return p["base"] + add - take, take, add


def _why(label: str, m: dict, take: float, add: float, raw: float, points: float) -> str:
    def codes(items):
        return ", ".join(c for c, _ in items[:4]) + (" and more" if len(items) > 4 else "")

    bits = []
    if m["barriers"]:
        bits.append(f"barriers ({codes(m['barriers'])}) take {take:.1f}")
    if m["strengths"]:
        bits.append(f"strengths ({codes(m['strengths'])}) add {add:.1f}")
    if not bits:
        bits.append("nothing found either way, so it stays at the neutral start")
    text = "; ".join(bits)
    if raw < 0:
        text += f" (would be {raw:.1f}; floored at 0)"
    elif raw > MAX_POINTS:
        text += f" (capped at {MAX_POINTS:g})"
    return f"{points:.1f} of {MAX_POINTS:g}: {text}"


def score_findings(findings: list[Finding], sentences: int | None = None) -> Scored:
    """The openness score (0-100), its band and one breakdown entry per dimension.

    ``sentences``: the document's length (strength mass is scaled by it); None for a snippet.
    """
    params = parameters()["dimensions"]
    per = masses(findings, sentences)
    breakdown, total = {}, 0.0
    for dim in DIMENSIONS:
        m = per[dim]
        raw, take, add = dimension_points(m["B"], m["S"], params[dim])
        points = round(min(MAX_POINTS, max(0.0, raw)), 1)
        total += points
        breakdown[dim] = {
            "label": DIMENSION_LABELS[dim], "points": points, "max": MAX_POINTS,
            "barriers": len(m["barriers"]), "strengths": len(m["strengths"]),
            "penalty": round(take, 2), "bonus": round(add, 2), "floored": raw < 0,
            "why": _why(DIMENSION_LABELS[dim], m, take, add, raw, points),
        }
    score = round(total, 1)
    return Scored(score, band_for(score), breakdown)


# ------------------------------------------------------------------------------ honest edges
_PLACEHOLDER = re.compile(
    r"\[\s*(insert|enter|add|name of|date|tbc|tbd|x{1,4}|buyer|supplier|contracting authority)\b[^\]]{0,60}\]"
    r"|£\s?x{2,}|\bx{3,}\b|<<[^>]{1,40}>>|\bdd/mm/yy(yy)?\b|\[\s*\]|\binsert (name|date|number|value)\b",
    re.IGNORECASE)


def placeholders(texts) -> tuple[int, list[str]]:
    """How many template placeholders ("[Insert date]", "£xxx") the text holds, and examples."""
    n, seen = 0, []
    for t in texts:
        for m in _PLACEHOLDER.finditer(t):
            n += 1
            if len(seen) < 3 and m.group(0) not in seen:
                seen.append(m.group(0))
    return n, seen


def template_warning(texts, n_blocks: int) -> str | None:
    """A warning when placeholders dominate: the score then describes a template, not a tender."""
    n, examples = placeholders(texts)
    if n >= 10 or (n >= 3 and n_blocks and n / n_blocks >= 0.05):
        return (f"this looks like an unfilled template ({n} placeholders such as "
                f"{', '.join(repr(e) for e in examples)}): the score describes the template, "
                "not a tender; scan the filled-in version")
    return None


def score_info(findings: list[Finding], breakdown: dict) -> dict:
    """What the score rests on: counted findings and a range of about one expected error."""
    counted = sum(b["barriers"] + b["strengths"] for b in breakdown.values())
    err = parameters().get("cv_mean_absolute_difference")
    total = sum(b["points"] for b in breakdown.values())
    info = {"findings": len(findings), "distinct_codes_counted": counted,
            "floored": [d for d, b in breakdown.items() if b.get("floored")]}
    if err:
        info["range"] = [round(max(0.0, total - err), 1), round(min(100.0, total + err), 1)]
        info["expected_error"] = err
    return info
