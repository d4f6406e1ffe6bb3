"""One OCDS tender (a release of the Open Contracting Data Standard 1.1) as a Document.

Contracts Finder, Find a Tender and other publishers describe each procurement as JSON: the
words a bidder reads (title, description, lots, selection and award criteria) and structured
facts (buyer, value, dates, procedure, lots). :func:`notice_from_release` keeps exactly those
fields of a release in a small :class:`Notice` (what a worker is sent), checking their types:
anything malformed is a :class:`NoticeError` naming the field, so the reader can report the one
release and go on. :func:`notice_document` turns a notice into blocks whose section says which
field each came from, followed by the blocks of any local documents the notice names (each
section prefixed with the file name, page and paragraph numbers their own).

The structured facts are not written into the text (evidence must quote the notice's own
words): they go in ``Document.meta["stated_facts"]`` under the names of
:class:`~barrier_scan.detect.facts.Facts`, and the pipeline puts them in place of what the text
parser read (the notice's value and dates are what the turnover and tender-window checks use),
unless the user gave a value on the command line.

Reading package files (streaming, size limits, local documents) is ``barrier_scan.ocds``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..document import Block, Document
from ..errors import ScanError
from ._common import norm_ws, number_paragraphs
from .text import blocks_from_text

__all__ = ["Notice", "NoticeError", "notice_from_release", "notice_document", "stated_facts"]

# Text fields longer than this are cut (with a warning): a notice is a page or two, and a
# megabyte "description" is a publishing error that would only slow the scan.
MAX_FIELD_CHARS = 200_000
MAX_LOTS = 500
MAX_CRITERIA = 200
MAX_DOCUMENTS = 200
# Legal bases (OCDS legalBasis extension; Find a Tender) -> the project's regime names.
_PA2023 = ("2023/54", "procurement act 2023")
_PCR2015 = ("32014l0024", "32014l0025", "32014l0023", "2015/102", "public contracts regulations 2015")


class NoticeError(ValueError):
    """A release that cannot be read as a tender: the message names the field and the fix."""


@dataclass
class Lot:
    """One lot: its words and its stated value."""

    id: str = ""
    title: str = ""
    description: str = ""
    value: float | None = None
    currency: str | None = None
    selection: list[str] = field(default_factory=list)
    award: list[str] = field(default_factory=list)


@dataclass
class Notice:
    """The parts of one OCDS release barrier-scan reads, and the local documents it names.

    ``origin`` says where the release was read ("notices.jsonl line 12"); ``documents`` are the
    local files matched to the release's ``tender.documents`` (absolute paths) and ``missing``
    the named files that were not found; ``digest`` identifies the content (release fields and
    document bytes) for the cache and for resuming a run.
    """

    ocid: str
    origin: str = ""
    release_id: str = ""
    release_date: str | None = None
    tags: list[str] = field(default_factory=list)
    buyer: str | None = None
    buyer_id: str | None = None
    title: str = ""
    description: str = ""
    lots: list[Lot] = field(default_factory=list)
    selection: list[str] = field(default_factory=list)
    award: list[str] = field(default_factory=list)
    value: float | None = None
    currency: str | None = None
    published: str | None = None
    deadline: str | None = None
    contract_start: str | None = None
    contract_end: str | None = None
    contract_days: float | None = None
    procedure: str | None = None
    procedure_details: str | None = None
    category: str | None = None
    legal_basis: str | None = None
    named_documents: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    digest: str = ""

    @property
    def label(self) -> str:
        """How the notice is named in reports: its ocid."""
        return self.ocid

    @property
    def has_text(self) -> bool:
        """Whether there is anything to read (a planning-only release has no tender words)."""
        return bool(self.title or self.description or self.selection or self.award
                    or any(lot.title or lot.description or lot.selection or lot.award
                           for lot in self.lots))

    def content(self) -> dict:
        """The fields that decide the result (not where the release was read), for hashing."""
        d = asdict(self)
        for k in ("origin", "documents", "digest", "warnings"):
            d.pop(k)
        return d

    def summary(self) -> dict:
        """What reports and the dataset carry about the notice besides the findings."""
        return {"ocid": self.ocid, "release_id": self.release_id, "release_date": self.release_date,
                "buyer": self.buyer, "buyer_id": self.buyer_id, "title": self.title,
                "value": self.value, "currency": self.currency, "published": self.published,
                "deadline": self.deadline, "procedure": self.procedure,
                "lots": len(self.lots) or None, "origin": self.origin,
                "documents": [os.path.basename(p) for p in self.documents],
                "missing_documents": list(self.missing)}


# ------------------------------------------------------------------------------ reading fields
def _where(path: str) -> str:
    return path or "the release"


def _obj(value, path: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise NoticeError(f"'{_where(path)}' must be a JSON object, not {type(value).__name__}")
    return value


def _list(value, path: str, limit: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise NoticeError(f"'{path}' must be a JSON array, not {type(value).__name__}")
    if len(value) > limit:
        raise NoticeError(f"'{path}' has {len(value)} entries (more than {limit}): not a tender "
                          "notice we can read")
    return value


def _text(value, path: str, warnings: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # OCDS multilingual strings: {"en": "...", "cy": "..."}
        value = value.get("en") or value.get("en_GB") or next(
            (v for v in value.values() if isinstance(v, str)), "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise NoticeError(f"'{path}' must be text, not {type(value).__name__}")
    if len(value) > MAX_FIELD_CHARS:
        warnings.append(f"{path} is {len(value):,} characters long; only the first "
                        f"{MAX_FIELD_CHARS:,} were read")
        value = value[:MAX_FIELD_CHARS]
    return value.strip()


def _amount(value, path: str, warnings: list[str]) -> tuple[float | None, str | None]:
    v = _obj(value, path)
    amount, currency = v.get("amount"), v.get("currency")
    if amount is None:
        return None, currency if isinstance(currency, str) else None
    if isinstance(amount, str):  # some publishers quote numbers
        try:
            amount = float(amount.replace(",", ""))
        except ValueError:
            amount = None
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount) \
            or amount < 0:
        warnings.append(f"{path}.amount is not a usable amount; the value was not used")
        return None, None
    return float(amount), currency if isinstance(currency, str) else None


def _date(value, path: str, warnings: list[str]) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    warnings.append(f"{path} ({str(value)[:40]!r}) is not a date; it was not used")
    return None


def _criteria(value, path: str, warnings: list[str]) -> list[str]:
    """Criteria text: a plain string, or the extensions' {"description", "criteria": [...]}."""
    if value is None:
        return []
    if isinstance(value, str):
        return [t for t in [_text(value, path, warnings)] if t]
    out = []
    v = _obj(value, path)
    desc = _text(v.get("description"), f"{path}.description", warnings)
    if desc:
        out.append(desc)
    for i, c in enumerate(_list(v.get("criteria"), f"{path}.criteria", MAX_CRITERIA)):
        c = _obj(c, f"{path}.criteria[{i}]")
        name = _text(c.get("name"), f"{path}.criteria[{i}].name", warnings)
        text = _text(c.get("description"), f"{path}.criteria[{i}].description", warnings)
        minimum = _text(c.get("minimum"), f"{path}.criteria[{i}].minimum", warnings)
        parts = [p for p in (name, text, minimum) if p]
        if parts:
            out.append(" ".join(p if p.endswith((".", ":", "?", "!")) else p + "." for p in parts))
    return out


