"""The report as Markdown, for a ticket or a pull request: the same sections and figures as the HTML,
tables instead of charts."""

from __future__ import annotations

from proxy.report.sections import Table, chain_verdict, period, tables
from vault.audit.report import ReportData


def _cell(text: str) -> str:
    """A table cell: a `|` or a line break inside a label (a tool name, a reason) cannot end the cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def _table(table: Table) -> list[str]:
    lines = [f"## {table.heading}", ""]
    if not table.rows:
        return [*lines, "Nothing in this period.", ""]
    lines.append("| " + " | ".join(table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", table.note]
    return [*lines, ""]


def render_markdown(data: ReportData) -> str:
    ok, verdict = chain_verdict(data)
    lines = [
        "# mcp-veil compliance report",
        "",
        f"Period: {period(data)}  ",
        f"Generated: {data.generated.strftime('%Y-%m-%d %H:%M UTC')} from {data.rows_read} audit rows  ",
        f"Audit hash chain: **{verdict}**" + ("" if ok else " — this log has been altered"),
        "",
    ]
    for table in tables(data):
        lines += _table(table)
    lines.append("Value-free: built from the audit log's entity types, counts, tools and reasons only.")
    return "\n".join(lines) + "\n"
