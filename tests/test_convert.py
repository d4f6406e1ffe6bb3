"""Legacy .doc / .odt / .rtf tenders through LibreOffice (#16).

The legacy files are made here: a DOCX built with python-docx, converted by ``soffice`` itself.
Where LibreOffice is not installed those tests are skipped (``.ci/run`` installs
libreoffice-writer-nogui); the "not installed" message is tested everywhere.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from barrier_scan import Config, scan_file
from barrier_scan.extract import convert

RULES = Config(use_model=False)
# tests/conftest.py turns conversion off for the rest of the suite; here it is what is tested.
_saved = os.environ.pop("BARRIER_SCAN_SOFFICE", None)
SOFFICE = convert.soffice()
if _saved is not None:
    os.environ["BARRIER_SCAN_SOFFICE"] = _saved


@pytest.fixture(autouse=True)
def conversion_on(monkeypatch):
    if SOFFICE is not None:
        monkeypatch.setenv("BARRIER_SCAN_SOFFICE", SOFFICE)
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                   "apt-get install libreoffice-writer-nogui")


def _spec(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Creative activities tender", 1)
    d.add_paragraph("The contract is worth £100,000 per annum for three years.")
    d.add_paragraph("Bidders must have a minimum annual turnover of £1,000,000.")
    d.add_paragraph("The provider must use Lamplight to record attendance.")
    d.save(path)
    return path


@pytest.fixture(scope="module")
def legacy(tmp_path_factory) -> dict[str, Path]:
    """The same specification as .doc, .odt and .rtf, converted by LibreOffice."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    d = tmp_path_factory.mktemp("legacy")
    src = _spec(d / "spec.docx")
    out = {}
    for kind in ("doc", "odt", "rtf"):
        subprocess.run([SOFFICE, "--headless", "--norestore",
                        f"-env:UserInstallation={(d / 'profile').as_uri()}", "--convert-to", kind,
                        "--outdir", str(d), str(src)], check=True, capture_output=True, timeout=180)
        out[kind] = d / f"spec.{kind}"
        assert out[kind].is_file()
    return out


@needs_soffice
@pytest.mark.parametrize("kind", ["doc", "odt", "rtf"])
def test_legacy_file_is_converted_and_scanned(legacy, kind, tmp_path):
    # a folder of its own, to see that nothing is written beside the input
    folder = tmp_path / "in"
    folder.mkdir()
    src = folder / f"tender.{kind}"
    shutil.copyfile(legacy[kind], src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    r = scan_file(src, RULES)
    assert r.ok, r.error
    assert r.format == kind
    assert any("converted" in w and "paragraph numbers refer to the converted copy" in w
               for w in r.warnings)
    bp102 = next(f for f in r.findings if f.code == "BP102")
    assert bp102.evidence.text == "£1,000,000" and bp102.evidence.paragraph is not None
    assert {"BP102", "SP101"} <= {f.code for f in r.findings}
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # input only read
    assert [p.name for p in folder.iterdir()] == [src.name]  # no lock files, no output beside it


@needs_soffice
def test_reports_say_locations_refer_to_the_converted_copy(legacy):
    from barrier_scan.report import html, text

    r = scan_file(legacy["doc"], RULES)
    out = text.render([r])
    assert "¶ 3 (converted copy)" in out
    page = html.render([r])
    assert "Paragraph 3 (converted copy)" in page


@needs_soffice
def test_a_file_libreoffice_cannot_convert_is_one_clear_error(tmp_path):
    bad = tmp_path / "broken.rtf"
    bad.write_bytes(b"{\\rtf1 " + b"\x00\xff" * 10)  # RTF magic, then garbage
    r = scan_file(bad, RULES)
    # LibreOffice may read some text out of it, or refuse it: either way one clear outcome
    assert r.ok or (r.error["code"] in ("unsupported_type", "corrupt_file", "no_text")
                    and "\n" not in r.error["message"])


def test_without_libreoffice_the_message_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("BARRIER_SCAN_SOFFICE", "")  # conversion off, as on a machine without it
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "WordDocument".encode("utf-16-le"))
    r = scan_file(doc, RULES)
    assert r.error["code"] == "legacy_format"
    assert "save as .docx" in r.error["message"]
    assert "apt-get install libreoffice-writer-nogui" in r.error["message"]
    assert "\n" not in r.error["message"]


def test_conversion_time_limit_kills_libreoffice(tmp_path, monkeypatch):
    """A converter that hangs is stopped at the limit, as one ``timeout`` error."""
    from barrier_scan.errors import ScanError

    slow = tmp_path / "slow-soffice"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    src = tmp_path / "a.rtf"
    src.write_bytes(b"{\\rtf1 hello}")
    with pytest.raises(ScanError) as e:
        with convert.converted(src, "rtf", timeout=1, program=str(slow)):
            pass
    assert e.value.code == "timeout" and "1 s" in e.value.message


def test_legacy_kind_reads_bytes_not_names(tmp_path):
    (tmp_path / "a.doc").write_bytes(b"{\\rtf1 x}")
    (tmp_path / "b.txt").write_bytes(b"plain")
    (tmp_path / "c.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # no Word stream
    assert convert.legacy_kind(tmp_path / "a.doc") == "rtf"
    assert convert.legacy_kind(tmp_path / "b.txt") is None
    assert convert.legacy_kind(tmp_path / "c.doc") is None
