"""`veil top`: a live terminal dashboard of every proxy process on one vault database.

Per backend and tool: calls, success rate, average and p95 latency, the backend's memory during calls
(average and maximum of each call's peak process-tree RSS), its CPU time, values tokenized, calls refused,
and quota used / quota. Read from the shared vault database (`vault.audit.dashboard`, `vault.quotas`),
so it shows every `veil run` process and fleet instance, not only one. `--once` prints one table;
`--json` one JSON document (for scripts; implies `--once`). The window slides: `--since 1h` is always
the last hour.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from typing import Any

import click

from proxy.cli.audit_cmds import vault_engine
from proxy.cli.common import TIME, TIME_HELP, vault_options
from proxy.cli.quota_cmds import quota_dict
from vault.audit.dashboard import ToolUsage, usage
from vault.clock import SYSTEM_CLOCK
from vault.quotas import QuotaUse, current_quotas


@click.command("top")
@vault_options
@click.option("--since", type=TIME, default="1h", show_default=True, help=f"Window start: {TIME_HELP}.")
@click.option("--once", is_flag=True, help="Print the table once and exit.")
@click.option("--json", "as_json", is_flag=True, help="One JSON document (implies --once).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.2),
    default=2.0,
    show_default=True,
    help="Seconds between refreshes.",
)
def top(vault: str | None, since: datetime, once: bool, as_json: bool, interval: float) -> None:
    """Live dashboard per backend and tool, read from the shared vault database (every process)."""
    span = SYSTEM_CLOCK.now() - since
    with vault_engine(vault) as engine:
        if as_json or once:
            rows, quotas, start = _read(engine, span)
            if as_json:
                click.echo(json.dumps(_document(rows, quotas, start), indent=2))
            else:
                _console().print(_table(rows, quotas, start))
            return
        from rich.live import Live

        with Live(_table(*_read(engine, span)), console=_console(), auto_refresh=False) as live:
            try:
                while True:
                    time.sleep(interval)
                    live.update(_table(*_read(engine, span)), refresh=True)
            except KeyboardInterrupt:
                return


def _read(engine: Any, span: Any) -> tuple[list[ToolUsage], list[QuotaUse], datetime]:
    now = SYSTEM_CLOCK.now()
    quotas = current_quotas(engine, now)
    return usage(engine, now - span, quotas), quotas, now - span


def _document(rows: list[ToolUsage], quotas: list[QuotaUse], start: datetime) -> dict[str, Any]:
    return {
        "since": start.isoformat(),
        "generated_at": SYSTEM_CLOCK.now().isoformat(),
        "tools": [r.as_dict() for r in rows],
        "quotas": [quota_dict(q) for q in quotas],
    }


def _table(rows: list[ToolUsage], quotas: list[QuotaUse], start: datetime) -> Any:
    from rich.console import Group
    from rich.table import Table

    title = f"veil top — since {start.strftime('%Y-%m-%d %H:%M:%SZ')}, every process on this vault"
    table = Table(title=title, box=None, header_style="bold", pad_edge=False, title_justify="left")
    table.add_column("backend")
    table.add_column("tool")
    for name in ("calls", "ok %", "avg ms", "p95 ms", "mem avg", "mem max", "cpu s", "tokenized", "refused"):
        table.add_column(name, justify="right")
    table.add_column("quota")
    for r in rows:
        rate = r.success_rate
        quota = f"{r.quota_used}/{r.quota_limit}" if r.quota_limit is not None else ""
        table.add_row(
            r.backend, r.tool, str(r.calls), "" if rate is None else f"{100 * rate:.1f}", _num(r.avg_ms),
            _num(r.p95_ms), _mib(r.mem_avg_bytes), _mib(r.mem_max_bytes),
            "" if r.cpu_ms is None else f"{r.cpu_ms / 1000:.2f}", str(r.values_tokenized), str(r.refused),
            quota,
        )  # fmt: skip
    if not rows:
        table.add_row("(no calls in this window)", *[""] * 11)
    parts: list[Any] = [table]
    if quotas:
        q = Table(title="quotas (current windows)", box=None, header_style="bold", title_justify="left")
        for name in ("backend", "quota", "used / limit", "%", "resets at (UTC)"):
            q.add_column(name)
        for u in quotas:
            q.add_row(
                u.backend, u.quota, f"{u.used} / {u.limit} {u.unit} per {u.per}", f"{100 * u.fraction:.0f}",
                u.resets_at.strftime("%Y-%m-%d %H:%M"),
            )  # fmt: skip
        parts.append(q)
    return Group(*parts)


def _num(ms: float | None) -> str:
    return "" if ms is None else f"{ms:.1f}"


def _mib(size: int | None) -> str:
    return "" if size is None else f"{size / 2**20:.1f} MiB"


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False, highlight=False, width=None if sys.stdout.isatty() else 200)
