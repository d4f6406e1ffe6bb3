"""The buyer league table of a findings dataset (``barrier-scan report DIR``).

One row per buyer (computed in DuckDB by :func:`barrier_scan.dataset.league_table`): tenders
scanned, median openness, how many were closed or open, the commonest barriers (by the number
of the buyer's tenders with each) and the median score by year. Least open buyers first.
Rendered as text for a terminal, Markdown (the README's example), CSV, JSON and a
self-contained HTML page.
"""
from __future__ import annotations

import csv
import io
import json

from ..taxonomy import BANDS, plural
from .htmlkit import esc, page


def _score(v) -> str:
    return "–" if v is None else f"{v:.0f}"


def trend_text(trend: list[dict], last: int = 6) -> str:
    """'2019 48 (3) · 2021 52 (5)': median score (and tenders) by year, the latest ``last``."""
    parts = [f"{t['year']} {_score(t['median_score'])} ({t['tenders']})" for t in trend[-last:]]
    return ("… · " if len(trend) > last else "") + " · ".join(parts)


def direction(row: dict) -> str:
    """'rising', 'falling' or 'flat' from the yearly trend (slope of score on year)."""
    slope = row.get("slope_per_year")
    if slope is None or len(row.get("trend") or []) < 2:
        return ""
    return "rising" if slope >= 2 else "falling" if slope <= -2 else "flat"


def barriers_text(barriers: list[dict]) -> str:
    """'PD201 (12), BP101 (5)': codes and how many tenders had each."""
    return ", ".join(f"{b['code']} ({b['tenders']})" for b in barriers)


def _band_of(score) -> str:
    if score is None:
        return ""
    return next(name for cut, name in BANDS if score >= cut)


def render_text(rows: list[dict], totals: dict | None = None) -> str:
    """A fixed-width table for a terminal."""
    out = []
    if totals:
        out.append(_headline(totals))
    w = max([len("buyer")] + [min(len(r["buyer"]), 44) for r in rows])
    out.append(f"{'buyer':<{w}}  {'tenders':>7}  {'median':>6}  {'closed':>6}  "
               f"commonest barriers (tenders)  |  median by year (tenders)")
    for r in rows:
        name = r["buyer"] if len(r["buyer"]) <= 44 else r["buyer"][:43] + "…"
        out.append(f"{name:<{w}}  {r['tenders']:>7}  {_score(r['median_score']):>6}  "
                   f"{r['closed']:>6}  {barriers_text(r['barriers']) or '-'}  |  "
                   f"{trend_text(r['trend']) or '-'}")
    return "\n".join(out) + "\n"


def _headline(t: dict) -> str:
    years = (f", {t['first_year']}–{t['last_year']}" if t.get("first_year") and
             t["first_year"] != t["last_year"] else
             f", {t['first_year']}" if t.get("first_year") else "")
    return (f"{plural(t['tenders'], 'tender')} from {plural(t['buyers'], 'buyer')}{years}; "
            f"{plural(t['failed'], 'input')} could not be read.")


def render_markdown(rows: list[dict], totals: dict | None = None) -> str:
    """A Markdown table (pipes in names escaped)."""
    def cell(s) -> str:
        return str(s).replace("|", "\\|").replace("\n", " ")

    out = ["| buyer | tenders | median openness | closed | commonest barriers (tenders) | "
           "median by year (tenders) |", "|---|---:|---:|---:|---|---|"]
    for r in rows:
        out.append(f"| {cell(r['buyer'])} | {r['tenders']} | {_score(r['median_score'])} | "
                   f"{r['closed']} | {cell(barriers_text(r['barriers']) or '–')} | "
                   f"{cell(trend_text(r['trend']) or '–')} |")
    if totals:
        out.append("")
        out.append(_headline(totals))
    return "\n".join(out) + "\n"


