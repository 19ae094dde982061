"""report.html: one self-contained page (inline CSS, charts as data URIs), readable offline.

A Content-Security-Policy that allows nothing but inline styles and data: images makes the
"no external request" promise enforced by the browser, not just by our care.

Accessible to WCAG 2.2 AA (the public sector accessibility regulations): landmarks and one
heading outline, tables with header cells and captions, and every chart with a text
alternative that says what it shows (its leading figures, not just its title) and a link to
the table with its data. tests/integration/test_report_standards.py runs axe-core on it in Chromium.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import Any

from orchestration.publish.exports.charts import Chart
from orchestration.publish.exports.findings import Finding
from orchestration.publish.exports.provenance import SOURCE_EXPORT_COLUMNS, Provenance
from orchestration.publish.exports.report_tables import HEADING_STYLES, ReportTable

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1b1b1b; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem;
     border-bottom: 2px solid #0072B2; padding-bottom: .2rem; }
nav ul { columns: 3; } .meta { color: #555; font-size: .9rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .4rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #dde5f0; text-align: left; } td.n { text-align: right;
     font-variant-numeric: tabular-nums; }
tr.total td, td.bold { font-weight: 700; } tr.heading td { background: #f2f2f2;
     font-weight: 700; } tr.subheading td { font-weight: 700; font-style: italic; }
.findings li { margin-bottom: .5rem; } .figure { color: #444; font-size: .9rem; }
.note { color: #555; font-size: .85rem; font-style: italic; margin: 0 0 .3rem; }
figure { margin: 1rem 0 2rem; } figure img { max-width: 100%; height: auto; }
.status { display: inline-block; padding: .3rem .7rem; margin-right: .5rem; border-radius: .3rem;
          font-weight: 600; }
.match { background: #d7f0e3; } .known { background: #fdf0d2; } .mismatch { background: #f8d7da; }
.ok { color: #0a6b3b; } .bad { color: #a1101d; }
@media print { nav { display: none; } h2 { break-before: page; } }
"""
STATUS_CLASS = {"match": "match", "known discrepancy": "known", "mismatch": "mismatch"}


def format_value(value: Any, fmt: str) -> str:
    if value is None:
        return ""
    if fmt == "pct":
        return f"{value:.1%}"
    if fmt == "int":
        return f"{value:,}"
    if fmt == "num":
        return f"{float(value):g}"
    return str(value)


def anchor(key: str) -> str:
    return key.lower().replace(" ", "-")


def render_table(table: ReportTable) -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    body = []
    for index, row in enumerate(table.rows):
        style = table.style(index)
        if style in HEADING_STYLES:
            body.append(
                f'<tr class="{style}"><td colspan="{len(table.columns)}">'
                f"{escape(str(row[0]))}</td></tr>"
            )
            continue
        cells = []
        for col, (value, fmt) in enumerate(zip(row, table.formats, strict=True)):
            classes = [
                c
                for c in ("n" if fmt != "text" else "", "bold" if col in table.bold_columns else "")
                if c
            ]
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{escape(format_value(value, fmt))}</td>")
        row_attr = ' class="total"' if style == "total" else ""
        body.append(f"<tr{row_attr}>{''.join(cells)}</tr>")
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in table.notes) + "".join(
        f'<p class="note">{escape(table.columns[c])}: {escape(n)}</p>'
        for c, n in table.column_notes
    )
    title_id = f"{anchor(table.key)}-title"
    return (
        f'<section id="{anchor(table.key)}"><h2 id="{title_id}">{escape(table.title)}</h2>'
        f'<table data-key="{escape(table.key)}" aria-labelledby="{title_id}">'
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{notes}"
        f'<p class="note">Source: {escape(table.source)}</p></section>'
    )


def render_chart(chart_dir: Path, chart: Chart) -> str:
    """The chart, its text alternative (what it shows, with the figures), a link to its data."""
    svg = (chart_dir / f"{chart.name}.svg").read_bytes()
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<figure id="chart-{escape(chart.name)}"><img alt="{escape(chart.description)}" '
        f'src="data:image/svg+xml;base64,{data}"><figcaption class="note">'
        f'{escape(chart.title)}. The data: <a href="#{anchor(chart.table)}">'
        f"{escape(chart.table)}</a> (chart also as charts/{escape(chart.name)}.png and .svg)"
        "</figcaption></figure>"
    )