def _buyer(release: dict, tender: dict, warnings: list[str]) -> tuple[str | None, str | None]:
    buyer = _obj(release.get("buyer"), "buyer")
    name = _text(buyer.get("name"), "buyer.name", warnings) or None
    ident = buyer.get("id")
    if not name:
        for i, p in enumerate(_list(release.get("parties"), "parties", 10_000)):
            p = _obj(p, f"parties[{i}]")
            roles = p.get("roles") if isinstance(p.get("roles"), list) else []
            if "buyer" in roles or (ident is not None and p.get("id") == ident):
                name = _text(p.get("name"), f"parties[{i}].name", warnings) or None
                ident = ident if ident is not None else p.get("id")
                if name:
                    break
    if not name:
        pe = _obj(tender.get("procuringEntity"), "tender.procuringEntity")
        name = _text(pe.get("name"), "tender.procuringEntity.name", warnings) or None
        ident = ident if ident is not None else pe.get("id")
    return name, (str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None)


def _legal_basis(tender: dict, warnings: list[str]) -> str | None:
    lb = tender.get("legalBasis")
    if isinstance(lb, dict):
        bits = [lb.get("id"), lb.get("title"), lb.get("description"), lb.get("uri")]
        return " ".join(str(b) for b in bits if isinstance(b, (str, int)))[:300] or None
    return _text(lb, "tender.legalBasis", warnings) or None if isinstance(lb, str) else None


def _file_name(url) -> str | None:
    """The file name a document URL ends in (query and fragment dropped, %-escapes decoded)."""
    if not isinstance(url, str) or not url.strip():
        return None
    from urllib.parse import unquote, urlsplit

    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    name = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    return name if name and "." in name and "/" not in name and "\\" not in name else None


