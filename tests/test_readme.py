"""The README's promises: two quick-start commands that exist in the Makefile; a config example
that actually loads."""
import re
from pathlib import Path

from barrier_scan.config import load_config

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_exactly_two_make_targets():
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make report", "make test"]
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^report:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_configuration_example_loads(tmp_path):
    toml = re.search(r"```toml\n(.*?)```", README, re.S).group(1)
    (tmp_path / "barrier-scan.toml").write_text(toml)
    cfg = load_config(tmp_path / "barrier-scan.toml")
    assert cfg.ignore == ("PD109",) and cfg.annual_value == 150000 and cfg.regime == "pa2023"
    assert cfg.max_docx_bytes == 100 * 1024 * 1024
