"""`veil approvals list|approve|deny`: the out-of-band approver's terminal.

A proxy whose policy sets `approvals.out_of_band` parks an approval-required call in the vault and waits up
to its deadline; these commands (in any process sharing the vault) show what waits — the prompt as the
client would see it, tokens only — and decide it. The decision and its audit row are one transaction.
"""

from __future__ import annotations

import click

from proxy.cli.common import cli_errors, vault_options
from proxy.cli.vault_cmds import _actor, _emit_json, _open_vault, json_option
from vault import approvals as vault_approvals
from vault.errors import ApprovalNotPending


@click.group("approvals")
def approvals_group() -> None:
    """Calls waiting for a human's approval (out of band)."""


@approvals_group.command("list")
@vault_options
@json_option
@click.option("--all", "everything", is_flag=True, help="Include decided and expired approvals.")
def list_cmd(vault: str | None, as_json: bool, everything: bool) -> None:
    """Approvals waiting for a decision, newest first, each with its prompt (tokens only)."""
    with _open_vault(vault) as v, cli_errors():
        rows = vault_approvals.list_approvals(v, everything=everything)
    if as_json:
        _emit_json([r.as_json() for r in rows])
        return
    if not rows:
        click.echo("no approvals waiting" if not everything else "no approvals", err=True)
        return
    for r in rows:
        decided = f" by {r.decided_by}" if r.decided_by else ""
        click.echo(
            f"{r.id}  {r.status}{decided}  tool {r.tool}  backend {r.backend}  "
            f"deadline {r.deadline.isoformat(timespec='seconds')}  call {r.call_hash[:16]}"
        )
        for line in r.summary.splitlines():
            click.echo(f"    {line}")


def _decide(approval_id: str, vault: str | None, grant: bool, approver: str | None) -> None:
    who = approver or _actor()
    with _open_vault(vault) as v, cli_errors():
        try:
            info = vault_approvals.decide(v, approval_id, grant=grant, approver=who)
        except ApprovalNotPending as exc:
            raise click.ClickException(str(exc)) from None
    verb = "approved" if grant else "denied"
    click.echo(
        f"{verb} {info.id} (tool {info.tool}, call {info.call_hash[:16]}) as {info.decided_by}", err=True
    )


_approver_option = click.option(
    "--as", "approver", metavar="NAME", help="Approver identity for the audit log (default: os user)."
)


@approvals_group.command("approve")
@click.argument("approval_id")
@vault_options
@_approver_option
def approve_cmd(approval_id: str, vault: str | None, approver: str | None) -> None:
    """Let the waiting call APPROVAL_ID run, once."""
    _decide(approval_id, vault, True, approver)


@approvals_group.command("deny")
@click.argument("approval_id")
@vault_options
@_approver_option
def deny_cmd(approval_id: str, vault: str | None, approver: str | None) -> None:
    """Refuse the waiting call APPROVAL_ID."""
    _decide(approval_id, vault, False, approver)
