"""The words a finding quotes: a trigger's span widened to what a person needs to see.

A pattern stops where its author stopped it: ``must use (?-i:[A-Z])`` ends after one capital
letter ("must use L" inside "must use Lamplight"), a phrase like "liability at" ends just before
the £1 million it is about. A quote shown to a commissioner must be whole words, and must
include the product, supplier, figure or period that makes the finding, so :func:`quote_span`

1. joins the trigger's other hits that overlap it ("must use L" + "Lamplight");
2. widens both ends to whole words (and whole figures: "£2,000" + ",000", "BS 8300" + "-2:2018",
   "insurance of £" + "10 million");
3. carries on over the rest of a capitalised name ("Accredited" + "Reminiscence Practitioner",
   "RemiCraft" + "Ltd");
4. takes in a figure or period written straight after it ("liability at" + "£1 million",
   "in the last" + "three years"), or a name after a pointing word ("supplied by" + "Apex Ltd");
5. trims spaces and punctuation at the edges.

Each step only ever adds the document's own adjacent characters, so the quote stays a substring
of the sentence.
"""
from __future__ import annotations

import re

_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
                 r"twenty|thirty|forty|forty-five|fifty|sixty|ninety")
# A sum of money, a percentage or a period: what thresholds and terms are written in.
_FIGURE = (
    r"(?:[£€$]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|bn|m|k)\b)?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent\b)"
    rf"|(?:\d+|{_NUMBER_WORDS})(?:\s*\(\d+\))?\s+(?:calendar\s+|working\s+|business\s+|financial\s+"
    r"|full\s+|consecutive\s+|accounting\s+|trading\s+)?(?:years?|months?|weeks?|days?|hours?)\b"
    r"(?:['’])?)")
# Words that lead into a figure ("of", "at least", "within", ...); a bare number ("a credit score
# of 60") counts only after one of these.
_LEAD = (r"(?:of\s+at\s+least|of\s+not\s+less\s+than|at\s+least|no\s+less\s+than|not\s+less\s+than"
         r"|no\s+more\s+than|not\s+exceeding|in\s+excess\s+of|of|at|within|to|above|below|over"
         r"|under|exceeding|from|by|for|minimum|maximum)")
_AFTER_FIGURE = re.compile(rf"\s+(?:{_LEAD}\s+)?{_FIGURE}", re.I)
_AFTER_NUMBER = re.compile(rf"\s+{_LEAD}\s+\d[\d,]*(?:\.\d+)?\b", re.I)
# A capitalised word (a name, or part of one) and the small words allowed inside a name.
_CAP_WORD = r"(?:[A-Z][\w&'’.-]*|[A-Z]{2,}\d*)"
_NAME_TAIL = re.compile(rf"(?:\s+(?:(?:of|for|&)\s+)?{_CAP_WORD}){{1,5}}")
# Words after which a capitalised word names something (a product, a supplier, a body).
_POINTER = re.compile(r"(?i:\b(?:use|using|by|from|through|via|with|hold|holds|held|on)$)")
_UNIT_TAIL = re.compile(r"(?:[.,:/-]\d+)+|\s?(?:million|billion|bn|m|k)\b|\s?%")
# The amount after a trigger that stops at its currency sign ("insurance of £" + "10 million").
_AMOUNT = re.compile(r"\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|bn|m|k)\b)?")
_MAX_GROWTH = 80  # characters a quote may grow by past the trigger: never swallow a sentence


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def merge_overlapping(spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The earliest span joined with every other span that overlaps or touches it."""
    ordered = sorted(spans)
    s, e = ordered[0]
    for a, b in ordered[1:]:
        if a <= e:
            e = max(e, b)
        else:
            break
    return s, e


def _whole_words(text: str, s: int, e: int) -> tuple[int, int]:
    while 0 < s < len(text) and _is_word(text[s - 1]) and _is_word(text[s]):
        s -= 1
    while True:
        if e < len(text) and 0 < e and _is_word(text[e - 1]) and _is_word(text[e]):
            e += 1
        # "co-design|ed", "provider|'s": a joiner between two letters belongs to the word
        elif (e + 1 < len(text) and e > 0 and text[e] in "-'’" and _is_word(text[e - 1])
              and text[e + 1].isalpha()):
            e += 2
        else:
            break
    return s, e


def _last_word(text: str, s: int, e: int) -> str:
    words = text[s:e].split()
    return words[-1] if words else ""


def quote_span(text: str, span: tuple[int, int], others: list[tuple[int, int]] = ()) -> tuple[int, int]:
    """``span`` inside ``text`` (a sentence) widened to the words a person needs to see."""
    s, e = merge_overlapping([span, *[o for o in others if o != span]]) if others else span
    s, e = max(0, s), min(len(text), e)
    limit = min(len(text), e + _MAX_GROWTH)
    s, e = _whole_words(text, s, e)
    if e > s and text[e - 1] in "£€$":
        m = _AMOUNT.match(text, e)
        if m and m.end() <= limit:
            e = m.end()
    if e > s and text[e - 1].isdigit():  # the rest of a figure: "£2,000" -> "£2,000,000"
        m = _UNIT_TAIL.match(text, e)
        if m and m.end() <= limit:
            e = _whole_words(text, s, m.end())[1]
    last = _last_word(text, s, e)
    at_sentence_start = not text[:s].strip()
    if last[:1].isupper() and not (at_sentence_start and len(text[s:e].split()) == 1):
        m = _NAME_TAIL.match(text, e)
        if m and m.end() <= limit:
            e = m.end()
    else:
        m = _AFTER_FIGURE.match(text, e) or _AFTER_NUMBER.match(text, e)
        if m and m.end() <= limit:
            e = _whole_words(text, s, m.end())[1]
        elif _POINTER.search(last):
            m = re.compile(rf"\s+{_CAP_WORD}").match(text, e)
            if m:
                tail = _NAME_TAIL.match(text, e)
                end = tail.end() if tail else m.end()
                if end <= limit:
                    e = end
    # A name's last word may carry the sentence's comma or full stop ("Ltd,", "Ltd."): drop it,
    # but keep the stops of an abbreviation ("U.K.").
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:(" or (
            text[e - 1] == "." and "." not in _last_word(text, s, e - 1))):
        e -= 1
    while s < e and text[s].isspace():
        s += 1
    return s, e
