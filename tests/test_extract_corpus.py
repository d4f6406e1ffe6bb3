"""Extract every real document in ../shared/corpus/documents (skipped when the corpus is absent)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from barrier_scan.extract import extract

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "documents"
FILES = sorted(p for p in CORPUS.glob("*") if p.is_file()) if CORPUS.is_dir() else []

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not FILES, reason=f"corpus not present at {CORPUS}"),
]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_extracts(path):
    doc = extract(path)
    assert doc.blocks, path.name
    assert [b.paragraph for b in doc.blocks if b.paragraph is not None]
    assert all(b.paragraph is not None for b in doc.blocks)
    assert all(b.text and b.text == b.text.strip() and "  " not in b.text for b in doc.blocks)
    assert all(b.kind in ("paragraph", "heading", "list_item", "table_cell") for b in doc.blocks)
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            n = len(pdf)
            page_lines = {}
            for i in range(n):
                page = pdf[i]
                tp = page.get_textpage()
                page_lines[i + 1] = [ln.strip() for ln in tp.get_text_range().splitlines() if ln.strip()]
                tp.close()
                page.close()
        finally:
            pdf.close()
        # Lines repeated (digits ignored) on 3+ pages are running headers/footers, which the
        # extractor removes: a page holding nothing else (e.g. a trailing footer-only page)
        # legitimately has no block.
        key = lambda ln: re.sub(r"\d+", "#", ln.lower())  # noqa: E731
        counts = Counter(k for lines in page_lines.values() for k in {key(ln) for ln in lines})
        text_pages = {
            pno for pno, lines in page_lines.items()
            if sum(len("".join(ln.split())) for ln in lines if counts[key(ln)] < 3) > 20
        }
        assert doc.pages == n
        assert all(1 <= b.page <= n for b in doc.blocks)
        # monotone running paragraph index, pages never go backwards
        assert [b.paragraph for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
        assert [b.page for b in doc.blocks] == sorted(b.page for b in doc.blocks)
        missing = text_pages - {b.page for b in doc.blocks}
        assert not missing, f"pages with a text layer but no blocks: {sorted(missing)}"
    elif path.suffix.lower() == ".docx":
        assert all(b.page is None for b in doc.blocks)
        import docx

        from barrier_scan.extract.docx import iter_body_paragraphs

        idx = [b.paragraph for b in doc.blocks]
        assert idx == sorted(set(idx))  # one block per body paragraph, in document order
        paras = list(iter_body_paragraphs(docx.Document(str(path))))
        assert 1 <= idx[0] and idx[-1] <= len(paras) == doc.meta["body_paragraphs"]
        # the indexed paragraph holds the block's first words (python-docx text, whitespace-normalised)
        sample = doc.blocks[:: max(1, len(doc.blocks) // 50)]
        hits = sum(" ".join(b.text.split()[:3]) in " ".join(paras[b.paragraph - 1].text.split())
                   for b in sample)
        assert hits >= 0.9 * len(sample)
