"""`veil audit report`: the compliance report, rendered from `vault.audit.report.ReportData` as one
self-contained HTML file (inline SVG charts, no script, no network) and as Markdown for tickets."""

from proxy.report.html import render_html
from proxy.report.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
