"""The rule file schema, checked on load (Vale-style: kinds are validated, unknown keys rejected).

Kept as plain Python data rather than JSON Schema so error messages can name the file and the
key in words a rule author understands.
"""
from __future__ import annotations

from ...taxonomy import CATEGORIES, FAMILIES, POLARITIES, SEVERITIES

KINDS = ("pattern", "pattern_exception", "absence", "quantity")
EVIDENCE_TAGS = ("V", "S", "R")
SCOPES = ("sentence", "block", "nearby", "document")
PATTERN_KEYS = ("regex", "phrase", "lemma", "tokens")

# key -> (type, required)
TOP_LEVEL = {
    "code": (str, True),
    "name": (str, True),
    "family": (str, True),
    "category": (str, True),
    "polarity": (str, True),
    "severity": (str, True),
    "kind": (str, True),
    "message": (str, True),
    "why": (str, True),
    "suggestion": (str, True),
    "citation": (str, True),
    "citations": (dict, False),
    "evidence_tag": (str, True),
    "patterns": (list, False),
    "requires": (dict, False),
    "unless": (dict, False),
    "check": (dict, False),
    "unless_fired": (list, False),
    "examples": (dict, True),
    "notes": (str, False),
}
CONDITION_KEYS = {"scope": str, "window": int, "patterns": list}
CHECK_KEYS = {"name": str, "params": dict}
EXAMPLE_KEYS = {"fire": list, "pass": list}
ENUMS = {
    "category": CATEGORIES,
    "polarity": POLARITIES,
    "severity": SEVERITIES,
    "kind": KINDS,
    "evidence_tag": EVIDENCE_TAGS,
    "family": tuple(FAMILIES),
}
