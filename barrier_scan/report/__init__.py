"""Report formatters. Each module exposes ``render(results, meta) -> str`` (bandit-style: one
module per format, same signature). ``meta`` carries run facts: version, time, config."""
from __future__ import annotations

import importlib

FORMATS = {"text": "text", "json": "json"}


def register(name: str, module: str) -> None:
    FORMATS[name] = module


def get_formatter(name: str):
    if name not in FORMATS:
        raise KeyError(f"unknown format {name!r} (known: {', '.join(sorted(FORMATS))})")
    return importlib.import_module(f"{__name__}.{FORMATS[name]}")


def available() -> list[str]:
    return sorted(FORMATS)


# Formats added by other modules register here when present.
for _name, _mod in (("html", "html"), ("csv", "csv_report"), ("jsonl", "jsonl")):
    if importlib.util.find_spec(f"{__name__}.{_mod}") is not None:
        FORMATS[_name] = _mod
