"""Bounded fuzzing of extraction: mutated PDF and DOCX bytes (fixed seeds, ~200 mutants each).

Every mutant must give either a Document or a ScanError with a documented code and a one-line
message -- never another exception, never a hang. The messages must also be our own: an
exception class name in a message means a library error reached the catch-all in ``extract()``
instead of being handled where it happens (these tests found: PDFium pages that fail to load,
zlib errors and bad offsets in DOCX zips, malformed XML and wrong root elements inside DOCX).
"""
from __future__ import annotations

import io
import random
import re
import zipfile

import pytest

import hostile
from barrier_scan.batch import FileTimeout, _alarm
from barrier_scan.document import Document
from barrier_scan.errors import ERROR_CODES, ScanError
from barrier_scan.extract import extract


N = 200  # mutants per format
PER_FILE_SECONDS = 20  # generous: the slowest mutant measured takes ~0.1 s
RAW_EXCEPTION = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b|Traceback")


def _check(path, outcomes: dict) -> None:
    try:
        with _alarm(PER_FILE_SECONDS):
            doc = extract(path)
    except FileTimeout:
        pytest.fail(f"{path.name}: extraction hung (> {PER_FILE_SECONDS} s); kept at {path}")
    except ScanError as e:
        assert e.code in ERROR_CODES, (e.code, e.message)
        assert e.message and "\n" not in e.message, e.message
        assert not RAW_EXCEPTION.search(e.message), f"unhandled library error: {e.message}"
        outcomes[e.code] = outcomes.get(e.code, 0) + 1
        return
    assert isinstance(doc, Document)
    assert doc.blocks, "a Document is returned only when it has text"
    for b in doc.blocks:
        assert isinstance(b.text, str) and b.text == b.text.strip() and b.text
    outcomes["ok"] = outcomes.get("ok", 0) + 1


def test_mutated_pdfs(tmp_path):
    base = hostile.pdf_bytes([hostile.BARRIER_TEXT, "Quality 70%, price 30%."], pages=2)
    rng = random.Random(20261125)
    outcomes: dict = {}
    path = tmp_path / "mutant.pdf"
    for i in range(N):
        path.write_bytes(hostile.mutate(base, rng))
        _check(path, outcomes)
    # the fuzzing really exercised both paths
    assert outcomes.get("ok", 0) > N // 10 and outcomes.get("corrupt_file", 0) > N // 10, outcomes


def test_mutated_docx_bytes(tmp_path):
    base = hostile.docx_bytes([hostile.BARRIER_TEXT], table=[["Turnover", "£2m"], ["Insurance", "£10m"]])
    rng = random.Random(7)
    outcomes: dict = {}
    path = tmp_path / "mutant.docx"
    for i in range(N // 2):
        path.write_bytes(hostile.mutate(base, rng))
        _check(path, outcomes)
    assert outcomes.get("corrupt_file", 0) > 0, outcomes


def test_mutated_xml_inside_valid_docx(tmp_path):
    """Byte mutations of the XML parts, re-zipped, so python-docx and our walker see them."""
    base = hostile.docx_bytes([hostile.BARRIER_TEXT], table=[["Turnover", "£2m"], ["Insurance", "£10m"]])
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml_parts = sorted(k for k in parts if k.endswith((".xml", ".rels")))
    rng = random.Random(11)
    outcomes: dict = {}
    path = tmp_path / "mutant.docx"
    for i in range(N // 2):
        target = rng.choice(["word/document.xml"] * 3 + xml_parts)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, hostile.mutate(data, rng) if name == target else data)
        path.write_bytes(buf.getvalue())
        _check(path, outcomes)
    assert outcomes.get("ok", 0) > 10 and outcomes.get("corrupt_file", 0) > 10, outcomes


def test_mutants_through_scan_file_never_internal_error(tmp_path):
    """The whole pipeline (segmentation, rules, facts, score) on whatever text survives."""
    from barrier_scan.pipeline import scan_file
    from barrier_scan.config import Config
    from barrier_scan.detect import Detector

    detector = Detector(Config(use_model=False))
    rng = random.Random(3)
    pdf = hostile.pdf_bytes([hostile.BARRIER_TEXT], pages=1)
    docx = hostile.docx_bytes([hostile.BARRIER_TEXT])
    txt = (hostile.HOSTILE_TEXT + "\n\n# Heading\n\n- item £5m 40% 3 years 1 April 2025\n").encode()
    for i in range(30):
        for suffix, base in ((".pdf", pdf), (".docx", docx), (".txt", txt), (".md", txt)):
            path = tmp_path / f"m{i}{suffix}"
            path.write_bytes(hostile.mutate(base, rng))
            r = scan_file(path, detector.config, detector)
            assert r.error is None or r.error["code"] != "internal_error", r.error


def test_mutated_altchunk_docx(tmp_path):
    """DOCX files embedding HTML and another DOCX (w:altChunk), with the embedded parts and the
    outer file mutated: a Document (embedded parts read or named in a warning) or a ScanError."""
    inner = hostile.docx_bytes([hostile.BARRIER_TEXT])
    html = f"<html><body><p>{hostile.BARRIER_TEXT}</p></body></html>".encode()
    main_xml = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
    rng = random.Random(29)
    outcomes: dict = {}
    for i in range(N // 4):
        parts = [("afchunk.htm", "text/html", hostile.mutate(html, rng) if i % 2 else html),
                 ("afchunk2.docx", main_xml, hostile.mutate(inner, rng) if i % 3 else inner)]
        p = hostile.altchunk_docx(tmp_path / f"alt{i}.docx", parts)
        if i % 5 == 4:
            p.write_bytes(hostile.mutate(p.read_bytes(), rng))
        _check(p, outcomes)
    assert outcomes.get("ok", 0) >= N // 8, outcomes  # most still read


def test_mutated_cache_entries_are_hits_or_misses():
    """A cache entry changed at random is either still a well-formed result or a miss: never an
    exception, never a result a report cannot render."""
    import json

    from barrier_scan.cache import check_result
    from barrier_scan.pipeline import scan_text
    from barrier_scan.config import Config
    from barrier_scan.report import render

    good = scan_text(hostile.BARRIER_TEXT, Config(use_model=False)).to_dict()
    text = json.dumps(good)
    rng = random.Random(31)
    kept = 0
    for _ in range(N):
        raw = hostile.mutate(text.encode(), rng).decode("utf-8", "replace")
        try:
            d = json.loads(raw)
            check_result(d)
        except (ValueError, RecursionError):  # not JSON, or _Bad: a miss
            continue
        kept += 1
        from barrier_scan.findings import result_from_dict

        r = result_from_dict(d)
        for fmt in ("text", "json", "csv", "html"):
            render(fmt, [r], None)
    assert kept >= 1
