"""The ``barrier-scan`` command line: parse options, call the API, pick a formatter.

Exit codes (also in README): 0 no barriers found; 1 barriers found; 2 at least one file could not
be scanned; 3 bad usage, configuration or rule data. ``--exit-zero`` always exits 0 after a
successful run.
"""
from __future__ import annotations

import contextlib
import json
import sys
from datetime import datetime, timezone

import click

from . import __version__
from .config import Config, load_config
from .errors import ConfigError
from .findings import SEVERITIES

EXIT_OK, EXIT_BARRIERS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3


def _split_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


def build_config(paths, config_file, select, ignore, extend_select=(), **kw) -> Config:
    cfg = load_config(list(paths), config_file)
    select, ignore = _split_codes(select), _split_codes(ignore)
    if select:
        kw["select"] = select
    if extend_select:
        kw["select"] = tuple(cfg.select) + _split_codes(extend_select)
    if ignore:
        kw["ignore"] = tuple(cfg.ignore) + ignore
    return cfg.with_overrides(**kw)


def run_meta(cfg: Config) -> dict:
    return {"version": __version__,
            "generated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "config": cfg.source, "select": list(cfg.select), "ignore": list(cfg.ignore),
            "model": cfg.use_model}


class _Group(click.Group):
    """Maps usage and configuration errors to exit code 3 (2 means unreadable files)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("aborted", err=True)
            sys.exit(130)
        except click.ClickException as e:
            e.show()
            sys.exit(EXIT_USAGE)
        except ConfigError as e:
            click.echo(f"configuration error: {e}", err=True)
            sys.exit(EXIT_USAGE)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="barrier-scan")
def cli():
    """Find, with evidence, where tenders shut out small arts and cultural providers."""


# ---------------------------------------------------------------------------------- scan
def selection_options(f):
    f = click.option("--select", multiple=True, help="Only these rule codes or prefixes (e.g. BP,SP101).")(f)
    f = click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes.")(f)
    f = click.option("--extend-select", multiple=True, hidden=True)(f)
    f = click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                     help="Configuration file (default: nearest barrier-scan.toml or pyproject.toml).")(f)
    return f


def fact_options(f):
    f = click.option("--contract-value", type=float, help="Total contract value in £ (overrides the text).")(f)
    f = click.option("--annual-value", type=float, help="Annual contract value in £ (overrides the text).")(f)
    f = click.option("--lots", type=int, help="Number of lots (overrides the text).")(f)
    f = click.option("--regime", type=click.Choice(["pcr2015", "pa2023"]),
                     help="Procurement regime (overrides detection).")(f)
    return f


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "html", "csv", "jsonl"]), help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here (atomically).")
@selection_options
@fact_options
@click.option("--no-model", is_flag=True, help="Rules only: do not run the trained classifier.")
@click.option("--min-confidence", type=float, help="Hide classifier findings below this probability.")
@click.option("--brief", is_flag=True, help="Text format: one line per finding.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="low", show_default=True,
              help="Lowest barrier severity that makes the exit code 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when barriers are found or files fail.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Accepted findings (from 'baseline create'): show only new ones, count the rest.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Files scanned at once, one process each (default: all CPU cores; 1: no workers).")
@click.option("--timeout", type=click.FloatRange(min=0), default=None,
              help="Seconds allowed per file before it is skipped as 'timeout' (default 120; 0: no limit).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
              help="Reuse results for files already scanned with the same rules, model and "
                   "settings (keyed by content); store new ones there.")
@click.option("--findings-csv", type=click.Path(dir_okay=False),
              help="Also write one CSV row per finding to this file (atomically).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="Refuse PDFs with more pages than this as 'too_many_pages' (default 2000).")
@click.option("--max-docx-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Refuse DOCX files that expand to more than this many MB as 'unsafe_content' (default 100).")
@click.option("--max-file-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Refuse files larger than this many MB as 'too_large' (default 200).")
def scan(paths, fmt, output, select, ignore, extend_select, config_file, contract_value,
         annual_value, lots, regime, no_model, min_confidence, brief, fail_on, exit_zero, quiet,
         baseline_file=None, jobs=None, timeout=None, findings_csv=None, cache_dir=None, max_pages=None,
         max_docx_mb=None, max_file_mb=None):
    """Scan tender files or folders (PDF, DOCX, HTML, TXT, MD) and report findings."""
    cfg = build_config(paths, config_file, select, ignore, extend_select,
                       contract_value=contract_value, annual_value=annual_value, lots=lots,
                       regime=regime, use_model=False if no_model else None,
                       min_confidence=min_confidence)
    cfg = cfg.with_overrides(timeout=timeout, max_pages=max_pages,
                             max_docx_uncompressed=_mb(max_docx_mb), max_bytes=_mb(max_file_mb))
    accepted = load_baseline(baseline_file) if baseline_file else None
    try:
        seen = _scan_and_report(paths, cfg, fmt, output, jobs, quiet, brief, accepted,
                                cache_dir=cache_dir, findings_csv=findings_csv)
    except _OutputError as e:
        raise click.ClickException(str(e)) from None
    if not quiet:
        failed = [s for s in seen if s.error]
        for s in failed:
            click.echo(f"error: {s.path}: {s.error['message']}", err=True)
        if output:
            click.echo(f"wrote {output} ({len(seen)} file(s), {len(failed)} failed)", err=True)
    sys.exit(exit_code(seen, fail_on, exit_zero))


class _OutputError(Exception):
    """A report could not be written (disk full, no permission); the old file is left as it was."""


def _output_error(exc: OSError, path) -> _OutputError:
    return _OutputError(f"could not write {path}: {exc.strerror or exc}; any previous file there is "
                        "unchanged")


def _mb(value: float | None) -> int | None:
    return None if value is None else int(value * 1024 * 1024)


def _scan_and_report(paths, cfg, fmt, output, jobs, quiet, brief, accepted, cache_dir=None,
                     findings_csv=None):
    """Scan in parallel (barrier_scan.batch) and write the reports; returns one Seen per file.

    JSON, JSON Lines and CSV (and ``--findings-csv``) are written a document at a time as results
    arrive, to temporary files renamed when the run completes (stdout is flushed per document);
    only a small summary of each document is kept, so memory stays flat however large the batch.
    Text and HTML are read whole by people and are rendered from all results at the end.
    """
    from .api import iter_files
    from .batch import Progress, scan_batch
    from .detect import Detector
    from .io import atomic_stream, atomic_write
    from .report import get_formatter
    from .report.stream import WRITERS, FindingsCsvWriter, Seen

    Detector(cfg)  # rule or model problems surface here as a usage error (exit 3), not per file
    files = list(iter_files(paths))
    progress = Progress(len(files), enabled=False if quiet else None)
    stream = scan_batch(files, cfg, jobs=jobs, on_result=progress, cache_dir=cache_dir)
    if accepted is not None:
        from .baseline import apply_baseline, today
        stream = (apply_baseline(r, accepted, today()) for r in stream)
    meta = run_meta(cfg)
    streaming = fmt in WRITERS
    bom = "utf-8-sig" if fmt == "csv" and output else "utf-8"
    seen: list[Seen] = []
    results = []  # only for text and HTML
    target = output or "stdout"  # named in the error if a write fails
    try:
        with contextlib.ExitStack() as stack:
            writers = []
            if streaming:
                fh = stack.enter_context(atomic_stream(output, encoding=bom)) if output else sys.stdout
                writers.append((WRITERS[fmt](fh, meta), fh))
            if findings_csv:
                target = findings_csv
                fh = stack.enter_context(atomic_stream(findings_csv, encoding="utf-8-sig"))
                writers.append((FindingsCsvWriter(fh, meta), fh))
            target = output or "stdout"
            for r in stream:
                seen.append(Seen.of(r))
                for w, fh in writers:
                    w.add(r)
                    if fh is sys.stdout:
                        fh.flush()
                if not streaming:
                    results.append(r)
            for w, fh in writers:
                w.close(seen)
    except OSError as e:
        raise _output_error(e, target) from None
    finally:
        progress.close()
    if not streaming:
        kwargs = {"brief": brief} if fmt == "text" else {}
        rendered = get_formatter(fmt).render(results, meta, **kwargs)
        if output:
            try:
                atomic_write(output, rendered)
            except OSError as e:
                raise _output_error(e, output) from None
        else:
            click.echo(rendered, nl=False)
    return seen


def load_baseline(path):
    from .baseline import BaselineError, load

    try:
        return load(path)
    except BaselineError as e:
        raise click.ClickException(f"baseline: {e}") from None


def exit_code(seen, fail_on: str = "low", exit_zero: bool = False) -> int:
    """``seen``: :class:`~barrier_scan.report.stream.Seen` summaries (or DocumentResults)."""
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
@selection_options
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json"]))
@click.option("--check", "check_examples", is_flag=True,
              help="Run every selected rule's own examples and report any that misbehave.")
def rules(code, select, ignore, extend_select, config_file, fmt, check_examples):
    """List rules, or explain one: barrier-scan rules BP101."""
    from .rules.loader import cached_rules
    from .rules.registry import select_rules

    cfg = build_config([], config_file, select, ignore, extend_select)
    all_rules = list(cached_rules(cfg.rules_dir))
    if check_examples:
        from .rules.examples import check_examples as run_examples

        chosen = [r for r in select_rules(all_rules, cfg.select, cfg.ignore)
                  if not code or r.code == code.upper()]
        problems = [p for r in chosen for p in run_examples(r)]
        for p in problems:
            click.echo(p)
        n = sum(len(r.examples["fire"]) + len(r.examples["pass"]) for r in chosen)
        click.echo(f"{len(chosen)} rule(s), {n} example(s): {len(problems)} problem(s)")
        sys.exit(EXIT_BARRIERS if problems else EXIT_OK)
    if code:
        matches = [r for r in all_rules if r.code == code.upper()]
        if not matches:
            raise click.UsageError(f"no rule {code!r}; run 'barrier-scan rules' to list them")
        r = matches[0]
        if fmt == "json":
            click.echo(json.dumps(_rule_dict(r), indent=2, ensure_ascii=False))
            return
        click.echo(explain_rule(r))
        return
    chosen = select_rules(all_rules, cfg.select, cfg.ignore)
    if fmt == "json":
        click.echo(json.dumps([_rule_dict(r) for r in chosen], indent=2, ensure_ascii=False))
        return
    click.echo(f"{'code':<6} {'severity':<8} {'polarity':<8} {'family':<6} {'category':<19} name")
    for r in chosen:
        click.echo(f"{r.code:<6} {r.severity:<8} {r.polarity:<8} {r.family:<6} {r.category:<19} {r.name}")
    click.echo(f"\n{len(chosen)} rule(s). 'barrier-scan rules CODE' explains one.")


def _rule_dict(r) -> dict:
    return {"code": r.code, "name": r.name, "family": r.family, "category": r.category,
            "polarity": r.polarity, "severity": r.severity, "kind": r.kind, "message": r.message,
            "why": r.why, "suggestion": r.suggestion, "citation": r.citation,
            "citations": r.citations, "evidence_tag": r.evidence_tag, "examples": r.examples}


def explain_rule(r) -> str:
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
              help="Labelled JSONL files (default: ../shared corpus + models/training).")
def train(out, seed, data_paths):
    """Train the sentence classifier with grouped cross-validation and save it (skops)."""
    from .model.train import train_model

    kw = {"seed": seed, "data_paths": list(data_paths) or None}
    if out:
        kw["out_dir"] = out
    metrics = train_model(**kw)
    click.echo(json.dumps(metrics, indent=2, default=str))


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--predictions", type=click.Path(dir_okay=False), help="Write per-sentence decisions (JSONL).")
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json"]))
def evaluate(file, predictions, fmt):
    """Precision/recall/F1 per label for rules, model and combined on a labelled JSONL file."""
    from .model.evaluate import evaluate_file, format_table

    res = evaluate_file(file, predictions_out=predictions)
    if fmt == "json":
        click.echo(json.dumps(res, indent=2))
    else:
        click.echo(format_table(res))


# ---------------------------------------------------------------------------------- commissioner
# annotate / baseline / compare: see docs/commissioner.md.
def _model_options(f):
    f = click.option("--no-model", is_flag=True, help="Rules only: do not run the trained classifier.")(f)
    f = click.option("--min-confidence", type=float, help="Hide classifier findings below this probability.")(f)
    return f


def _config_for(paths, config_file, select, ignore, extend_select, contract_value, annual_value,
                lots, regime, no_model, min_confidence) -> Config:
    return build_config(paths, config_file, select, ignore, extend_select,
                        contract_value=contract_value, annual_value=annual_value, lots=lots,
                        regime=regime, use_model=False if no_model else None,
                        min_confidence=min_confidence)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write the reviewed copy (default: NAME.reviewed.docx beside the input; "
                   "NAME.review.html for PDF, HTML and text input).")
@click.option("--barriers-only", is_flag=True, help="Do not comment strengths (wording to keep).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Accepted findings: do not comment those.")
@selection_options
@fact_options
@_model_options
@click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr unless something fails.")
def annotate(file, output, barriers_only, baseline_file, select, ignore, extend_select, config_file,
             contract_value, annual_value, lots, regime, no_model, min_confidence, quiet):
    """Write a copy of a Word draft with a comment on each flagged passage.

    The input is never modified. PDF, HTML and text files get an HTML review page instead.
    Exit codes: 0 written; 2 the input could not be scanned; 3 bad usage.
    """
    from pathlib import Path

    from .annotate import DOCX_SUFFIXES, AnnotateError, annotate as run_annotate
    from .baseline import today

    cfg = _config_for([file], config_file, select, ignore, extend_select, contract_value,
                      annual_value, lots, regime, no_model, min_confidence)
    accepted = load_baseline(baseline_file) if baseline_file else None
    try:
        rep = run_annotate(file, output, cfg, barriers_only, baseline=accepted,
                           today=today() if accepted is not None else None)
    except AnnotateError as e:
        raise click.UsageError(str(e)) from None
    r = rep.result
    if r.error:
        click.echo(f"error: {r.path}: {r.error['message']}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if rep.kind == "html" and not quiet:
        suffix = Path(file).suffix.lower() or "this"
        click.echo(f"{file}: {suffix.lstrip('.').upper()} input cannot carry Word comments "
                   f"(only {', '.join(sorted(DOCX_SUFFIXES))} can); wrote an HTML review page "
                   f"instead: {rep.output}", err=True)
    elif not quiet:
        whole = f", {len(rep.unanchored)} about the whole document in the summary" if rep.unanchored else ""
        click.echo(f"wrote {rep.output}: {rep.comments} comment(s) (summary + "
                   f"{rep.anchored_span} on the flagged words, {rep.anchored_paragraph} on the "
                   f"sentence or paragraph{whole}); openness {r.score:g}/100 ({r.band})", err=True)
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
@selection_options
@fact_options
@_model_options
def baseline_create(paths, output, reviewer, justification, expires, include_strengths, select,
                    ignore, extend_select, config_file, contract_value, annual_value, lots, regime,
                    no_model, min_confidence):
    """Record the current findings of PATHS as accepted.

    Edit the JSON to give entries their own justification, reviewer or expiry date.
    """
    from .api import scan_paths
    from .baseline import create, parse_date, today
    from .io import atomic_write

    try:
        exp = parse_date(expires, "--expires") if expires else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--expires") from None
    cfg = _config_for(paths, config_file, select, ignore, extend_select, contract_value,
                      annual_value, lots, regime, no_model, min_confidence)
    results = list(scan_paths(paths, cfg))
    base = create(results, reviewer=reviewer, justification=justification, expires=exp,
                  on=today(), include_strengths=include_strengths)
    atomic_write(output, base.dumps())
    failed = [r for r in results if r.error]
    for r in failed:
        click.echo(f"error: {r.path}: {r.error['message']}", err=True)
    click.echo(f"wrote {output}: {len(base.entries)} accepted finding(s) from "
               f"{len(results) - len(failed)} file(s)", err=True)
    sys.exit(EXIT_UNREADABLE if failed else EXIT_OK)


@cli.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "html"]), help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically).")
@selection_options
@fact_options
@_model_options
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when the new version adds barriers.")
def compare(old, new, fmt, output, select, ignore, extend_select, config_file, contract_value,
            annual_value, lots, regime, no_model, min_confidence, exit_zero):
    """Findings added, removed and unchanged between two versions, and the score change.

    Exit codes: 0 no barrier added; 1 the new version adds barriers; 2 a file could not be
    scanned; 3 bad usage.
    """
    from .api import scan_file
    from .compare import compare_results, render_html, render_json, render_text
    from .detect import Detector
    from .io import atomic_write

    cfg = _config_for([old, new], config_file, select, ignore, extend_select, contract_value,
                      annual_value, lots, regime, no_model, min_confidence)
    detector = Detector(cfg)
    r_old, r_new = scan_file(old, cfg, detector), scan_file(new, cfg, detector)
    failed = [r for r in (r_old, r_new) if r.error]
    if failed:
        for r in failed:
            click.echo(f"error: {r.path}: {r.error['message']}", err=True)
        sys.exit(EXIT_UNREADABLE)
    cmp = compare_results(r_old, r_new)
    if fmt == "json":
        rendered = render_json(cmp, run_meta(cfg))
    elif fmt == "html":
        rendered = render_html(cmp)
    else:
        rendered = render_text(cmp)
    if output:
        atomic_write(output, rendered)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(rendered, nl=False)
    added_barriers = any(f.is_barrier for f in cmp.added)
    sys.exit(EXIT_BARRIERS if added_barriers and not exit_zero else EXIT_OK)


def main(argv=None) -> None:
    cli.main(args=argv, prog_name="barrier-scan")


if __name__ == "__main__":  # pragma: no cover
    main()