def render_csv(rows: list[dict], totals: dict | None = None) -> str:
    """One CSV row per buyer; barriers and trend as readable text and as JSON."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["buyer", "tenders", "median_score", "mean_score", "closed", "open",
                "slope_per_year", "commonest_barriers", "trend", "barriers_json", "trend_json"])
    for r in rows:
        w.writerow([_safe(r["buyer"]), r["tenders"], _num(r["median_score"]),
                    _num(r["mean_score"]), r["closed"], r["open"], _num(r["slope_per_year"]),
                    barriers_text(r["barriers"]), trend_text(r["trend"], last=100),
                    json.dumps(r["barriers"], ensure_ascii=False),
                    json.dumps(r["trend"], ensure_ascii=False)])
    return buf.getvalue()


def _safe(s: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
    return "'" + s if s[:1] in ("=", "+", "-", "@") else s


def _num(v):
    return "" if v is None else round(float(v), 2)


def render_json(rows: list[dict], totals: dict | None = None) -> str:
    """The rows (and totals) as JSON."""
    return json.dumps({"totals": totals or {}, "buyers": rows}, indent=2, ensure_ascii=False,
                      default=str) + "\n"


def render_html(rows: list[dict], totals: dict | None = None, meta: dict | None = None,
                names: dict | None = None) -> str:
    """A self-contained page: the league table, least open buyers first.

    ``names``: rule code -> plain name, shown when hovering a barrier code.
    """
    names = names or {}
    meta = meta or {}
    out = ['<header><h1>Which buyers keep small arts and cultural providers out?</h1>',
           f'<p class="meta">{esc(_headline(totals))}' if totals else '<p class="meta">',
           f" · barrier-scan {esc(meta.get('version', ''))}</p></header>",
           '<section class="howto"><h2>How to read this table</h2><ul>'
           "<li>One row per buyer, least open first: the <strong>median openness</strong> of its "
           "tenders (0–100; 70 or more is open, below 40 closed).</li>"
           "<li><strong>Commonest barriers</strong>: the rules that fired in most of its tenders, "
           "with how many tenders.</li><li><strong>By year</strong>: the median score of the "
           "tenders published that year (how many in brackets), oldest first.</li>"
           "<li>A buyer's newest release of each tender counts once.</li></ul></section>",
           '<section id="league"><h2>Buyer league table</h2>']
    if not rows:
        out.append("<p>No tender with a named buyer was scanned.</p></section>")
        return page("Buyer league table – barrier-scan", "".join(out))
    out.append('<table class="ranking"><thead><tr><th class="num">Rank</th><th>Buyer</th>'
               '<th class="num">Tenders</th><th class="num">Median openness</th>'
               '<th class="num">Closed</th><th>Commonest barriers</th><th>By year</th>'
               '</tr></thead><tbody>')
    for i, r in enumerate(rows, 1):
        band = _band_of(r["median_score"])
        cls = {"open": "open", "some barriers": "some", "closed": "closed"}.get(band, "")
        barriers = ", ".join(
            f'<span class="code" title="{esc(names.get(b["code"]) or (b.get("name") or "").replace("-", " "))}">'
            f'{esc(b["code"])}</span> ({esc(b["tenders"])})' for b in r["barriers"]) or \
            '<span class="muted">none</span>'
        trend = esc(trend_text(r["trend"])) or '<span class="muted">–</span>'
        d = direction(r)
        if d:
            trend += f' <span class="muted">({esc(d)})</span>'
        out.append(f'<tr><td class="num">{i}</td><td>{esc(r["buyer"])}</td>'
                   f'<td class="num">{esc(r["tenders"])}</td>'
                   f'<td class="num"><span class="band {cls}">{esc(_score(r["median_score"]))}</span></td>'
                   f'<td class="num">{esc(r["closed"])}</td><td>{barriers}</td><td>{trend}</td></tr>')
    out.append("</tbody></table></section>")
    out.append("<footer>Made by barrier-scan from a findings dataset. The score method is "
               "described in docs/scoring.md. A prompt for review by a person, not a verdict.</footer>")
    return page("Buyer league table – barrier-scan", "".join(out))


RENDERERS = {"text": render_text, "markdown": render_markdown, "csv": render_csv,
             "json": render_json}
