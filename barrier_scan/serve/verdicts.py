"""What reviewers decided about findings: a local SQLite database of "accepted" and "wrong".

Verdicts are keyed by :meth:`Finding.key` (rule code + hash of the normalised clause), exactly as
``baseline`` keys its entries, so a finding accepted in ``draft-v1.docx`` is still accepted when
``draft-v2.docx`` (or the same file again) is uploaded, whatever its name or page.

Two exports turn the database back into the project's own files:

* accepted findings -> a baseline file (``baseline.py`` format, loadable with ``--baseline``);
* "wrong" verdicts -> labelled sentences in the LABELS.md JSON Lines format
  (``{"id", "source", "text", "labels", "note"}``), so the people who use the tool can feed their
  corrections back into training (``barrier-scan train --data``).

One short-lived connection per call: the web app calls in from its event loop and its scanner
thread, and SQLite serialises writers itself (WAL mode, a busy timeout).
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..baseline import Baseline, Entry
from ..findings import Finding
from ..taxonomy import CATEGORY_WORDS, SENTENCE_CATEGORIES

ACCEPTED, WRONG = "accepted", "wrong"
VERDICTS = (ACCEPTED, WRONG)
MAX_REASON = 2000  # characters kept of a reason (a form field, not an essay)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    key       TEXT PRIMARY KEY,
    verdict   TEXT NOT NULL CHECK (verdict IN ('accepted', 'wrong')),
    reason    TEXT NOT NULL DEFAULT '',
    labels    TEXT NOT NULL DEFAULT '[]',
    code      TEXT NOT NULL DEFAULT '',
    category  TEXT NOT NULL DEFAULT '',
    polarity  TEXT NOT NULL DEFAULT '',
    path      TEXT NOT NULL DEFAULT '',
    location  TEXT NOT NULL DEFAULT '',
    quote     TEXT NOT NULL DEFAULT '',
    sentence  TEXT NOT NULL DEFAULT '',
    message   TEXT NOT NULL DEFAULT '',
    decided   TEXT NOT NULL,
    updated   REAL NOT NULL
);
"""


class VerdictError(ValueError):
    """A verdict that cannot be recorded (unknown kind, missing reason, bad label)."""


