"""`veil keys …`, `veil sessions …` (and the helpers `veil tokens …` shares): administer the vault.

Tables go to stdout (rich), `--json` prints JSON lines (one object per row; `show` prints one object).
Progress and confirmations go to stderr. A value to revoke is read from stdin, never from argv.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Any

import click

from proxy.cli.common import cli_errors, vault_options
from proxy.cli.existing_vault import require_master_key, require_vault
from proxy.config import Settings, parse_duration
from vault.clock import SYSTEM_CLOCK
from vault.errors import KeyVersionInUse
from vault.store import Vault

json_option = click.option("--json", "as_json", is_flag=True, help="JSON lines, one object per row.")


def _actor() -> str:
    from proxy.session import os_actor

    return os_actor()


@contextmanager
def _open_vault(url: str | None) -> Iterator[Vault]:
    from vault.keys import load_master_key

    with cli_errors():
        settings = Settings.resolve(vault=url)
        require_vault(settings, url)  # never creates a vault, a data dir or a master key
        require_master_key(settings)
        vault = Vault.open(settings.vault_url, load_master_key(settings.home))
        try:
            yield vault
        finally:
            vault.close()


def _jsonable(obj: Any) -> dict[str, Any]:
    row = asdict(obj)
    for key, value in row.items():
        if isinstance(value, datetime):
            row[key] = value.isoformat()
    return row


def _emit_json(rows: Sequence[dict[str, Any]]) -> None:
    for row in rows:
        click.echo(json.dumps(row, sort_keys=True, default=str))


def _when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False, title=title, title_justify="left")
    for name in columns:
        table.add_column(name, no_wrap=True)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(file=sys.stdout, width=200, highlight=False, soft_wrap=True).print(table)


# --- keys -----------------------------------------------------------------------------------------------


@click.group("keys")
def keys_group() -> None:
    """Key versions: status, rotation, retirement."""


@keys_group.command("status")
@vault_options
@json_option
def keys_status(vault: str | None, as_json: bool) -> None:
    """Key versions, how many data keys each has wrapped (its use count) and how many sessions need it."""
    with _open_vault(vault) as v, cli_errors():
        keys = v.key_status()
    if as_json:
        _emit_json([_jsonable(k) for k in keys])
        return
    rows = [
        (
            k.version,
            "retired" if k.retired_at else "rotating" if k.rotating else "current" if k.current else "active",
            _when(k.created_at),
            f"{k.use_count:,} / {k.use_limit:,}",
            k.sessions,
            _when(k.retired_at),
        )
        for k in keys
    ]
    _table(("version", "state", "created (UTC)", "uses / limit", "sessions", "retired (UTC)"), rows)


@keys_group.command("rotate")
@vault_options
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(min=1))
def keys_rotate(vault: str | None, batch_size: int) -> None:
    """Make a new key version and rewrap every session's data key under it.

    Resumable: if interrupted, run it again and it continues with the same version. Older versions keep
    decrypting until `veil keys retire VERSION`.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("rewrapping"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task("rewrap", total=None)

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    try:
        with _open_vault(vault) as v, cli_errors(), bar:
            result = v.rotate_keys(actor=_actor(), batch_size=batch_size, progress=progress)
    except KeyboardInterrupt:
        click.echo("interrupted: run `veil keys rotate` again to resume the rotation", err=True)
        sys.exit(130)
    verb = "resumed rotation to" if result.resumed else "rotated to"
    click.echo(f"{verb} key version {result.version}: {result.rewrapped} session key(s) rewrapped")
    if result.unreadable:
        raise click.ClickException(
            f"{len(result.unreadable)} session key(s) failed authentication and were left as they are: "
            + ", ".join(result.unreadable)
            + "; shred them (`veil sessions shred ID`) before retiring the old version"
        )


@keys_group.command("retire")
@vault_options
@click.argument("version", type=click.IntRange(min=1))
def keys_retire(vault: str | None, version: int) -> None:
    """Retire key VERSION; refused while any session still needs it (rotate first)."""
    with _open_vault(vault) as v, cli_errors():
        try:
            v.retire_key(version, actor=_actor())
        except (KeyVersionInUse, ValueError) as exc:
            raise click.ClickException(f"refusing to retire: {exc}") from None
    click.echo(f"key version {version} retired")


# --- sessions -------------------------------------------------------------------------------------------


@click.group("sessions")
def sessions_group() -> None:
    """Sessions: list, show, crypto-shred."""


def _session_state(info: Any, now: datetime) -> str:
    if info.shredded_at is not None:
        return "shredded"
    if info.expires_at is not None and info.expires_at <= now:
        return "expired"
    return "closed" if info.closed_at is not None else "open"


@sessions_group.command("list")
@vault_options
@click.option("--live", is_flag=True, help="Only sessions that are not shredded.")
@json_option
def sessions_list(vault: str | None, live: bool, as_json: bool) -> None:
    """Every session, oldest first: id, name, state, key version, token count."""
    with _open_vault(vault) as v, cli_errors():
        sessions = [s for s in v.list_sessions() if not (live and s.shredded_at)]
    now = SYSTEM_CLOCK.now()
    if as_json:
        _emit_json([{**_jsonable(s), "state": _session_state(s, now)} for s in sessions])
        return
    rows = [
        (
            s.id,
            s.name,
            _session_state(s, now),
            _when(s.created_at),
            _when(s.expires_at),
            s.kek_version,
            s.token_count,
        )
        for s in sessions
    ]
    _table(("id", "name", "state", "created (UTC)", "expires (UTC)", "key", "tokens"), rows)


@sessions_group.command("show")
@vault_options
@click.argument("session")
@json_option
def sessions_show(vault: str | None, session: str, as_json: bool) -> None:
    """One session (by id or name): its state and token counts per entity type."""
    with _open_vault(vault) as v, cli_errors():
        detail = v.session_detail(session)
    info, now = detail.info, SYSTEM_CLOCK.now()
    if as_json:
        out = {
            **_jsonable(info),
            "state": _session_state(info, now),
            "by_entity_type": detail.by_entity_type,
            "revoked": detail.revoked,
            "dek_uses": detail.dek_uses,
        }
        click.echo(json.dumps(out, sort_keys=True))
        return
    fields = [
        ("id", info.id),
        ("name", info.name),
        ("state", _session_state(info, now)),
        ("created (UTC)", _when(info.created_at)),
        ("expires (UTC)", _when(info.expires_at)),
        ("closed (UTC)", _when(info.closed_at)),
        ("shredded (UTC)", _when(info.shredded_at)),
        ("key version", info.kek_version),
        ("values encrypted", detail.dek_uses),
        ("tokens", info.token_count),
        ("revoked", detail.revoked),
    ]
    _table(("field", "value"), fields)
    if detail.by_entity_type:
        _table(("entity type", "tokens"), sorted(detail.by_entity_type.items()))


@sessions_group.command("shred")
@vault_options
@click.argument("session_id", required=False, metavar="[ID]")
@click.option("--name", metavar="NAME", help="The session with this name.")
@click.option("--older-than", "older_than", metavar="AGE", help="Every session created more than AGE ago.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation on a terminal.")
def sessions_shred(
    vault: str | None, session_id: str | None, name: str | None, older_than: str | None, yes: bool
) -> None:
    """Crypto-shred sessions: destroy the data key and ciphertexts; their values become unrecoverable."""
    if sum(x is not None for x in (session_id, name, older_than)) != 1:
        raise click.UsageError("give exactly one of ID, --name NAME or --older-than AGE")
    with cli_errors():
        cutoff = SYSTEM_CLOCK.now() - parse_duration(older_than) if older_than else None
    target = session_id or (f"session named {name!r}" if name else f"every session older than {older_than}")
    if not yes and sys.stdin.isatty():
        click.confirm(f"Shred {target}? Its values will be unrecoverable", abort=True, err=True)
    with _open_vault(vault) as v, cli_errors():
        if cutoff is not None:
            results = v.shred_sessions(actor=_actor(), created_before=cutoff, reason="older-than")
        else:
            ref = session_id if session_id is not None else name
            assert ref is not None
            info = v.session_detail(ref).info
            label = f"{info.id} ({info.name})" if info.name else info.id
            results = [(label, v.shred_session(info.id, actor=_actor()))]
    for sid, destroyed in results:
        click.echo(f"shredded {sid}: {destroyed} value(s) destroyed")
    if not results:
        click.echo("no session matched")
