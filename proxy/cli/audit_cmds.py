"""`veil audit …`: verify the hash chain, print a checkpoint, query, summarize and prune the audit log.

Every command but `query --value-stdin` needs only the database, not the master key: an auditor can verify
and read the log without being able to decrypt anything.
"""

from __future__ import annotations

import csv
import getpass
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Any

import click
from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from proxy.cli.audit_table import print_table
from proxy.cli.common import TIME, TIME_HELP, cli_errors, vault_options
from proxy.cli.existing_vault import require_master_key, require_vault
from proxy.config import Settings
from vault import audit
from vault.clock import SYSTEM_CLOCK
from vault.errors import DecryptError
from vault.tokens import ENTITY_RE

DEFAULT_LIMIT = 100


def _outcome_choice() -> click.Choice:
    return click.Choice(sorted(audit.OUTCOMES))


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log: verify, checkpoint, query, stats, prune."""


# --- verify / checkpoint --------------------------------------------------------------------------------


@audit_group.command("verify")
@vault_options
@click.option(
    "--checkpoint",
    "checkpoint",
    metavar="SEQ:HASH",
    help="A head printed earlier by `veil audit checkpoint`: also detects a truncated tail.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
def verify_cmd(vault: str | None, checkpoint: str | None, as_json: bool) -> None:
    """Walk the hash chain; exit non-zero naming the first edited, deleted, inserted or reordered row."""
    with cli_errors():
        cp = audit.Checkpoint.parse(checkpoint) if checkpoint else None
    with _engine(vault) as engine:
        result = audit.verify(engine, cp)
    if as_json:
        click.echo(json.dumps(asdict(result), sort_keys=True))
    if not result.ok:
        raise click.ClickException(
            f"audit chain BROKEN at seq {result.first_bad_seq}: {result.problem} "
            f"({result.rows_checked} rows before it verified)"
        )
    if as_json:
        return
    if result.rows_checked == 0 and result.start_seq == 1:
        click.echo("audit log is empty: nothing to verify (OK)")
        return
    click.echo(
        f"audit chain OK: {result.rows_checked} rows verified "
        f"(seq {result.start_seq}–{result.head_seq}), head {result.head_seq}:{result.head_hash}"
    )
    if result.start_seq > 1:
        click.echo(f"rows before seq {result.start_seq} were pruned; the kept chain continues from them")
    if cp is not None:
        click.echo(f"checkpoint {cp.seq} matches")


@audit_group.command("checkpoint")
@vault_options
def checkpoint_cmd(vault: str | None) -> None:
    """Verify the chain and print its head as SEQ:HASH, to store elsewhere (a ticket, another system).

    Later, `veil audit verify --checkpoint SEQ:HASH` proves no row up to it was removed, even the tail.
    """
    with _engine(vault) as engine:
        result = audit.verify(engine)
    if not result.ok:
        raise click.ClickException(
            f"audit chain BROKEN at seq {result.first_bad_seq}: {result.problem}; no checkpoint printed"
        )
    click.echo(f"{result.head_seq}:{result.head_hash}")


# --- query ----------------------------------------------------------------------------------------------


@audit_group.command("query")
@vault_options
@click.option("--since", type=TIME, help=f"Rows at or after this time: {TIME_HELP}.")
@click.option("--until", type=TIME, help="Rows before this time (same forms as --since).")
@click.option("--session", "session_id", metavar="ID|NAME", help="Session id or name.")
@click.option("--tool", metavar="NAME", help="Tool name (tools/call).")
@click.option("--backend", metavar="NAME", help="Backend label.")
@click.option("--entity-type", "entity_type", metavar="TYPE", help="Entity type, e.g. EMAIL_ADDRESS.")
@click.option("--token", metavar="TOKEN", help="A token, e.g. [[EMAIL_ADDRESS:k7q2m9x4tz3b8wab]].")
@click.option(
    "--event",
    "events",
    multiple=True,
    metavar="NAME",
    help="Event name or glob (repeatable), e.g. token-detokenized, 'token-*'.",
)
@click.option("--outcome", type=_outcome_choice(), help="Outcome.")
@click.option(
    "--value-stdin",
    "value_stdin",
    is_flag=True,
    help="Read a real value from stdin (never the command line) and find the rows of the token it has "
    "in every session (with --entity-type: that type only). Needs the master key.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Rows per page; 0 for all.",
)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many rows.")
@click.option(
    "--cursor",
    type=click.IntRange(min=0),
    metavar="SEQ",
    help="Continue after this seq (printed on stderr when a page is full).",
)
@click.option("--oldest-first", is_flag=True, help="Oldest rows first (default: newest first).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one row per line.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
def query_cmd(
    vault: str | None,
    since: datetime | None,
    until: datetime | None,
    session_id: str | None,
    tool: str | None,
    backend: str | None,
    entity_type: str | None,
    token: str | None,
    events: tuple[str, ...],
    outcome: str | None,
    value_stdin: bool,
    limit: int,
    offset: int,
    cursor: int | None,
    oldest_first: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Filter the audit log; newest first, as a table, JSON lines (--json) or CSV (--csv)."""
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if entity_type is not None and not re.fullmatch(ENTITY_RE, entity_type):
        raise click.BadParameter(
            "an entity type is upper-case letters, digits and underscores, e.g. EMAIL_ADDRESS",
            param_hint="--entity-type",
        )
    try:
        event_names = audit.match_events(events)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--event") from None
    value = _read_value() if value_stdin else None
    with _engine(vault) as engine:
        if session_id is not None:
            session_id = audit.resolve_session(engine, session_id)
        tokens = None
        if value is not None:
            found = _value_tokens(vault, engine, value, entity_type)
            tokens, entity_type = found.tokens, None  # the tokens carry the type
            click.echo(
                f"value searched in {found.sessions} session{'s' if found.sessions != 1 else ''}"
                + (f"; {found.shredded} shredded (unlinkable, not searchable)" if found.shredded else ""),
                err=True,
            )
        q = audit.AuditQuery(
            since=since,
            until=until,
            session_id=session_id,
            tool=tool,
            backend=backend,
            entity_type=entity_type,
            token=token,
            tokens=tokens,
            events=event_names,
            outcome=outcome,
            limit=limit or None,
            offset=offset,
            after_seq=cursor,
            oldest_first=oldest_first,
        )
        rows = list(audit.query(engine, q))
        names = audit.session_names(engine, {r["session_id"] for r in rows if r["session_id"]})
    for row in rows:
        row["session_name"] = names.get(row["session_id"])
    if as_json:
        for row in rows:
            click.echo(json.dumps(_jsonable(row), sort_keys=False))
    elif as_csv:
        _print_csv(rows)
    else:
        print_table(rows, _console())
    for row in rows:
        if "malformed" in row:
            click.echo(
                f"warning: row seq {row['seq']} is corrupted ({', '.join(row['malformed'])}); "
                "run `veil audit verify`",
                err=True,
            )
    if limit and len(rows) == limit:
        click.echo(f"more rows may follow: add --cursor {rows[-1]['seq']}", err=True)


