"""Accepted findings ("baseline"): record today's findings so later scans show only new ones.

A commissioner reviews a draft, decides some findings are justified (a turnover floor the
finance team insists on, say) and records them::

    barrier-scan baseline create spec.docx -o accepted.json --reviewer "A. Buyer"
    barrier-scan scan spec.docx --baseline accepted.json

Entries are keyed by :meth:`Finding.key` (rule code + hash of the normalised sentence; see
:func:`finding_key` for findings about the whole document), so they
survive re-pagination, renumbering and edits elsewhere in the document, and do not depend on the
file name: the same clause accepted in ``draft-v1.docx`` is accepted in ``draft-v2.docx``.
Rewording the clause itself makes a new finding (on purpose: it needs a fresh look).

File format (``version`` 1; validated on load, unknown keys are refused so a typo such as
``"expiry"`` is caught rather than silently ignored)::

    {
      "version": 1,
      "tool": "barrier-scan",
      "created": "2026-11-25",
      "entries": [
        {"key": "BP101:0123456789abcdef", "code": "BP101", "path": "../drafts/spec.docx",
         "location": "¶ 12", "quote": "Bidders must have ...", "message": "...",
         "justification": "", "reviewer": "", "expires": null, "accepted_on": "2026-11-25"}
      ]
    }

``expires`` (``YYYY-MM-DD`` or null) is the last day the acceptance holds; from the day after,
the finding is reported again, with a warning naming the expired entry. ``path`` is relative
to the baseline file's folder (for people to read; entries match by key, whatever the path).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date

from .errors import ConfigError
from .findings import DocumentResult, Finding

BASELINE_VERSION = 1
ENTRY_FIELDS = ("key", "code", "path", "location", "quote", "message", "justification",
                "reviewer", "expires", "accepted_on", "note")
_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*:[0-9a-f]{16}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BaselineError(ConfigError):
    """The baseline file is missing, not JSON, or not in the expected shape."""


def today() -> date:
    """Today's date; ``BARRIER_SCAN_TODAY=YYYY-MM-DD`` fixes it (reproducible CI runs, tests)."""
    fixed = os.environ.get("BARRIER_SCAN_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise ConfigError(f"BARRIER_SCAN_TODAY={fixed!r} is not a date YYYY-MM-DD") from None
    return date.today()


def parse_date(value: str, what: str = "date") -> date:
    """``YYYY-MM-DD`` as a date; ValueError naming ``what`` otherwise."""
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(f"{what} must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a real date") from None


@dataclass
class Entry:
    """One accepted finding: its key, where it was, why and by whom, and until when."""
    key: str
    code: str = ""
    path: str = ""
    location: str = ""
    quote: str = ""
    message: str = ""
    justification: str | None = ""
    reviewer: str | None = ""
    expires: date | None = None
    accepted_on: str | None = None
    note: str | None = None

    def expired(self, on: date) -> bool:
        """True from the day after ``expires``."""
        return self.expires is not None and on > self.expires

    def to_dict(self) -> dict:
        """Plain JSON-ready data."""
        d = {k: getattr(self, k) for k in ENTRY_FIELDS if k != "note"}
        d["expires"] = self.expires.isoformat() if self.expires else None
        if self.note is not None:
            d["note"] = self.note
        return d


@dataclass
class Baseline:
    """A set of accepted findings, as read from or written to a baseline file."""
    entries: list[Entry] = field(default_factory=list)
    created: str | None = None
    source: str = "<baseline>"

    def to_dict(self) -> dict:
        """Plain JSON-ready data."""
        return {"version": BASELINE_VERSION, "tool": "barrier-scan", "created": self.created,
                "entries": [e.to_dict() for e in self.entries]}

    def dumps(self) -> str:
        """The baseline file's text (JSON, stable key order)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def by_key(self) -> dict[str, Entry]:
        """Entries by finding key."""
        return {e.key: e for e in self.entries}


# ------------------------------------------------------------------------------ create
def relative_path(path: str, base_dir: str | os.PathLike | None) -> str:
    """``path`` as the baseline file records it: relative to the folder of the baseline file
    (``base_dir``), so the baseline reads the same in another folder or on another machine; just
    the file name when no relative path exists (another drive) or no folder is given."""
    if not path or path.startswith("<"):  # "<text>": not a file
        return path
    if base_dir is None:
        return os.path.basename(path)
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base_dir))
    except ValueError:  # Windows: another drive
        return os.path.basename(path)
    return rel.replace(os.sep, "/")


def create(results: list[DocumentResult], *, reviewer: str = "", justification: str = "",
           expires: date | None = None, on: date | None = None,
           include_strengths: bool = False, base_dir: str | os.PathLike | None = None) -> Baseline:
    """A baseline accepting every barrier in ``results`` (one entry per distinct key).

    Strengths are not recorded unless ``include_strengths``: they are not problems to accept.
    ``path`` is for people only (entries match by key): it is written relative to ``base_dir``,
    the folder the baseline file will be in, never as an absolute path.
    """
    on = on or today()
    entries: dict[str, Entry] = {}
    for r in results:
        if r.error:
            continue
        for f in r.findings:
            if f.polarity != "barrier" and not include_strengths:
                continue
            k = f.key()
            if k in entries:
                continue
            entries[k] = Entry(key=k, code=f.code, path=relative_path(r.path, base_dir),
                               location=f.evidence.location(),
                               quote=f.evidence.sentence or f.evidence.text, message=f.message,
                               justification=justification or "", reviewer=reviewer or "",
                               expires=expires, accepted_on=on.isoformat())
    return Baseline(entries=list(entries.values()), created=on.isoformat())


# ------------------------------------------------------------------------------ load
def load(path: str | os.PathLike) -> Baseline:
    """Read and validate a baseline file; raises :class:`BaselineError` naming what is wrong."""
    shown = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise BaselineError(f"{shown}: baseline file not found "
                            "(create one with 'barrier-scan baseline create')") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BaselineError(f"{shown}: cannot read baseline: {e}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise BaselineError(f"{shown}: not valid JSON (line {e.lineno}, column {e.colno}: "
                            f"{e.msg})") from None
    return from_dict(data, shown)


def from_dict(data, source: str = "<baseline>") -> Baseline:
    """Validate parsed baseline JSON; BaselineError names the entry and key at fault."""
    def fail(msg: str):
        raise BaselineError(f"{source}: {msg}")

    if not isinstance(data, dict):
        fail("a baseline must be a JSON object with 'version' and 'entries'")
    if "version" not in data:
        fail("missing 'version' (expected 1)")
    if data["version"] != BASELINE_VERSION:
        fail(f"unsupported baseline version {data['version']!r} (this barrier-scan reads "
             f"version {BASELINE_VERSION})")
    unknown = sorted(set(data) - {"version", "tool", "created", "entries"})
    if unknown:
        fail(f"unknown top-level key(s): {', '.join(unknown)}")
    entries = data.get("entries")
    if not isinstance(entries, list):
        fail("'entries' must be a list")
    out: list[Entry] = []
    seen: set[str] = set()
    for i, e in enumerate(entries, 1):
        where = f"entry {i}"
        if not isinstance(e, dict):
            fail(f"{where}: must be an object")
        unknown = sorted(set(e) - set(ENTRY_FIELDS))
        if unknown:
            fail(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(ENTRY_FIELDS)})")
        key = e.get("key")
        if not isinstance(key, str) or not _KEY_RE.match(key):
            fail(f"{where}: 'key' must look like 'BP101:0123456789abcdef' "
                 "(rule code, colon, 16 hex digits), got {key!r}")
        if key in seen:
            fail(f"{where}: duplicate key {key}")
        seen.add(key)
        code = e.get("code") or key.split(":", 1)[0]
        if code != key.split(":", 1)[0]:
            fail(f"{where}: 'code' {code!r} does not match the key {key}")
        for name in ("path", "location", "quote", "message", "justification", "reviewer",
                     "note", "accepted_on"):
            v = e.get(name)
            if v is not None and not isinstance(v, str):
                fail(f"{where}: '{name}' must be text or null")
        expires = e.get("expires")
        if expires is not None:
            try:
                expires = parse_date(expires, "'expires'")
            except ValueError as err:
                fail(f"{where}: {err}, or null")
        out.append(Entry(key=key, code=code, path=e.get("path") or "",
                         location=e.get("location") or "", quote=e.get("quote") or "",
                         message=e.get("message") or "", justification=e.get("justification"),
                         reviewer=e.get("reviewer"), expires=expires,
                         accepted_on=e.get("accepted_on"), note=e.get("note")))
    created = data.get("created")
    return Baseline(entries=out, created=created if isinstance(created, str) else None,
                    source=source)


# ------------------------------------------------------------------------------ apply
def apply_baseline(result: DocumentResult, baseline: Baseline, on: date | None = None) -> DocumentResult:
    """Hide accepted findings from ``result`` (in place) and count them in ``result.accepted``.

    Acceptances past their ``expires`` date no longer hide anything; each expired entry that
    matched a finding adds a warning so the reader knows why an old finding is back. The score
    and band are left as they were: they describe the document, accepted or not.
    """
    if result.error:
        return result
    on = on or today()
    entries = baseline.by_key()
    kept: list[Finding] = []
    expired_hits: dict[str, Entry] = {}
    accepted = 0
    for f in result.findings:
        e = entries.get(f.key())
        if e is None:
            kept.append(f)
        elif e.expired(on):
            expired_hits[e.key] = e
            kept.append(f)
        else:
            accepted += 1
    result.findings = kept
    result.accepted += accepted
    for e in expired_hits.values():
        result.warnings.append(f"baseline: acceptance of {e.code} ({e.key}) expired on "
                               f"{e.expires.isoformat()}; the finding is shown again")
    return result
