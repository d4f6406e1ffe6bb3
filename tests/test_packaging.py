"""pyproject.toml uses the SPDX string form of ``license`` (PEP 639): setuptools warns that the
``{text = ...}`` table stops working in 2027 (#16)."""
from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"


def test_license_is_an_spdx_string():
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    license_ = data["project"]["license"]
    assert isinstance(license_, str) and license_ == "MIT"
    # no license classifier alongside an SPDX expression (PEP 639 forbids both)
    assert not any(c.startswith("License ::") for c in data["project"].get("classifiers", []))
    # SPDX strings need setuptools 77 or later to build
    assert any(r.replace(" ", "").startswith("setuptools>=7") and
               int(r.split(">=")[1].split(".")[0]) >= 77 for r in data["build-system"]["requires"])