def _read_value() -> str:
    text = sys.stdin.read()
    value = text[:-1] if text.endswith("\n") else text
    value = value[:-1] if value.endswith("\r") else value
    if not value.strip():
        raise click.UsageError("--value-stdin: stdin is empty; pipe the value in, e.g. from a file")
    return value


def _value_tokens(
    vault: str | None, engine: Engine, value: str, entity_type: str | None
) -> audit.ValueSearch:
    from vault.crypto import Keyring
    from vault.keys import load_master_key

    with cli_errors():
        settings = Settings.resolve(vault=vault)
        require_master_key(settings)
        keyring = Keyring(load_master_key(settings.home).secret)
        try:
            return audit.value_tokens(engine, keyring, value, [entity_type] if entity_type else None)
        except DecryptError:
            raise click.ClickException(
                "the master key does not open this vault's session keys (wrong $VEIL_MASTER_KEY?)"
            ) from None


CSV_FIELDS = (*audit.OUTPUT_FIELDS, "session_name")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in CSV_FIELDS}
    if isinstance(out["time"], datetime):
        out["time"] = out["time"].isoformat()
    if "malformed" in row:
        out["malformed"] = row["malformed"]
    return out


def _print_csv(rows: list[dict[str, Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for row in rows:
        out = _jsonable(row)
        for k in ("detail", "fields"):  # objects as compact JSON in their cell
            if out[k] is not None and not isinstance(out[k], str):
                out[k] = json.dumps(out[k], sort_keys=True, separators=(",", ":"))
        writer.writerow(["" if out[k] is None else out[k] for k in CSV_FIELDS])


# --- stats ----------------------------------------------------------------------------------------------


@audit_group.command("stats")
@vault_options
@click.option("--since", type=TIME, help=f"Rows at or after this time: {TIME_HELP}.")
@click.option("--until", type=TIME, help="Rows before this time (same forms as --since).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one tool and backend per line.")
def stats_cmd(vault: str | None, since: datetime | None, until: datetime | None, as_json: bool) -> None:
    """Per tool and backend: calls, values tokenized by type, detokenizations, refusals, errors, latency."""
    with _engine(vault) as engine:
        rows = audit.stats(engine, since, until)
    if as_json:
        for s in rows:
            click.echo(json.dumps(asdict(s)))
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in ("tool", "backend"):
        table.add_column(name)
    for name in ("calls", "detokenized", "refused", "blocked", "errors", "p50 ms", "p95 ms", "replaced"):
        table.add_column(name, justify="right")
    table.add_column("tokenized (new values, by type)")
    for s in rows:
        table.add_row(
            s.tool or "(no tool)",
            s.backend or "",
            str(s.calls),
            str(s.detokenized),
            str(s.refused),
            str(s.blocked),
            str(s.errors),
            "" if s.p50_ms is None else f"{s.p50_ms:g}",
            "" if s.p95_ms is None else f"{s.p95_ms:g}",
            str(s.replaced),
            " ".join(f"{k}={v}" for k, v in sorted(s.tokenized.items())),
        )
    _console().print(table)


# --- prune ----------------------------------------------------------------------------------------------


@audit_group.command("prune")
@vault_options
@click.option("--before", required=True, type=TIME, help=f"Remove rows older than this: {TIME_HELP}.")
def prune_cmd(vault: str | None, before: datetime) -> None:
    """Remove rows older than --before; the kept chain stays verifiable and an audit-pruned row is written.

    The chain is verified first: a log that does not verify is not pruned (that would erase the evidence).
    """
    with _engine(vault) as engine:
        checked = audit.verify(engine)
        if not checked.ok:
            raise click.ClickException(
                f"audit chain BROKEN at seq {checked.first_bad_seq}: {checked.problem}; refusing to prune"
            )
        result = audit.prune(engine, before, actor=_actor(), clock=SYSTEM_CLOCK, through=checked.head_seq)
    if result.pruned:
        click.echo(
            f"pruned {result.pruned} rows; the kept chain starts at seq {result.start_seq} "
            f"(continuing from hash {result.anchor})"
        )
    else:
        click.echo(
            f"nothing older than {before.isoformat()} to prune; the chain starts at seq {result.start_seq}"
        )


# --- plumbing -------------------------------------------------------------------------------------------


def _console() -> Any:
    """A rich console; piped output is not squeezed to 80 columns (tables stay one line per row)."""
    from rich.console import Console

    return Console(soft_wrap=False, highlight=False, width=None if sys.stdout.isatty() else 1000)


def _actor() -> str:
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):
        return "os:unknown"


@contextmanager
def _engine(vault: str | None) -> Iterator[Engine]:
    """An engine on an existing, up-to-date vault; database failures become one clear line."""
    from vault import migrate
    from vault.store import create_vault_engine

    with cli_errors():
        settings = Settings.resolve(vault=vault)
        if make_url(settings.vault_url).get_backend_name() == "sqlite":
            require_vault(settings, vault)  # elsewhere the table check below says it, naming the fix
        engine = create_vault_engine(settings.vault_url)
    try:
        try:
            if not inspect(engine).has_table("audit_head"):
                raise click.ClickException("this database holds no vault (run `veil db upgrade`)")
            if migrate.current_revision(engine) != migrate.head_revision():
                raise click.ClickException("the vault schema is not up to date: run `veil db upgrade`")
            with cli_errors():
                yield engine
        except DBAPIError as exc:
            first = (str(exc.orig).splitlines() or [""])[0][:200]
            raise click.ClickException(f"vault unavailable: {type(exc.orig).__name__}: {first}") from None
        except SQLAlchemyError as exc:
            raise click.ClickException(f"vault unavailable: {type(exc).__name__}") from None
    finally:
        engine.dispose()


from proxy.cli.audit_report import report_cmd  # noqa: E402 (its own module; a command of this group)

audit_group.add_command(report_cmd)

vault_engine = _engine  # for the other read-only commands (`veil quota status`, `veil top`)
