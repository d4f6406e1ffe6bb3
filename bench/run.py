"""Throughput and memory benchmark for barrier-scan (``make bench``; issue 8).

Measures, in one run on the same files:

(a) raw pypdfium2 text extraction (``get_textpage().get_text_range()`` on every page): the floor;
(b) raw pdfplumber ``extract_text`` (slow: sampled, first ``--pdfplumber-pages`` pages in total);
(c) barrier-scan's full pipeline exactly as ``barrier-scan scan --format json -o FILE`` runs it
    (extract -> segment -> rules + classifier -> score -> JSON report written), with ``--jobs 1``
    and ``--jobs N`` (all cores), on PDFs only (for the ratio to (a)) and on PDF + DOCX;
(d) memory as the folder grows: the same scan over 1, 2 and 4 copies of the corpus (hard links);
(e) where the time goes: one in-process pass timing extract / segment / facts / rules / model /
    score / JSON separately;
(g) the web app (``barrier-scan serve``): seconds from starting the process to the first page
    served (warm: the best of three starts after one unmeasured start), and seconds from
    uploading a 50-page tender (sample tender PDFs joined with pypdfium2) to its review page
    (the rules and model already loaded, as they are once the app has started).
(h) scale (issue 15): the same per-file scan on a Dask local cluster of 1 and of 2 worker
    processes (throughput ratio, start-up apart), worker memory at 1x and 4x the input, the
    shared notices as OCDS releases (notices/s with the local pool and with Dask), and the cost
    of writing the Parquet findings dataset and querying it.

Every measurement runs in its own fresh Python process, so peak resident memory (``ru_maxrss``)
belongs to that measurement alone: ``parent`` is the process running the scan (with ``--jobs 1``
it does everything), ``worker`` is the largest worker process (``RUSAGE_CHILDREN``). Wall time
and CPU time (user + system, including workers) are both recorded: on a shared, loaded machine
wall time is noisy, CPU time much less so. The load average at the start is recorded too.

Corpora: ``../shared/corpus/documents`` (PDF and DOCX; skipped with a reason when absent) and
``sample_tenders/``. Results: ``bench/results.json`` and a table on stdout.

    .venv/bin/python bench/run.py [--quick] [--jobs N] [--pdfplumber-pages 60] [--no-memory]
                                  [--only serve]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "documents"
SAMPLES = ROOT / "sample_tenders"
RESULTS = ROOT / "bench" / "results.json"
KINDS = (".pdf", ".docx")


# ------------------------------------------------------------------------------ helpers
def _files(folder: Path, kinds=KINDS) -> list[str]:
    return sorted(str(p) for p in folder.iterdir() if p.is_file() and p.suffix.lower() in kinds)


def _rss_mb(kb: int) -> float:
    # Linux reports ru_maxrss in KiB (macOS in bytes).
    return round(kb / 1024 / (1024 if sys.platform == "darwin" else 1), 1)


def _usage() -> dict:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "parent_rss_mb": _rss_mb(me.ru_maxrss), "worker_rss_mb": _rss_mb(kids.ru_maxrss)}


def _hwm_mb() -> float | None:
    """Peak resident memory of this process so far (Linux VmHWM), MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _reset_hwm() -> bool:
    """Reset the peak (VmHWM) to the current RSS (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _pdf_pages(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


# ------------------------------------------------------------------------------ stages
# Each stage runs in a fresh process (``run.py --stage NAME --files-from F ...``) and prints one
# JSON object on its last stdout line.
def stage_pdfium(files: list[str], _args) -> dict:
    import pypdfium2 as pdfium

    t0, pages, chars = time.perf_counter(), 0, 0
    for f in files:
        pdf = pdfium.PdfDocument(f)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                chars += len(tp.get_text_range())
                tp.close()
                page.close()
                pages += 1
        finally:
            pdf.close()
    return {"seconds": time.perf_counter() - t0, "pages": pages, "documents": len(files), "chars": chars}


def stage_pdfplumber(files: list[str], args) -> dict:
    import pdfplumber

    budget = args.pdfplumber_pages
    t0, pages, docs = time.perf_counter(), 0, 0
    for f in files:
        if pages >= budget:
            break
        docs += 1
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                if pages >= budget:
                    break
                page.extract_text()
                page.close()
                pages += 1
    return {"seconds": time.perf_counter() - t0, "pages": pages, "documents": docs,
            "sampled": f"first {budget} pages in total (file order)"}


def stage_pipeline(files: list[str], args) -> dict:
    """``barrier-scan scan FILES --format json -o OUT --jobs N`` in this process."""
    t_start = time.perf_counter()
    from barrier_scan.cli import main
    from barrier_scan.config import Config
    from barrier_scan.detect import Detector
    from barrier_scan.segment import get_nlp

    # Start-up (imports, rules, spaCy, classifier): paid once per run, not per file. Done here
    # so it is timed apart; the scan below reuses it (cached per process, inherited by workers).
    Detector(Config(use_model=not args.no_model))
    get_nlp()
    startup = time.perf_counter() - t_start
    startup_rss = _hwm_mb()
    reset = _reset_hwm()  # so the peak below is the scan's own, not the model loading's
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        argv = ["scan", *files, "--format", "json", "-o", out, "--jobs", str(args.jobs),
                "--exit-zero", "--quiet", "--timeout", "0"]
        if args.no_model:
            argv.append("--no-model")
        if args.cache_dir:
            argv += ["--cache", args.cache_dir]
        t0 = time.perf_counter()
        try:
            main(argv)
        except SystemExit as e:
            if e.code not in (0, None):
                raise RuntimeError(f"scan exited {e.code}") from None
        seconds = time.perf_counter() - t0
        # Before reading the report back: parsing it is the benchmark's work, not the scan's.
        scan_peak = _hwm_mb() if reset else None
        report = json.loads(Path(out).read_text(encoding="utf-8"))
    docs = report["documents"]
    stats = [d.get("stats") or {} for d in docs]
    return {"seconds": seconds, "startup_seconds": round(startup, 3), "documents": len(docs),
            "startup_peak_rss_mb": startup_rss, "scan_peak_rss_mb": scan_peak, "failed": report["summary"]["failed"],
            "pages": sum(d.get("pages") or 0 for d in docs if d.get("format") == "pdf"),
            "sentences": sum(s.get("sentences", 0) for s in stats),
            "findings": sum(len(d["findings"]) for d in docs),
            "sum_extract_seconds": sum(s.get("extract_seconds", 0) for s in stats),
            "sum_detect_seconds": sum(s.get("detect_seconds", 0) for s in stats),
            "cached": sum(1 for s in stats if s.get("cached")),
            "model": report["tool"].get("model")}


def stage_breakdown(files: list[str], args) -> dict:
    """One process, serial: CPU time of each step of the pipeline (mirrors Detector.run).

    CPU time (``time.process_time``), not wall time, so a busy machine does not skew the split.
    """
    from barrier_scan.config import Config
    from barrier_scan.detect import Detector
    from barrier_scan.detect.detector import _order
    from barrier_scan.extract import extract
    from barrier_scan.findings import DocumentResult
    from barrier_scan.report import json as json_report
    from barrier_scan.score import score_findings
    from barrier_scan.segment import get_nlp, segment

    t = dict.fromkeys(("load", "extract", "segment", "facts", "rules", "model", "score", "json"), 0.0)
    t0 = time.process_time()
    cfg = Config(use_model=not args.no_model)
    det = Detector(cfg)
    get_nlp()
    t["load"] = time.process_time() - t0
    results = []
    for f in files:
        c = time.process_time()
        doc = extract(f, cfg)
        c, t["extract"] = time.process_time(), t["extract"] + time.process_time() - c
        docs = segment(doc, keep_docs=True)
        c, t["segment"] = time.process_time(), t["segment"] + time.process_time() - c
        facts = det.facts(doc)
        c, t["facts"] = time.process_time(), t["facts"] + time.process_time() - c
        findings = det.rule_pass(doc, docs, facts)
        c, t["rules"] = time.process_time(), t["rules"] + time.process_time() - c
        if det.model is not None and doc.sentences:
            findings = det.model_pass(doc, findings)[0]
        findings.sort(key=_order)
        c, t["model"] = time.process_time(), t["model"] + time.process_time() - c
        score, band, breakdown = score_findings(findings, len(doc.sentences))
        results.append(DocumentResult(path=doc.path, format=doc.format, pages=doc.pages,
                                      findings=findings, score=score, band=band,
                                      breakdown=breakdown, facts=facts.to_dict()))
        t["score"] += time.process_time() - c
    c = time.process_time()
    json_report.render(results, {})
    t["json"] = time.process_time() - c
    return {"seconds": {k: round(v, 3) for k, v in t.items()}, "documents": len(files),
            "clock": "cpu", "model": det.model is not None}


def stage_dask(files: list[str], args) -> dict:
    """The per-file scan on a Dask local cluster of ``args.jobs`` single-threaded workers.

    Cluster start and the workers' loading of rules and model are timed apart (``startup``);
    ``seconds`` is from the first task submitted to the last result back. Results are counted,
    not kept, so the parent's memory is the client's own.
    """
    t_start = time.perf_counter()
    from barrier_scan.config import Config
    from barrier_scan.executors import DaskRunner, RunStats, _items
    from barrier_scan.ocds import NoticeReader

    cfg = Config(use_model=not args.no_model, timeout=0)
    stats = RunStats()
    docs = failed = pages = findings = 0
    with DaskRunner(cfg, jobs=args.jobs, timeout=0, stats=stats) as runner:
        startup = time.perf_counter() - t_start
        t0 = time.perf_counter()
        for r, _ in runner.run(_items(files, cfg, NoticeReader(), None, False, stats)):
            docs += 1
            failed += bool(r.error)
            pages += r.pages or 0 if r.format == "pdf" else 0
            findings += len(r.findings)
        seconds = time.perf_counter() - t0
    workers = sorted(stats.worker_peak_mb.values())
    return {"seconds": seconds, "startup_seconds": round(startup, 2), "documents": docs,
            "failed": failed, "pages": pages, "findings": findings, "workers": args.jobs,
            "worker_peak_mb": workers, "retried": stats.retried}


def stage_notices(files: list[str], args) -> dict:
    """``barrier-scan scan RELEASES.jsonl --format parquet -o DIR`` (local pool or Dask)."""
    from barrier_scan.cli import main
    from barrier_scan.config import Config
    from barrier_scan.detect import Detector
    from barrier_scan.segment import get_nlp

    t_start = time.perf_counter()
    if args.executor == "local":  # forked workers inherit it; Dask workers load their own
        Detector(Config(use_model=not args.no_model))
        get_nlp()
    startup = time.perf_counter() - t_start
    with tempfile.TemporaryDirectory() as tmp:
        ds = os.path.join(tmp, "ds")
        argv = ["scan", *files, "--format", "parquet", "-o", ds, "--jobs", str(args.jobs),
                "--exit-zero", "--quiet", "--timeout", "0", "--executor", args.executor]
        if args.no_model:
            argv.append("--no-model")
        t0 = time.perf_counter()
        try:
            main(argv)
        except SystemExit as e:
            if e.code not in (0, None):
                raise RuntimeError(f"scan exited {e.code}") from None
        seconds = time.perf_counter() - t0
        from barrier_scan.dataset import connect

        n, f = connect(ds).execute("SELECT (SELECT count(*) FROM documents), "
                                   "(SELECT count(*) FROM findings)").fetchone()
        size = sum(p.stat().st_size for p in Path(ds).rglob("*.parquet"))
    return {"seconds": seconds, "startup_seconds": round(startup, 2), "documents": n,
            "findings": f, "dataset_bytes": size, "bytes_per_document": round(size / max(n, 1)),
            "executor": args.executor, "workers": args.jobs}


def stage_parquet(files: list[str], args) -> dict:
    """Cost of the findings dataset: scan ``files`` once, then write their results
    ``args.copies`` times over (as distinct documents) and query the result."""
    from barrier_scan.batch import scan_batch
    from barrier_scan.config import Config
    from barrier_scan.dataset import DatasetWriter, done_hashes, league_table, totals

    results = list(scan_batch(files, Config(use_model=not args.no_model), jobs=args.jobs))
    with tempfile.TemporaryDirectory() as tmp:
        ds = Path(tmp) / "ds"
        t0 = time.perf_counter()
        n = f = 0
        with DatasetWriter(ds, "bench" * 12) as w:
            for k in range(args.copies):
                for i, r in enumerate(results):
                    w.add(r, f"{k:08d}{i:056d}")
                    n += 1
                    f += len(r.findings)
        write = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in ds.rglob("*.parquet"))
        t1 = time.perf_counter()
        hashes = len(done_hashes(ds))
        t2 = time.perf_counter()
        league_table(ds)
        totals(ds)
        t3 = time.perf_counter()
    return {"seconds": write, "documents": n, "findings": f, "bytes": size,
            "ms_per_document": round(1000 * write / n, 3),
            "us_per_finding_row": round(1e6 * write / max(f, 1), 2),
            "bytes_per_document": round(size / n), "resume_read_seconds": round(t2 - t1, 3),
            "resume_hashes": hashes, "league_query_seconds": round(t3 - t2, 3)}


STAGES = {"pdfium": stage_pdfium, "pdfplumber": stage_pdfplumber, "pipeline": stage_pipeline,
          "breakdown": stage_breakdown, "dask": stage_dask, "notices": stage_notices,
          "parquet": stage_parquet}


def _stage_main(args) -> None:
    files = Path(args.files_from).read_text(encoding="utf-8").splitlines()
    before = _usage()
    out = STAGES[args.stage](files, args)
    after = _usage()
    out["cpu_seconds"] = round(after["cpu"] - before["cpu"], 3)
    out["parent_rss_mb"], out["worker_rss_mb"] = after["parent_rss_mb"], after["worker_rss_mb"]
    print(json.dumps(out))


def _model_problem() -> str | None:
    """Why the classifier cannot be part of the run (absent or failing), or None."""
    code = ("from barrier_scan import scan_text, Config\n"
            "from barrier_scan.detect import Detector\n"
            "d = Detector(Config())\n"
            "assert d.model is not None, 'no model file (models/default)'\n"
            "r = scan_text('Bidders must have a turnover of at least 1 million pounds.')\n"
            "assert r.ok, r.error\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, BARRIER_SCAN_NO_CONFIG="1"))
    if proc.returncode == 0:
        return None
    return (proc.stderr.strip().splitlines() or ["unknown error"])[-1][:300]


def run_stage(name: str, files: list[str], tmp: str, **opts) -> dict:
    lst = Path(tmp) / f"files-{name}-{abs(hash(tuple(files)))}.txt"
    lst.write_text("\n".join(files), encoding="utf-8")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--files-from", str(lst)]
    for k, v in opts.items():
        if v is True:
            cmd.append(f"--{k.replace('_', '-')}")
        elif v not in (None, False):
            cmd += [f"--{k.replace('_', '-')}", str(v)]
    env = dict(os.environ, BARRIER_SCAN_NO_CONFIG="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"stage {name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------ orchestration
def _rates(r: dict) -> dict:
    s = r["seconds"]
    r["pages_per_s"] = round(r["pages"] / s, 1) if r.get("pages") and s else None
    r["docs_per_s"] = round(r["documents"] / s, 2) if s else None
    cpu = r.get("cpu_seconds")
    r["pages_per_cpu_s"] = round(r["pages"] / cpu, 1) if r.get("pages") and cpu else None
    r["seconds"] = round(s, 3)
    return r


def _copies(files: list[str], n: int, tmp: str, name: str) -> str:
    """A new folder holding ``n`` copies of ``files``: hard links where the file system allows,
    else real copies. (Not symlinks: a scan lists links leading outside the folder it was given
    as ``link_outside`` and does not follow them.)"""
    import shutil

    top = Path(tmp) / f"copies-{name}-{n}"
    for i in range(n):
        d = top / f"copy{i}"
        d.mkdir(parents=True, exist_ok=True)
        for f in files:
            try:
                os.link(f, d / Path(f).name)
            except OSError:
                shutil.copyfile(f, d / Path(f).name)
    return str(top)


def bench_set(name: str, folder: Path, args, tmp: str, log) -> dict:
    files = _files(folder)
    pdfs = [f for f in files if f.endswith(".pdf")]
    pages = {f: _pdf_pages(f) for f in pdfs}
    out: dict = {"folder": str(folder), "documents": len(files), "pdfs": len(pdfs),
                 "docx": len(files) - len(pdfs), "pdf_pages": sum(pages.values())}
    model = {"no_model": args.no_model}
    log(f"[{name}] {len(files)} files ({len(pdfs)} PDF, {sum(pages.values())} pages)")
    out["a_pdfium"] = _rates(run_stage("pdfium", pdfs, tmp))
    log(f"  (a) pypdfium2: {out['a_pdfium']['seconds']} s")
    out["b_pdfplumber"] = _rates(run_stage("pdfplumber", pdfs, tmp, pdfplumber_pages=args.pdfplumber_pages))
    log(f"  (b) pdfplumber (sampled {out['b_pdfplumber']['pages']} pages): {out['b_pdfplumber']['seconds']} s")
    # Same page numbers for (a) and (c): the floor measured on exactly the files scanned.
    for jobs in sorted({1, args.jobs}):
        for subset, fl in (("pdf", pdfs), ("all", files)):
            key = f"c_pipeline_{subset}_jobs{jobs}"
            out[key] = _rates(run_stage("pipeline", fl, tmp, jobs=jobs, **model))
            log(f"  (c) pipeline {subset} --jobs {jobs}: {out[key]['seconds']} s")
    floor = out["a_pdfium"]["seconds"]
    out["ratio_c_over_a"] = {f"jobs{j}": round(out[f"c_pipeline_pdf_jobs{j}"]["seconds"] / floor, 2)
                             for j in sorted({1, args.jobs})}
    out["ratio_c_over_a_cpu"] = {
        f"jobs{j}": round(out[f"c_pipeline_pdf_jobs{j}"]["cpu_seconds"] / out["a_pdfium"]["cpu_seconds"], 2)
        for j in sorted({1, args.jobs})}
    if args.jobs > 1:
        one, many = out["c_pipeline_all_jobs1"]["seconds"], out[f"c_pipeline_all_jobs{args.jobs}"]["seconds"]
        out["scaling_all"] = {"speedup": round(one / many, 2), "efficiency": round(one / many / args.jobs, 2)}
    if not args.no_memory:
        mem = {}
        for n in (1, 2, 4):
            folder_n = _copies(files, n, tmp, name) if n > 1 else None
            r = run_stage("pipeline", [folder_n] if folder_n else files, tmp, jobs=args.jobs, **model)
            mem[f"copies{n}"] = {k: r[k] for k in ("documents", "seconds", "parent_rss_mb", "worker_rss_mb",
                                                   "startup_peak_rss_mb", "scan_peak_rss_mb", "findings")}
            mem[f"copies{n}"]["seconds"] = round(r["seconds"], 2)
            log(f"  (d) {n} cop{'y' if n == 1 else 'ies'}: parent {r['parent_rss_mb']} MB "
                f"(after start-up {r['startup_peak_rss_mb']}, during scan {r['scan_peak_rss_mb']}), "
                f"worker {r['worker_rss_mb']} MB")
        out["d_memory"] = mem
    cache_dir = str(Path(tmp) / f"cache-{name}")
    cold = _rates(run_stage("pipeline", files, tmp, jobs=args.jobs, cache_dir=cache_dir, **model))
    warm = _rates(run_stage("pipeline", files, tmp, jobs=args.jobs, cache_dir=cache_dir, **model))
    out["f_cache"] = {"cold_seconds": cold["seconds"], "warm_seconds": warm["seconds"],
                      "warm_cached_documents": warm["cached"],
                      "warm_docs_per_s": warm["docs_per_s"], "warm_startup_seconds": warm["startup_seconds"]}
    log(f"  (f) --cache: cold {cold['seconds']} s, warm {warm['seconds']} s")
    out["e_breakdown_jobs1"] = run_stage("breakdown", files, tmp, **model)
    log(f"  (e) breakdown: {out['e_breakdown_jobs1']['seconds']}")
    return out


NOTICES = ROOT.parent / "shared" / "corpus" / "notices"


def _releases(tmp: str, copies: int = 1) -> str:
    """The shared notices as OCDS releases (JSON Lines), built at run time, ``copies`` times."""
    out = Path(tmp) / f"releases-x{copies}.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for k in range(copies):
            for f in sorted(NOTICES.glob("notices*.jsonl")):
                for line in open(f, encoding="utf-8"):
                    row = json.loads(line)
                    fh.write(json.dumps({"ocid": f"{row['id']}-{k}", "date": row["date"],
                                         "tag": ["tender"], "buyer": {"name": row["buyer"]},
                                         "tender": {"title": row["title"],
                                                    "description": row["text"]}}) + "\n")
    return str(out)


def bench_scale(args, tmp: str, log) -> dict:
    """(g): Dask 1 vs 2 workers, worker memory at 1x/4x, notices/s, Parquet cost."""
    out: dict = {"machine": "shared" if os.getloadavg()[0] > 0.5 else "quiet",
                 "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    model = {"no_model": args.no_model}
    files = _files(CORPUS) if CORPUS.is_dir() else _files(SAMPLES)
    out["folder"] = str(CORPUS if CORPUS.is_dir() else SAMPLES)
    for n in (1, 2):
        r = _rates(run_stage("dask", files, tmp, jobs=n, **model))
        out[f"dask_workers{n}"] = r
        log(f"  (g) dask {n} worker(s): {r['seconds']} s + start-up {r['startup_seconds']} s, "
            f"workers {r['worker_peak_mb']} MB")
    one, two = out["dask_workers1"]["seconds"], out["dask_workers2"]["seconds"]
    out["dask_throughput_ratio_2_over_1"] = round(one / two, 2) if two else None
    if not args.no_memory:
        mem = {}
        for n in (1, 4):
            target = [_copies(files, n, tmp, "scale")] if n > 1 else files
            r = run_stage("dask", target, tmp, jobs=2, **model)
            mem[f"copies{n}"] = {"documents": r["documents"], "worker_peak_mb": r["worker_peak_mb"],
                                 "client_rss_mb": r["parent_rss_mb"], "seconds": round(r["seconds"], 2)}
            log(f"  (g) dask memory {n}x: {r['documents']} docs, workers {r['worker_peak_mb']} MB, "
                f"client {r['parent_rss_mb']} MB")
        out["dask_memory"] = mem
    if NOTICES.is_dir():
        rel1 = _releases(tmp, 1)
        for executor, jobs in (("local", 1), ("local", args.jobs), ("dask", args.jobs)):
            r = _rates(run_stage("notices", [rel1], tmp, jobs=jobs, executor=executor, **model))
            out[f"notices_{executor}_jobs{jobs}"] = r
            log(f"  (g) notices {executor} --jobs {jobs}: {r['documents']} in {r['seconds']} s "
                f"({r['docs_per_s']}/s)")
        if not args.no_memory:
            rel4 = _releases(tmp, 4)
            r = run_stage("dask", [rel4], tmp, jobs=2, **model)
            out["dask_memory_notices_x4"] = {"documents": r["documents"],
                                             "worker_peak_mb": r["worker_peak_mb"],
                                             "client_rss_mb": r["parent_rss_mb"]}
            r1 = run_stage("dask", [rel1], tmp, jobs=2, **model)
            out["dask_memory_notices_x1"] = {"documents": r1["documents"],
                                             "worker_peak_mb": r1["worker_peak_mb"],
                                             "client_rss_mb": r1["parent_rss_mb"]}
            log(f"  (g) notices memory 1x/4x: workers {r1['worker_peak_mb']} / {r['worker_peak_mb']} MB")
    else:
        out["notices"] = {"skipped": f"{NOTICES} is absent"}
    r = run_stage("parquet", files, tmp, jobs=args.jobs, copies=args.parquet_copies, **model)
    out["parquet"] = r
    log(f"  (g) parquet: {r['documents']} docs, {r['findings']} findings in {r['seconds']:.2f} s "
        f"({r['ms_per_document']} ms/doc, {r['bytes_per_document']} bytes/doc)")
    return out


def scale_table(g: dict) -> str:
    lines = [f"\nscale (issue 15; {g['machine']} machine, load {g['load_average_at_start']}):"]
    for n in (1, 2):
        r = g[f"dask_workers{n}"]
        lines.append(f"  dask {n} worker(s): {r['documents']} docs, {r.get('pages') or '-'} PDF pages in "
                     f"{r['seconds']} s ({r['docs_per_s']} docs/s; start-up {r['startup_seconds']} s); "
                     f"worker peak {r['worker_peak_mb']} MB")
    lines.append(f"  throughput 2 workers / 1 worker: {g['dask_throughput_ratio_2_over_1']}")
    for k, v in g.get("dask_memory", {}).items():
        lines.append(f"  memory {k}: {v['documents']} docs, workers {v['worker_peak_mb']} MB, client "
                     f"{v['client_rss_mb']} MB")
    for k in ("dask_memory_notices_x1", "dask_memory_notices_x4"):
        if k in g:
            lines.append(f"  {k}: {g[k]['documents']} notices, workers {g[k]['worker_peak_mb']} MB, "
                         f"client {g[k]['client_rss_mb']} MB")
    for k, v in g.items():
        if k.startswith("notices_") and isinstance(v, dict) and "seconds" in v:
            start = ("includes starting the cluster" if v.get("executor") == "dask"
                     else f"start-up {v['startup_seconds']} s")
            lines.append(f"  {k}: {v['documents']} notices in {v['seconds']} s ({v['docs_per_s']}/s, "
                         f"{start}; {v['bytes_per_document']} bytes per notice in Parquet)")
    p = g["parquet"]
    lines.append(f"  parquet write: {p['documents']} docs / {p['findings']} findings in {p['seconds']:.2f} s "
                 f"= {p['ms_per_document']} ms per document, {p['us_per_finding_row']} us per finding "
                 f"row, {p['bytes_per_document']} bytes per document; resume read "
                 f"{p['resume_read_seconds']} s, league query {p['league_query_seconds']} s")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ (g) web app
def _serve_start(tmp: str):
    """Start ``barrier-scan serve --port 0``; (process, url, seconds to the first page served)."""
    import urllib.request

    exe = Path(sys.executable).with_name("barrier-scan")
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-c",
                                             "from barrier_scan.cli import main; main()"]
    env = dict(os.environ, BARRIER_SCAN_NO_CONFIG="1", TMPDIR=tmp, PYTHONUNBUFFERED="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen([*cmd, "serve", "--port", "0", "--db", str(Path(tmp) / "bench.sqlite3")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=tmp)
    line = proc.stdout.readline().decode()
    url = line[line.index("http://"):].split()[0]
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                r.read()
                if r.status == 200:
                    return proc, url, time.perf_counter() - t0
        except OSError:
            if proc.poll() is not None or time.perf_counter() - t0 > 60:
                raise RuntimeError("barrier-scan serve did not answer") from None
            time.sleep(0.01)


def _serve_stop(proc) -> None:
    import signal

    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _tender_pdf(pages: int, out: Path) -> Path:
    """A ``pages``-page tender: the sample tender PDFs joined, in order, as often as needed."""
    import pypdfium2 as pdfium

    sources = [pdfium.PdfDocument(f) for f in _files(SAMPLES, (".pdf",))]
    doc = pdfium.PdfDocument.new()
    while len(doc) < pages:
        for src in sources:
            take = min(len(src), pages - len(doc))
            if take > 0:
                doc.import_pages(src, list(range(take)))
    doc.save(str(out))
    return out


def _review_seconds(url: str, path: Path) -> tuple[float, dict]:
    """Upload ``path`` in a fresh session and time it until its review page is served."""
    import http.cookiejar
    import re
    import urllib.request
    import uuid

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    home = opener.open(url).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', home).group(1)
    b = uuid.uuid4().hex
    body = (f'--{b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
            f'--{b}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + \
        f"\r\n--{b}--\r\n".encode()
    t0 = time.perf_counter()
    req = urllib.request.Request(url + "upload", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={b}", "Accept": "application/json",
        "X-CSRF-Token": token})
    doc = json.loads(opener.open(req).read())["documents"][0]
    while True:
        st = json.loads(opener.open(url + doc["url"].lstrip("/") + "/status").read())
        if st["state"] == "done":
            break
        time.sleep(0.05)
    page = opener.open(url + doc["url"].lstrip("/")).read()
    seconds = time.perf_counter() - t0
    st["review_page_kb"] = round(len(page) / 1024, 1)
    st["highlights"] = page.count(b'<mark class="hl')
    return seconds, st


def bench_serve(tmp: str, log) -> dict:
    """(g): first page after start, and a 50-page tender uploaded and reviewed."""
    out: dict = {"note": "shared machine: other engineers' jobs run on the same 2 cores"}
    proc, _, first = _serve_start(tmp)  # unmeasured: fills the OS file cache ("warm install")
    _serve_stop(proc)
    starts = []
    for _ in range(3):
        proc, url, t = _serve_start(tmp)
        starts.append(round(t, 3))
        if len(starts) < 3:
            _serve_stop(proc)
    out["first_page_seconds_cold_start"] = round(first, 3)
    out["first_page_seconds_warm"] = min(starts)
    out["first_page_seconds_warm_runs"] = starts
    log(f"  (g) first page served {min(starts)} s after start (warm; runs {starts})")
    try:
        warmup = Path(tmp) / "warmup.txt"
        warmup.write_text("Bidders must have a minimum annual turnover of £2 million.\n")
        _review_seconds(url, warmup)  # waits for the rules and model to finish loading
        tenders = [("sample_tenders_50_pages", _tender_pdf(50, Path(tmp) / "tender-50-pages.pdf"))]
        corpus_pdf = CORPUS / "standard-selection-questionnaire-ppn-03-24.pdf"
        if corpus_pdf.is_file():
            tenders.append(("corpus_ppn_03_24", corpus_pdf))
        for name, pdf in tenders:
            timed = [_review_seconds(url, pdf) for _ in range(3)]
            runs = [round(secs, 3) for secs, _ in timed]
            st = min(timed, key=lambda t: t[0])[1]
            out[f"review_{name}"] = {"pages": _pdf_pages(str(pdf)), "seconds": min(runs),
                                     "runs": runs, "scan_seconds": st["elapsed"],
                                     "findings": (st.get("barriers") or 0) + (st.get("strengths") or 0),
                                     "highlights": st["highlights"],
                                     "review_page_kb": st["review_page_kb"]}
            log(f"  (g) {name}: {out[f'review_{name}']['pages']} pages reviewed in {min(runs)} s "
                f"(runs {runs})")
    finally:
        _serve_stop(proc)
    return out


def serve_table(r: dict) -> str:
    """The web app lines of the summary."""
    lines = [f"\nweb app (barrier-scan serve; {r['note']}):",
             f"  first page served after start (warm): {r['first_page_seconds_warm']} s "
             f"(runs {r['first_page_seconds_warm_runs']}; first start {r['first_page_seconds_cold_start']} s)"]
    for k, v in r.items():
        if k.startswith("review_"):
            lines.append(f"  {k[7:]}: {v['pages']}-page PDF uploaded -> review page in {v['seconds']} s "
                         f"(scan {v['scan_seconds']} s, {v['findings']} findings, {v['highlights']} "
                         f"highlights, page {v['review_page_kb']} KB; runs {v['runs']})")
    return "\n".join(lines)


def table(results: dict) -> str:
    lines = []
    for name, r in results["sets"].items():
        if "skipped" in r:
            lines.append(f"\n{name}: skipped ({r['skipped']})")
            continue
        lines.append(f"\n{name}: {r['documents']} documents ({r['pdfs']} PDF / {r['pdf_pages']} pages, "
                     f"{r['docx']} DOCX)")
        lines.append(f"{'measurement':<34} {'files':>5} {'pages':>6} {'start s':>7} {'wall s':>8} {'cpu s':>8} "
                     f"{'pages/s':>8} {'docs/s':>7} {'parent MB':>9} {'worker MB':>9}")
        rows = [("(a) raw pypdfium2 (PDF)", r["a_pdfium"]),
                ("(b) raw pdfplumber (PDF, sampled)", r["b_pdfplumber"])]
        rows += [(f"(c) pipeline {k.split('_')[2].upper()} --jobs {k[-1]}", v)
                 for k, v in r.items() if k.startswith("c_pipeline_")]
        for label, v in rows:
            pps = v["pages_per_s"] if v.get("pages_per_s") is not None else "-"
            lines.append(f"{label:<34} {v['documents']:>5} {v.get('pages') or '-':>6} "
                         f"{v.get('startup_seconds', '-'):>7} {v['seconds']:>8} "
                         f"{v['cpu_seconds']:>8} {pps:>8} {v['docs_per_s']:>7} "
                         f"{v['parent_rss_mb']:>9} {v['worker_rss_mb'] or '-':>9}")
        lines.append(f"ratio (c)/(a) on PDFs, wall: {r['ratio_c_over_a']}   cpu: {r['ratio_c_over_a_cpu']}")
        if "scaling_all" in r:
            lines.append(f"scaling 1 -> {results['jobs']} jobs (all files): {r['scaling_all']}")
        if "d_memory" in r:
            lines.append("peak RSS vs folder size (parent: after start-up / during the scan; largest worker):")
            lines += [f"  {k}: {v['documents']} files, {v['findings']} findings: parent {v['startup_peak_rss_mb']}"
                      f" / {v['scan_peak_rss_mb']} MB, worker {v['worker_rss_mb']} MB"
                      for k, v in r["d_memory"].items()]
        if "f_cache" in r:
            f = r["f_cache"]
            lines.append(f"--cache re-run of the same files (--jobs {results['jobs']}): cold {f['cold_seconds']} s, "
                         f"warm {f['warm_seconds']} s ({f['warm_docs_per_s']} docs/s, "
                         f"{f['warm_cached_documents']} of {r['documents']} from the cache) + start-up")
        b = r["e_breakdown_jobs1"]["seconds"]
        total = sum(v for k, v in b.items() if k != "load") or 1
        lines.append("where the CPU time goes (jobs 1, excl. start-up {:.1f} s): ".format(b["load"]) + ", ".join(
            f"{k} {v:.1f} s ({v / total:.0%})" for k, v in b.items() if k != "load"))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="sample_tenders only, no memory growth runs, 20 pdfplumber pages")
    ap.add_argument("--jobs", type=int, default=None, help="parallel run (default: all cores)")
    ap.add_argument("--pdfplumber-pages", type=int, default=60,
                    help="pages in total for pdfplumber extract_text (it is ~1.6 pages/s)")
    ap.add_argument("--no-model", action="store_true", help="rules only")
    ap.add_argument("--no-memory", action="store_true", help="skip the 1/2/4-copies memory runs")
    ap.add_argument("--no-scale", action="store_true", help="skip (g): Dask, notices, Parquet")
    ap.add_argument("--parquet-copies", type=int, default=200,
                    help="(g) Parquet cost: write the corpus results this many times over")
    ap.add_argument("--output", default=str(RESULTS))
    ap.add_argument("--only", choices=["serve"], help="run only this section (results not saved)")
    # internal: run one stage
    ap.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    ap.add_argument("--files-from", help=argparse.SUPPRESS)
    ap.add_argument("--cache-dir", help=argparse.SUPPRESS)
    ap.add_argument("--executor", default="local", help=argparse.SUPPRESS)
    ap.add_argument("--copies", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage:
        args.jobs = args.jobs or 1
        _stage_main(args)
        return 0
    from barrier_scan.batch import default_jobs  # not before a stage: it would count in its RSS

    args.jobs = args.jobs or default_jobs()
    if args.quick:
        args.no_memory = True
        args.pdfplumber_pages = min(args.pdfplumber_pages, 20)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    import barrier_scan

    results = {"generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "version": barrier_scan.__version__,
               "python": platform.python_version(), "cpus": os.cpu_count(), "jobs": args.jobs,
               "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
               "quick": args.quick, "model": not args.no_model,
               "pdfplumber_sampled_pages": args.pdfplumber_pages, "sets": {}}
    for mod in ("pypdfium2", "pdfplumber", "spacy", "sklearn"):
        try:
            results[f"{mod}_version"] = __import__(mod).__version__ if mod != "pypdfium2" else \
                __import__("pypdfium2").V_PYPDFIUM2
        except Exception:  # noqa: BLE001
            pass
    if not args.no_model:
        reason = _model_problem()
        if reason:
            args.no_model = True
            results["model"] = False
            results["model_skipped"] = reason
            log(f"classifier not usable, measuring rules only: {reason}")
    if args.only == "serve":
        with tempfile.TemporaryDirectory(prefix="barrier-bench-") as tmp:
            print(serve_table(bench_serve(tmp, log)))
        return 0
    sets = [("sample_tenders", SAMPLES)]
    if not args.quick:
        sets.insert(0, ("corpus", CORPUS))
    with tempfile.TemporaryDirectory(prefix="barrier-bench-") as tmp:
        for name, folder in sets:
            if not folder.is_dir() or not _files(folder):
                results["sets"][name] = {"skipped": f"{folder} is absent or has no PDF/DOCX files"}
                log(f"[{name}] skipped: {results['sets'][name]['skipped']}")
                continue
            results["sets"][name] = bench_set(name, folder, args, tmp, log)
        results["serve"] = bench_serve(tmp, log)
        if not args.quick and not args.no_scale:
            log("[scale]")
            results["scale"] = bench_scale(args, tmp, log)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(serve_table(results["serve"]))
    if "scale" in results:
        print(scale_table(results["scale"]))
    print("\nstart s: imports + rules + spaCy + classifier, once per run (not in wall s, pages/s, "
          "docs/s; in cpu s). parent/worker MB: peak RSS of the scanning process / largest worker.")
    print(f"(b) pdfplumber is sampled: first {args.pdfplumber_pages} PDF pages in total. "
          f"Load average at start {results['load_average_at_start']}, end {results['load_average_at_end']} "
          f"on {results['cpus']} CPUs: wall times are noisy on a shared machine; cpu s is steadier.")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
