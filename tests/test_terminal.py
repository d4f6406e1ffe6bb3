"""The terminal report and the scan command's console behaviour (#16): a summary of the most
serious findings first, ``--sort severity``, colour only on a terminal and never with NO_COLOR,
``-q`` that is quiet, a closed pipe that ends quietly, each failure printed once, and one scan
writing every format."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from barrier_scan import cli as cli_mod
from barrier_scan.cli import cli, plan_outputs, use_colour

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_tenders"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

CLOSED = """# Creative activities tender

The contract is worth £100,000 per annum for three years.

Bidders must have a minimum annual turnover of £1,000,000.

We welcome bids from consortia of local arts organisations.

The provider must use Lamplight to record attendance.
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BARRIER_SCAN_NO_CONFIG", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "a_closed.md").write_text(CLOSED, encoding="utf-8")
    (tmp_path / "b_open.md").write_text("We welcome bids from consortia and small charities.\n\n"
                                        "The contract is divided into three lots.\n",
                                        encoding="utf-8")
    (tmp_path / "c_empty.txt").write_bytes(b"")  # cannot be read
    return tmp_path


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)


def test_text_report_leads_with_a_summary_and_ends_with_the_ranking(folder):
    r = run("scan", folder, "--no-model", "--jobs", "1")
    out = r.stdout
    lines = out.splitlines()
    assert lines[0].startswith("3 files: 2 scanned, 1 failed; ") and "high" in lines[0]
    first_doc = out.index("a_closed.md: openness")
    assert out.index("Most serious barriers") < first_doc
    top = out[out.index("Most serious barriers"):first_doc]
    assert "HIGH" in top and "BP102" in top and "£1,000,000" in top
    assert out.index("Ranking, least open first") > out.rindex("openness")
    ranking = out[out.index("Ranking, least open first"):].splitlines()[1:3]
    assert "a_closed.md" in ranking[0] and "b_open.md" in ranking[1]  # least open first


def test_each_failure_is_printed_once(folder):
    r = run("scan", folder, "--no-model", "--jobs", "1")
    assert r.exit_code == 2
    assert (r.stdout + r.stderr).count("c_empty.txt") == 1, r.output
    # a machine format on stdout: the failure goes to stderr, once
    r = run("scan", folder, "--no-model", "--jobs", "1", "--format", "json")
    assert r.stderr.count("c_empty.txt") == 1
    assert json.loads(r.stdout)["failures"][0]["path"].endswith("c_empty.txt")


def _sections(out: str) -> list[str]:
    """Severity marks of the findings of a.md, in the order printed."""
    body = out[out.index("a_closed.md: openness"):]
    body = body[:body.index("\n\n")]
    return re.findall(r"^  [-+] .{14} [A-Z]{2}\d{3} (HIGH|MED |LOW |INFO)", body, re.M)


def test_sort_severity_puts_the_most_serious_first(folder):
    by_doc = _sections(run("scan", folder / "a_closed.md", "--no-model").stdout)
    by_sev = _sections(run("scan", folder / "a_closed.md", "--no-model", "--sort", "severity").stdout)
    rank = {"HIGH": 0, "MED ": 1, "LOW ": 2, "INFO": 3}
    assert sorted(by_doc, key=rank.get) == by_sev != by_doc
    assert run("scan", folder, "--sort", "nonsense").exit_code == 3