def notice_from_release(release, origin: str = "") -> Notice:
    """The tender of one OCDS release (or compiled release); NoticeError if it is malformed."""
    if not isinstance(release, dict):
        raise NoticeError(f"a release must be a JSON object, not {type(release).__name__}")
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        raise NoticeError("no 'ocid' (every OCDS release names its contracting process)")
    warnings: list[str] = []
    tender = _obj(release.get("tender"), "tender")
    n = Notice(ocid=ocid.strip()[:300], origin=origin, warnings=warnings)
    rid = release.get("id")
    n.release_id = str(rid)[:300] if isinstance(rid, (str, int)) and not isinstance(rid, bool) else ""
    n.release_date = _date(release.get("date"), "date", warnings)
    tags = release.get("tag")
    n.tags = [t for t in tags if isinstance(t, str)][:20] if isinstance(tags, list) else []
    n.buyer, n.buyer_id = _buyer(release, tender, warnings)
    n.title = _text(tender.get("title"), "tender.title", warnings)
    n.description = _text(tender.get("description"), "tender.description", warnings)
    n.value, n.currency = _amount(tender.get("value"), "tender.value", warnings)
    period = _obj(tender.get("tenderPeriod"), "tender.tenderPeriod")
    n.published = _date(period.get("startDate"), "tender.tenderPeriod.startDate", warnings)
    if n.published is None and tender.get("datePublished") is not None:
        n.published = _date(tender.get("datePublished"), "tender.datePublished", warnings)
    if n.published is None and "tender" in n.tags:  # the tender notice's own publication date
        n.published = n.release_date
    n.deadline = _date(period.get("endDate"), "tender.tenderPeriod.endDate", warnings)
    cp = _obj(tender.get("contractPeriod"), "tender.contractPeriod")
    n.contract_start = _date(cp.get("startDate"), "tender.contractPeriod.startDate", warnings)
    n.contract_end = _date(cp.get("endDate"), "tender.contractPeriod.endDate", warnings)
    days = cp.get("durationInDays")
    if isinstance(days, (int, float)) and not isinstance(days, bool) and 0 < days < 100 * 366:
        n.contract_days = float(days)
    n.procedure = _text(tender.get("procurementMethod"), "tender.procurementMethod", warnings) or None
    n.procedure_details = _text(tender.get("procurementMethodDetails"),
                                "tender.procurementMethodDetails", warnings) or None
    n.category = _text(tender.get("mainProcurementCategory"), "tender.mainProcurementCategory",
                       warnings) or None
    n.legal_basis = _legal_basis(tender, warnings)
    n.selection = _criteria(tender.get("eligibilityCriteria"), "tender.eligibilityCriteria", warnings) \
        + _criteria(tender.get("selectionCriteria"), "tender.selectionCriteria", warnings)
    award = tender.get("awardCriteria")
    n.award = (_criteria(award, "tender.awardCriteria", warnings) if isinstance(award, dict) else []) \
        + _criteria(tender.get("awardCriteriaDetails"), "tender.awardCriteriaDetails", warnings)
    for i, lot in enumerate(_list(tender.get("lots"), "tender.lots", MAX_LOTS)):
        p = f"tender.lots[{i}]"
        lot = _obj(lot, p)
        value, currency = _amount(lot.get("value"), f"{p}.value", warnings)
        lid = lot.get("id")
        n.lots.append(Lot(
            id=str(lid)[:50] if isinstance(lid, (str, int)) and not isinstance(lid, bool) else str(i + 1),
            title=_text(lot.get("title"), f"{p}.title", warnings),
            description=_text(lot.get("description"), f"{p}.description", warnings),
            value=value, currency=currency,
            selection=_criteria(lot.get("selectionCriteria"), f"{p}.selectionCriteria", warnings),
            award=_criteria(lot.get("awardCriteria"), f"{p}.awardCriteria", warnings)))
    for i, d in enumerate(_list(tender.get("documents"), "tender.documents", MAX_DOCUMENTS)):
        d = _obj(d, f"tender.documents[{i}]")
        name = _file_name(d.get("url")) or _file_name(d.get("title"))
        if name and name not in n.named_documents:
            n.named_documents.append(name)
    return n


# ------------------------------------------------------------------------------ facts
def _gbp(amount: float | None, currency: str | None) -> float | None:
    # The checks compare pounds with pounds; another currency is carried but never compared.
    return amount if amount and (currency or "GBP").upper() == "GBP" else None


def _regime(notice: Notice) -> str | None:
    basis = (notice.legal_basis or "").lower()
    if any(k in basis for k in _PA2023):
        return "pa2023"
    if any(k in basis for k in _PCR2015):
        return "pcr2015"
    return None


