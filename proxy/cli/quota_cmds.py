"""`veil quota status`: the API quotas' use against their limits in the current windows, as counted in
the shared vault database (every `veil run` process and fleet instance counts there)."""

from __future__ import annotations

import json
import sys

import click

from proxy.cli.audit_cmds import vault_engine
from proxy.cli.common import vault_options
from vault.clock import SYSTEM_CLOCK
from vault.quotas import QuotaUse, current_quotas


@click.group("quota")
def quota_group() -> None:
    """API quotas (policy `quota: {per: day|hour, calls|rows: N}`): use against quota."""


@quota_group.command("status")
@vault_options
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one quota per line.")
def status_cmd(vault: str | None, as_json: bool) -> None:
    """Each quota counted in a window that has not reset: used, limit, percent, reset time."""
    with vault_engine(vault) as engine:
        uses = current_quotas(engine, SYSTEM_CLOCK.now())
    if as_json:
        for use in uses:
            click.echo(json.dumps(quota_dict(use)))
        return
    if not uses:
        click.echo("no quota has been counted in its current window")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("backend", "quota", "per", "unit"):
        table.add_column(name)
    for name in ("used", "limit", "%"):
        table.add_column(name, justify="right")
    table.add_column("resets at (UTC)")
    for u in uses:
        table.add_row(
            u.backend, u.quota, u.per, u.unit, str(u.used), str(u.limit), f"{100 * u.fraction:.0f}",
            stamp(u),
        )  # fmt: skip
    Console(soft_wrap=False, highlight=False, width=None if sys.stdout.isatty() else 1000).print(table)


def stamp(use: QuotaUse) -> str:
    return use.resets_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def quota_dict(use: QuotaUse) -> dict[str, object]:
    return {
        "backend": use.backend, "quota": use.quota, "per": use.per, "unit": use.unit, "used": use.used,
        "limit": use.limit, "percent": round(100 * use.fraction, 1),
        "window_start": use.window_start.isoformat(), "resets_at": stamp(use),
    }  # fmt: skip
