"""`veil run` and `veil db upgrade`."""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

import anyio
import click

from proxy import logs
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
from proxy.errors import PolicyError
from proxy.isolation import ISOLATION_UNAVAILABLE
from proxy.refusal import exit_code, explain, refuse_stdio
from proxy.sandbox_section import start_fields
from proxy.transports.spawn import early_backend, stop_now

if TYPE_CHECKING:
    from anyio.abc import Process

    from proxy.backend_config import BackendsConfig
    from proxy.early_handshake import HandshakeFront
    from proxy.policy import Policy
    from proxy.sandbox import SandboxSpec
    from proxy.transports.http import HttpBackend
    from proxy.wiring import Assembly


EX_SOFTWARE = 70  # sysexits: an internal inconsistency (an early handshake answer the chain disowns)


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
    from proxy.sandbox_section import early_sandbox

    # No garbage collection until the handshake is answered (`wiring._load_after_handshake`): the start is
    # mostly imports, which make many long-lived objects and few cycles, and the collector's passes over
    # them were a tenth of the time to the `initialize` result.
    gc.disable()
    logs.configure(log_level.upper())
    check_backend(url, command, config)
    if metrics_listen:
        host, _, port = metrics_listen.rpartition(":")
        if not host or not port.isdigit():
            raise click.UsageError(f"--metrics-listen takes HOST:PORT, not {metrics_listen!r}")
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
        # One stdio backend starts before the policy's schema is loaded, on its sandbox section read alone
        # (`proxy.sandbox_section`); otherwise, or where that reading cannot settle it, the policy first.
        sandbox = early_sandbox(settings.policies) if http is None and backends is None else None
        policy = None if sandbox is not None else _load_policy(settings)
    except Exception as exc:
        refuse(exc)
    start = Start(settings, policy, sandbox, list(command), http, backends, metrics_listen)
    try:
        code = anyio.run(start.run)
    except KeyboardInterrupt:
        code = 130
    if code == 127 and backends is not None:
        click.echo("veil: no backend of the config could be started", err=True)
    elif code == 127:
        click.echo(f"veil: the backend command {command[0]!r} could not be started", err=True)
    elif code == ISOLATION_UNAVAILABLE:
        click.echo("veil: the backend was not started: the policy asks for isolation (see above)", err=True)
    elif code == 69 and http is not None:
        click.echo(f"veil: the backend at {http.label} is unreachable", err=True)
    sys.exit(code)


def _load_policy(settings: Settings) -> Policy:
    from proxy.policy import load_policy

    return load_policy(settings.policies)  # PolicyError names file, line and option


def refuse(exc: Exception, pending: bytes = b"") -> NoReturn:
    """A start that cannot go on: the client's first request gets the cause and the fix (not "Connection
    closed"), then the process exits non-zero. An exception that is no known start failure propagates.
    `pending`: what the early handshake's front read from stdin and did not answer."""
    why = explain(exc)
    if why is None:
        raise exc
    refuse_stdio(why, pending=pending)
    sys.exit(exit_code(exc))


@dataclass
class Start:
    """`veil run` from the policy's sandbox on: the backend is started first (`early_backend`), and the rest
    of the proxy — the policy's schema, the MCP SDK, SQLAlchemy, the vault, about a second of CPU — loads in
    a worker thread while the backend starts, so a client waits for the slower of the two start-ups, not
    their sum. `policy` is None when only its `sandbox` was read; the policy loaded in the thread must then
    give the same sandbox, or the start is refused (the backend, sent nothing yet, is stopped)."""

    settings: Settings
    policy: Policy | None
    sandbox: SandboxSpec | None
    command: list[str]
    http: HttpBackend | None
    backends: BackendsConfig | None
    metrics_listen: str | None

    async def run(self) -> int:
        spec = self.policy.sandbox if self.policy is not None else self.sandbox
        assert spec is not None
        early = await early_backend(self.command, spec) if self.solo(spec) else None
        front = self.front(early)
        try:
            if front is not None:
                engine = await front.alongside(self.assemble)
            else:
                engine = await anyio.to_thread.run_sync(self.assemble)
            if early is not None and start_fields(engine.policy.sandbox) != start_fields(spec):
                raise PolicyError(
                    "the policy's sandbox section read differently on its own and with the whole policy "
                    "(a bug: please report it); nothing was sent to the backend"
                )
        except Exception as exc:
            if early is not None:
                await stop_now(early)
            refuse(exc, front.exchange.unanswered() if front is not None else b"")
        try:
            if self.metrics_listen:
                self.serve_metrics(self.metrics_listen)
            from proxy.early_handshake import EarlyAnswerMismatch
            from proxy.wiring import run_stdio

            code = EX_SOFTWARE
            try:
                code = await run_stdio(
                    engine,
                    self.command,
                    http=self.http,
                    backends=self.backends,
                    process=early,
                    exchange=front.exchange if front is not None else None,
                )
            except* EarlyAnswerMismatch:
                pass  # logged where found; the memo is deleted
            return code
        finally:
            if early is not None and early.returncode is None:
                await stop_now(early)  # the relay never took it over (it stops it itself otherwise)
            engine.vault.close()

    def front(self, early: Process | None) -> HandshakeFront | None:
        """The early handshake's front (`proxy.early_handshake`) for a fresh session: a named session's
        known values are in the vault, which the front does not read."""
        if early is None or self.settings.session_name is not None:
            return None
        from proxy.early_handshake import HandshakeFront
        from vault.keys import load_master_key

        settings = self.settings
        return HandshakeFront.for_start(
            settings.home,
            list(settings.policies),
            settings.vault_url,
            lambda: load_master_key(settings.home).secret,
            early,
        )

    def solo(self, sandbox: SandboxSpec) -> bool:
        """One stdio backend that is started once: the case a backend can be started before the rest."""
        return self.http is None and self.backends is None and sandbox.on_exit != "restart"

    def assemble(self) -> Assembly:
        # The wire first: the rest then finds the MCP SDK's envelope types loaded the light way, without
        # the SDK's client, server and protocol models (proxy.transports.light_sdk).
        from proxy.transports import wire  # noqa: F401
        from proxy.wiring import Assembly

        engine = Assembly.load(self.settings, background=True, policy=self.policy)
        if self.backends is not None:
            engine.backend_policies(self.backends)  # PolicyError names the backend's policy file
        return engine

    @staticmethod
    def serve_metrics(listen: str) -> None:
        from proxy import metrics

        host, _, port = listen.rpartition(":")
        try:
            metrics.serve(host.strip("[]"), int(port))
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {listen}: {exc.strerror}") from None


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
