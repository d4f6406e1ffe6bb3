"""The ``barrier-scan`` command line: parse options, build one ``Config``, call the pipeline or a
command module, pick a writer from the report registry.

Exit codes (also in README): 0 no barriers found; 1 barriers found; 2 at least one file could
not be scanned; 3 bad usage, configuration or rule data. ``--exit-zero`` always exits 0 after a
run. Heavy modules (spaCy, scikit-learn, the rules) are imported inside commands, so that
``--version``, ``--help`` and ``rules`` answer at once.
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import threading

import click

from .config import build_config
from .errors import ConfigError, Terminated
from .io import OutputError, display_text
from .report import FORMATS
from .taxonomy import SEVERITIES, plural
from .version import __version__

SORTS = ("document", "severity")  # report.text.SORTS (not imported: the CLI must start fast)

EXIT_OK, EXIT_BARRIERS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3
# Stopped like Ctrl-C; the exit code is 128 + the signal number (143, 129), as a shell reports it.
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def stop_signals_raise():
    """SIGTERM and SIGHUP raise :class:`~barrier_scan.errors.Terminated` while the command runs,
    so the run unwinds exactly as for Ctrl-C: ``batch`` stops its workers, ``io`` removes its
    temporary files and the previous output stays as it was. Worker processes put the default
    actions back (``batch._init_worker``); the old handlers are restored afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        for s in STOP_SIGNALS:  # a second signal must not interrupt the clean-up
            signal.signal(s, signal.SIG_IGN)
        raise Terminated(signum)

    old = {s: signal.signal(s, stop) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


EXIT_CLOSED_PIPE = 128 + getattr(signal, "SIGPIPE", 13)  # what a shell reports for SIGPIPE


def end_on_closed_pipe() -> None:
    """The reader of stdout went away (``scan … | head``): stop quietly, as command-line tools
    do, with the status a shell gives a process ended by SIGPIPE (141), and no message.

    Python would try to flush stdout once more on the way out and print "Exception ignored …
    BrokenPipeError"; pointing the file descriptor at /dev/null first stops that.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests): nothing to do
        pass
    sys.exit(EXIT_CLOSED_PIPE)


@contextlib.contextmanager
def quiet_libraries(quiet: bool):
    """Keep other libraries' log lines and warnings off the terminal while a command runs.

    PDF parsers log a warning for every odd colour or font in a real council PDF ("Cannot set
    gray non-stroke color …"); none of it is something a reader of tenders can act on. Those
    loggers are held at ERROR normally; with ``--quiet`` nothing is logged or warned at all.
    Worker processes are forked inside this block and inherit it; the settings are restored on
    the way out (the command may run inside another program, or a test).
    """
    import logging
    import warnings

    names = ("pdfminer", "pdfplumber", "pypdfium2", "docx", "spacy", "sklearn", "skops", "PIL",
             "fontTools")
    loggers = [logging.getLogger(n) for n in names]
    before = [lg.level for lg in loggers]
    disabled = logging.root.manager.disable
    with warnings.catch_warnings():
        for lg in loggers:
            lg.setLevel(logging.ERROR)
        if quiet:
            logging.disable(logging.CRITICAL)
            warnings.simplefilter("ignore")
        try:
            yield
        finally:
            logging.disable(disabled)
            for lg, level in zip(loggers, before):
                lg.setLevel(level)


def use_colour(choice: str, stream=None) -> bool:
    """Colour for ``--color auto|always|never``: auto means a terminal, with ``NO_COLOR`` unset
    or empty (https://no-color.org) and ``TERM`` not "dumb"."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


class _Group(click.Group):
    """Maps usage and configuration errors to exit code 3 (2 means unreadable files), and ends
    quietly when the reader of stdout goes away (``barrier-scan scan … | head``)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run the command line (the ``barrier-scan`` entry point)."""
        try:
            with stop_signals_raise():
                rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except Terminated as e:
            click.echo(f"stopped by {signal.Signals(e.signum).name}: workers stopped, no output "
                       "file written or changed", err=True)
            sys.exit(128 + e.signum)
        except click.exceptions.Abort:
            click.echo("aborted", err=True)
            sys.exit(130)
        except click.ClickException as e:
            e.message = display_text(e.message)  # it may quote a file name
            e.show()
            sys.exit(EXIT_USAGE)
        except ConfigError as e:
            click.echo(f"configuration error: {display_text(e)}", err=True)
            sys.exit(EXIT_USAGE)
        except OutputError as e:  # any command's output; the previous file is unchanged
            click.ClickException(str(e)).show()
            sys.exit(EXIT_USAGE)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv

    def invoke(self, ctx):
        """Run the subcommand; a closed stdout ends the run here, before click's own handling
        (which would exit 1, the "barriers found" code)."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            end_on_closed_pipe()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="barrier-scan")
def cli():
    """Find, with evidence, where tenders shut out small arts and cultural providers."""


# ---------------------------------------------------------------------------------- options
_SELECTION = [
    click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                 help="Configuration file to use (default: barrier-scan.toml or pyproject.toml "
                      "of the project you run in; never one beside the scanned files)."),
    click.option("--select", multiple=True, help="Only these rule codes or prefixes (e.g. BP,SP101)."),
    click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes."),
    click.option("--extend-ignore", multiple=True, hidden=True),
]
_SCANNING = [
    click.option("--no-model", "use_model", flag_value=False, default=None,
                 help="Rules only: do not run the trained classifier."),
    click.option("--min-confidence", type=float, help="Hide classifier findings below this probability."),
    click.option("--contract-value", type=float, help="Total contract value in £ (overrides the text)."),
    click.option("--annual-value", type=float, help="Annual contract value in £ (overrides the text)."),
    click.option("--lots", type=int, help="Number of lots (overrides the text)."),
    click.option("--regime", type=click.Choice(["pcr2015", "pa2023"]),
                 help="Procurement regime (overrides detection)."),
    click.option("--timeout", type=float,
                 help="Seconds allowed per file before it is skipped as 'timeout' (default 120; 0: no limit)."),
    click.option("--max-pages", type=int, help="Refuse PDFs with more pages (default 2000)."),
    click.option("--max-file-mb", type=float, help="Refuse files larger than this many MB (default 200)."),
    click.option("--max-docx-mb", type=float,
                 help="Refuse DOCX files that expand to more than this many MB (default 100)."),
]
_CONFIG_ARGS = {"config_file", "select", "ignore", "extend_ignore", "use_model", "min_confidence",
                "contract_value", "annual_value", "lots", "regime", "timeout", "max_pages",
                "max_file_mb", "max_docx_mb"}


def config_options(scanning: bool = True):
    """Add the settings options to a command; the command receives one validated ``cfg``.

    Every command that scans shares these, so a setting means the same thing everywhere and is
    checked in one place (``config.validate``: a bad value is exit 3 naming the key).
    """
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kw):
            given = {k: kw.pop(k) for k in list(kw) if k in _CONFIG_ARGS}
            config_file = given.pop("config_file", None)
            for k in ("select", "ignore", "extend_ignore"):
                given[k] = tuple(given.get(k) or ()) or None
            kw["cfg"] = build_config(config_file, **given)
            return fn(*args, **kw)

        for opt in reversed(_SELECTION + (_SCANNING if scanning else [])):
            wrapper = opt(wrapper)
        return wrapper
    return deco


def say(message: str, quiet: bool = False) -> None:
    """A message on stderr, unless quiet (escaped: it may name a file)."""
    if not quiet:
        click.echo(display_text(message), err=True)


def report_failures(results, quiet: bool = False) -> None:
    """One line per file that could not be scanned (printed once, however many formats)."""
    for r in results:
        if r.error:
            click.echo(f"error: {display_text(r.path)}: {display_text(r.error['message'])}",
                       err=True)


# ---------------------------------------------------------------------------------- scan
#: File name endings -> format, for ``-o report.html -o report.json`` without ``--format``.
EXTENSIONS = {".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl",
              ".ndjson": "jsonl", ".csv": "csv", ".txt": "text", ".text": "text"}
#: The file name each format gets in ``--output-dir``.
DEFAULT_NAMES = {"html": "report.html", "json": "report.json", "jsonl": "report.jsonl",
                 "csv": "report.csv", "text": "report.txt"}


def _formats(values) -> list[str]:
    out = []
    for v in values or ():
        for name in (x.strip().lower() for x in v.split(",")):
            if not name:
                continue
            if name not in FORMATS:
                raise click.BadParameter(f"unknown format {name!r} (choose from "
                                         f"{', '.join(FORMATS)})", param_hint="--format")
            out.append(name)
    return out


def plan_outputs(formats, outputs, output_dir) -> list[tuple[str, str | None]]:
    """(format, file or None for stdout) for each report one scan writes.

    ``--format html,json,csv --output-dir reports`` names the files (report.html, ...);
    ``-o a.html -o b.json`` pairs outputs with ``--format``s in order, or takes each format from
    the file's ending; with no output one format goes to stdout (text by default).
    """
    from pathlib import Path

    fmts, outputs = _formats(formats), list(outputs or ())
    if len(set(fmts)) != len(fmts):
        raise click.UsageError("each --format may be given once")
    if output_dir:
        if outputs:
            raise click.UsageError("give either --output-dir or --output, not both")
        return [(f, str(Path(output_dir) / DEFAULT_NAMES[f])) for f in fmts or ["text"]]
    if not outputs:
        if len(fmts) > 1:
            raise click.UsageError("several formats need --output-dir or one --output each")
        return [(fmts[0] if fmts else "text", None)]
    if not fmts:
        plan = []
        for o in outputs:
            fmt = EXTENSIONS.get(Path(o).suffix.lower())
            if fmt is None:
                raise click.UsageError(f"cannot tell the format of {o} from its name: give "
                                       f"--format ({', '.join(FORMATS)})")
            plan.append((fmt, o))
        return plan
    if len(fmts) != len(outputs):
        raise click.UsageError(f"{plural(len(fmts), 'format')} but {plural(len(outputs), 'output')}: "
                               "give one --output per --format, in the same order")
    return list(zip(fmts, outputs))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "formats", multiple=True, metavar="FORMAT[,FORMAT...]",
              help=f"Report format: {', '.join(FORMATS)} (default text). Several at once with "
                   "--output-dir or one --output each; one scan writes them all.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(),
              help="Write a report here (atomically); repeat for several formats (the format is "
                   "taken from the name's ending when --format is not given).")
@click.option("--output-dir", type=click.Path(file_okay=False),
              help="Write each --format to report.<ext> in this folder.")
@config_options()
@click.option("--brief", is_flag=True, help="Text format: one line per finding.")
@click.option("--sort", type=click.Choice(SORTS), default="document", show_default=True,
              help="Text format: findings in reading order, or most serious first.")
@click.option("--color", "--colour", "colour", type=click.Choice(["auto", "always", "never"]),
              default="auto", show_default=True,
              help="Colour in the terminal report (auto: on a terminal, unless NO_COLOR is set).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="low", show_default=True,
              help="Lowest barrier severity that makes the exit code 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when barriers are found or files fail.")
@click.option("-q", "--quiet", is_flag=True,
              help="Only the report: nothing on stderr (no progress, summary, failure lines or "
                   "library warnings); failures are still in the report and the exit code.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Accepted findings (from 'baseline create'): show only new ones, count the rest.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Files scanned at once, one process each (default: all CPU cores; 1: no workers).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
              help="Reuse results for files already scanned with the same rules, model and "
                   "settings (keyed by content); store new ones there.")
@click.option("--findings-csv", type=click.Path(dir_okay=False),
              help="Also write one CSV row per finding to this file (atomically).")
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links that lead outside the folders given (default: list "
                   "them as not scanned).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              help="Where files are scanned: local worker processes (default) or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler to use with --executor dask (default: a local cluster of "
                   "--jobs workers on 127.0.0.1).")
@click.option("--documents", "documents_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of local copies of the documents OCDS notices name (matched by file "
                   "name); each is scanned with its notice.")
def scan(paths, formats, outputs, output_dir, cfg, brief, sort, colour, fail_on, exit_zero, quiet,
         baseline_file=None, jobs=None, cache_dir=None, findings_csv=None, follow_links=False,
         executor=None, scheduler=None, documents_dir=None):
    """Scan tender files or folders (PDF, DOCX, HTML, TXT, MD; DOC, ODT and RTF through
    LibreOffice when it is installed) and OCDS notice files (release or record packages, JSON
    Lines of releases) and report findings. ``--format parquet -o DIR`` appends to a findings
    dataset (see 'barrier-scan report')."""
    executor = executor or ("dask" if scheduler else "local")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    names = [x.strip().lower() for v in formats or () for x in v.split(",") if x.strip()]
    if "parquet" in names:
        if names != ["parquet"] or len(outputs) != 1 or output_dir:
            raise click.UsageError("--format parquet needs -o DIR (the dataset folder) and no "
                                   "other format")
        plan = [("parquet", outputs[0])]
    else:
        for o in outputs:
            if os.path.isdir(o):
                raise click.UsageError(f"-o {o} is a folder; name a file (folders are for "
                                       "--format parquet)")
        plan = plan_outputs(formats, outputs, output_dir)
    run = _Run(executor=executor, scheduler=scheduler, documents_dir=documents_dir)
    accepted = load_baseline(baseline_file) if baseline_file else None
    refuse_overwriting_inputs(paths, [(f"--output ({fmt})", path) for fmt, path in plan
                                      if fmt != "parquet"]
                              + [("--findings-csv", findings_csv)], follow_links)
    to_stdout = next((fmt for fmt, path in plan if path is None), None)
    text_options = {"brief": brief, "sort": sort,
                    "colour": to_stdout == "text" and use_colour(colour)}
    with quiet_libraries(quiet):
        seen = _scan_and_report(paths, cfg, plan, jobs, quiet, text_options, accepted,
                                cache_dir=cache_dir, findings_csv=findings_csv,
                                follow_links=follow_links, run=run)
    # Each failure once: a text report on stdout already lists them at its top; --quiet leaves
    # them to the report and the exit code (2).
    if to_stdout != "text" and not quiet:
        report_failures(seen)
    if not quiet:
        run.summarise(plan[0][1], plan[0][0])
    files = [path for _, path in plan if path] + ([findings_csv] if findings_csv else [])
    if files and not quiet:
        failed = sum(1 for s in seen if s.error)
        say(f"wrote {', '.join(files)} ({plural(len(seen), 'file')}, {failed} failed)")
        if to_stdout is None and any(not s.error for s in seen):
            # Nothing went to the terminal: end with the ranking, not with the last file's tail.
            from .report.text import ranking_lines
            for line in ranking_lines(seen, use_colour(colour, sys.stderr)):
                click.echo(line, err=True)  # (paths in it already escaped; colour codes kept)
    sys.exit(exit_code(seen, fail_on, exit_zero))


class _Run:
    """How and where a scan runs (executor, OCDS documents), and what it counted."""

    def __init__(self, executor: str = "local", scheduler=None, documents_dir=None):
        from .executors import RunStats

        self.executor, self.scheduler, self.documents_dir = executor, scheduler, documents_dir
        self.stats = RunStats()
        self.reader = None

    def summarise(self, output, fmt) -> None:
        """Lines on stderr about what was skipped, retried or not a tender."""
        st, r = self.stats, self.reader
        if r is not None and r.releases:
            say(f"read {plural(r.releases, 'OCDS release')}: {plural(r.notices, 'tender')}"
                + (f", {r.no_text} without tender text (skipped)" if r.no_text else "")
                + (f", {r.malformed} malformed" if r.malformed else ""))
        if st.skipped_done:
            say(f"skipped {plural(st.skipped_done, 'input')} already in {output} (same content)")
        if st.skipped_duplicate:
            say(f"skipped {plural(st.skipped_duplicate, 'duplicate input')} (same content as "
                "one scanned in this run)")
        if st.retried:
            say(f"{plural(st.retried, 'input')} sent again after a worker was lost")


def refuse_overwriting_inputs(paths, outputs, follow_links: bool = False) -> None:
    """A usage error (exit 3) when an output file is one of the files the command reads, or two
    outputs name one file. ``outputs``: (option, path or None) pairs.

    The inputs are the files the walk would scan, so a report of ours saved among the tenders
    (skipped by the walk) may be replaced, but a tender never.
    """
    from .io import display_path
    from .pipeline import walk_inputs

    def identity(path):
        try:
            st = os.stat(path)
            return st.st_dev, st.st_ino
        except OSError:
            return os.path.abspath(path)

    named: dict = {}
    for option, path in outputs:
        if not path:
            continue
        key = identity(path)
        if key in named:
            raise click.UsageError(f"{named[key]} and {option} name the same file "
                                   f"{display_path(path)}; choose two different files")
        named[key] = option
    existing = {k: v for k, v in named.items() if isinstance(k, tuple)}
    if not existing:
        return
    for path, _ in walk_inputs(paths, follow_links=follow_links):
        option = existing.get(identity(path))
        if option:
            raise click.UsageError(f"refusing to overwrite the input {display_path(path)} with "
                                   f"{option}; choose another output file")


def _scan_and_report(paths, cfg, plan, jobs, quiet, text_options, accepted, cache_dir=None,
                     findings_csv=None, follow_links=False, run: _Run | None = None):
    """Scan once, in parallel (barrier_scan.batch), and write every report of ``plan`` (a list
    of (format, file or None for stdout)); returns one Seen per file.

    Every format is written through its writer as results arrive, to temporary files renamed
    when the run completes (stdout is flushed per document). JSON, JSON Lines and CSV keep only a
    small summary of each document, so memory stays flat however large the batch.
    """
    from . import report
    from .batch import Progress
    from .executors import scan_inputs
    from .io import atomic_stream
    from .ocds import NoticeReader
    from .pipeline import engine_for
    from .report.base import Seen, run_meta, text_header
    from .report.csv import FindingsWriter

    run = run or _Run()
    engine_for(cfg)  # rule or model problems surface here as a usage error (exit 3), not per file
    progress = Progress(enabled=False if quiet else None)
    meta = run_meta(cfg)
    run.reader = NoticeReader(run.documents_dir)
    dataset, skip = None, None
    if plan and plan[0][0] == "parquet":
        from .cache import engine_key
        from .dataset import DatasetWriter, done_hashes

        try:
            dataset = DatasetWriter(plan[0][1], engine_key(cfg), meta).__enter__()
        except OutputError:
            raise
        except OSError as e:
            raise OutputError(plan[0][1], e) from None
        skip = done_hashes(plan[0][1])
        plan = []
    batch = scan_inputs(paths, cfg, executor=run.executor, scheduler=run.scheduler, jobs=jobs,
                        cache_dir=cache_dir, documents_dir=run.documents_dir, skip=skip,
                        need_digest=dataset is not None, stats=run.stats, reader=run.reader,
                        on_result=progress, on_start=progress.start, follow_links=follow_links,
                        on_skip=lambda p, why: say(f"skipped {p}: {why} (name it to scan it)",
                                                   quiet))
    stream = batch
    if accepted is not None:
        from .baseline import apply_baseline, today
        stream = ((apply_baseline(r, accepted, today()), d) for r, d in stream)
    shared: dict = {}
    seen: list[Seen] = []
    target = "stdout"  # named in the error if a write fails
    try:
        with contextlib.ExitStack() as stack:
            writers = []
            for fmt, path in plan:
                target = path or "stdout"
                if path:
                    bom = "utf-8-sig" if fmt == "csv" else "utf-8"
                    fh = stack.enter_context(atomic_stream(path, encoding=bom))
                else:
                    fh = sys.stdout
                options = dict(text_options) if fmt == "text" else {}
                if fmt == "text" and path:
                    options["colour"] = False  # escape codes belong on a terminal, not in a file
                    fh.write(text_header(meta) + "\n\n")  # marks the file as ours (walks skip it)
                writers.append((report.writer(fmt, fh, meta, **options), fh, target))
            if findings_csv:
                target = findings_csv
                csv_fh = stack.enter_context(atomic_stream(findings_csv, encoding="utf-8-sig"))
                writers.append((FindingsWriter(csv_fh, meta), csv_fh, target))
            for r, digest in stream:
                s = Seen.of(r)
                if dataset is None:
                    seen.append(s)
                else:
                    # A national run is millions of notices: scanned ones share one summary per
                    # (severities, strengths), so the list costs a pointer per document.
                    seen.append(s if s.error else shared.setdefault(
                        (s.barrier_severities, s.strengths),
                        Seen("", None, s.barrier_severities, s.strengths)))
                    dataset.add(r, digest)
                for w, wfh, target in writers:
                    w.add(r)
                    if wfh is sys.stdout:
                        wfh.flush()
            for w, _, target in writers:
                w.close(seen)
            target = "stdout"
            sys.stdout.flush()
    except (BrokenPipeError, OutputError):
        raise  # a closed stdout ends quietly in the command group; OutputError is exit 3 there
    except OSError as e:  # writing to stdout or a report's stream
        raise OutputError(target, e) from None
    finally:
        batch.close()  # on any way out, workers are stopped here, not when garbage is collected
        progress.close()
        if dataset is not None:  # what is done stays: a resumed run skips it
            dataset.__exit__(*sys.exc_info())
    return seen


def load_baseline(path):
    """Read a baseline file for --baseline; a bad one is a usage error (exit 3)."""
    from .baseline import BaselineError, load

    try:
        return load(path)
    except BaselineError as e:
        raise click.ClickException(f"baseline: {e}") from None


def exit_code(seen, fail_on: str = "low", exit_zero: bool = False) -> int:
    """``seen``: :class:`~barrier_scan.report.base.Seen` summaries (or DocumentResults)."""
    if exit_zero:
        return EXIT_OK
    if any(s.error for s in seen):
        return EXIT_UNREADABLE
    floor = SEVERITIES.index(fail_on)
    for s in seen:
        severities = getattr(s, "barrier_severities", None)
        if severities is None:
            severities = [f.severity for f in s.barriers()]
        if any(SEVERITIES.index(v) >= floor for v in severities):
            return EXIT_BARRIERS
    return EXIT_OK


# ---------------------------------------------------------------------------------- rules
@cli.command()
@click.argument("code", required=False)
@config_options(scanning=False)
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json", "markdown"]),
              help="markdown: the catalogue section of rules/README.md.")
@click.option("--check", "check_examples", is_flag=True,
              help="Run every selected rule's own examples and report any that misbehave.")
def rules(code, cfg, fmt, check_examples):
    """List rules, or explain one: barrier-scan rules BP101."""
    from .detect.rules.loader import cached_rules
    from .detect.rules.registry import check_selectors, select_rules

    all_rules = list(cached_rules(cfg.rules_dir))
    check_selectors(all_rules, cfg.select, cfg.ignore)
    chosen = select_rules(all_rules, cfg.select, cfg.ignore)
    if check_examples:
        from .detect.rules.examples import check_examples as run_examples

        chosen = [r for r in chosen if not code or r.code == code.upper()]
        problems = [p for r in chosen for p in run_examples(r)]
        for p in problems:
            click.echo(p)
        n = sum(len(r.examples["fire"]) + len(r.examples["pass"]) for r in chosen)
        click.echo(f"{plural(len(chosen), 'rule')}, {plural(n, 'example')}: "
                   f"{plural(len(problems), 'problem')}")
        sys.exit(EXIT_BARRIERS if problems else EXIT_OK)
    if code:
        matches = [r for r in all_rules if r.code == code.upper()]
        if not matches:
            raise click.UsageError(f"no rule {code!r}; run 'barrier-scan rules' to list them")
        r = matches[0]
        click.echo(json.dumps(rule_dict(r), indent=2, ensure_ascii=False) if fmt == "json"
                   else explain_rule(r))
        return
    if fmt == "json":
        click.echo(json.dumps([rule_dict(r) for r in chosen], indent=2, ensure_ascii=False))
        return
    if fmt == "markdown":
        from .detect.rules.catalogue import markdown

        click.echo(markdown(chosen))
        return
    click.echo(f"{'code':<6} {'severity':<8} {'polarity':<8} {'family':<6} {'category':<19} name")
    for r in chosen:
        click.echo(f"{r.code:<6} {r.severity:<8} {r.polarity:<8} {r.family:<6} {r.category:<19} {r.name}")
    click.echo(f"\n{plural(len(chosen), 'rule')}. 'barrier-scan rules CODE' explains one.")


def rule_dict(r) -> dict:
    """A rule as JSON for ``rules --format json``."""
    return {"code": r.code, "name": r.name, "family": r.family, "category": r.category,
            "polarity": r.polarity, "severity": r.severity, "kind": r.kind, "message": r.message,
            "why": r.why, "suggestion": r.suggestion, "citation": r.citation,
            "citations": r.citations, "evidence_tag": r.evidence_tag, "examples": r.examples}


def explain_rule(r) -> str:
    """What / why / instead / legal basis, with examples (ruff's rule docs)."""
    import textwrap

    def para(title, body):
        return f"{title}\n" + textwrap.indent(textwrap.fill(body, 96), "  ") + "\n"

    lines = [f"{r.code} {r.name} ({r.category}, {r.polarity}, severity {r.severity}, family {r.family})",
             "", para("What", r.message), para("Why it matters", r.why),
             para("Instead", r.suggestion), para("Legal basis", r.citation)]
    if r.evidence_tag == "R":
        lines.append("  (legal basis not yet verified: reported as a warning only)\n")
    for k, v in r.citations.items():
        lines.append(f"  under {k}: {v}")
    lines.append("Fires on, for example:")
    lines += [textwrap.fill(f"- {e}", 96, subsequent_indent="  ") for e in r.examples["fire"][:3]]
    lines.append("Does not fire on, for example:")
    lines += [textwrap.fill(f"- {e}", 96, subsequent_indent="  ") for e in r.examples["pass"][:3]]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- model
@cli.command()
@click.option("--out", default=None, help="Model folder to write (default: models/default).")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True),
              help="Labelled JSONL files (default: the shared corpus + models/training).")
@click.option("--no-validation", is_flag=True, help="Skip leave-one-family-out and grouped CV.")
def train(out, seed, data_paths, no_validation):
    """Validate, train and export the classifier and the learned combination."""
    from .evaluation.card import headline
    from .evaluation.train import train_model

    kw = {"seed": seed, "data_paths": list(data_paths) or None, "cv": not no_validation,
          "progress": lambda m: click.echo(m, err=True)}
    if out:
        kw["out_dir"] = out
    meta = train_model(**kw)
    click.echo("\n".join(headline(meta)))


@cli.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--protocol", is_flag=True,
              help="Leave-one-family-out, grouped CV and the dev slice on every labelled file "
                   "(refits everything; minutes).")
@click.option("--score", "score_fit", is_flag=True,
              help="Scan the expert-rated documents and report how well the openness score "
                   "agrees with the raters (leave-one-group-out).")
@click.option("--write", is_flag=True, help="With --score: refit and save the score parameters.")
@click.option("--rules-only", is_flag=True, help="Score the rules alone.")
@click.option("--predictions", type=click.Path(dir_okay=False), help="Write per-sentence decisions (JSONL).")
@click.option("--errors", type=click.Choice(["over_specification", "burden_of_proof",
                                             "outcome_language", "openness"]),
              help="List the sentences this category misses and over-fires on.")
@click.option("--by-rule", is_flag=True, help="How often each rule fires with and without its label.")
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "markdown", "json"]))
def evaluate(file, protocol, score_fit, write, rules_only, predictions, errors, by_rule, fmt):
    """Precision/recall/F1 per label for rules, model and combined.

    On a labelled JSONL FILE, or with --protocol on every labelled file: leave one source family
    out, grouped CV by document, and the committed model on the dev slice nobody read.
    """
    from .evaluation.evaluate import evaluate_file, format_markdown, format_text

    if score_fit:
        from .evaluation.score_fit import format_report, run

        rep = run(write=write, progress=lambda m: click.echo(m, err=True))
        click.echo(json.dumps(rep, indent=2) if fmt == "json" else format_report(rep))
        return
    if protocol:
        from .evaluation.evaluate import run_protocol

        res = run_protocol(progress=lambda m: click.echo(m, err=True))
        click.echo(json.dumps(res, indent=2) if fmt == "json" else res["text"])
        return
    if not file:
        raise click.UsageError("give a labelled JSONL FILE, or --protocol")
    res = evaluate_file(file, rules_only=rules_only, predictions_out=predictions, errors=errors,
                        by_rule=by_rule)
    if fmt == "json":
        click.echo(json.dumps(res, indent=2))
    else:
        click.echo(format_markdown(res) if fmt == "markdown" else format_text(res))


