"""Text normalisation shared by training (``features.py``) and prediction (``compiled.py``).

Normalisation makes the features about the *kind* of requirement rather than its numbers: every
money amount becomes ``zmoney``, every other number ``znum``, curly quotes and the common UTF-8
mojibake of them are straightened. Lemmas come from spaCy's English lookup table
(``spacy-lookups-data``). No scikit-learn here: scanning imports this module.
"""
from __future__ import annotations

import re
from functools import lru_cache

_MOJIBAKE = {
    "â€™": "'", "â€˜": "'", "â€œ": '"', "â€\x9d": '"', "â€“": "-", "â€”": "-", "â€¢": "•",
    "Â£": "£", "Â": " ",
}
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                         "\u00a0": " "})
_MONEY = re.compile(
    r"(?:£|\bgbp\s?|€|\$)\s?\d[\d,]*(?:\.\d+)?\s*(?:million|mill|billion|bn|m|k)?\b"
    r"|\b\d[\d,]*(?:\.\d+)?\s*(?:million|m|k)?\s*(?:pounds|gbp)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*\.?")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z]+")


def normalise_text(text: str) -> str:
    """Lower-case text with money as ``zmoney`` and other numbers as ``znum``."""
    if "â" in text or "Â" in text:
        for bad, good in _MOJIBAKE.items():
            text = text.replace(bad, good)
    text = text.translate(_QUOTES).lower()
    text = _MONEY.sub(" zmoney ", text)
    text = _NUMBER.sub(" znum ", text)
    text = re.sub(r"(?:\bznum\s+){2,}", "znum ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _lemma_table():
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


_LEMMA_CACHE: dict[str, str] = {}


def _lemma(word: str) -> str:
    lem = _LEMMA_CACHE.get(word)
    if lem is None:
        if len(_LEMMA_CACHE) > 200_000:
            _LEMMA_CACHE.clear()
        lem = _LEMMA_CACHE[word] = _lemma_table().get(word, word)
    return lem


def lemmatise(text: str) -> str:
    """Space-joined lookup lemmas of the words of an already-normalised text."""
    return " ".join(map(_lemma, _WORD.findall(text)))