@dataclass
class Verdict:
    """One reviewer decision about one finding key."""
    key: str
    verdict: str
    reason: str = ""
    labels: list[str] = field(default_factory=list)
    code: str = ""
    category: str = ""
    polarity: str = ""
    path: str = ""
    location: str = ""
    quote: str = ""
    sentence: str = ""
    message: str = ""
    decided: str = ""


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/barrier-scan/reviews.sqlite3`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "barrier-scan" / "reviews.sqlite3"


class VerdictStore:
    """The verdicts database at ``path`` (created on first use, private to this user)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        if new:  # verdicts quote tender text and reasons: not for other users of the machine
            with contextlib.suppress(OSError):
                os.chmod(self.path, 0o600)

    @contextlib.contextmanager
    def _connect(self):
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:  # commit on success, roll back on error
                yield db
        finally:
            db.close()

    # -- record --------------------------------------------------------------------------------
    def decide(self, finding: Finding, verdict: str, reason: str = "", labels=(), path: str = "",
               on: date | None = None) -> Verdict:
        """Record ``verdict`` (accepted | wrong) for ``finding``, replacing any earlier one.

        Accepting needs a reason (it is what a later reader of the baseline sees). ``labels``
        (for "wrong") are the sentence's right labels, if the reviewer gave any.
        """
        if verdict not in VERDICTS:
            raise VerdictError(f"unknown verdict {verdict!r} (accepted or wrong)")
        reason = (reason or "").strip()[:MAX_REASON]
        if verdict == ACCEPTED and not reason:
            raise VerdictError("say why the finding is accepted (the reason goes in the baseline)")
        labels = sorted(set(labels or ()))
        bad = [x for x in labels if x not in SENTENCE_CATEGORIES]
        if bad:
            raise VerdictError(f"unknown label(s) {', '.join(bad)} (known: "
                               f"{', '.join(SENTENCE_CATEGORIES)})")
        if verdict == ACCEPTED:
            labels = []
        ev = finding.evidence
        v = Verdict(key=finding.key(), verdict=verdict, reason=reason, labels=labels,
                    code=finding.code, category=finding.category, polarity=finding.polarity,
                    path=path, location=ev.location(), quote=ev.text or "",
                    sentence=ev.sentence or "", message=finding.message,
                    decided=(on or date.today()).isoformat())
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO verdicts (key, verdict, reason, labels, code, category, "
                "polarity, path, location, quote, sentence, message, decided, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (v.key, v.verdict, v.reason, json.dumps(v.labels), v.code, v.category, v.polarity,
                 v.path, v.location, v.quote, v.sentence, v.message, v.decided, time.time()))
        return v

    def clear(self, key: str) -> bool:
        """Forget the verdict on ``key``; True if there was one."""
        with self._connect() as db:
            return db.execute("DELETE FROM verdicts WHERE key = ?", (key,)).rowcount > 0

    # -- read ----------------------------------------------------------------------------------
    def for_keys(self, keys) -> dict[str, Verdict]:
        """The verdicts on any of ``keys``, by key."""
        keys = list(dict.fromkeys(keys))
        out: dict[str, Verdict] = {}
        with self._connect() as db:
            for i in range(0, len(keys), 500):  # SQLite's bound-parameter limit
                chunk = keys[i:i + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT * FROM verdicts WHERE key IN ({marks})", chunk)
                for v in map(_row, rows.fetchall()):
                    out[v.key] = v
        return out

    def all(self, verdict: str | None = None) -> list[Verdict]:
        """Every verdict (or every one of one kind), oldest decision first."""
        sql, args = "SELECT * FROM verdicts", ()
        if verdict:
            sql, args = sql + " WHERE verdict = ?", (verdict,)
        with self._connect() as db:
            return [_row(r) for r in db.execute(sql + " ORDER BY updated, key", args).fetchall()]

    # -- export --------------------------------------------------------------------------------
    def baseline(self, on: date | None = None) -> Baseline:
        """The accepted findings as a baseline (``barrier-scan scan --baseline`` reads it)."""
        entries = [Entry(key=v.key, code=v.code, path=v.path, location=v.location,
                         quote=v.sentence or v.quote, message=v.message, justification=v.reason,
                         reviewer="", expires=None, accepted_on=v.decided)
                   for v in self.all(ACCEPTED)]
        return Baseline(entries=entries, created=(on or date.today()).isoformat())

    def labels_jsonl(self) -> str:
        """The "wrong" verdicts as LABELS.md JSON Lines: one labelled sentence a line.

        ``labels`` are the labels the reviewer said the sentence does have (often none); the
        note says what barrier-scan claimed and why the reviewer disagreed. Findings about the
        whole document have no sentence to label and are left out.
        """
        lines = []
        for v in self.all(WRONG):
            text = v.sentence or v.quote
            if not text or v.location == "document":
                continue
            claim = CATEGORY_WORDS.get(v.category, v.category)
            note = f"barrier-scan flagged {v.code} ({claim}) here; a reviewer marked it wrong"
            if v.reason:
                note += f": {v.reason}"
            lines.append(json.dumps({"id": "review-" + v.key.replace(":", "-"), "source": v.path,
                                     "text": text, "labels": v.labels, "note": note},
                                    ensure_ascii=False))
        return "".join(line + "\n" for line in lines)


def _row(r) -> Verdict:
    (key, verdict, reason, labels, code, category, polarity, path, location, quote, sentence,
     message, decided, _updated) = r
    try:
        labels = [x for x in json.loads(labels) if isinstance(x, str)]
    except (ValueError, TypeError):
        labels = []
    return Verdict(key=key, verdict=verdict, reason=reason, labels=labels, code=code,
                   category=category, polarity=polarity, path=path, location=location,
                   quote=quote, sentence=sentence, message=message, decided=decided)
