"""Choosing rules by code or prefix (ruff-style ``--select BP --ignore BP104``)."""
from __future__ import annotations

import difflib

from collections.abc import Iterable

from ...errors import ConfigError
from ...taxonomy import all_codes
from .loader import Rule


def _matches(code: str, selectors: Iterable[str]) -> int:
    """Length of the longest selector that is a prefix of ``code`` (0 if none)."""
    best = 0
    for sel in selectors:
        sel = sel.strip().upper()
        if sel == "ALL":
            best = max(best, 1)
        elif sel and code.startswith(sel):
            best = max(best, len(sel) + 1)
    return best


def is_enabled(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """Selected unless ignored; the more specific selector wins (as in ruff)."""
    select = list(select or ["ALL"])
    ignore = list(ignore or [])
    s, i = _matches(code, select), _matches(code, ignore)
    return s > 0 and s > i


def select_rules(rules: Iterable[Rule], select=None, ignore=None) -> list[Rule]:
    """The rules enabled by ``select`` and ``ignore``."""
    return [r for r in rules if is_enabled(r.code, select, ignore)]


def unknown_selectors(rules: Iterable[Rule], selectors: Iterable[str]) -> list[str]:
    """Selectors that match no rule (and are not model codes or ALL): almost always a typo."""
    codes = all_codes(r.code for r in rules)
    return [s for s in selectors if s.upper() != "ALL" and not any(c.startswith(s.upper()) for c in codes)]


def check_selectors(rules: list[Rule], select, ignore) -> None:
    """A selector that matches no rule is almost always a typo: refuse it, naming near codes."""
    codes = all_codes(r.code for r in rules)
    bad = unknown_selectors(rules, list(select) + list(ignore))
    if not bad:
        return
    known = codes + sorted({c[:2] for c in codes})
    hints = []
    for b in bad:
        near = difflib.get_close_matches(b.upper(), known, n=3, cutoff=0.5)
        hints.append(f"'{b}'" + (f" (did you mean {', '.join(near)}?)" if near else ""))
    raise ConfigError(f"unknown rule code or prefix {', '.join(hints)}; "
                      "'barrier-scan rules' lists them")
