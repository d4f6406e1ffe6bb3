"""HTML report for people: one self-contained file (inline CSS and SVG; no scripts, no network).

Written for a commissioner rather than a developer: plain headings, a "how to read this" box,
tenders ranked least open first, every finding with its quoted words highlighted in context,
where it is, why it matters, what to write instead and the legal or policy basis.

Ten tenders make hundreds of findings, so the page stays short: each tender is a collapsed
``<details>`` (least open first) whose summary line gives its score, band and counts, and whose
body opens with its most serious findings; checkboxes at the top filter every finding by
severity and category with CSS alone (``:has()``; no script). At phone width the ranking table
becomes one card per tender. A rule code has one title everywhere (chart, tables, top findings):
:func:`~barrier_scan.report.base.finding_title`.

Everything that comes from a document or a file name goes through :func:`esc` (``html.escape``
with quotes), including text inside the SVG charts.
"""
from __future__ import annotations

from collections import Counter

from ..findings import DocumentResult, Finding
from ..taxonomy import (BAND_TEXT, BANDS, CATEGORIES, CATEGORY_WORDS, DIMENSION_LABELS,
                        REGIME_NAMES, SEVERITIES, SEVERITY_WORDS, plural)
from .base import WholeWriter, configuration_line, finding_title, location_note
from .htmlkit import badge, esc, finding_html, page

BAND_CLASS = {"open": "open", "some barriers": "some", "closed": "closed"}
BAND_COLOUR = {"open": "#1a7f37", "some barriers": "#d4a72c", "closed": "#b3261e"}
ERROR_ADVICE = {
    "legacy_format": "Save it as .docx or PDF and scan again.",
    "encrypted": "Ask for a copy without a password.",
    "no_text_layer": "It is a scanned image; ask for a text PDF or run it through OCR first.",
    "timeout": "Try it on its own with a longer --timeout.",
    "too_large": "Split it, or raise the size limit if you trust the file.",
    "too_many_pages": "Split it, or raise the page limit if you trust the file.",
    "corrupt_file": "Open it in Word or a PDF reader and save a fresh copy.",
    "internal_error": "This is a fault in barrier-scan; please report it with the file if you can.",
}


def _path_html(path: str) -> str:
    """File name first, folder after it in small type (long paths stay readable in a table)."""
    # Split on "/" only: a backslash in a POSIX path is part of a name, e.g. the "\\u202e" an
    # escaped bidi control leaves (Windows paths, with no "/" at all, split on "\\").
    sep = "/" if "/" in path else "\\"
    folder, _, name = path.rpartition(sep)
    return esc(name) + (f'<span class="folder">{esc(folder)}/</span>' if folder else "")


def _band_badge(r: DocumentResult) -> str:
    if r.error:
        return '<span class="band failed">could not read</span>'
    return f'<span class="band {BAND_CLASS.get(r.band, "")}">{esc(r.band)}</span>'


def _score_cell(r: DocumentResult) -> str:
    if r.error or r.score is None:
        return "–"
    cls = BAND_CLASS.get(r.band, "")
    width = max(0.0, min(100.0, float(r.score)))
    return (f'<strong>{esc(f"{r.score:g}")}</strong><span class="scorebar" aria-hidden="true">'
            f'<span class="{cls}" style="width:{width:.0f}%"></span></span>')


def _sev_rank(f: Finding) -> int:
    return -SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 0


def _facts_line(facts: dict) -> str:
    if not facts:
        return ""
    bits = []
    total, annual = facts.get("contract_value_total"), facts.get("contract_value_annual")
    if isinstance(total, (int, float)):
        bits.append(f"contract value £{total:,.0f}")
    if isinstance(annual, (int, float)):
        bits.append(f"£{annual:,.0f} a year")
    if facts.get("lots"):
        bits.append(esc(plural(int(facts['lots']), 'lot')))
    if facts.get("regime"):
        bits.append(esc(REGIME_NAMES.get(facts["regime"], facts["regime"])))
    return f'<p class="muted">What we read from the text: {esc("; ".join(bits))}.</p>' if bits else ""


