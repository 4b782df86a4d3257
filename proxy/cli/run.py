"""`veil run` and `veil db upgrade`."""

from __future__ import annotations

import sys
from functools import partial

import anyio
import click

from proxy import logs, metrics
from proxy.cli.common import (
    check_backend,
    cli_errors,
    config_option,
    http_backend,
    load_config,
    log_level_option,
    policy_options,
    session_options,
    url_backend_options,
    vault_options,
)
from proxy.config import Settings
from proxy.refusal import exit_code, explain, refuse_stdio


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@url_backend_options
@config_option
@policy_options
@vault_options
@session_options
@click.option(
    "--durability",
    type=click.Choice(["normal", "full"]),
    default="normal",
    show_default=True,
    help="SQLite synchronous mode: full survives power loss at some cost.",
)
@log_level_option("WARNING")
@click.option(
    "--metrics-listen",
    metavar="HOST:PORT",
    help="Expose Prometheus metrics on http://HOST:PORT/metrics (keep it on loopback).",
)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def run(
    url: str | None,
    transport: str,
    headers: tuple[str, ...],
    config: str | None,
    policies: tuple[str, ...],
    no_default_policies: bool,
    vault: str | None,
    session: str | None,
    session_ttl: str | None,
    durability: str,
    log_level: str,
    metrics_listen: str | None,
    command: tuple[str, ...],
) -> None:
    """Proxy an MCP server spawned as COMMAND over stdio (or reached at --url over HTTP).

    \b
    In an MCP client config, put `veil run --` in front of the server's command:
        veil run -- npx -y @modelcontextprotocol/server-everything
        veil run --url https://mcp.example/mcp --header 'Authorization: Bearer ${TOKEN}'
        veil run --config veil.toml     # several backends as one (docs/backends.md)
    """
    from proxy.wiring import Assembly, run_stdio

    logs.configure(log_level.upper())
    check_backend(url, command, config)
    try:
        http = http_backend(url, transport, headers)
        backends, policies = load_config(config, policies)
        settings = Settings.resolve(
            vault=vault,
            policies=policies,
            session=session,
            session_ttl=session_ttl,
            durability=durability,
            default_policies=not no_default_policies,
        )
        engine = Assembly.load(settings, background=True)
        if backends is not None:
            engine.backend_policies(backends)  # PolicyError names the backend's policy file
    except Exception as exc:
        why = explain(exc)
        if why is None:
            raise
        refuse_stdio(why)  # the client's initialize gets the cause and the fix, not "Connection closed"
        sys.exit(exit_code(exc))
    if metrics_listen:
        host, _, port = metrics_listen.rpartition(":")
        if not host or not port.isdigit():
            raise click.UsageError(f"--metrics-listen takes HOST:PORT, not {metrics_listen!r}")
        try:
            metrics.serve(host.strip("[]"), int(port))
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {metrics_listen}: {exc.strerror}") from None
    try:
        code = anyio.run(partial(run_stdio, engine, list(command), http=http, backends=backends))
    except KeyboardInterrupt:
        code = 130
    finally:
        engine.vault.close()
    if code == 127 and backends is not None:
        click.echo("veil: no backend of the config could be started", err=True)
    elif code == 127:
        click.echo(f"veil: the backend command {command[0]!r} could not be started", err=True)
    elif code == 69 and http is not None:
        click.echo(f"veil: the backend at {http.label} is unreachable", err=True)
    sys.exit(code)


@click.group()
def db() -> None:
    """Vault database maintenance."""


@db.command("upgrade")
@vault_options
def db_upgrade(vault: str | None) -> None:
    """Apply the vault's migrations (also done on every start)."""
    from vault.keys import load_master_key
    from vault.store import Vault

    with cli_errors():
        settings = Settings.resolve(vault=vault)
        settings.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        Vault.open(settings.vault_url, load_master_key(settings.home)).close()
    click.echo(f"vault at {_redact(settings.vault_url)} is up to date", err=True)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
