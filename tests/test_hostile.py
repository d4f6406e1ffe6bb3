"""Hostile and broken inputs (issue 7): every file gets a clear answer, the batch never dies,
nothing is lost, inputs are never modified, limits are configurable, nothing unsafe is parsed.

The bad-input corpus is built in code by ``tests/hostile.py`` (no binaries committed) and scanned
through the real command line (click's CliRunner) in one batch folder.
"""
from __future__ import annotations

import hashlib
import html as html_mod
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile
from barrier_scan.errors import ERROR_CODES


ROOT = Path(__file__).parents[1]
MAX_PAGES = 1000  # the corpus scan lowers the page limit below the 3,000-page PDF


@pytest.fixture(autouse=True)
def _no_config(monkeypatch):
    monkeypatch.setenv("BARRIER_SCAN_NO_CONFIG", "1")


def run(args, **kw):
    from barrier_scan.cli import cli

    return CliRunner().invoke(cli, [os.fsdecode(a) for a in args], catch_exceptions=False, **kw)


def sha256_tree(folder: Path) -> dict[bytes, str]:
    """{relative path (bytes): sha256} of every regular file under ``folder`` (links not followed)."""
    out = {}
    root = os.fsencode(folder)
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = os.path.join(dirpath, name)
            if os.path.islink(p):
                out[os.path.relpath(p, root)] = "link->" + os.fsdecode(os.readlink(p))
                continue
            if not os.path.isfile(p):  # the named pipe: never open it
                out[os.path.relpath(p, root)] = "special"
                continue
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "tenders"
    cases = hostile.build_corpus(folder)
    return folder, cases


@pytest.fixture(scope="module")
def scanned(corpus, tmp_path_factory):
    """The corpus scanned once as JSON and once as text (2 workers, rules only)."""
    folder, cases = corpus
    before = sha256_tree(folder)
    os.environ["BARRIER_SCAN_NO_CONFIG"] = "1"
    try:
        common = [folder, "--no-model", "--jobs", "2", "--max-pages", str(MAX_PAGES)]
        t0 = time.perf_counter()
        res_json = run(["scan", *common, "--format", "json", "-q"])
        seconds = time.perf_counter() - t0
        res_text = run(["scan", *common, "--format", "text"])
    finally:
        os.environ.pop("BARRIER_SCAN_NO_CONFIG", None)
    return {"json": res_json, "text": res_text, "before": before, "after": sha256_tree(folder),
            "seconds": seconds}


def _doc_by_name(report: dict, folder: Path) -> dict[str, dict]:
    prefix = os.fsencode(folder).decode("utf-8", "backslashreplace") + "/"
    out = {}
    for d in report["documents"]:
        assert d["path"].startswith(prefix), d["path"]
        out[d["path"][len(prefix):]] = d
    return out


# --------------------------------------------------------------------------- the batch

def test_every_file_gets_its_expected_answer(corpus, scanned):
    folder, cases = corpus
    res = scanned["json"]
    assert res.exit_code == 2, res.output  # some files could not be scanned
    report = json.loads(res.stdout)
    docs = _doc_by_name(report, folder)
    # every file once: nothing lost, nothing doubled by the symlink loop
    assert sorted(docs) == sorted(cases), (sorted(docs), sorted(cases))
    assert len(report["documents"]) == len(cases)
    for name, case in cases.items():
        d = docs[name]
        if case.code is None:
            assert d["error"] is None, (name, d["error"])
            if case.findings:
                assert d["findings"], f"{name}: scanned but no findings"
        else:
            assert d["error"] is not None, f"{name}: expected {case.code}, was scanned"
            assert d["error"]["code"] == case.code, (name, d["error"])
            msg = d["error"]["message"]
            for part in case.message:
                assert part in msg, (name, part, msg)
            assert d["findings"] == [] and d["score"] is None


def test_error_messages_are_one_line_actionable_and_documented(corpus, scanned):
    folder, cases = corpus
    report = json.loads(scanned["json"].stdout)
    schema = (ROOT / "docs" / "json-schema.md").read_text(encoding="utf-8")
    robustness = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    for d in report["documents"]:
        if not d["error"]:
            continue
        code, msg = d["error"]["code"], d["error"]["message"]
        assert code in ERROR_CODES, code
        assert f"`{code}`" in schema and f"`{code}`" in robustness, f"{code} not documented"
        assert "\n" not in msg and 20 <= len(msg) <= 300, msg
        assert "Traceback" not in msg and "Error:" not in msg, msg  # no raw exception dumps
        assert code != "internal_error", msg


def test_failures_listed_in_json_and_text_reports(corpus, scanned):
    folder, cases = corpus
    report = json.loads(scanned["json"].stdout)
    failing = {n for n, c in cases.items() if c.code}
    prefix = os.fsencode(folder).decode("utf-8", "backslashreplace") + "/"
    listed = {f["path"][len(prefix):]: f for f in report["failures"]}
    assert set(listed) == failing
    assert all(f["code"] == cases[n].code and f["message"] for n, f in listed.items())
    s = report["summary"]
    assert (s["documents"], s["failed"], s["scanned"]) == (len(cases), len(failing), len(cases) - len(failing))
    text = scanned["text"]
    assert text.exit_code == 2
    for name in failing:
        code = cases[name].code
        # listed once, at the top of the text report, with its code (#16: each failure once,
        # so not again on stderr when the text report is on the console)
        assert re.search(rf"^  {re.escape(prefix + name)}: .+ \[{code}\]$", text.stdout, re.M), name
        assert text.stdout.count(f"{prefix}{name}:") == 1, name
        assert f"{prefix}{name}" not in text.stderr, name


def test_good_files_scanned_with_warnings_where_repaired(corpus, scanned):
    folder, cases = corpus
    docs = _doc_by_name(json.loads(scanned["json"].stdout), folder)
    xref = docs["broken_xref.pdf"]
    assert any("cross-reference" in w for w in xref["warnings"]), xref["warnings"]
    assert docs["good.pdf"]["warnings"] == []
    # the owner-password-only PDF (opens without a password) reads like the plain one
    assert {f["code"] for f in docs["owner_password_only.pdf"]["findings"]} == \
        {f["code"] for f in docs["good.pdf"]["findings"]}
    # a DOCX holding only a table: findings point into table cells
    tab = docs["tables_only.docx"]
    assert tab["findings"] and all(f["evidence"]["table"] is not None for f in tab["findings"]
                                   if f["evidence"].get("sentence"))
    assert any(f["evidence"]["table"] for f in tab["findings"])


def test_non_utf8_file_name_shown_escaped_and_json_valid(corpus, scanned):
    folder, cases = corpus
    raw = scanned["json"].stdout_bytes
    raw.decode("utf-8")  # strictly valid UTF-8
    report = json.loads(raw)
    names = [d["path"] for d in report["documents"]]
    assert any(n.endswith("/tender-\\xff\\xfe.txt") for n in names), names
    assert "tender-\\xff\\xfe.txt" in scanned["text"].stdout
    assert "\udcff" not in scanned["text"].stdout


def test_xxe_secret_never_appears_in_any_output(corpus, scanned):
    for res in (scanned["json"], scanned["text"]):
        assert hostile.SECRET not in res.stdout and hostile.SECRET not in res.stderr


