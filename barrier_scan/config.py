"""One ``Config`` for every command: defaults < a configuration file < command-line flags.

Which file is read (docs/robustness.md, "Configuration"):

* ``--config FILE`` names one; it may set anything, including ``rules-dir`` and ``model-dir``.
* Otherwise the current project: ``barrier-scan.toml``, or ``[tool.barrier-scan]`` in a
  ``pyproject.toml``, in the folder you run in or its parents up to the repository root (the
  first folder holding ``.git``; without one, only the folder you run in). Never a file beside or
  above the *scanned* tenders: a folder of tenders from elsewhere must not configure the scanner.
* A file that was found rather than named may not set ``rules-dir`` or ``model-dir`` (code that
  reads untrusted data must be chosen on purpose).
* ``BARRIER_SCAN_NO_CONFIG=1`` reads no file.

Every value, from a file or a flag, is checked here; a bad one is a :class:`ConfigError` naming
the key (exit 3). Reports state the file used and each setting that differs from the defaults
(:meth:`Config.changed`).
"""
from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError
from .taxonomy import REGIMES

MB = 1024 * 1024
# Upper bounds keep arithmetic on limits finite (1e303 MB would overflow the byte count).
_MAX_MB = 1024 * 1024  # one terabyte
_MAX_PAGES = 1_000_000
_MAX_TIMEOUT = 7 * 24 * 3600
_MAX_VALUE = 1e13  # £10 trillion: larger is a typo, not a contract


def _meta(help: str, affects_results: bool = True, found_file: bool = True) -> dict:
    return {"help": help, "affects_results": affects_results, "found_file": found_file}


@dataclass(frozen=True)
class Config:
    """Settings for a scan. Field metadata says what each is, whether it can change a result
    (everything that can is part of the cache key) and whether a found file may set it."""

    select: tuple[str, ...] = field(default=("ALL",), metadata=_meta(
        "rule codes or prefixes to run (e.g. BP, SP101); ALL for every rule"))
    ignore: tuple[str, ...] = field(default=(), metadata=_meta("rule codes or prefixes to skip"))
    use_model: bool = field(default=True, metadata=_meta("run the trained classifier"))
    min_confidence: float = field(default=0.0, metadata=_meta(
        "hide classifier findings below this probability (0-1)"))
    rules_dir: str | None = field(default=None, metadata=_meta(
        "folder of rule files instead of the built-in catalogue", found_file=False))
    model_dir: str | None = field(default=None, metadata=_meta(
        "trained model folder instead of models/default", found_file=False))
    max_pages: int = field(default=2000, metadata=_meta("refuse PDFs with more pages"))
    max_file_mb: float = field(default=200.0, metadata=_meta("refuse files larger than this (MB)"))
    max_docx_mb: float = field(default=100.0, metadata=_meta(
        "refuse DOCX files that expand beyond this (MB; zip bombs)"))
    timeout: float = field(default=120.0, metadata=_meta(
        "seconds allowed per file in a batch (0: no limit)", affects_results=False))
    contract_value: float | None = field(default=None, metadata=_meta(
        "total contract value in £ (overrides the text)"))
    annual_value: float | None = field(default=None, metadata=_meta(
        "annual contract value in £ (overrides the text)"))
    lots: int | None = field(default=None, metadata=_meta("number of lots (overrides the text)"))
    regime: str | None = field(default=None, metadata=_meta(
        "procurement regime, pcr2015 or pa2023 (overrides detection)"))
    source: str | None = field(default=None, metadata=_meta(
        "the configuration file read, if any", affects_results=False))

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name != "source":
                object.__setattr__(self, f.name, validate(f.name, getattr(self, f.name)))

    # -- derived -------------------------------------------------------------------------------
    @property
    def max_bytes(self) -> int:
        """``max_file_mb`` in bytes."""
        return int(self.max_file_mb * MB)

    @property
    def max_docx_bytes(self) -> int:
        """``max_docx_mb`` in bytes."""
        return int(self.max_docx_mb * MB)

    def fact_overrides(self) -> dict:
        """Document facts the user gave, by their names in :class:`~barrier_scan.detect.facts.Facts`."""
        d = {"contract_value_total": self.contract_value, "contract_value_annual": self.annual_value,
             "lots": self.lots, "regime": self.regime}
        return {k: v for k, v in d.items() if v is not None}

    def with_overrides(self, **kw) -> "Config":
        """A copy with the given settings (None and empty tuples mean "not given")."""
        kw = {k: v for k, v in kw.items() if v is not None and v != ()}
        return replace(self, **kw) if kw else self

    def changed(self) -> dict:
        """Settings that differ from the defaults, by their file key: what reports must state."""
        default = Config()
        return {key_of(f.name): _plain(getattr(self, f.name)) for f in fields(self)
                if f.name != "source" and getattr(self, f.name) != getattr(default, f.name)}

    def result_settings(self) -> dict:
        """Every setting that can change a scan's result (the cache key hashes these)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)
                if f.metadata.get("affects_results", True)}

    def describe(self) -> dict:
        """For report headers: the file used (or null) and the settings it or the flags changed."""
        return {"file": self.source, "changed": self.changed()}


FIELDS = {f.name: f for f in fields(Config)}


def key_of(name: str) -> str:
    """A setting's name as written in files and flags (``max_file_mb`` -> ``max-file-mb``)."""
    return name.replace("_", "-")


def _plain(v):
    return list(v) if isinstance(v, tuple) else v


