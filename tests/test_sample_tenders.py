"""The committed sample tenders are what sample_tenders/generate.py builds, and they carry the
signals planted in them (sample_tenders/planted.yaml)."""
from __future__ import annotations

import importlib.util
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_tenders"
FAMILIES = {f"B{i}" for i in range(1, 14)}
LABELS = {"over_specification", "burden_of_proof", "outcome_language", "openness", "none"}

import docx  # noqa: E402
import fpdf  # noqa: E402,F401 - rebuilding the samples needs it
import pypdfium2 as pdfium  # noqa: E402


def _load_generator():
    spec = importlib.util.spec_from_file_location("sample_tenders_generate", SAMPLES / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


gen = _load_generator()
TENDERS = {t.file: t for t in gen.TENDERS}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def docx_body(path: Path) -> list[str]:
    """Body paragraphs and table cells in document order (header/footer parts excluded)."""
    d = docx.Document(str(path))
    out = []
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in el.iter(docx.oxml.ns.qn("w:t"))))
        elif tag == "tbl":
            for tc in el.iter(docx.oxml.ns.qn("w:tc")):
                out.append("".join(t.text or "" for t in tc.iter(docx.oxml.ns.qn("w:t"))))
    return out


def doc_text(path: Path) -> str:
    parts = pdf_pages(path) if path.suffix == ".pdf" else docx_body(path)
    return norm(" ".join(parts))


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    stats = {}
    for t in gen.TENDERS:
        data, st = gen.build(t)
        (out / t.file).write_bytes(data)
        stats[t.file] = st
    return out, stats


def _versions_match() -> bool:
    try:
        return (metadata.version("fpdf2") == gen.BUILT_WITH["fpdf2"]
                and metadata.version("python-docx") == gen.BUILT_WITH["python-docx"])
    except metadata.PackageNotFoundError:
        return False


def test_mix_of_formats_and_files_committed():
    files = list(TENDERS)
    assert len(files) >= 10
    assert sum(f.endswith(".pdf") for f in files) >= 4
    assert sum(f.endswith(".docx") for f in files) >= 4
    on_disk = {p.name for p in SAMPLES.iterdir() if p.suffix in {".pdf", ".docx"}}
    assert on_disk == set(files), "committed documents differ from the generator's list"
    assert (SAMPLES / "expected" / ".gitkeep").exists()


@pytest.mark.parametrize("name", sorted(TENDERS))
def test_rebuild_matches_committed(name, rebuilt):
    out, _ = rebuilt
    committed, fresh = SAMPLES / name, out / name
    if _versions_match():
        assert fresh.read_bytes() == committed.read_bytes(), (
            f"{name} is stale: run `make samples` and commit the result")
    else:  # other library versions lay bytes out differently; the words must still agree
        assert doc_text(fresh) == doc_text(committed)


def test_planted_yaml_is_current():
    assert (SAMPLES / "planted.yaml").read_text(encoding="utf-8") == gen.planted_yaml()


def test_planted_yaml_shape():
    planted = yaml.safe_load((SAMPLES / "planted.yaml").read_text(encoding="utf-8"))
    assert set(planted) == set(TENDERS)
    for name, plants in planted.items():
        assert plants, f"{name} has no planted signals"
        for p in plants:
            assert set(p) == {"family", "label", "polarity", "contains"}, p
            assert p["family"] in FAMILIES, p
            assert p["label"] in LABELS, p
            assert p["polarity"] in {"barrier", "strength"}, p
            assert len(p["contains"]) >= 12, p


@pytest.mark.parametrize("name", sorted(TENDERS))
def test_planted_substrings_in_committed_text(name):
    planted = yaml.safe_load((SAMPLES / "planted.yaml").read_text(encoding="utf-8"))[name]
    text = doc_text(SAMPLES / name)
    missing = [p["contains"] for p in planted if norm(p["contains"]) not in text]
    assert not missing, f"{name}: planted text not found: {missing}"


def test_open_and_closed_tenders_are_what_they_claim():
    planted = yaml.safe_load((SAMPLES / "planted.yaml").read_text(encoding="utf-8"))
    open_name = next(n for n in planted if "very_open" in n)
    closed_name = next(n for n in planted if "very_closed" in n)
    assert all(p["polarity"] == "strength" for p in planted[open_name])
    assert all(p["polarity"] == "barrier" for p in planted[closed_name])
    assert len({p["family"] for p in planted[closed_name]}) >= 10
    assert len({p["family"] for p in planted[open_name]}) >= 10


@pytest.mark.parametrize("name", sorted(n for n in TENDERS if n.endswith(".pdf")))
def test_pdf_structure(name):
    pages = pdf_pages(SAMPLES / name)
    assert 2 <= len(pages) <= 8
    t = TENDERS[name]
    header = gen.latin1(t.header_text)
    for i, page in enumerate(pages, start=1):
        assert header in page, f"running header missing on page {i}"
        assert f"Page {i} of {len(pages)}" in page, f"footer missing on page {i}"
    import pdfplumber

    with pdfplumber.open(str(SAMPLES / name)) as pdf:
        assert any(page.find_tables() for page in pdf.pages), "no ruled table found"
    assert norm(f"1. {t.sections[0].heading}") in norm(" ".join(pages))


def test_a_long_pdf_splits_a_paragraph_across_pages(rebuilt):
    _, stats = rebuilt
    long_ones = [n for n, st in stats.items() if n.endswith(".pdf") and st["pages"] >= 6]
    assert long_ones, "no PDF of 6+ pages"
    assert any(stats[n]["split_paragraphs"] > 0 for n in long_ones)


@pytest.mark.parametrize("name", sorted(n for n in TENDERS if n.endswith(".docx")))
def test_docx_structure(name):
    path = SAMPLES / name
    d = docx.Document(str(path))
    styles = [p.style.name for p in d.paragraphs]
    assert "Title" in styles
    assert "Heading 1" in styles and "Heading 2" in styles
    numbered = [p for p in d.paragraphs if p.style.name == "List Number"]
    assert numbered and all(p._p.pPr.numPr is not None for p in numbered)
    assert d.tables and all(tb.style.name == "Table Grid" for tb in d.tables)
    t = TENDERS[name]
    sec = d.sections[0]
    assert sec.header.paragraphs[0].text == t.header_text
    assert "Page" in sec.footer.paragraphs[0].text
    body = " ".join(docx_body(path))
    assert t.header_text not in body, "header text leaked into the body"
    words = len(body.split())
    assert 700 <= words <= 4500, f"{name}: {words} words is not 2-8 pages"


def test_docx_numbered_lists_restart():
    """Each numbered list gets its own w:num (restarting at 1), not one running sequence."""
    for name in (n for n in TENDERS if n.endswith(".docx")):
        d = docx.Document(str(SAMPLES / name))
        ids = [p._p.pPr.numPr.numId.val for p in d.paragraphs if p.style.name == "List Number"]
        lists = sum(isinstance(b, gen.OL) for _, _, _, b in gen.numbered(TENDERS[name]))
        assert len(set(ids)) == lists