# ---------------------------------------------------------------------------------- commissioner
# annotate / baseline / compare: see docs/commissioner.md.
@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write the reviewed copy (default: NAME.reviewed.docx beside the input; "
                   "NAME.review.html for PDF, HTML and text input).")
@click.option("--barriers-only", is_flag=True, help="Leave strengths (wording to keep) out altogether.")
@click.option("--strengths-on-text", is_flag=True,
              help="Comment each strength on its own words (default: list them in the summary "
                   "comment, so the margin holds only what to fix).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Accepted findings: do not comment those.")
@config_options()
@click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr unless something fails.")
def annotate(file, output, barriers_only, strengths_on_text, baseline_file, cfg, quiet):
    """Write a copy of a Word draft with a comment on each flagged passage.

    The input is never modified. PDF, HTML and text files get an HTML review page instead.
    Exit codes: 0 written; 2 the input could not be scanned; 3 bad usage.
    """
    from pathlib import Path

    from .annotate import DOCX_SUFFIXES, AnnotateError, annotate as run_annotate
    from .baseline import today

    accepted = load_baseline(baseline_file) if baseline_file else None
    try:
        with quiet_libraries(quiet):
            rep = run_annotate(file, output, cfg, barriers_only, baseline=accepted,
                               today=today() if accepted is not None else None,
                               strengths_on_text=strengths_on_text)
    except AnnotateError as e:
        raise click.UsageError(str(e)) from None
    r = rep.result
    if r.error:
        report_failures([r])
        sys.exit(EXIT_UNREADABLE)
    if rep.kind == "html":
        suffix = Path(file).suffix.lower() or "this"
        say(f"{file}: {suffix.lstrip('.').upper()} input cannot carry Word comments "
            f"(only {', '.join(sorted(DOCX_SUFFIXES))} can); wrote an HTML review page "
            f"instead: {rep.output}", quiet)
    else:
        whole = f", {len(rep.unanchored)} about the whole document in the summary" if rep.unanchored else ""
        if rep.strengths_in_summary:
            whole += (f", {plural(len(rep.strengths_in_summary), 'strength')} listed in the summary "
                      "(--strengths-on-text to comment them on the text)")
        say(f"wrote {rep.output}: {plural(rep.comments, 'comment')} (summary + "
            f"{rep.anchored_span} on the flagged words, {rep.anchored_paragraph} on the "
            f"sentence or paragraph{whole}); openness {r.score:g}/100 ({r.band})", quiet)
    sys.exit(EXIT_OK)