def test_scanning_never_modifies_or_adds_input_files(scanned):
    assert scanned["before"] == scanned["after"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their permissions")
def test_permission_denied_is_unreadable(tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text(hostile.BARRIER_TEXT)
    p.chmod(0)
    res = run(["scan", tmp_path, "--no-model", "--jobs", "1", "--format", "json", "-q"])
    err = json.loads(res.stdout)["documents"][0]["error"]
    assert err["code"] == "unreadable" and "permission" in err["message"]
    assert res.exit_code == 2


def test_folder_that_cannot_be_listed_is_reported_not_dropped(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text(hostile.BARRIER_TEXT)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden_from_us.txt").write_text(hostile.BARRIER_TEXT)
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    res = run(["scan", tmp_path, "--no-model", "--jobs", "1", "--format", "json", "-q"])
    report = json.loads(res.stdout)
    errs = {os.path.basename(d["path"]): d["error"] for d in report["documents"]}
    assert errs["ok.txt"] is None
    assert errs["locked"]["code"] == "unreadable"
    assert "could not list the folder" in errs["locked"]["message"]
    assert res.exit_code == 2


def test_result_cache_gives_the_same_answers_and_never_blocks(corpus, tmp_path):
    """With --cache, files are hashed before scanning: a named pipe must not be opened (it would
    block) and a file over the size limit must not be read in full; cached answers match."""
    folder, cases = corpus
    picks = ["pipe.txt", "good.txt", "good.docx", "zip_bomb.docx", "xxe.docx", "many_pages.pdf",
             "zero_bytes.pdf", "truncated.pdf"]
    args = ["scan", *[folder / n for n in picks], "--no-model", "--jobs", "1", "--format", "json",
            "-q", "--max-pages", str(MAX_PAGES), "--timeout", "30", "--cache", tmp_path / "cache"]
    runs = [json.loads(run(args).stdout) for _ in range(2)]
    for report in runs:
        got = {os.path.basename(d["path"]): (d["error"] or {}).get("code") for d in report["documents"]}
        assert got == {n: cases[n].code for n in picks}
    assert [d["findings"] for d in runs[0]["documents"]] == [d["findings"] for d in runs[1]["documents"]]


# --------------------------------------------------------------------------- HTML escaping

def test_html_report_escapes_hostile_text_and_lists_failures(corpus, tmp_path):
    folder, cases = corpus
    out = tmp_path / "report.html"
    picks = ["hostile_markup.txt", "xxe.docx", "zero_bytes.pdf", "good.txt"]
    res = run(["scan", *[folder / n for n in picks], "--no-model", "--jobs", "1", "--format", "html",
               "-o", out, "-q"])
    assert res.exit_code == 2
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert '" onerror="' not in page and "onerror=\"alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert hostile.SECRET not in page
    for n in ("xxe.docx", "zero_bytes.pdf"):
        assert html_mod.escape(n) in page
    # the only <script> elements are the report's own (none carry text from a tender)
    for m in re.finditer(r"<script\b[^>]*>(.*?)</script>", page, re.S):
        assert "alert(" not in m.group(1)


# --------------------------------------------------------------------------- limits

def test_page_limit_flag_and_config_file(corpus, tmp_path, monkeypatch):
    folder, _ = corpus
    big = folder / "many_pages.pdf"
    res = run(["scan", big, "--no-model", "--jobs", "1", "--format", "json", "--max-pages", "2999"])
    assert json.loads(res.stdout)["documents"][0]["error"]["code"] == "too_many_pages"
    # by the barrier-scan.toml of the project you run in
    d = tmp_path / "cfg"
    d.mkdir()
    (d / "big.pdf").write_bytes(big.read_bytes())
    (d / "barrier-scan.toml").write_text("[tool.barrier-scan]\nmax-pages = 10\n")
    monkeypatch.delenv("BARRIER_SCAN_NO_CONFIG")
    monkeypatch.chdir(d)
    res = run(["scan", d / "big.pdf", "--no-model", "--jobs", "1", "--format", "json"])
    err = json.loads(res.stdout)["documents"][0]["error"]
    assert err["code"] == "too_many_pages" and "limit of 10" in err["message"]
    # the flag wins over the file
    res = run(["scan", d / "big.pdf", "--no-model", "--jobs", "1", "--format", "json", "--max-pages", "20"])
    assert "limit of 20" in json.loads(res.stdout)["documents"][0]["error"]["message"]


def test_three_thousand_pages_processed_with_bounded_memory(corpus, tmp_path):
    """With the limit raised, the 3,000-page PDF is scanned in a child process; its peak memory
    (ru_maxrss) stays well under 1 GB (measured: ~250 MB, of which ~150 MB is the interpreter
    with spaCy and the rules loaded)."""
    folder, _ = corpus
    code = (
        "import resource, subprocess, sys, json\n"
        "p = subprocess.run([sys.executable, '-m', 'barrier_scan.cli', 'scan', sys.argv[1], '--no-model',"
        " '--jobs', '1', '--format', 'json', '-q', '--max-pages', '5000'], capture_output=True)\n"
        "r = json.loads(p.stdout)\n"
        "print(json.dumps({'rc': p.returncode, 'doc': r['documents'][0],"
        " 'maxrss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
    )
    env = dict(os.environ, BARRIER_SCAN_NO_CONFIG="1")
    out = subprocess.run([sys.executable, "-c", code, str(folder / "many_pages.pdf")], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    doc = info["doc"]
    assert doc["error"] is None and doc["pages"] == 3000, doc["error"]
    assert doc["stats"]["blocks"] == 3000
    assert doc["findings"]
    assert info["maxrss_mb"] < 1024, info["maxrss_mb"]


def test_docx_and_file_size_limits_by_flag_and_config(corpus, tmp_path, monkeypatch):
    folder, _ = corpus
    good = folder / "good.docx"
    res = run(["scan", good, "--no-model", "--jobs", "1", "--format", "json", "--max-docx-mb", "0.01"])
    err = json.loads(res.stdout)["documents"][0]["error"]
    assert err["code"] == "unsafe_content" and "--max-docx-mb" in err["message"]
    res = run(["scan", good, "--no-model", "--jobs", "1", "--format", "json", "--max-file-mb", "0.001"])
    err = json.loads(res.stdout)["documents"][0]["error"]
    assert err["code"] == "too_large" and "--max-file-mb" in err["message"]
    # the 150 MB zip bomb passes when the limit is raised past it (then the size/ratio check
    # still refuses it: one member expanding over 200:1 is never accepted)
    res = run(["scan", folder / "zip_bomb.docx", "--no-model", "--jobs", "1", "--format", "json",
               "--max-docx-mb", "1000"])
    err = json.loads(res.stdout)["documents"][0]["error"]
    assert err["code"] == "unsafe_content" and "compression ratio" in err["message"]
    d = tmp_path / "cfg"
    d.mkdir()
    (d / "t.docx").write_bytes(good.read_bytes())
    (d / "barrier-scan.toml").write_text("[tool.barrier-scan]\nmax-docx-mb = 0.01\nmax-file-mb = 50\n")
    monkeypatch.delenv("BARRIER_SCAN_NO_CONFIG")
    monkeypatch.chdir(d)
    res = run(["scan", d, "--no-model", "--jobs", "1", "--format", "json"])
    assert json.loads(res.stdout)["documents"][0]["error"]["code"] == "unsafe_content"
    (d / "barrier-scan.toml").write_text("[tool.barrier-scan]\nmax-file-mb = 0.001\n")
    res = run(["scan", d, "--no-model", "--jobs", "1", "--format", "json"])
    assert json.loads(res.stdout)["documents"][0]["error"]["code"] == "too_large"


@pytest.mark.parametrize("value", ["0", "-5", '"ten"', "true"])
def test_bad_limit_values_in_config_are_usage_errors(tmp_path, monkeypatch, value):
    (tmp_path / "a.txt").write_text(hostile.BARRIER_TEXT)
    (tmp_path / "barrier-scan.toml").write_text(f"[tool.barrier-scan]\nmax-pages = {value}\n")
    monkeypatch.delenv("BARRIER_SCAN_NO_CONFIG")
    monkeypatch.chdir(tmp_path)
    res = run(["scan", tmp_path, "--no-model", "--jobs", "1"])
    assert res.exit_code == 3
    assert "max-pages" in res.output


def _hang_on(monkeypatch, name: str, block_alarm: bool = False):
    """Make extraction of files called ``name`` hang (optionally deaf to SIGALRM, as C code is)."""
    import signal

    import barrier_scan.extract as extract_mod

    real = extract_mod.extract

    def slow(path, *a, **kw):
        if os.path.basename(os.fspath(path)) == name:
            if block_alarm:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(120)
        return real(path, *a, **kw)

    monkeypatch.setattr(extract_mod, "extract", slow)


def test_hung_file_abandoned_by_config_timeout(tmp_path, monkeypatch):
    d = tmp_path / "t"
    d.mkdir()
    for n in ("a.txt", "hang.txt", "z.txt"):
        (d / n).write_text(hostile.BARRIER_TEXT)
    (d / "barrier-scan.toml").write_text("[tool.barrier-scan]\ntimeout = 2\n")
    monkeypatch.delenv("BARRIER_SCAN_NO_CONFIG")
    monkeypatch.chdir(d)
    _hang_on(monkeypatch, "hang.txt")
    t0 = time.monotonic()
    res = run(["scan", d, "--no-model", "--jobs", "1", "--format", "json", "-q"])
    assert time.monotonic() - t0 < 60  # not waited on for the full 120 s
    report = json.loads(res.stdout)
    errs = {os.path.basename(x["path"]): x["error"] for x in report["documents"]}
    assert errs["hang.txt"]["code"] == "timeout" and "2 s" in errs["hang.txt"]["message"]
    assert errs["a.txt"] is None and errs["z.txt"] is None
    assert res.exit_code == 2


def test_file_stuck_in_native_code_killed_by_flag_timeout(tmp_path, monkeypatch):
    d = tmp_path / "t"
    d.mkdir()
    for n in ("a.txt", "hang.txt", "m.txt", "z.txt"):
        (d / n).write_text(hostile.BARRIER_TEXT)
    _hang_on(monkeypatch, "hang.txt", block_alarm=True)
    t0 = time.monotonic()
    res = run(["scan", d, "--no-model", "--jobs", "2", "--format", "json", "-q", "--timeout", "1"])
    assert time.monotonic() - t0 < 60
    errs = {os.path.basename(x["path"]): x["error"] for x in json.loads(res.stdout)["documents"]}
    assert errs["hang.txt"]["code"] == "timeout"
    assert [n for n, e in errs.items() if e] == ["hang.txt"]


# --------------------------------------------------------------------------- many files

def _many_files(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"t{i:05d}.txt").write_text(
            f"Note {i}. Bidders must have a minimum annual turnover of £{500_000 + i:,}.\n")


def _scan_many(folder: Path, n: int) -> None:
    res = run(["scan", folder, "--no-model", "--jobs", "2", "--format", "json", "-q"])
    report = json.loads(res.stdout)
    assert report["summary"]["documents"] == n and report["summary"]["failed"] == 0
    assert len({d["path"] for d in report["documents"]}) == n
    assert all(d["findings"] for d in report["documents"])
    assert res.exit_code == 1


@pytest.mark.slow  # runs by default; deselect with -m "not slow"
def test_ten_thousand_tiny_files(tmp_path):
    """10,000 files through the CLI, --jobs 2, rules only: every file gets a result.

    Measured in pytest on the shared 2-core container: 27 s (load average ~5); 61 s at worst
    under heavier load. BARRIER_SCAN_MANY_FILES=2000 makes it lighter.
    """
    n = int(os.environ.get("BARRIER_SCAN_MANY_FILES", "10000"))
    _many_files(tmp_path / "many", n)
    _scan_many(tmp_path / "many", n)


# --------------------------------------------------------------------------- security

_UNSAFE = [
    (re.compile(r"^\s*(import|from)\s+(pickle|cPickle|_pickle|dill|cloudpickle|marshal|shelve)\b", re.M),
     "pickle-family import"),
    (re.compile(r"\b(pickle|marshal|dill|cloudpickle)\.loads?\s*\("), "unpickling"),
    (re.compile(r"\bjoblib\.(load|dump)\b|from\s+joblib\s+import\s+[^\n]*\b(load|dump)\b"), "joblib load/dump"),
    (re.compile(r"\byaml\.(unsafe_load|full_load|load_all)\s*\("), "unsafe yaml"),
    (re.compile(r"\byaml\.load\s*\((?![^)]*SafeLoader)"), "yaml.load without SafeLoader"),
    (re.compile(r"Loader\s*=\s*yaml\.(Unsafe|Full)?Loader\b"), "unsafe yaml Loader"),
    (re.compile(r"(?<![\w.])(eval|exec)\s*\("), "eval/exec"),
    (re.compile(r"\bskops\.io\.load\s*\([^)]*trusted\s*=\s*True"), "skops trusting everything"),
    (re.compile(r"resolve_entities\s*=\s*True|no_network\s*=\s*False"), "XML entity/network"),
    (re.compile(r"\bshell\s*=\s*True"), "shell=True"),
]


def test_no_unsafe_deserialisation_or_eval_in_the_package():
    problems = []
    for path in sorted((ROOT / "barrier_scan").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        code = re.sub(r'("""|\'\'\')(.*?)\1', "", text, flags=re.S)  # docstrings mention pickle
        code = re.sub(r"#[^\n]*", "", code)
        for rx, what in _UNSAFE:
            for m in rx.finditer(code):
                problems.append(f"{path.relative_to(ROOT)}: {what}: {m.group(0)!r}")
    assert not problems, "\n".join(problems)
    # the model is read as plain arrays: numpy never unpickles an object array
    compiled = (ROOT / "barrier_scan" / "detect" / "model" / "compiled.py").read_text(encoding="utf-8")
    loads = re.findall(r"np\.load\s*\(([^)]*)\)", compiled)
    assert loads and all("allow_pickle=False" in call for call in loads), loads


def test_unsafe_scan_detector_actually_detects(tmp_path):
    """The regexes above are not vacuous."""
    samples = ["import pickle", "x = pickle.loads(b)", "joblib.load(p)", "yaml.load(fh)",
               "yaml.unsafe_load(fh)", "eval(s)", "exec(code)", "etree.XMLParser(resolve_entities=True)",
               "subprocess.run(c, shell=True)"]
    for s in samples:
        assert any(rx.search(s) for rx, _ in _UNSAFE), s
    for ok in ["yaml.safe_load(fh)", "yaml.load(fh, Loader=yaml.SafeLoader)", "ast.literal_eval(s)",
               "model.eval_metrics()", "from joblib import Parallel, delayed"]:
        assert not any(rx.search(ok) for rx, _ in _UNSAFE), ok


def test_yaml_rules_cannot_run_code(tmp_path):
    from barrier_scan.errors import ConfigError
    from barrier_scan.detect.rules.loader import load_rule_file

    marker = tmp_path / "pwned"
    bad = tmp_path / "XX999.yml"
    bad.write_text(f'code: !!python/object/apply:os.system ["touch {marker}"]\n')
    with pytest.raises(ConfigError):
        load_rule_file(bad)
    assert not marker.exists()


def test_docx_doctype_refused_before_python_docx_parses(corpus, monkeypatch, tmp_path):
    import docx

    from barrier_scan.errors import ScanError
    from barrier_scan.extract import extract

    def boom(*a, **k):  # pragma: no cover - reaching it is the failure
        raise AssertionError("python-docx was given a DOCX with a DOCTYPE")

    folder, _ = corpus
    paths = [folder / "xxe.docx"]
    # the same DTD hidden in other parts and encodings
    base = hostile.docx_bytes([hostile.BARRIER_TEXT])
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    variants = {
        "styles.docx": ("word/styles.xml", lambda x: x.replace(b"?>", b"?>" + dtd, 1)),
        "rels.docx": ("_rels/.rels", lambda x: x.replace(b"?>", b"?>" + dtd, 1)),
        "utf16.docx": ("word/document.xml", lambda x: x.replace(b"?>", b"?>" + dtd, 1)
                       .replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16-le")),
        "utf16bom.docx": ("word/document.xml", lambda x: x.replace(b"?>", b"?>" + dtd, 1)
                          .replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")),
    }
    for name, (member, edit) in variants.items():
        p = tmp_path / name
        p.write_bytes(hostile._edit_zip(base, member, edit))
        paths.append(p)
    monkeypatch.setattr(docx, "Document", boom)
    for p in paths:
        with pytest.raises(ScanError) as ei:
            extract(p)
        assert ei.value.code == "unsafe_content", (p.name, ei.value.message)


def test_python_docx_parser_never_expands_entities(tmp_path):
    """Defence in depth: even if a DTD got past our check, python-docx's lxml parser neither
    resolves external entities nor touches the network."""
    from docx.oxml.parser import parse_xml

    secret = tmp_path / "secret.txt"
    secret.write_text(hostile.SECRET)
    xml = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
           '<r>&x;</r>').encode()
    from lxml import etree

    el = parse_xml(xml)
    assert hostile.SECRET not in etree.tostring(el, encoding="unicode")
    assert hostile.SECRET not in "".join(el.itertext())


def test_legacy_ole2_fixtures_are_real_compound_files(corpus):
    """The synthesised .doc is a valid OLE2 file (olefile reads its streams), and the encrypted
    DOCX (msoffcrypto-tool) holds an EncryptedPackage stream -- the sniffer's evidence is real."""
    import olefile

    folder, cases = corpus
    with olefile.OleFileIO(str(folder / "legacy.doc")) as ole:
        assert ole.exists("WordDocument") and ole.exists("1Table")
    if "password.docx" in cases:
        with olefile.OleFileIO(str(folder / "password.docx")) as ole:
            assert ole.exists("EncryptedPackage") and ole.exists("EncryptionInfo")


def test_lying_zip_headers_do_not_inflate_past_declared_size(corpus):
    """Headers claiming 2 KB for a 64 MB member: refused after inflating about one 1 MB chunk.

    (``zipfile.read()`` would inflate all 64 MB in one call before noticing; python-docx uses it.)
    """
    import tracemalloc

    from barrier_scan.errors import ScanError
    from barrier_scan.extract import extract

    folder, _ = corpus
    tracemalloc.start()
    try:
        with pytest.raises(ScanError) as ei:
            extract(folder / "lying_zip_bomb.docx")
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert ei.value.code == "unsafe_content" and "declares" in ei.value.message
    assert peak_mb < 16, peak_mb


# --------------------------------------------------------------------------- atomic outputs

@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_failure_mid_write_keeps_the_previous_report_and_no_temp_file(tmp_path, monkeypatch, fmt):
    import barrier_scan.io as io_mod

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(hostile.BARRIER_TEXT)
    (src / "b.txt").write_text(hostile.BARRIER_TEXT)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / f"report.{fmt}"
    out.write_text("PREVIOUS REPORT\n")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(io_mod.os, "fsync", disk_full)
    res = run(["scan", src, "--no-model", "--jobs", "1", "--format", fmt, "-o", out, "-q"])
    assert res.exit_code == 3, res.output
    assert "could not write" in res.output and "No space left" in res.output
    assert out.read_text() == "PREVIOUS REPORT\n"
    assert sorted(p.name for p in out_dir.iterdir()) == [out.name]  # no temp file left


def test_annotate_leaves_inputs_untouched(corpus, tmp_path):
    folder, _ = corpus
    before = sha256_tree(folder)
    outs = tmp_path / "out"
    outs.mkdir()
    for name, code in [("good.docx", 0), ("tables_only.docx", 0), ("good.pdf", 0),
                       ("xxe.docx", 2), ("zip_bomb.docx", 2), ("password.docx", 2)]:
        if not (folder / name).exists():
            continue
        dst = outs / (name + (".reviewed.docx" if name.endswith(".docx") else ".review.html"))
        res = run(["annotate", folder / name, "-o", dst, "--no-model", "-q"])
        assert res.exit_code == code, (name, res.output)
        assert (dst.exists() or dst.with_suffix(".html").exists()) == (code == 0), name
    assert sha256_tree(folder) == before
    for p in outs.iterdir():
        assert hostile.SECRET.encode() not in p.read_bytes()


# =========================================================================== issue 13
# Untrusted folders, signals and odd files: nothing hidden, nothing lost, nothing overwritten.
# Each test below reproduces a case found on main before the fix (docs/robustness.md lists them).

def _json(res) -> dict:
    return json.loads(res.stdout)


def _codes_of(report: dict) -> set[str]:
    return {f["code"] for d in report["documents"] for f in d["findings"]}


# --------------------------------------------------------------------------- configuration

def test_config_beside_or_above_the_tenders_is_never_read(tmp_path, monkeypatch):
    """A tender folder (or a shared folder above it) must not configure the scanner: with
    ``ignore = ["ALL"]`` there, a closed tender used to report 'open', 0 barriers, exit 0."""
    shared = tmp_path / "shared"
    tenders = shared / "tenders"
    tenders.mkdir(parents=True)
    (tenders / "closed.txt").write_text(hostile.BARRIER_TEXT + "\n")
    (tenders / "barrier-scan.toml").write_text('ignore = ["ALL"]\n')
    (shared / "pyproject.toml").write_text('[tool.barrier-scan]\nselect = ["OP"]\n')
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.delenv("BARRIER_SCAN_NO_CONFIG")
    monkeypatch.chdir(work)
    res = run(["scan", tenders, "--no-model", "--jobs", "1", "--format", "json"])
    assert res.exit_code == 1, res.output  # barriers found
    report = _json(res)
    assert {"BP101", "BP103"} & _codes_of(report), _codes_of(report)
    assert report["tool"]["configuration"] == {"file": None, "changed": {"use-model": False}}
    text = run(["scan", tenders, "--no-model", "--jobs", "1"])
    assert "barrier-scan.toml" not in text.output and "pyproject.toml" not in text.output
    # Run from inside the tender folder, it is the project you run in: read, and said so.
    monkeypatch.chdir(tenders)
    res = run(["scan", tenders, "--no-model", "--jobs", "1", "--format", "json"])
    report = _json(res)
    assert res.exit_code == 0 and _codes_of(report) == set()
    assert report["tool"]["configuration"]["file"].endswith("barrier-scan.toml")
    assert report["tool"]["configuration"]["changed"]["ignore"] == ["ALL"]


@pytest.mark.parametrize("fmt", ["text", "html", "csv", "json"])
def test_every_report_states_the_configuration_that_changed_it(tmp_path, monkeypatch, fmt):
    (tmp_path / "t.txt").write_text(hostile.BARRIER_TEXT + "\n")
    cfg = tmp_path / "team.toml"
    cfg.write_text('[tool.barrier-scan]\nignore = ["BP103"]\nannual-value = 150000\n')
    out = tmp_path / f"r.{fmt}"
    res = run(["scan", tmp_path / "t.txt", "--config", cfg, "--no-model", "--jobs", "1",
               "--format", fmt, "-o", out, "-q"])
    assert res.exit_code == 1, res.output
    body = out.read_text(encoding="utf-8-sig")
    if fmt == "csv":
        import csv as csv_mod
        import io as io_mod

        rows = list(csv_mod.DictReader(io_mod.StringIO(body)))  # still a plain table
        assert rows and rows[0]["path"].endswith("t.txt")
        said = rows[0]["configuration"]
    elif fmt == "json":
        said = json.dumps(json.loads(body)["tool"]["configuration"])
    else:
        said = html_mod.unescape(body)
    assert "team.toml" in said and "BP103" in said and "150000" in said, said
    # and with no file and no flag, the CSV says so rather than leaving the column blank
    run(["scan", tmp_path / "t.txt", "--format", "csv", "-o", tmp_path / "d.csv", "-q", "--jobs", "1"])
    import csv as csv_mod

    rows = list(csv_mod.DictReader((tmp_path / "d.csv").open(encoding="utf-8-sig")))
    assert rows[0]["configuration"] == "defaults"


@pytest.mark.parametrize("key", ["rules-dir", "model-dir"])
def test_found_config_may_not_choose_rules_or_model(tmp_path, monkeypatch, key):
    """rules-dir/model-dir load code-like data (regexes, a model): only from a file you name."""
    evil = tmp_path / "evil"
    evil.mkdir()
    (tmp_path / "t.txt").write_text(hostile.BARRIER_TEXT + "\n")
    (tmp_path / "barrier-scan.toml").write_text(f'{key} = "{evil}"\n')
    monkeypatch.delenv("BARRIER_SCAN_NO_CONFIG")
    monkeypatch.chdir(tmp_path)
    res = run(["scan", tmp_path / "t.txt", "--jobs", "1"])
    assert res.exit_code == 3, res.output
    assert f"'{key}'" in res.output and "--config" in res.output
    assert "Traceback" not in res.output
    # named with --config, the same key is honoured (pointing at the real folders here)
    real = ROOT / ("rules" if key == "rules-dir" else "models/default")
    named = tmp_path / "named.toml"
    named.write_text(f'[tool.barrier-scan]\n{key} = "{real}"\n')
    res = run(["scan", tmp_path / "t.txt", "--config", named, "--jobs", "1", "--format", "json"])
    assert res.exit_code == 1, res.output
    assert _json(res)["tool"]["configuration"]["changed"][key] == str(real)


_BAD_VALUES = [
    ("max-file-mb", "1e303"), ("max-file-mb", "inf"), ("max-pages", "inf"), ("max-pages", "1e303"),
    ("max-docx-mb", "nan"), ("timeout", "inf"), ("timeout", "nan"), ("timeout", "-1"),
    ("min-confidence", "nan"), ("min-confidence", "-0.5"), ("min-confidence", "1.5"),
    ("annual-value", "nan"), ("annual-value", "-5"), ("contract-value", "inf"),
    ("lots", "nan"), ("lots", "-1"), ("lots", "2.5"), ("absence-min-sentences", "nan"),
]


@pytest.mark.parametrize("key,value", _BAD_VALUES)
def test_bad_config_values_are_exit_3_naming_the_key(tmp_path, monkeypatch, key, value):
    """Used to be a traceback (exit 1), every file an internal_error, or silently changed results."""
    (tmp_path / "t.txt").write_text(hostile.BARRIER_TEXT + "\n")
    (tmp_path / "barrier-scan.toml").write_text(f"{key} = {value}\n")
    monkeypatch.delenv("BARRIER_SCAN_NO_CONFIG")
    monkeypatch.chdir(tmp_path)
    res = run(["scan", tmp_path, "--no-model", "--jobs", "1", "--format", "json"])
    assert res.exit_code == 3, (key, value, res.output)
    assert f"'{key}'" in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1, res.output


@pytest.mark.parametrize("flag,value", [
    ("--annual-value", "-5"), ("--contract-value", "nan"), ("--timeout", "inf"),
    ("--timeout", "-3"), ("--max-file-mb", "1e303"), ("--max-docx-mb", "inf"),
    ("--min-confidence", "nan"), ("--lots", "0"), ("--max-pages", "0"),
])
def test_bad_flag_values_are_exit_3_naming_the_key(tmp_path, flag, value):
    (tmp_path / "t.txt").write_text(hostile.BARRIER_TEXT + "\n")
    res = run(["scan", tmp_path / "t.txt", "--no-model", "--jobs", "1", "--format", "json",
               f"{flag}={value}"])
    assert res.exit_code == 3, (flag, value, res.output)
    assert f"'{flag[2:]}'" in res.output and "Traceback" not in res.output


# --------------------------------------------------------------------------- signals

_HANG_AND_RUN = """
import os, sys, time
import barrier_scan.extract as ex
real = ex.extract
def slow(path, *a, **k):
    if os.path.basename(os.fspath(path)).startswith("hang"):
        time.sleep(300)
    return real(path, *a, **k)
ex.extract = slow
from barrier_scan.cli import main
main(sys.argv[1:])
"""


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find the worker processes")
@pytest.mark.parametrize("signame,jobs", [("SIGTERM", 2), ("SIGHUP", 2), ("SIGTERM", 1)])
def test_stop_signal_stops_workers_removes_temp_files_keeps_old_output(tmp_path, signame, jobs):
    """SIGTERM/SIGHUP to the parent used to leave its workers running (still alive minutes
    later) and a partial .report.json.*.tmp beside the target."""
    import signal

    sig = getattr(signal, signame)
    d = tmp_path / "t"
    d.mkdir()
    for n in ("a.txt", "hang1.txt", "hang2.txt", "z.txt"):
        (d / n).write_text(hostile.BARRIER_TEXT + "\n")
    outs = tmp_path / "out"
    outs.mkdir()
    report, csv_out = outs / "report.json", outs / "findings.csv"
    report.write_text("previous report\n")
    env = dict(os.environ, BARRIER_SCAN_NO_CONFIG="1")
    p = subprocess.Popen([sys.executable, "-c", _HANG_AND_RUN, "scan", str(d), "--no-model",
                          "--jobs", str(jobs), "--format", "json", "-o", str(report),
                          "--findings-csv", str(csv_out), "--timeout", "0"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while time.monotonic() < deadline:
            temps = [x for x in os.listdir(outs) if x.endswith(".tmp")]
            workers = _children(p.pid)
            if len(temps) == 2 and len(workers) >= (jobs if jobs > 1 else 0):
                break
            assert p.poll() is None, p.communicate()
            time.sleep(0.2)
        else:
            pytest.fail("the scan never got going")
        time.sleep(1.5)  # both workers are now inside a hanging file
        workers = _children(p.pid)
        os.kill(p.pid, sig)
        _, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    assert p.returncode == 128 + sig, (p.returncode, err)
    assert f"stopped by {signame}".encode() in err and b"Traceback" not in err, err
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)], "workers left running"
    assert sorted(os.listdir(outs)) == ["report.json"]  # no temp file, no half CSV
    assert report.read_text() == "previous report\n"


# --------------------------------------------------------------------------- outputs

def _tender(folder: Path, name: str = "spec.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(hostile.BARRIER_TEXT + "\n")
    return p


@pytest.mark.parametrize("how", ["output", "findings-csv", "output-in-folder", "csv-in-folder",
                                 "same-twice"])
def test_scan_never_overwrites_an_input(tmp_path, how):
    """``scan X -o X`` and ``--findings-csv spec.docx`` used to replace the tender."""
    folder = tmp_path / "tenders"
    spec = _tender(folder)
    docx = folder / "spec.docx"
    hostile.write_docx(docx)
    before = sha256_tree(folder)
    args = {"output": [spec, "-o", spec],
            "findings-csv": [docx, "--findings-csv", docx],
            "output-in-folder": [folder, "--format", "html", "-o", docx],
            "csv-in-folder": [folder, "-o", tmp_path / "r.json", "--format", "json",
                              "--findings-csv", spec],
            "same-twice": [spec, "--format", "csv", "-o", tmp_path / "x.csv",
                           "--findings-csv", tmp_path / "x.csv"]}[how]
    res = run(["scan", *args, "--no-model", "--jobs", "1"])
    assert res.exit_code == 3, res.output
    assert ("refusing to overwrite the input" in res.output
            or "name the same file" in res.output), res.output
    assert sha256_tree(folder) == before
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "r.json").exists()


def test_compare_and_baseline_never_overwrite_an_input(tmp_path):
    old, new = _tender(tmp_path, "v1.txt"), _tender(tmp_path, "v2.txt")
    before = sha256_tree(tmp_path)
    res = run(["compare", old, new, "-o", new, "--no-model"])
    assert res.exit_code == 3 and "refusing to overwrite the input" in res.output, res.output
    res = run(["baseline", "create", tmp_path, "-o", old, "--no-model"])
    assert res.exit_code == 3 and "refusing to overwrite the input" in res.output, res.output
    assert sha256_tree(tmp_path) == before


def _commands_writing(tmp_path: Path, out: Path) -> dict[str, list]:
    a, b = _tender(tmp_path / "in", "a.txt"), _tender(tmp_path / "in", "b.docx.txt")
    docx = tmp_path / "in" / "draft.docx"
    if not docx.exists():
        hostile.write_docx(docx)
    return {"scan": ["scan", a, "--format", "json", "-o", out],
            "annotate": ["annotate", docx, "-o", out],
            "annotate-html": ["annotate", a, "-o", out],
            "compare": ["compare", a, b, "--format", "html", "-o", out],
            "baseline": ["baseline", "create", a, "-o", out]}


@pytest.mark.parametrize("command", ["scan", "annotate", "annotate-html", "compare", "baseline"])
def test_output_that_cannot_be_written_is_one_line_exit_3(tmp_path, command):
    """annotate, compare and baseline create used to end in a traceback (exit 1)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder is expected\n")
    out = blocker / "report.out"
    res = run([*_commands_writing(tmp_path, out)[command], "--no-model"])
    assert res.exit_code == 3, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert any(ln.startswith("Error: could not write") and "report.out" in ln
               and "unchanged" in ln for ln in lines), res.output
    assert "Traceback" not in res.output
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("command", ["scan", "annotate", "annotate-html", "compare", "baseline"])
def test_long_output_names_are_written(tmp_path, command):
    """The temporary file's 14-byte suffix used to make legal names of 242-255 bytes fail."""
    name = "r" * 245 + (".docx" if command == "annotate" else ".html" if command != "scan"
                        and command != "baseline" else ".json")
    out = tmp_path / "out" / name
    out.parent.mkdir()
    assert len(os.fsencode(out.name)) == 250
    res = run([*_commands_writing(tmp_path, out)[command], "--no-model"])
    assert res.exit_code in (0, 1), res.output
    assert out.is_file() and out.stat().st_size > 0
    assert os.listdir(out.parent) == [name]  # and no temporary file left
    # A name over the file system's limit is refused in one line, exit 3.
    too_long = tmp_path / "out" / ("r" * 300 + ".json")
    res = run([*_commands_writing(tmp_path, too_long)[command], "--no-model"])
    assert res.exit_code == 3 and "could not write" in res.output, res.output
    assert "Traceback" not in res.output


# --------------------------------------------------------------------------- names

_EVIL_NAMES = {
    "forged": "x\nerror: fake.pdf: all good\n.txt",  # an empty file: forges a second error line
    "escape": "\x1b[2J\x1b]0;pwned\x07wipe.txt",
    "bidi": "invoice\u202etxt.exe.txt",
    "c1": "csi\x9b31m.txt",
}


def test_file_names_are_escaped_wherever_printed(tmp_path):
    """Names with newlines or terminal escapes were printed raw; bidi controls reached HTML/CSV."""
    folder = tmp_path / "t"
    folder.mkdir()
    for key, name in _EVIL_NAMES.items():
        (folder / name).write_text("" if key == "forged" else hostile.BARRIER_TEXT + "\n")
    raw = ("\n", "\x1b", "\x07", "\u202e", "\x9b")

    def clean_paths(paths):
        for p in paths:
            assert not any(c in p for c in raw), repr(p)

    # text on stdout: each failure once, at the top of the report (#16), escaped
    res = run(["scan", folder, "--no-model", "--jobs", "1"])
    assert res.exit_code == 2
    out_lines = [ln for ln in res.stdout.splitlines() if "fake.pdf: all good" in ln]
    assert len(out_lines) == 1 and "x\\x0aerror: fake.pdf: all good\\x0a.txt" in out_lines[0]
    assert not any(c in res.stdout + res.stderr for c in raw[1:])
    assert not any(ln.startswith("error: fake.pdf") for ln in (res.stdout + res.stderr).splitlines())
    # a machine format on stdout: the failure goes to stderr, once, escaped
    res = run(["scan", folder, "--no-model", "--jobs", "1", "--format", "json"])
    err_lines = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(err_lines) == 1 and "x\\x0aerror: fake.pdf: all good\\x0a.txt" in err_lines[0]
    assert not any(ln.startswith("error: fake.pdf") for ln in res.stderr.splitlines())
    report = _json(run(["scan", folder, "--no-model", "--jobs", "1", "--format", "json"]))
    clean_paths([d["path"] for d in report["documents"]])
    clean_paths([d["message"] for d in report["failures"]])
    html_out, csv_out = tmp_path / "r.html", tmp_path / "f.csv"
    run(["scan", folder, "--no-model", "--jobs", "1", "--format", "html", "-o", html_out,
         "--findings-csv", csv_out, "-q"])
    page = html_out.read_text(encoding="utf-8")
    assert not any(c in page for c in raw[1:]) and "\\u202e" in page, [ln for ln in page.split("<") if "invoice" in ln][:3]
    assert not any(c in csv_out.read_text(encoding="utf-8-sig") for c in raw[1:])
    # the names a command says it wrote are escaped too
    evil_out = tmp_path / "out\x1b[31m.json"
    res = run(["scan", folder / _EVIL_NAMES["bidi"], "--no-model", "--jobs", "1", "--format",
               "json", "-o", evil_out])
    assert "\x1b" not in res.stderr and "out\\x1b[31m.json" in res.stderr


# --------------------------------------------------------------------------- our own reports

def test_own_reports_in_the_folder_are_not_scanned_as_tenders(tmp_path):
    folder = tmp_path / "tenders"
    _tender(folder, "spec.txt")
    hostile.write_docx(folder / "draft.docx")
    common = ["--no-model", "--jobs", "1"]
    assert run(["scan", folder, "--format", "html", "-o", folder / "report.html", *common]).exit_code == 1
    assert run(["scan", folder, "-o", folder / "report.txt", *common]).exit_code == 1
    assert run(["annotate", folder / "draft.docx", "--no-model"]).exit_code == 0  # draft.reviewed.docx
    assert run(["annotate", folder / "spec.txt", "--no-model"]).exit_code == 0  # spec.review.html
    assert run(["compare", folder / "spec.txt", folder / "draft.docx", "--format", "text",
                "-o", folder / "changes.md", "--no-model"]).exit_code in (0, 1)
    assert sorted(p.name for p in folder.iterdir()) == [
        "changes.md", "draft.docx", "draft.reviewed.docx", "report.html", "report.txt",
        "spec.review.html", "spec.txt"]
    res = run(["scan", folder, "--format", "json", *common])
    names = sorted(os.path.basename(d["path"]) for d in _json(res)["documents"])
    assert names == ["draft.docx", "spec.txt"], names
    for skipped in ("report.html", "report.txt", "draft.reviewed.docx", "spec.review.html",
                    "changes.md"):
        assert re.search(rf"skipped .*{re.escape(skipped)}: a barrier-scan", res.stderr), skipped
    # writing over our own report is fine (it is not an input) ...
    assert run(["scan", folder, "--format", "html", "-o", folder / "report.html", *common]).exit_code == 1
    # ... but a tender that merely has a report's name is a tender: scanned, and never replaced
    (folder / "theirs.html").write_text("<html><body><p>" + hostile.BARRIER_TEXT + "</p></body></html>")
    (folder / "notes.reviewed.docx").write_bytes((folder / "draft.docx").read_bytes())
    names = sorted(os.path.basename(d["path"]) for d in _json(run(
        ["scan", folder, "--format", "json", *common]))["documents"])
    assert names == ["draft.docx", "notes.reviewed.docx", "spec.txt", "theirs.html"], names
    res = run(["scan", folder, "--format", "html", "-o", folder / "theirs.html", *common])
    assert res.exit_code == 3 and "refusing to overwrite the input" in res.output


# --------------------------------------------------------------------------- symlinks

def test_symlinks_out_of_the_folder_are_listed_not_followed(tmp_path):
    """A link to a system folder used to scan hundreds of unrelated files into the report."""
    outside = tmp_path / "elsewhere"
    _tender(outside, "private.txt")
    _tender(outside / "deep", "also_private.txt")
    folder = tmp_path / "tenders"
    spec = _tender(folder, "spec.txt")
    (folder / "sub").mkdir()
    os.symlink(outside, folder / "sub" / "to_elsewhere")  # a folder outside
    os.symlink(outside / "private.txt", folder / "linked.txt")  # a file outside
    os.symlink(spec, folder / "sub" / "same_spec.txt")  # inside: fine
    os.symlink("../sub", folder / "sub" / "loop")  # inside, and a loop
    res = run(["scan", folder, "--no-model", "--jobs", "2", "--format", "json"])
    report = _json(res)
    got = {os.path.relpath(d["path"], folder): (d["error"] or {}).get("code")
           for d in report["documents"]}
    assert got == {"spec.txt": None, "sub/same_spec.txt": None,
                   "linked.txt": "link_outside", "sub/to_elsewhere": "link_outside"}, got
    assert res.exit_code == 2
    msg = next(d for d in report["failures"] if d["path"].endswith("to_elsewhere"))["message"]
    assert str(outside) in msg and "--follow-links" in msg
    # the flag follows them; naming the folder outside scans it too
    res = run(["scan", folder, "--no-model", "--jobs", "1", "--format", "json", "--follow-links"])
    names = sorted(os.path.basename(d["path"]) for d in _json(res)["documents"])
    assert names == ["also_private.txt", "linked.txt", "private.txt", "same_spec.txt", "spec.txt"]
    res = run(["scan", folder, outside, "--no-model", "--jobs", "1", "--format", "json"])
    assert [d for d in _json(res)["documents"] if d["error"]] == []


# --------------------------------------------------------------------------- the cache

_CLEAN_TENDER = ("The council invites proposals for a creative health programme. We welcome bids "
                 "from consortia, community groups and voluntary organisations. Payment is made "
                 "within 30 days of a valid invoice.\n")


def test_cache_stores_the_result_of_the_bytes_it_hashed(tmp_path, monkeypatch):
    """A file that changed between hashing and scanning used to store the new content's
    result under the old content's hash: later runs on the old file quoted words not in it."""
    from barrier_scan.cache import ResultCache

    spec = tmp_path / "t" / "spec.txt"
    spec.parent.mkdir()
    spec.write_text(_CLEAN_TENDER)
    real_digest = ResultCache.digest

    def digest_then_swap(self, path):
        d = real_digest(self, path)
        spec.write_text(hostile.BARRIER_TEXT + "\n")  # replaced after hashing, before scanning
        return d

    cache = tmp_path / "cache"
    args = ["scan", spec, "--no-model", "--jobs", "1", "--format", "json", "--cache", cache]
    monkeypatch.setattr(ResultCache, "digest", digest_then_swap)
    run(args)
    monkeypatch.setattr(ResultCache, "digest", real_digest)
    spec.write_text(_CLEAN_TENDER)  # the original bytes again
    doc = _json(run(args))["documents"][0]
    quoted = [f["evidence"]["text"] for f in doc["findings"] if f["evidence"]["sentence"]]
    assert all(q in _CLEAN_TENDER for q in quoted), quoted
    assert not any(f["code"].startswith("BP") for f in doc["findings"]), doc["findings"]


def _entry_path(cache: Path, spec: Path) -> Path:
    from barrier_scan.cache import ResultCache, file_digest
    from barrier_scan.config import Config

    c = ResultCache.for_config(cache, Config(use_model=False))
    d = file_digest(spec)
    p = cache / c.engine[:16] / d[:2] / f"{d}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    return p, c.engine, d


def _bad_results(good: dict) -> dict[str, object]:
    f = good["findings"][0]
    return {
        "findings-not-a-list": {**good, "findings": "BP101"},
        "score-a-string": {**good, "score": "ninety"},
        "unknown-severity": {**good, "findings": [{**f, "severity": "catastrophic"}]},
        "evidence-wrong-type": {**good, "findings": [{**f, "evidence": {**f["evidence"], "page": "two"}}]},
        "lots-a-string": {**good, "facts": {**good["facts"], "lots": "many"}},
        "breakdown-garbage": {**good, "breakdown": {"specification": [1, 2]}},
        "error-a-list": {**good, "error": ["x"]},
        "path-missing": {k: v for k, v in good.items() if k != "path"},
        "result-a-number": 7,
    }


@pytest.mark.parametrize("case", ["findings-not-a-list", "score-a-string", "unknown-severity",
                                  "evidence-wrong-type", "lots-a-string", "breakdown-garbage",
                                  "error-a-list", "path-missing", "result-a-number",
                                  "deep-nesting", "not-json"])
def test_malformed_cache_entry_is_a_miss_and_rewritten(tmp_path, case):
    """A malformed entry used to crash the whole run with a traceback and no report."""
    spec = _tender(tmp_path / "t")
    cache = tmp_path / "cache"
    args = ["scan", spec, "--no-model", "--jobs", "1", "--cache", cache]
    first = run([*args, "--format", "json"])
    entry, engine, digest = _entry_path(cache, spec)
    good = json.loads(entry.read_text())["result"]
    if case == "deep-nesting":
        body = ('{"format": %s, "engine": "%s", "sha256": "%s", "result": ' % (
            json.loads(entry.read_text())["format"], engine, digest) + "[" * 200_000 + "]" * 200_000 + "}")
    elif case == "not-json":
        body = "\x00\xff garbage"
    else:
        body = json.dumps({"format": json.loads(entry.read_text())["format"], "engine": engine,
                           "sha256": digest, "result": _bad_results(good)[case]})
    entry.write_text(body, encoding="utf-8", errors="surrogateescape")
    for fmt in ("json", "text", "html", "csv"):
        res = run([*args, "--format", fmt])
        assert res.exit_code == 1, (fmt, res.output)
    again = _json(run([*args, "--format", "json"]))["documents"][0]
    assert again["findings"] == _json(first)["documents"][0]["findings"]
    assert json.loads(entry.read_text())["result"]["findings"] == good["findings"]  # rewritten


@pytest.mark.parametrize("kind", ["symlink-to-forged-entry", "fifo", "symlink-to-dev-zero"])
def test_cache_entry_that_is_not_a_regular_file_is_a_miss(tmp_path, kind):
    """An entry that was a symlink to /dev/zero grew to 5.4 GB; a FIFO made a good file time
    out; a symlink let another file's content be taken as the entry."""
    spec = _tender(tmp_path / "t")
    cache = tmp_path / "cache"
    args = ["scan", spec, "--no-model", "--jobs", "1", "--format", "json", "--cache", cache,
            "--timeout", "20"]
    first = _json(run(args))["documents"][0]
    entry, engine, digest = _entry_path(cache, spec)
    data = json.loads(entry.read_text())
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "symlink-to-dev-zero":
        os.symlink("/dev/zero", entry)
    else:  # a well-formed entry saying "no barriers", placed elsewhere and linked in
        forged = tmp_path / "forged.json"
        data["result"].update(findings=[], score=100.0, band="open")
        forged.write_text(json.dumps(data))
        os.symlink(forged, entry)
    t0 = time.monotonic()
    doc = _json(run(args))["documents"][0]
    assert time.monotonic() - t0 < 15
    assert doc["error"] is None and doc["findings"] == first["findings"]
    assert not entry.is_symlink() and entry.is_file()  # rewritten as a plain entry


# --------------------------------------------------------------------------- PDF page edges

_BODY = ("The council invites proposals for creative health sessions in libraries and "
         "community centres across the district.")


@pytest.mark.parametrize("amounts", ["different", "same"])
def test_clauses_repeated_at_page_tops_are_not_removed_as_headers(tmp_path, amounts):
    """A clause at the top of every page ("Lot N: bidders must have a minimum annual turnover
    of £X ... audited accounts") used to be removed from all four pages without a warning."""
    pages = []
    for n in range(1, 5):
        money = f"£{n * 250},000" if amounts == "different" else "£750,000"
        pages.append([
            (30, "Northshire Council - Community Arts Tender NC-2041"),  # a real running header
            (60, f"Lot {n}: bidders must have a minimum annual turnover of {money} and provide"),
            (74, "three years of audited accounts."),
            (300, _BODY),
            (810, f"Page {n} of 4"),  # and a real page-numbered footer
        ])
    pdf = hostile.placed_pdf(tmp_path / "lots.pdf", pages)
    doc = _json(run(["scan", pdf, "--no-model", "--jobs", "1", "--format", "json"]))["documents"][0]
    assert doc["error"] is None, doc["error"]
    turnover = sorted(f["evidence"]["page"] for f in doc["findings"]
                      if "turnover" in (f["evidence"]["sentence"] or "").lower())
    assert set(turnover) == {1, 2, 3, 4}, turnover
    accounts = {f["evidence"]["page"] for f in doc["findings"] if f["code"] == "BP103"}
    assert accounts == {1, 2, 3, 4}, doc["findings"]
    # the real header and footer still go, and the counts are in the stats
    from barrier_scan.extract import extract

    text = extract(pdf).text
    assert "Northshire Council" not in text and "Page 2 of 4" not in text
    assert doc["stats"]["running_lines_removed"] == 8
    # repeated word for word (accounts), or but for the lot number (when the amounts agree)
    assert doc["stats"]["running_lines_kept"] == (8 if amounts == "same" else 4)


def test_one_line_pages_are_never_emptied(tmp_path):
    """A two-page PDF whose pages each hold one line was refused as 'no readable text'."""
    pdf = hostile.placed_pdf(tmp_path / "two.pdf", [
        [(40, "Lot 1 covers older people's services across the county.")],
        [(40, "Lot 2 covers older people's services across the county.")]])
    from barrier_scan.extract import extract

    doc = extract(pdf)
    assert [b.page for b in doc.blocks] == [1, 2]
    assert "Lot 1 covers" in doc.text and "Lot 2 covers" in doc.text
    assert doc.meta["running_lines_removed"] == 0


def test_blank_pdf_is_reported_as_blank_not_scanned(tmp_path):
    """A PDF of blank pages used to be called 'scanned, run OCR'."""
    pdf = hostile.blank_pdf(tmp_path / "blank.pdf", pages=3)
    doc = _json(run(["scan", pdf, "--no-model", "--jobs", "1", "--format", "json"]))["documents"][0]
    assert doc["error"]["code"] == "no_text"
    assert "blank" in doc["error"]["message"] and "OCR" not in doc["error"]["message"]
    assert "3 pages" in doc["error"]["message"]
    # a scanned page beside blank ones still asks for OCR, and says how many were blank
    one = hostile.scanned_pdf(tmp_path / "scan.pdf", pages=1)
    import pikepdf

    with pikepdf.open(one) as a, pikepdf.open(pdf) as b:
        a.pages.extend(b.pages)
        a.save(tmp_path / "mixed.pdf")
    doc = _json(run(["scan", tmp_path / "mixed.pdf", "--no-model", "--jobs", "1", "--format",
                     "json"]))["documents"][0]
    assert doc["error"]["code"] == "no_text_layer"
    assert "1 of 4 pages (3 blank)" in doc["error"]["message"]


# --------------------------------------------------------------------------- long blocks

def test_barriers_past_100000_characters_of_one_block_are_found(tmp_path):
    """A plain-text file with single line breaks is one block; everything after its first
    100,000 characters used to be cut off without a word."""
    filler = "The service will run sessions in libraries and community centres across the district.\n"
    text = ("The total contract value is £60,000.\n" + filler * 2500
            + "Bidders must have a minimum annual turnover of £2,000,000.\n"
            + "Bidders must provide three years of audited accounts.\n")
    assert len(text) > 200_000
    spec = tmp_path / "long.txt"
    spec.write_text(text)
    doc = _json(run(["scan", spec, "--no-model", "--jobs", "1", "--format", "json"]))["documents"][0]
    late = [f for f in doc["findings"] if (f["evidence"]["start"] or 0) > 200_000]
    assert "BP103" in {f["code"] for f in late}, [f["code"] for f in doc["findings"]]  # accounts
    assert any("£2,000,000" in f["evidence"]["sentence"] and f["code"].startswith("BP")
               for f in late), late  # the turnover, judged against the £60,000 at the top


def test_chunks_join_back_exactly():
    from barrier_scan.segment import chunks

    rng = __import__("random").Random(13)
    for _ in range(50):
        words = [rng.choice(["a", "Bidders", "must.", "x" * rng.randint(1, 40), "£5m;", "\n", "  "])
                 for _ in range(rng.randint(1, 3000))]
        text = " ".join(words)
        size = rng.randint(20, 500)
        pieces = chunks(text, size)
        assert "".join(pieces) == text and all(0 < len(p) <= size for p in pieces)


# --------------------------------------------------------------------------- DOCX parts

_TURNOVER = "Bidders must have a minimum annual turnover of £2,000,000."
_INSURANCE = "Bidders must hold public liability insurance of £10 million."


def test_docx_altchunk_parts_are_read_or_named(tmp_path):
    """Content embedded with w:altChunk (pasted HTML, a merged DOCX) used to be ignored."""
    inner = hostile.docx_bytes(["The total contract value is £60,000.", _INSURANCE])
    html = f"<html><body><h2>Finance</h2><p>{_TURNOVER}</p></body></html>".encode()
    path = hostile.altchunk_docx(tmp_path / "merged.docx", [
        ("afchunk.htm", "text/html", html),
        ("afchunk2.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml."
                          "document.main+xml", inner),
        ("afchunk3.rtf", "application/rtf", rb"{\rtf1\ansi Bidders must be accredited.}"),
    ])
    doc = _json(run(["scan", path, "--no-model", "--jobs", "1", "--format", "json"]))["documents"][0]
    assert doc["error"] is None
    sentences = " ".join(f["evidence"]["sentence"] or "" for f in doc["findings"])
    assert "£2,000,000" in sentences and "£10 million" in sentences, sentences
    turnover = next(f for f in doc["findings"] if "£2,000,000" in (f["evidence"]["sentence"] or ""))
    assert turnover["evidence"]["section"] == "Finance"
    assert any("afchunk3.rtf" in w and "was not read" in w for w in doc["warnings"]), doc["warnings"]
    assert doc["stats"]["parts_not_read"] == 1


def test_docx_altchunk_size_budget_is_shared(tmp_path):
    """The same embedded DOCX referenced many times must not multiply the size limit."""
    inner = hostile.docx_bytes([_TURNOVER] * 200)
    path = hostile.altchunk_docx(tmp_path / "many.docx", [
        (f"afchunk{i}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml."
                             "document.main+xml", inner) for i in range(40)])
    import zipfile

    from barrier_scan.config import Config
    from barrier_scan.extract import extract

    with zipfile.ZipFile(io.BytesIO(inner)) as z:
        one = sum(i.file_size for i in z.infolist())  # what one embedded copy expands to
    with zipfile.ZipFile(path) as z:
        outer = sum(i.file_size for i in z.infolist())
    doc = extract(path, Config(max_docx_mb=(outer + 5.5 * one) / 1024 / 1024))
    assert doc.meta["parts_not_read"] == 35, doc.meta
    assert sum(b.text == _TURNOVER for b in doc.blocks) == 5 * 200
    assert any("over the DOCX size limit" in w for w in doc.warnings)


def test_docx_moved_and_hidden_text_treated_like_tracked_changes(tmp_path):
    """Text moved away (w:moveFrom) used to be scanned as live text (a duplicate finding) and
    hidden text as if it were visible."""
    path = hostile.tracked_docx(tmp_path / "tracked.docx", moved="Bidders must provide three "
                                "years of audited accounts.", hidden=_INSURANCE,
                                styled_hidden=_TURNOVER)
    doc = _json(run(["scan", path, "--no-model", "--jobs", "1", "--format", "json"]))["documents"][0]
    accounts = [f for f in doc["findings"] if f["code"] == "BP103"]
    assert len(accounts) == 1 and accounts[0]["evidence"]["paragraph"] == 6, accounts
    sentences = " ".join(f["evidence"]["sentence"] or "" for f in doc["findings"])
    assert "£10 million" not in sentences and "£2,000,000" not in sentences, sentences
    assert doc["stats"]["hidden_runs_skipped"] == 2 and doc["stats"]["moved_runs_skipped"] == 1
    assert any("hidden text" in w for w in doc["warnings"])
