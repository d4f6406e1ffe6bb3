"""Rule files are validated on load; mistakes name the file and the key."""
import pytest
import yaml

from barrier_scan.errors import ConfigError
from barrier_scan.detect.rules.loader import load_rules, parse_rule
from barrier_scan.detect.rules.registry import is_enabled, select_rules, unknown_selectors

GOOD = {
    "code": "BP190", "name": "demo", "family": "B2", "category": "burden_of_proof",
    "polarity": "barrier", "severity": "medium", "kind": "pattern", "message": "m", "why": "w",
    "suggestion": "s", "citation": "c", "evidence_tag": "S",
    "patterns": [{"regex": "turnover"}],
    "examples": {"fire": ["turnover"], "pass": ["nothing"]},
}


def test_good_rule_parses():
    r = parse_rule(dict(GOOD), "BP190.yml")
    assert r.code == "BP190" and r.patterns == [{"regex": "turnover"}]


@pytest.mark.parametrize("change,needle", [
    ({"colour": "red"}, "unknown key 'colour'"),
    ({"kind": "magic"}, "'kind' is 'magic'"),
    ({"category": "vibes"}, "'category' is 'vibes'"),
    ({"patterns": [{"glob": "x"}]}, "unknown pattern key 'glob'"),
    ({"patterns": [{"regex": "("}]}, "bad regex"),
    ({"code": "bad"}, "two capital letters"),
    ({"evidence_tag": "R", "severity": "high"}, "unverified"),
    ({"kind": "pattern_exception"}, "needs 'unless'"),
    ({"kind": "quantity", "check": {"name": "nope"}}, "unknown check 'nope'"),
    ({"examples": {"fire": ["x"]}}, "at least one 'fire' and one 'pass'"),
    ({"unless": {"scope": "galaxy", "patterns": ["x"]}}, "'unless.scope'"),
    ({"citations": {"eu": "x"}}, "unknown regime 'eu'"),
    ({"unless_fired": ["OC1"]}, "only for kind 'absence'"),
    ({"kind": "absence", "unless_fired": ["oc101"]}, "rule codes or prefixes"),
    # the code scheme of barrier_scan/taxonomy.py
    ({"category": "openness", "polarity": "strength"}, "does not belong under prefix BP"),
    ({"family": "B9"}, "family 'B9' does not belong under prefix BP"),
    ({"kind": "absence"}, "numbers from 200 up are whole-document"),
])
def test_bad_rule_names_file_and_key(change, needle):
    raw = {**GOOD, **change}
    with pytest.raises(ConfigError) as e:
        parse_rule(raw, "rules/x/BP190.yml")
    assert "rules/x/BP190.yml" in str(e.value)
    assert needle in str(e.value)


def test_unknown_code_prefix():
    with pytest.raises(ConfigError, match="code prefix 'XX' is not one of"):
        parse_rule({**GOOD, "code": "XX101"}, "rules/x/XX101.yml")


def test_missing_key_and_file_name_mismatch():
    raw = dict(GOOD)
    del raw["why"]
    with pytest.raises(ConfigError, match="missing required key 'why'"):
        parse_rule(raw, "BP190.yml")
    with pytest.raises(ConfigError, match="must match the code"):
        parse_rule(dict(GOOD), "other.yml")


def test_yaml_is_loaded_safely(tmp_path):
    d = tmp_path / "rules"
    d.mkdir()
    (d / "BP190.yml").write_text("!!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_rules(d)


def test_duplicate_codes_rejected(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub / "burden_of_proof").mkdir(parents=True)
        (tmp_path / sub / "burden_of_proof" / "BP190.yml").write_text(yaml.safe_dump(GOOD))
    with pytest.raises(ConfigError, match="already used"):
        load_rules(tmp_path)


def test_rule_in_the_wrong_folder_rejected(tmp_path):
    (tmp_path / "openness").mkdir()
    (tmp_path / "openness" / "BP190.yml").write_text(yaml.safe_dump(GOOD))
    with pytest.raises(ConfigError, match="belongs in the 'burden_of_proof' folder"):
        load_rules(tmp_path)


def test_catalogue_loads():
    rules = load_rules()
    assert rules, "rules/ must hold the catalogue"
    assert len({r.code for r in rules}) == len(rules)


def test_select_ignore_by_prefix():
    assert is_enabled("BP101", ["BP"], [])
    assert not is_enabled("SP101", ["BP"], [])
    assert not is_enabled("BP101", ["ALL"], ["BP1"])
    assert is_enabled("BP101", ["BP101"], ["BP"])  # the more specific selector wins
    assert not is_enabled("BP102", ["BP"], ["BP102"])
    rules = load_rules()
    assert all(r.code.startswith("OC") for r in select_rules(rules, ["OC"], []))
    assert unknown_selectors(rules, ["ZZ9", "BP", "ML"]) == ["ZZ9"]


def test_absence_rule_is_silent_when_a_named_rule_fired():
    """'No outcomes stated' must not stand beside a finding that quotes an outcome."""
    from barrier_scan.detect.rules.examples import run_on_text

    oc201 = next(r for r in load_rules() if r.code == "OC201")
    text = "\n\n".join(["Sessions will run weekly in the branch library."] * 3 +
                       ["By the end of the year we want fewer older residents to report feeling lonely."])
    codes = {f.code for f in run_on_text([oc201], text)}
    assert "OC201" not in codes and codes & {"OC101", "OC102", "OC103", "OC104"}
    codes = {f.code for f in run_on_text([oc201], "Sessions will run weekly in the branch library.")}
    assert "OC201" in codes