@cli.group(name="baseline")
def baseline_group():
    """Accepted findings: record them once, then 'scan --baseline' shows only new ones."""


@baseline_group.command("create")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Baseline file to write (JSON, atomically).")
@click.option("--reviewer", default="", help="Who accepted these findings (all entries).")
@click.option("--justification", default="", help="Why they are accepted (all entries).")
@click.option("--expires", help="Last day the acceptances hold, YYYY-MM-DD (all entries).")
@click.option("--include-strengths", is_flag=True, help="Record strengths too (default: barriers only).")
@config_options()
def baseline_create(paths, output, reviewer, justification, expires, include_strengths, cfg):
    """Record the current findings of PATHS as accepted.

    Edit the JSON to give entries their own justification, reviewer or expiry date.
    """
    from .baseline import create, parse_date, today
    from .batch import scan_batch
    from .io import atomic_write

    try:
        exp = parse_date(expires, "--expires") if expires else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--expires") from None
    refuse_overwriting_inputs(paths, [("--output", output)])
    results = list(scan_batch(paths, cfg, jobs=1))
    base = create(results, reviewer=reviewer, justification=justification, expires=exp,
                  on=today(), include_strengths=include_strengths,
                  base_dir=os.path.dirname(os.path.abspath(output)))
    atomic_write(output, base.dumps())
    report_failures(results)
    failed = sum(1 for r in results if r.error)
    say(f"wrote {output}: {plural(len(base.entries), 'accepted finding')} from "
        f"{plural(len(results) - failed, 'file')}")
    sys.exit(EXIT_UNREADABLE if failed else EXIT_OK)