def render_findings(findings: list[Finding]) -> str:
    """Key findings: each sentence, the figure it rests on, and the table to check it in."""
    items = "".join(
        f'<li data-finding="{escape(f.key)}">{escape(f.text)} '
        f'<span class="figure">(Figure: {escape(f.figure)}; '
        f'<a href="#{anchor(f.table)}">{escape(f.table)}</a>, from {escape(f.source)}.)</span>'
        "</li>"
        for f in findings
    )
    return (
        '<section id="key-findings" aria-labelledby="key-findings-title">'
        '<h2 id="key-findings-title">Key findings</h2>'
        "<p>Computed from the published warehouse by wording templates, so they follow the "
        "data; each gives the figure it rests on and the table to check it in.</p>"
        f'<ul class="findings">{items}</ul></section>'
    )


def render_reconciliation(counts: dict[str, int]) -> str:
    badges = "".join(
        f'<span class="status {STATUS_CLASS.get(status, "mismatch")}" '
        f'data-status="{escape(status)}">{escape(status)}: <b>{n}</b></span>'
        for status, n in counts.items()
    )
    verdict = (
        '<p class="ok">Every figure matches the report or is a documented known discrepancy.</p>'
        if counts.get("mismatch", 0) == 0
        else f'<p class="bad">{counts["mismatch"]} figure(s) do not match the report.</p>'
    )
    return (
        '<section id="reconciliation-status"><h2>Reconciliation status</h2>'
        f'<p>{badges}</p>{verdict}<p><a href="#reconciliation">The figures that do not match'
        "</a> are listed after the report tables.</p></section>"
    )


def render_provenance(provenance: Provenance) -> str:
    items = "".join(
        f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>'
        for k, v in provenance.summary()
    )
    if provenance.source_exports is None:
        sources = "<p>marts.source_exports is not in the published file.</p>"
    else:
        head = "".join(f"<th>{escape(c)}</th>" for c in SOURCE_EXPORT_COLUMNS)
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in r) + "</tr>"
            for r in provenance.source_exports
        )
        sources = (
            f"<table><caption>Source exports</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    return (
        f'<section id="provenance"><h2>Provenance</h2><table><tbody>{items}</tbody></table>'
        f"{sources}</section>"
    )


def write_html(
    path: Path,
    *,
    tables: list[ReportTable],
    charts: list[Chart],
    chart_dir: Path,
    reconciliation_counts: dict[str, int],
    provenance: Provenance,
    findings: list[Finding],
    contact: str,
) -> None:
    by_key = {t.key: t for t in tables}
    contact_line = f'<p class="meta">Contact: {escape(contact)}</p>' if contact else ""
    report_tables = [t for t in tables if t.key != "Reconciliation"]
    nav = "".join(
        f'<li><a href="#{anchor(t.key)}">{escape(t.title)}</a></li>' for t in report_tables
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Policing and health collaboration: report tables</title>
<style>{CSS}</style></head><body>
<header><h1>Policing and health collaboration in England and Wales: report tables</h1>
<p class="meta">Generated {escape(provenance.generated_at)} UTC from the published warehouse
(code version {escape(provenance.code_version)}). Figures reproduce the 2018 landscape review
from the survey extracts; see the reconciliation status below.</p>
{contact_line}</header>
<nav aria-label="Contents"><ul><li><a href="#key-findings">Key findings</a></li>{nav}
<li><a href="#reconciliation-status">Reconciliation status</a></li>
<li><a href="#charts">Charts</a></li><li><a href="#provenance">Provenance</a></li></ul></nav>
<main>
{render_findings(findings)}
{render_reconciliation(reconciliation_counts)}
<section id="charts"><h2>Charts</h2>
{"".join(render_chart(chart_dir, c) for c in charts)}</section>
{"".join(render_table(t) for t in report_tables)}
{render_table(by_key["Reconciliation"])}
{render_provenance(provenance)}
</main>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