def _points(pts) -> str:
    if not isinstance(pts, (int, float)):
        return esc(pts)
    pts = round(float(pts), 1)
    return "0" if pts == 0 else f"{pts:g}"


TOP_FINDINGS = 3  # most serious barriers at the top of each tender


def breakdown_html(breakdown: dict) -> str:
    """The score's breakdown, whatever the scoring method: a label, the points (out of ``max``
    when given), the counts when given, and the ``why`` of an area when given."""
    if not breakdown:
        return ""
    rows = list(breakdown.items())
    has_max = any(isinstance(d, dict) and d.get("max") is not None for _, d in rows)
    has_counts = any(isinstance(d, dict) and "barriers" in d for _, d in rows)
    head = ('<div class="scroll"><table class="breakdown"><caption>Where the score comes from'
            '</caption><thead><tr><th>Area</th><th class="num">Points</th>'
            + ('<th class="num">Barriers</th><th class="num">Strengths</th>' if has_counts else "")
            + "</tr></thead><tbody>")
    out = [head]
    for dim, d in rows:
        d = d if isinstance(d, dict) else {"points": d}
        label = d.get("label") or DIMENSION_LABELS.get(dim, dim)
        why = f'<div class="why">{esc(d["why"])}</div>' if d.get("why") else ""
        pts = _points(d.get("points", 0))
        if has_max and d.get("max") is not None:
            pts += f' <span class="muted">/ {_points(d["max"])}</span>'
        counts = (f'<td class="num">{esc(d.get("barriers", ""))}</td>'
                  f'<td class="num">{esc(d.get("strengths", ""))}</td>') if has_counts else ""
        out.append(f"<tr><td>{esc(label)}{why}</td><td class=\"num\">{pts}</td>{counts}</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _top_findings(r: DocumentResult, anchors: dict) -> str:
    """The few most serious barriers of a tender, each linking to its full entry below."""
    top = sorted(r.barriers(), key=_sev_rank)[:TOP_FINDINGS]
    if not top:
        return '<p class="ok-note">No barriers found.</p>'
    items = []
    for f in top:
        words = f"“{esc(f.evidence.text)}”" if f.evidence.text else esc(f.detail)
        items.append(f'<li>{badge(f)}<a href="#{anchors[id(f)]}">{esc(finding_title(f))}</a>'
                     f' <span class="muted">({esc(f.evidence.location() + ("" if f.evidence.whole_document else location_note(r)))})</span>'
                     + (f"<br><span class=\"words\">{words}</span>" if words else "") + "</li>")
    more = len(r.barriers()) - len(top)
    return ('<div class="top"><h4>Most serious ' + ("barrier" if len(top) == 1 else "barriers")
            + (f' <span class="muted">({len(top)} of {len(r.barriers())})</span>' if more else "")
            + f'</h4><ol>{"".join(items)}</ol></div>')


def _summary_line(r: DocumentResult) -> str:
    """What a closed tender shows: its name, score, band and counts."""
    if r.error:
        return (f'<summary><span class="path">{_path_html(r.path)}</span>{_band_badge(r)}'
                "</summary>")
    b = r.barriers()
    high = sum(1 for f in b if f.severity == "high")
    counts = plural(len(b), "barrier") + (f" ({high} high)" if high else "") + \
        f", {plural(len(r.strengths()), 'strength')}"
    return (f'<summary><span class="path">{_path_html(r.path)}</span>'
            f'<span class="score">{esc(f"{r.score:g}")}<span class="muted">/100</span></span>'
            f'{_band_badge(r)}<span class="counts">{esc(counts)}</span></summary>')


def tender_html(r: DocumentResult, anchor: str, rank: int | None, open_: bool = False) -> str:
    """One tender: a ``<details>`` whose summary gives score, band and counts; inside, its most
    serious findings, the score breakdown, then every barrier (most serious first) and
    strength. ``anchor`` is on the first thing inside, so following a link to it opens it."""
    head = f'<details class="tender"{" open" if open_ else ""}>{_summary_line(r)}' \
           f'<div class="body" id="{anchor}">'
    if r.error:
        return (head + f"<p>This file could not be read: {esc(r.error.get('message'))} "
                f"<span class=\"code\">({esc(r.error.get('code'))})</span></p>"
                f"<p>{esc(ERROR_ADVICE.get(r.error.get('code'), ''))}</p></div></details>")
    note = location_note(r)
    barriers = sorted(r.barriers(), key=_sev_rank)  # stable: reading order within a severity
    strengths = r.strengths()
    anchors = {id(f): f"{anchor}-f{i + 1}" for i, f in enumerate(barriers + strengths)}
    out = [head, f"<p>{esc(BAND_TEXT.get(r.band, ''))}."
           + (f" Ranked {rank} of the tenders in this report (least open first)." if rank else "")
           + "</p>", _top_findings(r, anchors), _facts_line(r.facts)]
    for w in r.warnings:
        out.append(f'<p class="muted">Note: {esc(w)}</p>')
    out.append(breakdown_html(r.breakdown))
    out.append(f"<h4>Barriers ({len(barriers)})</h4>")
    out.append("".join(finding_html(f, note=note, anchor=anchors[id(f)]) for f in barriers) or
               '<p class="ok-note">No barriers found.</p>')
    out.append(f"<h4>What this tender does well ({len(strengths)})</h4>")
    out.append("".join(finding_html(f, note=note, anchor=anchors[id(f)]) for f in strengths) or
               '<p class="muted">No openness signals found.</p>')
    if r.accepted:
        out.append(f'<p class="muted">{esc(plural(r.accepted, "finding"))} hidden because they were accepted '
                   "in a baseline.</p>")
    out.append('<p class="backtop"><a href="#ranking">Back to the ranking</a></p></div></details>')
    return "".join(out)


# ----------------------------------------------------------------------------- charts (SVG)
def score_histogram(results: list[DocumentResult]) -> str:
    """An inline SVG histogram of the openness scores."""
    scores = [float(r.score) for r in results if r.ok and r.score is not None]
    bins = [0] * 10
    for s in scores:
        bins[min(9, int(s // 10))] += 1
    w, h, left, bottom, top = 560, 240, 40, 40, 14
    plot_w, plot_h = w - left - 10, h - bottom - top
    peak = max(bins) or 1
    bw = plot_w / 10
    parts = [f'<svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="hist-t" xmlns="http://www.w3.org/2000/svg">'
             f'<title id="hist-t">Number of tenders by openness score, in bands of 10 points</title>']
    for k in range(peak + 1) if peak <= 10 else range(0, peak + 1, max(1, peak // 5)):
        y = top + plot_h - plot_h * k / peak
        parts.append(f'<line x1="{left}" x2="{w - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eaeef2"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{k}</text>')
    for i, n in enumerate(bins):
        lo = i * 10
        band = next(name for cut, name in BANDS if lo >= cut)
        bh = plot_h * n / peak
        x = left + i * bw
        parts.append(f'<rect x="{x + 3:.1f}" y="{top + plot_h - bh:.1f}" width="{bw - 6:.1f}" '
                     f'height="{bh:.1f}" fill="{BAND_COLOUR[band]}"><title>{lo}–{lo + 10 if i < 9 else 100}: '
                     f'{plural(n, "tender")}</title></rect>')
        if n:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{top + plot_h - bh - 3:.1f}" text-anchor="middle" '
                         f'font-weight="600">{n}</text>')
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{top + plot_h + 15:.1f}" text-anchor="middle">{lo}</text>')
    parts.append(f'<line x1="{left}" x2="{w - 10}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#57606a"/>'
                 f'<text x="{left + plot_w / 2:.1f}" y="{h - 6}" text-anchor="middle">openness score '
                 f'(red: closed, amber: some barriers, green: open)</text></svg>')
    return "".join(parts)


def barrier_bars(rows: list[dict], limit: int = 10) -> str:
    """An inline SVG bar chart of the commonest barriers."""
    rows = [r for r in rows if r["polarity"] == "barrier"][:limit]
    if not rows:
        return '<p class="ok-note">No barriers found in any tender.</p>'
    w, row_h, label_w = 560, 26, 300
    h = row_h * len(rows) + 30
    peak = max(r["tenders"] for r in rows) or 1
    bar_w = w - label_w - 40
    parts = [f'<svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="bars-t" xmlns="http://www.w3.org/2000/svg">'
             f'<title id="bars-t">Commonest barriers: number of tenders with each</title>']
    for i, r in enumerate(rows):
        y = 6 + i * row_h
        label = f"{r['code']} {r['title']}"  # the title the tables use, shortened to fit
        if len(label) > 46:
            label = label[:45] + "…"
        bw = bar_w * r["tenders"] / peak
        parts.append(f'<g class="bar" data-code="{esc(r["code"])}"><title>{esc(r["code"])} '
                     f'{esc(r["title"])}: {plural(r["tenders"], "tender")}, '
                     f'{plural(r["findings"], "finding")}</title>'
                     f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{esc(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{bw:.1f}" height="{row_h - 8}" fill="#b3261e"/>'
                     f'<text x="{label_w + bw + 6:.1f}" y="{y + 16}">{r["tenders"]}</text></g>')
    parts.append(f'<text x="{label_w + bar_w / 2:.1f}" y="{h - 6}" text-anchor="middle">'
                 f'number of tenders</text></svg>')
    return "".join(parts)


def rule_rows(results: list[DocumentResult]) -> list[dict]:
    """Counts per rule code across the batch, commonest first."""
    findings: Counter = Counter()
    tenders: Counter = Counter()
    info: dict[tuple[str, str], Finding] = {}
    for r in results:
        seen = set()
        for f in r.findings:
            key = (f.code, f.polarity)
            findings[key] += 1
            info.setdefault(key, f)
            if key not in seen:
                tenders[key] += 1
                seen.add(key)
    rows = []
    for key, n in findings.items():
        f = info[key]
        rows.append({"code": f.code, "polarity": f.polarity, "category": f.category,
                     "title": finding_title(f), "severity": f.severity,
                     "findings": n, "tenders": tenders[key]})
    rows.sort(key=lambda d: (d["polarity"] != "barrier", -d["tenders"], -d["findings"], d["code"]))
    return rows


# ----------------------------------------------------------------------------- page
HOWTO = """<section class="howto" aria-labelledby="howto-h"><h2 id="howto-h">How to read this report</h2><ul>
<li>Each tender gets an <strong>openness score</strong> from 0 to 100: how easy it would be for a
small arts, cultural or voluntary organisation to bid. <strong>70 or more is open</strong>,
<strong>40 to 69 has some barriers</strong>, <strong>below 40 is closed</strong>.</li>
<li>A <strong>barrier</strong> is a clause that would stop or put off a small provider, such as a
turnover threshold far above the contract value. A <strong>strength</strong> is a clause that
helps them, such as welcoming joint bids.</li>
<li>For each finding you see the exact words, <mark>highlighted</mark> in their sentence, where they
are (page or paragraph), why they matter, what you could write instead, and the law or guidance
behind it.</li>
<li>Findings come from fixed rules or from a trained classifier (which says how sure it is).
Both can be wrong: always read the quoted words before changing a document.</li>
</ul></section>"""


def filters_html(results: list[DocumentResult]) -> str:
    """Checkboxes that show or hide findings by severity and by category. The stylesheet does
    the hiding (``body:has(#f-high:not(:checked)) .finding.sev-high``), so the page needs no
    script; only the kinds present in this report are offered."""
    found = [f for r in results if r.ok for f in r.findings]
    if not found:
        return ""
    sevs = [s for s in reversed(SEVERITIES) if any(f.is_barrier and f.severity == s for f in found)]
    cats = [c for c in CATEGORIES if any(f.category == c for f in found)]

    def box(ident, label, n):
        return (f'<label><input type="checkbox" id="{ident}" checked> {esc(label)} '
                f'<span class="muted">({n})</span></label>')

    sev_boxes = [box(f"f-{s}", SEVERITY_WORDS.get(s, s), sum(f.is_barrier and f.severity == s
                                                             for f in found)) for s in sevs]
    n_str = sum(not f.is_barrier for f in found)
    if n_str:
        sev_boxes.append(box("f-strength", "Strengths", n_str))
    cat_boxes = [box(f"f-cat-{c}", CATEGORY_WORDS.get(c, c), sum(f.category == c for f in found))
                 for c in cats]
    return ('<div class="filters" role="group" aria-label="Show findings">'
            '<fieldset><legend>Show findings</legend>' + "".join(sev_boxes) + "</fieldset>"
            '<fieldset><legend>Areas</legend>' + "".join(cat_boxes) + "</fieldset></div>")


def render(results: list[DocumentResult], meta: dict | None = None) -> str:
    """The whole HTML report for a run."""
    meta = meta or {}
    results = list(results)
    ok = [r for r in results if r.ok]
    failed = [r for r in results if r.error]
    anchors = {id(r): f"t{i + 1}" for i, r in enumerate(results)}
    ranked = sorted(ok, key=lambda r: (r.score if r.score is not None else 0.0, r.path))
    rank_of = {id(r): i + 1 for i, r in enumerate(ranked)}
    bands = Counter(r.band for r in ok)
    rows = rule_rows(results)
    n_barriers = sum(len(r.barriers()) for r in ok)
    n_strengths = sum(len(r.strengths()) for r in ok)
    how = "fixed rules and the trained classifier" if meta.get("model") else "fixed rules only"

    conf = configuration_line(meta)
    out = ['<header><h1>How open are these tenders to small arts and cultural providers?</h1>'
           f'<p class="meta">{plural(len(results), "file")} checked'
           + (f" on {esc(str(meta['generated'])[:10])}" if meta.get("generated") else "")
           + f" using {esc(how)} · barrier-scan {esc(meta.get('version', ''))}</p>"
           + (f'<p class="meta">{esc(conf)}</p>' if conf else "") + "</header>",
           HOWTO,
           '<nav class="toc" aria-label="Contents"><a href="#summary">Summary</a>'
           '<a href="#ranking">Ranking</a><a href="#rules">Commonest findings</a>'
           '<a href="#failures">Files not read</a><a href="#tenders">Tender by tender</a></nav>']

    # Summary
    out.append('<section id="summary"><h2>Summary</h2><div class="cards">')
    out.append(f'<div class="card"><span class="n">{len(ok)}</span>{"tender" if len(ok) == 1 else "tenders"} scanned</div>')
    for name in ("open", "some barriers", "closed"):
        out.append(f'<div class="card {BAND_CLASS[name]}"><span class="n">{bands.get(name, 0)}</span>'
                   f"{esc(name)}</div>")
    out.append(f'<div class="card"><span class="n">{n_barriers}</span>{"barrier" if n_barriers == 1 else "barriers"} found</div>'
               f'<div class="card"><span class="n">{n_strengths}</span>{"strength" if n_strengths == 1 else "strengths"} found</div>')
    if failed:
        out.append(f'<div class="card"><span class="n">{len(failed)}</span>'
                   f'<a href="#failures">{"file" if len(failed) == 1 else "files"} could not be read</a></div>')
    out.append("</div>")
    if ok:
        out.append('<div class="charts"><div class="chart"><h3>Spread of openness scores</h3>'
                   f"{score_histogram(results)}</div><div class=\"chart\"><h3>Commonest barriers</h3>"
                   f"{barrier_bars(rows)}</div></div>")
    out.append("</section>")

    # Ranking: a table on a wide screen, one card per tender on a phone (data-label names each
    # cell when the header row is hidden).
    out.append('<section id="ranking"><h2>Tenders ranked, least open first</h2>')
    if ranked:
        out.append('<table class="ranking"><thead><tr><th class="num">Rank</th><th>Tender</th>'
                   '<th>Score</th><th>Band</th><th class="num">Barriers</th>'
                   '<th class="num">Strengths</th><th>Most serious barrier</th></tr></thead><tbody>')
        for r in ranked:
            top = sorted(r.barriers(), key=_sev_rank)
            worst = esc(finding_title(top[0])) if top else '<span class="muted">none</span>'
            out.append(f'<tr><td class="num rank" data-label="Rank">{rank_of[id(r)]}</td>'
                       f'<td class="path" data-label="Tender"><a href="#{anchors[id(r)]}">{_path_html(r.path)}</a></td>'
                       f'<td data-label="Score">{_score_cell(r)}</td><td data-label="Band">{_band_badge(r)}</td>'
                       f'<td class="num" data-label="Barriers">{len(r.barriers())}</td>'
                       f'<td class="num" data-label="Strengths">{len(r.strengths())}</td>'
                       f'<td data-label="Most serious">{worst}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append("<p>No tender could be scanned.</p>")
    out.append("</section>")

    # Counts per rule
    out.append('<section id="rules"><h2>Barriers and strengths across all tenders</h2>')
    if rows:
        out.append('<div class="scroll"><table class="rules"><thead><tr><th>Finding</th><th>Kind</th><th>Area</th>'
                   '<th class="num">Tenders</th><th class="num">Times found</th></tr></thead><tbody>')
        for d in rows:
            kind = "Strength" if d["polarity"] == "strength" else "Barrier"
            out.append(f'<tr data-code="{esc(d["code"])}"><td>{esc(d["title"])} <span class="code">{esc(d["code"])}</span></td>'
                       f"<td>{kind}</td><td>{esc(CATEGORY_WORDS.get(d['category'], d['category']))}</td>"
                       f'<td class="num">{d["tenders"]}</td><td class="num">{d["findings"]}</td></tr>')
        out.append("</tbody></table></div>")
    else:
        out.append("<p>Nothing was found in any tender.</p>")
    out.append("</section>")

    # Failures
    out.append('<section id="failures"><h2>Files that could not be read</h2>')
    if failed:
        out.append('<div class="scroll"><table><thead><tr><th>File</th><th>Problem</th><th>What to do</th></tr></thead><tbody>')
        for r in failed:
            code = r.error.get("code")
            out.append(f'<tr><td class="path">{esc(r.path)}</td><td>{esc(r.error.get("message"))} '
                       f'<span class="code">({esc(code)})</span></td>'
                       f"<td>{esc(ERROR_ADVICE.get(code, ''))}</td></tr>")
        out.append("</tbody></table></div>")
    else:
        out.append('<p class="ok-note">Every file was read.</p>')
    out.append("</section>")

    # Per tender, least open first, then failures; each collapsed unless it is the only one.
    out.append('<section id="tenders"><h2>Tender by tender</h2>')
    if ok:
        out.append('<p class="muted">Open a tender to see its findings; the boxes below choose '
                   "which kinds are shown.</p>" + filters_html(results))
    only = len(results) == 1
    for r in ranked:
        out.append(tender_html(r, anchors[id(r)], rank_of[id(r)], open_=only))
    for r in failed:
        out.append(tender_html(r, anchors[id(r)], None, open_=only))
    out.append("</section>")
    out.append("<footer>Made by barrier-scan. The score method is described in docs/scoring.md. "
               "This report is a prompt for review by a person, not legal advice.</footer>")
    return page("Tender openness report – barrier-scan", "".join(out))


class Writer(WholeWriter):
    """Collects the run's results; the page is rendered on ``close``."""