@cli.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "html"]), help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically).")
@config_options()
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when the new version adds barriers.")
def compare(old, new, fmt, output, cfg, exit_zero):
    """Findings added, removed and unchanged between two versions, and the score change.

    A clause reworded in the same place (same rule, same clause) is "reworded", not removed and
    added. Exit codes: 0 no new barrier; 1 the new version adds a barrier not matched to any in
    the old one; 2 a file could not be scanned; 3 bad usage.
    """
    from .compare import compare_results
    from .io import atomic_write
    from .pipeline import scan_file
    from .report import compare as render
    from .report.base import run_meta, text_header

    refuse_overwriting_inputs([old, new], [("--output", output)])
    r_old, r_new = scan_file(old, cfg), scan_file(new, cfg)
    if r_old.error or r_new.error:
        report_failures([r_old, r_new])
        sys.exit(EXIT_UNREADABLE)
    cmp = compare_results(r_old, r_new)
    for w in cmp.warnings:
        say(f"warning: {w}")
    rendered = {"json": lambda: render.render_json(cmp, run_meta(cfg)),
                "html": lambda: render.render_html(cmp),
                "text": lambda: render.render_text(cmp)}[fmt]()
    if output:
        if fmt == "text":  # marks the file as ours (a folder walk skips it)
            rendered = f"{text_header(run_meta(cfg))}\n\n{rendered}"
        atomic_write(output, rendered)
        say(f"wrote {output}")
    else:
        click.echo(rendered, nl=False)
    added_barriers = any(f.is_barrier for f in cmp.added)
    sys.exit(EXIT_BARRIERS if added_barriers and not exit_zero else EXIT_OK)


