"""Configuration: defaults < ``[tool.barrier-scan]`` in pyproject.toml or ``barrier-scan.toml``
(found beside or above the scanned files) < command-line flags.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConfigError


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    use_model: bool = True
    min_confidence: float = 0.0  # hide model findings below this probability
    absence_min_sentences: int = 10  # documents shorter than this skip "absent from the whole tender" rules
    rules_dir: str | None = None
    model_dir: str | None = None
    # Limits for hostile input (see docs/robustness.md)
    max_pages: int = 2000
    max_bytes: int = 200 * 1024 * 1024
    max_docx_uncompressed: int = 100 * 1024 * 1024
    timeout: float = 120.0  # seconds per file in a batch
    # Facts the user knows better than the parser
    contract_value: float | None = None
    annual_value: float | None = None
    lots: int | None = None
    regime: str | None = None
    source: str = "defaults"  # where the file-based settings came from

    def fact_overrides(self) -> dict:
        d = {"contract_value_total": self.contract_value, "contract_value_annual": self.annual_value,
             "lots": self.lots, "regime": self.regime}
        return {k: v for k, v in d.items() if v is not None}

    def with_overrides(self, **kw) -> "Config":
        kw = {k: v for k, v in kw.items() if v is not None and v != ()}
        return replace(self, **kw) if kw else self


_FIELDS = {f.name: f for f in fields(Config)}
_ALIASES = {"extend-ignore": "ignore", "contract-value": "contract_value",
            "annual-value": "annual_value", "min-confidence": "min_confidence",
            "use-model": "use_model", "max-pages": "max_pages", "max-bytes": "max_bytes",
            "max-docx-uncompressed": "max_docx_uncompressed", "rules-dir": "rules_dir",
            "model-dir": "model_dir", "absence-min-sentences": "absence_min_sentences"}


# Limits given in megabytes (the units people think in) are stored in bytes.
_MB_KEYS = {"max-file-mb": "max_bytes", "max_file_mb": "max_bytes",
            "max-docx-mb": "max_docx_uncompressed", "max_docx_mb": "max_docx_uncompressed"}
_POSITIVE = {"max_pages", "max_bytes", "max_docx_uncompressed"}


def _coerce(path: Path, key: str, value):
    if key in _MB_KEYS:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(f"{path}: '{key}' must be a positive number of megabytes")
        return _MB_KEYS[key], int(value * 1024 * 1024)
    name = _ALIASES.get(key, key.replace("-", "_"))
    if name not in _FIELDS or name == "source":
        raise ConfigError(f"{path}: unknown key '{key}' in [tool.barrier-scan]")
    if name in ("select", "ignore"):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: '{key}' must be a list of rule codes or prefixes")
        return name, tuple(value)
    if name == "regime" and value not in ("pcr2015", "pa2023"):
        raise ConfigError(f"{path}: 'regime' must be 'pcr2015' or 'pa2023'")
    expected = {"use_model": bool, "rules_dir": str, "model_dir": str, "regime": str}.get(name)
    if expected is bool and not isinstance(value, bool):
        raise ConfigError(f"{path}: '{key}' must be true or false")
    if expected is None and not isinstance(value, (int, float)) or isinstance(value, bool) and expected is not bool:
        raise ConfigError(f"{path}: '{key}' must be a number")
    if name in _POSITIVE and value <= 0 or name == "timeout" and value < 0:
        raise ConfigError(f"{path}: '{key}' must be a positive number")
    if name in _POSITIVE:
        value = int(value)
    return name, value


def find_config_file(start: Path) -> tuple[Path, dict] | None:
    """The nearest barrier-scan.toml, or pyproject.toml with a [tool.barrier-scan] table."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for d in [folder, *folder.parents]:
        own = d / "barrier-scan.toml"
        if own.is_file():
            data = _read_toml(own)
            return own, data.get("tool", {}).get("barrier-scan", data)
        py = d / "pyproject.toml"
        if py.is_file():
            table = _read_toml(py).get("tool", {}).get("barrier-scan")
            if table is not None:
                return py, table
    return None


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, OSError) as e:
        raise ConfigError(f"{path}: cannot read configuration: {e}") from None


def load_config(paths: list[str] | None = None, explicit: str | None = None) -> Config:
    """Build the configuration for scanning ``paths`` (the first path decides where to look)."""
    found = None
    if explicit:
        p = Path(explicit)
        data = _read_toml(p)
        found = (p, data.get("tool", {}).get("barrier-scan", data))
    elif os.environ.get("BARRIER_SCAN_NO_CONFIG") != "1":
        start = Path(paths[0]) if paths else Path.cwd()
        if start.exists():
            found = find_config_file(start)
    if not found:
        return Config()
    path, table = found
    values = dict(_coerce(path, k, v) for k, v in table.items())
    return replace(Config(), source=str(path), **values)
