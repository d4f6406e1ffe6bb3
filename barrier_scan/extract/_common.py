"""Small helpers shared by the format extractors."""
from __future__ import annotations

import re

from ..document import Block

_WS = re.compile(r"\s+")
# Characters that should never reach a block: zero-width, soft hyphen, BOM, controls.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Hyphenated prefixes that are real hyphens when a word is broken after them at a line end.
# Used by :func:`join_hyphenated`: "co-\nproduction" stays "co-production", "require-\nments"
# becomes "requirements".
KEEP_HYPHEN_PREFIXES = frozenset(
    "co non self cross multi pre post anti semi ex sub inter well full part long short high "
    "low small large cost value not over under mid e end third first second top pan all".split()
)

BULLET_RE = re.compile(r"^\s*([\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2043\u2219\u00b7\uf0b7\uf0a7\uf0d8\uf076\uf0fc\u27a2\u2713\u2714\u25ba\u25b6*\-–—o])\s+(?=\S)")
NUMBERED_RE = re.compile(r"^\s*(\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxlcIVXLC]{1,5}[.)]|\([0-9a-zA-Z]{1,4}\))\s+(?=\S)")


def norm_ws(text: str) -> str:
    """Strip, drop invisible characters and collapse all whitespace to single spaces."""
    return _WS.sub(" ", _INVISIBLE.sub("", text)).strip()


def join_hyphenated(left: str, right: str) -> str:
    """Join two lines, repairing a line-end hyphenation.

    Rule: if ``left`` ends with a hyphen directly after a letter and ``right`` starts with a
    lower-case letter, the word was broken at the line end: join without space. The hyphen is
    dropped ("require-" + "ments" -> "requirements") unless the fragment before it is a common
    hyphenated prefix in :data:`KEEP_HYPHEN_PREFIXES` ("co-" + "production" -> "co-production").
    Otherwise the lines are joined with one space.
    """
    left = left.rstrip()
    right = right.lstrip()
    if not left:
        return right
    if not right:
        return left
    if len(left) >= 2 and left[-1] in "-\u2010" and left[-2].isalpha() and right[0].islower():
        m = re.search(r"([A-Za-z]+)[-\u2010]$", left)
        frag = m.group(1).lower() if m else ""
        if frag in KEEP_HYPHEN_PREFIXES:
            return left[:-1] + "-" + right
        return left[:-1] + right
    if right[0] in ",.;:)]" and not right.startswith("..."):
        return left + right
    return left + " " + right


class SectionTracker:
    """Keeps the heading path ("3 Requirements > 3.2 Finance") as headings arrive."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def push(self, level: int, text: str) -> None:
        level = max(1, int(level or 1))
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, text))

    @property
    def path(self) -> str | None:
        if not self._stack:
            return None
        return " > ".join(t for _, t in self._stack)


# Words that make a line a clause rather than a title: a finite verb, a modal or an address to
# the reader ("You may submit a tender for one or more lots.").
_CLAUSE_WORD = re.compile(
    r"\b(is|are|was|were|be|will|shall|must|should|may|can|cannot|could|would|has|have|do|does|"
    r"you|your|we|our|us|please)\b", re.I)
_WORD = re.compile(r"\w+")
#: A clause number as drafters write it: "3", "4.2.", "171.21", "(b)", "c)", "iv.". One pattern
#: for the heading test below and for segmentation (``segment.py``), so they cannot disagree.
CLAUSE_NUMBER = r"\(?(\d{1,4}(\.\d{1,4})*[.)]?|[a-zA-Z][.)]|[ivxlcIVXLC]{1,5}[.)])\)?"
_LEADING_NUMBER = re.compile(rf"^{CLAUSE_NUMBER}\s+")
# A sentence end inside the line: a full stop after a lower-case word, then a capital. Not
# "Lot 1. Creative Activities", "Part B. Selection", "St. Mary's" (titles, not two sentences).
_SENTENCE_BREAK = re.compile(r"(?<=[a-z]{2})[.!?]\s+[A-Z(]")


def reads_as_prose(text: str) -> bool:
    """Whether a paragraph styled as a heading is really body text.

    Drafters put numbered clauses in heading styles so they appear in the outline ("Each
    question must be answered in its own right. You must not answer ..."). Taken as headings
    they were never checked (a heading is never a finding) and became the section path of every
    paragraph after them. A title may end with a full stop ("Annex D Security Requirements -
    Lots 4 & 5 Only."); a clause is a full sentence of at least five words with a verb or an
    address to the reader (or of ten words or more), more than one sentence, or too long to be a
    title.
    """
    text = _LEADING_NUMBER.sub("", norm_ws(text))  # "2. The Outcomes ..." is not two sentences
    words = len(_WORD.findall(text))
    if words > 25 or _SENTENCE_BREAK.search(text):
        return True
    if not text.endswith((".", ";")):
        return False
    return words >= 10 or (words >= 5 and bool(_CLAUSE_WORD.search(text)))


def heading_label(text: str, limit: int = 120) -> str:
    """A heading shortened for section paths."""
    text = norm_ws(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def make_block(text: str, **kw) -> Block | None:
    """A Block of normalised text, or None when nothing is left."""
    text = norm_ws(text)
    if not text:
        return None
    return Block(text=text, **kw)


def number_paragraphs(blocks: list[Block]) -> list[Block]:
    """Set ``paragraph`` to the 1-based block index (HTML, text, PDF)."""
    for i, b in enumerate(blocks, 1):
        b.paragraph = i
    return blocks