# ---------------------------------------------------------------------------------- web app
@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1/localhost lets other machines "
                   "reach the uploaded tenders: only on a network you trust.")
@click.option("--open", "open_browser", is_flag=True, help="Open the app in your web browser.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="SQLite file for accepted/wrong verdicts "
                   "(default: ~/.local/share/barrier-scan/reviews.sqlite3).")
@click.option("--keep-minutes", type=click.FloatRange(min=1, max=7 * 24 * 60), default=120.0,
              show_default=True, help="Delete a session's uploaded files after this long unused.")
@config_options()
def serve(port, host, open_browser, db_path, keep_minutes, cfg):
    """A local web app: drop tenders in a page, review findings, download commented copies.

    Listens on 127.0.0.1 only unless --host says otherwise; uploads stay on this machine and
    are deleted when the session ends. Stop it with Ctrl+C.
    """
    from .serve import serve as run_server

    if host not in ("127.0.0.1", "localhost", "::1", "[::1]"):
        say(f"warning: listening on {host}: other machines on the network can reach this app "
            "and the tenders uploaded to it")
    try:
        run_server(cfg, host=host, port=port, open_browser=open_browser, db_path=db_path,
                   keep_minutes=keep_minutes, say=click.echo)
    except OSError as e:
        raise click.UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    except KeyboardInterrupt:  # pragma: no cover - interactive
        pass
    return EXIT_OK