def stated_facts(notice: Notice) -> dict:
    """The notice's structured facts by their :class:`~barrier_scan.detect.facts.Facts` names
    (only those it states; a value in another currency than pounds is left out)."""
    out: dict = {}
    total = _gbp(notice.value, notice.currency)
    if total:
        out["contract_value_total"] = total
    lot_values = [v for v in (_gbp(lot.value, lot.currency) for lot in notice.lots) if v]
    if lot_values and len(notice.lots) > 1:
        out["lot_value"] = max(lot_values)
    if notice.lots:
        out["lots"] = len(notice.lots)
    days = notice.contract_days
    if days is None and notice.contract_start and notice.contract_end:
        span = (_dt.date.fromisoformat(notice.contract_end)
                - _dt.date.fromisoformat(notice.contract_start)).days
        days = float(span) if span > 0 else None
    if days:
        out["duration_years"] = round(days / 365.0, 4)
    if notice.published:
        out["publication_date"] = _dt.date.fromisoformat(notice.published)
    if notice.deadline:
        out["deadline_date"] = _dt.date.fromisoformat(notice.deadline)
    regime = _regime(notice)
    if regime:
        out["regime"] = regime
    return out


# ------------------------------------------------------------------------------ the document
def _section_blocks(text: str, section: str) -> list[Block]:
    blocks = blocks_from_text(text, markdown=False)
    for b in blocks:
        b.section = f"{section} > {b.section}" if b.section else section
    return blocks


def _heading(text: str, section: str, level: int = 2) -> Block | None:
    t = norm_ws(text)
    return Block(text=t, kind="heading", section=section, level=level) if t else None


def notice_blocks(notice: Notice) -> list[Block]:
    """The notice's own words as blocks, each section naming the field it came from."""
    blocks: list[Block] = []

    def add(*bs):
        blocks.extend(b for b in bs if b is not None)

    add(_heading(notice.title, "Title", level=1))
    add(*_section_blocks(notice.description, "Description"))
    for text in notice.selection:
        add(*_section_blocks(text, "Selection criteria"))
    for text in notice.award:
        add(*_section_blocks(text, "Award criteria"))
    for lot in notice.lots:
        name = f"Lot {lot.id}" + (f": {norm_ws(lot.title)}" if lot.title else "")
        add(_heading(lot.title, name))
        add(*_section_blocks(lot.description, name))
        for text in lot.selection:
            add(*_section_blocks(text, f"{name} > Selection criteria"))
        for text in lot.award:
            add(*_section_blocks(text, f"{name} > Award criteria"))
    return number_paragraphs(blocks)


def notice_document(notice: Notice, config=None) -> Document:
    """The notice as a Document: its words, then those of each local document it names.

    A local document that cannot be read is a warning on the notice (the notice is still
    scanned); the notice's facts are in ``meta["stated_facts"]``, its summary in
    ``meta["notice"]``.
    """
    from . import extract

    if not notice.has_text:
        raise ScanError("no_text", "the release has no tender title, description, lots or "
                        "criteria to read")
    blocks = notice_blocks(notice)
    warnings = list(notice.warnings)
    pages = 0
    for path in notice.documents:
        name = os.path.basename(path)
        try:
            doc = extract(path, config)
        except ScanError as e:
            warnings.append(f"{name} (named in the notice) could not be read: {e.message}")
            continue
        pages += doc.pages or 0
        warnings.extend(f"{name}: {w}" for w in doc.warnings)
        for b in doc.blocks:
            b.section = f"{name} > {b.section}" if b.section else name
            blocks.append(b)
    if notice.missing:
        warnings.append("named in the notice but not in the documents folder: "
                        + ", ".join(notice.missing[:10]) + (" …" if len(notice.missing) > 10 else ""))
    document = Document(path=notice.label, format="ocds", blocks=blocks, pages=pages or None,
                        warnings=warnings)
    document.meta["stated_facts"] = stated_facts(notice)
    document.meta["notice"] = notice.summary()
    return document


def notice_digest(notice: Notice, document_digests: list[tuple[str, str]]) -> str:
    """SHA-256 of the notice's content and of the bytes of its local documents."""
    h = hashlib.sha256(b"ocds-notice 1\0")
    h.update(json.dumps(notice.content(), sort_keys=True, ensure_ascii=False,
                        default=str).encode("utf-8"))
    for name, digest in sorted(document_digests):
        h.update(f"\0{name}\0{digest}".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def local_name(path: str | os.PathLike) -> str:
    """The key a local document is matched by: its file name, case-folded."""
    return Path(path).name.casefold()