def _number(key: str, value, *, integer: bool = False, low: float = 0.0, high: float,
            low_open: bool = False) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"'{key}' must be a number, not {value!r}")
    if not math.isfinite(value):
        raise ConfigError(f"'{key}' must be a finite number, not {value!r}")
    if integer and value != int(value):
        raise ConfigError(f"'{key}' must be a whole number, not {value!r}")
    if value < low or (low_open and value == low) or value > high:
        lo = f"more than {low:g}" if low_open else f"at least {low:g}"
        raise ConfigError(f"'{key}' must be {lo} and at most {high:g}, not {value!r}")
    return int(value) if integer else float(value)


def _codes(key: str, value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of rule codes or prefixes")
    out = []
    for v in value:
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return tuple(out)


def validate(name: str, value):
    """Check one setting (any source) and return it in its stored form; ConfigError if bad."""
    key = key_of(name)
    if name in ("select", "ignore"):
        codes = _codes(key, value)
        if name == "select" and not codes:
            raise ConfigError("'select' must name at least one rule code or prefix (or ALL)")
        return codes
    if value is None and FIELDS[name].default is None:
        return None
    if name == "use_model":
        if not isinstance(value, bool):
            raise ConfigError(f"'{key}' must be true or false")
        return value
    if name in ("rules_dir", "model_dir"):
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"'{key}' must be a folder path")
        return value
    if name == "regime":
        if value not in REGIMES:
            raise ConfigError(f"'regime' must be one of {', '.join(REGIMES)}, not {value!r}")
        return value
    if name == "min_confidence":
        return _number(key, value, high=1.0)
    if name == "max_pages":
        return _number(key, value, integer=True, low=1, high=_MAX_PAGES)
    if name in ("max_file_mb", "max_docx_mb"):
        return _number(key, value, low=0, low_open=True, high=_MAX_MB)
    if name == "timeout":
        return _number(key, value, high=_MAX_TIMEOUT)
    if name in ("contract_value", "annual_value"):
        return _number(key, value, low=0, low_open=True, high=_MAX_VALUE)
    if name == "lots":
        return _number(key, value, integer=True, low=1, high=10_000)
    raise ConfigError(f"unknown setting '{key}'")  # pragma: no cover - FIELDS covers all


# -- files ------------------------------------------------------------------------------------
def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read configuration: {e}") from None


def _table(path: Path, data: dict) -> dict | None:
    """The barrier-scan table of a parsed file (None: a pyproject.toml without one)."""
    tool = data.get("tool", {})
    table = tool.get("barrier-scan") if isinstance(tool, dict) else None
    if table is None and path.name != "pyproject.toml":
        table = data  # barrier-scan.toml may hold the keys at the top level
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.barrier-scan] must be a table")
    return table


def project_folders(start: Path | None = None) -> list[Path]:
    """Where a configuration file is looked for: ``start`` (the working folder) and its parents
    up to the repository root; just ``start`` when it is not inside a repository."""
    start = (start or Path.cwd()).resolve()
    chain = [start, *start.parents]
    for i, d in enumerate(chain):
        if (d / ".git").exists():
            return chain[: i + 1]
    return [start]


def find_config_file(start: Path | None = None) -> tuple[Path, dict] | None:
    """The nearest ``barrier-scan.toml`` or ``pyproject.toml`` with ``[tool.barrier-scan]`` in
    the current project (see :func:`project_folders`)."""
    for d in project_folders(start):
        for name in ("barrier-scan.toml", "pyproject.toml"):
            p = d / name
            if p.is_file():
                table = _table(p, _read_toml(p))
                if table is not None:
                    return p, table
    return None


def _from_table(path: Path, table: dict, named: bool) -> dict:
    values = {}
    for key, value in table.items():
        name = str(key).replace("-", "_")
        if name not in FIELDS or name == "source":
            raise ConfigError(f"{path}: unknown key '{key}' (known: "
                              f"{', '.join(key_of(n) for n in FIELDS if n != 'source')})")
        if not named and not FIELDS[name].metadata["found_file"]:
            raise ConfigError(f"{path}: '{key}' is only read from a file named with --config "
                              "(a file found by searching may not choose rules or models)")
        try:
            values[name] = validate(name, value)
        except ConfigError as e:
            raise ConfigError(f"{path}: {e}") from None
    return values


def load_config(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Config:
    """The configuration from ``explicit`` (``--config``) or the current project's file."""
    if explicit:
        path = Path(explicit)
        table = _table(path, _read_toml(path))
        if table is None:
            raise ConfigError(f"{path}: no [tool.barrier-scan] table")
        return Config(**_from_table(path, table, named=True), source=str(path))
    if os.environ.get("BARRIER_SCAN_NO_CONFIG") == "1":
        return Config()
    found = find_config_file(start)
    if not found:
        return Config()
    path, table = found
    return Config(**_from_table(path, table, named=False), source=str(path))


def build_config(explicit=None, **flags) -> Config:
    """The configuration file's settings with command-line ``flags`` on top (None: not given).

    ``extend_ignore`` adds to the file's ``ignore`` rather than replacing it.
    """
    cfg = load_config(explicit)
    extra = flags.pop("extend_ignore", None)
    if extra:
        flags["ignore"] = tuple(cfg.ignore) + _codes("ignore", list(extra))
    given = {}
    for name, value in flags.items():
        if value is None or value == ():
            continue
        if name not in FIELDS:
            raise ConfigError(f"unknown setting '{key_of(name)}'")
        given[name] = value
    try:
        return replace(cfg, **given) if given else cfg
    except ConfigError as e:
        raise ConfigError(f"command line: {e}") from None