# ---------------------------------------------------------------------------------- datasets
@cli.command(name="report")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False),
              help="Folder to write report.html (the tenders), league.html and league.csv into.")
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "markdown", "csv", "json"]),
              help="How the league table is printed on stdout.")
@click.option("--min-tenders", type=click.IntRange(min=1), default=3, show_default=True,
              help="Leave out buyers with fewer tenders than this (a median of one or two "
                   "tenders says little about a buyer).")
@click.option("--top", type=click.IntRange(min=1), help="Only the N least open buyers.")
@click.option("--max-tenders", type=click.IntRange(min=1), default=5000, show_default=True,
              help="report.html: the N least open tenders (a page of a million tenders would "
                   "be gigabytes; the league table covers every buyer).")
def report_cmd(dataset, output, fmt, min_tenders, top, max_tenders):
    """Turn a findings dataset (scan --format parquet -o DIR) into a buyer league table and,
    with -o, the HTML report of its tenders.

    The league table has one row per buyer: tenders, median openness, tenders closed, the
    commonest barriers and the median score by year, least open first. Queried with DuckDB.
    """
    from .dataset import league_table, load_results, totals
    from .io import atomic_write
    from .report import html as html_report
    from .report import league
    from .report.base import run_meta

    rows = league_table(dataset, min_tenders=min_tenders, limit=top)
    tot = totals(dataset)
    click.echo(league.RENDERERS[fmt](rows, tot), nl=False)
    if not output:
        return
    from pathlib import Path

    out = Path(output)
    from .dataset import read_manifest

    last = ((read_manifest(dataset) or {}).get("runs") or [{}])[-1]
    meta = run_meta(None, model=last.get("model"), configuration=last.get("configuration"))
    results = load_results(dataset, limit=max_tenders)
    try:
        atomic_write(out / "report.html", html_report.render(results, meta))
        atomic_write(out / "league.html", league.render_html(rows, tot, meta, _rule_names()))
        atomic_write(out / "league.csv", league.render_csv(rows, tot), encoding="utf-8-sig")
    except OutputError:
        raise
    except OSError as e:
        raise OutputError(out, e) from None
    shown = sum(1 for r in results if r.ok)
    cut = (f"; the {shown} least open of {tot['tenders']} tenders (--max-tenders)"
           if shown < tot["tenders"] else "")
    say(f"wrote {out / 'report.html'} ({plural(len(results), 'document')}{cut}), "
        f"{out / 'league.html'} and {out / 'league.csv'} ({plural(len(rows), 'buyer')})")


def _rule_names() -> dict:
    """Rule code -> message, for the league page's hover text (empty if rules cannot load)."""
    try:
        from .detect.rules.loader import cached_rules

        return {r.code: r.message for r in cached_rules(None)}
    except Exception:  # noqa: BLE001 - names are a nicety; the table stands without them
        return {}


def main(argv=None) -> None:
    """Run the command line (the ``barrier-scan`` entry point)."""
    cli.main(args=argv, prog_name="barrier-scan")


if __name__ == "__main__":  # pragma: no cover
    main()
