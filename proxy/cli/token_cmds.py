"""`veil tokens list|show|revoke`: the vault's tokens, never their values.

A value to revoke is read from stdin, never from argv; a token named that is not in the vault fails the
command and revokes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click

from proxy.cli.common import TIME, TIME_HELP, cli_errors, vault_options
from proxy.cli.vault_cmds import _actor, _emit_json, _jsonable, _open_vault, _table, _when, json_option
from vault.clock import SYSTEM_CLOCK

# --- tokens ---------------------------------------------------------------------------------------------


@click.group("tokens")
def tokens_group() -> None:
    """Tokens: list, show, revoke."""


def _token_state(t: Any, now: datetime) -> str:
    if t.revoked_at is not None:
        return "revoked"
    return "expired" if t.expires_at is not None and t.expires_at <= now else "live"


def _token_rows(tokens: Sequence[Any], as_json: bool) -> None:
    now = SYSTEM_CLOCK.now()
    if as_json:
        _emit_json([{**_jsonable(t), "state": _token_state(t, now)} for t in tokens])
        return
    rows = [
        (
            t.token,
            t.session_id,
            _token_state(t, now),
            _when(t.created_at),
            _when(t.expires_at),
            _when(t.revoked_at),
            t.backend,
        )
        for t in tokens
    ]
    cols = ("token", "session", "state", "created (UTC)", "expires (UTC)", "revoked (UTC)", "backend")
    _table(cols, rows)


@tokens_group.command("list")
@vault_options
@click.option("--session", metavar="ID|NAME", help="Only this session's tokens.")
@click.option("--entity-type", "entity_type", metavar="TYPE", help="Only this entity type.")
@click.option("--since", type=TIME, help=f"Created at or after: {TIME_HELP}.")
@click.option("--before", type=TIME, help="Created before (same forms as --since).")
@click.option("--live", is_flag=True, help="Leave out revoked tokens.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@json_option
def tokens_list(
    vault: str | None,
    session: str | None,
    entity_type: str | None,
    since: datetime | None,
    before: datetime | None,
    live: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """Tokens, oldest first (no values: the vault only ever shows tokens)."""
    from vault.store import TokenFilter

    f = TokenFilter(
        session=session,
        entity_type=entity_type,
        since=since,
        before=before,
        include_revoked=not live,
        limit=limit,
    )
    with _open_vault(vault) as v, cli_errors():
        tokens = v.list_tokens(f)
    _token_rows(tokens, as_json)


@tokens_group.command("show")
@vault_options
@click.argument("token")
@json_option
def tokens_show(vault: str | None, token: str, as_json: bool) -> None:
    """One token: its session, state, creation, expiry and revocation."""
    from vault.store import TokenFilter

    with _open_vault(vault) as v, cli_errors():
        tokens = v.list_tokens(TokenFilter(token=token))
    if not tokens:
        raise click.ClickException(f"no token {token} in this vault")
    _token_rows(tokens, as_json)


@tokens_group.command("revoke")
@vault_options
@click.argument("tokens", nargs=-1, metavar="[TOKEN]...")
@click.option("--session", metavar="ID|NAME", help="Every token of this session.")
@click.option("--entity-type", "entity_type", metavar="TYPE", help="Every token of this entity type.")
@click.option("--since", type=TIME, help=f"Created at or after: {TIME_HELP}.")
@click.option("--before", type=TIME, help="Created before (same forms as --since).")
@click.option(
    "--value-stdin",
    "value_stdin",
    is_flag=True,
    help="Read values from stdin, one per line, and revoke their tokens in every live session.",
)
def tokens_revoke(
    vault: str | None,
    tokens: tuple[str, ...],
    session: str | None,
    entity_type: str | None,
    since: datetime | None,
    before: datetime | None,
    value_stdin: bool,
) -> None:
    """Revoke tokens matching every filter given. Every proxy sharing the vault refuses them from the
    moment this command returns."""
    from vault.store import TokenFilter
    from vault.tokens import parse_token

    malformed = [i for i, t in enumerate(tokens, 1) if parse_token(t) is None]
    if malformed:  # not echoed: it may be a value pasted by mistake
        raise click.UsageError(
            f"argument {malformed[0]} is not a token (expected e.g. [[EMAIL_ADDRESS:k7q2m9x4tz3b8wab]]); "
            "to revoke by value, pipe it to --value-stdin"
        )
    values: list[str] | None = None
    if value_stdin:
        values = _read_values()
    if not (tokens or session or entity_type or since or before or values is not None):
        raise click.UsageError("give TOKEN..., --session, --entity-type, --since/--before or --value-stdin")
    with _open_vault(vault) as v, cli_errors():
        missing = [t for t in dict.fromkeys(tokens) if not v.list_tokens(TokenFilter(token=t))]
        if missing:  # nothing is revoked: a mistyped token is not a success
            raise click.ClickException(f"no such token in this vault: {', '.join(missing)}; nothing revoked")
        n = v.revoke_tokens(
            actor=_actor(),
            tokens=list(tokens) or None,
            session=session,
            entity_type=entity_type,
            since=since,
            before=before,
            values=values,
        )
    click.echo(f"revoked {n} token(s)")


def _read_values() -> list[str]:
    lines = sys.stdin.read().splitlines()
    values = [line for line in lines if line.strip()]
    if not values:
        raise click.UsageError("--value-stdin: stdin is empty; pipe the value in, one per line")
    return values
