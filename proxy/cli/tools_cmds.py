"""`veil tools list|diff|approve`: the operator's view of pinned tool definitions (rug-pull protection).

A proxy pins each backend tool's definition the first time it sees it and hides a tool whose definition
changed since (`proxy/tool_pins.py`). These commands, in any process sharing the vault, show what is pinned
and what waits, show the change as a diff (non-ASCII escaped, so invisible and Unicode-tag characters
show), and approve the new definition: one transaction with its `tool-approved` audit row.
"""

from __future__ import annotations

import difflib
import json

import click

from proxy.cli.common import cli_errors, vault_options
from proxy.cli.vault_cmds import _actor, _emit_json, _open_vault, _when, json_option
from vault import tool_pins
from vault.errors import ToolNotPending


@click.group("tools")
def tools_group() -> None:
    """Pinned tool definitions: list them, review a change, approve it."""


@tools_group.command("list")
@vault_options
@json_option
@click.option("--changed", is_flag=True, help="Only tools whose changed definition waits for approval.")
def list_cmd(vault: str | None, as_json: bool, changed: bool) -> None:
    """Every pinned tool by backend: approved or changed (hidden), and what was reported about it."""
    with _open_vault(vault) as v, cli_errors():
        rows = tool_pins.list_pins(v, changed_only=changed)
    if as_json:
        _emit_json([r.as_json() for r in rows])
        return
    if not rows:
        click.echo("no tools waiting for approval" if changed else "no tools pinned yet", err=True)
        return
    for r in rows:
        notes = [f for f in r.flags.split(",") if f and f != tool_pins.COLLISION]
        if r.collides_with:
            notes.append("same name on " + ", ".join(r.collides_with))
        state = f"CHANGED {r.pending_fingerprint[:16]} (hidden)" if r.pending_fingerprint else "approved"
        click.echo(
            f"{r.backend}  {r.tool}  {state}  pinned {r.fingerprint[:16]}  first seen {_when(r.first_seen)}"
            + (f"  reported: {'; '.join(notes)}" if notes else "")
        )


@tools_group.command("diff")
@vault_options
@click.argument("backend")
@click.argument("tool")
def diff_cmd(vault: str | None, backend: str, tool: str) -> None:
    """The change between a tool's pinned definition and the one waiting for approval."""
    with _open_vault(vault) as v, cli_errors():
        try:
            pinned, pending = tool_pins.definitions(v, backend, tool)
        except ToolNotPending as exc:
            raise click.ClickException(str(exc)) from None
        info = next(i for i in tool_pins.list_pins(v) if i.backend == backend and i.tool == tool)
    if pending is None:
        click.echo(
            f"{backend} {tool}: no changed definition waiting (pinned {info.fingerprint[:16]})", err=True
        )
        return
    old = _lines(pinned)
    new = _lines(pending)
    fromfile = f"pinned {info.fingerprint[:16]}"
    tofile = f"changed {(info.pending_fingerprint or '')[:16]}"
    for line in difflib.unified_diff(old, new, fromfile=fromfile, tofile=tofile, lineterm=""):
        click.echo(line)


@tools_group.command("approve")
@vault_options
@click.argument("backend")
@click.argument("tool")
@click.option(
    "--fingerprint",
    metavar="HEX",
    help="The changed definition's fingerprint (or its first characters) as shown by `veil tools diff`; "
    "refused if the tool changed again since.",
)
@click.option("--as", "approver", metavar="NAME", help="Who approves (default: the OS user).")
def approve_cmd(
    vault: str | None, backend: str, tool: str, fingerprint: str | None, approver: str | None
) -> None:
    """Make a tool's changed definition the pinned one: clients see the tool again on their next list."""
    who = approver or _actor()
    with _open_vault(vault) as v, cli_errors():
        try:
            info = tool_pins.approve(v, backend, tool, approver=who, expected=fingerprint)
        except ToolNotPending as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(
        f"approved {info.backend} {info.tool} (fingerprint {info.fingerprint[:16]}) as {who}", err=True
    )


def _lines(definition: dict[str, object]) -> list[str]:
    """Pretty JSON with every non-ASCII character escaped: a hidden character shows as its code."""
    return json.dumps(definition, indent=2, sort_keys=True, ensure_ascii=True).splitlines()
