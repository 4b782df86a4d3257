"""Charts as inline SVG, drawn here in Python: the report opens offline, with no script and no font or
library fetched from anywhere (its Content-Security-Policy forbids it). Every label is escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

# Distinguishable on screen and in grey print; series beyond the list reuse it.
PALETTE = ("#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00", "#b82e2e")
FONT = "font-family='sans-serif' font-size='11'"


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' role='img' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}'><title>{escape(title)}</title>"
        + "".join(body)
        + "</svg>"
    )


def empty(title: str, width: int = 640, height: int = 60) -> str:
    """A framed placeholder: a period with nothing to draw still shows where the chart would be."""
    body = [
        f"<rect x='0.5' y='0.5' width='{width - 1}' height='{height - 1}' fill='#f6f6f6' stroke='#ccc'/>",
        f"<text x='{width // 2}' y='{height // 2 + 4}' text-anchor='middle' {FONT} fill='#666'>"
        "nothing in this period</text>",
    ]
    return _svg(width, height, title, body)


def horizontal_bars(title: str, items: Sequence[tuple[str, int]], width: int = 640) -> str:
    """One bar per (label, count), longest first as given, with the count at its end."""
    if not items or max(v for _, v in items) <= 0:
        return empty(title, width)
    row, label_w, pad = 22, 270, 8
    top = max(v for _, v in items)
    span = width - label_w - 60
    height = row * len(items) + 2 * pad
    body = []
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        w = max(1, round(span * value / top)) if value > 0 else 0
        shown = label if len(label) <= 44 else label[:43] + "…"
        body += [
            f"<text x='{label_w - 6}' y='{y + 15}' text-anchor='end' {FONT}>{escape(shown)}</text>",
            f"<rect class='bar' x='{label_w}' y='{y + 3}' width='{w}' height='{row - 6}' fill='{color(i)}'/>",
            f"<text x='{label_w + w + 4}' y='{y + 15}' {FONT}>{value}</text>",
        ]
    return _svg(width, height, title, body)


def stacked_columns(
    title: str, columns: Sequence[tuple[str, Mapping[str, int]]], series: Sequence[str], width: int = 640
) -> str:
    """One column per (label, counts by series), stacked in `series` order, with a legend and a y-axis
    maximum; labels thinned out when the columns are many."""
    totals = [sum(counts.values()) for _, counts in columns]
    if not columns or max(totals) <= 0:
        return empty(title, width)
    left, top_pad, plot_h, legend_row = 44, 10, 180, 16
    legend_h = legend_row * ((len(series) + 2) // 3)
    height = top_pad + plot_h + 24 + legend_h + 6
    plot_w = width - left - 10
    slot = plot_w / len(columns)
    bar_w = max(2.0, slot * 0.7)
    peak = max(totals)
    every = max(1, round(len(columns) / 10))  # at most ~10 labels on the x axis
    base = top_pad + plot_h
    body = [
        f"<line x1='{left}' y1='{base}' x2='{width - 10}' y2='{base}' stroke='#888'/>",
        f"<line x1='{left}' y1='{top_pad}' x2='{left}' y2='{base}' stroke='#888'/>",
        f"<text x='{left - 4}' y='{top_pad + 9}' text-anchor='end' {FONT}>{peak}</text>",
        f"<text x='{left - 4}' y='{base}' text-anchor='end' {FONT}>0</text>",
    ]
    for i, (label, counts) in enumerate(columns):
        x = left + i * slot + (slot - bar_w) / 2
        y = float(base)
        for s, name in enumerate(series):
            n = counts.get(name, 0)
            if n <= 0:
                continue
            h = plot_h * n / peak
            y -= h
            body.append(
                f"<rect class='bar' x='{x:.1f}' y='{y:.1f}' width='{bar_w:.1f}' height='{h:.1f}' "
                f"fill='{color(s)}'><title>{escape(label)} {escape(name)}: {n}</title></rect>"
            )
        if i % every == 0:
            body.append(
                f"<text x='{x + bar_w / 2:.1f}' y='{base + 14}' text-anchor='middle' {FONT}>"
                f"{escape(label)}</text>"
            )
    for s, name in enumerate(series):
        lx = left + (s % 3) * (plot_w / 3)
        ly = base + 24 + (s // 3) * legend_row
        body += [
            f"<rect x='{lx:.1f}' y='{ly}' width='10' height='10' fill='{color(s)}'/>",
            f"<text x='{lx + 14:.1f}' y='{ly + 9}' {FONT}>{escape(name)}</text>",
        ]
    return _svg(width, height, title, body)
