"""Exact literal prefilter for rule regexes (a speed-up that never changes which regex matches).

Most rule regexes look like ``\\b(must|shall|required)\\b[^.;]{0,60}\\bturnover\\b``: they start
with ``\\b`` and an alternation, so Python's ``re`` cannot use its fast literal-prefix scan and
tries the pattern at every position of every sentence. With ~300 regexes per sentence that was
most of the detection time (see bench/README.md).

:func:`required_literals` reads the parsed pattern and returns a set of lower-case ASCII strings
such that **every** match of the regex contains at least one of them, or ``None`` when no such
set can be proved (then the regex always runs). :func:`lowered` gives the text the set is tested
against with ``in`` (a fast C substring search), or ``None`` when the text contains one of the
four characters for which Python's case-insensitive matching and ``str.lower`` disagree
(U+0130, U+0131, U+017F, U+212A; found by trying every code point against every printable ASCII
character); then every regex runs. So a regex is skipped only when it provably cannot match.
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

# Text characters that re.IGNORECASE matches against an ASCII pattern character although their
# str.lower() does not contain it (or str.lower() changes the length).
_FOLD_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a]")

Literals = frozenset  # of lower-case ASCII strings


def lowered(text: str) -> str | None:
    """``text.lower()``, or None when the literal test would not be exact for this text."""
    return None if _FOLD_SPECIAL.search(text) else text.lower()


def may_match(literals: Literals | None, low: str | None) -> bool:
    """False only when the regex with these required literals cannot match the text."""
    if literals is None or low is None:
        return True
    return any(lit in low for lit in literals)


def required_literals(pattern: str | re.Pattern, flags: int = 0) -> Literals | None:
    """Literal words at least one of which any match of ``rx`` must contain (None: unknown)."""
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    try:
        tree = _p.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - anything odd: no prefilter, the regex always runs
        return None
    return _seq(list(tree))


def _best(cands: list[Literals]) -> Literals | None:
    if not cands:
        return None
    # Prefer the most selective set: longest shortest-literal, then fewest alternatives.
    return max(cands, key=lambda s: (min(len(x) for x in s), -len(s)))


def _seq(items) -> Literals | None:
    cands: list[Literals] = []
    run: list[str] = []

    def flush():
        if run:
            cands.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL and av < 128:
            run.append(chr(av).lower())
        elif op is _c.AT:
            continue  # zero width: the literals either side are still adjacent in the text
        elif op is _c.IN and len(av) == 1 and av[0][0] is _c.LITERAL and av[0][1] < 128:
            run.append(chr(av[0][1]).lower())
        elif op is _c.SUBPATTERN:
            flush()
            _add(cands, _seq(list(av[-1])))
        elif op is _c.BRANCH:
            flush()
            _add(cands, _branch(av[1]))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            flush()
            lo, _hi, sub = av
            if lo >= 1:
                _add(cands, _seq(list(sub)))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            flush()
            _add(cands, _seq(list(av)))
        else:  # classes, any, categories, lookarounds, back-references, conditionals
            flush()
    flush()
    return _best(cands)


def _branch(alternatives) -> Literals | None:
    out: set[str] = set()
    for alt in alternatives:
        r = _seq(list(alt))
        if r is None:
            return None
        out |= r
    return frozenset(out)


def _add(cands: list[Literals], r: Literals | None) -> None:
    if r is not None and all(r):
        cands.append(r)


def _trie_pattern(words: list[str]) -> str:
    """A regex matching, at a position, the longest of ``words`` that starts there."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


class RegexPrefilter:
    """Which of many regexes can match a text, found with one pass over the lower-cased text.

    ``literal_sets[i]`` is :func:`required_literals` of regex ``i`` (None: always a candidate).
    A single lookahead regex over a trie of all literals reports, at every position, the longest
    literal starting there; every literal that starts at that position is a prefix of it, so the
    literals present in the text are exactly the prefix-closures of those reported. Regex ``i`` is
    a candidate when one of its literals is present.
    """

    def __init__(self, literal_sets: list[Literals | None]):
        self.n = len(literal_sets)
        self.always = frozenset(i for i, s in enumerate(literal_sets) if s is None)
        by_lit: dict[str, set[int]] = {}
        for i, s in enumerate(literal_sets):
            for lit in s or ():
                by_lit.setdefault(lit, set()).add(i)
        # For each literal: the regexes wanting it or any literal that is a prefix of it.
        self._ids = {lit: frozenset().union(*(by_lit.get(lit[:k], ()) for k in range(1, len(lit) + 1)))
                     for lit in by_lit}
        self._rx = re.compile(f"(?=({_trie_pattern(sorted(by_lit))}))", re.DOTALL) if by_lit else None
        self._all = list(range(self.n))

    def candidates(self, text: str) -> list[int]:
        """Indices (ascending) of the regexes that may match ``text``; the others cannot."""
        low = lowered(text)
        if low is None or self._rx is None:
            return self._all if low is None else sorted(self.always)
        ids = self._ids
        cand = set(self.always)
        for lit in {m.group(1) for m in self._rx.finditer(low)}:
            cand |= ids[lit]
        return sorted(cand)
