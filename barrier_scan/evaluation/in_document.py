"""Held-out numbers in the scanner's own path: labelled sentences judged inside their documents.

Leave-one-family-out scores each labelled sentence on its own. A scan reads it in context: the
whole block is segmented, a short table cell is read with the question in its row, quantity
rules read the table row, a heading is never a finding, a duty everyone has clears a classifier
barrier. This protocol asks whether that context helps on text the system never trained on:

1. fit the system without the ``frameworks`` family (as leave-one-family-out does) and export it
   exactly as ``train`` does, into a temporary model folder;
2. scan every framework document in ``../shared/corpus/documents`` with it (``Detector.run``,
   the scan path);
3. find each labelled framework sentence in its document (the block whose normalised text
   contains it) and give it the categories of the findings on that block's sentences that
   overlap it;
4. score those sentences, and the same sentences judged on their own by the same system.

Only the framework family has documents: the notices are plain text with no tables or headings.
Sentences that cannot be found in their document (reflowed text, merged cells) are counted and
left out of both scores.
"""
from __future__ import annotations

import re
import tempfile
from collections import defaultdict

import numpy as np

from ..taxonomy import SENTENCE_CATEGORIES as LABELS
from .metrics import prf_report

HELD = "frameworks"
_NON_WORD = re.compile(r"[^a-z0-9]+")
KEY_WORDS = 14  # a labelled sentence is looked for by its first this-many words


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def _within(a: str, b: str) -> bool:
    """Normalised ``a`` is a run of whole words of ``b``."""
    return f" {a} " in f" {b} "


def _overlaps(a: str, b: str) -> bool:
    return bool(a and b) and (_within(a, b) or _within(b, a))


def labels_in_document(document, findings, texts: list[str]) -> list[set[str] | None]:
    """For each labelled text: the sentence categories found on it in ``document`` (None when it
    is not in the document)."""
    blocks = [_norm(b.text) for b in document.blocks]
    by_block: dict[int, list] = defaultdict(list)
    for f in findings:
        si = f.data.get("sentence_index")
        if si is not None and f.category in LABELS:
            by_block[document.sentences[si].block_index].append(
                (_norm(document.sentences[si].text), f.category))
    out: list[set[str] | None] = []
    for text in texts:
        t = _norm(text)
        key = " ".join(t.split()[:KEY_WORDS])
        bi = next((i for i, b in enumerate(blocks) if key and _within(key, b)), None)
        out.append(None if bi is None else
                   {cat for s, cat in by_block.get(bi, ()) if _overlaps(s, t)})
    return out


def in_document(ds, documents_dir, seed: int = 0, log=None) -> dict:
    """Scores of the system trained without ``frameworks`` on the framework sentences found in
    their documents: judged in the document (a scan) and on their own. Empty when
    ``documents_dir`` is absent."""
    from ..config import Config
    from ..detect.detector import Detector
    from ..detect.model.compiled import save
    from ..extract import extract
    from .protocol import fit_system, predict_system
    from .export import export

    if not documents_dir.is_dir():
        return {}
    test = np.where(ds.family == HELD)[0]
    train = np.where((ds.family != HELD) & ~ds.dev)[0]
    by_doc: dict[str, list[int]] = defaultdict(list)
    for k, i in enumerate(test):
        by_doc[str(ds.groups[i]).partition("|")[2]].append(k)
    paths = {name: documents_dir / name for name in by_doc if (documents_dir / name).is_file()}
    if not len(test) or not paths:
        return {}
    if log:
        log(f"in-document: {HELD} held out; scanning {len(paths)} documents")
    system = fit_system(ds, train, seed)
    found = np.zeros(len(test), bool)
    scanned = np.zeros((len(test), len(LABELS)), bool)
    with tempfile.TemporaryDirectory(prefix="barrier-scan-in-document-") as tmp:
        spec, arrays = export(system)
        save(tmp, spec, arrays)
        detector = Detector(Config(model_dir=tmp))
        for name, path in sorted(paths.items()):
            document = extract(path)
            findings = detector.run(document).findings
            ks = by_doc[name]
            for k, cats in zip(ks, labels_in_document(document, findings,
                                                      [ds.texts[test[k]] for k in ks])):
                if cats is not None:
                    found[k] = True
                    scanned[k] = [lab in cats for lab in LABELS]
    alone = predict_system(system, ds, test)
    Y = ds.Y[test][found]
    return {"held_out": HELD, "n": int(found.sum()), "n_labelled": int(len(test)),
            "documents": len(paths),
            "in_document": prf_report(Y, scanned[found]),
            "alone": {s: prf_report(Y, alone[s][found]) for s in ("rules", "model", "combined")}}


def table(block: dict) -> list[str]:
    """Markdown: per label, the same sentences judged on their own and inside their document."""
    if not block:
        return []
    out = [f"**In the document, {block['held_out']} held out** ({block['n']} of "
           f"{block['n_labelled']} labelled sentences found in {block['documents']} documents)",
           "", "| label | support | on its own: combined P / R / F1 | in its document (a scan) "
           "P / R / F1 |", "|---|---:|---|---|"]
    for lab in LABELS:
        a = block["alone"]["combined"]["per_label"][lab]
        d = block["in_document"]["per_label"][lab]
        out.append(f"| {lab} | {a['support']} | {a['precision']:.2f} / {a['recall']:.2f} / "
                   f"**{a['f1']:.2f}** | {d['precision']:.2f} / {d['recall']:.2f} / **{d['f1']:.2f}** |")
    a, d = block["alone"]["combined"]["macro"], block["in_document"]["macro"]
    out.append(f"| *macro* | | {a['precision']:.2f} / {a['recall']:.2f} / **{a['f1']:.2f}** | "
               f"{d['precision']:.2f} / {d['recall']:.2f} / **{d['f1']:.2f}** |")
    return out + [""]
