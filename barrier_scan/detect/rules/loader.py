"""Load rule files from ``rules/`` (YAML, one rule a file) and validate them.

Only YAML's safe loader is used (the C one when libyaml is present): rule files are data, never
code. Any problem raises
:class:`ConfigError` naming the file and the offending key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ...errors import ConfigError
from ...taxonomy import CODE_PREFIXES, DOCUMENT_LEVEL_FROM, REGIMES
from . import schema
from .checks import CHECKS

CODE_RE = re.compile(r"^[A-Z]{2}\d{3}$")
# libyaml's safe loader when available: the same safe subset, about five times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def compile_regex(pattern: str) -> re.Pattern:
    """A rule regex compiled once per process (case-insensitive, as rules match): the loader
    validates with it and the engine runs it, so 1,000-odd patterns are not compiled twice."""
    return re.compile(pattern, re.IGNORECASE)


def default_rules_dir() -> Path:
    """``rules/`` at the project root; overridable with BARRIER_SCAN_RULES."""
    import os

    env = os.environ.get("BARRIER_SCAN_RULES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "rules"


@dataclass
class Condition:
    """A ``requires`` or ``unless`` clause: patterns and where they must (not) match."""
    patterns: list[dict]
    scope: str = "sentence"
    window: int = 1


@dataclass
class Rule:
    """One validated rule file."""
    code: str
    name: str
    family: str
    category: str
    polarity: str
    severity: str
    kind: str
    message: str
    why: str
    suggestion: str
    citation: str
    evidence_tag: str
    examples: dict
    citations: dict = field(default_factory=dict)
    patterns: list[dict] = field(default_factory=list)
    requires: Condition | None = None
    unless: Condition | None = None
    check: dict | None = None
    unless_fired: list[str] = field(default_factory=list)  # absence: silent if these codes fired
    notes: str = ""
    path: str = ""

    @property
    def document_level(self) -> bool:
        """True for whole-document rules (absence, or a quantity check without patterns)."""
        return self.kind == "absence" or (self.kind == "quantity" and not self.patterns)

    def citation_for(self, regime: str | None) -> str:
        """The legal basis under ``regime`` when the rule gives one, else the general citation."""
        return self.citations.get(regime, self.citation) if regime else self.citation


def _err(path: Path | str, msg: str) -> ConfigError:
    return ConfigError(f"{path}: {msg}")


def _validate_patterns(path, where: str, patterns) -> list[dict]:
    if not isinstance(patterns, list) or not patterns:
        raise _err(path, f"'{where}' must be a non-empty list of patterns")
    out = []
    for i, p in enumerate(patterns):
        if isinstance(p, str):  # shorthand: a bare string is a regex
            p = {"regex": p}
        if not isinstance(p, dict) or len(p) != 1:
            raise _err(path, f"'{where}[{i}]' must have exactly one of {', '.join(schema.PATTERN_KEYS)}")
        (key, value), = p.items()
        if key not in schema.PATTERN_KEYS:
            raise _err(path, f"unknown pattern key '{key}' in '{where}[{i}]' "
                             f"(expected one of {', '.join(schema.PATTERN_KEYS)})")
        if key == "regex":
            try:
                compile_regex(value)
            except re.error as e:
                raise _err(path, f"bad regex in '{where}[{i}]': {e}") from None
        elif key == "tokens":
            if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
                raise _err(path, f"'{where}[{i}].tokens' must be a list of spaCy token dicts")
        elif not isinstance(value, str) or not value.strip():
            raise _err(path, f"'{where}[{i}].{key}' must be a non-empty string")
        out.append({key: value})
    return out


def _condition(path, key: str, raw) -> Condition:
    for k, v in raw.items():
        if k not in schema.CONDITION_KEYS:
            raise _err(path, f"unknown key '{key}.{k}'")
        if not isinstance(v, schema.CONDITION_KEYS[k]):
            raise _err(path, f"'{key}.{k}' must be {schema.CONDITION_KEYS[k].__name__}")
    scope = raw.get("scope", "sentence")
    if scope not in schema.SCOPES:
        raise _err(path, f"'{key}.scope' must be one of {', '.join(schema.SCOPES)}, not '{scope}'")
    pats = _validate_patterns(path, f"{key}.patterns", raw.get("patterns"))
    return Condition(patterns=pats, scope=scope, window=raw.get("window", 1))


def parse_rule(raw, path: Path | str = "<rule>") -> Rule:
    """Validate one parsed rule file; ConfigError names the file and the key at fault."""
    if not isinstance(raw, dict):
        raise _err(path, "a rule file must hold one mapping")
    for key in raw:
        if key not in schema.TOP_LEVEL:
            raise _err(path, f"unknown key '{key}'")
    for key, (typ, required) in schema.TOP_LEVEL.items():
        if key not in raw:
            if required:
                raise _err(path, f"missing required key '{key}'")
            continue
        if not isinstance(raw[key], typ):
            raise _err(path, f"'{key}' must be {typ.__name__}")
    for key, allowed in schema.ENUMS.items():
        if raw[key] not in allowed:
            raise _err(path, f"'{key}' is '{raw[key]}', expected one of {', '.join(allowed)}")
    code = raw["code"]
    if not CODE_RE.match(code):
        raise _err(path, f"'code' {code!r} must be two capital letters and three digits, e.g. BP101")
    if Path(str(path)).suffix in (".yml", ".yaml") and Path(str(path)).stem != code:
        raise _err(path, f"file name must match the code '{code}'")
    prefix = CODE_PREFIXES.get(code[:2])
    if prefix is None:
        raise _err(path, f"code prefix '{code[:2]}' is not one of {', '.join(CODE_PREFIXES)} "
                         "(see barrier_scan/taxonomy.py)")
    if raw["category"] not in prefix.categories:
        raise _err(path, f"category '{raw['category']}' does not belong under prefix {prefix.prefix} "
                         f"(allowed: {', '.join(sorted(prefix.categories))})")
    if raw["family"] not in prefix.families:
        raise _err(path, f"family '{raw['family']}' does not belong under prefix {prefix.prefix} "
                         f"(allowed: {', '.join(sorted(prefix.families, key=lambda f: int(f[1:])))})")
    if raw["category"] == "openness" and raw["polarity"] != "strength":
        raise _err(path, "an openness rule is a strength ('polarity: strength')")
    if raw["evidence_tag"] == "R" and raw["severity"] in ("medium", "high"):
        raise _err(path, "'severity' must be info or low for a rule whose legal basis is unverified "
                         "(evidence_tag R): such rules are warnings only")
    for k in raw.get("citations", {}):
        if k not in REGIMES:
            raise _err(path, f"unknown regime '{k}' in 'citations' (expected {', '.join(REGIMES)})")
    kind = raw["kind"]
    patterns = _validate_patterns(path, "patterns", raw["patterns"]) if "patterns" in raw else []
    if kind in ("pattern", "pattern_exception", "absence") and not patterns:
        raise _err(path, f"kind '{kind}' needs 'patterns'")
    unless = _condition(path, "unless", raw["unless"]) if "unless" in raw else None
    requires = _condition(path, "requires", raw["requires"]) if "requires" in raw else None
    if kind == "pattern_exception" and unless is None:
        raise _err(path, "kind 'pattern_exception' needs 'unless'")
    unless_fired = raw.get("unless_fired", [])
    if unless_fired:
        if kind != "absence":
            raise _err(path, f"'unless_fired' is only for kind 'absence', not '{kind}'")
        for c in unless_fired:
            if not isinstance(c, str) or not re.match(r"^[A-Z]{2}\d{0,3}$", c):
                raise _err(path, f"'unless_fired' entries must be rule codes or prefixes like "
                                 f"'OC1', not {c!r}")
    check = raw.get("check")
    if kind == "quantity":
        if not check:
            raise _err(path, "kind 'quantity' needs 'check'")
        for k in check:
            if k not in schema.CHECK_KEYS:
                raise _err(path, f"unknown key 'check.{k}'")
        if check.get("name") not in CHECKS:
            raise _err(path, f"unknown check '{check.get('name')}' (known: {', '.join(sorted(CHECKS))})")
    elif check is not None:
        raise _err(path, f"'check' is only for kind 'quantity', not '{kind}'")
    ex = raw["examples"]
    for k in ex:
        if k not in schema.EXAMPLE_KEYS:
            raise _err(path, f"unknown key 'examples.{k}'")
    if not ex.get("fire") or not ex.get("pass"):
        raise _err(path, "'examples' needs at least one 'fire' and one 'pass' example")
    document_level = kind == "absence" or (kind == "quantity" and not patterns)
    if (int(code[2:]) >= DOCUMENT_LEVEL_FROM) != document_level:
        raise _err(path, f"code {code}: numbers from {DOCUMENT_LEVEL_FROM} up are whole-document "
                         "rules (absence, or a quantity check without patterns), lower numbers are "
                         "sentence rules")
    return Rule(
        code=code, name=raw["name"], family=raw["family"], category=raw["category"],
        polarity=raw["polarity"], severity=raw["severity"], kind=kind,
        message=raw["message"].strip(), why=raw["why"].strip(), suggestion=raw["suggestion"].strip(),
        citation=raw["citation"].strip(), evidence_tag=raw["evidence_tag"], examples=ex,
        citations=raw.get("citations", {}), patterns=patterns, requires=requires, unless=unless,
        check=check, unless_fired=list(unless_fired), notes=raw.get("notes", ""), path=str(path),
    )


def load_rule_file(path: Path) -> Rule:
    """Read and validate one YAML rule file (safe loader only)."""
    try:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.load(fh, Loader=SafeLoader)
    except yaml.YAMLError as e:
        raise _err(path, f"not valid YAML: {e}") from None
    return parse_rule(raw, path)


def load_rules(directory: Path | str | None = None) -> list[Rule]:
    """Every rule of a catalogue folder, validated, sorted by code; duplicate codes refused."""
    directory = Path(directory) if directory else default_rules_dir()
    if not directory.is_dir():
        raise ConfigError(f"{directory}: rules folder not found")
    rules, seen = [], {}
    for path in sorted(directory.rglob("*.y*ml")):
        rule = load_rule_file(path)
        folder = CODE_PREFIXES[rule.code[:2]].folder
        if path.parent.name != folder:
            raise _err(path, f"{rule.code} belongs in the '{folder}' folder of the catalogue")
        if rule.code in seen:
            raise _err(path, f"code {rule.code} already used by {seen[rule.code]}")
        seen[rule.code] = path
        rules.append(rule)
    return sorted(rules, key=lambda r: r.code)


@lru_cache(maxsize=4)
def cached_rules(directory: str | None = None) -> tuple[Rule, ...]:
    """``load_rules`` once per process per folder."""
    return tuple(load_rules(directory))
