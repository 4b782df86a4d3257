"""`veil serve`: a Streamable HTTP front for many clients."""

from __future__ import annotations

import sys

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
    url_backend_options,
    vault_options,
)
from proxy.config import Settings
from proxy.refusal import exit_code, explain, refuse_http


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--listen", required=True, metavar="HOST:PORT", help="Where to listen, e.g. 127.0.0.1:8765.")
@url_backend_options
@config_option
@policy_options
@vault_options
@click.option("--path", default="/mcp", show_default=True, help="The MCP endpoint's path.")
@click.option(
    "--auth-token-file",
    type=click.Path(dir_okay=False, exists=True),
    help="Clients must send 'Authorization: Bearer <the file's content>'.",
)
@click.option("--max-sessions", type=click.IntRange(min=1), default=100, show_default=True)
@click.option(
    "--idle-timeout",
    default="30m",
    show_default=True,
    metavar="AGE",
    help="End a session (and stop its backend) after this long without a request, e.g. 90s, 30m.",
)
@click.option(
    "--drain-timeout",
    default="10s",
    show_default=True,
    metavar="AGE",
    help="On SIGTERM, how long in-flight calls may take to finish before their sessions are cancelled.",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1024),
    default=4 * 1024 * 1024,
    show_default=True,
    help="Largest request body in bytes (413 above).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="HOST:PORT",
    help="Another accepted Host header (repeatable); the listen address is always accepted.",
)
@click.option(
    "--allowed-origin",
    "allowed_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Another accepted Origin, e.g. https://app.example (repeatable).",
)
@log_level_option("INFO")
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def serve(
    listen: str,
    url: str | None,
    transport: str,
    headers: tuple[str, ...],
    config: str | None,
    policies: tuple[str, ...],
    no_default_policies: bool,
    vault: str | None,
    path: str,
    auth_token_file: str | None,
    max_sessions: int,
    idle_timeout: str,
    drain_timeout: str,
    max_body: int,
    allowed_hosts: tuple[str, ...],
    allowed_origins: tuple[str, ...],
    log_level: str,
    command: tuple[str, ...],
) -> None:
    """Serve MCP over Streamable HTTP to many clients; each client session gets its own vault session
    and its own backend connection.

    \b
        veil serve --listen 127.0.0.1:8765 -- npx -y @modelcontextprotocol/server-everything
        veil serve --listen 127.0.0.1:8765 --url https://mcp.example/mcp --header 'X-Api-Key: ${KEY}'
    """
    from proxy.config import parse_duration
    from proxy.server import FrontPolicy, bind, build_app, parse_listen, read_token_file, serve_forever
    from proxy.wiring import Assembly

    logs.configure(log_level.upper())
    check_backend(url, command, config)
    if not path.startswith("/"):
        raise click.UsageError("--path must start with /")
    with cli_errors():
        host, port = parse_listen(listen)
    try:
        http = http_backend(url, transport, headers)
        backends, policies = load_config(config, policies)
        idle = parse_duration(idle_timeout).total_seconds()
        drain = parse_duration(drain_timeout).total_seconds()
        token = read_token_file(auth_token_file) if auth_token_file else None
        settings = Settings.resolve(vault=vault, policies=policies, default_policies=not no_default_policies)
        engine = Assembly.load(settings, background=True)
        if backends is not None:
            engine.backend_policies(backends)  # PolicyError names the backend's policy file
        engine.start_loading()
    except Exception as exc:
        why = explain(exc)
        if why is None:
            raise
        refuse_http(why, host, port)  # the client's requests get the cause and the fix
        sys.exit(exit_code(exc))
    try:
        sock = bind(host, port)
    except OSError as exc:
        engine.vault.close()
        raise click.ClickException(f"cannot listen on {listen}: {exc.strerror}") from None
    port = sock.getsockname()[1]
    front = FrontPolicy.for_listen(
        host,
        port,
        extra_hosts=allowed_hosts,
        extra_origins=allowed_origins,
        path=path,
        max_body=max_body,
        auth_token=token,
    )
    app = build_app(
        engine,
        front,
        command=command,
        http=http,
        backends=backends,
        max_sessions=max_sessions,
        idle_timeout=idle,
    )
    click.echo(f"veil: serving MCP on http://{listen.rsplit(':', 1)[0]}:{port}{path}", err=True)
    code = 0
    try:
        anyio.run(lambda: serve_forever(app, [sock], drain_timeout=drain))
    except KeyboardInterrupt:
        code = 130
    finally:
        engine.vault.close()
    sys.exit(code)
