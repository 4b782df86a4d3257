"""The report as one self-contained HTML file: inline CSS, inline SVG charts, no script. Its
Content-Security-Policy allows nothing to be fetched, so it opens the same offline, in a mail attachment
or from a ticket, and a browser would log any attempt as an error (the test checks there is none)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from html import escape

from proxy.report.sections import Table, chain_verdict, period, tables
from proxy.report.svg import horizontal_bars, stacked_columns
from vault.audit.report import ReportData

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 980px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 16px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; font-size: 13px; }
.chain { padding: 10px 14px; border-radius: 4px; margin: 14px 0; font-size: 14px; word-break: break-all; }
.chain.ok { background: #e7f5e9; border: 1px solid #4caf50; }
.chain.broken { background: #fdecea; border: 1px solid #d32f2f; font-weight: bold; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; }
th { background: #f3f3f3; }
figure { margin: 8px 0; }
.note, .empty { color: #666; font-size: 12px; }
"""
MAX_DAYS = 366  # columns of the over-time chart; a longer period shows its last year


def _days(data: ReportData) -> list[date]:
    seen = sorted(data.tokenized_by_day)
    first = data.since.date() if data.since else (seen[0] if seen else data.generated.date())
    last = (data.until or data.generated).date()
    if seen:
        first, last = min(first, seen[0]), max(last, seen[-1])
    count = min((last - first).days + 1, MAX_DAYS)
    return [last - timedelta(days=count - 1 - i) for i in range(count)]


def charts(data: ReportData) -> dict[str, str]:
    """Each chart's SVG by the heading of the section it illustrates."""
    types = [name for name, _ in data.tokenized_by_type.most_common()]
    empty: Counter[str] = Counter()
    columns = [(d.strftime("%m-%d"), data.tokenized_by_day.get(d, empty)) for d in _days(data)]
    return {
        "Values tokenized per entity type": stacked_columns("Values tokenized per day", columns, types),
        "Detokenizations per tool": horizontal_bars(
            "Detokenizations per tool", data.detokenized_by_tool.most_common(20)
        ),
        "Refusals and why": horizontal_bars(
            "Refusals by reason", [(f"{e}: {r}", n) for (e, r), n in data.refusals.most_common(20)]
        ),
        "Approvals": horizontal_bars(
            "Approvals", [(k, data.approvals[k]) for k in ("requested", "granted", "denied", "expired")]
        ),
    }


def _table(table: Table) -> str:
    if not table.rows:
        return "<p class='empty'>Nothing in this period.</p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    note = f"<p class='note'>{escape(table.note)}</p>" if table.note else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def _slug(heading: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in heading.lower()).strip("-")


def render_html(data: ReportData) -> str:
    ok, verdict = chain_verdict(data)
    drawn = charts(data)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">",
        "<title>mcp-veil compliance report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>mcp-veil compliance report</h1>",
        f"<p class='meta'>Period: {escape(period(data))}<br>Generated "
        f"{data.generated.strftime('%Y-%m-%d %H:%M UTC')} from {data.rows_read} audit rows.</p>",
        f"<div id='chain' class='chain {'ok' if ok else 'broken'}'>Audit hash chain "
        f"(<code>veil audit verify</code>): {escape(verdict)}</div>",
    ]
    for table in tables(data):
        parts.append(f"<section id='{_slug(table.heading)}'><h2>{escape(table.heading)}</h2>")
        if table.heading in drawn:
            parts.append(f"<figure id='chart-{_slug(table.heading)}'>{drawn[table.heading]}</figure>")
        parts.append(_table(table) + "</section>")
    parts.append(
        "<p class='note'>Value-free: built from the audit log's entity types, counts, tools and reasons "
        "only; no personal value is stored in the audit log.</p></body></html>"
    )
    return "\n".join(parts)
