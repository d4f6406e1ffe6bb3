"""A findings dataset: ``scan --format parquet -o DIR`` writes it, ``report DIR`` reads it.

Layout (Apache Parquet, one folder per table, one sub-folder per run)::

    DIR/_dataset.json                              format, engine key, runs
    DIR/documents/run=<run id>/part-00000.parquet  one row per document or notice
    DIR/findings/run=<run id>/part-00000.parquet   one row per finding

Why it is safe to append to (a resumed run, or a new batch into the same folder):

* every run writes only new files, in its own ``run=...`` folder; nothing is ever rewritten;
* each part file is written under a hidden temporary name, fsynced and renamed, so a reader
  (and a crash) sees whole files or none; a part's findings are renamed before its documents,
  so a document row is the mark that it is done (queries read findings only of documents
  present: a findings file orphaned by a crash between the two renames is ignored);
* the folder is locked while a run writes (a second writer is refused, not interleaved);
* a run appends only under the same engine (rules, model, settings: the cache's key), so every
  row of a dataset was produced by the same scanner;
* a resumed run skips inputs whose content hash is already there (errors that may pass, such
  as timeouts, are retried); queries take the newest row of each content hash.

Memory stays flat: rows are flushed to a new part every ``flush_documents`` documents (or
``flush_findings`` findings). Queries (:func:`league_table`, :func:`load_results`) run in
DuckDB over the Parquet files, not as Python loops over rows.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import secrets
import tempfile
from pathlib import Path

from .errors import ConfigError
from .findings import DocumentResult, Evidence, Finding
from .taxonomy import DIMENSIONS

DATASET_FORMAT = 1
MANIFEST = "_dataset.json"
TABLES = ("documents", "findings")
#: Errors that depend on the run, not the input: retried when a run is resumed.
TRANSIENT_ERRORS = ("timeout", "internal_error")


def _schemas():
    import pyarrow as pa

    s, f64, i32 = pa.string(), pa.float64(), pa.int32()
    documents = pa.schema([
        ("doc_id", s), ("run_id", s), ("content_sha256", s), ("kind", s), ("path", s),
        ("ocid", s), ("release_id", s), ("release_date", pa.date32()), ("buyer", s),
        ("buyer_id", s), ("title", s), ("value", f64), ("currency", s),
        ("published", pa.date32()), ("deadline", pa.date32()), ("year", i32), ("procedure", s),
        ("lots", i32), ("format", s), ("pages", i32), ("score", f64), ("band", s),
        ("barriers", i32), ("strengths", i32),
        *[(f"dim_{d}", f64) for d in DIMENSIONS],
        ("breakdown", s), ("score_info", s), ("facts", s), ("warnings", pa.list_(s)), ("error_code", s),
        ("error_message", s), ("seconds", f64), ("scanned_at", pa.timestamp("us", tz="UTC")),
    ])
    findings = pa.schema([
        ("doc_id", s), ("run_id", s), ("seq", i32), ("ocid", s), ("path", s), ("code", s),
        ("name", s), ("category", s), ("polarity", s), ("severity", s), ("source", s),
        ("confidence", f64), ("message", s), ("why", s), ("suggestion", s), ("citation", s),
        ("evidence_text", s), ("sentence", s), ("page", i32), ("paragraph", i32),
        ("section", s), ("start", i32), ("end", i32), ("cell", pa.list_(i32)), ("location", s),
        ("also_found_by", pa.list_(s)), ("data", s),
    ])
    return {"documents": documents, "findings": findings}


def _date(value) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def document_row(result: DocumentResult, doc_id: str, run_id: str, digest: str | None,
                 scanned_at: _dt.datetime) -> dict:
    """One ``documents`` row for a result (the notice's buyer, value and dates when it is one)."""
    facts = dict(result.facts or {})
    notice = facts.pop("notice", None) or {}
    published = _date(notice.get("published") or facts.get("publication_date"))
    release_date = _date(notice.get("release_date"))
    year_from = published or release_date
    error = result.error or {}
    breakdown = result.breakdown or {}
    row = {
        "doc_id": doc_id, "run_id": run_id, "content_sha256": digest,
        "kind": "notice" if (notice or result.format == "ocds") else "file",
        "path": notice.get("origin") or result.path, "ocid": notice.get("ocid"),
        "release_id": notice.get("release_id") or None, "release_date": release_date,
        "buyer": notice.get("buyer"), "buyer_id": notice.get("buyer_id"),
        "title": notice.get("title") or None, "value": notice.get("value"),
        "currency": notice.get("currency"), "published": published,
        "deadline": _date(notice.get("deadline") or facts.get("deadline_date")),
        "year": year_from.year if year_from else None, "procedure": notice.get("procedure"),
        "lots": notice.get("lots") or facts.get("lots"), "format": result.format,
        "pages": result.pages, "score": result.score, "band": result.band,
        "barriers": len(result.barriers()) if not result.error else None,
        "strengths": len(result.strengths()) if not result.error else None,
        "breakdown": _dumps(breakdown) if breakdown else None,
        "score_info": _dumps(result.score_info) if getattr(result, "score_info", None) else None,
        "facts": _dumps(facts) if facts else None,
        "warnings": list(result.warnings or []),
        "error_code": error.get("code"), "error_message": error.get("message"),
        "seconds": (result.stats or {}).get("seconds"), "scanned_at": scanned_at,
    }
    for d in DIMENSIONS:
        points = (breakdown.get(d) or {}).get("points")
        row[f"dim_{d}"] = float(points) if isinstance(points, (int, float)) else None
    if not row["ocid"] and result.format == "ocds":  # a malformed release: its label is all we have
        row["path"] = result.path
    return row


def finding_rows(result: DocumentResult, doc_id: str, run_id: str, ocid: str | None) -> list[dict]:
    """The ``findings`` rows of one result."""
    rows = []
    for i, f in enumerate(result.findings):
        ev = f.evidence
        rows.append({
            "doc_id": doc_id, "run_id": run_id, "seq": i, "ocid": ocid, "path": result.path,
            "code": f.code, "name": f.name, "category": f.category, "polarity": f.polarity,
            "severity": f.severity, "source": f.source, "confidence": f.confidence,
            "message": f.message, "why": f.why, "suggestion": f.suggestion, "citation": f.citation,
            "evidence_text": ev.text, "sentence": ev.sentence, "page": ev.page,
            "paragraph": ev.paragraph, "section": ev.section, "start": ev.start, "end": ev.end,
            "cell": list(ev.table) if ev.table else None, "location": ev.location(),
            "also_found_by": list(f.also_found_by), "data": _dumps(f.data) if f.data else None,
        })
    return rows


# ------------------------------------------------------------------------------ writing
def _atomic_parquet(table, path: Path) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_manifest(root: str | os.PathLike) -> dict | None:
    """The dataset's manifest, or None when ``root`` holds no dataset yet."""
    p = Path(root) / MANIFEST
    if not p.is_file():
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(f"{p}: not a barrier-scan dataset manifest ({e})") from None
    if not isinstance(data, dict) or data.get("format") != DATASET_FORMAT:
        raise ConfigError(f"{p}: not a barrier-scan dataset (format {DATASET_FORMAT})")
    return data


def _write_manifest(root: Path, data: dict) -> None:
    from .io import atomic_write

    atomic_write(root / MANIFEST, json.dumps(data, indent=2, sort_keys=True) + "\n")


class DatasetWriter:
    """Appends one run's results to the dataset in ``root`` (created if absent).

    Use as a context manager: it takes the folder's lock, checks that an existing dataset was
    written by the same engine (``engine``: :func:`barrier_scan.cache.engine_key`), and on exit
    writes what is buffered and records the run in the manifest.
    """

    def __init__(self, root: str | os.PathLike, engine: str, meta: dict | None = None,
                 flush_documents: int = 1000, flush_findings: int = 50_000):
        self.root = Path(root)
        self.engine = engine
        self.meta = meta or {}
        self.flush_documents, self.flush_findings = flush_documents, flush_findings
        now = _dt.datetime.now(_dt.timezone.utc)
        self.run_id = now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
        self.docs: list[dict] = []
        self.finds: list[dict] = []
        self.parts = 0
        self.written = 0
        self._lock = None

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> "DatasetWriter":
        import fcntl

        if self.root.exists() and not self.root.is_dir():
            raise ConfigError(f"{self.root} is a file; --format parquet writes a folder")
        self.root.mkdir(parents=True, exist_ok=True)
        lock = open(self.root / ".lock", "a")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise ConfigError(f"{self.root}: another barrier-scan run is writing this dataset") from None
        self._lock = lock
        manifest = read_manifest(self.root)
        if manifest is None:
            if any(self.root.iterdir()) and not all(p.name.startswith(".") for p in self.root.iterdir()):
                self._unlock()
                raise ConfigError(f"{self.root} is not empty and holds no barrier-scan dataset; "
                                  "choose a new folder")
            manifest = {"format": DATASET_FORMAT, "engine": self.engine, "runs": [],
                        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
        elif manifest.get("engine") != self.engine:
            self._unlock()
            raise ConfigError(
                f"{self.root} was written with other rules, model or settings (engine "
                f"{str(manifest.get('engine'))[:12]}, this run {self.engine[:12]}); appending would "
                "mix results: write to a new folder")
        self.manifest = manifest
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            try:
                self.flush()  # what is done stays done, even after Ctrl-C: a resumed run skips it
            except Exception:  # noqa: BLE001 - the run's own error (if any) is the one to show
                if exc_type is None:
                    raise
            self.manifest.setdefault("runs", []).append({
                "run_id": self.run_id, "documents": self.written, "parts": self.parts,
                "completed": exc_type is None,
                "finished": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                **{k: v for k, v in self.meta.items() if k in ("version", "configuration", "model")}})
            _write_manifest(self.root, self.manifest)
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    # -- rows --------------------------------------------------------------------------------
    def add(self, result: DocumentResult, digest: str | None = None) -> None:
        """Buffer one result (flushed to a new part when the buffer is full)."""
        doc_id = f"{self.run_id}/{self.written + len(self.docs)}"
        row = document_row(result, doc_id, self.run_id, digest,
                           _dt.datetime.now(_dt.timezone.utc))
        self.docs.append(row)
        self.finds.extend(finding_rows(result, doc_id, self.run_id, row["ocid"]))
        if len(self.docs) >= self.flush_documents or len(self.finds) >= self.flush_findings:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows as one new part of each table."""
        if not self.docs:
            return
        import pyarrow as pa

        schemas = _schemas()
        name = f"part-{self.parts:05d}.parquet"
        run = f"run={self.run_id}"
        # Findings first: a documents row is the mark that its findings are complete.
        _atomic_parquet(pa.Table.from_pylist(self.finds, schema=schemas["findings"]),
                        self.root / "findings" / run / name)
        _atomic_parquet(pa.Table.from_pylist(self.docs, schema=schemas["documents"]),
                        self.root / "documents" / run / name)
        self.parts += 1
        self.written += len(self.docs)
        self.docs, self.finds = [], []


# ------------------------------------------------------------------------------ reading
def _files(root: Path, table: str) -> list[str]:
    # Hidden names are temporary files still being written (or left by a crash): never read.
    return sorted(str(p) for p in (root / table).glob("run=*/*.parquet")
                  if not p.name.startswith("."))


def connect(root: str | os.PathLike):
    """A DuckDB connection with the dataset's ``documents`` and ``findings`` as views.

    ``documents`` holds the newest row of each content hash; ``findings`` only the findings of
    those rows. ``tenders`` has one scanned row per tender: the newest release of each ocid (a
    file is its own tender).
    """
    import duckdb
    import pyarrow as pa

    root = Path(root)
    if read_manifest(root) is None:
        raise ConfigError(f"{root} holds no barrier-scan dataset (no {MANIFEST}); write one with "
                          "'barrier-scan scan ... --format parquet -o DIR'")
    con = duckdb.connect(":memory:")
    schemas = _schemas()
    for table in TABLES:
        files = _files(root, table)
        if files:
            import pyarrow.dataset as ds

            con.register(f"raw_{table}", ds.dataset(files, schema=schemas[table], format="parquet"))
        else:
            con.register(f"raw_{table}", pa.Table.from_pylist([], schema=schemas[table]))
    con.execute("""
        CREATE VIEW documents AS
        SELECT * FROM raw_documents
        QUALIFY row_number() OVER (PARTITION BY coalesce(content_sha256, doc_id)
                                   ORDER BY scanned_at DESC, doc_id DESC) = 1""")
    con.execute("""
        CREATE VIEW findings AS
        SELECT f.* FROM raw_findings f SEMI JOIN documents d ON f.doc_id = d.doc_id""")
    con.execute("""
        CREATE VIEW tenders AS
        SELECT * FROM documents WHERE error_code IS NULL AND score IS NOT NULL
        QUALIFY row_number() OVER (
            PARTITION BY coalesce(ocid, content_sha256, doc_id)
            ORDER BY coalesce(release_date, published) DESC NULLS LAST, scanned_at DESC,
                     doc_id DESC) = 1""")
    return con


def done_hashes(root: str | os.PathLike) -> set[str]:
    """Content hashes already answered in the dataset (transient errors excluded: retried)."""
    root = Path(root)
    if read_manifest(root) is None:
        return set()
    con = connect(root)
    rows = con.execute(
        "SELECT DISTINCT content_sha256 FROM documents WHERE content_sha256 IS NOT NULL "
        f"AND (error_code IS NULL OR error_code NOT IN {TRANSIENT_ERRORS!r})").fetchall()
    return {r[0] for r in rows}


_BUYER_KEY = "lower(regexp_replace(trim(buyer), '\\s+', ' ', 'g'))"


def league_table(root: str | os.PathLike, min_tenders: int = 1, top_barriers: int = 3,
                 limit: int | None = None) -> list[dict]:
    """Per buyer: tenders, median openness, commonest barriers, median score by year.

    Buyers are grouped by name (case and spacing ignored) and shown by their commonest
    spelling; least open (lowest median) first. Computed in DuckDB.
    """
    con = connect(root)
    rows = con.execute(f"""
        WITH t AS (
            SELECT *, {_BUYER_KEY} AS buyer_key FROM tenders WHERE buyer IS NOT NULL
        ), per_buyer AS (
            SELECT buyer_key, mode(buyer) AS buyer, count(*) AS tenders,
                   median(score) AS median_score, avg(score) AS mean_score,
                   count(*) FILTER (WHERE band = 'closed') AS closed,
                   count(*) FILTER (WHERE band = 'open') AS open,
                   regr_slope(score, year) AS slope_per_year
            FROM t GROUP BY buyer_key HAVING count(*) >= ?
        ), per_year AS (
            SELECT buyer_key, year, median(score) AS median_score, count(*) AS tenders
            FROM t WHERE year IS NOT NULL GROUP BY buyer_key, year
        ), years AS (
            SELECT buyer_key, list({{'year': year, 'median_score': median_score,
                                    'tenders': tenders}} ORDER BY year) AS trend
            FROM per_year GROUP BY buyer_key
        ), barrier_counts AS (
            SELECT t.buyer_key, f.code, any_value(f.name) AS name,
                   count(DISTINCT f.doc_id) AS tenders
            FROM findings f JOIN t ON f.doc_id = t.doc_id
            WHERE f.polarity = 'barrier' GROUP BY t.buyer_key, f.code
        ), top_barriers AS (
            SELECT buyer_key, list({{'code': code, 'name': name, 'tenders': tenders}}
                                   ORDER BY tenders DESC, code) AS barriers
            FROM (SELECT *, row_number() OVER (PARTITION BY buyer_key
                                               ORDER BY tenders DESC, code) AS rank
                  FROM barrier_counts) WHERE rank <= ?
            GROUP BY buyer_key
        )
        SELECT b.buyer, b.tenders, b.median_score, b.mean_score, b.closed, b.open,
               b.slope_per_year, coalesce(y.trend, []) AS trend,
               coalesce(tb.barriers, []) AS barriers
        FROM per_buyer b LEFT JOIN years y USING (buyer_key)
        LEFT JOIN top_barriers tb USING (buyer_key)
        ORDER BY b.median_score ASC, b.tenders DESC, b.buyer
        {'LIMIT ' + str(int(limit)) if limit else ''}
    """, [min_tenders, top_barriers]).fetchall()
    cols = ["buyer", "tenders", "median_score", "mean_score", "closed", "open", "slope_per_year",
            "trend", "barriers"]
    return [dict(zip(cols, r)) for r in rows]


def totals(root: str | os.PathLike) -> dict:
    """Counts for report headers: rows, tenders, buyers, failures, runs."""
    con = connect(root)
    docs, failed = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE error_code IS NOT NULL) FROM documents").fetchone()
    tenders, buyers, first, last = con.execute(
        f"SELECT count(*), count(DISTINCT {_BUYER_KEY}), min(year), max(year) FROM tenders").fetchone()
    manifest = read_manifest(root) or {}
    return {"documents": docs, "failed": failed, "tenders": tenders, "buyers": buyers,
            "first_year": first, "last_year": last, "runs": len(manifest.get("runs", [])),
            "engine": manifest.get("engine")}


def load_results(root: str | os.PathLike, limit: int | None = None,
                 include_failures: bool = True) -> list[DocumentResult]:
    """DocumentResults for the report: one per tender (least open first when ``limit`` cuts
    them), then the documents that could not be read."""
    con = connect(root)
    lim = f"LIMIT {int(limit)}" if limit else ""
    tender_sql = f"SELECT * FROM tenders ORDER BY score ASC, coalesce(ocid, path) {lim}"
    fail_sql = ("SELECT * FROM documents WHERE error_code IS NOT NULL ORDER BY path"
                if include_failures else "SELECT * FROM documents WHERE false")
    out: list[DocumentResult] = []
    for sql in (tender_sql, fail_sql):
        table = _arrow(con.sql(sql))
        if not table.num_rows:
            continue
        docs = table.to_pylist()
        con.register("wanted", table.select(["doc_id"]))
        finds = con.sql("SELECT f.* FROM findings f SEMI JOIN wanted w ON f.doc_id = w.doc_id "
                            "ORDER BY f.doc_id, f.seq")
        finds = _arrow(finds).to_pylist()
        con.unregister("wanted")
        by_doc: dict[str, list[Finding]] = {}
        for f in finds:
            by_doc.setdefault(f["doc_id"], []).append(_finding(f))
        out.extend(_result(d, by_doc.get(d["doc_id"], [])) for d in docs)
    return out


def _arrow(relation):
    """A DuckDB relation as a pyarrow Table (``to_arrow_table`` in DuckDB 2, ``arrow`` before)."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
    return fetch()


def _finding(f: dict) -> Finding:
    ev = Evidence(text=f["evidence_text"], page=f["page"], paragraph=f["paragraph"],
                  start=f["start"], end=f["end"], section=f["section"], sentence=f["sentence"],
                  table=list(f["cell"]) if f["cell"] else None)
    return Finding(code=f["code"], category=f["category"], polarity=f["polarity"],
                   severity=f["severity"], message=f["message"], evidence=ev, source=f["source"],
                   name=f["name"] or "", why=f["why"] or "", suggestion=f["suggestion"] or "",
                   citation=f["citation"] or "", confidence=f["confidence"],
                   also_found_by=list(f["also_found_by"] or []),
                   data=json.loads(f["data"]) if f["data"] else {})


def _result(d: dict, findings: list[Finding]) -> DocumentResult:
    facts = json.loads(d["facts"]) if d["facts"] else {}
    if d["ocid"]:
        # Name a notice by its ocid, buyer and title: an ocid alone means nothing to a reader.
        bits = [d["ocid"], d["buyer"], d["title"]]
        path = " · ".join(b for b in bits if b)
    else:
        path = d["path"]
    error = {"code": d["error_code"], "message": d["error_message"]} if d["error_code"] else None
    return DocumentResult(path=path, format=d["format"], pages=d["pages"], findings=findings,
                          score=d["score"], band=d["band"],
                          breakdown=json.loads(d["breakdown"]) if d["breakdown"] else {},
                          score_info=json.loads(d["score_info"]) if d["score_info"] else {},
                          facts=facts, error=error, warnings=list(d["warnings"] or []))
