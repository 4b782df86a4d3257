"""`veil audit query` as a table that reads in a 100-column terminal.

In a terminal narrower than WIDE columns, one line per row where it fits: the time without its year, the
method with the tool under it, the token in a stable short form (its entity type and the first 8 characters
of its id: the same token always shows the same way, folded rather than cut when the type is long). Whole
tokens, the actor, backend and detail are in the wide layout (a pipe, or a wide terminal), and everything in
`--json` and `--csv`, which stay complete.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from vault.tokens import parse_token

SHORT_ID = 8
SESSION_WIDTH = 8
WIDE = 160
FOLDED_MIN = 6
GAPS = 6  # one space between seven columns


def short_token(token: str | None, entity_type: str | None) -> str:
    """`TYPE:abcdefgh` for a token, the entity type alone for a row about a type."""
    if token:
        parsed = parse_token(token)
        if parsed is not None:
            return f"{parsed.entity_type}:{parsed.token_id[:SHORT_ID]}"
        return token
    return entity_type or ""


def _time(value: Any) -> str:
    return value.strftime("%m-%d %H:%M:%S") if isinstance(value, datetime) else str(value)


def _method(row: dict[str, Any]) -> str:
    method, tool = row.get("method") or "", row.get("tool") or ""
    return f"{method} {tool}".strip()


def _session(row: dict[str, Any]) -> str:
    name = row.get("session_name")
    if name:
        return name if len(name) <= SESSION_WIDTH else name[: SESSION_WIDTH - 1] + "…"
    return (row.get("session_id") or "")[:8]


def _outcome(row: dict[str, Any]) -> str:
    outcome, reason = row.get("outcome") or "", row.get("reason") or ""
    return f"{outcome}: {reason}" if outcome and reason else outcome or reason


def _token(row: dict[str, Any]) -> str:
    short = short_token(row.get("token"), row.get("entity_type"))
    count = row.get("count")
    return f"{short} ×{count}" if count is not None and count != 1 else short


def print_table(rows: list[dict[str, Any]], console: Any) -> None:
    """Every field on a wide console (a pipe, or a terminal of WIDE columns or more); the narrow layout
    otherwise."""
    wide = console.width >= WIDE
    console.print(_wide(rows) if wide else _narrow(rows, console.width))
    more = "" if wide else " (whole tokens, actor, backend and detail: --json, --csv or a wider terminal)"
    click.echo(f"{len(rows)} row{'s' if len(rows) != 1 else ''}{more}", err=True)


def _table() -> Any:
    from rich.table import Table

    return Table(box=None, header_style="bold", pad_edge=False, collapse_padding=True, padding=(0, 1, 0, 0))


def _narrow(rows: list[dict[str, Any]], width: int) -> Any:
    # The token's short form keeps its line whole: it and the fixed-width columns get exactly their
    # content's width, and the event, the method and the outcome share what is left, folded to fit (an
    # entity type may be 48 characters long). Rich shrinks columns past their minimum when a table is too
    # wide, so every width here is set, not suggested.
    tokens = [_token(r) for r in rows]
    seq_width = max(3, *(len(str(r["seq"])) for r in rows)) if rows else 3
    token_width = max(len("token ×n"), *map(len, tokens)) if rows else len("token ×n")
    fixed = seq_width + len("00-00 00:00:00") + SESSION_WIDTH + token_width + GAPS
    share = max(3 * FOLDED_MIN, width - fixed)
    event_width = max(FOLDED_MIN, share * 45 // 100)
    method_width = max(FOLDED_MIN, share * 30 // 100)
    outcome_width = max(FOLDED_MIN, share - event_width - method_width)
    table = _table()
    table.add_column("seq", justify="right", no_wrap=True, width=seq_width)
    table.add_column("time (UTC)", no_wrap=True, width=len("00-00 00:00:00"))
    table.add_column("event", overflow="fold", width=event_width)
    table.add_column("method / tool", overflow="fold", width=method_width)
    table.add_column("session", no_wrap=True, width=SESSION_WIDTH)
    table.add_column("token ×n", no_wrap=True, width=token_width)
    table.add_column("outcome", overflow="fold", width=outcome_width)
    for r, token in zip(rows, tokens, strict=True):
        cells = (_time(r["time"]), r["event"], _method(r), _session(r), token, _outcome(r))
        table.add_row(str(r["seq"]), *cells)
    return table


def _wide(rows: list[dict[str, Any]]) -> Any:
    table = _table()
    table.add_column("seq", no_wrap=True, justify="right")
    for name in ("time (UTC)", "event", "actor", "session", "backend", "method", "tool", "token / type"):
        table.add_column(name, no_wrap=True)
    for name in ("n", "outcome", "reason", "detail"):
        table.add_column(name)
    for r in rows:
        table.add_row(
            str(r["seq"]),
            r["time"].strftime("%Y-%m-%d %H:%M:%S") if isinstance(r["time"], datetime) else str(r["time"]),
            r["event"],
            r["actor"] or "",
            r.get("session_name") or (r["session_id"] or "")[:8],
            r["backend"] or "",
            r.get("method") or "",
            r["tool"] or "",
            r["token"] or r["entity_type"] or "",
            "" if r["count"] is None else str(r["count"]),
            r["outcome"] or "",
            r["reason"] or "",
            _detail(r["detail"]),
        )
    return table


def _detail(detail: Any) -> str:
    if isinstance(detail, dict):
        return " ".join(f"{k}={v}" for k, v in sorted(detail.items()))
    return "" if detail is None else str(detail)