def test_colour_only_when_asked_or_on_a_terminal(folder, monkeypatch):
    plain = run("scan", folder / "a_closed.md", "--no-model").stdout
    assert not ANSI.search(plain)  # CliRunner is not a terminal
    coloured = run("scan", folder / "a_closed.md", "--no-model", "--color", "always").stdout
    assert ANSI.search(coloured) and ANSI.sub("", coloured) == plain
    # the quoted words are marked inside their sentence
    assert "\x1b[1m\x1b[4m£1,000,000\x1b[0m" in coloured

    class Tty:
        def isatty(self):
            return True

    assert use_colour("auto", Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour("auto", Tty())
    assert use_colour("always", Tty()) and not use_colour("never", Tty())
    monkeypatch.setenv("NO_COLOR", "")  # set but empty does not count (no-color.org)
    assert use_colour("auto", Tty())
    # a text report written to a file never has escape codes
    out = folder / "r.txt"
    run("scan", folder / "a_closed.md", "--no-model", "--color", "always", "-o", out)
    assert not ANSI.search(out.read_text(encoding="utf-8"))


@pytest.mark.filterwarnings("ignore:some library deprecation")
def test_quiet_means_nothing_on_stderr(folder, monkeypatch):
    """Library log lines (pdfminer warns about every odd colour in a real PDF) and warnings do not
    leak onto the terminal with -q; they are restored afterwards."""
    import barrier_scan.extract as extract_mod

    real = extract_mod.extract

    def noisy(path, config=None):
        logging.getLogger("pdfminer.pdfinterp").warning("Cannot set gray non-stroke color")
        warnings.warn("some library deprecation", UserWarning)
        return real(path, config)

    monkeypatch.setattr(extract_mod, "extract", noisy)
    r = run("scan", folder, "--no-model", "--jobs", "1", "-q", "--format", "json")
    assert r.exit_code == 2 and r.stderr == ""
    assert json.loads(r.stdout)["summary"]["failed"] == 1
    loud = run("scan", folder, "--no-model", "--jobs", "1", "--format", "json")
    assert "Cannot set gray" not in loud.stderr  # held at ERROR even without -q
    assert "c_empty.txt" in loud.stderr  # but failures are said
    assert not logging.root.manager.disable  # settings restored


def test_one_scan_writes_every_format_and_ends_with_the_ranking(folder, monkeypatch):
    import barrier_scan.batch as batch_mod

    calls = []
    real = batch_mod.scan_batch

    def counting(*a, **kw):
        calls.append(a)
        return real(*a, **kw)

    monkeypatch.setattr(batch_mod, "scan_batch", counting)
    out = folder / "reports"
    r = run("scan", folder, "--no-model", "--jobs", "1", "--format", "html,json,csv,text",
            "--output-dir", out, "--findings-csv", out / "findings.csv", "--exit-zero")
    assert r.exit_code == 0 and r.stdout == ""
    assert len(calls) == 1
    assert sorted(p.name for p in out.iterdir()) == ["findings.csv", "report.csv", "report.html",
                                                     "report.json", "report.txt"]
    assert json.loads((out / "report.json").read_text())["summary"]["documents"] == 3
    txt = (out / "report.txt").read_text().splitlines()
    assert txt[0].startswith("barrier-scan report (version ")  # main's mark: walks skip it
    assert txt[2].startswith("3 files: 2 scanned, 1 failed")
    last = r.stderr.strip().splitlines()
    assert last[-3] == "Ranking, least open first" and "a_closed.md" in last[-2]
    assert "b_open.md" in last[-1]
    # -o pairs: the format from each name's ending
    r = run("scan", folder / "a_closed.md", "--no-model", "-o", out / "x.html", "-o", out / "x.json",
            "-q", "--exit-zero")
    assert r.exit_code == 0 and (out / "x.html").read_text().startswith("<!DOCTYPE html>")
    assert json.loads((out / "x.json").read_text())["documents"]


def test_output_plans_and_their_usage_errors():
    assert plan_outputs(("html,json",), (), "d") == [("html", "d/report.html"),
                                                     ("json", "d/report.json")]
    assert plan_outputs(("json", "csv"), ("a.out", "b.out"), None) == [("json", "a.out"),
                                                                       ("csv", "b.out")]
    assert plan_outputs((), (), None) == [("text", None)]
    assert plan_outputs((), ("r.jsonl",), None) == [("jsonl", "r.jsonl")]
    for bad in [(("html,json",), (), None), (("json",), ("a", "b"), None), ((), ("r.xyz",), None),
                (("pdf",), (), None), (("json,json",), (), "d"), (("json",), ("a",), "d")]:
        r = CliRunner().invoke(cli, ["scan", str(SAMPLES), *sum((["--format", f] for f in bad[0]), []),
                                     *sum((["-o", o] for o in bad[1]), []),
                                     *(["--output-dir", bad[2]] if bad[2] else [])])
        assert r.exit_code == 3, (bad, r.output)


def test_make_report_scans_once():
    out = subprocess.run(["make", "-n", "report"], cwd=REPO, capture_output=True, text=True,
                         timeout=60)
    if out.returncode != 0:
        pytest.skip(f"make -n report failed here: {out.stderr[-200:]}")
    scans = [ln for ln in out.stdout.splitlines() if "barrier-scan scan" in ln]
    assert len(scans) == 1 and "--output-dir reports" in scans[0]
    assert "html,json,csv,text" in scans[0]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_closed_pipe_ends_quietly(folder, fmt):
    """``barrier-scan scan … | head``: no "Broken pipe" message, no traceback, and the status a
    shell gives a command ended by SIGPIPE (141), not 3 (bad usage) or 1 (barriers found)."""
    exe = Path(sys.executable).parent / "barrier-scan"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "barrier_scan.cli"]
    p = subprocess.Popen([*cmd, "scan", str(folder / "a_closed.md"), "--no-model", "--format", fmt],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env={**os.environ, "BARRIER_SCAN_NO_CONFIG": "1"})
    p.stdout.close()  # the reader is gone before anything is written
    err = p.stderr.read().decode()
    p.stderr.close()
    assert p.wait(timeout=120) == cli_mod.EXIT_CLOSED_PIPE == 141
    assert err == ""
