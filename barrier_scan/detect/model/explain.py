"""How a classifier decision becomes a Finding a commissioner can act on.

The classifier has no rule text of its own, so each label carries a plain-English reason, a
generic rewrite and the guidance behind the category. Codes ML001-ML004 (``taxonomy.MODEL_CODES``)
select/ignore like rules.
"""
from __future__ import annotations

TEXT = {
    "over_specification": dict(
        name="model-over-specification",
        message="Possibly prescribes how the service is delivered rather than the result wanted",
        why="The classifier judged that this passage fixes methods, inputs, products or standards. "
            "Prescribing the 'how' shuts out providers who could achieve the same result another "
            "way, and small organisations most of all.",
        suggestion="State the outcome or performance wanted and invite providers to propose how "
                   "they will achieve it; add 'or equivalent' to any named product or standard.",
        citation="Procurement Act 2023 s.56(2); PCR 2015 reg 42",
    ),
    "burden_of_proof": dict(
        name="model-burden-of-proof",
        message="Possibly asks for proof of capacity that small organisations may not have",
        why="The classifier judged that this passage sets a threshold or evidence requirement "
            "(turnover, accounts, insurance, track record, accreditation) that small, young or "
            "charitable organisations often cannot meet.",
        suggestion="Make the requirement proportionate to the contract and offer alternatives "
                   "(e.g. management accounts, a bank letter, insurance before contract start).",
        citation="Procurement Act 2023 s.22; PCR 2015 reg 58; PPN 03/24",
    ),
    "outcome_language": dict(
        name="model-outcome-language",
        message="States outcomes for people or communities",
        why="The classifier judged that this passage describes the change wanted rather than the "
            "activity, which leaves room for creative and cultural approaches.",
        suggestion="Keep it; link each outcome to how it will be measured proportionately.",
        citation="Procurement Act 2023 s.56(2); Public Services (Social Value) Act 2012",
    ),
    "openness": dict(
        name="model-openness",
        message="Lowers a barrier for small or voluntary-sector providers",
        why="The classifier judged that this passage opens the door (consortia welcome, "
            "alternatives accepted, lots, engagement, proportionate requirements).",
        suggestion="Keep it, and make sure the selection criteria match this intent.",
        citation="Procurement Act 2023 s.12(4); PCR 2015 reg 46",
    ),
}
